//! One instruction to bytes: operand classification, form choice (first
//! fitting row of the mnemonic's table), prefixes, ModRM/SIB, VEX/EVEX, and
//! the recipe of the chosen row.

use arch_tables::{generic, Reg};
use arch_tables::x86::consts::*;

use super::optab::{self, Entry, Form, MovKind};
use super::optab_gen::{pfx, y, z};
use crate::addr::{Addr, AddrName, AddrType, AddrVal};
use crate::prog::Prog;
use crate::sym::{RelocKind, SymId};

/// REX bits as Go's encoder keeps them (0x40 forces an empty REX).
const REX_B: i32 = 1;
const REX_X: i32 = 2;
const REX_R: i32 = 4;
const REX_W: i32 = 8;
/// Fifth register bit, used only by EVEX.
const REX_R5: i32 = 16;

/// What the encoder needs to know about the target.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    pub amd64: bool,
    pub shared: bool,
    pub dynlink: bool,
    /// `runtime.tlsg`, the symbol of local-exec TLS references.
    pub tlsg: SymId,
    /// `__x86.get_pc_thunk.ax` ... `.di`, by register number (386 -shared).
    pub pc_thunks: [SymId; 8],
    /// The target OS: TLS prefixes and relocations ([`super::tls`]).
    pub goos: crate::target::GoOs,
}

impl Env {
    /// Whether a symbol's address is an absolute 32-bit value (386 without -shared).
    fn use_abs(&self) -> bool {
        !self.amd64 && !self.shared
    }
}

/// A relocation inside one instruction's bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Rel {
    pub off: usize,
    pub size: u8,
    pub kind: RelocKind,
    pub sym: Option<SymId>,
    pub add: i64,
}

/// How a branch to a label was laid down, for the layout loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fwd {
    /// One displacement byte at this offset in the instruction.
    Short(usize),
    /// Four displacement bytes ending the instruction.
    Long,
}

/// Layout facts about a branch to a label.
#[derive(Clone, Copy, Debug, Default)]
pub struct BranchInfo {
    /// The target is at or before the branch: its pc is known.
    pub backward: bool,
    /// Forward branches: still hoping for a one-byte displacement.
    pub short: bool,
    /// The target's pc (backward branches).
    pub target_pc: i64,
}

/// The function's code so far: an instruction is appended to it.
pub struct Code {
    pub bytes: Vec<u8>,
    /// Relocations, at offsets into `bytes`.
    pub relocs: Vec<Rel>,
}

/// The operand an instruction lacks.
static NONE: Addr = Addr {
    ty: AddrType::None,
    name: AddrName::None,
    reg: Reg::NONE,
    index: Reg::NONE,
    scale: 0,
    offset: 0,
    sym: None,
    val: AddrVal::None,
};

/// First register number of the per-register tables.
const REG_BASE: i64 = REG_AL;
/// Registers in the tables: every x86 register number is below `REG_BASE + NREG`.
const NREG: usize = 256;

/// What the encoder asks of a register, by number from [`REG_BASE`]: a
/// table built once from the rules below instead of range tests each time.
struct RegTab {
    /// `low3`, with -1 for None.
    low3: [i8; NREG],
    rex: [u8; NREG],
    /// Operand class on 386 and on amd64.
    class: [[u8; NREG]; 2],
}

/// Built at compile time: a lazily built table was 5% of assembling a tiny file.
static REG_TAB: RegTab = {
    let mut t = RegTab { low3: [0; NREG], rex: [0; NREG], class: [[0; NREG]; 2] };
    let mut i = 0;
    while i < NREG {
        let r = REG_BASE + i as i64;
        t.low3[i] = match low3_of(r) {
            Some(v) => v as i8,
            None => -1,
        };
        t.rex[i] = regrex_of(r) as u8;
        t.class[0][i] = reg_class_of(false, r);
        t.class[1][i] = reg_class_of(true, r);
        i += 1;
    }
    t
};

/// `lo <= r <= hi` (`RangeInclusive::contains` is not const).
const fn within(r: i64, lo: i64, hi: i64) -> bool {
    lo <= r && r <= hi
}

/// The table index of a register, if it has one.
fn tab_index(r: i64) -> Option<usize> {
    usize::try_from(r - REG_BASE).ok().filter(|&i| i < NREG)
}

/// Low three bits of a register's number, or None for a non-register.
pub fn low3(r: i64) -> Option<i32> {
    match tab_index(r) {
        Some(i) => Some(i32::from(REG_TAB.low3[i])).filter(|&v| v >= 0),
        None => low3_of(r),
    }
}

const fn low3_of(r: i64) -> Option<i32> {
    const fn v(r: i64, base: i64) -> Option<i32> {
        Some(((r - base) & 7) as i32)
    }
    match r {
        _ if within(r, REG_AL, REG_R15B) => v(r, REG_AL),
        _ if within(r, REG_AH, REG_BH) => Some(4 + ((r - REG_AH) & 7) as i32),
        _ if within(r, REG_AX, REG_R15) => v(r, REG_AX),
        _ if within(r, REG_F0, REG_F0 + 7) => v(r, REG_F0),
        _ if within(r, REG_M0, REG_M0 + 7) => v(r, REG_M0),
        _ if within(r, REG_K0, REG_K0 + 7) => v(r, REG_K0),
        _ if within(r, REG_X0, REG_X0 + 31) => v(r, REG_X0),
        _ if within(r, REG_Y0, REG_Y0 + 31) => v(r, REG_Y0),
        _ if within(r, REG_Z0, REG_Z0 + 31) => v(r, REG_Z0),
        _ => None,
    }
}

fn reg(r: i64) -> i32 {
    low3(r).unwrap_or(-1)
}

/// The REX (and EVEX fifth-bit) flags a register needs.
pub fn regrex(r: i64) -> i32 {
    match tab_index(r) {
        Some(i) => i32::from(REG_TAB.rex[i]),
        None => regrex_of(r),
    }
}

const fn regrex_of(r: i64) -> i32 {
    let hi = REX_R | REX_X | REX_B;
    const fn vec(i: i64, hi: i32) -> i32 {
        match i {
            0..=7 => 0,
            8..=15 => hi,
            16..=23 => REX_R5,
            _ => hi | REX_R5,
        }
    }
    match r {
        _ if within(r, REG_SPB, REG_DIB) => 0x40,
        _ if within(r, REG_R8B, REG_R15B) => hi,
        _ if within(r, REG_R8, REG_R15) => hi,
        _ if within(r, REG_X0, REG_X0 + 31) => vec(r - REG_X0, hi),
        _ if within(r, REG_Y0, REG_Y0 + 31) => vec(r - REG_Y0, hi),
        _ if within(r, REG_Z0, REG_Z0 + 31) => vec(r - REG_Z0, hi),
        _ if within(r, REG_CR + 8, REG_CR + 15) => REX_R,
        _ => 0,
    }
}

/// A register's full index (0..31) in its file.
fn reg_index(r: i64) -> i32 {
    reg(r) | (regrex(r) & REX_R) << 1 | (regrex(r) & REX_R5)
}

fn r(a: &Addr) -> i64 {
    i64::from(a.reg.0)
}
fn ix(a: &Addr) -> i64 {
    i64::from(a.index.0)
}

/// The operand class of an operand (Go's `Y*`).
#[inline]
pub fn classify(env: &Env, a: &Addr) -> u8 {
    // Registers are most operands: a table look-up, inline, without the
    // large function's prologue.
    match a.ty {
        AddrType::Reg => reg_class(env.amd64, r(a)),
        AddrType::None => y::Ynone,
        _ => classify_other(env, a),
    }
}

