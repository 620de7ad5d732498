#!/usr/bin/env python3
"""Checks that a linked image resolved goasm's references to the right addresses.

usage: check_linked.py [--map LLD_LINK_MAP] IMAGE SPEC...
  IMAGE             a Mach-O dylib/executable (symbols from llvm-nm) or, with --map, a PE
                    image linked by lld-link /map (symbols from the map's publics)
  FUNC=REF,REF...   the references in FUNC's disassembly, in order, resolve to these targets:
                    SYM or SYM+N, or stub:SYM (a Mach-O call through SYM's stub)
  *SYM=TARGET       the 8-byte pointer stored at SYM (Mach-O) is TARGET's address
References read: x86 RIP-relative operands, absolute memory operands (386) and call targets;
arm64 ADRP page + the next ADD/LDR offset from that register, BL targets.
Prints one line per check; exits 1 on any mismatch.
"""
import bisect
import re
import struct
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def main():
    args = sys.argv[1:]
    pe_map = None
    if args[0] == '--map':
        pe_map, args = args[1], args[2:]
    img, specs = args[0], args[1:]
    syms = {}
    if pe_map:
        for line in open(pe_map):
            m = re.match(r'\s*[0-9a-f]{4}:[0-9a-f]{8}\s+(\S+)\s+([0-9a-f]{16})\s', line)
            if m:
                syms[m.group(1)] = int(m.group(2), 16)
        dis = run('llvm-objdump', '-d', '--no-show-raw-insn', img)
    else:
        for line in run('llvm-nm', img).splitlines():
            p = line.split()
            if len(p) == 3:
                syms[p[2]] = int(p[0], 16)
        dis = run('llvm-objdump', '--macho', '-d', '--no-show-raw-insn', img)
    by_addr = sorted((a, n) for n, a in syms.items())
    starts = [a for a, _ in by_addr]

    def value(ref):
        if ref.startswith('stub:'):
            return ref
        m = re.fullmatch(r'([^+]+)(?:\+(\d+))?', ref)
        return syms[m.group(1)] + int(m.group(2) or 0)

    funcs = {}
    for line in dis.splitlines():
        m = re.match(r'^\s*([0-9a-f]+):\s*(.*)$', line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        i = bisect.bisect_right(starts, addr) - 1
        if i >= 0:
            funcs.setdefault(by_addr[i][1], []).append((addr, m.group(2).strip()))

    def refs(body):
        out, pages = [], {}
        for i, (addr, text) in enumerate(body):
            nxt = body[i + 1][0] if i + 1 < len(body) else None
            stub = re.search(r'symbol stub for: (\S+)', text)
            code = re.split(r'\s(?:#\s|//|;|<)', text)[0]
            op = code.split()[0] if code.split() else ''
            if op in ('call', 'callq', 'calll', 'bl'):
                if stub:
                    out.append('stub:' + stub.group(1))
                else:
                    t = code.split()[1]
                    out.append(int(t, 16) if t.startswith('0x') else syms[t])
                continue
            m = re.search(r'(-?(?:0x[0-9a-f]+|\d+)|_[^(+]+(?:\+\d+)?)\(%rip\)', code)
            if m:
                d = m.group(1)
                out.append(value(d) if d.startswith('_') else nxt + int(d, 0))
                continue
            if op == 'adrp':
                page = text.split(';')[1].split()[0] if ';' in text else code.split(',')[1].strip()
                pages[code.split()[1].rstrip(',')] = int(page, 16)
                continue
            m = re.match(r'(?:ldr\w*|str\w*)\s+\w+, \[(x\d+)(?:, #(\d+))?\]', code) or \
                re.match(r'add\s+x\d+, (x\d+), #(\d+)', code)
            if m:
                if m.group(1) in pages:
                    out.append(pages.pop(m.group(1)) + int(m.group(2) or 0))
                continue
            if op.startswith('j') or op.startswith('b'):
                continue
            for a in re.findall(r'(?<![$\w-])(0x[0-9a-f]+|\d+)(?![\w(])', code):  # 386 absolute operands
                if int(a, 0) >= 0x10000:
                    out.append(int(a, 0))
        return out

    def read64(addr):
        with open(img, 'rb') as f:
            data = f.read()
        ncmds = struct.unpack_from('<I', data, 16)[0]
        off = 32
        for _ in range(ncmds):
            cmd, size = struct.unpack_from('<II', data, off)
            if cmd == 0x19:  # LC_SEGMENT_64
                vm, _vmsize, fo, fsz = struct.unpack_from('<QQQQ', data, off + 24)
                if vm <= addr < vm + fsz:
                    return struct.unpack_from('<Q', data, fo + addr - vm)[0]
            off += size
        raise KeyError(hex(addr))

    show = lambda v: v if isinstance(v, str) else hex(v)
    bad = 0
    for spec in specs:
        lhs, rhs = spec.split('=', 1)
        if lhs.startswith('*'):
            got, want = read64(syms[lhs[1:]]), value(rhs)
            ok = got == want
            print(f"  {'ok ' if ok else 'BAD'} {lhs[1:]} holds {got:#x}; {rhs} is {want:#x}")
        else:
            got = refs(funcs.get(lhs, []))
            want = [value(r) for r in rhs.split(',')]
            ok = got == want
            print(f"  {'ok ' if ok else 'BAD'} {lhs} references {[show(g) for g in got]}; {rhs} is {[show(w) for w in want]}")
        bad += not ok
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
