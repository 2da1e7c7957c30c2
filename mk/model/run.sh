#!/bin/bash
# The Promela model of the kexec CPU handoff (handoff.pml), checked with
# spin, and checked against the code it stands for:
#  - every variant in ./expected: the good ones verify (no assertion
#    violated, no LTL property broken), the bad ones fail with the
#    violation stated there, and their counterexample (spin -t) tells the
#    story stated there;
#  - every function in the model's mapping table (its MAP| lines) is still
#    defined in the tree, and its code string still in that file.
# One line per variant: result, states stored per run, time.  Exit status
# non-zero on any mismatch.  pan is built and run in a temporary
# directory, which is removed.
#
# Usage: mk/model/run.sh [TREE [BASE]]
#   TREE  the patched kernel tree (default: build/linux)
#   BASE  pristine 6.12, for the "base:" lines of the table
#         (default: TREE/../linux-base)
#   --map-only  only the check against the tree
# Environment: MODEL_FILE (default: handoff.pml here), MODEL_EXPECTED
# (default: expected here), MODEL_ONLY (a regular expression: only the
# variants whose name matches).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
map_only=0
if [ "${1:-}" = --map-only ]; then
	map_only=1
	shift
fi
TREE=${1:-$ROOT/build/linux}
BASE=${2:-$TREE/../linux-base}
PML=${MODEL_FILE:-$HERE/handoff.pml}
EXPECTED=${MODEL_EXPECTED:-$HERE/expected}
fail=0

for tool in spin gcc; do
	command -v $tool >/dev/null || { echo "model: $tool not found (apt-get install spin gcc)"; exit 1; }
done
[ -f "$PML" ] || { echo "model: no $PML"; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/model.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

trim() { sed 's/^[ ]*//; s/[ ]*$//'; }

# ---------------------------------------------------------------------
# The mapping table against the tree
check_map() {
	local n=0 bad=0 step fn file code path re
	while IFS='|' read -r _ step fn file code; do
		step=$(printf '%s' "$step" | trim)
		fn=$(printf '%s' "$fn" | trim)
		file=$(printf '%s' "$file" | trim)
		code=$(printf '%s' "$code" | trim)
		n=$((n + 1))
		case $file in
		base:*)	path=$BASE/${file#base:} ;;
		*)	path=$TREE/$file ;;
		esac
		if [ ! -f "$path" ]; then
			echo "DRIFT  $step: $file: no such file"
			bad=$((bad + 1))
			continue
		fi
		case $file in
		*.S)	re="((_GLOBAL|_GLOBAL_TOC|SYM_FUNC_START|SYM_FUNC_START_LOCAL|SYM_CODE_START|SYM_CODE_START_LOCAL)\\($fn\\)|^$fn:|^#define[[:space:]]+$fn\\b)" ;;
		*)	re="(^([A-Za-z_][A-Za-z0-9_[:space:]*]*[[:space:]*])?$fn\\(|^#define[[:space:]]+$fn\\b|^DEFINE_[A-Z_]+\\($fn\\))" ;;
		esac
		if ! grep -Eq "$re" "$path"; then
			echo "DRIFT  $step: $fn is not defined in $file"
			bad=$((bad + 1))
		elif [ -n "$code" ] && ! grep -qF -- "$code" "$path"; then
			echo "DRIFT  $step: $file no longer has: $code"
			bad=$((bad + 1))
		fi
	done < <(grep '^ \* MAP|' "$PML")
	if [ "$n" -eq 0 ]; then
		echo "DRIFT  no MAP| lines in $PML"
		return 1
	fi
	if [ "$bad" -eq 0 ]; then
		echo "ok    mapping table: $n steps, every function and code string found in $TREE"
		return 0
	fi
	echo "FAIL  mapping table: $bad of $n steps no longer match the tree"
	return 1
}

check_map || fail=1
[ $map_only = 1 ] && exit $fail

# ---------------------------------------------------------------------
# The variants
total_start=$(date +%s.%N)
nvar=0
nbad=0

# build DIR DEFS CLAIMS(0|1): spin -a and gcc in DIR
build() {
	local dir=$1 defs=$2 claims=$3 cflags="-w -O0"
	mkdir -p "$dir" && cp "$PML" "$dir/handoff.pml" || return 1
	# shellcheck disable=SC2086
	(cd "$dir" && spin $defs -a handoff.pml > spin.out 2>&1) || {
		cat "$dir/spin.out"
		return 1
	}
	[ "$claims" = 1 ] || cflags="$cflags -DNOCLAIM -DSAFETY"
	# shellcheck disable=SC2086
	(cd "$dir" && gcc $cflags -o pan pan.c) 2>&1 | head -20
	[ -x "$dir/pan" ]
}

# story DIR DEFS: the MODEL: lines of the counterexample in DIR
story() {
	[ -f "$1/handoff.pml.trail" ] || return 0
	# shellcheck disable=SC2086
	(cd "$1" && spin $2 -t handoff.pml 2>/dev/null) | sed -n 's/^ *MODEL: //p'
}

