#!/usr/bin/env python3
"""Encoding vectors for the arm64 backend, from our tables and Go's bytes.

For every opcode of tables_gen.rs (RANGES: opcode -> its optab rows), each
row's operand classes (from, reg, from3, to, to2) are given sample operands
(SAMPLES below; registers are numbered by operand position, SIMD operands of
one line share an arrangement), written in Go's operand order, and Go
1.27.3's assembler (`go` on PATH) encodes the lines. The results go to
testdata/arm64/*.s in the format of Go's own testdata:

    ADD $0x123456, R1, R4          // 241c4091848c4891
    LDP.W (R1), (R2, R3)           // ERROR "illegal combination"

A line Go rejects is kept as an ERROR vector. Bytes under a relocation are
zero. `cargo test` (crates/asm-parser/tests/arm64_vectors.rs) checks every
line against goasm without Go. The Go side (one TEXT per line, bisection on
errors) is the x86 generator's.

usage: gen_vectors.py [--check]   (from anywhere; --check: fail if the files would change)
"""

import argparse
import importlib.util
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "../../../../../.."))
TABLES = os.path.join(HERE, "..", "tables_gen.rs")
CONSTS = os.path.join(REPO, "crates/arch-tables/src/gen/arm64_consts.rs")

_spec = importlib.util.spec_from_file_location("x86_gen_vectors", os.path.join(HERE, "../../x86/gen/gen_vectors.py"))
x86gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(x86gen)


def encoder_error(row, _prev=[""]):
    """Go's arm64 errors: `asm: MESSAGE[:] 00000 (v.s:LINE)...`, `asm: 00000 (v.s:LINE)\tINSN: MESSAGE`,
    or `asm: MESSAGE` with `00000 (v.s:LINE)\tINSN` on the next row."""
    n = re.match(r"^(?:asm: )?(.*?):? ?\d{5} \(.*?v\.s:(\d+)\)(.*)$", row)
    if not n:
        _prev[0] = row.removeprefix("asm: ")
        return None
    msg = n.group(1) or n.group(3).rpartition(": ")[2] or _prev[0]
    return int(n.group(2)), msg.strip()


x86gen.encoder_error = encoder_error

# Registers by operand position (from, reg, from3, to, to2).
R = [1, 2, 3, 4, 5]
PAIR = [(2, 3), (4, 5), (6, 7), (8, 9), (10, 11)]
LIST = [6, 10, 14, 18, 22]
ARRANGEMENTS = ["B8", "B16", "H4", "H8", "S2", "S4", "D1", "D2"]

OREG = ["(R{r})", "8(R{r})", "-8(R{r})", "3(R{r})", "-1(R{r})", "4(R{r})", "-4(R{r})", "16(R{r})", "-16(R{r})",
        "264(R{r})", "-264(R{r})", "272(R{r})", "-272(R{r})", "1008(R{r})", "-1008(R{r})", "-1001(R{r})", "4095(R{r})",
        "8190(R{r})", "16380(R{r})", "32760(R{r})", "65520(R{r})", "0x123456(R{r})", "0x1234568(R{r})", "8(RSP)"]
AUTO = ["x-8(SP)", "x-16(SP)", "x-4(SP)", "x-264(SP)", "x-1008(SP)", "x-4000(SP)", "x-0x123456(SP)", "a+0(FP)",
        "a+8(FP)", "a+4096(FP)"]
CONST = ["$0", "$1", "$7", "$0xfff", "$0x1000", "$0xfff000", "$0x123456", "$0xff00ff00", "$0xffff0000",
         "$0x12340000", "$0x12345678", "$0x5555555555555555", "$0x123400005678", "$0x123456780000abcd",
         "$0x123456789abcdef0", "$-1", "$-4096"]

SAMPLES = {
    "C_NONE": [None],
    "C_REG": ["R{r}", "R2{r}"], "C_ZREG": ["ZR"], "C_RSP": ["RSP"],
    "C_FREG": ["F{r}", "F2{r}"], "C_VREG": ["V{r}", "V2{r}"],
    "C_PAIR": ["(R{p0}, R{p1})", "(F{p0}, F{p1})"],
    "C_SHIFT": ["R{r}<<3", "R{r}>>7", "R{r}->63", "R{r}@>5"],
    "C_EXTREG": ["R{r}.UXTW<<2", "R{r}.SXTX", "R{r}.UXTB", "R{r}.SXTH<<1"],
    "C_SPR": ["NZCV", "FPSR", "MIDR_EL1", "DAIFSet"],
    "C_COND": ["EQ", "HI"],
    "C_SPOP": ["PLDL1KEEP", "PSTL2STRM", "VAE1IS"],
    "C_ARNG": ["V{r}.{a}"], "C_ELEM": ["V{r}.{e}[1]"],
    "C_LIST": ["[V{l0}.{a}]", "[V{l0}.{a}, V{l1}.{a}]", "[V{l0}.{a}, V{l1}.{a}, V{l2}.{a}, V{l3}.{a}]"],
    "C_FCON": ["$1.5", "$0.0", "$(0.1)", "$-2.0"],
    "C_VCONADDR": ["$sym(SB)", "$sym+16(SB)"],
    "C_AACON2": ["$8(R{r})", "$0x123456(R{r})", "$x-8(SP)"], "C_LACON": ["$8(R{r})", "$0x123456(R{r})", "$x-8(SP)", "$-8(R{r})"],
    "C_ADDR": ["sym(SB)", "sym+8(SB)"], "C_GOTADDR": ["sym@GOT(SB)"],
    "C_SBRA": ["0(PC)", "sym(SB)"],
    "C_ROFF": ["(R{r})(R{s})", "(R{r})(R{s}<<3)", "(R{r})(R{s}.UXTW<<2)", "(R{r})(R{s}.SXTW)"],
    "C_LEXT": ["$sym(SB)"],
}
for _c in ["ZCON", "ABCON0", "ADDCON0", "ABCON", "AMCON", "ADDCON", "MBCON", "MOVCON", "BITCON", "ADDCON2", "LCON",
           "MOVCON2", "MOVCON3", "VCON"]:
    SAMPLES["C_" + _c] = CONST
