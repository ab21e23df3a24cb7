#!/bin/sh
# prodlint_parse_bench reads the files a scan reads: same walk (ignore files,
# size limit), same binary test, every language parsed.
#   parse_only.sh PARSE_BENCH PRODLINT
set -eu
PARSE=$1 BIN=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t=$tmp/repo
mkdir -p "$t/svc" "$t/build" "$t/deploy"
printf 'import os\nprint(os.getcwd())\n' >"$t/svc/app.py"
printf 'package main\n\nfunc main() {}\n' >"$t/svc/main.go"
printf 'export const x: number = 1;\n' >"$t/svc/x.ts"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' >"$t/deploy/cm.yaml"
printf 'FROM debian:12\nRUN true\n' >"$t/Dockerfile"
printf '#!/usr/bin/env python3\nprint(1)\n' >"$t/svc/tool"         # by shebang
printf 'build/\n' >"$t/.gitignore"
printf 'print(2)\n' >"$t/build/gen.py"                                # ignored
printf 'a\000b\n' >"$t/svc/blob.py"                                   # binary
head -c 3000 /dev/zero | tr '\0' '#' >"$t/svc/big.py"                 # over --max-file-size
mkdir -p "$t/svc/vendored"
printf 'print(3)\n' >"$t/svc/vendored/lib.py"                        # excluded by the project
printf 'exclude:\n  - svc/vendored/\n' >"$t/.prodlint.yaml"            # (itself YAML: in scope)
printf 'hello\n' >"$t/README.md"                                      # not a language (nor is .gitignore)
printf 'export declare const y: number;\n' >"$t/svc/y.d.ts"           # a declaration: no built-in rule reads it
{ printf 'var a='; head -c 1500 /dev/zero | tr '\0' '1'; printf ';\n'; } >"$t/svc/lib.min.js"  # minified

out=$("$PARSE" --max-file-size 2000 "$t" 2>"$tmp/err")
echo "$out"
cat "$tmp/err"
fail() { echo "FAIL: $*"; exit 1; }
# app.py, main.go, x.ts, cm.yaml, .prodlint.yaml, Dockerfile, tool
echo "$out" | grep -q '^parse-only: 7 files, ' || fail "expected 7 files parsed"
grep -q '^skipped: 2 ignored, 1 too large, 1 minified, 1 binary, 2 unsupported, 0 special, 0 unreadable, 1 declarations' "$tmp/err" || fail "skip counts"
for lang in python go typescript yaml dockerfile; do
	grep -q "^$lang " "$tmp/err" || fail "no $lang row"
done
grep -q '^python  *2 ' "$tmp/err" || fail "python: app.py and the shebang script"

# The scan agrees on what is in scope: files scanned plus files no rule
# reads (the declaration file among them).
# One small Python rule keeps this quick (the built-in pack takes seconds to
# compile, many more under the sanitizers); the binary file is Python, so
# the scan reads it and tells it apart.
cat >"$tmp/rule.yaml" <<'RULE'
id: reliability/bench-print-call
title: A print call
severity: note
category: reliability
checklist: [RD1]
rationale: Only for the parse-only benchmark's test.
remediation: None.
match:
  - languages: [python]
    query: |
      (call function: (identifier) @f (#eq? @f "print")) @call
RULE
"$BIN" --no-cache --stats --fail-on none -q --no-builtin-rules --rules "$tmp/rule.yaml" \
	--max-file-size 2000 "$t" >/dev/null 2>"$tmp/stats" || true
cat "$tmp/stats"
scanned=$(sed -n 's/^prodlint: \([0-9]*\) files scanned.*/\1/p' "$tmp/stats")
norule=$(sed -n 's/.* \([0-9]*\) with no rule for them.*/\1/p' "$tmp/stats")
grep -q ' 2 ignored, 1 binary, 1 too large, 1 minified, 2 unsupported' "$tmp/stats" || fail "scan skip counts differ"
[ "$((scanned + norule))" -eq 8 ] || fail "scan saw $scanned + $norule files, parse-only 7 and a declaration"

# A usage error is exit 2; an unreadable root too.
rc=0; "$PARSE" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "no DIR: exit $rc"
rc=0; "$PARSE" "$tmp/missing" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "missing DIR: exit $rc"
echo "ok"
