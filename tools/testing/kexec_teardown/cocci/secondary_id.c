// SPDX-License-Identifier: GPL-2.0
/* Fixture for kexec_secondary_id.cocci: the 2007 PS3 patch under review. */

static void ps3_kexec_cpu_down(int crash_shutdown, int secondary)
{
	int result;
	u64 ppe_id;
	u64 thread_id = secondary ? 1 : 0;		/* flagged */

	ps3_smp_cleanup_cpu(thread_id);
	lv1_get_logical_ppe_id(&ppe_id);
	result = lv1_configure_irq_state_bitmap(ppe_id,
						secondary ? 0 : 1, 0);	/* flagged */
}

static void other_kexec_cpu_down(int crash, int sec)
{
	int cpu = sec;					/* flagged */

	per_cpu_stuff[sec] = 0;				/* flagged */
	cpu = sec + 1;					/* flagged */
}

/* Correct uses of the flag: not flagged. */
static void good_kexec_cpu_down(int crash_shutdown, int secondary)
{
	int cpu = smp_processor_id();

	xics_kexec_teardown_cpu(secondary);
	if (!secondary)
		xive_shutdown();
	teardown_thread(hard_smp_processor_id(), cpu);
}

/* Not a kexec cpu-down callback: not flagged. */
static int unrelated(int a, int secondary)
{
	return secondary ? 1 : 0;
}

define_machine(fixture) {
	.name		= "fixture",
	.kexec_cpu_down	= ps3_kexec_cpu_down,
};

/*
 * Logical CPU numbers passed where firmware or the hypervisor takes a
 * hardware thread id.
 */
static notrace int ps3_step_irq(const struct kexec_teardown_ctx *ctx)
{
	u64 ppe_id;

	lv1_get_logical_ppe_id(&ppe_id);
	lv1_configure_irq_state_bitmap(ppe_id, ctx->cpu, 0);	/* flagged */
	lv1_configure_irq_state_bitmap(ppe_id, ctx->hw_cpu, 0);
	return 0;
}

static int pseries_step_vpa(const struct kexec_teardown_ctx *td_ctx)
{
	unsigned int cpu = smp_processor_id();
	unsigned int me = td_ctx->cpu;

	plpar_hcall_norets(H_REGISTER_VPA, 0x5, cpu, 0);		/* flagged */
	plpar_hcall_norets(H_PROD, me);				/* flagged */
	plpar_hcall_norets(H_PROD, (u64)raw_smp_processor_id());	/* flagged */
	return 0;
}

static void fixture_stop_others(void)
{
	int cpu, hw, status;
	int self = get_cpu();

	for_each_online_cpu(cpu) {
		if (cpu == self)
			continue;
		rtas_call(query_cpu_stopped_state, 1, 2, &status, cpu);	/* flagged */
		opal_signal_system_reset(cpu);			/* flagged */
	}
	opal_quiesce(QUIESCE_HOLD, smp_processor_id());		/* flagged */
	put_cpu();
}

/* Hardware ids, conversions and flags: not flagged. */
static void fixture_good_ids(const struct kexec_teardown_ctx *ctx)
{
	int cpu = smp_processor_id();
	int hw = get_hard_smp_processor_id(cpu);
	int n, status;

	plpar_hcall_norets(H_PROD, get_hard_smp_processor_id(cpu));
	opal_signal_system_reset(hw);
	opal_int_set_mfrr(hard_smp_processor_id(), 0xff);
	lv1_configure_irq_state_bitmap(ppe_id, ctx->hw_cpu, 0);
	rtas_call(query_cpu_stopped_state, 1, 2, &status, hw);
	/* The first four arguments of rtas_call() are not thread ids. */
	n = smp_processor_id();
	rtas_call(token, n, 1, NULL, hw);
	/* Converted in place. */
	cpu = get_hard_smp_processor_id(cpu);
	opal_quiesce(QUIESCE_HOLD, cpu);
	for_each_online_cpu(n)
		pr_info("cpu %d\n", n);
	/* Not firmware. */
	fixture_account(smp_processor_id());
}

/* A wrapper's parameter is already the hardware id. */
static inline long fixture_vpa_call(unsigned long flags, unsigned long cpu,
				    unsigned long vpa)
{
	return plpar_hcall_norets(H_REGISTER_VPA, flags, cpu, vpa);
}
