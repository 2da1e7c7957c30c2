// SPDX-License-Identifier: GPL-2.0-only
/// The kexec teardown registry links the descriptor it is given: a
/// struct kexec_teardown on the stack is gone when the function returns,
/// and one from the allocator may be reused or, for a post-copy step,
/// overwritten by the copy of the new kernel.  Define teardown steps
/// statically, with DEFINE_KEXEC_TEARDOWN() or a static array.
///
/// A descriptor is taken as coming from the allocator when the pointer
/// registered, or the struct or array it is a member or element of, was
/// assigned or initialized (T *x = ...) from kmalloc, kzalloc, kcalloc,
/// kmalloc_array, their _node and kv/v forms, devm_kzalloc, devm_kmalloc,
/// devm_kcalloc, devm_kmalloc_array, kmemdup, krealloc or
/// kmem_cache_alloc/zalloc, cast or not, earlier in the same function:
/// register(p), register(&p->td), register(&p->steps[i]), register(&p[i]),
/// and td = &p->td; register(td).
///
/// On 64-bit powerpc, kexec runs the registry: a platform that still sets
/// ppc_md.kexec_cpu_down should register its steps instead.  32-bit kexec
/// does not run the registry, so code built only for CONFIG_PPC32 is left
/// alone.
///
/// On x86, likewise: a function set as machine_ops.shutdown or
/// machine_ops.crash_shutdown that calls native_machine_shutdown() or
/// native_machine_crash_shutdown() wraps the native kexec teardown with
/// its own, and replaces whatever override was there before: register
/// its work as steps (prepare for what comes before the native call,
/// primary for what comes after).
///
// Confidence: High
// Copyright: (C) 2026 kexec-teardown developers
// Comments: A heap descriptor is legal outside the post-copy phase if it
//  outlives its registration; the script still asks for a static one.
//  It cannot see an allocation in another function (a probe that
//  allocates and a helper that registers), a pointer reassigned in
//  between (it then stays silent), or a descriptor reached through a
//  pointer the allocated struct holds (register(priv->td)).
// Options: --no-includes --include-headers --undefined CONFIG_PPC32

virtual report
virtual org
virtual context

@initialize:python@
@@
statics = set()

@st@
identifier x;
@@
(
static struct kexec_teardown x;
|
static struct kexec_teardown x = ...;
)

@script:python@
x << st.x;
@@
statics.add(x)

@onstack depends on report || org@
identifier fn, x;
type T;
position p;
@@
T fn(...) {
<+...
(
struct kexec_teardown x;
|
struct kexec_teardown x = ...;
)
...
kexec_teardown_register@p(&x)
...+>
}

@heap depends on report || org exists@
expression E, E2, I;
identifier alloc =~ "^(devm_)?(k|kv|v)[mzc]alloc(_array)?(_node)?$|^(devm_)?kmemdup$|^kmem_cache_z?alloc(_node)?$|^(devm_)?krealloc(_array)?$|^kvrealloc$";
identifier fld;
type T;
position p;
@@
(
E = alloc(...);
|
E = (T)alloc(...);
)
... when != E = E2
    when any
(
kexec_teardown_register@p(E)
|
kexec_teardown_register@p(&E->fld)
|
kexec_teardown_register@p(&E->fld[I])
|
kexec_teardown_register@p(&E[I])
)

@heap_decl depends on report || org exists@
identifier x, fld;
identifier alloc =~ "^(devm_)?(k|kv|v)[mzc]alloc(_array)?(_node)?$|^(devm_)?kmemdup$|^kmem_cache_z?alloc(_node)?$|^(devm_)?krealloc(_array)?$|^kvrealloc$";
expression E2, I;
type T;
position p;
@@
T *x = alloc(...);
... when != x = E2
    when any
(
kexec_teardown_register@p(x)
|
kexec_teardown_register@p(&x->fld)
|
kexec_teardown_register@p(&x->fld[I])
|
kexec_teardown_register@p(&x[I])
)

