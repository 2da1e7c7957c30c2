// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests of the kexec teardown registry, under AddressSanitizer and
 * UndefinedBehaviorSanitizer.  Threads stand in for CPUs.
 */
#include <pthread.h>
#include <unistd.h>

#include "common.h"

static int failures, checks;
static const char *current_test;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "  %s:%d: %s: check failed: %s\n",	\
			__FILE__, __LINE__, current_test, #cond);	\
	}								\
} while (0)

#define CHECK_EQ(a, b) do {						\
	long long __a = (a), __b = (b);					\
	checks++;							\
	if (__a != __b) {						\
		failures++;						\
		fprintf(stderr, "  %s:%d: %s: %s == %lld, want %lld\n",	\
			__FILE__, __LINE__, current_test, #a, __a, __b);\
	}								\
} while (0)

/* Static steps, so that post-copy accepts them; data is the step's id. */
#define NSTEPS 8
static struct kexec_teardown steps[NSTEPS];
static const char * const names[NSTEPS] = {
	"t:0", "t:1", "t:2", "t:3", "t:4", "t:5", "t:6", "t:7",
};

static struct kexec_teardown *step(int id, enum kexec_teardown_phase phase,
				   int prio, unsigned int flags)
{
	struct kexec_teardown *td = &steps[id];

	*td = (struct kexec_teardown) {
		.name = names[id], .phase = phase, .priority = prio,
		.flags = flags, .fn = kt_record, .data = KT_ID(id),
	};
	return td;
}

static struct kexec_teardown_registry reg;

static void fresh(void)
{
	kexec_teardown_registry_init(&reg);
	kt_log_reset();
	kt_warnings = 0;
}

static void expect_ids(const int *ids, int n)
{
	int i;

	CHECK_EQ(kt_log.n, n);
	for (i = 0; i < n && i < kt_log.n; i++)
		CHECK_EQ(kt_log.e[i].id, ids[i]);
}

static void test_order(void)
{
	static const int want[] = { 3, 1, 4, 0, 2 };
	int p;

	for (p = 0; p < KEXEC_TEARDOWN_NR_PHASES; p++) {
		fresh();
		CHECK_EQ(kexec_teardown_add(&reg, step(0, p, 0, 0)), 0);
		CHECK_EQ(kexec_teardown_add(&reg, step(1, p, 200, 0)), 0);
		CHECK_EQ(kexec_teardown_add(&reg, step(2, p, -200, 0)), 0);
		CHECK_EQ(kexec_teardown_add(&reg, step(3, p, 300, 0)), 0);
		CHECK_EQ(kexec_teardown_add(&reg, step(4, p, 1, 0)), 0);
		kexec_teardown_seal(&reg);
		kexec_teardown_run(&reg, p, 0, 0, NULL);
		expect_ids(want, 5);
	}
}

static void test_ties_and_terminal(void)
{
	static const int want[] = { 0, 1, 2, 3 };

	fresh();
	reg.verbose = true;	/* record every step */
	CHECK_EQ(kexec_teardown_add(&reg, step(3, KEXEC_TEARDOWN_SECONDARY, 99,
					       KEXEC_TEARDOWN_TERMINAL)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(2, KEXEC_TEARDOWN_SECONDARY, 5, 0)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_SECONDARY, 5, 0)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_SECONDARY, 5, 0)), 0);
	kexec_teardown_seal(&reg);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_SECONDARY, 0, 0, NULL);
	expect_ids(want, 4);
	/* Recorded before its call, and once more since it returned here. */
	CHECK_EQ(atomic_read(&reg.nr_trace), 5);
	CHECK(reg.trace[3].td == &steps[3]);
	CHECK_EQ(reg.trace[3].outcome, KEXEC_TEARDOWN_HANDOFF);
	CHECK(reg.trace[4].td == &steps[3]);
	CHECK_EQ(reg.trace[4].outcome, KEXEC_TEARDOWN_DONE);

	/*
	 * By default only failures are recorded: steps that went well cannot
	 * fill the trace before the failures the crash replay must show.
	 */
	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_SECONDARY, 1, 0)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_SECONDARY, 0, 0)), 0);
	steps[1].fn = kt_fail;
	kexec_teardown_seal(&reg);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_SECONDARY, 0, 0, NULL);
	CHECK_EQ(atomic_read(&reg.nr_trace), 1);
	CHECK(reg.trace[0].td == &steps[1]);
	CHECK_EQ(reg.trace[0].outcome, KEXEC_TEARDOWN_FAILED);
	CHECK_EQ(reg.trace[0].err, -EIO);
}

