// SPDX-License-Identifier: GPL-2.0
/*
 * kexec teardown registry: ordered, per-phase machine teardown for kexec and
 * crash kexec.
 */

#define pr_fmt(fmt) "kexec_teardown: " fmt

#include <linux/bug.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/rcupdate.h>
#include <linux/sched/task_stack.h>
#include <linux/seq_file.h>
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
 * The registry that kexec walks.  Static on purpose: the post-copy walk runs
 * after the new image has been copied over memory, when only core kernel
 * text, data and bss still hold what this kernel put there.  Everything the
 * walk reads is either here or checked to be static at registration time.
 */
#define KEXEC_TEARDOWN_ALL_PHASES	(BIT(KEXEC_TEARDOWN_NR_PHASES) - 1)

static struct kexec_teardown_registry kexec_teardown_global = {
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

#define KEXEC_TEARDOWN_VALID_FLAGS \
	((unsigned int)(KEXEC_TEARDOWN_CRASH_SAFE | KEXEC_TEARDOWN_TERMINAL))

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

/*
 * A tiny formatter for the post-copy phase, where vsnprintf() and printk()
 * are off limits; the other phases use it too so that every phase logs the
 * same line.
 */
static notrace char *kexec_teardown_put_str(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

NOKPROBE_SYMBOL(kexec_teardown_put_str);

static notrace char *kexec_teardown_put_uint(char *p, char *end, u64 v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + do_div(v, 10);
	} while (v);
	while (n && p < end)
		*p++ = digits[--n];
	return p;
}

NOKPROBE_SYMBOL(kexec_teardown_put_uint);

/**
 * kexec_teardown_format - format the log line of one step
 * @buf:	Output buffer, NUL-terminated on return when @size > 0.
 * @size:	Size of @buf; KEXEC_TEARDOWN_LINE_MAX is always enough for a
 *		name of up to 40 characters and a 64-bit hardware id.
 * @ctx:	The phase and CPU the step ran in.
 * @name:	The step's name.
 * @outcome:	What happened.
 * @err:	The callback's return value, for %KEXEC_TEARDOWN_FAILED.
 *
 * Produces "<phase> cpu <cpu> hw <hw_cpu>: <name> <outcome>", truncated to
 * fit.  Safe in real mode: no locks, no per-CPU data, no vsnprintf().
 *
 * Context: Any context, including post-copy.
 * Return: The length of the line, without the NUL.
 */
notrace __no_stack_protector size_t
kexec_teardown_format(char *buf, size_t size,
		      const struct kexec_teardown_ctx *ctx, const char *name,
		      enum kexec_teardown_outcome outcome, int err)
{
	char *p = buf, *end;

	if (!size)
		return 0;
	end = buf + size - 1;

	p = kexec_teardown_put_str(p, end, kexec_teardown_phase_name(ctx->phase));
	p = kexec_teardown_put_str(p, end, " cpu ");
	p = kexec_teardown_put_uint(p, end, ctx->cpu);
	p = kexec_teardown_put_str(p, end, " hw ");
	if (ctx->hw_cpu == KEXEC_TEARDOWN_NO_HW_CPU)
		p = kexec_teardown_put_str(p, end, "-");
	else
		p = kexec_teardown_put_uint(p, end, ctx->hw_cpu);
	p = kexec_teardown_put_str(p, end, ": ");
	p = kexec_teardown_put_str(p, end, name);

