#!/bin/sh
# The kexec teardown Coccinelle scripts: each on its fixture (exactly the
# expected findings), all of them over the patched tree's arch/powerpc and
# kernel/ (no finding), through "make coccicheck" once, and over pristine
# 6.12 (findings listed in build/cocci-6.12.txt, for the README).
#
# mk/cocci.sh --whole-tree [SCRIPT...] (not part of make check) runs the
# scripts, one at a time, over pristine 6.12's arch/, drivers/ and kernel/
# and over the directories of the patched tree that the series changes
# (PATCHED_DIRS=... to widen it), into
# build/cocci-wholetree-{6.12,patched}-SCRIPT.txt: about half an hour per
# script on two cores, most of it in drivers/.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$ROOT/build/linux
BASE=$ROOT/build/linux-base
SCRIPTS="kexec_teardown_post_copy kexec_teardown_static kexec_secondary_id"

scan() {	# TREE OUT DIR...
	tree=$1 out=$2
	shift 2
	: > "$out"
	for c in $SCRIPTS; do
		sp=$T/scripts/coccinelle/api/$c.cocci
		opts=$(sed -n 's|^// Options: ||p' "$sp")
		for d in "$@"; do
			# shellcheck disable=SC2086
			(cd "$tree" && spatch --very-quiet -D report $opts -j 2 \
				--sp-file "$sp" --dir "$d" 2>/dev/null) |
				sed "s|^$tree/||" | sort -u | sed "s|^|$c: |" >> "$out"
		done
	done
}

if [ "$1" = "--whole-tree" ]; then
	shift
	[ $# -gt 0 ] && SCRIPTS="$*"
	: "${PATCHED_DIRS:=arch/powerpc kernel lib drivers/video/fbdev drivers/tty/hvc}"
	for c in $SCRIPTS; do
		for t in 6.12 patched; do
			if [ $t = 6.12 ]; then
				tree=$BASE dirs="arch drivers kernel"
			else
				tree=$T dirs=$PATCHED_DIRS
			fi
			out=$ROOT/build/cocci-wholetree-$t-$c.txt
			start=$(date +%s)
			# shellcheck disable=SC2086
			SCRIPTS=$c scan "$tree" "$out" $dirs
			echo "$c on $t ($dirs): $(wc -l < "$out") findings," \
				"$(($(date +%s) - start)) s -> $out"
		done
	done
	exit 0
fi

echo "== fixtures"
make -s -C "$T/tools/testing/kexec_teardown/cocci" check

echo "== patched tree: arch/powerpc and kernel/"
scan "$T" "$ROOT/build/cocci-patched.txt" arch/powerpc kernel
cat "$ROOT/build/cocci-patched.txt"
n=$(wc -l < "$ROOT/build/cocci-patched.txt")
echo "patched tree: $n findings"

echo "== make coccicheck MODE=report on the static-storage fixture"
make -s -C "$T" coccicheck MODE=report \
	COCCI="$T/scripts/coccinelle/api/kexec_teardown_static.cocci" \
	M=tools/testing/kexec_teardown/cocci > "$ROOT/build/coccicheck.txt" 2>&1 || true
grep "static.c:" "$ROOT/build/coccicheck.txt" || true
cc=$(grep -c "static.c:" "$ROOT/build/coccicheck.txt" || true)
want=$(wc -l < "$T/tools/testing/kexec_teardown/cocci/static.expected")
echo "coccicheck: $cc findings, $want expected"

if [ -d "$BASE/kernel" ]; then
	echo "== pristine 6.12"
	scan "$BASE" "$ROOT/build/cocci-6.12.txt" arch/powerpc kernel
	cat "$ROOT/build/cocci-6.12.txt"
	echo "pristine 6.12: $(wc -l < "$ROOT/build/cocci-6.12.txt") findings"
fi
[ "$n" -eq 0 ] && [ "$cc" -eq "$want" ]
