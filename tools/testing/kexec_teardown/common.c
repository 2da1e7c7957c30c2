// SPDX-License-Identifier: GPL-2.0
/*
 * Harness side of the shims in kt_shim.h, and the helpers its tests and
 * fuzzer share.
 */
#include <pthread.h>

#include "common.h"

int kt_warnings;
int kt_grace_periods;
char kt_last_log[256];
__thread unsigned int kt_cpu;

static bool kt_verbose(void)
{
	static int verbose = -1;

	if (verbose < 0)
		verbose = !!getenv("KT_VERBOSE");
	return verbose;
}

void kt_printk(const char *level, const char *fmt, ...)
{
	char line[sizeof(kt_last_log)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	memcpy(kt_last_log, line, sizeof(line));
	if (kt_verbose())
		fprintf(stderr, "[%s] %s", level, line);
}

/* The calling thread's stack, looked up once per thread. */
int object_is_on_stack(const void *p)
{
	static __thread const char *base, *top;
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (!base) {
		if (pthread_getattr_np(pthread_self(), &attr))
			return 0;
		pthread_attr_getstack(&attr, &addr, &size);
		pthread_attr_destroy(&attr);
		base = addr;
		top = base + size;
	}
	return (const char *)p >= base && (const char *)p < top;
}

struct kt_log kt_log;
const int kt_ids[KT_IDS] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};

void kt_log_reset(void)
{
	memset(&kt_log, 0, sizeof(kt_log));
}

/* @data of the harness's steps points at its id in kt_ids[]. */
int kt_record(const struct kexec_teardown_ctx *ctx)
{
	int i = __atomic_fetch_add(&kt_log.n, 1, __ATOMIC_RELAXED);

	if (i < KT_LOG_MAX) {
		kt_log.e[i].id = *(const int *)ctx->data;
		kt_log.e[i].ctx = *ctx;
	}
	return 0;
}

int kt_fail(const struct kexec_teardown_ctx *ctx)
{
	kt_record(ctx);
	return -EIO;
}
