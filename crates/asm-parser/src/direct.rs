//! The commonest instruction statements lowered straight from their tokens,
//! without a syntax tree: labels, a mnemonic (not a jump or pseudo-op) with
//! `.suffixes`, and operands that are a register, `$n`, `$-n`, `n(R)`,
//! `(R)(R*s)`, integer expressions `$(1<<12)`, arm/arm64 shifted registers
//! `R1<<3` and register pairs `(R1, R2)`, arm64 register extensions
//! `R1.UXTW<<2`, `V1.B16`, `V1.S[2]`, `(R1)(R2.SXTW<<3)` and arm64/riscv64
//! special operands (`EQ`, `MIDR_EL1`). Anything else — and any statement that would be
//! an error — is left to the general path (parse, then lower), which then
//! reports it; so this path has no diagnostics of its own. Debug builds
//! lower every statement taken here the general way too and compare.

use arch_tables::{ArchSpec, Family, Reg};
use asm_lexer::{Name, Span, Tok, Token};
use obj::{Addr, AddrName, AddrType, AddrVal, ArgDir, Prog, Rest};

use crate::lower::{Lowerer, StmtCx};
use crate::archx;
use crate::names::{Arm64Shape, DirectOp, NameCache};

/// `Addr::default()` as a constant, which is written as such (the default
/// is built aside and copied).
const NO_ADDR: Addr =
    Addr { ty: AddrType::None, name: AddrName::None, reg: Reg(0), index: Reg(0), scale: 0, offset: 0, sym: None, val: AddrVal::None };

/// Whether the tokens after an operand start with its end: nothing or a comma.
#[inline]
fn ends_operand(rest: &[Token]) -> bool {
    matches!(rest.first().map(|t| &t.tok), None | Some(Tok::Punct(',')))
}

struct Cursor<'t> {
    spec: &'static ArchSpec,
    names: &'t mut NameCache,
    toks: &'t [Token],
    i: usize,
}

