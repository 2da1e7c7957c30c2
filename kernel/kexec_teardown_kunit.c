// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the kexec teardown registry.
 *
 * Every test works on a registry of its own, never on the one kexec uses,
 * and runs the phases by hand the way the architecture's kexec code does.
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kexec_teardown_internal.h"

/* The test's descriptors are static, so post-copy ones are only valid built-in. */
#define KT_POST_COPY_OK	IS_BUILTIN(CONFIG_KEXEC_TEARDOWN_KUNIT_TEST)

#define KT_LOG_MAX	64

/* What the callbacks saw, in call order, whatever CPU they ran on. */
static struct {
	atomic_t n;
	struct {
		const char *name;
		struct kexec_teardown_ctx ctx;
	} e[KT_LOG_MAX];
} kt_log;

static int kt_result;		/* what kt_record() returns */

static void kt_log_reset(void)
{
	memset(&kt_log, 0, sizeof(kt_log));
	kt_result = 0;
}

static int kt_record(const struct kexec_teardown_ctx *ctx)
{
	int i = atomic_inc_return(&kt_log.n) - 1;

	if (i < KT_LOG_MAX) {
		kt_log.e[i].name = ctx->data;
		kt_log.e[i].ctx = *ctx;
	}
	return 0;
}

static int kt_fail(const struct kexec_teardown_ctx *ctx)
{
	kt_record(ctx);
	return -EIO;
}

/* Steps reused by the tests; kt_step() points @data at the name for kt_record(). */
#define KT_STEP(_var, _name, _phase, _prio, _fn, _flags)		\
	static struct kexec_teardown _var = {				\
		.name = _name, .phase = _phase, .priority = _prio,	\
		.fn = _fn, .flags = _flags, .owner = THIS_MODULE,	\
	}

KT_STEP(kt_a, "kt:a", KEXEC_TEARDOWN_PRIMARY, 0, kt_record, 0);
KT_STEP(kt_b, "kt:b", KEXEC_TEARDOWN_PRIMARY, 0, kt_record, 0);
KT_STEP(kt_c, "kt:c", KEXEC_TEARDOWN_PRIMARY, 0, kt_record, 0);
KT_STEP(kt_d, "kt:d", KEXEC_TEARDOWN_PRIMARY, 0, kt_record, 0);
KT_STEP(kt_e, "kt:e", KEXEC_TEARDOWN_PRIMARY, 0, kt_record, 0);

static struct kexec_teardown_registry *kt_registry(struct kunit *test)
{
	struct kexec_teardown_registry *reg;

	kt_log_reset();
	reg = kunit_kzalloc(test, sizeof(*reg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reg);
	kexec_teardown_registry_init(reg);
	return reg;
}

/* Reset a shared static step for this test. */
static struct kexec_teardown *kt_step(struct kexec_teardown *td,
				      enum kexec_teardown_phase phase,
				      int prio, unsigned int flags)
{
	td->phase = phase;
	td->priority = prio;
	td->flags = flags;
	td->fn = kt_record;
	td->data = (void *)td->name;
	RCU_INIT_POINTER(td->next, NULL);
	return td;
}

/* Register @td in @reg for @phase, or fail the test. */
static void kt_add(struct kunit *test, struct kexec_teardown_registry *reg,
		   struct kexec_teardown *td, enum kexec_teardown_phase phase,
		   int prio, unsigned int flags)
{
	KUNIT_ASSERT_EQ(test, kexec_teardown_add(reg,
						 kt_step(td, phase, prio, flags)),
			0);
}

static void kt_expect_log(struct kunit *test, const char * const *names,
			  int n)
{
	int i;

	KUNIT_ASSERT_EQ(test, atomic_read(&kt_log.n), n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_STREQ_MSG(test, kt_log.e[i].name, names[i],
				       "call %d", i);
}

static const enum kexec_teardown_phase kt_phases[] = {
	KEXEC_TEARDOWN_PREPARE,
	KEXEC_TEARDOWN_SECONDARY,
	KEXEC_TEARDOWN_PRIMARY,
	KEXEC_TEARDOWN_POST_COPY,
};

static void kt_phase_desc(const enum kexec_teardown_phase *p, char *desc)
{
	strscpy(desc, kexec_teardown_phase_name(*p), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_phase, kt_phases, kt_phase_desc);

/* Steps run by priority, highest first, whatever the registration order. */
static void kexec_teardown_test_order(struct kunit *test)
{
	const enum kexec_teardown_phase phase =
		*(const enum kexec_teardown_phase *)test->param_value;
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = {
		"kt:d", "kt:b", "kt:e", "kt:a", "kt:c",
	};

	if (phase == KEXEC_TEARDOWN_POST_COPY && !KT_POST_COPY_OK)
		kunit_skip(test, "post-copy steps must be built in");

	kt_add(test, reg, &kt_a, phase, KEXEC_TEARDOWN_PRIO_DEFAULT, 0);
	kt_add(test, reg, &kt_b, phase, KEXEC_TEARDOWN_PRIO_HYPERVISOR, 0);
	kt_add(test, reg, &kt_c, phase, KEXEC_TEARDOWN_PRIO_MMU, 0);
	kt_add(test, reg, &kt_d, phase, KEXEC_TEARDOWN_PRIO_DEVICE, 0);
	kt_add(test, reg, &kt_e, phase, KEXEC_TEARDOWN_PRIO_DEFAULT + 1, 0);

	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, phase, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_run), 5);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_failed), 0);
}

/* Equal priorities run in name order, whatever the registration order. */
static void kexec_teardown_test_ties(struct kunit *test)
{
	static const char * const want[] = { "kt:a", "kt:b", "kt:c" };
	struct kexec_teardown *fwd[] = { &kt_b, &kt_c, &kt_a };
	struct kexec_teardown *rev[] = { &kt_a, &kt_c, &kt_b };
	struct kexec_teardown **orders[] = { fwd, rev };
	struct kexec_teardown_registry *reg;
	int o, i;

	for (o = 0; o < ARRAY_SIZE(orders); o++) {
		reg = kt_registry(test);
		for (i = 0; i < 3; i++)
			kt_add(test, reg, orders[o][i], KEXEC_TEARDOWN_PRIMARY, 7, 0);
		kexec_teardown_seal(reg);
		kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
		kt_expect_log(test, want, ARRAY_SIZE(want));
	}
}

