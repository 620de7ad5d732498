//! Link settings for the `goasm` binary on Linux, both for start-up time:
//! most of a small file's run is the process starting, and Go's asm, a
//! static binary, pays none of the dynamic loader's work.
//!
//! - Position-dependent (as Go links its own tools): a PIE has the dynamic
//!   loader apply ~45,000 relocations to the architecture tables at every
//!   start, touching ~280 more pages; for a small file that was 40% of
//!   goasm's instructions and most of its page faults.
//! - The unwinder from libgcc_eh.a, linked in (what `gcc -static-libgcc`
//!   does), when the C compiler has it: then libgcc_s.so is not loaded, and
//!   its constructor's CPU feature probe (`cpuid`, slow under a hypervisor)
//!   does not run: about 0.1 ms of a 1.4 ms run here. Only the linker's
//!   `--as-needed` drops libgcc_s, so with a linker that keeps it this
//!   changes nothing.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "linux" {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    if env == "gnu" {
        if let Some(dir) = libgcc_eh_dir() {
            println!("cargo:rustc-link-search=native={dir}");
            println!("cargo:rustc-link-lib=static=gcc_eh");
        }
    }
}

/// The directory of the C compiler's libgcc_eh.a, if it has one.
fn libgcc_eh_dir() -> Option<String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(cc).arg("-print-file-name=libgcc_eh.a").output().ok()?;
    let path = String::from_utf8(out.stdout).ok()?;
    let path = std::path::Path::new(path.trim());
    // Without the file, the compiler prints the bare name back.
    if !out.status.success() || !path.is_absolute() || !path.is_file() {
        return None;
    }
    Some(path.parent()?.to_str()?.to_owned())
}
