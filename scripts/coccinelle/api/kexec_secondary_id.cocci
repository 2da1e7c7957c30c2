// SPDX-License-Identifier: GPL-2.0-only
/// The second argument of a kexec cpu-down callback,
/// kexec_cpu_down(int crash_shutdown, int secondary), says whether this
/// CPU is a secondary of the kexec, one that is not the CPU doing it.  It
/// is not a hardware thread or CPU number: the CPU doing a crash kexec can
/// be any thread.  Use smp_processor_id() or hard_smp_processor_id() for
/// the CPU's identity.
///
/// The same confusion in the teardown registry's API: firmware and the
/// hypervisor (lv1_*, plpar_hcall*, rtas_call* and opal_* calls) take
/// hardware thread ids, so a logical CPU number passed to them names
/// another thread: ctx->cpu, smp_processor_id(), raw_smp_processor_id(),
/// get_cpu(), or a local variable only ever assigned from them or used as
/// a for_each_*cpu() iterator.  A teardown step passes ctx->hw_cpu; other
/// code converts with get_hard_smp_processor_id(cpu).
///
// Confidence: Moderate
// Copyright: (C) 2026 kexec-teardown developers
// Comments: Flags "secondary ? 1 : 0"-style constants, the flag stored in
//  a variable named like a cpu, thread or id, and arithmetic or indexing
//  with it; passing it on as a flag is fine.  For the firmware calls,
//  every argument of lv1_*, plpar_hcall* and opal_* is checked (where a
//  CPU goes, it is a hardware id), and for rtas_call* only the arguments
//  after token, nargs, nret and the output pointer (rtas_call_unlocked:
//  after args, token, nargs, nret).  An argument is logical only as
//  written: a conversion such as get_hard_smp_processor_id(cpu),
//  arithmetic on a CPU number, a variable that is also assigned anything
//  else in the function (or incremented, or passed by address), a
//  function parameter (a wrapper such as vpa_call() gets the hardware id
//  from its callers) and a value that comes from another function or file
//  are not followed.
// Options: --no-includes --include-headers

virtual report
virtual org
virtual context

@initialize:python@
@@
import re

hooks = set()
flags = {}
flag_seen = set()	# a declaration matches id_use and id_decl

def flag_once(p):
	key = (p.file, p.line, p.column)
	if key in flag_seen:
		return False
	flag_seen.add(key)
	return True

def fw_reset():
	global fw_args, ctx_params, assigned, iters
	fw_args = []		# (function, callee, index, argument, position)
	ctx_params = {}		# function -> its struct kexec_teardown_ctx * parameter
	assigned = {}		# (function, variable) -> [values assigned]
	iters = set()		# (function, for_each_*cpu iterator variable)

fw_reset()

def squash(e):
	e = re.sub(r"\s+", "", e)
	return re.sub(r"^\((const)?(unsigned)?(int|long|u8|u16|u32|u64|s32|s64)\*?\)", "", e)

def logical(fn, e, seen=()):
	"""e, in function fn, is a logical CPU number."""
	e = squash(e)
	if re.match(r"^(raw_)?smp_processor_id\(\)$|^get_cpu\(\)$", e):
		return True
	if fn in ctx_params and e == ctx_params[fn] + "->cpu":
		return True
	if not re.match(r"^\w+$", e) or e in seen:
		return False
	vals = assigned.get((fn, e), [])
	if (fn, e) in iters:
		return all(logical(fn, v, seen + (e,)) for v in vals)
	return bool(vals) and all(logical(fn, v, seen + (e,)) for v in vals)

@hook_assign@
expression E;
identifier cb;
@@
E.kexec_cpu_down = cb;

@script:python@
cb << hook_assign.cb;
@@
hooks.add(cb)

@hook_init@
identifier I, cb;
type T;
@@
T I = { ..., .kexec_cpu_down = cb, ... };

@script:python@
cb << hook_init.cb;
@@
hooks.add(cb)

@cb@
identifier fn, crash, sec;
type T;
@@
T fn(int crash, int sec) { ... }

@script:python@
fn << cb.fn;
sec << cb.sec;
@@
if fn in hooks or "kexec_cpu_down" in fn:
	flags[fn] = sec

@id_use@
identifier sec;
identifier v =~ "(cpu|thread|^id$|_id$)";
constant C1, C2;
expression E;
position p;
@@
(
 sec@p ? C1 : C2
|
 v = sec@p
|
 sec@p + E
|
 E + sec@p
|
 sec@p - E
|
 sec@p * E
|
 sec@p << E
|
 E[sec@p]
)

@id_decl@
identifier sec;
identifier v =~ "(cpu|thread|^id$|_id$)";
position p;
type T;
@@
T v = sec@p;

