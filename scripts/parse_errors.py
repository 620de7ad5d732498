#!/usr/bin/env python3
"""Go's parser errors in $GOROOT/src/cmd/asm/internal/asm/testdata/*error.s versus goasm.

usage: parse_errors.py --goasm target/release/goasm [--candidate TEMPLATE] [--strict]

For every `*error.s` test file (arch from its name: amd64error.s -> amd64,
arm64sveerror.s -> arm64 with GOEXPERIMENT=simd, amd64dynlinkerror.s -> amd64
with -dynlink; the arch-neutral duperror.s and buildtagerror.s -> amd64):

1. Go: `asm -e -p p -I <testdata> -I $GOROOT/pkg/include -o TMP FILE` (GOARCH set).
   Its messages are split into
   * parser errors, `FILE:LINE: msg` (Go's parser/front end; when a file has any,
     Go never runs its backend), and
   * backend errors, `... (FILE:LINE)\\tINSN` (instruction encoding checks).
   (Not -o /dev/null: Go's asm removes its output file when it fails.)
2. goasm: `goasm -e -syntax-only -arch A -p p -I <testdata> -I <include> FILE`;
   its errors are `FILE:LINE:COL: error: msg`.

Per file: `rejected-on-same-line/expected` over Go's parser-error lines, the
backend-error lines goasm already rejects (informational: -syntax-only is not
required to find them), and `false-rejects`: lines goasm rejects that Go
accepted completely (no parser and no backend error; only meaningful when Go
ran its backend, i.e. had no parser error).

Crashes (panic, signal, timeout) of goasm and missed Go parser-error lines are
failures; so are false rejects. Last line: `parse-errors: N/M Go parser-error
lines rejected on the same line, F false rejects, C crashes (K files)`.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile

GO_PARSER_RE = re.compile(r"^(?:asm: )?(?P<file>[^\s:][^:]*\.s):(?P<line>\d+): (?P<msg>.*)$")
GO_BACKEND_RE = re.compile(r"\d{5} \((?P<file>[^()\s]+\.s):(?P<line>\d+)\)")
CAND_RE = re.compile(r"^(?P<file>[^\s:][^:]*\.s):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$")


def goenv(k):
    return subprocess.run(["go", "env", k], capture_output=True, text=True, check=True).stdout.strip()


def settings(name):
    """(arch, env, extra flags) for a testdata file name."""
    env, flags = {}, []
    if name in ("duperror.s", "buildtagerror.s"):
        return "amd64", env, flags
    arch = name[: -len("error.s")]
    if arch.endswith("sve"):
        arch = arch[:-3]
        env["GOEXPERIMENT"] = "simd"
    if arch.endswith("dynlink"):
        arch = arch[: -len("dynlink")]
        flags.append("-dynlink")
    return arch, env, flags


def run(cmd, env, cwd, timeout):
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, errors="replace", start_new_session=True)
    try:
        so, se = p.communicate(timeout=timeout)
        return p.returncode, so + se, False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        so, se = p.communicate()
        return p.returncode, so + se, True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--goasm", help="goasm binary")
    ap.add_argument("--candidate", help="command template instead of goasm: {arch} {flags} {src} "
                    "(e.g. 'env GOARCH={arch} go tool asm {flags} -o /tmp/x.o {src}' to test this script)")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--details", help="JSONL with every line-level disagreement")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("files", nargs="*", help="default: every *error.s of Go's testdata")
    args = ap.parse_args(argv)
    if not args.goasm and not args.candidate:
        ap.error("give --goasm or --candidate")
    goroot = goenv("GOROOT")
    asm = os.path.join(goenv("GOTOOLDIR"), "asm")
    tdir = os.path.join(goroot, "src", "cmd", "asm", "internal", "asm", "testdata")
    inc = os.path.join(goroot, "pkg", "include")
    files = args.files or sorted(os.path.join(tdir, f) for f in os.listdir(tdir) if f.endswith("error.s"))
    tmp = tempfile.mkdtemp(prefix="parse-errors-")
    details = open(args.details, "w") if args.details else None
    tot_exp = tot_hit = tot_false = tot_crash = 0
    rows = []
    try:
        for path in files:
            name = os.path.basename(path)
            arch, fenv, fflags = settings(name)
            env = dict(os.environ, GOARCH=arch, GOOS="linux", **fenv)
            base = ["-p", "p", "-I", os.path.dirname(path), "-I", inc] + fflags
            rc, out, _ = run([asm, "-e"] + base + ["-o", os.path.join(tmp, "go.o"), path], env, tmp,
                             max(args.timeout, 120))
            parser, backend = {}, {}
            for l in out.splitlines():
                bk = [m for m in GO_BACKEND_RE.finditer(l) if os.path.basename(m["file"]) == name]
                for m in bk:
                    backend.setdefault(int(m["line"]), l.strip())
                m = GO_PARSER_RE.match(l)
                if not bk and m and os.path.basename(m["file"]) == name:
                    parser.setdefault(int(m["line"]), m["msg"])
            if args.candidate:
                import shlex
                q = lambda v: " ".join(shlex.quote(x) for x in v) if isinstance(v, list) else shlex.quote(v)
                cmd = ["bash", "-c", args.candidate.replace("{arch}", q(arch)).replace("{flags}", q(base))
                       .replace("{src}", q(path))]
            else:
                cmd = [os.path.abspath(args.goasm), "-e", "-syntax-only", "-arch", arch] + base + [path]
            crc, cout, timed_out = run(cmd, env, tmp, args.timeout)
            crash = None
            if timed_out:
                crash = "timeout"
            elif "panicked at" in cout or crc == 101:
                crash = "panic"
            elif crc is not None and (crc < 0 or crc > 128):
                crash = f"signal (exit {crc})"
            elif crc not in (0, 1):
                crash = f"exit {crc}"
            cand = {}
            for l in cout.splitlines():
                m = CAND_RE.match(l.strip())
                if m and os.path.basename(m["file"]) == name:
                    cand.setdefault(int(m["line"]), m["msg"])
            # a candidate that follows Go's format (Go itself as a stand-in) is understood too
            if args.candidate:
                for l in cout.splitlines():
                    m = GO_PARSER_RE.match(l)
                    if m and os.path.basename(m["file"]) == name:
                        cand.setdefault(int(m["line"]), m["msg"])
                    for m in GO_BACKEND_RE.finditer(l):
                        if os.path.basename(m["file"]) == name:
                            cand.setdefault(int(m["line"]), l.strip())
            hit = sorted(l for l in parser if l in cand)
            missed = sorted(l for l in parser if l not in cand)
            backend_hit = sorted(l for l in backend if l in cand and l not in parser)
            false = sorted(l for l in cand if l not in parser and l not in backend) if not parser else []
            unknown = sorted(l for l in cand if l not in parser and l not in backend) if parser else []
            if crc == 1 and not cand and not crash:
                crash = "exit 1 without any file:line:col error"
            if crc == 0 and parser:
                missed = sorted(parser)
            tot_exp += len(parser)
            tot_hit += len(hit)
            tot_false += len(false)
            tot_crash += 1 if crash else 0
            rows.append((name, arch, len(hit), len(parser), len(backend_hit), len(backend), len(false),
                         len(unknown), crash or f"exit {crc}"))
            for l in missed[:10]:
                print(f"  {name}:{l}: Go parser rejects ({parser[l]}), goasm accepts")
            for l in false[:10]:
                print(f"  {name}:{l}: goasm rejects ({cand[l]}), Go accepts")
            if crash:
                print(f"  {name}: goasm crashed: {crash}: {cout.strip()[-300:]}")
            if details:
                for l in missed:
                    details.write(json.dumps({"file": name, "line": l, "status": "missed",
                                              "go": parser[l]}) + "\n")
                for l in false:
                    details.write(json.dumps({"file": name, "line": l, "status": "false-reject",
                                              "goasm": cand[l]}) + "\n")
    finally:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
        if details:
            details.close()
    w = max(len(r[0]) for r in rows) if rows else 4
    print(f"{'file':<{w}}  {'arch':<7}  same-line/expected  backend-lines-also-rejected  false-rejects  goasm")
    for name, arch, hit, exp, bh, b, fr, unk, st in rows:
        extra = f" (+{unk} lines not judged: Go stopped at its parser errors)" if unk else ""
        print(f"{name:<{w}}  {arch:<7}  {hit:>8}/{exp:<9}  {bh:>13}/{b:<13}  {fr:>13}  {st}{extra}")
    print(f"parse-errors: {tot_hit}/{tot_exp} Go parser-error lines rejected on the same line, "
          f"{tot_false} false rejects, {tot_crash} crashes ({len(rows)} files)")
    ok = tot_hit == tot_exp and tot_false == 0 and tot_crash == 0
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
