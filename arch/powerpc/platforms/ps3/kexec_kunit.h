/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KUnit tests of the PS3 kexec teardown, included at the end of kexec.c.
 *
 * The hypervisor is replaced by recording fakes (static stubs on the
 * out-of-line calls of kexec.c), and the phases are run by hand, in the
 * test's own task, on a registry of the test's own: this runs on any
 * powerpc kernel that builds the PS3 platform, PS3 or not.
 */

#include <kunit/test.h>
#include <kunit/static_stub.h>

/* kernel/, from the Makefile: the registry internals the test drives. */
#include "kexec_teardown_internal.h"

#define PS3_KT_LOG	64
#define PS3_KT_PPE_ID	0x5a5aULL
#define PS3_KT_HIGHMEM	0x10000000ULL
#define PS3_KT_VAS	7ULL

/* One hypervisor call the fakes saw. */
struct ps3_kt_call {
	const char *what;
	u64 a, b;
};

static struct {
	unsigned int n;
	struct ps3_kt_call call[PS3_KT_LOG];
	const char *fail;	/* the call that returns an lv1 error */
} ps3_kt;

static void ps3_kt_record(const char *what, u64 a, u64 b)
{
	if (ps3_kt.n < PS3_KT_LOG)
		ps3_kt.call[ps3_kt.n] = (struct ps3_kt_call){ what, a, b };
	ps3_kt.n++;
}

static int ps3_kt_result(const char *what)
{
	return ps3_kt.fail && !strcmp(ps3_kt.fail, what) ? LV1_ILLEGAL_PARAMETER_VALUE : 0;
}

/* Two IPIs per cpu: virq 100 + 10 * cpu + msg for msg 0 and 2. */
static unsigned int ps3_kt_ipi_virq(unsigned int cpu, unsigned int msg)
{
	return msg == 0 || msg == 2 ? 100 + 10 * cpu + msg : 0;
}

static int ps3_kt_port_destroy(unsigned int virq)
{
	ps3_kt_record("port_destroy", virq, 0);
	return ps3_kt_result("port_destroy");
}

static int ps3_kt_get_ppe_id(u64 *ppe_id)
{
	ps3_kt_record("get_ppe_id", 0, 0);
	*ppe_id = PS3_KT_PPE_ID;
	return ps3_kt_result("get_ppe_id");
}

static int ps3_kt_irq_bitmap_clear(u64 ppe_id, u64 thread_id)
{
	ps3_kt_record("irq_bitmap_clear", ppe_id, thread_id);
	return ps3_kt_result("irq_bitmap_clear");
}

static unsigned long ps3_kt_htab_entries(void)
{
	return 3;
}

static int ps3_kt_htab_write(unsigned long index)
{
	ps3_kt_record("htab_write", index, 0);
	return ps3_kt_result("htab_write");
}

static bool ps3_kt_highmem(u64 *lpar_base)
{
	*lpar_base = PS3_KT_HIGHMEM;
	return true;
}

static int ps3_kt_release_memory(u64 lpar_base)
{
	ps3_kt_record("release_memory", lpar_base, 0);
	return ps3_kt_result("release_memory");
}

static int ps3_kt_highmem_forget(void)
{
	ps3_kt_record("highmem_forget", 0, 0);
	return ps3_kt_result("highmem_forget");
}

static u64 ps3_kt_vas_id(void)
{
	return PS3_KT_VAS;
}

static int ps3_kt_vas_select(u64 vas_id)
{
	ps3_kt_record("vas_select", vas_id, 0);
	return ps3_kt_result("vas_select");
}

static int ps3_kt_vas_destruct(u64 vas_id)
{
	ps3_kt_record("vas_destruct", vas_id, 0);
	return ps3_kt_result("vas_destruct");
}

static const struct ps3_kexec_hv ps3_kt_hv = {
	.htab_entries	= ps3_kt_htab_entries,
	.htab_write	= ps3_kt_htab_write,
	.highmem	= ps3_kt_highmem,
	.release_memory	= ps3_kt_release_memory,
	.highmem_forget	= ps3_kt_highmem_forget,
	.vas_id		= ps3_kt_vas_id,
	.vas_select	= ps3_kt_vas_select,
	.vas_destruct	= ps3_kt_vas_destruct,
};

/*
 * Copies of the PS3 steps in a registry of the test's own: on a PS3 the
 * real ones are linked into the registry kexec uses.  Static, because
 * post-copy steps must be in core kernel data.
 */
static struct kexec_teardown ps3_kt_steps[ARRAY_SIZE(ps3_kexec_steps)];

