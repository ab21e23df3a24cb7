#!/bin/sh
# The ast-grep rules of bench/ast-grep find what they claim and leave the
# correct code alone (their cases: bench/ast-grep/rule-tests). Needs the
# pinned ast-grep, which bench/compare.sh installs into bench/.cache; this
# test never installs it.
#   ast_grep_rules.sh SOURCE_DIR
set -eu
SRC=$(cd "$1" && pwd)
SG=${AST_GREP:-}
if [ -z "$SG" ]; then
	for b in "${BENCH_CACHE:-$SRC/bench/.cache}"/npm/node_modules/@ast-grep/cli-linux-*/ast-grep; do
		[ -x "$b" ] && SG=$b
	done
fi
if [ -z "$SG" ]; then
	echo "SKIP: ast-grep is not installed (bench/compare.sh installs the pinned one)"
	exit 0
fi
cd "$SRC/bench/ast-grep"
n=$(ls rules | wc -l)
[ "$n" -eq 15 ] || { echo "FAIL: $n rules, the comparison is with 15"; exit 1; }
# Every rule has its cases.
for r in rules/*.yml; do
	id=$(sed -n 's/^id: //p' "$r")
	grep -qx "id: $id" rule-tests/*.yml || { echo "FAIL: no test cases for $id"; exit 1; }
done
"$SG" test --skip-snapshot-tests --color never
