#!/bin/sh
# bench/corpus.sh --synthetic is deterministic (two builds, one digest), counts
# what it made, reuses an up-to-date corpus, and never deletes a directory
# it did not make.
#   corpus.sh SOURCE_DIR
set -eu
SRC=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$SRC/bench/corpus.sh" --synthetic 2 "$tmp/a" >"$tmp/a.txt"
"$SRC/bench/corpus.sh" --synthetic 2 "$tmp/b" >"$tmp/b.txt"
cat "$tmp/a.txt"
da=$(sed -n 's/^digest: //p' "$tmp/a.txt")
db=$(sed -n 's/^digest: //p' "$tmp/b.txt")
[ -n "$da" ] && [ "$da" = "$db" ] || fail "two builds differ: '$da' vs '$db'"
# The digest is of the files themselves, not of a listing.
(cd "$tmp/b" && find . -type f ! -path ./CORPUS.txt -print0 | sort -z | xargs -0 sha256sum |
	sha256sum | cut -d' ' -f1) >"$tmp/check"
[ "$(cat "$tmp/check")" = "$db" ] || fail "CORPUS.txt digest does not match the tree"
total=$(awk '$1 == "total" { print $2 }' "$tmp/a.txt")
[ "$total" -eq "$(find "$tmp/a" -type f ! -name CORPUS.txt | wc -l)" ] || fail "total $total"
[ -f "$tmp/a/svc1/api/llm.py" ] && [ -d "$tmp/a/svc1/lint-examples/budget" ] || fail "layout"
[ ! -e "$tmp/a/svc2" ] || fail "made 3 copies for 2"

# Up to date: nothing is rebuilt (a marker file survives).
touch "$tmp/a/svc0/marker"
"$SRC/bench/corpus.sh" --synthetic 2 "$tmp/a" >/dev/null 2>&1
[ -f "$tmp/a/svc0/marker" ] || fail "an up-to-date corpus was rebuilt"
# Another size: rebuilt.
"$SRC/bench/corpus.sh" --synthetic 1 "$tmp/a" >/dev/null 2>&1
[ ! -e "$tmp/a/svc1" ] && [ ! -f "$tmp/a/svc0/marker" ] || fail "not rebuilt for another size"

# Someone else's directory is refused and left alone.
mkdir "$tmp/mine" && echo keep >"$tmp/mine/notes.txt"
rc=0
"$SRC/bench/corpus.sh" --synthetic 1 "$tmp/mine" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] && [ "$(cat "$tmp/mine/notes.txt")" = keep ] || fail "a foreign directory: exit $rc"
echo "ok"
