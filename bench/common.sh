# Sourced by the bench scripts: where things are, and the pinned npm packages.
#
# BENCH_HERE   this directory
# BENCH_CACHE  installs the scripts make (default bench/.cache, git-ignored):
#              npm/ holds bench/package-lock.json installed with `npm ci`
BENCH_HERE=$(cd "$(dirname "$0")" && pwd)
BENCH_REPO=$(dirname "$BENCH_HERE")
BENCH_CACHE=${BENCH_CACHE:-$BENCH_HERE/.cache}

# Install bench/package-lock.json (integrity-checked) into $BENCH_CACHE/npm,
# unless that exact lock is installed already. Install scripts are not run:
# ast-grep's only swaps its Node shim for the native binary, which
# bench_ast_grep finds directly.
bench_npm() {
	_dir=$BENCH_CACHE/npm
	if cmp -s "$BENCH_HERE/package-lock.json" "$_dir/node_modules/.bench-lock" 2>/dev/null; then
		return 0
	fi
	command -v npm >/dev/null 2>&1 || { echo "bench: npm is needed (apt-get install npm)" >&2; return 1; }
	mkdir -p "$_dir"
	cp "$BENCH_HERE/package.json" "$BENCH_HERE/package-lock.json" "$_dir/"
	echo "bench: installing the pinned packages of bench/package-lock.json into $_dir" >&2
	(cd "$_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2
	cp "$BENCH_HERE/package-lock.json" "$_dir/node_modules/.bench-lock"
}

# The ast-grep binary: $AST_GREP, else the pinned one (installed on demand).
bench_ast_grep() {
	if [ -n "${AST_GREP:-}" ]; then
		echo "$AST_GREP"
		return 0
	fi
	bench_npm || return 1
	for _b in "$BENCH_CACHE"/npm/node_modules/@ast-grep/cli-linux-*/ast-grep; do
		if [ -x "$_b" ]; then
			echo "$_b"
			return 0
		fi
	done
	echo "bench: no ast-grep binary for this platform under $BENCH_CACHE/npm" >&2
	return 1
}
