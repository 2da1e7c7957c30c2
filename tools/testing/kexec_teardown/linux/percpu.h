/* SPDX-License-Identifier: GPL-2.0 */
#include <kt_shim.h>

/* Each thread of the harness is a CPU (DEFINE_PER_CPU: see the Makefile). */
#define this_cpu_read(var)		(var)
#define this_cpu_write(var, val)	((var) = (val))
