#!/usr/bin/env python3
"""Checks the DWARF line table of a goasm object against its code and source.

usage: check_lines.py OBJECT SOURCE.s [--macho|--coff] [--functions-only]
Every instruction (llvm-objdump -d, INT3/UDF padding excluded) must be covered by a row of
`llvm-dwarfdump --debug-line` (the row at its address, or the row of the Go instruction it is
part of, e.g. the LDR of an arm64 ADRP+LDR pair), every row must name SOURCE and a line of SOURCE that holds an
instruction or a macro invocation (not blank, not a comment, not a directive), and (ELF)
`readelf --debug-dump=decodedline` must list the same rows. With --functions-only (a backend
that does not record instruction positions yet) only each function's first instruction must
start a row. Prints a summary; exits 1 on failure.
"""
import os
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main():
    obj, src = sys.argv[1], sys.argv[2]
    macho = '--macho' in sys.argv[3:]
    elf = not macho and '--coff' not in sys.argv[3:]
    functions_only = '--functions-only' in sys.argv[3:]
    lines = open(src).read().split('\n')
    dump = run('llvm-dwarfdump', '--debug-line', obj)
    files = {int(i): n for i, n in re.findall(r'file_names\[\s*(\d+)\]:\s*\n\s*name: "([^"]*)"', dump)}
    rows, marks = [], []
    for m in re.finditer(r'^0x([0-9a-f]{16})\s+(\d+)\s+\d+\s+(\d+)\s.*$', dump, re.M):
        end = 'end_sequence' in m.group(0)
        marks.append((int(m.group(1), 16), not end))
        if not end:
            rows.append((int(m.group(1), 16), int(m.group(2)), int(m.group(3))))
    marks.sort()
    dis = run('llvm-objdump', '-d', '--no-show-raw-insn', *(['--macho'] if macho else []), obj)
    insns = []
    first = True
    for line in dis.split('\n'):
        if re.match(r'^(?:[0-9a-f]+ <\S+>|_\S+):$', line):
            first = True
        m = re.match(r'^\s*([0-9a-f]+):\s+(\S+)', line)
        if m and m.group(2) not in ('int3', 'udf') and (first or not functions_only):
            insns.append(int(m.group(1), 16))
            first = False
    bad = []
    def covered(a):
        # the last row or sequence end at or before a: a row (a sequence end at
        # the same address as a new row sorts before it)
        last = False
        for addr, is_row in marks:
            if addr > a:
                break
            last = is_row
        return last
    missing = [hex(a) for a in insns if not covered(a)]
    starts = {r[0] for r in rows}
    exact = sum(1 for a in insns if a in starts)
    if missing:
        bad.append(f'instructions without a row: {missing[:8]}')
    for a, line, f in rows:
        name = files.get(f, '?')
        if os.path.basename(name) != os.path.basename(src):
            bad.append(f'row {a:#x} names file {name!r}')
            continue
        text = lines[line - 1].strip() if 0 < line <= len(lines) else ''
        if not text or text.startswith(('//', '#', 'DATA', 'GLOBL')):
            bad.append(f'row {a:#x} names line {line}: {text!r}')
    if elf:
        dec = run('readelf', '--debug-dump=decodedline', obj)
        n = len(re.findall(r'^\S+\.s\s+\d+\s+(?:0x[0-9a-f]+|0)\s', dec, re.M))
        if n != len(rows):
            bad.append(f'readelf --debug-dump=decodedline lists {n} rows, llvm-dwarfdump {len(rows)}')
    used = sorted({line for _, line, _ in rows})
    what = 'function entries' if functions_only else 'instructions'
    cov = 'all covered' if not missing else f'{len(missing)} not covered'
    print(f'  {len(insns)} {what} ({exact} starting a row, {cov}), {len(rows)} line rows in {sorted(set(files.values()))}; lines {used}')
    for b in bad[:10]:
        print('  BAD', b)
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
