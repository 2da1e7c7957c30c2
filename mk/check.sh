#!/bin/bash
# Run the project's checks, each logged to build/logs/<check>.log, print one
# PASS/FAIL line per check (with the log's tail on failure) and end with
# "N passed, N failed".  Usage: mk/check.sh [check...]; default: all.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build
T=$B/linux
LOGS=$B/logs
# One job more than cores: a cold x86_64 guest build took 453 s with -j3
# against 477 s with -j2 on 2 cores (compiles wait on I/O).
JOBS=${JOBS:-$(($(nproc) + 1))}
export JOBS
FUZZ_TIME=${FUZZ_TIME:-30}
PPC_LE=powerpc64le-linux-gnu-
PPC_BE=powerpc64-linux-gnu-
mkdir -p "$LOGS"
rm -f "$LOGS/summary"
. "$ROOT/mk/kbuild.sh"

# "make series" signs the patches off as whoever runs it, from git config;
# a machine without a git identity (CI) checks them under a stand-in.
if [ -z "$(git -C "$ROOT" config user.name)" ] ||
   [ -z "$(git -C "$ROOT" config user.email)" ]; then
	export GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name \
		GIT_CONFIG_VALUE_0="kexec-teardown check" \
		GIT_CONFIG_KEY_1=user.email \
		GIT_CONFIG_VALUE_1=check@localhost.invalid
fi

# The checks, in the order they run.
# Four guest kernels are built, one per configuration family, and every
# check of that family uses it: x86_64 (x86-kernel), ppc64le pseries and
# powernv (e2e-kernel), big-endian with PS3 (ps3-kernel) and 64-bit e500
# (e500-kernel).  Unpatched 6.12 is built from a copy of the patched
# build of the same configuration (mk/kbuild.sh), so only what the series
# changes is compiled twice.
ALL_CHECKS="series model checkpatch harness fuzz x86-kernel registry-steps kunit-x86_64
e2e-x86-loop5 e2e-x86-crash e2e-x86-hang e2e-x86-nmi e2e-x86-kexec-tools x86-build e2e-kernel
kunit-ppc64le-radix kunit-ppc64le-hash e2e-radix e2e-hash e2e-loop5
e2e-crash e2e-crash-post-notifiers e2e-powernv e2e-hang e2e-base-kernel sparse e2e-soak-short
e2e-upgrade-hash e2e-starved e2e-kexec-tools docs
ps3-kernel kunit-ps3 e2e-nocrashdump ps3-build e500-kernel e500-build
e2e-e500-smp2 e2e-e500-smp4 e2e-e500-crash callgraph instr cocci"

# Records of unpatched 6.12 that cost a kernel build of their own and
# change only when 6.12 does: run by "make baseline" (the README keeps
# the result with its date and commit), not by make check.
BASELINE_CHECKS="e2e-e500-base"

passed=0
failed=0
failed_names=""

