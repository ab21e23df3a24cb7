#!/bin/sh
# The literal prefilter must never drop a finding a full parse finds: scan
# every fixture and the sample repositories with and without it and require
# identical JSON (timings normalised).
set -eu
bin=$1
src=$2
export PRODLINT_RULES_DIR="$src/rules" NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$src/fixtures" "$src/fixtures/repos/sample-service"; do
	"$bin" -f json --fail-on none -j 2 "$dir" | sed 's/"ms": [0-9]*/"ms": 0/' > "$tmp/with"
	"$bin" -f json --fail-on none -j 2 --no-prefilter "$dir" | sed 's/"ms": [0-9]*/"ms": 0/' > "$tmp/without"
	if ! cmp -s "$tmp/with" "$tmp/without"; then
		echo "prefilter changed the findings for $dir:"
		diff "$tmp/with" "$tmp/without" | head -40
		exit 1
	fi
	n=$(grep -c '"rule":' "$tmp/with" || true)
	echo "ok: $dir ($n findings either way)"
done
