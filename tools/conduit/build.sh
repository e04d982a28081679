#!/usr/bin/env bash
# build.sh builds Conduit, at the version go.mod pins, into the path $1.
# The first build fetches about 150 modules and compiles about 900
# packages: minutes on 2 cores. ../gobuild.sh says what is happening,
# counts the packages against their total and times each step.
set -euo pipefail
case $1 in
/*) out=$1 ;;
*) out=$PWD/$1 ;;
esac
cd "$(dirname "$0")"
version=$(awk '$1 == "github.com/conduitio/conduit" { print $2 }' go.mod)
../gobuild.sh "Conduit $version" "$out" github.com/conduitio/conduit/cmd/conduit
