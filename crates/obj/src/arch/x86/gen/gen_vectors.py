#!/usr/bin/env python3
"""Encoding vectors for the x86 backend, from our tables and Go's bytes.

For every mnemonic of optab_gen.rs, each operand-class row (and each row of
the special move table) is turned into instruction lines by giving every
class a few representative operands. Go 1.27.3's assembler (`go` on PATH)
encodes them; the results go to testdata/<goarch>/*.s in the format of Go's
own testdata:

    ADDQ $7, 8(AX)(CX*4)      // 4883448807
    MOVQ CR0, (BX)            // ERROR "invalid instruction"

A line Go rejects is kept as an ERROR vector. Bytes under a relocation
are zero. `cargo test` (crates/asm-parser/tests/x86_vectors.rs) checks every
line against goasm without Go.

usage: gen_vectors.py [--check]   (from anywhere; --check: fail if the files would change)
"""

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../../../../../.."))
OPTAB = os.path.join(HERE, "..", "optab_gen.rs")

# Representative operands per class, per goarch. A class may have several;
# a row's lines are the product of its operands' samples (capped).
COMMON = {
    "Ynone": [None],
    "Yi0": ["$0"], "Yi1": ["$1"], "Yu2": ["$2"], "Yi8": ["$-7"], "Yu8": ["$200"], "Yu7": ["$7"],
    "Ys32": ["$-100000"], "Yi32": ["$100000"],
    "Yal": ["AL"], "Ycl": ["CL"], "Yax": ["AX"], "Ycx": ["CX"],
    "Yrf": ["F3"], "Yf0": ["F0"],
    "Ycs": ["CS"], "Yss": ["SS"], "Yds": ["DS"], "Yes": ["ES"], "Yfs": ["FS"], "Ygs": ["GS"],
    "Ygdtr": ["GDTR"], "Yidtr": ["IDTR"], "Yldtr": ["LDTR"], "Ymsw": ["MSW"], "Ytask": ["TASK"],
    "Ymr": ["M2"], "Ymm": ["M3", "(BX)"],
    "Yk0": ["K0"], "Yknot0": ["K1"], "Yk": ["K2"], "Ykm": ["K3", "(AX)"],
}
for i in range(9):
    COMMON[f"Ycr{i}"] = [f"CR{i}"]
for i in range(8):
    COMMON[f"Ydr{i}"] = [f"DR{i}"]
    COMMON[f"Ytr{i}"] = [f"TR{i}"]

AMD64 = dict(COMMON)
AMD64.update({
    "Yi64": ["$0x123456789"],
    "Yrb": ["BL", "R10B"], "Yrl": ["DX", "R11"], "Yrl32": ["DX"], "Yrx": ["BX", "R9"],
    "Ymb": ["(BX)", "-7(R13)"], "Yml": ["(BX)", "8(AX)(CX*4)", "0x1234(R12)"], "Ym": ["(BX)", "16(R8)(DX*2)"],
    "Yxr0": ["X0"], "Yxr": ["X3", "X11"], "YxrEvex": ["X25"], "Yxm": ["X4", "(BX)"], "YxmEvex": ["X20", "64(AX)"],
    "Yxvm": ["(AX)(X2*4)"], "YxvmEvex": ["(AX)(X22*4)"],
    "Yyr": ["Y5", "Y12"], "YyrEvex": ["Y21"], "Yym": ["Y6", "(CX)"], "YymEvex": ["Y22", "-32(DX)"],
    "Yyvm": ["(AX)(Y2*8)"], "YyvmEvex": ["(AX)(Y18*8)"],
    "Yzr": ["Z7", "Z27"], "Yzm": ["Z9", "128(DX)"], "Yzvm": ["(AX)(Z3*4)"],
    "YxrEvexMulti4": ["[X0-X3]"], "YyrEvexMulti4": ["[Y4-Y7]"], "YzrMulti4": ["[Z8-Z11]"],
})
I386 = dict(COMMON)
I386.update({
    "Yrb": ["BL"], "Yrl": ["DX"], "Yrl32": ["DX"], "Yrx": ["BX"],
    "Ymb": ["(BX)", "-7(BP)"], "Yml": ["(BX)", "8(AX)(CX*4)"], "Ym": ["(BX)", "16(SI)(DX*2)"],
    "Yxr0": ["X0"], "Yxr": ["X3"], "YxrEvex": ["X5"], "Yxm": ["X4", "(BX)"], "YxmEvex": ["X6", "64(AX)"],
    "Yxvm": ["(AX)(X2*4)"], "YxvmEvex": ["(AX)(X2*4)"],
    "Yyr": ["Y5"], "YyrEvex": ["Y1"], "Yym": ["Y6", "(CX)"], "YymEvex": ["Y2", "-32(DX)"],
    "Yyvm": ["(AX)(Y2*8)"], "YyvmEvex": ["(AX)(Y2*8)"],
    "Yzr": ["Z7"], "Yzm": ["Z1", "128(DX)"], "Yzvm": ["(AX)(Z3*4)"],
    "YxrEvexMulti4": ["[X0-X3]"], "YyrEvexMulti4": ["[Y4-Y7]"], "YzrMulti4": ["[Z2-Z5]"],
})
SAMPLES = {"amd64": AMD64, "386": I386}
MAX_LINES_PER_ROW = 8

