// SPDX-License-Identifier: GPL-2.0
/*
 * kexec teardown registry: ordered, per-phase machine teardown for kexec and
 * crash kexec.  This file holds the registry: registration and its checks,
 * and the seal.
 */

#define pr_fmt(fmt) "kexec_teardown: " fmt

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>

#include <kunit/visibility.h>

#include "kexec_teardown_internal.h"

/**
 * DOC: kexec teardown overview
 *
 * Before a kexec'd or crash kernel can take over the machine, the old kernel
 * must give back what it shares with the hardware and the hypervisor, on the
 * right CPU and in the right order.  The registry holds that order.  A step is
 * a static &struct kexec_teardown naming its phase, its priority within the
 * phase, its callback and whether it is safe on the crash path.  The generic
 * kexec code seals the registry when a kexec starts and runs the prepare
 * phase; the architecture runs the secondary phase on each secondary CPU as
 * it stops, the primary phase once they are all parked, and the post-copy
 * phase in real mode after the new image has been copied.
 *
 * The lists are sorted when a step is registered, so the walks take no lock
 * and allocate nothing: they run with other CPUs stopped in unknown places,
 * possibly holding the registration lock.  On the crash path only
 * KEXEC_TEARDOWN_CRASH_SAFE steps run.  Once sealed, the registry refuses
 * changes with -EBUSY.
 *
 * A walk records and prints only the steps that fail, unless the
 * kexec_teardown.verbose boot parameter asks for every step: a step that
 * goes well costs a test.  The record (a few stores into a static trace)
 * is what the crash path replays after the copy.  After the copy, the
 * only output is the one the platform declared safe in real mode with
 * kexec_teardown_set_post_copy_output().
 */

/*
 * The registry that kexec walks.  Statically allocated on purpose: the
 * post-copy walk runs after the new image has been copied over memory, when
 * only core kernel text, data and bss still hold what this kernel put
 * there.  Everything the walk reads is either here or checked to be static
 * at registration time.
 */
#define KEXEC_TEARDOWN_ALL_PHASES	(BIT(KEXEC_TEARDOWN_NR_PHASES) - 1)

struct kexec_teardown_registry kexec_teardown_global = {
	.lock = __MUTEX_INITIALIZER(kexec_teardown_global.lock),
	/* Every architecture that runs the registry has the first three. */
	.phases = BIT(KEXEC_TEARDOWN_PREPARE) | BIT(KEXEC_TEARDOWN_SECONDARY) |
		  BIT(KEXEC_TEARDOWN_PRIMARY) |
		  (IS_ENABLED(CONFIG_ARCH_KEXEC_TEARDOWN_POST_COPY) ?
		   BIT(KEXEC_TEARDOWN_POST_COPY) : 0),
	.supported = IS_ENABLED(CONFIG_ARCH_SUPPORTS_KEXEC_TEARDOWN) &&
		     IS_ENABLED(CONFIG_KEXEC_CORE),
};

module_param_named(verbose, kexec_teardown_global.verbose, bool, 0644);
MODULE_PARM_DESC(verbose, "Log every kexec teardown step, not only failures");

static const char * const kexec_teardown_phase_names[] = {
	[KEXEC_TEARDOWN_PREPARE]	= "prepare",
	[KEXEC_TEARDOWN_SECONDARY]	= "secondary",
	[KEXEC_TEARDOWN_PRIMARY]		= "primary",
	[KEXEC_TEARDOWN_POST_COPY]	= "post-copy",
};

static_assert(ARRAY_SIZE(kexec_teardown_phase_names) ==
	      KEXEC_TEARDOWN_NR_PHASES);

/**
 * kexec_teardown_registry_init - initialise an empty, unsealed registry
 * @reg: The registry.
 *
 * A registry of its own, for a test: it accepts steps of every phase,
 * whatever the architecture, and has no output until the test sets
 * @reg->puts.
 *
 * Context: Any context.
 */
void kexec_teardown_registry_init(struct kexec_teardown_registry *reg)
{
	memset(reg, 0, sizeof(*reg));
	mutex_init(&reg->lock);
	reg->phases = KEXEC_TEARDOWN_ALL_PHASES;
	reg->supported = true;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_registry_init);

/**
 * kexec_teardown_phase_name - printable name of a phase
 * @phase: The phase.
 *
 * Context: Any context, including post-copy.
 * Return: The name, or "unknown" for a value that is not a phase.
 */
notrace const char *kexec_teardown_phase_name(enum kexec_teardown_phase phase)
{
	if ((unsigned int)phase >= KEXEC_TEARDOWN_NR_PHASES)
		return "unknown";
	return kexec_teardown_phase_names[phase];
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_phase_name);
NOKPROBE_SYMBOL(kexec_teardown_phase_name);