/* A terminal step runs after everything else in its phase. */
static void kexec_teardown_test_terminal_last(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:b", "kt:c", "kt:a" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_SECONDARY, 1000, KEXEC_TEARDOWN_TERMINAL);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_SECONDARY, 10, 0);
	kt_add(test, reg, &kt_c, KEXEC_TEARDOWN_SECONDARY, -1000, 0);
	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_SECONDARY, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
}

/* Running one phase runs that phase's steps and no other. */
/*
 * A hardware id wider than 32 bits, as an arm64 MPIDR with affinity level 3
 * set: the callback must see it whole.
 */
#define KT_HW_WIDE	0x100000005ULL

static void kexec_teardown_test_phase_separation(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	struct kexec_teardown *steps[] = { &kt_a, &kt_b, &kt_c, &kt_d };
	int p, n = KT_POST_COPY_OK ? 4 : 3;

	for (p = 0; p < n; p++)
		kt_add(test, reg, steps[p], kt_phases[p], 0, 0);
	kexec_teardown_seal(reg);

	for (p = n - 1; p >= 0; p--) {
		kt_log_reset();
		kexec_teardown_run(reg, kt_phases[p], 3, KT_HW_WIDE, NULL);
		KUNIT_ASSERT_EQ(test, atomic_read(&kt_log.n), 1);
		KUNIT_EXPECT_STREQ(test, kt_log.e[0].name, steps[p]->name);
		KUNIT_EXPECT_EQ(test, kt_log.e[0].ctx.phase, kt_phases[p]);
		KUNIT_EXPECT_EQ(test, kt_log.e[0].ctx.cpu, 3);
		KUNIT_EXPECT_EQ(test, kt_log.e[0].ctx.hw_cpu, KT_HW_WIDE);
		KUNIT_EXPECT_FALSE(test, kt_log.e[0].ctx.crash);
	}
}

/* On the crash path only crash-safe steps run; the others are counted. */
static void kexec_teardown_test_crash_filter(struct kunit *test)
{
	const enum kexec_teardown_phase phase =
		*(const enum kexec_teardown_phase *)test->param_value;
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:b", "kt:d" };

	if (phase == KEXEC_TEARDOWN_PREPARE)
		kunit_skip(test, "the prepare phase has no crash path");
	if (phase == KEXEC_TEARDOWN_POST_COPY && !KT_POST_COPY_OK)
		kunit_skip(test, "post-copy steps must be built in");

	kt_add(test, reg, &kt_a, phase, 4, 0);
	kt_add(test, reg, &kt_b, phase, 3, KEXEC_TEARDOWN_CRASH_SAFE);
	kt_add(test, reg, &kt_c, phase, 2, 0);
	kt_add(test, reg, &kt_d, phase, 1, KEXEC_TEARDOWN_CRASH_SAFE);

	kexec_teardown_seal_crash(reg);
	kexec_teardown_run(reg, phase, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_TRUE(test, kt_log.e[0].ctx.crash);
	KUNIT_EXPECT_TRUE(test, kt_log.e[1].ctx.crash);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_run), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_skipped), 2);
}

/* The normal path runs crash-safe and other steps alike. */
static void kexec_teardown_test_normal_runs_all(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:a", "kt:b" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 2, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 1, KEXEC_TEARDOWN_CRASH_SAFE);
	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_FALSE(test, kt_log.e[0].ctx.crash);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_skipped), 0);
}

/* The per-CPU test: how often each CPU ran each step, seen from the CPU. */
static atomic_t *kt_cpu_calls;

static int kt_per_cpu(const struct kexec_teardown_ctx *ctx)
{
	unsigned int cpu = raw_smp_processor_id();

	if (cpu < nr_cpu_ids)
		atomic_inc(&kt_cpu_calls[cpu * 2 + (ctx->data == &kt_cpu_calls)]);
	return 0;
}

KT_STEP(kt_pc1, "kt:per-cpu-1", KEXEC_TEARDOWN_SECONDARY, 1, kt_per_cpu, 0);
KT_STEP(kt_pc2, "kt:per-cpu-2", KEXEC_TEARDOWN_SECONDARY, 2, kt_per_cpu, 0);

static void kt_run_secondary_here(void *arg)
{
	unsigned int cpu = smp_processor_id();

	kexec_teardown_run(arg, KEXEC_TEARDOWN_SECONDARY, cpu,
			   KEXEC_TEARDOWN_NO_HW_CPU, NULL);
}

/*
 * Run the secondary phase on every online CPU at once, from an IPI, as the
 * architecture does: each step runs exactly once on each CPU, and the
 * trace, whose slots the CPUs claim concurrently, holds every CPU's
 * steps, none lost or doubled, in run order for each CPU.
 */
static void kexec_teardown_test_every_cpu(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	unsigned int cpu, online, i, seen;
	const struct kexec_teardown_record *r;
	const struct kexec_teardown *last;

	kt_cpu_calls = kunit_kcalloc(test, nr_cpu_ids * 2, sizeof(*kt_cpu_calls),
				     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kt_cpu_calls);
	/* Record every step, not only failures. */
	reg->verbose = true;
	kt_pc1.data = NULL;
	kt_pc2.data = &kt_cpu_calls;
	KUNIT_ASSERT_EQ(test, kexec_teardown_add(reg, &kt_pc1), 0);
	KUNIT_ASSERT_EQ(test, kexec_teardown_add(reg, &kt_pc2), 0);
	kexec_teardown_seal(reg);

	cpus_read_lock();
	online = num_online_cpus();
	KUNIT_ASSERT_LE(test, 2 * online, KEXEC_TEARDOWN_TRACE_MAX);
	on_each_cpu(kt_run_secondary_here, reg, 1);
	for_each_possible_cpu(cpu) {
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&kt_cpu_calls[cpu * 2]),
				    cpu_online(cpu) ? 1 : 0, "cpu %u", cpu);
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&kt_cpu_calls[cpu * 2 + 1]),
				    cpu_online(cpu) ? 1 : 0, "cpu %u", cpu);
		seen = 0;
		last = NULL;
		for (i = 0; i < atomic_read(&reg->nr_trace); i++) {
			r = &reg->trace[i];
			if (r->cpu != cpu)
				continue;
			/* kt:per-cpu-2 (priority 2) first, then kt:per-cpu-1 */
			KUNIT_EXPECT_PTR_EQ_MSG(test, r->td,
						(const struct kexec_teardown *)
						(last ? &kt_pc1 : &kt_pc2),
						"cpu %u", cpu);
			last = r->td;
			seen++;
		}
		KUNIT_EXPECT_EQ_MSG(test, seen, cpu_online(cpu) ? 2 : 0,
				    "cpu %u", cpu);
	}
	cpus_read_unlock();

	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_trace), 2 * online);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_run), 2 * online);
	kunit_info(test, "secondary phase ran on %u online CPUs\n", online);
}

