//! Hostile inputs: the real binary under a time limit (10 s, killed after)
//! and a memory limit (RLIMIT_AS 2 GiB as a safety net; the peak RSS from
//! `wait4` must stay under 1 GiB). Every case must end with a clear
//! diagnostic and exit status 1 (2 for usage), or succeed where Go does,
//! and never with a panic, an abort or a signal.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// 10 s for the release binary (`cargo test --release`, as scripts/test.sh
/// runs); an unoptimized build gets more.
const TIME_LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 120 } else { 10 });
const RSS_LIMIT_KB: i64 = 1 << 20; // 1 GiB
const AS_LIMIT: u64 = 2 << 30;

mod common;
use common::Scratch;

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    signal: Option<i32>,
    stderr: String,
    elapsed: Duration,
    max_rss_kb: i64,
}

/// Runs goasm in `dir` with limits; waits with `wait4` for its rusage.
/// The limits are set by `prlimit` (util-linux) when it is there, so that
/// the child is started without a fork of this (large) test process: Linux
/// keeps `ru_maxrss` across `execve`, and a forked child would report the
/// test's own memory. Without `prlimit`, a `pre_exec` sets them.
fn goasm(dir: &Path, args: &[&str]) -> Run {
    let errf = dir.join(".stderr");
    let bin = env!("CARGO_BIN_EXE_goasm");
    let prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].into_iter().find(|p| Path::new(p).exists());
    let mut cmd = match prlimit {
        Some(p) => {
            // `env -C` changes directory: with current_dir, std would fork instead of posix_spawn.
            let mut c = Command::new("env");
            c.arg("-C").arg(dir).arg(p).arg(format!("--as={AS_LIMIT}")).arg("--cpu=30").arg("--").arg(bin);
            c
        }
        None => {
            let mut c = Command::new(bin);
            unsafe {
                c.pre_exec(|| {
                    let lim = libc::rlimit { rlim_cur: AS_LIMIT, rlim_max: AS_LIMIT };
                    if libc::setrlimit(libc::RLIMIT_AS, &lim) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    let cpu = libc::rlimit { rlim_cur: 30, rlim_max: 30 };
                    libc::setrlimit(libc::RLIMIT_CPU, &cpu);
                    Ok(())
                });
            }
            c
        }
    };
    if prlimit.is_none() {
        cmd.current_dir(dir);
    }
    cmd.args(args)
        .env_remove("GOARCH")
        .env_remove("GOOS")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(fs::File::create(&errf).unwrap());
    let t0 = Instant::now();
    let child = cmd.spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4: {}", std::io::Error::last_os_error());
        if t0.elapsed() > TIME_LIMIT {
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::wait4(pid, &mut status, 0, &mut ru);
            }
            panic!("goasm {args:?} ran over {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = t0.elapsed();
    let stderr = String::from_utf8_lossy(&fs::read(&errf).unwrap()).into_owned();
    let _ = fs::remove_file(&errf);
    let (code, signal) = if libc::WIFEXITED(status) {
        (Some(libc::WEXITSTATUS(status)), None)
    } else {
        (None, Some(libc::WTERMSIG(status)))
    };
    let run = Run { code, signal, stderr, elapsed, max_rss_kb: ru.ru_maxrss };
    eprintln!(
        "goasm {}: exit {:?} signal {:?} in {:.2}s, peak RSS {} MiB",
        args.join(" ").chars().take(80).collect::<String>(),
        run.code,
        run.signal,
        run.elapsed.as_secs_f64(),
        run.max_rss_kb / 1024
    );
    assert!(run.signal.is_none(), "killed by signal {:?}: {}", run.signal, run.stderr);
    assert!(run.max_rss_kb < RSS_LIMIT_KB, "peak RSS {} KiB", run.max_rss_kb);
    assert!(!run.stderr.contains("panicked") && !run.stderr.contains("internal error"), "{}", run.stderr);
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "{}", run.stderr);
    run
}

/// Exit 1 with an error at `file:line:` (and a column) whose message contains `msg`.
fn assert_error(r: &Run, at: &str, msg: &str) {
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let hit = r.stderr.lines().any(|l| l.starts_with(at) && l.contains(": error: ") && l.contains(msg));
    assert!(hit, "want an error at {at} containing {msg:?}, got:\n{}", head(&r.stderr));
}

fn head(s: &str) -> String {
    s.chars().take(2000).collect()
}

const TF: &str = "#include \"textflag.h\"\n";

fn amd64(s: &Scratch, file: &str) -> Run {
    goasm(&s.0, &["-arch", "amd64", "-os", "linux", "-o", "out.o", file])
}

