#!/usr/bin/env python3
"""Seeds for the fuzz targets: every .s of the repository's testdata/ and
scripts/fixtures/ and of Go's cmd/asm testdata (avx512enc included), split
into pieces of at most 16 KiB at line boundaries, each prefixed with the
bytes the targets read first: GOARCH (index into GoArch::ALL, from the file
name; arch-neutral files get every arch with a backend) and, for the
pipeline target, the mode byte (0: assemble, 1: -syntax-only).

usage: python3 fuzz/seed.py   (writes fuzz/seeds/<target>/, idempotent)
"""
import hashlib
import os
import subprocess

ALL = ["amd64", "386", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le",
       "ppc64", "ppc64le", "riscv64", "s390x", "wasm"]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
MAX = 16 << 10


def arches_for(name):
    base = os.path.basename(name)
    for a in sorted(ALL, key=len, reverse=True):
        if base.startswith(a):
            return [a]
    if base.startswith("avx512") or "amd64" in name:
        return ["amd64"]
    return ["amd64", "386", "arm64", "riscv64"]


def pieces(data):
    out, cur = [], b""
    for line in data.splitlines(keepends=True):
        if len(cur) + len(line) > MAX and cur:
            out.append(cur)
            cur = b""
        cur += line[:MAX]
    if cur:
        out.append(cur)
    return out


def sources():
    roots = [os.path.join(REPO, "testdata"), os.path.join(REPO, "scripts/fixtures")]
    try:
        goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True).stdout.strip()
        if goroot:
            roots.append(os.path.join(goroot, "src/cmd/asm/internal/asm/testdata"))
    except OSError:
        pass
    for r in roots:
        for d, _, fs in os.walk(r):
            for f in sorted(fs):
                if f.endswith(".s"):
                    yield os.path.join(d, f)


def main():
    n = 0
    for path in sources():
        data = open(path, "rb").read()
        for arch in arches_for(path):
            a = bytes([ALL.index(arch)])
            for piece in pieces(data):
                for target, prefix in (("lex_pp", a), ("parse", a), ("pipeline", a + b"\0"), ("pipeline", a + b"\1")):
                    d = os.path.join(HERE, "seeds", target)
                    os.makedirs(d, exist_ok=True)
                    blob = prefix + piece
                    name = hashlib.sha1(blob).hexdigest()
                    p = os.path.join(d, name)
                    if not os.path.exists(p):
                        with open(p, "wb") as f:
                            f.write(blob)
                        n += 1
    print(f"seed.py: {n} new seeds in {os.path.join(HERE, 'seeds')}")


if __name__ == "__main__":
    main()
