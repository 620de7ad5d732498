#!/bin/sh
# Regenerates the -S golden listings here from Go's assembler (Go 1.27.3 on PATH):
# `go tool asm -S -p p FILE` less its PCDATA/FUNCDATA lines (Go's stack maps, which goasm
# does not make). crates/asm-cli/tests/text_listing.rs compares goasm's -S with them
# without Go. Usage: testdata/listing/gen.sh [--check]
set -eu
cd "$(dirname "$0")"
go version | grep -q 'go1.27.3' || { echo "listing/gen.sh: need Go 1.27.3" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
status=0
for pair in x86.s:amd64 arm64.s:arm64 arm64_far.s:arm64; do
  src=${pair%%:*} arch=${pair##*:}
  out="${src%.s}.$arch.golden"
  GOOS=linux GOARCH=$arch GOEXPERIMENT= go tool asm -S -p p -o "$tmp/x.o" "$src" | grep -v 'PCDATA\|FUNCDATA' > "$tmp/$out"
  if [ "${1:-}" = --check ]; then
    cmp -s "$tmp/$out" "$out" || { echo "listing: $out is out of date; run testdata/listing/gen.sh" >&2; status=1; }
  else
    cp "$tmp/$out" "$out"; echo "wrote testdata/listing/$out"
  fi
done
exit $status