#[test]
fn non_utf8_bytes() {
    let s = Scratch::new("nonutf8");
    s.file("a.s", [TF.as_bytes(), b"DATA \xff\xfe(SB)/8, $1\n"].concat());
    assert_error(&amd64(&s, "a.s"), "a.s:2:", "");
    // In a comment they are harmless, as in Go.
    s.file("c.s", [TF.as_bytes(), b"// caf\xe9\nDATA x(SB)/8, $1\nGLOBL x(SB), RODATA, $8\n"].concat());
    let r = amd64(&s, "c.s");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn nul_bytes() {
    let s = Scratch::new("nul");
    s.file("a.s", [TF.as_bytes(), b"DATA x\x00y(SB)/8, $1\n"].concat());
    assert_error(&amd64(&s, "a.s"), "a.s:2:", "");
}

#[test]
fn crlf_and_lone_cr_line_endings() {
    let s = Scratch::new("cr");
    s.file("lf.s", format!("{TF}DATA x(SB)/8, $1\nGLOBL x(SB), RODATA, $8\n"));
    s.file("crlf.s", format!("{TF}DATA x(SB)/8, $1\r\nGLOBL x(SB), RODATA, $8\r\n"));
    let r = goasm(&s.0, &["-arch", "amd64", "-os", "linux", "-o", "lf.o", "lf.s"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = goasm(&s.0, &["-arch", "amd64", "-os", "linux", "-o", "crlf.o", "crlf.s"]);
    assert_eq!(r.code, Some(0), "CRLF is a line ending: {}", r.stderr);
    assert_eq!(fs::read(s.0.join("lf.o")).unwrap(), fs::read(s.0.join("crlf.o")).unwrap());
    // A lone CR is white space (Go's scanner): the two statements are one line.
    s.file("cr.s", format!("{TF}DATA x(SB)/8, $1\rGLOBL x(SB), RODATA, $8\r"));
    assert_error(&amd64(&s, "cr.s"), "cr.s:2:", "");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "large input: run with --release")]
fn ten_megabyte_single_line() {
    let s = Scratch::new("longline");
    // A 10 MB expression: 5,000,000 additions.
    let mut src = format!("{TF}DATA x(SB)/8, $1");
    src.push_str(&"+1".repeat(5_000_000));
    src.push_str("\nGLOBL x(SB), RODATA, $8\n");
    let r = amd64(&s, &{
        s.file("e.s", &src);
        "e.s".to_string()
    });
    assert!(r.code == Some(0) || r.code == Some(1), "{}", head(&r.stderr));
    if r.code == Some(1) {
        assert!(r.stderr.starts_with("e.s:2:"), "{}", head(&r.stderr));
    }
    // A 10 MB comment.
    s.file("c.s", format!("{TF}// {}\nDATA x(SB)/8, $1\nGLOBL x(SB), RODATA, $8\n", "x".repeat(10_000_000)));
    let r = amd64(&s, "c.s");
    assert_eq!(r.code, Some(0), "{}", head(&r.stderr));
    // A 10 MB identifier.
    s.file("i.s", format!("{TF}DATA {}(SB)/8, $1\n", "x".repeat(10_000_000)));
    let r = amd64(&s, "i.s");
    assert!(r.code == Some(0) || r.code == Some(1), "{}", head(&r.stderr));
}

// The large inputs run with the release binary only (`cargo test --release`,
// scripts/test.sh): unoptimized, they take minutes of the shared cores.
#[test]
#[cfg_attr(debug_assertions, ignore = "large input: run with --release")]
fn a_million_lines() {
    let s = Scratch::new("million");
    let src = format!("{TF}TEXT f(SB), NOSPLIT, $0\n{}\tRET\n", "\tNOP\n".repeat(1_000_000));
    s.file("m.s", &src);
    let r = amd64(&s, "m.s");
    assert_eq!(r.code, Some(0), "{}", head(&r.stderr));
    // A million blank and comment lines, then an error on the last line.
    let mut src = "// comment\n\n".repeat(500_000);
    src.push_str("BOGUS\n");
    s.file("b.s", &src);
    assert_error(&amd64(&s, "b.s"), "b.s:1000001:", "");
    // A million bad lines: the error limit stops the run early.
    s.file("bad.s", "BOGUS\n".repeat(1_000_000));
    let r = amd64(&s, "bad.s");
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("too many errors"), "{}", head(&r.stderr));
}

#[test]
#[cfg_attr(debug_assertions, ignore = "large input: run with --release")]
fn deeply_nested_parentheses() {
    let s = Scratch::new("parens");
    for (name, depth) in [("p1k.s", 1_000), ("p100k.s", 100_000), ("p1m.s", 1_000_000)] {
        s.file(name, format!("{TF}DATA x(SB)/8, ${}1{}\nGLOBL x(SB), RODATA, $8\n", "(".repeat(depth), ")".repeat(depth)));
        let r = amd64(&s, name);
        assert!(r.code == Some(0) || r.code == Some(1), "{}", head(&r.stderr));
        if r.code == Some(1) {
            assert!(r.stderr.starts_with(&format!("{name}:2:")), "{}", head(&r.stderr));
        }
    }
    s.file("open.s", format!("{TF}DATA x(SB)/8, ${}\n", "(".repeat(1_000_000)));
    assert_error(&amd64(&s, "open.s"), "open.s:2:", "");
    s.file("unary.s", format!("{TF}DATA x(SB)/8, ${}1\nGLOBL x(SB), RODATA, $8\n", "-".repeat(1_000_000)));
    let r = amd64(&s, "unary.s");
    assert!(r.code == Some(0) || r.code == Some(1), "{}", head(&r.stderr));
    s.file("mem.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\n\tMOVQ {}AX{}, BX\n", "(".repeat(100_000), ")".repeat(100_000)));
    assert_error(&amd64(&s, "mem.s"), "mem.s:3:", "");
}