impl Cursor<'_> {
    fn tok(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.tok)
    }

    fn is(&self, c: char) -> bool {
        self.tok() == Some(&Tok::Punct(c))
    }

    fn eat(&mut self, c: char) -> bool {
        let yes = self.is(c);
        self.i += usize::from(yes);
        yes
    }

    /// At the end of an operand (`:` register pairs are the general path's).
    fn at_operand_end(&self) -> bool {
        self.i == self.toks.len() || self.is(',')
    }

    /// A real register's name (not a pseudo-register, not `R(n)`).
    fn register(&mut self) -> Option<Reg> {
        let Some(Tok::Ident(n)) = self.tok() else { return None };
        let r = self.names.reg(*n)?;
        self.i += 1;
        Some(r)
    }

    /// `[+|-] int`: an expression of one factor, as the general path evaluates it.
    fn literal(&mut self) -> Option<i64> {
        let neg = match self.tok()? {
            Tok::Punct('-') => true,
            Tok::Punct('+') => false,
            _ => return self.unsigned(),
        };
        self.i += 1;
        let v = self.unsigned()?;
        Some(if neg { v.wrapping_neg() } else { v })
    }

    fn unsigned(&mut self) -> Option<i64> {
        let Some(Tok::Int(n)) = self.tok() else { return None };
        let v = crate::expr::parse_uint(n.as_str()).ok()?;
        self.i += 1;
        Some(v as i64)
    }

    /// An integer expression: a literal directly, anything longer through
    /// the fast parser's expression tree and Go's evaluation.
    fn value(&mut self) -> Option<i64> {
        let start = self.i;
        if let Some(v) = self.literal() {
            if self.i == self.toks.len() || matches!(self.tok(), Some(Tok::Punct(',' | '('))) {
                return Some(v);
            }
        }
        // `(a<<b)`, the commonest expression, evaluated as `expr::eval` does.
        if let [Token { tok: Tok::Punct('('), .. }, Token { tok: Tok::Int(a), .. }, Token { tok: Tok::Lsh, .. }, Token { tok: Tok::Int(b), .. }, Token { tok: Tok::Punct(')'), .. }, rest @ ..] =
            &self.toks[start..]
        {
            if matches!(rest.first().map(|t| &t.tok), None | Some(Tok::Punct(',' | '('))) {
                let a = crate::expr::parse_uint(a.as_str()).ok()?;
                let b = crate::expr::parse_uint(b.as_str()).ok()?;
                let v = crate::expr::shift_left(a, b)?;
                self.i = start + 5;
                return Some(v as i64);
            }
        }
        let (e, end) = crate::fast::expr_at(self.spec, self.toks, start)?;
        self.i = end;
        match crate::expr::eval(&e) {
            Ok((v, None)) => Some(v as i64),
            _ => None,
        }
    }

    /// arm64/riscv64 special operands (condition codes, system registers, ...):
    /// a name alone that is no register.
    fn special(&mut self, n: Name, a: &mut Addr) -> Option<()> {
        if !matches!(self.spec.family(), Family::Arm64 | Family::Riscv) || self.names.is_register(n) {
            return None;
        }
        self.i += 1;
        if !self.at_operand_end() {
            return None;
        }
        a.offset = self.names.special_operand(n)?;
        a.ty = AddrType::Special;
        Some(())
    }

    /// `(R)` or `(R*s)`: the register and the scale (0 if none).
    fn indirect(&mut self) -> Option<(Reg, i16)> {
        // Matched as slice patterns: one length check for the whole shape.
        let (n, scale, len) = match self.toks.get(self.i..)? {
            [Token { tok: Tok::Punct('('), .. }, Token { tok: Tok::Ident(n), .. }, Token { tok: Tok::Punct(')'), .. }, ..] => (*n, 0, 3),
            [Token { tok: Tok::Punct('('), .. }, Token { tok: Tok::Ident(n), .. }, Token { tok: Tok::Punct('*'), .. }, Token { tok: Tok::Int(s), .. }, Token { tok: Tok::Punct(')'), .. }, ..] => {
                let scale = match s.as_str() {
                    "1" => 1,
                    "2" => 2,
                    "4" => 4,
                    "8" => 8,
                    _ => return None,
                };
                (*n, scale, 5)
            }
            _ => return None,
        };
        let r = self.names.reg(n)?;
        self.i += len;
        Some((r, scale))
    }

    /// `(R)`, `(R)(R*s)`, `(R*s)` after an optional offset, with the field
    /// values of [`crate::operand::Builder`]'s register-indirect forms.
    fn memory(&mut self, a: &mut Addr, dollar: bool) -> Option<()> {
        let fam = self.spec.family();
        if matches!(fam, Family::Arm | Family::Arm64) && self.pair_ahead() {
            // `(R1, R2)`: Go's register pair (the offset field holds the second register).
            self.i += 1;
            let r1 = self.register()?;
            self.i += 1;
            let r2 = self.register()?;
            if dollar || !self.eat(')') || self.is('(') {
                return None;
            }
            a.ty = AddrType::RegReg;
            a.reg = r1;
            a.offset = i64::from(r2.0);
            return Some(());
        }
        let (r1, s1) = self.indirect()?;
        a.ty = if dollar { AddrType::Addr } else { AddrType::Mem };
        a.reg = r1;
        if !self.is('(') {
            if s1 != 0 {
                if fam == Family::Arm64 {
                    return None;
                }
                a.reg = Reg(0);
                a.index = r1;
                a.scale = s1;
            }
            return Some(());
        }
        if s1 != 0 {
            return None;
        }
        if fam == Family::Arm64 && matches!(self.toks.get(self.i + 2).map(|t| &t.tok), Some(Tok::Punct('.') | Tok::Lsh)) {
            // arm64 `(R1)(R2.SXTW<<3)`, `(R1)(R2<<3)`: an extended index register.
            self.i += 1;
            let r2 = self.register()?;
            let ext = if self.eat('.') {
                let Some(Tok::Ident(e)) = self.tok() else { return None };
                let e = *e;
                self.i += 1;
                Some(e)
            } else {
                None
            };
            let num = if matches!(self.tok(), Some(Tok::Lsh)) {
                self.i += 1;
                Some(self.small()?)
            } else {
                None
            };
            if dollar || !self.eat(')') || self.is('(') {
                return None;
            }
            let ext = match ext {
                Some(e) => e.as_str(),
                None => "LSL",
            };
            return archx::arm64::register_extension(a, ext, i32::from(r2.0), num.unwrap_or(0), true, false).ok();
        }
        let (r2, s2) = self.indirect()?;
        if self.is('(') || s2 != 0 && s2 != 1 && matches!(fam, Family::Arm64 | Family::Ppc64) {
            return None;
        }
        a.index = r2;
        a.scale = s2;
        Some(())
    }

    /// Whether `(R1, R2)` starts at the cursor (by its first three tokens).
    fn pair_ahead(&self) -> bool {
        self.is('(') && matches!(self.toks.get(self.i + 2).map(|t| &t.tok), Some(Tok::Punct(',')))
    }

    /// A small integer written as Rust parses an `i16` (shift amounts, element indices).
    fn small(&mut self) -> Option<i16> {
        let Some(Tok::Int(n)) = self.tok() else { return None };
        let v = n.as_str().parse::<i16>().ok()?;
        self.i += 1;
        Some(v)
    }

    /// arm/arm64 `R1<<3`, `R1->3`, `R1>>3`, `R1@>3` with a plain integer count
    /// (a register count, an expression or a base register is the general path's).
    fn shift(&mut self, r: Reg, a: &mut Addr) -> Option<()> {
        let fam = self.spec.family();
        let code: i64 = match self.tok()? {
            Tok::Lsh => 0,
            Tok::Rsh => 1,
            Tok::Arrow => 2,
            _ => 3,
        };
        if !matches!(fam, Family::Arm | Family::Arm64) {
            return None;
        }
        self.i += 1;
        let x = self.unsigned()?;
        if !self.at_operand_end() {
            return None;
        }
        let r1 = i32::from(r.0);
        let offset = if fam == Family::Arm64 {
            if x >= 64 || !(archx::arm64::REG_R0..=archx::arm64::REG_R31).contains(&r1) {
                return None;
            }
            let count = ((x & 63) << 10) as i16 as u16 as i64;
            (i64::from(r1 & 31) << 16) | (code << 22) | (count & 0xffff)
        } else {
            if x >= 32 {
                return None;
            }
            i64::from(r1 & 15) | (code << 5) | ((x & 31) << 7)
        };
        a.ty = AddrType::Shift;
        a.offset = offset;
        Some(())
    }

    /// arm64 `R1.UXTW`, `R1.SXTX<<2`, `V1.B16`, `V1.S[2]`.
    fn extension(&mut self, r: Reg, a: &mut Addr) -> Option<()> {
        if self.spec.family() != Family::Arm64 || !self.eat('.') {
            return None;
        }
        let Some(Tok::Ident(ext)) = self.tok() else { return None };
        let ext = *ext;
        self.i += 1;
        let (num, is_index) = if matches!(self.tok(), Some(Tok::Lsh)) {
            self.i += 1;
            (self.small()?, false)
        } else if self.eat('[') {
            let n = self.small()?;
            if !self.eat(']') {
                return None;
            }
            (n, true)
        } else {
            (0, false)
        };
        if !self.at_operand_end() {
            return None;
        }
        a.ty = AddrType::Reg;
        archx::arm64::register_extension(a, ext.as_str(), i32::from(r.0), num, !is_index, is_index).ok()

    }

    /// arm64 `[V1.B16, V2.B16]`: one to four consecutive `V` registers of one
    /// arrangement (ranges, `Z`/`P` lists and anything odd are the general path's).
    fn vector_list(&mut self, a: &mut Addr) -> Option<()> {
        self.i += 1;
        let mut first = None;
        let mut next = 0;
        let mut count = 0;
        loop {
            let Some(&Tok::Ident(n)) = self.tok() else { return None };
            let v = i64::from(self.register()?.0) - arch_tables::arm64::consts::REG_V0;
            let name = n.as_str();
            if !(0..32).contains(&v) || !name.starts_with('V') || !self.eat('.') {
                return None;
            }
            let Some(Tok::Ident(ext)) = self.tok() else { return None };
            let arng = archx::arm64::list_arrangement(name, ext.as_str()).ok()?;
            self.i += 1;
            match first {
                None => first = Some((v, arng)),
                Some((_, a0)) if a0 != arng || v != next => return None,
                Some(_) => {}
            }
            next = (v + 1) & 31;
            count += 1;
            if self.eat(']') {
                break;
            }
            if !self.eat(',') {
                return None;
            }
        }
        let (v0, arng) = first?;
        a.ty = AddrType::RegList;
        a.offset = archx::arm64::list_offset(v0, arng, count, 0)?;
        Some(())
    }

    /// One operand, written into `a` (a default `Addr`: the operand is built
    /// where it is kept, not moved there); `None` leaves `a` in any state.
    #[inline(always)]
    fn operand(&mut self, a: &mut Addr) -> Option<()> {
        // The commonest operands, without a call: a register alone (seven
        // in ten), `(R)` (two in ten), `$n`.
        match &self.toks[self.i..] {
            [Token { tok: Tok::Ident(n), .. }, rest @ ..] if ends_operand(rest) => {
                if let Some(r) = self.names.reg(*n) {
                    a.ty = AddrType::Reg;
                    a.reg = r;
                    self.i += 1;
                    return Some(());
                }
            }
            [Token { tok: Tok::Punct('('), .. }, Token { tok: Tok::Ident(n), .. }, Token { tok: Tok::Punct(')'), .. }, rest @ ..]
                if ends_operand(rest) =>
            {
                if let Some(r) = self.names.reg(*n) {
                    a.ty = AddrType::Mem;
                    a.reg = r;
                    self.i += 3;
                    return Some(());
                }
            }
            [Token { tok: Tok::Punct('$'), .. }, Token { tok: Tok::Int(n), .. }, rest @ ..] if ends_operand(rest) => {
                if let Ok(v) = crate::expr::parse_uint(n.as_str()) {
                    a.ty = AddrType::Const;
                    a.offset = v as i64;
                    self.i += 2;
                    return Some(());
                }
            }
            _ => {}
        }
        self.operand_general(a)
    }

    #[inline(never)]
    fn operand_general(&mut self, a: &mut Addr) -> Option<()> {
        let dollar = self.eat('$');
        if dollar && self.float(a).is_some() {
            return Some(());
        }
        match self.tok()? {
            &Tok::Ident(n) => match self.names.reg(n) {
                Some(r) if !dollar => {
                    self.i += 1;
                    match self.tok() {
                        None | Some(Tok::Punct(',')) => {
                            a.ty = AddrType::Reg;
                            a.reg = r;
                            return Some(());
                        }
                        Some(Tok::Lsh | Tok::Rsh | Tok::Arrow | Tok::Rot) => self.shift(r, a)?,
                        Some(Tok::Punct('.')) => self.extension(r, a)?,
                        _ => return None,
                    }
                }
                Some(_) => return None,
                None => self.special(n, a)?,
            },
            Tok::Punct('(') if !matches!(self.toks.get(self.i + 1).map(|t| &t.tok), Some(Tok::Ident(_))) => {
                a.offset = self.value()?;
                if self.is('(') {
                    self.memory(a, dollar)?;
                } else {
                    a.ty = if dollar { AddrType::Const } else { AddrType::Mem };
                }
            }
            Tok::Int(_) | Tok::Punct('+' | '-') => {
                a.offset = self.value()?;
                if self.is('(') {
                    self.memory(a, dollar)?;
                } else {
                    a.ty = if dollar { AddrType::Const } else { AddrType::Mem };
                }
            }
            Tok::Punct('(') => self.memory(a, dollar)?,
            Tok::Punct('[') if !dollar && self.spec.family() == Family::Arm64 => self.vector_list(a)?,
            _ => return None,
        }
        self.at_operand_end().then_some(())
    }

    /// `$1.5`, `$(1.5)`, `$-1.5`, `$(-1.5)` (after the `$`): a floating-point
    /// constant as the general path evaluates it; the cursor stays put on `None`.
    fn float(&mut self, a: &mut Addr) -> Option<()> {
        let (neg, f, len) = match self.toks.get(self.i..)? {
            [Token { tok: Tok::Float(f), .. }, ..] => (false, *f, 1),
            [Token { tok: Tok::Punct('-'), .. }, Token { tok: Tok::Float(f), .. }, ..] => (true, *f, 2),
            [Token { tok: Tok::Punct('('), .. }, Token { tok: Tok::Float(f), .. }, Token { tok: Tok::Punct(')'), .. }, ..] => (false, *f, 3),
            [Token { tok: Tok::Punct('('), .. }, Token { tok: Tok::Punct('-'), .. }, Token { tok: Tok::Float(f), .. }, Token { tok: Tok::Punct(')'), .. }, ..] => {
                (true, *f, 4)
            }
            _ => return None,
        };
        if !ends_operand(&self.toks[self.i + len..]) {
            return None;
        }
        let v = crate::expr::parse_float(f.as_str()).ok()?;
        self.i += len;
        a.ty = AddrType::FConst;
        a.val = AddrVal::Float(if neg { -v } else { v });
        Some(())
    }

    /// Steps past the comma between two operands.
    fn comma(&mut self) -> Option<()> {
        self.eat(',').then_some(())
    }

    /// Whether operand `n` follows (stepping past its comma): not at the end
    /// of the statement, so a trailing comma is an operand that then fails.
    fn next_operand(&mut self, n: usize) -> bool {
        if self.i == self.toks.len() {
            return false;
        }
        if n > 0 {
            self.eat(',');
        }
        true
    }

    /// The operands, appended to `addrs`.
    fn operands(&mut self, addrs: &mut Vec<Addr>) -> Option<()> {
        while self.next_operand(addrs.len()) {
            addrs.push(Addr::default());
            self.operand(addrs.last_mut().expect("just pushed"))?;
        }
        Some(())
    }
}

