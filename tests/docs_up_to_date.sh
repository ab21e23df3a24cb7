#!/bin/sh
# docs/rule-reference.md is generated from the built-in rules: regenerate it
# and fail, with the command that fixes it, when the committed copy differs.
set -eu
bin=$1
src=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
PRODLINT_RULES_DIR="$src/rules" "$bin" rules list --format markdown > "$tmp"
if ! cmp -s "$tmp" "$src/docs/rule-reference.md"; then
	diff -u "$src/docs/rule-reference.md" "$tmp" | head -60 || true
	echo "docs/rule-reference.md is stale: run \`build/prodlint rules list --format markdown > docs/rule-reference.md\`" >&2
	exit 1
fi
echo "docs/rule-reference.md is up to date"
