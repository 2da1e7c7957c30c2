#!/usr/bin/env python3
"""make bench: does the series make kexec slower?

1. kexec latency, unpatched 6.12 against the series, same config, same
   QEMU (-M pseries, radix, TCG), for -smp 1, 2, 4 and 8: QEMU sessions of
   KEXECS back-to-back kexecs, alternating the two kernels (A B A B ...),
   ROUNDS sessions each.  Latency: from the guest's "KT: kexec" line,
   printed just before reboot(LINUX_REBOOT_CMD_KEXEC), to the next
   kernel's first console line (its printk banner), both timestamped on
   the host.  Both kernels run at the default console log level.
2. The patched kernel's own figures (kexec_timing=1): time until every
   secondary is parked, the longest secondary phase, primary and post-copy.
3. Dispatch cost in the userspace harness, in instructions (callgrind).

   The same with the hash MMU (disable_radix) for HASH_SMPS: there the
   primary clears the hash table after the copy while the secondaries wait.
   And x86_64 for X86_SMPS: qemu-system-x86_64 -M q35 (TCG), the x86_64
   guest kernels of unpatched 6.12 and of the series, same config (rows
   "x86").
Writes build/bench/latency.csv, phases.csv, summary.txt and latency.png.
Environment: ROUNDS (default 2), KEXECS (default 3), SMPS (default 1,2,4,8),
HASH_SMPS (default 8), X86_SMPS (default 1,4); empty for none.
"""
import csv
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'e2e'))
import kt  # noqa: E402

OUT = os.path.join(kt.B, 'bench')
KERNELS = (('6.12', kt.BASE_VMLINUX),
           ('patched', kt.VMLINUX))
TIMING_RE = re.compile(r'kexec: timing: (.*?):? (\d+) us')


def session(kernel, vmlinux, mmu, smp, kexecs, tag):
    # mmu "x86": the x86_64 guest, whose kernels kt.ARCHS names.
    kt.ARCH = kt.ARCHS['x86_64' if mmu == 'x86' else 'ppc64le']
    if mmu == 'x86':
        vmlinux = kt.ARCH['base' if kernel == '6.12' else 'kernel']
    lines, status = kt.run_qemu('bench-%s-%s-smp%d-%s' % (kernel, mmu, smp, tag),
                                vmlinux, smp=smp, mem='2G', mmu=mmu,
                                append='kt.loops=%d kexec_timing=1' % kexecs,
                                timeout=60 + 60 * kexecs, silence=60,
                                verbose=False)
    segs = kt.boots(lines)
    lat, phases = [], []
    for k in range(len(segs) - 1):
        t0 = next((t for t, x in segs[k] if 'KT: kexec ' in x), None)
        if t0 is None:
            continue
        t1 = segs[k + 1][0][0]        # the next kernel's first line
        lat.append(t1 - t0)
        ph = {}
        for _, x in segs[k]:
            m = TIMING_RE.search(x)
            if not m:
                continue
            what, us = m.group(1), int(m.group(2))
            if what.startswith('secondary phase'):
                ph['secondary max'] = max(ph.get('secondary max', 0), us)
            elif what.startswith('secondaries parked'):
                ph['parked'] = us
            else:
                ph[what.replace(' phase', '')] = us
        phases.append(ph)
    if len(lat) != kexecs:
        print('  %s %s -smp %d: %d of %d kexecs measured (%s)' %
              (kernel, mmu, smp, len(lat), kexecs, status))
    return lat, phases


