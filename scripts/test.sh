#!/bin/sh
# Build and run the whole test suite: unit tests, rule fixtures, end-to-end
# golden tests; then the same suite under AddressSanitizer + UBSan; then a
# short libFuzzer run of every fuzz target (tests/fuzz, built with clang).
# Set PRODLINT_SKIP_SANITIZE=1 or PRODLINT_SKIP_FUZZ=1 to skip those passes
# while iterating; PRODLINT_FUZZ_SECONDS sets the fuzzing time per target.
set -eu
cd "$(dirname "$0")/.."

BUILD_DIR=build CMAKE_ARGS="-DPRODLINT_WERROR=ON" scripts/bootstrap.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" -LE slow

if [ "${PRODLINT_SKIP_SANITIZE:-0}" != 1 ]; then
	echo "== sanitizer build (ASan + UBSan)"
	BUILD_DIR=build-asan CMAKE_ARGS="-DPRODLINT_WERROR=ON -DPRODLINT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug" \
		scripts/bootstrap.sh
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build-asan --output-on-failure -j "$(nproc)"
fi
if [ "${PRODLINT_SKIP_FUZZ:-0}" != 1 ]; then
	secs=${PRODLINT_FUZZ_SECONDS:-5}
	echo "== fuzz smoke (libFuzzer, ${secs} s per target)"
	CC=clang BUILD_DIR=build-fuzz CMAKE_ARGS="-DPRODLINT_WERROR=ON -DPRODLINT_FUZZ=ON -DPRODLINT_TESTS=OFF" \
		scripts/bootstrap.sh
	PRODLINT_FUZZ_SECONDS=$secs ctest --test-dir build-fuzz -R fuzz_smoke --output-on-failure
fi
echo "all tests passed"
