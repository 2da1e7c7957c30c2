#!/usr/bin/env python3
"""Call-graph check of the code a 64-bit powerpc kernel runs after the kexec
copy: objtool's noinstr validation, for the post-copy path.

    check.py BUILD_DIR [OBJECT]

BUILD_DIR is a kernel build directory (O=); OBJECT defaults to its
vmlinux.o (the whole kernel before the final link, with its relocations,
so that every call names its target).  The roots are:

  - the callback of every teardown step of the post-copy phase, found from
    the registry's descriptors in the object: a struct kexec_teardown in
    data whose phase is KEXEC_TEARDOWN_POST_COPY (the field offsets come
    from the kernel's own headers, compiled with the build's flags);
  - every mmu_hash_ops.hpte_clear_all implementation and every post-copy
    console given to kexec_teardown_set_post_copy_output() (names taken
    from the source tree: they are stored by code, not in data);
  - the architecture's own post-copy entry, kexec_post_copy().

From each root the check follows every direct call and tail call in
"objdump -dr" and fails on anything reachable that
  - is not in core kernel text: undefined in the object (a module, or
    nothing), or in init text;
  - is instrumentation: __asan_*, __kasan_*, __tsan_*, __ubsan_handle_*,
    __sanitizer_cov_*, _mcount, __fentry__;
  - prints, locks, allocates or may sleep: printk and friends, spinlock,
    mutex, rwsem and semaphore entry points, the slab, page and vmalloc
    allocators, might_sleep(), schedule();
  - reads the per-CPU offset (a load of paca->data_offset through r13).
Indirect calls (bctrl, and bctr out of a function) are reported; those in
the functions listed in indirect.allow next to this script are expected
(the registry's own dispatch of the roots).  Exit status 1 on a finding.

What it cannot see: calls made through a pointer it does not know the
target of (reported, not followed), code reached only by an exception,
and stores that corrupt memory; it sees the code the compiler emitted,
after inlining and instrumentation, which source patterns cannot.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
POST_COPY = 3           # enum kexec_teardown_phase

INSTRUMENTATION = re.compile(r'^(__asan_|__kasan_|__tsan_|__ubsan_handle_|'
                             r'__sanitizer_cov_|_mcount$|__fentry__$|'
                             r'ftrace_caller$|__gcov_)')
FORBIDDEN = [
    ('printk', re.compile(r'^(_?printk|vprintk|_printk_deferred|'
                          r'printk_deferred|__warn_printk|dump_stack|'
                          r'early_printk|udbg_printf)')),
    ('lock', re.compile(r'^(_raw_(spin|read|write)_(try)?lock|'
                        r'mutex_(try)?lock|__mutex_lock|down(_\w+)?$|'
                        r'down_(read|write)|rt_mutex_lock|'
                        r'queued_(spin|read|write)_lock|'
                        r'do_raw_spin_lock|arch_spin_lock)')),
    ('allocator', re.compile(r'^(__?kmalloc|kmalloc|kzalloc|krealloc|'
                             r'kmem_cache_alloc|__alloc_pages|alloc_pages|'
                             r'__get_free_pages|get_zeroed_page|vmalloc|'
                             r'__vmalloc|kvmalloc|kfree$|vfree$|'
                             r'memblock_alloc|slab_)')),
    ('sleep', re.compile(r'^(__might_sleep|__might_resched|might_fault|'
                         r'__cond_resched|_cond_resched|schedule|'
                         r'msleep|usleep_range|ssleep|wait_for_completion)')),
    ('panic', re.compile(r'^(panic|nmi_panic|__bug_table|do_exit|'
                         r'machine_restart|emergency_restart)$')),
]

R_PPC64_ADDR64 = 38
R_PPC64_REL24 = 10
R_PPC64_REL24_NOTOC = 116


# ------------------------------------------------------------------ ELF

class Elf:
    """Just enough of an ELF64 relocatable object: sections, symbols,
    RELA relocations."""

    def __init__(self, path):
        d = self.d = open(path, 'rb').read()
        if d[:4] != b'\x7fELF' or d[4] != 2:
            raise SystemExit('%s: not an ELF64 object' % path)
        self.e = '<' if d[5] == 1 else '>'
        e = self.e
        shoff, = struct.unpack_from(e + 'Q', d, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(e + 'HHH', d, 0x3a)
        self.sh = []
        for i in range(shnum):
            (name, typ, flags, addr, off, size, link, info, align,
             entsize) = struct.unpack_from(e + 'IIQQQQIIQQ', d,
                                           shoff + i * shentsize)
            self.sh.append(dict(name=name, type=typ, off=off, size=size,
                                link=link, info=info, entsize=entsize))
        strtab = self.sh[shstrndx]
        for s in self.sh:
            s['name'] = self.cstr(strtab['off'] + s['name'])
        self.syms = []
        for s in self.sh:
            if s['type'] == 2:      # SHT_SYMTAB
                stroff = self.sh[s['link']]['off']
                for j in range(s['size'] // 24):
                    name, info, other, shndx, value, size = struct.unpack_from(
                        e + 'IBBHQQ', d, s['off'] + j * 24)
                    self.syms.append(dict(name=self.cstr(stroff + name),
                                          type=info & 0xf, bind=info >> 4,
                                          shndx=shndx, value=value,
                                          size=size))

    def cstr(self, off):
        end = self.d.index(b'\0', off)
        return self.d[off:end].decode('latin-1')

    def relas(self):
        """Yield (target section index, offset, type, symbol, addend)."""
        e = self.e
        for s in self.sh:
            if s['type'] != 4:      # SHT_RELA
                continue
            for j in range(s['size'] // 24):
                off, info, addend = struct.unpack_from(
                    e + 'QQq', self.d, s['off'] + j * 24)
                yield s['info'], off, info & 0xffffffff, self.syms[info >> 32], addend

    def u32(self, shndx, off):
        s = self.sh[shndx]
        if s['type'] == 8 or off + 4 > s['size']:   # SHT_NOBITS
            return None
        return struct.unpack_from(self.e + 'I', self.d, s['off'] + off)[0]

    def func_at(self, shndx, value):
        """The function symbol of section shndx that contains value."""
        best = None
        for sym in self.funcs_by_sec.get(shndx, ()):
            if sym['value'] <= value < sym['value'] + max(sym['size'], 1):
                best = sym
        return best

    def index_funcs(self):
        self.funcs_by_sec = {}
        for sym in self.syms:
            if sym['type'] == 2 and sym['shndx'] not in (0, 0xfff1, 0xfff2):
                self.funcs_by_sec.setdefault(sym['shndx'], []).append(sym)


# ------------------------------------------------------- build helpers

def kernel_cc(build, src, out, mode, extra=()):
    """Compile src as the build compiled kernel/kexec_teardown.o."""
    cmd = open(os.path.join(build, 'kernel', '.kexec_teardown.o.cmd')).readline()
    cmd = cmd.split(':=', 1)[1].strip()
    cmd = re.sub(r'-Wp,-MMD,\S+', '', cmd)
    cmd = re.sub(r' -c -o \S+ \S+$', '', cmd)
    cmd += ' %s %s -o %s %s' % (mode, ' '.join(extra), out, src)
    subprocess.run(cmd, shell=True, cwd=build, check=True)


def offsets(build):
    """Field offsets the check needs, from the kernel's own headers."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, 'offsets.c')
        with open(src, 'w') as f:
            f.write('''#include <linux/kexec_teardown.h>
#include <linux/stddef.h>
#include <asm/paca.h>
#define D(s, v) asm volatile("\\n.ascii \\"->" #s " %0\\"" : : "i" (v))
void kt_offsets(void);
void kt_offsets(void)
{
	D(TD_NAME, offsetof(struct kexec_teardown, name));
	D(TD_PHASE, offsetof(struct kexec_teardown, phase));
	D(TD_FLAGS, offsetof(struct kexec_teardown, flags));
	D(TD_FN, offsetof(struct kexec_teardown, fn));
	D(PACA_DATA_OFFSET, offsetof(struct paca_struct, data_offset));
}
''')
        out = os.path.join(tmp, 'offsets.s')
        kernel_cc(build, src, out, '-S')
        return {m.group(1): int(m.group(2).lstrip('$#'), 0)
                for m in re.finditer(r'->(\w+) \$?#?(-?\w+)', open(out).read())}