/// x86 placement ([`crate::placement::Placement::place`] for up to four
/// operands) with each operand parsed straight into its field of a new
/// `Prog` pushed onto `progs`: from, [rest...], to. An operand goes to `to`
/// until another follows it, which moves it to `rest`.
fn place_x86(c: &mut Cursor<'_>, d: DirectOp, span: Span, progs: &mut Vec<Prog>) -> Option<()> {
    // Built where it is kept (`resize_with` writes the closure's value in
    // place; a pushed value is built aside and copied), every field written
    // out: `..Default::default()` would build (and drop) a whole Prog.
    let new = || Prog { op: d.op, scond: 0, from: NO_ADDR, reg: Reg(0), rest: Rest::Empty, to: NO_ADDR, reg_to2: Reg(0), span, pc: 0 };
    progs.resize_with(progs.len() + 1, new);
    let prog = progs.last_mut().expect("just pushed");
    let end = c.toks.len();
    if c.i == end {
        return Some(());
    }
    let max = if c.spec.arch() == arch_tables::GoArch::Amd64 { 4 } else { 3 };
    // One call site of `operand`, which is then inlined.
    let mut n = 0;
    loop {
        let a = match n {
            0 => &mut prog.from,
            1 => &mut prog.to,
            _ => {
                // The last operand is the destination: the one before it moves to `rest`.
                let src = (std::mem::take(&mut prog.to), ArgDir::Source);
                match &mut prog.rest {
                    // An empty `Rest` owns nothing: replaced without the call that
                    // dropping it would make.
                    r @ Rest::Empty => std::mem::forget(std::mem::replace(r, Rest::One([src]))),
                    r => r.push(src),
                }
                &mut prog.to
            }
        };
        c.operand(a)?;
        n += 1;
        if c.i == end {
            break;
        }
        if n == max {
            return None;
        }
        c.comma()?;
    }
    if n == 1 && d.unary_dst {
        prog.to = std::mem::take(&mut prog.from);
    }
    Some(())
}

