/*
 * handoff.pml - a Promela model of the kexec CPU handoff, checked with spin.
 *
 * The CPU doing the kexec (the primary CPU), N secondaries, the copy of the new
 * image, the next kernel (which starts its secondaries and may allocate
 * any page it was not told to keep) and the firmware, on one platform:
 *
 *   -DPSERIES  RTAS stop-self, query-cpu-stopped-state, start-cpu; XIVE.
 *              stop-self may fail (-DNO_STOP_SELF_FAIL: it never does);
 *              the CPU then parks as below.  -DNO_STOP_SELF:
 *              kexec_stop_self=0, or a firmware without the three calls:
 *              the secondaries use the park page, as on PS3 and
 *              bare-metal hash machines.
 *   -DPOWERNV  opal_return_cpu(), opal_query_cpu_status(), OPAL start.
 *   -DE500     64-bit e6500 thread pairs (CPU 2k and 2k+1 are one core):
 *              a thread disabled with TENC, the kexec from either thread
 *              (-DPRIMARY=0 or 1); N odd for whole cores (-DN=2 leaves
 *              CPU 3, the second thread of core 1, offline).  The
 *              secondaries park in the park page and are released to
 *              0x60 (the path when a secondary has no spin table entry);
 *              with -DSPIN_TABLE they wait there, in their re-armed spin
 *              table entries, until the next kernel starts them
 *              (kexec_spin_table_stub): no release, no acknowledgment.
 *   -DX86      the reboot vector, the NMI after "1 s", HLT, INIT/SIPI.
 *
 * The protocols that were wrong are -D switches too; run.sh runs each and
 * expects its counterexample (./expected):
 *
 *   -DBUG_LINUX_6_12        pristine 6.12 (build/linux-base): unbounded
 *                           waits, secondaries wait in kexec_wait, no
 *                           acknowledgement.  pseries: the lost CPU;
 *                           powernv: a second per CPU for OPAL, then on.
 *   -DBUG_COPY_ANYWAY       an earlier version of the series, whose
 *                           bound came without the give-up: a CPU that
 *                           misses the deadline is named, and the copy
 *                           goes on.  With
 *                           -DNO_STOP_SELF -DNO_PARK_PAGE, which came later.
 *   -DBUG_PARK_UNKNOWN      the next kernel is not told to keep the page the
 *                           secondaries wait in, and may allocate it: the
 *                           series before the page was put in the reserve
 *                           map; today the control-page fallback, and
 *                           kexec_load into a kernel without the series
 *                           (only /chosen names the page).
 *   -DNK_PAGE_FREED         the next kernel frees the previous kernel's
 *                           page once every parked CPU has set its
 *                           acknowledgement bit (it does when the page is
 *                           out of its own range, kexec_reserve_handoff_page)
 *   -DBUG_STATE_BEFORE_PARK kexec_smp_wait stores KEXEC_STATE_REAL_MODE in
 *                           kernel text, then branches to the park page.
 *                           This is the patched tree as it stands.
 *   -DBUG_SPIN_PAGE_REUSED  e500 -DSPIN_TABLE: the next kernel reads the
 *                           page's record as for the release, finds no
 *                           acknowledgment missing, and takes the page
 *                           its CPUs still wait in as free.
 *   -DBUG_E500_THREAD1      e500, kexec from thread 1, before the fix:
 *                           thread 0 waits for its sibling, the primary CPU.
 *   -DBUG_XIVE_FIRST        pseries: the XIVE reset before
 *                           pseries:wait-stopped in the primary phase.
 *   -DNO_PARK_PAGE          neither the reserved page nor the control page
 *                           is usable: the secondaries wait in kexec_wait,
 *                           in kernel text (the series' fallback).
 *   -DX86_LATE_NMI          x86: the stop NMI reaches a CPU after it has
 *                           cleared its bit in cpus_stop_mask (upstream; the
 *                           comment in native_stop_other_cpus() says so).
 *   -DNO_DEAD               a stalled CPU resumes by tick STALL_MAX.  The
 *                           x86 model needs it: native_stop_other_cpus()
 *                           waits without a bound after the NMI (wait = 1).
 *
 * Time.  The byte `now' is the timebase.  The clock process advances it
 * only when nothing else can move (spin's timeout), so a CPU that is not
 * stalled runs to its next wait in no time, and a bound of T ticks
 * (kexec_secondary_timeout, the wait for the acknowledgements, x86's 1 s,
 * all T) expires only while something waits for it: timed out once
 * now - start > T.  At most STALLS times in a run a secondary stalls
 * before one of its steps (a vCPU that the hypervisor does not run), and
 * at every later tick resumes or stays stalled, up to for ever (with
 * -DNO_DEAD, until STALL_MAX).  Each CPU runs atomically between the
 * points where it waits or stalls: another CPU sees it half way through a
 * sequence of steps only if it stalls there, as a descheduled vCPU would.
 * Purgatory and the next kernel's early boot take one tick per stage.
 *
 * Memory.  A CPU executes from one of:
 *   L_OLD      the old kernel with the MMU on: its stack, paca, per-CPU
 *              data, which the copy of the new image may overwrite;
 *   L_TEXT     the old kernel's text in real mode (kexec_smp_wait,
 *              kexec_wait, kexec_flag): the copy stays above _end, the next
 *              kernel overwrites it when it moves itself to address 0;
 *   L_PARK     the park page: overwritten if the next kernel allocates it;
 *   L_NEXT     the next kernel, from its entry at 0x60 on;
 * or is somewhere that runs nothing of the old kernel: L_FW (stopped in
 * RTAS or OPAL), L_DISABLED (an e6500 thread stopped by TENC), L_HALT
 * (x86 HLT with interrupts off, which only an NMI ends).
 *
 * Properties.  Assertions (the safety run, pan -E):
 *   stale_exec                 P1: no CPU ever executes memory that the copy
 *                              or the next kernel has overwritten;
 *   copy_over_running_cpu      P2: no copy starts while a CPU is
 *                              unaccounted for (still in the old kernel);
 *   xive_reset_before_stopped  P5: pseries, powernv: no primary step that
 *                              needs quiesced secondaries (the XIVE reset)
 *                              runs before they have stopped;
 *   gave_up_without_late_cpu   P6: the give-up (a firmware reboot) only when
 *                              some CPU really was late.
 * LTL (pan -a -N name):
 *   primary_returns             P4: the primary CPU never waits for ever: it
 *                              enters the next kernel, or reboots;
 *   every_cpu_home             P3: every CPU ends in the next kernel, in
 *                              firmware, or named in the log (the old
 *                              kernel's "left behind", the next kernel's
 *                              "Processor N is stuck") and then not in
 *                              memory that was overwritten.
 * -DONLY=n keeps assertion n only (1 P1, 2 P2, 3 P5, 4 P6; 9 none): a bug
 * variant is checked for the property it must break.  The trail's
 * "MODEL:" lines (spin -t) tell the story of a counterexample.
 *
 * What each step stands for.  run.sh checks that every function named
 * here is still defined in the tree it is given, and that the code string
 * is still in that file, so that the model cannot quietly drift away from
 * the code.  One per line: MAP| step | function | file | code string;
 * a file "base:..." is pristine 6.12 (build/linux-base).  S steps are a
 * secondary's, M the primary CPU's, N the next kernel's, X x86's.
 *
 * MAP| S1 IPI taken, IRQS_OFF        | kexec_smp_down | arch/powerpc/kexec/core_64.c | get_paca()->kexec_state = KEXEC_STATE_IRQS_OFF;
 * MAP| S2 wait all IRQs off          | kexec_smp_down | arch/powerpc/kexec/core_64.c | while(kexec_all_irq_disabled == 0)
 * MAP| S3 secondary phase            | kexec_teardown_run_secondary | kernel/kexec_teardown_walk.c |
 * MAP| S3 pseries irq teardown       | pseries_kexec_irq | arch/powerpc/platforms/pseries/kexec.c | xive_teardown_cpu();
 * MAP| S3 pseries VPA unregister     | pseries_kexec_vpa | arch/powerpc/platforms/pseries/kexec.c | unregister_vpa(ctx->hw_cpu)
 * MAP| S4 pseries stop-self state    | pseries_kexec_stop_self | arch/powerpc/platforms/pseries/kexec.c | WRITE_ONCE(get_paca()->kexec_state, KEXEC_STATE_FIRMWARE);
 * MAP| S5 RTAS stop-self             | pseries_kexec_stop_self | arch/powerpc/platforms/pseries/kexec.c | rtas_call_unlocked(&pseries_kexec_stop_args[ctx->cpu],
 * MAP| S5 stop-self last (TERMINAL)  | pseries_kexec_register_stop | arch/powerpc/platforms/pseries/kexec.c | KEXEC_TEARDOWN_TERMINAL),
 * MAP| S3 powernv irq teardown       | pnv_kexec_irq | arch/powerpc/platforms/powernv/setup.c | xive_teardown_cpu();
 * MAP| S4 powernv FIRMWARE state     | pnv_kexec_return_cpu | arch/powerpc/platforms/powernv/setup.c | get_paca()->kexec_state = KEXEC_STATE_FIRMWARE;
 * MAP| S5 opal_return_cpu            | pnv_kexec_return_cpu | arch/powerpc/platforms/powernv/setup.c | opal_return_cpu();
 * MAP| S3 e500 MPIC teardown         | mpc85xx_kexec_thread_down | arch/powerpc/platforms/85xx/smp.c | mpic_teardown_this_cpu(secondary);
 * MAP| S3 e500 sibling is the primary CPU | mpc85xx_kexec_thread_down | arch/powerpc/platforms/85xx/smp.c | } else if (sibling == kexec_cpu) {
 * MAP| S3 e500 wait sibling, bounded | mpc85xx_kexec_thread_down | arch/powerpc/platforms/85xx/smp.c | "leaving it to the primary CPU");
 * MAP| S3 e500 TENC, DISABLED        | mpc85xx_kexec_thread_down | arch/powerpc/platforms/85xx/smp.c | mtspr(SPRN_TENC, disable_threadbit);
 * MAP| M  e500 kexec CPU noted       | mpc85xx_smp_machine_kexec | arch/powerpc/platforms/85xx/smp.c | WRITE_ONCE(mpc85xx_kexec_cpu, smp_processor_id());
 * MAP| M  e500 thread 1 disables t0  | mpc85xx_kexec_thread_down | arch/powerpc/platforms/85xx/smp.c | if (cpu == kexec_cpu && cpu_thread_in_core(cpu) != 0) {
 * MAP| S6 real mode                  | kexec_smp_wait | arch/powerpc/kernel/misc_64.S | bl	real_mode
 * MAP| S7 REAL_MODE state (in page)  | kexec_handoff_stub | arch/powerpc/kernel/misc_64.S | stb	r4,PACAKEXECSTATE(r13)
 * MAP| S7 branch to the park page    | kexec_smp_wait | arch/powerpc/kernel/misc_64.S | mtctr	r14
 * MAP| S8 poll the park page flag  | kexec_handoff_stub | arch/powerpc/kernel/misc_64.S | addi	r5,r5,kexec_handoff_flag-1b
 * MAP| S8 e500: re-arm the spin table entry, wait | kexec_spin_table_stub | arch/powerpc/kernel/misc_64.S | stw	r7,4(r6)
 * MAP| M1 e500: spin table stub in the page | kexec_setup_spin_table | arch/powerpc/kexec/core_64.c | memcpy(page, kexec_spin_table_stub, size);
 * MAP| M8 e500: no wait for acknowledgments | kexec_secondary_handoff | arch/powerpc/kexec/core_64.c | if (kexec_handoff_spin_table)
 * MAP| N1 e500: the page kept while CPUs wait | kexec_check_previous_handoff | arch/powerpc/kexec/core_64.c | kexec_handoff_prev_spin_table = true;
 * MAP| N2 e500: kept while one did not come up | kexec_check_spin_table_cpus | arch/powerpc/kexec/core_64.c | kexec_handoff_busy = true;
 * MAP| N3 e500: start through the spin table | smp_85xx_start_cpu | base:arch/powerpc/platforms/85xx/smp.c | if (read_spin_table_addr_l(spin_table) != 1) {
 * MAP| S8 poll kexec_flag (text)     | kexec_wait | arch/powerpc/kernel/misc_64.S | addi	r5,r5,kexec_flag-1b
 * MAP| S9 acknowledge                | KEXEC_ACK_RELEASE | arch/powerpc/kernel/misc_64.S | stwcx.	r9,0,r6;
 * MAP| S10 leave for 0x60            | KEXEC_LEAVE | arch/powerpc/kernel/misc_64.S | li	r10,0x60;
 * MAP| M1 park page prepared         | kexec_setup_handoff | arch/powerpc/kexec/core_64.c | smp_store_release(&kexec_handoff_entry, pa);
 * MAP| M1 park page reserved at boot | kexec_reserve_handoff_page | arch/powerpc/kexec/core_64.c | memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, low,
 * MAP| M1 park page: usable          | kexec_handoff_usable | arch/powerpc/kexec/core_64.c |
 * MAP| M1 control page: not told     | kexec_setup_handoff | arch/powerpc/kexec/core_64.c | which the next kernel is not told to keep
 * MAP| M1 page in the reserve map    | kexec_handoff_setup_fdt | arch/powerpc/kexec/core_64.c | return fdt_add_mem_rsv(fdt, kexec_handoff_page, PAGE_SIZE);
 * MAP| M1 ... for kexec_file_load    | setup_new_fdt_ppc64 | arch/powerpc/kexec/file_load_64.c | ret = kexec_handoff_setup_fdt(image, fdt);
 * MAP| M1 page in /chosen            | kexec_export_handoff_page | arch/powerpc/kexec/core_64.c | of_update_property(node, &kexec_handoff_page_prop);
 * MAP| M2 IPI to the secondaries     | kexec_prepare_cpus | arch/powerpc/kexec/core_64.c | smp_call_function(kexec_smp_down, NULL,
 * MAP| M3 bounded wait for a state   | kexec_wait_state | arch/powerpc/kexec/core_64.c | if (kexec_secondary_timed_out(start)) {
 * MAP| M3 the bound                  | kexec_secondary_timed_out | arch/powerpc/kexec/core_64.c | kexec_secondary_timeout_sec * tb_ticks_per_sec;
 * MAP| M3 give up: firmware reboot   | kexec_unaccounted_cpu | arch/powerpc/kexec/core_64.c | rebooting through firmware instead
 * MAP| M3 give up: RTAS restart      | rtas_restart_give_up | arch/powerpc/kernel/rtas.c | locked = rtas_restart_lock(timeout_ms);
 * MAP| M3 give-up on a wait          | kexec_prepare_cpus_wait | arch/powerpc/kexec/core_64.c | kexec_unaccounted_cpu(late, wait_state);
 * MAP| M4 all IRQs off               | kexec_prepare_cpus | arch/powerpc/kexec/core_64.c | kexec_all_irq_disabled = 1;
 * MAP| M5 primary phase               | kexec_teardown_run_primary | kernel/kexec_teardown_walk.c |
 * MAP| M5 primary phase order         | KEXEC_TEARDOWN_PRIO_WAIT | include/linux/kexec_teardown.h | #define KEXEC_TEARDOWN_PRIO_WAIT	400
 * MAP| M5 pseries:wait-stopped       | pseries_kexec_wait_stopped | arch/powerpc/platforms/pseries/kexec.c | KEXEC_STATE_FIRMWARE);
 * MAP| M5 pseries: stopped?          | pseries_kexec_cpu_gone | arch/powerpc/platforms/pseries/kexec.c | smp_query_cpu_stopped(get_hard_smp_processor_id(cpu)) ==
 * MAP| M5 pseries:xive (primary)      | pseries_kexec_irq | arch/powerpc/platforms/pseries/kexec.c | xive_shutdown();
 * MAP| M5 powernv:wait-opal          | pnv_kexec_wait_opal | arch/powerpc/platforms/powernv/setup.c | kexec_unaccounted_cpu(late, KEXEC_STATE_FIRMWARE);
 * MAP| M5 powernv: in OPAL?          | pnv_kexec_wait_secondaries_down | arch/powerpc/platforms/powernv/setup.c | opal_query_cpu_status(get_hard_smp_processor_id(i),
 * MAP| M5 powernv:opal-reinit (XIVE) | pnv_kexec_reinit | arch/powerpc/platforms/powernv/setup.c | xive_shutdown();
 * MAP| M6 note the parked CPUs       | kexec_note_parked | arch/powerpc/kexec/core_64.c | != KEXEC_STATE_REAL_MODE)
 * MAP| M6 record them in the page    | kexec_record_handoff | arch/powerpc/kexec/core_64.c | smp_store_release(&rec->magic, cpu_to_be32(KEXEC_HANDOFF_MAGIC));
 * MAP| M7 the copy                   | kexec_copy_flush | arch/powerpc/kexec/core_64.c | copy_segments(image->head);
 * MAP| M7 the copy, called           | kexec_sequence | arch/powerpc/kernel/misc_64.S | bl	CFUNC(kexec_copy_flush)
 * MAP| M8 release (kexec_flag)       | kexec_sequence | arch/powerpc/kernel/misc_64.S | stw	r6,kexec_flag-1b(5)
 * MAP| M8 release (park page)        | kexec_post_copy | arch/powerpc/kexec/core_64.c | WRITE_ONCE(*kexec_handoff_flag_p, 1);
 * MAP| M9 wait for acknowledgements  | kexec_wait_acks | arch/powerpc/kexec/core_64.c | did not leave for the next kernel, left behind
 * MAP| M9 the handoff step, last     | kexec_secondary_handoff | arch/powerpc/kexec/core_64.c | KEXEC_TEARDOWN_PRIO_HANDOFF,
 * MAP| M10 enter the next kernel     | kexec_sequence | arch/powerpc/kernel/misc_64.S | image->start(physid, image->start, 0);
 * MAP| N1 next kernel moves to 0     | copy_and_flush | arch/powerpc/kernel/head_64.S | 5:	bl	copy_and_flush
 * MAP| N2 reserve map honoured       | early_init_fdt_scan_reserved_mem | drivers/of/fdt.c | fdt_get_mem_rsv(initial_boot_params, n, &base, &size);
 * MAP| N2 previous page reserved     | kexec_check_previous_handoff | arch/powerpc/kexec/core_64.c | memblock_reserve(ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE);
 * MAP| N2 ... names who never left   | kexec_check_previous_handoff | arch/powerpc/kexec/core_64.c | never left its handoff page
 * MAP| N2 ... before any allocation  | early_init_devtree | arch/powerpc/kernel/prom.c | kexec_reserve_handoff_page(first_memblock_size);
 * MAP| N2 reused, or kept reserved   | kexec_reserve_handoff_page | arch/powerpc/kexec/core_64.c | An unusable previous page stays reserved all the same
 * MAP| N3 pseries start-cpu          | smp_startup_cpu | arch/powerpc/platforms/pseries/smp.c | if (smp_query_cpu_stopped(pcpu) == QCSS_NOT_STOPPED){
 * MAP| N3 powernv start              | pnv_smp_kick_cpu | arch/powerpc/platforms/powernv/smp.c | rc = opal_start_cpu(pcpu, start_here);
 * MAP| N3 e500 thread start          | wake_hw_thread | arch/powerpc/platforms/85xx/smp.c | book3e_start_thread(cpu_thread_in_core(cpu), inia);
 * MAP| N4 "Processor N is stuck"     | __cpu_up | arch/powerpc/kernel/smp.c | Processor %u is stuck.
 * MAP| X1 reboot vector, 1 s, NMI    | native_stop_other_cpus | arch/x86/kernel/smp.c | apic_send_IPI_allbutself(REBOOT_VECTOR);
 * MAP| X1 the 1 s bound              | native_stop_other_cpus | arch/x86/kernel/smp.c | timeout = USEC_PER_SEC;
 * MAP| X1 NMI to the late CPUs       | native_stop_other_cpus | arch/x86/kernel/smp.c | __apic_send_IPI(cpu, NMI_VECTOR);
 * MAP| X1 then no bound (wait = 1)   | native_stop_other_cpus | arch/x86/kernel/smp.c | (wait || timeout--)
 * MAP| X1 wait = 1 on kexec          | stop_other_cpus | arch/x86/include/asm/smp.h | smp_ops.stop_other_cpus(1);
 * MAP| X2 reboot vector handler      | sysvec_reboot | arch/x86/kernel/smp.c | DEFINE_IDTENTRY_SYSVEC(sysvec_reboot)
 * MAP| X2 stop NMI handler           | smp_stop_nmi_callback | arch/x86/kernel/smp.c | stop_this_cpu(NULL);
 * MAP| X3 secondary phase, halt      | stop_this_cpu | arch/x86/kernel/process.c | kexec_teardown_run_secondary(cpu, cpu_physical_id(cpu));
 * MAP| X3 clear the stop bit         | stop_this_cpu | arch/x86/kernel/process.c | cpumask_clear_cpu(cpu, &cpus_stop_mask);
 * MAP| X3 NMI on top of a step       | stop_this_cpu | arch/x86/kernel/process.c | kexec_teardown_cut_off(cpu, cpu_physical_id(cpu));
 * MAP| X3 ... the step named         | kexec_teardown_cut_off | kernel/kexec_teardown_walk.c | KEXEC_TEARDOWN_CUT_OFF, -EINTR,
 * MAP| X4 primary phase               | native_machine_shutdown | arch/x86/kernel/reboot.c | kexec_teardown_run_primary(smp_processor_id(),
 * MAP| X5 next kernel: INIT, SIPI    | wakeup_secondary_cpu_via_init | arch/x86/kernel/smpboot.c |
 * MAP| B  6.12: unbounded wait       | kexec_prepare_cpus_wait | base:arch/powerpc/kexec/core_64.c | while (paca_ptrs[i]->kexec_state < wait_state) {
 * MAP| B  6.12: secondaries park     | kexec_smp_wait | base:arch/powerpc/kernel/misc_64.S | b	kexec_wait
 * MAP| B  6.12: powernv 1 s per CPU  | pnv_kexec_wait_secondaries_down | base:arch/powerpc/platforms/powernv/setup.c | if (timeout-- == 0) {
 * MAP| B  6.12: powernv REAL_MODE    | pnv_kexec_cpu_down | base:arch/powerpc/platforms/powernv/setup.c | get_paca()->kexec_state = KEXEC_STATE_REAL_MODE;
 * MAP| B  6.12: pseries cpu down     | pseries_kexec_cpu_down | base:arch/powerpc/platforms/pseries/kexec.c | xive_shutdown();
 *
 * Assumed by the good model, and not in the patched tree (README.md):
 * the park page's stub, not kexec_smp_wait, stores KEXEC_STATE_REAL_MODE.
 */

