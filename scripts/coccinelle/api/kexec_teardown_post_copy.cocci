// SPDX-License-Identifier: GPL-2.0-only
/// A kexec post-copy teardown step runs in real mode after the new kernel
/// has been copied over memory: only core kernel text, data and bss are
/// intact.  Functions registered for KEXEC_TEARDOWN_POST_COPY, and those
/// installed as mmu_hash_ops.hpte_clear_all (which kexec runs at that
/// point), must not call driver cleanup, allocate or free memory, take
/// locks, sleep, print or use per-CPU data.  A driver that must be
/// quiesced registers a step of its own in an earlier phase.
///
// Confidence: Moderate
// Copyright: (C) 2026 kexec-teardown developers
// Comments: Driver cleanup is recognised by name (*_cleanup, *_exit,
//  *_remove, *_unregister, *_suspend); the function and the place that
//  makes it a post-copy step must be in the same file.
// Options: --no-includes --include-headers

virtual report
virtual org
virtual context

@initialize:python@
@@
post_copy = set()

@pc_define@
declarer name DEFINE_KEXEC_TEARDOWN;
identifier var, cb;
expression name, prio, flags;
@@
DEFINE_KEXEC_TEARDOWN(var, name, KEXEC_TEARDOWN_POST_COPY, prio, cb, flags);

@script:python@
cb << pc_define.cb;
@@
post_copy.add(cb)

@pc_init@
identifier cb;
expression name, prio, flags;
@@
KEXEC_TEARDOWN_INIT(name, KEXEC_TEARDOWN_POST_COPY, prio, cb, flags)

@script:python@
cb << pc_init.cb;
@@
post_copy.add(cb)

@pc_struct@
identifier I;
@@
struct kexec_teardown I = { ..., .phase = KEXEC_TEARDOWN_POST_COPY, ... };

@pc_struct_fn@
identifier pc_struct.I, cb;
@@
struct kexec_teardown I = { ..., .fn = cb, ... };

@script:python@
cb << pc_struct_fn.cb;
@@
post_copy.add(cb)

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
post_copy.add(cb)

@hpte_init@
identifier cb, I;
type T;
@@
T I = { ..., .hpte_clear_all = cb, ... };

@script:python@
cb << hpte_init.cb;
@@
post_copy.add(cb)

@bad depends on report || org@
identifier fn : script:python() { fn in post_copy };
identifier f =~ "(_cleanup$|_exit$|_remove$|_unregister$|_suspend$|^k[mz]alloc|^kcalloc$|^krealloc$|^kv?free$|^kvmalloc|^v[mz]alloc$|^vfree$|^kmem_cache_|^alloc_pages|^__?free_pages?$|^get_zeroed_page$|^__get_free_pages?$|^devm_|^dma_(alloc|free)_|^(raw_)?spin_(try)?lock|^(raw_)?spin_unlock|^mutex_(try)?lock|^mutex_unlock|^(read|write)_(try)?lock|^(read|write)_unlock|^down(_read|_write|_interruptible|_killable|_trylock)?$|^up(_read|_write)?$|^rcu_read_(un)?lock|^msleep|^ssleep$|^usleep_range|^schedule|^wait_event|^wait_for_completion|^might_sleep$|^cond_resched$|^printk|^pr_(emerg|alert|crit|err|warn|warning|notice|info|cont|debug)$|^dev_(emerg|alert|crit|err|warn|notice|info|dbg)$|^this_cpu_|^__this_cpu_|^raw_cpu_|^per_cpu|^get_cpu_var$|^put_cpu_var$|^get_cpu_ptr$|^put_cpu_ptr$)";
position p;
type T;
@@
T fn(...) {
<+... f@p(...) ...+>
}

@depends on context@
identifier fn : script:python() { fn in post_copy };
identifier f =~ "(_cleanup$|_exit$|_remove$|_unregister$|_suspend$|^k[mz]alloc|^kcalloc$|^krealloc$|^kv?free$|^kvmalloc|^v[mz]alloc$|^vfree$|^kmem_cache_|^alloc_pages|^__?free_pages?$|^get_zeroed_page$|^__get_free_pages?$|^devm_|^dma_(alloc|free)_|^(raw_)?spin_(try)?lock|^(raw_)?spin_unlock|^mutex_(try)?lock|^mutex_unlock|^(read|write)_(try)?lock|^(read|write)_unlock|^down(_read|_write|_interruptible|_killable|_trylock)?$|^up(_read|_write)?$|^rcu_read_(un)?lock|^msleep|^ssleep$|^usleep_range|^schedule|^wait_event|^wait_for_completion|^might_sleep$|^cond_resched$|^printk|^pr_(emerg|alert|crit|err|warn|warning|notice|info|cont|debug)$|^dev_(emerg|alert|crit|err|warn|notice|info|dbg)$|^this_cpu_|^__this_cpu_|^raw_cpu_|^per_cpu|^get_cpu_var$|^put_cpu_var$|^get_cpu_ptr$|^put_cpu_ptr$)";
type T;
@@
T fn(...) {
<+...
* f(...)
...+>
}

@script:python depends on report@
f << bad.f;
p << bad.p;
@@
coccilib.report.print_report(p[0],
	"%s() runs after the kexec copy, in real mode, but calls %s()" %
	(p[0].current_element, f))

@script:python depends on org@
f << bad.f;
p << bad.p;
@@
coccilib.org.print_todo(p[0],
	"%s() runs after the kexec copy, in real mode, but calls %s()" %
	(p[0].current_element, f))
