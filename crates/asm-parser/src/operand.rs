//! From operand syntax to `obj::Addr`, per architecture, with the field
//! values Go's parser produces (type, name, reg, index, scale, offset, val).

use arch_tables::{ArchSpec, Family, GoArch, PseudoReg, Reg};
use asm_lexer::Name;
use obj::{Abi, Addr, AddrName, AddrType, AddrVal, SymTab};

use crate::archx;
use crate::ast::*;
use crate::expr::{self, parse_uint};

/// An operand error: the message and the token it points at.
#[derive(Clone, Debug, PartialEq)]
pub struct OpError {
    pub message: String,
    pub at: usize,
    pub notes: Vec<String>,
}

pub type OpResult<T> = Result<T, OpError>;

pub fn fail<T>(at: usize, message: impl Into<String>) -> OpResult<T> {
    Err(OpError { message: message.into(), at, notes: Vec::new() })
}

/// What symbol references resolve against.
pub struct SymCx<'a> {
    pub syms: &'a mut SymTab,
    /// The `-p` package path as a symbol prefix, if any.
    pub pkg_prefix: Option<&'a str>,
    pub file_index: u32,
    /// Whether `<ABI0>`/`<ABIInternal>` may be written (privileged packages).
    pub allow_abi: bool,
}

/// An operand as the statement lowering needs it.
#[derive(Clone, Debug, Default)]
pub struct Resolved {
    pub addr: Addr,
    /// A bare name in a jump: a label reference.
    pub label: Option<Name>,
    /// The ABI selected by `<ABI...>` on the symbol.
    pub abi: Option<Abi>,
    /// `/size` of a DATA operand, as written.
    pub data_size: Option<Word>,
    /// The operand is a pseudo-register used as a register (`MOVQ SB, AX`).
    pub pseudo_reg: bool,
}

/// A resolved register reference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RegVal {
    Real(i32),
    Pseudo(PseudoReg),
}

/// Operand construction for one architecture.
pub struct Builder<'s> {
    pub spec: &'static ArchSpec,
    /// The statement's tokens (their texts go into messages).
    pub toks: &'s [asm_lexer::Token],
    pub is_jump: bool,
}