/* Once sealed, a registry refuses changes and still runs what it has. */
static void kexec_teardown_test_seal(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:a" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 0, 0);
	kexec_teardown_seal(reg);
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, kt_step(&kt_b, KEXEC_TEARDOWN_PRIMARY, 0, 0)),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, kexec_teardown_remove(reg, &kt_a), -EBUSY);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));

	/* The crash path seals too, without the lock. */
	reg = kt_registry(test);
	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 0, KEXEC_TEARDOWN_CRASH_SAFE);
	kexec_teardown_seal_crash(reg);
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, kt_step(&kt_b, KEXEC_TEARDOWN_PRIMARY, 0, 0)),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, kexec_teardown_remove(reg, &kt_a), -EBUSY);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
}

/* Removing a step keeps the others in order; it can be added again. */
static void kexec_teardown_test_unregister(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want1[] = { "kt:a", "kt:c" };
	static const char * const want2[] = { "kt:a", "kt:b", "kt:c" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 3, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 2, 0);
	kt_add(test, reg, &kt_c, KEXEC_TEARDOWN_PRIMARY, 1, 0);
	KUNIT_ASSERT_EQ(test, kexec_teardown_remove(reg, &kt_b), 0);
	KUNIT_EXPECT_EQ(test, kexec_teardown_remove(reg, &kt_b), -ENOENT);

	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want1, ARRAY_SIZE(want1));

	reg = kt_registry(test);
	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 3, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 2, 0);
	KUNIT_ASSERT_EQ(test, kexec_teardown_remove(reg, &kt_b), 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 2, 0);
	kt_add(test, reg, &kt_c, KEXEC_TEARDOWN_PRIMARY, 1, 0);
	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want2, ARRAY_SIZE(want2));
}

/* A failing step is counted and reported, and the walk goes on. */
static void kexec_teardown_test_failure_continues(struct kunit *test)
{
	const enum kexec_teardown_phase phase =
		*(const enum kexec_teardown_phase *)test->param_value;
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:a", "kt:b", "kt:c" };

	if (phase == KEXEC_TEARDOWN_POST_COPY && !KT_POST_COPY_OK)
		kunit_skip(test, "post-copy steps must be built in");

	kt_add(test, reg, &kt_a, phase, 3, 0);
	kt_add(test, reg, &kt_b, phase, 2, 0);
	kt_b.fn = kt_fail;	/* the suite's init resets it */
	kt_add(test, reg, &kt_c, phase, 1, 0);
	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, phase, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_run), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_failed), 1);
	KUNIT_EXPECT_PTR_EQ(test, reg->last_failed,
			    (const struct kexec_teardown *)&kt_b);
	KUNIT_EXPECT_EQ(test, reg->last_err, -EIO);
}

/*
 * x86 stops a secondary that is not stopped after one second with an NMI,
 * which enters the stop path again wherever the CPU is: in the middle of
 * a step, the step is recorded as cut off, a failure that names it.
 */
static struct kexec_teardown_registry *kt_cut_reg;
static bool kt_cut_in_step;

static int kt_cut(const struct kexec_teardown_ctx *ctx)
{
	/* What the NMI does on this CPU while the step runs. */
	kt_cut_in_step = __kexec_teardown_cut_off(kt_cut_reg, ctx->cpu,
						  ctx->hw_cpu);
	return 0;
}

static void kexec_teardown_test_cut_off(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	const struct kexec_teardown_record *r;
	struct kexec_teardown_ctx ctx = { };
	char line[KEXEC_TEARDOWN_LINE_MAX];

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_SECONDARY, 2, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_SECONDARY, 1, 0);
	kt_b.fn = kt_cut;
	kexec_teardown_seal(reg);
	kt_cut_reg = reg;
	kt_cut_in_step = false;
	migrate_disable();
	kexec_teardown_run(reg, KEXEC_TEARDOWN_SECONDARY, 3, 7, NULL);
	/* Between steps, or after the phase: nothing was cut off. */
	KUNIT_EXPECT_FALSE(test, __kexec_teardown_cut_off(reg, 3, 7));
	migrate_enable();

	KUNIT_EXPECT_TRUE(test, kt_cut_in_step);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_failed), 1);
	KUNIT_EXPECT_PTR_EQ(test, reg->last_failed,
			    (const struct kexec_teardown *)&kt_b);
	KUNIT_EXPECT_EQ(test, reg->last_err, -EINTR);
	KUNIT_ASSERT_EQ(test, atomic_read(&reg->nr_trace), 1);
	r = &reg->trace[0];
	KUNIT_EXPECT_EQ(test, r->outcome, KEXEC_TEARDOWN_CUT_OFF);
	ctx.phase = r->phase;
	ctx.cpu = r->cpu;
	ctx.hw_cpu = r->hw_cpu;
	kexec_teardown_format(line, sizeof(line), &ctx, r->td->name,
			      r->outcome, r->err);
	KUNIT_EXPECT_STREQ(test, line,
			   "secondary cpu 3 hw 7: kt:b cut off, the CPU was stopped in it");
}

