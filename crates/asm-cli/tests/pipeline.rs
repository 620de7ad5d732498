//! The preprocessor on its own thread (inputs from 256 KiB, or forced with
//! `GOASM_PIPELINE=1`) changes nothing: the same object bytes, diagnostics
//! and exit status as on one thread, whatever the input raises and wherever.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

mod common;
use common::Scratch;

fn run(dir: &Path, args: &[&str], pipeline: &str) -> (Output, Option<Vec<u8>>) {
    let out = dir.join(format!("out-{pipeline}.o"));
    let _ = fs::remove_file(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_goasm"))
        .current_dir(dir)
        .args(args)
        .arg("-o")
        .arg(&out)
        .env_remove("GOARCH")
        .env_remove("GOOS")
        .env("GOASM_PIPELINE", pipeline)
        .output()
        .unwrap();
    (o, fs::read(&out).ok())
}

fn assert_same(dir: &Path, what: &str, args: &[&str]) -> bool {
    let (one, one_obj) = run(dir, args, "0");
    let (two, two_obj) = run(dir, args, "1");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    assert_eq!(one.status.code(), two.status.code(), "{what}: exit status\n{}", text(&two.stderr));
    assert_eq!(text(&one.stderr), text(&two.stderr), "{what}: diagnostics");
    assert_eq!(text(&one.stdout), text(&two.stdout), "{what}: standard output");
    assert!(one_obj == two_obj, "{what}: objects differ");
    // Whether the run succeeded with warnings (the cases must include such).
    one.status.success() && text(&one.stderr).contains("warning")
}

/// A function of `n` instructions, with `every`-th line replaced by `odd`.
fn body(n: usize, every: usize, odd: &str) -> String {
    let mut s = String::from("#include \"textflag.h\"\n#define ADD3(r) ADDQ $3, r\nTEXT ·f(SB), NOSPLIT, $0\n");
    for i in 1..=n {
        s.push_str(match i % every {
            0 => odd,
            1 => "\tADD3(BX)\n",
            2 => "\tMOVQ 8(SP)(CX*4), DX\n",
            _ => "\tADDQ $1, AX\n",
        });
    }
    s.push_str("\tRET\n");
    s
}

#[test]
fn threaded_preprocessing_changes_nothing() {
    let s = Scratch::new("pipeline");
    // Batches hold thousands of tokens: 8,000 lines (some 50,000 tokens) cross
    // a dozen of them.
    let n = 8_000;
    let cases: Vec<(&str, String)> = vec![
        ("clean", body(n, 2000, "\tNOP\n")),
        ("octal literal", body(n, 997, "\tMOVQ $08, AX\n")),
        ("skipped text warnings", body(n, 997, "#ifdef NOPE\n x = 'ab'\n#endif\n")),
        ("nul warnings", body(n, 1999, "\tADDQ $1, AX // \0\n")),
        ("misplaced go:build", body(n, 6_000, "//go:build amd64\n")),
        ("parse error", body(n, 4_321, "\tMOVQ $1, RAX\n")),
        ("many parse errors", body(n, 700, "\tMOVQ $1, RAX\n")),
        ("encoding error", body(n, 3_999, "\tADDQ X1, AX\n")),
        ("fatal preprocessor error", body(n, 7_000, "#include \"nonexistent.h\"\n")),
        ("bad macro use", body(n, 4_444, "\tADD3\n")),
        ("unterminated comment", body(n, n, "/* open\n")),
        ("undefined label", body(n, 5_000, "\tJMP nowhere\n")),
    ];
    let mut warned = Vec::new();
    for (what, src) in &cases {
        let name = format!("{}.s", what.replace(' ', "_"));
        s.file(&name, src);
        if assert_same(&s.0, what, &["-arch", "amd64", "-p", "p", &name]) {
            warned.push(*what);
        }
        assert_same(&s.0, &format!("{what} (-e)"), &["-arch", "amd64", "-p", "p", "-e", &name]);
    }
    // The cases that only warn do assemble (the others fail, each somewhere else).
    assert_eq!(warned, ["skipped text warnings", "nul warnings", "unterminated comment"]);
    // Go's own encoder tests, as the repository keeps them.
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    for (arch, file) in [("amd64", "amd64/base.s"), ("arm64", "arm64/fp.s"), ("386", "386/x87.s")] {
        let path = testdata.join(file);
        let _ = assert_same(&s.0, file, &["-arch", arch, "-p", "p", path.to_str().unwrap()]);
    }
}
