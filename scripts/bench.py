#!/usr/bin/env python3
"""Whole-process benchmark: goasm against Go 1.27.3's asm, with `cp` as the floor.

usage: bench.py --goasm GOASM [--runs N] [--cases REGEX] [--no-cachegrind] [--json OUT]

Inputs come from scripts/bench_inputs.py (in --inputs, default
$CARGO_TARGET_DIR/bench/inputs) plus the cached std corpus of
scripts/test.sh (`corpus-amd64`, replayed as one batch: every recorded
invocation in its directory and environment, one after another).

Every case runs N times (default 5; inputs under 1 MB at least
--small-runs times, default 41, as a few-ms run moves with the machine's
noise), after --warmup untimed runs of each (default 1); within a run goasm, Go's asm (the tool
binary in $(go env GOROOT)/pkg/tool, not the `go` wrapper) and `cp` of the
same input run one after another, in a rotating order. Each process is
measured directly by a small C helper (compiled with `cc` on first use) that
forks it, times fork..wait4 with CLOCK_MONOTONIC and reads the child's
rusage from wait4: peak memory is ru_maxrss (for a batch: the largest of its
processes), CPU time is ru_utime + ru_stime (microseconds; on a loaded
machine steadier than wall time). Neither Python nor /usr/bin/time is inside
the timed interval. Why not posix_spawn + wait4 from Python itself: the child
of a vfork (or fork) inherits the spawner's peak RSS into its ru_maxrss at
exec (Linux keeps the old image's high-water mark), so a tiny goasm run would
report Python's ~13 MiB; the helper's image is well under 1 MiB. Without
`cc`, the fallback is Popen + wait4 from Python, with peak memory
reported as "-". Reported: medians, goasm/go ratios, the
x100/x10 time ratio, and, with cachegrind (default on), the CPU instructions
goasm retires per assembled amd64 instruction on amd64enc_x10.s
(`valgrind --tool=cachegrind --cache-sim=no`, I refs / instruction lines).
"""
import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def go_env(*keys):
    """Go's settings, from one `go env` call."""
    out = json.loads(subprocess.check_output(["go", "env", "-json", *keys], text=True))
    return [out[k] for k in keys]


# Forks and execs argv[1..] with stdout on /dev/null and prints
# "wall_ns maxrss_kib utime_us stime_us status" for it (status: exit code,
# or 128 + signal).
HELPER_C = r"""
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (argc < 2) return 2;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 2; }
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 1);
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0) { perror("wait4"); return 2; }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long ns = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    printf("%lld %ld %ld %ld %d\n", ns, ru.ru_maxrss,
           (long)(ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec),
           (long)(ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec), code);
    return 0;
}
"""

HELPER = None