/* The post-copy report goes through the architecture's output only. */
static char kt_out[(KEXEC_TEARDOWN_TRACE_MAX + 4) * KEXEC_TEARDOWN_LINE_MAX];

static void kt_puts(const char *s)
{
	strlcat(kt_out, s, sizeof(kt_out));
}

/*
 * After the copy, only the platform's real-mode output prints, and by
 * default only failures: each character may be a hypervisor call.
 */
static void kexec_teardown_test_post_copy_output(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);

	if (!KT_POST_COPY_OK)
		kunit_skip(test, "post-copy steps must be built in");

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_POST_COPY, 2, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_POST_COPY, 1, 0);
	kt_b.fn = kt_fail;
	kexec_teardown_seal(reg);
	kt_out[0] = '\0';
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 2, 9, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&kt_log.n), 2);

	reg->puts = kt_puts;
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 2, 9, NULL);
	KUNIT_EXPECT_STREQ(test, kt_out,
			   "kexec_teardown: post-copy cpu 2 hw 9: kt:b failed -5\n");

	reg->verbose = true;
	kt_out[0] = '\0';
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 2, 9, NULL);
	KUNIT_EXPECT_STREQ(test, kt_out,
			   "kexec_teardown: post-copy cpu 2 hw 9: kt:a done\n"
			   "kexec_teardown: post-copy cpu 2 hw 9: kt:b failed -5\n");
}

/*
 * On the crash path printk is deferred until it is too late, so the
 * post-copy walk first replays the earlier phases' failures (every step
 * with verbose), in order, through the platform's output, a bounded
 * number of them; the normal path does not.
 */
static void kt_crash_replay_steps(struct kunit *test,
				  struct kexec_teardown_registry *reg)
{
	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_SECONDARY, 0,
	       KEXEC_TEARDOWN_CRASH_SAFE);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 1, 0);
	kt_add(test, reg, &kt_c, KEXEC_TEARDOWN_PRIMARY, 0,
	       KEXEC_TEARDOWN_CRASH_SAFE);
	kt_c.fn = kt_fail;
	kt_add(test, reg, &kt_d, KEXEC_TEARDOWN_POST_COPY, 0,
	       KEXEC_TEARDOWN_CRASH_SAFE);
	reg->puts = kt_puts;
	kexec_teardown_seal_crash(reg);
}

static void kexec_teardown_test_crash_replay(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	char want[128];
	int i;

	if (!KT_POST_COPY_OK)
		kunit_skip(test, "post-copy steps must be built in");

	/* By default the walks record, and the replay shows, failures only. */
	kt_crash_replay_steps(test, reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_SECONDARY, 1, 11, NULL);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 10, NULL);
	kt_out[0] = '\0';
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 0, 10, NULL);
	KUNIT_EXPECT_STREQ(test, kt_out,
			   "kexec_teardown: primary cpu 0 hw 10: kt:c failed -5\n");
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_trace), 1);

	/* With verbose, every step. */
	reg = kt_registry(test);
	reg->verbose = true;
	kt_crash_replay_steps(test, reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_SECONDARY, 1, 11, NULL);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 10, NULL);
	kt_out[0] = '\0';
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 0, 10, NULL);
	KUNIT_EXPECT_STREQ(test, kt_out,
			   "kexec_teardown: secondary cpu 1 hw 11: kt:a done\n"
			   "kexec_teardown: primary cpu 0 hw 10: kt:b skipped (not crash-safe)\n"
			   "kexec_teardown: primary cpu 0 hw 10: kt:c failed -5\n"
			   "kexec_teardown: post-copy cpu 0 hw 10: kt:d done\n");

	/*
	 * A bounded replay: 4 + 128 recorded, the trace keeps 128, of which
	 * 127 come before the copy; 64 are printed, the other 63 and the 4
	 * not kept are counted.
	 */
	for (i = 0; i < KEXEC_TEARDOWN_TRACE_MAX; i++)
		kexec_teardown_run(reg, KEXEC_TEARDOWN_SECONDARY, 2, 12, NULL);
	kt_out[0] = '\0';
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 0, 10, NULL);
	snprintf(want, sizeof(want),
		 "kexec_teardown: %d more steps not shown\n"
		 "kexec_teardown: post-copy cpu 0 hw 10: kt:d done\n",
		 127 - KEXEC_TEARDOWN_REPLAY_MAX + 4);
	KUNIT_EXPECT_NOT_NULL(test, strstr(kt_out, want));

	/* The normal path printed its lines already: no replay. */
	reg = kt_registry(test);
	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 0, 0);
	kt_add(test, reg, &kt_d, KEXEC_TEARDOWN_POST_COPY, 0, 0);
	reg->puts = kt_puts;
	reg->verbose = true;
	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 10, NULL);
	kt_out[0] = '\0';
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 0, 10, NULL);
	KUNIT_EXPECT_STREQ(test, kt_out,
			   "kexec_teardown: post-copy cpu 0 hw 10: kt:d done\n");
}

/*
 * A walk that finds the registry unsealed (a crash IPI that beat the seal)
 * cannot tell a crash from a kexec: it runs the crash-safe steps only,
 * without a warning (it may be in NMI context), and counts itself.
 */
static void kexec_teardown_test_unsealed_walk(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:b" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_SECONDARY, 1, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_SECONDARY, 0,
	       KEXEC_TEARDOWN_CRASH_SAFE);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_SECONDARY, 1, 1, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_TRUE(test, kt_log.e[0].ctx.crash);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_unsealed), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_skipped), 1);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(reg->sealed));
}

/* The architecture's call hook runs each step; what it returns counts. */
static int kt_guard_calls;

static int kt_guard(kexec_teardown_fn_t fn, const struct kexec_teardown_ctx *ctx)
{
	kt_guard_calls++;
	/* A step that "faulted" under the guard: it did not complete. */
	if (ctx->data == kt_b.name)
		return -EFAULT;
	return fn(ctx);
}

