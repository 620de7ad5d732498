#!/usr/bin/env bash
# scripts/bench.sh — goasm against Go 1.27.3's asm: wall time, peak memory, instructions.
#
# usage: scripts/bench.sh [bench.py options]   e.g. --runs 9, --cases amd64, --no-cachegrind
#
# Builds goasm (release), generates the inputs (scripts/bench_inputs.py, into
# $CARGO_TARGET_DIR/bench/inputs; never committed) and runs scripts/bench.py.
# Needs Go 1.27.3 on PATH and valgrind (for the instruction counts); the std
# corpus case needs the cache of `scripts/test.sh corpora`.
# GOASM=/path/to/goasm skips the build.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
export CARGO_TARGET_DIR=$TARGET
if [ -z "${GOASM:-}" ]; then
  (cd "$REPO" && cargo build -q --release -p asm-cli)
  GOASM=$TARGET/release/goasm
fi
python3 "$REPO/scripts/bench_inputs.py" "$TARGET/bench/inputs" >/dev/null
exec python3 "$REPO/scripts/bench.py" --goasm "$GOASM" --inputs "$TARGET/bench/inputs" --json "$TARGET/bench/results.json" "$@"
