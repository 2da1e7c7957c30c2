#!/bin/sh
# Build a small guest kernel for the end-to-end tests: allnoconfig +
# mk/e2e/<fragment>.
# Usage: mk/e2e/build.sh [SOURCE_TREE [BUILD_DIR [ARCH]]]
#   ARCH ppc64le (default): pseries.config, vmlinux, into build/e2e-ppc64le
#   ARCH x86_64: x86_64.config, bzImage (and compile_commands.json), into
#                build/e2e-x86_64
# (default SOURCE_TREE: the patched tree build/linux).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$(realpath -m "${1:-$ROOT/build/linux}")
KARCH=${3:-ppc64le}
O=$(realpath -m "${2:-$ROOT/build/e2e-$KARCH}")
case $KARCH in
ppc64le)
	FRAG=$ROOT/mk/e2e/pseries.config
	MAKE="make -C $SRC O=$O ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-"
	TARGET=vmlinux
	IMAGE=$O/vmlinux
	NEED="KEXEC KEXEC_FILE SMP PPC_PSERIES HVC_CONSOLE CRASH_DUMP DEBUG_FS
	      BLK_DEV_INITRD"
	;;
x86_64)
	FRAG=$ROOT/mk/e2e/x86_64.config
	MAKE="make -C $SRC O=$O ARCH=x86_64"
	TARGET=bzImage
	IMAGE=$O/arch/x86/boot/bzImage
	NEED="KEXEC KEXEC_FILE SMP SERIAL_8250_CONSOLE CRASH_DUMP PROC_VMCORE
	      RELOCATABLE DEBUG_FS BLK_DEV_INITRD KUNIT KVM_GUEST XEN_PVHVM HYPERV
	      ACPI VIRTIO_BLK"
	;;
*)
	echo "build.sh: unknown ARCH $KARCH" >&2
	exit 1
	;;
esac
mkdir -p "$O"
if [ ! -f "$O/.config" ] || [ "$FRAG" -nt "$O/.config" ]; then
	$MAKE KCONFIG_ALLCONFIG="$FRAG" allnoconfig >/dev/null
	# What the tests cannot do without must have stuck.
	for opt in $NEED; do
		grep -q "^CONFIG_$opt=y" "$O/.config" || {
			echo "build.sh: CONFIG_$opt is not set in $O/.config" >&2
			exit 1
		}
	done
fi
$MAKE -j"${JOBS:-$(($(nproc) + 1))}" $TARGET
if [ "$KARCH" = x86_64 ]; then
	# For mk/registry-steps.py: the command that compiled the registry.
	python3 "$SRC/scripts/clang-tools/gen_compile_commands.py" -d "$O" \
		-o "$O/compile_commands.json"
fi
ls -l "$IMAGE"
