#!/bin/sh
# Scan-throughput benchmark on a synthetic service monorepo.
#
# Builds a corpus under ${BENCH_DIR:-/tmp/prodlint-bench}: COPIES copies
# (default 300) of the sample service and of every rule fixture, i.e. a few
# thousand Python/TypeScript/Go files, then times full scans with the
# built-in rules at -j1 and -j$(nproc) and reports wall time, throughput and
# peak memory. Uses hyperfine when installed, else a plain loop.
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-build/prodlint}
DIR=${BENCH_DIR:-/tmp/prodlint-bench}
COPIES=${COPIES:-300}

if [ ! -f "$DIR/.complete-$COPIES" ]; then
	rm -rf "$DIR"
	mkdir -p "$DIR"
	i=0
	while [ "$i" -lt "$COPIES" ]; do
		mkdir -p "$DIR/svc$i"
		cp -r fixtures/repos/sample-service/. "$DIR/svc$i/"
		find fixtures -path fixtures/repos -prune -o -type f -print | while read -r f; do
			d="$DIR/svc$i/lint-examples/$(dirname "$f")"
			mkdir -p "$d"
			cp "$f" "$d/"
		done
		i=$((i + 1))
	done
	touch "$DIR/.complete-$COPIES"
fi

files=$(find "$DIR" -type f \( -name '*.py' -o -name '*.ts' -o -name '*.tsx' -o -name '*.js' -o -name '*.go' \) | wc -l)
bytes=$(find "$DIR" -type f \( -name '*.py' -o -name '*.ts' -o -name '*.tsx' -o -name '*.js' -o -name '*.go' \) -exec cat {} + | wc -c)
echo "corpus: $DIR: $files source files, $((bytes / 1024)) KiB; $("$BIN" rules list | tail -1)"

ncpu=$(nproc)
for j in 1 "$ncpu"; do
	if command -v hyperfine >/dev/null 2>&1; then
		hyperfine --warmup 1 --runs 5 -N --style basic \
			"$BIN --fail-on none -q -j $j $DIR" 2>/dev/null | grep -E "Time|Range"
	else
		start=$(date +%s.%N)
		"$BIN" --fail-on none -q -j "$j" "$DIR" >/dev/null
		end=$(date +%s.%N)
		echo "-j $j: $(echo "$end - $start" | bc) s"
	fi
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "-j $j: peak RSS %M KiB, %e s" "$BIN" --fail-on none -q -j "$j" "$DIR" >/dev/null
	fi
done
