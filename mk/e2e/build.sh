#!/bin/sh
# Build a small guest kernel for the end-to-end tests: allnoconfig +
# mk/e2e/<fragment>.
# Usage: [KT_TARGET=T] mk/e2e/build.sh [SOURCE_TREE [BUILD_DIR [ARCH]]]
#   ARCH ppc64le (default): pseries.config, vmlinux, into build/e2e-ppc64le
#   ARCH ps3: ps3.config (big endian), vmlinux, into build/e2e-ps3
#   ARCH e500: e500.config (64-bit e500), vmlinux, into build/e2e-e500
#   ARCH x86_64: x86_64.config, bzImage (and compile_commands.json), into
#                build/e2e-x86_64
# (default SOURCE_TREE: the patched tree build/linux).  BUILD_DIR is a
# link to a directory inside SOURCE_TREE (mk/kbuild.sh); a build of
# pristine 6.12 (SOURCE_TREE build/linux-base) starts from a copy of the
# patched build of the same ARCH, build/e2e-ARCH, when there is one, and
# compiles only what the series changes.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/mk/kbuild.sh"
SRC=$(realpath -m "${1:-$ROOT/build/linux}")
KARCH=${3:-ppc64le}
O=$(kt_objdir "$SRC" "$(basename "${2:-e2e-$KARCH}")")
if [ "$SRC" = "$(realpath -m "$ROOT/build/linux-base")" ] &&
   [ -e "$ROOT/build/e2e-$KARCH/.config" ]; then
	kt_seed_base "$ROOT/build/e2e-$KARCH" "$O"
fi
case $KARCH in
ppc64le)
	FRAG=$ROOT/mk/e2e/pseries.config
	MAKE="make -C $SRC O=$O ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-"
	TARGET=vmlinux
	IMAGE=$O/vmlinux
	NEED="KEXEC KEXEC_FILE SMP PPC_PSERIES HVC_CONSOLE CRASH_DUMP DEBUG_FS
	      BLK_DEV_INITRD KUNIT PPC_KEXEC_KUNIT_TEST STACKPROTECTOR_STRONG"
	;;
ps3)
	# Big endian: the PS3 platform, booted under -M pseries.
	FRAG=$ROOT/mk/e2e/ps3.config
	MAKE="make -C $SRC O=$O ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu-"
	TARGET=vmlinux
	IMAGE=$O/vmlinux
	NEED="KEXEC KEXEC_FILE SMP PPC_PSERIES PPC_PS3 FB_PS3 HVC_CONSOLE
	      BLK_DEV_INITRD KUNIT PS3_KEXEC_KUNIT_TEST STACKPROTECTOR_STRONG
	      SPU_BASE"
	;;
e500)
	FRAG=$ROOT/mk/e2e/e500.config
	MAKE="make -C $SRC O=$O ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu-"
	TARGET=vmlinux
	IMAGE=$O/vmlinux
	NEED="KEXEC KEXEC_FILE SMP PPC_BOOK3E_64 CORENET_GENERIC PPC_QEMU_E500
	      SERIAL_8250_CONSOLE CRASH_DUMP BLK_DEV_INITRD STACKPROTECTOR_STRONG"
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
# KT_FRAG: another fragment instead (mk/fixes.sh adds the lkdtm driver).
FRAG=${KT_FRAG:-$FRAG}
mkdir -p "$O"
if [ ! -f "$O/.config" ] || [ "$FRAG" -nt "$O/.config" ]; then
	$MAKE KCONFIG_ALLCONFIG="$FRAG" allnoconfig >/dev/null
	# What the tests cannot do without must have stuck (in 6.12, what
	# 6.12 has: not the symbols the series adds).
	ADDED=""
	if [ "$SRC" != "$(realpath -m "$ROOT/build/linux")" ]; then
		ADDED=$(git -C "$ROOT/build/linux" diff base HEAD -- '*Kconfig*' |
			sed -n 's/^+config //p')
	fi
	for opt in $NEED; do
		case " $(echo $ADDED) " in *" $opt "*) continue ;; esac
		grep -q "^CONFIG_$opt=y" "$O/.config" || {
			echo "build.sh: CONFIG_$opt is not set in $O/.config" >&2
			exit 1
		}
	done
fi
# KT_TARGET=prepare: only what building single objects needs.
if [ -n "${KT_TARGET:-}" ]; then
	$MAKE -j"${JOBS:-$(($(nproc) + 1))}" "$KT_TARGET"
	exit 0
fi
$MAKE -j"${JOBS:-$(($(nproc) + 1))}" $TARGET
if [ "$KARCH" = x86_64 ]; then
	# For mk/registry-steps.py: the command that compiled the registry.
	python3 "$SRC/scripts/clang-tools/gen_compile_commands.py" -d "$O" \
		-o "$O/compile_commands.json"
fi
ls -l "$IMAGE"