def source_roots(srctree):
    """hpte_clear_all implementations and post-copy consoles, by name."""
    names = set()
    out = subprocess.run(['git', '-C', srctree, 'grep', '-hoE',
                          r'(hpte_clear_all\s*=\s*\w+|'
                          r'kexec_teardown_set_post_copy_output\(\w+\))',
                          '--', 'arch/', 'drivers/'],
                         stdout=subprocess.PIPE, text=True).stdout
    for m in re.finditer(r'(?:=\s*|\()(\w+)', out):
        if m.group(1) not in ('NULL', 'puts'):
            names.add(m.group(1))
    return names


# ------------------------------------------------------------ analysis

def descriptor_roots(elf, off):
    """Callbacks of post-copy descriptors, from the relocations in data."""
    relocs = {}
    for shndx, o, typ, sym, addend in elf.relas():
        if typ == R_PPC64_ADDR64:
            relocs[(shndx, o)] = (sym, addend)
    roots = set()
    for (shndx, o), (sym, addend) in relocs.items():
        name = elf.sh[shndx]['name']
        if not name.startswith(('.data', '.rodata')):
            continue
        base = o - off['TD_FN']
        if (shndx, base + off['TD_NAME']) not in relocs:
            continue
        if elf.u32(shndx, base + off['TD_PHASE']) != POST_COPY:
            continue
        flags = elf.u32(shndx, base + off['TD_FLAGS'])
        if flags is None or flags > 3:
            continue
        if sym['type'] == 2:
            roots.add(sym['name'])
        else:       # a section symbol plus an offset: a static function
            f = elf.func_at(sym['shndx'], sym['value'] + addend)
            if f:
                roots.add(f['name'])
    return roots


FUNC_RE = re.compile(r'^([0-9a-f]+) <(.+)>:$')
INSN_RE = re.compile(r'^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$')
RELOC_RE = re.compile(r'^\s*([0-9a-f]+): (R_PPC64_\w+)\s+(\S+)$')


