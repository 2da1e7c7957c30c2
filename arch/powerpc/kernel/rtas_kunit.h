/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit test of the restart's hold on the RTAS lock, included at the end
 * of rtas.c.  An ordinary restart waits for the lock as every RTAS call
 * does; only the restart of a kexec that gave up on a CPU, which may be
 * the one holding the lock, stops waiting after a bound.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>

struct rtas_test_waiter {
	unsigned int timeout_ms;
	atomic_t go, waiting, done;
	bool got;
};

static int rtas_test_waiter_fn(void *data)
{
	struct rtas_test_waiter *w = data;
	unsigned long flags;

	while (!atomic_read(&w->go))
		cpu_relax();
	local_irq_save(flags);
	atomic_set(&w->waiting, 1);
	w->got = rtas_restart_lock(w->timeout_ms);
	if (w->got)
		raw_spin_unlock(&rtas_lock);
	local_irq_restore(flags);
	atomic_set(&w->done, 1);
	return 0;
}

/*
 * The lock an ordinary restart (ppc_md.restart) takes is waited for as
 * long as another CPU holds it: another CPU may be inside RTAS, and RTAS
 * is not reentrant.  Held here for 200 ms while another CPU restarts.
 */
static void rtas_test_restart_waits(struct kunit *test)
{
	struct rtas_test_waiter w = {
		.timeout_ms = RTAS_RESTART_NO_BOUND,
		.go = ATOMIC_INIT(0), .waiting = ATOMIC_INIT(0),
		.done = ATOMIC_INIT(0),
	};
	struct task_struct *t;
	unsigned long flags;
	int cpu, i;

	/* This thread stays where it is, the waiter runs elsewhere. */
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());
	if (cpu >= nr_cpu_ids) {
		migrate_enable();
		kunit_skip(test, "needs a second CPU");
	}
	t = kthread_create(rtas_test_waiter_fn, &w, "rtas_test_waiter");
	if (IS_ERR(t)) {
		migrate_enable();
		KUNIT_FAIL(test, "no kthread: %ld", PTR_ERR(t));
		return;
	}
	kthread_bind(t, cpu);
	get_task_struct(t);
	wake_up_process(t);

	raw_spin_lock_irqsave(&rtas_lock, flags);
	atomic_set(&w.go, 1);
	/* The 200 ms count from when the waiter is at the lock. */
	for (i = 0; i < 1000 && !atomic_read(&w.waiting); i++)
		mdelay(1);
	KUNIT_EXPECT_TRUE_MSG(test, atomic_read(&w.waiting),
			      "the waiting CPU never reached the lock");
	mdelay(200);
	KUNIT_EXPECT_FALSE_MSG(test, atomic_read(&w.done),
			       "an ordinary restart did not wait for the RTAS lock");
	raw_spin_unlock_irqrestore(&rtas_lock, flags);
	migrate_enable();

	for (i = 0; i < 50 && !atomic_read(&w.done); i++)
		msleep(20);
	KUNIT_EXPECT_TRUE(test, atomic_read(&w.done));
	KUNIT_EXPECT_TRUE(test, w.got);
	kthread_stop(t);
	put_task_struct(t);
}

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
	KUNIT_CASE(rtas_test_restart_waits),
	KUNIT_CASE(rtas_test_give_up_lock),
	{}
};

static struct kunit_suite rtas_restart_test_suite = {
	.name = "powerpc_rtas_restart",
	.test_cases = rtas_restart_test_cases,
};

kunit_test_suite(rtas_restart_test_suite);