/// Lowers `toks` if it is a simple instruction statement, appending its
/// `Prog` to the current function and adding its labels to the pending
/// ones, which [`Lowerer::appended`] then binds; `None` leaves it (untouched)
/// to the general path.
pub(crate) fn statement(lw: &mut Lowerer<'_>, toks: &[Token]) -> Option<()> {
    // Labels (`name:`) are rare: looked for only behind a colon second.
    let i = if matches!(toks.get(1).map(|t| &t.tok), Some(Tok::Punct(':'))) { labels_end(toks) } else { 0 };
    let labels_end = i;
    let Tok::Ident(word) = toks.get(i)?.tok else { return None };
    // Not a pseudo-op, not a jump.
    let d = lw.names.direct_op(word)?;
    // Outside a function the general path reports the statement.
    let fi = lw.current()?;
    let spec = lw.spec;
    let mut c = Cursor { spec, names: &mut lw.names, toks, i: i + 1 };
    let mut cond = String::new();
    while c.eat('.') {
        let Some(Tok::Ident(n)) = c.tok() else { return None };
        cond.push('.');
        cond.push_str(n.as_str());
        c.i += 1;
    }
    let stmt_span = stmt_span(toks, i);
    if spec.family() != Family::X86 {
        let at = c.i;
        return placed(lw, toks, at, d, &cond, stmt_span, labels_end);
    }
    let progs = &mut lw.module.funcs[fi].progs;
    let ok = place_x86(&mut c, d, stmt_span, progs).is_some()
        && (cond.is_empty() || crate::suffix::apply(spec, progs.last_mut().expect("just pushed"), &cond).is_ok());
    if !ok {
        progs.pop();
        return None;
    }
    pushed(lw, toks, fi, d.op, stmt_span, labels_end);
    Some(())
}

