// SPDX-License-Identifier: GPL-2.0
/* Fixture for kexec_teardown_static.cocci. */

static int step_fn(const struct kexec_teardown_ctx *ctx)
{
	return 0;
}

DEFINE_KEXEC_TEARDOWN(good_step, "f:good", KEXEC_TEARDOWN_MASTER, 0,
		      step_fn, 0);

static struct kexec_teardown good_array[2];

struct priv {
	struct kexec_teardown td;
};

static int fixture_probe(void)
{
	struct kexec_teardown on_stack = {
		.name = "f:stack", .fn = step_fn,
	};
	static struct kexec_teardown static_local = {
		.name = "f:static", .fn = step_fn,
	};
	struct kexec_teardown *heap;
	struct priv *priv;

	kexec_teardown_register(&good_step);
	kexec_teardown_register(&good_array[0]);
	kexec_teardown_register(&static_local);
	kexec_teardown_register(&on_stack);		/* flagged */

	heap = kzalloc(sizeof(*heap), GFP_KERNEL);
	kexec_teardown_register(heap);			/* flagged */
	priv = devm_kzalloc(dev, sizeof(*priv), GFP_KERNEL);
	return kexec_teardown_register(&priv->td);	/* flagged */
}

static void fixture_kexec_cpu_down(int crash_shutdown, int secondary)
{
}

void __init fixture_setup(void)
{
	ppc_md.kexec_cpu_down = fixture_kexec_cpu_down;	/* flagged */
}

define_machine(fixture) {
	.name		= "fixture",
	.kexec_cpu_down	= fixture_kexec_cpu_down,	/* flagged */
};

#ifdef CONFIG_PPC32
/* 32-bit kexec does not run the registry: not flagged. */
void __init fixture_setup32(void)
{
	ppc_md.kexec_cpu_down = fixture_kexec_cpu_down;
}
#endif