fn classify_other(env: &Env, a: &Addr) -> u8 {
    let amd64 = env.amd64;
    match a.ty {
        AddrType::RegList => {
            let lo = a.offset & 0xffff;
            let hi = (a.offset >> 16) & 0xffff;
            let (l, h) = (reg_index(lo), reg_index(hi));
            if !amd64 && (l >= 8 || h >= 8) {
                return y::Yxxx;
            }
            let in_file = |b: i64| (b..b + 32).contains(&lo) && (b..b + 32).contains(&hi);
            if h - l != 3 {
                y::Yxxx
            } else if in_file(REG_X0) {
                y::YxrEvexMulti4
            } else if in_file(REG_Y0) {
                y::YyrEvexMulti4
            } else if in_file(REG_Z0) {
                y::YzrMulti4
            } else {
                y::Yxxx
            }
        }
        AddrType::None => y::Ynone,
        AddrType::Branch => y::Ybr,
        AddrType::Indir => {
            if a.name != AddrName::None && a.reg.is_none() && a.index.is_none() && a.scale == 0 {
                y::Yindir
            } else {
                y::Yxxx
            }
        }
        AddrType::Mem => {
            let i = ix(a);
            if i == REG_SP {
                return y::Yxxx;
            }
            if let Some(c) = vsib_class(amd64, i) {
                return c;
            }
            if amd64 {
                match a.name {
                    AddrName::Extern | AddrName::Static | AddrName::GotRef => {
                        if !a.reg.is_none() || !a.index.is_none() || a.scale != 0 {
                            return y::Yxxx;
                        }
                    }
                    AddrName::Auto | AddrName::Param => {
                        if r(a) != REG_SP && !a.reg.is_none() {
                            return y::Yxxx;
                        }
                    }
                    AddrName::None => {}
                    _ => return y::Yxxx,
                }
            }
            y::Ym
        }
        AddrType::Addr => match a.name {
            AddrName::Extern | AddrName::Static => {
                if a.sym.is_some() && env.use_abs() {
                    y::Yi32
                } else {
                    y::Yiauto
                }
            }
            AddrName::Auto | AddrName::Param => y::Yiauto,
            AddrName::GotRef => y::Yxxx,
            _ => const_class(amd64, a.offset),
        },
        AddrType::Const => const_class(amd64, a.offset),
        AddrType::TextSize => y::Ytextsize,
        AddrType::Reg => reg_class(amd64, r(a)),
        _ => y::Yxxx,
    }
}

fn const_class(amd64: bool, v: i64) -> u8 {
    let v = if amd64 { v } else { i64::from(v as i32) };
    match v {
        0 => y::Yi0,
        1 => y::Yi1,
        2..=3 => y::Yu2,
        4..=127 => y::Yu7,
        128..=255 => y::Yu8,
        -128..=-1 => y::Yi8,
        _ if !amd64 => y::Yi32,
        _ if i64::from(v as i32) == v => y::Ys32,
        _ if v >> 32 == 0 => y::Yi32,
        _ => y::Yi64,
    }
}

fn vsib_class(amd64: bool, i: i64) -> Option<u8> {
    let n = |b: i64| i - b;
    let c = if (REG_X0..REG_X0 + 32).contains(&i) {
        match n(REG_X0) {
            0..=7 => y::Yxvm,
            8..=15 if amd64 => y::Yxvm,
            16.. if amd64 => y::YxvmEvex,
            _ => y::Yxxx,
        }
    } else if (REG_Y0..REG_Y0 + 32).contains(&i) {
        match n(REG_Y0) {
            0..=7 => y::Yyvm,
            8..=15 if amd64 => y::Yyvm,
            16.. if amd64 => y::YyvmEvex,
            _ => y::Yxxx,
        }
    } else if (REG_Z0..REG_Z0 + 32).contains(&i) {
        match n(REG_Z0) {
            0..=7 => y::Yzvm,
            _ if amd64 => y::Yzvm,
            _ => y::Yxxx,
        }
    } else {
        return None;
    };
    Some(c)
}

fn reg_class(amd64: bool, rg: i64) -> u8 {
    match tab_index(rg) {
        Some(i) => REG_TAB.class[usize::from(amd64)][i],
        None => reg_class_of(amd64, rg),
    }
}

const fn reg_class_of(amd64: bool, rg: i64) -> u8 {
    match rg {
        REG_AL => y::Yal,
        REG_AX => y::Yax,
        REG_BPB | REG_SIB | REG_DIB => {
            if amd64 {
                y::Yrb
            } else {
                y::Yxxx
            }
        }
        _ if within(rg, REG_R8B, REG_R15B) => {
            if amd64 {
                y::Yrb
            } else {
                y::Yxxx
            }
        }
        REG_DL | REG_BL | REG_AH | REG_CH | REG_DH | REG_BH => y::Yrb,
        REG_CL => y::Ycl,
        REG_CX => y::Ycx,
        REG_DX | REG_BX => y::Yrx,
        _ if within(rg, REG_R8, REG_R15) => {
            if amd64 {
                y::Yrl
            } else {
                y::Yxxx
            }
        }
        REG_SP | REG_BP | REG_SI | REG_DI => {
            if amd64 {
                y::Yrl
            } else {
                y::Yrl32
            }
        }
        _ if rg == REG_F0 => y::Yf0,
        _ if within(rg, REG_F0 + 1, REG_F0 + 7) => y::Yrf,
        _ if within(rg, REG_M0, REG_M0 + 7) => y::Ymr,
        _ if rg == REG_X0 => y::Yxr0,
        _ if within(rg, REG_X0 + 1, REG_X0 + 15) => y::Yxr,
        _ if within(rg, REG_X0 + 16, REG_X0 + 31) => y::YxrEvex,
        _ if within(rg, REG_Y0, REG_Y0 + 15) => y::Yyr,
        _ if within(rg, REG_Y0 + 16, REG_Y0 + 31) => y::YyrEvex,
        _ if within(rg, REG_Z0, REG_Z0 + 7) => y::Yzr,
        _ if within(rg, REG_Z0 + 8, REG_Z0 + 31) => {
            if amd64 {
                y::Yzr
            } else {
                y::Yxxx
            }
        }
        _ if rg == REG_K0 => y::Yk0,
        _ if within(rg, REG_K0 + 1, REG_K0 + 7) => y::Yknot0,
        REG_CS => y::Ycs,
        REG_SS => y::Yss,
        REG_DS => y::Yds,
        REG_ES => y::Yes,
        REG_FS => y::Yfs,
        REG_GS => y::Ygs,
        REG_TLS => y::Ytls,
        REG_GDTR => y::Ygdtr,
        REG_IDTR => y::Yidtr,
        REG_LDTR => y::Yldtr,
        REG_MSW => y::Ymsw,
        REG_TASK => y::Ytask,
        _ if within(rg, REG_CR, REG_CR + 8) => y::Ycr0 + (rg - REG_CR) as u8,
        _ if within(rg, REG_DR, REG_DR + 7) => y::Ydr0 + (rg - REG_DR) as u8,
        _ if within(rg, REG_TR, REG_TR + 7) => y::Ytr0 + (rg - REG_TR) as u8,
        _ => y::Yxxx,
    }
}

/// Segment-override prefix of an operand.
/// The segment override prefix of an operand, or 0. Inline for the usual
/// operand without segment registers; the rest out of line.
#[inline]
fn segment_prefix(env: &Env, a: &Addr) -> Result<u8, String> {
    if r(a) < REG_CS && ix(a) < REG_CS {
        return Ok(0);
    }
    segment_prefix_named(env, a)
}

fn segment_prefix_named(env: &Env, a: &Addr) -> Result<u8, String> {
    let (base, index) = (r(a), ix(a));
    if a.ty == AddrType::Mem && a.name == AddrName::None {
        match base {
            REG_CS => return Ok(0x2e),
            REG_DS => return Ok(0x3e),
            REG_ES => return Ok(0x26),
            REG_FS => return Ok(0x64),
            REG_GS => return Ok(0x65),
            REG_TLS => return super::tls::base_prefix(env.amd64, env.shared, env.goos),
            _ => {}
        }
    }
    Ok(match index {
        REG_CS => 0x2e,
        REG_DS => 0x3e,
        REG_ES => 0x26,
        REG_TLS if super::tls::index_has_prefix(env.shared, env.goos) => {
            if env.amd64 {
                0x64
            } else {
                0x65
            }
        }
        REG_FS => 0x64,
        REG_GS => 0x65,
        _ => 0,
    })
}

/// EVEX suffix bits (`Prog.scond` indexes Go's suffix list).
#[derive(Clone, Copy, Default)]
struct Suffix {
    rounding: Option<u8>,
    sae: bool,
    zeroing: bool,
    broadcast: bool,
}

fn suffix(scond: u16) -> Suffix {
    // Go's suffix list orders RN, RZ, RD, RU; the EVEX rounding field is RN=0, RD=1, RU=2, RZ=3.
    const RC: [u8; 4] = [0, 3, 1, 2];
    let s = |rounding, sae, zeroing, broadcast| Suffix { rounding, sae, zeroing, broadcast };
    match scond {
        1 => s(None, false, true, false),
        2 => s(None, true, false, false),
        3 => s(None, true, true, false),
        4..=7 => s(Some(RC[usize::from(scond - 4)]), false, false, false),
        8..=11 => s(Some(RC[usize::from(scond - 8)]), false, true, false),
        12 => s(None, false, false, true),
        13 => s(None, false, true, true),
        _ => Suffix::default(),
    }
}

