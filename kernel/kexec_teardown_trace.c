// SPDX-License-Identifier: GPL-2.0
/*
 * kexec teardown registry: the lines a walk prints before and after the
 * copy of the new image, the output the platform declares for real mode,
 * and the crash path's replay of what printk could not show.
 */

#define pr_fmt(fmt) "kexec_teardown: " fmt

#include <linux/kprobes.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "kexec_teardown_internal.h"

/*
 * A tiny formatter for the post-copy phase, where vsnprintf() and printk()
 * are off limits; the other phases use it too so that every phase logs the
 * same line.
 */
static notrace char *kexec_teardown_put_str(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

NOKPROBE_SYMBOL(kexec_teardown_put_str);

static notrace char *kexec_teardown_put_uint(char *p, char *end, u64 v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + do_div(v, 10);
	} while (v);
	while (n && p < end)
		*p++ = digits[--n];
	return p;
}

NOKPROBE_SYMBOL(kexec_teardown_put_uint);

/**
 * kexec_teardown_format - format the log line of one step
 * @buf:	Output buffer, NUL-terminated on return when @size > 0.
 * @size:	Size of @buf; KEXEC_TEARDOWN_LINE_MAX is always enough for a
 *		name of up to 40 characters and a 64-bit hardware id.
 * @ctx:	The phase and CPU the step ran in.
 * @name:	The step's name.
 * @outcome:	What happened.
 * @err:	The callback's return value, for %KEXEC_TEARDOWN_FAILED.
 *
 * Produces "<phase> cpu <cpu> hw <hw_cpu>: <name> <outcome>", truncated to
 * fit.  Safe in real mode: no locks, no per-CPU data, no vsnprintf().
 *
 * Context: Any context, including post-copy.
 * Return: The length of the line, without the NUL.
 */
notrace __no_stack_protector size_t
kexec_teardown_format(char *buf, size_t size,
		      const struct kexec_teardown_ctx *ctx, const char *name,
		      enum kexec_teardown_outcome outcome, int err)
{
	char *p = buf, *end;

	if (!size)
		return 0;
	end = buf + size - 1;

	p = kexec_teardown_put_str(p, end, kexec_teardown_phase_name(ctx->phase));
	p = kexec_teardown_put_str(p, end, " cpu ");
	p = kexec_teardown_put_uint(p, end, ctx->cpu);
	p = kexec_teardown_put_str(p, end, " hw ");
	if (ctx->hw_cpu == KEXEC_TEARDOWN_NO_HW_CPU)
		p = kexec_teardown_put_str(p, end, "-");
	else
		p = kexec_teardown_put_uint(p, end, ctx->hw_cpu);
	p = kexec_teardown_put_str(p, end, ": ");
	p = kexec_teardown_put_str(p, end, name);

	/*
	 * Not a switch: with five cases the compiler makes it a jump table,
	 * an indirect branch in what runs after the copy.
	 */
	if (outcome == KEXEC_TEARDOWN_FAILED) {
		p = kexec_teardown_put_str(p, end, err < 0 ? " failed -" :
							     " failed ");
		p = kexec_teardown_put_uint(p, end, err < 0 ?
					    0U - (unsigned int)err :
					    (unsigned int)err);
	} else if (outcome == KEXEC_TEARDOWN_DONE) {
		p = kexec_teardown_put_str(p, end, " done");
	} else if (outcome == KEXEC_TEARDOWN_SKIPPED) {
		p = kexec_teardown_put_str(p, end, " skipped (not crash-safe)");
	} else if (outcome == KEXEC_TEARDOWN_HANDOFF) {
		p = kexec_teardown_put_str(p, end, " terminal, not returning");
	} else if (outcome == KEXEC_TEARDOWN_CUT_OFF) {
		p = kexec_teardown_put_str(p, end,
					   " cut off, the CPU was stopped in it");
	}
	*p = '\0';
	return p - buf;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_teardown_format);
NOKPROBE_SYMBOL(kexec_teardown_format);

static notrace void kexec_teardown_puts_line(void (*puts)(const char *s),
					     const char *line)
{
	puts("kexec_teardown: ");
	puts(line);
	puts("\n");
}

NOKPROBE_SYMBOL(kexec_teardown_puts_line);

/* Format one record; ctx carries the phase and the CPU. */
static notrace void
kexec_teardown_format_record(char *buf, const struct kexec_teardown_record *r,
			     const struct kexec_teardown *td)
{
	struct kexec_teardown_ctx ctx = {
		.phase	= r->phase,
		.cpu	= r->cpu,
		.hw_cpu	= r->hw_cpu,
	};

	kexec_teardown_format(buf, KEXEC_TEARDOWN_LINE_MAX, &ctx, td->name,
			      r->outcome, r->err);
}

NOKPROBE_SYMBOL(kexec_teardown_format_record);

/*
 * Print one step after the copy, through the platform's real-mode output
 * if it declared one.  A function of its own, so that nothing the
 * post-copy walk can reach refers to printk.
 */
