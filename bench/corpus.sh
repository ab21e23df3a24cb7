#!/bin/sh
# Assemble a benchmark corpus in DIR, deterministically, without network
# beyond Debian's and npm's registries.
#
#   bench/corpus.sh DIR                      real code (below); installs what is missing
#   bench/corpus.sh --synthetic [COPIES] DIR copies of the repo's fixtures only: no
#                                            installs, no network (default 300 copies)
#
# Real code, as it is found on a Debian 12 machine, in one tree:
#   debian/<package>/...   the files of pinned Debian packages (DEBS below):
#                          Python 3.11's standard library, pip, setuptools,
#                          Pygments, cryptography, jsonschema, PyYAML, Django,
#                          requests, urllib3, pre-commit; Go 1.19's sources
#                          (golang-1.19-src: the standard library, the toolchain
#                          and its vendored modules, testdata)
#   js/<package>/...       npm packages pinned in bench/package-lock.json
#                          (NPM below): TypeScript, the OpenAI and Anthropic
#                          SDKs, LangChain core, the Vercel AI SDK, RxJS, Zod,
#                          lodash, date-fns, @types/node, and what they pull in
#   services/<repo>-<i>/   SERVICE_COPIES (default 5) copies of each sample
#                          service in fixtures/repos, so that rules fire
# Each tree keeps its own files (YAML, JSON, TOML, Markdown, data), as a
# checkout would. Files over 1 MiB (prodlint's default --max-file-size) and
# symbolic links are left out, so every tool compared reads the same files.
#
# The same package versions and fixtures give the same bytes: DIR/CORPUS.txt
# records the versions, counts and a digest of every file's path and content.
# A DIR whose key (script, versions, fixtures) matches is reused; one built
# from other inputs is rebuilt. DIR must be empty, absent, or a corpus made
# by this script: anything else is refused, never deleted.
#
# Missing Debian packages are installed with apt-get (root, or sudo), as
# scripts/bootstrap.sh does; CORPUS_NO_INSTALL=1 refuses instead. The npm
# packages go into bench/.cache (BENCH_CACHE), never into the repository.
set -eu
. "$(dirname "$0")/common.sh"

DEBS="libpython3.11-minimal libpython3.11-stdlib python3-pip python3-setuptools
python3-pkg-resources python3-pygments python3-cryptography python3-jsonschema
python3-yaml python3-django python3-requests python3-urllib3 pre-commit
golang-1.19-src"
NPM="typescript openai @anthropic-ai/sdk @langchain/core langsmith ai @ai-sdk/provider
@ai-sdk/provider-utils @ai-sdk/gateway rxjs zod lodash date-fns @types/node undici-types
@opentelemetry/api"
MAX_SIZE=1048576
SERVICE_COPIES=${SERVICE_COPIES:-5}
# Bump when the layout changes, so old corpora are rebuilt.
LAYOUT=1

usage() {
	echo "usage: bench/corpus.sh [--synthetic [COPIES]] DIR" >&2
	exit 2
}

synthetic=0
copies=300
case "${1:-}" in
--synthetic)
	synthetic=1
	shift
	if [ $# -eq 2 ]; then
		copies=$1
		shift
	fi
	;;
-*) usage ;;
esac
[ $# -eq 1 ] || usage
case "$copies" in '' | *[!0-9]*) usage ;; esac
DIR=$1

# A stable order and stable bytes, whatever the locale.
export LC_ALL=C

# SHA-256 over every file's path and content under $1 (CORPUS.txt excluded).
tree_digest() {
	(cd "$1" && find . -type f ! -path ./CORPUS.txt -print0 | sort -z | xargs -0r sha256sum |
		sha256sum | cut -d' ' -f1)
}

