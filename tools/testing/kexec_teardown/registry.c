// SPDX-License-Identifier: GPL-2.0
/*
 * The registry under test: the kernel's own kernel/kexec_teardown.c,
 * reached through the symlink the Makefile makes, built against kt_shim.h.
 */
#include "kexec_teardown.c"