/// arm64 placement ([`crate::placement::Placement::place`] for up to four
/// operands of a plain opcode, [`crate::placement::arm64_shape`]) with each
/// operand parsed straight into its field of a new `Prog` pushed onto
/// `progs`: from, reg, rest, to. The second operand goes to `to` until a
/// third shows it is `reg`.
fn place_arm64(c: &mut Cursor<'_>, d: DirectOp, shape: Arm64Shape, scond: u16, span: Span, progs: &mut Vec<Prog>) -> Option<()> {
    // Built in place, as in `place_x86`.
    let new = || Prog { op: d.op, scond, from: NO_ADDR, reg: Reg(0), rest: Rest::Empty, to: NO_ADDR, reg_to2: Reg(0), span, pc: 0 };
    progs.resize_with(progs.len() + 1, new);
    let prog = progs.last_mut().expect("just pushed");
    let end = c.toks.len();
    let mut n = 0;
    while c.i < end {
        if n == 4 {
            return None;
        }
        if n > 0 {
            c.comma()?;
        }
        // One call site of `operand`, which is then inlined.
        let a = match n {
            0 => &mut prog.from,
            1 => &mut prog.to,
            2 => {
                // Three or four operands: the second is `reg` (a plain register or none of this path's).
                prog.reg = plain_register(&prog.to)?;
                prog.to = NO_ADDR;
                &mut prog.to
            }
            _ => {
                let third = std::mem::replace(&mut prog.to, NO_ADDR);
                // An empty `Rest` owns nothing: replaced without a drop call.
                std::mem::forget(std::mem::replace(&mut prog.rest, Rest::One([(third, ArgDir::Source)])));
                &mut prog.to
            }
        };
        c.operand(a)?;
        n += 1;
    }
    match n {
        1 if d.unary_dst => prog.to = std::mem::replace(&mut prog.from, NO_ADDR),
        2 if shape.two_reg => prog.reg = plain_register(&std::mem::replace(&mut prog.to, NO_ADDR))?,
        _ => {}
    }
    Some(())
}

