// SPDX-License-Identifier: GPL-2.0-only
/// A kexec post-copy teardown step runs in real mode after the new kernel
/// has been copied over memory: only core kernel text, data and bss are
/// intact.  Functions registered for KEXEC_TEARDOWN_POST_COPY, and those
/// installed as mmu_hash_ops.hpte_clear_all (which kexec runs at that
/// point), must not quiesce drivers, allocate or free memory, take locks,
/// sleep, print or use per-CPU or task state, neither themselves nor
/// through the functions they call.  A driver that must be quiesced
/// registers a step of its own in an earlier phase; a step that needs its
/// CPU's identity has ctx->cpu and ctx->hw_cpu.
///
/// The roots are the callbacks of post-copy descriptors, found from the
/// descriptors alone, whatever the callback does (no call at all
/// included): DEFINE_KEXEC_TEARDOWN() and KEXEC_TEARDOWN_INIT() anywhere;
/// designated initializers at any depth of a declaration or a compound
/// literal (a descriptor, an array of them, indexed or not, a descriptor
/// or an array of them in a struct, structs holding one in an array,
/// designators such as .td.fn or .steps[1].fn); a function-like macro
/// defined in the same file that makes any of these, or wraps another
/// such macro, with the callback and possibly the phase as arguments;
/// field assignments d.phase = KEXEC_TEARDOWN_POST_COPY and d.fn = cb (or
/// d->), in one function or, for a descriptor at file scope, anywhere in
/// the file, also with one of the two in its initializer (a callback set
/// at run time before registration); and hpte_clear_all implementations
/// (assigned or initialized).  From each root, the script follows every
/// direct call to a function defined in the same file, to any depth, and
/// reports each unsafe call it reaches, at that call, with the chain of
/// helpers that leads there.
///
// Confidence: Moderate
// Copyright: (C) 2026 kexec-teardown developers
// Comments: Unsafe calls are recognised by name:
//  - driver quiesce: *_cleanup, *_exit, *_remove, *_unregister, *_suspend,
//    *_shutdown, *_stop, *_release, *_disable, *_deinit, *_teardown,
//    *_quiesce, *_uninit, *_fini, except the core helpers listed in
//    NOT_QUIESCE (interrupt, preemption and page-fault masking, barriers,
//    lockdep annotations, predicates) and ps3_mm_shutdown(), the
//    hypervisor side of the PS3 address space, due at that point.
//    Chosen by measuring the distinct names called (indented calls in
//    *.c and *.h) with each suffix in 6.12's arch/ and drivers/, classed
//    by where they are defined (drivers/, sound/, arch/*/platforms,
//    sysdev, mach-*, plat-*: driver; kernel/, mm/, lib/, net/, include/,
//    arch core: core helper; no definition found: not counted).
//    Precision (driver names / classified names, after the exclusions):
//    _shutdown 258/286 0.90, _stop 1119/1197 0.93, _release 601/648
//    0.93, _disable 1525/1642 0.93, _deinit 256/260 0.98, _teardown
//    79/82 0.96, _quiesce 40/45 0.89, _uninit 157/165 0.95, _fini
//    729/740 0.99.  Rejected: _halt 0.80 (mostly USB endpoint
//    halt state) and _reset (0.96 by place, but a random sample of 20 was
//    mostly register or software state resets and predicates such as
//    *_needs_reset, devm_add_action_or_reset).  Most core names left in
//    are still wrong after the copy (kthread_stop, sock_release,
//    pm_runtime_disable, napi_disable).
//  - memory: k*alloc, kfree, vmalloc, kmem_cache_*, page allocator,
//    devm_*, dma_alloc/free_*; locks, RCU, sleeping, printk and pr_*/dev_*;
//  - per-CPU and task state: smp_processor_id, raw_smp_processor_id,
//    hard_smp_processor_id, get_cpu/put_cpu, this_cpu_*, __this_cpu_*,
//    raw_cpu_*, per_cpu*, get_cpu_var/ptr, get_paca, get_current, and the
//    identifiers current and local_paca.
//  It cannot see: callees in other files (one file is one call graph,
//  which also makes it work per file, with -j and in make coccicheck),
//  calls through function pointers (ctx->data, ops tables), what a macro
//  expands to (a helper written as a macro, or a descriptor made by a
//  macro defined in a header or another file), a phase or callback that
//  is not written as KEXEC_TEARDOWN_POST_COPY and a function name (a
//  variable, an alias macro, a conditional), a descriptor filled through
//  a pointer in another function than the one that sets it up,
//  positional (non-designated) initializers of struct kexec_teardown, and
//  assembly.  Macro definitions are read from the text of the file, so
//  one under #if 0 counts.  The chain is followed whatever the conditions
//  on the path.  Context mode shows direct calls only.
// Options: --no-includes --include-headers

