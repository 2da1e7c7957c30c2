// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kexec_teardown_post_copy.cocci: post-copy callbacks that make
 * no call at all, in a file that makes none either.  Each one is a root
 * because of its descriptor, whatever its body.
 */

static notrace int pc_nocall_task(const struct kexec_teardown_ctx *ctx)
{
	return current->pid;				/* flagged */
}

DEFINE_KEXEC_TEARDOWN(pc_nocall_task_step, "f:nocall-task",
		      KEXEC_TEARDOWN_POST_COPY, 0, pc_nocall_task, 0);

static notrace int pc_nocall_paca(const struct kexec_teardown_ctx *ctx)
{
	local_paca->irq_happened = 0;			/* flagged */
	return 0;
}

static struct kexec_teardown pc_nocall_paca_step = {
	.name	= "f:nocall-paca",
	.phase	= KEXEC_TEARDOWN_POST_COPY,
	.fn	= pc_nocall_paca,
};

/* An hpte_clear_all that makes no call. */
static notrace void nocall_hpte_clear(void)
{
	current->flags = 0;				/* flagged */
}

static struct mmu_hash_ops nocall_hash_ops = {
	.hpte_clear_all	= nocall_hpte_clear,
};

/* Primary phase: the task may be used there, not flagged. */
static int nocall_primary(const struct kexec_teardown_ctx *ctx)
{
	return current->pid;
}

DEFINE_KEXEC_TEARDOWN(nocall_primary_step, "f:nocall-primary",
		      KEXEC_TEARDOWN_PRIMARY, 0, nocall_primary, 0);
