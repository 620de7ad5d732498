#!/usr/bin/env python3
"""Regenerate crates/arch-tables/src/gen/*.rs from the installed Go toolchain.

Usage: generate.py [--out DIR] [--dump FILE] [--from-dump FILE]

Step 1 injects gen/dump_test.go into Go's cmd/asm/internal/arch package with
`go test -overlay` (GOROOT is not modified) and runs it; the test writes one
JSON document with every table (see dump_test.go). Step 2 turns that JSON into
Rust source: one file of tables per obj family and one file of exported integer
constants per obj package.

Needs `go` on PATH (Go 1.27.3 is the reference; another version only warns).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import OrderedDict

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
DEFAULT_OUT = os.path.join(CRATE, "src", "gen")
EXPECTED_GO = "go1.27.3"

# GOARCH -> (Rust GoArch variant, obj family module)
ARCHES = OrderedDict([
    ("amd64", ("Amd64", "x86")),
    ("386", ("I386", "x86")),
    ("arm", ("Arm", "arm")),
    ("arm64", ("Arm64", "arm64")),
    ("loong64", ("Loong64", "loong64")),
    ("mips", ("Mips", "mips")),
    ("mipsle", ("Mipsle", "mips")),
    ("mips64", ("Mips64", "mips")),
    ("mips64le", ("Mips64le", "mips")),
    ("ppc64", ("Ppc64", "ppc64")),
    ("ppc64le", ("Ppc64le", "ppc64")),
    ("riscv64", ("Riscv64", "riscv")),
    ("s390x", ("S390x", "s390x")),
    ("wasm", ("Wasm", "wasm")),
])
FAMILIES = ["x86", "arm", "arm64", "loong64", "mips", "ppc64", "riscv", "s390x", "wasm"]
CONST_PKGS = ["obj"] + FAMILIES
PSEUDO = {-1: "FP", -2: "SB", -3: "SP", -4: "PC"}
RUST_KEYWORDS = {"Self"}


def run_dump(dump_path):
    goroot = subprocess.check_output(["go", "env", "GOROOT"], text=True).strip()
    # "go version go1.27.3 linux/amd64": keep the toolchain, not the host.
    version = " ".join(subprocess.check_output(["go", "version"], text=True).split()[:3])
    if EXPECTED_GO + " " not in version + " ":
        print(f"warning: tables are meant to come from {EXPECTED_GO}, found {version!r}", file=sys.stderr)
    target = os.path.join(goroot, "src", "cmd", "asm", "internal", "arch", "zz_goasm_dump_test.go")
    with tempfile.TemporaryDirectory() as tmp:
        overlay = os.path.join(tmp, "overlay.json")
        with open(overlay, "w") as f:
            json.dump({"Replace": {target: os.path.join(HERE, "dump_test.go")}}, f)
        env = dict(os.environ, GOASM_DUMP_OUT=os.path.abspath(dump_path))
        subprocess.run(
            ["go", "test", "-vet=off", "-count=1", "-overlay", overlay,
             "-run", "^TestGoasmDump$", "./asm/internal/arch"],
            cwd=os.path.join(goroot, "src", "cmd"), env=env, check=True,
            stdout=sys.stderr)
    return version


def rstr(s):
    out = ['"']
    for ch in s:
        if ch in '\\"':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%x}" % ord(ch))
    out.append('"')
    return "".join(out)


def wrap(items, indent="    ", width=100):
    """Join already-rendered items into lines of at most `width` columns."""
    lines, cur = [], indent
    for it in items:
        piece = it + ","
        if len(cur) + len(piece) + 1 > width and cur.strip():
            lines.append(cur.rstrip())
            cur = indent
        cur += piece + " "
    if cur.strip():
        lines.append(cur.rstrip())
    return "\n".join(lines)


class Emitter:
    """Collects static tables, sharing identical ones between arch variants."""

    def __init__(self):
        self.statics = []  # rendered definitions
        self.by_content = {}

    def table(self, stem, rust_type, items):
        body = wrap(items)
        key = (rust_type, body)
        if key in self.by_content:
            return self.by_content[key]
        name = f"{stem}_{len(self.statics)}"
        self.by_content[key] = name
        if items:
            self.statics.append(f"static {name}: &[{rust_type}] = &[\n{body}\n];\n")
        else:
            self.statics.append(f"static {name}: &[{rust_type}] = &[];\n")
        return name


def reg_ranges(prefix, numbers):
    """Split {n: reg} into runs where reg = base + n over consecutive n."""
    runs = []
    for n in sorted(numbers):
        r = numbers[n]
        if runs and runs[-1][1] == n - 1 and runs[-1][2] == r - n:
            runs[-1][1] = n
        else:
            runs.append([n, n, r - n])
    return [(prefix, lo, hi, base) for lo, hi, base in runs]


SPC_FALLBACK = re.compile(r"^SPC(_\?\?|\?\?\?-?\d+)$")


def arch_static(em, a):
    goarch = a["goarch"]
    variant, family = ARCHES[goarch]
    instr = sorted(a["instructions"].items())
    for name, op in instr:
        assert 0 <= op < 65536, (goarch, name, op)
    op_names = {int(k): v for k, v in a["op_names"].items()}
    regs = sorted((k, v) for k, v in a["registers"].items() if v >= 0)
    pseudo = sorted((k, v) for k, v in a["registers"].items() if v < 0)
    for k, v in pseudo:
        assert PSEUDO[v] == k, (goarch, k, v)
    ranges = []
    for p in sorted(a["reg_numbers"]):
        ranges += reg_ranges(p, {int(n): r for n, r in a["reg_numbers"][p].items()})
    names = {int(k): v for k, v in a["reg_names"]["names"].items()}
    space_lo = a["reg_names"]["lo"]
    space_hi = max(names) + 1
    # Unnamed numbers inside the space print as badreg(N), N counted from 0
    # (arm64) or from the family base (loong64); keep that as a rule.
    badreg = None
    for off in (0, space_lo):
        hits = [r for r in names if names[r] == f"badreg({r - off})"]
        if hits:
            assert badreg is None, goarch
            badreg = off
            for r in hits:
                del names[r]
    assert not any(v.startswith("badreg(") for v in names.values()), goarch
    special = sorted(a["special"].items())
    special_names = sorted((int(k), v) for k, v in a["special_names"].items() if not SPC_FALLBACK.match(v))
    suffix = a.get("suffix_tables") or {}

    t_instr = em.table("INSTRUCTIONS", "(&str, u16)", [f"({rstr(k)}, {v})" for k, v in instr])
    t_opn = em.table("OP_NAMES", "(u16, &str)", [f"({k}, {rstr(v)})" for k, v in sorted(op_names.items())])
    t_regs = em.table("REGISTERS", "(&str, u16)", [f"({rstr(k)}, {v})" for k, v in regs])
    t_pseudo = em.table("PSEUDO", "(&str, PseudoReg)", [f"({rstr(k)}, PseudoReg::{k})" for k, _ in pseudo])
    t_pref = em.table("PREFIXES", "&str", [rstr(p) for p in (a["prefixes"] or [])])
    t_rnum = em.table("REG_NUMBERS", "RegRange", [
        f"RegRange {{ prefix: {rstr(p)}, lo: {lo}, hi: {hi}, base: {base} }}" for p, lo, hi, base in ranges])
    t_jump = em.table("JUMPS", "&str", [rstr(j) for j in sorted(a["jumps"] or [])])
    t_unary = em.table("UNARY_DST", "u16", [str(v) for v in sorted(a["unary_dst"] or [])])
    t_rname = em.table("REG_NAMES", "(u16, &str)", [f"({k}, {rstr(v)})" for k, v in sorted(names.items())])
    t_spec = em.table("SPECIAL", "(&str, i64)", [f"({rstr(k)}, {v})" for k, v in special])
    t_specn = em.table("SPECIAL_NAMES", "(i64, &str)", [f"({k}, {rstr(v)})" for k, v in special_names])
    t_ls = em.table("LS_SUFFIXES", "(&str, u8)", [f"({rstr(k)}, {v})" for k, v in sorted(suffix.get("ls", {}).items())])
    t_cond = em.table("COND_SUFFIXES", "(&str, u8)",
                      [f"({rstr(k)}, {v})" for k, v in sorted(suffix.get("scond", {}).items())])
    t_evex = em.table("EVEX_SUFFIXES", "(&str, u8)",
                      [f"({rstr(k)}, {v})" for k, v in sorted(suffix.get("evex", {}).items())])

    static_name = variant.upper() + ("_SHARED" if a["shared"] else "")
    return static_name, family, f"""pub(crate) static {static_name}: ArchSpec = ArchSpec {{
    arch: GoArch::{variant},
    shared: {str(a['shared']).lower()},
    ptr_size: {a['ptr_size']},
    big_endian: {str(a['big_endian']).lower()},
    instructions: {t_instr},
    op_names: {t_opn},
    registers: {t_regs},
    pseudo: {t_pseudo},
    prefixes: {t_pref},
    reg_numbers: {t_rnum},
    jumps: {t_jump},
    unary_dst: {t_unary},
    reg_names: {t_rname},
    reg_space: ({space_lo}, {space_hi}),
    badreg_fallback: {"None" if badreg is None else f"Some({badreg})"},
    special: {t_spec},
    special_names: {t_specn},
    ls_suffixes: {t_ls},
    cond_suffixes: {t_cond},
    evex_suffixes: {t_evex},
    jump_rule_x86: {str(family == "x86").lower()},
}};
"""


def const_file(consts):
    lines = ["#![allow(non_upper_case_globals)]", ""]
    for name in sorted(consts):
        assert name not in RUST_KEYWORDS, name
        v = int(consts[name])
        assert -(1 << 63) <= v < (1 << 63), (name, v)
        lines.append(f"pub const {name}: i64 = {v};")
    lines += ["", "/// Every constant above with its Go name, sorted by name.",
              "pub fn all() -> &'static [(&'static str, i64)] {", "    &["]
    lines += [f"        ({rstr(name)}, {name})," for name in sorted(consts)]
    lines += ["    ]", "}"]
    return "\n".join(lines) + "\n"


def generate(dump, version, out):
    banner = (f"// Code generated by crates/arch-tables/gen/generate.py from Go 1.27.3 ({version}); DO NOT EDIT.\n"
              "// Source: cmd/asm/internal/arch and cmd/internal/obj/... of that toolchain.\n\n")
    files = {}
    per_family = {f: [] for f in FAMILIES}
    per_family_em = {f: Emitter() for f in FAMILIES}
    for a in dump["arches"]:
        _, family = ARCHES[a["goarch"]]
        name, fam, text = arch_static(per_family_em[family], a)
        per_family[fam].append(text)
    for fam in FAMILIES:
        em = per_family_em[fam]
        body = ("use crate::{ArchSpec, GoArch, PseudoReg, RegRange};\n\n"
                + "\n".join(per_family[fam]) + "\n" + "\n".join(em.statics))
        files[f"{fam}_tables.rs"] = banner + body
    for pkg in CONST_PKGS:
        files[f"{pkg}_consts.rs"] = banner + const_file(dump["consts"][pkg])
    mod = [banner.rstrip("\n"), ""]
    for pkg in CONST_PKGS:
        mod.append(f"pub mod {pkg}_consts;")
    for fam in FAMILIES:
        mod.append(f"pub(crate) mod {fam}_tables;")
    files["mod.rs"] = "\n".join(mod) + "\n"

    os.makedirs(out, exist_ok=True)
    for name, text in sorted(files.items()):
        with open(os.path.join(out, name), "w") as f:
            f.write(text)
    print(f"wrote {len(files)} files to {out}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: src/gen)")
    ap.add_argument("--dump", help="also keep the JSON dump at this path")
    ap.add_argument("--from-dump", help="skip Go; read a JSON dump written earlier")
    ap.add_argument("--go-version", help="`go version` text for the banner with --from-dump")
    args = ap.parse_args()
    if args.from_dump:
        with open(args.from_dump) as f:
            dump = json.load(f)
        version = args.go_version or "go version " + dump["go_version"].split()[0]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = args.dump or os.path.join(tmp, "dump.json")
            version = run_dump(path)
            with open(path) as f:
                dump = json.load(f)
    generate(dump, version, args.out)


if __name__ == "__main__":
    main()