static void test_crash_filter(void)
{
	static const int want[] = { 1 };
	int p;

	for (p = KEXEC_TEARDOWN_SECONDARY; p < KEXEC_TEARDOWN_NR_PHASES; p++) {
		fresh();
		CHECK_EQ(kexec_teardown_add(&reg, step(0, p, 1, 0)), 0);
		step(1, p, 0, KEXEC_TEARDOWN_CRASH_SAFE);
		CHECK_EQ(kexec_teardown_add(&reg, &steps[1]), 0);
		kexec_teardown_seal_crash(&reg);
		kexec_teardown_run(&reg, p, 0, 0, NULL);
		expect_ids(want, 1);
		CHECK(kt_log.e[0].ctx.crash);
		CHECK_EQ(atomic_read(&reg.nr_skipped), 1);
	}
}

static void test_bad_input(void)
{
	struct kexec_teardown on_stack = {
		.name = "t:stack", .phase = KEXEC_TEARDOWN_PRIMARY,
		.fn = kt_record,
	};
	struct kexec_teardown *heap = calloc(1, sizeof(*heap));
	char *heap_name = strdup("t:heap");
	int w;

	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, NULL), -EINVAL);
	CHECK_EQ(kexec_teardown_add(&reg, &on_stack), -EINVAL);
	step(0, KEXEC_TEARDOWN_PRIMARY, 0, 0)->fn = NULL;
	CHECK_EQ(kexec_teardown_add(&reg, &steps[0]), -EINVAL);
	step(0, KEXEC_TEARDOWN_PRIMARY, 0, 0)->name = NULL;
	CHECK_EQ(kexec_teardown_add(&reg, &steps[0]), -EINVAL);
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_NR_PHASES, 0, 0)),
		 -EINVAL);
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_PRIMARY, 0, 8)),
		 -EINVAL);
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_PREPARE, 0,
					       KEXEC_TEARDOWN_CRASH_SAFE)), -EINVAL);
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_POST_COPY, 0,
					       KEXEC_TEARDOWN_TERMINAL)), -EINVAL);

	/* Post-copy: only the executable's text and data survive "the copy". */
	*heap = *step(1, KEXEC_TEARDOWN_POST_COPY, 0, 0);
	CHECK_EQ(kexec_teardown_add(&reg, heap), -EINVAL);
	step(1, KEXEC_TEARDOWN_POST_COPY, 0, 0)->name = heap_name;
	CHECK_EQ(kexec_teardown_add(&reg, &steps[1]), -EINVAL);
	step(1, KEXEC_TEARDOWN_POST_COPY, 0, 0)->data = heap;
	CHECK_EQ(kexec_teardown_add(&reg, &steps[1]), -EINVAL);
	step(1, KEXEC_TEARDOWN_POST_COPY, 0, 0)->fn =
		(int (*)(const struct kexec_teardown_ctx *))(void *)heap;
	CHECK_EQ(kexec_teardown_add(&reg, &steps[1]), -EINVAL);
	/* ... and a heap descriptor is fine before the copy. */
	heap->phase = KEXEC_TEARDOWN_PRIMARY;
	CHECK_EQ(kexec_teardown_add(&reg, heap), 0);
	CHECK_EQ(kt_warnings, 12);

	/* Duplicates, names, terminals, unknown removals. */
	w = kt_warnings;
	CHECK_EQ(kexec_teardown_add(&reg, heap), -EEXIST);
	step(2, KEXEC_TEARDOWN_PRIMARY, 0, 0)->name = heap->name;
	CHECK_EQ(kexec_teardown_add(&reg, &steps[2]), -EEXIST);
	CHECK_EQ(kexec_teardown_add(&reg, step(3, KEXEC_TEARDOWN_SECONDARY, 0,
					       KEXEC_TEARDOWN_TERMINAL)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(4, KEXEC_TEARDOWN_SECONDARY, 0,
					       KEXEC_TEARDOWN_TERMINAL)), -EBUSY);
	CHECK_EQ(kexec_teardown_remove(&reg, &steps[5]), -ENOENT);
	CHECK_EQ(kexec_teardown_remove(&reg, NULL), -EINVAL);
	CHECK_EQ(kt_warnings - w, 5);

	CHECK_EQ(kexec_teardown_remove(&reg, heap), 0);
	CHECK(!reg.head[KEXEC_TEARDOWN_PRIMARY]);
	free(heap);
	free(heap_name);
}