# Pseudo-instructions and branches: their operands are labels or need context.
SKIP_OPS = {"CALL", "JMP", "RET", "TEXT", "DUFFZERO", "DUFFCOPY", "PCALIGN", "PCALIGNMAX", "NOP", "UNDEF",
            "FUNCDATA", "PCDATA", "ADJSP", "XBEGIN"}


def parse_tables():
    text = open(OPTAB).read()
    forms = {}
    for m in re.finditer(r"static (Y\w+): \[Form; \d+\] = \[\n(.*?)\n\];", text, re.S):
        rows = []
        for r in re.finditer(r"Form \{ z: z::(\w+), zoff: \d+, args: \[([^\]]*)\] \}", m.group(2)):
            args = [a.strip().removeprefix("y::") for a in r.group(2).split(",")]
            rows.append((r.group(1), [a for a in args if a != "Yxxx"]))
        forms[m.group(1)] = rows
    entries = []
    for m in re.finditer(r"Entry \{ op: (\w+), forms: &(\w+),", text):
        op = m.group(1)
        name = op[1:] if op.startswith("A") else op
        if op.startswith("generic::"):
            continue
        entries.append((name, forms.get(m.group(2), [])))
    moves = []
    for m in re.finditer(r"MovForm \{ op: A(\w+), ft: y::(\w+), f3t: y::(\w+), tt: y::(\w+),", text):
        moves.append((m.group(1), [m.group(2), m.group(3), m.group(4)]))
    return entries, moves


def family(name, z):
    if z.startswith("Zevex"):
        return "avx512"
    if z.startswith("Zvex"):
        return "avx"
    if name.startswith("F") and not name.startswith("FXSAVE") and not name.startswith("FXRSTOR"):
        return "x87"
    return "base"


def lines_for(samples, name, args):
    choices = []
    for a in args:
        if a == "Ynone":
            continue
        if a not in samples:
            return []
        choices.append(samples[a])
    out = []
    for combo in itertools.islice(itertools.product(*choices), MAX_LINES_PER_ROW):
        ops = [c for c in combo if c is not None]
        out.append(f"{name}\t{', '.join(ops)}" if ops else name)
    return out


def collect(goarch):
    entries, moves = parse_tables()
    samples = SAMPLES[goarch]
    by_family = {}
    seen = set()
    for name, rows in entries:
        if name in SKIP_OPS or name.startswith("J") or name.startswith("LOOP"):
            continue
        for z, args in rows:
            if goarch == "386" and any(a in ("Yi64",) for a in args):
                continue
            for line in lines_for(samples, name, args):
                if line not in seen:
                    seen.add(line)
                    by_family.setdefault(family(name, z), []).append(line)
    for name, args in moves:
        for line in lines_for(samples, name, args):
            if line not in seen:
                seen.add(line)
                by_family.setdefault("base", []).append(line)
    return by_family


def encoder_error(row):
    """(line, message) of an encoder error naming its line: `asm: [v12: ]MESSAGE: 00002 (v.s:LINE)`.
    Other backends' generators (arm64) replace this function."""
    n = re.match(r"^asm: (?:(?:vec\.)?v\d+: )?(.*?): \d+ \(.*?v\.s:(\d+)\)", row)
    return (int(n.group(2)), n.group(1)) if n else None


