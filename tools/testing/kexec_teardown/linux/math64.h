/* SPDX-License-Identifier: GPL-2.0 */
#include <kt_shim.h>
