#!/bin/sh
# prodlint against parsing everything and against ast-grep, on any directory
# (issue 8's targets), with a Markdown table to paste into the README.
#
#   bench/compare.sh DIR          e.g. a corpus from bench/corpus.sh
#
# Five commands over the same tree, each RUNS times (default 5), in
# alternating rounds (the order rotates every round, so a slow spell on a
# shared machine is spread over all of them), after an untimed parse-only
# pass that reads every file into the page cache:
#   prodlint -j1, prodlint -jN  the full built-in pack, --no-cache
#   parse-only                  prodlint_parse_bench: every in-scope file parsed,
#                               one thread, no rules (the floor for parsing everything)
#   ast-grep -j1, ast-grep -jN  the 15 rules of bench/ast-grep, hidden files
#                               included as prodlint includes them
# N is JOBS (default: nproc). Every run is measured with /usr/bin/time: wall
# time, CPU time (user + system) and peak RSS. Reported: medians, the
# largest peak RSS, and the ratios the issue's targets name.
#
# Environment: BIN (prodlint), PARSE_BENCH (prodlint_parse_bench), default
# build-bench/, built as a Release build when absent; PRODLINT_ARGS (more
# scan options, e.g. `--ignore RULE`); AST_GREP (default the one pinned in
# bench/package-lock.json, installed into bench/.cache; with NO_AST_GREP=1
# its rows are left out); RUNS; JOBS; RAW (a file for every run's numbers,
# as TSV); KEEP (a directory to keep the first round's output and errors
# in, which is otherwise read for the finding counts and deleted).
set -eu
. "$(dirname "$0")/common.sh"
cd "$BENCH_REPO"

[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: bench/compare.sh DIR" >&2; exit 2; }
DIR=$(cd "$1" && pwd)
RUNS=${RUNS:-5}
JOBS=${JOBS:-$(nproc)}
[ -x /usr/bin/time ] || { echo "bench/compare.sh: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

if [ -z "${BIN:-}" ] || [ -z "${PARSE_BENCH:-}" ]; then
	if [ ! -x build-bench/prodlint ] || [ ! -x build-bench/bench/prodlint_parse_bench ]; then
		echo "bench/compare.sh: building build-bench (Release)" >&2
		cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
		nice -n 10 cmake --build build-bench -j "$(nproc)" --target prodlint prodlint_parse_bench >/dev/null
	fi
fi
BIN=$(realpath "${BIN:-build-bench/prodlint}")
PARSE_BENCH=$(realpath "${PARSE_BENCH:-build-bench/bench/prodlint_parse_bench}")
SG=""
if [ "${NO_AST_GREP:-0}" != 1 ]; then
	SG=$(bench_ast_grep)
fi
SGCONFIG=$BENCH_HERE/ast-grep/sgconfig.yml
# prodlint leaves minified bundles out (README, "What is scanned"), and its
# built-in rules do not read TypeScript declaration files: so does ast-grep here
SG_SKIP="--globs '!*.min.js' --globs '!*.min.mjs' --globs '!*.min.cjs' --globs '!*.d.ts' --globs '!*.d.mts' --globs '!*.d.cts'"

export PRODLINT_NO_CACHE=1 NO_COLOR=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
RAW=${RAW:-$work/raw.tsv}

# name<TAB>command, one a line; commands are run by sh -c.
{
	printf 'prodlint -j1\t"%s" --no-cache --fail-on none --color never %s -j 1 "%s"\n' "$BIN" "${PRODLINT_ARGS:-}" "$DIR"
	printf 'prodlint -j%s\t"%s" --no-cache --fail-on none --color never %s -j %s "%s"\n' "$JOBS" "$BIN" "${PRODLINT_ARGS:-}" "$JOBS" "$DIR"
	printf 'parse-only\t"%s" "%s"\n' "$PARSE_BENCH" "$DIR"
	if [ -n "$SG" ]; then
		printf 'ast-grep -j1\t"%s" scan -c "%s" --no-ignore hidden $SG_SKIP --report-style short -j 1 "%s"\n' "$SG" "$SGCONFIG" "$DIR"
		printf 'ast-grep -j%s\t"%s" scan -c "%s" --no-ignore hidden $SG_SKIP --report-style short -j %s "%s"\n' "$JOBS" "$SG" "$SGCONFIG" "$JOBS" "$DIR"
	fi
} >"$work/commands"
ncmd=$(wc -l <"$work/commands")

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
echo "machine: $(nproc) CPUs ($cpu), $mem RAM; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$BIN" --version >&2
[ -z "$SG" ] || "$SG" --version >&2

# Warm-up: every in-scope file into the page cache (and the corpus size).
"$PARSE_BENCH" "$DIR" >"$work/parse.out" 2>"$work/parse.err"
cat "$work/parse.out" "$work/parse.err" | sed 's/^/  /' >&2

printf 'command\trun\twall_s\tcpu_s\tpeak_rss_kib\texit\n' >"$RAW"
round=1
while [ "$round" -le "$RUNS" ]; do
	i=0
	while [ "$i" -lt "$ncmd" ]; do
		# Rotate: round r starts with command r.
		line=$(( (i + round - 1) % ncmd + 1 ))
		name=$(sed -n "${line}p" "$work/commands" | cut -f1)
		cmd=$(sed -n "${line}p" "$work/commands" | cut -f2-)
		rc=0
		out=/dev/null err=/dev/null
		if [ "$round" = 1 ]; then
			out=$work/out.$line err=$work/err.$line
		fi
		/usr/bin/time -f '%e %U %S %M' -o "$work/time" sh -c "$cmd" >"$out" 2>"$err" || rc=$?
		tail -1 "$work/time" | awk -v n="$name" -v r="$round" -v rc="$rc" \
			'{ printf "%s\t%s\t%s\t%.2f\t%s\t%s\n", n, r, $1, $2 + $3, $4, rc }' >>"$RAW"
		i=$((i + 1))
	done
	echo "round $round/$RUNS done; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
	round=$((round + 1))
done
[ "${RAW}" = "$work/raw.tsv" ] || echo "every run: $RAW" >&2

# What each found (first round): one line per finding in both tools' text output.
n=1
while [ "$n" -le "$ncmd" ]; do
	name=$(sed -n "${n}p" "$work/commands" | cut -f1)
	case "$name" in
	prodlint*) echo "$name: $(grep -c ': \(error\|warning\|note\): ' "$work/out.$n" || true) findings;" \
		"$(grep -c ': error: \(not checked\|only partly checked\|cannot\)' "$work/err.$n" || true) files not fully checked" >&2 ;;
	ast-grep*) echo "$name: $(grep -c ': [a-z]*\[' "$work/out.$n" || true) findings" >&2 ;;
	esac
	n=$((n + 1))