#[test]
fn self_and_exponentially_expanding_macros() {
    let s = Scratch::new("macros");
    s.file("self.s", "#define A A\nDATA x(SB)/8, $A\n");
    assert_error(&amd64(&s, "self.s"), "self.s:2:", "");
    s.file("selffn.s", "#define B(x) B(x)\nDATA x(SB)/8, $B(1)\n");
    assert_error(&amd64(&s, "selffn.s"), "selffn.s:2:", "");
    s.file("mutual.s", "#define A B\n#define B A\nDATA x(SB)/8, $A\n");
    assert_error(&amd64(&s, "mutual.s"), "mutual.s:3:", "");
    let mut src = String::from("#define A0 1+1\n");
    for i in 1..64 {
        src.push_str(&format!("#define A{i} A{}+A{}\n", i - 1, i - 1));
    }
    src.push_str("DATA x(SB)/8, $A63\n");
    s.file("exp.s", &src);
    assert_error(&amd64(&s, "exp.s"), "exp.s:65:", "");
    let mut src = String::from("#define F0(x) x x\n");
    for i in 1..64 {
        src.push_str(&format!("#define F{i}(x) F{}(F{}(x))\n", i - 1, i - 1));
    }
    src.push_str("DATA x(SB)/8, $F63(1)\n");
    s.file("expfn.s", &src);
    assert_error(&amd64(&s, "expfn.s"), "expfn.s:65:", "");
}

#[test]
fn include_cycles() {
    let s = Scratch::new("cycle");
    s.file("a.s", "#include \"b.h\"\n");
    s.file("b.h", "#include \"c.h\"\n");
    s.file("c.h", "#include \"b.h\"\n");
    let r = amd64(&s, "a.s");
    assert_eq!(r.code, Some(1), "{}", head(&r.stderr));
    assert!(r.stderr.contains(".h:1:") && r.stderr.contains("error: "), "{}", head(&r.stderr));
    s.file("self.s", "#include \"self.s\"\n");
    let r = amd64(&s, "self.s");
    assert_error(&r, "self.s:1:", "");
}

#[test]
fn include_of_a_directory_or_dev_zero() {
    let s = Scratch::new("incl");
    fs::create_dir(s.0.join("adir")).unwrap();
    s.file("d.s", "#include \"adir\"\n");
    assert_error(&amd64(&s, "d.s"), "d.s:1:", "is a directory");
    s.file("z.s", "#include \"/dev/zero\"\n");
    assert_error(&amd64(&s, "z.s"), "", "");
    s.file("zz.s", "#include \"/dev/zero\"\n#include \"/dev/urandom\"\n");
    let r = amd64(&s, "zz.s");
    assert_eq!(r.code, Some(1), "{}", head(&r.stderr));
}

