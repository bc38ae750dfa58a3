#!/bin/sh
# Installs the Debian packages tally needs to build, test and render reports
# (lua5.4 and luarocks: the tests load tally.so into a stock interpreter and build
# it from the rockspec).
# Quick when everything is present: one dpkg-query, no apt-get.
# Usage: scripts/deps.sh [build|bench|fuzz]   (default: build)
set -eu

BUILD="make gcc pkg-config liblua5.4-dev libcsv-dev libjson-c-dev libcairo2-dev \
libpango1.0-dev zlib1g-dev iso-codes fonts-dejavu-core fonts-noto-core fonts-wqy-microhei \
poppler-utils miller valgrind gettext locales-all libpoppler-glib-dev libxml2-dev tzdata qpdf sqlite3 \
lua5.4 luarocks time"
BENCH="miller gnuplot-nox hyperfine time"
# libFuzzer is in libclang-rt-14-dev, only a recommended package of clang
FUZZ="clang libclang-rt-14-dev"

case "${1:-build}" in
	build) want=$BUILD ;;
	bench) want="$BUILD $BENCH" ;;
	fuzz) want="$BUILD $FUZZ" ;;
	*) echo "usage: $0 [build|bench|fuzz]" >&2; exit 1 ;;
esac

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
# DuckDB runs through node: Debian's nodejs and npm unless a node is already on PATH
if [ "${1:-build}" = bench ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "tally needs these Debian packages:$missing" >&2
	echo "install them with:  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
