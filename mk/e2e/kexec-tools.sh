#!/bin/sh
# Fetch Debian's ppc64el kexec-tools for the guest, without touching the
# host's dpkg: a private apt state (no foreign architecture added to the
# host, whose ppc64el security index can be out of sync and fail
# "apt-get update"), then dpkg-deb -x.  Prints the path of /sbin/kexec.
# Usage: mk/e2e/kexec-tools.sh [DIR]   (default build/apt-ppc64el)
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
P=$(realpath -m "${1:-$ROOT/build/apt-ppc64el}")
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
	   -o APT::Architecture=ppc64el -o APT::Architectures=ppc64el"
	# shellcheck disable=SC2086
	apt-get -q $O update >/dev/null
	# shellcheck disable=SC2086
	(cd "$P/dl" && apt-get -q $O download kexec-tools >/dev/null)
	dpkg-deb -x "$P"/dl/kexec-tools_*.deb "$P/root"
fi
echo "$P/root/sbin/kexec"