run_check() {
	local name=$1 fn=check_${1//-/_} log=$LOGS/$1.log start rc
	start=$(date +%s)
	echo "=== $name" > "$log"
	( set -o pipefail; cd "$ROOT" && "$fn" ) >> "$log" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf 'PASS  %-24s %4ss\n' "$name" $(($(date +%s) - start))
	else
		failed=$((failed + 1))
		failed_names="$failed_names $name"
		printf 'FAIL  %-24s %4ss  (log: %s)\n' "$name" \
			$(($(date +%s) - start)) "${log#$ROOT/}"
		tail -n 25 "$log" | sed 's/^/      | /'
	fi
}

# The series applies as one commit per patch, and with git am on pristine
# 6.12; the messages in patches/ carry no Signed-off-by, the mails carry
# exactly the one of whoever runs it, and without a git identity "format"
# refuses with a message that says what to set.
check_series() {
	local me out p bad=0
	python3 mk/series.py import &&
	python3 mk/series.py format &&
	python3 mk/series.py am-check || return 1
	if grep -l "^Signed-off-by:" patches/*/msg; then
		echo "patches/ messages must not carry a Signed-off-by"
		return 1
	fi
	me="$(git config user.name) <$(git config user.email)>"
	for p in "$B"/series/*/0*.patch; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		[ "$(grep -c "^Signed-off-by: " "$p")" = 1 ] &&
		grep -qxF "Signed-off-by: $me" "$p" || {
			echo "${p##*/}: not signed off as $me"
			bad=1
		}
	done
	# One folder per sub-series: addressed, based on 6.12, and those
	# after the first name what they need before them.
	for d in "$B"/series/*/; do
		f=$(ls "$d"0000-cover-letter.patch 2>/dev/null || ls "$d"0*.patch | tail -n 1)
		grep -q "^To: " "$f" && grep -q "^base-commit: " "$f" || {
			echo "${d#$B/}: no To: or base-commit: in ${f##*/}"
			bad=1
		}
		case $d in */1-*) ;; *)
			grep -q "^prerequisite-patch-id: " "$f" || {
				echo "${d#$B/}: no prerequisite-patch-id: in ${f##*/}"
				bad=1
			} ;;
		esac
	done
	# No new "master" (coding-style.rst section 4): the kexecing CPU's
	# phase is the primary one.  The docs say once what older code and
	# the 2007 review called it.
	if cat "$B"/series/*/0*.patch | grep -E '^\+' | grep -iwE 'master' |
	   grep -vE 'call (that CPU|the primary) the master'; then
		echo "the series adds \"master\" where it means the primary CPU"
		bad=1
	fi
	# A mailing list knows nothing of this repository's tools.
	if grep -nE "mk/|make (check|demo|series|tree)|check\.sh|kt\.py|$(echo $ALL_CHECKS $BASELINE_CHECKS |
	     tr ' ' '\n' | grep -- - | sed 's/[.]/\\./g' | paste -sd '|')" patches/*/msg; then
		echo "commit messages must not name the project's tools or checks"
		bad=1
	fi
	[ $bad = 0 ] || return 1
	out=$(env -u GIT_CONFIG_COUNT HOME=/nonexistent GIT_CONFIG_NOSYSTEM=1 \
	      XDG_CONFIG_HOME=/nonexistent python3 mk/series.py format 2>&1) &&
		{ echo "format signed the series without an identity"; return 1; }
	echo "$out"
	echo "$out" | grep -q "git config user.name"
}

# checkpatch.pl --strict: 0 errors, warnings and checks on every patch.
# Two of its checks cannot work here and are replaced: UNKNOWN_COMMIT_ID
# looks Fixes: ids up in the tree, which is Debian's source without
# upstream history; FILE_PATH_CHANGES asks "does MAINTAINERS need
# updating?" of every patch that adds a file, and is replaced by a real
# check that get_maintainer.pl names a maintainer for every added file.
# The Promela model of the kexec CPU handoff (mk/model/), checked by spin:
# the good variants verify on every platform, each planted bug (6.12's
# lost CPU, copy anyway, a park page the next kernel does not know, the
# e500 kexec from thread 1, the XIVE reset first, ...) fails with its
# counterexample, and every function the model maps is still in the tree.
check_model() {
	python3 mk/series.py base > /dev/null && mk/model/run.sh "$T" "$B/linux-base"
}

