// SPDX-License-Identifier: GPL-2.0-only
/// The second argument of a kexec cpu-down callback,
/// kexec_cpu_down(int crash_shutdown, int secondary), says whether this
/// CPU is a secondary of the kexec, one that is not the CPU doing it.  It
/// is not a hardware thread or CPU number: the CPU doing a crash kexec can
/// be any thread.  Use smp_processor_id() or hard_smp_processor_id() for
/// the CPU's identity.
///
// Confidence: Moderate
// Copyright: (C) 2026 kexec-teardown developers
// Comments: Flags "secondary ? 1 : 0"-style constants, the flag stored in
//  a variable named like a cpu, thread or id, and arithmetic or indexing
//  with it; passing it on as a flag is fine.
// Options: --no-includes --include-headers

virtual report
virtual org
virtual context

@initialize:python@
@@
hooks = set()
flags = {}

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
if flags.get(p[0].current_element) == sec:
	coccilib.report.print_report(p[0],
		"%s() uses its '%s' flag as a cpu or thread id; use hard_smp_processor_id()" %
		(p[0].current_element, sec))

@script:python depends on report@
sec << id_decl.sec;
p << id_decl.p;
@@
if flags.get(p[0].current_element) == sec:
	coccilib.report.print_report(p[0],
		"%s() uses its '%s' flag as a cpu or thread id; use hard_smp_processor_id()" %
		(p[0].current_element, sec))

@script:python depends on org@
sec << id_use.sec;
p << id_use.p;
@@
if flags.get(p[0].current_element) == sec:
	coccilib.org.print_todo(p[0],
		"%s() uses its '%s' flag as a cpu or thread id" %
		(p[0].current_element, sec))

@script:python depends on org@
sec << id_decl.sec;
p << id_decl.p;
@@
if flags.get(p[0].current_element) == sec:
	coccilib.org.print_todo(p[0],
		"%s() uses its '%s' flag as a cpu or thread id" %
		(p[0].current_element, sec))

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
