#!/bin/sh
# The powerpc fixes alone: build the ppc64le guest kernel at the end of
# the powerpc-kexec-fixes sub-series (patches/subseries), before the
# registry, with lkdtm, and test it (mk/e2e/kt.py fixes): the fixes'
# KUnit suites (powerpc_kexec: the bounded wait, the wait after the copy
# for the parked secondaries; powerpc_rtas_restart: the restart that
# gives a kexec up) on a 4-CPU pseries guest, radix and hash; a
# five-kexec loop that keeps every CPU; the starved-vCPU reproducer at
# -smp 8 (radix and hash with stop-self, radix with kexec_stop_self=0);
# and a CPU locked up with interrupts off (lkdtm's HARDLOCKUP), which
# must turn the kexec into a firmware reboot.  Not part of make check (a
# kernel build of its own); "make fixes" runs it and the README records
# the result.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$ROOT/build/linux
W=$ROOT/build/linux-fixes
python3 "$ROOT/mk/series.py" import > /dev/null
last=$(awk -F'\t' '$2 == "powerpc-kexec-fixes" { split($1, r, "-"); print r[2] }' \
	"$ROOT/patches/subseries")
[ -n "$last" ] || { echo "fixes: no powerpc-kexec-fixes in patches/subseries"; exit 1; }
c=$(git -C "$T" rev-list --reverse base..HEAD | sed -n "${last}p")
if [ ! -d "$W/kernel" ]; then
	git -C "$T" worktree add -q --detach "$W" "$c"
else
	git -C "$W" checkout -q "$c"
fi
echo "fixes: patch $last, $(git -C "$T" log -1 --format='%h %s' "$c")"
# The e2e guest's config and LKDTM, whose HARDLOCKUP hangs a CPU with
# interrupts off for the hang test (the registry's test module is not
# there yet).
F=$ROOT/build/fixes.config
{ cat "$ROOT/mk/e2e/pseries.config"; echo CONFIG_LKDTM=y; } > "$F.new"
cmp -s "$F.new" "$F" && rm "$F.new" || mv "$F.new" "$F"
KT_FRAG=$F "$ROOT/mk/e2e/build.sh" "$W" "$ROOT/build/fixes-ppc64le" > "$ROOT/build/fixes-build.log" 2>&1 ||
	{ tail -20 "$ROOT/build/fixes-build.log"; exit 1; }
exec "$ROOT/mk/e2e/kt.py" fixes --vmlinux "$ROOT/build/fixes-ppc64le/vmlinux"