noinline notrace __no_stack_protector void
kexec_teardown_print_post_copy(struct kexec_teardown_registry *reg,
			       const struct kexec_teardown_ctx *ctx,
			       const struct kexec_teardown *td,
			       enum kexec_teardown_outcome outcome, int err)
{
	/*
	 * Written by kexec_teardown_format() before it is read; not zeroed
	 * by the compiler, whose memset() is KASAN's with GCC < 13.
	 */
	char line[KEXEC_TEARDOWN_LINE_MAX] __uninitialized;
	void (*puts)(const char *s) = READ_ONCE(reg->puts);

	if (!puts)
		return;
	kexec_teardown_format(line, sizeof(line), ctx, td->name, outcome, err);
	kexec_teardown_puts_line(puts, line);
}

NOKPROBE_SYMBOL(kexec_teardown_print_post_copy);

/*
 * Print one step before the copy, with printk (deferred on the crash
 * path, hence the replay).  Only called for what is worth printing: the
 * common case, a step that went well, costs a record and no formatting.
 */
noinline notrace void
kexec_teardown_print(struct kexec_teardown_registry *reg,
		     const struct kexec_teardown_ctx *ctx,
		     const struct kexec_teardown *td,
		     enum kexec_teardown_outcome outcome, int err)
{
	char line[KEXEC_TEARDOWN_LINE_MAX];

	kexec_teardown_format(line, sizeof(line), ctx, td->name, outcome, err);
	if (outcome == KEXEC_TEARDOWN_FAILED ||
	    outcome == KEXEC_TEARDOWN_CUT_OFF)
		pr_err("%s (%ps)\n", line, td->fn);
	else
		pr_info("%s\n", line);
}

NOKPROBE_SYMBOL(kexec_teardown_print);

/*
 * On the crash path printk is deferred, or (since 6.7) drops what the CPUs
 * other than the panic one print, so the lines of the secondary and primary
 * phases never reached the console: print now those worth printing, at
 * most KEXEC_TEARDOWN_REPLAY_MAX of them, through @puts after the copy, or
 * with printk from the panic CPU.  A slot that a stuck CPU is still
 * writing is not printed.  Specialised at compile time, so that the
 * post-copy replay does not reach printk.
 */
static __always_inline void
__kexec_teardown_replay(struct kexec_teardown_registry *reg,
			void (*puts)(const char *s), bool use_printk)
{
	unsigned int i, printed = 0, left = 0, n = atomic_read(&reg->nr_trace);
	const struct kexec_teardown_record *r;
	const struct kexec_teardown *td;
	/* Written before it is read, as in kexec_teardown_print_post_copy() */
	char line[KEXEC_TEARDOWN_LINE_MAX] __uninitialized;
	char *p, *end = line + sizeof(line) - 1;

	for (i = 0; i < n && i < KEXEC_TEARDOWN_TRACE_MAX; i++) {
		r = &reg->trace[i];
		/* Pairs with the smp_store_release() that completes a slot. */
		td = smp_load_acquire(&r->td);
		if (!td || r->phase == KEXEC_TEARDOWN_POST_COPY ||
		    !kexec_teardown_worth_printing(reg, r->outcome))
			continue;
		if (printed == KEXEC_TEARDOWN_REPLAY_MAX) {
			left++;
			continue;
		}
		kexec_teardown_format_record(line, r, td);
		if (use_printk)
			pr_info("%s\n", line);
		else
			kexec_teardown_puts_line(puts, line);
		printed++;
	}
	if (n > KEXEC_TEARDOWN_TRACE_MAX)
		left += n - KEXEC_TEARDOWN_TRACE_MAX;
	if (left) {
		p = kexec_teardown_put_uint(line, end, left);
		p = kexec_teardown_put_str(p, end, " more steps not shown");
		*p = '\0';
		if (use_printk)
			pr_info("%s\n", line);
		else
			kexec_teardown_puts_line(puts, line);
	}
}

/* The replay after the copy, through the platform's real-mode output. */
notrace __no_stack_protector void
kexec_teardown_replay(struct kexec_teardown_registry *reg,
		      void (*puts)(const char *s))
{
	__kexec_teardown_replay(reg, puts, false);
}

NOKPROBE_SYMBOL(kexec_teardown_replay);

/*
 * The replay where the architecture has no post-copy phase: from the
 * crash primary phase, the last one, on the panic CPU, whose printk still
 * reaches the log and the console.
 */
noinline notrace void
kexec_teardown_replay_printk(struct kexec_teardown_registry *reg)
{
	__kexec_teardown_replay(reg, NULL, true);
}

NOKPROBE_SYMBOL(kexec_teardown_replay_printk);

/**
 * kexec_teardown_post_copy_puts - print after the copy
 * @s: NUL-terminated string.
 *
 * Prints @s through the output declared with
 * kexec_teardown_set_post_copy_output(), or nowhere if the platform
 * declared none: for the architecture's own post-copy messages.
 *
 * Context: Any context, including post-copy.
 */
notrace void kexec_teardown_post_copy_puts(const char *s)
{
	void (*puts)(const char *s) = READ_ONCE(kexec_teardown_global.puts);

	if (puts)
		puts(s);
}

NOKPROBE_SYMBOL(kexec_teardown_post_copy_puts);
