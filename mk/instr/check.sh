#!/bin/bash
# Code the kexec teardown runs after the copy (real mode) must come out of
# the compiler without instrumentation, whatever the configuration
# enables.  Which code that is is not listed here: it is what the
# post-copy call-graph check (mk/callgraph/check.py) finds reachable in a
# built kernel of each configuration family, each function with its
# object and source (check.py --reachable; mk/callgraph/run.sh leaves it
# in BUILD/callgraph/reachable.txt):
#   - ppc64le pseries+powernv: build/e2e-ppc64le (mk/e2e/pseries.config),
#     checked with KCSAN, then with KASAN (they exclude each other);
#   - big endian with PS3: build/e2e-ps3 (mk/e2e/ps3.config);
# each with KCOV, UBSAN and GCOV too.  The objects of the set and a
# control object (which must be instrumented, or the check proves
# nothing) are built from the family's fragment plus those options, and
# check.py --instr walks the call graph again in them, from the set's
# roots, disassembling each object with its relocations: every function
# reached (a clone of one, name.constprop.0 and the like, included) that
# calls an instrumentation runtime (RUNTIMES below) or updates a GCOV
# counter is reported with its object and the symbols.  Per function, not
# per object: the objects hold ordinary code too, which stays
# instrumented, and a helper the instrumented build no longer inlines is
# reached and checked as well; a call out of the objects to a function
# not in the set is reported as unchecked.
#
# Usage: mk/instr/check.sh [SOURCE_TREE [BUILD_DIR_PREFIX]]
# E2E_PPC64LE and E2E_PS3 name the two kernels (default build/e2e-ppc64le
# and build/e2e-ps3); each must hold a vmlinux.o (mk/e2e/build.sh).  Their
# reachable.txt is made again here if it is older than vmlinux.o or
# check.py.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SRC=$(realpath -m "${1:-$ROOT/build/linux}")
PREFIX=$(realpath -m "${2:-$ROOT/build/instr}")
E2E_PPC64LE=${E2E_PPC64LE:-$ROOT/build/e2e-ppc64le}
E2E_PS3=${E2E_PS3:-$ROOT/build/e2e-ps3}
JOBS=${JOBS:-$(($(nproc) + 1))}
CHECK="python3 $ROOT/mk/callgraph/check.py"
CONTROL=kernel/kexec_core.o
# What instrumentation adds: calls into its runtimes, one regex per
# runtime, and GCOV's per-function counters (static data, __gcov0.<fn>).
RUNTIMES='^(__asan_|__kasan_|__hwasan_|__tsan_|__kcsan_|__ubsan_handle_|__sanitizer_cov_|__gcov_|__gcov0\.|_mcount$|__fentry__$)'
INSTR="CONFIG_KCOV=y
CONFIG_KCOV_INSTRUMENT_ALL=y
CONFIG_UBSAN=y
CONFIG_UBSAN_BOUNDS=y
CONFIG_UBSAN_SHIFT=y
CONFIG_GCOV_KERNEL=y
CONFIG_GCOV_PROFILE_ALL=y"
fail=0

# reachable E2E_BUILD CROSS_COMPILE: print the path of the build's
# reachable set, made again if stale.
reachable() {
	local b=$1 list=$1/callgraph/reachable.txt
	if [ ! -f "$b/vmlinux.o" ]; then
		echo "instr: no $b/vmlinux.o: build it first (mk/e2e/build.sh)" >&2
		return 1
	fi
	if [ ! -s "$list" ] || [ "$list" -ot "$b/vmlinux.o" ] ||
	   [ "$list" -ot "$ROOT/mk/callgraph/check.py" ]; then
		mkdir -p "$b/callgraph"
		# Its findings are the callgraph check's business; only the
		# set is wanted here.
		CROSS_COMPILE=$2 $CHECK --reachable "$list" "$b" > /dev/null
		[ -s "$list" ] || {
			echo "instr: check.py --reachable $b failed" >&2
			return 1
		}
	fi
	echo "$list"
}

