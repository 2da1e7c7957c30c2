/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kexec teardown registry: ordered machine teardown for kexec and crash kexec.
 *
 * Platform and driver code registers a statically described teardown step
 * for one phase of the kexec sequence; the architecture's kexec code runs
 * each phase at the point where that context exists.  See
 * Documentation/core-api/kexec_teardown.rst.
 *
 * Callbacks are not allowed to sleep except in the prepare phase, and none
 * of them can stop the kexec: by the time they run it is too late to fail.
 * A callback reports a failure by returning a negative errno; the registry
 * logs it and carries on with the next step.
 */
#ifndef _LINUX_KEXEC_TEARDOWN_H
#define _LINUX_KEXEC_TEARDOWN_H

#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/limits.h>
#include <linux/types.h>

struct module;

/**
 * enum kexec_teardown_phase - the points of the kexec sequence that run
 *                             teardown callbacks
 *
 * @KEXEC_TEARDOWN_PREPARE: Process context on the CPU doing the kexec,
 *	interrupts enabled, the other CPUs still online, after
 *	device_shutdown() and syscore_shutdown() and before the
 *	architecture's machine_shutdown().  May take mutexes and allocate,
 *	but devices and syscore (timers included) are already shut down:
 *	never wait for an interrupt.  Never runs on the crash path.
 * @KEXEC_TEARDOWN_SECONDARY: On every secondary CPU (every online CPU that
 *	is not doing the kexec), on that CPU itself, from the IPI (or NMI on
 *	the crash path) that stops it, with interrupts hard-disabled, before
 *	it parks in the kexec wait loop.  Must not sleep or take locks that
 *	another CPU may hold.
 * @KEXEC_TEARDOWN_PRIMARY: On the CPU doing the kexec, interrupts off,
 *	after every secondary CPU has parked.  Must not sleep.
 * @KEXEC_TEARDOWN_POST_COPY: On the CPU doing the kexec, in real mode,
 *	after the new image has been copied over memory.  Dynamically
 *	allocated and per-CPU memory may already be overwritten: only core
 *	kernel text, data and bss and the stack may be used.  No locks, no
 *	allocation, no tracing, no instrumentation and no printk: the
 *	callback and everything it calls must be notrace and built without
 *	sanitizers.
 * @KEXEC_TEARDOWN_NR_PHASES: Number of phases; not a phase.
 */
enum kexec_teardown_phase {
	KEXEC_TEARDOWN_PREPARE,
	KEXEC_TEARDOWN_SECONDARY,
	KEXEC_TEARDOWN_PRIMARY,
	KEXEC_TEARDOWN_POST_COPY,
	KEXEC_TEARDOWN_NR_PHASES,
};

/*
 * Priority bands.  Within a phase, a higher priority runs earlier; equal
 * priorities run in name order.  Quiesce what writes to memory first,
 * then give back what the hypervisor shares with this kernel, then stop
 * interrupts, and take the address space down last, before the handoff.
 */
/*
 * First of all in the primary phase: waiting until the secondaries are
 * gone (a platform whose secondaries leave through firmware), which the
 * steps below may need.
 */
#define KEXEC_TEARDOWN_PRIO_WAIT	400
#define KEXEC_TEARDOWN_PRIO_DEVICE	300
#define KEXEC_TEARDOWN_PRIO_HYPERVISOR	200
#define KEXEC_TEARDOWN_PRIO_DEFAULT	0
#define KEXEC_TEARDOWN_PRIO_IRQ		-100
#define KEXEC_TEARDOWN_PRIO_MMU		-200
/* Last of all: handing the CPUs over to the next kernel. */
#define KEXEC_TEARDOWN_PRIO_HANDOFF	-300

/*
 * Flags.
 *
 * KEXEC_TEARDOWN_CRASH_SAFE: also run on the crash (panic) path.  Only
 *	set this for steps that the capture kernel cannot do without and
 *	that cannot hang on state a dead CPU left behind.
 * KEXEC_TEARDOWN_TERMINAL: the callback hands the CPU to firmware and
 *	does not return when that works.  It runs after every other
 *	callback of its phase; only the secondary phase takes one, and one
 *	at most.  If the firmware does not take the CPU, the callback
 *	returns an error, which is reported as for any step, and the CPU
 *	goes on as it would without a terminal step (on powerpc it waits
 *	in the kexec handoff loop and the next kernel releases it).
 */
#define KEXEC_TEARDOWN_CRASH_SAFE	BIT(0)
#define KEXEC_TEARDOWN_TERMINAL		BIT(1)

/* &kexec_teardown_ctx.hw_cpu when no hardware CPU id applies. */
#define KEXEC_TEARDOWN_NO_HW_CPU	U64_MAX

/**
 * struct kexec_teardown_ctx - argument of a teardown callback
 * @phase:	The phase being run.
 * @cpu:	Logical id of the CPU running the callback.
 * @hw_cpu:	Hardware id of the CPU running the callback, as firmware and
 *		the hypervisor name it: the hardware thread id on powerpc,
 *		the APIC id on x86; 64 bits also hold an arm64 MPIDR or a
 *		RISC-V hart id.  Use this, never the phase, to tell the
 *		hypervisor which thread is meant.  The prepare phase is not
 *		tied to a CPU's hardware state and passes
 *		%KEXEC_TEARDOWN_NO_HW_CPU.
 * @crash:	True on the crash (panic) path.
 * @data:	The descriptor's @data.
 */