# Never delete what this script did not make: a finished corpus has
# CORPUS.txt, an unfinished one the marker .corpus-partial.
prepare_dir() {
	if [ -e "$DIR" ] && [ ! -f "$DIR/CORPUS.txt" ] && [ ! -f "$DIR/.corpus-partial" ] &&
		[ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
		echo "bench/corpus.sh: $DIR exists, is not empty and is not a corpus; refusing to touch it" >&2
		exit 2
	fi
	rm -rf "$DIR"
	mkdir -p "$DIR"
	touch "$DIR/.corpus-partial"
}

# Write CORPUS.txt from stdin (the header), adding counts and the digest;
# the last step, so a corpus with CORPUS.txt is complete.
finish() {
	rm -f "$DIR/.corpus-partial"
	header=$(cat)
	contents=$(summarise)
	digest=$(tree_digest "$DIR")
	printf '%s\ncontents (by extension):\n%s\ndigest: %s\n' "$header" "$contents" "$digest" \
		>"$DIR/.CORPUS.tmp"
	mv "$DIR/.CORPUS.tmp" "$DIR/CORPUS.txt"
	cat "$DIR/CORPUS.txt"
}

# Counts by kind of file, for CORPUS.txt.
summarise() {
	(cd "$DIR" && find . -type f ! -path ./CORPUS.txt -printf '%f %s\n') | awk '
	{
		n = $1; s = $2; k = "other"
		if (n ~ /\.py$/) k = "python"
		else if (n ~ /\.(ts|mts|cts|tsx)$/) k = "typescript"
		else if (n ~ /\.(js|mjs|cjs|jsx)$/) k = "javascript"
		else if (n ~ /\.go$/) k = "go"
		else if (n ~ /\.(yaml|yml)$/) k = "yaml"
		else if (n ~ /\.json$/) k = "json"
		else if (n ~ /\.toml$/) k = "toml"
		else if (n ~ /^Dockerfile/) k = "dockerfile"
		files[k]++; bytes[k] += s; tf++; tb += s
	}
	END {
		split("python typescript javascript go yaml json toml dockerfile other", order, " ")
		for (i = 1; i <= 9; i++) {
			k = order[i]
			if (files[k]) printf "  %-11s %7d files %8.1f MB\n", k, files[k], bytes[k] / 1e6
		}
		printf "  %-11s %7d files %8.1f MB\n", "total", tf, tb / 1e6
	}'
}

# What a sample of the tree is for: which rules fire.
copy_services() {
	for repo in "$BENCH_REPO"/fixtures/repos/*/; do
		name=$(basename "$repo")
		i=1
		while [ "$i" -le "$SERVICE_COPIES" ]; do
			mkdir -p "$DIR/services/$name-$i"
			cp -R "$repo." "$DIR/services/$name-$i/"
			i=$((i + 1))
		done
	done
}

# The fixtures' files and bytes, for the key.
fixtures_digest() {
	tree_digest "$BENCH_REPO/fixtures"
}

if [ "$synthetic" = 1 ]; then
	key="synthetic layout=$LAYOUT copies=$copies fixtures=$(fixtures_digest)"
	if [ -f "$DIR/CORPUS.txt" ] && grep -qxF "key: $key" "$DIR/CORPUS.txt"; then
		echo "bench/corpus.sh: $DIR is up to date" >&2
		cat "$DIR/CORPUS.txt"
		exit 0
	fi
	prepare_dir
	# COPIES copies of the sample service, each with every rule fixture
	# beside it under lint-examples/ (a few thousand Python, TypeScript, Go
	# and config files for 300 copies).
	list=$(mktemp)
	(cd "$BENCH_REPO/fixtures" && find . -path ./repos -prune -o -type f -print | sort) >"$list"
	i=0
	while [ "$i" -lt "$copies" ]; do
		mkdir -p "$DIR/svc$i/lint-examples"
		cp -R "$BENCH_REPO/fixtures/repos/sample-service/." "$DIR/svc$i/"
		(cd "$BENCH_REPO/fixtures" && tar -cf - --no-recursion -T "$list") |
			tar -xf - -C "$DIR/svc$i/lint-examples"
		i=$((i + 1))
	done
	rm -f "$list"
	printf '%s\n' "prodlint benchmark corpus (bench/corpus.sh --synthetic $copies)" "key: $key" | finish
	exit 0
fi

# --- real code ---------------------------------------------------------------

missing=""
for p in $DEBS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "${CORPUS_NO_INSTALL:-0}" = 1 ]; then
		echo "bench/corpus.sh: missing Debian packages:$missing (CORPUS_NO_INSTALL=1)" >&2
		exit 1
	fi
	echo "bench/corpus.sh: installing:$missing" >&2
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi
bench_npm

versions=$(for p in $DEBS; do dpkg-query -W -f='${Package}=${Version}\n' "$p"; done)
npm_lock=$(sha256sum "$BENCH_HERE/package-lock.json" | cut -d' ' -f1)
key="real layout=$LAYOUT services=$SERVICE_COPIES npm-lock=$npm_lock fixtures=$(fixtures_digest) debs=$(echo "$versions" | sha256sum | cut -c1-16)"
if [ -f "$DIR/CORPUS.txt" ] && grep -qxF "key: $key" "$DIR/CORPUS.txt"; then
	echo "bench/corpus.sh: $DIR is up to date" >&2
	cat "$DIR/CORPUS.txt"
	exit 0
fi
prepare_dir

# Debian packages: the regular files dpkg installed, minus documentation.
for p in $DEBS; do
	mkdir -p "$DIR/debian/$p"
	dpkg -L "$p" | grep -Ev '^/usr/share/(doc|man|lintian|bug)/' | while IFS= read -r f; do
		[ -f "$f" ] && [ ! -L "$f" ] && printf '%s\n' "${f#/}"
	done | sort >"$DIR/.list"
	(cd / && tar -cf - --no-recursion -T "$DIR/.list") | tar -xf - -C "$DIR/debian/$p"
done
rm -f "$DIR/.list"

# npm packages, as the lock installed them.
for p in $NPM; do
	src=$BENCH_CACHE/npm/node_modules/$p
	[ -d "$src" ] || { echo "bench/corpus.sh: $p is not in bench/package-lock.json" >&2; exit 1; }
	mkdir -p "$DIR/js/$p"
	cp -R "$src/." "$DIR/js/$p/"
done

copy_services

# The same files for every tool: nothing over prodlint's default size limit,
# no links (prodlint never follows them; other tools might).
too_large=$(find "$DIR" -type f -size +${MAX_SIZE}c | wc -l)
find "$DIR" -type f -size +${MAX_SIZE}c -delete
find "$DIR" -type l -delete

{
	echo "prodlint benchmark corpus (bench/corpus.sh)"
	echo "key: $key"
	echo "sources:"
	echo "$versions" | sed 's/^/  debian /'
	for p in $NPM; do
		printf '  npm %s=%s\n' "$p" "$(node -p "require('$BENCH_CACHE/npm/node_modules/$p/package.json').version" 2>/dev/null || echo '?')"
	done
	echo "  services $SERVICE_COPIES copies of each of: $(cd "$BENCH_REPO/fixtures/repos" && echo */ | tr -d /)"
	echo "left out: $too_large files over $MAX_SIZE bytes, symbolic links"
} | finish