/* True if @a runs before @b in the same phase. */
static bool kexec_teardown_before(const struct kexec_teardown *a,
				  const struct kexec_teardown *b)
{
	bool a_last = a->flags & KEXEC_TEARDOWN_TERMINAL;
	bool b_last = b->flags & KEXEC_TEARDOWN_TERMINAL;

	if (a_last != b_last)
		return b_last;
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return strcmp(a->name, b->name) < 0;
}

static bool kexec_teardown_core_data(const void *p, size_t size)
{
	unsigned long addr = (unsigned long)p;

	return is_kernel_core_data(addr) && is_kernel_core_data(addr + size - 1);
}

/* Core kernel data, bss or rodata: what the copy leaves in place. */
static bool kexec_teardown_core_static(const void *p)
{
	return is_kernel_rodata((unsigned long)p) ||
	       kexec_teardown_core_data(p, 1);
}

static bool kexec_teardown_core_text(const void *fn)
{
	unsigned long addr = (unsigned long)dereference_function_descriptor((void *)fn);

	return core_kernel_text(addr) && !is_kernel_inittext(addr);
}

/* Where a pointer that failed the post-copy checks points, for the message. */
static const char *kexec_teardown_where(const void *p)
{
	unsigned long addr = (unsigned long)p;

	if (object_is_on_stack(p))
		return "the stack";
	if (is_module_address(addr))
		return "module memory";
	if (is_vmalloc_addr(p))
		return "vmalloc memory";
	if (init_section_contains((void *)p, 1) || is_kernel_inittext(addr))
		return "init memory";
	if (is_kernel_rodata(addr))
		return "read-only data";
	return "dynamic memory";
}

static struct module *kexec_teardown_fn_module(const void *fn)
{
	unsigned long addr = (unsigned long)dereference_function_descriptor((void *)fn);
	struct module *mod;

	preempt_disable();
	mod = __module_text_address(addr);
	preempt_enable();
	return mod;
}

/* Reject what the walks could not run safely; see struct kexec_teardown. */
static int kexec_teardown_check(const struct kexec_teardown *td)
{
	struct module *mod;

	if (WARN_ONCE(!td, "kexec_teardown: NULL descriptor\n"))
		return -EINVAL;
	if (WARN_ONCE(!td->name || !td->name[0],
		      "kexec_teardown: step with callback %ps has no name\n",
		      td->fn))
		return -EINVAL;
	if (WARN_ONCE(!td->fn, "kexec_teardown: %s: no callback\n", td->name))
		return -EINVAL;
	if (WARN_ONCE((unsigned int)td->phase >= KEXEC_TEARDOWN_NR_PHASES,
		      "kexec_teardown: %s: unknown phase %d\n",
		      td->name, td->phase))
		return -EINVAL;
	if (WARN_ONCE(td->flags & ~KEXEC_TEARDOWN_VALID_FLAGS,
		      "kexec_teardown: %s: unknown flags %#x\n",
		      td->name, td->flags & ~KEXEC_TEARDOWN_VALID_FLAGS))
		return -EINVAL;
	if (WARN_ONCE(td->phase == KEXEC_TEARDOWN_PREPARE &&
		      (td->flags & KEXEC_TEARDOWN_CRASH_SAFE),
		      "kexec_teardown: %s: the prepare phase never runs on the crash path\n",
		      td->name))
		return -EINVAL;
	if (WARN_ONCE(td->phase != KEXEC_TEARDOWN_SECONDARY &&
		      (td->flags & KEXEC_TEARDOWN_TERMINAL),
		      "kexec_teardown: %s: only a secondary step may be terminal\n",
		      td->name))
		return -EINVAL;
	if (WARN_ONCE(object_is_on_stack(td),
		      "kexec_teardown: %s: descriptor is on the stack\n",
		      td->name))
		return -EINVAL;

	mod = kexec_teardown_fn_module(td->fn);
	if (WARN_ONCE(mod && mod != td->owner,
		      "kexec_teardown: %s: callback %ps is in module %s but the owner is %s\n",
		      td->name, td->fn, module_name(mod), module_name(td->owner)))
		return -EINVAL;

	if (td->phase != KEXEC_TEARDOWN_POST_COPY)
		return 0;

	/* After the copy, only core kernel text, data and bss are intact. */
	if (WARN_ONCE(!kexec_teardown_core_data(td, sizeof(*td)),
		      "kexec_teardown: %s: post-copy descriptor is in %s; it must be static in core kernel data\n",
		      td->name, kexec_teardown_where(td)))
		return -EINVAL;
	if (WARN_ONCE(!kexec_teardown_core_text(td->fn),
		      "kexec_teardown: %s: post-copy callback %ps is in %s; it must be in core kernel text\n",
		      td->name, td->fn,
		      kexec_teardown_where(dereference_function_descriptor((void *)td->fn))))
		return -EINVAL;
	if (WARN_ONCE(!kexec_teardown_core_static(td->name),
		      "kexec_teardown: %s: post-copy name is in %s\n",
		      td->name, kexec_teardown_where(td->name)))
		return -EINVAL;
	if (WARN_ONCE(td->data && !kexec_teardown_core_static(td->data),
		      "kexec_teardown: %s: post-copy data is in %s; it must be static in core kernel data\n",
		      td->name, kexec_teardown_where(td->data)))
		return -EINVAL;
	return 0;
}

