//! Instructions.

use arch_tables::{Op, Reg};
use asm_lexer::Span;

use crate::addr::Addr;

/// Whether an extra operand of an instruction is read or written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgDir {
    Source,
    Destination,
}

/// One instruction or pseudo-instruction, as Go's `obj.Prog`.
///
/// Operand placement follows Go's conventions for each architecture: on the
/// RISC arches a three-operand instruction's middle operand goes to `reg`, on
/// x86 to `rest`; the destination is `to`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prog {
    pub op: Op,
    /// Architecture-specific suffix bits (arm conditions and `.S/.P/.W/.U`,
    /// arm64 `.P/.W`, x86 AVX-512 `.Z/.BCST/...`, riscv rounding modes).
    pub scond: u16,
    pub from: Addr,
    /// Second source register.
    pub reg: Reg,
    /// Further operands, in source order.
    pub rest: Vec<(Addr, ArgDir)>,
    pub to: Addr,
    /// Second destination register (Go's `RegTo2`).
    pub reg_to2: Reg,
    /// The source of the statement (for a macro expansion, the invocation).
    pub span: Span,
    /// Byte offset in its function, set by the assembler.
    pub pc: i64,
}

impl Prog {
    pub fn new(op: Op, span: Span) -> Prog {
        Prog { op, span, ..Default::default() }
    }
}
