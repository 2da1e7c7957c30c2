/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec teardown registry internals, shared by kernel/kexec_teardown.c, its
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
#define KEXEC_TEARDOWN_LINE_MAX		96

/* Lines a registry keeps for the crash path's replay, see below. */
#define KEXEC_TEARDOWN_TRACE_MAX	128

/**
 * struct kexec_teardown_registry - a set of teardown steps
 * @lock:	Serialises registration, unregistration and sealing.  Never
 *		taken by the walk: the walk runs with the other CPUs stopped,
 *		maybe while one of them holds the lock.
 * @head:	Per phase, the steps in run order.  Published with
 *		smp_store_release() so that a lockless walker sees a
 *		consistent list even if it interrupts a registration.
 * @pin_owners: Pin the modules that own steps when sealing (the global
 *		registry); test registries leave it clear.
 * @sealed:	Set when a kexec starts; (un)registration then fails with
 *		-EBUSY and the lists never change again.
 * @crash:	Set when the crash path sealed the registry: only
 *		KEXEC_TEARDOWN_CRASH_SAFE steps run.
 * @nr_run:	Callbacks that ran, over all phases and CPUs.
 * @nr_failed:	Callbacks that returned an error.
 * @nr_skipped:	Steps left out because they are not crash-safe.
 * @last_failed: The last step that returned an error.
 * @last_err:	The error it returned.
 * @nr_trace:	Lines claimed in @trace, including those that did not fit.
 * @trace:	The line of each step walked, in the order the walkers
 *		claimed their slots.  The crash path defers printk, so
 *		nothing logged before the copy reaches the console; the
 *		post-copy walk replays these lines through the architecture's
 *		output first.
 *
 * The global registry is static, so all of it, lists and trace included,
 * survives the copy of the new image: the post-copy walk reads nothing
 * else.
 */
struct kexec_teardown_registry {
	struct mutex lock;	/* (un)registration and sealing */
	struct kexec_teardown *head[KEXEC_TEARDOWN_NR_PHASES];
	bool pin_owners;
	bool sealed;
	bool crash;
	atomic_t nr_run;
	atomic_t nr_failed;
	atomic_t nr_skipped;
	const struct kexec_teardown *last_failed;
	int last_err;
	atomic_t nr_trace;
	char trace[KEXEC_TEARDOWN_TRACE_MAX][KEXEC_TEARDOWN_LINE_MAX];
};

/**
 * enum kexec_teardown_outcome - what a walk logs for one step
 * @KEXEC_TEARDOWN_DONE:	The callback returned 0.
 * @KEXEC_TEARDOWN_FAILED:	The callback returned an error.
 * @KEXEC_TEARDOWN_SKIPPED:	Not crash-safe, left out on the crash path.
 * @KEXEC_TEARDOWN_HANDOFF:	A terminal callback is about to be called.
 */
enum kexec_teardown_outcome {
	KEXEC_TEARDOWN_DONE,
	KEXEC_TEARDOWN_FAILED,
	KEXEC_TEARDOWN_SKIPPED,
	KEXEC_TEARDOWN_HANDOFF,
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
			unsigned int cpu, unsigned int hw_cpu,
			void (*puts)(const char *s));
const char *kexec_teardown_phase_name(enum kexec_teardown_phase phase);
size_t kexec_teardown_format(char *buf, size_t size,
			     const struct kexec_teardown_ctx *ctx,
			     const char *name,
			     enum kexec_teardown_outcome outcome, int err);

#endif /* _KERNEL_KEXEC_TEARDOWN_INTERNAL_H */