static void test_seal(void)
{
	static const int want[] = { 0 };

	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_PRIMARY, 0, 0)), 0);
	kexec_teardown_seal(&reg);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_PRIMARY, 0, 0)),
		 -EBUSY);
	CHECK_EQ(kexec_teardown_remove(&reg, &steps[0]), -EBUSY);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	expect_ids(want, 1);

	/*
	 * A walk of an unsealed registry (nobody called the seal: it may be
	 * a crash NMI that came first) cannot tell a crash from a kexec: it
	 * runs only the crash-safe steps, counts itself, and never warns (it
	 * may be in NMI context).
	 */
	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_PRIMARY, 1, 0)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_PRIMARY, 0,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	expect_ids((const int []){ 1 }, 1);
	CHECK_EQ(kt_warnings, 0);
	CHECK_EQ(atomic_read(&reg.nr_unsealed), 1);
	CHECK_EQ(atomic_read(&reg.nr_skipped), 1);

	/* Registering after the seal is refused, with a warning but no WARN. */
	fresh();
	kexec_teardown_seal(&reg);
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_PRIMARY, 0, 0)),
		 -EBUSY);
	CHECK_EQ(kt_warnings, 0);
	CHECK(strstr(kt_last_log, "t:0: not registered, a kexec has started"));

	/* A registry this kernel's kexec does not run refuses steps. */
	fresh();
	reg.supported = false;
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_PRIMARY, 0, 0)),
		 -EOPNOTSUPP);
	CHECK(strstr(kt_last_log, "t:0: this kernel's kexec runs no teardown steps"));
	CHECK(!reg.head[KEXEC_TEARDOWN_PRIMARY]);

	/* An architecture without a post-copy phase refuses such steps. */
	fresh();
	reg.phases &= ~BIT(KEXEC_TEARDOWN_POST_COPY);
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_POST_COPY, 0, 0)),
		 -EOPNOTSUPP);
	CHECK(strstr(kt_last_log, "t:0: this architecture's kexec has no post-copy phase"));
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_PRIMARY, 0, 0)), 0);
	CHECK(!reg.head[KEXEC_TEARDOWN_POST_COPY]);
}

static void test_failure(void)
{
	static const int want[] = { 0, 1, 2 };

	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_PRIMARY, 3, 0)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_PRIMARY, 2, 0)), 0);
	steps[1].fn = kt_fail;
	CHECK_EQ(kexec_teardown_add(&reg, step(2, KEXEC_TEARDOWN_PRIMARY, 1, 0)), 0);
	kexec_teardown_seal(&reg);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	expect_ids(want, 3);
	CHECK_EQ(atomic_read(&reg.nr_failed), 1);
	CHECK(reg.last_failed == &steps[1]);
	CHECK_EQ(reg.last_err, -EIO);
}

static char rm_out[32768];

static void rm_puts(const char *s)
{
	strncat(rm_out, s, sizeof(rm_out) - strlen(rm_out) - 1);
}

