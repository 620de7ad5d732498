//! SVE/SVE2 (with `GOEXPERIMENT=simd`, as Go requires): every SVE opcode has
//! a group of candidate encodings (generated in `sve_gen.rs`); an
//! instruction takes the first whose operand classes match and whose field
//! encoders all accept the operand parts.

use arch_tables::arm64::consts as k;

use super::sve_gen::{self as gen, ENCODERS, FNS, GROUPS};
use crate::addr::{Addr, AddrType, AddrVal};
use crate::prog::Prog;

/// One operand of an encoding: its class and, per operand part, a field
/// encoder and the encoding component it fills.
pub struct Arg {
    pub class: u8,
    pub encs: &'static [(u16, u8)],
}

pub struct Encoder {
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub op: u16,
    pub fixed: u32,
    pub args: &'static [Arg],
}

/// Accepts a raw register number (0-31) or a Z register, leaving 0-31.
pub fn strip_raw_z(v: &mut u32) -> bool {
    let r = *v as i64;
    if r >= 8192 && !(k::REG_Z0..=k::REG_Z31).contains(&r) && !(k::REG_ZARNG..k::REG_ZARNGELEM).contains(&r) {
        return false;
    }
    *v &= 31;
    true
}

/// Whether `v` is a raw number or a general register (R0-R31, RSP).
pub fn check_is_r(v: u32) -> bool {
    !(v as i64 > k::REG_R31 && v as i64 != k::REG_RSP)
}

pub fn is_sve(op: u16) -> bool {
    (op as i64) > k::ASVESTART && (op as i64) < k::ALAST
}

