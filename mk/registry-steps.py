#!/usr/bin/env python3
"""Compile the registry as each patch of the series leaves it.

The registry's source grows over several patches (core and walk; trace and
output; debugfs and modules), and no kernel configuration builds it before
the architecture patches select it, so a bisect build of the guest kernel
would not notice a patch that leaves it broken.  Compile each of the
registry's files (kernel/kexec_teardown*.c but the KUnit test), with the
header and internal header of the same commit, at every commit of
build/linux that touches one of them, with the exact command the x86_64
guest build used for kernel/kexec_teardown.c
(build/e2e-x86_64/compile_commands.json), -Werror and -Wmissing-prototypes.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREE = os.path.join(ROOT, 'build', 'linux')
CC = os.path.join(ROOT, 'build', 'e2e-x86_64', 'compile_commands.json')
HEADERS = ['kernel/kexec_teardown_internal.h', 'include/linux/kexec_teardown.h']
PATHSPEC = ['kernel/kexec_teardown*', 'include/linux/kexec_teardown.h']


def git(*args):
    return subprocess.run(['git', *args], cwd=TREE, stdout=subprocess.PIPE,
                          check=True, text=True).stdout


def sources(c):
    """The registry's .c files at commit c, core first."""
    names = git('ls-tree', '--name-only', c, 'kernel/').split()
    return sorted((n for n in names
                   if re.fullmatch(r'kernel/kexec_teardown(_\w+)?\.c', n)
                   and not n.endswith('_kunit.c')),
                  key=lambda n: (n != 'kernel/kexec_teardown.c', n))


def compile_one(cmd, d, src, cwd):
    base = os.path.basename(src)[:-2]
    args = [os.path.join(d, src) if a.endswith('kernel/kexec_teardown.c')
            else a for a in cmd]
    args = [a for a in args if not a.startswith('-Wp,-MMD')]
    args = [re.sub(r'"kexec_teardown"', '"%s"' % base, a)
            if a.startswith('-DKBUILD_BASENAME') else a for a in args]
    args.insert(args.index('-nostdinc') + 1, '-I' + os.path.join(d, 'include'))
    args[args.index('-o') + 1] = os.path.join(d, base + '.o')
    return subprocess.run(args + ['-Wmissing-prototypes', '-Werror'],
                          cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def main():
    entry = [e for e in json.load(open(CC))
             if e['file'].endswith('kernel/kexec_teardown.c')][0]
    cmd = shlex.split(entry.get('command') or
                      ' '.join(entry['arguments']))
    commits = git('rev-list', '--reverse', 'base..HEAD', '--',
                  *PATHSPEC).split()
    bad = nobj = 0
    for c in commits:
        subject = git('log', '-1', '--format=%s', c).strip()
        srcs = sources(c)
        if not srcs:
            continue
        failed = []
        with tempfile.TemporaryDirectory() as d:
            for f in HEADERS + srcs:
                os.makedirs(os.path.join(d, os.path.dirname(f)), exist_ok=True)
                data = subprocess.run(['git', 'show', '%s:%s' % (c, f)],
                                      cwd=TREE, stdout=subprocess.PIPE,
                                      check=True).stdout
                open(os.path.join(d, f), 'wb').write(data)
            for src in srcs:
                p = compile_one(cmd, d, src, entry['directory'])
                nobj += 1
                if p.returncode:
                    failed.append((src, p.stdout[-3000:]))
        print('%s  %s (%d files)' % ('FAILED' if failed else 'ok    ',
                                     subject, len(srcs)))
        for src, out in failed:
            print(src)
            print(out)
        bad += bool(failed)
    print('registry-steps: %d commits, %d files compiled, %d failed'
          % (len(commits), nobj, bad))
    sys.exit(1 if bad or not commits else 0)


if __name__ == '__main__':
    main()