def disassemble(obj, cross):
    """{function: [(insn, operands, reloc symbol or None)]}; duplicates of
    a static name are merged (the check is then conservative)."""
    p = subprocess.Popen([cross + 'objdump', '-dr', '--no-show-raw-insn', obj],
                         stdout=subprocess.PIPE, text=True)
    funcs, cur, last = {}, None, None
    for line in p.stdout:
        line = line.rstrip('\n')
        m = FUNC_RE.match(line)
        if m:
            cur = funcs.setdefault(m.group(2), [])
            last = None
            continue
        if cur is None:
            continue
        m = RELOC_RE.match(line)
        if m and last is not None:
            target = re.sub(r'[+-]0x[0-9a-f]+$', '', m.group(3))
            cur[last] = (cur[last][0], cur[last][1], m.group(2), target)
            continue
        m = INSN_RE.match(line)
        if m:
            cur.append((m.group(2), m.group(3), None, None))
            last = len(cur) - 1
    p.wait()
    return funcs


def call_target(insn, ops, reloc, rsym):
    """The function a bl/b goes to, or None."""
    if insn not in ('bl', 'b', 'bla', 'ba'):
        return None
    if reloc in ('R_PPC64_REL24', 'R_PPC64_REL24_NOTOC') and rsym:
        if rsym.startswith('.'):    # a section: the operand names it
            m = re.search(r'<([^>+]+)', ops)
            return m.group(1) if m else None
        return rsym
    m = re.search(r'<([^>+]+)(\+0x[0-9a-f]+)?>', ops)
    return m.group(1) if m else None


def classify(name, elf_defined, init_funcs):
    if INSTRUMENTATION.match(name):
        return 'instrumented'
    for cls, rx in FORBIDDEN:
        if rx.match(name):
            return cls
    if name in init_funcs:
        return 'init text'
    if name not in elf_defined:
        return 'not in core kernel text'
    return None


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    build = os.path.abspath(sys.argv[1])
    obj = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else \
        os.path.join(build, 'vmlinux.o')
    srctree = os.readlink(os.path.join(build, 'source')) \
        if os.path.islink(os.path.join(build, 'source')) else None
    cross = os.environ.get('CROSS_COMPILE', 'powerpc64le-linux-gnu-')
    elf = Elf(obj)
    elf.index_funcs()
    off = offsets(build)
    roots = descriptor_roots(elf, off)
    if srctree and os.environ.get('KT_NO_SOURCE_ROOTS') != '1':
        roots |= source_roots(srctree)
    roots.add('kexec_post_copy')
    defined = {s['name'] for s in elf.syms if s['type'] == 2 and s['shndx'] != 0}
    init_funcs = {s['name'] for s in elf.syms if s['type'] == 2 and
                  s['shndx'] not in (0, 0xfff1, 0xfff2) and
                  elf.sh[s['shndx']]['name'].startswith('.init')}
    funcs = disassemble(obj, cross)
    roots = {r for r in roots if r in funcs}
    allow = set()
    path = os.path.join(HERE, 'indirect.allow')
    if os.path.exists(path):
        allow = {l.split('#')[0].strip() for l in open(path)} - {''}
    pcpu = re.compile(r'^r\d+,%d\(r13\)$' % off['PACA_DATA_OFFSET'])

    findings, seen, indirect = [], {}, []
    work = [(r, (r,)) for r in sorted(roots)]
    reported = set()
    while work:             # breadth first: the shortest path is shown
        fn, path = work.pop(0)
        if fn in seen:
            continue
        seen[fn] = path
        for insn, ops, reloc, rsym in funcs.get(fn, ()):
            if insn in ('ld', 'ldx') and pcpu.match(ops.replace(' ', '')):
                if (fn, 'pcpu') not in reported:
                    reported.add((fn, 'pcpu'))
                    findings.append((path, 'per-CPU offset', 'reads '
                                     'paca->data_offset: %s %s' % (insn, ops)))
            if insn in ('bctrl', 'bctr'):
                if fn not in allow and (fn, insn) not in reported:
                    reported.add((fn, insn))
                    indirect.append((path, insn))
                continue
            t = call_target(insn, ops, reloc, rsym)
            if not t or t == fn:
                continue
            cls = classify(t, defined, init_funcs)
            if cls:
                if (fn, t) not in reported:
                    reported.add((fn, t))
                    findings.append((path, cls, 'calls %s' % t))
                continue
            if t in funcs:
                work.append((t, path + (t,)))

    print('post-copy roots (%d): %s' % (len(roots), ' '.join(sorted(roots))))
    print('reachable functions: %d' % len(seen))
    for path, cls, what in findings:
        print('FINDING %s: %s: %s' % (cls, ' -> '.join(path), what))
    for path, insn in indirect:
        print('FINDING indirect call: %s: %s' % (' -> '.join(path), insn))
    n = len(findings) + len(indirect)
    print('%d finding(s)' % n)
    return 1 if n else 0


if __name__ == '__main__':
    sys.exit(main())