virtual report
virtual org
virtual context

@initialize:python@
@@
import re

QUIESCE = re.compile(r"_(cleanup|exit|remove|unregister|suspend|shutdown|stop|release|disable|deinit|teardown|quiesce|uninit|fini)$")
NOT_QUIESCE = re.compile(
	r"^((raw|arch|native|cond)_)?local_irq_disable$|^(__)?hard_irq_disable$"
	r"|^__hard_EE_RI_disable$|^native_irq_disable$|^local_(bh|fiq)_disable$"
	r"|^preempt_disable(_notrace)?$|^migrate_disable$|^pagefault_disable$"
	r"|^str_enable_disable$|^(__)?uaccess_ttbr0_disable$|_can_disable$"
	r"|^exit_must_hard_disable$|_should_stop$|_start_or_stop$"
	r"|^smp_store_release$|^__release$|^(arch_)?(cmp)?xchg\w*_release$"
	r"|^atomic\w*_release$|^refcount_set_release$"
	r"|^(lock|lock_map|mutex|rwsem|fs_reclaim|kcsan)_release$"
	r"|_is_shutdown$|_and_shutdown$"
	r"|^ps3_mm_shutdown$")	# the hypervisor side, due at this point
UNSAFE = re.compile(
	r"^k[mz]alloc|^kcalloc$|^krealloc$|^kv?free$|^kvmalloc|^v[mz]alloc$"
	r"|^vfree$|^kmem_cache_|^alloc_pages|^__?free_pages?$|^get_zeroed_page$"
	r"|^__get_free_pages?$|^devm_|^dma_(alloc|free)_"
	r"|^(raw_)?spin_(try)?lock|^(raw_)?spin_unlock|^mutex_(try)?lock"
	r"|^mutex_unlock|^(read|write)_(try)?lock|^(read|write)_unlock"
	r"|^down(_read|_write|_interruptible|_killable|_trylock)?$"
	r"|^up(_read|_write)?$|^rcu_read_(un)?lock|^msleep|^ssleep$"
	r"|^usleep_range|^schedule|^wait_event|^wait_for_completion"
	r"|^might_sleep$|^cond_resched$|^printk"
	r"|^pr_(emerg|alert|crit|err|warn|warning|notice|info|cont|debug)$"
	r"|^dev_(emerg|alert|crit|err|warn|notice|info|dbg)$")
PERCPU = re.compile(
	r"^(raw_|hard_)?smp_processor_id$|^get_cpu$|^put_cpu$|^this_cpu_"
	r"|^__this_cpu_|^raw_cpu_|^per_cpu|^get_cpu_var$|^put_cpu_var$"
	r"|^get_cpu_ptr$|^put_cpu_ptr$|^get_paca$|^get_current$")

def unsafe(f):
	"""What is wrong with calling f after the copy, or None."""
	if PERCPU.search(f):
		return "percpu"
	if UNSAFE.search(f):
		return "unsafe"
	if QUIESCE.search(f) and not NOT_QUIESCE.search(f):
		return "unsafe"
	return None

def reset():
	global roots, calls, uses, phases, fns, file_vars, wrappers
	roots = set()		# post-copy callbacks
	calls = {}		# function -> [(callee, position)], in file order
	uses = {}		# function -> [(current/local_paca, position)]
	# Descriptors, named as written ("x", "x.steps[1]", "d"), with the
	# function they are set up in (None at file scope):
	phases = set()		# (scope, descriptor) whose phase is POST_COPY
	fns = set()		# (scope, descriptor, callback)
	file_vars = set()	# variables defined at file scope
	wrappers = None		# file-local descriptor macros, see read_macros()

