/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the 64-bit kexec handshake with the secondaries, included
 * at the end of core_64.c: the bounded waits of the master and the
 * post-copy handoff step.  They run on the running kernel's own CPUs,
 * outside any kexec, and put back the state they change.
 */

#include <kunit/test.h>

/* Shorten the bound for a test, and put it back afterwards. */
static unsigned int kexec_kt_timeout_saved;

static void kexec_kt_restore_timeout(void *unused)
{
	kexec_secondary_timeout_sec = kexec_kt_timeout_saved;
}

static void kexec_kt_short_timeout(struct kunit *test, unsigned int sec)
{
	int ret;

	kexec_kt_timeout_saved = kexec_secondary_timeout_sec;
	ret = kunit_add_action_or_reset(test, kexec_kt_restore_timeout, NULL);
	KUNIT_ASSERT_EQ(test, ret, 0);
	kexec_secondary_timeout_sec = sec;
}

/*
 * No other CPU is in a kexec, so none reaches the state waited for: the
 * wait must give up after one bound in all, not one bound per CPU (the
 * secondaries are not stuck one after the other), and never hang.
 */
static void kexec_test_wait_bounded(struct kunit *test)
{
	unsigned int others = num_online_cpus() - 1;
	u64 start, ticks;

	if (others < 2)
		kunit_skip(test, "needs at least 3 online CPUs");
	kexec_kt_short_timeout(test, 1);
	migrate_disable();
	start = get_tb();
	kexec_prepare_cpus_wait(KEXEC_STATE_IRQS_OFF);
	ticks = get_tb() - start;
	migrate_enable();
	KUNIT_EXPECT_GE(test, ticks, tb_ticks_per_sec);
	KUNIT_EXPECT_LT_MSG(test, ticks, 2 * tb_ticks_per_sec,
			    "waited %llu ms for %u CPUs",
			    ticks / tb_ticks_per_usec / 1000, others);
}

static u32 kexec_kt_acks[(NR_CPUS + 31) / 32];
static struct cpumask kexec_kt_parked;

static void kexec_kt_restore_handoff(void *unused)
{
	memcpy(kexec_acks, kexec_kt_acks, sizeof(kexec_kt_acks));
	cpumask_copy(&kexec_parked, &kexec_kt_parked);
}

/*
 * The handoff step waits, with the bound, for the CPUs that were parked
 * and have not acknowledged leaving; the CPUs that left, or were never
 * parked, cost nothing.
 */
static void kexec_test_handoff(struct kunit *test)
{
	struct kexec_teardown_ctx ctx = {
		.phase = KEXEC_TEARDOWN_POST_COPY,
		.hw_cpu = KEXEC_TEARDOWN_NO_HW_CPU,
	};
	u64 start, ticks;
	int ret;

	if (nr_cpu_ids < 3)
		kunit_skip(test, "needs 3 possible CPUs");
	memcpy(kexec_kt_acks, kexec_acks, sizeof(kexec_kt_acks));
	cpumask_copy(&kexec_kt_parked, &kexec_parked);
	ret = kunit_add_action_or_reset(test, kexec_kt_restore_handoff, NULL);
	KUNIT_ASSERT_EQ(test, ret, 0);
	kexec_kt_short_timeout(test, 1);

	/* CPUs 1 and 2 were parked; only CPU 1 left. */
	memset(kexec_acks, 0, sizeof(kexec_kt_acks));
	cpumask_clear(&kexec_parked);
	cpumask_set_cpu(1, &kexec_parked);
	cpumask_set_cpu(2, &kexec_parked);
	kexec_parked_hw_id[1] = 1;
	kexec_parked_hw_id[2] = 2;
	WRITE_ONCE(kexec_acks[0], BIT(1));
	start = get_tb();
	KUNIT_EXPECT_EQ(test, kexec_secondary_handoff(&ctx), -ETIMEDOUT);
	ticks = get_tb() - start;
	KUNIT_EXPECT_GE(test, ticks, tb_ticks_per_sec);
	KUNIT_EXPECT_LT(test, ticks, 2 * tb_ticks_per_sec);

	/* Once CPU 2 has left too, no wait at all, even with a long bound. */
	kexec_secondary_timeout_sec = 10;
	WRITE_ONCE(kexec_acks[0], BIT(1) | BIT(2));
	start = get_tb();
	KUNIT_EXPECT_EQ(test, kexec_secondary_handoff(&ctx), 0);
	KUNIT_EXPECT_LT(test, get_tb() - start, tb_ticks_per_sec / 10);

	/* A CPU that was not parked (handed to firmware) is not waited for. */
	cpumask_clear_cpu(2, &kexec_parked);
	WRITE_ONCE(kexec_acks[0], BIT(1));
	start = get_tb();
	KUNIT_EXPECT_EQ(test, kexec_secondary_handoff(&ctx), 0);
	KUNIT_EXPECT_LT(test, get_tb() - start, tb_ticks_per_sec / 10);
}

static struct kunit_case kexec_powerpc_test_cases[] = {
	KUNIT_CASE_SLOW(kexec_test_wait_bounded),
	KUNIT_CASE_SLOW(kexec_test_handoff),
	{}
};

static struct kunit_suite kexec_powerpc_test_suite = {
	.name = "powerpc_kexec",
	.test_cases = kexec_powerpc_test_cases,
};

kunit_test_suite(kexec_powerpc_test_suite);
