// SPDX-License-Identifier: GPL-2.0-only
/*
 * PS3 kexec teardown: what the old kernel gives back to the lv1
 * hypervisor before the next kernel takes over, as kexec teardown steps.
 *
 * On each CPU, by that CPU and for its own hardware thread, in the
 * secondary or the primary phase:
 *
 *   ps3:ipi         destroy the CPU's IPI event receive ports, each
 *                   interrupt masked as it is removed;
 *   ps3:irq-bitmap  stop lv1 writing interrupt status into the CPU's
 *                   bitmap, which lives in per-CPU memory the copy of the
 *                   next kernel may overwrite: it must go before the copy.
 *
 * After the copy, in real mode, in this order:
 *
 *   ps3:htab-clear  zero the hash table entries;
 *   ps3:mm-shutdown give the highmem region back;
 *   ps3:vas-destroy leave and destroy the virtual address space.
 *
 * All of them are crash-safe: they are hypervisor calls that take no lock,
 * the post-copy ones touch only static data, and the capture kernel
 * creates its own address space and interrupt plumbing, which lv1 refuses
 * while this kernel's are still there.  A failing call is reported, when
 * the phase can print, and the other steps still run.
 */

#define pr_fmt(fmt) "ps3-kexec: " fmt
#define PS3_VERBOSE_RESULT	/* ps3_result() names the lv1 errors */

#include <linux/kernel.h>
#include <linux/kexec_teardown.h>
#include <kunit/static_stub.h>

#include <asm/lv1call.h>
#include <asm/machdep.h>
#include <asm/mmu.h>

#include "platform.h"

/*
 * The hypervisor calls of the secondary and primary steps, out of line so
 * that the KUnit test can replace them with static stubs; lv1_* are
 * inline wrappers around assembly.  These run in virtual mode.
 */
static noinline unsigned int ps3_kexec_ipi_virq(unsigned int cpu, unsigned int msg)
{
	KUNIT_STATIC_STUB_REDIRECT(ps3_kexec_ipi_virq, cpu, msg);
	return ps3_smp_ipi_virq(cpu, msg);
}

static noinline int ps3_kexec_port_destroy(unsigned int virq)
{
	KUNIT_STATIC_STUB_REDIRECT(ps3_kexec_port_destroy, virq);
	return ps3_event_receive_port_destroy(virq);
}

static noinline int ps3_kexec_get_ppe_id(u64 *ppe_id)
{
	KUNIT_STATIC_STUB_REDIRECT(ps3_kexec_get_ppe_id, ppe_id);
	return lv1_get_logical_ppe_id(ppe_id);
}

static noinline int ps3_kexec_irq_bitmap_clear(u64 ppe_id, u64 thread_id)
{
	KUNIT_STATIC_STUB_REDIRECT(ps3_kexec_irq_bitmap_clear, ppe_id, thread_id);
	return lv1_configure_irq_state_bitmap(ppe_id, thread_id, 0);
}

/*
 * The hypervisor calls and platform state of the post-copy steps.  They run
 * in real mode, where a KUnit static stub cannot be (it reads current), so
 * the steps reach them through a table in their descriptor's data instead:
 * the real one here, in read-only data; the KUnit test registers copies of
 * the steps with a table of fakes.
 */
struct ps3_kexec_hv {
	unsigned long (*htab_entries)(void);
	int (*htab_write)(unsigned long index);
	bool (*highmem)(u64 *lpar_base);
	int (*release_memory)(u64 lpar_base);
	int (*highmem_forget)(void);
	u64 (*vas_id)(void);
	int (*vas_select)(u64 vas_id);
	int (*vas_destruct)(u64 vas_id);
};

static notrace unsigned long ps3_kexec_htab_entries(void)
{
	return (1UL << ppc64_pft_size) >> 4;
}

static notrace int ps3_kexec_htab_write(unsigned long index)
{
	return lv1_write_htab_entry(PS3_LPAR_VAS_ID_CURRENT, index, 0, 0);
}

static notrace int ps3_kexec_release_memory(u64 lpar_base)
{
	return lv1_release_memory(lpar_base);
}

static notrace int ps3_kexec_highmem_forget(void)
{
	return ps3_repository_write_highmem_info(0, 0, 0);
}

static notrace int ps3_kexec_vas_select(u64 vas_id)
{
	return lv1_select_virtual_address_space(vas_id);
}

static notrace int ps3_kexec_vas_destruct(u64 vas_id)
{
	return lv1_destruct_virtual_address_space(vas_id);
}

static const struct ps3_kexec_hv ps3_kexec_lv1 = {
	.htab_entries	= ps3_kexec_htab_entries,
	.htab_write	= ps3_kexec_htab_write,
	.highmem	= ps3_mm_kexec_highmem,
	.release_memory	= ps3_kexec_release_memory,
	.highmem_forget	= ps3_kexec_highmem_forget,
	.vas_id		= ps3_mm_kexec_vas_id,
	.vas_select	= ps3_kexec_vas_select,
	.vas_destruct	= ps3_kexec_vas_destruct,
};

