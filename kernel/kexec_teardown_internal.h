/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec teardown registry internals, shared by kernel/kexec_teardown*.c, its
 * KUnit test and the userspace harness in tools/testing/kexec_teardown/.
 * Architecture and driver code must use <linux/kexec_teardown.h> only.
 */
#ifndef _KERNEL_KEXEC_TEARDOWN_INTERNAL_H
#define _KERNEL_KEXEC_TEARDOWN_INTERNAL_H

#include <linux/atomic.h>
#include <linux/kexec_teardown.h>
#include <linux/mutex.h>
#include <linux/types.h>

/* Longest line kexec_teardown_format() produces, including the NUL. */
#define KEXEC_TEARDOWN_LINE_MAX		128

/* Steps a registry records for the crash path's replay, see below. */
#define KEXEC_TEARDOWN_TRACE_MAX	128

/*
 * Lines the crash replay prints at most: each character costs a hypervisor
 * call on some platforms, and the capture kernel is waiting.
 */
#define KEXEC_TEARDOWN_REPLAY_MAX	64

/**
 * enum kexec_teardown_outcome - what a walk records for one step
 * @KEXEC_TEARDOWN_DONE:	The callback returned 0.
 * @KEXEC_TEARDOWN_FAILED:	The callback returned an error.
 * @KEXEC_TEARDOWN_SKIPPED:	Not crash-safe, left out on the crash path.
 * @KEXEC_TEARDOWN_HANDOFF:	A terminal callback is about to be called.
 * @KEXEC_TEARDOWN_CUT_OFF:	The CPU was stopped in the step (x86's NMI
 *				after the reboot vector's second), a failure.
 */
enum kexec_teardown_outcome {
	KEXEC_TEARDOWN_DONE,
	KEXEC_TEARDOWN_FAILED,
	KEXEC_TEARDOWN_SKIPPED,
	KEXEC_TEARDOWN_HANDOFF,
	KEXEC_TEARDOWN_CUT_OFF,
};

/**
 * struct kexec_teardown_record - one step walked, as the trace keeps it
 * @td:		The step; NULL while the slot is being written.
 * @cpu:	Logical id of the CPU that walked it.
 * @hw_cpu:	Hardware id of that CPU.
 * @err:	What the callback returned.
 * @phase:	The phase.
 * @outcome:	&enum kexec_teardown_outcome.
 *
 * Recording is a few stores; the line is only formatted when it is
 * printed.  The crash replay reads @td->name after the other CPUs stopped:
 * a crash kexec copies nothing over this kernel, so it is still there.
 */
struct kexec_teardown_record {
	const struct kexec_teardown *td;
	unsigned int cpu;
	u64 hw_cpu;
	int err;
	u8 phase;
	u8 outcome;
};

/**
 * struct kexec_teardown_registry - a set of teardown steps
 * @lock:	Serialises registration, unregistration and sealing.  Never
 *		taken by the walk: the walk runs with the other CPUs stopped,
 *		maybe while one of them holds the lock.
 * @head:	Per phase, the steps in run order: an RCU-protected singly
 *		linked list, updated under @lock.  A step is published with
 *		rcu_assign_pointer(), so that a walker that interrupts a
 *		registration sees it whole or not at all; an unlinked step
 *		keeps its @next, as after hlist_del_rcu(), so a walker
 *		standing on it still reaches the rest of the list.  The
 *		secondary and primary walkers are RCU readers by running with
 *		interrupts off, or in NMI, which synchronize_rcu() waits for
 *		(see kexec_teardown_remove()); the others walk sealed lists.
 * @puts:	Output of the post-copy phase (and of the crash replay): a
 *		notrace function in core kernel text that the platform
 *		declared safe in real mode, or NULL for none.
 * @pin_owners: Pin the modules that own steps when sealing (the global
 *		registry); test registries leave it clear.
 * @supported:	This kernel's kexec runs this registry; registration fails
 *		with -EOPNOTSUPP otherwise.
 * @phases:	The phases the architecture runs, BIT(phase) each; a step
 *		for another phase is refused with -EOPNOTSUPP.
 * @verbose:	Print the steps that went well too, not only failures.
 * @sealed:	Set when a kexec starts, with release semantics after
 *		@crash; (un)registration then fails with -EBUSY and the lists
 *		never change again.
 * @crash:	Set when the crash path sealed the registry: only
 *		KEXEC_TEARDOWN_CRASH_SAFE steps run.
 * @nr_run:	Callbacks that ran, over all phases and CPUs.
 * @nr_failed:	Callbacks that returned an error.
 * @nr_skipped:	Steps left out because they are not crash-safe.
 * @nr_unsealed: Walks that found the registry unsealed (a missing
 *		kexec_teardown_start*() call); they ran the crash-safe
 *		steps only.
 * @last_failed: The last step that returned an error.
 * @last_err:	The error it returned.
 * @nr_trace:	Slots claimed in @trace, including those that did not fit.
 * @trace:	Each step worth printing (a failure, or every step with
 *		@verbose), in the order the walkers claimed their slots.  The
 *		crash path defers printk, so nothing logged before the copy
 *		reaches the console; the post-copy walk replays the trace
 *		through @puts first.
 *
 * The global registry is statically allocated, so all of it, lists and
 * trace included, survives the copy of the new image: the post-copy walk
 * reads nothing else.
 */
