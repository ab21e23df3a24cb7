#!/bin/sh
# Collect seed corpora for the fuzz targets from the repository's fixtures
# and rules: seed.sh OUT_DIR [SOURCE_DIR] makes OUT_DIR/<target>/ for each
# target, one file per seed, named by content hash (duplicates collapse).
# Generated corpora are not committed.
set -eu
out=${1:?usage: seed.sh OUT_DIR [SOURCE_DIR]}
src=${2:-$(dirname "$0")/../..}

# collect TARGET ROOTS... -- NAME-TESTS...: copy the regular files under
# ROOTS that pass the find(1) name tests into OUT_DIR/TARGET.
collect() {
	target=$1
	shift
	roots=""
	while [ "$1" != -- ]; do
		roots="$roots $1"
		shift
	done
	shift
	mkdir -p "$out/$target"
	# shellcheck disable=SC2086
	find $roots -type f -size -512k \( "$@" \) 2>/dev/null | while IFS= read -r f; do
		sum=$(sha1sum <"$f" | cut -c1-16)
		cp "$f" "$out/$target/$sum"
	done
}

cd "$src"
# tests/fuzz/seeds/<target>/ holds a few hand-written inputs (aliases,
# odd encodings) the fixtures do not cover.
seeds=tests/fuzz/seeds
collect fuzz_rule_load rules tests/data/rule-errors $seeds/fuzz_rule_load -- -name '*'
collect fuzz_config_yaml fixtures tests/e2e $seeds/fuzz_config_yaml -- -name '*.yaml' -o -name '*.yml' -o -path "$seeds/*"
collect fuzz_config_json fixtures tests/e2e $seeds/fuzz_config_json -- -name '*.json' -o -path "$seeds/*"
collect fuzz_config_toml fixtures tests/e2e $seeds/fuzz_config_toml -- -name '*.toml' -o -path "$seeds/*"
collect fuzz_dockerfile fixtures tests/e2e $seeds/fuzz_dockerfile -- -name 'Dockerfile*' -o -name '*.Dockerfile' \
	-o -name '*.dockerfile' -o -path "$seeds/*"
collect fuzz_scan_python fixtures tests/e2e $seeds/fuzz_scan_python -- -name '*.py' -o -path "$seeds/*"
collect fuzz_scan_js fixtures tests/e2e $seeds/fuzz_scan_js -- -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \
	-o -name '*.jsx' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.tsx' -o -path "$seeds/*"
for d in "$out"/*/; do
	printf '%s: %s seeds\n' "$(basename "$d")" "$(ls "$d" | wc -l)"
done
