//! Names and numbers for every GOARCH of Go 1.27.3: registers, mnemonics,
//! special operand names, pointer size and byte order. No encoding logic.
//!
//! A [`GoArch`] selects a static [`ArchSpec`] bundle at startup, as Go's
//! `arch.Set(GOARCH)` does. Numbers are per architecture: an [`Op`] or a
//! [`Reg`] means nothing without its architecture.
//!
//! [`Op`] and [`Reg`] carry Go's own numbers (`obj.As` and the `int16`
//! register constants), so packed forms (arm64 arrangements and extended
//! registers, loong64 SIMD elements...) come out exactly as Go computes them,
//! and the per-family `consts` modules ([`x86::consts`], [`arm64::consts`]...)
//! hold every exported integer constant of Go's obj packages to compute them
//! with.
//!
//! Everything under `src/gen/` is generated from Go 1.27.3 by
//! `crates/arch-tables/gen/generate.py` (which runs `gen/dump_test.go` inside
//! Go's `cmd/asm/internal/arch` with `go test -overlay`); `gen/check.sh`
//! regenerates into a temporary directory and diffs. Building and testing
//! this crate does not need Go.

use std::fmt;
use std::str::FromStr;

#[rustfmt::skip]
mod gen;
mod spec;

pub use spec::{spec, ArchSpec, PseudoReg, RegRange};

/// Exported integer constants of Go's `cmd/internal/obj` package (`TYPE_*`,
/// `NAME_*`, `ABase*`, `RBase*`, `RegList*`...), each as an `i64`.
pub mod obj_consts {
    pub use crate::gen::obj_consts::*;

    /// The value of the constant with this Go name.
    pub fn lookup(name: &str) -> Option<i64> {
        crate::lookup_const(all(), name)
    }
}

fn lookup_const(table: &'static [(&'static str, i64)], name: &str) -> Option<i64> {
    table
        .binary_search_by(|(k, _)| (*k).cmp(name))
        .ok()
        .map(|i| table[i].1)
}