def build_helper(tmp):
    """The measuring helper, or None (no C compiler: the Python fallback)."""
    src, exe = os.path.join(tmp, "measure.c"), os.path.join(tmp, "measure")
    with open(src, "w") as f:
        f.write(HELPER_C)
    try:
        subprocess.run(["cc", "-O2", "-o", exe, src], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.stderr.write(f"(no measuring helper: {e}; peak memory not reported)\n")
        return None
    return exe


def run(argv, cwd, env):
    """Runs one process; returns (seconds, maxrss KiB or None, status, user+system CPU seconds)."""
    with tempfile.TemporaryFile() as err:
        if HELPER:
            p = subprocess.run([HELPER, *argv], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err)
            if p.returncode != 0:
                ns, maxrss, utime, stime, rc = 0, 0, 0, 0, p.returncode
            else:
                ns, maxrss, utime, stime, rc = map(int, p.stdout.split())
        else:
            # Popen spawns with vfork: the child's ru_maxrss starts from this Python's.
            with open(os.devnull, "wb") as null:
                t0 = time.perf_counter_ns()
                pid = subprocess.Popen(argv, cwd=cwd, env=env, stdout=null, stderr=err).pid
                _, st, ru = os.wait4(pid, 0)
                ns = time.perf_counter_ns() - t0
            rc = os.waitstatus_to_exitcode(st)
            maxrss, utime, stime = None, round(ru.ru_utime * 1e6), round(ru.ru_stime * 1e6)
        if rc != 0:
            err.seek(0)
            msg = err.read().decode(errors="replace")[:400]
            sys.stderr.write(f"  exit {rc}: {shlex.join(argv)} (in {cwd})\n  {msg}\n")
            return ns / 1e9, 0, rc, 0.0
    return ns / 1e9, maxrss, rc, (utime + stime) / 1e6


class Case:
    """A list of steps (argv, cwd, env) per tool; a single file is one step."""

    def __init__(self, name, arch, nbytes, ninsns, steps):
        self.name, self.arch, self.bytes, self.insns, self.steps = name, arch, nbytes, ninsns, steps

    def measure(self, tool):
        total, peak, cpu = 0.0, 0, 0.0
        for argv, cwd, env in self.steps[tool]:
            s, m, rc, c = run(argv, cwd, env)
            if rc != 0:
                return None
            total += s
            peak = None if m is None or peak is None else max(peak, m)
            cpu += c
        return total, peak, cpu


def file_case(name, info, inputs, goasm, goasm_tool, tmp, inc):
    arch = info["arch"]
    src = os.path.join(inputs, name)
    out = os.path.join(tmp, "out.o")
    env = dict(os.environ, GOARCH=arch, GOOS="linux")
    steps = {
        "goasm": [([goasm, "-arch", arch, "-os", "linux", "-I", inc, "-o", out, src], inputs, env)],
        "go": [([goasm_tool, "-I", inc, "-o", out, src], inputs, env)],
        "cp": [(["cp", src, os.path.join(tmp, "copy.s")], inputs, env)],
    }
    return Case(name, arch, info["bytes"], info["instructions"], steps)


def corpus_case(manifest, goasm, go_tool, tmp):
    d = os.path.dirname(os.path.abspath(manifest))
    with open(manifest) as f:
        man = json.load(f)
    steps = {"goasm": [], "go": [], "cp": []}
    nbytes = 0
    out = os.path.join(tmp, "out.o")
    for inv in man["invocations"]:
        rep = lambda s: s.replace("$DIR", d)
        env = dict(os.environ)
        env.update(man.get("env") or {})
        env.update(inv.get("env") or {})
        arch = inv.get("goarch") or man["goarch"]
        env["GOARCH"] = arch
        env.setdefault("GOOS", man.get("goos") or "linux")
        cwd = os.path.join(d, inv["cwd"])
        flags = [rep(x) for x in inv["flags"]]
        srcs = [rep(x) for x in inv["srcs"]]
        nbytes += sum(os.path.getsize(os.path.join(cwd, s)) for s in srcs)
        steps["goasm"].append(([goasm, "-arch", arch, "-os", env["GOOS"], *flags, "-o", out, *srcs], cwd, env))
        steps["go"].append(([go_tool, *flags, "-o", out, *srcs], cwd, env))
        steps["cp"].append((["cp", *srcs, tmp + "/"], cwd, env))
    name = f"std-{man['goarch']} ({len(man['invocations'])} invocations)"
    return Case(name, man["goarch"], nbytes, None, steps)


def cachegrind(argv, cwd, env):
    with tempfile.NamedTemporaryFile(suffix=".cg") as cg:
        p = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={cg.name}", *argv],
                           cwd=cwd, env=env, capture_output=True, text=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", p.stderr)
    if p.returncode != 0 or not m:
        sys.stderr.write(p.stderr[-2000:])
        return None
    return int(m.group(1).replace(",", ""))


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--goasm", required=True)
    ap.add_argument("--go-asm", help="Go's asm tool binary (default: $(go env GOROOT)/pkg/tool/$GOHOSTOS_$GOHOSTARCH/asm)")
    ap.add_argument("--inputs", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "bench", "inputs"))
    ap.add_argument("--corpus", default=os.path.join(os.environ.get("GOASM_CI_CACHE", os.path.expanduser("~/.cache/goasm-ci")),
                                                      "go1.27.3", "corpus-amd64", "manifest.json"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs of each tool before a case's timed runs")
    ap.add_argument("--small-runs", type=int, default=41,
                    help="at least this many runs for inputs under 1 MB: a run of a few ms moves with the machine's noise")
    ap.add_argument("--cases", default="", help="regex: only cases whose name matches")
    ap.add_argument("--no-cachegrind", action="store_true")
    ap.add_argument("--cachegrind-go", action="store_true", help="also count Go's asm instructions (slow)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)
    goasm = os.path.abspath(args.goasm)
    goroot, hostos, hostarch = go_env("GOROOT", "GOHOSTOS", "GOHOSTARCH")
    go_tool = args.go_asm or os.path.join(goroot, "pkg", "tool", f"{hostos}_{hostarch}", "asm")
    inc = os.path.join(goroot, "pkg", "include")
    with open(os.path.join(args.inputs, "inputs.json")) as f:
        inputs = json.load(f)
    tmp = tempfile.mkdtemp(prefix="goasm-bench-")
    global HELPER
    HELPER = build_helper(tmp)
    order = ["tiny_amd64.s", "amd64enc.s", "amd64enc_x10.s", "amd64enc_x100.s",
             "tiny_arm64.s", "arm64enc.s", "arm64enc_x10.s", "arm64enc_x100.s", "arm64enc_x1000.s"]
    cases = [file_case(n, inputs[n], args.inputs, goasm, go_tool, tmp, inc) for n in order if n in inputs]
    if os.path.exists(args.corpus):
        cases.append(corpus_case(args.corpus, goasm, go_tool, tmp))
    else:
        print(f"(no corpus at {args.corpus}: run scripts/test.sh corpora)")
    if args.cases:
        cases = [c for c in cases if re.search(args.cases, c.name)]
    cpu = os.cpu_count()
    print(f"goasm: {goasm}\ngo asm: {go_tool}\nruns: {args.runs} ({max(args.runs, args.small_runs)} for inputs under 1 MB), {cpu} CPUs, load average at start: {loadavg()}")
    # Let what the setup started settle (the go command's telemetry child,
    # writeback of the generated inputs) before the first, few-ms case.
    time.sleep(2)
    results = []
    tools = ["goasm", "go", "cp"]
    for c in cases:
        samples = {t: [] for t in tools}
        failed = set()
        runs = args.runs if c.bytes >= 1_000_000 else max(args.runs, args.small_runs)
        for _ in range(args.warmup):
            for t in tools:
                c.measure(t)
        for i in range(runs):
            rot = tools[i % 3:] + tools[:i % 3]
            for t in rot:
                if t in failed:
                    continue
                r = c.measure(t)
                if r is None:
                    failed.add(t)
                else:
                    samples[t].append(r)
        row = {"case": c.name, "arch": c.arch, "bytes": c.bytes, "instructions": c.insns, "runs": runs}
        for t in tools:
            if samples[t]:
                row[f"{t}_s"] = statistics.median(s for s, _, _ in samples[t])
                rss = [m for _, m, _ in samples[t] if m is not None]
                row[f"{t}_maxrss_kib"] = statistics.median(rss) if rss else None
                row[f"{t}_cpu_s"] = statistics.median(c for _, _, c in samples[t])
            else:
                row[f"{t}_s"] = None
                row[f"{t}_maxrss_kib"] = None
                row[f"{t}_cpu_s"] = None
        results.append(row)
        print_row(row, header=len(results) == 1)
    summary = {}
    for arch, lo, hi in (("amd64", "amd64enc_x10.s", "amd64enc_x100.s"), ("arm64", "arm64enc_x10.s", "arm64enc_x100.s")):
        rl = next((r for r in results if r["case"] == lo), None)
        rh = next((r for r in results if r["case"] == hi), None)
        if rl and rh and rl["goasm_s"] and rh["goasm_s"]:
            summary[f"{arch}_x100_over_x10"] = rh["goasm_s"] / rl["goasm_s"]
            line = f"linearity {arch}: goasm wall time(x100)/time(x10) = {summary[f'{arch}_x100_over_x10']:.2f}"
            if rl["goasm_cpu_s"] and rh["goasm_cpu_s"]:
                summary[f"{arch}_cpu_x100_over_x10"] = rh["goasm_cpu_s"] / rl["goasm_cpu_s"]
                line += f", CPU time (user+sys) {summary[f'{arch}_cpu_x100_over_x10']:.2f}"
            print(line)
    if not args.no_cachegrind and "amd64enc_x10.s" in inputs:
        c = file_case("amd64enc_x10.s", inputs["amd64enc_x10.s"], args.inputs, goasm, go_tool, tmp, inc)
        n = inputs["amd64enc_x10.s"]["instructions"]
        for t in (["goasm", "go"] if args.cachegrind_go else ["goasm"]):
            (argv, cwd, env), = c.steps[t]
            refs = cachegrind(argv, cwd, env)
            if refs is not None:
                summary[f"{t}_instructions_per_insn"] = refs / n
                print(f"cachegrind {t} amd64enc_x10.s: {refs:,} instructions retired / {n:,} assembled = {refs / n:,.0f} per instruction")
    print(f"load average at end: {loadavg()}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"results": results, "summary": summary, "runs": args.runs, "cpus": cpu}, f, indent=1)
    subprocess.run(["rm", "-rf", tmp])


def fmt_ms(s):
    return "fail" if s is None else f"{s * 1000:.1f}"


def fmt_mib(k):
    return "-" if k is None else f"{k / 1024:.1f}"


def print_row(r, header=False):
    if header:
        print(f"{'case':32} {'MB':>7} {'goasm ms':>9} {'go ms':>9} {'ratio':>6} {'cp ms':>7} {'CPU ratio':>9} {'goasm MiB':>9} {'go MiB':>7} {'MiB ratio':>9}")
    ratio = f"{r['goasm_s'] / r['go_s']:.2f}" if r["goasm_s"] and r["go_s"] else "-"
    mratio = f"{r['goasm_maxrss_kib'] / r['go_maxrss_kib']:.2f}" if r["goasm_maxrss_kib"] and r["go_maxrss_kib"] else "-"
    cratio = f"{r['goasm_cpu_s'] / r['go_cpu_s']:.2f}" if r.get("goasm_cpu_s") and r.get("go_cpu_s") else "-"
    print(f"{r['case']:32} {r['bytes'] / 1e6:7.2f} {fmt_ms(r['goasm_s']):>9} {fmt_ms(r['go_s']):>9} {ratio:>6} "
          f"{fmt_ms(r['cp_s']):>7} {cratio:>9} {fmt_mib(r['goasm_maxrss_kib']):>9} {fmt_mib(r['go_maxrss_kib']):>7} {mratio:>9}", flush=True)


if __name__ == "__main__":
    main()
