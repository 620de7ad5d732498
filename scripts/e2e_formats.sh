#!/usr/bin/env bash
# scripts/e2e_formats.sh — goasm objects in real linkers and debuggers (the `e2e_formats` step
# of scripts/test.sh; runs alone too). Sources: scripts/e2e/ (C-ABI functions in Go syntax for
# amd64, 386, arm64, a C main, and the checkers check_linked.py / check_lines.py).
#
#   linux/amd64 ELF   gcc links the object with main.c and runs it; gdb stops at `file.s:LINE`
#                     and `info line` names it; llvm-dwarfdump/readelf list a row for every
#                     instruction; -MD/-MF/-MP, -no-dwarf (same code bytes), -trimpath, determinism
#   darwin amd64/arm64 Mach-O: relocations (llvm-objdump --macho -r), LC_BUILD_VERSION, `_`
#                     names; ld64.lld-14 links a dylib and an executable, whose disassembly must
#                     address the right symbols (check_linked.py); DWARF rows in __DWARF
#   windows amd64/386/arm64 COFF: relocations (llvm-readobj --relocations), names, @feat.00;
#                     lld-link links a DLL (addresses checked by disassembly); mingw-w64 gcc links
#                     the amd64 and 386 executables; the amd64 one runs under wine64
#
# usage: scripts/e2e_formats.sh            (GOASM=path/to/goasm, default target/release/goasm)
# Env: GOASM_E2E_NO_WINE=1 skips the wine run (reported as a skip). Output: one line per check
# (`ok`, `BAD`, `skip`), then `e2e_formats: N ok, N bad, N skipped`; exit 1 if anything is bad.
# Tools: gcc, gdb, llvm (llvm-objdump, llvm-dwarfdump, llvm-readobj, llvm-nm), lld-14
# (ld64.lld-14), lld (lld-link), gcc-mingw-w64-{x86-64,i686}-win32, wine64 (scripts/test.sh's
# setup installs them).
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E=$REPO/scripts/e2e
G=${GOASM:-${CARGO_TARGET_DIR:-$REPO/target}/release/goasm}
W=${CARGO_TARGET_DIR:-$REPO/target}/goasm-ci/e2e_formats
PY=${PYTHON:-python3}
rm -rf "$W"; mkdir -p "$W"
[ -x "$G" ] || { echo "no goasm at $G (build it: cargo build --release -p asm-cli)"; exit 1; }

n_ok=0; n_bad=0; n_skip=0
ok() { n_ok=$((n_ok + 1)); echo "ok   $*"; }
bad() { n_bad=$((n_bad + 1)); echo "BAD  $*"; }
skip() { n_skip=$((n_skip + 1)); echo "skip $*"; }
have() { command -v "$1" >/dev/null 2>&1; }
# check WHAT CMD...: ok/BAD by CMD's status, with CMD's output indented
check() {
  local what=$1; shift
  local out
  if out=$("$@" 2>&1); then ok "$what"; else bad "$what"; fi
  [ -n "$out" ] && sed 's/^/       /' <<<"$out" | head -20
}
line_of() { grep -n -m1 -F "$2" "$1" | cut -d: -f1; }
EXPECT="add2=42 magic=0x1256 cmp=1 call=31 ptr=0x1234 sum3=3 ext=7"