	/*
	 * Not a switch: with five cases the compiler makes it a jump table,
	 * an indirect branch in what runs after the copy.
	 */
	if (outcome == KEXEC_TEARDOWN_FAILED) {
		p = kexec_teardown_put_str(p, end, err < 0 ? " failed -" :
							     " failed ");
		p = kexec_teardown_put_uint(p, end, err < 0 ?
					    0U - (unsigned int)err :
					    (unsigned int)err);
	} else if (outcome == KEXEC_TEARDOWN_DONE) {
		p = kexec_teardown_put_str(p, end, " done");
	} else if (outcome == KEXEC_TEARDOWN_SKIPPED) {
		p = kexec_teardown_put_str(p, end, " skipped (not crash-safe)");
	} else if (outcome == KEXEC_TEARDOWN_HANDOFF) {
		p = kexec_teardown_put_str(p, end, " terminal, not returning");
	} else if (outcome == KEXEC_TEARDOWN_CUT_OFF) {
		p = kexec_teardown_put_str(p, end,
					   " cut off, the CPU was stopped in it");
	}
	*p = '\0';
	return p - buf;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_format);
NOKPROBE_SYMBOL(kexec_teardown_format);

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

/* A list pointer of @reg, read by its updater, which holds @reg->lock. */
#define kexec_teardown_locked(reg, p) \
	rcu_dereference_protected(p, lockdep_is_held(&(reg)->lock))

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

static notrace void kexec_teardown_puts_line(void (*puts)(const char *s),
					     const char *line)
{
	puts("kexec_teardown: ");
	puts(line);
	puts("\n");
}

NOKPROBE_SYMBOL(kexec_teardown_puts_line);

/* Format one record; ctx carries the phase and the CPU. */
static notrace void
kexec_teardown_format_record(char *buf, const struct kexec_teardown_record *r,
			     const struct kexec_teardown *td)
{
	struct kexec_teardown_ctx ctx = {
		.phase	= r->phase,
		.cpu	= r->cpu,
		.hw_cpu	= r->hw_cpu,
	};

	kexec_teardown_format(buf, KEXEC_TEARDOWN_LINE_MAX, &ctx, td->name,
			      r->outcome, r->err);
}

NOKPROBE_SYMBOL(kexec_teardown_format_record);

/* Failures always; the rest when asked for. */
static notrace bool kexec_teardown_worth_printing(struct kexec_teardown_registry *reg,
						  enum kexec_teardown_outcome outcome)
{
	return outcome == KEXEC_TEARDOWN_FAILED ||
	       outcome == KEXEC_TEARDOWN_CUT_OFF || READ_ONCE(reg->verbose);
}

NOKPROBE_SYMBOL(kexec_teardown_worth_printing);

/*
 * Print one step after the copy, through the platform's real-mode output
 * if it declared one.  A function of its own, so that nothing the
 * post-copy walk can reach refers to printk: mk/callgraph/check.py in the
 * project checks the built kernel for that.
 */
static noinline notrace __no_stack_protector void
kexec_teardown_print_post_copy(struct kexec_teardown_registry *reg,
			       const struct kexec_teardown_ctx *ctx,
			       const struct kexec_teardown *td,
			       enum kexec_teardown_outcome outcome, int err)
{
	/*
	 * Written by kexec_teardown_format() before it is read; not zeroed
	 * by the compiler, whose memset() is KASAN's with GCC < 13.
	 */
	char line[KEXEC_TEARDOWN_LINE_MAX] __uninitialized;
	void (*puts)(const char *s) = READ_ONCE(reg->puts);

	if (!puts)
		return;
	kexec_teardown_format(line, sizeof(line), ctx, td->name, outcome, err);
	kexec_teardown_puts_line(puts, line);
}

NOKPROBE_SYMBOL(kexec_teardown_print_post_copy);

/*
 * Print one step before the copy, with printk (deferred on the crash
 * path, hence the replay).  Only called for what is worth printing: the
 * common case, a step that went well, costs a record and no formatting.
 */
static noinline notrace void
kexec_teardown_print(struct kexec_teardown_registry *reg,
		     const struct kexec_teardown_ctx *ctx,
		     const struct kexec_teardown *td,
		     enum kexec_teardown_outcome outcome, int err)
{
	char line[KEXEC_TEARDOWN_LINE_MAX];

