#!/bin/sh
# The engine's shortcuts must never change a result: scan every fixture and
# the sample repositories as usual (the literal prefilter, one merged query
# per language), without the prefilter (every file parsed), and with each
# rule's query run on its own, and require identical JSON (timings
# normalised).
set -eu
bin=$1
src=$2
export PRODLINT_RULES_DIR="$src/rules" NO_COLOR=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for dir in "$src/fixtures" "$src/fixtures/repos/sample-service"; do
	"$bin" -f json --fail-on none -j 2 --no-cache "$dir" | sed 's/"ms": [0-9]*/"ms": 0/' > "$tmp/usual"
	for variant in --no-prefilter --separate-queries; do
		"$bin" -f json --fail-on none -j 2 "$variant" "$dir" | sed 's/"ms": [0-9]*/"ms": 0/' > "$tmp/other"
		if ! cmp -s "$tmp/usual" "$tmp/other"; then
			echo "$variant changed the findings for $dir:"
			diff "$tmp/usual" "$tmp/other" | head -40
			exit 1
		fi
	done
	n=$(grep -c '"rule":' "$tmp/usual" || true)
	echo "ok: $dir ($n findings in each way)"
done