/// The three EVEX bytes a row stores: `W1mmLLpp`, `NNNbbZRS`, opcode.
#[derive(Clone, Copy, Default)]
struct Evex {
    b1: u8,
    b2: u8,
    opcode: u8,
}

impl Evex {
    fn disp_mult(self, bcst: bool) -> i32 {
        if bcst {
            return match self.b2 & 0x18 {
                0x08 => 4,
                0x10 => 8,
                _ => 1,
            };
        }
        1 << (self.b2 >> 5)
    }
}

/// Which operand of the instruction a recipe names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arg {
    From,
    /// The first extra operand (Go's `From3`).
    F3,
    /// The second extra operand.
    R2,
    /// The third extra operand.
    R3,
    To,
}

/// One instruction being encoded, appended straight to the function's code
/// (no buffer of its own: one allocation less per instruction).
struct Asm<'e> {
    env: &'e Env,
    p: &'e mut Prog,
    buf: &'e mut Vec<u8>,
    /// Where this instruction starts in `buf`.
    start: usize,
    rex: i32,
    vex: bool,
    evex: Option<Evex>,
    relocs: &'e mut Vec<Rel>,
    fwd: Option<Fwd>,
}

impl Asm<'_> {
    fn arg(&self, a: Arg) -> &Addr {
        match a {
            Arg::From => &self.p.from,
            Arg::To => &self.p.to,
            Arg::F3 => self.p.rest.first().map_or(&NONE, |x| &x.0),
            Arg::R2 => self.p.rest.get(1).map_or(&NONE, |x| &x.0),
            Arg::R3 => self.p.rest.get(2).map_or(&NONE, |x| &x.0),
        }
    }

    /// A copy of operand `a` without its `val` (ModRM encoding never reads
    /// it): all the rest is `Copy`, so no clone of a string constant and no drop.
    fn arg_fields(&self, a: Arg) -> Addr {
        let a = self.arg(a);
        Addr { ty: a.ty, name: a.name, reg: a.reg, index: a.index, scale: a.scale, offset: a.offset, sym: a.sym, val: AddrVal::None }
    }

    fn put(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    fn put1(&mut self, b: u8) {
        self.buf.push(b);
    }
    fn put_i32(&mut self, v: i32) {
        self.put(&v.to_le_bytes());
    }
    fn put_i16(&mut self, v: i16) {
        self.put(&v.to_le_bytes());
    }

    fn reloc(&mut self, size: u8, kind: RelocKind, sym: Option<SymId>, add: i64) {
        let off = self.buf.len();
        self.relocs.push(Rel { off, size, kind, sym, add });
    }

    /// The value of an immediate or displacement, and the relocation it needs.
    fn value(&self, a: &Addr) -> (i64, Option<(RelocKind, Option<SymId>, i64)>) {
        match a.name {
            AddrName::Static | AddrName::GotRef | AddrName::Extern => {
                let kind = if a.name == AddrName::GotRef {
                    RelocKind::Arch("R_GOTPCREL")
                } else if self.env.use_abs() {
                    RelocKind::Addr
                } else {
                    RelocKind::Pcrel
                };
                return (0, Some((kind, a.sym, a.offset)));
            }
            _ => {}
        }
        if matches!(a.ty, AddrType::Mem | AddrType::Addr) && r(a) == REG_TLS {
            if super::tls::base_reloc(self.env.shared, self.env.goos) {
                return (0, Some((RelocKind::Arch("R_TLS_LE"), Some(self.env.tlsg), a.offset)));
            }
            return (0, None);
        }
        (a.offset, None)
    }

    fn value_noreloc(&self, a: &Addr) -> i64 {
        self.value(a).0
    }

    /// A 32-bit immediate, with its relocation if it names a symbol.
    fn imm32(&mut self, a: Arg) {
        let (v, rel) = self.value(self.arg(a));
        if let Some((k, s, add)) = rel {
            self.reloc(4, k, s, add);
        }
        self.put_i32(v as i32);
    }

    /// Immediate of width 16 (operand-size prefix rows) or 32.
    fn imm_word(&mut self, o: &Entry, a: Arg) {
        if o.prefix == pfx::Pe {
            let v = self.value_noreloc(self.arg(a));
            self.put_i16(v as i16);
        } else {
            self.imm32(a);
        }
    }

    fn disp8(&self, v: i32) -> Option<u8> {
        match self.evex {
            Some(e) => {
                let n = e.disp_mult(suffix(self.p.scond).broadcast);
                if v % n == 0 && (-128..=127).contains(&(v / n)) {
                    Some((v / n) as u8)
                } else {
                    None
                }
            }
            None => (-128..128).contains(&v).then_some(v as u8),
        }
    }

    fn sib(&mut self, scale: i16, index: i64, base: i64) -> Result<(), String> {
        let amd64 = self.env.amd64;
        let bad = || format!("asmidx: bad address {scale}/{index}/{base}");
        let mut i: i32;
        if index == 0 {
            i = 4 << 3;
        } else {
            let hi_ok = amd64
                || !(REG_R8..=REG_R15).contains(&index)
                    && !(REG_X8..REG_X0 + 32).contains(&index)
                    && !(REG_Y8..REG_Y0 + 32).contains(&index)
                    && !(REG_Z8..REG_Z0 + 32).contains(&index);
            let valid = (REG_AX..=REG_R15).contains(&index) && index != REG_SP
                || (REG_X0..REG_X0 + 32).contains(&index)
                || (REG_Y0..REG_Y0 + 32).contains(&index)
                || (REG_Z0..REG_Z0 + 32).contains(&index);
            if !valid || !hi_ok {
                return Err(bad());
            }
            i = reg(index) << 3;
            i |= match scale {
                1 => 0,
                2 => 1 << 6,
                4 => 2 << 6,
                8 => 3 << 6,
                _ => return Err(bad()),
            };
        }
        if base == 0 {
            i |= 5;
        } else if (REG_AX..=REG_R15).contains(&base) && (amd64 || base < REG_R8) {
            i |= reg(base);
        } else {
            return Err(bad());
        }
        self.put1(i as u8);
        Ok(())
    }

    /// ModRM (+SIB, displacement) for operand `a` with `rfield` in the reg field.
    fn modrm(&mut self, a: &Addr, rfield: i32, rex: i32) -> Result<(), String> {
        let env = *self.env;
        let rex = rex & (0x40 | REX_R);
        let bad = || "asmand: bad address".to_string();
        if a.offset != i64::from(a.offset as i32) {
            let ok = (env.amd64 && self.p.op.0 as i64 == ALEAL)
                || (!env.amd64 && i64::from(a.offset as u32) == a.offset && self.rex & REX_W == 0);
            if !ok {
                return Err("offset too large".into());
            }
        }
        let mut v = a.offset as i32;
        let mut rel: Option<(RelocKind, Option<SymId>, i64)> = None;
        match a.ty {
            AddrType::Addr => return Err(bad()),
            AddrType::Reg => {
                let rg = r(a);
                if !(REG_AL..=REG_Z0 + 31).contains(&rg) || v != 0 || reg(rg) < 0 {
                    return Err(bad());
                }
                self.put1((3 << 6 | reg(rg) | rfield << 3) as u8);
                self.rex |= regrex(rg) & (0x40 | REX_B) | rex;
                return Ok(());
            }
            AddrType::Mem => {}
            _ => return Err(bad()),
        }
        let index = ix(a);
        let sym_name = matches!(a.name, AddrName::Extern | AddrName::GotRef | AddrName::Static);
        if index != 0 && index != REG_TLS && !(REG_CS..=REG_GS).contains(&index) {
            let mut base = r(a);
            if sym_name {
                if !env.use_abs() && env.amd64 {
                    return Err(bad());
                }
                if env.amd64 || !env.shared {
                    base = 0;
                }
                let (vv, rl) = self.value(a);
                v = vv as i32;
                rel = rl;
            } else if matches!(a.name, AddrName::Auto | AddrName::Param) {
                base = REG_SP;
            }
            self.rex |= regrex(index) & REX_X | regrex(base) & REX_B | rex;
            if base == 0 {
                self.put1((4 | rfield << 3) as u8);
                self.sib(a.scale, index, base)?;
            } else if v == 0 && rel.is_none() && base != REG_BP && base != REG_R13 {
                self.put1((4 | rfield << 3) as u8);
                return self.sib(a.scale, index, base);
            } else if let (Some(d), None) = (self.disp8(v), &rel) {
                self.put1((1 << 6 | 4 | rfield << 3) as u8);
                self.sib(a.scale, index, base)?;
                self.put1(d);
                return Ok(());
            } else {
                self.put1((2 << 6 | 4 | rfield << 3) as u8);
                self.sib(a.scale, index, base)?;
            }
            return self.disp32(v, rel);
        }
        let mut base = r(a);
        if sym_name {
            if a.sym.is_none() {
                return Err("bad addr".into());
            }
            if env.amd64 || !env.shared {
                base = 0;
            }
            let (vv, rl) = self.value(a);
            v = vv as i32;
            rel = rl;
        } else if matches!(a.name, AddrName::Auto | AddrName::Param) {
            base = REG_SP;
        }
        if base == REG_TLS {
            let (vv, rl) = self.value(a);
            v = vv as i32;
            rel = rl;
        }
        self.rex |= regrex(base) & REX_B | rex;
        if base == 0 || (REG_CS..=REG_GS).contains(&base) || base == REG_TLS {
            if (a.sym.is_none() || !env.use_abs()) && base == 0 && sym_name || !env.amd64 {
                if a.name == AddrName::GotRef && (a.offset != 0 || !a.index.is_none() || a.scale != 0) {
                    return Err("has offset against gotref".into());
                }
                self.put1((5 | rfield << 3) as u8);
            } else {
                self.put(&[(4 | rfield << 3) as u8, 4 << 3 | 5]);
            }
            return self.disp32(v, rel);
        }
        if base == REG_SP || base == REG_R12 {
            if v == 0 {
                self.put1((reg(base) | rfield << 3) as u8);
                return self.sib(a.scale, 0, base);
            }
            if let Some(d) = self.disp8(v) {
                self.put1((1 << 6 | reg(base) | rfield << 3) as u8);
                self.sib(a.scale, 0, base)?;
                self.put1(d);
                return Ok(());
            }
            self.put1((2 << 6 | reg(base) | rfield << 3) as u8);
            self.sib(a.scale, 0, base)?;
            return self.disp32(v, rel);
        }
        if (REG_AX..=REG_R15).contains(&base) {
            if index == REG_TLS && super::tls::index_reloc(env.shared, env.goos) {
                rel = Some((RelocKind::Arch("R_TLS_LE"), Some(env.tlsg), i64::from(v)));
                v = 0;
            }
            if v == 0 && rel.is_none() && base != REG_BP && base != REG_R13 {
                self.put1((reg(base) | rfield << 3) as u8);
                return Ok(());
            }
            if let (Some(d), None) = (self.disp8(v), &rel) {
                self.put(&[(1 << 6 | reg(base) | rfield << 3) as u8, d]);
                return Ok(());
            }
            self.put1((2 << 6 | reg(base) | rfield << 3) as u8);
            return self.disp32(v, rel);
        }
        Err(bad())
    }

    fn disp32(&mut self, v: i32, rel: Option<(RelocKind, Option<SymId>, i64)>) -> Result<(), String> {
        if let Some((k, s, add)) = rel {
            self.reloc(4, k, s, add);
        }
        self.put_i32(v);
        Ok(())
    }

    /// ModRM with operand `a` in r/m and register operand `ra` in reg.
    fn modrm_rr(&mut self, a: Arg, ra: Arg) -> Result<(), String> {
        let rr = r(self.arg(ra));
        self.modrm_arg(a, reg(rr), regrex(rr))
    }

    /// ModRM with an opcode extension digit in reg.
    fn modrm_digit(&mut self, a: Arg, digit: u8) -> Result<(), String> {
        self.modrm_arg(a, i32::from(digit), 0)
    }

    /// [`Asm::modrm`] for operand `a`: a register operand (most of them)
    /// directly, as `modrm` encodes it, anything else through a copy.
    fn modrm_arg(&mut self, a: Arg, rfield: i32, rex: i32) -> Result<(), String> {
        let x = self.arg(a);
        if x.ty == AddrType::Reg && x.offset == 0 {
            let rg = r(x);
            let low = reg(rg);
            if (REG_AL..=REG_Z0 + 31).contains(&rg) && low >= 0 {
                self.put1((3 << 6 | low | rfield << 3) as u8);
                self.rex |= regrex(rg) & (0x40 | REX_B) | rex & (0x40 | REX_R);
                return Ok(());
            }
        }
        let x = self.arg_fields(a);
        self.modrm(&x, rfield, rex)
    }

    /// The operand `a` names, unless it is an extra operand the instruction lacks.
    fn operand(&self, a: Option<Arg>) -> Option<&Addr> {
        match a? {
            Arg::From => Some(&self.p.from),
            Arg::To => Some(&self.p.to),
            Arg::F3 => self.p.rest.first().map(|x| &x.0),
            Arg::R2 => self.p.rest.get(1).map(|x| &x.0),
            Arg::R3 => self.p.rest.get(2).map(|x| &x.0),
        }
    }

    // Inline into the recipes: the call and its register saves cost more
    // than the few prefix bytes it computes.
    #[inline(always)]
    fn vex(&mut self, rm: Option<Arg>, v: Option<Arg>, rg: Option<Arg>, vex: u8, opcode: u8) {
        self.vex = true;
        let rex_r = self.operand(rg).map_or(0, |a| regrex(r(a)) & REX_R);
        let (rex_b, rex_x) = self.operand(rm).map_or((0, 0), |a| (regrex(r(a)) & REX_B, regrex(ix(a)) & REX_X));
        let m = (vex >> 3) & 7;
        let wlp = vex & 0x87;
        let vv = self.operand(v).map_or(0u8, |a| {
            let rv = r(a);
            ((reg(rv) | (regrex(rv) & REX_R) << 1) & 0xf) as u8
        }) ^ 0xf;
        if m == 1 && (rex_x | rex_b) == 0 && vex & 0x80 == 0 {
            self.put(&[0xc5, ((rex_r << 5) as u8 ^ 0x80) | vv << 3 | wlp]);
        } else {
            self.put(&[0xc4, ((rex_r | rex_x | rex_b) << 5) as u8 ^ 0xe0 | m, vv << 3 | wlp]);
        }
        self.put1(opcode);
    }

    fn evex(&mut self, ev: Evex, rm: Option<Arg>, v: Option<Arg>, rg: Option<Arg>, k: Option<Arg>) -> Result<(), String> {
        self.evex = Some(ev);
        let (mut rex_r, mut evex_r, mut rex_x, mut rex_b) = (1u8, 1u8, 1u8, 1u8);
        if let Some(a) = self.operand(rg) {
            let x = regrex(r(a));
            if x & REX_R != 0 {
                rex_r = 0;
            }
            if x & REX_R5 != 0 {
                evex_r = 0;
            }
        }
        let rma = self.operand(rm);
        if let Some(a) = rma {
            if a.index.is_none() && regrex(r(a)) & REX_R5 != 0 || regrex(ix(a)) & REX_X != 0 {
                rex_x = 0;
            }
            if regrex(r(a)) & REX_B != 0 {
                rex_b = 0;
            }
        }
        let p0 = rex_r << 7 | rex_x << 6 | rex_b << 5 | evex_r << 4 | (ev.b1 & 0x30) >> 4;
        let va = self.operand(v).map(r);
        let vv = va.map_or(0u8, |rv| ((reg(rv) | (regrex(rv) & REX_R) << 1) & 0xf) as u8) ^ 0xf;
        let p1 = (ev.b1 & 0x80) | vv << 3 | 1 << 2 | (ev.b1 & 3);
        let sfx = suffix(self.p.scond);
        let mut z_bit = 0u8;
        let mut ll = (ev.b1 & 0x0c) >> 2;
        let mut b = 0u8;
        let mut v5 = 1u8;
        let ka = self.operand(k).map(r);
        if sfx.zeroing {
            if ev.b2 & 4 == 0 {
                return Err("unsupported zeroing".into());
            }
            match ka {
                None => return Err("mask register must be specified for .Z instructions".into()),
                Some(REG_K0) => return Err("mask register must not be K0 for .Z instructions".into()),
                _ => {}
            }
            z_bit = 1;
        }
        let rm_mem = rma.is_some_and(|a| a.ty == AddrType::Mem);
        if let Some(rc) = sfx.rounding {
            if rm_mem {
                return Err("illegal rounding with memory argument".into());
            } else if ev.b2 & 2 == 0 {
                return Err("unsupported rounding".into());
            }
            b = 1;
            ll = rc;
        } else if sfx.broadcast {
            if !rm_mem {
                return Err("illegal broadcast without memory argument".into());
            } else if ev.b2 & 0x18 == 0 {
                return Err("unsupported broadcast".into());
            }
            b = 1;
        } else if sfx.sae {
            if rm_mem {
                return Err("illegal SAE with memory argument".into());
            } else if ev.b2 & 1 == 0 {
                return Err("unsupported SAE".into());
            }
            b = 1;
        }
        if rma.is_some_and(|a| regrex(ix(a)) & REX_R5 != 0) || va.is_some_and(|rv| regrex(rv) & REX_R5 != 0) {
            v5 = 0;
        }
        let aaa = ka.map_or(0, |k| reg(k) as u8);
        let p2 = z_bit << 7 | ll << 5 | b << 4 | v5 << 3 | aaa;
        self.put(&[0x62, p0, p1, p2, ev.opcode]);
        Ok(())
    }

    /// Go's "media op" escape handling for SSE rows.
    fn media(&mut self, o: &Entry, op: u8, osize: u8, mut z: usize) -> usize {
        let mut op = op;
        if matches!(op, pfx::Pm | pfx::Pe | pfx::Pf2 | pfx::Pf3) && osize != 1 {
            if op != pfx::Pm {
                self.put1(op);
            }
            self.put1(pfx::Pm);
            z += 1;
            op = o.bytes[z];
        } else if self.buf[self.start..].last() != Some(&pfx::Pm) {
            self.put1(pfx::Pm);
        }
        self.put1(op);
        z
    }
}