	kexec_teardown_format(line, sizeof(line), ctx, td->name, outcome, err);
	if (outcome == KEXEC_TEARDOWN_FAILED ||
	    outcome == KEXEC_TEARDOWN_CUT_OFF)
		pr_err("%s (%ps)\n", line, td->fn);
	else
		pr_info("%s\n", line);
}

NOKPROBE_SYMBOL(kexec_teardown_print);

/*
 * Record a step worth printing (a failure, or every step with @verbose)
 * and print it.  Inlined in the walk: a step that went well costs a test.
 * Steps that went well are not recorded by default, so that on a large
 * machine they cannot fill the trace before the failures the crash replay
 * exists to show.
 */
static __always_inline void
kexec_teardown_report(struct kexec_teardown_registry *reg,
		      const struct kexec_teardown_ctx *ctx,
		      const struct kexec_teardown *td,
		      enum kexec_teardown_outcome outcome, int err,
		      bool post_copy)
{
	struct kexec_teardown_record *r;
	unsigned int slot;

	if (likely(!kexec_teardown_worth_printing(reg, outcome)))
		return;
	/* Each walker records into a slot of its own; slots start zeroed. */
	slot = atomic_inc_return(&reg->nr_trace) - 1;
	if (likely(slot < KEXEC_TEARDOWN_TRACE_MAX)) {
		r = &reg->trace[slot];
		r->cpu = ctx->cpu;
		r->hw_cpu = ctx->hw_cpu;
		r->err = err;
		r->phase = ctx->phase;
		r->outcome = outcome;
		/* The replay takes a slot whose step it sees as complete. */
		smp_store_release(&r->td, td);
	}
	if (post_copy)
		kexec_teardown_print_post_copy(reg, ctx, td, outcome, err);
	else
		kexec_teardown_print(reg, ctx, td, outcome, err);
}

/*
 * On the crash path printk is deferred, or (since 6.7) drops what the CPUs
 * other than the panic one print, so the lines of the secondary and primary
 * phases never reached the console: print now those worth printing, at
 * most KEXEC_TEARDOWN_REPLAY_MAX of them, through @puts after the copy, or
 * with printk from the panic CPU.  A slot that a stuck CPU is still
 * writing is not printed.  Specialised at compile time, so that the
 * post-copy replay does not reach printk.
 */
static __always_inline void
__kexec_teardown_replay(struct kexec_teardown_registry *reg,
			void (*puts)(const char *s), bool use_printk)
{
	unsigned int i, printed = 0, left = 0, n = atomic_read(&reg->nr_trace);
	const struct kexec_teardown_record *r;
	const struct kexec_teardown *td;
	/* Written before it is read, as in kexec_teardown_print_post_copy() */
	char line[KEXEC_TEARDOWN_LINE_MAX] __uninitialized;
	char *p, *end = line + sizeof(line) - 1;

	for (i = 0; i < n && i < KEXEC_TEARDOWN_TRACE_MAX; i++) {
		r = &reg->trace[i];
		/* Pairs with the smp_store_release() that completes a slot. */
		td = smp_load_acquire(&r->td);
		if (!td || r->phase == KEXEC_TEARDOWN_POST_COPY ||
		    !kexec_teardown_worth_printing(reg, r->outcome))
			continue;
		if (printed == KEXEC_TEARDOWN_REPLAY_MAX) {
			left++;
			continue;
		}
		kexec_teardown_format_record(line, r, td);
		if (use_printk)
			pr_info("%s\n", line);
		else
			kexec_teardown_puts_line(puts, line);
		printed++;
	}
	if (n > KEXEC_TEARDOWN_TRACE_MAX)
		left += n - KEXEC_TEARDOWN_TRACE_MAX;
	if (left) {
		p = kexec_teardown_put_uint(line, end, left);
		p = kexec_teardown_put_str(p, end, " more steps not shown");
		*p = '\0';
		if (use_printk)
			pr_info("%s\n", line);
		else
			kexec_teardown_puts_line(puts, line);
	}
}

/* The replay after the copy, through the platform's real-mode output. */
static notrace __no_stack_protector void
kexec_teardown_replay(struct kexec_teardown_registry *reg,
		      void (*puts)(const char *s))
{
	__kexec_teardown_replay(reg, puts, false);
}

NOKPROBE_SYMBOL(kexec_teardown_replay);

/*
 * The replay where the architecture has no post-copy phase: from the
 * crash primary phase, the last one, on the panic CPU, whose printk still
 * reaches the log and the console.
 */
static noinline notrace void
kexec_teardown_replay_printk(struct kexec_teardown_registry *reg)
{
	__kexec_teardown_replay(reg, NULL, true);
}

NOKPROBE_SYMBOL(kexec_teardown_replay_printk);

/*
 * The step of the secondary phase each CPU is in, for
 * kexec_teardown_cut_off(); never written after the copy.
 */
static DEFINE_PER_CPU(const struct kexec_teardown *, kexec_teardown_running);

/*
 * The walk of one phase, specialised at compile time for the post-copy
 * phase, whose output is the platform's real-mode console and never
 * printk.
 */
static __always_inline void
__kexec_teardown_walk(struct kexec_teardown_registry *reg,
		      enum kexec_teardown_phase phase,
		      unsigned int cpu, u64 hw_cpu,
		      kexec_teardown_call_t call, bool post_copy)
{
	struct kexec_teardown_ctx ctx = {
		.phase	= phase,
		.cpu	= cpu,
		.hw_cpu	= hw_cpu,
	};
	const struct kexec_teardown *td;
	enum kexec_teardown_outcome outcome;
	void (*puts)(const char *s);
	int err;

	/* Pairs with the smp_store_release() of the seal. */
	if (smp_load_acquire(&reg->sealed)) {
		ctx.crash = READ_ONCE(reg->crash);
	} else {
		atomic_inc(&reg->nr_unsealed);
		ctx.crash = true;
	}
	/*
	 * A secondary that only an NMI could stop (x86 sends one when the
	 * reboot vector was not taken within a second) was interrupted
	 * anywhere, maybe holding a lock a step takes: as on the crash
	 * path, only its crash-safe steps run.
	 */
	if (!post_copy && phase == KEXEC_TEARDOWN_SECONDARY && in_nmi())
		ctx.crash = true;
	puts = READ_ONCE(reg->puts);
	if (post_copy && ctx.crash && puts)
		kexec_teardown_replay(reg, puts);
	else if (!post_copy && ctx.crash && phase == KEXEC_TEARDOWN_PRIMARY &&
		 !(reg->phases & BIT(KEXEC_TEARDOWN_POST_COPY)))
		kexec_teardown_replay_printk(reg);

	/*
	 * No rcu_read_lock(): the secondary and primary walks run with
	 * interrupts off or in NMI, which makes them RCU readers that
	 * kexec_teardown_remove() waits for; the prepare and post-copy
	 * walks run on a sealed registry, whose lists no longer change.
	 * Raw, because lockdep cannot tell, and must not be asked after the
	 * copy.  Pairs with the rcu_assign_pointer() in kexec_teardown_add():
	 * a walker that interrupts a registration sees the new step whole,
	 * or not at all.
	 */
	td = rcu_dereference_raw(reg->head[phase]);
	while (td) {
		err = 0;
		if (ctx.crash && !(td->flags & KEXEC_TEARDOWN_CRASH_SAFE)) {
			atomic_inc(&reg->nr_skipped);
			outcome = KEXEC_TEARDOWN_SKIPPED;
		} else {
			ctx.data = td->data;
			if (td->flags & KEXEC_TEARDOWN_TERMINAL)
				kexec_teardown_report(reg, &ctx, td,
						      KEXEC_TEARDOWN_HANDOFF, 0,
						      post_copy);
			if (!post_copy && phase == KEXEC_TEARDOWN_SECONDARY)
				this_cpu_write(kexec_teardown_running, td);
			err = call ? call(td->fn, &ctx) : td->fn(&ctx);
			if (!post_copy && phase == KEXEC_TEARDOWN_SECONDARY)
				this_cpu_write(kexec_teardown_running, NULL);
			atomic_inc(&reg->nr_run);
			if (unlikely(err)) {
				atomic_inc(&reg->nr_failed);
				WRITE_ONCE(reg->last_failed, td);
				WRITE_ONCE(reg->last_err, err);
			}
			outcome = err ? KEXEC_TEARDOWN_FAILED :
					KEXEC_TEARDOWN_DONE;
		}
		kexec_teardown_report(reg, &ctx, td, outcome, err, post_copy);
		/* Pairs with the rcu_assign_pointer() in kexec_teardown_add(). */
		td = rcu_dereference_raw(td->next);
	}
}

/* The post-copy walk: the only one kexec_teardown_run_post_copy() reaches. */
static noinline notrace __no_stack_protector void
kexec_teardown_walk_post_copy(struct kexec_teardown_registry *reg,
			      unsigned int cpu, u64 hw_cpu,
			      kexec_teardown_call_t call)
{
	__kexec_teardown_walk(reg, KEXEC_TEARDOWN_POST_COPY, cpu, hw_cpu, call,
			      true);
}

NOKPROBE_SYMBOL(kexec_teardown_walk_post_copy);

/**
 * kexec_teardown_run - run one phase of a registry on this CPU
 * @reg:	The registry.
 * @phase:	The phase.
 * @cpu:	Logical id of this CPU.
 * @hw_cpu:	Hardware id of this CPU, or %KEXEC_TEARDOWN_NO_HW_CPU.
 * @call:	How to call each step (the architecture's fault guard), or
 *		NULL for a plain call.
 *
 * Calls the steps of @phase in order, only the crash-safe ones if the
 * registry was sealed for the crash path, records and prints the failures
 * (every step with @reg->verbose) and goes on after a failure.
 * On the crash path, the post-copy walk first replays through @reg->puts
 * what the earlier phases could not print.  Takes no lock, allocates
 * nothing and never warns: it may run in NMI context.
 *
 * A walk that finds @reg unsealed was started without
 * kexec_teardown_start*(); it cannot tell a crash from a kexec, so it runs
 * the crash-safe steps only, and counts itself in @reg->nr_unsealed.
 *
 * Context: The context of @phase, see &enum kexec_teardown_phase.
 */
notrace void kexec_teardown_run(struct kexec_teardown_registry *reg,
				enum kexec_teardown_phase phase,
				unsigned int cpu, u64 hw_cpu,
				kexec_teardown_call_t call)
{
	if ((unsigned int)phase >= KEXEC_TEARDOWN_NR_PHASES)
		return;
	if (phase == KEXEC_TEARDOWN_POST_COPY)
		kexec_teardown_walk_post_copy(reg, cpu, hw_cpu, call);
	else
		__kexec_teardown_walk(reg, phase, cpu, hw_cpu, call, false);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_run);
NOKPROBE_SYMBOL(kexec_teardown_run);

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
 * kexec_teardown_post_copy_puts - print after the copy
 * @s: NUL-terminated string.
 *
 * Prints @s through the output declared with
 * kexec_teardown_set_post_copy_output(), or nowhere if the platform
 * declared none: for the architecture's own post-copy messages.
 *
 * Context: Any context, including post-copy.
 */
notrace void kexec_teardown_post_copy_puts(const char *s)
{
	void (*puts)(const char *s) = READ_ONCE(kexec_teardown_global.puts);

	if (puts)
		puts(s);
}

NOKPROBE_SYMBOL(kexec_teardown_post_copy_puts);

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

/**
 * kexec_teardown_crashing - is the running kexec a crash kexec?
 *
 * Context: Any context, including post-copy.
 * Return: True once kexec_teardown_start_crash() has run.
 */
notrace bool kexec_teardown_crashing(void)
{
	return READ_ONCE(kexec_teardown_global.crash);
}

NOKPROBE_SYMBOL(kexec_teardown_crashing);

/**
 * kexec_teardown_run_secondary - run the secondary phase on this CPU
 * @cpu:	smp_processor_id() of this CPU.
 * @hw_cpu:	Hardware id of this CPU, as the architecture names it to
 *		firmware (hard_smp_processor_id() on powerpc, the APIC id on
 *		x86).
 *
 * Called by the architecture on each secondary CPU, in the IPI (or NMI)
 * that stops it, before it parks.
 *
 * Context: IPI or NMI, interrupts hard-disabled.
 */
notrace void kexec_teardown_run_secondary(unsigned int cpu, u64 hw_cpu)
{
	kexec_teardown_run(&kexec_teardown_global, KEXEC_TEARDOWN_SECONDARY,
			   cpu, hw_cpu, NULL);
}

NOKPROBE_SYMBOL(kexec_teardown_run_secondary);

/**
 * kexec_teardown_cut_off - record a secondary stopped in one of its steps
 * @cpu:	Logical id of this CPU.
 * @hw_cpu:	Hardware id of this CPU, as for kexec_teardown_run_secondary().
 *
 * For an architecture that stops a secondary a second time, with an NMI,
 * when it did not stop in time: x86 waits one second for the reboot
 * vector, then sends the NMI, which finds the CPU wherever it is.  If
 * the NMI interrupted a step of the secondary phase on this CPU, that
 * step never finished: record it, as a failure, and print it, naming the
 * step and the CPU.
 *
 * Context: NMI, on the CPU that was stopped.
 * Return: true if this CPU was in a step of the secondary phase.
 */
notrace bool kexec_teardown_cut_off(unsigned int cpu, u64 hw_cpu)
{
	return __kexec_teardown_cut_off(&kexec_teardown_global, cpu, hw_cpu);
}

NOKPROBE_SYMBOL(kexec_teardown_cut_off);

/* kexec_teardown_cut_off() on any registry: KUnit uses one of its own. */
notrace bool __kexec_teardown_cut_off(struct kexec_teardown_registry *reg,
				      unsigned int cpu, u64 hw_cpu)
{
	const struct kexec_teardown *td = this_cpu_read(kexec_teardown_running);
	struct kexec_teardown_ctx ctx = {
		.phase	= KEXEC_TEARDOWN_SECONDARY,
		.cpu	= cpu,
		.hw_cpu	= hw_cpu,
		.crash	= READ_ONCE(reg->crash),
	};

	if (!td)
		return false;
	atomic_inc(&reg->nr_failed);
	WRITE_ONCE(reg->last_failed, td);
	WRITE_ONCE(reg->last_err, -EINTR);
	kexec_teardown_report(reg, &ctx, td, KEXEC_TEARDOWN_CUT_OFF, -EINTR,
			      false);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(__kexec_teardown_cut_off);
NOKPROBE_SYMBOL(__kexec_teardown_cut_off);

/**
 * kexec_teardown_run_primary - run the primary phase
 * @cpu:	smp_processor_id() of the CPU doing the kexec.
 * @hw_cpu:	Hardware id of that CPU, as for
 *		kexec_teardown_run_secondary().
 * @call:	Calls each step under the architecture's fault guard, or
 *		NULL for a plain call.
 *
 * Called by the architecture once every secondary CPU has parked.  On the
 * crash path, a step that faults under @call is recorded as failed and
 * the next one runs.
 *
 * Context: Interrupts hard-disabled, other CPUs parked.
 */
notrace void kexec_teardown_run_primary(unsigned int cpu, u64 hw_cpu,
					kexec_teardown_call_t call)
{
	kexec_teardown_run(&kexec_teardown_global, KEXEC_TEARDOWN_PRIMARY,
			   cpu, hw_cpu, call);
}

NOKPROBE_SYMBOL(kexec_teardown_run_primary);

/**
 * kexec_teardown_run_post_copy - run the post-copy phase
 * @cpu:	Logical id of the CPU doing the kexec.
 * @hw_cpu:	Hardware id of that CPU.
 *
 * Called by the architecture after the new image has been copied, in real
 * mode, with only core kernel text, data, bss and the stack intact.  The
 * caller passes @cpu and @hw_cpu because per-CPU data may be gone.  The
 * only output is the one set with kexec_teardown_set_post_copy_output().
 *
 * Context: Real mode, interrupts off, no per-CPU data, no locks.
 */
notrace void kexec_teardown_run_post_copy(unsigned int cpu, u64 hw_cpu)
{
	kexec_teardown_walk_post_copy(&kexec_teardown_global, cpu, hw_cpu,
				      NULL);
}

NOKPROBE_SYMBOL(kexec_teardown_run_post_copy);

/**
 * kexec_teardown_drop_module - drop the steps of a module that goes away
 * @reg:	The registry.
 * @mod:	The module.
 *
 * A module that is unloaded with steps still registered loses them, with
 * a warning naming each one.  Before a kexec has started only: once sealed,
 * the lists never change (the owners are pinned, and the steps of a module
 * still loading were dropped at the seal), so this only warns.
 *
 * Context: Process context, takes @reg->lock and waits for an RCU grace
 * period if anything was dropped.
 */
void kexec_teardown_drop_module(struct kexec_teardown_registry *reg,
				const struct module *mod)
{
	struct kexec_teardown __rcu **pp;
	struct kexec_teardown *td;
	bool dropped = false;
	int phase;

	mutex_lock(&reg->lock);
	for (phase = 0; phase < KEXEC_TEARDOWN_NR_PHASES; phase++) {
		pp = &reg->head[phase];
		while ((td = kexec_teardown_locked(reg, *pp))) {
			if (td->owner == mod && READ_ONCE(reg->sealed)) {
				pr_warn("%s: module %s went away after a kexec started, step kept\n",
					td->name, module_name(td->owner));
				pp = &td->next;
				continue;
			}
			if (td->owner != mod) {
				pp = &td->next;
				continue;
			}
			pr_warn("%s: module %s went away without unregistering it, step dropped\n",
				td->name, module_name(td->owner));
			/* @td keeps its next pointer, see kexec_teardown_remove(). */
			RCU_INIT_POINTER(*pp, kexec_teardown_locked(reg, td->next));
			dropped = true;
		}
	}
	mutex_unlock(&reg->lock);
	if (dropped)
		synchronize_rcu();
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_drop_module);

#ifdef CONFIG_MODULES
static int kexec_teardown_module_notify(struct notifier_block *nb,
					unsigned long action, void *data)
{
	if (action == MODULE_STATE_GOING)
		kexec_teardown_drop_module(&kexec_teardown_global, data);
	return NOTIFY_DONE;
}

static struct notifier_block kexec_teardown_module_nb = {
	.notifier_call = kexec_teardown_module_notify,
};

static int __init kexec_teardown_init(void)
{
	kexec_teardown_global.pin_owners = true;
	return register_module_notifier(&kexec_teardown_module_nb);
}
core_initcall(kexec_teardown_init);
#endif /* CONFIG_MODULES */

#ifdef CONFIG_DEBUG_FS
static const char *kexec_teardown_flags_name(unsigned int flags)
{
	switch (flags & KEXEC_TEARDOWN_VALID_FLAGS) {
	case 0:
		return "-";
	case KEXEC_TEARDOWN_CRASH_SAFE:
		return "crash-safe";
	case KEXEC_TEARDOWN_TERMINAL:
		return "terminal";
	default:
		return "crash-safe,terminal";
	}
}

static int kexec_teardown_show(struct seq_file *m, void *v)
{
	struct kexec_teardown_registry *reg = m->private;
	const struct kexec_teardown *td;
	unsigned int order;
	int phase;

	mutex_lock(&reg->lock);
	seq_printf(m, "# sealed: %s\n", !READ_ONCE(reg->sealed) ? "no" :
		   READ_ONCE(reg->crash) ? "yes (crash)" : "yes");
	if (!reg->supported)
		seq_puts(m, "# not run: this kernel's kexec does not support the registry\n");
	seq_puts(m, "# phase    order priority name                             flags               owner    callback\n");
	for (phase = 0; phase < KEXEC_TEARDOWN_NR_PHASES; phase++) {
		order = 0;
		for (td = kexec_teardown_locked(reg, reg->head[phase]); td;
		     td = kexec_teardown_locked(reg, td->next)) {
			seq_printf(m, "%-10s %5u %8d %-32s %-19s %-8s %ps\n",
				   kexec_teardown_phase_name(phase), ++order,
				   td->priority, td->name,
				   kexec_teardown_flags_name(td->flags),
				   module_name(td->owner), td->fn);
		}
	}
	mutex_unlock(&reg->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kexec_teardown);

static int __init kexec_teardown_debugfs_init(void)
{
	struct dentry *dir = debugfs_create_dir("kexec_teardown", NULL);

	debugfs_create_file("registrations", 0444, dir, &kexec_teardown_global,
			    &kexec_teardown_fops);
	return 0;
}
late_initcall(kexec_teardown_debugfs_init);
#endif /* CONFIG_DEBUG_FS */