impl Builder<'_> {
    fn family(&self) -> Family {
        self.spec.family()
    }

    pub(crate) fn text(&self, at: usize) -> String {
        self.toks.get(at).map_or_else(|| "EOF".to_string(), |t| crate::lexer::tok_text(&t.tok))
    }

    /// Resolves a register by name or `PREFIX(n)`.
    pub fn reg_ref(&self, r: &RegRef) -> OpResult<RegVal> {
        match r.num {
            None => {
                if let Some(x) = crate::names::reg(self.spec, r.name) {
                    return Ok(RegVal::Real(i32::from(x.0)));
                }
                let name = r.name.as_str();
                if let Some(p) = self.spec.pseudo_reg(name) {
                    return Ok(RegVal::Pseudo(p));
                }
                let mut e = OpError { message: format!("expected register; found {name}"), at: r.lo, notes: vec![] };
                if let Some(s) = crate::suggest::closest(name, self.spec.register_names()) {
                    e.notes.push(format!("did you mean `{s}`?"));
                }
                Err(e)
            }
            Some(n) => {
                let name = r.name.as_str();
                let text = n.as_str();
                let v: i16 = match text.parse() {
                    Ok(v) => v,
                    Err(_) => return fail(r.lo + 2, format!("parsing register list: invalid register number {text}")),
                };
                match self.spec.register_number(name, v) {
                    Some(x) => Ok(RegVal::Real(i32::from(x.0))),
                    None => fail(r.lo, format!("illegal register {name}({v})")),
                }
            }
        }
    }

    fn real_reg(&self, r: &RegRef) -> OpResult<i32> {
        match self.reg_ref(r)? {
            RegVal::Real(x) => Ok(x),
            RegVal::Pseudo(p) => fail(r.lo, format!("expected register; found pseudo-register {}", p.name())),
        }
    }

    /// Builds the address of an operand.
    pub fn operand(&self, op: &Operand, sc: &mut SymCx<'_>) -> OpResult<Resolved> {
        let mut res = Resolved::default();
        let prefix = op.prefix;
        let pch = match prefix {
            Prefix::Dollar => '$',
            Prefix::Star => '*',
            Prefix::None => ' ',
        };
        let a = &mut res.addr;
        match &op.body {
            Body::Reg(t) => {
                let has_ext = !t.exts.is_empty() || t.index.is_some() || t.lsh.is_some();
                if has_ext {
                    if !matches!(self.family(), Family::Arm64 | Family::Loong64) {
                        let at = t.reg.hi;
                        return fail(at, format!("expected end of operand, found {}", self.text(at)));
                    }
                    if prefix != Prefix::None {
                        return fail(op.lo, format!("prefix {pch} not allowed for shifted register: ${}", self.text(t.reg.lo)));
                    }
                    a.ty = AddrType::Reg;
                    self.register_extension(a, t)?;
                    return Ok(res);
                }
                let r = self.reg_ref(&t.reg)?;
                if prefix == Prefix::Dollar {
                    return fail(op.lo, format!("prefix $ not allowed for register: ${}", self.text(t.reg.lo)));
                }
                a.ty = AddrType::Reg;
                match r {
                    RegVal::Real(x) => a.reg = Reg(x as u16),
                    RegVal::Pseudo(_) => res.pseudo_reg = true,
                }
            }
            Body::Shift { reg, op: sop, rhs, base } => {
                if !matches!(self.family(), Family::Arm | Family::Arm64) {
                    let at = reg.hi;
                    return fail(at, format!("expected end of operand, found {}", self.text(at)));
                }
                if prefix != Prefix::None {
                    return fail(op.lo, format!("prefix {pch} not allowed for shifted register: ${}", self.text(reg.lo)));
                }
                a.ty = AddrType::Shift;
                a.offset = self.register_shift(reg, *sop, rhs)?;
                if let Some(b) = base {
                    a.reg = Reg(self.real_reg(b)? as u16);
                }
            }
            Body::List(items) => {
                if prefix != Prefix::None {
                    return fail(op.lo, "illegal use of register list");
                }
                self.register_list(a, items, op)?;
            }
            Body::PregSel { items, imm, preg, ext } => {
                if self.family() != Family::Arm64 {
                    return fail(op.lo, "unexpected register list");
                }
                let sel = match items.as_slice() {
                    [ListItem { first, last: None }] if first.exts.is_empty() => self.real_reg(&first.reg)?,
                    _ => return fail(op.lo, "invalid registers in pregsel operand"),
                };
                let p = self.real_reg(preg)?;
                let arng = archx::arm64::sve_arrangement(ext.name.as_str())
                    .ok_or_else(|| OpError { message: format!("invalid P register arrangement: {}", ext.name), at: ext.at, notes: vec![] })?;
                let idx = parse_uint(imm.name.as_str()).map_err(|m| OpError { message: m, at: imm.at, notes: vec![] })? as i64;
                a.ty = AddrType::Reg;
                a.offset = i64::from(p & 31) | ((arng & 15) << 5) | (i64::from(sel & 31) << 9) | (idx << 14) | (1 << 62);
            }
            Body::Sym { name, attr, offset, base, index, size } => {
                let raw = name.name.as_str();
                let special = if attr.is_none() && offset.is_none() && base.is_none() {
                    match self.family() {
                        Family::Arm64 | Family::Riscv => self.spec.special_operand(raw),
                        _ => None,
                    }
                } else {
                    None
                };
                if let Some(v) = special {
                    a.ty = AddrType::Special;
                    a.offset = v;
                    return Ok(res);
                }
                a.ty = match prefix {
                    Prefix::None => AddrType::Mem,
                    Prefix::Dollar => AddrType::Addr,
                    Prefix::Star => AddrType::Indir,
                };
                let full = sc.qualify(raw);
                let mut is_static = false;
                match attr {
                    Some(SymAttr::Static) => is_static = true,
                    Some(SymAttr::Abi(w)) => {
                        if !sc.allow_abi {
                            return fail(w.at, format!("ABI selector only permitted when compiling runtime, reference was to {full:?}"));
                        }
                        res.abi = Some(match w.name.as_str() {
                            "ABI0" => Abi::Abi0,
                            "ABIInternal" => Abi::Internal,
                            other => return fail(w.at, format!("malformed ABI selector {other:?} in reference to {full:?}")),
                        });
                    }
                    None => {}
                }
                if let Some(e) = offset {
                    a.offset = self.eval(e, |t| format!("expected '(', found {t}"))? as i64;
                }
                let Some(b) = base else {
                    if prefix == Prefix::None && self.is_jump {
                        res.label = Some(Name::new(&full));
                        return Ok(res);
                    }
                    let mut e = OpError { message: format!("illegal or missing addressing mode for symbol {full}"), at: name.at, notes: vec![] };
                    // (MAXREG is in Go's x86 register map, but nobody means it.)
                    match crate::suggest::closest(&full, self.spec.register_names().filter(|r| *r != "MAXREG")) {
                        Some(r) => e.notes.push(format!("did you mean the register `{r}`?")),
                        None => e.notes.push(format!("a symbol needs a base register: `{full}(SB)`")),
                    }
                    return Err(e);
                };
                a.sym = Some(if is_static { sc.syms.lookup(&full, Some(sc.file_index)) } else { sc.syms.lookup(&full, None) });
                self.set_pseudo(a, b.name.as_str(), b.at, is_static, prefix)?;
                if !index.is_empty() {
                    self.register_indirect(a, index, prefix, op)?;
                }
                res.data_size = *size;
            }
            Body::Const { value, mem } => {
                if let Some(e) = value {
                    let v = self.eval(e, |t| format!("expected end of operand, found {t}"))?;
                    a.offset = v as i64;
                    if mem.is_empty() {
                        a.ty = match prefix {
                            Prefix::Dollar => AddrType::Const,
                            Prefix::Star => AddrType::Indir,
                            Prefix::None => AddrType::Mem,
                        };
                        return Ok(res);
                    }
                }
                self.register_indirect(a, mem, prefix, op)?;
            }
            Body::Vl { neg, vl, imm, mem } => {
                if self.family() != Family::Arm64 || vl.name.as_str() != "VL" {
                    return fail(vl.at, format!("unexpected {} evaluating expression", vl.name));
                }
                let v = parse_uint(imm.name.as_str()).map_err(|m| OpError { message: m, at: imm.at, notes: vec![] })? as i64;
                a.offset = if *neg { v.wrapping_neg() } else { v };
                a.scale = i16::MIN;
                if mem.is_empty() {
                    return fail(op.hi, "empty operand: cannot happen");
                }
                self.register_indirect(a, mem, Prefix::None, op)?;
            }
            Body::Float(f) => {
                if prefix != Prefix::Dollar {
                    return fail(op.lo, "floating-point constant must be an immediate");
                }
                let v = expr::eval_float(f).map_err(|e| OpError { message: e.message, at: e.at, notes: vec![] })?;
                a.ty = AddrType::FConst;
                a.val = AddrVal::Float(v);
            }
            Body::Str(s) => {
                if prefix != Prefix::Dollar {
                    return fail(op.lo, "string constant must be an immediate");
                }
                a.ty = AddrType::SConst;
                a.val = AddrVal::Str(s.clone());
            }
        }
        Ok(res)
    }

    /// Evaluates an expression that must be used up; `leftover` words the
    /// error for an operator Go's evaluator stops at.
    pub fn eval(&self, e: &Expr, leftover: impl Fn(&str) -> String) -> OpResult<u64> {
        let to_err = |e: expr::EvalError| OpError { message: e.message, at: e.at, notes: vec![] };
        match expr::eval(e).map_err(to_err)? {
            (v, None) => Ok(v),
            (_, Some(at)) => fail(at, leftover(&self.text(at))),
        }
    }

    fn set_pseudo(&self, a: &mut Addr, name: &str, at: usize, is_static: bool, prefix: Prefix) -> OpResult<()> {
        match name {
            "FP" => a.name = AddrName::Param,
            "PC" => {
                if prefix != Prefix::None {
                    return fail(at, "illegal addressing mode for PC");
                }
                a.ty = AddrType::Branch;
            }
            "SB" => a.name = if is_static { AddrName::Static } else { AddrName::Extern },
            "SP" => a.name = AddrName::Auto,
            other => {
                return fail(at, format!("expected pseudo-register; found {other}"));
            }
        }
        if prefix == Prefix::Dollar {
            a.ty = AddrType::Addr;
        }
        Ok(())
    }

    /// `(R1)`, `(R1)(R2*4)`, `(R1, R2)`, `(R5+R6)`, `(FP)`, arm64 SVE forms.
    fn register_indirect(&self, a: &mut Addr, mem: &[Indirect], prefix: Prefix, op: &Operand) -> OpResult<()> {
        let first = &mem[0];
        let fam = self.family();
        let t = &first.term;
        let r1 = self.reg_ref(&t.reg)?;
        let scale = match &first.scale {
            Some(s) => self.parse_scale(s)?,
            None => 0,
        };
        let r2 = match &first.pair {
            None => None,
            Some((sep, b)) => {
                match sep {
                    ',' if !matches!(fam, Family::Arm | Family::Arm64) => {
                        return fail(b.lo - 1, "(register,register) not supported on this architecture")
                    }
                    '+' if fam != Family::Ppc64 => {
                        return fail(b.lo - 1, "(register+register) not supported on this architecture")
                    }
                    _ => {}
                }
                Some((self.reg_ref(b)?, b.lo))
            }
        };
        a.ty = AddrType::Mem;
        if !t.exts.is_empty() || t.lsh.is_some() || t.index.is_some() {
            if fam != Family::Arm64 || t.index.is_some() {
                let at = t.reg.hi;
                return fail(at, format!("expected ')', found {}", self.text(at)));
            }
            return self.sve_mem(a, t, r1, mem.get(1), mem.len(), op);
        }
        let r1 = match r1 {
            RegVal::Pseudo(p) => {
                if r2.is_some() {
                    return fail(first.lo, "cannot use pseudo-register in pair");
                }
                if p != PseudoReg::PC && a.name == AddrName::None {
                    return fail(t.reg.lo, format!("cannot reference {} without a symbol", p.name()));
                }
                self.set_pseudo(a, p.name(), t.reg.lo, false, prefix)?;
                return self.expect_end(mem, 1);
            }
            RegVal::Real(x) => x,
        };
        a.reg = Reg(r1 as u16);
        if let Some((r2, at2)) = r2 {
            let r2 = match r2 {
                RegVal::Real(x) => x,
                RegVal::Pseudo(_) => return fail(at2, "cannot use pseudo-register in pair"),
            };
            match fam {
                Family::Arm | Family::Arm64 => {
                    if prefix != Prefix::None || scale != 0 {
                        return fail(first.lo, "illegal address mode for register pair");
                    }
                    a.ty = AddrType::RegReg;
                    a.offset = i64::from(r2);
                    return self.expect_end(mem, 1);
                }
                Family::Ppc64 => {
                    if prefix != Prefix::None || scale != 0 {
                        return fail(first.lo, "illegal address mode for register+register");
                    }
                    a.ty = AddrType::Mem;
                    a.scale = 0;
                    a.index = Reg(r2 as u16);
                    return self.expect_end(mem, 1);
                }
                _ => return fail(first.lo, "indirect through register pair"),
            }
        }
        if prefix == Prefix::Dollar {
            a.ty = AddrType::Addr;
        }
        if scale == 0 && mem.len() > 1 {
            let second = &mem[1];
            let t2 = &second.term;
            let ext_form = !t2.exts.is_empty() || t2.index.is_some();
            if ext_form && matches!(fam, Family::Arm64 | Family::Loong64) || t2.lsh.is_some() && matches!(fam, Family::Arm | Family::Arm64) {
                if prefix != Prefix::None {
                    let pch = if prefix == Prefix::Dollar { '$' } else { '*' };
                    return fail(t2.lo, format!("prefix {pch} not allowed for shifted register: ${}", self.text(t2.reg.lo)));
                }
                if second.pair.is_some() || second.scale.is_some() {
                    let at = t2.hi;
                    return fail(at, format!("expected ')', found {}", self.text(at)));
                }
                self.register_extension(a, t2)?;
                return self.expect_end(mem, 2);
            }
            if ext_form || t2.lsh.is_some() {
                let at = t2.reg.hi;
                return fail(at, format!("expected ')', found {}", self.text(at)));
            }
            let ri = match self.reg_ref(&t2.reg)? {
                RegVal::Real(x) => x,
                // Go stores the pseudo-register's negative number; the backend rejects it.
                RegVal::Pseudo(p) => i32::from(p.go_value()),
            };
            if second.pair.is_some() {
                return fail(second.lo, "unimplemented two-register form");
            }
            a.index = Reg(ri as u16);
            let s2 = match &second.scale {
                Some(s) => self.parse_scale(s)?,
                None => 0,
            };
            if s2 != 0 && s2 != 1 && matches!(fam, Family::Arm64 | Family::Ppc64) {
                return fail(second.lo, format!("{} doesn't support scaled register format", self.spec.arch().name()));
            }
            a.scale = s2;
            return self.expect_end(mem, 2);
        } else if scale != 0 {
            if fam == Family::Arm64 {
                return fail(first.lo, "arm64 doesn't support scaled register format");
            }
            a.reg = Reg(0);
            a.index = Reg(r1 as u16);
            a.scale = scale;
        }
        self.expect_end(mem, 1)
    }

    fn expect_end(&self, mem: &[Indirect], used: usize) -> OpResult<()> {
        match mem.get(used) {
            None => Ok(()),
            Some(extra) => fail(extra.lo, "expected end of operand, found ("),
        }
    }

    fn parse_scale(&self, s: &Word) -> OpResult<i16> {
        match s.name.as_str() {
            "1" | "2" | "4" | "8" => Ok(s.name.as_str().parse().unwrap_or(0)),
            other => fail(s.at, format!("bad scale: {other}")),
        }
    }

    /// arm64 SVE memory operands: `(Z1.D.UXTW<<2)(R2)`, `(R6<<1)(R14)`.
    fn sve_mem(&self, a: &mut Addr, t: &RegTerm, r1: RegVal, second: Option<&Indirect>, n: usize, op: &Operand) -> OpResult<()> {
        use archx::arm64 as c;
        let r1 = match r1 {
            RegVal::Real(x) => x,
            RegVal::Pseudo(p) => return fail(t.reg.lo, format!("cannot reference {} without a symbol", p.name())),
        };
        let mut ext: Option<Word> = None;
        let mut modifier = 0i64;
        for (i, e) in t.exts.iter().enumerate() {
            match (i, e.name.as_str()) {
                (_, "UXTW") if i == t.exts.len() - 1 => modifier = 1,
                (_, "SXTW") if i == t.exts.len() - 1 => modifier = 2,
                (0, _) => ext = Some(*e),
                (_, other) => return fail(e.at, format!("unknown modifier {other}")),
            }
        }
        let amount = match &t.lsh {
            Some(w) => w.name.as_str().parse::<i64>().map_err(|_| OpError { message: format!("parsing left shift amount: {}", w.name), at: w.at, notes: vec![] })?,
            None => 0,
        };
        let encode = |r: i32, ext: Option<Word>| -> OpResult<i32> {
            let Some(e) = ext else { return Ok(r) };
            if !(c::REG_Z0..=c::REG_Z31).contains(&r) {
                return fail(e.at, "arrangement not allowed for this register");
            }
            let arng = c::sve_arrangement(e.name.as_str()).ok_or_else(|| OpError { message: format!("unknown arrangement {}", e.name), at: e.at, notes: vec![] })?;
            Ok(c::REG_ZARNG + (r & 31) + (((arng & 15) as i32) << 5))
        };
        let enc1 = encode(r1, ext)?;
        let Some(second) = second else {
            a.reg = Reg(enc1 as u16);
            return Ok(());
        };
        if n > 2 {
            return fail(op.hi, "expected end of operand");
        }
        let t2 = &second.term;
        let r2 = self.real_reg(&t2.reg)?;
        if t2.exts.len() > 1 || t2.lsh.is_some() || t2.index.is_some() || second.pair.is_some() || second.scale.is_some() {
            return fail(t2.hi, "expected ')'");
        }
        let enc2 = encode(r2, t2.exts.first().copied())?;
        a.index = Reg(enc2 as u16);
        a.reg = Reg(enc1 as u16);
        a.offset = 0;
        let s = (0x8000u16 as i16) | ((amount << 12) as i16) | ((modifier << 9) as i16);
        a.scale = s;
        Ok(())
    }

    /// `R1.UXTW<<2`, `V1.S4`, `V1.S[2]`, `(R2.SXTW<<3)`, loong64 `V1.W[2]`.
    fn register_extension(&self, a: &mut Addr, t: &RegTerm) -> OpResult<()> {
        let reg = self.real_reg(&t.reg)?;
        let mut ext = "";
        let at = t.exts.first().map_or(t.reg.hi, |w| w.at);
        if t.exts.len() > 1 {
            return fail(t.exts[1].at - 1, "expected end of operand, found .");
        }
        if let Some(w) = t.exts.first() {
            ext = w.name.as_str();
        } else if t.lsh.is_some() {
            ext = "LSL";
        }
        let (num, is_index) = if let Some(w) = &t.lsh {
            let n: i16 = w.name.as_str().parse().map_err(|_| OpError { message: format!("parsing left shift amount: {}", w.name), at: w.at, notes: vec![] })?;
            (n, false)
        } else if let Some(w) = &t.index {
            let n: i16 = w.name.as_str().parse().map_err(|_| OpError { message: format!("parsing element index: {}", w.name), at: w.at, notes: vec![] })?;
            (n, true)
        } else {
            (0, false)
        };
        let r = match self.family() {
            Family::Arm64 => archx::arm64::register_extension(a, ext, reg, num, !is_index, is_index),
            Family::Loong64 => archx::loong64::register_extension(a, ext, reg, num, is_index),
            _ => Err("register extension not supported on this architecture".to_string()),
        };
        r.map_err(|m| OpError { message: m, at, notes: vec![] })
    }

    fn register_shift(&self, reg: &RegRef, op: ShiftOp, rhs: &ShiftRhs) -> OpResult<i64> {
        let r1 = self.real_reg(reg)?;
        let code: i64 = match op {
            ShiftOp::Lsh => 0,
            ShiftOp::Rsh => 1,
            ShiftOp::Arrow => 2,
            ShiftOp::Rot => 3,
        };
        let arm64 = self.family() == Family::Arm64;
        let count: i64 = match rhs {
            ShiftRhs::Reg(r2) => {
                if arm64 {
                    return fail(r2.lo, format!("rhs of shift must be integer: {}", self.text(r2.lo)));
                }
                let r2 = self.real_reg(r2)?;
                (i64::from(r2 & 15) << 8) | (1 << 4)
            }
            ShiftRhs::Expr(e) => {
                match e.items.first() {
                    Some(ExprItem::Factor(Factor::Int(_) | Factor::Paren(_))) => {}
                    _ => return fail(e.lo, format!("unexpected {} in register shift", self.text(e.lo))),
                }
                let x = self.eval(e, |t| format!("expected end of operand, found {t}"))? as i64;
                let first = self.text(e.lo);
                if arm64 {
                    if x >= 64 {
                        return fail(e.lo, format!("register shift count too large: {first}"));
                    }
                    ((x & 63) << 10) as i16 as u16 as i64
                } else {
                    if x >= 32 {
                        return fail(e.lo, format!("register shift count too large: {first}"));
                    }
                    (x & 31) << 7
                }
            }
        };
        if arm64 {
            if !(archx::arm64::REG_R0..=archx::arm64::REG_R31).contains(&r1) {
                return fail(reg.lo, "invalid register for shift operation");
            }
            Ok((i64::from(r1 & 31) << 16) | (code << 22) | (count & 0xffff))
        } else {
            Ok(i64::from(r1 & 15) | (code << 5) | count)
        }
    }

    fn register_list(&self, a: &mut Addr, items: &[ListItem], op: &Operand) -> OpResult<()> {
        match self.spec.arch() {
            GoArch::Amd64 | GoArch::I386 => {
                let item = match items {
                    [it] => it,
                    [] => return fail(op.hi - 1, "register list: expected ']', found EOF"),
                    [first, ..] => return fail(first.first.hi, format!("register list: expected '-' after `[{}`, found ','", self.text(first.first.lo))),
                };
                let lo_name = self.text(item.first.lo);
                let lo = self.spec.reg(&lo_name).filter(|_| item.first.exts.is_empty() && item.first.reg.num.is_none());
                let Some(lo) = lo else {
                    return fail(item.first.lo, format!("register list: bad low register in `[{lo_name}`"));
                };
                let Some(last) = &item.last else {
                    return fail(item.first.hi, format!("register list: expected '-' after `[{lo_name}`, found ']'"));
                };
                let hi_name = self.text(last.lo);
                let Some(hi) = self.spec.reg(&hi_name).filter(|_| last.exts.is_empty()) else {
                    return fail(last.lo, format!("register list: bad high register in `[{lo_name}-{hi_name}`"));
                };
                a.ty = AddrType::RegList;
                a.reg = lo;
                a.offset = archx::x86::encode_register_range(lo.0 as i16, hi.0 as i16);
                Ok(())
            }
            GoArch::Arm => {
                let mut bits: u16 = 0;
                for it in items {
                    let mut lo = self.arm_list_reg(&it.first)?;
                    let mut hi = match &it.last {
                        Some(l) => self.arm_list_reg(l)?,
                        None => lo,
                    };
                    if hi < lo {
                        std::mem::swap(&mut lo, &mut hi);
                    }
                    let mut i = 0;
                    while lo <= hi && i < 16 {
                        if bits & (1 << lo) != 0 {
                            return fail(it.first.lo, format!("register R{lo} already in list"));
                        }
                        bits |= 1 << lo;
                        lo += 1;
                        i += 1;
                    }
                }
                a.ty = AddrType::RegList;
                a.offset = i64::from(bits);
                Ok(())
            }
            GoArch::Arm64 => archx::arm64::register_list(self, a, items),
            _ => fail(op.lo, "unexpected register list"),
        }
    }

    fn arm_list_reg(&self, t: &RegTerm) -> OpResult<u16> {
        let name = self.text(t.reg.lo);
        if !t.exts.is_empty() {
            return fail(t.reg.hi, format!("expected ',', found {}", self.text(t.reg.hi)));
        }
        if name == "g" {
            return Ok(10);
        }
        if !name.starts_with('R') {
            return fail(t.reg.lo, format!("expected g or R0 through R15; found {name}"));
        }
        let r = self.real_reg(&t.reg)?;
        let n = r - archx::arm::REG_R0;
        if !(0..16).contains(&n) {
            return fail(t.reg.lo, format!("expected g or R0 through R15; found {name}"));
        }
        Ok(n as u16)
    }
}

impl SymCx<'_> {
    /// The symbol name for a name as written: `.x` gets the package prefix
    /// (or none without `-p`, for C interop).
    pub fn qualify(&self, raw: &str) -> String {
        match raw.strip_prefix('.') {
            Some(rest) => match self.pkg_prefix {
                Some(p) => format!("{p}.{rest}"),
                None => rest.to_string(),
            },
            None => raw.to_string(),
        }
    }
}

/// Go's `objabi.PathToPrefix`: escapes a package path for use in symbol names.
pub fn path_to_prefix(s: &str) -> String {
    let slash = s.rfind('/').map_or(0, |i| i + 1);
    let mut out = String::with_capacity(s.len());
    for (i, b) in s.bytes().enumerate() {
        let esc = b <= b' ' || (b == b'.' && i >= slash) || b == b'%' || b == b'"' || b >= 0x7f;
        if esc {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push(b as char);
        }
    }
    out
}
