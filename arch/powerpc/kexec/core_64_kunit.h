/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the 64-bit kexec handshake with the secondaries, included
 * at the end of core_64.c: the bounded wait of the master and the wait of
 * the post-copy handoff step.  They run outside any kexec, on the
 * machine's own CPUs; the handoff wait runs on acknowledgment bits of the
 * test's own (the real ones are in kernel text), and the only shared state
 * they change, the bound, is put back.
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

#ifdef CONFIG_SMP
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
	kexec_wait_state(KEXEC_STATE_IRQS_OFF);
	ticks = get_tb() - start;
	migrate_enable();
	KUNIT_EXPECT_GE(test, ticks, tb_ticks_per_sec);
	KUNIT_EXPECT_LT_MSG(test, ticks, 2 * tb_ticks_per_sec,
			    "waited %llu ms for %u CPUs",
			    ticks / tb_ticks_per_usec / 1000, others);
}
#else
static void kexec_test_wait_bounded(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_SMP");
}
#endif

static u32 kexec_kt_acks[(NR_CPUS + 31) / 32];
static struct cpumask kexec_kt_parked;
static u16 kexec_kt_hw_id[NR_CPUS];

/*
 * The handoff waits, with the bound, for the CPUs that were parked and
 * have not acknowledged leaving, and names them; the CPUs that left, or
 * were never parked, cost nothing.
 */
static void kexec_test_handoff(struct kunit *test)
{
	u64 start, ticks;

	if (nr_cpu_ids < 3)
		kunit_skip(test, "needs 3 possible CPUs");
	kexec_kt_short_timeout(test, 1);

	/* CPUs 1 and 2 were parked; only CPU 1 left. */
	memset(kexec_kt_acks, 0, sizeof(kexec_kt_acks));
	cpumask_clear(&kexec_kt_parked);
	cpumask_set_cpu(1, &kexec_kt_parked);
	cpumask_set_cpu(2, &kexec_kt_parked);
	kexec_kt_hw_id[1] = 1;
	kexec_kt_hw_id[2] = 2;
	kexec_kt_acks[0] = BIT(1);
	start = get_tb();
	KUNIT_EXPECT_EQ(test, kexec_wait_acks(kexec_kt_acks, &kexec_kt_parked,
					      kexec_kt_hw_id), 1);
	ticks = get_tb() - start;
	KUNIT_EXPECT_GE(test, ticks, tb_ticks_per_sec);
	KUNIT_EXPECT_LT(test, ticks, 2 * tb_ticks_per_sec);

	/* Once CPU 2 has left too, no wait at all, even with a long bound. */
	kexec_secondary_timeout_sec = 10;
	kexec_kt_acks[0] = BIT(1) | BIT(2);
	start = get_tb();
	KUNIT_EXPECT_EQ(test, kexec_wait_acks(kexec_kt_acks, &kexec_kt_parked,
					      kexec_kt_hw_id), 0);
	KUNIT_EXPECT_LT(test, get_tb() - start, tb_ticks_per_sec / 10);

	/* A CPU that was not parked (handed to firmware) is not waited for. */
	cpumask_clear_cpu(2, &kexec_kt_parked);
	kexec_kt_acks[0] = BIT(1);
	start = get_tb();
	KUNIT_EXPECT_EQ(test, kexec_wait_acks(kexec_kt_acks, &kexec_kt_parked,
					      kexec_kt_hw_id), 0);
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