static void kexec_teardown_test_call_guard(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:a", "kt:c" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 3, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 2, 0);
	kt_add(test, reg, &kt_c, KEXEC_TEARDOWN_PRIMARY, 1, 0);
	kexec_teardown_seal(reg);
	kt_guard_calls = 0;
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, kt_guard);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, kt_guard_calls, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_failed), 1);
	KUNIT_EXPECT_PTR_EQ(test, reg->last_failed,
			    (const struct kexec_teardown *)&kt_b);
	KUNIT_EXPECT_EQ(test, reg->last_err, -EFAULT);
}

/*
 * Modules: a fake owner, so that the test runs built in.  The seal pins
 * the owner of every step, and drops the steps of an owner that is going
 * away; before the seal, a module that goes away loses its steps.
 */
#ifdef CONFIG_MODULES
static struct module kt_mod_live = {
	.name = "kt_live", .state = MODULE_STATE_LIVE,
};

static struct module kt_mod_coming = {
	.name = "kt_coming", .state = MODULE_STATE_COMING,
};

static struct module kt_mod_going = {
	.name = "kt_going", .state = MODULE_STATE_GOING,
};

static void __maybe_unused kt_mod_init(struct module *mod,
				       enum module_state state)
{
	mod->state = state;
#ifdef CONFIG_MODULE_UNLOAD
	atomic_set(&mod->refcnt, 1);	/* MODULE_REF_BASE: no reference */
#endif
}

static void kexec_teardown_test_module_pin(struct kunit *test)
{
#ifdef CONFIG_MODULE_UNLOAD
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:a" };

	kt_mod_init(&kt_mod_live, MODULE_STATE_LIVE);
	kt_mod_init(&kt_mod_coming, MODULE_STATE_COMING);
	kt_mod_init(&kt_mod_going, MODULE_STATE_GOING);
	reg->pin_owners = true;
	kt_step(&kt_a, KEXEC_TEARDOWN_PRIMARY, 2, 0)->owner = &kt_mod_live;
	kt_step(&kt_b, KEXEC_TEARDOWN_PRIMARY, 1, 0)->owner = &kt_mod_going;
	/* Still loading: its init may fail and free it, reference or not. */
	kt_step(&kt_c, KEXEC_TEARDOWN_PRIMARY, 0, 0)->owner = &kt_mod_coming;
	KUNIT_ASSERT_EQ(test, kexec_teardown_add(reg, &kt_a), 0);
	KUNIT_ASSERT_EQ(test, kexec_teardown_add(reg, &kt_b), 0);
	KUNIT_ASSERT_EQ(test, kexec_teardown_add(reg, &kt_c), 0);
	kexec_teardown_seal(reg);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod_live), 1);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod_going), 0);
	KUNIT_EXPECT_EQ(test, module_refcount(&kt_mod_coming), 0);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	module_put(&kt_mod_live);
#else
	kunit_skip(test, "modules cannot be pinned without CONFIG_MODULE_UNLOAD");
#endif
}

static void kexec_teardown_test_module_going(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	static const char * const want[] = { "kt:a", "kt:c" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 3, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 2, 0);
	kt_add(test, reg, &kt_c, KEXEC_TEARDOWN_PRIMARY, 1, 0);
	kt_add(test, reg, &kt_d, KEXEC_TEARDOWN_SECONDARY, 0, 0);
	/* The owner is only compared: no need for a live module. */
	kt_b.owner = &kt_mod_going;
	kt_d.owner = &kt_mod_going;
	kexec_teardown_drop_module(reg, &kt_mod_going);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(reg->head[KEXEC_TEARDOWN_SECONDARY]));
	/* The dropped step still leads a walker standing on it onwards. */
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(kt_b.next), &kt_c);
	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
	/* Unregistering keeps the link too. */
	reg = kt_registry(test);
	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 3, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 2, 0);
	kt_add(test, reg, &kt_c, KEXEC_TEARDOWN_PRIMARY, 1, 0);
	KUNIT_EXPECT_EQ(test, kexec_teardown_remove(reg, &kt_b), 0);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(kt_b.next), &kt_c);

	/* Once sealed, the lists never change. */
	reg = kt_registry(test);
	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 1, 0);
	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_PRIMARY, 0, 0);
	kt_b.owner = &kt_mod_going;
	kexec_teardown_seal(reg);
	kexec_teardown_drop_module(reg, &kt_mod_going);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(kt_a.next), &kt_b);
}
#else
static void kexec_teardown_test_module_pin(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_MODULES");
}

static void kexec_teardown_test_module_going(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_MODULES");
}
#endif /* CONFIG_MODULES */

/*
 * An architecture whose kexec runs no C code after the copy has no
 * post-copy phase: a step for it is refused, the others are taken.
 */
static void kexec_teardown_test_phase_unsupported(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);

	if (!KT_POST_COPY_OK)
		kunit_skip(test, "post-copy steps must be built in");
	reg->phases &= ~BIT(KEXEC_TEARDOWN_POST_COPY);
	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 0, 0);
	kt_step(&kt_b, KEXEC_TEARDOWN_POST_COPY, 0, KEXEC_TEARDOWN_CRASH_SAFE);
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, &kt_b), -EOPNOTSUPP);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(reg->head[KEXEC_TEARDOWN_POST_COPY]));
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(reg->head[KEXEC_TEARDOWN_PRIMARY]), &kt_a);
}

/* A registry that this kernel's kexec does not run refuses steps. */
static void kexec_teardown_test_unsupported(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);

	reg->supported = false;
	kt_step(&kt_a, KEXEC_TEARDOWN_PRIMARY, 0, 0);
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, &kt_a), -EOPNOTSUPP);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(reg->head[KEXEC_TEARDOWN_PRIMARY]));
	KUNIT_EXPECT_EQ(test, kexec_teardown_remove(reg, &kt_a), -EOPNOTSUPP);
}

struct kt_format_case {
	const char *desc;
	struct kexec_teardown_ctx ctx;
	enum kexec_teardown_outcome outcome;
	int err;
	size_t size;
	const char *want;
};

