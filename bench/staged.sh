#!/bin/sh
# The pre-commit case: one staged file in a repository of several thousand.
#
# Builds a git repository under ${BENCH_DIR:-/tmp/prodlint-bench-staged}:
# COPIES (default 10) copies of fixtures/repos/sample-service, each with
# every rule fixture beside it (about 450 files a copy), committed; then
# stages one changed Python file and times, with hyperfine:
#   staged, cold cache   prodlint --staged, the cache emptied before each run
#   staged, warm cache   prodlint --staged, the cache kept
#   full scan, no cache  prodlint --no-cache . (what every run cost before)
#   full scan, warm      prodlint . with the cache kept
# and prints how each compares with the full scan without cache (means, and
# best runs, which a busy machine disturbs least). The cache lives in a
# directory of its own, never the user's. Needs git and hyperfine.
set -eu
cd "$(dirname "$0")/.."
BIN=$(realpath "${BIN:-build/prodlint}")
DIR=${BENCH_DIR:-/tmp/prodlint-bench-staged}
COPIES=${COPIES:-10}
RUNS=${RUNS:-10}
CACHE="$DIR.cache"

command -v hyperfine >/dev/null 2>&1 || { echo "bench/staged.sh: hyperfine is needed" >&2; exit 2; }
export GIT_CONFIG_NOSYSTEM=1 HOME="$DIR.home" XDG_CACHE_HOME="$CACHE" NO_COLOR=1
unset PRODLINT_NO_CACHE
mkdir -p "$HOME"

if [ ! -f "$DIR/.git/complete-$COPIES" ]; then
	rm -rf "$DIR"
	mkdir -p "$DIR"
	i=0
	while [ "$i" -lt "$COPIES" ]; do
		mkdir -p "$DIR/svc$i/lint-examples"
		cp -r fixtures/repos/sample-service/. "$DIR/svc$i/"
		(cd fixtures && find . -path ./repos -prune -o -type f -print) | while read -r f; do
			d="$DIR/svc$i/lint-examples/$(dirname "$f")"
			mkdir -p "$d"
			cp "fixtures/$f" "$d/"
		done
		i=$((i + 1))
	done
	(cd "$DIR" && git init -q -b main . && git add -A &&
		git -c user.name=bench -c user.email=bench@example.invalid commit -qm corpus)
	touch "$DIR/.git/complete-$COPIES"
fi

# One changed file, staged.
(cd "$DIR" && git checkout -q -- . &&
	printf '\n\ndef tldr(text):\n    return client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": text}])\n' >>svc0/api/llm.py &&
	git add svc0/api/llm.py)

files=$(cd "$DIR" && git ls-files | wc -l)
echo "corpus: $DIR: $files files in git, 1 staged; $("$BIN" rules list | tail -1); $(nproc) CPUs"
"$BIN" --version

json="$DIR.hyperfine.json"
cd "$DIR"
hyperfine --style basic --runs "$RUNS" --export-json "$json" \
	--command-name "staged, cold cache" --prepare "rm -rf '$CACHE'" \
	"'$BIN' --staged --fail-on none -q" \
	--command-name "staged, warm cache" --prepare "'$BIN' --staged --fail-on none -q >/dev/null" \
	"'$BIN' --staged --fail-on none -q" \
	--command-name "full scan, no cache" --prepare "true" \
	"'$BIN' --no-cache --fail-on none -q ." \
	--command-name "full scan, warm cache" --prepare "'$BIN' --fail-on none -q . >/dev/null" \
	"'$BIN' --fail-on none -q ." 2>&1 | grep -Ev '^ *$'

python3 - "$json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
full = r["full scan, no cache"]
print()
print(f"{'':22} {'mean':>8} {'best':>8}   share of a full scan without cache (mean, best)")
for name in ("staged, cold cache", "staged, warm cache", "full scan, warm cache",
             "full scan, no cache"):
    m, b = r[name]["mean"], r[name]["min"]
    print(f"{name:22} {m * 1000:6.0f}ms {b * 1000:6.0f}ms   {m / full['mean'] * 100:5.1f}%, "
          f"{b / full['min'] * 100:5.1f}%")
EOF