/*
 * After the copy the only output is the platform's: failures always,
 * the rest with verbose, nothing at all without an output.
 */
static void test_post_copy_output(void)
{
	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_POST_COPY, 2,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_POST_COPY, 1, 0)),
		 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(2, KEXEC_TEARDOWN_POST_COPY, 0,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	steps[2].fn = kt_fail;
	kexec_teardown_seal_crash(&reg);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_POST_COPY, 0, 4, NULL);
	CHECK_EQ(kt_log.n, 2);

	reg.puts = rm_puts;
	rm_out[0] = '\0';
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_POST_COPY, 0, 4, NULL);
	CHECK(!strcmp(rm_out,
		      "kexec_teardown: post-copy cpu 0 hw 4: t:2 failed -5\n"));

	reg.verbose = true;
	rm_out[0] = '\0';
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_POST_COPY, 0, 4, NULL);
	CHECK(strstr(rm_out,
		     "kexec_teardown: post-copy cpu 0 hw 4: t:0 done\n"
		     "kexec_teardown: post-copy cpu 0 hw 4: t:1 skipped (not crash-safe)\n"
		     "kexec_teardown: post-copy cpu 0 hw 4: t:2 failed -5\n"));
}

/* Crash path: post-copy replays the lines printk could not show. */
static void test_crash_replay(void)
{
	const char *q;
	int i, n;

	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_SECONDARY, 0,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_PRIMARY, 0, 0)),
		 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(2, KEXEC_TEARDOWN_POST_COPY, 0,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	reg.puts = rm_puts;
	reg.verbose = true;
	kexec_teardown_seal_crash(&reg);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_SECONDARY, 1, 1, NULL);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	rm_out[0] = '\0';
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_POST_COPY, 0, 0, NULL);
	CHECK(!strcmp(rm_out,
		      "kexec_teardown: secondary cpu 1 hw 1: t:0 done\n"
		      "kexec_teardown: primary cpu 0 hw 0: t:1 skipped (not crash-safe)\n"
		      "kexec_teardown: post-copy cpu 0 hw 0: t:2 done\n"));

	/*
	 * More than the replay prints: bounded, and the rest counted (the
	 * trace holds 128, the replay prints 64 of those before the copy).
	 */
	for (i = 0; i < KEXEC_TEARDOWN_TRACE_MAX; i++)
		kexec_teardown_run(&reg, KEXEC_TEARDOWN_SECONDARY, 2, 2, NULL);
	rm_out[0] = '\0';
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_POST_COPY, 0, 0, NULL);
	/*
	 * 131 recorded: the trace kept 128, among them 127 of the earlier
	 * phases; 64 are printed, 63 kept and 3 not kept are counted.
	 */
	CHECK(strstr(rm_out, "kexec_teardown: 66 more steps not shown\n"
			     "kexec_teardown: post-copy cpu 0 hw 0: t:2 done\n"));
	for (n = 0, q = rm_out; (q = strchr(q, '\n')); q++)
		n++;
	CHECK_EQ(n, KEXEC_TEARDOWN_REPLAY_MAX + 2);

	/* Without verbose, the replay shows failures only. */
	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_SECONDARY, 1,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(1, KEXEC_TEARDOWN_SECONDARY, 0,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	steps[1].fn = kt_fail;
	reg.puts = rm_puts;
	kexec_teardown_seal_crash(&reg);
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_SECONDARY, 3, 7, NULL);
	rm_out[0] = '\0';
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_POST_COPY, 0, 0, NULL);
	CHECK(!strcmp(rm_out,
		      "kexec_teardown: secondary cpu 3 hw 7: t:1 failed -5\n"));
}

/* Threads as CPUs: each runs the secondary phase once for itself. */
#define NCPUS 8
static int per_cpu_calls[NCPUS][NSTEPS];
static int per_cpu_wrong;