MAX_DIAGONAL = 24
MAX_PRODUCT = 8

# Pseudo-instructions: their operands need context (TEXT, FUNCDATA...).
SKIP_OPS = {"TEXT", "FUNCDATA", "PCDATA", "PCALIGN", "PCALIGNMAX", "NOP"}


def parse_tables():
    text = open(TABLES).read()
    consts = open(CONSTS).read()
    ops = {int(v): n[1:] for n, v in re.findall(r"pub const (A\w+): i64 = (\d+);", consts)}
    classes = {int(v): n for n, v in re.findall(r"pub const (C_\w+): i64 = (\d+);", consts)}
    rows = []
    for r in re.finditer(r"Row::new\((\d+), \[([\d, ]+)\], (-?\d+), (-?\d+), (-?\d+), (-?\d+), (-?\d+)\)", text):
        rows.append(([classes[int(x)] for x in r.group(2).split(", ")], int(r.group(7))))
    ranges = text[text.index("pub static RANGES"):text.index("pub static COVER")]
    entries = []
    for op, start, n in re.findall(r"\((\d+), (\d+), (\d+)\)", ranges):
        op, start, n = int(op), int(start), int(n)
        if op < 256 or ops.get(op) in SKIP_OPS or op not in ops:
            continue  # generic pseudo-ops (CALL, JMP, RET...) are not backend forms
        entries.append((ops[op], rows[start:start + n]))
    return entries, classes


def fill(tpl, pos, arng):
    a = ARRANGEMENTS[arng % len(ARRANGEMENTS)]
    r = R[pos]
    return tpl.format(r=r, s=r + 10, p0=PAIR[pos][0], p1=PAIR[pos][1], a=a, e=a[0],
                      l0=LIST[pos], l1=LIST[pos] + 1, l2=LIST[pos] + 2, l3=LIST[pos] + 3)


def samples_of(cls):
    if cls in SAMPLES:
        return SAMPLES[cls]
    if "OREG" in cls:
        return OREG
    if "AUTO" in cls:
        return AUTO
    return None


def lines_for(name, classes, scond):
    suffix = {0: "", 32: ".P", 64: ".W"}.get(scond)
    if suffix is None:
        return []
    choices = []
    for pos, cls in enumerate(classes):
        s = samples_of(cls)
        if s is None:
            return []
        choices.append((pos, s))
    simd = any(c in ("C_ARNG", "C_ELEM", "C_LIST") for c in classes)
    n_diag = min(MAX_DIAGONAL, max(len(s) for _, s in choices) * (len(ARRANGEMENTS) if simd else 1))
    picks = [[i % len(s) for _, s in choices] + [i] for i in range(n_diag)]
    # The first few of the full product too (combinations the diagonal skips).
    prod = [[]]
    for _, s in choices:
        prod = [p + [k] for p in prod for k in range(len(s))][:MAX_PRODUCT]
    picks += [p + [0] for p in prod]
    out = []
    for pick in picks:
        ops = [fill(s[k], pos, pick[-1]) for (pos, s), k in zip(choices, pick) if s[k] is not None]
        out.append(f"{name}{suffix}\t{', '.join(ops)}" if ops else f"{name}{suffix}")
    return out


def family(classes):
    if any(c in ("C_ARNG", "C_ELEM", "C_LIST", "C_VREG") for c in classes):
        return "simd"
    if "C_FREG" in classes or "C_FCON" in classes:
        return "fp"
    if any("OREG" in c or "AUTO" in c or c in ("C_ROFF", "C_ADDR", "C_GOTADDR", "C_PAIR") for c in classes):
        return "mem"
    return "base"


def collect():
    entries, _ = parse_tables()
    by_family, seen = {}, set()
    for name, rows in entries:
        for classes, scond in rows:
            for line in lines_for(name, classes, scond):
                if line not in seen:
                    seen.add(line)
                    by_family.setdefault(family(classes), []).append(line)
    return by_family


def render(fam, lines, results):
    out = [
        "// Code generated by crates/obj/src/arch/arm64/gen/gen_vectors.py from Go go1.27.3; DO NOT EDIT.",
        f"// GOARCH=arm64 {fam} forms: each optab row of our tables with sample operands,",
        "// and the bytes Go's assembler gives it (ERROR: Go rejects the line).",
        "",
        "TEXT vectors(SB), 516, $0",
    ]
    width = max((len(line) for line in lines), default=0)
    for i, line in enumerate(lines):
        kind, val = results[i]
        comment = val if kind == "ok" else f'ERROR "{x86gen.error_text(val)}"'
        out.append(f"\t{line.ljust(width)} // {comment}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    os.environ["GOEXPERIMENT"] = ""
    stale = []
    x86gen.emit("arm64", collect(), render, a.check, stale)
    if stale:
        sys.exit("stale: " + " ".join(stale))

if __name__ == "__main__":
    main()