@script:python depends on report@
sec << id_use.sec;
p << id_use.p;
@@
if flags.get(p[0].current_element) == sec and flag_once(p[0]):
	coccilib.report.print_report(p[0],
		"%s() uses its '%s' flag as a cpu or thread id; use hard_smp_processor_id()" %
		(p[0].current_element, sec))

@script:python depends on report@
sec << id_decl.sec;
p << id_decl.p;
@@
if flags.get(p[0].current_element) == sec and flag_once(p[0]):
	coccilib.report.print_report(p[0],
		"%s() uses its '%s' flag as a cpu or thread id; use hard_smp_processor_id()" %
		(p[0].current_element, sec))

@script:python depends on org@
sec << id_use.sec;
p << id_use.p;
@@
if flags.get(p[0].current_element) == sec and flag_once(p[0]):
	coccilib.org.print_todo(p[0],
		"%s() uses its '%s' flag as a cpu or thread id" %
		(p[0].current_element, sec))

@script:python depends on org@
sec << id_decl.sec;
p << id_decl.p;
@@
if flags.get(p[0].current_element) == sec and flag_once(p[0]):
	coccilib.org.print_todo(p[0],
		"%s() uses its '%s' flag as a cpu or thread id" %
		(p[0].current_element, sec))

@fw_arg depends on report || org@
identifier f =~ "^(lv1_|plpar_hcall|opal_|rtas_call)";
expression list[n] es;
expression A;
position p;
@@
f(es, A@p, ...)

@script:python@
f << fw_arg.f;
n << fw_arg.n;
A << fw_arg.A;
p << fw_arg.p;
@@
if not f.startswith("rtas_call") or int(n) >= 4:
	fw_args.append((p[0].current_element, f, int(n), A, p[0]))

@fw_ctx depends on fw_arg@
identifier fn, ctx;
type T;
@@
(
T fn(..., const struct kexec_teardown_ctx *ctx, ...) { ... }
|
T fn(..., struct kexec_teardown_ctx *ctx, ...) { ... }
)

@script:python@
fn << fw_ctx.fn;
ctx << fw_ctx.ctx;
@@
ctx_params[fn] = ctx

@fw_assign depends on fw_arg@
identifier v;
expression E;
position p;
@@
v@p = E

@script:python@
v << fw_assign.v;
E << fw_assign.E;
p << fw_assign.p;
@@
assigned.setdefault((p[0].current_element, v), []).append(E)

@fw_decl depends on fw_arg@
identifier v;
expression E;
position p;
type T;
@@
T v@p = E;

@script:python@
v << fw_decl.v;
E << fw_decl.E;
p << fw_decl.p;
@@
assigned.setdefault((p[0].current_element, v), []).append(E)

@fw_modify depends on fw_arg@
identifier v;
expression E;
position p;
@@
(
v@p += E
|
v@p -= E
|
v@p++
|
v@p--
)

@script:python@
v << fw_modify.v;
p << fw_modify.p;
@@
assigned.setdefault((p[0].current_element, v), []).append("?")

@fw_modify2 depends on fw_arg@
identifier v, g;
position p;
@@
g(..., &v@p, ...)

@script:python@
v << fw_modify2.v;
p << fw_modify2.p;
@@
assigned.setdefault((p[0].current_element, v), []).append("?")

@fw_iter depends on fw_arg@
iterator I =~ "^for_each_[a-z_]*cpu$";
identifier v;
statement S;
position p;
@@
I(v@p, ...) S

@script:python@
v << fw_iter.v;
p << fw_iter.p;
@@
iters.add((p[0].current_element, v))

@initialize:python@
@@
def fw_findings():
	for fn, f, n, A, p in sorted(fw_args, key=lambda a: (int(a[4].line), int(a[4].column))):
		if logical(fn, A):
			yield p, "%s() passes the logical CPU number %s to %s(), which takes a hardware thread id; use %s" % (
				fn, squash(A), f,
				"%s->hw_cpu" % ctx_params[fn] if fn in ctx_params
				else "get_hard_smp_processor_id()")

@script:python depends on report@
@@
try:
	for p, msg in fw_findings():
		coccilib.report.print_report(p, msg)
finally:
	fw_reset()

@script:python depends on org@
@@
try:
	for p, msg in fw_findings():
		coccilib.org.print_todo(p, msg)
finally:
	fw_reset()

@depends on context@
identifier fn : script:python() { fn in flags };
identifier crash, sec;
constant C1, C2;
type T;
@@
T fn(int crash, int sec) {
<+...
* sec ? C1 : C2
...+>
}
