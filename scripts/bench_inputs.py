#!/usr/bin/env python3
"""Generate the benchmark inputs of scripts/bench.py (never committed).

usage: bench_inputs.py OUTDIR

Writes into OUTDIR (default: $CARGO_TARGET_DIR/bench/inputs):

  amd64enc.s, amd64enc_x10.s, amd64enc_x100.s   Go's cmd/asm testdata amd64enc.s,
  arm64enc.s, arm64enc_x10.s, arm64enc_x100.s,  as it is and repeated; copy K renames
  arm64enc_x1000.s                              every TEXT symbol NAME to NAME_K (labels
                                                are per TEXT, so they stay)
  tiny_amd64.s, tiny_arm64.s                    three instructions (start-up cost)
  inputs.json                                   per input: arch, bytes, instruction lines

The `#include "../../../../../runtime/textflag.h"` of the testdata files
becomes `#include "textflag.h"`, once, at the top: assemble with
`-I $(go env GOROOT)/pkg/include`.

Instruction lines (the "instructions assembled" of the per-instruction
figures) are the lines of a TEXT body that hold an instruction: not blank,
not a comment, not a label alone, not a `#` directive, not TEXT/DATA/GLOBL.
"""
import json
import os
import re
import subprocess
import sys

TEXT_RE = re.compile(r"^(\s*TEXT\s+)([A-Za-z_·][\w·.]*)(\s*\(SB\))", re.M)
INCLUDE_RE = re.compile(r'^#include\s+"[^"]*textflag\.h"\s*\n', re.M)
COMMENT_RE = re.compile(r"//.*$")
LABEL_RE = re.compile(r"^\s*[A-Za-z_][\w]*:\s*")

TINY = {
    "amd64": "TEXT tiny(SB),NOSPLIT,$0-8\n\tMOVQ $1, AX\n\tMOVQ AX, ret+0(FP)\n\tRET\n",
    "arm64": "TEXT tiny(SB),NOSPLIT,$0-8\n\tMOVD $1, R0\n\tMOVD R0, ret+0(FP)\n\tRET\n",
}


def goroot():
    return subprocess.check_output(["go", "env", "GOROOT"], text=True).strip()


def count_instructions(text):
    n = 0
    in_text = False
    for line in text.splitlines():
        s = COMMENT_RE.sub("", line).strip()
        if not s or s.startswith("#"):
            continue
        word = s.split(None, 1)[0]
        if word == "TEXT":
            in_text = True
            continue
        if word in ("DATA", "GLOBL"):
            continue
        while True:
            m = LABEL_RE.match(s)
            if not m:
                break
            s = s[m.end():]
        if s and in_text:
            n += 1
    return n


def repeated(body, copies):
    """The testdata body (without its textflag include) `copies` times, TEXT names renamed."""
    if copies == 1:
        return body
    parts = []
    for k in range(copies):
        parts.append(TEXT_RE.sub(lambda m: f"{m.group(1)}{m.group(2)}_{k}{m.group(3)}", body))
    return "".join(parts)


def main(argv):
    out = argv[1] if len(argv) > 1 else os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "bench", "inputs")
    os.makedirs(out, exist_ok=True)
    testdata = os.path.join(goroot(), "src", "cmd", "asm", "internal", "asm", "testdata")
    info = {}
    plan = [("amd64", [1, 10, 100]), ("arm64", [1, 10, 100, 1000])]
    for arch, reps in plan:
        with open(os.path.join(testdata, f"{arch}enc.s")) as f:
            src = f.read()
        body = INCLUDE_RE.sub("", src)
        per_copy = count_instructions(body)
        for r in reps:
            name = f"{arch}enc.s" if r == 1 else f"{arch}enc_x{r}.s"
            path = os.path.join(out, name)
            text = '#include "textflag.h"\n' + repeated(body, r)
            data = text.encode()
            if not (os.path.exists(path) and os.path.getsize(path) == len(data)):
                with open(path + ".tmp", "wb") as f:
                    f.write(data)
                os.replace(path + ".tmp", path)
            info[name] = {"arch": arch, "bytes": len(data), "instructions": per_copy * r}
        tiny = f"tiny_{arch}.s"
        text = '#include "textflag.h"\n' + TINY[arch]
        with open(os.path.join(out, tiny), "w") as f:
            f.write(text)
        info[tiny] = {"arch": arch, "bytes": len(text), "instructions": count_instructions(text)}
    with open(os.path.join(out, "inputs.json"), "w") as f:
        json.dump(info, f, indent=1)
    for k, v in info.items():
        print(f"{k:22} {v['arch']:6} {v['bytes']:>11} bytes {v['instructions']:>9} instructions")


if __name__ == "__main__":
    main(sys.argv)
