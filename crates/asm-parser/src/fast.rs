//! A direct parser for the statement shapes that make up nearly all code:
//! labels, a mnemonic with `.suffixes`, and operands that are a register
//! (with arm64's `.EXT<<n`, `.ARNG`, `[index]` parts), a shifted register,
//! a register list, an integer expression, `n(R)(R*s)` and register pairs,
//! `sym<>+n(SB)`, `name+n(FP)`, a label, a float or a string. It builds the
//! same tree as the grammar ([`crate::grammar`]) and answers `None` for
//! anything else, which the grammar then parses (with its error messages).
//! Debug builds parse every line both ways and compare.

use arch_tables::ArchSpec;
use asm_lexer::{Name, Tok, Token};

use crate::ast::*;
use crate::names;

/// Deepest recursion of factors (prefix operators, parentheses) this parser
/// follows; deeper expressions go to the grammar, which bounds nesting first.
const MAX_DEPTH: usize = 16;

#[derive(Clone, Copy, PartialEq)]
enum C {
    Reg(Name),
    Ident(Name),
    Int(Name),
    Float(Name),
    Char(Option<u32>),
    P(char),
    Lsh,
    Rsh,
    Arrow,
    Rot,
    /// Anything this parser leaves to the grammar.
    Other,
}

struct P<'t> {
    spec: &'static ArchSpec,
    toks: &'t [Token],
    i: usize,
    /// The last classification: `peek` asks about one token several times.
    memo: std::cell::Cell<Option<(usize, Option<C>)>>,
}