fn op_is(p: &Prog, op: i64) -> bool {
    i64::from(p.op.0) == op
}

/// Turns a word register operand into its byte register (amd64 byte rows).
fn byte_reg(a: &mut Addr) {
    if a.ty == AddrType::Reg && a.index.is_none() && (REG_AX..=REG_R15).contains(&r(a)) {
        a.reg.0 = (r(a) + REG_AL - REG_AX) as u16;
    }
}

fn is_gather(op: i64) -> bool {
    // The range test first: almost no instruction is near them.
    (AVGATHERDPD..=AVPGATHERQQ).contains(&op)
        && matches!(op, AVGATHERDPD | AVGATHERQPD | AVGATHERDPS | AVGATHERQPS | AVPGATHERDD | AVPGATHERQD | AVPGATHERDQ | AVPGATHERQQ)
}

/// Encodes one instruction at `pc`, appending it to `code`; on an error
/// `code` is left as it was. `br` describes a branch to a label.
///
/// As in Go, byte-register rows rename a word register operand to its byte
/// register in `p` itself (AX becomes AL), so a later layout pass can pick a
/// shorter row for the same instruction.
// Inline: called once per instruction, from the layout loop only.
#[inline]
pub fn encode(env: &Env, p: &mut Prog, br: BranchInfo, code: &mut Code) -> Result<Option<Fwd>, String> {
    let (start, rel_start) = (code.bytes.len(), code.relocs.len());
    let jmp_or_call = p.op == generic::JMP || p.op == generic::CALL;
    let mut a = Asm { env, p, buf: &mut code.bytes, start, rex: 0, vex: false, evex: None, relocs: &mut code.relocs, fwd: None };
    let res = a.assemble(br);
    let (rex, vex, evex, mut fwd) = (a.rex, a.vex, a.evex, a.fwd);
    let res = res.and_then(|()| {
        if rex != 0 && !vex && evex.is_none() {
            if !env.amd64 {
                return Err("illegal in mode 32".to_string());
            }
            let np = code.bytes[start..]
                .iter()
                .position(|&c| c != 0xf2 && c != 0xf3 && !(0x64..=0x67).contains(&c) && c != 0x2e && c != 0x3e && c != 0x26)
                .map_or(code.bytes.len(), |i| start + i);
            code.bytes.insert(np, 0x40 | rex as u8);
            for rl in &mut code.relocs[rel_start..] {
                rl.off += 1;
            }
            if let Some(Fwd::Short(o)) = &mut fwd {
                *o += 1;
            }
        }
        Ok(())
    });
    if let Err(e) = res {
        code.bytes.truncate(start);
        code.relocs.truncate(rel_start);
        return Err(e);
    }
    let n = (code.bytes.len() - start) as i64;
    for rl in &mut code.relocs[rel_start..] {
        // The end of the field, from the start of the instruction.
        let end = (rl.off - start) as i64 + i64::from(rl.size);
        if rl.kind == RelocKind::Pcrel {
            if env.amd64 || jmp_or_call {
                rl.add -= n - end;
            } else {
                rl.add += end;
            }
        }
        if rl.kind == RelocKind::Arch("R_GOTPCREL") && !env.amd64 {
            rl.add += end;
        }
    }
    Ok(fwd)
}

