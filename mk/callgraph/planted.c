// SPDX-License-Identifier: GPL-2.0
/*
 * Planted violations for the post-copy call-graph check (check.py): one
 * post-copy step per class of finding, each reaching exactly one thing
 * the check must report.  Never linked into a kernel: compiled with a
 * build's own flags (mk/callgraph/run.sh), once plainly and once per
 * instrumentation, and checked together with that build's vmlinux.o, so
 * that a check that finds nothing cannot pass.
 *
 * With -DKT_PLANT_INSTR=NAME only the step NAME is defined: the object
 * is then compiled with one instrumentation flag (KASAN, KCSAN, KCOV,
 * UBSAN or ftrace's -pg) and that step must be reported as instrumented.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/kexec_teardown.h>
#include <linux/mutex.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#define KT_PLANT(_fn)							\
	int _fn(const struct kexec_teardown_ctx *ctx);			\
	struct kexec_teardown _fn##_td =				\
		KEXEC_TEARDOWN_INIT(#_fn, KEXEC_TEARDOWN_POST_COPY, 0,	\
				    _fn, 0)

#ifdef KT_PLANT_INSTR

KT_PLANT(KT_PLANT_INSTR);
int KT_PLANT_INSTR(const struct kexec_teardown_ctx *ctx)
{
	/* A load, a store and a shift: something for every sanitizer. */
	return (int)((*(volatile unsigned long *)ctx->data)++ << ctx->cpu);
}

#else

int (*kt_planted_hook)(unsigned int cpu);

KT_PLANT(kt_planted_printk);
int kt_planted_printk(const struct kexec_teardown_ctx *ctx)
{
	pr_info("kexec: planted printk on CPU %u\n", ctx->cpu);
	return 0;
}

static DEFINE_SPINLOCK(kt_planted_lock);
KT_PLANT(kt_planted_spinlock);
int kt_planted_spinlock(const struct kexec_teardown_ctx *ctx)
{
	spin_lock(&kt_planted_lock);
	kt_planted_hook = NULL;
	spin_unlock(&kt_planted_lock);
	return 0;
}

static DEFINE_MUTEX(kt_planted_mutex);
KT_PLANT(kt_planted_mutex_lock);
int kt_planted_mutex_lock(const struct kexec_teardown_ctx *ctx)
{
	/* Never run: no unlock, whose slow path would add findings. */
	mutex_lock(&kt_planted_mutex);
	return 0;
}

KT_PLANT(kt_planted_allocator);
int kt_planted_allocator(const struct kexec_teardown_ctx *ctx)
{
	void *p = kmalloc(64, GFP_ATOMIC);

	kfree(p);
	return 0;
}

KT_PLANT(kt_planted_sleep);
int kt_planted_sleep(const struct kexec_teardown_ctx *ctx)
{
	msleep(1);
	return 0;
}

KT_PLANT(kt_planted_panic);
int kt_planted_panic(const struct kexec_teardown_ctx *ctx)
{
	if (!ctx->data)
		panic("kexec: planted panic");
	return 0;
}

static noinline int __init kt_planted_init_helper(unsigned int cpu)
{
	return cpu ? -EINVAL : 0;
}

/*
 * A local array whose address escapes: a canary check with the build's
 * -fstack-protector-strong (every kernel the check runs on has it).
 */
void *kt_planted_escape;
KT_PLANT(kt_planted_stack_protector);
int kt_planted_stack_protector(const struct kexec_teardown_ctx *ctx)
{
	char buf[16];

	buf[ctx->cpu & 15] = 1;
	kt_planted_escape = buf;
	return buf[0];
}

KT_PLANT(kt_planted_init_text);
int kt_planted_init_text(const struct kexec_teardown_ctx *ctx)
{
	return kt_planted_init_helper(ctx->cpu);
}

/* Defined nowhere in the kernel: a module's, or nothing. */
int kt_planted_module_function(unsigned int cpu);

KT_PLANT(kt_planted_outside);
int kt_planted_outside(const struct kexec_teardown_ctx *ctx)
{
	return kt_planted_module_function(ctx->cpu);
}

static DEFINE_PER_CPU(unsigned long, kt_planted_count);
KT_PLANT(kt_planted_percpu);
int kt_planted_percpu(const struct kexec_teardown_ctx *ctx)
{
	return (int)this_cpu_read(kt_planted_count);
}

KT_PLANT(kt_planted_indirect);
int kt_planted_indirect(const struct kexec_teardown_ctx *ctx)
{
	int (*hook)(unsigned int cpu) = READ_ONCE(kt_planted_hook);

	return hook ? hook(ctx->cpu) : 0;
}

/* Two levels down, through a static helper the compiler must not inline. */
static noinline void kt_planted_deep_helper(unsigned int cpu)
{
	pr_err("kexec: planted printk two calls down on CPU %u\n", cpu);
}

static noinline void kt_planted_deep_middle(unsigned int cpu)
{
	kt_planted_deep_helper(cpu);
	barrier();
}

KT_PLANT(kt_planted_deep);
int kt_planted_deep(const struct kexec_teardown_ctx *ctx)
{
	kt_planted_deep_middle(ctx->cpu);
	return 0;
}

/* The control: a step that does nothing wrong must not be reported. */
KT_PLANT(kt_planted_clean);
int kt_planted_clean(const struct kexec_teardown_ctx *ctx)
{
	return ctx->cpu == ctx->hw_cpu ? 0 : 1;
}

#endif /* KT_PLANT_INSTR */