/* ------------------------------------------------------------------ */
/* Parameters                                                          */

#ifndef N
#define N		2		/* secondaries, N <= 5 */
#endif
#define NCPU		(N + 1)
#define MAXCPU		6
#ifndef PRIMARY
#define PRIMARY		0
#endif
#ifndef T
#define T		1		/* every bound: timed out once now - start > T */
#endif
#ifndef T_NK
#define T_NK		1		/* the next kernel's wait for a CPU to call in */
#endif
#ifndef STALLS
#define STALLS		2		/* stalls in one run, over all secondaries */
#endif
#define TMAX		(5 * (T + 1) + T_NK + 4)
#ifndef STALL_MAX
#define STALL_MAX	(TMAX - T_NK - 5)
#endif

#if !defined(PSERIES) && !defined(POWERNV) && !defined(E500) && !defined(X86)
#define PSERIES
#endif

/* What the series has, unless a variant takes it away. */
#if defined(PSERIES) && !defined(BUG_LINUX_6_12) && !defined(NO_STOP_SELF)
#define STOP_SELF
#endif
#if defined(STOP_SELF) && !defined(NO_STOP_SELF_FAIL)
#define STOP_SELF_FAIL			/* "Still here: the firmware did not stop us" */
#endif
#if !defined(X86) && !defined(BUG_LINUX_6_12) && !defined(NO_PARK_PAGE)
#define PARK_PAGE
#endif
#if !defined(X86) && !defined(BUG_LINUX_6_12) && !defined(SPIN_TABLE)
#define ACKS
#endif