reset()

def scope(p, name):
	"""The function a declaration of name at p is in, None at file scope."""
	e = p.current_element
	return None if e in (name, "something_else") else e

def callback(e):
	"""The function an initializer or argument names (&f, a cast), or None."""
	if e is None:
		return None
	e = re.sub(r"\s+", "", str(e))
	e = re.sub(r"^\((const)?\w+\*?\)", "", e).lstrip("&")
	return e if re.match(r"^[A-Za-z_]\w*$", e) and e != "NULL" else None

def descriptor(e):
	"""A descriptor or phase as written, without spaces: "x.steps[1]"."""
	return re.sub(r"\s+", "", str(e))

def toks(s):
	return re.findall(r"\"(?:\\.|[^\"\\])*\"|\x27(?:\\.|[^\x27\\])*\x27|->|##|\w+|\S", s)

def group(t, i):
	"""Index of the bracket closing the one at t[i]."""
	depth = 0
	for j in range(i, len(t)):
		if t[j] in ("(", "[", "{"):
			depth += 1
		elif t[j] in (")", "]", "}"):
			depth -= 1
			if depth == 0:
				return j
	return len(t)

def split(t):
	"""The comma-separated items of a token list, nesting respected."""
	items, cur, depth = [], [], 0
	for x in t:
		if x in ("(", "[", "{"):
			depth += 1
		elif x in (")", "]", "}"):
			depth -= 1
		if x == "," and depth == 0:
			items.append(cur)
			cur = []
		else:
			cur.append(x)
	if cur:
		items.append(cur)
	return items

def leaves(t, path, out):
	"""(designator path, value) of every scalar of an initializer list, at
	any depth; positional items get their index.  A descriptor macro
	(KEXEC_TEARDOWN_INIT() or a file-local wrapper) counts as the fields it
	sets."""
	idx = 0
	for item in split(t):
		des, i = [], 0
		while i < len(item) and item[i] in (".", "["):
			if item[i] == ".":
				des.append("." + item[i + 1] if i + 1 < len(item) else ".")
				i += 2
			else:
				j = group(item, i)
				des.append("[%s]" % "".join(item[i + 1:j]))
				i = j + 1
		if des and i < len(item) and item[i] == "=":
			i += 1
			if des[0][0] == "[" and des[0][1:-1].isdigit():
				idx = int(des[0][1:-1])
		else:
			des, i = ["[%d]" % idx], 0
		idx += 1
		val = item[i:]
		if val and val[0] == "{" and group(val, 0) == len(val) - 1:
			leaves(val[1:-1], path + des, out)
		elif len(val) > 1 and val[1] == "(" and val[0] in (wrappers or {}):
			args = split(val[2:group(val, 1)])
			for ph, fn in wrappers[val[0]]:
				out.append((path + des + [".phase"], arg(ph, args)))
				out.append((path + des + [".fn"], arg(fn, args)))
		else:
			out.append((path + des, " ".join(val)))

def initializer(sc, name, il):
	"""The descriptors of an initializer list."""
	out = []
	leaves(toks(str(il)), [], out)
	for path, val in out:
		d = name + "".join(path[:-1])
		if path[-1] == ".phase" and val == "KEXEC_TEARDOWN_POST_COPY":
			phases.add((sc, d))
		elif path[-1] == ".fn" and callback(val):
			fns.add((sc, d, callback(val)))

def arg(spec, args, params=None):
	"""The phase or callback of a wrapper at a use: its argument, or the
	text of its definition; in the body of a macro, ("arg", i) for its
	parameter i."""
	kind, v = spec
	if kind == "arg":
		if v >= len(args):
			return None
		v = " ".join(args[v])
	if params is not None:
		c = callback(v) if v else None
		if c in params:
			return ("arg", params.index(c))
		return ("text", v)
	return v

