//! `goasm -S` prints text symbols as `go tool asm -S` does: the golden files
//! are Go's listings of testdata/listing/{x86,arm64,arm64_far}.s less their
//! PCDATA/FUNCDATA lines (stack maps goasm does not make), written by
//! testdata/listing/gen.sh. No Go needed.

use std::path::PathBuf;
use std::process::Command;

fn check(arch: &str, src: &str, golden: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/listing");
    // One directory per test: the tests run at the same time.
    let out_dir = std::env::temp_dir().join(format!("goasm-listing-{golden}-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_goasm"))
        .current_dir(&dir)
        .env("GOEXPERIMENT", "")
        .args(["-arch", arch, "-S", "-p", "p", "-o"])
        .arg(out_dir.join("x.o"))
        .arg(src)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&out_dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = std::fs::read_to_string(dir.join(golden)).unwrap();
    let got = String::from_utf8(out.stdout).unwrap();
    assert_eq!(got, want);
}

#[test]
fn amd64_text_listing_matches_go() {
    check("amd64", "x86.s", "x86.amd64.golden");
}

/// Prologue and stack split, frame sizes, shifts, extensions, arrangements,
/// register lists, elements, `.P`/`.W`, pairs, literal pools, LEAF/NOFRAME.
#[test]
fn arm64_text_listing_matches_go() {
    check("arm64", "arm64.s", "arm64.arm64.golden");
}

/// Conditional branches past their reach get Go's trampoline (TBZ/TBNZ,
/// ±32 KiB); CBZ and B.cond within ±1 MiB stay direct.
#[test]
fn arm64_far_branch_listing_matches_go() {
    check("arm64", "arm64_far.s", "arm64_far.arm64.golden");
}
