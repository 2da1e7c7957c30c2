#!/usr/bin/env python3
"""Build the patched kernel tree from this repository, and back.

The repository holds only our work: new files as plain files and edits to
upstream files as small diffs.  patches/series lists the logical patches in
order; each is a directory patches/<name>/ with

    msg         the commit message (subject, blank line, body, tags; no
                Signed-off-by: "format" adds the one of whoever runs it)
    files       the new files this patch adds, one repository path per line
    edits.diff  its edits to upstream files, and to files an earlier patch
                added (optional)

A new file is kept once, as it is at the end of the series; where later
patches change it, the version a patch adds is that file with the later
patches' hunks taken back out.

Commands:
    import      (re)create build/linux: a git tree of Debian's 6.12 source
                (commit tagged 'base') with one commit per patch on branch
                kexec-teardown.  Only files that change are rewritten, so
                out-of-tree builds stay incremental.
    export      write the commits base..HEAD of build/linux back into
                patches/ and the plain files (for work done in the tree).
    format      git format-patch the series into build/series/, one
                folder per sub-series (patches/subseries), each with its
                cover letter (patches/covers/), To:/Cc: from
                get_maintainer.pl and base-commit:, signed off by you
                (git config user.name and user.email; it refuses
                without them).
    fixup TEXT  fold the uncommitted changes of build/linux into the patch
                whose subject contains TEXT, then export.
    am-check    apply build/series/, folder by folder, as git am would
                onto pristine 'base'
                (in an index, not a checkout) and compare the trees.
    base        build/linux-base: a checkout of 'base' (pristine 6.12) for
                building the unpatched kernel the soak compares against.
    stamp       print the hash of the series inputs.
"""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('KT_BUILD', os.path.join(ROOT, 'build'))
TREE = os.path.join(BUILD, 'linux')
PATCHES = os.path.join(ROOT, 'patches')
SOURCE_TAR = os.environ.get('KT_SOURCE_TAR',
                            '/usr/src/linux-source-6.12.tar.xz')
BRANCH = 'kexec-teardown'


def git_identity():
    """(name, email) from the git configuration of whoever runs this."""
    def conf(key):
        return subprocess.run(['git', 'config', key], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              text=True).stdout.strip()
    name, email = conf('user.name'), conf('user.email')
    return (name, email) if name and email else None


# The tree's commits are a build product: authored by whoever builds it,
# or, without a git identity, by a placeholder that "format" refuses.  The
# messages in patches/ carry no Signed-off-by: "format" adds yours.
_ID = git_identity()
BUILD_ID = ('kexec-teardown build', 'build@localhost.invalid')
IDENT = {
    'GIT_AUTHOR_NAME': (_ID or BUILD_ID)[0],
    'GIT_AUTHOR_EMAIL': (_ID or BUILD_ID)[1],
    'GIT_COMMITTER_NAME': (_ID or BUILD_ID)[0],
    'GIT_COMMITTER_EMAIL': (_ID or BUILD_ID)[1],
    'GIT_AUTHOR_DATE': '2026-11-24T12:00:00+0000',
    'GIT_COMMITTER_DATE': '2026-11-24T12:00:00+0000',
}


def die(msg):
    sys.stderr.write('series: %s\n' % msg)
    sys.exit(1)


def git(*args, env=None, inp=None, cwd=TREE, check=True):
    e = dict(os.environ)
    e.update(IDENT)
    if env:
        e.update(env)
    p = subprocess.run(['git', '-c', 'core.autocrlf=false', *args], cwd=cwd,
                       env=e, input=inp, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and p.returncode:
        die('git %s failed:\n%s%s' % (' '.join(args), p.stdout, p.stderr))
    return p.stdout


def read_series():
    out = []
    with open(os.path.join(PATCHES, 'series')) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                out.append(line)
    return out


def patch_files(name):
    path = os.path.join(PATCHES, name, 'files')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l.strip() for l in f if l.strip() and not l.startswith('#')]


