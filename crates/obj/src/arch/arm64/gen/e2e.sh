#!/bin/sh
# End-to-end test of the arm64 backend: assemble testdata/e2e/funcs.s and a
# generated loop big enough to need literal-pool flushes and long-branch
# trampolines, link them with C using the aarch64 cross toolchain and run
# the program under qemu-user. Installs what it needs (Debian packages
# gcc-aarch64-linux-gnu, qemu-user) when run as root.
#
# Usage: gen/e2e.sh GOASM_BINARY
set -eu
here=$(cd "$(dirname "$0")" && pwd)
goasm=${1:?usage: e2e.sh path/to/goasm}
data="$here/../testdata/e2e"
if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc-aarch64-linux-gnu qemu-user >/dev/null
    else
        echo "e2e: need aarch64-linux-gnu-gcc and qemu-aarch64" >&2
        exit 1
    fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
body=270000
# bigloop(p, n): p[0] + n*body. The loop body is over 1 MiB, so the backward
# BNE needs a trampoline and the literal pool (large offsets) is flushed
# inside the loop, with a branch around it.
python3 - "$tmp/big.s" "$body" <<'PY'
import sys
path, body = sys.argv[1], int(sys.argv[2])
out = ['#define NOSPLIT 4', '', 'TEXT bigloop(SB), NOSPLIT, $16',
       '\tMOVD\tR27, saved-8(SP)', '\tMOVD\t(R0), R2', 'loop:',
       '\tMOVD\t$0x12345678(R0), R3', '\tSUB\t$0x12345000, R3, R3', '\tSUB\t$0x678, R3, R3',
       '\tMOVD\tR2, 8(R3)']
for i in range(body):
    out.append('\tADD\t$1, R2, R2')
    if i % 5000 == 0:
        out.append('\tMOVD\t$0x7654321(R0), R5')
out += ['\tSUBS\t$1, R1, R1', '\tBNE\tloop', '\tTBZ\t$0, R1, done', '\tMOVD\t$-1, R2', 'done:',
        '\tMOVD\tR2, R0', '\tMOVD\tsaved-8(SP), R27', '\tRET', '']
open(path, 'w').write('\n'.join(out))
PY
GOEXPERIMENT= "$goasm" -arch arm64 -os linux -o "$tmp/big.o" "$tmp/big.s"
# Plain, -shared (TLS initial-exec through the GOT) and -dynlink (global
# data through the GOT).
for mode in "" -shared -dynlink; do
    GOEXPERIMENT= "$goasm" -arch arm64 -os linux $mode -o "$tmp/funcs.o" "$data/funcs.s"
    aarch64-linux-gnu-gcc -static -O1 -DBIGLOOP_BODY="$body" -o "$tmp/e2e" "$data/main.c" "$tmp/funcs.o" "$tmp/big.o"
    out=$(qemu-aarch64 "$tmp/e2e")
    echo "${mode:-plain}: $out"
    [ "$out" = "goasm e2e ok" ]
done
