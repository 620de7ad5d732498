//! A whole assembly: the functions and data of one object file.

use arch_tables::GoArch;
use asm_lexer::Span;

use crate::prog::Prog;
use crate::sym::{SymId, SymTab};

/// The body of one TEXT symbol.
#[derive(Clone, Debug, Default)]
pub struct Func {
    pub sym: SymId,
    /// The instructions after the TEXT line, in order. Branch targets
    /// ([`crate::AddrVal::Target`]) index into this vector. A backend may
    /// leave here the instructions it encoded (prologue included, `pc` set),
    /// with `flags` and `frame` as its preprocessing settled them, for `-S`.
    pub progs: Vec<Prog>,
    /// TEXT flags (NOSPLIT, NOFRAME, ...).
    pub flags: i64,
    /// Frame size from `$frame-args`.
    pub frame: i64,
    /// Argument size from `$frame-args` (`ArgsSizeUnknown` when absent).
    pub args: i32,
    /// The TEXT line.
    pub span: Span,
}

/// Go's marker for "no argument size given".
pub const ARGS_SIZE_UNKNOWN: i32 = i32::MIN;

/// Everything assembled from the input files, before encoding.
#[derive(Debug)]
pub struct Module {
    pub arch: GoArch,
    pub syms: SymTab,
    pub funcs: Vec<Func>,
    /// Symbols declared by GLOBL, in declaration order.
    pub data: Vec<SymId>,
}

impl Module {
    pub fn new(arch: GoArch) -> Module {
        Module { arch, syms: SymTab::new(), funcs: Vec::new(), data: Vec::new() }
    }
}
