//! Instructions.

use std::ops::{Deref, DerefMut};

use arch_tables::{Op, Reg};
use asm_lexer::Span;

use crate::addr::Addr;

/// Whether an extra operand of an instruction is read or written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ArgDir {
    #[default]
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

/// How many extra operands [`Rest`] holds without a heap allocation: every
/// three- and four-operand form (about a third of x86 AVX code) fits.
const INLINE: usize = 2;

/// The extra operands of a [`Prog`], in source order: a `Vec` that keeps up
/// to [`INLINE`] operands in place, so the common cases cost no malloc/free.
#[derive(Clone)]
pub enum Rest {
    Inline(u8, [(Addr, ArgDir); INLINE]),
    Heap(Vec<(Addr, ArgDir)>),
}

impl Default for Rest {
    fn default() -> Rest {
        Rest::Inline(0, Default::default())
    }
}

impl Rest {
    pub fn push(&mut self, x: (Addr, ArgDir)) {
        match self {
            Rest::Inline(n, items) if usize::from(*n) < INLINE => {
                items[usize::from(*n)] = x;
                *n += 1;
            }
            Rest::Inline(_, items) => {
                let mut v: Vec<(Addr, ArgDir)> = Vec::with_capacity(INLINE * 2);
                v.extend(items.iter_mut().map(std::mem::take));
                v.push(x);
                *self = Rest::Heap(v);
            }
            Rest::Heap(v) => v.push(x),
        }
    }

    pub fn clear(&mut self) {
        *self = Rest::default();
    }
}

impl Deref for Rest {
    type Target = [(Addr, ArgDir)];
    fn deref(&self) -> &Self::Target {
        match self {
            Rest::Inline(n, items) => &items[..usize::from(*n)],
            Rest::Heap(v) => v,
        }
    }
}

impl DerefMut for Rest {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match self {
            Rest::Inline(n, items) => &mut items[..usize::from(*n)],
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