static struct kexec_teardown_registry *
ps3_kt_setup(struct kunit *test, bool crash)
{
	struct kexec_teardown_registry *reg;
	unsigned int i;

	memset(&ps3_kt, 0, sizeof(ps3_kt));
	kunit_activate_static_stub(test, ps3_kexec_ipi_virq, ps3_kt_ipi_virq);
	kunit_activate_static_stub(test, ps3_kexec_port_destroy,
				   ps3_kt_port_destroy);
	kunit_activate_static_stub(test, ps3_kexec_get_ppe_id, ps3_kt_get_ppe_id);
	kunit_activate_static_stub(test, ps3_kexec_irq_bitmap_clear,
				   ps3_kt_irq_bitmap_clear);

	reg = kunit_kzalloc(test, sizeof(*reg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reg);
	kexec_teardown_registry_init(reg);
	for (i = 0; i < ARRAY_SIZE(ps3_kt_steps); i++) {
		ps3_kt_steps[i] = ps3_kexec_steps[i];
		ps3_kt_steps[i].next = NULL;
		/* Post-copy steps take their hypervisor from their data. */
		if (ps3_kt_steps[i].phase == KEXEC_TEARDOWN_POST_COPY) {
			KUNIT_ASSERT_PTR_EQ(test, ps3_kt_steps[i].data,
					    (void *)&ps3_kexec_lv1);
			ps3_kt_steps[i].data = (void *)&ps3_kt_hv;
		}
		KUNIT_ASSERT_EQ(test, kexec_teardown_add(reg, &ps3_kt_steps[i]), 0);
	}
	if (crash)
		kexec_teardown_seal_crash(reg);
	else
		kexec_teardown_seal(reg);
	return reg;
}

static void ps3_kt_expect(struct kunit *test, const struct ps3_kt_call *want,
			  unsigned int n)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, ps3_kt.n, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_STREQ_MSG(test, ps3_kt.call[i].what, want[i].what,
				       "call %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ps3_kt.call[i].a, want[i].a, "call %u", i);
		KUNIT_EXPECT_EQ_MSG(test, ps3_kt.call[i].b, want[i].b, "call %u", i);
	}
}

/*
 * Each CPU releases its own IPI ports, then the irq bitmap of its own
 * hardware thread, whatever its role: here CPU 0 on thread 1 is the
 * primary (a crash on the second thread) and CPU 1 on thread 0 a secondary.
 */
static void ps3_kexec_test_per_thread(struct kunit *test)
{
	struct kexec_teardown_registry *reg = ps3_kt_setup(test, false);
	static const struct ps3_kt_call want[] = {
		{ "port_destroy", 110 }, { "port_destroy", 112 },
		{ "get_ppe_id" }, { "irq_bitmap_clear", PS3_KT_PPE_ID, 0 },
		{ "port_destroy", 100 }, { "port_destroy", 102 },
		{ "get_ppe_id" }, { "irq_bitmap_clear", PS3_KT_PPE_ID, 1 },
	};

	kexec_teardown_run(reg, KEXEC_TEARDOWN_SECONDARY, 1, 0, NULL);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 1, NULL);
	ps3_kt_expect(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_failed), 0);
}

/* After the copy: the hash table, then highmem, then the address space. */
static void ps3_kexec_test_post_copy(struct kunit *test)
{
	struct kexec_teardown_registry *reg = ps3_kt_setup(test, false);
	static const struct ps3_kt_call want[] = {
		{ "htab_write", 0 }, { "htab_write", 1 }, { "htab_write", 2 },
		{ "release_memory", PS3_KT_HIGHMEM }, { "highmem_forget" },
		{ "vas_select", 0 }, { "vas_destruct", PS3_KT_VAS },
	};

	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 0, 0, NULL);
	ps3_kt_expect(test, want, ARRAY_SIZE(want));
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_run), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_failed), 0);
}

/*
 * The crash path runs the same releases as the normal one: the capture
 * kernel cannot create its own address space and interrupt plumbing
 * while these are still there.
 */
static void ps3_kexec_test_crash(struct kunit *test)
{
	struct kexec_teardown_registry *reg = ps3_kt_setup(test, true);
	static const struct ps3_kt_call want[] = {
		{ "port_destroy", 100 }, { "port_destroy", 102 },
		{ "get_ppe_id" }, { "irq_bitmap_clear", PS3_KT_PPE_ID, 0 },
		{ "htab_write", 0 }, { "htab_write", 1 }, { "htab_write", 2 },
		{ "release_memory", PS3_KT_HIGHMEM }, { "highmem_forget" },
		{ "vas_select", 0 }, { "vas_destruct", PS3_KT_VAS },
	};

	kexec_teardown_run(reg, KEXEC_TEARDOWN_PRIMARY, 0, 0, NULL);
	kexec_teardown_run(reg, KEXEC_TEARDOWN_POST_COPY, 0, 0, NULL);
	ps3_kt_expect(test, want, ARRAY_SIZE(want));
}

