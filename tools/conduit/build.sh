#!/usr/bin/env bash
# build.sh builds Conduit, at the version go.mod pins, into the path $1.
# The first build compiles about 900 packages, about 2 minutes on 2 cores,
# and go build is silent meanwhile: this says what is happening and shows
# progress. go build -v names each package it compiles (none when all are
# cached); every 10 seconds one line counts them. Everything else go build
# prints (module downloads, errors) passes through.
set -euo pipefail
case $1 in
/*) out=$1 ;;
*) out=$PWD/$1 ;;
esac
cd "$(dirname "$0")"
version=$(awk '$1 == "github.com/conduitio/conduit" { print $2 }' go.mod)
echo "building Conduit $version (a first build, with empty Go caches, takes about 2 minutes)…"

progress() {
	local n=0 last=$SECONDS line
	while IFS= read -r line; do
		if [[ $line =~ ^[^[:space:]#]+$ ]]; then # a package's import path
			n=$((n + 1))
			if ((SECONDS - last >= 10)); then
				last=$SECONDS
				echo "  compiled $n packages ($SECONDS s)…"
			fi
		else
			printf '%s\n' "$line"
		fi
	done
}

SECONDS=0
go build -v -o "$out" github.com/conduitio/conduit/cmd/conduit 2>&1 | progress
echo "built Conduit $version in $SECONDS s: $1"
