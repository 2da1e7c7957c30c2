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
/// The roots are the callbacks of post-copy descriptors, in every form:
/// DEFINE_KEXEC_TEARDOWN(), KEXEC_TEARDOWN_INIT() anywhere (arrays
/// included), designated initializers of a descriptor, of an array of
/// them (indexed or not) or of a descriptor embedded in another struct,
/// a file-local macro that wraps one of these around its callback
/// argument, field assignments (d.phase = KEXEC_TEARDOWN_POST_COPY and
/// d.fn = cb in one function), and hpte_clear_all implementations
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
//  macro defined in a header), descriptors built at run time other than
//  by d.phase/d.fn assignments, and assembly.  The chain is followed
//  whatever the conditions on the path.  Context mode shows direct calls
//  only.
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
	global roots, calls, uses, phase_set, fn_set
	roots = set()		# post-copy callbacks
	calls = {}		# function -> [(callee, position)], in file order
	uses = {}		# function -> [(current/local_paca, position)]
	phase_set = set()	# (function, descriptor) with .phase = POST_COPY
	fn_set = []		# (function, descriptor, callback)

reset()

def macro_roots(fname):
	"""Callbacks passed to a file-local macro that wraps a post-copy
	descriptor around one of its parameters."""
	try:
		src = open(fname, errors="replace").read()
	except OSError:
		return
	src = re.sub(r"\\\n", " ", src)
	for m in re.finditer(r"^\s*#\s*define\s+(\w+)\(([^)]*)\)(.*)$", src, re.M):
		name, params, body = m.group(1), m.group(2), m.group(3)
		if "KEXEC_TEARDOWN_POST_COPY" not in body:
			continue
		params = [x.strip() for x in params.split(",")]
		cb = re.search(r"\.fn\s*=\s*(\w+)", body)
		if not cb:
			cb = re.search(r"KEXEC_TEARDOWN_INIT\((?:[^,]*,){3}\s*(\w+)", body)
		if not cb or cb.group(1) not in params:
			continue
		i = params.index(cb.group(1))
		for use in re.finditer(r"\b%s\s*\(" % name, src[m.end():]):
			args, depth, cur = [], 0, ""
			for c in src[m.end() + use.end():]:
				if c in "([{":
					depth += 1
				elif c in ")]}":
					if depth == 0:
						break
					depth -= 1
				if c == "," and depth == 0:
					args.append(cur.strip())
					cur = ""
				else:
					cur += c
			args.append(cur.strip())
			if i < len(args) and re.match(r"^\w+$", args[i]):
				roots.add(args[i])

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
	for fn, d, cb in fn_set:
		if (fn, d) in phase_set:
			roots.add(cb)
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

@pc_define@
declarer name DEFINE_KEXEC_TEARDOWN;
identifier var, cb;
expression name, prio, flags;
@@
DEFINE_KEXEC_TEARDOWN(var, name, KEXEC_TEARDOWN_POST_COPY, prio, cb, flags);

@script:python@
cb << pc_define.cb;
@@
roots.add(cb)

@pc_init@
identifier cb;
expression name, prio, flags;
@@
KEXEC_TEARDOWN_INIT(name, KEXEC_TEARDOWN_POST_COPY, prio, cb, flags)

@script:python@
cb << pc_init.cb;
@@
roots.add(cb)

@pc_struct@
identifier I, cb;
@@
struct kexec_teardown I = { ..., .phase = KEXEC_TEARDOWN_POST_COPY, ..., .fn = cb, ... };

@script:python@
cb << pc_struct.cb;
@@
roots.add(cb)

@pc_array@
identifier I, cb;
@@
struct kexec_teardown I[...] = { ..., { ..., .phase = KEXEC_TEARDOWN_POST_COPY, ..., .fn = cb, ... }, ... };

@script:python@
cb << pc_array.cb;
@@
roots.add(cb)

@pc_array_idx@
identifier I, cb;
expression N;
@@
struct kexec_teardown I[...] = { ..., [N] = { ..., .phase = KEXEC_TEARDOWN_POST_COPY, ..., .fn = cb, ... }, ... };

@script:python@
cb << pc_array_idx.cb;
@@
roots.add(cb)

@pc_member@
identifier I, fld, cb;
type T;
@@
T I = { ..., .fld = { ..., .phase = KEXEC_TEARDOWN_POST_COPY, ..., .fn = cb, ... }, ... };

@script:python@
cb << pc_member.cb;
@@
roots.add(cb)

@pc_phase_assign@
expression D;
position p;
@@
(
D.phase@p = KEXEC_TEARDOWN_POST_COPY
|
D->phase@p = KEXEC_TEARDOWN_POST_COPY
)

@script:python@
D << pc_phase_assign.D;
p << pc_phase_assign.p;
@@
phase_set.add((p[0].current_element, D))

@pc_fn_assign depends on pc_phase_assign@
expression D;
identifier cb;
position p;
@@
(
D.fn@p = cb
|
D->fn@p = cb
)

@script:python@
D << pc_fn_assign.D;
cb << pc_fn_assign.cb;
p << pc_fn_assign.p;
@@
fn_set.append((p[0].current_element, D, cb))

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

// Files with no post-copy descriptor or hpte_clear_all are not parsed.
@pc_any@
@@
KEXEC_TEARDOWN_POST_COPY

@call depends on (pc_any || pc_define || pc_init || hpte_assign || hpte_init) && (report || org)@
identifier g;
position p;
@@
g@p(...)

@script:python@
g << call.g;
p << call.p;
@@
calls.setdefault(p[0].current_element, []).append((g, p[0]))

@state depends on call@
identifier i = {current, local_paca};
position p;
@@
i@p

@script:python@
i << state.i;
p << state.p;
@@
uses.setdefault(p[0].current_element, []).append((i, p[0]))

@script:python depends on report@
@@
try:
	if calls:
		macro_roots(next(iter(calls.values()))[0][1].file)
	for p, msg in findings():
		coccilib.report.print_report(p, msg)
finally:
	reset()

@script:python depends on org@
@@
try:
	if calls:
		macro_roots(next(iter(calls.values()))[0][1].file)
	for p, msg in findings():
		coccilib.org.print_todo(p, msg)
finally:
	reset()

@depends on context@
identifier fn : script:python() { fn in roots };
identifier f : script:python() { unsafe(f) is not None };
type T;
@@
T fn(...) {
<+...
* f(...)
...+>
}

@script:python depends on context@
@@
reset()