@heap_member depends on report || org exists@
expression E, E2, X;
identifier alloc =~ "^(devm_)?(k|kv|v)[mzc]alloc(_array)?(_node)?$|^(devm_)?kmemdup$|^kmem_cache_z?alloc(_node)?$|^(devm_)?krealloc(_array)?$|^kvrealloc$";
identifier x, y, fld;
type T, T2;
position p;
@@
(
E = alloc(...);
... when != E = E2
    when any
(
X = &E->fld;
|
T2 *x = &E->fld;
)
|
T *y = alloc(...);
... when != y = E2
    when any
(
X = &y->fld;
|
T2 *x = &y->fld;
)
)
... when != X = E2
    when != x = E2
    when any
(
kexec_teardown_register@p(X)
|
kexec_teardown_register@p(x)
)

@hook_assign depends on report || org@
expression E;
identifier cb;
position p;
@@
E.kexec_cpu_down@p = cb;

@hook_init depends on report || org@
identifier I, cb;
type T;
position p;
@@
T I = { ..., .kexec_cpu_down = cb@p, ... };

@depends on context@
expression E;
@@
* E.kexec_cpu_down = ...;

@mo_assign depends on report || org@
identifier fn;
identifier op =~ "^(crash_)?shutdown$";
position p;
@@
machine_ops.op@p = fn;

@mo_wraps depends on report || org@
identifier mo_assign.fn;
identifier native =~ "^native_machine_(crash_)?shutdown$";
@@
fn(...) {
<+...
native(...);
...+>
}

@depends on context@
identifier fn;
identifier op =~ "^(crash_)?shutdown$";
@@
* machine_ops.op = fn;

@script:python depends on report@
x << onstack.x;
p << onstack.p;
@@
if x not in statics:
	coccilib.report.print_report(p[0],
		"kexec teardown step %s is on the stack; define it statically" % x)

@script:python depends on org@
x << onstack.x;
p << onstack.p;
@@
if x not in statics:
	coccilib.org.print_todo(p[0],
		"kexec teardown step %s is on the stack; define it statically" % x)

@script:python depends on report@
p << heap.p;
@@
coccilib.report.print_report(p[0],
	"kexec teardown step from the allocator; define it statically")

@script:python depends on org@
p << heap.p;
@@
coccilib.org.print_todo(p[0],
	"kexec teardown step from the allocator; define it statically")

@script:python depends on report@
p << heap_decl.p;
@@
coccilib.report.print_report(p[0],
	"kexec teardown step from the allocator; define it statically")

@script:python depends on org@
p << heap_decl.p;
@@
coccilib.org.print_todo(p[0],
	"kexec teardown step from the allocator; define it statically")

@script:python depends on report@
p << heap_member.p;
@@
coccilib.report.print_report(p[0],
	"kexec teardown step from the allocator; define it statically")

@script:python depends on org@
p << heap_member.p;
@@
coccilib.org.print_todo(p[0],
	"kexec teardown step from the allocator; define it statically")

@script:python depends on report@
cb << hook_assign.cb;
p << hook_assign.p;
@@
coccilib.report.print_report(p[0],
	"%s set as ppc_md.kexec_cpu_down; register kexec teardown steps instead" % cb)

@script:python depends on report@
cb << hook_init.cb;
p << hook_init.p;
@@
coccilib.report.print_report(p[0],
	"%s set as .kexec_cpu_down; register kexec teardown steps instead" % cb)

@script:python depends on org@
cb << hook_assign.cb;
p << hook_assign.p;
@@
coccilib.org.print_todo(p[0],
	"%s set as ppc_md.kexec_cpu_down; register kexec teardown steps instead" % cb)

@script:python depends on org@
cb << hook_init.cb;
p << hook_init.p;
@@
coccilib.org.print_todo(p[0],
	"%s set as .kexec_cpu_down; register kexec teardown steps instead" % cb)

@script:python depends on report && mo_wraps@
fn << mo_assign.fn;
op << mo_assign.op;
p << mo_assign.p;
@@
coccilib.report.print_report(p[0],
	"%s wraps the native shutdown as machine_ops.%s; register kexec teardown steps instead" % (fn, op))

@script:python depends on org && mo_wraps@
fn << mo_assign.fn;
op << mo_assign.op;
p << mo_assign.p;
@@
coccilib.org.print_todo(p[0],
	"%s wraps the native shutdown as machine_ops.%s; register kexec teardown steps instead" % (fn, op))
