// SPDX-License-Identifier: GPL-2.0
/*
 * Registers a few kexec teardown steps in every phase, crash-safe and not,
 * so that a real kexec or crash kexec shows in its log which steps ran, on
 * which CPU and in which order.  The steps do nothing else.  Used by the
 * end-to-end kexec tests; not for production kernels.
 */

#define pr_fmt(fmt) "test_kexec_teardown: " fmt

#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kexec_teardown.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/processor.h>

#ifdef CONFIG_X86
#include <asm/x86_init.h>
#endif

/*
 * test_kexec_teardown.hang_cpu=N: the secondary step never returns on CPU N,
 * as a CPU that stops answering in the middle of the teardown, to test
 * what the architecture's kexec does then.
 */
static int hang_cpu = -1;
module_param(hang_cpu, int, 0444);
MODULE_PARM_DESC(hang_cpu, "CPU whose secondary step never returns (-1: none)");

/*
 * test_kexec_teardown.deaf_cpu=N: when the kexec starts (the prepare
 * phase), CPU N is made to spend 10 seconds with interrupts off, so that
 * only an NMI stops it where the architecture sends one (x86, after a
 * second): its secondary phase then runs in NMI context.
 */
static int deaf_cpu = -1;
module_param(deaf_cpu, int, 0444);
MODULE_PARM_DESC(deaf_cpu, "CPU that ignores interrupts for 10 s as the kexec starts (-1: none)");

static noinstr __no_sanitize_undefined int
test_kexec_teardown_step(const struct kexec_teardown_ctx *ctx)
{
	return 0;
}

static void test_kexec_teardown_deaf(void *unused)
{
	pr_info("cpu %d ignores interrupts for 10 s, as asked\n",
		smp_processor_id());
	mdelay(10000);
}

static int test_kexec_teardown_prepare(const struct kexec_teardown_ctx *ctx)
{
	int cpu = READ_ONCE(deaf_cpu);

	if (cpu >= 0 && cpu != ctx->cpu && cpu_online(cpu))
		smp_call_function_single(cpu, test_kexec_teardown_deaf, NULL, 0);
	return 0;
}

static notrace int test_kexec_teardown_hang(const struct kexec_teardown_ctx *ctx)
{
	if (ctx->cpu == READ_ONCE(hang_cpu)) {
		pr_emerg("cpu %u hangs in its secondary step, as asked\n",
			 ctx->cpu);
		for (;;)
			cpu_relax();
	}
	return 0;
}

#ifdef CONFIG_X86
/*
 * On the crash path the primary phase must run before the encrypted-guest
 * teardown: once tdx_kexec_finish() has run, the pages shared with the
 * hypervisor (Hyper-V's SynIC message pages, which the VMBus crash unload
 * polls, among them) are no longer mapped.  Note the call to
 * enc_kexec_begin(), whatever the guest, so that the first primary step
 * can tell.  (On a kexec it is called while the CPUs still run, before
 * the primary phase, as it must be.)
 */
static void (*test_enc_kexec_begin_orig)(void);
static bool test_enc_kexec_begun;

static void test_enc_kexec_begin(void)
{
	WRITE_ONCE(test_enc_kexec_begun, true);
	test_enc_kexec_begin_orig();
}

static void __init test_kexec_teardown_arch_init(void)
{
	test_enc_kexec_begin_orig = x86_platform.guest.enc_kexec_begin;
	x86_platform.guest.enc_kexec_begin = test_enc_kexec_begin;
}

static bool test_kexec_teardown_arch_ok(const struct kexec_teardown_ctx *ctx)
{
	if (ctx->crash && READ_ONCE(test_enc_kexec_begun)) {
		pr_emerg("crash primary phase after enc_kexec_begin()\n");
		return false;
	}
	return true;
}
#else
static void __init test_kexec_teardown_arch_init(void)
{
}

static bool test_kexec_teardown_arch_ok(const struct kexec_teardown_ctx *ctx)
{
	return true;
}
#endif

/* The first primary step checks what the architecture must not have done. */
static notrace int test_kexec_teardown_primary(const struct kexec_teardown_ctx *ctx)
{
	return test_kexec_teardown_arch_ok(ctx) ? 0 : -EINVAL;
}

#define TEST_STEP(_name, _phase, _prio, _flags)			\
	KEXEC_TEARDOWN_INIT(_name, KEXEC_TEARDOWN_##_phase, _prio,	\
			    test_kexec_teardown_step, _flags)

/* Priorities interleave with the platform's steps to exercise the order. */
static struct kexec_teardown test_kexec_teardown_steps[] = {
	KEXEC_TEARDOWN_INIT("test:prepare", KEXEC_TEARDOWN_PREPARE,
			    KEXEC_TEARDOWN_PRIO_DEFAULT,
			    test_kexec_teardown_prepare, 0),
	TEST_STEP("test:secondary-first", SECONDARY,
		  KEXEC_TEARDOWN_PRIO_DEVICE, KEXEC_TEARDOWN_CRASH_SAFE),
	KEXEC_TEARDOWN_INIT("test:secondary-nocrash", KEXEC_TEARDOWN_SECONDARY,
			    KEXEC_TEARDOWN_PRIO_DEFAULT, test_kexec_teardown_hang,
			    0),
	KEXEC_TEARDOWN_INIT("test:primary-first", KEXEC_TEARDOWN_PRIMARY,
			    KEXEC_TEARDOWN_PRIO_DEVICE,
			    test_kexec_teardown_primary,
			    KEXEC_TEARDOWN_CRASH_SAFE),
	TEST_STEP("test:primary-nocrash", PRIMARY, KEXEC_TEARDOWN_PRIO_DEFAULT, 0),
	/* Post-copy steps: this is why the test cannot be a module. */
	TEST_STEP("test:post-copy-first", POST_COPY, KEXEC_TEARDOWN_PRIO_DEFAULT,
		  KEXEC_TEARDOWN_CRASH_SAFE),
	TEST_STEP("test:post-copy-nocrash", POST_COPY,
		  KEXEC_TEARDOWN_PRIO_DEFAULT - 1, 0),
};

/*
 * An architecture whose kexec runs no C code after the copy (x86) has no
 * post-copy phase: the registry must refuse those steps, and say so.
 */
static bool test_kexec_teardown_refused(struct kexec_teardown *td)
{
	int ret;

	if (td->phase != KEXEC_TEARDOWN_POST_COPY ||
	    IS_ENABLED(CONFIG_ARCH_KEXEC_TEARDOWN_POST_COPY))
		return false;
	ret = kexec_teardown_register(td);
	if (ret == -EOPNOTSUPP) {
		pr_info("%s: refused, this architecture has no post-copy phase\n",
			td->name);
	} else {
		pr_err("%s: registered for a phase this architecture does not run (%d)\n",
		       td->name, ret);
		if (!ret)
			kexec_teardown_unregister(td);
	}
	return true;
}

static int __init test_kexec_teardown_init(void)
{
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < ARRAY_SIZE(test_kexec_teardown_steps); i++) {
		if (test_kexec_teardown_refused(&test_kexec_teardown_steps[i]))
			continue;
		ret = kexec_teardown_register(&test_kexec_teardown_steps[i]);
		if (ret) {
			while (i--)
				kexec_teardown_unregister(&test_kexec_teardown_steps[i]);
			return ret;
		}
		n++;
	}
	test_kexec_teardown_arch_init();
	pr_info("registered %u steps\n", n);
	return 0;
}
late_initcall(test_kexec_teardown_init);

