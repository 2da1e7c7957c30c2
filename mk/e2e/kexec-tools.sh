#!/bin/sh
# Fetch Debian's kexec-tools for a guest architecture, without touching the
# host's dpkg: a private apt state (no foreign architecture added to the
# host, whose ppc64el security index can be out of sync and fail
# "apt-get update"), then dpkg-deb -x.  Prints the path of /sbin/kexec.
# Usage: mk/e2e/kexec-tools.sh [DEB_ARCH [DIR]]
#        (default ppc64el into build/apt-ppc64el; amd64 for the x86_64 guest)
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
A=${1:-ppc64el}
P=$(realpath -m "${2:-$ROOT/build/apt-$A}")
if [ ! -x "$P/root/sbin/kexec" ]; then
	rm -rf "$P"
	mkdir -p "$P/state/lists/partial" "$P/cache/archives/partial" \
		 "$P/parts" "$P/dl"
	# Debian's own sources, without the security suite (kexec-tools is
	# not in it, and its index is the one that was seen out of sync).
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		awk 'BEGIN{RS="";ORS="\n\n"} !/security/' \
			/etc/apt/sources.list.d/debian.sources > "$P/parts/debian.sources"
	else
		grep -v security /etc/apt/sources.list > "$P/parts/debian.list"
	fi
	O="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$P/parts
	   -o Dir::State=$P/state -o Dir::Cache=$P/cache
	   -o APT::Architecture=$A -o APT::Architectures=$A"
	# shellcheck disable=SC2086
	apt-get -q $O update >/dev/null
	# kexec-tools and the libraries it links beyond libc (amd64's links
	# Xen's, for Xen dom0 support), into root/; the guest takes the ones
	# "ldd" names.
	# shellcheck disable=SC2086
	libs=$(apt-cache $O depends kexec-tools |
		awk '$1 == "Depends:" && $2 ~ /^lib/ && $2 != "libc6" { print $2 }')
	# shellcheck disable=SC2086
	[ -z "$libs" ] || libs=$(apt-cache $O depends --recurse --no-recommends \
		--no-suggests --no-conflicts --no-breaks --no-replaces \
		--no-enhances --no-pre-depends $libs | grep "^lib" |
		grep -Ev "^(libc6|libgcc-s1)$" | sort -u)
	# shellcheck disable=SC2086
	(cd "$P/dl" && apt-get -q $O download kexec-tools $libs >/dev/null 2>&1)
	for d in "$P"/dl/*.deb; do
		dpkg-deb -x "$d" "$P/root"
	done
fi
echo "$P/root/sbin/kexec"