def code(fname):
	"""The file without comments and literal contents, continuations joined."""
	try:
		src = open(fname, errors="replace").read()
	except OSError:
		return ""
	out = re.sub(r"/[*].*?[*]/|/{2}[^\n]*|\"(?:\\.|[^\"\\\n])*\"|\x27(?:\\.|[^\x27\\\n])*\x27",
		lambda m: " " if m.group(0)[0] == "/" else m.group(0)[0] * 2, src, flags=re.S)
	return re.sub(r"\\\n", " ", out)

def read_macros(fname):
	"""File-local macros that make a descriptor: for each, where the phase
	and the callback of each descriptor it makes come from (an argument or
	its own text), to any depth of wrapping; the callbacks of post-copy
	descriptors they make are roots."""
	global wrappers
	wrappers = {"DEFINE_KEXEC_TEARDOWN": [(("arg", 2), ("arg", 4))],
		    "KEXEC_TEARDOWN_INIT": [(("arg", 1), ("arg", 3))]}
	src = code(fname)
	defs = []
	for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)\(([^)]*)\)(.*)$", src, re.M):
		defs.append((m.group(1), [x.strip() for x in m.group(2).split(",")],
			     toks(m.group(3))))
	for _ in range(len(defs) + 1):
		changed = False
		for name, params, t in defs:
			specs = set()
			for i, x in enumerate(t):
				if x in wrappers and x != name and t[i + 1:i + 2] == ["("]:
					args = split(t[i + 2:group(t, i + 1)])
					for ph, fn in wrappers[x]:
						specs.add((arg(ph, args, params), arg(fn, args, params)))
			i = 0
			while i < len(t):
				if t[i] != "{":
					i += 1
					continue
				j = group(t, i)
				out = []
				leaves(t[i + 1:j], [], out)
				des = {}
				for path, val in out:
					des.setdefault("".join(path[:-1]), {})[path[-1]] = val
				for f in des.values():
					if ".phase" in f and ".fn" in f:
						specs.add((arg(("text", f[".phase"]), [], params),
							   arg(("text", f[".fn"]), [], params)))
				i = j + 1
			specs = sorted(s for s in specs
				       if s[0] and (s[0][0] == "arg" or s[0][1] == "KEXEC_TEARDOWN_POST_COPY")
				       and s[1] and (s[1][0] == "arg" or callback(s[1][1])))
			if specs and specs != wrappers.get(name):
				wrappers[name] = specs
				changed = True
		if not changed:
			break
	# Uses, outside the definitions.
	t = toks(re.sub(r"^[ \t]*#[^\n]*", " ", src, flags=re.M))
	for i, x in enumerate(t):
		if x in wrappers and x not in ("DEFINE_KEXEC_TEARDOWN", "KEXEC_TEARDOWN_INIT") \
		   and t[i + 1:i + 2] == ["("]:
			args = split(t[i + 2:group(t, i + 1)])
			for ph, fn in wrappers[x]:
				if arg(ph, args) == "KEXEC_TEARDOWN_POST_COPY" and callback(arg(fn, args) or ""):
					roots.add(callback(arg(fn, args)))

def define(p, var, ph, cb):
	"""A descriptor of DEFINE_KEXEC_TEARDOWN()."""
	sc = scope(p, var)
	if sc is None:
		file_vars.add(var)
	if descriptor(ph) == "KEXEC_TEARDOWN_POST_COPY":
		phases.add((sc, var))
	if callback(cb):
		fns.add((sc, var, callback(cb)))

def resolve():
	"""Roots from the descriptors: a callback whose descriptor has phase
	POST_COPY, set in the same function or, for a descriptor at file
	scope, anywhere in the file."""
	for sc, d, cb in fns:
		base = re.match(r"\W*(\w*)", d).group(1)
		if (sc, d) in phases or (base in file_vars and
					 any(d2 == d for _, d2 in phases)):
			roots.add(cb)

