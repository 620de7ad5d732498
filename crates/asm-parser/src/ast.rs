//! The syntax tree of one statement, before any architecture knowledge is
//! applied. Positions are token indices into the statement's token vector
//! (see [`crate::lexer::LineTokens`]), so every piece can be mapped back to
//! source spans and raw tokens.

use asm_lexer::Name;

/// A name with the index of its token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Word {
    pub name: Name,
    pub at: usize,
}

/// One source statement: `{label:} WORD{.suffix} [operand {, operand}]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub labels: Vec<Word>,
    pub stmt: Option<Stmt>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub word: Word,
    pub suffixes: Vec<Word>,
    pub operands: Vec<Operand>,
    /// Separators between operands: `,` or (x86 register pairs) `:`.
    pub seps: Vec<char>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prefix {
    None,
    /// `$`: immediate or address.
    Dollar,
    /// `*`: indirect (x86 `CALL *sym(SB)`).
    Star,
}

/// An operand: token range `[lo, hi)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    pub lo: usize,
    pub hi: usize,
    pub prefix: Prefix,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// `R1`, `R(1)`, `V1.S4`, `V1.S[2]`, `R1.UXTW<<2`, `Z1.D`, `P1.Z`.
    Reg(RegTerm),
    /// `R1<<2`, `R1->R2`, `R0@>3`, `R1<<2(R3)`.
    Shift { reg: RegRef, op: ShiftOp, rhs: ShiftRhs, base: Option<RegRef> },
    /// `[R0-R7, g]`, `[V1.B16, V2.B16]`, `[Z0-Z3]`.
    List(Vec<ListItem>),
    /// arm64 SVE `[sel, $imm](P1.B)`.
    PregSel { items: Vec<ListItem>, imm: Word, preg: RegRef, ext: Word },
    /// `sym<>+off(SB)(index*scale)/size` and plain `label`.
    Sym {
        name: Word,
        attr: Option<SymAttr>,
        offset: Option<Expr>,
        base: Option<Word>,
        index: Vec<Indirect>,
        size: Option<Word>,
    },
    /// A constant or memory reference: `expr`, `expr(R1)(R2*4)`, `(R1)`.
    Const { value: Option<Expr>, mem: Vec<Indirect> },
    /// arm64 SVE `(VL*imm)(R1)`.
    Vl { neg: bool, vl: Word, imm: Word, mem: Vec<Indirect> },
    Float(FExpr),
    Str(Box<[u8]>),
}

/// `<>` or `<ABI>` after a symbol name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SymAttr {
    Static,
    Abi(Word),
}

/// A register by name or by prefix and number (`R(10)`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RegRef {
    pub name: Name,
    /// The number of a `PREFIX(n)` reference, as written.
    pub num: Option<Name>,
    pub lo: usize,
    pub hi: usize,
}

/// A register with optional `.ext` parts, `<<amount` and `[index]`.
#[derive(Clone, Debug, PartialEq)]
pub struct RegTerm {
    pub reg: RegRef,
    pub exts: Vec<Word>,
    /// `<<n` (an extension's left shift, or the LSL of an index register).
    pub lsh: Option<Word>,
    pub index: Option<Word>,
    pub lo: usize,
    pub hi: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShiftOp {
    Lsh,
    Rsh,
    Arrow,
    Rot,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ShiftRhs {
    Reg(RegRef),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    pub first: RegTerm,
    pub last: Option<RegTerm>,
}

/// `( ... )` after an offset: `(R1)`, `(R1*4)`, `(R1, R2)`, `(R5+R6)`, `(R2.SXTW<<3)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Indirect {
    pub lo: usize,
    pub hi: usize,
    pub term: RegTerm,
    /// Second register of a pair and its separator (`,` `+` `:`).
    pub pair: Option<(char, RegRef)>,
    pub scale: Option<Word>,
}

/// An integer expression, kept flat (factors at even positions, operators
/// at odd ones) so that [`crate::expr`] can apply Go's evaluation order.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub lo: usize,
    pub hi: usize,
    pub items: Vec<ExprItem>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprItem {
    Factor(Factor),
    Op(BinOp, usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Or,
    Xor,
    Mul,
    Div,
    Rem,
    And,
    Lsh,
    Rsh,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Factor {
    Int(Word),
    Char(Option<u32>, usize),
    Pos(Box<Factor>),
    Neg(Box<Factor>),
    Not(Box<Factor>),
    Paren(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum FExpr {
    Lit(Word),
    Pos(Box<FExpr>),
    Neg(Box<FExpr>),
    Paren(Box<FExpr>),
}

impl BinOp {
    pub fn text(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::And => "&",
            BinOp::Lsh => "<<",
            BinOp::Rsh => ">>",
        }
    }
}
