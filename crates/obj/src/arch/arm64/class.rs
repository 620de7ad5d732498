//! Operand classification: which class (Go's `C_*` numbers) an operand
//! belongs to, and the offset it carries. Constants are classified by what
//! can encode them (add immediate, logical bitmask, MOVZ/MOVN, ...).

use arch_tables::arm64::consts as k;

use crate::addr::{Addr, AddrName, AddrType};
use crate::prog::Prog;
use crate::sym::{SymKind, SymTab};

/// Class numbers as `u8` (they all fit).
#[allow(dead_code)]
pub mod c {
    use arch_tables::arm64::consts as k;
    macro_rules! classes {
        ($($n:ident),*) => { $(pub const $n: u8 = k::$n as u8;)* };
    }
    classes!(C_NONE, C_REG, C_ZREG, C_RSP, C_FREG, C_VREG, C_PAIR, C_SHIFT, C_EXTREG, C_SPR, C_COND, C_SPOP, C_ARNG,
        C_ELEM, C_LIST, C_ZCON, C_ABCON0, C_ADDCON0, C_ABCON, C_AMCON, C_ADDCON, C_MBCON, C_MOVCON, C_BITCON,
        C_ADDCON2, C_LCON, C_MOVCON2, C_MOVCON3, C_VCON, C_FCON, C_VCONADDR, C_AACON, C_AACON2, C_LACON, C_AECON,
        C_SBRA, C_LBRA, C_ZAUTO, C_NSAUTO, C_NAUTO4K, C_LAUTO, C_LAUTOPOOL, C_UAUTO4K, C_UAUTO8K, C_UAUTO16K,
        C_UAUTO32K, C_UAUTO64K, C_ZOREG, C_NSOREG, C_NOREG4K, C_LOREG, C_LOREGPOOL, C_UOREG4K, C_UOREG8K,
        C_UOREG16K, C_UOREG32K, C_UOREG64K, C_SEXT1, C_SEXT16, C_LEXT, C_ADDR, C_GOTADDR, C_TLS_LE, C_TLS_IE,
        C_ROFF, C_GOK, C_TEXTSIZE, C_XPRE, C_XPOST);
}

use super::optab::fits;

/// What classification needs to know beyond the operand.
pub struct Cx<'a> {
    pub syms: &'a SymTab,
    /// Frame size (Go's autosize) and the extra FP-save area below it.
    pub autosize: i64,
    pub extrasize: i64,
    pub shared: bool,
}

pub fn isaddcon(v: i64) -> bool {
    if v < 0 {
        return false;
    }
    let v = if v & 0xfff == 0 { v >> 12 } else { v };
    v <= 0xfff
}

pub fn isaddcon2(v: i64) -> bool {
    (0..=0xff_ffff).contains(&v)
}

/// Whether the low `size` bits of `x` are a contiguous run of ones.
fn ones_run(x: u64) -> bool {
    let y = x & x.wrapping_neg();
    let y = y.wrapping_add(x);
    y.wrapping_sub(1) & y == 0
}

/// Whether `x` is encodable as a logical-immediate bitmask (64-bit view).
pub fn isbitcon(x: u64) -> bool {
    if x == 0 || x == u64::MAX {
        return false;
    }
    let x = if x != x.rotate_right(32) {
        x
    } else if x != x.rotate_right(16) {
        x as i32 as i64 as u64
    } else if x != x.rotate_right(8) {
        x as i16 as i64 as u64
    } else if x != x.rotate_right(4) {
        x as i8 as i64 as u64
    } else {
        return true;
    };
    ones_run(x) || ones_run(!x)
}