/* The link that points at @td, or NULL if @td is not registered. */
static struct kexec_teardown __rcu **
kexec_teardown_find(struct kexec_teardown_registry *reg,
		    const struct kexec_teardown *td)
{
	struct kexec_teardown __rcu **pp;
	struct kexec_teardown *pos;
	int phase;

	lockdep_assert_held(&reg->lock);

	for (phase = 0; phase < KEXEC_TEARDOWN_NR_PHASES; phase++)
		for (pp = &reg->head[phase];
		     (pos = kexec_teardown_locked(reg, *pp)); pp = &pos->next)
			if (pos == td)
				return pp;
	return NULL;
}

/**
 * kexec_teardown_add - add a step to a registry
 * @reg:	The registry.
 * @td:		The step; see kexec_teardown_register().
 *
 * Context: Process context, takes @reg->lock.
 * Return: 0, or -EINVAL, -EEXIST, -EBUSY or -EOPNOTSUPP as for
 * kexec_teardown_register().
 */
int kexec_teardown_add(struct kexec_teardown_registry *reg,
		       struct kexec_teardown *td)
{
	struct kexec_teardown __rcu **pp;
	struct kexec_teardown *pos;
	int ret;

	ret = kexec_teardown_check(td);
	if (ret)
		return ret;
	if (!reg->supported) {
		pr_warn("%s: this kernel's kexec runs no teardown steps\n",
			td->name);
		return -EOPNOTSUPP;
	}
	if (!(reg->phases & BIT(td->phase))) {
		pr_warn("%s: this architecture's kexec has no %s phase\n",
			td->name, kexec_teardown_phase_name(td->phase));
		return -EOPNOTSUPP;
	}

	mutex_lock(&reg->lock);
	/* A module loading while a kexec starts: not a kernel bug. */
	if (READ_ONCE(reg->sealed)) {
		pr_warn("%s: not registered, a kexec has started\n", td->name);
		ret = -EBUSY;
		goto out;
	}
	if (WARN_ONCE(kexec_teardown_find(reg, td),
		      "kexec_teardown: %s: already registered\n", td->name)) {
		ret = -EEXIST;
		goto out;
	}
	for (pos = kexec_teardown_locked(reg, reg->head[td->phase]); pos;
	     pos = kexec_teardown_locked(reg, pos->next)) {
		if (WARN_ONCE(!strcmp(pos->name, td->name),
			      "kexec_teardown: %s: name already used in the %s phase by %ps\n",
			      td->name, kexec_teardown_phase_name(td->phase),
			      pos->fn)) {
			ret = -EEXIST;
			goto out;
		}
		if (WARN_ONCE((td->flags & pos->flags) & KEXEC_TEARDOWN_TERMINAL,
			      "kexec_teardown: %s: the %s phase already has terminal step %s\n",
			      td->name, kexec_teardown_phase_name(td->phase),
			      pos->name)) {
			ret = -EBUSY;
			goto out;
		}
	}

	pp = &reg->head[td->phase];
	while ((pos = kexec_teardown_locked(reg, *pp)) &&
	       !kexec_teardown_before(td, pos))
		pp = &pos->next;
	RCU_INIT_POINTER(td->next, pos);
	/* A walker that interrupts us sees the list with or without @td. */
	rcu_assign_pointer(*pp, td);
out:
	mutex_unlock(&reg->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_add);

/**
 * kexec_teardown_remove - remove a step from a registry
 * @reg:	The registry.
 * @td:		The step.
 *
 * Context: Process context, takes @reg->lock and waits for an RCU grace
 * period.
 * Return: 0, or -EINVAL, -ENOENT, -EBUSY or -EOPNOTSUPP as for
 * kexec_teardown_unregister().
 */
int kexec_teardown_remove(struct kexec_teardown_registry *reg,
			  struct kexec_teardown *td)
{
	struct kexec_teardown __rcu **pp;
	int ret = 0;