thread_local! {
    static FORCED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether Go accepts SVE here (`GOEXPERIMENT=simd`).
pub fn enabled() -> bool {
    FORCED.with(|f| f.get()) || std::env::var("GOEXPERIMENT").is_ok_and(|v| v.split(',').any(|e| e == "simd"))
}

/// Turns SVE on for this thread regardless of the environment (tests).
#[cfg(test)]
pub fn force(on: bool) {
    FORCED.with(|f| f.set(on));
}

fn class(a: &Addr) -> Option<i64> {
    let r = a.reg.0 as i64;
    Some(match a.ty {
        AddrType::Reg => {
            if a.offset & (1 << 62) != 0 {
                k::AC_PREGSEL
            } else if (k::REG_Z0..=k::REG_Z31).contains(&r) {
                k::AC_ZREG
            } else if (k::REG_P0..=k::REG_PN15).contains(&r) {
                k::AC_PREG
            } else if (k::REG_ARNG..k::REG_ELEM).contains(&r) || (k::REG_ZARNG..k::REG_ZARNGELEM).contains(&r) {
                k::AC_ARNG
            } else if (k::REG_ZARNGELEM..k::REG_PZELEM).contains(&r) {
                k::AC_ARNGIDX
            } else if (k::REG_PZELEM..k::REG_PARNGZM).contains(&r) {
                if r & (1 << 5) == 0 { k::AC_ZREGIDX } else { k::AC_PREGIDX }
            } else if (k::REG_PARNGZM..k::REG_PARNGZM_END).contains(&r) {
                match (r >> 5) & 15 {
                    k::PRED_M | k::PRED_Z => k::AC_PREGZM,
                    _ => k::AC_ARNG,
                }
            } else if (k::REG_V0..=k::REG_V31).contains(&r) {
                k::AC_VREG
            } else if (k::REG_R0..=k::REG_R31).contains(&r) || r == k::REG_RSP {
                k::AC_SPZGREG
            } else {
                return None;
            }
        }
        AddrType::Const | AddrType::FConst => k::AC_IMM,
        AddrType::RegList => {
            if a.scale > 0 {
                k::AC_REGLIST_RANGE
            } else {
                match (a.offset >> 12) & 15 {
                    0x7 => k::AC_REGLIST1,
                    0xa => k::AC_REGLIST2,
                    0x6 => k::AC_REGLIST3,
                    0x2 => k::AC_REGLIST4,
                    _ => return None,
                }
            }
        }
        AddrType::Mem => {
            if a.index.0 == 0 {
                if a.scale as i32 & -32768 != 0 { k::AC_MEMOFFMULVL } else { k::AC_MEMOFF }
            } else {
                k::AC_MEMEXT
            }
        }
        AddrType::Special => k::AC_SPECIAL,
        _ => return None,
    })
}

/// The `i`th part of an operand of class `cl` (register, arrangement, index, ...).
fn part(a: &Addr, cl: i64, i: usize) -> u32 {
    let reg = a.reg.0 as u32;
    match cl {
        k::AC_PREGSEL => match i {
            0 => (a.offset & 31) as u32,
            1 => ((a.offset >> 5) & 15) as u32,
            2 => (((a.offset >> 9) & 31) + k::REG_R0) as u32,
            3 => 0,
            _ => ((a.offset >> 14) & 63) as u32,
        },
        k::AC_ARNG | k::AC_PREG | k::AC_PREGZM | k::AC_ZREG => match i {
            0 => reg & 31,
            _ => (reg >> 5) & 15,
        },
        k::AC_ARNGIDX | k::AC_PREGIDX | k::AC_ZREGIDX => match i {
            0 => reg & 31,
            1 => (reg >> 5) & 15,
            _ => a.index.0 as u32,
        },
        k::AC_SPZGREG | k::AC_VREG => {
            if i == 0 {
                0
            } else {
                reg
            }
        }
        k::AC_IMM => match (a.ty, &a.val) {
            (AddrType::FConst, AddrVal::Float(f)) => (*f as f32).to_bits(),
            _ => a.offset as u32,
        },
        k::AC_REGLIST1 | k::AC_REGLIST2 | k::AC_REGLIST3 | k::AC_REGLIST4 | k::AC_REGLIST_RANGE => {
            let first = a.offset & 31;
            let sum = if (a.offset >> 32) & 3 == 2 { 16 } else { 32 };
            if i.is_multiple_of(2) {
                let step = if a.scale > 0 { i64::from(a.scale) } else { 1 };
                ((first + (i as i64 / 2) * step) % sum) as u32
            } else {
                let q = (a.offset >> 30) & 3;
                let size = (a.offset >> 10) & 3;
                (match (q, size) {
                    (0, 0) => k::ARNG_8B,
                    (0, 1) => k::ARNG_4H,
                    (0, 2) => k::ARNG_2S,
                    (0, 3) => k::ARNG_1D,
                    (1, 0) => k::ARNG_16B,
                    (1, 1) => k::ARNG_8H,
                    (1, 2) => k::ARNG_4S,
                    (1, 3) => k::ARNG_2D,
                    (2, 1) => k::ARNG_B,
                    (2, 2) => k::ARNG_H,
                    (2, 3) => k::ARNG_S,
                    (3, 1) => k::ARNG_D,
                    (3, 2) => k::ARNG_Q,
                    _ => -1,
                }) as u32
            }
        }
        k::AC_SPECIAL => a.offset as u32,
        k::AC_MEMOFF | k::AC_MEMOFFMULVL => match i {
            0 => reg & 31,
            1 => (reg >> 5) & 15,
            _ => a.offset as u32,
        },
        k::AC_MEMEXT => {
            let idx = a.index.0 as u32;
            let scale = a.scale as u16 as u32;
            match i {
                0 => idx,
                1 => (idx >> 5) & 15,
                2 => reg,
                3 => (reg >> 5) & 15,
                4 => {
                    let m = (scale >> 9) & 7;
                    let amount = (scale >> 12) & 7;
                    if m == 0 && amount > 0 { m | 4 } else { m }
                }
                _ => (scale >> 12) & 7,
            }
        }
        _ => 0,
    }
}

fn elem_bits(arr: i64) -> Option<u32> {
    Some(match arr {
        k::ARNG_B => 8,
        k::ARNG_H => 16,
        k::ARNG_S => 32,
        k::ARNG_D => 64,
        _ => return None,
    })
}

/// An index scaled by the element size into i1:tsz.
fn i1_tsz(v: u32, arr: u32) -> Option<u32> {
    let (max, sh) = match arr as i64 {
        k::ARNG_B => (15, 17),
        k::ARNG_H => (7, 18),
        k::ARNG_S => (3, 19),
        k::ARNG_D => (1, 20),
        k::ARNG_Q => return (v == 0).then_some(0),
        _ => return None,
    };
    (v <= max).then_some(v << sh)
}

/// An index with the element-size marker into imm2:tsz.
fn imm2_tsz(v: u32, arr: u32) -> Option<u32> {
    let (max, sh) = match arr as i64 {
        k::ARNG_B => (63, 1),
        k::ARNG_H => (31, 2),
        k::ARNG_S => (15, 3),
        k::ARNG_D => (7, 4),
        k::ARNG_Q => (3, 5),
        _ => return None,
    };
    if v > max {
        return None;
    }
    let v = v << sh;
    Some((v & 31) << 16 | (v >> 5) << 22)
}

const RIGHT_SHIFTS: &[i64] = &[
    k::AZASR, k::AZLSR, k::AZURSHR, k::AZASRD, k::AZRSHRNB, k::AZRSHRNT, k::AZSHRNB, k::AZSHRNT, k::AZSQRSHRNB,
    k::AZSQRSHRNT, k::AZSQRSHRUNB, k::AZSQRSHRUNT, k::AZSQSHRNB, k::AZSQSHRNT, k::AZSQSHRUNB, k::AZSQSHRUNT,
    k::AZSRSHR, k::AZUQRSHRNB, k::AZUQRSHRNT, k::AZUQSHRNB, k::AZUQSHRNT, k::AZURSRA, k::AZUSRA, k::AZXAR, k::AZSRI,
    k::AZSRSRA, k::AZSSRA,
];
const NARROWING: &[i64] = &[
    k::AZRSHRNB, k::AZRSHRNT, k::AZSHRNB, k::AZSHRNT, k::AZSQRSHRNB, k::AZSQRSHRNT, k::AZSQRSHRUNB, k::AZSQRSHRUNT,
    k::AZSQSHRNB, k::AZSQSHRNT, k::AZSQSHRUNB, k::AZSQSHRUNT, k::AZUQRSHRNB, k::AZUQRSHRNT, k::AZUQSHRNB, k::AZUQSHRNT,
];

/// A shift amount relative to the element size of the next operand,
/// scattered over three bit ranges.
fn shift_triple(v: u32, r: [u32; 6], next: &Addr, op: i64) -> Option<u32> {
    if class(next) != Some(k::AC_ARNG) {
        return None;
    }
    let bits = elem_bits(part(next, k::AC_ARNG, 1) as i64)?;
    if v >= bits {
        return None;
    }
    let esize = if NARROWING.contains(&op) { bits / 2 } else { bits };
    let mut c = if RIGHT_SHIFTS.contains(&op) {
        if v == 0 {
            return None;
        }
        (2 * esize).wrapping_sub(v)
    } else {
        esize + v
    };
    let mut out = 0;
    for i in (0..6).step_by(2) {
        let w = r[i + 1] - r[i];
        out |= (c & ((1 << w) - 1)) << r[i];
        c >>= w;
    }
    Some(out)
}

/// A logical immediate replicated per element of the next operand's arrangement.
fn logical_imm(v: u64, next: &Addr) -> Option<u32> {
    if class(next) != Some(k::AC_ARNG) {
        return None;
    }
    let mut val = match part(next, k::AC_ARNG, 1) as i64 {
        k::ARNG_B => (v & 0xff) * 0x0101010101010101,
        k::ARNG_H => (v & 0xffff) * 0x0001000100010001,
        k::ARNG_S => (v & 0xffff_ffff) | (v << 32),
        k::ARNG_D => v,
        _ => return None,
    };
    if val == 0 || val == u64::MAX {
        return None;
    }
    let mut size = 64u32;
    while size > 2 {
        let half = size / 2;
        let mask = (1u64 << half) - 1;
        if val & mask == (val >> half) & mask {
            size = half;
            val &= mask;
        } else {
            break;
        }
    }
    let mask = if size == 64 { u64::MAX } else { (1u64 << size) - 1 };
    val &= mask;
    let ones = val.count_ones();
    let expected = if ones == 64 { u64::MAX } else { (1u64 << ones) - 1 };
    let rot = (0..size).find(|&r| {
        let rotated = if r == 0 { val } else { ((val >> r) | (val << (size - r))) & mask };
        rotated == expected
    })?;
    let immr = (size - rot) % size;
    let n = u32::from(size == 64);
    let imms = (!(size * 2 - 1) & 0x3f) | (ones - 1);
    Some(((n << 12) | (immr << 6) | imms) << 5)
}

fn imm3_tsize(v: u32, arr: u32) -> Option<u32> {
    let size = match arr as i64 {
        k::ARNG_H => 8,
        k::ARNG_S => 16,
        _ => return None,
    };
    if v < 1 || v > size {
        return None;
    }
    Some(((2 * size - v) & 0x1f) << 16)
}

fn shift_i1_tsz(v: u32, arr: u32) -> Option<u32> {
    let (sh, max) = match arr as i64 {
        k::ARNG_B => (1, 16),
        k::ARNG_H => (2, 8),
        k::ARNG_S => (3, 4),
        k::ARNG_D => (4, 2),
        _ => return None,
    };
    if v >= max {
        return None;
    }
    let v = v << sh;
    Some((v & 7) << 18 | (v >> 3) << 22)
}

fn operands(p: &Prog) -> Vec<&Addr> {
    let mut v = Vec::new();
    if p.from.ty != AddrType::None {
        v.push(&p.from);
    }
    for a in &p.rest {
        v.push(&a.0);
    }
    if p.to.ty != AddrType::None {
        v.push(&p.to);
    }
    v
}

fn try_encode(e: &Encoder, p: &Prog, addrs: &[&Addr]) -> Option<u32> {
    debug_assert_eq!(e.op, p.op.0, "encoder from another opcode's group");
    let mut bin = e.fixed;
    let mut encoded: Vec<(u8, u32)> = Vec::new();
    if addrs.len() != e.args.len() {
        return None;
    }
    let op = p.op.0 as i64;
    for (oi, (&a, arg)) in addrs.iter().zip(e.args).enumerate() {
        let cl = class(a)?;
        if cl != arg.class as i64 {
            return None;
        }
        for (i, &(f, comp)) in arg.encs.iter().enumerate() {
            let mut val = part(a, cl, i);
            if (op == k::AZFCPY || op == k::AZFDUP) && cl == k::AC_IMM {
                let f = f32::from_bits(val) as f64;
                val = super::enc::fp_imm8(f)?;
            }
            let (mut b, mut ok) = FNS[f as usize](val);
            if !ok && b == 0 {
                return None;
            }
            let special = b;
            if !ok {
                let next = || addrs.get(oi + 1).copied();
                let r = match b {
                    gen::codeI1Tsz => i1_tsz(val, part(a, cl, i - 1)),
                    gen::codeImm2Tsz => imm2_tsz(val, part(a, cl, i - 1)),
                    gen::codeShift161919212223 => shift_triple(val, [16, 19, 19, 21, 22, 23], next()?, op),
                    gen::codeShift161919212224 => shift_triple(val, [16, 19, 19, 21, 22, 24], next()?, op),
                    gen::codeShift588102224 => shift_triple(val, [5, 8, 8, 10, 22, 24], next()?, op),
                    gen::codeLogicalImmArrEncoding => logical_imm(a.offset as u64, next()?),
                    gen::codeImm3Tsize1621 => {
                        let n = next()?;
                        imm3_tsize(val, part(n, class(n)?, 1))
                    }
                    gen::codeShiftI1TszhTszl => shift_i1_tsz(val, part(a, k::AC_PREGSEL, 1)),
                    gen::codeNoOp => Some(0),
                    _ => None,
                };
                match r {
                    Some(x) => {
                        b = x;
                        ok = true;
                    }
                    None => return None,
                }
            }
            debug_assert!(ok);
            bin |= b;
            if let Some(&(_, prev)) = encoded.iter().find(|x| x.0 == comp) {
                if b != prev {
                    if special == gen::codeNoOp {
                        continue;
                    }
                    return None;
                }
            }
            if comp != 0 && special != gen::codeNoOp {
                encoded.push((comp, b));
            }
        }
    }
    Some(bin)
}

/// Encodes an SVE instruction: the first encoding of its group that accepts it.
pub fn encode(p: &Prog) -> Option<u32> {
    let g = (p.op.0 as i64 - k::ASVESTART - 1) as usize;
    let &(start, n) = GROUPS.get(g)?;
    let addrs = operands(p);
    ENCODERS[start as usize..(start + n) as usize].iter().find_map(|e| try_encode(e, p, &addrs))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The probe inputs Go's fingerprints were taken on (gen/dump_test.go).
    fn probe() -> Vec<u32> {
        let mut v: Vec<u32> = (0..=1100).chain(8180..=8400).chain(10230..=12300).collect();
        v.extend([0x3f800000, 0x3f000000, 0x40000000, 0xbf800000, 0xffffffff, 0xfffffff0, 0x80000000, 0x7fffffff]);
        v
    }

    #[test]
    fn field_encoders_match_go_fingerprints() {
        let inputs = probe();
        let mut bad = Vec::new();
        for (i, f) in FNS.iter().enumerate() {
            let mut h: u64 = 0xcbf29ce484222325;
            for &v in &inputs {
                let (r, ok) = f(v);
                let mut buf = r.to_le_bytes().to_vec();
                buf.push(u8::from(ok));
                for b in buf {
                    h ^= b as u64;
                    h = h.wrapping_mul(0x100000001b3);
                }
            }
            if h != gen::DIGESTS[i] {
                bad.push(i);
            }
        }
        assert!(bad.is_empty(), "field encoders differing from Go: {bad:?}");
    }
}