#ifndef ONLY
#define ONLY		0
#endif
#define CHECK(p)	(ONLY == 0 || ONLY == (p))
#define P_STALE		1
#define P_COPY		2
#define P_QUIESCE	3
#define P_GIVEUP	4

/* Where a CPU executes. */
#define L_OLD		0
#define L_TEXT		1
#define L_PARK		2
#define L_FW		3
#define L_DISABLED	4
#define L_HALT		5
#define L_NEXT		6

/* paca->kexec_state, arch/powerpc/include/asm/kexec.h */
#define KS_NONE		0
#define KS_IRQS_OFF	1
#define KS_REAL_MODE	2
#define KS_FIRMWARE	3
#define KS_DISABLED	4

/* Where a CPU stalls, for the trails. */
mtype = { ipi, irq_wait, secondary_phase, stop_self_state, stop_self_call,
	  opal_return, sibling_wait, real_mode, real_mode_state, park_branch, park_state,
	  release_wait, ack_to_rfid, reboot_vector_or_nmi, stop_this_cpu,
	  stop_mask_clear, late_nmi };

/* ------------------------------------------------------------------ */
/* State                                                               */

byte now;				/* the timebase, in ticks */

byte loc[MAXCPU];			/* where each CPU executes, L_* */
byte kstate[MAXCPU];			/* paca_ptrs[cpu]->kexec_state */
bool irq_torn[MAXCPU];			/* its interrupt presenter is torn down */
bool fw_stopped[MAXCPU];		/* firmware: QCSS_STOPPED, not OPAL_THREAD_STARTED */
bool parked[MAXCPU];			/* kexec_parked */
bool acked[MAXCPU];			/* its acknowledgement bit */
bool named[MAXCPU];			/* named by the old kernel */
bool stuck[MAXCPU];			/* named by the next kernel */

