#!/usr/bin/env python3
"""Replay every asm invocation of goconform corpora with a candidate command.

usage:
  replay_syntax.py --goasm target/release/goasm [--mode syntax|assemble] MANIFEST.json...
  replay_syntax.py --candidate 'CMD {flags} {src}' MANIFEST.json...

Each invocation of each manifest (format: ../shared/conform/README.md, `corpus`)
is run in its recorded working directory inside the corpus, with the recorded
environment (GOARCH, GOOS, GOAMD64, GOARM, ...), `$DIR` in flags and sources
replaced by the corpus directory.

--mode syntax (default): runs `GOASM -syntax-only FLAGS SRCS`; an invocation is
  accepted when the command exits 0. Prints per arch `accepted/total`.

--mode assemble: runs `GOASM FLAGS -o OUT SRCS` and classifies the exit:
  ok (exit 0 and OUT written), unsupported (exit 1, stderr says "not supported"
  / "not yet supported" / "unsupported", the expected answer for code of a
  GOARCH without backend), error (another exit 1), usage (exit 2), panic (Rust
  panic, exit 101), signal (killed by a signal), timeout, other.  Only ok and
  unsupported are fine.

--candidate overrides the command: a shell template with {arch} {goos} {flags}
{src} {out} placeholders (each shell-quoted), e.g. to validate this script with
Go itself: --candidate 'go tool asm {flags} -o {out} {src}'.

The last line is `replay-<mode>: N/M ...`; exit status 1 if any invocation is
not fine (with --strict) -- without --strict the exit status is 0 unless the
script itself fails.
"""
import argparse
import collections
import concurrent.futures as cf
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

UNSUPPORTED_RE = re.compile(r"not (yet )?supported|unsupported|not implemented yet", re.I)
ERR_LOC_RE = re.compile(r":\d+(:\d+)?: ")


def load_manifest(path):
    path = os.path.abspath(path)
    with open(path) as f:
        man = json.load(f)
    d = os.path.dirname(path)
    jobs = []
    for inv in man["invocations"]:
        rep = lambda s: s.replace("$DIR", d)
        env = dict(man.get("env") or {})
        env.update(inv.get("env") or {})
        arch = inv.get("goarch") or man["goarch"]
        env["GOARCH"] = arch
        env.setdefault("GOOS", man.get("goos") or "linux")
        jobs.append({
            "id": f"{os.path.basename(d)}#{inv['id']}",
            "arch": arch,
            "goos": env["GOOS"],
            "cwd": os.path.join(d, inv["cwd"]),
            "flags": [rep(x) for x in inv["flags"]],
            "srcs": [rep(x) for x in inv["srcs"]],
            "display": (inv.get("src_paths") or [" ".join(inv["srcs"])])[0],
            "env": env,
        })
    return man, jobs


def fill(template, **vals):
    def q(v):
        if isinstance(v, (list, tuple)):
            return " ".join(shlex.quote(x) for x in v)
        return shlex.quote(str(v))
    return re.sub(r"\{(\w+)\}", lambda m: q(vals[m.group(1)]) if m.group(1) in vals else m.group(0),
                  template)


def first_line(text, n=240):
    for l in text.splitlines():
        l = l.strip()
        if l:
            return l[:n]
    return ""


TIMEOUTS = [0]