done
if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP"
	cp "$work/commands" "$work"/out.* "$work"/err.* "$KEEP/"
	echo "first round's output: $KEEP (out.N, err.N: the Nth line of $KEEP/commands)" >&2
fi

python3 - "$RAW" "$JOBS" "$work/parse.out" <<'EOF'
import statistics, sys
raw, jobs, parse_out = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [l.rstrip("\n").split("\t") for l in open(raw)][1:]
order, runs = [], {}
for name, _, wall, cpu, rss, rc in rows:
    if name not in runs:
        order.append(name)
        runs[name] = []
    runs[name].append((float(wall), float(cpu), int(rss), int(rc)))

def med(name, k):
    return statistics.median(r[k] for r in runs[name]) if name in runs else None

def peak(name):
    return max(r[2] for r in runs[name]) / 1024 if name in runs else None

info = open(parse_out).read().split(",")
print(f"Corpus: {info[0].split(': ')[1]}, {int(info[1].split()[0]) / 1e6:.1f} MB in scope; "
      f"medians of {len(next(iter(runs.values())))} alternating runs.\n")
print("| command | wall (s) | CPU (s) | peak RSS (MB) |")
print("|---|---:|---:|---:|")
for name in order:
    bad = sum(1 for r in runs[name] if r[3] not in (0, 1))
    note = f" (exit {runs[name][0][3]} in {bad} runs)" if bad else ""
    print(f"| {name}{note} | {med(name, 0):.2f} | {med(name, 1):.2f} | {peak(name):.0f} |")

def ratio(a, b, k):
    x, y = med(a, k), med(b, k)
    return x / y if x is not None and y else None

pj, aj = f"prodlint -j{jobs}", f"ast-grep -j{jobs}"
lines = []
r = ratio(pj, aj, 0)
if r is not None:
    lines.append((f"prodlint -j{jobs} / ast-grep -j{jobs}, wall", f"{r:.2f}", "≤ 0.33", r <= 1 / 3))
r, rc = ratio("prodlint -j1", "parse-only", 0), ratio("prodlint -j1", "parse-only", 1)
lines.append(("prodlint -j1 / parse-only, wall", f"{r:.2f}", "≤ 0.50", r <= 0.5))
lines.append(("prodlint -j1 / parse-only, CPU", f"{rc:.2f}", "≤ 0.50", rc <= 0.5))
r = ratio("prodlint -j1", pj, 0)
lines.append((f"prodlint speed-up, -j1 → -j{jobs}", f"{r:.2f}×", "≥ 1.8× for 2 threads", r >= 1.8))
r = ratio("ast-grep -j1", aj, 0)
if r is not None:
    lines.append((f"ast-grep speed-up, -j1 → -j{jobs} (reference)", f"{r:.2f}×", "", None))
rss = max(peak("prodlint -j1"), peak(pj))
lines.append(("prodlint peak RSS", f"{rss:.0f} MB", "< 200 MB", rss < 200))
print()
print("| target | measured | goal | met |")
print("|---|---:|---|---|")
for what, val, goal, ok in lines:
    print(f"| {what} | {val} | {goal} | {'' if ok is None else ('yes' if ok else 'no')} |")
EOF