bool ipi_sent;				/* smp_call_function(kexec_smp_down) */
bool all_irq_disabled;			/* kexec_all_irq_disabled */
bool kexec_flag;			/* the release in kexec_wait, old text */
bool park_flag;				/* the release in the park page */
bool spin_rel[MAXCPU];			/* SPIN_TABLE: the next kernel wrote its entry */

bool ow_old;				/* the copy overwrote the old kernel's memory */
bool ow_text;				/* the next kernel moved itself over the old text */
bool ow_park;				/* the next kernel allocated the park page */

bool rebooted;				/* gave up: the firmware reboots, every CPU reset */
bool primary_done;			/* the primary CPU entered the next kernel or rebooted */

byte stalls_left = STALLS;
bool stalled_ever;			/* some CPU has been late */

#ifdef X86
bool stop_mask[MAXCPU];			/* cpus_stop_mask */
bool reboot_vector;			/* apic_send_IPI_allbutself(REBOOT_VECTOR) */
bool nmi_pending[MAXCPU];		/* an NMI sent to it and not yet taken */
bool irqs_off_long[MAXCPU];		/* interrupts off for longer than the 1 s */
#endif

/* The properties' flags, which the assertions are on. */
bool stale_exec;
bool copy_over_running_cpu;
bool xive_reset_before_stopped;
bool gave_up_without_late_cpu;