def chain_to(root):
	"""Breadth-first from root over calls to functions of this file:
	{function: [helpers from root to it]}."""
	seen = {root: []}
	todo = [root]
	while todo:
		f = todo.pop(0)
		for g, _ in calls.get(f, []):
			if g in seen or (g not in calls and g not in uses) or unsafe(g):
				continue
			seen[g] = seen[f] + [g]
			todo.append(g)
	return seen

def findings():
	"""(position, message) for every unsafe call reachable from a root,
	once per call, from the root with the shortest chain."""
	resolve()
	best = {}
	for root in sorted(roots):
		for f, path in chain_to(root).items():
			sites = [(g, p) for g, p in calls.get(f, []) if unsafe(g)]
			sites += [(g, p) for g, p in uses.get(f, [])]
			for g, p in sites:
				key = (p.file, int(p.line), int(p.column))
				if key not in best or len(path) < len(best[key][2]):
					best[key] = (p, g, path, root)
	for key in sorted(best):
		p, g, path, root = best[key]
		what = g if g in ("current", "local_paca") else g + "()"
		if path:
			msg = "%s() runs after the kexec copy, in real mode, but reaches %s through %s" % (
				root, what, " -> ".join(h + "()" for h in path))
		elif what == g:
			msg = "%s() runs after the kexec copy, in real mode, but uses %s" % (root, what)
		else:
			msg = "%s() runs after the kexec copy, in real mode, but calls %s" % (root, what)
		if g in ("current", "local_paca") or unsafe(g) == "percpu":
			msg += ": per-CPU and task state may be overwritten; the step has ctx->cpu and ctx->hw_cpu"
		yield p, msg

// Which files can have roots: those with a post-copy phase anywhere (in
// descriptors, field assignments, macro definitions or their uses) or a
// teardown callback (the only test for a file whose descriptors are all
// made by a macro Coccinelle cannot parse, such as a declaration without
// its semicolon), and those with hpte_clear_all.  No other file is parsed.
@pc_any@
position p;
@@
KEXEC_TEARDOWN_POST_COPY@p

@script:python@
p << pc_any.p;
@@
if wrappers is None:
	read_macros(p[0].file)

@pc_cb@
identifier step, ctx;
type T;
position p;
@@
(
T step@p(..., const struct kexec_teardown_ctx *ctx, ...) { ... }
|
T step@p(..., struct kexec_teardown_ctx *ctx, ...) { ... }
)

@script:python@
p << pc_cb.p;
@@
if wrappers is None:
	read_macros(p[0].file)

// DEFINE_KEXEC_TEARDOWN() in any phase (the callback may be assigned at
// run time), as a declaration or, in a function or a macro, an expression.
// A declarer metavariable, unlike "declarer name", leaves the macro to be
// parsed as an expression where it is one (in a #define of a wrapper).
@pc_define depends on pc_any || pc_cb@
declarer d = {DEFINE_KEXEC_TEARDOWN};
identifier var;
expression name, ph, prio, cb, flags;
position p;
@@
d@p(var, name, ph, prio, cb, flags);

@script:python@
var << pc_define.var;
ph << pc_define.ph;
cb << pc_define.cb;
p << pc_define.p;
@@
define(p[0], var, ph, cb)

@pc_define_exp@
identifier var;
expression name, ph, prio, cb, flags;
position p;
@@
DEFINE_KEXEC_TEARDOWN@p(var, name, ph, prio, cb, flags)

@script:python@
var << pc_define_exp.var;
ph << pc_define_exp.ph;
cb << pc_define_exp.cb;
p << pc_define_exp.p;
@@
define(p[0], var, ph, cb)

@pc_init@
expression name, prio, cb, flags;
@@
KEXEC_TEARDOWN_INIT(name, KEXEC_TEARDOWN_POST_COPY, prio, cb, flags)

@script:python@
cb << pc_init.cb;
@@
if callback(cb):
	roots.add(callback(cb))

// Designated initializers, to any depth: a descriptor, arrays of them
// (indexed or not), descriptors in a struct, arrays of them in a struct,
// structs holding them in an array, .td.fn and .steps[1].fn designators.
@pc_desig depends on pc_any || pc_cb@
type T;
identifier I;
initializer list il;
position p;
@@
(
T I@p = { il };
|
T I@p[...] = { il };
)