/// The first row of `o` that takes the operand classes `args`, and where
/// its opcode bytes start (Go's `z`). `evex_only`: the instruction has an
/// AVX-512 suffix.
fn select(o: &Entry, args: &[u8], evex_only: bool, amd64: bool) -> Option<(usize, usize)> {
    let xo = usize::from(o.bytes.first() == Some(&0x0f));
    let mut z = 0usize;
    for (i, form) in o.forms.iter().enumerate() {
        if !form.fits(args) {
            z += form.zoff as usize + xo;
            continue;
        }
        if evex_only && !(form.z > z::Zevex_first && form.z < z::Zevex_last) {
            z += form.zoff as usize;
            continue;
        }
        if o.prefix == pfx::Px1 && amd64 && z == 0 {
            z += form.zoff as usize + xo;
            continue;
        }
        return Some((i, z));
    }
    None
}

impl Asm<'_> {
    fn assemble(&mut self, br: BranchInfo) -> Result<(), String> {
        let env = *self.env;
        let op = i64::from(self.p.op.0);
        let Some(o) = optab::entry(op) else {
            return Err("missing op".into());
        };
        let p1 = segment_prefix(&env, &self.p.from)?;
        if p1 != 0 {
            self.put1(p1);
        }
        let p2 = segment_prefix(&env, &self.p.to)?;
        if p2 != 0 {
            self.put1(p2);
        }
        if is_gather(op) {
            let f3 = self.arg(Arg::F3).clone();
            if f3.ty == AddrType::None {
                return Err("need a third arg for gather instruction".into());
            }
            if (REG_K0..=REG_K0 + 7).contains(&r(&f3)) {
                if reg_index(ix(&self.p.from)) == reg_index(r(&self.p.to)) {
                    return Err("index and destination registers should be distinct".into());
                }
            } else {
                let (i, m, d) = (reg_index(ix(&f3)), reg_index(r(&self.p.from)), reg_index(r(&self.p.to)));
                if d == m || d == i || m == i {
                    return Err("mask, index, and destination registers should be distinct".into());
                }
            }
        }
        let ft = classify(&env, &self.p.from);
        let tt = classify(&env, &self.p.to);
        let rest: &[(Addr, _)] = &self.p.rest;
        // The operand classes, on the stack unless there are more than 8.
        let nargs = usize::from(ft != y::Ynone) + rest.len() + usize::from(tt != y::Ynone);
        let mut small = [0u8; 8];
        let mut big: Vec<u8> = Vec::new();
        let args: &mut [u8] = if nargs <= small.len() {
            &mut small[..nargs]
        } else {
            big.resize(nargs, 0);
            &mut big[..]
        };
        let mut k = 0;
        if ft != y::Ynone {
            args[k] = ft;
            k += 1;
        }
        for (x, _) in rest {
            args[k] = classify(&env, x);
            k += 1;
        }
        if tt != y::Ynone {
            args[k] = tt;
        }
        let args: &[u8] = args;
        let Some((fi, mut z)) = select(o, args, self.p.scond != 0, env.amd64) else {
            return self.special_moves(args);
        };
        let form = &o.forms[fi];
        match o.prefix {
            pfx::Pq => self.put(&[0x66, 0x0f]),
            pfx::Pq3 => {
                self.rex |= REX_W;
                self.put(&[0x66, 0x0f]);
            }
            pfx::Pq4 => self.put(&[0x66, 0x0f, 0x38]),
            pfx::Pq4w => {
                self.rex |= REX_W;
                self.put(&[0x66, 0x0f, 0x38]);
            }
            pfx::Pq5 => self.put(&[0xf3, 0x0f, 0x38]),
            pfx::Pq5w => {
                self.rex |= REX_W;
                self.put(&[0xf3, 0x0f, 0x38]);
            }
            pfx::Pf2 | pfx::Pf3 => self.put(&[o.prefix, 0x0f]),
            pfx::Pef3 => self.put(&[0x66, 0xf3, 0x0f]),
            pfx::Pfw => {
                self.rex |= REX_W;
                self.put(&[0xf3, 0x0f]);
            }
            pfx::Pm => self.put1(0x0f),
            pfx::Pe => self.put1(0x66),
            pfx::Pw => {
                if !env.amd64 {
                    return Err("illegal 64-bit instruction".into());
                }
                self.rex |= REX_W;
            }
            pfx::Pw8 => {
                if z >= 8 {
                    if !env.amd64 {
                        return Err("illegal 64-bit instruction".into());
                    }
                    self.rex |= REX_W;
                }
            }
            pfx::Pb => {
                let bad = |x: &Addr| {
                    x.ty == AddrType::Reg && ((REG_BP..=REG_DI).contains(&r(x)) || (REG_BPB..=REG_DIB).contains(&r(x)))
                };
                if !env.amd64 && (bad(&self.p.from) || bad(&self.p.to)) {
                    return self.byte_swap_fallback();
                }
                if env.amd64 {
                    byte_reg(&mut self.p.from);
                    byte_reg(&mut self.p.to);
                }
            }
            pfx::P32 if env.amd64 => return Err("illegal in 64-bit mode".into()),
            pfx::Py if !env.amd64 => return Err("illegal in 32-bit mode".into()),
            pfx::Py1 if z < 1 && !env.amd64 => return Err("illegal in 32-bit mode".into()),
            pfx::Py3 if z < 3 && !env.amd64 => return Err("illegal in 32-bit mode".into()),
            _ => {}
        }
        if z >= o.bytes.len() && form.z != z::Zpseudo {
            return Err("bad table".into());
        }
        let mut opb = o.bytes.get(z).copied().unwrap_or(0);
        if opb == 0x0f {
            self.put1(0x0f);
            z += 1;
            opb = o.bytes[z];
        }
        self.recipe(o, form, z, opb, br)
    }

    fn b(&self, o: &Entry, i: usize) -> u8 {
        o.bytes.get(i).copied().unwrap_or(0)
    }

    fn lit(&mut self, o: &Entry, z: usize) {
        for &c in &o.bytes[z..] {
            if c == 0 {
                break;
            }
            self.put1(c);
        }
    }

    fn ev(&self, o: &Entry, z: usize) -> Evex {
        Evex { b1: self.b(o, z), b2: self.b(o, z + 1), opcode: self.b(o, z + 2) }
    }

    fn imm8_of(&mut self, a: Arg) {
        let v = self.arg(a).offset;
        self.put1(v as u8);
    }

    // Always inline: its only caller is `assemble`, and the call cost more
    // than the rest of some recipes.
    #[inline(always)]
    fn recipe(&mut self, o: &Entry, form: &Form, z: usize, opb: u8, br: BranchInfo) -> Result<(), String> {
        use Arg::*;
        let env = *self.env;
        let b = |i: usize| self.b(o, i);
        let (b0, b1, b2) = (b(z), b(z + 1), b(z + 2));
        match form.z {
            z::Zpseudo => {}
            z::Zlit => self.lit(o, z),
            z::Zlitr_m => {
                self.lit(o, z);
                self.modrm_rr(To, From)?;
            }
            z::Zlitm_r => {
                self.lit(o, z);
                self.modrm_rr(From, To)?;
            }
            z::Zlit_m_r => {
                self.lit(o, z);
                self.modrm_rr(F3, To)?;
            }
            z::Zmb_r | z::Zm_r => {
                if form.z == z::Zmb_r {
                    byte_reg(&mut self.p.from);
                }
                self.put1(opb);
                self.modrm_rr(From, To)?;
            }
            z::Z_m_r => {
                self.put1(opb);
                self.modrm_rr(F3, To)?;
            }
            z::Zm2_r => {
                self.put(&[opb, b1]);
                self.modrm_rr(From, To)?;
            }
            z::Zm_r_xm | z::Zm_r_xm_nr => {
                if form.z == z::Zm_r_xm_nr {
                    self.rex = 0;
                }
                self.media(o, opb, form.zoff, z);
                self.modrm_rr(From, To)?;
            }
            z::Zm_r_i_xm => {
                self.media(o, opb, form.zoff, z);
                self.modrm_rr(From, F3)?;
                self.imm8_of(To);
            }
            z::Zibm_r | z::Zibr_m => {
                self.lit(o, z);
                if form.z == z::Zibr_m {
                    self.modrm_rr(To, F3)?;
                } else {
                    self.modrm_rr(F3, To)?;
                }
                let v = self.p.from.offset;
                if form.args[0] == y::Yi32 && o.prefix == pfx::Pe {
                    self.put_i16(v as i16);
                } else if form.args[0] == y::Yi32 {
                    self.put_i32(v as i32);
                } else {
                    self.put1(v as u8);
                }
            }
            z::Zaut_r => {
                self.put1(0x8d);
                if self.p.from.ty != AddrType::Addr {
                    return Err("asmins: Zaut sb type ADDR".into());
                }
                let mut f = self.p.from.clone();
                f.ty = AddrType::Mem;
                let rr = r(&self.p.to);
                self.modrm(&f, reg(rr), regrex(rr))?;
            }
            z::Zm_o => {
                self.put1(opb);
                self.modrm_digit(From, b1)?;
            }
            z::Zr_m => {
                self.put1(opb);
                self.modrm_rr(To, From)?;
            }
            z::Zvex => self.vex(Some(From), Some(F3), Some(To), b0, b1),
            z::Zvex_rm_v_r => {
                self.vex(Some(From), Some(F3), Some(To), b0, b1);
                self.modrm_rr(From, To)?;
            }
            z::Zvex_rm_v_ro => {
                self.vex(Some(From), Some(F3), Some(To), b0, b1);
                self.modrm_digit(From, b2)?;
            }
            z::Zvex_i_rm_vo => {
                self.vex(Some(F3), Some(To), None, b0, b1);
                self.modrm_digit(F3, b2)?;
                self.imm8_of(From);
            }
            z::Zvex_i_r_v => {
                self.vex(Some(F3), Some(To), None, b0, b1);
                let f3 = r(self.arg(F3));
                let n = if (REG_X0..=REG_X0 + 15).contains(&f3) { f3 - REG_X0 } else { f3 - REG_Y0 };
                self.put1(b2 | (n as u8 & 7));
                self.imm8_of(From);
            }
            z::Zvex_i_rm_v_r => {
                self.vex(Some(F3), Some(R2), Some(To), b0, b1);
                self.modrm_rr(F3, To)?;
                self.imm8_of(From);
            }
            z::Zvex_i_rm_r => {
                self.vex(Some(F3), None, Some(To), b0, b1);
                self.modrm_rr(F3, To)?;
                self.imm8_of(From);
            }
            z::Zvex_v_rm_r => {
                self.vex(Some(F3), Some(From), Some(To), b0, b1);
                self.modrm_rr(F3, To)?;
            }
            z::Zvex_r_v_rm => {
                self.vex(Some(To), Some(F3), Some(From), b0, b1);
                self.modrm_rr(To, From)?;
            }
            z::Zvex_rm_r_vo => {
                self.vex(Some(From), Some(To), Some(F3), b0, b1);
                self.modrm_digit(From, b2)?;
            }
            z::Zvex_i_r_rm => {
                self.vex(Some(To), None, Some(F3), b0, b1);
                self.modrm_rr(To, F3)?;
                self.imm8_of(From);
            }
            z::Zvex_hr_rm_v_r => {
                self.vex(Some(F3), Some(R2), Some(To), b0, b1);
                self.modrm_rr(F3, To)?;
                let hr = r(&self.p.from);
                self.put1((reg_index(hr) << 4) as u8);
            }
            z::Zevex_k_rmo => {
                self.evex(self.ev(o, z), Some(To), None, None, Some(From))?;
                self.modrm_digit(To, self.b(o, z + 3))?;
            }
            z::Zevex_i_rm_vo => {
                self.evex(self.ev(o, z), Some(F3), Some(To), None, None)?;
                self.modrm_digit(F3, self.b(o, z + 3))?;
                self.imm8_of(From);
            }
            z::Zevex_i_rm_k_vo => {
                self.evex(self.ev(o, z), Some(F3), Some(To), None, Some(R2))?;
                self.modrm_digit(F3, self.b(o, z + 3))?;
                self.imm8_of(From);
            }
            z::Zevex_i_r_rm => {
                self.evex(self.ev(o, z), Some(To), None, Some(F3), None)?;
                self.modrm_rr(To, F3)?;
                self.imm8_of(From);
            }
            z::Zevex_i_r_k_rm => {
                self.evex(self.ev(o, z), Some(To), None, Some(F3), Some(R2))?;
                self.modrm_rr(To, F3)?;
                self.imm8_of(From);
            }
            z::Zevex_i_rm_r => {
                self.evex(self.ev(o, z), Some(F3), None, Some(To), None)?;
                self.modrm_rr(F3, To)?;
                self.imm8_of(From);
            }
            z::Zevex_i_rm_k_r => {
                self.evex(self.ev(o, z), Some(F3), None, Some(To), Some(R2))?;
                self.modrm_rr(F3, To)?;
                self.imm8_of(From);
            }
            z::Zevex_i_rm_v_r => {
                self.evex(self.ev(o, z), Some(F3), Some(R2), Some(To), None)?;
                self.modrm_rr(F3, To)?;
                self.imm8_of(From);
            }
            z::Zevex_i_rm_v_k_r => {
                self.evex(self.ev(o, z), Some(F3), Some(R2), Some(To), Some(R3))?;
                self.modrm_rr(F3, To)?;
                self.imm8_of(From);
            }
            z::Zevex_r_v_rm => {
                self.evex(self.ev(o, z), Some(To), Some(F3), Some(From), None)?;
                self.modrm_rr(To, From)?;
            }
            z::Zevex_rm_v_r => {
                self.evex(self.ev(o, z), Some(From), Some(F3), Some(To), None)?;
                self.modrm_rr(From, To)?;
            }
            z::Zevex_rm_k_r => {
                self.evex(self.ev(o, z), Some(From), None, Some(To), Some(F3))?;
                self.modrm_rr(From, To)?;
            }
            z::Zevex_r_k_rm => {
                self.evex(self.ev(o, z), Some(To), None, Some(From), Some(F3))?;
                self.modrm_rr(To, From)?;
            }
            z::Zevex_rm_v_k_r => {
                self.evex(self.ev(o, z), Some(From), Some(F3), Some(To), Some(R2))?;
                self.modrm_rr(From, To)?;
            }
            z::Zevex_r_v_k_rm => {
                self.evex(self.ev(o, z), Some(To), Some(F3), Some(From), Some(R2))?;
                self.modrm_rr(To, From)?;
            }
            z::Zr_m_xm | z::Zr_m_xm_nr => {
                if form.z == z::Zr_m_xm_nr {
                    self.rex = 0;
                }
                self.media(o, opb, form.zoff, z);
                self.modrm_rr(To, From)?;
            }
            z::Zo_m => {
                self.put1(opb);
                self.modrm_digit(To, b1)?;
            }
            z::Zcallindreg | z::Zo_m64 => {
                self.put1(opb);
                let t = self.p.to.clone();
                self.modrm(&t, i32::from(b1), 0)?;
            }
            z::Zm_ibo => {
                self.put1(opb);
                self.modrm_digit(From, b1)?;
                let v = self.value_noreloc(&self.p.to);
                self.put1(v as u8);
            }
            z::Zibo_m => {
                self.put1(opb);
                self.modrm_digit(To, b1)?;
                let v = self.value_noreloc(&self.p.from);
                self.put1(v as u8);
            }
            z::Zibo_m_xm => {
                let z2 = self.media(o, opb, form.zoff, z);
                self.modrm_digit(To, self.b(o, z2 + 1))?;
                let v = self.value_noreloc(&self.p.from);
                self.put1(v as u8);
            }
            z::Z_ib | z::Zib_ => {
                let a = if form.z == z::Zib_ { From } else { To };
                self.put1(opb);
                if op_is(&self.p, AXABORT) {
                    self.put1(b1);
                }
                let v = self.value_noreloc(self.arg(a));
                self.put1(v as u8);
            }
            z::Zib_rp => {
                let t = r(&self.p.to);
                self.rex |= regrex(t) & (REX_B | 0x40);
                let v = self.value_noreloc(&self.p.from);
                self.put(&[(i32::from(opb) + reg(t)) as u8, v as u8]);
            }
            z::Zil_rp => {
                let t = r(&self.p.to);
                self.rex |= regrex(t) & REX_B;
                self.put1((i32::from(opb) + reg(t)) as u8);
                self.imm_word(o, From);
            }
            z::Zo_iw => {
                self.put1(opb);
                if self.p.from.ty != AddrType::None {
                    let v = self.value_noreloc(&self.p.from);
                    self.put_i16(v as i16);
                }
            }
            z::Ziq_rp => {
                let (v, rel) = self.value(&self.p.from);
                let l = v >> 32;
                let t = r(&self.p.to);
                if l == 0 {
                    self.rex &= !(0x40 | REX_W);
                    self.rex |= regrex(t) & REX_B;
                    self.put1((0xb8 + reg(t)) as u8);
                    if let Some((k, s, add)) = rel {
                        self.reloc(4, k, s, add);
                    }
                    self.put_i32(v as i32);
                } else if l == -1 && (v as u64) & (1 << 31) != 0 {
                    self.put1(0xc7);
                    self.modrm_digit(To, 0)?;
                    self.put_i32(v as i32);
                } else {
                    self.rex |= regrex(t) & REX_B;
                    self.put1((i32::from(opb) + reg(t)) as u8);
                    if let Some((k, s, add)) = rel {
                        self.reloc(8, k, s, add);
                    }
                    self.put(&v.to_le_bytes());
                }
            }
            z::Zib_rr => {
                self.put1(opb);
                self.modrm_rr(To, To)?;
                let v = self.value_noreloc(&self.p.from);
                self.put1(v as u8);
            }
            z::Z_il | z::Zil_ => {
                let a = if form.z == z::Zil_ { From } else { To };
                self.put1(opb);
                self.imm_word(o, a);
            }
            z::Zm_ilo | z::Zilo_m => {
                self.put1(opb);
                let a = if form.z == z::Zilo_m {
                    self.modrm_digit(To, b1)?;
                    From
                } else {
                    self.modrm_digit(From, b1)?;
                    To
                };
                self.imm_word(o, a);
            }
            z::Zil_rr => {
                self.put1(opb);
                self.modrm_rr(To, To)?;
                self.imm_word(o, From);
            }
            z::Z_rp => {
                let t = r(&self.p.to);
                self.rex |= regrex(t) & (REX_B | 0x40);
                self.put1((i32::from(opb) + reg(t)) as u8);
            }
            z::Zrp_ => {
                let f = r(&self.p.from);
                self.rex |= regrex(f) & (REX_B | 0x40);
                self.put1((i32::from(opb) + reg(f)) as u8);
            }
            z::Zcallcon | z::Zjmpcon => {
                // The target is the absolute address in the addend.
                self.put1(if form.z == z::Zcallcon { opb } else { b1 });
                self.reloc(4, RelocKind::Pcrel, None, self.p.to.offset);
                self.put_i32(0);
            }
            z::Zcallind => {
                self.put(&[opb, b1]);
                let kind = if env.amd64 { RelocKind::Pcrel } else { RelocKind::Addr };
                let (s, add) = (self.p.to.sym, self.p.to.offset);
                self.reloc(4, kind, s, add);
                self.put_i32(0);
            }
            z::Zcall | z::Zcallduff => {
                if self.p.to.sym.is_none() {
                    return Err("call without target".into());
                }
                if form.z == z::Zcallduff && env.dynlink {
                    return Err("directly calling duff when dynamically linking Go".into());
                }
                self.put1(opb);
                let (s, add) = (self.p.to.sym, self.p.to.offset);
                self.reloc(4, RelocKind::Call, s, add);
                self.put_i32(0);
            }
            z::Zbr | z::Zjmp | z::Zloop => {
                let xbegin = op_is(&self.p, AXBEGIN);
                let jcxz = op_is(&self.p, AJCXZL);
                if xbegin {
                    self.put1(opb);
                }
                if self.p.to.sym.is_some() {
                    if form.z != z::Zjmp {
                        return Err("branch to ATEXT".into());
                    }
                    self.put1(b1);
                    let s = self.p.to.sym;
                    self.reloc(4, RelocKind::Call, s, 0);
                    self.put_i32(0);
                    return Ok(());
                }
                if br.backward {
                    let mut v = br.target_pc - (self.p.pc + 2);
                    if v >= -128 && !xbegin {
                        if jcxz {
                            self.put1(0x67);
                        }
                        self.put(&[opb, v as u8]);
                    } else if form.z == z::Zloop {
                        return Err("loop too far".into());
                    } else {
                        v -= 5 - 2;
                        if xbegin {
                            v -= 1;
                        }
                        if form.z == z::Zbr {
                            self.put1(0x0f);
                            v -= 1;
                        }
                        self.put1(b1);
                        self.put_i32(v as i32);
                    }
                    return Ok(());
                }
                if br.short && !xbegin {
                    if jcxz {
                        self.put1(0x67);
                    }
                    self.put(&[opb, 0]);
                    self.fwd = Some(Fwd::Short(self.buf.len() - 1 - self.start));
                } else if form.z == z::Zloop {
                    return Err("loop too far".into());
                } else {
                    if form.z == z::Zbr {
                        self.put1(0x0f);
                    }
                    self.put1(b1);
                    self.put_i32(0);
                    self.fwd = Some(Fwd::Long);
                }
            }
            z::Zbyte => {
                let (v, rel) = self.value(&self.p.from);
                if let Some((k, s, add)) = rel {
                    self.reloc(opb, k, s, add);
                }
                self.put(&v.to_le_bytes()[..opb as usize]);
            }
            _ => return Err(format!("unknown recipe {}", form.z)),
        }
        Ok(())
    }

    /// Rows of the special-register move table, tried when no form fits.
    fn special_moves(&mut self, args: &[u8]) -> Result<(), String> {
        let env = *self.env;
        let op = i64::from(self.p.op.0);
        let ft = classify(&env, &self.p.from);
        let tt = classify(&env, &self.p.to);
        let f3t = match self.p.rest.first() {
            Some((a, _)) => classify(&env, a),
            None => y::Ynone,
        };
        let _ = args;
        for m in optab::mov_forms(op) {
            if !(optab::covers(ft, m.ft) && optab::covers(f3t, m.f3t) && optab::covers(tt, m.tt)) {
                continue;
            }
            let t = m.bytes;
            match m.kind {
                MovKind::Lit => {
                    for &c in t.iter().take_while(|&&c| c != 0) {
                        self.put1(c);
                    }
                }
                MovKind::RegMem => {
                    self.put1(t[0]);
                    self.modrm_digit(Arg::To, t[1])?;
                }
                MovKind::MemReg => {
                    self.put1(t[0]);
                    self.modrm_digit(Arg::From, t[1])?;
                }
                MovKind::RegMem2 => {
                    self.put(&t[..2]);
                    self.modrm_digit(Arg::To, t[2])?;
                    self.rex |= regrex(r(&self.p.from)) & (REX_R | 0x40);
                }
                MovKind::MemReg2 => {
                    self.put(&t[..2]);
                    self.modrm_digit(Arg::From, t[2])?;
                    self.rex |= regrex(r(&self.p.to)) & (REX_R | 0x40);
                }
                MovKind::FullPtr => return Err("load full pointer is not supported".into()),
                MovKind::DoubleShift => {
                    let mut t: &[u8] = &t;
                    if t[0] == pfx::Pw {
                        if !env.amd64 {
                            return Err("illegal 64-bit instruction".into());
                        }
                        self.rex |= REX_W;
                        t = &t[1..];
                    } else if t[0] == pfx::Pe {
                        self.put1(0x66);
                        t = &t[1..];
                    }
                    let f3 = r(self.arg(Arg::F3));
                    let to = self.p.to.clone();
                    match self.p.from.ty {
                        AddrType::Const => {
                            self.put(&[0x0f, t[0]]);
                            self.modrm(&to, reg(f3), regrex(f3))?;
                            let v = self.p.from.offset;
                            self.put1(v as u8);
                        }
                        AddrType::Reg if matches!(r(&self.p.from), REG_CL | REG_CX) => {
                            self.put(&[0x0f, t[1]]);
                            self.modrm(&to, reg(f3), regrex(f3))?;
                        }
                        _ => return Err("invalid instruction".into()),
                    }
                }
                MovKind::TlsReg => {
                    if env.amd64 && op != AMOVQ || !env.amd64 && op != AMOVL {
                        return Err("invalid load of TLS".into());
                    }
                    let to = r(&self.p.to);
                    if let super::tls::TlsLoad::FsZero = super::tls::load_form(env.amd64, env.goos)? {
                        // solaris: MOVQ FS:0, R.
                        self.rex = REX_W | (regrex(to) & REX_R);
                        self.put(&[0x64, 0x8b]);
                        self.modrm(&Addr { ty: AddrType::Mem, ..Default::default() }, reg(to), regrex(to))?;
                        return Ok(());
                    }
                    if !env.amd64 {
                        if env.shared {
                            // Initial exec: the PC from a thunk, then g's
                            // GOT slot relative to it.
                            let thunk = env.pc_thunks[reg(to) as usize & 7];
                            self.put1(0xe8);
                            self.reloc(4, RelocKind::Call, Some(thunk), 0);
                            self.put_i32(0);
                            self.put(&[0x8b, (2 << 6 | reg(to) | reg(to) << 3) as u8]);
                            self.reloc(4, RelocKind::Arch("R_TLS_IE"), Some(env.tlsg), 2);
                            self.put_i32(0);
                            return Ok(());
                        }
                        self.put(&[0x65, 0x8b]);
                        let from = Addr { ty: AddrType::Mem, reg: arch_tables::Reg(REG_GS as u16), ..Default::default() };
                        self.modrm(&from, reg(to), regrex(to))?;
                    } else {
                        if !env.shared {
                            return Err("unknown TLS base location for linux/freebsd without -shared".into());
                        }
                        self.rex = REX_W | (regrex(to) & REX_R);
                        self.put(&[0x8b, (0x05 | reg(to) << 3) as u8]);
                        let tlsg = env.tlsg;
                        self.reloc(4, RelocKind::Arch("R_TLS_IE"), Some(tlsg), -4);
                        self.put_i32(0);
                    }
                }
            }
            return Ok(());
        }
        if !env.amd64 {
            return self.byte_swap_fallback();
        }
        Err("invalid instruction".into())
    }

    /// 386 has no byte form of SI/DI/BP/SP (and some rows take no SI/DI/BP/SP
    /// at all): Go exchanges the register with one that fits, encodes the
    /// instruction on that register, and exchanges back.
    fn byte_swap_fallback(&mut self) -> Result<(), String> {
        if self.env.amd64 {
            return Err("invalid instruction".into());
        }
        let orig = self.p.clone();
        let mut pp = orig.clone();
        unbyte_reg(&mut pp.from);
        unbyte_reg(&mut pp.to);
        for (this, other) in [(orig.from.clone(), orig.to.clone()), (orig.to.clone(), orig.from.clone())] {
            let z = r(&this);
            if this.ty != AddrType::Reg || !(REG_BP..=REG_DI).contains(&z) {
                continue;
            }
            let swap_with = byte_swap_reg(&other)?;
            let xchg = |a: &mut Self| -> Result<(), String> {
                if swap_with == REG_AX {
                    a.put1((0x90 + reg(z)) as u8);
                    Ok(())
                } else {
                    a.put1(0x87);
                    a.modrm(&this, reg(swap_with), 0)
                }
            };
            xchg(self)?;
            substitute_reg(&mut pp, z, swap_with);
            *self.p = pp;
            let res = self.assemble(BranchInfo::default());
            *self.p = orig;
            res?;
            return xchg(self);
        }
        Err("invalid instruction".into())
    }
}

