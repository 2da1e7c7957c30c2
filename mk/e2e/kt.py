#!/usr/bin/env python3
"""Boot the patched ppc64le kernel in qemu-system-ppc64 -M pseries (or with
--arch x86_64 the x86_64 one in qemu-system-x86_64 -M q35), kexec, and
check the console.

    kt.py demo                      boot, kexec once, show the teardown
    kt.py soak [--kexecs N] [--smp 8] [--mmus radix,hash] [--kernels K,..]
                                    N kexecs each of unpatched 6.12 and the
                                    patched kernel, alternating; table of lost
                                    CPUs and hangs
    kt.py starved --starve CPU [--kexecs N] [--mmu radix|hash]
                                    the starved-vCPU reproducer: 6.12 must
                                    lose the vCPU, the patched kernel must not
    kt.py test NAME [options]       one end-to-end test; exit status 0 = pass
        radix     one kexec, radix MMU, -smp 4
        hash      one kexec, hash MMU (disable_radix), -smp 4
        loop      --loops N back-to-back kexecs (default 5), radix
        powernv   --loops N kexecs on qemu -M powernv9 (skiboot), where the
                  secondaries return to OPAL as a terminal step
        crash     load a capture kernel, panic, boot it
        nocrashdump  on a kernel without CRASH_DUMP (--arch ps3, the
                  big-endian kernel), loading a capture kernel fails with
                  EOPNOTSUPP
    kt.py kunit [--mmu M]           KUnit on the end-to-end kernel
                                    (kunit.enable=1), no kexec
    options: --arch ppc64le|ps3|x86_64, --smp N, --loops N, --mmu radix|hash,
             --vmlinux PATH, --starve CPU (deprioritise that vCPU's host
             thread); x86_64 runs demo, kunit, test loop and test crash

Every QEMU run has a hard timeout and a silence timeout and never hangs;
console logs go to build/e2e/<name>.console with host timestamps, and a
failure prints the end of the console.
"""
import argparse
import os
import re
import select
import socket
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
B = os.path.join(ROOT, 'build')
OUT = os.path.join(B, 'e2e')

# The guest architectures.  post_copy: the architecture's kexec runs the
# post-copy phase (C code after the copy, in real mode); post_copy_quiet:
# it runs, but has no console to report on (Book3E).
ARCHS = {
    'ppc64le': dict(
        kernel=os.path.join(B, 'e2e-ppc64le', 'vmlinux'),
        # Unpatched 6.12, same config (make soak, make bench, e2e-starved).
        base=os.path.join(B, 'e2e-base', 'vmlinux'),
        init=os.path.join(OUT, 'init'), cc='powerpc64le-linux-gnu-gcc',
        console='hvc0', post_copy=True, deb='ppc64el', cpu='POWER9',
        mmu=True,
        suites=('kexec_teardown', 'powerpc_kexec', 'powerpc_rtas_restart'),
        libs=[('lib64/ld64.so.2', '/usr/powerpc64le-linux-gnu/lib/ld64.so.2'),
              ('lib64/libc.so.6', '/usr/powerpc64le-linux-gnu/lib/libc.so.6')]),
    # Big endian, the PS3 platform built in (mk/e2e/ps3.config), under
    # -M pseries: KUnit with lv1 faked, and a kernel without CRASH_DUMP.
    'ps3': dict(
        kernel=os.path.join(B, 'e2e-ps3', 'vmlinux'), base=None,
        init=os.path.join(OUT, 'init-ppc64'), cc='powerpc64-linux-gnu-gcc',
        console='hvc0', post_copy=True, deb=None, cpu='POWER8',
        suites=('kexec_teardown', 'ps3_kexec'), libs=None),
    # 64-bit e500 (e6500 cores, mk/e2e/e500.config) in QEMU's ppce500
    # machine; its secondaries start from the ePAPR spin table.
    'e500': dict(
        kernel=os.path.join(B, 'e2e-e500', 'vmlinux'),
        base=os.path.join(B, 'e2e-e500-base', 'vmlinux'),
        init=os.path.join(OUT, 'init-e500'), cc='powerpc64-linux-gnu-gcc',
        cflags=['-mcpu=e5500'], machine='ppce500', mem='1G',
        console='ttyS0', post_copy=True, post_copy_quiet=True, deb=None,
        cpu='e6500', kexec_cpu=0, crash_console=False, capture_cpus=1,
        suites=('kexec_teardown',), libs=None),
    'x86_64': dict(
        kernel=os.path.join(B, 'e2e-x86_64', 'arch/x86/boot/bzImage'),
        base=os.path.join(B, 'e2e-x86_64-base', 'arch/x86/boot/bzImage'),
        init=os.path.join(OUT, 'init-x86_64'), cc='gcc',
        console='ttyS0', post_copy=False, deb='amd64', libs=None,
        suites=('kexec_teardown',)),
}
ARCH = ARCHS['ppc64le']
VMLINUX = ARCH['kernel']
BASE_VMLINUX = ARCH['base']

STEP_RE = re.compile(r'kexec_teardown: (prepare|secondary|primary|post-copy) '
                     r'cpu (\d+) hw (\S+): (\S+) (done|failed.*|skipped.*|terminal.*)')
REG_RE = re.compile(r'KT: reg (prepare|secondary|primary|post-copy)\s+(\d+)\s+'
                    r'(-?\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)')
PHASES = ('prepare', 'secondary', 'primary', 'post-copy')


# --------------------------------------------------------------- running QEMU

def cpio(entries, path):
    """Write a newc cpio of [(name, file path, mode)]."""
    with open(path, 'wb') as out:
        ino = 1
        for name, src, mode in entries + [('TRAILER!!!', None, 0)]:
            data = open(src, 'rb').read() if src else b''
            nm = name.encode() + b'\0'
            hdr = '070701' + ''.join('%08X' % v for v in (
                ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nm), 0))
            out.write(hdr.encode() + nm)
            out.write(b'\0' * ((4 - (110 + len(nm)) % 4) % 4))
            out.write(data)
            out.write(b'\0' * ((4 - len(data) % 4) % 4))
            ino += 1


def build_init():
    os.makedirs(OUT, exist_ok=True)
    src = os.path.join(ROOT, 'mk', 'e2e', 'init.c')
    init = ARCH['init']
    if not os.path.exists(init) or os.path.getmtime(init) < os.path.getmtime(src):
        subprocess.run([ARCH['cc'], '-static', '-O2', '-Wall'] +
                       ARCH.get('cflags', []) + ['-o', init, src], check=True)


def host_libs(binary):
    """The shared libraries of a binary for the host's architecture, from
    the package tree it came from or else the host, as ldd lists them;
    placed in the guest's /lib64 (init runs kexec with
    LD_LIBRARY_PATH=/lib64)."""
    root = os.path.dirname(os.path.dirname(binary))
    env = dict(os.environ, LD_LIBRARY_PATH=':'.join(
        os.path.join(root, d, 'x86_64-linux-gnu') for d in ('usr/lib', 'lib')))
    out = subprocess.run(['ldd', binary], check=True, stdout=subprocess.PIPE,
                         text=True, env=env).stdout
    expect('not found' not in out, 'libraries missing for %s:\n%s'
           % (binary, out))
    libs = []
    for m in re.finditer(r'(?:=> )?(/\S+) \(0x', out):
        path = m.group(1)
        libs.append(('lib64/' + os.path.basename(path), os.path.realpath(path)))
    return libs