struct kexec_teardown_registry {
	struct mutex lock;	/* (un)registration and sealing */
	struct kexec_teardown __rcu *head[KEXEC_TEARDOWN_NR_PHASES];
	void (*puts)(const char *s);
	unsigned int phases;
	bool pin_owners;
	bool supported;
	bool verbose;
	bool sealed;
	bool crash;
	atomic_t nr_run;
	atomic_t nr_failed;
	atomic_t nr_skipped;
	atomic_t nr_unsealed;
	const struct kexec_teardown *last_failed;
	int last_err;
	atomic_t nr_trace;
	struct kexec_teardown_record trace[KEXEC_TEARDOWN_TRACE_MAX];
};

void kexec_teardown_registry_init(struct kexec_teardown_registry *reg);
int kexec_teardown_add(struct kexec_teardown_registry *reg,
		       struct kexec_teardown *td);
int kexec_teardown_remove(struct kexec_teardown_registry *reg,
			  struct kexec_teardown *td);
void kexec_teardown_seal(struct kexec_teardown_registry *reg);
void kexec_teardown_seal_crash(struct kexec_teardown_registry *reg);
void kexec_teardown_run(struct kexec_teardown_registry *reg,
			enum kexec_teardown_phase phase,
			unsigned int cpu, u64 hw_cpu,
			kexec_teardown_call_t call);
bool __kexec_teardown_cut_off(struct kexec_teardown_registry *reg,
			      unsigned int cpu, u64 hw_cpu);
void kexec_teardown_drop_module(struct kexec_teardown_registry *reg,
				const struct module *mod);
const char *kexec_teardown_phase_name(enum kexec_teardown_phase phase);
size_t kexec_teardown_format(char *buf, size_t size,
			     const struct kexec_teardown_ctx *ctx,
			     const char *name,
			     enum kexec_teardown_outcome outcome, int err);

/*
 * Between the registry's files: kexec_teardown.c (registration and the
 * seal), kexec_teardown_walk.c (the walk), kexec_teardown_trace.c (what a
 * walk prints, and the crash replay) and kexec_teardown_debugfs.c.
 */
#define KEXEC_TEARDOWN_VALID_FLAGS \
	((unsigned int)(KEXEC_TEARDOWN_CRASH_SAFE | KEXEC_TEARDOWN_TERMINAL))

/* A list pointer of @reg, read by its updater, which holds @reg->lock. */
#define kexec_teardown_locked(reg, p) \
	rcu_dereference_protected(p, lockdep_is_held(&(reg)->lock))

/* Failures always; the rest when asked for. */
static __always_inline bool
kexec_teardown_worth_printing(struct kexec_teardown_registry *reg,
			      enum kexec_teardown_outcome outcome)
{
	return outcome == KEXEC_TEARDOWN_FAILED ||
	       outcome == KEXEC_TEARDOWN_CUT_OFF || READ_ONCE(reg->verbose);
}

/* kexec_teardown.c */
extern struct kexec_teardown_registry kexec_teardown_global;

/* kexec_teardown_trace.c */
void kexec_teardown_print_post_copy(struct kexec_teardown_registry *reg,
				    const struct kexec_teardown_ctx *ctx,
				    const struct kexec_teardown *td,
				    enum kexec_teardown_outcome outcome, int err);
void kexec_teardown_print(struct kexec_teardown_registry *reg,
			  const struct kexec_teardown_ctx *ctx,
			  const struct kexec_teardown *td,
			  enum kexec_teardown_outcome outcome, int err);
void kexec_teardown_replay(struct kexec_teardown_registry *reg,
			   void (*puts)(const char *s));
void kexec_teardown_replay_printk(struct kexec_teardown_registry *reg);

#endif /* _KERNEL_KEXEC_TEARDOWN_INTERNAL_H */
