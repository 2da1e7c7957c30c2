#!/bin/sh
# The kexec teardown Coccinelle scripts: each on its fixture (exactly the
# expected findings), all of them over the patched tree's arch/powerpc and
# kernel/ (no finding), through "make coccicheck" once, and over pristine
# 6.12 (findings listed in build/cocci-6.12.txt, for the README).
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$ROOT/build/linux
BASE=$ROOT/build/linux-base
SCRIPTS="kexec_teardown_post_copy kexec_teardown_static kexec_secondary_id"

echo "== fixtures"
make -s -C "$T/tools/testing/kexec_teardown/cocci" check

scan() {	# TREE OUT
	: > "$2"
	for c in $SCRIPTS; do
		sp=$T/scripts/coccinelle/api/$c.cocci
		opts=$(sed -n 's|^// Options: ||p' "$sp")
		for d in arch/powerpc kernel; do
			# shellcheck disable=SC2086
			(cd "$1" && spatch --very-quiet -D report $opts -j 2 \
				--sp-file "$sp" --dir "$d" 2>/dev/null) |
				sed "s|^$1/||" | sort -u | sed "s|^|$c: |" >> "$2"
		done
	done
}

echo "== patched tree: arch/powerpc and kernel/"
scan "$T" "$ROOT/build/cocci-patched.txt"
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
	scan "$BASE" "$ROOT/build/cocci-6.12.txt"
	cat "$ROOT/build/cocci-6.12.txt"
	echo "pristine 6.12: $(wc -l < "$ROOT/build/cocci-6.12.txt") findings"
fi
[ "$n" -eq 0 ] && [ "$cc" -eq "$want" ]