/* ------------------------------------------------------------------ */
/* Predicates                                                          */

#define OVERWRITTEN(l)	(((l) == L_OLD && ow_old) || ((l) == L_TEXT && ow_text) || \
			 ((l) == L_PARK && ow_park))
/* A CPU runs the old kernel's code until it has left it. */
#define RUNNABLE(c)	(!rebooted && loc[c] != L_FW && loc[c] != L_DISABLED && \
			 loc[c] != L_NEXT)
#define IS_SEC(c)	((c) != PRIMARY && (c) < NCPU)
#define THREAD(c)	((c) % 2)
#define SIB(c)		((c) ^ 1)
#define RELEASED(c)	((loc[c] == L_PARK && park_flag) || (loc[c] == L_TEXT && kexec_flag))

/* Over the secondaries: MAXCPU terms, for cpp. */
#define FORALL(P)	(P(0) && P(1) && P(2) && P(3) && P(4) && P(5))
#define IRQS_OFF(c)	(!IS_SEC(c) || kstate[c] >= KS_IRQS_OFF)
#define ALL_IRQS_OFF	FORALL(IRQS_OFF)
#define REAL(c)		(!IS_SEC(c) || kstate[c] >= KS_REAL_MODE)
#define ALL_REAL_MODE	FORALL(REAL)
/* pseries_kexec_cpu_gone() */
#define GONE(c)		(!IS_SEC(c) || kstate[c] == KS_REAL_MODE || \
			 (kstate[c] == KS_FIRMWARE && fw_stopped[c]))
#define ALL_GONE	FORALL(GONE)
/* pnv_kexec_wait_secondaries_down(): no longer OPAL_THREAD_STARTED */
#define IN_OPAL(c)	(!IS_SEC(c) || fw_stopped[c])
#define ALL_IN_OPAL	FORALL(IN_OPAL)
/* What the XIVE reset needs of a secondary: stopped, or parked in real mode. */
#define QUIESCED(c)	(!IS_SEC(c) || fw_stopped[c] || loc[c] == L_DISABLED || \
			 (irq_torn[c] && kstate[c] == KS_REAL_MODE && loc[c] != L_OLD))
#define ALL_QUIESCED	FORALL(QUIESCED)
/* Accounted for at the copy: not running in the old kernel's memory. */
#define ACCOUNTED(c)	(!IS_SEC(c) || loc[c] != L_OLD)
#define ALL_ACCOUNTED	FORALL(ACCOUNTED)
#define LEFT(c)		(!IS_SEC(c) || !parked[c] || acked[c])
#define ALL_LEFT	FORALL(LEFT)
#define AT_NEXT(c)	(!IS_SEC(c) || loc[c] == L_NEXT)
#define ALL_AT_NEXT	FORALL(AT_NEXT)
#ifdef X86
#define STOPPED(c)	(!IS_SEC(c) || !stop_mask[c])
#define STOP_MASK_EMPTY	FORALL(STOPPED)
#endif
/* P3: where a CPU may end. */
#define HOME(c)		(!IS_SEC(c) || rebooted || loc[c] == L_NEXT || loc[c] == L_FW || \
			 loc[c] == L_DISABLED || \
			 ((named[c] || stuck[c]) && !OVERWRITTEN(loc[c])))
#define ALL_HOME	FORALL(HOME)

ltl primary_returns { <> primary_done }
ltl every_cpu_home { <> [] ALL_HOME }

/* ------------------------------------------------------------------ */
/* Steps                                                               */

