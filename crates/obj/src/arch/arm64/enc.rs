//! The encoding recipes: each row of the form table names one, and the
//! recipe turns the instruction's operands into 1-5 machine words (plus
//! relocations). Base words come from the generated per-family tables.

use arch_tables::arm64::consts as k;

use super::class::{bitcon_fields, c, movcon, Cx};
use super::ops::*;
use super::optab::{word, Row};
use super::tables_gen as t;
use crate::addr::{Addr, AddrType};
use crate::prog::Prog;
use crate::sym::{RelocKind, SymId};

pub const REGTMP: u32 = 27;
pub const ZR: u32 = 31;
const S64: u32 = 1 << 31;
const SBIT: u32 = 1 << 29;
const LSL0_32: u32 = 2 << 13;
const LSL0_64: u32 = 3 << 13;
pub const NOOP: u32 = 0xd503201f;

/// An instruction's machine words, kept inline: a recipe makes at most
/// five (no allocation per instruction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Words {
    n: u8,
    w: [u32; 8],
}

impl Words {
    pub fn from_slice(ws: &[u32]) -> Words {
        let mut out = Words::default();
        for &w in ws {
            out.push(w);
        }
        out
    }
    pub fn push(&mut self, w: u32) {
        self.w[usize::from(self.n)] = w;
        self.n += 1;
    }
}

impl std::ops::Deref for Words {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        &self.w[..usize::from(self.n)]
    }
}

/// `vec!` for [`Words`].
macro_rules! words {
    ($($w:expr),* $(,)?) => {
        $crate::arch::arm64::enc::Words::from_slice(&[$($w),*])
    };
}
pub(super) use words;

/// A relocation produced while encoding, at `off` bytes into the instruction.
#[derive(Clone, Debug)]
pub struct EncReloc {
    pub off: u32,
    pub size: u8,
    pub kind: RelocKind,
    pub sym: SymId,
    pub add: i64,
}

/// The literal-pool entry an instruction loads from.
#[derive(Clone, Copy, Debug)]
pub struct PoolRef {
    pub pc: i64,
    pub dword: bool,
    pub value: i64,
}

/// Everything one recipe needs.
pub struct Enc<'a> {
    pub cx: &'a Cx<'a>,
    pub p: &'a Prog,
    pub row: &'a Row,
    /// Class of `from` as the lookup saw it.
    pub from_cls: u8,
    /// Size the layout gave this instruction (may differ from row.size for ADRP forms).
    pub size: u32,
    pub pc: i64,
    /// Address of the branch target (to or from), if any.
    pub target: Option<i64>,
    pub pool: Option<PoolRef>,
    /// Where the relocations go (empty before each instruction).
    pub relocs: &'a mut Vec<EncReloc>,
    pub err: Option<String>,
}

/// Low five bits of a register number.
pub fn rn(r: arch_tables::Reg) -> u32 {
    r.0 as u32 & 31
}

fn reg_i(r: arch_tables::Reg) -> i64 {
    r.0 as i64
}

pub fn adr(page: u32, off: u32, rt: u32) -> u32 {
    page << 31 | (off & 3) << 29 | 0x10 << 24 | ((off >> 2) & 0x7ffff) << 5 | rt & 31
}

fn movconst(d: i64, s: u32, rt: u32) -> u32 {
    ((((d >> (s * 16)) & 0xffff) as u32) << 5) | (s & 3) << 21 | rt & 31
}

/// Splits `v` into `hi + lo<<shift` with both encodable as add immediates.
pub fn split_imm24(v: i32, shift: u32) -> Option<(i32, i32)> {
    if v < 0 || v > 0xfff000 + (0xfff << shift) {
        return None;
    }
    let hi = (v - (0xfff << shift)).max(v & ((1 << shift) - 1));
    if hi <= 0xfff {
        let lo = (v - hi) >> shift;
        if lo <= 0xfff {
            return Some((hi, lo));
        }
    }
    let mut lo = (v >> shift) & 0xfff;
    let mut hi = v - (lo << shift);
    if hi > 0xfff000 {
        hi = 0xfff000;
        lo = (v - hi) >> shift;
    }
    if hi & !0xfff000 == 0 && hi + (lo << shift) == v {
        return Some((hi, lo));
    }
    None
}

/// The 8-bit FMOV immediate of `e`, if it has one.
pub fn fp_imm8(e: f64) -> Option<u32> {
    let bits = e.to_bits();
    let l = bits as u32;
    let h = (bits >> 32) as u32;
    if l != 0 || h & 0xffff != 0 {
        return None;
    }
    let h1 = h & 0x7fc00000;
    if h1 != 0x40000000 && h1 != 0x3fc00000 {
        return None;
    }
    let mut n = 0;
    if h & 0x80000000 != 0 {
        n |= 1 << 7;
    }
    if h1 == 0x3fc00000 {
        n |= 1 << 6;
    }
    n |= (h >> 16) & 0x3f;
    Some(n)
}

/// A table of base words indexed by opcode, for the tables most
/// instructions take a word from (a binary search each cost ~40
/// instructions). Built at compile time from the sorted generated table.
struct Dense {
    lo: i64,
    /// 0: the opcode has no word (no base word is 0).
    w: [u32; 1024],
}

impl Dense {
    const fn new(table: &[(u16, u32)]) -> Dense {
        let lo = table[0].0 as usize;
        let mut w = [0; 1024];
        let mut i = 0;
        while i < table.len() {
            let (op, word) = table[i];
            assert!(word != 0 && (op as usize) >= lo && (op as usize) - lo < 1024);
            w[op as usize - lo] = word;
            i += 1;
        }
        Dense { lo: lo as i64, w }
    }

    fn get(&self, op: i64) -> Option<u32> {
        let i = usize::try_from(op.wrapping_sub(self.lo)).ok()?;
        self.w.get(i).copied().filter(|&w| w != 0)
    }
}

static RRR: Dense = Dense::new(t::W_RRR);
static IRR: Dense = Dense::new(t::W_IRR);

