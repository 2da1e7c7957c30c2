#!/bin/sh
# Check the series' documentation: kernel-doc -none -Wall on our sources,
# then a Sphinx build of just our pages (core-api and arch/powerpc), with
# the kernel's Sphinx extensions; both must give 0 warnings.
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$ROOT/build/linux
SRC=$ROOT/build/docs/src
OUT=$ROOT/build/docs/html
export KT_TREE=$T

echo "== kernel-doc -none -Wall"
cd "$T"
scripts/kernel-doc -none -Wall include/linux/kexec_teardown.h \
	kernel/kexec_teardown.c kernel/kexec_teardown_walk.c \
	kernel/kexec_teardown_trace.c kernel/kexec_teardown_debugfs.c \
	kernel/kexec_teardown_internal.h \
	kernel/kexec_teardown_kunit.c arch/powerpc/platforms/pseries/kexec.c \
	lib/test_kexec_teardown.c > "$ROOT/build/docs-kerneldoc.log" 2>&1 || true
cat "$ROOT/build/docs-kerneldoc.log"
kd=$(grep -c "warning\|error" "$ROOT/build/docs-kerneldoc.log" || true)
echo "kernel-doc: $kd warnings"

echo "== sphinx-build of our pages"
rm -rf "$SRC" "$OUT"
mkdir -p "$SRC/core-api" "$SRC/arch/powerpc"
ln -s "$T/Documentation/core-api/kexec_teardown.rst" "$SRC/core-api/"
ln -s "$T/Documentation/arch/powerpc/kexec.rst" "$SRC/arch/powerpc/"
cp "$ROOT/mk/docs/conf.py" "$SRC/conf.py"
cat > "$SRC/index.rst" <<EOT
kexec teardown
==============

.. toctree::

   core-api/kexec_teardown
   arch/powerpc/kexec
EOT
# Debian's sphinx-build and python3 (the kernel-doc extension needs perl).
rc=0
PATH=/usr/bin:$PATH sphinx-build -b html -q -w "$ROOT/build/docs-sphinx.log" \
	"$SRC" "$OUT" || rc=$?
cat "$ROOT/build/docs-sphinx.log"
[ $rc -eq 0 ] || { echo "sphinx-build failed ($rc)"; exit 1; }
sw=$(grep -c "WARNING\|ERROR" "$ROOT/build/docs-sphinx.log" || true)
echo "sphinx: $sw warnings; html in ${OUT#$ROOT/}"
test -f "$OUT/core-api/kexec_teardown.html"
test -f "$OUT/arch/powerpc/kexec.html"
grep -q "kexec_teardown_register" "$OUT/core-api/kexec_teardown.html"
[ "$kd" -eq 0 ] && [ "$sw" -eq 0 ]
