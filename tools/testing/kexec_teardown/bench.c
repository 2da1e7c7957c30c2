// SPDX-License-Identifier: GPL-2.0
/*
 * Registration and dispatch cost of the registry, in instructions, for
 * valgrind --tool=callgrind --toggle-collect=bench_register (or
 * bench_walk):  ./kexec_teardown_bench N
 *
 * Registers N post-copy steps that do nothing, with scattered priorities
 * so that the sorted insert has work to do, then walks the phase once
 * without output, as the post-copy phase runs when the architecture has
 * no real-mode console.
 */
#include "common.h"

#define BENCH_MAX	1000

static struct kexec_teardown steps[BENCH_MAX];
static char names[BENCH_MAX][16];
static struct kexec_teardown_registry reg;

static int bench_step(const struct kexec_teardown_ctx *ctx)
{
	return 0;
}

noinline void bench_register(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "b:%04d", i);
		steps[i] = (struct kexec_teardown) {
			.name = names[i], .phase = KEXEC_TEARDOWN_POST_COPY,
			.priority = (i * 7919) % 97, .fn = bench_step,
		};
		if (kexec_teardown_add(&reg, &steps[i]))
			abort();
	}
}

noinline void bench_walk(void)
{
	kexec_teardown_run(&reg, KEXEC_TEARDOWN_POST_COPY, 0, 0, NULL);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;

	if (n < 1 || n > BENCH_MAX)
		return 2;
	kexec_teardown_registry_init(&reg);
	object_is_on_stack(&n);		/* look the stack up outside the count */
	bench_register(n);
	kexec_teardown_seal(&reg);
	bench_walk();
	if (atomic_read(&reg.nr_run) != n)
		return 1;
	printf("registered and walked %d steps\n", n);
	return 0;
}
