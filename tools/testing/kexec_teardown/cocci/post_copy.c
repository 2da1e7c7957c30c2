// SPDX-License-Identifier: GPL-2.0
/* Fixture for kexec_teardown_post_copy.cocci. */

/* The case of the 2007 PS3 review: driver cleanup in the hash clear. */
static void ps3_hpte_clear(void)
{
	ps3fb_cleanup();				/* flagged */
	lv1_unmap_htab(htab_addr);
	ps3_mm_shutdown();
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
static int master_step(const struct kexec_teardown_ctx *ctx)
{
	pr_info("master\n");
	spin_lock(&lock);
	spin_unlock(&lock);
	return 0;
}

static struct kexec_teardown steps[] = {
	KEXEC_TEARDOWN_INIT("f:array", KEXEC_TEARDOWN_POST_COPY, 0, pc_array, 0),
	KEXEC_TEARDOWN_INIT("f:clean", KEXEC_TEARDOWN_POST_COPY, 0, pc_clean, 0),
	KEXEC_TEARDOWN_INIT("f:master", KEXEC_TEARDOWN_MASTER, 0, master_step, 0),
};

static struct kexec_teardown struct_step = {
	.name = "f:struct",
	.fn = pc_struct,
	.phase = KEXEC_TEARDOWN_POST_COPY,
};