/// [`crate::placement::Placement::get_register`]'s test, without the message.
fn plain_register(a: &Addr) -> Option<Reg> {
    (a.ty == AddrType::Reg && a.offset == 0 && a.name == AddrName::None && a.index.is_none()).then_some(a.reg)
}

/// [`statement`] on arm64 (the caller's choice, so that the other
/// architectures' path stays as it was): a plain opcode
/// ([`Arm64Shape::plain`]) with its suffixes as `scond` bits (no suffix
/// string), then [`place_arm64`]; other opcodes go to [`statement`].
pub(crate) fn statement_arm64(lw: &mut Lowerer<'_>, toks: &[Token]) -> Option<()> {
    let i = if matches!(toks.get(1).map(|t| &t.tok), Some(Tok::Punct(':'))) { labels_end(toks) } else { 0 };
    let labels_end = i;
    let Tok::Ident(word) = toks.get(i)?.tok else { return None };
    let d = lw.names.direct_op(word)?;
    let shape = lw.names.arm64_shape(word);
    if !shape.plain {
        return statement(lw, toks);
    }
    let fi = lw.current()?;
    let spec = lw.spec;
    let mut c = Cursor { spec, names: &mut lw.names, toks, i: i + 1 };
    let mut scond = 0u16;
    while c.eat('.') {
        let Some(Tok::Ident(n)) = c.tok() else { return None };
        scond |= u16::from(c.names.ls_suffix(*n)?);
        c.i += 1;
    }
    let stmt_span = stmt_span(toks, i);
    let progs = &mut lw.module.funcs[fi].progs;
    if place_arm64(&mut c, d, shape, scond, stmt_span, progs).is_none() {
        progs.pop();
        return None;
    }
    pushed(lw, toks, fi, d.op, stmt_span, labels_end);
    Some(())
}

