// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kexec_teardown_post_copy.cocci: descriptors completed at run
 * time, before they are registered.
 */

static notrace int pc_rt_phase(const struct kexec_teardown_ctx *ctx)
{
	kfree(ctx->data);				/* flagged */
	return 0;
}

/* The phase in the initializer, the callback assigned at run time. */
static struct kexec_teardown rt_phase_step = {
	.name	= "f:rt-phase",
	.phase	= KEXEC_TEARDOWN_POST_COPY,
};

static int __init rt_phase_init(void)
{
	rt_phase_step.fn = pc_rt_phase;
	return kexec_teardown_register(&rt_phase_step);
}

static notrace int pc_rt_define(const struct kexec_teardown_ctx *ctx)
{
	pr_err("post-copy\n");				/* flagged */
	return 0;
}

/* DEFINE_KEXEC_TEARDOWN() with no callback, set in another function. */
DEFINE_KEXEC_TEARDOWN(rt_define_step, "f:rt-define", KEXEC_TEARDOWN_POST_COPY,
		      0, NULL, 0);

static void rt_define_setup(void)
{
	rt_define_step.fn = pc_rt_define;
}

static int __init rt_define_init(void)
{
	rt_define_setup();
	return kexec_teardown_register(&rt_define_step);
}

static notrace int pc_rt_fn(const struct kexec_teardown_ctx *ctx)
{
	return get_cpu();				/* flagged */
}

/* The callback in the initializer, the phase assigned at run time. */
static struct kexec_teardown rt_fn_step = {
	.name	= "f:rt-fn",
	.fn	= pc_rt_fn,
};

static int __init rt_fn_init(void)
{
	rt_fn_step.phase = KEXEC_TEARDOWN_POST_COPY;
	return kexec_teardown_register(&rt_fn_step);
}

static notrace int pc_rt_elem(const struct kexec_teardown_ctx *ctx)
{
	down(&fixture_sem);				/* flagged */
	return 0;
}

/* An element of a static array. */
static struct kexec_teardown rt_steps[2] = {
	[1] = {
		.name	= "f:rt-elem",
		.phase	= KEXEC_TEARDOWN_POST_COPY,
	},
};

static int __init rt_elem_init(void)
{
	rt_steps[1].fn = pc_rt_elem;
	return kexec_teardown_register(&rt_steps[1]);
}

static notrace int pc_rt_ptr(const struct kexec_teardown_ctx *ctx)
{
	msleep(20);					/* flagged */
	return 0;
}

/* Both fields through a pointer, in one function. */
static int rt_ptr_register(struct kexec_teardown *td)
{
	td->name = "f:rt-ptr";
	td->phase = KEXEC_TEARDOWN_POST_COPY;
	td->fn = pc_rt_ptr;
	return kexec_teardown_register(td);
}

static int rt_primary(const struct kexec_teardown_ctx *ctx)
{
	kfree(ctx->data);		/* primary phase: not flagged */
	return 0;
}

/* A primary descriptor completed the same way: not a root. */
static struct kexec_teardown rt_primary_step = {
	.name	= "f:rt-primary",
	.phase	= KEXEC_TEARDOWN_PRIMARY,
};

static int __init rt_primary_init(void)
{
	rt_primary_step.fn = rt_primary;
	return kexec_teardown_register(&rt_primary_step);
}

static int rt_local_primary(const struct kexec_teardown_ctx *ctx)
{
	mutex_lock(&fixture_mutex);	/* primary phase: not flagged */
	mutex_unlock(&fixture_mutex);
	return 0;
}

/*
 * Pointers of the same name in two functions are two descriptors: the
 * post-copy phase of one is not the phase of the other.
 */
static int rt_local_pc(void)
{
	struct kexec_teardown *td = fixture_pick(0);

	td->phase = KEXEC_TEARDOWN_POST_COPY;
	td->fn = pc_rt_ptr;
	return kexec_teardown_register(td);
}

static int rt_local_other(void)
{
	struct kexec_teardown *td = fixture_pick(1);

	td->phase = KEXEC_TEARDOWN_PRIMARY;
	td->fn = rt_local_primary;
	return kexec_teardown_register(td);
}
