#!/usr/bin/env bash
# scripts/e2e_x86.sh — end-to-end tests of the x86 backend: Plan 9 assembly in
# testdata/e2e/x86/ with the C calling convention, assembled by goasm with
# -nosplit-all, linked with a C main and run; their output must equal expected.txt.
#
#   amd64   cc (PIE, and -no-pie), run natively
#   386     i686-linux-gnu-gcc -no-pie, run under qemu-i386
#   shared  a shared library from a goasm -shared object (linked -Bsymbolic) and
#           from a -dynlink object, loaded by a C program (amd64 and 386)
#   plus: without -nosplit-all the link must fail (Go's prologue needs the runtime)
#
# usage: scripts/e2e_x86.sh            (GOASM=path/to/goasm to test another binary)
# needs: go (for textflag.h), cc, i686-linux-gnu-gcc + libc6-dev-i386-cross, qemu-i386
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GOASM=${GOASM:-${CARGO_TARGET_DIR:-$REPO/target}/release/goasm}
SRC=$REPO/testdata/e2e/x86
INC=$(go env GOROOT)/pkg/include
OUT=$(mktemp -d "${TMPDIR:-/tmp}/goasm-e2e-x86.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
I386_SYSROOT=/usr/i686-linux-gnu
passed=0; failed=0

[ -x "$GOASM" ] || { echo "e2e_x86: no goasm at $GOASM" >&2; exit 1; }
for tool in cc i686-linux-gnu-gcc qemu-i386; do
  command -v "$tool" >/dev/null || { echo "e2e_x86: $tool not installed" >&2; exit 1; }
done

# check NAME EXPECTED CMD...: runs CMD, compares its stdout with EXPECTED.
check() {
  local name=$1 want=$2; shift 2
  if "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" && diff -u "$want" "$OUT/$name.out" >"$OUT/$name.diff"; then
    echo "  ok    $name ($(wc -l <"$want") lines)"
    passed=$((passed + 1))
  else
    echo "  FAIL  $name"; sed 's/^/        /' "$OUT/$name.err" "$OUT/$name.diff" | head -20
    failed=$((failed + 1))
  fi
}
# build NAME CMD...: a build step; a failure counts as a failed check.
build() {
  local name=$1; shift
  if ! "$@" >"$OUT/build.log" 2>&1; then
    echo "  FAIL  $name: $*"; sed 's/^/        /' "$OUT/build.log" | head -20
    failed=$((failed + 1)); return 1
  fi
}
asm() { "$GOASM" -I "$INC" "$@"; }
run386() { qemu-i386 -L "$I386_SYSROOT" "$@"; }

echo "amd64: $SRC/amd64 (integer args, loops, C calls, C globals, DATA tables, jump table, SSE, AVX)"
if build amd64-asm asm -arch amd64 -nosplit-all -o "$OUT/a64.o" "$SRC/amd64/funcs.s"; then
  build amd64-link-pie cc -o "$OUT/a64-pie" "$SRC/amd64/main.c" "$OUT/a64.o" &&
    check amd64-pie "$SRC/amd64/expected.txt" "$OUT/a64-pie"
  build amd64-link-nopie cc -no-pie -o "$OUT/a64-nopie" "$SRC/amd64/main.c" "$OUT/a64.o" &&
    check amd64-nopie "$SRC/amd64/expected.txt" "$OUT/a64-nopie"
fi
# Go's default (no -nosplit-all) keeps the stack check: C cannot link it.
if asm -arch amd64 -o "$OUT/a64-go.o" "$SRC/amd64/funcs.s" &&
  ! cc -o "$OUT/a64-go" "$SRC/amd64/main.c" "$OUT/a64-go.o" 2>"$OUT/go-link.err" &&
  grep -q "runtime\.\(tlsg\|morestack\)" "$OUT/go-link.err"; then
  echo "  ok    amd64-without-nosplit-all (link fails on the Go runtime's symbols, as it should)"
  passed=$((passed + 1))
else
  echo "  FAIL  amd64-without-nosplit-all: expected a link error naming runtime.tlsg/morestack"
  failed=$((failed + 1))
fi

echo "386: $SRC/386 (stack args, C calls, C globals, DATA tables, jump table, SSE2, x87 result) under qemu-i386"
if build 386-asm asm -arch 386 -nosplit-all -o "$OUT/x86.o" "$SRC/386/funcs.s"; then
  build 386-link i686-linux-gnu-gcc -no-pie -o "$OUT/x86" "$SRC/386/main.c" "$OUT/x86.o" &&
    check 386 "$SRC/386/expected.txt" run386 "$OUT/x86"
fi

echo "shared: $SRC/shared (a library from goasm objects, loaded by a C program)"
for mode in shared dynlink; do
  symbolic=(); direct=()
  if [ $mode = shared ]; then symbolic=(-Wl,-Bsymbolic); else direct=(-DDIRECT_DATA); fi
  d=$OUT/$mode; mkdir -p "$d"
  if build "amd64-$mode" asm -arch amd64 -$mode -nosplit-all -o "$d/lib.o" "$SRC/shared/lib.s" &&
    build "amd64-$mode-so" cc -shared "${symbolic[@]}" -o "$d/libgoasm.so" "$d/lib.o" &&
    build "amd64-$mode-prog" cc "${direct[@]}" -o "$d/prog" "$SRC/shared/main.c" -L"$d" -lgoasm; then
    check "amd64-lib-$mode" "$SRC/shared/expected.txt" env LD_LIBRARY_PATH="$d" "$d/prog"
  fi
  if build "386-$mode" asm -arch 386 -$mode -nosplit-all -o "$d/lib386.o" "$SRC/shared/lib386.s" &&
    build "386-$mode-so" i686-linux-gnu-gcc -shared -fPIC "${symbolic[@]}" -o "$d/libgoasm386.so" "$d/lib386.o" "$SRC/shared/thunks.c" &&
    build "386-$mode-prog" i686-linux-gnu-gcc "${direct[@]}" -o "$d/prog386" "$SRC/shared/main386.c" -L"$d" -lgoasm386; then
    check "386-lib-$mode" "$SRC/shared/expected.txt" run386 -E LD_LIBRARY_PATH="$d" "$d/prog386"
  fi
done

echo "e2e_x86: $passed passed, $failed failed"
[ "$failed" = 0 ]