/// [`statement`] on the other architectures, from the operands at `toks[at]`:
/// the addresses, then the general placement.
#[inline(never)]
fn placed(lw: &mut Lowerer<'_>, toks: &[Token], at: usize, d: DirectOp, cond: &str, stmt_span: Span, labels_end: usize) -> Option<()> {
    let fi = lw.current()?;
    let mut prog = Prog::new(d.op, stmt_span);
    // The addresses go into the lowerer's buffer (no allocation per statement).
    let mut addrs = std::mem::take(&mut lw.addrs);
    addrs.clear();
    let mut c = Cursor { spec: lw.spec, names: &mut lw.names, toks, i: at };
    let placed = c.operands(&mut addrs).is_some() && lw.placed(&mut prog, d.op, cond, &addrs);
    lw.addrs = addrs;
    if !placed {
        return None;
    }
    #[cfg(debug_assertions)]
    cross_check(lw, toks, d.op, stmt_span, labels_end, &prog);
    lw.module.funcs[fi].progs.push(prog);
    if labels_end > 0 {
        add_labels(lw, toks, labels_end);
    }
    Some(())
}

/// The span of the statement from its mnemonic `toks[i]` on.
#[inline(always)]
fn stmt_span(toks: &[Token], i: usize) -> Span {
    // `StmtCx::range(i, toks.len())` (`Span::to` is not inlined across crates).
    let (first, last) = (toks[i].span, toks[toks.len() - 1].span);
    let span = Span { lo: first.lo.min(last.lo), hi: first.hi.max(last.hi) };
    debug_assert_eq!(span, StmtCx { toks }.range(i, toks.len()));
    span
}

/// After a `Prog` lowered directly was pushed onto function `fi`: the
/// debug builds' cross-check, then the labels before it.
#[inline(always)]
fn pushed(lw: &mut Lowerer<'_>, toks: &[Token], fi: usize, op: arch_tables::Op, stmt_span: Span, labels_end: usize) {
    #[cfg(debug_assertions)]
    {
        let prog = lw.module.funcs[fi].progs.last().expect("just pushed").clone();
        cross_check(lw, toks, op, stmt_span, labels_end, &prog);
    }
    #[cfg(not(debug_assertions))]
    let _ = (fi, op, stmt_span);
    if labels_end > 0 {
        add_labels(lw, toks, labels_end);
    }
}

/// Where the labels that start `toks` end.
#[cold]
fn labels_end(toks: &[Token]) -> usize {
    let mut i = 0;
    while let [Token { tok: Tok::Ident(_), .. }, Token { tok: Tok::Punct(':'), .. }, ..] = &toks[i..] {
        i += 2;
    }
    i
}

/// Adds the labels before the instruction (`toks[..labels_end]`) to the pending ones.
#[cold]
fn add_labels(lw: &mut Lowerer<'_>, toks: &[Token], labels_end: usize) {
    let cx = StmtCx { toks };
    let labels = toks[..labels_end].iter().enumerate().step_by(2).filter_map(|(j, t)| match t.tok {
        Tok::Ident(n) => Some((n, cx.span(j))),
        _ => None,
    });
    lw.add_labels(labels);
}

/// Debug builds: the general path (parse, then lower) makes the same `Prog`
/// of `toks` and sees the same labels.
#[cfg(debug_assertions)]
fn cross_check(lw: &mut Lowerer<'_>, toks: &[Token], op: arch_tables::Op, stmt_span: asm_lexer::Span, labels_end: usize, prog: &Prog) {
    let line = crate::parse_line(lw.spec, toks).expect("a statement lowered directly parses");
    let st = line.stmt.as_ref().expect("a statement lowered directly has an instruction");
    let general = lw.instruction(&StmtCx { toks }, st, op, stmt_span).expect("a statement lowered directly is valid");
    assert_eq!(&general, prog, "direct lowering of {toks:?}");
    let labels: Vec<_> = line.labels.iter().map(|w| Tok::Ident(w.name)).collect();
    let direct: Vec<_> = toks[..labels_end].iter().step_by(2).map(|t| t.tok.clone()).collect();
    assert_eq!(labels, direct);
}

#[cfg(test)]
#[test]
fn no_addr_is_the_default() {
    assert_eq!(NO_ADDR, Addr::default());
}
