//! The arm64 encoding vectors of testdata/arm64/*.s (written by
//! crates/obj/src/arch/arm64/gen/gen_vectors.py from our optab rows and Go's
//! assembler): every `INSTR // hex` line must assemble to those bytes
//! (relocated bytes are zero), every `INSTR // ERROR "..."` line must be
//! rejected. No Go needed.

mod common;

use arch_tables::GoArch;

#[test]
fn arm64_vectors() {
    common::report("arm64", GoArch::Arm64, 10000);
}