/* CPU c executes its next instructions where it is: they must be there. */
inline exec(c)
{
	if
	:: CHECK(P_STALE) && OVERWRITTEN(loc[c]) ->
		if
		:: loc[c] == L_OLD ->
			printf("MODEL: t=%d cpu %d executes old kernel memory that the copy overwrote\n", now, c)
		:: loc[c] == L_TEXT ->
			printf("MODEL: t=%d cpu %d executes old kernel text that the next kernel overwrote\n", now, c)
		:: loc[c] == L_PARK ->
			printf("MODEL: t=%d cpu %d executes the park page that the next kernel allocated\n", now, c)
		fi;
		stale_exec = true
	:: else
	fi;
	assert(!stale_exec)
}

/*
 * Maybe a stall of CPU c before its next step, at `where': it resumes at
 * any later tick, or never.
 */
#ifdef NO_DEAD
#define KEEP_SLEEPING	(now < STALL_MAX)
#else
#define KEEP_SLEEPING	true
#endif
inline maystall(c, where)
{
	if
	:: true
	:: stalls_left > 0 && RUNNABLE(c) ->
		stalls_left--;
		stalled_ever = true;
		t0 = now;
		printf("MODEL: t=%d cpu %d stalls before %e\n", now, c, where);
		do
		:: now > t0 ->
			if
			:: printf("MODEL: t=%d cpu %d resumes\n", now, c);
				break
			:: KEEP_SLEEPING -> t0 = now
			fi
		:: !RUNNABLE(c) -> break
		od
	fi
}

/* One step of CPU c, at `where' (it may stall first). */
#define STEP(c, where, guard, body)					\
	maystall(c, where);						\
	atomic { RUNNABLE(c) && (guard || OVERWRITTEN(loc[c])) -> exec(c); body }

/*
 * kexec_unaccounted_cpu(): a firmware reboot, which resets every CPU.
 * An earlier version: name the late CPUs ("did not enter %i state") and go on.
 */
#ifdef BUG_COPY_ANYWAY
inline give_up(KS)
{
	for (i : 0 .. MAXCPU - 1) {
		if
		:: IS_SEC(i) && kstate[i] < KS ->
			printf("MODEL: t=%d cpu %d did not enter state %d: left behind\n", now, i, KS);
			named[i] = true
		:: else
		fi
	}
}
#else
inline give_up(KS)
{
	if
	:: CHECK(P_GIVEUP) && !stalled_ever ->
		printf("MODEL: t=%d the primary CPU gives up, and no CPU was late\n", now);
		gave_up_without_late_cpu = true
	:: else
	fi;
	assert(!gave_up_without_late_cpu);
	printf("MODEL: t=%d kexec_unaccounted_cpu (waited for state %d): firmware reboot\n", now, KS);
	rebooted = true;
	primary_done = true;
	goto gone
}
#endif

/* The primary CPU's bounded wait for COND; on the deadline, give_up(KS). */
#ifdef BUG_LINUX_6_12
#define BOUNDED_WAIT(COND, KS)	(COND)
#else
#define BOUNDED_WAIT(COND, KS)						\
	start = now;							\
	if								\
	:: COND -> skip							\
	:: !(COND) && now - start > T -> give_up(KS)			\
	fi
#endif

/* The primary phase's XIVE reset: H_INT_RESET, or OPAL's XIVE reset. */
inline xive_reset()
{
	if
	:: CHECK(P_QUIESCE) && !ALL_QUIESCED ->
		printf("MODEL: t=%d the XIVE reset runs while a secondary has not stopped\n", now);
		xive_reset_before_stopped = true
	:: else
	fi;
	assert(!xive_reset_before_stopped);
	irq_torn[PRIMARY] = true
}

/* ------------------------------------------------------------------ */
/* A secondary                                                         */

