#!/bin/sh
# Where a single-threaded scan spends its time: perf samples of
# `prodlint -j1 --no-cache DIR`, grouped by function into
#   parse           tree-sitter's parser and lexers, grammar scanners, tree freeing
#   query matching  query cursors, node and tree-cursor access, prodlint's matcher,
#                   predicates and their regexes (PCRE2)
#   prefilter       literal lookups in each file's text (probe.c), the formulas
#                   (regex leaves run as JIT code, counted under "other")
#   rule load       reading the rule files and building their queries at
#                   start-up (once per run)
#   config model    YAML/JSON/TOML/Dockerfile trees, CI and Kubernetes facts
#   other           reading files, the walk, allocation, output, the kernel
# Function names decide, so the split is approximate (a libc call is "other"
# whoever made it).
#
#   bench/profile.sh DIR       (BIN: default build-bench/prodlint; PRODLINT_ARGS;
#                               FREQ: samples a second, default 499)
set -eu
. "$(dirname "$0")/common.sh"
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: bench/profile.sh DIR" >&2; exit 2; }
command -v perf >/dev/null 2>&1 || { echo "bench/profile.sh: perf is needed (apt-get install linux-perf)" >&2; exit 2; }
BIN=$(realpath "${BIN:-$BENCH_REPO/build-bench/prodlint}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck disable=SC2086
perf record -q -F "${FREQ:-499}" -o "$work/perf.data" -- \
	"$BIN" --no-cache --fail-on none --color never ${PRODLINT_ARGS:-} -j 1 "$1" >/dev/null 2>"$work/err" || true
perf report -i "$work/perf.data" --no-children --sort symbol --stdio 2>/dev/null >"$work/report"

python3 - "$work/report" <<'EOF'
import re, sys
groups = [
    ("rule load", r"^(ts_query_new|ts_query__|analysis_|symbol_table_|stream_|yaml_|cyaml_|on_node$|pl_yaml_|pl_rule)"),
    ("query matching", r"^(ts_query_cursor|ts_query_|ts_node_|ts_tree_cursor|ts_language_(symbol|public|field|alias)"
                       r"|pl_(pattern|match|predicate|capture|regex)|pcre2_|_pcre2_|match_|on_match|capture_)"),
    ("prefilter", r"^(pl_text_probe|pl_needs|memo_|index_pairs|place_pairs|pl_literals_fold|met$|regex_found"
                  r"|search_literal|indexed_literal|pl_literal_at_token)"),
    ("parse", r"^(ts_parser|ts_lex|ts_lexer|ts_stack|ts_subtree|ts_reduce|ts_tree_(new|delete|root)|ts_language_"
              r"|tree_sitter_|ts_external_scanner|scan|serialize|deserialize|advance|lex_|reusable_node|iterator_"
              r"|stack_|stack__)"),
    ("config model", r"^(pl_config|pl_node|pl_ci|pl_k8s|read_(yaml|json|toml)|docker)"),
]
total = {}
top = []
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(\S+)", line)
    if not m:
        continue
    pct, kind, sym = float(m.group(1)), m.group(2), m.group(3)
    g = "other"
    if kind == ".":
        for name, rx in groups:
            if re.search(rx, sym):
                g = name
                break
    total[g] = total.get(g, 0) + pct
    if len(top) < 12:
        top.append((pct, sym, g))
print("share of samples by group:")
for g in ("parse", "query matching", "prefilter", "rule load", "config model", "other"):
    print(f"  {g:15} {total.get(g, 0):5.1f}%")
print("hottest functions:")
for pct, sym, g in top:
    print(f"  {pct:5.1f}%  {sym}  ({g})")
EOF
if grep -q 'not checked\|partly checked' "$work/err"; then
	echo "note: $(grep -c 'not checked\|partly checked' "$work/err") files hit a scan limit in this run:" >&2
	grep 'not checked\|partly checked' "$work/err" | head -20 | sed 's/^/  /' >&2
fi
