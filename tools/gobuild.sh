#!/usr/bin/env bash
# gobuild.sh WHAT OUT PACKAGE [go build flags...] builds PACKAGE, of the
# module in the current folder, into OUT, and talks while it does: a first
# build with empty Go caches is silent for minutes otherwise. It says what
# it builds before it starts, fetches the modules and counts the packages
# the build needs (go list -deps, standard library included: with an empty
# build cache Go compiles that too), counts the compiled packages against
# that total every 10 seconds (go build -v names each package it compiles,
# none when all are cached), and prints how long each step took. Everything
# else go (errors, above all) prints passes through.
set -euo pipefail
what=$1 out=$2 pkg=$3
shift 3

# step prints the time since the last step and starts the next one.
step_start=$SECONDS
step() {
	echo "  $1 ($((SECONDS - step_start)) s)"
	step_start=$SECONDS
}

# fetched counts go's "go: downloading" lines instead of echoing each.
fetched() {
	local n=0 last=$SECONDS line
	while IFS= read -r line; do
		if [[ $line == "go: downloading "* ]]; then
			n=$((n + 1))
			if ((SECONDS - last >= 10)); then
				last=$SECONDS
				echo "  fetched $n modules ($((SECONDS - step_start)) s)…"
			fi
		else
			printf '%s\n' "$line"
		fi
	done
	echo "$n" > "$count_file"
}

# compiled counts the package paths go build -v prints against $total.
compiled() {
	local n=0 last=$SECONDS line
	while IFS= read -r line; do
		if [[ $line =~ ^[^[:space:]#]+$ ]]; then # a package's import path
			n=$((n + 1))
			if ((SECONDS - last >= 10)); then
				last=$SECONDS
				echo "  compiled $n of $total packages ($((SECONDS - step_start)) s)…"
			fi
		else
			printf '%s\n' "$line"
		fi
	done
	echo "$n" > "$count_file"
}

count_file=$(mktemp)
trap 'rm -f "$count_file"' EXIT
start=$SECONDS
echo "building $what ($pkg)…"
total=$(go list -deps "$pkg" 2> >(fetched >&2) | wc -l)
wait # for fetched's count
step "fetched $(cat "$count_file") modules, the build needs $total packages"
go build -v "$@" -o "$out" "$pkg" 2>&1 | compiled
step "compiled $(cat "$count_file") of $total packages (the rest were cached) and linked"
echo "built $what in $((SECONDS - start)) s: $out"
