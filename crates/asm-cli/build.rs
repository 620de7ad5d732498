//! Links goasm as a position-dependent executable on Linux (as Go links its
//! own tools): a PIE has the dynamic loader apply ~45,000 relocations to the
//! architecture tables at every start, touching ~280 more pages; for a small
//! file that was 40% of goasm's instructions and most of its page faults.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