def stamp():
    h = hashlib.sha256()
    h.update(open(__file__, 'rb').read())
    h.update(repr(_ID).encode())
    for name in read_series():
        d = os.path.join(PATCHES, name)
        h.update(name.encode())
        for fn in sorted(os.listdir(d)):
            h.update(fn.encode())
            h.update(open(os.path.join(d, fn), 'rb').read())
        for f in patch_files(name):
            h.update(f.encode())
            p = os.path.join(ROOT, f)
            h.update(open(p, 'rb').read())
            h.update(b'x' if os.access(p, os.X_OK) else b'-')
    return h.hexdigest()


def ensure_base():
    if os.path.isdir(os.path.join(TREE, '.git')) and \
            git('tag', '-l', 'base').strip() == 'base':
        return
    if not os.path.exists(SOURCE_TAR):
        die('%s not found: run "make deps" first' % SOURCE_TAR)
    print('series: unpacking %s into %s' % (SOURCE_TAR, TREE), flush=True)
    shutil.rmtree(TREE, ignore_errors=True)
    os.makedirs(TREE)
    subprocess.run(['tar', '-xJf', SOURCE_TAR, '--strip-components=1',
                    '-C', TREE], check=True)
    # Debian's tarball ignores its whole top level ("/*", "!/debian/").
    gi = os.path.join(TREE, '.gitignore')
    text = open(gi).read()
    cut = text.find('# Debian packaging')
    if cut > 0:
        text = text[:text.rfind('\n#', 0, cut) + 1]
        open(gi, 'w').write(text)
    git('init', '-q', '-b', BRANCH)
    git('add', '-A')
    ver = subprocess.run(['make', '-s', 'kernelversion'], cwd=TREE,
                         stdout=subprocess.PIPE, text=True).stdout.strip()
    git('commit', '-q', '-m', 'Linux %s (Debian linux-source-6.12)' % ver)
    git('tag', 'base')


def diff_paths(diff):
    return re.findall(r'^diff --git a/(\S+) b/', diff, re.M)


