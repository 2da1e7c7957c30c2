#!/bin/bash
# The objects that hold code the kexec teardown runs in real mode after the
# copy (the registry, core_64.o, the platforms' steps and consoles and
# what they call) must come out of the compiler
# without instrumentation, whatever the configuration enables.  Build them
# (and a control object, which must be instrumented, or the check proves
# nothing) in a ppc64le pseries configuration with KCSAN, KCOV, UBSAN and
# GCOV, then in one with KASAN (the two sanitizers exclude each other),
# and look for calls into the instrumentation runtimes among each
# object's undefined symbols.  The PS3 steps are checked the same way in a
# big-endian ps3_defconfig with KCOV, UBSAN and GCOV.
#
# Usage: mk/instr/check.sh [SOURCE_TREE [BUILD_DIR_PREFIX]]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$(realpath -m "${1:-$ROOT/build/linux}")
PREFIX=$(realpath -m "${2:-$ROOT/build/instr}")
JOBS=${JOBS:-$(($(nproc) + 1))}
OURS="kernel/kexec_teardown.o arch/powerpc/kexec/core_64.o
arch/powerpc/platforms/pseries/kexec.o arch/powerpc/platforms/powernv/setup.o
arch/powerpc/platforms/powernv/opal-call.o"
PS3_OURS="arch/powerpc/platforms/ps3/kexec.o arch/powerpc/platforms/ps3/mm.o
arch/powerpc/platforms/ps3/repository.o"
CONTROL=kernel/kexec_core.o
# Calls that instrumentation adds, one regex per runtime.
RUNTIMES='^(__asan_|__kasan_|__hwasan_|__tsan_|__kcsan_|__ubsan_handle_|__sanitizer_cov_|__gcov_|_mcount$|__fentry__$)'

fail=0
INSTR="CONFIG_KCOV=y
CONFIG_KCOV_INSTRUMENT_ALL=y
CONFIG_UBSAN=y
CONFIG_UBSAN_BOUNDS=y
CONFIG_UBSAN_SHIFT=y
CONFIG_GCOV_KERNEL=y
CONFIG_GCOV_PROFILE_ALL=y"

check_objects() {	# NAME BUILD_DIR OBJECTS...
	local name=$1 o=$2 obj n syms
	shift 2
	n=$(nm -u "$o/$CONTROL" | awk '{print $2}' | grep -cE "$RUNTIMES")
	echo "$name: control $CONTROL: $n instrumentation symbols"
	if [ "$n" -eq 0 ]; then
		echo "instr: the control object is not instrumented: the check proves nothing"
		fail=1
	fi
	for obj in "$@"; do
		syms=$(nm -u "$o/$obj" | awk '{print $2}' | grep -E "$RUNTIMES" | tr '\n' ' ')
		if [ -n "$syms" ]; then
			echo "$name: $obj is instrumented: $syms"
			fail=1
		else
			echo "$name: $obj: none"
		fi
	done
}

# PS3: big-endian, its own defconfig.
o=$PREFIX-ps3
make="make -C $SRC O=$o ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu-"
mkdir -p "$o"
if [ ! -f "$o/.config" ] || ! grep -q "^CONFIG_GCOV_PROFILE_ALL=y" "$o/.config"; then
	$make ps3_defconfig > /dev/null || exit 1
	echo "$INSTR" | sed 's/^/--enable /; s/=y$//; s/CONFIG_//' | xargs \
		"$SRC/scripts/config" --file "$o/.config" --enable KEXEC \
		--disable WERROR --enable PPC_DISABLE_WERROR
	$make olddefconfig > /dev/null || exit 1
fi
for opt in KEXEC KCOV UBSAN GCOV_KERNEL PPC_PS3; do
	grep -q "^CONFIG_$opt=y" "$o/.config" || {
		echo "instr: CONFIG_$opt did not stick in the ps3 config"
		exit 1
	}
done
for obj in $PS3_OURS $CONTROL; do
	rm -f "$o/$obj"
done
$make -j"$JOBS" prepare > "$o.log" 2>&1 &&
$make -j"$JOBS" $PS3_OURS $CONTROL >> "$o.log" 2>&1 || {
	tail -n 30 "$o.log"
	exit 1
}
check_objects ps3 "$o" $PS3_OURS

for flavour in kcsan kasan; do
	o=$PREFIX-$flavour
	frag=$o.config
	mkdir -p "$o"
	cat "$ROOT/mk/e2e/pseries.config" - > "$frag.new" <<-FRAG
	$INSTR
	$(if [ $flavour = kcsan ]; then echo CONFIG_KCSAN=y; else echo CONFIG_KASAN=y; fi)
	FRAG
	make="make -C $SRC O=$o ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-"
	if ! cmp -s "$frag.new" "$frag" || [ ! -f "$o/.config" ]; then
		mv "$frag.new" "$frag"
		$make KCONFIG_ALLCONFIG="$frag" allnoconfig > /dev/null || exit 1
	fi
	rm -f "$frag.new"
	for opt in KCOV UBSAN GCOV_KERNEL $(echo $flavour | tr a-z A-Z); do
		grep -q "^CONFIG_$opt=y" "$o/.config" || {
			echo "instr: CONFIG_$opt did not stick in the $flavour config"
			exit 1
		}
	done
	for obj in $OURS $CONTROL; do
		rm -f "$o/$obj"
	done
	$make -j"$JOBS" prepare > "$o.log" 2>&1 &&
	$make -j"$JOBS" $OURS $CONTROL >> "$o.log" 2>&1 || {
		tail -n 30 "$o.log"
		exit 1
	}
	check_objects $flavour "$o" $OURS
done
# Without SMP, the registry and the powerpc kexec code must still build:
# the handoff and the master's waits have !SMP paths that the
# configurations above never see (pseries and powernv force SMP; PS3 does
# not).
o=$PREFIX-nosmp
NOSMP_OURS="kernel/kexec_teardown.o arch/powerpc/kexec/core_64.o
arch/powerpc/platforms/ps3/kexec.o"
make="make -C $SRC O=$o ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu-"
mkdir -p "$o"
if [ ! -f "$o/.config" ] || grep -q "^CONFIG_SMP=y" "$o/.config"; then
	$make ps3_defconfig > /dev/null || exit 1
	"$SRC/scripts/config" --file "$o/.config" --disable SMP --enable KEXEC \
		--disable WERROR --enable PPC_DISABLE_WERROR
	$make olddefconfig > /dev/null || exit 1
fi
if grep -q "^CONFIG_SMP=y" "$o/.config" || ! grep -q "^CONFIG_KEXEC=y" "$o/.config"; then
	echo "instr: the !SMP configuration did not stick"
	exit 1
fi
for obj in $NOSMP_OURS; do
	rm -f "$o/$obj"
done
if $make -j"$JOBS" prepare > "$o.log" 2>&1 &&
   $make -j"$JOBS" $NOSMP_OURS >> "$o.log" 2>&1; then
	echo "nosmp: $(echo $NOSMP_OURS | wc -w) objects build without SMP"
else
	grep -E "error" "$o.log" | head -n 20
	echo "nosmp: the objects do not build without SMP"
	fail=1
fi
exit $fail