#[test]
fn overflowing_immediates() {
    let s = Scratch::new("overflow");
    s.file("d.s", format!("{TF}DATA x(SB)/8, $99999999999999999999999999\nGLOBL x(SB), RODATA, $8\n"));
    assert_error(&amd64(&s, "d.s"), "d.s:2:", "");
    s.file("t.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\n\tMOVQ $0x1ffffffffffffffffff, AX\n\tRET\n"));
    assert_error(&amd64(&s, "t.s"), "t.s:3:", "");
    s.file("w.s", format!("{TF}DATA x(SB)/1, $0x1234\nGLOBL x(SB), RODATA, $1\n"));
    let r = amd64(&s, "w.s");
    assert!(r.code == Some(0) || r.code == Some(1), "{}", r.stderr);
    s.file("shift.s", format!("{TF}DATA x(SB)/8, $(1<<1000)\nGLOBL x(SB), RODATA, $8\n"));
    let r = amd64(&s, "shift.s");
    assert!(r.code == Some(0) || r.code == Some(1), "{}", r.stderr);
    s.file("div.s", format!("{TF}DATA x(SB)/8, $(1/0)\nDATA y(SB)/8, $(1%0)\nGLOBL x(SB), RODATA, $8\n"));
    assert_error(&amd64(&s, "div.s"), "div.s:2:", "");
    s.file("frame.s", format!("{TF}TEXT f(SB), NOSPLIT, $0x7fffffffffffffff-0x7fffffffffffffff\n\tRET\n"));
    let r = amd64(&s, "frame.s");
    assert!(r.code == Some(1) || r.code == Some(0), "{}", r.stderr);
}

#[test]
fn labels_defined_twice() {
    let s = Scratch::new("duplabel");
    s.file("a.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\nl:\n\tNOP\nl:\n\tRET\n"));
    assert_error(&amd64(&s, "a.s"), "a.s:5:", "");
    let r = goasm(&s.0, &["-arch", "arm64", "-os", "linux", "-o", "out.o", "a.s"]);
    assert_error(&r, "a.s:5:", "");
}

#[test]
fn branches_to_nowhere() {
    let s = Scratch::new("nowhere");
    // As Go, the error is at the statement that ends the function; a note
    // points at the reference.
    s.file("a.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\n\tJMP nowhere\n\tRET\n"));
    let r = amd64(&s, "a.s");
    assert_error(&r, "a.s:5:", "undefined label nowhere");
    assert!(r.stderr.contains("a.s:3:2: note: referenced here"), "{}", r.stderr);
    s.file("b.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\n\tB nowhere\n\tRET\nTEXT h(SB), NOSPLIT, $0\n\tRET\n"));
    let r = goasm(&s.0, &["-arch", "arm64", "-os", "linux", "-o", "out.o", "b.s"]);
    assert_error(&r, "b.s:5:", "undefined label nowhere");
    // Relative branches out of the function (Go: "branch out of range", then a panic).
    s.file("c.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\n\tJMP 100(PC)\n\tRET\nTEXT k(SB), NOSPLIT, $0\n\tRET\n"));
    for arch in ["amd64", "386", "arm64"] {
        let r = goasm(&s.0, &["-arch", arch, "-os", "linux", "-o", "out.o", "c.s"]);
        assert_error(&r, "c.s:3:", "branch out of range");
    }
    s.file("d.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\n\tJMP -100(PC)\n\tRET\n"));
    for arch in ["amd64", "386", "arm64"] {
        let r = goasm(&s.0, &["-arch", arch, "-os", "linux", "-o", "out.o", "d.s"]);
        assert!(r.code == Some(0) || r.code == Some(1), "{}", r.stderr);
    }
}

#[test]
fn text_without_an_end() {
    let s = Scratch::new("noend");
    // The body just stops at the end of the file: Go accepts it.
    s.file("a.s", format!("{TF}TEXT f(SB), NOSPLIT, $0\n\tMOVQ $1, AX\n"));
    let r = amd64(&s, "a.s");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // A TEXT line cut short.
    s.file("b.s", format!("{TF}TEXT f(SB)\n"));
    assert_error(&amd64(&s, "b.s"), "b.s:2:", "");
    s.file("c.s", format!("{TF}TEXT\n"));
    assert_error(&amd64(&s, "c.s"), "c.s:2:", "");
    // Unterminated #ifdef, macro definition and string at EOF.
    s.file("d.s", "#ifdef X\nTEXT f(SB), $0\n");
    assert_error(&amd64(&s, "d.s"), "d.s:", "");
    s.file("e.s", "#define M(a) \\\n");
    let r = amd64(&s, "e.s");
    assert!(r.code == Some(0) || r.code == Some(1), "{}", r.stderr);
    s.file("f.s", "DATA x(SB)/8, $\"abc");
    assert_error(&amd64(&s, "f.s"), "f.s:1:", "");
}