def harness_dispatch():
    tree = os.path.join(kt.B, 'linux', 'tools', 'testing', 'kexec_teardown')
    p = subprocess.run(['make', '-s', '-C', tree, 'bench'],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    subprocess.run(['make', '-s', '-C', tree, 'clean'],
                   stdout=subprocess.DEVNULL)
    return p.stdout.strip()


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        return 'matplotlib missing: no plot (apt-get install python3-matplotlib)'
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    for kernel, style in (('6.12', 'o--'), ('patched', 's-')):
        r = [x for x in rows if x['kernel'] == kernel]
        ax.errorbar([x['smp'] for x in r], [x['median'] for x in r],
                    yerr=[[x['median'] - x['min'] for x in r],
                          [x['max'] - x['median'] for x in r]],
                    fmt=style, capsize=4, label=kernel)
    ax.set_xlabel('CPUs (-smp)')
    ax.set_ylabel('kexec -e to next kernel\'s first line (s)')
    ax.set_xscale('log', base=2)
    ax.set_xticks([x['smp'] for x in rows if x['kernel'] == 'patched'])
    ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.set_ylim(bottom=0)
    ax.set_title('kexec latency, qemu -M pseries (TCG), median, min-max')
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    return 'plot: %s' % os.path.relpath(path, kt.ROOT)


def main():
    rounds = int(os.environ.get('ROUNDS', 2))
    kexecs = int(os.environ.get('KEXECS', 3))
    smps = [int(x) for x in os.environ.get('SMPS', '1,2,4,8').split(',') if x]
    hash_smps = [int(x) for x in os.environ.get('HASH_SMPS', '8').split(',')
                 if x]
    x86_smps = [int(x) for x in os.environ.get('X86_SMPS', '1,4').split(',')
                if x]
    configs = ([('radix', s) for s in smps] + [('hash', s) for s in hash_smps] +
               [('x86', s) for s in x86_smps])
    os.makedirs(OUT, exist_ok=True)
    lat = {(k, c): [] for k, _ in KERNELS for c in configs}
    phases = {c: [] for c in configs}
    raw = []
    for c in configs:
        mmu, smp = c
        for r in range(rounds):
            for kernel, vmlinux in KERNELS:     # A B A B
                l, ph = session(kernel, vmlinux, mmu, smp, kexecs, 'r%d' % r)
                lat[(kernel, c)] += l
                raw += [(kernel, mmu, smp, r, i, x) for i, x in enumerate(l)]
                if kernel == 'patched':
                    phases[c] += ph
        print('  %s -smp %d done' % c, flush=True)

    with open(os.path.join(OUT, 'latency.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['kernel', 'mmu', 'smp', 'session', 'kexec', 'seconds'])
        w.writerows([(k, m, s, r, i, '%.3f' % x) for k, m, s, r, i, x in raw])

    rows, out = [], []
    out.append('kexec latency, -M pseries (radix, hash) and x86_64 -M q35 '
               '(x86), TCG, %d sessions x %d kexecs per kernel, MMU and CPU '
               'count, alternating' % (rounds, kexecs))
    out.append('%-6s %-5s %-8s %4s %9s %9s %9s %8s' %
               ('mmu', 'smp', 'kernel', 'n', 'median s', 'min s', 'max s',
                'ratio'))
    for c in configs:
        mmu, smp = c
        med = {}
        for kernel, _ in KERNELS:
            v = lat[(kernel, c)]
            if not v:
                continue
            med[kernel] = statistics.median(v)
            if mmu == 'radix':
                rows.append(dict(kernel=kernel, smp=smp, median=med[kernel],
                                 min=min(v), max=max(v)))
        for kernel, _ in KERNELS:
            v = lat[(kernel, c)]
            if not v:
                out.append('%-6s %-5d %-8s    0' % (mmu, smp, kernel))
                continue
            ratio = ('%8.2f' % (med['patched'] / med['6.12'])
                     if kernel == 'patched' and '6.12' in med else '')
            out.append('%-6s %-5d %-8s %4d %9.3f %9.3f %9.3f %s' %
                       (mmu, smp, kernel, len(v), statistics.median(v), min(v),
                        max(v), ratio))

    out.append('')
    out.append('patched kernel, kexec_timing=1, median of the kexecs (us)')
    out.append('%-6s %-5s %16s %16s %8s %10s' %
               ('mmu', 'smp', 'all parked', 'secondary max', 'primary',
                'post-copy'))
    with open(os.path.join(OUT, 'phases.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['mmu', 'smp', 'kexec', 'parked_us', 'secondary_max_us',
                    'primary_us', 'post_copy_us'])
        for c in configs:
            mmu, smp = c
            for i, ph in enumerate(phases[c]):
                w.writerow([mmu, smp, i, ph.get('parked', ''),
                            ph.get('secondary max', ''), ph.get('primary', ''),
                            ph.get('post-copy', '')])

            def m(key):
                v = [ph[key] for ph in phases[c] if key in ph]
                return '%d' % statistics.median(v) if v else '-'
            out.append('%-6s %-5d %16s %16s %8s %10s' %
                       (mmu, smp, m('parked'), m('secondary max'), m('primary'),
                        m('post-copy')))

    out.append('')
    out.append('dispatch cost, userspace harness (callgrind instructions)')
    out.append(harness_dispatch())
    out.append('')
    out.append(plot(rows, os.path.join(OUT, 'latency.png')))
    text = '\n'.join(out)
    print(text)
    open(os.path.join(OUT, 'summary.txt'), 'w').write(text + '\n')


if __name__ == '__main__':
    main()
