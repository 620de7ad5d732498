//! Operands. The shape follows Go's `obj.Addr`, because Go's backends decide
//! encodings from exactly these fields; the Rust types make the variants explicit.

use arch_tables::Reg;

use crate::sym::SymId;

/// What kind of operand an [`Addr`] is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AddrType {
    /// No operand.
    #[default]
    None,
    /// A branch target: `label`, `n(PC)`, `sym(SB)` in a jump. The target
    /// instruction is in [`AddrVal::Target`] once resolved.
    Branch,
    /// The `$frame-args` operand of TEXT: frame in `offset`, args in [`AddrVal::ArgSize`].
    TextSize,
    /// Memory: `off(reg)(index*scale)` or `sym+off(SB|FP|SP)`.
    Mem,
    /// Integer constant `$n` (or `$sym` address constant on some arches? no: see `Addr`).
    Const,
    /// Floating-point constant `$1.5`, value in [`AddrVal::Float`].
    FConst,
    /// String constant `$"..."`, value in [`AddrVal::Str`].
    SConst,
    /// A register.
    Reg,
    /// Address of memory: `$sym(SB)`, `$off(reg)`.
    Addr,
    /// Shifted register (arm, arm64): the shift is encoded in `offset`.
    Shift,
    /// Register pair `(R1, R2)`: first in `reg`, second in `offset`.
    RegReg,
    /// Second register pair form (arm MULA-style): `reg`, `offset`.
    RegReg2,
    /// Indirect through memory: x86 `*sym(SB)`.
    Indir,
    /// Register list: bit mask (or packed list) in `offset`.
    RegList,
    /// A special operand name (arm64 `PLDL1KEEP`, riscv64 `E8`): its code in `offset`.
    Special,
}

/// Which symbol-relative address space a memory operand uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AddrName {
    #[default]
    None,
    /// `sym(SB)`: a global symbol.
    Extern,
    /// `sym<>(SB)`: a file-local symbol.
    Static,
    /// `x-8(SP)`: a local in the frame (pseudo-SP).
    Auto,
    /// `arg+0(FP)`: an argument (pseudo-FP).
    Param,
    /// A GOT slot (`-dynlink`).
    GotRef,
    /// A TOC slot (ppc64).
    TocRef,
}

/// The extra value some operand types carry.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum AddrVal {
    #[default]
    None,
    Float(f64),
    Str(Box<[u8]>),
    /// Branch target: index of the instruction in its function.
    Target(u32),
    /// TEXT argument size (Go's `ArgsSizeUnknown` is `0x80000000`).
    ArgSize(i32),
}

/// An operand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Addr {
    pub ty: AddrType,
    pub name: AddrName,
    /// The register, or the base register of a memory operand.
    pub reg: Reg,
    /// Index register of a memory operand.
    pub index: Reg,
    /// Scale of the index; on some arches it holds a register or flags, as in Go.
    pub scale: i16,
    pub offset: i64,
    pub sym: Option<SymId>,
    pub val: AddrVal,
}

impl Addr {
    pub fn reg(r: Reg) -> Addr {
        Addr { ty: AddrType::Reg, reg: r, ..Default::default() }
    }
    pub fn constant(v: i64) -> Addr {
        Addr { ty: AddrType::Const, offset: v, ..Default::default() }
    }
    pub fn is_none(&self) -> bool {
        self.ty == AddrType::None
    }
}
