// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kexec_teardown_post_copy.cocci: descriptors made by
 * file-local macros, and no other descriptor in the file.
 */

/* A wrapper of DEFINE_KEXEC_TEARDOWN() that fixes the phase. */
#define FIXTURE_PC_DEFINE(_var, _fn)					\
	DEFINE_KEXEC_TEARDOWN(_var, #_var, KEXEC_TEARDOWN_POST_COPY,	\
			      KEXEC_TEARDOWN_PRIO_DEFAULT, _fn, 0)

static notrace int pc_wrap_define(const struct kexec_teardown_ctx *ctx)
{
	kfree(ctx->data);				/* flagged */
	return 0;
}

FIXTURE_PC_DEFINE(pc_wrap_define_step, pc_wrap_define);

/* The same, with the callback written &fn. */
static notrace int pc_wrap_amp(const struct kexec_teardown_ctx *ctx)
{
	return smp_processor_id();			/* flagged */
}

FIXTURE_PC_DEFINE(pc_wrap_amp_step, &pc_wrap_amp);

/* A wrapper that takes the phase: only its post-copy uses are roots. */
#define FIXTURE_STEP(_var, _phase, _fn)					\
	DEFINE_KEXEC_TEARDOWN(_var, #_var, _phase, 0, _fn, 0)

static notrace int pc_wrap_phase(const struct kexec_teardown_ctx *ctx)
{
	mutex_lock(&fixture_mutex);			/* flagged */
	mutex_unlock(&fixture_mutex);			/* flagged */
	return 0;
}

static int primary_wrap_phase(const struct kexec_teardown_ctx *ctx)
{
	mutex_lock(&fixture_mutex);		/* primary phase: not flagged */
	mutex_unlock(&fixture_mutex);
	return 0;
}

FIXTURE_STEP(pc_wrap_phase_step, KEXEC_TEARDOWN_POST_COPY, pc_wrap_phase);
FIXTURE_STEP(primary_wrap_phase_step, KEXEC_TEARDOWN_PRIMARY, primary_wrap_phase);

/* A wrapper of that wrapper. */
#define FIXTURE_PC_STEP(_fn)						\
	FIXTURE_STEP(_fn##_step, KEXEC_TEARDOWN_POST_COPY, _fn)

static notrace int pc_wrap_wrap(const struct kexec_teardown_ctx *ctx)
{
	pr_warn("post-copy\n");				/* flagged */
	return 0;
}

FIXTURE_PC_STEP(pc_wrap_wrap);

/* A wrapper of a designated declaration. */
#define FIXTURE_PC_DESIG(_var, _fn)					\
	static struct kexec_teardown _var = {				\
		.name	= #_var,					\
		.phase	= KEXEC_TEARDOWN_POST_COPY,			\
		.fn	= _fn,						\
	}

static notrace int pc_wrap_desig(const struct kexec_teardown_ctx *ctx)
{
	msleep(20);					/* flagged */
	return 0;
}

FIXTURE_PC_DESIG(pc_wrap_desig_step, pc_wrap_desig);

/* A wrapper of KEXEC_TEARDOWN_INIT(), in an array. */
#define FIXTURE_PC_INIT(_fn)						\
	KEXEC_TEARDOWN_INIT(#_fn, KEXEC_TEARDOWN_POST_COPY, 0, _fn, 0)

static notrace int pc_wrap_init(const struct kexec_teardown_ctx *ctx)
{
	this_cpu_write(fixture_state, 0);		/* flagged */
	return 0;
}

static struct kexec_teardown wrap_init_steps[] = {
	FIXTURE_PC_INIT(pc_wrap_init),
};

/* A wrapper for the primary phase only: not a root. */
#define FIXTURE_PRIMARY(_var, _fn)					\
	DEFINE_KEXEC_TEARDOWN(_var, #_var, KEXEC_TEARDOWN_PRIMARY, 0, _fn, 0)

static int primary_wrap(const struct kexec_teardown_ctx *ctx)
{
	kfree(ctx->data);			/* primary phase: not flagged */
	return 0;
}

FIXTURE_PRIMARY(primary_wrap_step, primary_wrap);
