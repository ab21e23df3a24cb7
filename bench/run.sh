#!/bin/sh
# Scan-throughput benchmark on a synthetic service monorepo (no installs,
# no network; bench/compare.sh is the full comparison on real code).
#
# Builds a corpus under ${BENCH_DIR:-/tmp/prodlint-bench} with
# `bench/corpus.sh --synthetic COPIES` (default 300): copies of the sample
# service, each with every rule fixture beside it, i.e. a few thousand
# Python/TypeScript/Go/config files; then times full scans with the built-in
# rules, without the cache, at -j1 and -j$(nproc) and reports wall time and
# peak memory. Uses hyperfine when installed, else a plain loop.
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-build/prodlint}
DIR=${BENCH_DIR:-/tmp/prodlint-bench}
COPIES=${COPIES:-300}

# A corpus made by the previous version of this script (marked .complete-N) is ours to replace.
if [ ! -f "$DIR/CORPUS.txt" ] && ls "$DIR"/.complete-* >/dev/null 2>&1; then
	rm -rf "$DIR"
fi
bench/corpus.sh --synthetic "$COPIES" "$DIR" >/dev/null

files=$(find "$DIR" -type f \( -name '*.py' -o -name '*.ts' -o -name '*.tsx' -o -name '*.js' -o -name '*.go' \) | wc -l)
bytes=$(find "$DIR" -type f \( -name '*.py' -o -name '*.ts' -o -name '*.tsx' -o -name '*.js' -o -name '*.go' \) -exec cat {} + | wc -c)
echo "corpus: $DIR: $files source files, $((bytes / 1024)) KiB; $("$BIN" rules list | tail -1)"

ncpu=$(nproc)
for j in 1 "$ncpu"; do
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine --warmup 1 --runs 5 -N --style basic \
			"$BIN --no-cache --fail-on none -q -j $j $DIR" 2>/dev/null | grep -E "Time|Range"
	else
		start=$(date +%s.%N)
		"$BIN" --no-cache --fail-on none -q -j "$j" "$DIR" >/dev/null
		end=$(date +%s.%N)
		echo "-j $j: $(echo "$end - $start" | bc) s"
	fi
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "-j $j: peak RSS %M KiB, %e s" "$BIN" --no-cache --fail-on none -q -j "$j" "$DIR" >/dev/null
	fi
done
