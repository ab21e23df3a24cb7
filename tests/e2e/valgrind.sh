#!/bin/sh
# The end-to-end paths under Valgrind's Memcheck (issue 9): no invalid read
# or write, no use of uninitialised memory, no definite leak, and the exit
# codes the scans must give.
#
# usage: valgrind.sh PRODLINT SOURCE_DIR [SANITIZED]
#   SANITIZED: 1 (or ON) when PRODLINT is an ASan build (CMake passes it for
#   PRODLINT_SANITIZE and PRODLINT_FUZZ); Valgrind cannot run those, so the
#   test is skipped.
#
# Runs, each checked:
#   - a text scan of fixtures/repos/sample-service at -j 2, cold cache: exit 1;
#   - a JSON scan of it at -j 2, from the cache the first one wrote: exit 1,
#     the same number of findings;
#   - a SARIF scan of fixtures/repos/good-service: exit 0, SARIF 2.1.0;
#   - `rules test` for a code, a config, a repository and a meta rule (with
#     the two fact files they need) against their fixtures: exit 0;
#   - `--staged` in a scratch git repository (a copy of the sample service)
#     with one new file staged: exit 1, a finding in it, 1 file scanned.
# Only the first run compiles every language's queries, which under Valgrind
# takes most of the time; the others read the per-file cache where the
# scan itself is not what they test (good-service is scanned natively
# first, the staged copy shares the sample service's entries).
# tests/e2e/valgrind.supp hides PCRE2's JIT code, which Memcheck misreads.
set -eu
prodlint=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
sanitized=${3:-OFF}

case $sanitized in
1 | ON | on | TRUE | true | YES | yes)
	echo "SKIP: a sanitizer build: Valgrind cannot run AddressSanitizer binaries"
	exit 0
	;;
esac
if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: valgrind is not installed"
	exit 0
fi
if ! command -v git >/dev/null 2>&1; then
	echo "SKIP: git is not installed (the --staged run needs it)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/prodlint-valgrind.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CACHE_HOME="$tmp/cache" HOME="$tmp/home" NO_COLOR=1 PRODLINT_RULES_DIR="$src/rules"
unset PRODLINT_NO_CACHE PRODLINT_TODAY
mkdir -p "$HOME"
sample="$src/fixtures/repos/sample-service"
good="$src/fixtures/repos/good-service"

fail() {
	echo "FAIL: $*"
	exit 1
}

# vg NAME EXPECTED-EXIT ARGS...: run prodlint under Memcheck from the current
# directory; stdout to $tmp/NAME.out, stderr (with Valgrind's report) to
# $tmp/NAME.err.
vg() {
	name=$1
	want=$2
	shift 2
	t0=$(date +%s)
	rc=0
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --num-callers=30 --suppressions="$src/tests/e2e/valgrind.supp" \
		"$prodlint" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
	if [ "$rc" -eq 99 ]; then
		cat "$tmp/$name.err"
		fail "$name: Valgrind found errors (above)"
	fi
	if [ "$rc" -ne "$want" ]; then
		tail -n 40 "$tmp/$name.out" "$tmp/$name.err"
		fail "$name: exit $rc, expected $want"
	fi
	echo "ok: $name (exit $rc, $(($(date +%s) - t0)) s)"
}

# count FILE: the number of findings in a JSON or SARIF report.
count() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(len(d["findings"]) if "findings" in d else sum(len(r["results"]) for r in d["runs"]))' "$1"
}

cd "$src"
vg text 1 -j 2 "$sample"
n=$(sed -n 's/^\([0-9][0-9]*\) findings\{0,1\} (.*/\1/p' "$tmp/text.out")
[ -n "$n" ] && [ "$n" -gt 0 ] || fail "text: no summary line with findings"

vg json 1 -j 2 -f json "$sample"
[ "$(count "$tmp/json.out")" = "$n" ] || fail "json: $(count "$tmp/json.out") findings, text said $n"

"$prodlint" -f sarif "$good" >/dev/null # warm the cache natively
vg sarif 0 -f sarif "$good"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(d["version"] != "2.1.0" or any(r["results"] for r in d["runs"]))' "$tmp/sarif.out" ||
	fail "sarif: not SARIF 2.1.0 without results"

vg rules-test 0 rules test --no-builtin-rules --rules rules/facts/llm.yaml --rules rules/facts/evals.yaml \
	--rules rules/rollback/floating-model-alias.yaml \
	--rules rules/data-access/k8s-privileged-container.yaml \
	--rules rules/eval-gate/deploy-without-eval.yaml \
	--rules rules/meta/malformed-suppression.yaml fixtures
grep -q '^4 rules passed, 0 failed' "$tmp/rules-test.out" || fail "rules test: not 4 rules passed"

repo="$tmp/repo"
cp -R "$sample" "$repo"
cd "$repo"
git init -q
git add -A
git -c user.name=t -c user.email=t@example.com commit -q -m base
cat >api/extra.py <<'EOF'
import openai

client = openai.OpenAI()
client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])
EOF
git add api/extra.py
vg staged 1 --staged
grep -q '^api/extra.py:4:' "$tmp/staged.out" || fail "staged: no finding in the staged file"
# Repository-level findings the new model call is part of are reported at
# their own evidence; the file findings come from the one target only.
grep -q ' in 1 file, ' "$tmp/staged.out" || fail "staged: the summary does not say 1 file"
echo "valgrind: all runs clean"
