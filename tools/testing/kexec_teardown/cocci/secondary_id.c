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
