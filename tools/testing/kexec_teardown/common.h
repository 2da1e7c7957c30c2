/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KT_COMMON_H
#define _KT_COMMON_H

#include <kt_shim.h>
#include "kexec_teardown_internal.h"

#define KT_LOG_MAX	4096

/* What the steps saw, in call order; @id is the step's data. */
struct kt_log {
	int n;
	struct {
		int id;
		struct kexec_teardown_ctx ctx;
	} e[KT_LOG_MAX];
};

extern struct kt_log kt_log;

/* Static ids for the steps' @data: post-copy data must be static. */
#define KT_IDS		16
extern const int kt_ids[KT_IDS];
#define KT_ID(i)	((void *)&kt_ids[i])

void kt_log_reset(void);
int kt_record(const struct kexec_teardown_ctx *ctx);
int kt_fail(const struct kexec_teardown_ctx *ctx);

#endif /* _KT_COMMON_H */
