#!/bin/sh
# The kexec teardown Coccinelle scripts: each on its fixture (exactly the
# expected findings), all of them over the patched tree's arch/powerpc,
# kernel/ and (the files with a script's tokens of) arch/x86 (exactly the
# findings mk/cocci-patched.expected lists, each left on purpose),
# through "make coccicheck" once; with --record also over pristine 6.12
# (findings listed in build/cocci-6.12.txt, for the README).
#
# mk/cocci.sh --whole-tree [SCRIPT...] (not part of make check) runs the
# scripts, one at a time, over the arch/, drivers/, kernel/ and lib/ of
# pristine 6.12 and of the patched tree (DIRS=... for others), into
# build/cocci-wholetree-{6.12,patched}-SCRIPT.txt.  Each script runs on
# each file on its own, and only on the files that hold a token without
# which none of its rules can match (tokens() below): spatch --dir parses
# every file, and spent over 20 minutes in drivers/gpu/drm/amd's register
# headers alone.  A script takes 15 s to 6 min this way.
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

# Tokens without which a script cannot match anything in a file.
tokens() {
	case $1 in
	kexec_teardown_post_copy) echo 'KEXEC_TEARDOWN|hpte_clear_all' ;;
	kexec_teardown_static) echo 'kexec_teardown|kexec_cpu_down|machine_ops' ;;
	kexec_secondary_id) echo 'kexec_cpu_down|lv1_|plpar_hcall|opal_|rtas_call' ;;
	*) echo . ;;
	esac
}

wscan() {	# TREE OUT SCRIPT DIR...
	tree=$1 out=$2 c=$3
	shift 3
	sp=$T/scripts/coccinelle/api/$c.cocci
	opts=$(sed -n 's|^// Options: ||p' "$sp")
	tmp=$(mktemp -d)
	(cd "$tree" && grep -rlE --include='*.[ch]' "$(tokens "$c")" "$@") |
		sort > "$tmp/files"
	# shellcheck disable=SC2016
	(cd "$tree" && xargs -P 2 -n 1 sh -c 'spatch --very-quiet -D report \
		$0 --sp-file "$1" "$3" > "$2/$(echo "$3" | tr / _).out" \
		2>/dev/null' "$opts" "$sp" "$tmp" < "$tmp/files") || true
	cat "$tmp"/*.out 2>/dev/null | sed "s|^$tree/||" | sort -u |
		sed "s|^|$c: |" > "$out"
	echo "$c: $(wc -l < "$tmp/files") files with $(tokens "$c")"
	rm -rf "$tmp"
}

if [ "$1" = "--whole-tree" ]; then
	shift
	[ $# -gt 0 ] && SCRIPTS="$*"
		for c in $SCRIPTS; do
		for t in 6.12 patched; do
			tree=$BASE dirs=${DIRS:-arch drivers kernel lib}
			[ $t = patched ] && tree=$T
			out=$ROOT/build/cocci-wholetree-$t-$c.txt
			start=$(date +%s)
			# shellcheck disable=SC2086
			wscan "$tree" "$out" $c $dirs
			echo "$c on $t ($dirs): $(wc -l < "$out") findings," \
				"$(($(date +%s) - start)) s -> $out"
		done
	done
	exit 0
fi

echo "== fixtures"
make -s -C "$T/tools/testing/kexec_teardown/cocci" check

# arch/x86, through the files with each script's tokens.
scan_x86() {	# TREE OUT
	for c in $SCRIPTS; do
		wscan "$1" "$2.$c" "$c" arch/x86 > /dev/null
		cat "$2.$c" >> "$2"
		rm -f "$2.$c"
	done
}

echo "== patched tree: arch/powerpc, kernel/ and arch/x86"
scan "$T" "$ROOT/build/cocci-patched.txt" arch/powerpc kernel
scan_x86 "$T" "$ROOT/build/cocci-patched.txt"
cat "$ROOT/build/cocci-patched.txt"
n=$(wc -l < "$ROOT/build/cocci-patched.txt")
echo "patched tree: $n findings, $(grep -v '^#' "$ROOT/mk/cocci-patched.expected" | grep -c .) expected"
# Exactly the findings the series leaves on purpose (each with its reason
# in mk/cocci-patched.expected), no other.
grep -v '^#' "$ROOT/mk/cocci-patched.expected" | sort > "$ROOT/build/cocci-patched.want"
sort "$ROOT/build/cocci-patched.txt" | diff -u "$ROOT/build/cocci-patched.want" - ||
	{ echo "patched tree: findings differ from mk/cocci-patched.expected"; n=-1; }

echo "== make coccicheck MODE=report on the static-storage fixture"
make -s -C "$T" coccicheck MODE=report \
	COCCI="$T/scripts/coccinelle/api/kexec_teardown_static.cocci" \
	M=tools/testing/kexec_teardown/cocci > "$ROOT/build/coccicheck.txt" 2>&1 || true
grep "static.c:" "$ROOT/build/coccicheck.txt" || true
cc=$(grep -c "static.c:" "$ROOT/build/coccicheck.txt" || true)
want=$(wc -l < "$T/tools/testing/kexec_teardown/cocci/static.expected")
echo "coccicheck: $cc findings, $want expected"

# Pristine 6.12 only with --record (56 s; for the README's table): it
# gates nothing.
if [ "${1:-}" = "--record" ] && [ -d "$BASE/kernel" ]; then
	echo "== pristine 6.12"
	scan "$BASE" "$ROOT/build/cocci-6.12.txt" arch/powerpc kernel
	scan_x86 "$BASE" "$ROOT/build/cocci-6.12.txt"
	cat "$ROOT/build/cocci-6.12.txt"
	echo "pristine 6.12: $(wc -l < "$ROOT/build/cocci-6.12.txt") findings"
fi
[ "$n" -ge 0 ] && [ "$cc" -eq "$want" ]
