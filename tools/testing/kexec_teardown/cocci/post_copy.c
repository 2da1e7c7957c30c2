// SPDX-License-Identifier: GPL-2.0
/* Fixture for kexec_teardown_post_copy.cocci. */

/* The case of the 2007 PS3 review: driver cleanup in the hash clear. */
static void ps3_hpte_clear(void)
{
	ps3fb_cleanup();				/* flagged */
	lv1_unmap_htab(htab_addr);
	ps3_mm_shutdown();		/* hypervisor, not a driver */
	ps3_mm_vas_destroy();
}

void __init ps3_hpte_init(unsigned long htab_size)
{
	mmu_hash_ops.hpte_clear_all = ps3_hpte_clear;
}

static notrace int pc_define(const struct kexec_teardown_ctx *ctx)
{
	void *p = kmalloc(16, GFP_ATOMIC);		/* flagged */

	kfree(p);					/* flagged */
	pr_info("post-copy\n");				/* flagged */
	return 0;
}

DEFINE_KEXEC_TEARDOWN(pc_define_step, "f:define", KEXEC_TEARDOWN_POST_COPY,
		      0, pc_define, 0);

static notrace int pc_array(const struct kexec_teardown_ctx *ctx)
{
	spin_lock(&lock);				/* flagged */
	this_cpu_inc(counter);				/* flagged */
	spin_unlock(&lock);				/* flagged */
	return 0;
}

static notrace int pc_struct(const struct kexec_teardown_ctx *ctx)
{
	msleep(20);					/* flagged */
	return 0;
}

/* Fine after the copy: hypervisor calls and static data. */
static notrace int pc_clean(const struct kexec_teardown_ctx *ctx)
{
	lv1_write_htab_entry(0, 0, 0, 0);
	return 0;
}

/* Not post-copy: allowed to print and lock. */
static int primary_step(const struct kexec_teardown_ctx *ctx)
{
	pr_info("primary\n");
	spin_lock(&lock);
	spin_unlock(&lock);
	return 0;
}

static struct kexec_teardown steps[] = {
	KEXEC_TEARDOWN_INIT("f:array", KEXEC_TEARDOWN_POST_COPY, 0, pc_array, 0),
	KEXEC_TEARDOWN_INIT("f:clean", KEXEC_TEARDOWN_POST_COPY, 0, pc_clean, 0),
	KEXEC_TEARDOWN_INIT("f:primary", KEXEC_TEARDOWN_PRIMARY, 0, primary_step, 0),
};

static struct kexec_teardown struct_step = {
	.name = "f:struct",
	.fn = pc_struct,
	.phase = KEXEC_TEARDOWN_POST_COPY,
};

/*
 * Unsafe calls reached through helpers of the same file, at any depth.
 */
static void deep_free(void *p)
{
	kfree(p);					/* flagged */
	pr_err("freed\n");				/* flagged */
	deep_free_again(p);		/* recursion: followed once */
}

static void deep_free_again(void *p)
{
	deep_free(p);
	fixture_dev_shutdown();				/* flagged */
}

static void deep_middle(void *p)
{
	deep_free(p);
}

static notrace int pc_deep(const struct kexec_teardown_ctx *ctx)
{
	deep_middle(ctx->data);
	return 0;
}

DEFINE_KEXEC_TEARDOWN(pc_deep_step, "f:deep", KEXEC_TEARDOWN_POST_COPY, 0,
		      pc_deep, 0);

/* Only reached from an earlier phase: not flagged. */
static void primary_helper(void)
{
	kfree(primary_buf);
	mutex_lock(&fixture_mutex);
	mutex_unlock(&fixture_mutex);
}

static int primary_only(const struct kexec_teardown_ctx *ctx)
{
	const struct fixture_ops *ops = ctx->data;

	primary_helper();
	ops->release(ops);		/* through a pointer: not seen */
	return 0;
}

DEFINE_KEXEC_TEARDOWN(primary_only_step, "f:primary-only", KEXEC_TEARDOWN_PRIMARY,
		      0, primary_only, 0);

/*
 * Driver quiesce beyond *_cleanup/_exit/_remove/_unregister/_suspend, in
 * an hpte_clear_all set by a struct initializer.
 */
static void quiesce_devices(void)
{
	fixture_port_stop(port);			/* flagged */
	fixture_region_release(region);			/* flagged */
	fixture_irq_disable(irq);			/* flagged */
	fixture_hw_deinit(hw);				/* flagged */
	fixture_dma_teardown(dma);			/* flagged */
}

static notrace void fixture_hpte_clear(void)
{
	/* Core helpers with those suffixes: not flagged. */
	hard_irq_disable();
	local_irq_disable();
	preempt_disable();
	/* A barrier named *_release: a core helper, no driver's release. */
	smp_store_release(&done, 1);
	if (kthread_should_stop())
		return;
	fixture_hw_reset(hw);		/* _reset is not a quiesce suffix */
	quiesce_devices();
}

static struct mmu_hash_ops fixture_hash_ops = {
	.hpte_invalidate	= fixture_hpte_invalidate,
	.hpte_clear_all		= fixture_hpte_clear,
};

/*
 * Per-CPU and task state after the copy.
 */