# variant NAME DEFS RUNS EXPECT STORYRE: build, run and judge one variant;
# its lines on stdout, 1 if it is not as expected.
variant() {
	local name=$1 defs=$2 runs=$3 expect=$4 storyre=$5
	local start d ok summary key run dir claims args label out states
	local violation trail t
	start=$(date +%s.%N)
	d=$TMP/$name
	ok=1
	summary=""
	key=""
	for run in $runs; do
		case $run in
		safety)	dir=$d/safety; claims=0; args="-E" ; label=safety ;;
		ltl:*)	dir=$d/ltl; claims=1; args="-a -N ${run#ltl:}"; label=${run#ltl:} ;;
		*)	echo "FAIL  $name: unknown run $run"; ok=0; continue ;;
		esac
		if [ ! -x "$dir/pan" ] && ! build "$dir" "$defs" "$claims"; then
			echo "FAIL  $name: spin or gcc failed"
			ok=0
			continue
		fi
		rm -f "$dir"/*.trail
		# shellcheck disable=SC2086
		(cd "$dir" && ./pan -m100000 $args > "pan-$label.out" 2>&1)
		out=$dir/pan-$label.out
		states=$(sed -n 's/^ *\([0-9][0-9]*\) states, stored.*/\1/p' "$out" | head -n 1)
		summary="$summary${summary:+, }$label ${states:-?}"
		if grep -Eq "max search depth too small|out of memory" "$out"; then
			echo "FAIL  $name: $label: search incomplete:"
			grep -E "max search depth too small|out of memory" "$out" | sed 's/^/      | /'
			ok=0
		elif [ "$expect" = ok ]; then
			if ! grep -q "errors: 0" "$out" || grep -q "Search not completed" "$out"; then
				echo "FAIL  $name: $label: expected to verify, got:"
				grep -E "^pan:|errors:" "$out" | sed 's/^/      | /'
				story "$dir" "$defs" | sed 's/^/      | /'
				ok=0
			fi
		else
			if ! grep -Eq "errors: [1-9]" "$out" || ! grep -Eq -- "$expect" "$out"; then
				echo "FAIL  $name: $label: expected a violation matching /$expect/, got:"
				grep -E "^pan:|errors:" "$out" | sed 's/^/      | /'
				ok=0
				continue
			fi
			violation=$(grep -Eo -- "$expect" "$out" | head -n 1)
			trail=$(story "$dir" "$defs")
			key=$(printf '%s\n' "$trail" | grep -E -- "$storyre" | head -n 1)
			if [ -n "$storyre" ] && [ -z "$key" ]; then
				echo "FAIL  $name: $label: counterexample without /$storyre/:"
				printf '%s\n' "$trail" | sed 's/^/      | /'
				ok=0
			fi
			summary="$summary: $violation"
		fi
	done
	t=$(echo "$(date +%s.%N) - $start" | bc)
	if [ $ok = 1 ]; then
		printf 'ok    %-22s %s states  %.1f s\n' "$name" "$summary" "$t"
		[ -n "$key" ] && printf '      %-22s > %s\n' "" "$key"
	else
		printf 'FAIL  %-22s %s states  %.1f s\n' "$name" "$summary" "$t"
		return 1
	fi
	rm -rf "$d"
}

# The variants run two at a time (one per core), each into a file of its
# own, printed in the order of the table.
jobs_max=${MODEL_JOBS:-$(nproc)}
while IFS="|" read -r name defs runs expect storyre; do
	name=$(printf '%s' "$name" | trim)
	case $name in ''|'#'*) continue ;; esac
	if [ -n "${MODEL_ONLY:-}" ] && ! printf '%s' "$name" | grep -Eq -- "$MODEL_ONLY"; then
		continue
	fi
	defs=$(printf '%s' "$defs" | trim)
	runs=$(printf '%s' "$runs" | trim)
	expect=$(printf '%s' "$expect" | trim)
	storyre=$(printf "%s" "$storyre" | trim)
	nvar=$((nvar + 1))
	( variant "$name" "$defs" "$runs" "$expect" "$storyre" \
		> "$TMP/out.$nvar" 2>&1; echo $? > "$TMP/rc.$nvar" ) &
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n
	done
done < "$EXPECTED"
wait
for i in $(seq 1 "$nvar"); do
	cat "$TMP/out.$i"
	if [ "$(cat "$TMP/rc.$i" 2>/dev/null)" != 0 ]; then
		nbad=$((nbad + 1))
		fail=1
	fi
done

t=$(echo "$(date +%s.%N) - $total_start" | bc)
if [ $fail = 0 ]; then
	printf 'model: %d variants as expected in %.0f s\n' "$nvar" "$t"
else
	printf 'model: %d of %d variants not as expected (%.0f s)\n' "$nbad" "$nvar" "$t"
fi
exit $fail