impl Enc<'_> {
    pub fn op(&self) -> i64 {
        self.p.op.0 as i64
    }

    pub(super) fn fail(&mut self, msg: impl Into<String>) {
        if self.err.is_none() {
            self.err = Some(msg.into());
        }
    }

    pub(super) fn base(&mut self, table: &[(u16, u32)], op: i64, fam: &str) -> u32 {
        match word(table, op as u16) {
            Some(w) => w,
            None => {
                self.fail(format!("bad {fam} opcode for this form"));
                0
            }
        }
    }

    pub(super) fn rrr(&mut self, op: i64, rd: u32, rn_: u32, rm: u32) -> u32 {
        let w = match RRR.get(op) {
            Some(w) => w,
            None => self.base(t::W_RRR, op, "rrr"),
        };
        w | (rm & 31) << 16 | (rn_ & 31) << 5 | rd & 31
    }
    pub(super) fn irr(&mut self, op: i64) -> u32 {
        match IRR.get(op) {
            Some(w) => w,
            None => self.base(t::W_IRR, op, "irr"),
        }
    }
    pub(super) fn xrrr(&mut self, op: i64, rd: u32, rn_: u32, rm: u32, ext: bool) -> u32 {
        let w = if ext { self.base(t::W_XRRR_EXT, op, "xrrr") } else { self.base(t::W_XRRR, op, "xrrr") };
        w | (rm & 31) << 16 | (rn_ & 31) << 5 | rd & 31
    }
    pub(super) fn ldr(&mut self, op: i64) -> u32 {
        self.base(t::W_LDR, op, "ldr")
    }
    pub(super) fn str_(&mut self, op: i64) -> u32 {
        self.base(t::W_STR, op, "str")
    }

    pub(super) fn regoff(&self, a: &Addr) -> i32 {
        self.cx.aclass(a).1 as i32
    }

    pub(super) fn oaddi(&mut self, op: i64, mut v: i32, rd: u32, rn_: u32) -> u32 {
        let mut o = self.irr(op);
        if v & 0xfff000 != 0 {
            if v & 0xfff != 0 {
                self.fail("internal: misused add immediate");
            }
            v >>= 12;
            o |= 1 << 22;
        }
        o | ((v as u32 & 0xfff) << 10) | (rn_ & 31) << 5 | rd & 31
    }

    fn oaddi12(&mut self, v: i32, rd: u32, rn_: u32) -> u32 {
        if !(-4095..=4095).contains(&v) {
            self.fail(format!("{v} is not a 12 bit immediate"));
            return 0;
        }
        if v < 0 {
            self.oaddi(k::ASUB, -v, rd, rn_)
        } else {
            self.oaddi(k::AADD, v, rd, rn_)
        }
    }

    pub(super) fn lsr12u(&mut self, o: u32, v: i32, rn_: u32, rt: u32) -> u32 {
        if !(0..1 << 12).contains(&v) {
            self.fail(format!("offset out of range: {v}"));
        }
        o | (v as u32 & 0xfff) << 10 | (rn_ & 31) << 5 | rt & 31 | 1 << 24
    }

    fn lsr9s(&mut self, o: u32, v: i32, rn_: u32, rt: u32) -> u32 {
        if !(-256..=255).contains(&v) {
            self.fail(format!("offset out of range: {v}"));
        }
        o | (v as u32 & 0x1ff) << 12 | (rn_ & 31) << 5 | rt & 31
    }

    /// Branch displacement to the target (or pool entry), checked for range.
    pub(super) fn brdist(&mut self, preshift: u32, flen: u32, shift: u32) -> i64 {
        let Some(q) = self.target.or(self.pool.map(|p| p.pc)) else {
            return 0;
        };
        let mut v = (q >> preshift) - (self.pc >> preshift);
        if v & ((1 << shift) - 1) != 0 {
            self.fail("misaligned label");
        }
        v >>= shift;
        let t = 1i64 << (flen - 1);
        if v < -t || v >= t {
            self.fail(format!("branch too far {v:#x} vs {t:#x}"));
        }
        v & ((t << 1) - 1)
    }

    fn bfm(&mut self, op: i64, r: i64, s: i64, rf: u32, rt: u32) -> u32 {
        let mut o = self.irr(op);
        let b = if o & S64 == 0 { 32 } else { 64 };
        if r < 0 || r >= b || s < 0 || s >= b {
            self.fail("illegal bit number");
        }
        o |= (r as u32 & 0x3f) << 16 | (s as u32 & 0x3f) << 10;
        o | (rf & 31) << 5 | rt & 31
    }

    fn extr(&mut self, op: i64, v: i64, rn_: u32, rm: u32, rt: u32) -> u32 {
        let o = self.irr(op);
        let b = if o & S64 != 0 { 63 } else { 31 };
        if v < 0 || v > b {
            self.fail("illegal bit number");
        }
        o | (v as u32) << 10 | (rn_ & 31) << 5 | (rm & 31) << 16 | rt & 31
    }

    /// Loads a pool literal (or a small constant) into `rd`.
    pub(super) fn movlit(&mut self, op: i64, a: &Addr, rd: u32) -> u32 {
        match self.pool {
            None => {
                let v = self.cx.aclass(a).1 as i32;
                let mut o = self.irr(k::AADD);
                let mut v = v;
                if v != 0 && v & 0xfff == 0 {
                    v >>= 12;
                    o |= 1 << 22;
                }
                o | (v as u32 & 0xfff) << 10 | ZR << 5 | rd & 31
            }
            Some(pool) => {
                let (fp, w) = match op {
                    k::AFMOVS | k::AVMOVS => (1, 0),
                    k::AFMOVD | k::AVMOVD => (1, 1),
                    k::AVMOVQ => (1, 2),
                    k::AMOVD => {
                        if pool.dword {
                            (0, 1)
                        } else if pool.value < 0 {
                            (0, 2)
                        } else {
                            (0, 0)
                        }
                    }
                    k::AMOVBU | k::AMOVHU | k::AMOVWU => (0, 0),
                    k::AMOVB | k::AMOVH | k::AMOVW => (0, 2),
                    _ => {
                        self.fail("invalid literal load");
                        (0, 0)
                    }
                };
                let saved = self.target.take();
                let v = self.brdist(0, 19, 2) as u32;
                self.target = saved;
                (w << 30) | (fp << 26) | (3 << 27) | (v & 0x7ffff) << 5 | rd & 31
            }
        }
    }

    /// MOVZ/MOVN/ORR of a one-instruction constant.
    fn movconst_one(&mut self, op: i64, a: &Addr, cls: u8, rt: u32, rt_is_zr: bool) -> u32 {
        if matches!(cls, c::C_BITCON | c::C_ABCON | c::C_ABCON0) && !rt_is_zr {
            let (as1, mode) = match op {
                k::AMOVW => (k::AORRW, 32),
                k::AMOVD => (k::AORR, 64),
                _ => {
                    // Go's omovconst has no ORR for other moves (MOVWU...): opirr(XXX).
                    self.fail("bad irr XXX");
                    return 0;
                }
            };
            return self.irr(as1) | bitcon_fields(a.offset as u64, mode) | ZR << 5 | rt & 31;
        }
        if op != k::AMOVW && op != k::AMOVD {
            // Go's omovconst encodes only MOVW and MOVD: other moves get a zero word.
            return 0;
        }
        if op == k::AMOVW {
            let mut d = a.offset as u32;
            let mut s = movcon(d as i64);
            let o;
            if s.is_none_or(|s| s >= 32) {
                d = !d;
                s = movcon(d as i64);
                if s.is_none_or(|s| s >= 32) {
                    self.fail(format!("impossible 32-bit move wide: {:#x}", a.offset as u32));
                }
                o = self.irr(k::AMOVNW);
            } else {
                o = self.irr(k::AMOVZW);
            }
            return o | movconst(d as i64, s.unwrap_or(0) >> 4, rt);
        }
        let mut d = a.offset;
        let mut s = movcon(d);
        let o;
        if s.is_none() {
            d = !d;
            s = movcon(d);
            if s.is_none() {
                self.fail(format!("impossible 64-bit move wide: {:#x}", a.offset as u64));
            }
            o = self.irr(k::AMOVN);
        } else {
            o = self.irr(k::AMOVZ);
        }
        o | movconst(d, s.unwrap_or(0) >> 4, rt)
    }

    /// The MOVZ/MOVN/MOVK/ORR sequence Go builds for a long constant.
    fn movconst_long(&mut self, op: i64, v: i64, rt: u32) -> Words {
        if op == k::AMOVW {
            let d = v as u32 as i64;
            return words![self.irr(k::AMOVZW) | movconst(d, 0, rt), self.irr(k::AMOVKW) | movconst(d, 1, rt)];
        }
        let d = v;
        let dn = !d;
        let h: Vec<u64> = (0..4).map(|i| ((d >> (i * 16)) & 0xffff) as u64).collect();
        let zeros = h.iter().filter(|&&x| x == 0).count();
        let ones = h.iter().filter(|&&x| x == 0xffff).count();
        if zeros == 4 || ones == 4 {
            self.fail("the immediate should be MOVCON");
        }
        // First halfword not equal to `skip` starts with MOVZ/MOVN, the others
        // not equal to `skip` are MOVKs.
        let seq = |e: &mut Self, skip: u64, first: i64, fd: i64| -> Words {
            let mut out = Words::default();
            let mut started = false;
            for i in 0..4u32 {
                if h[i as usize] == skip {
                    continue;
                }
                if !started {
                    out.push(e.irr(first) | movconst(fd, i, rt));
                    started = true;
                } else {
                    out.push(e.irr(k::AMOVK) | movconst(d, i, rt));
                }
            }
            out
        };
        if zeros == 3 || zeros == 2 {
            return seq(self, 0, k::AMOVZ, d);
        }
        if ones == 3 || ones == 2 {
            return seq(self, 0xffff, k::AMOVN, dn);
        }
        if let Some((i, x)) = super::class::bitmask_plus_movk(d as u64) {
            return words![
                self.irr(k::AORR) | bitcon_fields(x, 64) | ZR << 5 | rt & 31,
                self.irr(k::AMOVK) | movconst(d, i, rt),
            ];
        }
        if zeros == 1 {
            return seq(self, 0, k::AMOVZ, d);
        }
        if ones == 1 {
            return seq(self, 0xffff, k::AMOVN, dn);
        }
        let mut out = words![self.irr(k::AMOVZ) | movconst(d, 0, rt)];
        for i in 1..4 {
            out.push(self.irr(k::AMOVK) | movconst(d, i, rt));
        }
        out
    }

    pub(super) fn reloc(&mut self, off: u32, size: u8, kind: &'static str, a: &Addr, with_add: bool) {
        if let Some(sym) = a.sym {
            let kind = match kind {
                "R_ADDR" => RelocKind::Addr,
                _ => RelocKind::Arch(kind),
            };
            self.relocs.push(EncReloc { off, size, kind, sym, add: if with_add { a.offset } else { 0 } });
        } else {
            self.fail("relocation without a symbol");
        }
    }

    pub(super) fn ldpstp(&mut self, vo: i32, rbase: u32, rl: i64, rh: i64, ldp: u32) -> u32 {
        let p = self.p;
        let op = self.op();
        let wback = matches!(self.row.scond as i64, k::C_XPOST | k::C_XPRE);
        let unpredictable = |wb: bool, isload: bool, rn_: i64, r1: i64, r2: i64| {
            (wb && rn_ != k::REGSP && (rn_ == r1 || rn_ == r2)) || (isload && r1 == r2)
        };
        let bad = match op {
            k::ALDP | k::ALDPW | k::ALDPSW => {
                unpredictable(wback, true, reg_i(p.from.reg), reg_i(p.to.reg), p.to.offset)
            }
            k::ASTP | k::ASTPW => wback && unpredictable(true, false, reg_i(p.to.reg), reg_i(p.from.reg), p.from.offset),
            k::AFLDPD | k::AFLDPQ | k::AFLDPS => {
                unpredictable(false, true, reg_i(p.from.reg), reg_i(p.to.reg), p.to.offset)
            }
            _ => false,
        };
        if bad {
            self.fail("constrained unpredictable behavior");
        }
        let (lo, hi, scale, mut ret) = match op {
            k::AFLDPQ | k::AFSTPQ => (-1024, 1008, 16, 2 << 30 | 1 << 26),
            k::AFLDPD | k::AFSTPD => (-512, 504, 8, 1 << 30 | 1 << 26),
            k::AFLDPS | k::AFSTPS => (-256, 252, 4, 1 << 26),
            k::ALDP | k::ASTP => (-512, 504, 8, 2 << 30),
            k::ALDPW | k::ASTPW => (-256, 252, 4, 0),
            k::ALDPSW => (-256, 252, 4, 1 << 30),
            _ => {
                self.fail("invalid instruction");
                (0, 0, 1, 0)
            }
        };
        if vo < lo || vo > hi || vo % scale != 0 {
            self.fail("invalid offset");
        }
        let vo = vo / scale;
        let fp = matches!(op, k::AFLDPQ | k::AFLDPD | k::AFLDPS | k::AFSTPQ | k::AFSTPD | k::AFSTPS);
        let (a, b) = if fp { (k::REG_F0, k::REG_F31) } else { (k::REG_R0, k::REGZERO) };
        if !(a..=b).contains(&rl) || !(a..=b).contains(&rh) {
            self.fail("invalid register pair");
        }
        ret |= match self.row.scond as i64 {
            k::C_XPOST => 1 << 23,
            k::C_XPRE => 3 << 23,
            _ => 2 << 23,
        };
        ret | 5 << 27 | (ldp & 1) << 22 | (vo as u32 & 0x7f) << 15 | (rh as u32 & 31) << 10 | (rbase & 31) << 5 | rl as u32 & 31
    }

    /// Encodes the shifted/extended register `r` (an index or an operand).
    pub(super) fn reg_ext(&mut self, mem: bool, r: i64) -> u32 {
        let num = ((r >> 5) & 7) as u32;
        let rm = (r & 31) as u32;
        let roff = |o: u32, amount: u32| rm << 16 | o << 13 | amount << 10;
        let memamt = |num: u32| if num == 0 { 2 } else { 6 };
        if (k::REG_UXTB..k::REG_UXTH).contains(&r) {
            roff(0, num)
        } else if (k::REG_UXTH..k::REG_UXTW).contains(&r) {
            roff(1, num)
        } else if (k::REG_UXTW..k::REG_UXTX).contains(&r) {
            if mem { roff(2, memamt(num)) } else { roff(2, num) }
        } else if (k::REG_UXTX..k::REG_SXTB).contains(&r) {
            roff(3, num)
        } else if (k::REG_SXTB..k::REG_SXTH).contains(&r) {
            roff(4, num)
        } else if (k::REG_SXTH..k::REG_SXTW).contains(&r) {
            roff(5, num)
        } else if (k::REG_SXTW..k::REG_SXTX).contains(&r) {
            if mem { roff(6, memamt(num)) } else { roff(6, num) }
        } else if (k::REG_SXTX..k::REG_SPECIAL).contains(&r) {
            if mem { roff(7, memamt(num)) } else { roff(7, num) }
        } else if (k::REG_LSL..k::REG_ARNG).contains(&r) {
            if mem {
                roff(3, memamt(num))
            } else if is_addw(self.op()) {
                roff(2, num)
            } else {
                roff(3, num)
            }
        } else {
            self.fail("unsupported register extension type.");
            0
        }
    }

    /// Runs the row's recipe.
    pub fn encode(&mut self) -> Words {
        let p = self.p;
        let row = *self.row;
        let op = self.op();
        let to_none = p.to.ty == AddrType::None;
        let rt_or_zr = |a: &Addr| if a.ty == AddrType::None { ZR } else { rn(a.reg) };
        let reg_or = |r: arch_tables::Reg, d: u32| if r.0 == 0 { d } else { rn(r) };
        let o1: u32 = match row.recipe {
            0 => return words![],
            1 => {
                let rt = rt_or_zr(&p.to);
                let r = reg_or(p.reg, rt);
                self.rrr(op, rt, r, rn(p.from.reg))
            }
            2 => {
                if reg_i(p.to.reg) == k::REG_RSP && is_adds(op) {
                    self.fail("illegal destination register");
                }
                let o = self.irr(op);
                let rt = if to_none {
                    if o & SBIT == 0 {
                        self.fail("ineffective ZR destination");
                    }
                    ZR
                } else {
                    rn(p.to.reg)
                };
                let r = reg_or(p.reg, rt);
                let v = self.regoff(&p.from);
                self.oaddi(op, v, rt, r)
            }
            3 => {
                let rt = rt_or_zr(&p.to);
                let r = if matches!(op, k::AMVN | k::AMVNW) || is_neg(op) { ZR } else { reg_or(p.reg, rt) };
                let mut o = self.rrr(op, rt, r, 0);
                let amount = (p.from.offset >> 10) & 63;
                if o & S64 == 0 && amount >= 32 {
                    self.fail("shift amount out of range 0 to 31");
                }
                let shift = (p.from.offset >> 22) & 3;
                if shift > 2 && (is_add(op) || is_addw(op) || is_neg(op)) {
                    self.fail("unsupported shift operator");
                }
                o |= p.from.offset as u32;
                o
            }
            4 => {
                let rt = rn(p.to.reg);
                let r = match row.param {
                    0 => ZR,
                    1 => reg_or(p.from.reg, 31),
                    x => x as u32 & 31,
                };
                let r = if row.param == 1 && p.from.reg.0 == 0 { 31 } else { r };
                let mut v = self.regoff(&p.from);
                let mut a = k::AADD;
                if v < 0 {
                    a = k::ASUB;
                    v = -v;
                }
                if self.size == 8 {
                    let o1 = self.oaddi(a, v & 0xfff000, rt, r);
                    let o2 = self.oaddi(a, v & 0xfff, rt, rt);
                    return words![o1, o2];
                }
                self.oaddi(a, v, rt, r)
            }
            5 => {
                let o = self.base(t::W_BRA, op, "bra");
                if p.to.sym.is_none() {
                    o | self.brdist(0, 26, 2) as u32
                } else {
                    self.reloc(0, 4, "R_CALLARM64", &p.to, true);
                    o
                }
            }
            6 => self.base(t::W_BRR, op, "brr") | rn(p.to.reg) << 5,
            7 => self.base(t::W_BRA, op, "bra") | (self.brdist(0, 19, 2) as u32) << 5,
            8 => {
                let rt = rn(p.to.reg);
                let rf = reg_or(p.reg, rt);
                let v = p.from.offset;
                match op {
                    k::AASR => self.bfm(k::ASBFM, v, 63, rf, rt),
                    k::AASRW => self.bfm(k::ASBFMW, v, 31, rf, rt),
                    k::ALSL => self.bfm(k::AUBFM, (64 - v) & 63, 63 - v, rf, rt),
                    k::ALSLW => self.bfm(k::AUBFMW, (32 - v) & 31, 31 - v, rf, rt),
                    k::ALSR => self.bfm(k::AUBFM, v, 63, rf, rt),
                    k::ALSRW => self.bfm(k::AUBFMW, v, 31, rf, rt),
                    k::AROR => self.extr(k::AEXTR, v, rf, rf, rt),
                    k::ARORW => self.extr(k::AEXTRW, v, rf, rf, rt),
                    _ => {
                        self.fail("bad shift $con");
                        0
                    }
                }
            }
            9 => {
                let rt = rn(p.to.reg);
                let r = reg_or(p.reg, rt);
                self.rrr(op, rt, r, rn(p.from.reg))
            }
            10 => {
                let mut o = self.base(t::W_IMM, op, "imm");
                if p.from.ty != AddrType::None {
                    o |= ((p.from.offset & 0xffff) as u32) << 5;
                }
                o
            }
            11 => {
                let v = self.cx.aclass(&p.to).1;
                if p.to.sym.is_some() {
                    self.reloc(0, 8, "R_ADDR", &p.to, true);
                    return words![0, 0];
                }
                return words![v as u32, (v >> 32) as u32];
            }
            12 => {
                if op != k::AMOVW && op != k::AMOVD {
                    // Go's omovlconst loads only MOVW and MOVD constants (MOVWU...: none).
                    self.fail("invalid constant");
                    return Words::default();
                }
                let v = p.from.offset;
                return self.movconst_long(op, v, rn(p.to.reg));
            }
            13 | 28 => {
                if reg_i(p.reg) == k::REGTMP {
                    self.fail("cannot use REGTMP as source");
                }
                if row.recipe == 13 && reg_i(p.to.reg) == k::REG_RSP && is_adds(op) {
                    self.fail("illegal destination register");
                }
                let narrow = if row.recipe == 13 { is_addw(op) } else { is_andw(op) };
                if narrow && !super::optab::fits(c::C_LCON, self.from_cls) {
                    self.fail("illegal combination");
                }
                let mut seq = self.movconst_long(if narrow { k::AMOVW } else { k::AMOVD }, p.from.offset, REGTMP);
                let rt = rt_or_zr(&p.to);
                let r = reg_or(p.reg, rt);
                let o = if row.recipe == 13 && !to_none && (rt == 31 && reg_i(p.to.reg) == k::REGSP || r == 31 && reg_i(p.reg) == k::REGSP || (p.reg.0 == 0 && reg_i(p.to.reg) == k::REGSP)) {
                    self.xrrr(op, rt, r, REGTMP, false) | LSL0_64
                } else {
                    self.rrr(op, rt, r, REGTMP)
                };
                seq.push(o);
                return seq;
            }
            14 => {
                let (cls, v) = self.cx.aclass(&p.to);
                if cls == c::C_ADDR {
                    self.fail("address constant needs DWORD");
                }
                if p.to.sym.is_some() {
                    self.reloc(0, 4, "R_ADDR", &p.to, true);
                    0
                } else {
                    v as u32
                }
            }
            15 => {
                let rt = rn(p.to.reg);
                let mut r = reg_or(p.reg, rt);
                let mut ra = ZR;
                if let Some((a3, _)) = p.rest.first().filter(|a| a.0.ty == AddrType::Reg) {
                    r = rn(a3.reg);
                    ra = reg_or(p.reg, ZR);
                }
                self.rrr(op, rt, r, rn(p.from.reg)) | (ra & 31) << 10
            }
            16 => {
                let rt = rn(p.to.reg);
                let r = reg_or(p.reg, rt);
                let rf = rn(p.from.reg);
                let o1 = self.rrr(op, REGTMP, r, rf);
                let o2 = self.rrr(k::AMSUBW, rt, REGTMP, rf) | (r & 31) << 10 | o1 & S64;
                return words![o1, o2];
            }
            17 => {
                let rt = rt_or_zr(&p.to);
                let r = reg_or(p.reg, ZR);
                self.rrr(op, rt, r, rn(p.from.reg))
            }
            18 => {
                let mut cond = p.from.offset;
                let no3 = p.rest.is_empty();
                if !(k::SPOP_EQ..=k::SPOP_NV).contains(&cond) || (cond == k::SPOP_AL || cond == k::SPOP_NV) && no3 {
                    self.fail("invalid condition");
                } else {
                    cond -= k::SPOP_EQ;
                }
                let rt = rn(p.to.reg);
                let (mut r, mut rf) = (rn(p.reg), rn(p.reg));
                if no3 {
                    if p.reg.0 == 0 {
                        r = ZR;
                        rf = ZR;
                    }
                    cond ^= 1;
                } else {
                    rf = rn(p.rest[0].0.reg);
                }
                self.rrr(op, rt, r, rf) | ((cond & 15) as u32) << 12
            }
            19 => {
                let nzcv = p.to.offset as u32;
                let mut cond = p.from.offset;
                if !(k::SPOP_EQ..=k::SPOP_NV).contains(&cond) {
                    self.fail("invalid condition");
                } else {
                    cond -= k::SPOP_EQ;
                }
                let a3 = p.rest.first().map(|a| a.0.clone()).unwrap_or_default();
                if a3.ty == AddrType::Reg {
                    self.rrr(op, 0, rn(p.reg), rn(a3.reg)) | ((cond & 15) as u32) << 12 | nzcv
                } else {
                    let rf = (a3.offset & 0x1f) as u32;
                    self.irr(op) | rf << 16 | ((cond & 15) as u32) << 12 | rn(p.reg) << 5 | nzcv
                }
            }
            20 | 21 => {
                let store = row.recipe == 20;
                let a = if store { &p.to } else { &p.from };
                let v = self.regoff(a);
                let sz = 1i32 << movesize(op).unwrap_or(0);
                let base = if a.reg.0 == 0 { row.param as u32 & 31 } else { rn(a.reg) };
                let data = if store { rn(p.from.reg) } else { rn(p.to.reg) };
                let o = if store { self.str_(op) } else { self.ldr(op) };
                if v < 0 || v % sz != 0 {
                    self.lsr9s(o, v, base, data)
                } else {
                    let cls = if store { row.a[3] } else { row.a[0] };
                    let v = self.offset_shift(v as i64, cls) as i32;
                    self.lsr12u(o, v, base, data)
                }
            }
            22 | 23 => {
                let load = row.recipe == 22;
                let (mem, data) = if load { (&p.from, &p.to) } else { (&p.to, &p.from) };
                if reg_i(mem.reg) != k::REGSP && mem.reg == data.reg {
                    self.fail("constrained unpredictable behavior");
                }
                let v = mem.offset as i32;
                if !(-256..=255).contains(&v) {
                    self.fail("offset out of range [-256,255]");
                }
                let mut o = if load { self.ldr(op) } else { self.str_(op) };
                o |= if row.scond as i64 == k::C_XPOST { 1 << 10 } else { 3 << 10 };
                o | (v as u32 & 0x1ff) << 12 | rn(mem.reg) << 5 | rn(data.reg)
            }
            24 => {
                let rt = rn(p.to.reg);
                let rf = rn(p.from.reg);
                if reg_i(p.to.reg) == k::REGSP || reg_i(p.from.reg) == k::REGSP {
                    if matches!(op, k::AMVN | k::AMVNW) {
                        self.fail("illegal SP reference");
                    }
                    self.irr(op) | rf << 5 | rt
                } else {
                    self.rrr(op, rt, ZR, rf)
                }
            }
            25 => {
                let rt = rn(p.to.reg);
                let rf = reg_or(p.from.reg, rt);
                self.rrr(op, rt, ZR, rf)
            }
            26 => {
                let (rt, rf) = (reg_i(p.to.reg), reg_i(p.from.reg));
                let af = (rf >> 5) & 15;
                let at = (rt >> 5) & 15;
                let (cf, _) = self.cx.aclass(&p.from);
                let sz = match op {
                    k::AAESD | k::AAESE | k::AAESIMC | k::AAESMC => k::ARNG_16B,
                    k::ASHA1SU1 | k::ASHA256SU0 => k::ARNG_4S,
                    k::ASHA512SU0 => k::ARNG_2D,
                    _ => 0,
                };
                if cf == c::C_ARNG {
                    if op == k::ASHA1H {
                        self.fail("invalid operands");
                    } else if af != sz || af != at {
                        self.fail("invalid arrangement");
                    }
                }
                self.rrr(op, rn(p.to.reg), rn(p.from.reg), 0)
            }
            27 => {
                if reg_i(p.to.reg) == k::REG_RSP && is_adds(op) {
                    self.fail("illegal destination register");
                }
                let rt = rt_or_zr(&p.to);
                let r = reg_or(p.reg, rt);
                let fr = reg_i(p.from.reg);
                if (fr - 8192) & (k::REG_EXT - 8192) != 0 || (k::REG_LSL..k::REG_ARNG).contains(&fr) {
                    if (fr >> 5) & 7 > 4 {
                        self.fail("shift amount out of range 0 to 4");
                    }
                    let o = self.xrrr(op, rt, r, 0, true);
                    o | self.reg_ext(false, fr)
                } else {
                    self.xrrr(op, rt, r, rn(p.from.reg), false)
                }
            }
            29 => {
                let (fc, _) = self.cx.aclass(&p.from);
                let (tc, _) = self.cx.aclass(&p.to);
                let isr = |c_: u8| c_ == c::C_REG || c_ == c::C_ZREG;
                if matches!(op, k::AFMOVD | k::AFMOVS) && (isr(fc) || isr(tc)) {
                    let mut o = 0x1e << 24 | 1 << 21 | 6 << 16;
                    if op == k::AFMOVD {
                        o |= 1 << 31 | 1 << 22;
                    }
                    if isr(fc) {
                        o |= 1 << 16;
                    }
                    o | rn(p.from.reg) << 5 | rn(p.to.reg)
                } else {
                    self.rrr(op, rn(p.to.reg), rn(p.from.reg), 0)
                }
            }
            30 | 31 => return self.long_offset_ldst(row.recipe == 30),
            32 => self.movconst_one(op, &p.from, self.from_cls, rn(p.to.reg), reg_i(p.to.reg) == k::REGZERO),
            33 => {
                let o = self.irr(op);
                let d = p.from.offset;
                if d == 0 {
                    self.fail("zero shifts cannot be handled correctly");
                }
                let s = movcon(d);
                match s {
                    None => self.fail(format!("bad constant for MOVK: {:#x}", d as u64)),
                    Some(s) => {
                        if o & S64 == 0 && s >= 32 {
                            self.fail("illegal bit position");
                        }
                    }
                }
                let s = s.unwrap_or(0);
                o | ((((d >> s) & 0xffff) as u32) << 5) | ((s >> 4) & 3) << 21 | rn(p.to.reg)
            }
            34 => {
                let rt = rn(p.to.reg);
                let r = if p.from.reg.0 == 0 { row.param as u32 & 31 } else { rn(p.from.reg) };
                let o1 = self.movlit(k::AMOVD, &p.from, REGTMP);
                let o2 = self.xrrr(k::AADD, rt, r, REGTMP, false) | LSL0_64;
                return words![o1, o2];
            }
            35 | 36 => {
                let read = row.recipe == 35;
                let (sr, gr) = if read { (&p.from, &p.to) } else { (&p.to, &p.from) };
                let o = self.rrr(if read { k::AMRS } else { k::AMSR }, rn(gr.reg), 0, 0);
                let (v, access) = sysreg(sr.reg.0);
                if v == 0 {
                    self.fail("illegal system register");
                }
                if o & (v & !(3 << 19)) != 0 {
                    self.fail(if read { "MRS register value overlap" } else { "MSR register value overlap" });
                }
                if read && access & 1 == 0 {
                    self.fail("system register is not readable");
                }
                if !read && access & 2 == 0 {
                    self.fail("system register is not writable");
                }
                o | v
            }
            37 => {
                if (p.from.offset as u64) & !0xf != 0 {
                    self.fail("illegal immediate for PSTATE field");
                }
                let o = self.irr(k::AMSR) | ((p.from.offset & 0xf) as u32) << 8;
                let r = reg_i(p.to.reg);
                let v = if p.to.ty == AddrType::Reg && r == k::REG_SPSel {
                    4 << 12 | 5 << 5
                } else if p.to.ty == AddrType::Reg && r == k::REG_DIT {
                    3 << 16 | 2 << 5
                } else if p.to.ty == AddrType::Special {
                    word(t::PSTATE, p.to.offset as u16).unwrap_or(0)
                } else {
                    0
                };
                if v == 0 {
                    self.fail("illegal PSTATE field for immediate move");
                }
                o | v
            }
            38 => {
                let o = self.base(t::W_IMM, op, "imm");
                if to_none { o | 0xf << 8 } else { o | ((p.to.offset & 0xf) as u32) << 8 }
            }
            39 => self.irr(op) | rn(p.from.reg) | (self.brdist(0, 19, 2) as u32) << 5,
            40 => {
                let v = p.from.offset;
                if !(0..=63).contains(&v) {
                    self.fail("illegal bit number");
                }
                let v = v as u32;
                self.irr(op) | (v & 0x20) << 26 | (v & 0x1f) << 19 | (self.brdist(0, 14, 2) as u32) << 5 | rn(p.reg)
            }
            41 => self.base(t::W_OP0, op, "op0"),
            42 => {
                let s = p.rest.first().map_or(0, |a| a.0.offset);
                self.bfm(op, p.from.offset, s, rn(p.reg), rn(p.to.reg))
            }
            43 => {
                let rt = rn(p.to.reg);
                let rf = reg_or(p.reg, rt);
                let (r, s) = (p.from.offset, p.rest.first().map_or(0, |a| a.0.offset));
                // Go's int64 arithmetic: any constant is accepted here, bfm checks the range.
                let ins = |w: i64| if r != 0 { w.wrapping_sub(r) } else { 0 };
                match op {
                    k::ABFI => self.bfm(k::ABFM, ins(64), s.wrapping_sub(1), rf, rt),
                    k::ABFIW => self.bfm(k::ABFMW, ins(32), s.wrapping_sub(1), rf, rt),
                    k::ABFXIL => self.bfm(k::ABFM, r, r.wrapping_add(s).wrapping_sub(1), rf, rt),
                    k::ABFXILW => self.bfm(k::ABFMW, r, r.wrapping_add(s).wrapping_sub(1), rf, rt),
                    k::ASBFIZ => self.bfm(k::ASBFM, ins(64), s.wrapping_sub(1), rf, rt),
                    k::ASBFIZW => self.bfm(k::ASBFMW, ins(32), s.wrapping_sub(1), rf, rt),
                    k::ASBFX => self.bfm(k::ASBFM, r, r.wrapping_add(s).wrapping_sub(1), rf, rt),
                    k::ASBFXW => self.bfm(k::ASBFMW, r, r.wrapping_add(s).wrapping_sub(1), rf, rt),
                    k::AUBFIZ => self.bfm(k::AUBFM, ins(64), s.wrapping_sub(1), rf, rt),
                    k::AUBFIZW => self.bfm(k::AUBFMW, ins(32), s.wrapping_sub(1), rf, rt),
                    k::AUBFX => self.bfm(k::AUBFM, r, r.wrapping_add(s).wrapping_sub(1), rf, rt),
                    k::AUBFXW => self.bfm(k::AUBFMW, r, r.wrapping_add(s).wrapping_sub(1), rf, rt),
                    _ => {
                        self.fail("bad bfm alias");
                        0
                    }
                }
            }
            44 => {
                let rn3 = p.rest.first().map_or(0, |a| rn(a.0.reg));
                self.extr(op, p.from.offset, rn3, rn(p.reg), rn(p.to.reg))
            }
            45 => {
                let (rt, rf) = (rn(p.to.reg), rn(p.from.reg));
                let a = if reg_i(p.from.reg) == k::REGZERO { k::AMOVWU } else { op };
                match a {
                    k::AMOVB | k::ASXTB => self.bfm(k::ASBFM, 0, 7, rf, rt),
                    k::AMOVH | k::ASXTH => self.bfm(k::ASBFM, 0, 15, rf, rt),
                    k::AMOVW | k::ASXTW => self.bfm(k::ASBFM, 0, 31, rf, rt),
                    k::AMOVBU | k::AUXTB => self.bfm(k::AUBFM, 0, 7, rf, rt),
                    k::AMOVHU | k::AUXTH => self.bfm(k::AUBFM, 0, 15, rf, rt),
                    k::AMOVWU => self.rrr(a, rt, ZR, rf),
                    k::AUXTW => self.bfm(k::AUBFM, 0, 31, rf, rt),
                    k::ASXTBW => self.bfm(k::ASBFMW, 0, 7, rf, rt),
                    k::ASXTHW => self.bfm(k::ASBFMW, 0, 15, rf, rt),
                    k::AUXTBW => self.bfm(k::AUBFMW, 0, 7, rf, rt),
                    k::AUXTHW => self.bfm(k::AUBFMW, 0, 15, rf, rt),
                    _ => {
                        self.fail("bad sxt");
                        0
                    }
                }
            }
            46 => self.base(t::W_BIT, op, "bit") | rn(p.from.reg) << 5 | rn(p.to.reg),
            47 => {
                if reg_i(p.reg_to2) == k::REG_RSP {
                    self.fail("illegal destination register");
                }
                let w = word(t::ATOMIC_LDADD, op as u16).or(word(t::ATOMIC_SWP, op as u16)).unwrap_or(0);
                w | rn(p.from.reg) << 16 | rn(p.to.reg) << 5 | rn(p.reg_to2)
            }
            48 => {
                let o = self.irr(op);
                if o & SBIT != 0 {
                    self.fail("can not break addition/subtraction when S bit is set");
                }
                let rt = rn(p.to.reg);
                let r = reg_or(p.reg, rt);
                let v = self.regoff(&p.from);
                let o1 = self.oaddi(op, v & 0xfff, rt, r);
                let o2 = self.oaddi(op, v & 0xfff000, rt, rt);
                return words![o1, o2];
            }
            49 => {
                let (cf, _) = self.cx.aclass(&p.from);
                let af = (reg_i(p.from.reg) >> 5) & 15;
                let sz = if matches!(op, k::ASHA512H | k::ASHA512H2) { k::ARNG_2D } else { k::ARNG_4S };
                if cf == c::C_ARNG && af != sz {
                    self.fail("invalid arrangement");
                }
                self.rrr(op, rn(p.to.reg), rn(p.reg), rn(p.from.reg))
            }
            50 => {
                let o = self.irr(op);
                let lim = 0x7 << 16 | 0xf << 12 | 0xf << 8 | 0x7 << 5;
                if p.from.offset & !lim != 0 {
                    self.fail("illegal SYS argument");
                }
                o | p.from.offset as u32 | if p.to.ty == AddrType::Reg { rn(p.to.reg) } else { 0x1f }
            }
            51 => {
                let o = self.irr(op);
                if p.from.ty == AddrType::Const { o | ((p.from.offset & 0xf) as u32) << 8 } else { o }
            }
            52 => self.irr(op) | ((p.from.offset & 0x7f) as u32) << 5,
            53 => {
                let rt = rt_or_zr(&p.to);
                let r = reg_or(p.reg, rt);
                if reg_i(p.reg) == k::REG_RSP || (p.reg.0 == 0 && reg_i(p.to.reg) == k::REG_RSP) {
                    self.fail("illegal source register");
                    return words![];
                }
                let mut v = p.from.offset as u64;
                let mut mode = 64;
                match op {
                    k::AANDW | k::AORRW | k::AEORW | k::AANDSW | k::ATSTW => mode = 32,
                    k::ABIC | k::AORN | k::AEON | k::ABICS => v = !v,
                    k::ABICW | k::AORNW | k::AEONW | k::ABICSW => {
                        v = !v;
                        mode = 32
                    }
                    _ => {}
                }
                self.irr(op) | bitcon_fields(v, mode) | r << 5 | rt
            }
            54 => {
                let rt = rn(p.to.reg);
                let o = self.rrr(op, 0, 0, 0);
                let (r, rf) = if o & (0x1f << 24) == 0x1e << 24 && o & (1 << 11) == 0 {
                    (rn(p.from.reg), 0)
                } else {
                    (reg_or(p.reg, rt), rn(p.from.reg))
                };
                self.rrr(op, rt, r, rf)
            }
            55 => {
                let v = match &p.from.val {
                    crate::addr::AddrVal::Float(f) => *f,
                    _ => 0.0,
                };
                let rf = match fp_imm8(v) {
                    Some(x) => x,
                    None => {
                        self.fail("invalid floating-point immediate");
                        0
                    }
                };
                let mut o = 0xf << 25 | 1 << 21 | 1 << 12;
                if op == k::AFMOVD {
                    o |= 1 << 22;
                }
                o | (rf & 0xff) << 13 | rn(p.to.reg)
            }
            56 => {
                let (mut o, rf) = if p.from.ty == AddrType::FConst { (8, 0) } else { (0, rn(p.from.reg)) };
                o |= self.rrr(op, 0, rn(p.reg), rf);
                o
            }
            57 => {
                let mut cond = p.from.offset;
                if !(k::SPOP_EQ..=k::SPOP_NV).contains(&cond) {
                    self.fail("invalid condition");
                } else {
                    cond -= k::SPOP_EQ;
                }
                let nzcv = p.to.offset;
                if nzcv & !0xf != 0 {
                    self.fail("implausible condition");
                }
                let Some(a3) = p.rest.first().map(|a| &a.0).filter(|a| (k::REG_F0..=k::REG_F31).contains(&reg_i(a.reg))) else {
                    self.fail("illegal FCCMP");
                    return words![];
                };
                self.rrr(op, 0, rn(a3.reg), rn(p.reg)) | ((cond & 15) as u32) << 12 | nzcv as u32
            }
            58 => {
                let mut o = self.base(t::W_LOAD, op, "load") | 0x1f << 16 | rn(p.from.reg) << 5;
                if matches!(op, k::ALDXP | k::ALDXPW | k::ALDAXP | k::ALDAXPW) {
                    if reg_i(p.to.reg) == p.to.offset {
                        self.fail("constrained unpredictable behavior");
                    }
                    o |= ((p.to.offset & 31) as u32) << 10;
                } else {
                    o |= 0x1f << 10;
                }
                o | rn(p.to.reg)
            }
            59 => {
                let (s, n, tr) = (reg_i(p.reg_to2), reg_i(p.to.reg), reg_i(p.from.reg));
                if is_stlxr(op) {
                    if s == tr || (s == n && n != k::REGSP) {
                        self.fail("constrained unpredictable behavior");
                    }
                } else if is_stxp(op) {
                    let t2 = p.from.offset;
                    if s == tr || s == t2 || (s == n && n != k::REGSP) {
                        self.fail("constrained unpredictable behavior");
                    }
                }
                if s == k::REG_RSP {
                    self.fail("illegal destination register");
                }
                let mut o = self.base(t::W_STORE, op, "store");
                o |= if p.reg_to2.0 != 0 { rn(p.reg_to2) << 16 } else { 0x1f << 16 };
                if is_stxp(op) {
                    o |= ((p.from.offset & 31) as u32) << 10;
                }
                o | rn(p.to.reg) << 5 | rn(p.from.reg)
            }
            60 => {
                let d = self.brdist(12, 21, 0);
                adr(1, d as u32, rn(p.to.reg))
            }
            61 => {
                let d = self.brdist(0, 21, 0);
                adr(0, d as u32, rn(p.to.reg))
            }
            62 => {
                if reg_i(p.reg) == k::REGTMP {
                    self.fail("cannot use REGTMP as source");
                }
                if reg_i(p.to.reg) == k::REG_RSP && is_adds(op) {
                    self.fail("illegal destination register");
                }
                let narrow = is_addw(op) || is_andw(op);
                let o1 = self.movconst_one(if narrow { k::AMOVW } else { k::AMOVD }, &p.from, self.from_cls, REGTMP, false);
                let lsl0 = if narrow { LSL0_32 } else { LSL0_64 };
                let rt = rt_or_zr(&p.to);
                let r = reg_or(p.reg, rt);
                let sp = |a: &Addr| a.ty != AddrType::None && reg_i(a.reg) == k::REGSP;
                let r_is_sp = if p.reg.0 == 0 { sp(&p.to) } else { reg_i(p.reg) == k::REGSP };
                let o2 = if sp(&p.to) || r_is_sp {
                    self.xrrr(op, rt, r, REGTMP, false) | lsl0
                } else {
                    self.rrr(op, rt, r, REGTMP)
                };
                return words![o1, o2];
            }
            63 => {
                let (rt, r, rf) = (reg_i(p.to.reg), reg_i(p.reg), reg_i(p.from.reg));
                let (af, at, ar) = ((rf >> 5) & 15, (rt >> 5) & 15, (r >> 5) & 15);
                let sz = if op == k::ASHA512SU1 { k::ARNG_2D } else { k::ARNG_4S };
                if af != at || af != ar || af != sz {
                    self.fail("invalid arrangement");
                }
                self.rrr(op, rn(p.to.reg), rn(p.reg), rn(p.from.reg))
            }
            64 | 65 => {
                let store = row.recipe == 64;
                let (mem, data) = if store { (&p.to, &p.from) } else { (&p.from, &p.to) };
                if store && reg_i(data.reg) == k::REGTMP {
                    self.fail("cannot use REGTMP as source");
                }
                let o1 = adr(1, 0, REGTMP);
                let ldst = if store { self.str_(op) } else { self.ldr(op) };
                let (words, kind) = if self.size != 8 {
                    let o2 = self.irr(k::AADD) | REGTMP << 5 | REGTMP;
                    let o3 = self.lsr12u(ldst, 0, REGTMP, rn(data.reg));
                    (words![o1, o2, o3], "R_ADDRARM64")
                } else {
                    let o2 = self.lsr12u(ldst, 0, REGTMP, rn(data.reg));
                    let kind = match movesize(op) {
                        Some(0) => "R_ARM64_PCREL_LDST8",
                        Some(1) => "R_ARM64_PCREL_LDST16",
                        Some(2) => "R_ARM64_PCREL_LDST32",
                        Some(3) => "R_ARM64_PCREL_LDST64",
                        _ => {
                            self.fail("use R_ADDRARM64 relocation type");
                            "R_ADDRARM64"
                        }
                    };
                    (words![o1, o2], kind)
                };
                let mem = mem.clone();
                self.reloc(0, 8, kind, &mem, true);
                return words;
            }
            66 | 67 => {
                let load = row.recipe == 66;
                let (mem, pair) = if load { (&p.from, &p.to) } else { (&p.to, &p.from) };
                let base = if mem.reg.0 != 0 { rn(mem.reg) } else if row.param != 0 { row.param as u32 & 31 } else {
                    self.fail(if load { "invalid ldp source" } else { "invalid stp destination" });
                    0
                };
                let v = self.regoff(mem);
                let (rl, rh) = (reg_i(pair.reg), pair.offset);
                self.ldpstp(v, base, rl, rh, u32::from(load))
            }
            68 => {
                if op == k::AMOVW {
                    self.fail("invalid load of 32-bit address");
                }
                let rt = rn(p.to.reg);
                let o1 = adr(1, 0, rt);
                let o2 = self.irr(k::AADD) | rt << 5 | rt;
                let from = p.from.clone();
                self.reloc(0, 8, "R_ADDRARM64", &from, true);
                return words![o1, o2];
            }
            69 => {
                let o = self.irr(k::AMOVZ) | rn(p.to.reg);
                let from = p.from.clone();
                self.reloc(0, 4, "R_ARM64_TLS_LE", &from, false);
                if p.from.offset != 0 {
                    self.fail("invalid offset on MOVW $tlsvar");
                }
                o
            }
            70 | 71 => {
                let o1 = adr(1, 0, REGTMP);
                let l = self.ldr(k::AMOVD);
                let o2 = self.lsr12u(l, 0, REGTMP, rn(p.to.reg));
                let from = p.from.clone();
                let kind = if row.recipe == 70 { "R_ARM64_TLS_IE" } else { "R_ARM64_GOTPCREL" };
                self.reloc(0, 8, kind, &from, false);
                if row.recipe == 70 && p.from.offset != 0 {
                    self.fail("invalid offset on MOVW $tlsvar");
                }
                return words![o1, o2];
            }
            74 | 76 => {
                let load = row.recipe == 74;
                let (mem, pair) = if load { (&p.from, &p.to) } else { (&p.to, &p.from) };
                if !load && (reg_i(pair.reg) == k::REGTMP || pair.offset == k::REGTMP) {
                    self.fail("cannot use REGTMP as source");
                }
                let base = if mem.reg.0 != 0 { rn(mem.reg) } else { row.param as u32 & 31 };
                let v = self.regoff(mem);
                let o1 = self.oaddi12(v, REGTMP, base);
                let o2 = self.ldpstp(0, REGTMP, reg_i(pair.reg), pair.offset, u32::from(load));
                return words![o1, o2];
            }
            75 | 77 => {
                let load = row.recipe == 75;
                let (mem, pair) = if load { (&p.from, &p.to) } else { (&p.to, &p.from) };
                if reg_i(mem.reg) == k::REGTMP || (!load && (reg_i(pair.reg) == k::REGTMP || pair.offset == k::REGTMP)) {
                    self.fail(if load { "REGTMP used in large offset load" } else { "REGTMP used in large offset store" });
                }
                let base = if mem.reg.0 != 0 { rn(mem.reg) } else { row.param as u32 & 31 };
                let v = self.regoff(mem);
                let (rl, rh) = (reg_i(pair.reg), pair.offset);
                if let Some((hi, lo)) = split_imm24(v, 0) {
                    let o1 = self.oaddi(k::AADD, lo, REGTMP, base);
                    let o2 = self.oaddi(k::AADD, hi, REGTMP, REGTMP);
                    let o3 = self.ldpstp(0, REGTMP, rl, rh, u32::from(load));
                    return words![o1, o2, o3];
                }
                if self.pool.is_none() {
                    // Go's loadpairusepool/storepairusepool (LDPSW's offsets get no pool entry).
                    self.fail("constant is not in pool");
                }
                let mem = mem.clone();
                let o1 = self.movlit(k::AMOVD, &mem, REGTMP);
                let o2 = self.xrrr(k::AADD, REGTMP, base, REGTMP, false);
                let o3 = self.ldpstp(0, REGTMP, rl, rh, u32::from(load));
                return words![o1, o2, o3];
            }
            r => return super::simd::encode(self, r),
        };
        words![o1]
    }

    /// Scales an unsigned offset for the class' access size.
    fn offset_shift(&mut self, v: i64, cls: u8) -> i64 {
        let s = if (c::C_SEXT1..=c::C_SEXT16).contains(&cls) {
            (cls - c::C_SEXT1) as u32
        } else {
            match cls {
                c::C_UAUTO4K | c::C_UOREG4K | c::C_ZOREG => 0,
                c::C_UAUTO8K | c::C_UOREG8K => 1,
                c::C_UAUTO16K | c::C_UOREG16K => 2,
                c::C_UAUTO32K | c::C_UOREG32K => 3,
                c::C_UAUTO64K | c::C_UOREG64K => 4,
                _ => {
                    self.fail("bad class");
                    0
                }
            }
        };
        if (v >> s) << s != v {
            self.fail(format!("odd offset: {v}"));
        }
        v >> s
    }

    fn long_offset_ldst(&mut self, store: bool) -> Words {
        let p = self.p;
        let op = self.op();
        let s = movesize(self.row.op as i64).unwrap_or(0);
        let (mem, data) = if store { (&p.to, &p.from) } else { (&p.from, &p.to) };
        let base = if mem.reg.0 == 0 { self.row.param as u32 & 31 } else { rn(mem.reg) };
        let d = rn(data.reg);
        let v = self.regoff(mem);
        let kind = if store { "store" } else { "load" };
        if (-256..=256).contains(&v) {
            self.fail(format!("bad type for offset {v} (should be 9 bit signed immediate {kind})"));
        }
        if (0..=4095).contains(&v) && v & ((1 << s) - 1) == 0 {
            self.fail(format!("bad type for offset {v} (should be 12 bit unsigned immediate {kind})"));
        }
        let o = if store { self.str_(op) } else { self.ldr(op) };
        if (-4095..=4095).contains(&v) {
            let o1 = self.oaddi12(v, REGTMP, base);
            let o2 = self.lsr12u(o, 0, REGTMP, d);
            return words![o1, o2];
        }
        if let Some((hi, lo)) = split_imm24(v, s) {
            if self.pool.is_some() {
                self.fail(format!("unused constant in pool ({v})"));
            }
            let o1 = self.oaddi(k::AADD, hi, REGTMP, base);
            let o2 = self.lsr12u(o, lo, REGTMP, d);
            return words![o1, o2];
        }
        if self.pool.is_none() {
            self.fail("constant is not in pool");
        }
        if base == REGTMP || d == REGTMP && reg_i(data.reg) == k::REGTMP {
            self.fail(format!("REGTMP used in large offset {kind}"));
        }
        let mem = mem.clone();
        let o1 = self.movlit(k::AMOVD, &mem, REGTMP);
        let o2 = if store {
            self.base(t::W_STRR, op, "strr") | REGTMP << 16 | base << 5 | d
        } else {
            self.base(t::W_LDRR, op, "ldrr") | REGTMP << 16 | base << 5 | d
        };
        words![o1, o2]
    }
}

/// Encoding and access flags of a system register.
pub fn sysreg(r: u16) -> (u32, u8) {
    match t::SYSREGS.binary_search_by_key(&r, |e| e.0) {
        Ok(i) => (t::SYSREGS[i].1, t::SYSREGS[i].2),
        Err(_) => (0, 0),
    }
}