static unsigned int percpu_helper(void)
{
	return raw_smp_processor_id();			/* flagged */
}

static notrace int pc_percpu(const struct kexec_teardown_ctx *ctx)
{
	int cpu = smp_processor_id();			/* flagged */
	int pid = current->pid;				/* flagged */
	int c = get_cpu();				/* flagged */

	put_cpu();					/* flagged */
	__this_cpu_write(fixture_state, 1);		/* flagged */
	per_cpu(fixture_state, ctx->cpu) = 0;		/* flagged */
	raw_cpu_inc(fixture_count);			/* flagged */
	get_paca()->kexec_state = 1;			/* flagged */
	local_paca->irq_happened = 0;			/* flagged */
	return percpu_helper() + cpu + pid + c;
}

/* ctx->cpu and ctx->hw_cpu are what a post-copy step uses: not flagged. */
static notrace int pc_ctx_cpu(const struct kexec_teardown_ctx *ctx)
{
	fixture_hv_thread_off(ctx->hw_cpu);
	return ctx->cpu;
}

static struct kexec_teardown cpu_steps[] = {
	KEXEC_TEARDOWN_INIT("f:percpu", KEXEC_TEARDOWN_POST_COPY, 0, pc_percpu, 0),
	KEXEC_TEARDOWN_INIT("f:ctx-cpu", KEXEC_TEARDOWN_POST_COPY, 0, pc_ctx_cpu, 0),
};

/*
 * Every initializer form of a descriptor.
 */
static notrace int pc_desig_array(const struct kexec_teardown_ctx *ctx)
{
	vfree(fixture_buf);				/* flagged */
	return 0;
}

static notrace int pc_desig_idx(const struct kexec_teardown_ctx *ctx)
{
	schedule();					/* flagged */
	return 0;
}

static int primary_desig(const struct kexec_teardown_ctx *ctx)
{
	schedule();			/* primary phase: not flagged */
	return 0;
}

static struct kexec_teardown desig_steps[] = {
	{
		.name	= "f:desig-primary",
		.phase	= KEXEC_TEARDOWN_PRIMARY,
		.fn	= primary_desig,
	},
	{
		.fn	= pc_desig_array,
		.name	= "f:desig-array",
		.phase	= KEXEC_TEARDOWN_POST_COPY,
	},
};

static struct kexec_teardown desig_idx_steps[2] = {
	[1] = {
		.name	= "f:desig-idx",
		.phase	= KEXEC_TEARDOWN_POST_COPY,
		.fn	= pc_desig_idx,
	},
};

static notrace int pc_member(const struct kexec_teardown_ctx *ctx)
{
	down(&fixture_sem);				/* flagged */
	return 0;
}

static struct fixture_dev {
	int id;
	struct kexec_teardown td;
} fixture_dev = {
	.id = 1,
	.td = {
		.name	= "f:member",
		.phase	= KEXEC_TEARDOWN_POST_COPY,
		.fn	= pc_member,
	},
};

static notrace int pc_init_single(const struct kexec_teardown_ctx *ctx)
{
	wait_for_completion(&fixture_done);		/* flagged */
	return 0;
}

static struct kexec_teardown init_single =
	KEXEC_TEARDOWN_INIT("f:init", KEXEC_TEARDOWN_POST_COPY, 0,
			    pc_init_single, 0);

/* A file-local macro around the descriptor. */
#define FIXTURE_POST_COPY_STEP(_name, _fn)				\
	{								\
		.name		= _name,				\
		.phase		= KEXEC_TEARDOWN_POST_COPY,		\
		.fn		= _fn,					\
	}

static notrace int pc_macro(const struct kexec_teardown_ctx *ctx)
{
	dma_free_coherent(dev, 16, cpu_addr, handle);	/* flagged */
	return 0;
}

static struct kexec_teardown macro_steps[] = {
	FIXTURE_POST_COPY_STEP("f:macro", pc_macro),
};

/* Built at run time. */
static notrace int pc_runtime(const struct kexec_teardown_ctx *ctx)
{
	rcu_read_lock();				/* flagged */
	rcu_read_unlock();				/* flagged */
	return 0;
}

static int runtime_primary(const struct kexec_teardown_ctx *ctx)
{
	rcu_read_lock();		/* primary phase: not flagged */
	rcu_read_unlock();
	return 0;
}

static struct kexec_teardown rt_step, rt_primary;

static int __init fixture_runtime_init(void)
{
	rt_step.name = "f:runtime";
	rt_step.phase = KEXEC_TEARDOWN_POST_COPY;
	rt_step.fn = pc_runtime;
	rt_primary.name = "f:runtime-primary";
	rt_primary.phase = KEXEC_TEARDOWN_PRIMARY;
	rt_primary.fn = runtime_primary;
	kexec_teardown_register(&rt_primary);
	return kexec_teardown_register(&rt_step);
}

/* A helper that only reads the task. */
static int task_helper(void)
{
	return current->pid;				/* flagged */
}

static notrace int pc_task(const struct kexec_teardown_ctx *ctx)
{
	return task_helper();
}

DEFINE_KEXEC_TEARDOWN(pc_task_step, "f:task", KEXEC_TEARDOWN_POST_COPY, 0,
		      pc_task, 0);
