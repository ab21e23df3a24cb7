#!/bin/sh
# Collect seed corpora for the fuzz targets from the repository's fixtures
# and rules: seed.sh OUT_DIR [SOURCE_DIR] makes OUT_DIR/<target>/ for each
# target, one file per seed, named by content hash (duplicates collapse).
# Generated corpora are not committed.
set -eu
out=${1:?usage: seed.sh OUT_DIR [SOURCE_DIR]}
src=${2:-$(dirname "$0")/../..}

# add TARGET PREFIX FILE: copy FILE into OUT_DIR/TARGET, after PREFIX (the
# targets that take a selector byte first: fuzz_scan_ts, fuzz_suppress).
add() {
	mkdir -p "$out/$1"
	sum=$( (printf '%s' "$2" && cat "$3") | sha1sum | cut -c1-16)
	(printf '%s' "$2" && cat "$3") >"$out/$1/$sum"
}

# collect TARGET [-p PREFIX] ROOTS... -- NAME-TESTS...: copy the regular files
# under ROOTS that pass the find(1) name tests into OUT_DIR/TARGET.
collect() {
	target=$1
	shift
	prefix=""
	if [ "$1" = -p ]; then
		prefix=$2
		shift 2
	fi
	roots=""
	while [ "$1" != -- ]; do
		roots="$roots $1"
		shift
	done
	shift
	mkdir -p "$out/$target"
	# shellcheck disable=SC2086
	find $roots -type f -size -512k \( "$@" \) 2>/dev/null | while IFS= read -r f; do
		add "$target" "$prefix" "$f"
	done
}

# fuzz_suppress's selector byte for a file, by name ('0'..'7', the order of
# langs[] in fuzz_suppress.c); empty for a language without comments.
suppress_lang() {
	case $1 in
	*.py) echo 0 ;;
	*.js | *.mjs | *.cjs | *.jsx) echo 1 ;;
	*.ts | *.mts | *.cts) echo 2 ;;
	*.tsx) echo 3 ;;
	*.go) echo 4 ;;
	*.yaml | *.yml) echo 5 ;;
	*Dockerfile* | *.dockerfile) echo 6 ;;
	*.toml) echo 7 ;;
	esac
}

cd "$src"
# tests/fuzz/seeds/<target>/ holds a few hand-written inputs (aliases,
# odd encodings) the fixtures do not cover.
seeds=tests/fuzz/seeds
collect fuzz_rule_load rules tests/data/rule-errors $seeds/fuzz_rule_load -- -name '*'
collect fuzz_relax $seeds/fuzz_relax -- -name '*'
collect fuzz_config_yaml fixtures tests/e2e $seeds/fuzz_config_yaml -- -name '*.yaml' -o -name '*.yml' -o -path "$seeds/*"
collect fuzz_config_json fixtures tests/e2e $seeds/fuzz_config_json -- -name '*.json' -o -path "$seeds/*"
collect fuzz_config_toml fixtures tests/e2e $seeds/fuzz_config_toml -- -name '*.toml' -o -path "$seeds/*"
collect fuzz_dockerfile fixtures tests/e2e $seeds/fuzz_dockerfile -- -name 'Dockerfile*' -o -name '*.Dockerfile' \
	-o -name '*.dockerfile' -o -path "$seeds/*"
collect fuzz_scan_python fixtures tests/e2e $seeds/fuzz_scan_python -- -name '*.py' -o -path "$seeds/*"
collect fuzz_scan_js fixtures tests/e2e $seeds/fuzz_scan_js -- -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \
	-o -name '*.jsx' -o -path "$seeds/fuzz_scan_js/*"
collect fuzz_scan_ts -p 0 fixtures tests/e2e -- -name '*.ts' -o -name '*.mts' -o -name '*.cts'
collect fuzz_scan_ts -p 1 fixtures tests/e2e -- -name '*.tsx'
collect fuzz_scan_ts $seeds/fuzz_scan_ts -- -name '*'
collect fuzz_scan_go fixtures tests/e2e $seeds/fuzz_scan_go -- -name '*.go' -o -path "$seeds/*"
# .prodlint.yaml: the e2e cases' files, the invalid ones of the unit tests.
collect fuzz_project tests/e2e/cases tests/data/project-errors $seeds/fuzz_project -- \
	-name '.prodlint.yaml' -o -name 'prodlint.yaml' -o -path 'tests/data/project-errors/*' -o -path "$seeds/*"
# Suppressions: each file that has one, and each of its marker lines alone.
collect fuzz_suppress $seeds/fuzz_suppress -- -name '*'
grep -rl --exclude-dir=node_modules prodlint-ignore fixtures tests/e2e 2>/dev/null | while IFS= read -r f; do
	sel=$(suppress_lang "$f")
	[ -n "$sel" ] || continue
	add fuzz_suppress "$sel" "$f"
	grep prodlint-ignore "$f" | while IFS= read -r line; do
		printf '%s\n' "$line" >"$out/line"
		add fuzz_suppress "$sel" "$out/line"
	done
done
rm -f "$out/line"
for d in "$out"/*/; do
	printf '%s: %s seeds\n' "$(basename "$d")" "$(ls "$d" | wc -l)"
done