cd "$W" || exit 1
cp "$E"/*.s "$E"/cabi.h "$E"/main.c .

# ------------------------------------------------------------------------------------- ELF
echo "== linux/amd64 ELF: link, run, DWARF, gdb, dependency files"
if "$G" -arch amd64 -os linux -MD -MP cabi_amd64.s -o elf.o; then
  "$PY" - <<'PY' && ok "-MD -MP: elf.d = elf.o: cabi_amd64.s cabi.h, phony cabi.h:" || bad "-MD -MP: elf.d is $(tr '\n' '|' <elf.d)"
import sys
t = open('elf.d').read()
sys.exit(0 if t == "elf.o: \\\n  cabi_amd64.s \\\n  cabi.h\n\ncabi.h:\n" else 1)
PY
  mkdir -p deps && "$G" -arch amd64 -os linux -MF deps/x.dep cabi_amd64.s -o mf.o
  if grep -q '^mf.o: ' deps/x.dep && ! grep -q '^cabi.h:' deps/x.dep && [ ! -e mf.d ]; then ok "-MF deps/x.dep names the file (no phony targets without -MP)"
  else bad "-MF: $(cat deps/x.dep 2>&1 | tr '\n' '|')"; fi
  printf '#include "textflag.h"\nTEXT f(SB), NOSPLIT, $0\n\tBOGUS\n' > broken.s
  if ! "$G" -arch amd64 -os linux -MD broken.s -o broken.o 2>/dev/null && [ ! -e broken.d ] && [ ! -e broken.o ]; then
    ok "-MD: a failed assembly writes neither broken.o nor broken.d"
  else bad "-MD: a failed assembly left files: $(ls broken.* | tr '\n' ' ')"; fi
  if gcc -g -no-pie -o elf.exe main.c elf.o 2>gcc.err && out=$(./elf.exe) && [ "$out" = "$EXPECT" ]; then
    ok "gcc main.c + goasm object runs: $out"
  else bad "gcc link/run: $(head -c 300 gcc.err) out=${out:-}"; fi
  check "DWARF: every instruction has a line row (llvm-dwarfdump --debug-line, readelf --debug-dump=decodedline)" \
    "$PY" "$E/check_lines.py" elf.o cabi_amd64.s
  for a in 386 arm64; do
    if "$G" -arch $a -os linux cabi_$a.s -o elf-$a.o; then
      check "DWARF linux/$a: every instruction covered by a line row (llvm-dwarfdump, readelf)" "$PY" "$E/check_lines.py" elf-$a.o cabi_$a.s
    else bad "goasm -arch $a -os linux cabi_$a.s"; fi
  done
  if have gdb && [ -x elf.exe ]; then
    l1=$(line_of cabi_amd64.s "ADDQ ARG1, AX"); l2=$(line_of cabi_amd64.s "	ADD_TWO_AX")
    gout=$(gdb -q -batch -ex "break cabi_amd64.s:$l1" -ex "break cabi_amd64.s:$l2" -ex run -ex 'info line *$pc' \
      -ex continue -ex 'info line *$pc' ./elf.exe 2>&1)
    # The recorded name is absolute (as Go's objabi.AbsFile): $W/cabi_amd64.s.
    if grep -q "Breakpoint 1, add2 () at $W/cabi_amd64.s:$l1" <<<"$gout" && grep -q "^Line $l1 of \"$W/cabi_amd64.s\"" <<<"$gout" \
      && grep -q "Breakpoint 2, sum3 () at $W/cabi_amd64.s:$l2" <<<"$gout" && grep -q "^Line $l2 of \"$W/cabi_amd64.s\"" <<<"$gout"; then
      ok "gdb: break cabi_amd64.s:$l1 stops in add2, break cabi_amd64.s:$l2 (macro from cabi.h) in sum3; info line names both"
    else bad "gdb: $(grep -E 'Breakpoint|^Line|No ' <<<"$gout" | tr '\n' '|')"; fi
  else skip "gdb: not installed"; fi
  "$G" -arch amd64 -os linux -no-dwarf cabi_amd64.s -o nodw.o
  objcopy -O binary -j .text elf.o elf.text; objcopy -O binary -j .text nodw.o nodw.text
  secs=$(readelf -S nodw.o)
  if ! grep -q debug <<<"$secs" && cmp -s elf.text nodw.text; then
    ok "-no-dwarf: no .debug_* sections; .text identical to the object with DWARF"
  else bad "-no-dwarf: debug sections or code differ"; fi
  "$G" -arch amd64 -os linux -trimpath "$W=>e2e" "$W/cabi_amd64.s" -o trim.o
  dd=$(llvm-dwarfdump --debug-line --debug-info trim.o)
  if grep -q '"e2e/cabi_amd64.s"' <<<"$dd" && ! grep -qaF "$W" trim.o; then
    ok "-trimpath '$W=>e2e': records e2e/cabi_amd64.s, no absolute path in the object"
  else bad "-trimpath: $(llvm-dwarfdump --debug-info trim.o | grep -m2 DW_AT_name | tr '\n' ' ')"; fi
  # Paths are recorded absolute and cleaned: one name for the file however it is
  # reached; a tree copied elsewhere gives the same bytes once -trimpath removes its root.
  mkdir -p d1/sub d2/sub && cp cabi_amd64.s cabi.h d1/sub/ && cp cabi_amd64.s cabi.h d2/sub/
  A=(-arch amd64 -os linux)
  (cd d1 && "$G" "${A[@]}" sub/cabi_amd64.s -o ../det1.o && "$G" "${A[@]}" sub/cabi_amd64.s -o ../det2.o)
  (cd d1/sub && "$G" "${A[@]}" cabi_amd64.s -o ../../det3.o)
  "$G" "${A[@]}" "$W/d1/./sub/../sub/cabi_amd64.s" -o det4.o
  (cd d1 && "$G" "${A[@]}" -trimpath "$W/d1" sub/cabi_amd64.s -o ../det5.o)
  (cd d2 && "$G" "${A[@]}" -trimpath "$W/d2" sub/cabi_amd64.s -o ../det6.o)
  if cmp -s det1.o det2.o && cmp -s det1.o det3.o && cmp -s det1.o det4.o && grep -qaF "$W/d1/sub/cabi_amd64.s" det1.o \
    && cmp -s det5.o det6.o && ! grep -qaF "$W" det5.o; then
    ok "deterministic: the same bytes twice, from another directory and through another spelling of the path ($W/d1/sub/cabi_amd64.s recorded); a copy of the tree elsewhere, with its root trimmed, the same bytes"
  else bad "determinism: objects differ, or the recorded path is not $W/d1/sub/cabi_amd64.s, or -trimpath left $W"; fi
else bad "goasm -arch amd64 -os linux cabi_amd64.s"; fi

# ------------------------------------------------------------------------------------- Mach-O
echo "== darwin amd64/arm64 Mach-O: relocations, ld64.lld-14 dylib + executable, disassembly"
mkdir -p sdk/usr/lib
cat > sdk/usr/lib/libSystem.tbd <<'EOF'
--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos, arm64-macos ]
install-name:    '/usr/lib/libSystem.B.dylib'
current-version: 1311
exports:
  - targets:         [ x86_64-macos, arm64-macos ]
    symbols:         [ dyld_stub_binder, _c_triple, _c_counter ]
...
EOF
for a in amd64 arm64; do
  la=$([ $a = amd64 ] && echo x86_64 || echo arm64)
  o=macho-$a.o
  if ! "$G" -arch $a -os darwin cabi_$a.s -o $o 2>goasm.err; then bad "macho $a: goasm: $(head -c 300 goasm.err)"; continue; fi
  r=$(llvm-objdump --macho -r $o)
  if [ $a = amd64 ]; then want="BRANCH SIGNED UNSIGND"; else want="BR26 PAGE21 PAGOF12 ADDEND UNSIGND"; fi
  miss=""; for t in $want; do grep -q " $t " <<<"$r" || miss="$miss $t"; done
  if [ -z "$miss" ]; then ok "macho $a: llvm-objdump --macho -r shows$(for t in $want; do printf ' %s' "$t"; done)"
  else bad "macho $a: relocation types missing:$miss"; fi
  hdr=$(llvm-objdump --macho --private-headers $o)
  syms=$(llvm-nm $o)
  if grep -q "cmd LC_BUILD_VERSION" <<<"$hdr" && grep -q "platform macos" <<<"$hdr" && grep -q "minos 12.0" <<<"$hdr" \
     && grep -q " T _add2$" <<<"$syms" && grep -q "sectname __debug_line" <<<"$hdr" && grep -q "SUBSECTIONS_VIA_SYMBOLS" <<<"$hdr"; then
    ok "macho $a: LC_BUILD_VERSION macos 12.0, MH_SUBSECTIONS_VIA_SYMBOLS, _add2, __DWARF,__debug_line"
  else bad "macho $a: headers/names: $(grep -E 'platform|minos' <<<"$hdr" | tr '\n' ' ')"; fi
  check "macho $a: DWARF (__DWARF): every instruction covered by a line row" "$PY" "$E/check_lines.py" $o cabi_$a.s --macho
  if ! have ld64.lld-14; then skip "macho $a: ld64.lld-14 missing (apt lld-14)"; continue; fi
  spec=(_load_magic=_magic,_magic2+8 _cmp_magic=_magic2+8 _call_c=stub:_c_triple _load_ptr=_ptr '*_ptr=_magic')
  if ld64.lld-14 -arch $la -platform_version macos 12.0 12.0 -dylib -undefined dynamic_lookup -o macho-$a.dylib $o 2>ld.err; then
    check "macho $a: ld64.lld-14 -dylib links; disassembly addresses the right symbols" "$PY" "$E/check_linked.py" macho-$a.dylib "${spec[@]}"
  else bad "macho $a: dylib link: $(head -c 300 ld.err)"; fi
  if ld64.lld-14 -arch $la -platform_version macos 12.0 12.0 -syslibroot sdk -lSystem -e _add2 -o macho-$a.exe $o 2>ld.err; then
    check "macho $a: ld64.lld-14 executable (libSystem stub) links; disassembly addresses the right symbols" "$PY" "$E/check_linked.py" macho-$a.exe "${spec[@]}"
  else bad "macho $a: executable link: $(head -c 300 ld.err)"; fi
done
if "$G" -arch arm64 -os ios cabi_arm64.s -o ios.o && hdr=$(llvm-objdump --macho --private-headers ios.o) && grep -q "platform ios" <<<"$hdr"; then
  ok "ios arm64: LC_BUILD_VERSION platform IOS"
else bad "ios arm64: no LC_BUILD_VERSION platform IOS"; fi

# ------------------------------------------------------------------------------------- COFF
echo "== windows amd64/386/arm64 COFF: relocations, lld-link, mingw-w64, wine64"
export WINEDEBUG=-all WINEPREFIX=${WINEPREFIX:-$HOME/.wine-goasm-e2e}
for a in amd64 386 arm64; do
  o=coff-$a.o
  if ! "$G" -arch $a -os windows cabi_$a.s -o $o 2>goasm.err || ! "$G" -arch $a -os windows stub.s -o stub-$a.o; then
    bad "coff $a: goasm: $(head -c 300 goasm.err)"; continue
  fi
  r=$(llvm-readobj --relocations $o)
  case $a in
    amd64) want="IMAGE_REL_AMD64_REL32 IMAGE_REL_AMD64_ADDR64 IMAGE_REL_AMD64_SECREL"; machine=x64; p="" ;;
    386) want="IMAGE_REL_I386_REL32 IMAGE_REL_I386_DIR32 IMAGE_REL_I386_SECREL"; machine=x86; p=_ ;;
    arm64) want="IMAGE_REL_ARM64_BRANCH26 IMAGE_REL_ARM64_PAGEBASE_REL21 IMAGE_REL_ARM64_PAGEOFFSET_12A IMAGE_REL_ARM64_PAGEOFFSET_12L IMAGE_REL_ARM64_ADDR64"; machine=arm64; p="" ;;
  esac
  miss=""; for t in $want; do grep -q "$t" <<<"$r" || miss="$miss $t"; done
  if [ -z "$miss" ]; then ok "coff $a: llvm-readobj --relocations shows $want"; else bad "coff $a: missing:$miss"; fi
  syms=$(llvm-nm $o)
  if grep -q " T ${p}add2$" <<<"$syms" && { [ $a != 386 ] || grep -q "@feat.00" <<<"$syms"; } \
     && grep -q "Name: .debug_line" <<<"$(llvm-readobj --sections $o)"; then
    ok "coff $a: symbol ${p}add2$([ $a = 386 ] && echo ', @feat.00'), .debug_line"
  else bad "coff $a: names/sections: $(tr '\n' ' ' <<<"$syms" | head -c 200)"; fi
  check "coff $a: DWARF: every instruction covered by a line row" "$PY" "$E/check_lines.py" $o cabi_$a.s --coff
  if have lld-link; then
    if lld-link /nologo /dll /noentry /machine:$machine /map:coff-$a.map /out:coff-$a.dll /export:${p#_}add2 $o stub-$a.o >ld.err 2>&1; then
      check "coff $a: lld-link /dll links (no /safeseh:no); disassembly addresses the right symbols" "$PY" "$E/check_linked.py" \
        --map coff-$a.map coff-$a.dll ${p}load_magic=${p}magic,${p}magic2+$([ $a = 386 ] && echo 4 || echo 8) \
        ${p}cmp_magic=${p}magic2+$([ $a = 386 ] && echo 4 || echo 8) ${p}call_c=${p}c_triple ${p}load_ptr=${p}ptr
    else bad "coff $a: lld-link: $(head -c 300 ld.err)"; fi
  else skip "coff $a: lld-link missing (apt lld)"; fi
  case $a in amd64) cc=x86_64-w64-mingw32-gcc ;; 386) cc=i686-w64-mingw32-gcc ;; arm64) cc="" ;; esac
  if [ -z "$cc" ]; then skip "coff arm64 executable: Debian has no aarch64 mingw gcc, and nothing here runs windows/arm64"; continue; fi
  if ! have $cc; then skip "coff $a: $cc missing"; continue; fi
  if ! $cc -o coff-$a.exe main.c $o >ld.err 2>&1; then bad "coff $a: $cc link: $(head -c 300 ld.err)"; continue; fi
  ok "coff $a: $cc links main.c with the goasm object"
  if [ $a = 386 ]; then skip "coff 386 run: wine32 needs the i386 multiarch (see ../shared/docs/e2e.md)"; continue; fi
  if [ "${GOASM_E2E_NO_WINE:-0}" = 1 ]; then skip "coff amd64 run: GOASM_E2E_NO_WINE=1"; continue; fi
  if ! have wine; then skip "coff amd64 run: wine64 not installed"; continue; fi
  [ -d "$WINEPREFIX" ] || timeout 300 wineboot -i >/dev/null 2>&1 || true
  out=$(timeout 300 wine coff-$a.exe 2>/dev/null | tr -d '\r'); rc=$?
  if [ $rc = 0 ] && [ "$out" = "$EXPECT" ]; then ok "coff amd64: wine64 runs the mingw executable: $out"
  else bad "coff amd64: wine rc=$rc out=$out"; fi
done

echo "== DUPOK symbols defined by two objects (Go's \$f64 constants): one is kept"
for t in windows/amd64 windows/386 darwin/amd64; do
  os=${t%/*}; a=${t#*/}
  "$G" -arch $a -os $os -D FUNC=f1 dupok.s -o dup1-$a-$os.o && "$G" -arch $a -os $os -D FUNC=f2 dupok.s -o dup2-$a-$os.o || { bad "dupok $t: goasm"; continue; }
  objs=(dup1-$a-$os.o dup2-$a-$os.o)
  case $t in
    windows/*)
      m=$([ $a = amd64 ] && echo x64 || echo x86); p=$([ $a = 386 ] && echo _)
      secs=$(llvm-readobj --sections dup1-$a-$os.o)
      if have lld-link && lld-link /nologo /dll /noentry /machine:$m /map:dup-$a.map /out:dup-$a.dll /export:f1 /export:f2 "${objs[@]}" >ld.err 2>&1 \
         && grep -q IMAGE_SCN_LNK_COMDAT <<<"$secs"; then
        check "dupok $t: COMDAT (select any) section; lld-link keeps one constant that both functions load" "$PY" "$E/check_linked.py" \
          --map dup-$a.map dup-$a.dll ${p}f1="${p}\$f64.3ff8000000000000" ${p}f2="${p}\$f64.3ff8000000000000"
      else bad "dupok $t: lld-link: $(head -c 300 ld.err)"; fi
      cc=$([ $a = amd64 ] && echo x86_64-w64-mingw32-gcc || echo i686-w64-mingw32-gcc)
      if have $cc; then
        if $cc -shared -o dup-$a-mingw.dll "${objs[@]}" >ld.err 2>&1; then ok "dupok $t: $cc -shared links both objects"
        else bad "dupok $t: $cc: $(head -c 300 ld.err)"; fi
      fi ;;
    darwin/*)
      la=$([ $a = amd64 ] && echo x86_64 || echo arm64)
      if ld64.lld-14 -arch $la -platform_version macos 12.0 12.0 -dylib -undefined dynamic_lookup -o dup-$a.dylib "${objs[@]}" 2>ld.err; then
        check "dupok $t: weak definitions; ld64.lld-14 keeps one constant that both functions load" "$PY" "$E/check_linked.py" dup-$a.dylib \
          "_f1=_\$f64.3ff8000000000000" "_f2=_\$f64.3ff8000000000000"
      else bad "dupok $t: ld64.lld-14: $(head -c 300 ld.err)"; fi ;;
  esac
done

# GOASM_E2E_CORPORA: std corpus manifests (scripts/test.sh passes amd64, 386, arm64): every object,
# now with DWARF, must stay clean for readelf, llvm-readobj, llvm-dwarfdump --verify and ld -r.
if [ -n "${GOASM_E2E_CORPORA:-}" ]; then
  echo "== std corpora with DWARF: readelf, llvm-readobj, llvm-dwarfdump --verify, ld -r"
  for mf in $GOASM_E2E_CORPORA; do
    a=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["goarch"])' "$mf")
    d=corpus-$a; mkdir -p $d
    "$PY" "$REPO/scripts/replay_syntax.py" --mode assemble --goasm "$G" --jobs 2 --keep-objects "$d" "$mf" >$d.log 2>&1
    case $a in amd64) ld=ld ;; 386) ld=i686-linux-gnu-ld ;; arm64) ld=aarch64-linux-gnu-ld ;; *) ld=ld ;; esac
    n=0; nd=0; probs=()
    for o in "$d"/*.o; do
      [ -f "$o" ] || continue
      n=$((n + 1))
      secs=$(readelf -S "$o"); grep -q debug_line <<<"$secs" && nd=$((nd + 1))
      re=$(readelf -a "$o" 2>&1); ro=$(llvm-readobj --all "$o" 2>&1); vf=$(llvm-dwarfdump --verify "$o" 2>&1); lr=$($ld -r -o "$o.r" "$o" 2>&1)
      if grep -qi warning <<<"$re$ro" || ! grep -q "No errors" <<<"$vf" || [ -n "$lr" ]; then probs+=("$(basename "$o")"); fi
    done
    if [ $n -gt 0 ] && [ ${#probs[@]} = 0 ]; then ok "corpus $a: $n objects ($nd with .debug_line) clean for readelf -a, llvm-readobj --all, llvm-dwarfdump --verify, $ld -r"
    else bad "corpus $a: $n objects, problems in: ${probs[*]:0:5}"; fi
  done
fi

echo "e2e_formats: $n_ok ok, $n_bad bad, $n_skip skipped"
[ $n_bad = 0 ]
