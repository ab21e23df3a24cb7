#!/bin/sh
# The fuzz_smoke test: smoke.sh SOURCE_DIR TARGET_BINARY... first runs each
# target once on every input in tests/fuzz/regressions/<target>/ (crashes
# found and fixed before), then fuzzes it for $PRODLINT_FUZZ_SECONDS seconds
# (default 10) from a sample of the seed corpus (seed.sh), with its
# dictionary (dict/<target>.dict) if it has one, two targets at a time (the
# machine is shared). Fails if any target finds a crash, a leak, a
# timeout or runs out of memory; the reproducer is left in ./fuzz-artifacts/
# (the test's working directory, i.e. the build tree).
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
done | xargs -P 2 -I{} sh -c '
	bin=$1 work=$2 secs=$3 artifacts=$4 src=$5
	name=$(basename "$bin")
	opts="-timeout=25 -rss_limit_mb=2048 -artifact_prefix=$artifacts/$name-"
	reg="$src/tests/fuzz/regressions/$name"
	nreg=0
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		nreg=$(ls "$reg" | wc -l)
		# With file arguments libFuzzer runs each file once and stops.
		if ! "$bin" $opts "$reg"/* >"$work/$name.reg.log" 2>&1; then
			echo "FAIL $name: a regression input crashes again (tests/fuzz/regressions/$name):"
			tail -n 60 "$work/$name.reg.log"
			exit 1
		fi
	fi
	mkdir -p "$work/new-$name"
	dict="$src/tests/fuzz/dict/$name.dict"
	[ ! -f "$dict" ] || opts="$opts -dict=$dict"
	if "$bin" -max_total_time="$secs" -print_final_stats=1 $opts \
		"$work/new-$name" "$work/corpus/$name" >"$work/$name.log" 2>&1; then
		echo "ok   $name: $nreg regression input(s), $(grep -m1 -o "stat::number_of_executed_units: *[0-9]*" "$work/$name.log" | grep -o "[0-9]*$") runs in ${secs}s"
	else
		echo "FAIL $name (reproducer in $artifacts):"
		tail -n 60 "$work/$name.log"
		exit 1
	fi
' sh {} "$work" "$secs" "$artifacts" "$src"
