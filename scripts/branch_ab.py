#!/usr/bin/env python3
"""A/B of branch layout against Go's assembler on random branch-heavy files.

usage: branch_ab.py --goasm GOASM [--files N] [--seed S] [--keep DIR]

Generates N seeded files per arch (amd64, 386, arm64): functions of random
length with labels, conditional and unconditional branches (chains of jumps
included), fillers of several sizes, and for arm64 PCALIGN and literal-pool
loads. Each is assembled by `go tool asm -S` and `goasm -S`; the code bytes
of every symbol (the hex dump of the listing) must be identical, and a file
Go rejects must be rejected by goasm too. x86 files have no PCALIGN: Go's
assembler can take minutes on those (its relaxation does not settle).
Prints a line per arch and exits 1 on any difference.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

HEX = re.compile(r"^\t0x[0-9a-f]{4} ((?:[0-9a-f]{2} )+)")
HEADER = re.compile(r"^(\S+) STEXT")


def gen_file(rng, line):
    """Three functions of random length with labels; `line(label)` makes
    each instruction (`label()` picks a label of the function)."""
    out = ['#include "textflag.h"', ""]
    for f in range(3):
        out.append(f"TEXT ·f{f}(SB),NOSPLIT,$0")
        nlab, n = rng.randint(3, 25), rng.randint(20, 400)
        labs = [rng.randrange(n + 1) for _ in range(nlab)]
        for i in range(n + 1):
            out += [f"L{f}_{k}:" for k, at in enumerate(labs) if at == i]
            if i == n:
                break
            out.append("\t" + line(lambda: f"L{f}_{rng.randrange(nlab)}"))
        out.append("\tRET")
    return "\n".join(out) + "\n"


def gen_x86(rng, arch):
    regs = ["AX", "BX", "CX", "DX", "SI", "DI"] + (["R8", "R11", "R15"] if arch == "amd64" else [])
    jumps = ["JEQ", "JNE", "JLT", "JGE", "JHI", "JLS", "JMP", "JMP", "JCS", "JCC", "JMI", "JPL"]
    # LOOP and JCXZL reach 127 bytes only: in a quarter of the files (most
    # such files are rejected, by Go and goasm alike).
    loops = 0.005 if rng.random() < 0.25 else 0

    def line(label):
        a, b = rng.choice(regs), rng.choice(regs)
        r = rng.random()
        if r < 0.18:
            return f"{rng.choice(jumps)} {label()}"
        if r < 0.18 + loops:
            return f"{rng.choice(['LOOP', 'JCXZL'])} {label()}"
        return rng.choice([
            "NOP", f"MOVL ${rng.choice([1, 300, 70000])}, {a}", f"ADDL {a}, {b}",
            f"MOVL {rng.choice([0, 8, 1000])}({a}), {b}", f"LEAL 0x1234({a}), {b}"])
    return gen_file(rng, line)


def gen_arm64(rng):
    branches = ["B", "B", "JMP", "BEQ", "BNE", "BLT", "CBZ R1,", "CBNZ R2,", "TBZ $3, R4,"]

    def line(label):
        r = rng.random()
        if r < 0.2:
            return f"{rng.choice(branches)} {label()}"
        if r < 0.22:
            return f"PCALIGN ${rng.choice([8, 16, 32])}"
        if r < 0.24:
            return f"MOVD ${rng.randrange(1 << 40)}, R5"
        return rng.choice(["NOP", "ADD $1, R0, R1", "MOVD 8(R2), R3", "SUB R4, R5, R6"])
    return gen_file(rng, line)


def code_bytes(listing):
    """Symbol name -> its bytes as the listing's hex dump shows them."""
    syms, cur = {}, None
    for line in listing.splitlines():
        m = HEADER.match(line)
        if m:
            cur = m.group(1)
            syms[cur] = []
            continue
        m = HEX.match(line)
        if m and cur is not None:
            syms[cur].append(m.group(1))
    return {k: "".join(v) for k, v in syms.items()}


def run(argv, env, timeout):
    try:
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout
    except subprocess.TimeoutExpired:
        return None, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--goasm", required=True)
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="write the generated files here")
    args = ap.parse_args()
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    inc = os.path.join(goroot, "pkg", "include")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for arch in ["amd64", "386", "arm64"]:
            tally = {"identical": 0, "both reject": 0, "go timed out": 0}
            bad = []
            for i in range(args.files):
                rng = random.Random(f"{args.seed}-{arch}-{i}")
                src = gen_arm64(rng) if arch == "arm64" else gen_x86(rng, arch)
                path = os.path.join(args.keep or tmp, f"{arch}_{i}.s")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(src)
                env = dict(os.environ, GOARCH=arch, GOOS="linux")
                out = os.path.join(tmp, "o.o")
                gs, gl = run(["go", "tool", "asm", "-S", "-p", "p", "-I", inc, "-o", out, path], env, 60)
                ms, ml = run([args.goasm, "-arch", arch, "-S", "-p", "p", "-I", inc, "-o", out, path], env, 60)
                if gs is None:
                    tally["go timed out"] += 1
                elif gs != 0 and ms != 0:
                    tally["both reject"] += 1
                elif gs != 0 or ms != 0:
                    bad.append(f"{path}: go exit {gs}, goasm exit {ms}")
                else:
                    g, m = code_bytes(gl), code_bytes(ml)
                    diff = [s for s in g if g[s] != m.get(s)]
                    if diff or set(g) != set(m):
                        bad.append(f"{path}: symbols differ: {', '.join(diff) or 'symbol sets'}")
                    else:
                        tally["identical"] += 1
            summary = ", ".join(f"{v} {k}" for k, v in tally.items())
            print(f"branch A/B {arch}: {args.files} random files: {summary}, {len(bad)} different")
            for b in bad[:10]:
                print(f"  {b}")
            failed |= bool(bad)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