check_checkpatch() {
	local p f out bad=0 n=0 d=$LOGS/checkpatch.d
	# Two at a time (one per core), each into a file of its own.
	rm -rf "$d" && mkdir -p "$d" || return 1
	# spdxcheck.py needs Debian's python3 with python3-ply.
	# shellcheck disable=SC2016
	ls "$B"/series/*/0*.patch | grep -v 0000-cover-letter |
		(cd "$T" && PATH=/usr/bin:$PATH xargs -P "$JOBS" -n 1 sh -c \
			'./scripts/checkpatch.pl --strict \
			--ignore UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$1" \
			> "$0/${1##*/}.out" 2>&1' "$d")
	# Clean patches first, one line each; what is not clean comes last,
	# in full, so that the tail of the log shows it.
	for p in "$B"/series/*/0*.patch; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		n=$((n + 1))
		out=$(cat "$d/${p##*/}.out")
		if ! echo "$out" | grep -q "^total: 0 errors, 0 warnings, 0 checks" ||
		   echo "$out" | grep -q "^Traceback"; then
			bad=$((bad + 1))
			continue
		fi
		echo "clean: ${p##*/}"
	done
	for p in "$B"/series/*/0*.patch; do
		case $p in */0000-cover-letter.patch) continue ;; esac
		out=$(cat "$d/${p##*/}.out")
		if ! echo "$out" | grep -q "^total: 0 errors, 0 warnings, 0 checks" ||
		   echo "$out" | grep -q "^Traceback"; then
			echo "=== NOT CLEAN: ${p##*/}"
			echo "$out" | grep -v -e "^NOTE:" -e "^      " -e "^$"
		fi
	done
	echo "checkpatch: $n patches, $bad not clean"
	for f in $(git -C "$T" diff --name-only --diff-filter=A base HEAD); do
		(cd "$T" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-l --no-r --no-rolestats -f "$f" 2>/dev/null) |
			grep -q "@" || { echo "no maintainer for $f"; bad=$((bad + 1)); }
	done
	[ "$n" -gt 0 ] && [ "$bad" -eq 0 ]
}

# The userspace harness under ASan and UBSan.
check_harness() {
	make -C "$T/tools/testing/kexec_teardown" clean >/dev/null &&
	make -C "$T/tools/testing/kexec_teardown" test
}

# A short libFuzzer run against the registry's model.
check_fuzz() {
	make -C "$T/tools/testing/kexec_teardown" fuzz FUZZ_TIME="$FUZZ_TIME"
}

# The x86_64 guest kernel (allnoconfig + mk/e2e/x86_64.config): the
# end-to-end tests and the x86_64 KUnit run share it.
check_x86_kernel() {
	mk/e2e/build.sh "$T" "$B/e2e-x86_64" x86_64
}

# The registry as each patch leaves it compiles (-Werror), with the x86_64
# guest build's command: no configuration builds it before the
# architecture patches, so a bisect build would not see a broken
# intermediate version.
check_registry_steps() {
	python3 mk/registry-steps.py
}

# KUnit on x86_64 under qemu-system-x86_64 -smp 4 (TCG), with the guest
# kernel booted with kunit.enable=1: the registry's suite passes, its
# per-CPU test sees 4 CPUs, and on an architecture without a post-copy
# phase a post-copy step is refused.
check_kunit_x86_64() {
	mk/e2e/kt.py --arch x86_64 kunit
}

# Five kexecs in a row in qemu-system-x86_64 -smp 4 (kexec_file_load and
# reboot()): each phase ran its steps in registered order on every CPU, no
# post-copy phase, every CPU back in the next kernel.
check_e2e_x86_loop5() {
	mk/e2e/kt.py --arch x86_64 test loop --loops 5
}

# Crash kexec on x86_64: only crash-safe steps ran, on every CPU (from the
# crash NMI), and the capture kernel's /proc/vmcore holds the registers of
# every CPU.
check_e2e_x86_crash() {
	mk/e2e/kt.py --arch x86_64 test crash
}

# A CPU that ignores interrupts as the kexec starts (the test module's
# deaf_cpu) is stopped by the NMI after one second: in NMI context only
# its crash-safe secondary steps run, the others are named as left out.
check_e2e_x86_nmi() {
	mk/e2e/kt.py --arch x86_64 test nmi
}

# A secondary step that never returns on x86_64 (the test module hangs
# it, interrupts off): stop_other_cpus() sends the NMI after one second,
# which must name the step it cut off; the kexec goes on and the next
# kernel has every CPU.
check_e2e_x86_hang() {
	mk/e2e/kt.py --arch x86_64 test hang
}

