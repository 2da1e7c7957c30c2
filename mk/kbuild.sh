#!/bin/sh
# Build directories shared between the patched tree and pristine 6.12.
# Sourced by mk/e2e/build.sh and mk/check.sh; ROOT is the repository.
#
# A build directory NAME lives inside the source tree it builds, as
# SRC/.kt-NAME, and build/NAME links to it.  An output directory that is a
# direct child of the source tree makes kbuild use the relative srctree
# "..", so the command an object records (its .cmd file) names no tree:
# an object built from build/linux and one built from build/linux-base
# with the same configuration and sources are the same to make.
#
# That lets a 6.12 build start from a copy of the patched build of the
# same configuration (kt_seed_base): make then compiles only what the
# series changes and what depends on it, through kbuild's own dependency
# records (fixdep's header and CONFIG_ lists, if_changed's commands),
# instead of the whole kernel again.

# kt_objdir SRC NAME: make SRC/.kt-NAME and the link build/NAME to it;
# print build/NAME.
kt_objdir() {
	_src=$(realpath -m "$1")
	_link=$ROOT/build/$2
	mkdir -p "$_src/.kt-$2" "$ROOT/build"
	if [ "$(readlink "$_link" 2>/dev/null)" != "$_src/.kt-$2" ]; then
		rm -rf "$_link"
		ln -s "$_src/.kt-$2" "$_link"
	fi
	echo "$_link"
}

# kt_seed_base PATCHED_O BASE_O: start the empty 6.12 build directory
# BASE_O (a kt_objdir of build/linux-base) as a copy of PATCHED_O, the
# patched build of the same configuration, and date the files that the
# series changes after everything the copy holds.  The rest of
# build/linux-base is dated before it ("mk/series.py base" does that when
# it checks the tree out), so make rebuilds exactly what the series
# touches.  The configuration is made again from its fragment by the
# caller (allnoconfig), which drops the series' own symbols.
kt_seed_base() {
	_files=""
	[ -f "$2/.config" ] && return 0
	[ -f "$1/.config" ] || return 0
	# A file the series deletes or renames may have shadowed another one
	# (a header earlier in the include path): the copied objects would
	# not depend on the file 6.12 uses.  Build such a series cold.
	_files=$(git -C "$ROOT/build/linux" diff --no-renames --name-only \
		 --diff-filter=D base) || return 1
	[ -z "$_files" ] || return 0
	# Against the working tree: uncommitted edits count as the series'.
	_files=$(git -C "$ROOT/build/linux" diff --no-renames --name-only \
		 base) || return 1
	cp -a "$1/." "$2/" || return 1
	# Nothing of the patched kernel's images may pass for 6.12's.
	rm -f "$2/.config" "$2/vmlinux" "$2/vmlinux.o" "$2/vmlinux.a" \
	      "$2/System.map" "$2"/arch/*/boot/*Image
	echo "$_files" | (cd "$ROOT/build/linux-base" &&
		while read -r f; do [ ! -e "$f" ] || touch "$f"; done)
}
