/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit test of the restart of a kexec that gave up on a CPU, included at
 * the end of rtas.c: its hold on the RTAS lock, which that CPU may be the
 * one to hold.  An ordinary restart, rtas_restart(), waits for the lock
 * as every RTAS call does (rtas_call()).
 */

#include <kunit/test.h>

/*
 * The restart of a kexec that gave up (rtas_restart_give_up()) stops
 * waiting after its bound with the lock held elsewhere (here, by the test
 * itself, for 20 ms), and takes a free lock at once.
 */
static void rtas_test_give_up_lock(struct kunit *test)
{
	unsigned long flags;
	u64 start, ticks;
	bool got;

	raw_spin_lock_irqsave(&rtas_lock, flags);
	start = get_tb();
	got = rtas_restart_lock(20);
	ticks = get_tb() - start;
	raw_spin_unlock_irqrestore(&rtas_lock, flags);
	KUNIT_EXPECT_FALSE(test, got);
	KUNIT_EXPECT_GE(test, ticks, 20 * USEC_PER_MSEC * tb_ticks_per_usec);
	KUNIT_EXPECT_LT(test, ticks, 1000 * USEC_PER_MSEC * tb_ticks_per_usec);

	local_irq_save(flags);
	start = get_tb();
	got = rtas_restart_lock(MSEC_PER_SEC);
	ticks = get_tb() - start;
	if (got)
		raw_spin_unlock(&rtas_lock);
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, got);
	KUNIT_EXPECT_LT(test, ticks, 500 * USEC_PER_MSEC * tb_ticks_per_usec);
}

static struct kunit_case rtas_restart_test_cases[] = {
	KUNIT_CASE(rtas_test_give_up_lock),
	{}
};

static struct kunit_suite rtas_restart_test_suite = {
	.name = "powerpc_rtas_restart",
	.test_cases = rtas_restart_test_cases,
};

kunit_test_suite(rtas_restart_test_suite);
