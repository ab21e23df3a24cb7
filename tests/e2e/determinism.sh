#!/bin/sh
# Output must not depend on -j, on the run, or on the cache: scan every
# fixture and the sample service with the built-in rules at -j1, -j2 and -j8,
# fresh and from the per-file cache (in a scratch $XDG_CACHE_HOME), in text
# and JSON (timings normalised), and require byte-identical output and exit
# codes.
set -eu
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRODLINT_RULES_DIR="$src/rules" NO_COLOR=1 XDG_CACHE_HOME="$tmp/cache"
unset PRODLINT_NO_CACHE

# run NAME FORMAT ARGS...: scan, normalise, keep the output and exit code.
run() {
	name=$1 format=$2
	shift 2
	rc=0
	(cd "$src" && "$bin" -f "$format" --fail-on none "$@") >"$tmp/$name.raw" 2>"$tmp/$name.err" || rc=$?
	sed 's/"ms": *[0-9.]*/"ms": 0/g' "$tmp/$name.raw" >"$tmp/$name"
	echo "$rc" >>"$tmp/$name"
}

same() {
	if ! cmp -s "$tmp/$1" "$tmp/$2"; then
		echo "FAIL $dir: '$2' differs from '$1':"
		diff "$tmp/$1" "$tmp/$2" | head -40
		exit 1
	fi
}

for dir in fixtures fixtures/repos/sample-service; do
	rm -rf "$tmp/cache"
	# Two fresh scans: -j1 without the cache (the reference), -j8 filling a
	# cold cache.
	run json-j1 json -j 1 --no-cache "$dir"
	run json-j8-cold json -j 8 "$dir"
	same json-j1 json-j8-cold
	# Again from the warm cache, in both formats.
	run json-j2-warm json -j 2 "$dir"
	same json-j1 json-j2-warm
	run text-j1 text -j 1 "$dir"
	run text-j2 text -j 2 "$dir"
	same text-j1 text-j2
	run text-j8 text -j 8 "$dir"
	same text-j1 text-j8
	n=$(grep -c '"rule":' "$tmp/json-j1" || true)
	echo "ok: $dir: identical at -j1/-j2/-j8, cold/warm/no cache ($n findings)"
done