static int per_cpu_step(const struct kexec_teardown_ctx *ctx)
{
	int id = *(const int *)ctx->data;

	if (ctx->cpu != kt_cpu || ctx->hw_cpu != kt_cpu + 100)
		__atomic_fetch_add(&per_cpu_wrong, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&per_cpu_calls[kt_cpu][id], 1, __ATOMIC_RELAXED);
	return 0;
}

static void *cpu_thread(void *arg)
{
	kt_cpu = (unsigned int)(intptr_t)arg;
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_SECONDARY, kt_cpu, kt_cpu + 100,
			   NULL);
	return NULL;
}

static void test_every_cpu(void)
{
	pthread_t t[NCPUS];
	int c, s;

	fresh();
	memset(per_cpu_calls, 0, sizeof(per_cpu_calls));
	for (s = 0; s < 3; s++) {
		step(s, KEXEC_TEARDOWN_SECONDARY, s, 0)->fn = per_cpu_step;
		CHECK_EQ(kexec_teardown_add(&reg, &steps[s]), 0);
	}
	kexec_teardown_seal(&reg);
	for (c = 0; c < NCPUS; c++)
		pthread_create(&t[c], NULL, cpu_thread, (void *)(intptr_t)c);
	for (c = 0; c < NCPUS; c++)
		pthread_join(t[c], NULL);
	for (c = 0; c < NCPUS; c++)
		for (s = 0; s < 3; s++)
			CHECK_EQ(per_cpu_calls[c][s], 1);
	CHECK_EQ(per_cpu_wrong, 0);
	CHECK_EQ(atomic_read(&reg.nr_run), 3 * NCPUS);
}

/*
 * The crash path seals without the lock while another CPU may be in the
 * middle of a registration.  Race a registering thread against a crash
 * seal and walk: the walk must see a well-formed, sorted list holding
 * every step whose registration returned before the seal, and no step
 * whose registration was refused.
 */
static int race_added[NSTEPS];		/* 1 ok, -1 refused */
static int race_done;			/* registrations returned so far */
static int race_order[NSTEPS];