/// The N:immr:imms fields (at bits 22, 16, 10) of a bitmask immediate.
pub fn bitcon_fields(x: u64, mode: u32) -> u32 {
    let mut x = if mode == 32 { (x & 0xffff_ffff) << 32 | (x & 0xffff_ffff) } else { x };
    let period: u32 = if x != x.rotate_right(32) {
        64
    } else if x != x.rotate_right(16) {
        x = x as i32 as i64 as u64;
        32
    } else if x != x.rotate_right(8) {
        x = x as i16 as i64 as u64;
        16
    } else if x != x.rotate_right(4) {
        x = x as i8 as i64 as u64;
        8
    } else if x != x.rotate_right(2) {
        x = ((x << 60) as i64 >> 60) as u64;
        4
    } else {
        x = ((x << 62) as i64 >> 62) as u64;
        2
    };
    let neg = (x as i64) < 0;
    if neg {
        x = !x;
    }
    let low = x & x.wrapping_neg();
    let mut s = 63 - low.leading_zeros();
    let mut n = (63 - x.wrapping_add(low).leading_zeros()) - s;
    if x.wrapping_add(low) == 0 {
        // a run reaching bit 63
        n = 64 - s;
    }
    if neg {
        s += n;
        n = period - n;
    }
    let big_n = u32::from(mode == 64 && period == 64);
    let r = (period - s) & (period - 1) & (mode - 1);
    let imms = (n - 1) | (63 & !((period << 1) - 1));
    big_n << 22 | r << 16 | imms << 10
}

/// The 16-bit aligned position of the single nonzero halfword of `v`, if any.
pub fn movcon(v: i64) -> Option<u32> {
    (0..64).step_by(16).find(|&s| (v as u64) & !(0xffffu64 << s) == 0)
}

pub fn conclass(v: i64, mode: u32) -> u8 {
    let vbit = if mode == 32 { (v as u64) << 32 | (v as u64 & 0xffff_ffff) } else { v as u64 };
    let vnot = if mode == 32 { !v as u32 as i64 } else { !v };
    if v == 0 {
        return c::C_ZCON;
    }
    if isaddcon(v) {
        if v <= 0xfff {
            return if isbitcon(vbit) { c::C_ABCON0 } else { c::C_ADDCON0 };
        }
        if isbitcon(vbit) {
            return c::C_ABCON;
        }
        if movcon(v).is_some() || movcon(vnot).is_some() {
            return c::C_AMCON;
        }
        return c::C_ADDCON;
    }
    if movcon(v).is_some() || movcon(vnot).is_some() {
        return if isbitcon(vbit) { c::C_MBCON } else { c::C_MOVCON };
    }
    if isbitcon(vbit) {
        return c::C_BITCON;
    }
    if isaddcon2(v) {
        return c::C_ADDCON2;
    }
    if v as u64 == v as u32 as u64 || v == v as i32 as i64 {
        return c::C_LCON;
    }
    c::C_VCON
}

/// Finer class of a 64-bit constant: how many MOVZ/MOVN/MOVK/ORR steps it takes.
pub fn con64class(v: i64) -> u8 {
    let (mut zeros, mut ones) = (0, 0);
    for i in 0..4 {
        match (v >> (i * 16)) & 0xffff {
            0 => zeros += 1,
            0xffff => ones += 1,
            _ => {}
        }
    }
    if zeros >= 3 || ones >= 3 {
        return c::C_MOVCON;
    }
    if zeros == 2 || ones == 2 {
        return c::C_MOVCON2;
    }
    if bitmask_plus_movk(v as u64).is_some() {
        return c::C_MOVCON2;
    }
    if zeros == 1 || ones == 1 {
        c::C_MOVCON3
    } else {
        c::C_VCON
    }
}

/// A bitmask immediate that differs from `v` in one halfword: (halfword index, bitmask).
pub fn bitmask_plus_movk(v: u64) -> Option<(u32, u64)> {
    for i in 0..4 {
        let mask = 0xffffu64 << (i * 16);
        let mut period = 2;
        while period <= 32 {
            let x = v & !mask | v.rotate_left(period.max(16)) & mask;
            if isbitcon(x) {
                return Some((i, x));
            }
            period *= 2;
        }
    }
    None
}