impl P<'_> {
    /// The token at `j` as [`crate::lexer::classify`] sees it (operand part).
    fn at(&self, j: usize) -> Option<C> {
        let t = self.toks.get(j)?;
        Some(match &t.tok {
            Tok::Ident(n) => {
                if names::is_register(self.spec, *n) {
                    C::Reg(*n)
                } else if names::is_register_prefix(self.spec, *n)
                    && self.toks.get(j + 1).is_some_and(|t| t.tok.is_punct('('))
                    && !j.checked_sub(1).is_some_and(|k| self.toks[k].tok.is_punct('.'))
                {
                    // `R(1)` and friends: the grammar's.
                    C::Other
                } else {
                    C::Ident(*n)
                }
            }
            Tok::Int(n) => C::Int(*n),
            Tok::Float(n) => C::Float(*n),
            Tok::Char(c) => C::Char(*c),
            Tok::Lsh => C::Lsh,
            Tok::Rsh => C::Rsh,
            Tok::Arrow => C::Arrow,
            Tok::Rot => C::Rot,
            Tok::Punct('#') => C::Other,
            Tok::Punct(c) => C::P(*c),
            _ => C::Other,
        })
    }

    fn peek(&self) -> Option<C> {
        match self.memo.get() {
            Some((j, c)) if j == self.i => c,
            _ => {
                let c = self.at(self.i);
                self.memo.set(Some((self.i, c)));
                c
            }
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(C::P(c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Option<()> {
        self.eat(c).then_some(())
    }

    /// At the end of an operand: the end of the statement or a separator.
    fn at_operand_end(&self) -> bool {
        matches!(self.peek(), None | Some(C::P(',')) | Some(C::P(':')))
    }

    fn any_name(&mut self) -> Option<Word> {
        match self.peek()? {
            C::Reg(name) | C::Ident(name) => {
                let w = Word { name, at: self.i };
                self.i += 1;
                Some(w)
            }
            _ => None,
        }
    }

    fn int_word(&mut self) -> Option<Word> {
        match self.peek()? {
            C::Int(name) => {
                let w = Word { name, at: self.i };
                self.i += 1;
                Some(w)
            }
            _ => None,
        }
    }

    fn reg_ref(&mut self) -> Option<RegRef> {
        match self.peek()? {
            C::Reg(name) => {
                let r = RegRef { name, num: None, lo: self.i, hi: self.i + 1 };
                self.i += 1;
                Some(r)
            }
            _ => None,
        }
    }

    /// The binary operator at the cursor, if any.
    fn bin_op(&self) -> Option<BinOp> {
        Some(match self.peek()? {
            C::P('+') => BinOp::Add,
            C::P('-') => BinOp::Sub,
            C::P('|') => BinOp::Or,
            C::P('^') => BinOp::Xor,
            C::P('*') => BinOp::Mul,
            C::P('/') => BinOp::Div,
            C::P('%') => BinOp::Rem,
            C::P('&') => BinOp::And,
            C::Lsh => BinOp::Lsh,
            C::Rsh => BinOp::Rsh,
            _ => return None,
        })
    }

    fn factor(&mut self, depth: usize) -> Option<Factor> {
        if depth > MAX_DEPTH {
            return None;
        }
        let at = self.i;
        let f = match self.peek()? {
            C::Int(name) => {
                self.i += 1;
                Factor::Int(Word { name, at })
            }
            C::Char(c) => {
                self.i += 1;
                Factor::Char(c, at)
            }
            C::P(c @ ('+' | '-' | '~')) => {
                self.i += 1;
                let inner = Box::new(self.factor(depth + 1)?);
                match c {
                    '+' => Factor::Pos(inner),
                    '-' => Factor::Neg(inner),
                    _ => Factor::Not(inner),
                }
            }
            C::P('(') => {
                self.i += 1;
                let e = self.expr(depth + 1)?;
                self.expect(')')?;
                Factor::Paren(e)
            }
            _ => return None,
        };
        Some(f)
    }

    /// `factor {op factor}`, the grammar's flat `Expr`.
    fn expr(&mut self, depth: usize) -> Option<Expr> {
        let lo = self.i;
        let first = self.factor(depth)?;
        self.expr_rest(lo, first, depth)
    }

    fn expr_rest(&mut self, lo: usize, first: Factor, depth: usize) -> Option<Expr> {
        let mut items = vec![ExprItem::Factor(first)];
        while let Some(op) = self.bin_op() {
            items.push(ExprItem::Op(op, self.i));
            self.i += 1;
            items.push(ExprItem::Factor(self.factor(depth)?));
        }
        Some(Expr { lo, hi: self.i, items })
    }

    /// A symbol's offset: an expression whose first factor has a sign.
    fn signed_expr(&mut self) -> Option<Expr> {
        if !matches!(self.peek(), Some(C::P('+' | '-'))) {
            return None;
        }
        self.expr(0)
    }

    /// A register with its `.ext` parts, `<<n` and `[i]`; `in_parens`
    /// allows the forms only a memory operand has (`R<<n`, `Z1.D.UXTW<<2`).
    fn reg_term(&mut self, reg: RegRef, in_parens: bool) -> Option<RegTerm> {
        let lo = reg.lo;
        let mut t = RegTerm { lo, hi: reg.hi, reg, exts: vec![], lsh: None, index: None };
        if self.eat('.') {
            t.exts.push(self.any_name()?);
            if in_parens && self.eat('.') {
                t.exts.push(self.any_name()?);
                if self.peek() == Some(C::Lsh) {
                    self.i += 1;
                    t.lsh = Some(self.int_word()?);
                }
            } else if self.peek() == Some(C::Lsh) {
                self.i += 1;
                t.lsh = Some(self.int_word()?);
            } else if self.eat('[') {
                t.index = Some(self.int_word()?);
                self.expect(']')?;
            }
        } else if self.eat('[') {
            t.index = Some(self.int_word()?);
            self.expect(']')?;
        } else if in_parens && self.peek() == Some(C::Lsh) {
            self.i += 1;
            t.lsh = Some(self.int_word()?);
        }
        t.hi = self.i;
        Some(t)
    }

    /// `(R)`, `(R*scale)`, `(R.SXTW<<2)`, `(R1, R2)`.
    fn indirect(&mut self) -> Option<Indirect> {
        let lo = self.i;
        self.expect('(')?;
        let reg = self.reg_ref()?;
        if let Some(C::P(sep @ (',' | '+' | ':'))) = self.peek() {
            self.i += 1;
            let b = self.reg_ref()?;
            self.expect(')')?;
            let term = RegTerm { lo: reg.lo, hi: reg.hi, reg, exts: vec![], lsh: None, index: None };
            return Some(Indirect { lo, hi: self.i, term, pair: Some((sep, b)), scale: None });
        }
        let term = self.reg_term(reg, true)?;
        let scale = if self.eat('*') {
            match self.peek()? {
                C::Int(name) | C::Ident(name) => {
                    let w = Word { name, at: self.i };
                    self.i += 1;
                    Some(w)
                }
                _ => return None,
            }
        } else {
            None
        };
        self.expect(')')?;
        Some(Indirect { lo, hi: self.i, term, pair: None, scale })
    }

    fn indirects(&mut self) -> Option<Vec<Indirect>> {
        let mut mem = Vec::new();
        while self.peek() == Some(C::P('(')) {
            mem.push(self.indirect()?);
        }
        Some(mem)
    }

    /// A register of a list: `R1` or `V1.B16`.
    fn list_reg(&mut self) -> Option<RegTerm> {
        let reg = self.reg_ref()?;
        let mut t = RegTerm { lo: reg.lo, hi: reg.hi, reg, exts: vec![], lsh: None, index: None };
        if self.eat('.') {
            t.exts.push(self.any_name()?);
            t.hi = self.i;
        }
        Some(t)
    }

    /// `[R1, R2-R5, V1.B16]` after the `[`.
    fn list(&mut self) -> Option<Vec<ListItem>> {
        let mut items = Vec::new();
        if self.eat(']') {
            return Some(items);
        }
        loop {
            let first = self.list_reg()?;
            let last = if self.eat('-') { Some(self.list_reg()?) } else { None };
            items.push(ListItem { first, last });
            if self.eat(']') {
                return Some(items);
            }
            self.expect(',')?;
        }
    }

    /// `1.5`, `-1.5`, `(1.5)`: a float literal under signs and parentheses.
    fn fexpr(&mut self, depth: usize) -> Option<FExpr> {
        if depth > MAX_DEPTH {
            return None;
        }
        let f = match self.peek()? {
            C::Float(name) => {
                let w = Word { name, at: self.i };
                self.i += 1;
                FExpr::Lit(w)
            }
            C::P('+') => {
                self.i += 1;
                FExpr::Pos(Box::new(self.fexpr(depth + 1)?))
            }
            C::P('-') => {
                self.i += 1;
                FExpr::Neg(Box::new(self.fexpr(depth + 1)?))
            }
            C::P('(') => {
                self.i += 1;
                let f = self.fexpr(depth + 1)?;
                self.expect(')')?;
                FExpr::Paren(Box::new(f))
            }
            _ => return None,
        };
        Some(f)
    }

    /// Whether the operand body at the cursor is a float expression: its first
    /// token past signs and parentheses is a float literal.
    fn float_ahead(&self) -> bool {
        let rest = self.toks.get(self.i..).unwrap_or_default();
        rest.iter()
            .find(|t| !matches!(t.tok, Tok::Punct('+' | '-' | '(')))
            .is_some_and(|t| matches!(t.tok, Tok::Float(_)))
    }

    fn operand(&mut self) -> Option<Operand> {
        let lo = self.i;
        let prefix = if self.eat('$') {
            Prefix::Dollar
        } else if self.eat('*') {
            Prefix::Star
        } else {
            Prefix::None
        };
        let body = match self.peek()? {
            C::Reg(_) => {
                let reg = self.reg_ref()?;
                let op = match self.peek() {
                    Some(C::Lsh) => Some(ShiftOp::Lsh),
                    Some(C::Rsh) => Some(ShiftOp::Rsh),
                    Some(C::Arrow) => Some(ShiftOp::Arrow),
                    Some(C::Rot) => Some(ShiftOp::Rot),
                    _ => None,
                };
                match op {
                    Some(op) => {
                        self.i += 1;
                        let rhs = match self.peek()? {
                            C::Reg(_) => ShiftRhs::Reg(self.reg_ref()?),
                            _ => ShiftRhs::Expr(self.expr(0)?),
                        };
                        let base = if self.eat('(') {
                            let b = self.reg_ref()?;
                            self.expect(')')?;
                            Some(b)
                        } else {
                            None
                        };
                        Body::Shift { reg, op, rhs, base }
                    }
                    None => Body::Reg(self.reg_term(reg, false)?),
                }
            }
            C::Ident(name) => {
                let name = Word { name, at: self.i };
                self.i += 1;
                let attr = if self.eat('<') {
                    let a = if self.eat('>') {
                        SymAttr::Static
                    } else {
                        let w = self.any_name()?;
                        self.expect('>')?;
                        SymAttr::Abi(w)
                    };
                    Some(a)
                } else {
                    None
                };
                let offset = if matches!(self.peek(), Some(C::P('+' | '-'))) { Some(self.signed_expr()?) } else { None };
                if self.eat('(') {
                    let base = self.any_name()?;
                    self.expect(')')?;
                    let index = self.indirects()?;
                    let size = if self.eat('/') { Some(self.int_word()?) } else { None };
                    Body::Sym { name, attr, offset, base: Some(base), index, size }
                } else {
                    Body::Sym { name, attr, offset, base: None, index: vec![], size: None }
                }
            }
            C::P('[') => {
                self.i += 1;
                Body::List(self.list()?)
            }
            C::P('(') if matches!(self.at(self.i + 1), Some(C::Reg(_))) => Body::Const { value: None, mem: self.indirects()? },
            C::Int(_) | C::Char(_) | C::P('+' | '-' | '~' | '(') => {
                if self.float_ahead() {
                    Body::Float(self.fexpr(0)?)
                } else {
                    let value = self.expr(0)?;
                    Body::Const { value: Some(value), mem: self.indirects()? }
                }
            }
            C::Float(_) => Body::Float(self.fexpr(0)?),
            C::Other => match &self.toks[self.i].tok {
                Tok::Str(s) => {
                    self.i += 1;
                    Body::Str(s.clone())
                }
                _ => return None,
            },
            _ => return None,
        };
        if !self.at_operand_end() {
            return None;
        }
        Some(Operand { lo, hi: self.i, prefix, body })
    }
}

/// The integer expression starting at `toks[i]`, when it has the shapes
/// this parser takes, and the index of the token after it.
pub(crate) fn expr_at(spec: &'static ArchSpec, toks: &[Token], i: usize) -> Option<(Expr, usize)> {
    let mut p = P { spec, toks, i, memo: std::cell::Cell::new(None) };
    let e = p.expr(0)?;
    Some((e, p.i))
}

/// The statement's tree, when it has one of the common shapes.
pub fn parse_line(spec: &'static ArchSpec, toks: &[Token]) -> Option<Line> {
    let mut p = P { spec, toks, i: 0, memo: std::cell::Cell::new(None) };
    let mut labels = Vec::new();
    let word = loop {
        match &toks.get(p.i)?.tok {
            Tok::Ident(n) if toks.get(p.i + 1).is_some_and(|t| t.tok.is_punct(':')) => {
                labels.push(Word { name: *n, at: p.i });
                p.i += 2;
                if p.i == toks.len() {
                    return Some(Line { labels, stmt: None });
                }
            }
            Tok::Ident(n) => {
                let w = Word { name: *n, at: p.i };
                p.i += 1;
                break w;
            }
            _ => return None,
        }
    };
    let mut suffixes = Vec::new();
    while p.eat('.') {
        suffixes.push(p.any_name()?);
    }
    let mut operands = Vec::new();
    let mut seps = Vec::new();
    if p.i < toks.len() {
        loop {
            operands.push(p.operand()?);
            match p.peek() {
                None => break,
                Some(C::P(',')) => {
                    p.i += 1;
                    seps.push(',');
                }
                // `A:B` register pairs (reordered by the caller) and the rest.
                _ => return None,
            }
        }
    }
    Some(Line { labels, stmt: Some(Stmt { word, suffixes, operands, seps }) })
}
