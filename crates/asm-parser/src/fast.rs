//! A direct parser for the statement shapes that make up nearly all code:
//! labels, a mnemonic with `.suffixes`, and operands that are a register,
//! `$n`, `n(R)(R*s)`, `sym<>+n(SB)`, `name+n(FP)` or a label. It builds the
//! same tree as the grammar ([`crate::grammar`]) and answers `None` for
//! anything else, which the grammar then parses (with its error messages).
//! Debug builds parse every line both ways and compare.

use arch_tables::ArchSpec;
use asm_lexer::{Name, Tok, Token};

use crate::ast::*;
use crate::names;

#[derive(Clone, Copy, PartialEq)]
enum C {
    Reg(Name),
    Ident(Name),
    Int(Name),
    P(char),
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
                } else if names::is_register_prefix(self.spec, *n) {
                    // `R(1)` and friends: the grammar's.
                    C::Other
                } else {
                    C::Ident(*n)
                }
            }
            Tok::Int(n) => C::Int(*n),
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

    /// `[+|-] int` not followed by another operator: an expression of one factor.
    fn simple_expr(&mut self, signed_only: bool) -> Option<Expr> {
        let lo = self.i;
        let sign = match self.peek()? {
            C::P('+') => Some(true),
            C::P('-') => Some(false),
            _ if signed_only => return None,
            _ => None,
        };
        if sign.is_some() {
            self.i += 1;
        }
        let f = Factor::Int(self.int_word()?);
        if matches!(self.peek(), Some(C::P('+' | '-' | '|' | '^' | '*' | '/' | '%' | '&')))
            || matches!(self.toks.get(self.i).map(|t| &t.tok), Some(Tok::Lsh | Tok::Rsh))
        {
            return None;
        }
        let f = match sign {
            Some(true) => Factor::Pos(Box::new(f)),
            Some(false) => Factor::Neg(Box::new(f)),
            None => f,
        };
        Some(Expr { lo, hi: self.i, items: vec![ExprItem::Factor(f)] })
    }

    /// `(R)` or `(R*scale)`.
    fn indirect(&mut self) -> Option<Indirect> {
        let lo = self.i;
        if !self.eat('(') {
            return None;
        }
        let C::Reg(name) = self.peek()? else { return None };
        let reg = RegRef { name, num: None, lo: self.i, hi: self.i + 1 };
        self.i += 1;
        let term = RegTerm { lo: reg.lo, hi: reg.hi, reg, exts: vec![], lsh: None, index: None };
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
        if !self.eat(')') {
            return None;
        }
        Some(Indirect { lo, hi: self.i, term, pair: None, scale })
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
            C::Reg(name) => {
                let reg = RegRef { name, num: None, lo: self.i, hi: self.i + 1 };
                self.i += 1;
                Body::Reg(RegTerm { lo: reg.lo, hi: reg.hi, reg, exts: vec![], lsh: None, index: None })
            }
            C::Ident(name) => {
                let name = Word { name, at: self.i };
                self.i += 1;
                let attr = if self.eat('<') {
                    let a = if self.eat('>') {
                        SymAttr::Static
                    } else {
                        let w = self.any_name()?;
                        if !self.eat('>') {
                            return None;
                        }
                        SymAttr::Abi(w)
                    };
                    Some(a)
                } else {
                    None
                };
                let offset = if matches!(self.peek(), Some(C::P('+' | '-'))) { Some(self.simple_expr(true)?) } else { None };
                let base = if self.eat('(') {
                    let b = self.any_name()?;
                    if !self.eat(')') {
                        return None;
                    }
                    Some(b)
                } else {
                    None
                };
                Body::Sym { name, attr, offset, base, index: vec![], size: None }
            }
            C::Int(_) | C::P('+' | '-') => {
                let value = self.simple_expr(false)?;
                let mut mem = Vec::new();
                while self.peek() == Some(C::P('(')) {
                    mem.push(self.indirect()?);
                }
                Body::Const { value: Some(value), mem }
            }
            C::P('(') => {
                let mut mem = Vec::new();
                while self.peek() == Some(C::P('(')) {
                    mem.push(self.indirect()?);
                }
                Body::Const { value: None, mem }
            }
            _ => return None,
        };
        if !self.at_operand_end() {
            return None;
        }
        Some(Operand { lo, hi: self.i, prefix, body })
    }
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