# Debian's amd64 kexec-tools in the x86_64 guest: "kexec -c -l" + "kexec
# -e" (kexec_load() and its purgatory), then "kexec -c -p" + a panic.
check_e2e_x86_kexec_tools() {
	mk/e2e/kt.py --arch x86_64 test loop --loops 1 --kexec-tools &&
	mk/e2e/kt.py --arch x86_64 test crash --kexec-tools
}

# KUnit on the ppc64le end-to-end kernel (built in, kunit.enable=1) in a
# 4-CPU pseries guest, radix MMU: the registry's suite, powerpc_kexec and
# powerpc_rtas_restart pass, and the per-CPU test sees 4 CPUs.
check_kunit_ppc64le_radix() {
	mk/e2e/kt.py kunit --mmu radix
}

# The same kernel under the hash MMU.
check_kunit_ppc64le_hash() {
	mk/e2e/kt.py kunit --mmu hash
}

# sparse (C=2) and W=1: nothing at all from our files, and nothing new from
# the upstream files we touch, compared with the same objects of 6.12.
# Remove the objects of TARGETS (object files or directories) so that the
# next build compiles them again: W=1 warnings come only with a compile,
# and both trees of a comparison must give theirs, however warm.
clean_objs() {		# BUILD_DIR TARGETS...
	local o=$1 t
	shift
	for t in "$@"; do
		case $t in
		*/) rm -f "$o/$t"*.o ;;
		*) rm -f "$o/$t" ;;
		esac
	done
}

sparse_objs() {		# BUILD_DIR SOURCE_TREE OBJECTS...
	local o=$1 src=$2
	shift 2
	clean_objs "$o" "$@"
	make -C "$src" O="$o" ARCH=powerpc CROSS_COMPILE=$PPC_LE C=2 W=1 \
		-j"$JOBS" "$@" 2>&1
}

# "dir/file.c:12:3: warning: text" -> "dir/file.c: warning: text"
sparse_warnings() {
	grep -E "^[^ ]+\.[chS]:[0-9]+(:[0-9]+)?: (warning|error)" |
		sed -E "s#^.*/(linux|linux-base)/##; s#:[0-9]+(:[0-9]+)?: # #" |
		sort -u
}

# DIR/patched.out and DIR/base.out (build logs of the same objects, patched
# and 6.12) -> DIR/patched.w, DIR/base.w and DIR/new.w (only in patched).
new_warnings() {	# DIR
	sparse_warnings < "$1/patched.out" > "$1/patched.w"
	sparse_warnings < "$1/base.out" > "$1/base.w"
	comm -23 "$1/patched.w" "$1/base.w" > "$1/new.w"
}