static void *race_registrar(void *arg)
{
	int i, id, ret;

	for (i = 0; i < NSTEPS; i++) {
		id = race_order[i];
		ret = kexec_teardown_add(&reg, &steps[id]);
		race_added[id] = ret == 0 ? 1 : -1;
		__atomic_store_n(&race_done, i + 1, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void test_crash_seal_race(void)
{
	int iter, i, done_before, seen[NSTEPS];
	unsigned int seed = 12345;
	pthread_t t;

	for (iter = 0; iter < 2000; iter++) {
		fresh();
		memset(race_added, 0, sizeof(race_added));
		race_done = 0;
		for (i = 0; i < NSTEPS; i++) {
			race_order[i] = i;
			step(i, KEXEC_TEARDOWN_PRIMARY, rand_r(&seed) % 5,
			     KEXEC_TEARDOWN_CRASH_SAFE);
		}
		for (i = NSTEPS - 1; i > 0; i--) {
			int j = rand_r(&seed) % (i + 1), x = race_order[i];

			race_order[i] = race_order[j];
			race_order[j] = x;
		}
		pthread_create(&t, NULL, race_registrar, NULL);
		for (i = rand_r(&seed) % 2000; i > 0; i--)
			__asm__ volatile("" ::: "memory");
		done_before = __atomic_load_n(&race_done, __ATOMIC_ACQUIRE);
		kexec_teardown_seal_crash(&reg);
		kexec_teardown_run(&reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
		pthread_join(t, NULL);

		memset(seen, 0, sizeof(seen));
		for (i = 0; i < kt_log.n; i++) {
			int id = kt_log.e[i].id;

			CHECK(id >= 0 && id < NSTEPS);
			CHECK_EQ(seen[id]++, 0);
			CHECK(race_added[id] == 1);
			if (i) {
				const struct kexec_teardown *a =
					&steps[kt_log.e[i - 1].id];
				const struct kexec_teardown *b = &steps[id];

				CHECK(a->priority > b->priority ||
				      (a->priority == b->priority &&
				       strcmp(a->name, b->name) < 0));
			}
		}
		for (i = 0; i < done_before; i++)
			CHECK(seen[race_order[i]] == 1);
		if (failures)
			break;
	}
}

/*
 * A crash walker may stand on a step while another CPU unlinks it (the
 * crash seal takes no lock).  The unlinked step must still lead the
 * walker to the rest of the list, and the remover must wait for walkers
 * before the step can be reused.  Step 1's callback holds the walker on
 * step 1 until the removal has returned.
 */
static int rm_state;	/* 1: walker is in step 1; 2: removal returned */

static int rm_hold(const struct kexec_teardown_ctx *ctx)
{
	kt_record(ctx);
	__atomic_store_n(&rm_state, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&rm_state, __ATOMIC_ACQUIRE) != 2)
		;
	return 0;
}

static void *rm_walker(void *arg)
{
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_SECONDARY, 1, 1, NULL);
	return NULL;
}

static struct module *rm_owner = (struct module *)&rm_state;

static void rm_race(bool by_module)
{
	static const int want[] = { 0, 1, 2 };
	pthread_t t;
	int grace;

	fresh();
	CHECK_EQ(kexec_teardown_add(&reg, step(0, KEXEC_TEARDOWN_SECONDARY, 3,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	step(1, KEXEC_TEARDOWN_SECONDARY, 2, KEXEC_TEARDOWN_CRASH_SAFE);
	steps[1].fn = rm_hold;
	steps[1].owner = rm_owner;
	CHECK_EQ(kexec_teardown_add(&reg, &steps[1]), 0);
	CHECK_EQ(kexec_teardown_add(&reg, step(2, KEXEC_TEARDOWN_SECONDARY, 1,
					       KEXEC_TEARDOWN_CRASH_SAFE)), 0);
	rm_state = 0;
	grace = kt_grace_periods;
	/*
	 * Left unsealed, so that removal is allowed: the walk then runs the
	 * crash-safe steps, as a crash walker that raced the seal would.
	 */
	pthread_create(&t, NULL, rm_walker, NULL);
	while (__atomic_load_n(&rm_state, __ATOMIC_ACQUIRE) != 1)
		;
	if (by_module)
		kexec_teardown_drop_module(&reg, rm_owner);
	else
		CHECK_EQ(kexec_teardown_remove(&reg, &steps[1]), 0);
	__atomic_store_n(&rm_state, 2, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	expect_ids(want, 3);
	CHECK(reg.head[KEXEC_TEARDOWN_SECONDARY] == &steps[0]);
	CHECK(steps[0].next == &steps[2]);
	CHECK_EQ(kt_grace_periods, grace + 1);
	steps[1].owner = NULL;
}

static void test_remove_race(void)
{
	rm_race(false);
	rm_race(true);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "order by priority in every phase", test_order },
	{ "ties by name, terminal last", test_ties_and_terminal },
	{ "crash path runs only crash-safe steps", test_crash_filter },
	{ "bad input refused with a warning", test_bad_input },
	{ "sealed registry refuses changes", test_seal },
	{ "failing step logged, walk goes on", test_failure },
	{ "post-copy output through the arch puts", test_post_copy_output },
	{ "crash path replays the lines printk deferred", test_crash_replay },
	{ "secondary phase once on every CPU", test_every_cpu },
	{ "crash seal racing a registration", test_crash_seal_race },
	{ "removal under a walker keeps it going", test_remove_race },
};

int main(void)
{
	int i, failed = 0;

	for (i = 0; i < (int)ARRAY_SIZE(tests); i++) {
		int before = failures;

		current_test = tests[i].name;
		tests[i].fn();
		printf("%s %d - %s\n", failures == before ? "ok" : "not ok",
		       i + 1, tests[i].name);
		failed += failures != before;
	}
	printf("harness: %d tests, %d checks, %d failed\n",
	       (int)ARRAY_SIZE(tests), checks, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
