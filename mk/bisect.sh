#!/bin/sh
# Build every patch of the series in turn (a worktree at each commit, kept
# build directories): the ppc64le guest kernel for every patch, the PS3
# and 64-bit e500 platform code for the patches that touch it, and the x86
# code (the x86_64 guest configuration's arch/x86/kernel, xen, hyperv, and
# the registry), with -Werror, for the patches that touch arch/x86.
# Not part of make check (a cold run takes about 20 minutes).
# KT_FROM=N and KT_TO=M limit the run to patches N to M.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$ROOT/build/linux
W=$ROOT/build/linux-bisect
LOG=$ROOT/build/bisect.log
python3 "$ROOT/mk/series.py" import > /dev/null
if [ ! -d "$W/kernel" ]; then
	git -C "$T" worktree add -q --detach "$W" base
fi
: > "$LOG"
fail=0
n=0
for c in $(git -C "$T" rev-list --reverse base..HEAD); do
	n=$((n + 1))
	# KT_FROM=N KT_TO=M: only patches N to M (a partial run, say so).
	[ "$n" -lt "${KT_FROM:-1}" ] && continue
	[ -n "${KT_TO:-}" ] && [ "$n" -gt "$KT_TO" ] && break
	subject=$(git -C "$T" log -1 --format=%s "$c")
	git -C "$W" checkout -q "$c"
	ok=ok
	rm -f "$ROOT/build/bisect-ppc64le/.config"
	"$ROOT/mk/e2e/build.sh" "$W" "$ROOT/build/bisect-ppc64le" >> "$LOG" 2>&1 || ok=FAILED
	for p in ps3:ps3_defconfig:arch/powerpc/platforms/ps3/ \
		 e500:corenet64_smp_defconfig:arch/powerpc/platforms/85xx/; do
		name=${p%%:*}; rest=${p#*:}; defconfig=${rest%%:*}; dir=${rest#*:}
		git -C "$T" diff --quiet "$c^" "$c" -- "$dir" \
			drivers/video/fbdev/ps3fb.c && continue
		o=$ROOT/build/bisect-$name
		m="make -C $W O=$o ARCH=powerpc CROSS_COMPILE=powerpc64-linux-gnu-"
		if [ ! -f "$o/.config" ]; then
			$m "$defconfig" >> "$LOG" 2>&1
			"$W/scripts/config" --file "$o/.config" --enable KEXEC
			$m olddefconfig >> "$LOG" 2>&1
		fi
		targets=$dir
		[ "$name" = ps3 ] && targets="$dir drivers/video/fbdev/ps3fb.o"
		{ $m -j"$(nproc)" prepare && $m -j"$(nproc)" $targets; } \
			>> "$LOG" 2>&1 || ok="FAILED ($name)"
	done
	if ! git -C "$T" diff --quiet "$c^" "$c" -- arch/x86; then
		o=$ROOT/build/bisect-x86_64
		m="make -C $W O=$o ARCH=x86_64"
		[ -f "$o/.config" ] ||
			$m KCONFIG_ALLCONFIG="$ROOT/mk/e2e/x86_64.config" \
				allnoconfig >> "$LOG" 2>&1
		$m -j"$(nproc)" KCFLAGS=-Werror arch/x86/kernel/ arch/x86/xen/ \
			arch/x86/hyperv/ kernel/kexec_teardown.o \
			kernel/kexec_teardown_walk.o kernel/kexec_teardown_trace.o \
			kernel/kexec_teardown_debugfs.o \
			lib/test_kexec_teardown.o >> "$LOG" 2>&1 ||
			ok="FAILED (x86)"
	fi
	echo "$ok  $n $subject"
	[ "$ok" = ok ] || fail=1
done
exit $fail