def run_one(args, job, tmproot):
    if args.max_timeouts and TIMEOUTS[0] >= args.max_timeouts:
        return {"id": job["id"], "arch": job["arch"], "file": job["display"], "status": "not-run",
                "rc": None, "secs": 0.0, "error": f"not run: {TIMEOUTS[0]} timeouts already",
                "command": "", "cwd": job["cwd"]}
    env = dict(os.environ)
    env.update(job["env"])
    work = tempfile.mkdtemp(dir=tmproot)
    out = os.path.join(work, "out.o")
    if args.candidate:
        cmd = fill(args.candidate, arch=job["arch"], goos=job["goos"], flags=job["flags"],
                   src=job["srcs"], out=out)
    elif args.mode == "syntax":
        cmd = fill("{goasm} -syntax-only {flags} {src}", goasm=args.goasm, flags=job["flags"],
                   src=job["srcs"])
    else:
        cmd = fill("{goasm} {flags} -o {out} {src}", goasm=args.goasm, flags=job["flags"],
                   src=job["srcs"], out=out)
    t0 = time.monotonic()
    p = subprocess.Popen(["bash", "-c", cmd], cwd=job["cwd"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True)
    timed_out = False
    try:
        so, se = p.communicate(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        so, se = p.communicate()
    rc = p.returncode
    secs = time.monotonic() - t0
    # bash -c reports a child killed by signal N as 128+N
    if timed_out:
        status = "timeout"
        TIMEOUTS[0] += 1
    elif "panicked at" in se or rc == 101:
        status = "panic"
    elif rc < 0 or rc > 128:
        status = "signal"
    elif args.mode == "syntax":
        status = "accepted" if rc == 0 else ("usage" if rc == 2 else "rejected")
    elif rc == 0:
        status = "ok" if os.path.isfile(out) and os.path.getsize(out) > 0 else "no-output"
    elif rc == 1:
        status = "unsupported" if UNSUPPORTED_RE.search(se) else "error"
    elif rc == 2:
        status = "usage"
    else:
        status = "other"
    if args.keep_objects and os.path.isfile(out):
        os.makedirs(args.keep_objects, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", job["id"].split("#")[-1] + "_" + os.path.basename(job["display"]))
        shutil.move(out, os.path.join(args.keep_objects, name[:-2] + ".o" if name.endswith(".s") else name + ".o"))
    shutil.rmtree(work, ignore_errors=True)
    return {"id": job["id"], "arch": job["arch"], "file": job["display"], "status": status, "rc": rc,
            "secs": round(secs, 3), "error": (f"timeout after {args.timeout:g}s" if timed_out else first_line(se) or first_line(so)),
            "command": cmd,
            "cwd": job["cwd"]}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("manifests", nargs="+")
    ap.add_argument("--goasm", help="goasm binary")
    ap.add_argument("--candidate", help="shell template instead of --goasm")
    ap.add_argument("--mode", choices=["syntax", "assemble"], default="syntax")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=20, help="seconds per invocation (default 20)")
    ap.add_argument("--max-timeouts", type=int, default=3,
                    help="after this many timeouts, do not run the rest (counted as not-run; 0: no limit)")
    ap.add_argument("--details", help="JSONL of every non-fine invocation")
    ap.add_argument("--show", type=int, default=15, help="failures printed per arch")
    ap.add_argument("--strict", action="store_true", help="exit 1 unless every invocation is fine")
    ap.add_argument("--keep-objects", metavar="DIR", help="assemble mode: keep each object as DIR/<id>.o")
    args = ap.parse_args(argv)
    if not args.goasm and not args.candidate:
        ap.error("give --goasm or --candidate")
    if args.goasm:
        args.goasm = os.path.abspath(args.goasm)
    t0 = time.monotonic()
    jobs = []
    for m in args.manifests:
        jobs.extend(load_manifest(m)[1])
    tmproot = tempfile.mkdtemp(prefix="replay-")
    try:
        with cf.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            results = list(ex.map(lambda j: run_one(args, j, tmproot), jobs))
    finally:
        shutil.rmtree(tmproot, ignore_errors=True)
    fine = {"accepted"} if args.mode == "syntax" else {"ok", "unsupported"}
    by_arch = collections.OrderedDict()
    for r in results:
        by_arch.setdefault(r["arch"], []).append(r)
    if args.details:
        with open(args.details, "w") as f:
            for r in results:
                if r["status"] not in fine:
                    f.write(json.dumps(r) + "\n")
    tot_fine = 0
    lines = []
    for arch, rs in by_arch.items():
        c = collections.Counter(r["status"] for r in rs)
        nfine = sum(c[s] for s in fine)
        tot_fine += nfine
        bad = [r for r in rs if r["status"] not in fine]
        for r in bad[:args.show]:
            print(f"  {arch}: {r['file']}: {r['status']} (exit {r['rc']}): {r['error']}")
        if len(bad) > args.show:
            print(f"  {arch}: ... {len(bad) - args.show} more")
        slow = max(rs, key=lambda r: r["secs"])
        counts = " ".join(f"{k}={v}" for k, v in sorted(c.items()))
        if args.mode == "syntax":
            lines.append(f"arch={arch} syntax: {c['accepted']}/{len(rs)} accepted "
                         f"({100.0 * c['accepted'] / len(rs):.2f}%) [{counts}; slowest {slow['secs']}s]")
        else:
            lines.append(f"arch={arch} assemble: {nfine}/{len(rs)} ok-or-unsupported "
                         f"[{counts}; slowest {slow['secs']}s]")
    for l in lines:
        print(l)
    secs = time.monotonic() - t0
    word = "accepted" if args.mode == "syntax" else "ok-or-unsupported"
    print(f"replay-{args.mode}: {tot_fine}/{len(results)} {word} over {len(by_arch)} arches "
          f"({secs:.1f}s)")
    if args.strict and tot_fine != len(results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