def reverse_apply(diff_path, path, data):
    """@data (the content of @path) with @diff_path's hunks for it undone."""
    with tempfile.TemporaryDirectory() as tmp:
        f = os.path.join(tmp, path)
        os.makedirs(os.path.dirname(f), exist_ok=True)
        open(f, 'wb').write(data)
        p = subprocess.run(['git', 'apply', '-R', '--include=' + path,
                            diff_path], cwd=tmp, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if p.returncode:
            die('cannot take the hunks of %s for %s back out of its final '
                'version:\n%s' % (diff_path, path, p.stdout))
        return open(f, 'rb').read()


def added_versions(series):
    """{path: content as its adding patch adds it} for every new file."""
    added = {}
    for i, name in enumerate(series):
        for f in patch_files(name):
            added[f] = i
    content = {f: open(os.path.join(ROOT, f), 'rb').read() for f in added}
    at = {}
    for j in reversed(range(len(series))):
        diff = os.path.join(PATCHES, series[j], 'edits.diff')
        if os.path.exists(diff):
            for f in diff_paths(open(diff).read()):
                if f in added and added[f] < j:
                    content[f] = reverse_apply(diff, f, content[f])
        for f in patch_files(series[j]):
            at[f] = content[f]
    return at


def apply_to_index(diff, env):
    """git apply --cached @diff to the index that @env names; return git's
    output if it does not apply, None if it does."""
    p = subprocess.run(['git', 'apply', '--cached', diff], cwd=TREE,
                       env=dict(os.environ, **env), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.stdout if p.returncode else None


def cmd_import():
    ensure_base()
    st = stamp()
    head = git('rev-parse', 'HEAD').strip()
    rec = os.path.join(TREE, '.git', 'kt-imported')
    if os.path.exists(rec) and os.path.getsize(rec):
        old_st, old_head = open(rec).read().split()
        if old_st == st and old_head == head:
            print('series: build/linux is up to date')
            return
    else:
        old_head = None
    dirty = git('status', '--porcelain', '--untracked-files=no').strip()
    force = os.environ.get('FORCE') == '1'
    if dirty and not force:
        die('build/linux has uncommitted changes; commit and "export", '
            'or rerun with FORCE=1 to discard them:\n' + dirty)
    if old_head and old_head != head and not force:
        die('build/linux has commits that were not exported; run '
            '"mk/series.py export", or FORCE=1 to discard them')

    idx = os.path.join(TREE, '.git', 'kt-index')
    env = {'GIT_INDEX_FILE': idx}
    git('read-tree', 'base', env=env)
    parent = git('rev-parse', 'base').strip()
    for name in read_series():
        for f in patch_files(name):
            if not os.path.exists(os.path.join(ROOT, f)):
                die('%s: listed file %s does not exist' % (name, f))
    versions = added_versions(read_series())
    for name in read_series():
        d = os.path.join(PATCHES, name)
        for f in patch_files(name):
            src = os.path.join(ROOT, f)
            p = subprocess.run(['git', 'hash-object', '-w', '--stdin'],
                               cwd=TREE, input=versions[f],
                               stdout=subprocess.PIPE, check=True)
            sha = p.stdout.decode().strip()
            mode = '100755' if os.access(src, os.X_OK) else '100644'
            git('update-index', '--add', '--cacheinfo',
                '%s,%s,%s' % (mode, sha, f), env=env)
        diff = os.path.join(d, 'edits.diff')
        if os.path.exists(diff):
            err = apply_to_index(diff, env)
            if err is not None:
                die('%s: edits.diff does not apply:\n%s' % (name, err))
        tree = git('write-tree', env=env).strip()
        msg = open(os.path.join(d, 'msg')).read()
        parent = git('commit-tree', tree, '-p', parent, inp=msg).strip()
    os.unlink(idx)
    git('checkout', '-q', '-f', '-B', BRANCH, parent)
    open(rec, 'w').write('%s %s\n' % (st, parent))
    print('series: build/linux at %s (%d patches)' %
          (parent[:12], len(read_series())))


def slug(subject):
    s = re.sub(r'[^A-Za-z0-9._]+', '-', subject).strip('-.')
    return s[:52].rstrip('-.').lower()


def check_repo_unchanged():
    """Refuse to overwrite repository edits made since the last import."""
    rec = os.path.join(TREE, '.git', 'kt-imported')
    if not os.path.exists(rec) or not os.path.getsize(rec):
        return
    if open(rec).read().split()[0] != stamp():
        die('the repository changed since build/linux was imported, and '
            'exporting would overwrite those changes with the tree\'s; '
            'import first ("make tree", after committing or stashing the '
            'work in build/linux), or rerun with FORCE=1')


def cmd_export():
    if os.path.exists(os.path.join(TREE, '.git', 'rebase-merge')) or \
            os.path.exists(os.path.join(TREE, '.git', 'rebase-apply')):
        die('build/linux is in the middle of a rebase: finish it first')
    if os.environ.get('FORCE') != '1':
        check_repo_unchanged()
    commits = git('rev-list', '--reverse', 'base..HEAD').split()
    if not commits:
        die('no commits above base')
    added_by = {}
    names = []
    for i, c in enumerate(commits, 1):
        subject = git('log', '-1', '--format=%s', c).strip()
        name = '%04d-%s' % (i, slug(subject))
        names.append(name)
        status = git('diff-tree', '-r', '--no-renames', '--name-status',
                     '--no-commit-id', c).splitlines()
        new, edited = [], []
        for line in status:
            st, path = line.split('\t', 1)
            if st == 'A':
                new.append(path)
                added_by[path] = c
            elif path in added_by and st != 'M':
                die('%s removes %s, a file added by an earlier patch: '
                    'not supported' % (subject, path))
            else:
                edited.append(path)
        d = os.path.join(PATCHES, name + '.new')
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        open(os.path.join(d, 'msg'), 'w').write(
            git('log', '-1', '--format=%B', c).rstrip('\n') + '\n')
        if new:
            open(os.path.join(d, 'files'), 'w').write(
                ''.join(p + '\n' for p in new))
        for p in new:
            # The repository keeps a new file as the series ends.
            dst = os.path.join(ROOT, p)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            data = subprocess.run(['git', 'show', 'HEAD:%s' % p], cwd=TREE,
                                  stdout=subprocess.PIPE, check=True).stdout
            open(dst, 'wb').write(data)
            mode = git('ls-tree', 'HEAD', '--', p).split()[0]
            os.chmod(dst, 0o755 if mode == '100755' else 0o644)
        if edited:
            diff = git('diff', '--no-renames', '--full-index', c + '^', c,
                       '--', *edited)
            open(os.path.join(d, 'edits.diff'), 'w').write(diff)
    for entry in os.listdir(PATCHES):
        p = os.path.join(PATCHES, entry)
        if os.path.isdir(p) and not entry.endswith('.new') and \
                entry != 'covers':
            shutil.rmtree(p)
    for name in names:
        os.rename(os.path.join(PATCHES, name + '.new'),
                  os.path.join(PATCHES, name))
    with open(os.path.join(PATCHES, 'series'), 'w') as f:
        f.write('# The patch series, in order; see mk/series.py.\n')
        f.write(''.join(n + '\n' for n in names))
    print('series: exported %d patches' % len(names))
    # Recreate the commits from what was exported, with the project's
    # identity and dates; the files do not change, so nothing is rebuilt.
    rec = os.path.join(TREE, '.git', 'kt-imported')
    if os.path.exists(rec):
        os.unlink(rec)
    cmd_import()


def cmd_fixup(text):
    if os.environ.get('FORCE') != '1':
        check_repo_unchanged()
    subjects = git('log', '--format=%H %s', 'base..HEAD').splitlines()
    hits = [l.split(' ', 1) for l in subjects if text in l.split(' ', 1)[1]]
    if len(hits) != 1:
        die('"%s" matches %d patches' % (text, len(hits)))
    # Build products of the harness or the fixtures must not slip in.
    untracked = git('ls-files', '--others', '--exclude-standard').split()
    if untracked:
        die('build/linux has untracked files; add them with git add '
            'first if they belong to the patch, or remove them:\n  ' +
            '\n  '.join(untracked[:20]))
    git('add', '-u')
    git('commit', '-q', '--fixup=' + hits[0][0])
    git('rebase', '-q', '-i', '--autosquash', 'base',
        env={'GIT_SEQUENCE_EDITOR': 'true'})
    print('series: folded into "%s"' % hits[0][1])
    cmd_export()


def read_subseries():
    """patches/subseries: [(first, last, name, prefix, on)], numbers 1-based
    in patches/series, in the order the sub-series are sent; on is the
    sub-series this one is based on (an "on=K" field; by default the one
    before it), and its patches are formatted against the end of that one,
    without the sub-series in between."""
    out = []
    with open(os.path.join(PATCHES, 'subseries')) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            fields = line.split('\t')
            on = len(out)
            if fields[-1].startswith('on='):
                on = int(fields.pop()[3:])
            if len(fields) != 3:
                die('patches/subseries: %r: want RANGE<tab>NAME<tab>PREFIX'
                    '[<tab>on=K]' % line)
            rng, name, prefix = fields
            first, last = (int(x) for x in rng.split('-'))
            if not 0 <= on <= len(out):
                die('patches/subseries: %s: on=%d is not an earlier '
                    'sub-series' % (name, on))
            out.append((first, last, name, prefix, on))
    n = len(read_series())
    want = 1
    for first, last, name, _, _ in out:
        if first != want or last < first:
            die('patches/subseries: %s starts at %d, want %d' %
                (name, first, want))
        want = last + 1
    if want != n + 1:
        die('patches/subseries covers patches 1-%d of %d' % (want - 1, n))
    return out


def replay(commits, onto):
    """The commits, their diffs applied one by one onto onto (a commit),
    as new commits with the same messages, authors and dates: in an index
    of its own, no checkout.  Returns the last one; dies if a diff does
    not apply (the sub-series is not independent of what it skips)."""
    idx = os.path.join(TREE, '.git', 'kt-replay-index')
    env = {'GIT_INDEX_FILE': idx}
    git('read-tree', onto, env=env)
    parent = onto
    for c in commits:
        diff = git('diff', '--binary', '--full-index', c + '^', c)
        p = subprocess.run(['git', 'apply', '--cached'], cwd=TREE,
                           input=diff, env=dict(os.environ, **env),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        if p.returncode:
            die('series: %s does not apply without the sub-series it '
                'skips:\n%s' % (git('log', '-1', '--format=%s', c).strip(),
                                 p.stdout))
        tree = git('write-tree', env=env).strip()
        a = git('log', '-1', '--date=raw',
                '--format=%an%x00%ae%x00%ad%x00%cn%x00%ce%x00%cd', c)
        a = a.rstrip('\n').split('\0')
        cenv = dict(zip(('GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL',
                         'GIT_AUTHOR_DATE', 'GIT_COMMITTER_NAME',
                         'GIT_COMMITTER_EMAIL', 'GIT_COMMITTER_DATE'), a))
        msg = git('log', '-1', '--format=%B', c)
        parent = git('commit-tree', tree, '-p', parent, inp=msg,
                     env=cenv).strip()
    os.unlink(idx)
    return parent


# Whoever runs it must not mail the project's placeholder address.
SELF = 'noreply.example.org'


def recipients(start, end):
    """(to, cc) for the changes start..end, from get_maintainer.pl:
    maintainers, supporters and odd fixers to, the rest cc."""
    diff = git('diff', start, end)
    p = subprocess.run(['perl', 'scripts/get_maintainer.pl', '--no-git',
                        '--no-git-fallback', '--no-tree'], cwd=TREE,
                       input=diff, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    to, cc = [], []
    for line in p.stdout.splitlines():
        m = re.match(r'^(.*?) \((.*)\)$', line.strip())
        if not m or SELF in m.group(1):
            continue
        role = m.group(2)
        if re.match(r'(maintainer|supporter|odd fixer)', role):
            to.append(m.group(1))
        else:
            cc.append(m.group(1))
    return to, cc


def cmd_format():
    """One folder per sub-series in build/series/, each with its own
    cover letter (patches/covers/<name>), To:/Cc: from get_maintainer.pl
    and base-commit: (with the prerequisite-patch-id: of the sub-series
    before it)."""
    if not _ID:
        die('no git identity: "make series" signs the patches off as you; '
            'set it with git config user.name "Your Name" and '
            'git config user.email you@example.org')
    author = git('log', '-1', '--format=%an <%ae>').strip()
    if author != '%s <%s>' % _ID:
        die('build/linux was built as %s: run "make tree" again' % author)
    out = os.path.join(BUILD, 'series')
    shutil.rmtree(out, ignore_errors=True)
    commits = git('rev-list', '--reverse', 'base..HEAD').split()
    subs = read_subseries()
    if len(commits) != subs[-1][1]:
        die('build/linux has %d patches, patches/subseries %d' %
            (len(commits), subs[-1][1]))
    total = 0
    for k, (first, last, name, prefix, on) in enumerate(subs, 1):
        start = commits[first - 2] if first > 1 else 'base'
        end = commits[last - 1]
        if on != k - 1:
            # Based on sub-series "on", without those in between.
            start = commits[subs[on - 1][1] - 1] if on else 'base'
            end = replay(commits[first - 1:last], start)
        folder = os.path.join(out, '%d-%s' % (k, name))
        to, cc = recipients(start, end)
        args = ['format-patch', '-q', '--signoff', '--base=base',
                '--no-signature', '--subject-prefix=' + prefix,
                '-o', folder]
        args += ['--to=' + a for a in to] + ['--cc=' + a for a in cc]
        if last > first:
            args.append('--cover-letter')
        git(*(args + ['%s..%s' % (start, end)]))
        if last > first:
            cover = open(os.path.join(PATCHES, 'covers', name)).read()
            subject, body = cover.split('\n\n', 1)
            path = os.path.join(folder, '0000-cover-letter.patch')
            text = open(path).read()
            text = text.replace('*** SUBJECT HERE ***', subject.strip())
            text = text.replace('*** BLURB HERE ***', body.strip())
            open(path, 'w').write(text)
        n = len(os.listdir(folder))
        total += n
        print('series: %d-%s: patches %d-%d, %d files, to %d, cc %d' %
              (k, name, first, last, n, len(to), len(cc)))
    print('series: %d files in %s' % (total, out))


def series_mails(folders=None):
    """The mails of build/series, in the order git am takes them (of the
    sub-series numbered in folders only, if given)."""
    out = os.path.join(BUILD, 'series')
    return [os.path.join(out, d, f)
            for d in sorted(os.listdir(out), key=lambda d: int(d.split('-')[0]))
            if folders is None or int(d.split('-')[0]) in folders
            for f in sorted(os.listdir(os.path.join(out, d)))
            if f.endswith('.patch') and not f.startswith('0000-')]


def cmd_base():
    ensure_base()
    wt = os.path.join(BUILD, 'linux-base')
    if os.path.isdir(os.path.join(wt, 'kernel')) and \
            git('rev-parse', 'HEAD', cwd=wt, check=False).strip() == \
            git('rev-parse', 'base').strip():
        print('series: build/linux-base is up to date')
        return
    shutil.rmtree(wt, ignore_errors=True)
    git('worktree', 'prune')
    git('worktree', 'add', '-q', '--detach', wt, 'base')
    # Date every file before any build: a 6.12 build that starts from a
    # copy of a patched one (mk/kbuild.sh) then recompiles only the files
    # that the series changes, which kt_seed_base dates after the copy.
    old = 946684800
    for f in git('ls-files', '-z', cwd=wt).split('\0'):
        if f:
            os.utime(os.path.join(wt, f), (old, old), follow_symlinks=False)
    print('series: build/linux-base checked out at base')


def cmd_am_check():
    """Apply build/series to pristine 'base' the way git am does (each
    mail split by git mailinfo, its diff applied by git apply), into an
    index of its own rather than a checkout of 86k files, and compare the
    resulting tree with build/linux's."""
    ok = True
    # A sub-series based on an earlier one than the sub-series before it
    # must apply on that one's chain alone.
    subs = read_subseries()
    for k, (_, _, name, _, on) in enumerate(subs, 1):
        if on == k - 1:
            continue
        chain, j = [k], on
        while j:
            chain.insert(0, j)
            j = subs[j - 1][4]
        alone = am_apply(series_mails(chain))
        print('series: %d-%s alone on sub-series %s: %s' %
              (k, name, ', '.join(str(x) for x in chain[:-1]) or 'none',
               'ok' if alone is not None else 'FAILED'))
        ok = ok and alone is not None
    pat = series_mails()
    tree = am_apply(pat)
    if tree is not None:
        same = tree == git('rev-parse', 'HEAD^{tree}').strip()
        if not same:
            print('series: the mails applied on base differ from build/linux')
    ok = ok and tree is not None and same
    print('series: the %d mails applied in order on pristine base: %s' %
          (len(pat), 'ok' if tree is not None and same else 'FAILED'))
    sys.exit(0 if ok else 1)


def am_apply(pat):
    """Apply the mails pat on base as git am would; the tree, or None."""
    idx = os.path.join(TREE, '.git', 'kt-am-index')
    env = {'GIT_INDEX_FILE': idx}
    git('read-tree', 'base', env=env)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        msg, diff = os.path.join(tmp, 'msg'), os.path.join(tmp, 'diff')
        for f in pat:
            with open(f) as mail:
                p = subprocess.run(['git', 'mailinfo', msg, diff], cwd=TREE,
                                   stdin=mail, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
            subject = re.search(r'^Subject: (.*)$', p.stdout, re.M)
            author = re.search(r'^Author: .+\nEmail: .+@', p.stdout, re.M)
            if p.returncode or not subject or not author or \
                    not os.path.getsize(msg):
                print('series: %s: git mailinfo found no message:\n%s'
                      % (f, p.stdout))
                ok = False
                break
            err = apply_to_index(diff, env)
            if err is not None:
                print('series: %s does not apply:\n%s' % (f, err))
                ok = False
                break
    tree = git('write-tree', env=env).strip() if ok else None
    os.unlink(idx)
    return tree


def main():
    if len(sys.argv) == 3 and sys.argv[1] == 'fixup':
        cmd_fixup(sys.argv[2])
        return
    if len(sys.argv) != 2:
        die(__doc__)
    cmd = sys.argv[1]
    {'import': cmd_import, 'export': cmd_export, 'format': cmd_format,
     'am-check': cmd_am_check, 'base': cmd_base,
     'stamp': lambda: print(stamp())}.get(
        cmd, lambda: die('unknown command %s' % cmd))()


if __name__ == '__main__':
    main()
