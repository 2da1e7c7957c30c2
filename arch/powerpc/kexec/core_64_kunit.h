/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit tests of the 64-bit kexec handshake with the secondaries, included
 * at the end of core_64.c: the bounded wait of the primary and the wait of
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
 * secondaries are not stuck one after the other), never hang, and name a
 * CPU that did not make it, so that the kexec does not copy over it.
 */
static void kexec_test_wait_bounded(struct kunit *test)
{
	unsigned int others = num_online_cpus() - 1;
	u64 start, ticks;
	int late, me;

	if (others < 2)
		kunit_skip(test, "needs at least 3 online CPUs");
	kexec_kt_short_timeout(test, 1);
	migrate_disable();
	me = raw_smp_processor_id();
	start = get_tb();
	late = kexec_wait_state(KEXEC_STATE_IRQS_OFF);
	ticks = get_tb() - start;
	migrate_enable();
	KUNIT_EXPECT_GE(test, late, 0);
	KUNIT_EXPECT_NE(test, late, me);
	KUNIT_EXPECT_TRUE(test, late >= 0 && cpu_online(late));
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

#ifdef CONFIG_SMP
static u8 kexec_kt_state[NR_CPUS];

static void kexec_kt_restore_states(void *unused)
{
	int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(paca_ptrs[cpu]->kexec_state, kexec_kt_state[cpu]);
}

/*
 * What counts as stopped, and what is waited for after the copy: a CPU
 * parked in kexec_wait (KEXEC_STATE_REAL_MODE) acknowledges the release
 * and is waited for; one handed back to firmware, or a thread that its
 * sibling disabled (e6500 TENC), never acknowledges and must not be: it
 * would cost every kexec the whole bound and a false "left behind".
 * Before the copy all three count as stopped, at once.  The states are set
 * on the other CPUs' pacas for the test (they are idle, not in a kexec)
 * and put back.
 */
static void kexec_test_states(struct kunit *test)
{
	static const u8 states[] = {
		KEXEC_STATE_REAL_MODE, KEXEC_STATE_FIRMWARE,
		KEXEC_STATE_DISABLED,
	};
	unsigned int n = 0;
	int cpu, me, ret;
	u64 start;

	if (num_online_cpus() < 4)
		kunit_skip(test, "needs at least 4 online CPUs");
	for_each_possible_cpu(cpu)
		kexec_kt_state[cpu] = READ_ONCE(paca_ptrs[cpu]->kexec_state);
	ret = kunit_add_action_or_reset(test, kexec_kt_restore_states, NULL);
	KUNIT_ASSERT_EQ(test, ret, 0);
	kexec_kt_short_timeout(test, 10);

	migrate_disable();
	me = raw_smp_processor_id();
	for_each_online_cpu(cpu)
		if (cpu != me)
			WRITE_ONCE(paca_ptrs[cpu]->kexec_state,
				   states[n++ % ARRAY_SIZE(states)]);
	start = get_tb();
	KUNIT_EXPECT_EQ(test, kexec_wait_state(KEXEC_STATE_REAL_MODE), -1);
	KUNIT_EXPECT_LT(test, get_tb() - start, tb_ticks_per_sec / 10);

	kexec_note_parked();
	for_each_online_cpu(cpu) {
		bool parked = cpu != me && paca_ptrs[cpu]->kexec_state ==
					   KEXEC_STATE_REAL_MODE;

		KUNIT_EXPECT_EQ_MSG(test, cpumask_test_cpu(cpu, &kexec_parked),
				    parked, "cpu %d in state %u", cpu,
				    paca_ptrs[cpu]->kexec_state);
	}
	migrate_enable();
}
#else
static void kexec_test_states(struct kunit *test)
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

/*
 * Where the secondaries wait: the page reserved at boot lies above this
 * kernel's image (a next kernel of its size moves itself to address 0
 * without touching it), below half the real mode area, which is no more
 * than the RMA where the MMU has one, and it never reached the page
 * allocator.  A page is taken only off every segment, above the largest
 * one and within reach in real mode, and the stub must fit in it.
 */
static void kexec_test_handoff_page(struct kunit *test)
{
	bool (*usable)(const struct kimage *, phys_addr_t, size_t) =
		kexec_handoff_usable;
	static struct kimage image;
	phys_addr_t pa = kexec_handoff_page;
	phys_addr_t rm = kexec_real_mode_limit;
	phys_addr_t top;

	KUNIT_ASSERT_NE_MSG(test, pa, 0, "no page reserved at boot");
	KUNIT_EXPECT_TRUE(test, PageReserved(pfn_to_page(PHYS_PFN(pa))));
	KUNIT_EXPECT_GE(test, pa, __pa(_end));
	KUNIT_EXPECT_LE(test, pa + PAGE_SIZE, rm / 2);
	KUNIT_EXPECT_LE(test, rm, SZ_1G);
	if (!radix_enabled() && ppc64_rma_size)
		KUNIT_EXPECT_LE(test, rm, ppc64_rma_size);
	KUNIT_EXPECT_LE(test, kexec_handoff_stub_end - kexec_handoff_stub,
			PAGE_SIZE);

	/* Sizes in proportion to the real mode area, whatever its size. */
	top = radix_enabled() ? SZ_1G : rm;
	image.nr_segments = 2;
	image.segment[0].mem = 0;		/* the kernel */
	image.segment[0].memsz = top / 8;
	image.segment[1].mem = top / 2;		/* an initrd */
	image.segment[1].memsz = top / 16;
	KUNIT_EXPECT_TRUE(test, usable(&image, top / 4, 64));
	KUNIT_EXPECT_TRUE(test, usable(&image, top / 8, 64));
	/* Where the next kernel moves itself. */
	KUNIT_EXPECT_FALSE(test, usable(&image, top / 16, 64));
	/* On a segment, or straddling one of its ends. */
	KUNIT_EXPECT_FALSE(test, usable(&image, top / 2, 64));
	KUNIT_EXPECT_FALSE(test, usable(&image, top / 2 - 32, 64));
	KUNIT_EXPECT_FALSE(test, usable(&image, top / 2 + top / 16 - 32, 64));
	KUNIT_EXPECT_TRUE(test, usable(&image, top / 2 + top / 16, 64));
	/* More than a page. */
	KUNIT_EXPECT_FALSE(test, usable(&image, top / 4, PAGE_SIZE + 1));
	/* Out of reach in real mode (not on radix: no limit there). */
	if (!radix_enabled()) {
		KUNIT_EXPECT_FALSE(test, usable(&image, rm - 32, 64));
		KUNIT_EXPECT_TRUE(test, usable(&image, rm - 64, 64));
	}
}

#ifdef CONFIG_KEXEC_FILE
/*
 * The next kernel is told about the page in the device tree that
 * kexec_file_load builds: /chosen names it, the reserve map holds it once
 * (this kernel may have inherited the entry), and a crash kernel's tree
 * loses the property inherited from the tree this kernel booted with.
 */
static void kexec_test_handoff_fdt(struct kunit *test)
{
	static struct kimage image;
	const fdt64_t *prop;
	u64 addr, size;
	void *fdt;
	int node, len;

	if (!kexec_handoff_page)
		kunit_skip(test, "no page reserved at boot");
	fdt = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fdt);
	KUNIT_ASSERT_EQ(test, fdt_create_empty_tree(fdt, SZ_4K), 0);
	node = fdt_add_subnode(fdt, 0, "chosen");
	KUNIT_ASSERT_GE(test, node, 0);
	KUNIT_ASSERT_EQ(test, fdt_setprop_u64(fdt, node,
					      "linux,kexec-handoff-page", 1), 0);

	image.type = KEXEC_TYPE_DEFAULT;
	KUNIT_ASSERT_EQ(test, kexec_handoff_setup_fdt(&image, fdt), 0);
	KUNIT_ASSERT_EQ(test, kexec_handoff_setup_fdt(&image, fdt), 0);
	node = fdt_path_offset(fdt, "/chosen");
	prop = fdt_getprop(fdt, node, "linux,kexec-handoff-page", &len);
	KUNIT_ASSERT_NOT_NULL(test, prop);
	KUNIT_EXPECT_EQ(test, len, sizeof(*prop));
	KUNIT_EXPECT_EQ(test, fdt64_to_cpu(*prop), (u64)kexec_handoff_page);
	KUNIT_ASSERT_EQ(test, fdt_num_mem_rsv(fdt), 1);
	KUNIT_ASSERT_EQ(test, fdt_get_mem_rsv(fdt, 0, &addr, &size), 0);
	KUNIT_EXPECT_EQ(test, addr, (u64)kexec_handoff_page);
	KUNIT_EXPECT_EQ(test, size, (u64)PAGE_SIZE);

	image.type = KEXEC_TYPE_CRASH;
	KUNIT_ASSERT_EQ(test, kexec_handoff_setup_fdt(&image, fdt), 0);
	node = fdt_path_offset(fdt, "/chosen");
	KUNIT_EXPECT_NULL(test, fdt_getprop(fdt, node,
					    "linux,kexec-handoff-page", &len));
	KUNIT_EXPECT_EQ(test, kexec_handoff_setup_fdt(&image, fdt), 0);
}
#endif

static struct kunit_case kexec_powerpc_test_cases[] = {
	KUNIT_CASE_SLOW(kexec_test_wait_bounded),
	KUNIT_CASE_SLOW(kexec_test_handoff),
	KUNIT_CASE(kexec_test_states),
	KUNIT_CASE(kexec_test_handoff_page),
#ifdef CONFIG_KEXEC_FILE
	KUNIT_CASE(kexec_test_handoff_fdt),
#endif
	{}
};

static struct kunit_suite kexec_powerpc_test_suite = {
	.name = "powerpc_kexec",
	.test_cases = kexec_powerpc_test_cases,
};

kunit_test_suite(kexec_powerpc_test_suite);
