#!/bin/sh
# install-deps.sh {build|test|bench} -- install missing Debian packages.
#
# `make`, `make demo`, `make test` and `make bench` call this first so that
# each works as the first command typed on a fresh Debian 12 machine.  It
# asks dpkg what is missing and installs only that, with apt-get (as root,
# or through sudo when it is there).  The package lists are the README's.
set -eu

# libevent-dev and nettle-dev: libunbound.pc names them, so pkg-config
# (ours and a library user's) fails without them.  libc6-dev: gcc only
# recommends it, and --no-install-recommends leaves gcc without stdio.h.
# libidn2-dev, libunistring-dev, libgmp-dev: the CLI links its libraries
# statically (see the Makefile's CLI_LINK), and these carry the archives of
# libpsl's and nettle's own dependencies.
BUILD_PKGS="gcc libc6-dev make pkg-config libunbound-dev libevent-dev nettle-dev libgmp-dev libssl-dev libjansson-dev libpsl-dev libidn2-dev libunistring-dev"
TEST_PKGS="$BUILD_PKGS libyaml-dev clang nsd ldnsutils python3-dkim opendkim-tools jq"
BENCH_PKGS="$BUILD_PKGS nsd hyperfine libspf2-dev python3-spf spfquery libmail-spf-perl libsisimai-perl python3-dkim opendkim-tools"

case "${1:-build}" in
build) want=$BUILD_PKGS ;;
test) want=$TEST_PKGS ;;
bench) want=$BENCH_PKGS ;;
*) echo "install-deps.sh: unknown set '$1' (build, test or bench)" >&2; exit 64 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "mailtriage: installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "mailtriage: need root (or sudo) to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