fn autoclass(l: i64) -> u8 {
    use c::*;
    let k = |n: i64| k_of(n);
    if l == 0 {
        return C_ZAUTO;
    }
    if l < 0 {
        return if l >= -256 && l & 15 == 0 {
            k(k::C_NSAUTO_16)
        } else if l >= -256 && l & 7 == 0 {
            k(k::C_NSAUTO_8)
        } else if l >= -256 && l & 3 == 0 {
            k(k::C_NSAUTO_4)
        } else if l >= -256 {
            C_NSAUTO
        } else if l >= -512 && l & 15 == 0 {
            k(k::C_NPAUTO_16)
        } else if l >= -512 && l & 7 == 0 {
            k(k::C_NPAUTO)
        } else if l >= -1024 && l & 15 == 0 {
            k(k::C_NQAUTO_16)
        } else if l >= -4095 {
            C_NAUTO4K
        } else {
            C_LAUTO
        };
    }
    // Positive offsets: the smallest range that holds l, then the largest
    // alignment among those the range distinguishes.
    let tiers: &[(i64, &[(i64, i64)])] = &[
        (255, &[(15, k::C_PSAUTO_16), (7, k::C_PSAUTO_8), (3, k::C_PSAUTO_4), (0, k::C_PSAUTO)]),
        (504, &[(15, k::C_PPAUTO_16), (7, k::C_PPAUTO)]),
        (1008, &[(15, k::C_PQAUTO_16)]),
        (4095, &[(15, k::C_UAUTO4K_16), (7, k::C_UAUTO4K_8), (3, k::C_UAUTO4K_4), (1, k::C_UAUTO4K_2), (0, k::C_UAUTO4K)]),
        (8190, &[(15, k::C_UAUTO8K_16), (7, k::C_UAUTO8K_8), (3, k::C_UAUTO8K_4), (1, k::C_UAUTO8K)]),
        (16380, &[(15, k::C_UAUTO16K_16), (7, k::C_UAUTO16K_8), (3, k::C_UAUTO16K)]),
        (32760, &[(15, k::C_UAUTO32K_16), (7, k::C_UAUTO32K)]),
        (65520, &[(15, k::C_UAUTO64K)]),
    ];
    for &(max, aligns) in tiers {
        if l <= max {
            for &(m, cls) in aligns {
                if l & m == 0 {
                    return k(cls);
                }
            }
        }
    }
    C_LAUTO
}

fn k_of(n: i64) -> u8 {
    n as u8
}

fn oregclass(l: i64) -> u8 {
    autoclass(l) - c::C_ZAUTO + c::C_ZOREG
}

/// The class of a register number.
pub fn rclass(r: i64) -> u8 {
    use c::*;
    if (k::REG_R0..=k::REG_R30).contains(&r) {
        C_REG
    } else if r == k::REGZERO {
        C_ZREG
    } else if (k::REG_F0..=k::REG_F31).contains(&r) {
        C_FREG
    } else if (k::REG_V0..=k::REG_V31).contains(&r) {
        C_VREG
    } else if r == k::REGSP {
        C_RSP
    } else if (k::REG_ARNG..k::REG_ELEM).contains(&r) {
        C_ARNG
    } else if (k::REG_ELEM..k::REG_ZARNG).contains(&r) {
        C_ELEM
    } else if (k::REG_UXTB..k::REG_SPECIAL).contains(&r) || (k::REG_LSL..k::REG_ARNG).contains(&r) {
        C_EXTREG
    } else if r >= k::REG_SPECIAL {
        C_SPR
    } else {
        C_GOK
    }
}

/// Whether a memory operand's index is a shifted or extended register.
pub fn index_shifted(a: &Addr) -> bool {
    let x = a.index.0 as i64 - 8192;
    a.index.0 != 0 && (x & (k::REG_EXT - 8192) != 0 || x & (k::REG_LSL - 8192) != 0)
}