# family NAME CROSS_COMPILE FRAGMENT REACHABLE [CONFIG...]: configure
# $PREFIX-NAME from FRAGMENT + $INSTR + CONFIG (allnoconfig), build the
# reachable set's objects and the control, check them.
family() {
	local name=$1 cross=$2 fragment=$3 list=$4 o=$PREFIX-$1 opt objs n rt seen
	local frag=$PREFIX-$1.config make
	shift 4
	make="make -C $SRC O=$o ARCH=powerpc CROSS_COMPILE=$cross"
	mkdir -p "$o"
	{
		cat "$fragment"
		echo "$INSTR"
		for opt in "$@"; do
			grep -qx "$opt=y" "$fragment" || echo "$opt=y"
		done
	} > "$frag.new"
	if ! cmp -s "$frag.new" "$frag" || [ ! -f "$o/.config" ]; then
		mv "$frag.new" "$frag"
		$make KCONFIG_ALLCONFIG="$frag" allnoconfig > /dev/null || return 1
	fi
	rm -f "$frag.new"
	for opt in KEXEC KCOV UBSAN GCOV_KERNEL "${@#CONFIG_}"; do
		grep -q "^CONFIG_$opt=y" "$o/.config" || {
			echo "instr: CONFIG_$opt did not stick in the $name config"
			return 1
		}
	done
	objs=$(grep -v '^#' "$list" | cut -f2 | grep -vx -- - | sort -u)
	# shellcheck disable=SC2086
	$make -j"$JOBS" prepare > "$o.log" 2>&1 &&
	$make -j"$JOBS" $objs $CONTROL >> "$o.log" 2>&1 || {
		tail -n 30 "$o.log"
		return 1
	}
	# KASAN without the compiler's __asan_mem*() prefix (GCC < 13):
	# every memcpy/memset/memmove call, the ones the compiler emits too
	# (structure copies, -ftrivial-auto-var-init), goes to KASAN's
	# checking versions (mm/kasan/shadow.c); the arch's are __mem*().
	rt=$RUNTIMES
	if grep -q '^CONFIG_KASAN=y' "$o/.config" &&
	   ! grep -q '^CONFIG_CC_HAS_KASAN_MEMINTRINSIC_PREFIX=y' "$o/.config"; then
		rt="${RUNTIMES%)}|memcpy\$|memset\$|memmove\$)"
	fi
	# The control, through the same walker: its global functions as
	# roots must show every runtime the configuration enables.
	nm --defined-only "$o/$CONTROL" |
		awk -v o="$CONTROL" '$2 == "T" { print $3 "\t" o "\t-\troot" }' \
		> "$o.control"
	n=$(CROSS_COMPILE=$cross $CHECK --instr "$o" "$o.control" "$rt" |
		grep "^INSTRUMENTED")
	seen=""
	for opt in __sanitizer_cov_ __gcov __ubsan_handle_ \
		   $(grep -q '^CONFIG_KCSAN=y' "$o/.config" && echo __tsan_) \
		   $(grep -q '^CONFIG_KASAN=y' "$o/.config" && echo __asan_); do
		if echo "$n" | grep -q " $opt"; then
			seen="$seen $opt"
		else
			echo "instr: no $opt in the control $CONTROL: the check proves nothing"
			fail=1
		fi
	done
	echo "$name: control $CONTROL: $(echo "$n" | grep -c .) functions" \
		"instrumented, with$seen"
	echo "$name: $(echo "$objs" | wc -l) objects of $list"
	CROSS_COMPILE=$cross $CHECK --instr "$o" "$list" "$rt" |
		sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail=1
}

PPC_LE=powerpc64le-linux-gnu-
PPC_BE=powerpc64-linux-gnu-
le=$(reachable "$E2E_PPC64LE" $PPC_LE) &&
be=$(reachable "$E2E_PS3" $PPC_BE) || exit 1
family ps3 $PPC_BE "$ROOT/mk/e2e/ps3.config" "$be" CONFIG_PPC_PS3 || exit 1
family kcsan $PPC_LE "$ROOT/mk/e2e/pseries.config" "$le" CONFIG_KCSAN || exit 1
family kasan $PPC_LE "$ROOT/mk/e2e/pseries.config" "$le" CONFIG_KASAN || exit 1

# Without SMP, the registry and the powerpc kexec code must still build:
# the handoff and the primary CPU's waits have !SMP paths that the
# configurations above never see (pseries and powernv force SMP; PS3 does
# not).
o=$PREFIX-nosmp
NOSMP_OURS="kernel/kexec_teardown.o kernel/kexec_teardown_walk.o
kernel/kexec_teardown_trace.o kernel/kexec_teardown_debugfs.o
arch/powerpc/kexec/core_64.o
arch/powerpc/platforms/ps3/kexec.o"
make="make -C $SRC O=$o ARCH=powerpc CROSS_COMPILE=$PPC_BE"
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
if $make -j"$JOBS" prepare > "$o.log" 2>&1 &&
   $make -j"$JOBS" $NOSMP_OURS >> "$o.log" 2>&1; then
	echo "nosmp: $(echo $NOSMP_OURS | wc -w) objects build without SMP"
else
	grep -E "error" "$o.log" | head -n 20
	echo "nosmp: the objects do not build without SMP"
	fail=1
fi
exit $fail
