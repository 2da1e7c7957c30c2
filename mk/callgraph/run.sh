#!/bin/sh
# The post-copy call-graph check (check.py) on one kernel build, and on the
# same build with planted violations, so that it cannot pass by finding
# nothing:
#  - the build's vmlinux.o: no finding; the functions reachable after the
#    copy are left in $B/callgraph/reachable.txt (with their objects and
#    sources), which mk/instr/check.sh checks in instrumented builds;
#  - planted.c compiled with the build's flags and checked with it: each
#    planted step reported in exactly its class (planted.expected), the
#    clean control not at all;
#  - planted.c's instrumented step compiled once per instrumentation
#    (KASAN, KCSAN, KCOV, UBSAN, ftrace), under a name of its own each
#    time: each reported as instrumented.
# Usage: mk/callgraph/run.sh BUILD_DIR CROSS_COMPILE
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
B=$(realpath "$1")
export CROSS_COMPILE=$2
OUT=$B/callgraph
CHECK="python3 $HERE/check.py"
mkdir -p "$OUT"
fail=0

# "root class" of each finding from a planted step (those of the build
# itself are the clean run's): the step it was found from, and what.
classes() {
	sed -n 's/^FINDING \([^:]*\): \(kt_planted_[^ :]*\).*/\2 \1/p' |
		LC_ALL=C sort -u
}

echo "== $B/vmlinux.o"
if $CHECK --reachable "$OUT/reachable.txt" "$B" > "$OUT/clean.txt"; then
	tail -n 1 "$OUT/clean.txt"
else
	cat "$OUT/clean.txt"
	echo "not ok: findings in the build"
	fail=1
fi
head -n 2 "$OUT/clean.txt"

echo "== planted violations"
case $CROSS_COMPILE in
powerpc64le-*)	ftrace="-pg -mprofile-kernel" ;;
*)		ftrace="-pg" ;;
esac
objs=$OUT/planted.o
$CHECK --compile "$B" "$HERE/planted.c" "$OUT/planted.o" || exit 1
for instr in \
	"kasan:-fsanitize=kernel-address -fasan-shadow-offset=0xa80e000000000000 --param asan-instrumentation-with-call-threshold=0 --param asan-stack=0 --param asan-globals=0" \
	"kcsan:-fsanitize=thread --param tsan-distinguish-volatile=1" \
	"kcov:-fsanitize-coverage=trace-pc" \
	"ubsan:-fsanitize=shift" \
	"ftrace:-fno-omit-frame-pointer $ftrace"; do
	name=${instr%%:*}
	# shellcheck disable=SC2086
	$CHECK --compile "$B" "$HERE/planted.c" "$OUT/planted-$name.o" \
		-DKT_PLANT_INSTR=kt_planted_$name ${instr#*:} || exit 1
	objs="$objs $OUT/planted-$name.o"
done
# shellcheck disable=SC2086
$CHECK "$B" "$B/vmlinux.o" $objs > "$OUT/planted.txt"
classes < "$OUT/planted.txt" > "$OUT/planted.classes"
if diff -u "$HERE/planted.expected" "$OUT/planted.classes"; then
	echo "ok: $(wc -l < "$OUT/planted.classes") planted violations reported, each in its class"
	grep '^FINDING instrumented' "$OUT/planted.txt"
else
	echo "not ok: planted violations (expected -, found +)"
	fail=1
fi
exit $fail
