//! `goasm -S` prints text symbols as `go tool asm -S` does: the golden file
//! is Go's listing of testdata/listing/x86.s less its PCDATA/FUNCDATA lines
//! (stack maps goasm does not make). No Go needed.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn amd64_text_listing_matches_go() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/listing");
    let out_dir = std::env::temp_dir().join(format!("goasm-listing-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_goasm"))
        .current_dir(&dir)
        .args(["-arch", "amd64", "-S", "-p", "p", "-o"])
        .arg(out_dir.join("x86.o"))
        .arg("x86.s")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&out_dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = std::fs::read_to_string(dir.join("x86.amd64.golden")).unwrap();
    let got = String::from_utf8(out.stdout).unwrap();
    assert_eq!(got, want);
}