static const struct kt_format_case kt_format_cases[] = {
	{ "done", { KEXEC_TEARDOWN_SECONDARY, 3, 17 }, KEXEC_TEARDOWN_DONE,
	  0, KEXEC_TEARDOWN_LINE_MAX, "secondary cpu 3 hw 17: x:y done" },
	{ "failed", { KEXEC_TEARDOWN_PRIMARY, 0, 0 }, KEXEC_TEARDOWN_FAILED,
	  -22, KEXEC_TEARDOWN_LINE_MAX, "primary cpu 0 hw 0: x:y failed -22" },
	{ "positive error", { KEXEC_TEARDOWN_PRIMARY, 0, 0 },
	  KEXEC_TEARDOWN_FAILED, 1, KEXEC_TEARDOWN_LINE_MAX,
	  "primary cpu 0 hw 0: x:y failed 1" },
	{ "skipped", { KEXEC_TEARDOWN_POST_COPY, 4294967294U, 1 },
	  KEXEC_TEARDOWN_SKIPPED, 0, KEXEC_TEARDOWN_LINE_MAX,
	  "post-copy cpu 4294967294 hw 1: x:y skipped (not crash-safe)" },
	{ "handoff", { KEXEC_TEARDOWN_SECONDARY, 1, 1 }, KEXEC_TEARDOWN_HANDOFF,
	  0, KEXEC_TEARDOWN_LINE_MAX,
	  "secondary cpu 1 hw 1: x:y terminal, not returning" },
	{ "64-bit hw id", { KEXEC_TEARDOWN_SECONDARY, 2, KT_HW_WIDE },
	  KEXEC_TEARDOWN_DONE, 0, KEXEC_TEARDOWN_LINE_MAX,
	  "secondary cpu 2 hw 4294967301: x:y done" },
	{ "largest hw id", { KEXEC_TEARDOWN_PRIMARY, 0, U64_MAX - 1 },
	  KEXEC_TEARDOWN_DONE, 0, KEXEC_TEARDOWN_LINE_MAX,
	  "primary cpu 0 hw 18446744073709551614: x:y done" },
	{ "no hw id", { KEXEC_TEARDOWN_PREPARE, 1, KEXEC_TEARDOWN_NO_HW_CPU },
	  KEXEC_TEARDOWN_DONE, 0, KEXEC_TEARDOWN_LINE_MAX,
	  "prepare cpu 1 hw -: x:y done" },
	{ "truncated", { KEXEC_TEARDOWN_PRIMARY, 12, 12 }, KEXEC_TEARDOWN_DONE,
	  0, 13, "primary cpu " },
	{ "bad phase", { KEXEC_TEARDOWN_NR_PHASES, 0, 0 }, KEXEC_TEARDOWN_DONE,
	  0, KEXEC_TEARDOWN_LINE_MAX, "unknown cpu 0 hw 0: x:y done" },
};

static void kt_format_desc(const struct kt_format_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_format, kt_format_cases, kt_format_desc);

/* The line every phase logs, built without vsnprintf(). */
static void kexec_teardown_test_format(struct kunit *test)
{
	const struct kt_format_case *c = test->param_value;
	char buf[KEXEC_TEARDOWN_LINE_MAX];
	size_t len;

	memset(buf, 'Z', sizeof(buf));
	len = kexec_teardown_format(buf, c->size, &c->ctx, "x:y", c->outcome,
				    c->err);
	KUNIT_EXPECT_STREQ(test, buf, c->want);
	KUNIT_EXPECT_EQ(test, len, strlen(c->want));
	KUNIT_EXPECT_EQ(test, kexec_teardown_format(buf, 0, &c->ctx, "x:y",
						    c->outcome, c->err), 0);
}

/*
 * The longest line: a 40-character name, the largest ids and the longest
 * outcome fit in KEXEC_TEARDOWN_LINE_MAX, untruncated.
 */
static void kexec_teardown_test_format_longest(struct kunit *test)
{
	static const char head[] = "post-copy cpu 4294967294 hw 18446744073709551614: ";
	static const char name[] = "subsystem-of-twenty:step-of-twenty-chars";
	static const char tail[] = " skipped (not crash-safe)";
	const struct kexec_teardown_ctx ctx = {
		.phase	= KEXEC_TEARDOWN_POST_COPY,
		.cpu	= UINT_MAX - 1,
		.hw_cpu	= U64_MAX - 1,
	};
	char buf[KEXEC_TEARDOWN_LINE_MAX];
	size_t len;

	KUNIT_ASSERT_EQ(test, strlen(name), 40);
	len = kexec_teardown_format(buf, sizeof(buf), &ctx, name,
				    KEXEC_TEARDOWN_SKIPPED, 0);
	KUNIT_ASSERT_EQ(test, len, strlen(head) + strlen(name) + strlen(tail));
	KUNIT_EXPECT_EQ(test, strncmp(buf, head, strlen(head)), 0);
	KUNIT_EXPECT_EQ(test, strncmp(buf + strlen(head), name, strlen(name)), 0);
	KUNIT_EXPECT_STREQ(test, buf + strlen(head) + strlen(name), tail);
}

/* Bad input: each case builds one bad descriptor and expects an error. */
struct kt_bad_case {
	const char *desc;
	struct kexec_teardown *(*make)(struct kunit *test);
	int want;
};

static struct kexec_teardown *kt_heap_step(struct kunit *test,
					   enum kexec_teardown_phase phase)
{
	struct kexec_teardown *td = kunit_kzalloc(test, sizeof(*td), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, td);
	td->name = "kt:bad";
	td->phase = phase;
	td->fn = kt_record;
	td->owner = THIS_MODULE;
	return td;
}

static struct kexec_teardown *kt_make_null(struct kunit *test)
{
	return NULL;
}

static struct kexec_teardown *kt_make_no_name(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PRIMARY);

	td->name = NULL;
	return td;
}

static struct kexec_teardown *kt_make_empty_name(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PRIMARY);

	td->name = "";
	return td;
}

static struct kexec_teardown *kt_make_no_fn(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PRIMARY);

	td->fn = NULL;
	return td;
}

static struct kexec_teardown *kt_make_phase_nr(struct kunit *test)
{
	return kt_heap_step(test, KEXEC_TEARDOWN_NR_PHASES);
}

static struct kexec_teardown *kt_make_phase_negative(struct kunit *test)
{
	return kt_heap_step(test, (enum kexec_teardown_phase)-1);
}