impl Cx<'_> {
    /// Class and offset (Go's `instoffset`) of an operand.
    #[inline]
    pub fn aclass(&self, a: &Addr) -> (u8, i64) {
        // Registers, the most common operands, without a call.
        if a.ty == AddrType::Reg {
            return (rclass(a.reg.0 as i64), 0);
        }
        self.aclass_other(a)
    }

    /// [`Self::aclass`] of an operand that is not a register.
    #[inline(never)]
    fn aclass_other(&self, a: &Addr) -> (u8, i64) {
        use c::*;
        match a.ty {
            AddrType::None => (C_NONE, 0),
            AddrType::Reg => (rclass(a.reg.0 as i64), 0),
            AddrType::RegReg => (C_PAIR, 0),
            AddrType::Shift => (C_SHIFT, 0),
            AddrType::RegList => (C_LIST, 0),
            AddrType::Mem => {
                let r = a.reg.0 as i64;
                if (k::REG_F0..=k::REG_V31).contains(&r) {
                    return (C_GOK, 0);
                }
                match a.name {
                    AddrName::Extern | AddrName::Static => match a.sym {
                        None => (C_GOK, 0),
                        Some(s) => {
                            if self.syms.get(s).kind == SymKind::TlsBss {
                                (if self.shared { C_TLS_IE } else { C_TLS_LE }, a.offset)
                            } else {
                                (C_ADDR, a.offset)
                            }
                        }
                    },
                    AddrName::GotRef => (C_GOTADDR, 0),
                    AddrName::Auto => {
                        let v = self.autosize + a.offset - self.extrasize;
                        (autoclass(v), v)
                    }
                    AddrName::Param => {
                        let v = self.autosize + a.offset + 8;
                        (autoclass(v), v)
                    }
                    AddrName::None => {
                        if a.index.0 != 0 {
                            if a.offset != 0 && !index_shifted(a) {
                                return (C_GOK, 0);
                            }
                            return (C_ROFF, 0);
                        }
                        (oregclass(a.offset), a.offset)
                    }
                    AddrName::TocRef => (C_GOK, 0),
                }
            }
            AddrType::FConst => (C_FCON, 0),
            AddrType::TextSize => (C_TEXTSIZE, 0),
            AddrType::Const | AddrType::Addr => {
                let v = match a.name {
                    AddrName::None => {
                        if a.reg.0 != 0 && a.reg.0 as i64 != k::REGZERO {
                            a.offset
                        } else {
                            return (conclass(a.offset, 64), a.offset);
                        }
                    }
                    AddrName::Extern | AddrName::Static => {
                        return if a.sym.is_none() { (C_GOK, 0) } else { (C_VCONADDR, a.offset) };
                    }
                    AddrName::Auto => self.autosize + a.offset - self.extrasize,
                    AddrName::Param => self.autosize + a.offset + 8,
                    _ => return (C_GOK, 0),
                };
                if isaddcon(v) || isaddcon(-v) {
                    (C_AACON, v)
                } else if isaddcon2(v) {
                    (C_AACON2, v)
                } else {
                    (C_LACON, v)
                }
            }
            AddrType::Branch => (C_SBRA, 0),
            AddrType::Special => {
                if (k::SPOP_EQ..=k::SPOP_NV).contains(&a.offset) {
                    (C_COND, 0)
                } else {
                    (C_SPOP, 0)
                }
            }
            _ => (C_GOK, 0),
        }
    }

    /// The class of the `from` operand as row lookup sees it (with the
    /// width-specific refinements of constants and long offsets).
    #[inline]
    pub fn class_of_from(&self, p: &Prog) -> (u8, i64) {
        // A register or no operand has no refinements: no call for them.
        match p.from.ty {
            AddrType::Reg => (rclass(p.from.reg.0 as i64), 0),
            AddrType::None => (c::C_NONE, 0),
            _ => self.class_of_other_from(p),
        }
    }

    /// [`Self::class_of_from`] of an operand that is neither.
    #[inline(never)]
    fn class_of_other_from(&self, p: &Prog) -> (u8, i64) {
        use super::ops::*;
        let (mut cls, v) = self.aclass(&p.from);
        let op = p.op.0 as i64;
        if cls == c::C_ADDCON2 && is_adds(op) {
            cls = c::C_LCON;
        }
        if p.from.ty == AddrType::Const && p.from.name == AddrName::None {
            if op == k::AMOVW || is_addw(op) || is_andw(op) {
                cls = conclass(p.from.offset as u32 as i64, 32);
                if (op == k::AADDSW || op == k::ASUBSW) && cls == c::C_ADDCON2 {
                    cls = c::C_LCON;
                }
            }
            if (op == k::AMOVD || is_and(op) || is_add(op)) && (cls == c::C_LCON || cls == c::C_VCON) {
                cls = con64class(p.from.offset);
            }
        }
        if p.from.ty == AddrType::Mem {
            cls = self.refine_mem(p, cls, v);
        }
        (cls, v)
    }

    #[inline]
    pub fn class_of_to(&self, p: &Prog) -> (u8, i64) {
        let (mut cls, v) = self.aclass(&p.to);
        if p.to.ty == AddrType::Mem {
            cls = self.refine_mem(p, cls, v);
        }
        (cls, v)
    }

    fn refine_mem(&self, p: &Prog, cls: u8, v: i64) -> u8 {
        use super::ops::*;
        let op = p.op.0 as i64;
        let long = fits(c::C_LAUTO, cls) || fits(c::C_LOREG, cls);
        if !long || p.scond as i64 == k::C_XPRE || p.scond as i64 == k::C_XPOST {
            return cls;
        }
        let mut pool;
        if is_mov(op) {
            if fits(c::C_NSAUTO, cls) || fits(c::C_NSOREG, cls) {
                return cls;
            }
            pool = !(-4095..=4095).contains(&v);
            let scaled = |shift: u32, a: u8, o: u8| -> Option<bool> {
                if fits(a, cls) || fits(o, cls) {
                    return None;
                }
                let lo = 0xfff_i64 << shift;
                let m = (1_i64 << shift) - 1;
                Some(v >= 0 && v <= 0xfff000 + lo && (v & m == 0 || v <= 0xfff + lo))
            };
            let ok = match op {
                _ if op == k::AMOVB || op == k::AMOVBU => {
                    if fits(c::C_UAUTO4K, cls) || fits(c::C_UOREG4K, cls) {
                        return cls;
                    }
                    Some((0..=0xffffff).contains(&v))
                }
                _ if op == k::AMOVH || op == k::AMOVHU => scaled(1, c::C_UAUTO8K, c::C_UOREG8K),
                _ if op == k::AMOVW || op == k::AMOVWU || op == k::AFMOVS => scaled(2, c::C_UAUTO16K, c::C_UOREG16K),
                _ if op == k::AMOVD || op == k::AFMOVD => scaled(3, c::C_UAUTO32K, c::C_UOREG32K),
                _ if op == k::AFMOVQ => scaled(4, c::C_UAUTO64K, c::C_UOREG64K),
                _ => Some(false),
            };
            match ok {
                None => return cls,
                Some(true) => pool = false,
                Some(false) => {}
            }
        } else if is_ldst_pair(op) {
            if fits(c::C_NAUTO4K, cls)
                || fits(c::C_NOREG4K, cls)
                || fits(c::C_UAUTO4K, cls)
                || fits(c::C_UOREG4K, cls)
            {
                return cls;
            }
            pool = !(0..=0xffffff).contains(&v);
        } else {
            return cls;
        }
        if pool && fits(c::C_LAUTO, cls) {
            return c::C_LAUTOPOOL;
        }
        if pool && fits(c::C_LOREG, cls) {
            return c::C_LOREGPOOL;
        }
        cls
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitmask_fields() {
        // AND $0xff, R0 -> N=1 immr=0 imms=7; 32-bit 0x0000ffff -> imms=15
        assert_eq!(bitcon_fields(0xff, 64), 1 << 22 | 7 << 10);
        assert_eq!(bitcon_fields(0xffff, 32), 15 << 10);
        assert!(isbitcon(0x5555_5555_5555_5555));
        assert!(!isbitcon(0x1234));
        assert_eq!(bitcon_fields(0x8000_0000_0000_0000, 64), 1 << 22 | 1 << 16);
    }
}
