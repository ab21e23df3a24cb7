#!/bin/sh
# The fuzz_smoke test: smoke.sh SOURCE_DIR TARGET_BINARY... runs each target
# for $PRODLINT_FUZZ_SECONDS seconds (default 10) from a sample of the seed
# corpus (seed.sh), all targets at once. Fails if any target finds a
# crash, a leak, a timeout or runs out of memory; the reproducer is left in
# ./fuzz-artifacts/ (the test's working directory, i.e. the build tree).
set -eu
src=$1
shift
secs=${PRODLINT_FUZZ_SECONDS:-10}
work=$(mktemp -d "${TMPDIR:-/tmp}/prodlint-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
artifacts=$(pwd)/fuzz-artifacts
mkdir -p "$artifacts"
sh "$src/tests/fuzz/seed.sh" "$work/corpus" "$src" >/dev/null
# libFuzzer runs the whole seed corpus before it looks at the clock: keep
# every k-th seed (names are content hashes, so a fair sample), at most 24.
for d in "$work"/corpus/*/; do
	n=$(ls "$d" | wc -l)
	k=$(((n + 23) / 24))
	[ "$k" -gt 1 ] || continue
	ls "$d" | awk -v k="$k" 'NR % k != 1' | (cd "$d" && xargs rm -f)
done

for bin in "$@"; do
	echo "$bin"
done | xargs -P 0 -I{} sh -c '
	bin=$1 work=$2 secs=$3 artifacts=$4
	name=$(basename "$bin")
	mkdir -p "$work/new-$name"
	if "$bin" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$name-" "$work/new-$name" "$work/corpus/$name" \
		>"$work/$name.log" 2>&1; then
		echo "ok   $name: $(grep -m1 -o "stat::number_of_executed_units: *[0-9]*" "$work/$name.log" | grep -o "[0-9]*$") runs in ${secs}s"
	else
		echo "FAIL $name (reproducer in $artifacts):"
		tail -n 60 "$work/$name.log"
		exit 1
	fi
' sh {} "$work" "$secs" "$artifacts"