static struct kexec_teardown *kt_make_bad_flags(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PRIMARY);

	td->flags = BIT(7);
	return td;
}

static struct kexec_teardown *kt_make_crash_prepare(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PREPARE);

	td->flags = KEXEC_TEARDOWN_CRASH_SAFE;
	return td;
}

static struct kexec_teardown *kt_make_terminal_primary(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PRIMARY);

	td->flags = KEXEC_TEARDOWN_TERMINAL;
	return td;
}

static struct kexec_teardown *kt_make_post_copy_heap(struct kunit *test)
{
	return kt_heap_step(test, KEXEC_TEARDOWN_POST_COPY);
}

static void kt_vfree(void *p)
{
	vfree(p);
}

static struct kexec_teardown *kt_make_post_copy_vmalloc(struct kunit *test)
{
	struct kexec_teardown *td = vzalloc(sizeof(*td));

	KUNIT_ASSERT_NOT_NULL(test, td);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, kt_vfree, td), 0);
	td->name = "kt:bad";
	td->phase = KEXEC_TEARDOWN_POST_COPY;
	td->fn = kt_record;
	td->owner = THIS_MODULE;
	return td;
}

static struct kexec_teardown kt_static_bad;

static struct kexec_teardown *kt_static_post_copy(struct kunit *test)
{
	if (!KT_POST_COPY_OK)
		kunit_skip(test, "needs a built-in test for a valid descriptor");
	kt_static_bad = (struct kexec_teardown) {
		.name = "kt:bad", .phase = KEXEC_TEARDOWN_POST_COPY,
		.fn = kt_record, .owner = THIS_MODULE,
	};
	return &kt_static_bad;
}

static struct kexec_teardown *kt_make_post_copy_heap_fn(struct kunit *test)
{
	struct kexec_teardown *td = kt_static_post_copy(test);
	void *not_text = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, not_text);
	td->fn = (int (*)(const struct kexec_teardown_ctx *))not_text;
	return td;
}

static struct kexec_teardown *kt_make_post_copy_heap_name(struct kunit *test)
{
	struct kexec_teardown *td = kt_static_post_copy(test);
	char *name = kunit_kzalloc(test, 16, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, name);
	strscpy(name, "kt:heap-name", 16);
	td->name = name;
	return td;
}

static struct kexec_teardown *kt_make_post_copy_heap_data(struct kunit *test)
{
	struct kexec_teardown *td = kt_static_post_copy(test);

	td->data = kunit_kzalloc(test, 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, td->data);
	return td;
}

static struct kexec_teardown kt_module_step = {
	.name = "kt:module", .phase = KEXEC_TEARDOWN_POST_COPY,
	.fn = kt_record, .owner = THIS_MODULE,
};

static struct kexec_teardown *kt_make_post_copy_module(struct kunit *test)
{
	if (KT_POST_COPY_OK)
		kunit_skip(test, "needs the test built as a module");
	return &kt_module_step;
}

static struct kexec_teardown *kt_make_wrong_owner(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PRIMARY);

	if (KT_POST_COPY_OK)
		kunit_skip(test, "needs the test built as a module");
	td->owner = NULL;
	return td;
}

static const struct kt_bad_case kt_bad_cases[] = {
	{ "NULL descriptor", kt_make_null, -EINVAL },
	{ "no name", kt_make_no_name, -EINVAL },
	{ "empty name", kt_make_empty_name, -EINVAL },
	{ "NULL callback", kt_make_no_fn, -EINVAL },
	{ "phase past the last", kt_make_phase_nr, -EINVAL },
	{ "negative phase", kt_make_phase_negative, -EINVAL },
	{ "unknown flag", kt_make_bad_flags, -EINVAL },
	{ "crash-safe prepare step", kt_make_crash_prepare, -EINVAL },
	{ "terminal primary step", kt_make_terminal_primary, -EINVAL },
	{ "post-copy descriptor on the heap", kt_make_post_copy_heap, -EINVAL },
	{ "post-copy descriptor in vmalloc", kt_make_post_copy_vmalloc, -EINVAL },
	{ "post-copy callback not in text", kt_make_post_copy_heap_fn, -EINVAL },
	{ "post-copy name on the heap", kt_make_post_copy_heap_name, -EINVAL },
	{ "post-copy data on the heap", kt_make_post_copy_heap_data, -EINVAL },
	{ "post-copy step in a module", kt_make_post_copy_module, -EINVAL },
	{ "owner not the callback's module", kt_make_wrong_owner, -EINVAL },
};

static void kt_bad_desc(const struct kt_bad_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_bad, kt_bad_cases, kt_bad_desc);

/* A bad descriptor is refused with an error and leaves the registry as it was. */
static void kexec_teardown_test_bad_input(struct kunit *test)
{
	const struct kt_bad_case *c = test->param_value;
	struct kexec_teardown_registry *reg = kt_registry(test);
	struct kexec_teardown *td = c->make(test);
	int p;

	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, td), c->want);
	for (p = 0; p < KEXEC_TEARDOWN_NR_PHASES; p++)
		KUNIT_EXPECT_NULL(test, rcu_access_pointer(reg->head[p]));
}

/* The descriptor-on-the-stack case cannot be built by a helper. */
static void kexec_teardown_test_stack_descriptor(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	struct kexec_teardown td = {
		.name = "kt:stack", .phase = KEXEC_TEARDOWN_PRIMARY,
		.fn = kt_record, .owner = THIS_MODULE,
	};

	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, &td), -EINVAL);
	KUNIT_EXPECT_NULL(test, rcu_access_pointer(reg->head[KEXEC_TEARDOWN_PRIMARY]));
}