@script:python@
I << pc_desig.I;
il << pc_desig.il;
p << pc_desig.p;
@@
sc = scope(p[0], I)
if sc is None:
	file_vars.add(I)
initializer(sc, I, il)

@pc_literal depends on pc_any || pc_cb@
type T;
initializer list il;
position p;
@@
 (T@p){ il }

@script:python@
il << pc_literal.il;
p << pc_literal.p;
@@
initializer(p[0].current_element, "(literal:%s:%s)" % (p[0].line, p[0].column), il)

// Field assignments: d.phase = KEXEC_TEARDOWN_POST_COPY and d.fn = cb,
// together or with the other one in the initializer of the descriptor.
@pc_var depends on pc_any || pc_cb@
type T;
identifier I;
position p;
@@
(
T I@p;
|
T I@p = ...;
)

@script:python@
I << pc_var.I;
p << pc_var.p;
@@
if scope(p[0], I) is None:
	file_vars.add(I)

@pc_phase_assign@
expression D;
identifier fld = {phase};
position p;
@@
(
D.fld@p = KEXEC_TEARDOWN_POST_COPY
|
D->fld@p = KEXEC_TEARDOWN_POST_COPY
)

@script:python@
D << pc_phase_assign.D;
p << pc_phase_assign.p;
@@
phases.add((p[0].current_element, descriptor(D)))

@pc_fn_assign depends on pc_any || pc_define || pc_define_exp@
expression D, cb;
identifier fld = {fn};
position p;
@@
(
D.fld@p = cb
|
D->fld@p = cb
)

@script:python@
D << pc_fn_assign.D;
cb << pc_fn_assign.cb;
p << pc_fn_assign.p;
@@
if callback(cb):
	fns.add((p[0].current_element, descriptor(D), callback(cb)))

@hpte_assign@
identifier cb;
expression E;
@@
(
E.hpte_clear_all = cb;
|
E->hpte_clear_all = cb;
)

@script:python@
cb << hpte_assign.cb;
@@
roots.add(cb)

@hpte_init@
identifier cb, I;
type T;
@@
T I = { ..., .hpte_clear_all = cb, ... };

@script:python@
cb << hpte_init.cb;
@@
roots.add(cb)

@call depends on (pc_any || pc_cb || pc_define || pc_define_exp || pc_init || hpte_assign || hpte_init) && (report || org)@
identifier g;
position p;
@@
g@p(...)

@script:python@
g << call.g;
p << call.p;
@@
calls.setdefault(p[0].current_element, []).append((g, p[0]))

@state depends on (pc_any || pc_cb || pc_define || pc_define_exp || pc_init || hpte_assign || hpte_init) && (report || org)@
identifier i = {current, local_paca};
position p;
@@
i@p

@script:python@
i << state.i;
p << state.p;
@@
uses.setdefault(p[0].current_element, []).append((i, p[0]))

@script:python depends on report && (pc_any || pc_cb || pc_define || pc_define_exp || pc_init || hpte_assign || hpte_init)@
@@
try:
	for p, msg in findings():
		coccilib.report.print_report(p, msg)
finally:
	reset()

@script:python depends on org && (pc_any || pc_cb || pc_define || pc_define_exp || pc_init || hpte_assign || hpte_init)@
@@
try:
	for p, msg in findings():
		coccilib.org.print_todo(p, msg)
finally:
	reset()

@script:python depends on context && (pc_any || pc_cb || pc_define || pc_define_exp || pc_init || hpte_assign || hpte_init)@
@@
resolve()

@depends on context && (pc_any || pc_cb || pc_define || pc_define_exp || pc_init || hpte_assign || hpte_init)@
identifier fn : script:python() { fn in roots };
identifier f : script:python() { unsafe(f) is not None };
type T;
@@
T fn(...) {
<+...
* f(...)
...+>
}

@script:python depends on context && (pc_any || pc_cb || pc_define || pc_define_exp || pc_init || hpte_assign || hpte_init)@
@@
reset()
