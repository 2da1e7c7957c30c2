#!/bin/sh
# Install the Debian packages the build and the tests need, if missing;
# arguments name extra packages (make bench adds python3-matplotlib).
set -e
PKGS="linux-source-6.12 build-essential bc bison flex libelf-dev libssl-dev
git cpio xz-utils python3 python3-ply python3-git sparse coccinelle clang libclang-rt-14-dev
qemu-system-ppc qemu-system-x86 gcc-powerpc64le-linux-gnu gcc-powerpc64-linux-gnu
makedumpfile spin
libc6-dev-ppc64el-cross libc6-dev-ppc64-cross valgrind python3-sphinx $*"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi
echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