#[test]
#[cfg_attr(debug_assertions, ignore = "large input: run with --release")]
fn a_hundred_thousand_symbols() {
    let s = Scratch::new("syms");
    let mut src = String::from(TF);
    for i in 0..100_000 {
        src.push_str(&format!("GLOBL s{i}(SB), RODATA, $8\n"));
    }
    s.file("a.s", &src);
    let r = amd64(&s, "a.s");
    assert_eq!(r.code, Some(0), "{}", head(&r.stderr));
    let mut src = String::from(TF);
    for i in 0..100_000 {
        src.push_str(&format!("TEXT f{i}(SB), NOSPLIT, $0\n\tRET\n"));
    }
    s.file("t.s", &src);
    let r = amd64(&s, "t.s");
    assert_eq!(r.code, Some(0), "{}", head(&r.stderr));
    let r = goasm(&s.0, &["-arch", "arm64", "-os", "linux", "-o", "out.o", "t.s"]);
    assert_eq!(r.code, Some(0), "{}", head(&r.stderr));
}

#[test]
fn unknown_goarch_and_goos() {
    let s = Scratch::new("usage");
    s.file("a.s", "");
    let r = goasm(&s.0, &["-arch", "vax", "a.s"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("vax"), "{}", r.stderr);
    let r = goasm(&s.0, &["-arch", "amd64", "-os", "beos", "a.s"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("beos"), "{}", r.stderr);
    assert_eq!(s.entries(), vec!["a.s"]);
}

#[test]
fn missing_or_unreadable_input() {
    let s = Scratch::new("input");
    let r = amd64(&s, "nope.s");
    assert_error(&r, "", "nope.s");
    fs::create_dir(s.0.join("dir.s")).unwrap();
    let r = amd64(&s, "dir.s");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("dir.s") && r.stderr.contains("directory"), "{}", r.stderr);
    let p = s.file("secret.s", TF);
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&p).is_err() {
        // Not root: the file really is unreadable.
        let r = amd64(&s, "secret.s");
        assert_error(&r, "", "permission denied");
    }
    let r = amd64(&s, "/dev/null/x.s");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(!s.0.join("out.o").exists());
}

#[test]
fn unwritable_or_full_output() {
    let s = Scratch::new("output");
    s.file("a.s", format!("{TF}DATA x(SB)/8, $1\nGLOBL x(SB), RODATA, $8\n"));
    if Path::new("/dev/full").exists() {
        let r = goasm(&s.0, &["-arch", "amd64", "-o", "/dev/full", "a.s"]);
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        assert!(r.stderr.contains("/dev/full") && r.stderr.contains("no space"), "{}", r.stderr);
    }
    for out in ["nodir/x.o", "a.s/x.o", "/proc/version"] {
        let r = goasm(&s.0, &["-arch", "amd64", "-o", out, "a.s"]);
        assert_eq!(r.code, Some(1), "{out}: {}", r.stderr);
        assert!(r.stderr.starts_with("goasm: ") && r.stderr.contains(out), "{}", r.stderr);
    }
    // The output is a directory.
    fs::create_dir(s.0.join("d.o")).unwrap();
    let r = goasm(&s.0, &["-arch", "amd64", "-o", "d.o", "a.s"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(s.entries(), vec!["a.s", "d.o"], "no temporary file is left");
}

#[test]
fn output_path_equal_to_input_path() {
    let s = Scratch::new("same");
    let src = format!("{TF}DATA x(SB)/8, $1\nGLOBL x(SB), RODATA, $8\n");
    s.file("a.s", &src);
    for out in ["a.s", "./a.s", &s.0.join("a.s").to_string_lossy()] {
        let r = goasm(&s.0, &["-arch", "amd64", "-o", out, "a.s"]);
        assert_eq!(r.code, Some(1), "{}", r.stderr);
        assert!(r.stderr.contains("is the input file"), "{}", r.stderr);
        assert_eq!(fs::read_to_string(s.0.join("a.s")).unwrap(), src);
    }
    // Through a symbolic link too.
    std::os::unix::fs::symlink("a.s", s.0.join("link.o")).unwrap();
    let r = goasm(&s.0, &["-arch", "amd64", "-o", "link.o", "a.s"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(fs::read_to_string(s.0.join("a.s")).unwrap(), src);
}

#[test]
fn a_panic_is_an_internal_error_not_an_abort() {
    let s = Scratch::new("panic");
    s.file("a.s", TF);
    let o = Command::new(env!("CARGO_BIN_EXE_goasm"))
        .current_dir(&s.0)
        .env("GOASM_TEST_PANIC", "1")
        .args(["-arch", "amd64", "a.s"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.starts_with("goasm: internal error: GOASM_TEST_PANIC is set at "), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(s.entries(), vec!["a.s"]);
}
