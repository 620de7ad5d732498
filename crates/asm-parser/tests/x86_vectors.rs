//! The x86 encoding vectors of testdata/{amd64,386}/*.s (written by
//! crates/obj/src/arch/x86/gen/gen_vectors.py from Go's assembler): every
//! `INSTR // hex` line must assemble to those bytes (relocated bytes are
//! zero), every `INSTR // ERROR "..."` line must be rejected. No Go needed.

mod common;

use arch_tables::GoArch;

#[test]
fn amd64_vectors() {
    common::report("amd64", GoArch::Amd64, 1000);
}

#[test]
fn i386_vectors() {
    common::report("386", GoArch::I386, 1000);
}
