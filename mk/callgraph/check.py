#!/usr/bin/env python3
"""Call-graph check of the code a 64-bit powerpc kernel runs after the kexec
copy: objtool's noinstr validation, for the post-copy path.

    check.py [--reachable OUT] BUILD_DIR [OBJECT [EXTRA_OBJECT...]]
    check.py --compile BUILD_DIR SOURCE OUTPUT [CFLAGS...]
    check.py --instr BUILD_DIR REACHABLE RUNTIMES

BUILD_DIR is a kernel build directory (O=); OBJECT defaults to its
vmlinux.o (the whole kernel before the final link, with its relocations,
so that every call names its target).  EXTRA_OBJECTs are checked as if
linked into it: run.sh uses that for the planted violations (planted.c).
The roots are:

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
  - panics, or has a stack protector's canary check (it calls
    __stack_chk_fail(), whose failure path panics): every such function
    is named, not only the first path to panic();
  - reads the per-CPU offset (a load of paca->data_offset through r13).
Indirect calls (bctrl, and bctr out of a function) are reported; those in
the functions listed in indirect.allow next to this script are expected
(the registry's own dispatch of the roots).  A function listed in
realmode.allow is followed only into the callees listed with it: what it
calls with the MMU on only (opal_call() enters OPAL directly in real
mode), each with the reason.  Exit status 1 on a finding.

What it cannot see: calls made through a pointer it does not know the
target of (reported, not followed), code reached only by an exception,
and stores that corrupt memory; it sees the code the compiler emitted,
after inlining and instrumentation, which source patterns cannot.

--reachable OUT writes the functions reachable from the roots to OUT, one
a line: "function<TAB>object<TAB>source<TAB>caller", the caller being the
function it was first reached from, or "root"; the object (relative to
BUILD_DIR) found among the members of the archives vmlinux.o was linked
from (its .vmlinux.o.cmd) by their symbol tables, the source (relative to
the source tree) from the object's kbuild .cmd file.  A static name
defined in several objects gets a line for each (the check is then
conservative); one found in none (a planted object) gets "-".

--instr checks another build of the same sources, in the same
configuration plus instrumentation (mk/instr/check.sh): the objects of
REACHABLE are disassembled with their relocations (they must all be
there), the call graph is walked again in them from the roots of
REACHABLE (a clone of a function, name.constprop.0 and the like, stands
for it), and every function reached that calls or addresses a symbol
matching the regex RUNTIMES is reported with its object and the symbols.
GCOV adds no calls: a function it instrumented has a __gcov_.<name>
record, and counters inlined from another function (an __always_inline
helper's) are found through the code's relocations into __gcov0.<name>.
A call to a function in none of the objects and not in REACHABLE is
reported as unchecked (what this build reaches that the other did not);
one to __stack_chk_fail is the call-graph check's business and only
noted.  realmode.allow is honoured.  Exit status 1 on a finding.
"""
import os
import pickle
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
    # A canary check: its failure path panics.  A class of its own, so
    # that every function that has one is named, not only the first.
    ('stack protector', re.compile(r'^__stack_chk_fail$')),
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
    """Compile src as the build compiled kernel/kexec_teardown.o (or, in a
    kernel without the registry, kernel/kexec_core.o)."""
    cmdfile = os.path.join(build, 'kernel', '.kexec_teardown.o.cmd')
    if not os.path.exists(cmdfile):
        cmdfile = os.path.join(build, 'kernel', '.kexec_core.o.cmd')
    cmd = open(cmdfile).readline()
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
            f.write('''#include <linux/stddef.h>
#if __has_include(<linux/kexec_teardown.h>)
#include <linux/kexec_teardown.h>
#define KT_REGISTRY
#endif
#include <asm/paca.h>
#define D(s, v) asm volatile("\\n.ascii \\"->" #s " %0\\"" : : "i" (v))
void kt_offsets(void);
void kt_offsets(void)
{
#ifdef KT_REGISTRY
	D(TD_NAME, offsetof(struct kexec_teardown, name));
	D(TD_PHASE, offsetof(struct kexec_teardown, phase));
	D(TD_FLAGS, offsetof(struct kexec_teardown, flags));
	D(TD_FN, offsetof(struct kexec_teardown, fn));
	D(TD_DATA, offsetof(struct kexec_teardown, data));
#endif
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
    p = subprocess.run(['git', '-C', srctree, 'grep', '-hoE',
                        r'(hpte_clear_all\s*=\s*\w+|'
                        r'kexec_teardown_set_post_copy_output\(\w+\))',
                        '--', 'arch/', 'drivers/'],
                       stdout=subprocess.PIPE, text=True)
    # Every powerpc tree has hpte_clear_all implementations: finding none
    # means the search did not run, and the check would miss roots.
    if p.returncode or not p.stdout:
        sys.exit('check.py: no hpte_clear_all implementation found in %s'
                 % srctree)
    out = p.stdout
    for m in re.finditer(r'(?:=\s*|\()(\w+)', out):
        if m.group(1) not in ('NULL', 'puts'):
            names.add(m.group(1))
    return names


# ------------------------------------------------------------ analysis

def descriptor_roots(elf, off):
    """Callbacks of post-copy descriptors, from the relocations in data."""
    if 'TD_FN' not in off:      # a kernel without the registry
        return set()
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
        f = sym if sym['type'] == 2 else \
            elf.func_at(sym['shndx'], sym['value'] + addend)
        if f:
            roots.add(f['name'])
        # A step that calls through an ops table passed as its data
        # (PS3's, so that KUnit can fake lv1): what the table points to
        # runs after the copy too.
        data = relocs.get((shndx, base + off['TD_DATA']))
        if data:
            roots |= table_functions(elf, relocs, *data)
    return roots


def table_functions(elf, relocs, sym, addend):
    """Functions a data object (sym + addend) points to."""
    if sym['type'] == 1:            # STT_OBJECT
        shndx, start, size = sym['shndx'], sym['value'], sym['size']
    elif sym['type'] == 3:          # STT_SECTION: find the object there
        shndx, start, size = sym['shndx'], sym['value'] + addend, 0
        for o in elf.syms:
            if o['type'] == 1 and o['shndx'] == shndx and \
               o['value'] <= start < o['value'] + o['size']:
                start, size = o['value'], o['size']
        if not size:
            return set()
    else:
        return set()
    names = set()
    for o in range(start, start + size, 8):
        r = relocs.get((shndx, o))
        if not r:
            continue
        t, a = r
        f = t if t['type'] == 2 else \
            elf.func_at(t['shndx'], t['value'] + a) if t['shndx'] else None
        if f:
            names.add(f['name'])
    return names


FUNC_RE = re.compile(r'^([0-9a-f]+) <(.+)>:$')
INSN_RE = re.compile(r'^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$')
RELOC_RE = re.compile(r'^\s*([0-9a-f]+): (R_PPC64_\w+)\s+(\S+)$')


def disassemble(obj, cross, resolve=None):
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
            target = m.group(3)
            r = re.match(r'^(.*?)([+-]0x[0-9a-f]+)?$', target)
            target, addend = r.group(1), int(r.group(2) or '0', 16)
            if target.startswith('.') and resolve:
                # A section plus an offset (a static function of another
                # section, say init text): name the function there.
                target = resolve(target, addend) or target
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


def load_object(obj, off, cross):
    """Descriptor roots, defined and init-text functions, and the
    disassembly of one object; cached next to it (a vmlinux.o takes
    seconds to disassemble, and run.sh checks it several times)."""
    st = os.stat(obj)
    key = (st.st_mtime_ns, st.st_size, sorted(off.items()), 2)
    cache = obj + '.callgraph.pickle'
    try:
        with open(cache, 'rb') as f:
            k, data = pickle.load(f)
        if k == key:
            return data
    except (OSError, EOFError, pickle.UnpicklingError, ValueError):
        pass
    elf = Elf(obj)
    elf.index_funcs()
    defined = {s['name'] for s in elf.syms if s['type'] == 2 and s['shndx'] != 0}
    init_funcs = {s['name'] for s in elf.syms if s['type'] == 2 and
                  s['shndx'] not in (0, 0xfff1, 0xfff2) and
                  elf.sh[s['shndx']]['name'].startswith('.init')}
    secs = {sh['name']: i for i, sh in enumerate(elf.sh)}

    def resolve(sec, addend):
        f = elf.func_at(secs[sec], addend) if sec in secs else None
        return f['name'] if f else None

    data = (descriptor_roots(elf, off), defined, init_funcs,
            disassemble(obj, cross, resolve))
    try:
        with open(cache, 'wb') as f:
            pickle.dump((key, data), f, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass
    return data


def read_allow(name):
    """Lines of an allow file next to this script, comments dropped."""
    path = os.path.join(HERE, name)
    if not os.path.exists(path):
        return []
    return [l.split('#')[0].split() for l in open(path)
            if l.split('#')[0].strip()]


# ------------------------------------------------- the reachable set

FUNC_TYPES = set('tTW')


def vmlinux_objects(build, cross):
    """The objects vmlinux.o was linked from, relative to build: the
    members of the archives on its link command."""
    archives = ['vmlinux.a']
    try:
        cmd = open(os.path.join(build, '.vmlinux.o.cmd')).readline()
        archives = [a for a in cmd.split() if a.endswith('.a')] or archives
    except OSError:
        pass
    objs = []
    for a in archives:
        if not os.path.exists(os.path.join(build, a)):
            continue
        p = subprocess.run([cross + 'ar', 't', a], cwd=build, check=True,
                           stdout=subprocess.PIPE, text=True)
        objs += [os.path.normpath(o) for o in p.stdout.split()]
    return objs


def function_objects(build, cross):
    """{function name: [object, ...]} over the objects of vmlinux.o."""
    objs = vmlinux_objects(build, cross)
    where = {}
    for i in range(0, len(objs), 500):
        p = subprocess.run([cross + 'nm', '-A', '--defined-only'] +
                           objs[i:i + 500], cwd=build, check=True,
                           stdout=subprocess.PIPE, text=True)
        for line in p.stdout.splitlines():
            # "path.o:0000000000000000 T name"
            obj, _, rest = line.partition(':')
            f = rest.split()
            if len(f) == 3 and f[1] in FUNC_TYPES:
                where.setdefault(f[2], []).append(obj)
    return where


def object_source(build, srctree, obj):
    """The source file an object was compiled from, from kbuild's .cmd."""
    d, b = os.path.split(obj)
    try:
        for line in open(os.path.join(build, d, '.%s.cmd' % b)):
            if line.startswith('source_'):
                src = line.split(':=', 1)[1].strip()
                # relative to the directory make ran in: the build's
                # real path (BUILD_DIR may be a link)
                src = os.path.normpath(os.path.join(os.path.realpath(build),
                                                    src))
                return os.path.relpath(src, srctree) if srctree else src
    except OSError:
        pass
    return '-'


def write_reachable(out, build, srctree, cross, reachable):
    """reachable: {function: the path it was first reached by}."""
    where = function_objects(build, cross)
    sources = {}
    lines = []
    for fn in sorted(reachable):
        path = reachable[fn]
        via = path[-2] if len(path) > 1 else 'root'
        for obj in sorted(set(where.get(fn, ['-']))):
            if obj not in sources:
                sources[obj] = '-' if obj == '-' else \
                    object_source(build, srctree, obj)
            lines.append('%s\t%s\t%s\t%s\n' % (fn, obj, sources[obj], via))
    with open(out + '.new', 'w') as f:
        f.write('# reachable after the kexec copy in %s (check.py): '
                'function, object, source, caller (or root)\n' % build)
        f.writelines(lines)
    os.replace(out + '.new', out)


# ------------------------------------------- instrumentation, per function

CLONE = re.compile(r'\.(constprop|isra|part|cold|localalias)(\.\d+)?')
# Instructions whose first operand is not a register they write.
NO_DEST = re.compile(r'^(st|cmp|b|tw|td|mt|dcb|icb|sync|isync|lwsync|eieio|'
                     r'ptesync|tlbie|tlbsync|slbi|nop|trap)')
MEM_OP = re.compile(r'^(-?\d+)\((r\d+)\)$')


def base_name(fn):
    """foo for foo.constprop.0.isra.0, foo.part.1, foo.cold ..."""
    return CLONE.split(fn, 1)[0]


class InstrObject:
    """One object of an instrumented build: its disassembly (a relocation
    into data kept as "section+offset"), its data objects by section, and
    the functions GCOV instrumented (those with a __gcov_.<name> record)."""

    def __init__(self, path, cross):
        elf = Elf(path)
        elf.index_funcs()
        secs = {sh['name']: i for i, sh in enumerate(elf.sh)}
        self.data = {}
        self.gcov = set()
        for sym in elf.syms:
            if sym['type'] == 1 and sym['shndx'] not in (0, 0xfff1, 0xfff2):
                self.data.setdefault(elf.sh[sym['shndx']]['name'],
                                     []).append(sym)
                if sym['name'].startswith('__gcov_.'):
                    self.gcov.add(sym['name'][len('__gcov_.'):])

        def resolve(sec, addend):
            i = secs.get(sec)
            f = elf.func_at(i, addend) if i is not None else None
            return f['name'] if f else '%s+%#x' % (sec, addend)

        self.funcs = disassemble(path, cross, resolve)

    def data_at(self, sec, off):
        for o in self.data.get(sec, ()):
            if o['value'] <= off < o['value'] + max(o['size'], 1):
                return o['name']
        return None

    def counters(self, insns):
        """GCOV counters a function's code addresses: through a relocation
        ("addis/addi rA,.bss+X"), or from a register holding a section
        anchor (.bss) plus an offset.  A bare anchor (.bss+0) is not an
        access by itself.  A straight-line scan: registers are forgotten
        when written."""
        anchors, found = {}, []
        for insn, ops, reloc, rsym in insns:
            o = [x.strip() for x in ops.split(',')] if ops else []
            ref = None
            m = re.match(r'^(\.[\w.]+)\+(0x[0-9a-f]+)$', rsym or '')
            if m:
                sec, off = m.group(1), int(m.group(2), 16)
                if off:
                    ref = (sec, off)
                if insn == 'addi' and len(o) == 3 and reloc and \
                   reloc.endswith('_LO'):
                    anchors[o[0]] = (sec, off)
                    o = []          # the destination is set
            elif len(o) == 3 and insn == 'addi' and o[1] in anchors:
                sec, base = anchors[o[1]]
                try:
                    ref = (sec, base + int(o[2], 0))
                except ValueError:
                    pass
            elif len(o) >= 2:
                mm = MEM_OP.match(o[-1])
                if mm and mm.group(2) in anchors:
                    sec, base = anchors[mm.group(2)]
                    ref = (sec, base + int(mm.group(1)))
            if o and not NO_DEST.match(insn):
                anchors.pop(o[0], None)
            if ref:
                name = self.data_at(*ref)
                if name and name.startswith('__gcov0.') and name not in found:
                    found.append(name)
        return found


def instr_check(build, listfile, runtimes, cross):
    rx = re.compile(runtimes)
    want, roots, objs = set(), set(), []
    for line in open(listfile):
        if line.startswith('#') or not line.strip():
            continue
        f = line.rstrip('\n').split('\t')
        want.add(f[0])
        if len(f) < 4 or f[3] == 'root':
            roots.add(f[0])
        if f[1] != '-' and f[1] not in objs:
            objs.append(f[1])
    realmode = {l[0]: set(l[1:]) for l in read_allow('realmode.allow')}
    bases = {base_name(fn) for fn in want}
    funcs, missing = {}, []     # name: [(object, InstrObject)]
    for obj in objs:
        path = os.path.join(build, obj)
        if not os.path.exists(path):
            missing.append(obj)
            continue
        io = InstrObject(path, cross)
        for fn in io.funcs:
            funcs.setdefault(fn, []).append((obj, io))
    root_bases = {base_name(r) for r in roots}
    work = sorted(fn for fn in funcs if base_name(fn) in root_bases)
    seen, findings, unchecked, canary = set(), [], set(), set()
    while work:
        fn = work.pop(0)
        if fn in seen:
            continue
        seen.add(fn)
        hits = []
        for obj, io in funcs[fn]:
            if base_name(fn) in io.gcov:
                hits.append('__gcov_.' + base_name(fn))
            for insn, ops, reloc, rsym in io.funcs[fn]:
                if rsym and rx.match(rsym):
                    if rsym not in hits:
                        hits.append(rsym)
                    continue
                t = call_target(insn, ops, reloc, rsym)
                if not t or t == fn:
                    continue
                if fn in realmode and t not in realmode[fn]:
                    continue
                if t == '__stack_chk_fail':
                    canary.add((fn, obj))
                elif t in funcs:
                    work.append(t)
                else:
                    # A clone in this build of a function of the set.
                    clones = [c for c in funcs if base_name(c) == t]
                    if clones:
                        work += clones
                    elif t not in want and base_name(t) not in bases:
                        unchecked.add((fn, obj, t))
            hits += [c for c in io.counters(io.funcs[fn]) if c not in hits]
        if hits:
            findings.append((fn, hits))
    objs_of = {fn: ' '.join(sorted({o for o, _ in funcs[fn]})) for fn in seen}
    for fn, hits in findings:
        tag = '' if fn in want or base_name(fn) in bases else \
            ' (out of line in this build)'
        print('INSTRUMENTED %s [%s]%s: %s' % (fn, objs_of[fn], tag,
                                              ' '.join(hits)))
    for fn, obj, t in sorted(unchecked):
        print('UNCHECKED %s [%s] calls %s: in neither the reachable set '
              'nor its objects' % (fn, obj, t))
    for fn, obj in sorted(canary):
        print('note: %s [%s] has a stack protector canary (for the '
              'call-graph check)' % (fn, obj))
    for obj in missing:
        print('MISSING %s: not built in %s' % (obj, build))
    gone = sorted(fn for fn in want if fn not in seen and
                  base_name(fn) not in {base_name(x) for x in seen})
    print('%d function(s) reached from %d root(s) in %d object(s); '
          '%d of the set not reached or not emitted here (inlined, an '
          'alias)%s; %d instrumented' % (
              len(seen), len(roots), len(objs) - len(missing), len(gone),
              (': ' + ' '.join(gone)) if gone else '', len(findings)))
    return 1 if findings or unchecked or missing else 0


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    if sys.argv[1] == '--compile':      # BUILD_DIR SRC OUT [FLAGS...]
        kernel_cc(os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]),
                  os.path.abspath(sys.argv[4]), '-c', sys.argv[5:])
        return 0
    cross = os.environ.get('CROSS_COMPILE', 'powerpc64le-linux-gnu-')
    if sys.argv[1] == '--instr':        # BUILD_DIR REACHABLE RUNTIMES
        if len(sys.argv) != 5:
            raise SystemExit(__doc__)
        return instr_check(os.path.abspath(sys.argv[2]), sys.argv[3],
                           sys.argv[4], cross)
    args = sys.argv[1:]
    reachable_out = None
    if args[0] == '--reachable':
        if len(args) < 3:
            raise SystemExit(__doc__)
        reachable_out, args = args[1], args[2:]
    build = os.path.abspath(args[0])
    objs = [os.path.abspath(o) for o in args[1:]] or \
        [os.path.join(build, 'vmlinux.o')]
    # The link kbuild leaves in the build directory; its target may be
    # relative to that directory ("..": see mk/kbuild.sh).
    srctree = os.path.realpath(os.path.join(build, 'source')) \
        if os.path.islink(os.path.join(build, 'source')) else None
    off = offsets(build)
    roots, defined, init_funcs, funcs = set(), set(), set(), {}
    for obj in objs:
        o_roots, o_defined, o_init, o_funcs = load_object(obj, off, cross)
        roots |= o_roots
        defined |= o_defined
        init_funcs |= o_init
        for fn, insns in o_funcs.items():
            funcs.setdefault(fn, []).extend(insns)
    if srctree and os.environ.get('KT_NO_SOURCE_ROOTS') != '1':
        roots |= source_roots(srctree)
    # The architecture's post-copy entry; 6.12's kexec_sequence() calls
    # mmu_cleanup_all() directly.
    roots |= {'kexec_post_copy', 'mmu_cleanup_all'}
    roots = {r for r in roots if r in funcs}
    allow = {l[0] for l in read_allow('indirect.allow')}
    realmode = {l[0]: set(l[1:]) for l in read_allow('realmode.allow')}
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
            if fn in realmode:
                t = call_target(insn, ops, reloc, rsym)
                if t in realmode[fn] and t in funcs:
                    work.append((t, path + (t,)))
                continue
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
    if reachable_out:
        write_reachable(reachable_out, build, srctree, cross, seen)
    return 1 if n else 0


if __name__ == '__main__':
    sys.exit(main())