def kexec_tools():
    """Debian's /sbin/kexec for the guest's architecture
    (mk/e2e/kexec-tools.sh fetches it) and the libraries it needs: the
    cross libc's for ppc64el, the host's own for amd64."""
    out = subprocess.run([os.path.join(ROOT, 'mk', 'e2e', 'kexec-tools.sh'),
                          ARCH['deb']],
                         check=True, stdout=subprocess.PIPE, text=True)
    kexec = out.stdout.strip()
    libs = ARCH['libs'] if ARCH['libs'] is not None else host_libs(kexec)
    return ([('sbin', None, 0o40755), ('lib64', None, 0o40755),
             ('sbin/kexec', kexec, 0o100755)] +
            [(g, h, 0o100755) for g, h in libs])


def initramfs(vmlinux, name, nxt=None, tools=False):
    build_init()
    path = os.path.join(OUT, name + '.cpio')
    files = [('init', ARCH['init'], 0o100755), ('vmlinux', vmlinux, 0o100644)]
    if nxt:
        files.append(('next', nxt, 0o100644))
    if tools:
        files += kexec_tools()
    cpio(files, path)
    return path


class Monitor:
    """QEMU's human monitor over a unix socket."""

    def __init__(self, path):
        self.path = path

    def cmd(self, line, timeout=5):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(timeout)
        for _ in range(50):
            try:
                s.connect(self.path)
                break
            except OSError:
                time.sleep(0.1)
        buf = b''
        try:
            buf += s.recv(65536)
            s.sendall(line.encode() + b'\n')
            end = time.time() + timeout
            while time.time() < end:
                try:
                    d = s.recv(65536)
                except socket.timeout:
                    break
                if not d:
                    break
                buf += d
                if buf.rstrip().endswith(b'(qemu)') and line.encode() in buf:
                    if buf.count(b'(qemu)') >= 2:
                        break
        finally:
            s.close()
        return buf.decode(errors='replace')


def vcpu_threads(mon):
    out = mon.cmd('info cpus')
    return {int(m.group(1)): int(m.group(2))
            for m in re.finditer(r'CPU #(\d+):.*?thread_id=(\d+)', out)}


def run_qemu(name, vmlinux, smp=4, mmu='radix', append='', mem='1G',
             timeout=300, silence=90, starve=None, log=True, regs_on=None,
             machine='pseries', verbose=True, nxt=None, tools=False,
             dump=None):
    """Boot; return (lines, status) with lines as [(host seconds, text)].
    With nxt, the first kernel kexecs into that other vmlinux (kt.next);
    with tools, the guest loads with Debian's kexec-tools (kt.tool)."""
    os.makedirs(OUT, exist_ok=True)
    mem = ARCH.get('mem', mem)
    rd = initramfs(vmlinux, name, nxt, tools)
    if tools:
        append += ' kt.tool=kexec-tools'
    if nxt:
        append += ' kt.next=1'
    if dump:
        append += ' kt.dump=1'
    if ARCH.get('kexec_cpu') is not None:
        # QEMU's ppce500 names no spin table entry for hardware CPU 0 and
        # ignores writes to it: only a kexec from hardware CPU 0 can start
        # every CPU again.
        append += ' kt.hwcpu=%d' % ARCH['kexec_cpu']
    # kexec_teardown.verbose=1: the registry logs every step, not only
    # the failures.
    cmdline = 'console=%s kexec_teardown.verbose=1 ' % ARCH['console'] + \
        ('disable_radix ' if mmu == 'hash' else '')
    if not verbose:
        cmdline = cmdline.replace('kexec_teardown.verbose=1 ', '')
    cmdline += append
    mon_path = os.path.join(OUT, name + '.mon')
    if os.path.exists(mon_path):
        os.unlink(mon_path)
    if ARCH is ARCHS['x86_64']:
        # TCG: there is no KVM here.
        cmd = ['qemu-system-x86_64', '-M', 'q35', '-cpu', 'max']
    else:
        cmd = ['qemu-system-ppc64', '-M', ARCH.get('machine', machine),
               '-cpu', ARCH['cpu']]
    if dump:
        # A disk for the capture kernel's /init to copy /proc/vmcore onto
        # (kt.dump=1): sparse, as large as the guest's memory.
        with open(dump, 'wb') as f:
            f.truncate(int(mem.rstrip('MG')) << (30 if mem[-1] == 'G' else 20))
        cmd += ['-drive', 'file=%s,format=raw,if=virtio' % dump]
    cmd += ['-smp', str(smp), '-m', mem, '-nographic', '-nodefaults',
            '-serial', 'stdio', '-no-reboot', '-kernel', vmlinux,
            '-initrd', rd, '-append', cmdline.strip(),
            '-monitor', 'unix:%s,server,nowait' % mon_path]
    if 'crash_kexec_post_notifiers' in cmdline:
        # pseries' last panic notifier calls RTAS ibm,os-term, which QEMU
        # reports as a guest panic and acts on: by default it ends the
        # guest before the capture kernel can start.  Carry on instead,
        # as PowerVM does.
        cmd += ['-action', 'panic=none']
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    if starve is not None:
        time.sleep(0.5)
        tids = vcpu_threads(Monitor(mon_path))
        if starve in tids:
            subprocess.run(['chrt', '--idle', '-p', '0', str(tids[starve])],
                           check=False)
    os.set_blocking(p.stdout.fileno(), False)
    lines, buf, status = [], b'', 'exit'
    last = time.monotonic()
    off = None      # when the guest said it powers off
    logf = open(os.path.join(OUT, name + '.console'), 'w')
    logf.write('# %s\n' % ' '.join(cmd))
    while True:
        now = time.monotonic()
        if now - t0 > timeout:
            status = 'timeout after %d s' % timeout
            break
        if now - last > silence:
            status = 'silent for %d s' % silence
            break
        if off is not None and now - off > 3:
            # powernv does not exit on OPAL power-off, nor x86 without ACPI
            break
        # Wake up as soon as output arrives, so lines are timestamped on
        # arrival; at least every 100 ms for the timeouts.
        ready, _, _ = select.select([p.stdout], [], [], 0.1)
        try:
            d = os.read(p.stdout.fileno(), 65536) if ready else None
        except BlockingIOError:
            d = None
        if d is None:
            if p.poll() is not None:
                break
            continue
        if not d:
            break
        last = time.monotonic()
        buf += d
        while b'\n' in buf:
            raw, buf = buf.split(b'\n', 1)
            text = raw.decode('utf-8', 'replace').replace('\r', '')
            lines.append((last - t0, text))
            if 'reboot: Power down' in text or 'System halted' in text:
                off = last
            if regs_on and regs_on in text:
                # Where is every vCPU now?  (kt.py where NAME reads it.)
                regs_on = None
                with open(os.path.join(OUT, name + '.regs'), 'w') as rf:
                    rf.write(Monitor(mon_path).cmd('info registers -a', 10))
            logf.write('%9.3f %s\n' % (last - t0, text))
            logf.flush()
    if p.poll() is None:
        p.kill()
    p.wait()
    if buf:
        lines.append((time.monotonic() - t0, buf.decode('utf-8', 'replace')))
    logf.write('%9.3f # qemu: %s\n' % (time.monotonic() - t0, status))
    logf.close()
    return lines, status


# --------------------------------------------------------------- the checks

def cpuset(text):
    cpus = set()
    for part in text.split(','):
        if '-' in part:
            a, b = part.split('-')
            cpus.update(range(int(a), int(b) + 1))
        elif part.strip():
            cpus.add(int(part))
    return cpus


def boots(lines):
    """Split the console into kernel boots at each printk banner; what the
    firmware printed before the first banner belongs to the first boot."""
    segs, banner = [[]], False
    for t, text in lines:
        if re.search(r'\] Linux version ', text):
            if banner:
                segs.append([])
            banner = True
        segs[-1].append((t, text))
    return segs