/// Turns a byte register operand back into its word register.
fn unbyte_reg(a: &mut Addr) {
    if a.ty == AddrType::Reg && a.index.is_none() && (REG_AL..=REG_R15B).contains(&r(a)) {
        a.reg.0 = (r(a) + REG_AX - REG_AL) as u16;
    }
}

/// Replaces register `from` by `to` as base, index or register operand.
fn substitute_reg(p: &mut Prog, from: i64, to: i64) {
    for a in [&mut p.from, &mut p.to] {
        if r(a) == from {
            a.reg.0 = to as u16;
        }
        if ix(a) == from {
            a.index.0 = to as u16;
        }
    }
}

/// A byte-addressable register the other operand does not use.
fn byte_swap_reg(a: &Addr) -> Result<i64, String> {
    let (mut ax, mut bx, mut cx, mut dx) = (true, true, true, true);
    if a.ty == AddrType::None {
        ax = false;
        dx = false;
    }
    let mem = matches!(a.ty, AddrType::Mem | AddrType::Addr);
    if a.ty == AddrType::Reg || mem && a.name == AddrName::None {
        match r(a) {
            0 => {
                ax = false;
                dx = false;
            }
            REG_AX | REG_AL | REG_AH => ax = false,
            REG_BX | REG_BL | REG_BH => bx = false,
            REG_CX | REG_CL | REG_CH => cx = false,
            REG_DX | REG_DL | REG_DH => dx = false,
            _ => {}
        }
    }
    if mem {
        match ix(a) {
            REG_AX => ax = false,
            REG_BX => bx = false,
            REG_CX => cx = false,
            REG_DX => dx = false,
            _ => {}
        }
    }
    [(ax, REG_AX), (bx, REG_BX), (cx, REG_CX), (dx, REG_DX)]
        .into_iter()
        .find(|&(ok, _)| ok)
        .map(|(_, r)| r)
        .ok_or_else(|| "impossible byte register".to_string())
}
