//! The goasm command as a user meets it: exit statuses, diagnostics, and
//! output files that are either complete or untouched.

use std::process::Output;

mod common;
use common::{goasm, Scratch};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const GOOD: &str = "#include \"textflag.h\"\nDATA ·x+0(SB)/8, $1\nGLOBL ·x(SB), RODATA, $8\n";

#[test]
fn default_output_name_and_success() {
    let s = Scratch::new("default");
    s.file("foo.s", GOOD);
    let o = goasm(&s.0, &["-arch", "arm64", "-os", "linux", "foo.s"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(s.entries(), vec!["foo.o", "foo.s"]);
    let bytes = std::fs::read(s.0.join("foo.o")).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
    assert_eq!(bytes[18], 183, "EM_AARCH64");
}

#[test]
fn error_keeps_existing_output_and_leaves_no_temp() {
    let s = Scratch::new("keep");
    s.file("bad.s", "#include \"textflag.h\"\nDATA ·x+0(SB)/8, $1\nGLOBL ·x(SB), RODATA, $8\nDATA ·y+0(SB)/3, $\"abcd\"\nGLOBL ·y(SB), $3\n");
    s.file("bad.o", "previous good object");
    let o = goasm(&s.0, &["-arch", "amd64", "-os", "linux", "-o", "bad.o", "bad.s"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("bad.s:4:"), "{err}");
    assert!(err.contains("error:"), "{err}");
    assert_eq!(std::fs::read_to_string(s.0.join("bad.o")).unwrap(), "previous good object");
    assert_eq!(s.entries(), vec!["bad.o", "bad.s"]);
}

#[test]
fn code_without_backend_is_a_clear_error_not_an_empty_object() {
    let s = Scratch::new("nobackend");
    s.file("f.s", "#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0-8\n\tMOV $1, X5\n\tRET\n");
    let o = goasm(&s.0, &["-arch", "riscv64", "-os", "linux", "f.s"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("f.s:2:") && err.contains("GOARCH=riscv64: encoding not supported yet"), "{err}");
    assert!(!s.0.join("f.o").exists());
    // The front end still checks it.
    let o = goasm(&s.0, &["-arch", "riscv64", "-syntax-only", "f.s"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!s.0.join("f.o").exists(), "-syntax-only writes nothing");
}

#[test]
fn syntax_only_reports_every_bad_line_up_to_the_limit() {
    let s = Scratch::new("limit");
    let mut text = String::from("TEXT ·f(SB), $0\n");
    for _ in 0..15 {
        text.push_str("\tMOVQ $(1<<2*3), AX\n");
    }
    s.file("m.s", &text);
    let o = goasm(&s.0, &["-arch", "amd64", "-syntax-only", "m.s"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let errors = err.lines().filter(|l| l.contains(": error: ")).count();
    assert_eq!(errors, 10, "{err}");
    assert!(err.contains("too many errors"), "{err}");
    assert!(err.contains("m.s:2:"), "{err}");
    let o = goasm(&s.0, &["-arch", "amd64", "-syntax-only", "-e", "m.s"]);
    assert_eq!(stderr(&o).lines().filter(|l| l.contains(": error: ")).count(), 15);
}

#[test]
fn unknown_mnemonic_suggests_a_name() {
    let s = Scratch::new("suggest");
    s.file("u.s", "TEXT ·f(SB), $0\n\tMOVQQ $1, AX\n");
    let o = goasm(&s.0, &["-arch", "amd64", "-syntax-only", "u.s"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("u.s:2:2: error:"), "{err}");
    assert!(err.contains("MOVQ"), "no suggestion: {err}");
}

#[test]
fn bad_usage_exits_2() {
    let s = Scratch::new("usage");
    s.file("a.s", GOOD);
    for args in [
        &["-arch", "vax", "a.s"][..],
        &["-os", "beos", "a.s"],
        &["-nosuchflag", "a.s"],
        &["-D", "1bad", "a.s"],
        &["-spectre", "bogus", "a.s"],
        &[],
    ] {
        let o = goasm(&s.0, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn missing_input_and_output_equal_to_input() {
    let s = Scratch::new("io");
    let o = goasm(&s.0, &["-arch", "amd64", "nope.s"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nope.s"), "{}", stderr(&o));
    s.file("same.s", GOOD);
    let o = goasm(&s.0, &["-arch", "amd64", "-o", "same.s", "same.s"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(s.0.join("same.s")).unwrap(), GOOD);
}

#[test]
fn predefines_and_defines() {
    let s = Scratch::new("predef");
    s.file(
        "p.s",
        "#include \"textflag.h\"\n#ifdef GOARCH_arm64\nDATA ·a+0(SB)/1, $1\n#else\nDATA ·a+0(SB)/1, $2\n#endif\nGLOBL ·a(SB), RODATA, $1\n\
         DATA ·b+0(SB)/1, $GOOS_linux\nGLOBL ·b(SB), RODATA, $1\n",
    );
    // -D of a predefined name replaces it without a redefinition error, as go build relies on.
    let o = goasm(&s.0, &["-arch", "arm64", "-os", "linux", "-D", "GOOS_linux=7", "-S", "-p", "p", "p.s"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("p.a SRODATA size=1 align=0x0\n\t0x0000 01 "), "{out}");
    assert!(out.contains("p.b SRODATA size=1 align=0x0\n\t0x0000 07 "), "{out}");
}

#[test]
fn deterministic_output() {
    let s = Scratch::new("det");
    s.file("d.s", GOOD);
    let a = goasm(&s.0, &["-arch", "riscv64", "-o", "1.o", "d.s"]);
    let b = goasm(&s.0, &["-arch", "riscv64", "-o", "2.o", "d.s"]);
    assert!(a.status.success() && b.status.success());
    assert_eq!(std::fs::read(s.0.join("1.o")).unwrap(), std::fs::read(s.0.join("2.o")).unwrap());
}
