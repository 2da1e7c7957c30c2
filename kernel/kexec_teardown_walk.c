// SPDX-License-Identifier: GPL-2.0
/*
 * kexec teardown registry: the walk of a phase, and the entry points the
 * architecture calls while it stops the machine.
 */

#define pr_fmt(fmt) "kexec_teardown: " fmt

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/smp.h>

#include <kunit/visibility.h>

#include "kexec_teardown_internal.h"

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