struct ps3_kt_fail_case {
	const char *fail;		/* the lv1 call that fails */
	enum kexec_teardown_phase phase;
	const char *step;		/* the step that reports it */
	unsigned int calls;		/* calls made all the same */
};

static const struct ps3_kt_fail_case ps3_kt_fail_cases[] = {
	{ "port_destroy", KEXEC_TEARDOWN_PRIMARY, "ps3:ipi", 4 },
	{ "get_ppe_id", KEXEC_TEARDOWN_PRIMARY, "ps3:irq-bitmap", 3 },
	{ "irq_bitmap_clear", KEXEC_TEARDOWN_PRIMARY, "ps3:irq-bitmap", 4 },
	{ "htab_write", KEXEC_TEARDOWN_POST_COPY, "ps3:htab-clear", 7 },
	{ "release_memory", KEXEC_TEARDOWN_POST_COPY, "ps3:mm-shutdown", 7 },
	{ "highmem_forget", KEXEC_TEARDOWN_POST_COPY, "ps3:mm-shutdown", 7 },
	{ "vas_select", KEXEC_TEARDOWN_POST_COPY, "ps3:vas-destroy", 7 },
	{ "vas_destruct", KEXEC_TEARDOWN_POST_COPY, "ps3:vas-destroy", 7 },
};

static void ps3_kt_fail_desc(const struct ps3_kt_fail_case *c, char *desc)
{
	strscpy(desc, c->fail, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ps3_kt_fail, ps3_kt_fail_cases, ps3_kt_fail_desc);

/* An lv1 error is reported by its step, and no release is skipped. */
static void ps3_kexec_test_lv1_error(struct kunit *test)
{
	const struct ps3_kt_fail_case *c = test->param_value;
	struct kexec_teardown_registry *reg = ps3_kt_setup(test, false);

	ps3_kt.fail = c->fail;
	kexec_teardown_run(reg, c->phase, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, ps3_kt.n, c->calls);
	KUNIT_EXPECT_EQ(test, atomic_read(&reg->nr_failed), 1);
	KUNIT_ASSERT_NOT_NULL(test, reg->last_failed);
	KUNIT_EXPECT_STREQ(test, reg->last_failed->name, c->step);
	KUNIT_EXPECT_EQ(test, reg->last_err, -EIO);
}

/*
 * The post-copy steps themselves, not copies of them, pass the registry's
 * checks that nothing after the copy lives in memory the copy overwrites
 * (heap, stack, vmalloc, init or module memory); a heap copy of one does
 * not, so the check is live.  On a PS3 they are linked into the registry
 * kexec runs and cannot be added to another.
 */
static void ps3_kexec_test_post_copy_static(struct kunit *test)
{
	struct kexec_teardown_registry *reg;
	struct kexec_teardown *copy;
	unsigned int i, n = 0;

	if (machine_is(ps3))
		kunit_skip(test, "the steps are in use on a PS3");
	reg = kunit_kzalloc(test, sizeof(*reg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reg);
	kexec_teardown_registry_init(reg);
	for (i = 0; i < ARRAY_SIZE(ps3_kexec_steps); i++) {
		if (ps3_kexec_steps[i].phase != KEXEC_TEARDOWN_POST_COPY)
			continue;
		n++;
		KUNIT_EXPECT_EQ_MSG(test, kexec_teardown_add(reg, &ps3_kexec_steps[i]),
				    0, "%s", ps3_kexec_steps[i].name);
		copy = kunit_kmalloc(test, sizeof(*copy), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, copy);
		*copy = ps3_kexec_steps[i];
		copy->next = NULL;
		KUNIT_EXPECT_EQ(test, kexec_teardown_add(reg, copy), -EINVAL);
	}
	KUNIT_EXPECT_EQ(test, n, 3);
	for (i = 0; i < ARRAY_SIZE(ps3_kexec_steps); i++)
		if (ps3_kexec_steps[i].phase == KEXEC_TEARDOWN_POST_COPY)
			kexec_teardown_remove(reg, &ps3_kexec_steps[i]);
}

static struct kunit_case ps3_kexec_test_cases[] = {
	KUNIT_CASE(ps3_kexec_test_per_thread),
	KUNIT_CASE(ps3_kexec_test_post_copy),
	KUNIT_CASE(ps3_kexec_test_crash),
	KUNIT_CASE_PARAM(ps3_kexec_test_lv1_error, ps3_kt_fail_gen_params),
	KUNIT_CASE(ps3_kexec_test_post_copy_static),
	{}
};

static struct kunit_suite ps3_kexec_test_suite = {
	.name = "ps3_kexec",
	.test_cases = ps3_kexec_test_cases,
};

kunit_test_suite(ps3_kexec_test_suite);