#ifndef X86
proctype cpu(byte c)
{
	byte t0, start;

	/* Atomic: interleaved only where it waits or stalls. */
	atomic {
	/* kexec_smp_down(), from the IPI */
	STEP(c, ipi, ipi_sent, kstate[c] = KS_IRQS_OFF);
	STEP(c, irq_wait, all_irq_disabled, skip);

	/* the secondary phase, on this CPU */
#if defined(PSERIES)
	/* pseries:dtl, :slb-shadow, :vpa, :xive */
	STEP(c, secondary_phase, true, irq_torn[c] = true);
#ifdef STOP_SELF
	/* pseries:stop-self, last (TERMINAL) */
	STEP(c, stop_self_state, true, kstate[c] = KS_FIRMWARE);
	maystall(c, stop_self_call);
	if
	:: atomic { RUNNABLE(c) -> exec(c); loc[c] = L_FW; fw_stopped[c] = true };
		goto gone
#ifdef STOP_SELF_FAIL
	:: atomic { RUNNABLE(c) -> exec(c) }	/* RTAS did not stop it */
#endif
	fi;
#endif
#elif defined(POWERNV)
	/* powernv:xive */
	STEP(c, secondary_phase, true, irq_torn[c] = true);
#ifdef BUG_LINUX_6_12
	/* 6.12: REAL_MODE, then opal_return_cpu() */
	STEP(c, opal_return, true, kstate[c] = KS_REAL_MODE);
#else
	/* powernv:opal-return */
	STEP(c, opal_return, true, kstate[c] = KS_FIRMWARE);
#endif
	STEP(c, opal_return, true, loc[c] = L_FW; fw_stopped[c] = true);
	goto gone;
#elif defined(E500)
	/* 85xx:thread-down */
	STEP(c, secondary_phase, true, irq_torn[c] = true);
	if
#ifndef BUG_E500_THREAD1
	:: SIB(c) == PRIMARY -> skip	/* it never parks, and disables this thread */
#else
	:: THREAD(c) == 0 && SIB(c) == PRIMARY ->
		/* waits for the primary CPU, which never parks */
		start = now;
		maystall(c, sibling_wait);
		if
		:: atomic { RUNNABLE(c) && (kstate[SIB(c)] >= KS_REAL_MODE || OVERWRITTEN(loc[c])) ->
			exec(c) }
		:: atomic { RUNNABLE(c) && kstate[SIB(c)] < KS_REAL_MODE && now - start > T ->
			exec(c) }
		fi
#endif
	:: THREAD(c) == 0 && SIB(c) != PRIMARY ->
		/*
		 * waits for its sibling to park, then TENC; the code does not
		 * ask whether the sibling is online (-DN=2: CPU 3 is not)
		 */
		start = now;
		maystall(c, sibling_wait);
		if
		:: atomic { RUNNABLE(c) && (kstate[SIB(c)] >= KS_REAL_MODE || OVERWRITTEN(loc[c])) ->
			exec(c); loc[SIB(c)] = L_DISABLED; kstate[SIB(c)] = KS_DISABLED }
		:: atomic { RUNNABLE(c) && kstate[SIB(c)] < KS_REAL_MODE && now - start > T ->
			exec(c) }	/* "leaving it to the primary CPU" */
		fi
	:: else
	fi;
#endif

	/* kexec_smp_wait(): real mode, in this kernel's text */
	STEP(c, real_mode, true, loc[c] = L_TEXT);
#if defined(PARK_PAGE) && defined(BUG_STATE_BEFORE_PARK)
	STEP(c, real_mode_state, true, kstate[c] = KS_REAL_MODE);
	STEP(c, park_branch, true, loc[c] = L_PARK);
#elif defined(PARK_PAGE)
	STEP(c, park_branch, true, loc[c] = L_PARK);
	STEP(c, park_state, true, kstate[c] = KS_REAL_MODE);
#else
	STEP(c, real_mode_state, true, kstate[c] = KS_REAL_MODE);
#endif

#ifdef SPIN_TABLE
	/*
	 * kexec_spin_table_stub: the entry re-armed, the CPU waits in the
	 * page until the next kernel writes the entry (smp_85xx_start_cpu).
	 */
	STEP(c, release_wait, spin_rel[c], skip);
	atomic { RUNNABLE(c) -> exec(c); loc[c] = L_NEXT };
	goto gone;
#endif
	/* kexec_wait, or the stub in the park page: the release */
	STEP(c, release_wait, RELEASED(c), skip);
#ifdef ACKS
	atomic { RUNNABLE(c) -> exec(c); acked[c] = true };
	STEP(c, ack_to_rfid, true, loc[c] = L_NEXT);
#else
	atomic { RUNNABLE(c) -> exec(c); loc[c] = L_NEXT };
#endif
	}
gone:
	skip
}
#else /* X86 */
proctype cpu(byte c)
{
	byte t0;

	atomic {
	maystall(c, reboot_vector_or_nmi);
	if
	:: atomic { RUNNABLE(c) && (reboot_vector && !irqs_off_long[c]) -> exec(c) }	/* sysvec_reboot */
	:: atomic { RUNNABLE(c) && nmi_pending[c] -> exec(c); nmi_pending[c] = false }
	:: atomic { RUNNABLE(c) && OVERWRITTEN(loc[c]) -> exec(c) }
	fi;
	/* stop_this_cpu(): the secondary phase, once */
	STEP(c, stop_this_cpu, true, irq_torn[c] = true);
#ifndef X86_LATE_NMI
	/* an NMI sent meanwhile is taken before this, nested, to the same end */
	STEP(c, stop_mask_clear, true, stop_mask[c] = false; nmi_pending[c] = false);
#else
	STEP(c, stop_mask_clear, true, stop_mask[c] = false);
#endif
	atomic { RUNNABLE(c) -> exec(c); loc[c] = L_HALT };
#ifdef X86_LATE_NMI
	/* the NMI ends HLT: its handler runs in the old kernel */
	maystall(c, late_nmi);
	atomic { RUNNABLE(c) && nmi_pending[c] ->
		nmi_pending[c] = false; loc[c] = L_OLD; exec(c) };
	atomic { RUNNABLE(c) -> exec(c); loc[c] = L_HALT };
#endif
	}
}
#endif /* X86 */

/* ------------------------------------------------------------------ */
/* The primary CPU, then the next kernel on the same CPU                    */