def go_encode(goarch, lines):
    """Go's bytes (hex) or error for each line, each in its own TEXT symbol."""
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GOARCH=goarch, GOOS="linux")
        batch(env, tmp, lines, list(range(len(lines))), results)
    return results


def batch(env, tmp, lines, todo, results):
    src = os.path.join(tmp, "v.s")
    obj = os.path.join(tmp, "v.o")
    while todo:
        # TEXT on line 2k+1, the instruction on line 2k+2.
        with open(src, "w") as f:
            for i in todo:
                f.write(f"TEXT v{i}(SB), 516, $0\n\t{lines[i]}\n")
        p = subprocess.run(["go", "tool", "asm", "-e", "-S", "-p", "vec", "-o", obj, src],
                           env=env, capture_output=True, text=True)
        bad = set()
        for row in p.stderr.splitlines():
            m = re.match(r"^.*?v\.s:(\d+): (.*)$", row)  # parser errors
            n = encoder_error(row)
            if m:
                line_no, msg = int(m.group(1)), m.group(2)
            elif n:
                line_no, msg = n
            else:
                continue
            k = (line_no - 1) // 2
            if k < len(todo):
                bad.add(todo[k])
                results.setdefault(todo[k], ("error", msg))
        if bad:
            todo = [i for i in todo if i not in bad]
            continue
        if p.returncode != 0:
            # An error without a line: split until it is one line.
            if len(todo) == 1:
                msg = next((r.removeprefix("asm: ") for r in p.stderr.splitlines() if "assembly" not in r), "error")
                results[todo[0]] = ("error", msg)
                return
            half = len(todo) // 2
            batch(env, tmp, lines, todo[:half], results)
            batch(env, tmp, lines, todo[half:], results)
            return
        for sym, body in re.findall(r"^(?:vec\.)?v(\d+) STEXT.*?\n((?:\t.*\n)*)", p.stdout, re.M):
            data = bytearray()
            for row in re.findall(r"^\t0x[0-9a-f]{4} ((?:[0-9a-f]{2} )+)", body, re.M):
                data += bytes.fromhex(row.replace(" ", ""))
            for off, size in re.findall(r"^\trel (\d+)\+(\d+) ", body, re.M):
                data[int(off):int(off) + int(size)] = bytes(int(size))
            results[int(sym)] = ("ok", data.hex())
        return


def error_text(msg):
    return msg.strip().replace('"', "'")


def render(goarch, fam, lines, results):
    out = [
        f"// Code generated by crates/obj/src/arch/x86/gen/gen_vectors.py from Go go1.27.3; DO NOT EDIT.",
        f"// GOARCH={goarch} {fam} forms: each operand-class row of our tables with sample operands,",
        f"// and the bytes Go's assembler gives it (ERROR: Go rejects the line).",
        "",
        "TEXT vectors(SB), 516, $0",
    ]
    width = max((len(l) for l in lines), default=0)
    for i, line in enumerate(lines):
        kind, val = results[i]
        comment = val if kind == "ok" else f'ERROR "{error_text(val)}"'
        out.append(f"\t{line.ljust(width)} // {comment}")
    return "\n".join(out) + "\n"


def emit(goarch, by_family, render_family, check, stale):
    """Go's results for each family's lines, written to testdata/GOARCH/FAMILY.s
    (with check: the files that would change are added to stale)."""
    outdir = os.path.join(REPO, "testdata", goarch)
    os.makedirs(outdir, exist_ok=True)
    for fam, lines in sorted(by_family.items()):
        results = go_encode(goarch, lines)
        text = render_family(fam, lines, results)
        path = os.path.join(outdir, f"{fam}.s")
        old = open(path).read() if os.path.exists(path) else None
        n_err = sum(1 for r in results.values() if r[0] == "error")
        print(f"{goarch}/{fam}.s: {len(lines)} lines, {n_err} ERROR")
        if check:
            if old != text:
                stale.append(path)
        else:
            open(path, "w").write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    stale = []
    for goarch in ("amd64", "386"):
        emit(goarch, collect(goarch), lambda fam, lines, results: render(goarch, fam, lines, results), a.check, stale)
    if stale:
        sys.exit("stale: " + " ".join(stale))

if __name__ == "__main__":
    main()