macro_rules! family_consts {
    ($($(#[$doc:meta])* $fam:ident => $file:ident;)*) => {$(
        $(#[$doc])*
        pub mod $fam {
            /// Every exported integer constant of the Go package, as an `i64`
            /// (`REG_*`, `A*` opcodes, condition and suffix bits...).
            pub mod consts {
                pub use crate::gen::$file::*;

                /// The value of the constant with this Go name.
                pub fn lookup(name: &str) -> Option<i64> {
                    crate::lookup_const(all(), name)
                }
            }
        }
    )*};
}

family_consts! {
    /// `cmd/internal/obj/x86` (amd64 and 386).
    x86 => x86_consts;
    /// `cmd/internal/obj/arm`.
    arm => arm_consts;
    /// `cmd/internal/obj/arm64`.
    arm64 => arm64_consts;
    /// `cmd/internal/obj/loong64`.
    loong64 => loong64_consts;
    /// `cmd/internal/obj/mips` (mips, mipsle, mips64, mips64le).
    mips => mips_consts;
    /// `cmd/internal/obj/ppc64` (ppc64, ppc64le).
    ppc64 => ppc64_consts;
    /// `cmd/internal/obj/riscv` (riscv64).
    riscv => riscv_consts;
    /// `cmd/internal/obj/s390x`.
    s390x => s390x_consts;
    /// `cmd/internal/obj/wasm`.
    wasm => wasm_consts;
}

/// An opcode of one architecture. Values below [`generic::ARCH_SPECIFIC`] are
/// the pseudo-opcodes shared by all architectures (TEXT, DATA's cousins, JMP...).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Op(pub u16);

/// A register of one architecture; 0 is "no register".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u16);

impl Reg {
    pub const NONE: Reg = Reg(0);
    pub fn is_none(self) -> bool {
        self.0 == 0
    }
}

/// The architecture-independent opcodes, numbered as in Go's obj package.
pub mod generic {
    use super::Op;
    pub const XXX: Op = Op(0);
    pub const CALL: Op = Op(1);
    pub const DUFFCOPY: Op = Op(2);
    pub const DUFFZERO: Op = Op(3);
    pub const END: Op = Op(4);
    pub const FUNCDATA: Op = Op(5);
    pub const JMP: Op = Op(6);
    pub const NOP: Op = Op(7);
    pub const PCALIGN: Op = Op(8);
    pub const PCALIGNMAX: Op = Op(9);
    pub const PCDATA: Op = Op(10);
    pub const RET: Op = Op(11);
    pub const GETCALLERPC: Op = Op(12);
    pub const TEXT: Op = Op(13);
    pub const UNDEF: Op = Op(14);
    /// The first architecture-specific opcode.
    pub const ARCH_SPECIFIC: Op = Op(15);
}

/// A Go architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GoArch {
    Amd64,
    I386,
    Arm,
    Arm64,
    Loong64,
    Mips,
    Mipsle,
    Mips64,
    Mips64le,
    Ppc64,
    Ppc64le,
    Riscv64,
    S390x,
    Wasm,
}

impl GoArch {
    pub const ALL: [GoArch; 14] = [
        GoArch::Amd64,
        GoArch::I386,
        GoArch::Arm,
        GoArch::Arm64,
        GoArch::Loong64,
        GoArch::Mips,
        GoArch::Mipsle,
        GoArch::Mips64,
        GoArch::Mips64le,
        GoArch::Ppc64,
        GoArch::Ppc64le,
        GoArch::Riscv64,
        GoArch::S390x,
        GoArch::Wasm,
    ];

    /// The `$GOARCH` spelling.
    pub fn name(self) -> &'static str {
        match self {
            GoArch::Amd64 => "amd64",
            GoArch::I386 => "386",
            GoArch::Arm => "arm",
            GoArch::Arm64 => "arm64",
            GoArch::Loong64 => "loong64",
            GoArch::Mips => "mips",
            GoArch::Mipsle => "mipsle",
            GoArch::Mips64 => "mips64",
            GoArch::Mips64le => "mips64le",
            GoArch::Ppc64 => "ppc64",
            GoArch::Ppc64le => "ppc64le",
            GoArch::Riscv64 => "riscv64",
            GoArch::S390x => "s390x",
            GoArch::Wasm => "wasm",
        }
    }

    /// The architecture family, named like Go's obj package for it.
    pub fn family(self) -> Family {
        match self {
            GoArch::Amd64 | GoArch::I386 => Family::X86,
            GoArch::Arm => Family::Arm,
            GoArch::Arm64 => Family::Arm64,
            GoArch::Loong64 => Family::Loong64,
            GoArch::Mips | GoArch::Mipsle | GoArch::Mips64 | GoArch::Mips64le => Family::Mips,
            GoArch::Ppc64 | GoArch::Ppc64le => Family::Ppc64,
            GoArch::Riscv64 => Family::Riscv,
            GoArch::S390x => Family::S390x,
            GoArch::Wasm => Family::Wasm,
        }
    }

    pub fn ptr_size(self) -> u8 {
        match self {
            GoArch::I386 | GoArch::Arm | GoArch::Mips | GoArch::Mipsle => 4,
            _ => 8,
        }
    }

    pub fn big_endian(self) -> bool {
        matches!(
            self,
            GoArch::Mips | GoArch::Mips64 | GoArch::Ppc64 | GoArch::S390x
        )
    }
}

impl FromStr for GoArch {
    type Err = String;
    fn from_str(s: &str) -> Result<GoArch, String> {
        GoArch::ALL
            .iter()
            .copied()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown GOARCH {s:?} (known: {})",
                    GoArch::ALL.map(|a| a.name()).join(", ")
                )
            })
    }
}

impl fmt::Display for GoArch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Architecture families: one obj backend each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    X86,
    Arm,
    Arm64,
    Loong64,
    Mips,
    Ppc64,
    Riscv,
    S390x,
    Wasm,
}

#[cfg(test)]
mod tests;