active proctype primary()
{
	byte i, start, t;

	atomic {
	for (i : 0 .. NCPU - 1) {
		if
		:: i != PRIMARY -> run cpu(i)
		:: else
		fi
	}
#ifdef X86
	/* any CPU may have interrupts off for longer than the 1 s */
	for (i : 0 .. NCPU - 1) {
		if
		:: IS_SEC(i) ->
			if
			:: irqs_off_long[i] = true
			:: skip
			fi
		:: else
		fi
	}
#endif

#ifndef X86
	/* kexec_prepare_cpus() */
	ipi_sent = true;
	kstate[PRIMARY] = KS_IRQS_OFF;
	BOUNDED_WAIT(ALL_IRQS_OFF, KS_IRQS_OFF);
	all_irq_disabled = true;
	BOUNDED_WAIT(ALL_REAL_MODE, KS_REAL_MODE);

	/* the primary phase */
#if defined(PSERIES)
#ifdef BUG_XIVE_FIRST
	xive_reset();
#endif
#ifdef STOP_SELF
	/* pseries:wait-stopped, first (KEXEC_TEARDOWN_PRIO_WAIT) */
	BOUNDED_WAIT(ALL_GONE, KS_FIRMWARE);
#endif
#ifndef BUG_XIVE_FIRST
	/* pseries:dtl, :slb-shadow, :vpa, then :xive (KEXEC_TEARDOWN_PRIO_IRQ) */
	xive_reset();
#endif
#elif defined(POWERNV)
#ifdef BUG_LINUX_6_12
	/* pnv_kexec_wait_secondaries_down(): a second per CPU, then on */
	for (i : 0 .. NCPU - 1) {
		if
		:: IS_SEC(i) ->
			start = now;
			if
			:: fw_stopped[i]
			:: !fw_stopped[i] && now - start > T ->
				printf("MODEL: t=%d timed out waiting for cpu %d to enter OPAL\n", now, i)
			fi
		:: else
		fi
	}
#else
	/* powernv:wait-opal, first (KEXEC_TEARDOWN_PRIO_WAIT) */
	BOUNDED_WAIT(ALL_IN_OPAL, KS_FIRMWARE);
#endif
	/* powernv:xive, then powernv:opal-reinit: xive_shutdown() */
	xive_reset();
#elif defined(E500)
	/* 85xx:thread-down on the primary CPU: it disables its sibling */
	if
#ifndef BUG_E500_THREAD1
	:: IS_SEC(SIB(PRIMARY)) ->
#else
	:: THREAD(PRIMARY) == 0 && IS_SEC(SIB(PRIMARY)) ->
#endif
		start = now;
		if
		:: kstate[SIB(PRIMARY)] >= KS_REAL_MODE ->
			loc[SIB(PRIMARY)] = L_DISABLED;
			kstate[SIB(PRIMARY)] = KS_DISABLED
		:: kstate[SIB(PRIMARY)] < KS_REAL_MODE && now - start > T
		fi
	:: else
	fi;
#endif

	/* kexec_note_parked() */
	for (i : 0 .. MAXCPU - 1) {
		parked[i] = IS_SEC(i) && kstate[i] == KS_REAL_MODE
	}
#else /* X86 */
	/* native_stop_other_cpus(wait = 1) */
	for (i : 0 .. MAXCPU - 1) {
		stop_mask[i] = IS_SEC(i)
	}
	reboot_vector = true;
	start = now;
	if
	:: STOP_MASK_EMPTY -> skip
	:: !STOP_MASK_EMPTY && now - start > T ->
		printf("MODEL: t=%d Shutting down cpus with NMI\n", now);
		for (i : 0 .. MAXCPU - 1) {
			nmi_pending[i] = stop_mask[i]
		}
		STOP_MASK_EMPTY		/* wait = 1: no bound */
	fi;
	/* native_machine_shutdown(): the primary phase */
	irq_torn[PRIMARY] = true;
#endif /* X86 */

	/* the copy: kexec_copy_flush(), relocate_kernel */
	if
	:: CHECK(P_COPY) && !ALL_ACCOUNTED ->
		printf("MODEL: t=%d the copy starts while a CPU runs in the old kernel\n", now);
		copy_over_running_cpu = true
	:: else
	fi;
	assert(!copy_over_running_cpu);
	printf("MODEL: t=%d the copy\n", now);
	ow_old = true;
#ifndef X86
	/* kexec_sequence releases kexec_wait, kexec_post_copy the park page */
	kexec_flag = true;
#ifdef PARK_PAGE
	park_flag = true;
#endif
#ifdef ACKS
	/* powerpc:secondary-handoff, the last post-copy step */
	start = now;
	if
	:: ALL_LEFT -> skip
	:: !ALL_LEFT && now - start > T ->
		for (i : 0 .. MAXCPU - 1) {
			if
			:: parked[i] && !acked[i] ->
				printf("MODEL: t=%d cpu %d did not leave for the next kernel, left behind\n",
				       now, i);
				named[i] = true
			:: else
			fi
		}
	fi;
#endif
#endif /* !X86 */

	/* the next kernel */
	primary_done = true;
	printf("MODEL: t=%d the primary CPU enters purgatory and the next kernel\n", now);
	t = now;
	now > t;
#ifndef X86
	printf("MODEL: t=%d the next kernel moves itself to address 0\n", now);
	ow_text = true;
	kexec_flag = false;
#endif
#if defined(PARK_PAGE) && !defined(SPIN_TABLE)
	/*
	 * early_init_devtree(), before any allocation: the previous kernel's
	 * page is reserved, and the CPUs that never left it are named.
	 */
	for (i : 0 .. MAXCPU - 1) {
		if
		:: parked[i] && !acked[i] ->
			printf("MODEL: t=%d cpu %d of the previous kernel never left its handoff page\n",
			       now, i);
			stuck[i] = true
		:: else
		fi
	}
#endif
	t = now;
	now > t;
#if defined(SPIN_TABLE) && defined(BUG_SPIN_PAGE_REUSED)
	/*
	 * The record read as for the handoff: nothing parked there has an
	 * acknowledgment to miss, so the page is taken as free at boot.
	 */
	printf("MODEL: t=%d the next kernel takes the page its CPUs wait in as free, and allocates it\n", now);
	ow_park = true;
#elif defined(BUG_PARK_UNKNOWN)
	/* it allocates the page it was not told to keep */
	printf("MODEL: t=%d the next kernel allocates the park page\n", now);
	ow_park = true;
#elif defined(NK_PAGE_FREED) && defined(PARK_PAGE)
	/* every parked CPU acknowledged: the page is freed, and allocated */
	if
	:: ALL_LEFT ->
		printf("MODEL: t=%d every parked CPU left: the next kernel frees the page and allocates it\n", now);
		ow_park = true
	:: else
	fi;
#endif
	t = now;
	now > t;
	/* it starts its secondaries */
	for (i : 0 .. MAXCPU - 1) {
		if
#ifdef X86
		:: IS_SEC(i) -> loc[i] = L_NEXT		/* INIT, SIPI */
#else
		:: IS_SEC(i) && (loc[i] == L_FW || loc[i] == L_DISABLED) ->
			loc[i] = L_NEXT			/* start-cpu, OPAL, TEN */
#endif
#ifdef SPIN_TABLE
		:: IS_SEC(i) && loc[i] == L_PARK ->
			spin_rel[i] = true		/* its spin table entry */
#endif
		:: else
		fi
	}
	start = now;
	if
	:: ALL_AT_NEXT -> skip
	:: !ALL_AT_NEXT && now - start > T_NK ->
		for (i : 0 .. MAXCPU - 1) {
			if
			:: IS_SEC(i) && loc[i] != L_NEXT ->
				printf("MODEL: t=%d Processor %d is stuck\n", now, i);
				stuck[i] = true
			:: else
			fi
		}
	fi;
	}
gone:
	skip
}

/* ------------------------------------------------------------------ */
/* Time                                                                */

active proctype clock()
{
	byte i;

	do
	:: timeout && now < TMAX -> now++
	:: timeout && now >= TMAX ->
		/* for the trails only */
		atomic {
			if
			:: !primary_done ->
				printf("MODEL: t=%d end of time: the primary CPU still waits\n", now)
			:: else
			fi;
			for (i : 0 .. MAXCPU - 1) {
				if
				:: !HOME(i) && loc[i] == L_OLD ->
					printf("MODEL: t=%d end of time: cpu %d is lost in the old kernel (named: %d)\n",
					       now, i, named[i] || stuck[i])
				:: !HOME(i) && loc[i] == L_TEXT ->
					printf("MODEL: t=%d end of time: cpu %d is lost in the old text (named: %d)\n",
					       now, i, named[i] || stuck[i])
				:: !HOME(i) && loc[i] == L_PARK ->
					printf("MODEL: t=%d end of time: cpu %d is lost in the park page (named: %d)\n",
					       now, i, named[i] || stuck[i])
				:: !HOME(i) && loc[i] == L_HALT ->
					printf("MODEL: t=%d end of time: cpu %d is lost, halted in the old kernel (named: %d)\n",
					       now, i, named[i] || stuck[i])
				:: else
				fi
			}
		}
		break
	od
}