/* Secondary and primary: the IPIs of this CPU. */
static int ps3_kexec_ipi(const struct kexec_teardown_ctx *ctx)
{
	unsigned int msg, virq;
	int result, err = 0;

	for (msg = 0; msg < PS3_IPI_MSG_COUNT; msg++) {
		virq = ps3_kexec_ipi_virq(ctx->cpu, msg);
		if (!virq)
			continue;
		result = ps3_kexec_port_destroy(virq);
		if (result) {
			pr_err("cpu %u: IPI %u port: lv1 error %s\n",
			       ctx->cpu, msg, ps3_result(result));
			err = -EIO;
		}
	}
	return err;
}

/* Secondary and primary: the interrupt status bitmap of this thread. */
static int ps3_kexec_irq_bitmap(const struct kexec_teardown_ctx *ctx)
{
	u64 ppe_id;
	int result;

	result = ps3_kexec_get_ppe_id(&ppe_id);
	if (!result)
		result = ps3_kexec_irq_bitmap_clear(ppe_id, ctx->hw_cpu);
	if (result) {
		pr_err("cpu %u (thread %llu): irq state bitmap: lv1 error %s\n",
		       ctx->cpu, ctx->hw_cpu, ps3_result(result));
		return -EIO;
	}
	return 0;
}

/* Post-copy: no printk here; a failure shows in the step's result. */
static notrace int ps3_kexec_htab_clear(const struct kexec_teardown_ctx *ctx)
{
	const struct ps3_kexec_hv *hv = ctx->data;
	unsigned long i, n = hv->htab_entries();
	int err = 0;

	for (i = 0; i < n; i++)
		if (hv->htab_write(i))
			err = -EIO;
	return err;
}

static notrace __no_stack_protector int
ps3_kexec_mm_shutdown(const struct kexec_teardown_ctx *ctx)
{
	const struct ps3_kexec_hv *hv = ctx->data;
	u64 lpar_base;
	int err = 0;

	if (!hv->highmem(&lpar_base))
		return 0;
	if (lpar_base && hv->release_memory(lpar_base))
		err = -EIO;
	if (hv->highmem_forget())
		err = -EIO;
	return err;
}

static notrace int ps3_kexec_vas_destroy(const struct kexec_teardown_ctx *ctx)
{
	const struct ps3_kexec_hv *hv = ctx->data;
	u64 vas_id = hv->vas_id();
	int err = 0;

	if (!vas_id)
		return 0;
	if (hv->vas_select(0))
		err = -EIO;
	if (hv->vas_destruct(vas_id))
		err = -EIO;
	return err;
}

#define PS3_KEXEC_STEP(_name, _phase, _prio, _fn)			\
	KEXEC_TEARDOWN_INIT(_name, KEXEC_TEARDOWN_##_phase, _prio, _fn,	\
			    KEXEC_TEARDOWN_CRASH_SAFE)

/* Post-copy: the hypervisor calls come from the descriptor. */
#define PS3_KEXEC_POST_COPY_STEP(_name, _prio, _fn)			\
	{								\
		.name		= _name,				\
		.phase		= KEXEC_TEARDOWN_POST_COPY,		\
		.priority	= _prio,				\
		.flags		= KEXEC_TEARDOWN_CRASH_SAFE,		\
		.fn		= _fn,					\
		.data		= (void *)&ps3_kexec_lv1,		\
		.owner		= THIS_MODULE,				\
	}

static struct kexec_teardown ps3_kexec_steps[] = {
	PS3_KEXEC_STEP("ps3:ipi", SECONDARY, KEXEC_TEARDOWN_PRIO_IRQ + 1,
		       ps3_kexec_ipi),
	PS3_KEXEC_STEP("ps3:irq-bitmap", SECONDARY, KEXEC_TEARDOWN_PRIO_IRQ,
		       ps3_kexec_irq_bitmap),
	PS3_KEXEC_STEP("ps3:ipi", PRIMARY, KEXEC_TEARDOWN_PRIO_IRQ + 1,
		       ps3_kexec_ipi),
	PS3_KEXEC_STEP("ps3:irq-bitmap", PRIMARY, KEXEC_TEARDOWN_PRIO_IRQ,
		       ps3_kexec_irq_bitmap),
	PS3_KEXEC_POST_COPY_STEP("ps3:htab-clear", KEXEC_TEARDOWN_PRIO_MMU + 3,
				 ps3_kexec_htab_clear),
	PS3_KEXEC_POST_COPY_STEP("ps3:mm-shutdown", KEXEC_TEARDOWN_PRIO_MMU + 2,
				 ps3_kexec_mm_shutdown),
	PS3_KEXEC_POST_COPY_STEP("ps3:vas-destroy", KEXEC_TEARDOWN_PRIO_MMU + 1,
				 ps3_kexec_vas_destroy),
};

static int __init ps3_kexec_teardown_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ps3_kexec_steps); i++) {
		ret = kexec_teardown_register(&ps3_kexec_steps[i]);
		if (ret)
			pr_err("cannot register %s: %d\n",
			       ps3_kexec_steps[i].name, ret);
	}
	return 0;
}
machine_arch_initcall(ps3, ps3_kexec_teardown_init);

#ifdef CONFIG_PS3_KEXEC_KUNIT_TEST
#include "kexec_kunit.h"
#endif
