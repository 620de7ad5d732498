#!/bin/sh
# Regenerate the arch tables into a temporary directory and compare them with
# the checked-in crates/arch-tables/src/gen. Needs Go 1.27.3 on PATH.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/generate.py" --out "$tmp/gen"
if diff -ru "$here/../src/gen" "$tmp/gen"; then
    echo "arch-tables: generated files are up to date"
else
    echo "arch-tables: generated files differ; run crates/arch-tables/gen/generate.py" >&2
    exit 1
fi
