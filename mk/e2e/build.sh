#!/bin/sh
# Build a small ppc64le pseries vmlinux: allnoconfig + mk/e2e/pseries.config.
# Usage: mk/e2e/build.sh [SOURCE_TREE [BUILD_DIR]]
# (default: the patched tree build/linux into build/e2e-ppc64le).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$(realpath -m "${1:-$ROOT/build/linux}")
O=$(realpath -m "${2:-$ROOT/build/e2e-ppc64le}")
FRAG=$ROOT/mk/e2e/pseries.config
MAKE="make -C $SRC O=$O ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-"
mkdir -p "$O"
if [ ! -f "$O/.config" ] || [ "$FRAG" -nt "$O/.config" ]; then
	$MAKE KCONFIG_ALLCONFIG="$FRAG" allnoconfig >/dev/null
	# What the tests cannot do without must have stuck.
	for opt in KEXEC KEXEC_FILE SMP PPC_PSERIES HVC_CONSOLE CRASH_DUMP \
		   DEBUG_FS BLK_DEV_INITRD; do
		grep -q "^CONFIG_$opt=y" "$O/.config" || {
			echo "build.sh: CONFIG_$opt is not set in $O/.config" >&2
			exit 1
		}
	done
fi
$MAKE -j"$(nproc)" vmlinux
ls -l "$O/vmlinux"