/* Registering twice, reusing a name, a second terminal, removing unknowns. */
static void kexec_teardown_test_duplicates(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	struct kexec_teardown *twin = kt_heap_step(test, KEXEC_TEARDOWN_PRIMARY);
	struct kexec_teardown *term2 = kt_heap_step(test, KEXEC_TEARDOWN_SECONDARY);
	static const char * const want[] = { "kt:a" };

	kt_add(test, reg, &kt_a, KEXEC_TEARDOWN_PRIMARY, 0, 0);
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, &kt_a), -EEXIST);

	twin->name = "kt:a";
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, twin), -EEXIST);
	/* The same name in another phase is a different step. */
	twin->phase = KEXEC_TEARDOWN_PREPARE;
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, twin), 0);

	kt_add(test, reg, &kt_b, KEXEC_TEARDOWN_SECONDARY, 0, KEXEC_TEARDOWN_TERMINAL);
	term2->flags = KEXEC_TEARDOWN_TERMINAL;
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, term2), -EBUSY);

	KUNIT_EXPECT_EQ(test, kexec_teardown_remove(reg, &kt_c), -ENOENT);
	KUNIT_EXPECT_EQ(test, kexec_teardown_remove(reg, NULL), -EINVAL);

	kexec_teardown_seal(reg);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kt_expect_log(test, want, ARRAY_SIZE(want));
}

/* A post-copy step in core kernel memory is accepted. */
static void kexec_teardown_test_post_copy_static(struct kunit *test)
{
	struct kexec_teardown_registry *reg = kt_registry(test);
	struct kexec_teardown *td = kt_static_post_copy(test);

	td->data = &kt_log;
	KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, td), 0);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(reg->head[KEXEC_TEARDOWN_POST_COPY]), td);
}

/*
 * The registry kexec runs: it takes steps where this kernel's kexec runs
 * it (the architecture supports it and there is kexec), and refuses them
 * with -EOPNOTSUPP elsewhere (UML), rather than take steps that never run.
 */
static void kexec_teardown_test_global_api(struct kunit *test)
{
	struct kexec_teardown *td = kt_heap_step(test, KEXEC_TEARDOWN_PREPARE);
	bool runs = IS_ENABLED(CONFIG_ARCH_SUPPORTS_KEXEC_TEARDOWN) &&
		    IS_ENABLED(CONFIG_KEXEC_CORE);
	void (*not_text)(const char *s);

	td->name = "kunit:global-api";
	if (!runs) {
		KUNIT_EXPECT_EQ(test, kexec_teardown_register(td), -EOPNOTSUPP);
		KUNIT_EXPECT_EQ(test, kexec_teardown_unregister(td), -EOPNOTSUPP);
		KUNIT_EXPECT_EQ(test, kexec_teardown_set_post_copy_output(NULL),
				-EOPNOTSUPP);
		return;
	}
	KUNIT_ASSERT_EQ(test, kexec_teardown_register(td), 0);
	KUNIT_EXPECT_EQ(test, kexec_teardown_register(td), -EEXIST);
	KUNIT_EXPECT_EQ(test, kexec_teardown_unregister(td), 0);
	KUNIT_EXPECT_EQ(test, kexec_teardown_unregister(td), -ENOENT);
	/* The real-mode output must be core kernel text. */
	not_text = (void (*)(const char *))td;
	KUNIT_EXPECT_EQ(test, kexec_teardown_set_post_copy_output(not_text),
			-EINVAL);
}

/* Reset the shared static steps, so that one failed test cannot spill over. */
static int kexec_teardown_test_init(struct kunit *test)
{
	struct kexec_teardown *steps[] = {
		&kt_a, &kt_b, &kt_c, &kt_d, &kt_e, &kt_pc1, &kt_pc2,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		steps[i]->fn = steps[i] == &kt_pc1 || steps[i] == &kt_pc2 ?
			       kt_per_cpu : kt_record;
		steps[i]->flags = 0;
		steps[i]->data = NULL;
		steps[i]->owner = THIS_MODULE;
		RCU_INIT_POINTER(steps[i]->next, NULL);
	}
	kt_log_reset();
	return 0;
}

static struct kunit_case kexec_teardown_test_cases[] = {
	KUNIT_CASE_PARAM(kexec_teardown_test_order, kt_phase_gen_params),
	KUNIT_CASE(kexec_teardown_test_ties),
	KUNIT_CASE(kexec_teardown_test_terminal_last),
	KUNIT_CASE(kexec_teardown_test_phase_separation),
	KUNIT_CASE_PARAM(kexec_teardown_test_crash_filter, kt_phase_gen_params),
	KUNIT_CASE(kexec_teardown_test_normal_runs_all),
	KUNIT_CASE(kexec_teardown_test_every_cpu),
	KUNIT_CASE(kexec_teardown_test_seal),
	KUNIT_CASE(kexec_teardown_test_unregister),
	KUNIT_CASE_PARAM(kexec_teardown_test_failure_continues,
			 kt_phase_gen_params),
	KUNIT_CASE(kexec_teardown_test_cut_off),
	KUNIT_CASE(kexec_teardown_test_post_copy_output),
	KUNIT_CASE(kexec_teardown_test_crash_replay),
	KUNIT_CASE_PARAM(kexec_teardown_test_format, kt_format_gen_params),
	KUNIT_CASE(kexec_teardown_test_format_longest),
	KUNIT_CASE_PARAM(kexec_teardown_test_bad_input, kt_bad_gen_params),
	KUNIT_CASE(kexec_teardown_test_stack_descriptor),
	KUNIT_CASE(kexec_teardown_test_duplicates),
	KUNIT_CASE(kexec_teardown_test_post_copy_static),
	KUNIT_CASE(kexec_teardown_test_global_api),
	KUNIT_CASE(kexec_teardown_test_unsealed_walk),
	KUNIT_CASE(kexec_teardown_test_call_guard),
	KUNIT_CASE(kexec_teardown_test_module_pin),
	KUNIT_CASE(kexec_teardown_test_module_going),
	KUNIT_CASE(kexec_teardown_test_unsupported),
	KUNIT_CASE(kexec_teardown_test_phase_unsupported),
	{}
};

static struct kunit_suite kexec_teardown_test_suite = {
	.name = "kexec_teardown",
	.init = kexec_teardown_test_init,
	.test_cases = kexec_teardown_test_cases,
};

kunit_test_suite(kexec_teardown_test_suite);

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests for the kexec teardown registry");
MODULE_LICENSE("GPL");
