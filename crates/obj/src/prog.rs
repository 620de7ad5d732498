//! Instructions.

use std::ops::{Deref, DerefMut};

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
    pub rest: Rest,
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

/// The extra operands of a [`Prog`], in source order: a `Vec` that keeps up
/// to two operands in place, so three- and four-operand instructions (about
/// a third of x86 AVX code) cost no malloc/free. One variant per length, so
/// an empty `Rest` is just its tag (`Prog::new` writes no unused operands).
#[derive(Clone, Default)]
pub enum Rest {
    #[default]
    Empty,
    One([(Addr, ArgDir); 1]),
    Two([(Addr, ArgDir); 2]),
    Heap(Vec<(Addr, ArgDir)>),
}

impl Rest {
    pub fn push(&mut self, x: (Addr, ArgDir)) {
        // In place for the common cases: taking `self` apart costs a move
        // and a drop of the whole enum.
        match self {
            Rest::Empty => *self = Rest::One([x]),
            Rest::Heap(v) => v.push(x),
            _ => {
                *self = match std::mem::take(self) {
                    Rest::One([a]) => Rest::Two([a, x]),
                    Rest::Two([a, b]) => Rest::Heap(vec![a, b, x]),
                    _ => unreachable!("handled above"),
                };
            }
        }
    }

    pub fn clear(&mut self) {
        *self = Rest::Empty;
    }
}

impl Deref for Rest {
    type Target = [(Addr, ArgDir)];
    fn deref(&self) -> &Self::Target {
        match self {
            Rest::Empty => &[],
            Rest::One(a) => a,
            Rest::Two(a) => a,
            Rest::Heap(v) => v,
        }
    }
}

impl DerefMut for Rest {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Rest::Empty => &mut [],
            Rest::One(a) => a,
            Rest::Two(a) => a,
            Rest::Heap(v) => v,
        }
    }
}

impl<'a> IntoIterator for &'a Rest {
    type Item = &'a (Addr, ArgDir);
    type IntoIter = std::slice::Iter<'a, (Addr, ArgDir)>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Rest {
    type Item = &'a mut (Addr, ArgDir);
    type IntoIter = std::slice::IterMut<'a, (Addr, ArgDir)>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl Extend<(Addr, ArgDir)> for Rest {
    fn extend<I: IntoIterator<Item = (Addr, ArgDir)>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl FromIterator<(Addr, ArgDir)> for Rest {
    fn from_iter<I: IntoIterator<Item = (Addr, ArgDir)>>(iter: I) -> Rest {
        let mut r = Rest::default();
        r.extend(iter);
        r
    }
}

impl PartialEq for Rest {
    fn eq(&self, other: &Rest) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Rest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
