#!/usr/bin/env bash
# scripts/bench_gas.sh — goasm against GNU as on the same instruction stream.
#
# usage: scripts/bench_gas.sh [RUNS]     (after scripts/bench.sh has made its inputs)
#
# GNU as reads AT&T / GNU syntax, not Go's, so its input is made from goasm's
# own object of Go's amd64enc.s and arm64enc.s (byte-identical to Go's):
# disassembled with objdump, branch targets turned into label offsets, the
# lines GNU as refuses dropped (a few dozen of amd64enc.s's 10,070: operand
# forms objdump prints but gas will not read back), then repeated x100
# (amd64) and x1000 (arm64) under new labels, like bench_inputs.py's copies.
# Both sides are timed with hyperfine (-N, medians); needs binutils,
# aarch64-linux-gnu-binutils (scripts/test.sh setup installs both) and hyperfine.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
RUNS=${1:-5}
GOASM=${GOASM:-$TARGET/release/goasm}
IN=$TARGET/bench/inputs
OUT=$TARGET/bench/gas
[ -x "$GOASM" ] || { echo "bench_gas: no $GOASM (run scripts/bench.sh first or set GOASM)"; exit 1; }
[ -f "$IN/amd64enc_x100.s" ] || { echo "bench_gas: no inputs in $IN (run scripts/bench.sh first)"; exit 1; }
command -v hyperfine >/dev/null || { echo "bench_gas: needs hyperfine"; exit 1; }
mkdir -p "$OUT"
INC=$(go env GOROOT)/pkg/include

# gas_input ARCH OBJDUMP AS COPIES: writes $OUT/ARCH.s, the disassembly xCOPIES.
gas_input() {
  local arch=$1 objdump=$2 as=$3 copies=$4
  "$GOASM" -arch "$arch" -p p -I "$INC" -o "$OUT/$arch.o" "$IN/${arch}enc.s"
  "$objdump" -d --no-show-raw-insn -w "$OUT/$arch.o" |
    awk '/^ +[0-9a-f]+:\t/ { sub(/^ +[0-9a-f]+:\t/, "\t"); print }' |
    sed -E 's/\b(0x)?([0-9a-f]+) <[^>]*>/f+0x\2/' >"$OUT/$arch.body"
  { echo ".text"; echo "f:"; cat "$OUT/$arch.body"; } >"$OUT/$arch.one.s"
  # Drop what gas refuses, by the line numbers of its errors.
  "$as" -o "$OUT/$arch.one.o" "$OUT/$arch.one.s" 2>&1 | grep -Eo ':[0-9]+: Error' | cut -d: -f2 >"$OUT/$arch.bad" || true
  awk 'NR == FNR { bad[$1 + 0] = 1; next } FNR > 2 && !bad[FNR]' "$OUT/$arch.bad" "$OUT/$arch.one.s" >"$OUT/$arch.body"
  echo "bench_gas: $arch: $(wc -l <"$OUT/$arch.body") instructions per copy ($(wc -l <"$OUT/$arch.bad") lines gas refuses dropped), x$copies"
  {
    echo ".text"
    for ((i = 0; i < copies; i++)); do
      echo "f$i:"
      sed "s/\bf+0x/f$i+0x/" "$OUT/$arch.body"
    done
  } >"$OUT/$arch.s"
  # (amd64: warnings about `iret` without a suffix, once per copy.)
  "$as" -o "$OUT/$arch.gas.o" "$OUT/$arch.s" 2>/dev/null
}

gas_input amd64 objdump as 100
gas_input arm64 aarch64-linux-gnu-objdump aarch64-linux-gnu-as 1000

cd "$IN"
hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/amd64.json" \
  "$GOASM -arch amd64 -p p -I $INC -o $OUT/goasm-amd64.o amd64enc_x100.s" \
  "as --64 -o $OUT/gas-amd64.o $OUT/amd64.s"
hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/arm64.json" \
  "$GOASM -arch arm64 -p p -I $INC -o $OUT/goasm-arm64.o arm64enc_x1000.s" \
  "aarch64-linux-gnu-as -o $OUT/gas-arm64.o $OUT/arm64.s"
for a in amd64 arm64; do
  python3 - "$OUT/$a.json" "$a" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
g, s = r[0]["median"] * 1000, r[1]["median"] * 1000
print(f"bench_gas {sys.argv[2]}: goasm {g:.1f} ms, GNU as {s:.1f} ms, goasm/gas {g / s:.2f}")
EOF
done