def seg_info(seg):
    info = {'regs': {p: [] for p in PHASES}, 'prio': {}, 'steps': [],
            'online': None,
            'mmu': None, 'boot': None, 'text': [x for _, x in seg]}
    for t, text in seg:
        m = REG_RE.search(text)
        if m:
            info['regs'][m.group(1)].append((m.group(4), m.group(5)))
            info['prio'][(m.group(1), m.group(4))] = int(m.group(3))
            continue
        m = STEP_RE.search(text)
        if m:
            info['steps'].append(dict(t=t, phase=m.group(1), cpu=int(m.group(2)),
                                      hw=m.group(3), name=m.group(4),
                                      outcome=m.group(5)))
            continue
        m = re.search(r'KT: cpus online (\S+)', text)
        if m:
            info['online'] = cpuset(m.group(1))
        m = re.search(r'KT: cpuinfo MMU\s*:\s*(\S+)', text)
        if m:
            info['mmu'] = m.group(1).lower()
        m = re.search(r'KT: boot (\d+)', text)
        if m:
            info['boot'] = int(m.group(1))
    return info


class Failure(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise Failure(msg)


def check_walk(info, crash=False):
    """Each phase ran its registered steps, in order, on the right CPUs."""
    regs, steps = info['regs'], info['steps']
    expect(regs['secondary'] and regs['primary'] and
           (regs['post-copy'] or not ARCH['post_copy']),
           'no registrations listed before the kexec')
    primarys = {s['cpu'] for s in steps if s['phase'] == 'primary'}
    post = {s['cpu'] for s in steps if s['phase'] == 'post-copy'}
    if ARCH['post_copy'] and ARCH.get('post_copy_quiet'):
        # The phase runs, but nothing can print after the copy (Book3E:
        # no real-mode console): no post-copy line may appear.
        expect(not post, 'post-copy lines on a platform without a '
               'post-copy console')
        expect(len(primarys) == 1, 'primary phase ran on CPUs %s'
               % sorted(primarys))
        primary = primarys.pop()
    elif ARCH['post_copy']:
        expect(len(post) == 1, 'post-copy ran on CPUs %s' % sorted(post))
        primary = post.pop()
        expect(primarys <= {primary}, 'primary phase ran on %s, post-copy on %d'
               % (sorted(primarys), primary))
    else:
        # No C runs after the copy: nothing registered for that phase,
        # and the test module's post-copy steps were refused.
        expect(not regs['post-copy'] and not post,
               'post-copy steps on an architecture without the phase')
        expect(any(re.search(r'test:post-copy-\S+: this architecture.s kexec '
                             r'has no post-copy phase', x)
                   for x in info['text']),
               'a post-copy step was not refused with a message')
        expect(len(primarys) == 1, 'primary phase ran on CPUs %s'
               % sorted(primarys))
        primary = primarys.pop()
    check_handoff_order(info, primary, crash)
    check_phase_order(info, primary, crash)
    summary = {}
    for phase in PHASES:
        if phase == 'post-copy' and (not ARCH['post_copy'] or
                                     ARCH.get('post_copy_quiet')):
            continue
        if crash and phase == 'prepare':
            expect(not [s for s in steps if s['phase'] == phase],
                   'the prepare phase ran on the crash path')
            continue
        if phase == 'secondary':
            cpus = sorted(info['online'] - {primary})
        else:
            cpus = [primary]
        want = [(n, f) for n, f in regs[phase]]
        for cpu in cpus:
            got = [s for s in steps if s['phase'] == phase and s['cpu'] == cpu]
            expect([s['name'] for s in got] == [n for n, _ in want],
                   '%s phase on cpu %d ran %s, registered order is %s' %
                   (phase, cpu, [s['name'] for s in got], [n for n, _ in want]))
            for s, (n, flags) in zip(got, want):
                safe = 'crash-safe' in flags
                if crash and not safe:
                    expect(s['outcome'].startswith('skipped'),
                           '%s ran on the crash path: %s' % (n, s['outcome']))
                elif 'terminal' in flags:
                    expect(s['outcome'].startswith('terminal'),
                           '%s on cpu %d: %s' % (n, cpu, s['outcome']))
                else:
                    expect(s['outcome'] == 'done', '%s on cpu %d: %s' %
                           (n, cpu, s['outcome']))
            summary[(phase, cpu)] = len(got)
    return primary, summary


# KEXEC_TEARDOWN_PRIO_WAIT: the primary phase's band for waiting until the
# secondaries are gone.
PRIO_WAIT = 400


def check_handoff_order(info, primary, crash):
    """An invariant of every run: a secondary that a terminal step handed
    to firmware (pseries stop-self) may still be running, in firmware or
    on its way there, when the primary phase starts, because it reports
    before it goes; so the primary phase must begin by waiting for those
    CPUs to be gone (a step of the wait band), before any step that tears
    down what they may still use (the interrupt controller, say).  On
    failure, name the two lines that break it."""
    handed = [s for s in info['steps'] if s['phase'] == 'secondary' and
              s['outcome'].startswith('terminal')]
    firsts = [s for s in info['steps'] if s['phase'] == 'primary' and
              s['cpu'] == primary]
    if crash or not handed or not firsts:
        return
    first = firsts[0]
    prio = info['prio'].get(('primary', first['name']))
    expect(prio is not None and prio >= PRIO_WAIT,
           'the primary phase began with %s (priority %s) while cpu %d had '
           'been handed to firmware by %s and was not yet known to be '
           'stopped: the wait for the secondaries must come first'
           % (first['name'], prio, handed[0]['cpu'], handed[0]['name']))


def step_line(s):
    return '%.3f %s cpu %d (hw %s): %s %s' % (s['t'], s['phase'], s['cpu'],
                                           s['hw'], s['name'], s['outcome'])


def check_phase_order(info, primary, crash):
    """Invariants of every run, in the order of the log: no step of the
    kexecing CPU's phase before the last step of every secondary (on a
    kexec; on a crash the secondaries' lines are replayed later), and no
    post-copy step before the last step of the kexecing CPU's phase.  On
    failure, name the two lines that break it."""
    steps = info['steps']
    mine = [i for i, s in enumerate(steps) if s['phase'] == 'primary' and
            s['cpu'] == primary]
    if not crash and mine:
        first = mine[0]
        late = [i for i, s in enumerate(steps) if s['phase'] == 'secondary'
                and i > first]
        expect(not late, 'a secondary step after the first step of the '
               'kexecing CPU:\n    %s\n    %s' %
               (step_line(steps[first]), step_line(steps[late[0]]) if late
                else ''))
    posts = [i for i, s in enumerate(steps) if s['phase'] == 'post-copy']
    if posts and mine:
        expect(posts[0] > mine[-1], 'a post-copy step before the last step '
               'of the kexecing CPU:\n    %s\n    %s' %
               (step_line(steps[posts[0]]), step_line(steps[mine[-1]])))


def check_next_boot(prev, nxt, mmu, smp, count_only=False):
    expect(nxt['boot'] is not None, 'the next kernel did not reach /init')
    if count_only:
        expect(len(nxt['online'] or []) == smp,
               'next kernel has CPUs %s online, want %d of them' %
               (sorted(nxt['online'] or []), smp))
        return
    expect(nxt['online'] == set(range(smp)),
           'next kernel has CPUs %s online, want 0-%d' %
           (sorted(nxt['online'] or []), smp - 1))
    expect(nxt['mmu'] == mmu, 'next kernel runs the %s MMU' % nxt['mmu'])
    stuck = [x for x in nxt['text'] if 'is stuck' in x]
    expect(not stuck, 'lost CPUs: %s' % stuck)
    vpa = [x for x in nxt['text'] if re.search(r'(VPA|SLB shadow|DTL).*registration.*failed', x)]
    expect(not vpa, 'hypervisor area registration failed: %s' % vpa)


def check_handoff_page(prev, nxt, reserve):
    """powerpc: where the secondaries waited in a reserved page, the next
    kernel names that page, reserved by the way expected (the reserve map
    of kexec_file_load's tree, or /chosen only, with kexec-tools), and
    says that every CPU parked there left it."""
    spin = next((x for x in prev['text']
                 if 'secondaries go back to their spin tables' in x), None)
    if spin:
        # 64-bit e500: the next kernel keeps the page they run in, and
        # says how many wait there (it starts them later, from the
        # spin tables).
        n = len(prev['online']) - 1
        after = prev['text'][prev['text'].index(spin):]
        expect(any(re.search(r"previous kernel's handoff page at \S+ is "
                             r"reserved \(reserve map\); %d CPUs wait in "
                             r"their spin tables" % n, x)
                   for x in after + nxt['text']),
               'the next kernel does not say that the %d parked CPUs wait '
               'in their spin tables' % n)
        return
    wait = next((re.search(r'secondaries wait in the (\S+) page at (\S+)', x)
                 for x in prev['text'] if 'secondaries wait in' in x), None)
    if not wait or wait.group(1) != 'reserved':
        return
    # Printed while the device tree is read, before the banner that
    # boots() splits the console at: the end of the previous segment.
    after = prev['text'][prev['text'].index(wait.string):]
    got = next((x for x in after + nxt['text']
                if "previous kernel's handoff page" in x and 'reserved' in x),
               None)
    expect(got, 'the secondaries waited in the reserved page at %s, and the '
           'next kernel does not say it kept it' % wait.group(2))
    m = re.search(r"handoff page at (\S+) is reserved \(([^)]*)\); "
                  r"(\d+) of the (\d+) CPUs", got)
    expect(m and m.group(1) == wait.group(2) and m.group(2) == reserve and
           m.group(3) == m.group(4),
           'handoff page: old kernel "%s", next kernel "%s" (want the same '
           'page, reserved by the %s, every parked CPU gone)' %
           (wait.group(0), got, reserve))


def tail(lines, n=40):
    return '\n'.join('  | %9.3f %s' % (t, x) for t, x in lines[-n:])


def check_chain(lines, status, mmu, smp, kexecs, reserve='reserve map'):
    segs = [seg_info(s) for s in boots(lines)]
    expect(len(segs) == kexecs + 1, '%d kernels booted, want %d (%s)' %
           (len(segs), kexecs + 1, status))
    expect(any('KT: done after %d kexecs' % kexecs in x for x in segs[-1]['text']),
           'the last kernel did not finish (%s)' % status)
    expect(segs[0]['mmu'] == mmu, 'first kernel runs the %s MMU' % segs[0]['mmu'])
    expect(segs[0]['online'] == set(range(smp)), 'first kernel: CPUs %s' %
           sorted(segs[0]['online'] or []))
    out = []
    for k in range(kexecs):
        primary, summary = check_walk(segs[k])
        check_next_boot(segs[k], segs[k + 1], mmu, smp)
        if reserve:
            check_handoff_page(segs[k], segs[k + 1], reserve)
        out.append((k, primary, summary))
    return segs, out


# --------------------------------------------------------------- commands

def guest_mmu(a, mmu):
    """The MMU the guest runs, where the tests choose it: powerpc's pseries
    kernel (the PS3 one has 4K pages, hash only)."""
    return mmu if ARCH.get('mmu') else None


def cmd_test(a):
    vmlinux = a.vmlinux or VMLINUX
    name = a.name if a.name != 'loop' else 'loop%d' % a.loops
    if a.name == 'powernv':
        name = 'powernv%d' % a.loops
    if a.name == 'crash':
        return test_crash(a, vmlinux)
    if a.name == 'nocrashdump':
        return test_nocrashdump(a)
    if a.name == 'hang':
        return test_hang(a, vmlinux)
    if a.name == 'nmi':
        return test_nmi_x86(a, vmlinux, a.smp - 2)
    nxt = BASE_VMLINUX if a.next_base else None
    if nxt:
        name += '-to-6.12'
    if a.kexec_tools:
        name += '-kexec-tools'
    mmu = guest_mmu(a, 'hash' if a.name == 'hash' else a.mmu)
    kexecs = a.loops if a.name in ('loop', 'powernv') else 1
    per = 60 if mmu == 'hash' else 30
    machine = 'powernv9' if a.name == 'powernv' else 'pseries'
    lines, status = run_qemu(name, vmlinux, smp=a.smp, mmu=mmu,
                             append=('kt.loops=%d ' % kexecs) + a.append,
                             mem='2G', timeout=60 + per * kexecs,
                             starve=a.starve,
                             machine=machine, nxt=nxt, tools=a.kexec_tools)
    try:
        # 6.12 does not know the page; kexec-tools names it in /chosen.
        reserve = None if nxt else '/chosen' if a.kexec_tools else 'reserve map'
        segs, res = check_chain(lines, status, mmu, a.smp, kexecs, reserve)
    except Failure as e:
        print('FAIL %s: %s' % (name, e))
        print(tail(lines))
        return 1
    for k, primary, summary in res:
        print('kexec %d: primary cpu %d; secondary phase on cpus %s; '
              'next kernel: cpus %s online%s' %
              (k + 1, primary, sorted(c for p, c in summary if p == 'secondary'),
               sorted(segs[k + 1]['online']),
               ', %s MMU' % segs[k + 1]['mmu'] if mmu else ''))
    print('PASS %s: %d kexec(s), %s, -smp %d%s' %
          (name, kexecs, '%s MMU' % mmu if mmu else a.arch, a.smp,
           ', into unpatched 6.12 first' if nxt else ''))
    return 0


def test_hang(a, vmlinux):
    """A secondary that never finishes its teardown (the test module's step
    spins on it, interrupts off): the kexec must not copy the new kernel
    over it.  It names the CPU and reboots through the firmware, which
    QEMU's -no-reboot turns into an exit: one kernel boot, no second."""
    cpu = a.smp - 2
    if a.arch == 'x86_64':
        return test_hang_x86(a, vmlinux, cpu)
    return expect_firmware_reboot(
        'hang', vmlinux, a.smp, cpu,
        'test_kexec_teardown.hang_cpu=%d' % cpu,
        'cpu %d hangs in its secondary step' % cpu,
        'the test step did not hang cpu %d' % cpu)


def expect_firmware_reboot(name, vmlinux, smp, cpu, append, hung, not_hung):
    """Boot with CPU @cpu hung by @append (the console then says @hung),
    kexec with kexec_secondary_timeout=3: the kexec must not copy the new
    kernel over the CPU, but name it and reboot through the firmware,
    which QEMU's -no-reboot turns into an exit: one kernel boot, no
    second."""
    lines, status = run_qemu(name, vmlinux, smp=smp,
                             append='kt.loops=1 kexec_secondary_timeout=3 ' +
                                    append, timeout=120)
    text = [x for _, x in lines]
    try:
        expect(any(hung in x for x in text), not_hung)
        expect(any(re.search(r'kexec: cpu %d \(physical \d+\) is unaccounted '
                             r'for .* rebooting through firmware' % cpu, x)
                   for x in text), 'no "unaccounted for" message for cpu %d'
               % cpu)
        expect(not any('Starting switchover sequence' in x for x in text),
               'the kexec went on to the copy')
        expect(len(boots(lines)) == 1, '%d kernels booted, want 1 (the '
               'kexec must not happen)' % len(boots(lines)))
        expect(status == 'exit', 'QEMU did not exit on the firmware reboot '
               '(%s)' % status)
    except Failure as e:
        print('FAIL %s: %s' % (name, e))
        print(tail(lines, 30))
        return 1
    for x in text:
        if 'unaccounted' in x or hung in x or 'did not enter' in x:
            print('  ' + x.strip())
    print('PASS %s: cpu %d never stopped; no copy, firmware reboot' %
          (name, cpu))
    return 0


def test_hang_x86(a, vmlinux, cpu):
    """x86: stop_other_cpus() waits one second for the reboot vector, then
    sends an NMI, which stops the CPU in the middle of its step.  The step
    must be named as cut off, as a failure, and the kexec go on: the next
    kernel wakes every CPU with INIT/SIPI."""
    lines, status = run_qemu('hang-x86_64', vmlinux, smp=a.smp,
                             append='kt.loops=1 '
                                    'test_kexec_teardown.hang_cpu=%d' % cpu,
                             timeout=120)
    segs = [seg_info(x) for x in boots(lines)]
    text = [x for _, x in lines]
    try:
        expect(any('cpu %d hangs in its secondary step' % cpu in x
                   for x in text), 'the test step did not hang cpu %d' % cpu)
        cut = [x for x in text if re.search(
            r'secondary cpu %d hw \d+: test:secondary-nocrash cut off' % cpu, x)]
        expect(cut, 'the step cpu %d was stopped in is not named as cut off'
               % cpu)
        expect(len(segs) == 2, '%d kernels booted, want 2' % len(segs))
        check_next_boot(segs[0], segs[1], None, a.smp)
    except Failure as e:
        print('FAIL hang-x86_64: %s' % e)
        print(tail(lines, 30))
        return 1
    print('  ' + cut[0].strip())
    print('PASS hang-x86_64: cpu %d stopped by NMI in its step, named; the '
          'next kernel has all %d CPUs' % (cpu, a.smp))
    return 0


def test_nmi_x86(a, vmlinux, cpu):
    """x86: a CPU that ignores interrupts as the kexec starts (the test
    module's deaf_cpu) is stopped only by the NMI that stop_other_cpus()
    sends after one second, so its secondary phase runs in NMI context,
    where it may have interrupted anything: only its crash-safe steps may
    run, the others must be skipped, as on the crash path."""
    lines, status = run_qemu('nmi-x86_64', vmlinux, smp=a.smp,
                             append='kt.loops=1 '
                                    'test_kexec_teardown.deaf_cpu=%d' % cpu,
                             timeout=120)
    segs = [seg_info(x) for x in boots(lines)]
    text = [x for _, x in lines]
    step = r'secondary cpu %d hw \d+: test:secondary-%s '
    try:
        expect(any('cpu %d ignores interrupts for 10 s' % cpu in x
                   for x in text), 'cpu %d was not made deaf' % cpu)
        expect(any('Shutting down cpus with NMI' in x for x in text),
               'no NMI was needed to stop cpu %d' % cpu)
        expect(any(re.search(step % (cpu, 'first') + 'done', x)
                   for x in text),
               'the crash-safe step did not run on cpu %d' % cpu)
        ran = [x for x in text
               if re.search(step % (cpu, 'nocrash') + 'done', x)]
        expect(not ran, 'a step that is not crash-safe ran in NMI context: '
               '%s' % ran)
        skipped = [x for x in text if re.search(
            step % (cpu, 'nocrash') + r'skipped \(not crash-safe\)', x)]
        expect(skipped, 'the step left out on cpu %d is not named' % cpu)
        expect(len(segs) == 2, '%d kernels booted, want 2' % len(segs))
        check_next_boot(segs[0], segs[1], None, a.smp)
    except Failure as e:
        print('FAIL nmi-x86_64: %s' % e)
        print(tail(lines, 30))
        return 1
    print('  ' + skipped[0].strip())
    print('PASS nmi-x86_64: cpu %d stopped by the NMI ran its crash-safe '
          'steps only; the next kernel has all %d CPUs' % (cpu, a.smp))
    return 0


def test_nocrashdump(a):
    """A kernel without CONFIG_CRASH_DUMP (--arch ps3: the big-endian
    kernel) must refuse both ways of loading a capture kernel, and load
    nothing."""
    vmlinux = a.vmlinux or VMLINUX
    cfg = open(os.path.join(os.path.dirname(vmlinux), '.config')).read()
    lines, status = run_qemu('nocrashdump', vmlinux, smp=1,
                             append='kunit.enable=0 kt.mode=nocrashdump',
                             timeout=120)
    text = [x for _, x in lines]
    try:
        expect('# CONFIG_CRASH_DUMP is not set' in cfg,
               '%s has CRASH_DUMP enabled' % vmlinux)
        expect(any('kexec_load(KEXEC_ON_CRASH) = -1 (Operation not supported)'
                   in x for x in text), 'kexec_load(KEXEC_ON_CRASH) not refused')
        expect(any('kexec_file_load(KEXEC_FILE_ON_CRASH) failed: Operation '
                   'not supported' in x for x in text),
               'kexec_file_load(KEXEC_FILE_ON_CRASH) not refused')
        expect([x for x in text if 'KT: kexec_loaded' in x] ==
               ['KT: kexec_loaded 0'] * 2, 'an image was loaded anyway')
    except Failure as e:
        print('FAIL nocrashdump: %s (%s)' % (e, status))
        print(tail(lines, 20))
        return 1
    for x in text:
        if x.startswith('KT: kexec'):
            print('  ' + x)
    print('PASS nocrashdump: both crash loads refused with EOPNOTSUPP, '
          'nothing loaded')
    return 0


def host_vmcore(dump, segs, smp):
    """The vmcore the capture kernel copied out, read on the host: the
    whole of /proc/vmcore arrived, readelf finds one NT_PRSTATUS (the
    registers saved as each CPU stopped) per CPU, and makedumpfile, from
    the dump's VMCOREINFO alone, extracts the crashed kernel's log, which
    must hold the crash and the teardown steps the CPUs ran."""
    said = [x for x in segs[1]['text'] if 'KT: vmcore dumped' in x]
    expect(said, 'the capture kernel did not copy the vmcore out')
    size = int(re.search(r'dumped (\d+)', said[0]).group(1))
    sent = [x for x in segs[1]['text'] if re.search(r'KT: vmcore \d+ bytes', x)]
    expect(sent and int(re.search(r'(\d+) bytes', sent[0]).group(1)) == size,
           'the capture kernel copied %d bytes of /proc/vmcore: %s'
           % (size, sent))
    with open(dump, 'r+b') as f:
        f.truncate(size)
    notes = subprocess.run(['readelf', '-n', dump], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True).stdout
    prstatus = len(re.findall(r'NT_PRSTATUS', notes))
    expect(prstatus == smp, 'readelf: %d NT_PRSTATUS notes in the vmcore, '
           'want %d' % (prstatus, smp))
    expect('VMCOREINFO' in notes, 'readelf: no VMCOREINFO note')
    dmesg = dump + '.dmesg'
    if os.path.exists(dmesg):
        os.unlink(dmesg)
    r = subprocess.run(['makedumpfile', '--dump-dmesg', dump, dmesg],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    expect(r.returncode == 0 and os.path.exists(dmesg),
           'makedumpfile --dump-dmesg failed: %s' % r.stdout[-400:])
    log = open(dmesg, errors='replace').read()
    expect('sysrq: Trigger a crash' in log,
           'the log in the vmcore does not hold the crash')
    cpus = {int(c) for c in re.findall(
        r'kexec_teardown: secondary cpu (\d+) hw \d+: test:secondary-first '
        r'done', log)}
    expect(len(cpus) == smp - 1, 'the log in the vmcore shows the crash-safe '
           'secondary step on CPUs %s, want %d of them' % (sorted(cpus),
                                                           smp - 1))
    print('vmcore: %d bytes on the host; readelf: %d NT_PRSTATUS and '
          'VMCOREINFO; makedumpfile: log of %d lines with the crash and '
          'the secondary steps of CPUs %s' %
          (size, prstatus, log.count('\n'), sorted(cpus)))


def test_crash(a, vmlinux):
    name = 'crash-kexec-tools' if a.kexec_tools else 'crash'
    mmu = guest_mmu(a, a.mmu)
    mem, reserve, dump = '2G', '512M', None
    if ARCH is ARCHS['x86_64'] and not a.kexec_tools:
        # The capture kernel copies /proc/vmcore to the host: a smaller
        # guest keeps it short.
        mem, reserve = '768M', '192M'
        dump = os.path.join(OUT, name + '-x86_64.vmcore')
    lines, status = run_qemu(name, vmlinux, smp=a.smp, mmu=a.mmu, mem=mem,
                             append='kt.mode=crash crashkernel=%s ' % reserve +
                             a.append, timeout=300, tools=a.kexec_tools,
                             dump=dump)
    segs = [seg_info(s) for s in boots(lines)]
    try:
        expect(len(segs) == 2, '%d kernels booted, want 2 (%s)' %
               (len(segs), status))
        expect(any('capture kernel loaded' in x for x in segs[0]['text']),
               'the capture kernel was not loaded')
        expect(any('sysrq: Trigger a crash' in x for x in segs[0]['text']),
               'no crash was triggered')
        post = [s for s in segs[0]['steps'] if s['phase'] == 'post-copy']
        skipped = [s['name'] for s in segs[0]['steps']
                   if s['outcome'].startswith('skipped')]
        ran = [s['name'] for s in segs[0]['steps'] if s['outcome'] == 'done']
        if ARCH.get('crash_console', True):
            primary, summary = check_walk(segs[0], crash=True)
            expect(skipped, 'no step was left out on the crash path')
        else:
            # Known gap (64-bit e500): powerpc's crash_kexec_prepare()
            # defers printk (6.12), so the crash path's lines reach a
            # console only through the post-copy replay, and Book3E has
            # no real-mode console to replay them on: they are in the
            # log buffer (the dump) only.  The dump and the capture
            # kernel are checked.
            expect(not segs[0]['steps'], 'registry lines on a console '
                   'said to show none on the crash path: check them')
            print('crash path: the crashed kernel\'s registry lines do not '
                  'reach this console; not checked')
        expect(any('kt.capture=1' in x for x in segs[1]['text']) and
               segs[1]['boot'] == 1, 'the capture kernel did not reach /init')
        expect(any('KT: vmcore' in x for x in segs[1]['text']),
               'no /proc/vmcore in the capture kernel')
        # Every CPU's registers, saved as it stopped, are in the dump.
        notes = [x for x in segs[1]['text'] if 'KT: vmcore notes' in x]
        expect(notes and 'prstatus %d ' % a.smp in notes[0] + ' ',
               'the vmcore does not hold the registers of %d CPUs: %s'
               % (a.smp, notes))
        # An x86 capture kernel that does not run on the CPU the firmware
        # booted (the crash was on another) leaves that CPU out on purpose:
        # an INIT to the real BSP would reset the machine.
        bsp_left = any('Disabling real BSP to prevent machine INIT' in x
                       for x in segs[1]['text'])
        # 64-bit e500: the crashed kernel's secondaries stay in it, out of
        # every spin table: the capture kernel runs on the crashing CPU.
        # (Which logical CPU it is depends on the order of the CPU nodes,
        # which kexec_file_load reverses.)
        check_next_boot(segs[0], segs[1], mmu,
                        ARCH.get('capture_cpus', a.smp - bsp_left),
                        count_only='capture_cpus' in ARCH)
        if dump:
            host_vmcore(dump, segs, a.smp)
    except Failure as e:
        print('FAIL %s: %s' % (name, e))
        print(tail(lines))
        return 1
    print('crash path: ran %s' % sorted(set(ran)))
    print('crash path: left out (not crash-safe) %s' % sorted(set(skipped)))
    print('PASS %s: capture kernel up with cpus %s; %d post-copy steps'
          % (name, sorted(segs[1]['online']), len(post)))
    return 0


# --------------------------------------------------------------- soak

def chain_records(lines, status, smp):
    """One record per kexec a QEMU session attempted: the CPUs missing in
    the next kernel, whether it never came up (a hang), and the latency from
    the kexec request to the next kernel's /init, host-timed."""
    raw = boots(lines)
    recs = []
    for k, seg in enumerate(raw):
        t_kexec = next((t for t, x in seg if 'KT: kexec ' in x), None)
        if t_kexec is None:
            continue
        nxt = raw[k + 1] if k + 1 < len(raw) else []
        t_up = next((t for t, x in nxt if 'KT: boot ' in x), None)
        info = seg_info(nxt)
        if t_up is None or info['online'] is None:
            recs.append(dict(lost=0, hang=True, secs=None, status=status,
                             stuck=[]))
            continue
        recs.append(dict(lost=smp - len(info['online']), hang=False,
                         secs=t_up - t_kexec, status=status,
                         stuck=[x for x in info['text'] if 'is stuck' in x],
                         wait=next((x for t, x in seg if re.search(
                             r'secondaries wait in (the \S+ page at|'
                             r'kernel text)', x)), None)))
    return recs


def soak(kernel, vmlinux, mmu, smp, n, starve=None, name=None, regs_on=None,
         nxt=None, append=''):
    """Run n kexecs in as many sessions as hangs force; return records.
    With nxt, one kexec per session, from vmlinux into nxt."""
    recs = []
    per = 90 if mmu == 'hash' else 45
    while len(recs) < n:
        left = 1 if nxt else n - len(recs)
        lines, status = run_qemu(name or 'soak-%s-%s' % (kernel, mmu), vmlinux,
                                 smp=smp, mmu=mmu, mem='2G',
                                 append=('kt.loops=%d ' % left) + append,
                                 timeout=60 + per * left, silence=per,
                                 starve=starve, regs_on=regs_on, nxt=nxt)
        got = chain_records(lines, status, smp)[:left]
        if not got:     # did not even reach the first kexec
            got = [dict(lost=0, hang=True, secs=None, status=status,
                        stuck=[])]
        recs += got
    return recs


def summarize(label, mmu, recs):
    secs = sorted(r['secs'] for r in recs if r['secs'] is not None)
    med = secs[len(secs) // 2] if secs else float('nan')
    return dict(kernel=label, mmu=mmu, kexecs=len(recs),
                lost=sum(r['lost'] for r in recs),
                losing=sum(1 for r in recs if r['lost'] > 0),
                hangs=sum(1 for r in recs if r['hang']),
                median=med, max=max(secs) if secs else float('nan'))


def print_table(rows):
    print('%-13s %-6s %7s %10s %16s %6s %10s %8s' %
          ('kernel', 'MMU', 'kexecs', 'lost CPUs', 'kexecs w/ loss',
           'hangs', 'median s', 'max s'))
    for r in rows:
        print('%-13s %-6s %7d %10d %16d %6d %10.2f %8.2f' %
              (r['kernel'], r['mmu'], r['kexecs'], r['lost'], r['losing'],
               r['hangs'], r['median'], r['max']))


def cmd_soak(a):
    kernels = {k: v for k, v in (('6.12', BASE_VMLINUX),
                                 ('patched', a.vmlinux or VMLINUX))
               if k in a.kernels.split(',')}
    rows = []
    for mmu in a.mmus.split(','):
        res = {k: [] for k in kernels}
        # Alternate blocks of the two kernels so that host load hits both.
        while any(len(v) < a.kexecs for v in res.values()):
            for k, vm in kernels.items():
                want = min(a.block, a.kexecs - len(res[k]))
                if want > 0:
                    res[k] += soak(k, vm, mmu, a.smp, want, a.starve)
                    s = summarize(k, mmu, res[k])
                    print('  %s %s: %d/%d kexecs, %d lost CPUs, %d hangs' %
                          (k, mmu, s['kexecs'], a.kexecs, s['lost'],
                           s['hangs']), flush=True)
        rows += [summarize(k, mmu, res[k]) for k in kernels]
    print()
    print('Soak: -smp %d, %d kexecs per kernel and MMU%s' %
          (a.smp, a.kexecs, ', vCPU %d starved' % a.starve
           if a.starve is not None else ''))
    print_table(rows)
    bad = [r for r in rows if r['kernel'] == 'patched' and
           (r['lost'] or r['hangs'])]
    return 1 if bad else 0


def cmd_starved(a):
    """The starved-vCPU reproducer: the unpatched kernel must lose the
    starved vCPU, the patched one must not."""
    rows, ok = [], True
    patched = a.vmlinux or VMLINUX
    # The patched kernel as the old one, into itself and into unpatched
    # 6.12 (a kexec into another kernel, as an upgrade is).
    for k, vm, nxt in (('6.12', BASE_VMLINUX, None),
                       ('patched', patched, None),
                       ('patched>6.12', patched, BASE_VMLINUX)):
        if k == '6.12' and a.no_reference:
            continue
        if nxt and a.no_upgrade:
            continue
        recs = soak(k, vm, a.mmu, a.smp, a.kexecs, starve=a.starve,
                    name='starved-%s-%s' % (k.replace('>', '-to-'), a.mmu),
                    nxt=nxt, append=a.append)
        r = summarize(k, a.mmu, recs)
        rows.append(r)
        if k == '6.12' and not (r['lost'] or r['hangs']):
            print('6.12 did not lose the starved vCPU: reproducer broken')
            ok = False
        if k != '6.12' and (r['lost'] or r['hangs']):
            print('patched kernel lost a CPU or hung')
            ok = False
        if k != '6.12' and a.expect_wait:
            # Where the patched kernel's secondaries waited, each kexec.
            for rec in recs:
                w = rec.get('wait') or '(no handoff line)'
                print('%s: %s' % (k, w.strip()))
                if a.expect_wait not in w:
                    print('expected the secondaries to wait in the %s' %
                          a.expect_wait)
                    ok = False
    print('Starved vCPU %d, -smp %d, %s, %d kexecs each:' %
          (a.starve, a.smp, a.mmu, a.kexecs))
    print_table(rows)
    return 0 if ok else 1


def cmd_where(a):
    """Resolve the NIP and LR of every vCPU saved by --regs-on."""
    regs = open(os.path.join(OUT, a.name + '.regs')).read()
    syms = []
    for line in subprocess.run(['nm', '-n', a.vmlinux or VMLINUX],
                               stdout=subprocess.PIPE, text=True).stdout.split('\n'):
        f = line.split()
        if len(f) == 3 and f[1].lower() in 'tw':
            syms.append((int(f[0], 16), f[2]))

    def sym(addr):
        addr |= 0xc000000000000000
        best = None
        for a_, n in syms:
            if a_ > addr:
                break
            best = (n, addr - a_)
        return '%s+0x%x' % best if best else hex(addr)

    for m in re.finditer(r'CPU#(\d+).*?NIP (\S+)\s+LR (\S+).*?MSR (\S+)'
                         r'.*?GPR00 (\S+) (\S+) (\S+) (\S+)', regs, re.S):
        cpu, nip, lr, msr = m.group(1), int(m.group(2), 16), int(m.group(3), 16), m.group(4)
        print('cpu %s: NIP %s (%s) LR %s (%s) MSR %s r3=%s' %
              (cpu, hex(nip), sym(nip), hex(lr), sym(lr), msr,
               m.group(8)))
    return 0


def expect_kunit(text, suites, mmu, status):
    """Every suite in suites reported ok, no test not ok, and (on powerpc)
    the guest ran the MMU asked for."""
    for suite in suites:
        expect(any(re.search(r'\] ok \d+ %s$' % suite, x) for x in text),
               'the %s suite did not pass (%s)' % (suite, status))
    if mmu:
        want = {'radix': 'Using radix MMU',
                'hash': 'Initializing hash mmu'}[mmu]
        expect(any(want in x for x in text), 'not the %s MMU' % mmu)
    expect(not any(re.search(r'\] +not ok ', x) for x in text),
           'a test failed')


def cmd_fixes(a):
    """The powerpc fixes alone, before the registry (mk/fixes.sh): their
    KUnit suites pass under both MMUs, and five kexecs in a row bring
    every CPU back.  Nothing of the registry is looked for."""
    vmlinux = a.vmlinux or VMLINUX
    bad = 0
    for mmu in ('radix', 'hash'):
        name = 'fixes-kunit-' + mmu
        lines, status = run_qemu(name, vmlinux, smp=a.smp, timeout=300,
                                 mmu=mmu, append='kunit.enable=1 kt.loops=0')
        text = [x for _, x in lines]
        try:
            expect_kunit(text, ('powerpc_kexec', 'powerpc_rtas_restart'),
                         mmu, status)
            print('PASS %s: powerpc_kexec and powerpc_rtas_restart, -smp %d'
                  % (name, a.smp))
        except Failure as e:
            print('FAIL %s: %s' % (name, e))
            print(tail(lines, 30))
            bad += 1
    name = 'fixes-loop%d' % a.loops
    lines, status = run_qemu(name, vmlinux, smp=a.smp, mmu='radix',
                             append='kt.loops=%d' % a.loops, mem='2G',
                             timeout=60 + 30 * a.loops)
    segs = [seg_info(x) for x in boots(lines)]
    try:
        expect(len(segs) == a.loops + 1, '%d kernels booted, want %d (%s)'
               % (len(segs), a.loops + 1, status))
        for k, s in enumerate(segs):
            expect(s['online'] == set(range(a.smp)),
                   'boot %d: cpus %s online, want all %d' %
                   (k, sorted(s['online'] or ()), a.smp))
        expect(not any('is stuck' in x for s in segs for x in s['text']),
               'a CPU was stuck')
        print('PASS %s: %d kexecs, every CPU back each time' %
              (name, a.loops))
    except Failure as e:
        print('FAIL %s: %s' % (name, e))
        print(tail(lines, 30))
        bad += 1
    bad += fixes_starved(a, vmlinux)
    bad += fixes_lockup(a, vmlinux)
    return 1 if bad else 0


def fixes_starved(a, vmlinux):
    """The starved-vCPU reproducer on the fixes: at -smp 8 with vCPU 5's
    host thread starved, 6.12 loses it (when its kernel is built) and the
    fixes do not, kexecing into themselves and into 6.12, radix then hash;
    with kexec_stop_self=0 the secondaries wait in kexec_wait, as 6.12's
    do, and the acknowledged release keeps them: the primary CPU waits
    for the starved one to leave before it enters the next kernel
    (without it, radix loses the vCPU in both kexecs; hash does not
    reproduce it in one)."""
    bad = 0
    ref = os.path.exists(BASE_VMLINUX)
    for mmu, kexecs, no_ref, append in (
            ('radix', 2, not ref, ''), ('hash', 1, True, ''),
            ('radix', 2, True, 'kexec_stop_self=0')):
        sa = argparse.Namespace(vmlinux=vmlinux, mmu=mmu, smp=8, starve=5,
                                kexecs=kexecs, no_reference=no_ref,
                                no_upgrade=not ref or append != '',
                                append=append, expect_wait=None)
        rc = cmd_starved(sa)
        name = 'fixes-starved-%s%s' % (mmu, '-' + append if append else '')
        print('%s %s' % ('FAIL' if rc else 'PASS', name))
        bad += rc != 0
    return bad


def fixes_lockup(a, vmlinux):
    """A secondary that never takes the kexec IPI (lkdtm's HARDLOCKUP spins
    on it with interrupts off): the kexec must not copy over it, but name
    it and reboot through the firmware, which QEMU's -no-reboot turns into
    an exit."""
    cpu = a.smp - 2
    return expect_firmware_reboot('fixes-lockup', vmlinux, a.smp, cpu,
                                  'kt.lockup=%d' % cpu,
                                  'cpu %d locks up' % cpu,
                                  'cpu %d was not locked up' % cpu)


def cmd_kunit(a):
    """KUnit on the end-to-end kernel, booted with kunit.enable=1 and no
    kexec: the architecture's suites pass (every one of them reported, no
    test failed), the registry's per-CPU test sees every CPU, on powerpc
    under the MMU asked for, and the test module's post-copy steps were
    refused where the architecture has no such phase.  kunit.py parses
    the log."""
    name = 'kunit-%s' % a.arch
    mmu = guest_mmu(a, a.mmu)
    if mmu:
        name += '-' + mmu
    lines, status = run_qemu(name, VMLINUX, smp=a.smp, timeout=300, mmu=mmu,
                             append='kunit.enable=1 kt.loops=0')
    text = [x for _, x in lines]
    log = os.path.join(OUT, name + '.log')
    with open(log, 'w') as f:
        f.write('\n'.join(text) + '\n')
    parse = subprocess.run([os.path.join(B, 'linux', 'tools', 'testing',
                                         'kunit', 'kunit.py'), 'parse', log],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    print('\n'.join(x for x in parse.stdout.splitlines()
                    if 'Testing complete' in x or 'FAILED' in x or
                    any(s in x for s in ARCH['suites']) and '=' in x))
    try:
        expect_kunit(text, ARCH['suites'], mmu, status)
        expect(parse.returncode == 0, 'kunit.py parse failed')
        want = 'secondary phase ran on %d online CPUs' % a.smp
        expect(any(want in x for x in text), 'no "%s"' % want)
        if not ARCH['post_copy']:
            expect(any(re.search(r'test:post-copy-\S+: refused', x)
                       for x in text), 'a post-copy step was not refused')
    except Failure as e:
        print('FAIL %s: %s' % (name, e))
        print(tail(lines, 30))
        return 1
    print('PASS %s: %s, -smp %d, log %s' %
          (name, ', '.join(ARCH['suites']), a.smp, os.path.relpath(log)))
    return 0


def cmd_demo(a):
    vmlinux = a.vmlinux or VMLINUX
    mmu = guest_mmu(a, a.mmu)
    if ARCH['post_copy']:
        where = 'qemu-system-ppc64 -M pseries -smp %d (%s MMU)' % (a.smp, mmu)
    else:
        where = 'qemu-system-x86_64 -M q35 -smp %d (TCG)' % a.smp
    print('Booting %s in %s, then kexec into itself...' %
          (os.path.relpath(vmlinux), where))
    lines, status = run_qemu('demo', vmlinux, smp=a.smp, mmu=a.mmu,
                             append='kt.loops=1', timeout=240)
    segs = [seg_info(s) for s in boots(lines)]
    print('\n== Registered teardown steps (debugfs kexec_teardown/registrations, '
          'first kernel)')
    for x in (segs[0]['text'] if segs else []):
        if 'KT: reg' in x:
            print('  ' + x.split('KT: reg ', 1)[1])
    print('\n== The teardown as it ran (phase, cpu, step, outcome), in order')
    for s in segs[0]['steps'] if segs else []:
        print('  %7.3fs  %-10s cpu %d (hw %s)  %-26s %s' %
              (s['t'], s['phase'], s['cpu'], s['hw'], s['name'], s['outcome']))
    print('\n== The new kernel')
    for x in (segs[1]['text'] if len(segs) > 1 else []):
        if x.startswith('KT:') and 'KT: reg' not in x or '] Linux version' in x:
            print('  ' + x)
    try:
        check_chain(lines, status, mmu, a.smp, 1)
    except Failure as e:
        print('\nFAILED: %s\n%s' % (e, tail(lines)))
        return 1
    print('\nOK: the registry ran every phase in registered order on every '
          'CPU, and the new kernel came up with all %d CPUs online.' % a.smp)
    print('Full console: %s' % os.path.relpath(os.path.join(OUT, 'demo.console')))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('cmd', choices=['demo', 'test', 'soak', 'starved', 'where',
                                    'kunit', 'fixes'])
    ap.add_argument('--arch', default='ppc64le', choices=sorted(ARCHS),
                    help='the guest architecture (default ppc64le)')
    ap.add_argument('name', nargs='?', default='radix')
    ap.add_argument('--smp', type=int, default=4)
    ap.add_argument('--loops', type=int, default=5)
    ap.add_argument('--mmu', default='radix', choices=['radix', 'hash'])
    ap.add_argument('--vmlinux')
    ap.add_argument('--starve', type=int)
    ap.add_argument('--no-upgrade', action='store_true',
                    help='starved: not into unpatched 6.12 as well')
    ap.add_argument('--no-reference', action='store_true',
                    help='starved: leave out the unpatched 6.12 reference')
    ap.add_argument('--expect-wait', metavar='WHERE',
                    help='starved: the patched kernel must say its '
                    'secondaries wait in WHERE (e.g. "reserved page")')
    ap.add_argument('--kexec-tools', action='store_true',
                    help="load with Debian's kexec-tools (kexec_load and "
                    "its purgatory) instead of kexec_file_load")
    ap.add_argument('--next-base', action='store_true',
                    help='the first kexec goes into unpatched 6.12')
    ap.add_argument('--kexecs', type=int, default=50)
    ap.add_argument('--block', type=int, default=10)
    ap.add_argument('--mmus', default='radix,hash')
    ap.add_argument('--kernels', default='6.12,patched',
                    help='soak: which kernels (default 6.12,patched)')
    ap.add_argument('--regs-on', help='save all vCPU registers at this line')
    ap.add_argument('--append', default='',
                    help='more kernel parameters (test crash)')
    a = ap.parse_args()
    global ARCH, VMLINUX, BASE_VMLINUX
    ARCH = ARCHS[a.arch]
    VMLINUX, BASE_VMLINUX = ARCH['kernel'], ARCH['base']
    sys.exit({'demo': cmd_demo, 'test': cmd_test, 'soak': cmd_soak,
              'starved': cmd_starved, 'where': cmd_where,
              'kunit': cmd_kunit, 'fixes': cmd_fixes}[a.cmd](a))


if __name__ == '__main__':
    main()