	if (WARN_ONCE(!td, "kexec_teardown: unregistering a NULL descriptor\n"))
		return -EINVAL;

	if (!reg->supported) {
		pr_warn("%s: this kernel's kexec runs no teardown steps\n",
			td->name);
		return -EOPNOTSUPP;
	}

	mutex_lock(&reg->lock);
	if (READ_ONCE(reg->sealed)) {
		pr_warn("%s: not unregistered, a kexec has started and will run it\n",
			td->name);
		ret = -EBUSY;
		goto out;
	}
	pp = kexec_teardown_find(reg, td);
	if (WARN_ONCE(!pp, "kexec_teardown: %s: not registered\n", td->name)) {
		ret = -ENOENT;
		goto out;
	}
	/*
	 * @td keeps its next pointer: a crash walker standing on it carries
	 * on to the rest of the list (the hlist_del_rcu() rule).
	 */
	RCU_INIT_POINTER(*pp, kexec_teardown_locked(reg, td->next));
out:
	mutex_unlock(&reg->lock);
	/*
	 * Walkers run with interrupts off or in NMI, which makes them RCU
	 * readers: once they are done, @td may be freed or registered again.
	 */
	if (!ret)
		synchronize_rcu();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_remove);

/* Take a reference on a live module; not on one that is still loading. */
static bool kexec_teardown_pin(struct module *mod)
{
#ifdef CONFIG_MODULES
	if (READ_ONCE(mod->state) == MODULE_STATE_COMING)
		return false;
#endif
	return try_module_get(mod);
}

/**
 * kexec_teardown_seal - close a registry for a normal kexec
 * @reg: The registry.
 *
 * After this, (un)registration fails with -EBUSY.  If @reg->pin_owners is
 * set, the module owning each step is pinned so that it cannot be unloaded
 * while the kexec may still call it; a step whose module is already going
 * away, or still loading (its init may yet fail, and a failed init frees
 * the module whatever its references), is dropped.
 *
 * Context: Process context, takes @reg->lock.
 */
void kexec_teardown_seal(struct kexec_teardown_registry *reg)
{
	struct kexec_teardown __rcu **pp;
	struct kexec_teardown *td;
	int phase;

	mutex_lock(&reg->lock);
	for (phase = 0; reg->pin_owners && phase < KEXEC_TEARDOWN_NR_PHASES;
	     phase++) {
		pp = &reg->head[phase];
		while ((td = kexec_teardown_locked(reg, *pp))) {
			if (td->owner && !kexec_teardown_pin(td->owner)) {
				pr_warn("%s: module %s is loading or going away, step dropped\n",
					td->name, module_name(td->owner));
				/*
				 * No grace period here: the module's memory goes
				 * only after its going notifier, which waits for
				 * the lock, and after free_module()'s own
				 * synchronize_rcu().
				 */
				RCU_INIT_POINTER(*pp,
						 kexec_teardown_locked(reg, td->next));
				continue;
			}
			pp = &td->next;
		}
	}
	/* Pairs with the smp_load_acquire() in kexec_teardown_run(). */
	smp_store_release(&reg->sealed, true);
	mutex_unlock(&reg->lock);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_seal);

/**
 * kexec_teardown_seal_crash - close a registry for the crash path
 * @reg: The registry.
 *
 * Marks the crash path, so that only crash-safe steps run, and seals the
 * registry without taking its lock: a stopped CPU may hold it.  The
 * architecture calls this before it stops the other CPUs; a walker that
 * sees the registry sealed also sees it marked for the crash path.
 *
 * Context: Any context, including NMI.
 */
notrace void kexec_teardown_seal_crash(struct kexec_teardown_registry *reg)
{
	WRITE_ONCE(reg->crash, true);
	/* Pairs with the smp_load_acquire() in kexec_teardown_run(). */
	smp_store_release(&reg->sealed, true);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_seal_crash);
NOKPROBE_SYMBOL(kexec_teardown_seal_crash);

/**
 * kexec_teardown_register - register a kexec teardown step
 * @td: The step, fully initialised, usually by DEFINE_KEXEC_TEARDOWN().
 *
 * Adds @td to the list of its phase, in priority order.  The descriptor is
 * linked, not copied: it must stay in place until unregistered.  A module
 * that goes away with steps still registered loses them, with a warning;
 * once a kexec has started, owning modules are pinned.
 *
 * Context: Process context.
 * Return: 0 on success; -EINVAL for a descriptor that cannot run safely (no
 * name or callback, unknown phase or flags, on the stack, owner not matching
 * the callback's module, crash-safe prepare step, post-copy step outside
 * core kernel memory); -EEXIST if @td or its name is already registered in
 * the phase; -EBUSY if the phase already has a terminal step or a kexec has
 * started; -EOPNOTSUPP if this kernel's kexec does not run the registry
 * (the architecture does not support it, or there is no kexec) or not
 * that phase (no post-copy phase without ARCH_KEXEC_TEARDOWN_POST_COPY).  Every
 * error is logged with the step's name: a warning with a backtrace for a
 * bad descriptor, a plain warning otherwise.
 */
int kexec_teardown_register(struct kexec_teardown *td)
{
	return kexec_teardown_add(&kexec_teardown_global, td);
}
EXPORT_SYMBOL_GPL(kexec_teardown_register);

/**
 * kexec_teardown_unregister - unregister a kexec teardown step
 * @td: A step registered with kexec_teardown_register().
 *
 * Waits until no CPU can still be walking @td, so the caller may free it
 * or register it again as soon as this returns.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success; -EINVAL for NULL; -ENOENT if @td is not registered;
 * -EBUSY once a kexec has started (the step will still run); -EOPNOTSUPP
 * if this kernel's kexec does not run the registry.
 */
int kexec_teardown_unregister(struct kexec_teardown *td)
{
	return kexec_teardown_remove(&kexec_teardown_global, td);
}
EXPORT_SYMBOL_GPL(kexec_teardown_unregister);

/**
 * kexec_teardown_set_post_copy_output - declare the real-mode console
 * @puts: Prints a NUL-terminated string, or NULL to have no output.
 *
 * After the copy, the registry prints failed steps (and, with the
 * kexec_teardown.verbose boot parameter, every step) and, on the crash
 * path, replays what printk could not show, through @puts only.  By
 * declaring it, the platform promises that @puts works in real mode with
 * the MMU off, takes no lock, uses no per-CPU data, is notrace and
 * uninstrumented, and returns in bounded time even when the console is
 * busy.  Without one, nothing is printed after the copy.
 *
 * Context: Process context, before a kexec starts.
 * Return: 0; -EINVAL if @puts is not in core kernel text (init and module
 * text do not survive to the kexec); -EBUSY once a kexec has started;
 * -EOPNOTSUPP if this kernel's kexec does not run the registry.
 */
int kexec_teardown_set_post_copy_output(void (*puts)(const char *s))
{
	struct kexec_teardown_registry *reg = &kexec_teardown_global;
	int ret = 0;

	if (!reg->supported)
		return -EOPNOTSUPP;
	if (puts && !kexec_teardown_core_text(puts)) {
		pr_warn("post-copy output %ps is in %s; it must be in core kernel text\n",
			puts, kexec_teardown_where(dereference_function_descriptor((void *)puts)));
		return -EINVAL;
	}
	mutex_lock(&reg->lock);
	if (READ_ONCE(reg->sealed))
		ret = -EBUSY;
	else
		WRITE_ONCE(reg->puts, puts);
	mutex_unlock(&reg->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(kexec_teardown_set_post_copy_output);

/**
 * kexec_teardown_start - seal the registry and run the prepare phase
 *
 * Called by kernel_kexec() on the reboot CPU once devices and syscore are
 * shut down, before machine_shutdown() stops the other CPUs.
 *
 * Context: Process context, may sleep; see %KEXEC_TEARDOWN_PREPARE.
 */
void kexec_teardown_start(void)
{
	might_sleep();
	kexec_teardown_seal(&kexec_teardown_global);
	kexec_teardown_run(&kexec_teardown_global, KEXEC_TEARDOWN_PREPARE,
			   raw_smp_processor_id(), KEXEC_TEARDOWN_NO_HW_CPU,
			   NULL);
}

/**
 * kexec_teardown_start_crash - seal the registry for a crash kexec
 *
 * Called by __crash_kexec(), and by the architecture before it stops the
 * other CPUs for a crash (with crash_kexec_post_notifiers, panic() stops
 * them before __crash_kexec() runs).  From here on only crash-safe steps
 * run.  Calling it again does nothing more.
 *
 * Context: Any context, including NMI; takes no lock.
 */
notrace void kexec_teardown_start_crash(void)
{
	kexec_teardown_seal_crash(&kexec_teardown_global);
}

NOKPROBE_SYMBOL(kexec_teardown_start_crash);
