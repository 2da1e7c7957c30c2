#!/usr/bin/env python3
"""Compile the registry as each patch of the series leaves it.

The registry's source grows over several patches (core; trace and output;
debugfs and modules), and no kernel configuration builds it before the
architecture patches select it, so a bisect build of the guest kernel
would not notice a patch that leaves it broken.  Compile kernel/
kexec_teardown.c, with the header and internal header of the same commit,
at every commit of build/linux that touches one of them, with the exact
command the x86_64 guest build used (build/e2e-x86_64/compile_commands.json),
-Werror and -Wmissing-prototypes.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREE = os.path.join(ROOT, 'build', 'linux')
CC = os.path.join(ROOT, 'build', 'e2e-x86_64', 'compile_commands.json')
FILES = ['kernel/kexec_teardown.c', 'kernel/kexec_teardown_internal.h',
         'include/linux/kexec_teardown.h']


def git(*args):
    return subprocess.run(['git', *args], cwd=TREE, stdout=subprocess.PIPE,
                          check=True, text=True).stdout


def main():
    entry = [e for e in json.load(open(CC))
             if e['file'].endswith('kernel/kexec_teardown.c')][0]
    cmd = shlex.split(entry.get('command') or
                      ' '.join(entry['arguments']))
    commits = git('rev-list', '--reverse', 'base..HEAD', '--', *FILES).split()
    bad = 0
    for c in commits:
        subject = git('log', '-1', '--format=%s', c).strip()
        with tempfile.TemporaryDirectory() as d:
            for f in FILES:
                os.makedirs(os.path.join(d, os.path.dirname(f)), exist_ok=True)
                data = subprocess.run(['git', 'show', '%s:%s' % (c, f)],
                                      cwd=TREE, stdout=subprocess.PIPE,
                                      check=True).stdout
                open(os.path.join(d, f), 'wb').write(data)
            args = [os.path.join(d, FILES[0])
                    if a.endswith(FILES[0]) else a for a in cmd]
            args = [a for a in args if not a.startswith('-Wp,-MMD')]
            args.insert(args.index('-nostdinc') + 1,
                        '-I' + os.path.join(d, 'include'))
            args[args.index('-o') + 1] = os.path.join(d, 'kexec_teardown.o')
            p = subprocess.run(args + ['-Wmissing-prototypes', '-Werror'],
                               cwd=entry['directory'], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        print('%s  %s' % ('ok    ' if p.returncode == 0 else 'FAILED', subject))
        if p.returncode:
            print(p.stdout[-3000:])
            bad += 1
    print('registry-steps: %d commits, %d failed' % (len(commits), bad))
    sys.exit(1 if bad or not commits else 0)


if __name__ == '__main__':
    main()
