// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kexec_teardown_post_copy.cocci: designated initializers of
 * descriptors deeper in an initializer.
 */

struct fixture_steps {
	int nr;
	struct kexec_teardown steps[2];
};

static notrace int pc_nested_array(const struct kexec_teardown_ctx *ctx)
{
	kfree(fixture_buf);				/* flagged */
	return 0;
}

static int nested_primary(const struct kexec_teardown_ctx *ctx)
{
	kfree(fixture_buf);		/* primary phase: not flagged */
	return 0;
}

/* An array of descriptors in a struct. */
static struct fixture_steps fixture_steps = {
	.nr = 2,
	.steps = {
		{
			.name	= "f:nested-primary",
			.phase	= KEXEC_TEARDOWN_PRIMARY,
			.fn	= nested_primary,
		},
		{
			.name	= "f:nested-array",
			.phase	= KEXEC_TEARDOWN_POST_COPY,
			.fn	= pc_nested_array,
		},
	},
};

static notrace int pc_nested_idx(const struct kexec_teardown_ctx *ctx)
{
	spin_lock(&fixture_lock);			/* flagged */
	spin_unlock(&fixture_lock);			/* flagged */
	return 0;
}

/* Indexed, in a struct. */
static struct fixture_steps fixture_idx_steps = {
	.steps = {
		[1] = {
			.name	= "f:nested-idx",
			.phase	= KEXEC_TEARDOWN_POST_COPY,
			.fn	= pc_nested_idx,
		},
	},
};

static notrace int pc_unit(const struct kexec_teardown_ctx *ctx)
{
	return raw_smp_processor_id();			/* flagged */
}

static int unit_primary(const struct kexec_teardown_ctx *ctx)
{
	return raw_smp_processor_id();	/* primary phase: not flagged */
}

/* Structs that hold a descriptor, in an array. */
static struct fixture_unit {
	int id;
	struct kexec_teardown td;
} fixture_units[] = {
	{
		.id = 0,
		.td = {
			.name	= "f:unit",
			.phase	= KEXEC_TEARDOWN_POST_COPY,
			.fn	= pc_unit,
		},
	},
	{
		.id = 1,
		.td = {
			.name	= "f:unit-primary",
			.phase	= KEXEC_TEARDOWN_PRIMARY,
			.fn	= unit_primary,
		},
	},
};

static notrace int pc_path(const struct kexec_teardown_ctx *ctx)
{
	vfree(fixture_buf);				/* flagged */
	return 0;
}

static int path_primary(const struct kexec_teardown_ctx *ctx)
{
	vfree(fixture_buf);		/* primary phase: not flagged */
	return 0;
}

/* Designators that name a member of a member. */
static struct fixture_steps fixture_path_steps = {
	.steps[0].name	= "f:path",
	.steps[0].phase	= KEXEC_TEARDOWN_POST_COPY,
	.steps[0].fn	= pc_path,
	.steps[1].name	= "f:path-primary",
	.steps[1].phase	= KEXEC_TEARDOWN_PRIMARY,
	.steps[1].fn	= path_primary,
};

static notrace int pc_outer(const struct kexec_teardown_ctx *ctx)
{
	schedule();					/* flagged */
	return 0;
}

/* Three levels down: an array of descriptors in a struct in a struct. */
static struct fixture_outer {
	struct fixture_steps inner;
} fixture_outer = {
	.inner = {
		.steps = {
			{
				.name	= "f:outer",
				.phase	= KEXEC_TEARDOWN_POST_COPY,
				.fn	= pc_outer,
			},
		},
	},
};

static notrace int pc_literal(const struct kexec_teardown_ctx *ctx)
{
	wait_for_completion(&fixture_done);		/* flagged */
	return 0;
}

static struct kexec_teardown fixture_literal;

/* A compound literal. */
static int __init fixture_literal_init(void)
{
	fixture_literal = (struct kexec_teardown){
		.name	= "f:literal",
		.phase	= KEXEC_TEARDOWN_POST_COPY,
		.fn	= pc_literal,
	};
	return kexec_teardown_register(&fixture_literal);
}
