// SPDX-License-Identifier: GPL-2.0
/* Fixture for kexec_teardown_static.cocci. */

static int step_fn(const struct kexec_teardown_ctx *ctx)
{
	return 0;
}

DEFINE_KEXEC_TEARDOWN(good_step, "f:good", KEXEC_TEARDOWN_PRIMARY, 0,
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

/*
 * Descriptors from the allocator, however they are written.
 */
struct fixture_priv {
	int id;
	struct kexec_teardown td;
	struct kexec_teardown steps[2];
};

static int fixture_heap_forms(struct device *dev)
{
	struct kexec_teardown *decl = kzalloc(sizeof(*decl), GFP_KERNEL);
	struct fixture_priv *p1, *p2, *p3;
	struct kexec_teardown *arr, *td;
	int ret;

	if (!decl)
		return -ENOMEM;
	ret = kexec_teardown_register(decl);		/* flagged */
	if (ret)
		return ret;

	p1 = kmalloc(sizeof(*p1), GFP_KERNEL);
	if (!p1)
		return -ENOMEM;
	kexec_teardown_register(&p1->td);		/* flagged */
	kexec_teardown_register(&p1->steps[1]);		/* flagged */

	arr = kcalloc(2, sizeof(*arr), GFP_KERNEL);
	kexec_teardown_register(arr);			/* flagged */
	arr = kmalloc_array(2, sizeof(*arr), GFP_KERNEL);
	kexec_teardown_register(&arr[1]);			/* flagged */
	p2 = devm_kmalloc(dev, sizeof(*p2), GFP_KERNEL);
	td = &p2->td;
	kexec_teardown_register(td);			/* flagged */
	/* A cast, on its own line (checkpatch frowns on it, code has it). */
	p3 = (struct fixture_priv *)
		vzalloc(sizeof(*p3));
	kexec_teardown_register(&p3->td);		/* flagged */
	return 0;
}

static int fixture_heap_decl_member(void)
{
	struct fixture_priv *priv = kvzalloc(sizeof(*priv), GFP_KERNEL);
	struct kexec_teardown *td = &priv->td;

	return kexec_teardown_register(td);		/* flagged */
}

/* Not from the allocator: not flagged. */
static struct fixture_priv fixture_static_priv;

static int fixture_not_heap(void)
{
	struct kexec_teardown *td = kzalloc(sizeof(*td), GFP_KERNEL);
	struct fixture_priv *priv;

	kfree(td);
	td = &good_step;
	kexec_teardown_register(td);
	priv = &fixture_static_priv;
	kexec_teardown_register(&priv->td);
	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	kexec_teardown_register(priv->td_ptr);	/* a pointer it holds */
	return 0;
}

/* x86: a machine_ops override that wraps the native kexec teardown. */
struct pt_regs;
struct machine_ops {
	void (*restart)(char *cmd);
	void (*shutdown)(void);
	void (*crash_shutdown)(struct pt_regs *regs);
};

struct machine_ops machine_ops;

void native_machine_shutdown(void)
{
}

void native_machine_crash_shutdown(struct pt_regs *regs)
{
}

static void fixture_unload(void)
{
}

static void fixture_hv_shutdown(void)
{
	fixture_unload();
	native_machine_shutdown();
}

static void fixture_hv_crash_shutdown(struct pt_regs *regs)
{
	native_machine_crash_shutdown(regs);
	fixture_unload();
}

static void fixture_own_shutdown(void)
{
	fixture_unload();
}

static void fixture_restart(char *cmd)
{
	native_machine_shutdown();
}

static void fixture_x86_init(void)
{
	machine_ops.shutdown = fixture_hv_shutdown;		/* flagged */
	machine_ops.crash_shutdown = fixture_hv_crash_shutdown;	/* flagged */
	/* Not flagged: not a kexec path, or not wrapping the native one. */
	machine_ops.restart = fixture_restart;
	machine_ops.shutdown = fixture_own_shutdown;
}
