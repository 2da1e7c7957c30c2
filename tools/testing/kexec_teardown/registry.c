// SPDX-License-Identifier: GPL-2.0
/*
 * The registry under test: the kernel's own files, reached through the
 * symlinks the Makefile makes, built against kt_shim.h as one
 * translation unit.
 */
#include "kexec_teardown.c"
#include "kexec_teardown_walk.c"
#include "kexec_teardown_trace.c"
#include "kexec_teardown_debugfs.c"