check_sparse() {
	local ours="kernel/kexec_teardown.o kernel/kexec_teardown_walk.o
		kernel/kexec_teardown_trace.o kernel/kexec_teardown_debugfs.o
		kernel/kexec_teardown_kunit.o"
	local ours_e2e="lib/test_kexec_teardown.o
		arch/powerpc/platforms/pseries/kexec.o"
	local touched="kernel/kexec.o kernel/kexec_file.o kernel/kexec_core.o
		kernel/crash_core.o arch/powerpc/kexec/core_64.o
		arch/powerpc/kexec/crash.o arch/powerpc/kernel/smp.o
		arch/powerpc/platforms/pseries/setup.o
		arch/powerpc/platforms/powernv/setup.o"
	local d=$LOGS/sparse
	mkdir -p "$d"
	sparse_objs "$B/e2e-ppc64le" "$T" $ours $ours_e2e > "$d/ours.out" &&
	sparse_objs "$B/e2e-ppc64le" "$T" $touched > "$d/patched.out" &&
	sparse_objs "$B/e2e-base" "$B/linux-base" $touched > "$d/base.out" ||
		return 1
	grep -c "CHECK " "$d"/*.out
	sparse_warnings < "$d/ours.out" > "$d/ours.w"
	new_warnings "$d"
	echo "our files: $(wc -l < "$d/ours.w") warnings"
	echo "touched upstream files: $(wc -l < "$d/patched.w") warnings," \
		"$(wc -l < "$d/base.w") in 6.12, $(wc -l < "$d/new.w") new"
	cat "$d/ours.w" "$d/new.w"
	[ ! -s "$d/ours.w" ] && [ ! -s "$d/new.w" ]
}

# The ppc64le pseries guest kernel of the end-to-end tests.
check_e2e_kernel() {
	mk/e2e/build.sh
}

# A real kexec in qemu-system-ppc64 -M pseries -smp 4, radix MMU: every
# phase ran its steps in registered order on every CPU, and the next kernel
# came up with all CPUs, the same MMU and no failed VPA registration.
check_e2e_radix() {
	mk/e2e/kt.py test radix
}

# The same under the hash MMU (disable_radix).
check_e2e_hash() {
	mk/e2e/kt.py test hash
}

# Five back-to-back kexecs, each checked the same way, with the
# secondaries parked in the page reserved at boot (kexec_stop_self=0):
# each next kernel must name that page, kept in its reserve map, and say
# that every CPU parked there left it.
check_e2e_loop5() {
	mk/e2e/kt.py test loop --loops 5 --append kexec_stop_self=0
}

# Crash kexec: load a capture kernel, panic, boot it; only crash-safe
# steps ran, the others are logged as left out.
check_e2e_crash() {
	mk/e2e/kt.py test crash
}

# The same with crash_kexec_post_notifiers: panic() stops the other CPUs
# before __crash_kexec() runs, so the crash seal must come first there too;
# still only the crash-safe steps may run, on every CPU.
check_e2e_crash_post_notifiers() {
	mk/e2e/kt.py test crash --append crash_kexec_post_notifiers
}

# The same kernel on qemu -M powernv9 (skiboot), two kexecs: the powernv
# steps, with the secondaries returned to OPAL as the terminal step.
check_e2e_powernv() {
	mk/e2e/kt.py test powernv --smp 2 --loops 2
}

# A kernel without CONFIG_CRASH_DUMP (the big-endian PS3 kernel, booted
# under -M pseries) refuses to load a capture kernel, by either syscall,
# and loads nothing.
check_e2e_nocrashdump() {
	mk/e2e/kt.py --arch ps3 test nocrashdump --smp 1
}

# Unpatched 6.12 with the same config, for the comparisons below; built
# from a copy of the patched build (mk/kbuild.sh).
check_e2e_base_kernel() {
	# The copy must be of the patched build of the tree as it is.
	mk/e2e/build.sh > /dev/null &&
	python3 mk/series.py base && mk/e2e/build.sh build/linux-base build/e2e-base
}

# Five back-to-back kexecs at -smp 8, radix: no CPU lost, no hang.
check_e2e_soak_short() {
	mk/e2e/kt.py test loop --smp 8 --loops 5
}

# One vCPU's host thread starved: unpatched 6.12 must lose it (else the
# reproducer proves nothing), the patched kernel must not, kexecing into
# itself or into unpatched 6.12; radix, then hash (without the 6.12
# reference, which costs a hang's silence timeout), then hash with
# kexec_stop_self=0: the secondaries wait in the page reserved at boot
# below the RMA (the kexec control page is above it), not in kernel text.
check_e2e_starved() {
	mk/e2e/kt.py starved --smp 8 --starve 5 --kexecs 2 &&
	mk/e2e/kt.py starved --mmu hash --smp 8 --starve 5 --kexecs 1 --no-reference &&
	mk/e2e/kt.py starved --mmu hash --smp 8 --starve 5 --kexecs 1 \
		--no-reference --no-upgrade --append kexec_stop_self=0 \
		--expect-wait "reserved page"
}

# A kexec into a different kernel, as an upgrade is: the patched kernel
# into unpatched 6.12 at -smp 8, hash (radix: e2e-starved), every CPU
# back in the next kernel.
check_e2e_upgrade_hash() {
	mk/e2e/kt.py test hash --smp 8 --next-base
}

# Debian's ppc64el kexec-tools in the guest (fetched with a private apt
# state): "kexec -c -l" + "kexec -e", that is kexec_load() and kexec-tools'
# own purgatory with its sha256 check, then "kexec -c -p" + a panic.
check_e2e_kexec_tools() {
	mk/e2e/kt.py test radix --kexec-tools &&
	mk/e2e/kt.py test crash --kexec-tools
}

# A secondary that never stops (the test module hangs it, interrupts
# off): the kexec must not copy over it, but name it and reboot through
# firmware.
check_e2e_hang() {
	mk/e2e/kt.py test hang
}

# The big-endian kernel with the PS3 platform (mk/e2e/ps3.config).
check_ps3_kernel() {
	mk/e2e/build.sh "$T" "$B/e2e-ps3" ps3
}

# The PS3 kexec suite (lv1 faked) and the registry's suite on that kernel,
# built in and enabled with kunit.enable=1, in a 4-CPU pseries guest.
check_kunit_ps3() {
	mk/e2e/kt.py --arch ps3 kunit
}

# W=1 and sparse on the objects under TARGETS of a guest kernel's build
# (ARCH as mk/e2e/build.sh names it), patched and unpatched 6.12 with the
# same configuration; the 6.12 side starts from a copy of the patched
# build (mk/kbuild.sh), so it compiles only what the series changes, then
# TARGETS again.
guest_objs() {		# NAME ARCH BUILT TARGETS...
	local name=$1 arch=$2 built=$3 d=$LOGS/$1 o=$B/e2e-$2
	local base
	shift 3
	mkdir -p "$d"
	python3 mk/series.py base > /dev/null &&
	mk/e2e/build.sh "$T" "$o" "$arch" > "$d/build.out" 2>&1 &&
	KT_TARGET=prepare mk/e2e/build.sh "$B/linux-base" "$o-base" "$arch" \
		>> "$d/build.out" 2>&1 || {
		tail -n 30 "$d/build.out"
		return 1
	}
	base=$(kt_objdir "$B/linux-base" "e2e-$arch-base")
	guest_make "$arch" "$T" "$o" "$@" > "$d/patched.out" &&
	guest_make "$arch" "$B/linux-base" "$base" "$@" > "$d/base.out" || {
		tail -n 30 "$d/patched.out" "$d/base.out"
		return 1
	}
	grep -q "$built" "$d/patched.out" ||
		{ echo "$built was not built"; return 1; }
}

guest_make() {		# ARCH SOURCE_TREE BUILD_DIR TARGETS...
	local arch=$1 src=$2 o=$3 cross=ARCH=powerpc
	shift 3
	case $arch in
	x86_64) cross=ARCH=x86_64 ;;
	ppc64le) cross="$cross CROSS_COMPILE=$PPC_LE" ;;
	*) cross="$cross CROSS_COMPILE=$PPC_BE" ;;
	esac
	clean_objs "$o" "$@"
	# shellcheck disable=SC2086
	make -C "$src" O="$o" $cross -j"$JOBS" W=1 C=2 "$@" 2>&1
}

# Nothing from OURS (a regex of our files), nothing new elsewhere.
cross_compare() {	# NAME OURS
	local d=$LOGS/$1
	new_warnings "$d"
	grep -E "$2" "$d/patched.w" > "$d/ours.w" || true
	grep -vE "$2" "$d/new.w" > "$d/new-other.w" || true
	mv "$d/new-other.w" "$d/new.w"
	echo "$1 W=1/sparse: $(wc -l < "$d/patched.w") warnings," \
		"$(wc -l < "$d/base.w") in 6.12, $(wc -l < "$d/new.w") new," \
		"$(wc -l < "$d/ours.w") in our files"
	cat "$d/ours.w" "$d/new.w"
	[ ! -s "$d/ours.w" ] && [ ! -s "$d/new.w" ]
}

# The PS3 platform and ps3fb, in the PS3 kernel's configuration.
check_ps3_build() {
	guest_objs ps3 ps3 "platforms/ps3/kexec.c" \
		arch/powerpc/platforms/ps3/ drivers/video/fbdev/ps3fb.o &&
	cross_compare ps3 "ps3/kexec"
}

# The x86 kexec code and the three guest conversions, which TCG cannot run
# (KVM guest, Xen HVM, Hyper-V), with W=1 and sparse: the x86_64 guest's
# configuration, which builds all of them, on 6.12 and patched; nothing
# new.  (The guest kernel itself is built with the patched tree's objects,
# so only these are compiled again.)
X86_OBJS="arch/x86/kernel/process.o arch/x86/kernel/reboot.o
arch/x86/kernel/crash.o arch/x86/kernel/kvm.o arch/x86/kernel/cpu/mshyperv.o
arch/x86/xen/enlighten_hvm.o arch/x86/hyperv/hv_init.o"

check_x86_build() {
	# shellcheck disable=SC2086
	guest_objs x86 x86_64 "CHECK.*arch/x86/kernel/cpu/mshyperv.c" \
		$X86_OBJS &&
	cross_compare x86 "^$" &&
	x86_32_objs
}

# The same objects, the registry and the test module in a 32-bit
# configuration (mk/e2e/x86_32.config), with -Werror: x86 runs the
# registry on 32-bit too, and Hyper-V and Xen HVM guests exist there.
x86_32_objs() {
	local o make opt objs
	objs="$X86_OBJS kernel/kexec_teardown.o kernel/kexec_teardown_walk.o
		kernel/kexec_teardown_trace.o kernel/kexec_teardown_debugfs.o
		lib/test_kexec_teardown.o"
	o=$(kt_objdir "$T" x86_32)
	make="make -C $T O=$o ARCH=i386"
	if [ ! -f "$o/.config" ] ||
	   [ "$ROOT/mk/e2e/x86_32.config" -nt "$o/.config" ]; then
		$make KCONFIG_ALLCONFIG="$ROOT/mk/e2e/x86_32.config" \
			allnoconfig > /dev/null || return 1
	fi
	for opt in X86_32 KEXEC_TEARDOWN HYPERV XEN_PVHVM CRASH_DUMP \
		   TEST_KEXEC_TEARDOWN; do
		grep -q "^CONFIG_$opt=y" "$o/.config" || {
			echo "x86_32.config: CONFIG_$opt is not set"
			return 1
		}
	done
	# shellcheck disable=SC2086
	clean_objs "$o" $objs
	# shellcheck disable=SC2086
	$make -j"$JOBS" KCFLAGS=-Werror $objs > "$LOGS/x86/x86_32.out" 2>&1 || {
		tail -n 30 "$LOGS/x86/x86_32.out"
		return 1
	}
	echo "x86_32: $(grep -c "^  CC " "$LOGS/x86/x86_32.out") objects built with -Werror"
}

# The 64-bit e500 kernel (mk/e2e/e500.config): CoreNet and QEMU ppce500.
check_e500_kernel() {
	mk/e2e/build.sh "$T" "$B/e2e-e500" e500
}

# The 85xx platform (CoreNet and QEMU ppce500) in the e500 kernel's
# configuration.
check_e500_build() {
	guest_objs e500 e500 "platforms/85xx/smp.c" \
		arch/powerpc/platforms/85xx/ &&
	cross_compare e500 "^$"
}

# 64-bit e500 in QEMU's ppce500 (e6500 cores), the e500 kernel above:
# five kexecs in a row, every CPU back each time (they wait in their ePAPR
# spin tables for the next kernel), the phases in order on every CPU.
check_e2e_e500_smp2() {
	mk/e2e/kt.py --arch e500 test loop --loops 5 --smp 2
}

check_e2e_e500_smp4() {
	mk/e2e/kt.py --arch e500 test loop --loops 5 --smp 4
}

# A crash kexec: the capture kernel comes up, with /proc/vmcore holding
# one NT_PRSTATUS note per CPU.
check_e2e_e500_crash() {
	mk/e2e/kt.py --arch e500 test crash --smp 2
}

# Unpatched 6.12, same configuration, for the record: the first kexec
# loses the secondary (its spin table entry was used up at boot), the
# second oopses waking it.  Passes while 6.12 still does so.
check_e2e_e500_base() {
	local c=$B/e2e/loop2.console
	python3 mk/series.py base > /dev/null &&
	mk/e2e/build.sh build/linux-base build/e2e-e500-base e500 > /dev/null ||
		return 1
	# panic=1: the oops ends the guest at once (-no-reboot).
	if mk/e2e/kt.py --arch e500 test loop --loops 2 --smp 2 \
		--append "panic=1 oops=panic" \
		--vmlinux build/e2e-e500-base/vmlinux; then
		echo "6.12 kept every CPU: the record in README.md is stale"
		return 1
	fi
	echo "6.12, as recorded:"
	grep -m1 "timeout waiting for cpu" "$c" &&
	grep -m1 -E "Oops|BUG:|Exception in kernel mode" "$c"
}

# The post-copy call-graph check (mk/callgraph/run.sh) of three built
# kernels: pseries/powernv (the e2e kernel), PS3 (the big-endian PS3 KUnit
# kernel, with the stack protector) and a small 64-bit e500 one.  No finding
# in each, and every violation planted in a test object found, each in its
# class.  Unpatched 6.12's e2e kernel is checked too, for the record.
check_callgraph() {
	local rc=0
	mk/e2e/build.sh > /dev/null &&
	mk/e2e/build.sh "$T" "$B/e2e-ps3" ps3 > /dev/null &&
	mk/e2e/build.sh "$T" "$B/e2e-e500" e500 > /dev/null || return 1
	echo "=== pseries/powernv"
	mk/callgraph/run.sh "$B/e2e-ppc64le" $PPC_LE || rc=1
	echo "=== PS3 (big endian, stack protector)"
	mk/callgraph/run.sh "$B/e2e-ps3" $PPC_BE || rc=1
	echo "=== 64-bit e500"
	mk/callgraph/run.sh "$B/e2e-e500" $PPC_BE || rc=1
	if [ -f "$B/e2e-base/vmlinux.o" ]; then
		echo "=== unpatched 6.12 (for the record: what the series fixes)"
		CROSS_COMPILE=$PPC_LE python3 mk/callgraph/check.py "$B/e2e-base" |
			grep -v '^reachable'
	fi
	return $rc
}

# No function that the call-graph check finds reachable after the copy
# (in the ppc64le and PS3 kernels, not a list kept by hand) calls into
# KCSAN or KASAN, KCOV, UBSAN or GCOV when its objects are built with
# them, while a control object's functions do; checked per function.
check_instr() {
	mk/e2e/build.sh > /dev/null &&
	mk/e2e/build.sh "$T" "$B/e2e-ps3" ps3 > /dev/null || return 1
	mk/instr/check.sh
}

# The Coccinelle scripts: exact findings on their fixtures, none on the
# patched tree's arch/powerpc and kernel/, picked up by make coccicheck.
check_cocci() {
	mk/cocci.sh
}

# kernel-doc -none -Wall on our sources and a Sphinx build of our pages:
# 0 warnings each.
check_docs() {
	mk/docs.sh
}

if [ "${1:-}" = --baseline ]; then
	set -- $BASELINE_CHECKS
fi
checks=${*:-$ALL_CHECKS}
for c in $checks; do
	if ! declare -F "check_${c//-/_}" >/dev/null; then
		echo "check.sh: no check named $c (have: $(echo $ALL_CHECKS))"
		exit 2
	fi
done
started=$(date +%s)
for c in $checks; do
	run_check "$c"
done
[ -z "$failed_names" ] || echo "failed:$failed_names"
took=$(($(date +%s) - started))
{
	printf 'wall time: %d s (%d min %d s) for %d checks\n' "$took" \
		$((took / 60)) $((took % 60)) $((passed + failed))
	echo "$passed passed, $failed failed"
} | tee "$LOGS/summary"
[ "$failed" -eq 0 ]
