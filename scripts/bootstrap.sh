#!/bin/sh
# Install what is missing (Debian packages, pinned npm packages), then build.
# Safe to re-run: it installs only what is absent.
set -eu
cd "$(dirname "$0")/.."

# Debian packages the build and the tests need (pre-commit: the hook's end-to-end test;
# clang and its runtime libraries, libFuzzer among them: the fuzz targets;
# valgrind: the valgrind test).
PACKAGES="build-essential cmake pkg-config git nodejs npm
libcyaml-dev libyaml-dev libpcre2-dev libjansson-dev libgit2-dev libxxhash-dev
libcmocka-dev python3 python3-jsonschema pre-commit clang libclang-rt-dev valgrind"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# node/npm may come from elsewhere (nvm, NodeSource): accept any working npm.
if command -v npm >/dev/null 2>&1; then
	missing=$(printf '%s\n' $missing | grep -vx -e nodejs -e npm | tr '\n' ' ' || true)
fi
if [ -n "$(echo $missing)" ]; then
	echo "bootstrap: installing:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# Tree-sitter runtime and grammars, pinned with integrity hashes in package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.prodlint-lock 2>/dev/null; then
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp package-lock.json node_modules/.prodlint-lock
fi

BUILD_DIR=${BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