struct kexec_teardown_ctx {
	enum kexec_teardown_phase phase;
	unsigned int cpu;
	u64 hw_cpu;
	bool crash;
	void *data;
};

/* The callback of a step. */
typedef int (*kexec_teardown_fn_t)(const struct kexec_teardown_ctx *ctx);

/*
 * How the architecture calls a step, where it needs more than a plain call:
 * powerpc runs crash primary steps under its fault guard.  Returns what @fn
 * returned, or a negative errno if @fn did not complete.
 */
typedef int (*kexec_teardown_call_t)(kexec_teardown_fn_t fn,
				     const struct kexec_teardown_ctx *ctx);

/**
 * struct kexec_teardown - a registered teardown step
 * @name:	Unique name within the phase, "subsystem:step" by convention;
 *		used in the log and in debugfs.
 * @phase:	When the step runs, see &enum kexec_teardown_phase.
 * @priority:	Order within the phase: higher runs first, ties in @name
 *		order.  See KEXEC_TEARDOWN_PRIO_*.
 * @flags:	KEXEC_TEARDOWN_CRASH_SAFE, KEXEC_TEARDOWN_TERMINAL.
 * @fn:		The callback.  Returns 0 or a negative errno, which is
 *		logged; the walk goes on either way.
 * @data:	Passed to @fn in &struct kexec_teardown_ctx.
 * @owner:	Module that owns @fn, THIS_MODULE.
 *
 * The registry links the descriptor itself, so it must stay valid until it
 * is unregistered.  Post-copy descriptors, their name, data and callback
 * must be in core kernel data/bss and text (not init, heap, stack, vmalloc
 * or module memory), because nothing else survives the copy.
 */
struct kexec_teardown {
	const char *name;
	enum kexec_teardown_phase phase;
	int priority;
	unsigned int flags;
	kexec_teardown_fn_t fn;
	void *data;
	struct module *owner;
	/* private: */
	struct kexec_teardown __rcu *next;
};

/**
 * KEXEC_TEARDOWN_INIT - initializer for a &struct kexec_teardown
 * @_name:	Name string.
 * @_phase:	Phase, KEXEC_TEARDOWN_*.
 * @_prio:	Priority within the phase.
 * @_fn:	Callback.
 * @_flags:	Flags.
 */
#define KEXEC_TEARDOWN_INIT(_name, _phase, _prio, _fn, _flags)	\
	{							\
		.name		= _name,			\
		.phase		= _phase,			\
		.priority	= _prio,			\
		.flags		= _flags,			\
		.fn		= _fn,				\
		.owner		= THIS_MODULE,			\
	}

/**
 * DEFINE_KEXEC_TEARDOWN - define a static teardown descriptor
 * @_var:	Variable name.
 * @_name:	Name string.
 * @_phase:	Phase, KEXEC_TEARDOWN_*.
 * @_prio:	Priority within the phase.
 * @_fn:	Callback.
 * @_flags:	Flags.
 */
#define DEFINE_KEXEC_TEARDOWN(_var, _name, _phase, _prio, _fn, _flags)	\
	static struct kexec_teardown _var =				\
		KEXEC_TEARDOWN_INIT(_name, _phase, _prio, _fn, _flags)

#ifdef CONFIG_KEXEC_TEARDOWN

int kexec_teardown_register(struct kexec_teardown *td);
int kexec_teardown_unregister(struct kexec_teardown *td);
int kexec_teardown_set_post_copy_output(void (*puts)(const char *s));

/* Called by the generic kexec code. */
void kexec_teardown_start(void);
void kexec_teardown_start_crash(void);

/* Called by the architecture's kexec code. */
bool kexec_teardown_crashing(void);
void kexec_teardown_run_secondary(unsigned int cpu, u64 hw_cpu);
bool kexec_teardown_cut_off(unsigned int cpu, u64 hw_cpu);
void kexec_teardown_run_primary(unsigned int cpu, u64 hw_cpu,
				kexec_teardown_call_t call);
void kexec_teardown_run_post_copy(unsigned int cpu, u64 hw_cpu);
void kexec_teardown_post_copy_puts(const char *s);

#else /* CONFIG_KEXEC_TEARDOWN */

/*
 * This kernel's kexec runs no teardown steps: say so rather than accept a
 * step that would never run.
 */
static inline int kexec_teardown_register(struct kexec_teardown *td)
{
	return -EOPNOTSUPP;
}

static inline int kexec_teardown_unregister(struct kexec_teardown *td)
{
	return -EOPNOTSUPP;
}

static inline int kexec_teardown_set_post_copy_output(void (*puts)(const char *s))
{
	return -EOPNOTSUPP;
}

static inline void kexec_teardown_start(void) { }
static inline void kexec_teardown_start_crash(void) { }
static inline bool kexec_teardown_crashing(void) { return false; }
static inline void kexec_teardown_run_secondary(unsigned int cpu,
						u64 hw_cpu) { }
static inline bool kexec_teardown_cut_off(unsigned int cpu, u64 hw_cpu)
{
	return false;
}
static inline void kexec_teardown_run_primary(unsigned int cpu,
					      u64 hw_cpu,
					      kexec_teardown_call_t call) { }
static inline void kexec_teardown_run_post_copy(unsigned int cpu,
						u64 hw_cpu) { }
static inline void kexec_teardown_post_copy_puts(const char *s) { }

#endif /* CONFIG_KEXEC_TEARDOWN */

#endif /* _LINUX_KEXEC_TEARDOWN_H */
