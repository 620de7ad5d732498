#!/usr/bin/env python3
"""Error conformance: every `// ERROR` line of Go's *error.s testdata, for the
architectures that have a goasm backend, must be rejected by goasm on that
line, and goasm must reject no other line (Go's own end-to-end test fails on
an error without an ERROR comment, so such a line is one Go accepts).

usage: errors.py --goasm target/release/goasm [--arches amd64,386,arm64] [--strict]
                 [--details OUT.jsonl] [--goconform PATH --conform-details OUT.jsonl]

For each file (arch from its name as in scripts/parse_errors.py: amd64error.s
-> amd64, arm64sveerror.s -> arm64 with GOEXPERIMENT=simd, amd64dynlinkerror.s
-> amd64 with -dynlink; duperror.s and buildtagerror.s -> amd64):
`goasm -e -arch A -p p -I <testdata> -I <include> -o TMP FILE`; errors read
`FILE:LINE:COL: error: msg`.

Per arch: `rejected-on-line/ERROR lines`, `false rejects` (lines with an error
but no ERROR comment), crashes (signal, timeout, panic, exit other than 1).

With --goconform, also `goconform lines --arch A --testdata-errors` per arch:
its `candidate-rejected` items are lines Go accepts that goasm rejects
(across Go's whole testdata for the arch, not only *error.s); counted as
false rejects too.

A file goasm refuses with "... not supported yet" (a feature not implemented,
e.g. -dynlink on amd64) is listed as unsupported and left out of the counts.

Last line: `errors: N/M ERROR lines rejected on their line, F false rejects, C crashes, U files unsupported`.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

from parse_errors import goenv, settings  # same directory: the file-name rules are shared

CAND_RE = re.compile(r"^(?P<file>[^\s:][^:]*\.s):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$")


def error_lines(path):
    out = set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f, 1):
            if "// ERROR" in line:
                out.add(i)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--goasm", required=True)
    ap.add_argument("--arches", default="amd64,386,arm64", help="arches with a backend")
    ap.add_argument("--strict", action="store_true", help="exit 1 unless everything conforms")
    ap.add_argument("--details", help="JSONL: one object per missed or false-rejected line")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--goconform", help="goconform binary: also run `lines --testdata-errors` per arch")
    ap.add_argument("--conform-details", default="goconform-lines-errors.jsonl")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args(argv)

    arches = [x for x in a.arches.split(",") if x]
    testdata = os.path.join(goenv("GOROOT"), "src/cmd/asm/internal/asm/testdata")
    include = os.path.join(goenv("GOROOT"), "pkg/include")
    files = sorted(f for f in os.listdir(testdata) if f.endswith("error.s"))
    details = open(a.details, "w") if a.details else None
    per_arch = {x: [0, 0, 0, 0, 0] for x in arches}  # files, error lines, rejected, false, crashes
    tot_exp = tot_hit = tot_false = tot_crash = 0
    unsupported = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in files:
            arch, env_extra, flags = settings(name)
            if arch not in per_arch:
                continue
            path = os.path.join(testdata, name)
            want = error_lines(path)
            env = dict(os.environ, GOARCH=arch, GOOS="linux", **env_extra)
            cmd = [a.goasm, "-e", "-arch", arch, "-os", "linux", "-p", "p", "-I", testdata, "-I", include,
                   *flags, "-o", os.path.join(tmp, "out.o"), path]
            crash = None
            try:
                p = subprocess.run(cmd, env=env, cwd=tmp, capture_output=True, text=True, errors="replace",
                                   timeout=a.timeout)
                text = p.stdout + p.stderr
                if p.returncode not in (0, 1) or "panicked" in text or "internal error" in text:
                    crash = f"exit {p.returncode}: {text[-300:]}"
            except subprocess.TimeoutExpired:
                text, crash = "", f"timeout after {a.timeout}s"
            got = set()
            for line in text.splitlines():
                m = CAND_RE.match(line)
                if m and os.path.basename(m["file"]) == name:
                    got.add(int(m["line"]))
            hit = want & got
            false = got - want
            missed = want - got
            if "not supported yet" in text:
                # goasm refuses a feature it does not implement yet (a clean exit 1): reported, but
                # counted apart so that the step still catches regressions elsewhere.
                why = next((l.split("error: ", 1)[1] for l in text.splitlines() if "not supported yet" in l), "")
                unsupported.append(f"{name} ({why[:100]})")
                print(f"  {name:24} {arch:6} UNSUPPORTED: ERROR lines rejected {len(hit)}/{len(want)}, "
                      f"{len(false)} lines refused with 'not supported yet'")
                continue
            s = per_arch[arch]
            s[0] += 1
            s[1] += len(want)
            s[2] += len(hit)
            s[3] += len(false)
            s[4] += 1 if crash else 0
            tot_exp += len(want)
            tot_hit += len(hit)
            tot_false += len(false)
            tot_crash += 1 if crash else 0
            src = open(path, encoding="utf-8", errors="replace").read().splitlines()
            print(f"  {name:24} {arch:6} ERROR lines rejected {len(hit)}/{len(want)}, false rejects {len(false)}"
                  + (f", CRASH {crash}" if crash else ""))
            for ln in sorted(false)[:3]:
                msg = next((l for l in text.splitlines() if l.startswith(f"{path}:{ln}:") or f"{name}:{ln}:" in l), "")
                print(f"    false reject {name}:{ln}: {src[ln - 1].strip()[:70]}  <- {msg[:120]}")
            for ln in sorted(missed)[:3]:
                print(f"    missed {name}:{ln}: {src[ln - 1].strip()[:90]}")
            if details:
                for ln in sorted(missed):
                    details.write(json.dumps({"file": name, "arch": arch, "line": ln, "status": "missed",
                                              "text": src[ln - 1]}) + "\n")
                for ln in sorted(false):
                    details.write(json.dumps({"file": name, "arch": arch, "line": ln, "status": "false-reject",
                                              "text": src[ln - 1]}) + "\n")
                if crash:
                    details.write(json.dumps({"file": name, "arch": arch, "status": "crash", "error": crash}) + "\n")

    conform_false = 0
    if a.goconform:
        cand = f"{a.goasm} -arch {{arch}} {{flags}} -o {{out}} {{src}}"
        if os.path.exists(a.conform_details):
            os.remove(a.conform_details)
        for arch in arches:
            det = f"{a.conform_details}.{arch}"
            p = subprocess.run([a.goconform, "lines", "--arch", arch, "--testdata-errors", "--candidate", cand,
                                "--jobs", str(a.jobs), "--quiet", "--details", det],
                               capture_output=True, text=True, errors="replace")
            rej = 0
            if os.path.exists(det):
                with open(det) as f:
                    for line in f:
                        try:
                            o = json.loads(line)
                        except ValueError:
                            continue
                        if o.get("status") == "candidate-rejected":
                            rej += 1
            conform_false += rej
            last = (p.stdout.strip().splitlines() or [""])[-1]
            print(f"  goconform lines {arch} --testdata-errors: {rej} lines Go accepts rejected by goasm ({last})")
            per_arch[arch].append(rej)

    for arch, s in per_arch.items():
        extra = f", goconform false rejects {s[5]}" if len(s) > 5 else ""
        print(f"errors {arch}: {s[0]} files, ERROR lines rejected on their line {s[2]}/{s[1]}, "
              f"false rejects {s[3]}{extra}, crashes {s[4]}")
    for u in unsupported:
        print(f"errors: not conforming yet, goasm says not supported: {u}")
    print(f"errors: {tot_hit}/{tot_exp} ERROR lines rejected on their line, {tot_false + conform_false} false rejects, "
          f"{tot_crash} crashes, {len(unsupported)} files unsupported")
    ok = tot_hit == tot_exp and tot_false == 0 and conform_false == 0 and tot_crash == 0
    return 0 if ok or not a.strict else 1


if __name__ == "__main__":
    sys.exit(main())
