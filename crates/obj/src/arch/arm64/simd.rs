//! Recipes for Advanced SIMD (arrangements, lanes, register lists), vector
//! loads and stores, crypto three-register forms, register-offset loads and
//! stores, pair loads from symbols, and the remaining system forms.

use super::enc::{words, Words};
use arch_tables::arm64::consts as k;

use super::enc::{adr, rn, Enc, REGTMP};
use super::optab::word;
use super::tables_gen as t;
use crate::addr::{AddrType, AddrVal};
use arch_tables::Reg;

/// The arrangement (`ARNG_*`) packed into an arrangement/element register.
fn arng(r: Reg) -> i64 {
    (r.0 as i64 >> 5) & 15
}

fn reg_i(r: Reg) -> i64 {
    r.0 as i64
}

/// (Q, size) of a full-vector integer arrangement.
fn q_size(a: i64) -> Option<(u32, u32)> {
    Some(match a {
        k::ARNG_8B => (0, 0),
        k::ARNG_16B => (1, 0),
        k::ARNG_4H => (0, 1),
        k::ARNG_8H => (1, 1),
        k::ARNG_2S => (0, 2),
        k::ARNG_4S => (1, 2),
        k::ARNG_2D => (1, 3),
        _ => return None,
    })
}

/// imm5 of a lane (element size marker plus index), checking the index.
fn lane_imm5(e: &mut Enc, a: i64, index: i64) -> u32 {
    let (marker, shift, max) = match a {
        k::ARNG_B => (1, 1, 15),
        k::ARNG_H => (2, 2, 7),
        k::ARNG_S => (4, 3, 3),
        k::ARNG_D => (8, 4, 1),
        _ => {
            e.fail("invalid arrangement");
            return 0;
        }
    };
    if !(0..=max).contains(&index) {
        e.fail(format!("register element index out of range 0 to {max}"));
    }
    (marker | (index << shift)) as u32 & 0x1f
}

/// (Q, S, size, opcode) of a single-lane load/store.
fn lane_fields(e: &mut Enc, a: i64, index: i64, post: bool, offset: i64) -> (u32, u32, u32, u32) {
    let (max, bytes) = match a {
        k::ARNG_B => (15, 1),
        k::ARNG_H => (7, 2),
        k::ARNG_S => (3, 4),
        k::ARNG_D => (1, 8),
        _ => {
            e.fail("invalid arrangement");
            return (0, 0, 0, 0);
        }
    };
    if !(0..=max).contains(&index) {
        e.fail(format!("register element index out of range 0 to {max}"));
    }
    if post && offset != 0 && offset != bytes {
        e.fail("invalid offset");
    }
    let i = index as u32;
    match a {
        k::ARNG_B => (i >> 3, (i >> 2) & 1, i & 3, 0),
        k::ARNG_H => (i >> 2, (i >> 1) & 1, (i & 1) << 1, 2),
        k::ARNG_S => (i >> 1, i & 1, 0, 4),
        _ => (i, 0, 1, 4),
    }
}

/// Checks a post-increment of a register-list load/store.
fn check_list_offset(e: &mut Enc, offset: i64, list: i64) {
    let op = e.op();
    if offset == 0 {
        return;
    }
    let opcode = (list >> 12) & 15;
    let q = (list >> 30) & 1;
    let size = (list >> 10) & 3;
    let n = match opcode {
        0x7 => 1,
        0xa => 2,
        0x6 => 3,
        0x2 => 4,
        _ => {
            e.fail("invalid register numbers in ARM64 register list");
            0
        }
    };
    let rep = matches!(op, k::AVLD1R | k::AVLD2R | k::AVLD3R | k::AVLD4R);
    if rep {
        if offset != n * (1 << size) {
            e.fail("invalid post-increment offset");
        }
    } else if offset != n * if q == 0 { 8 } else { 16 } {
        e.fail("invalid post-increment offset");
    }
    let expect = match op {
        k::AVLD1 | k::AVST1 => return,
        k::AVLD1R => 1,
        k::AVLD2 | k::AVST2 | k::AVLD2R => 2,
        k::AVLD3 | k::AVST3 | k::AVLD3R => 3,
        _ => 4,
    };
    if expect != n {
        e.fail(format!("expected {expect} registers, got {n}"));
    }
}

/// Replaces the opcode field of a VLD1/VST1 word for the other structure loads.
fn structure_opcode(e: &mut Enc, o: u32) -> u32 {
    let op = e.op();
    if op == k::AVLD1 || op == k::AVST1 {
        return o;
    }
    let o = o & !0xf000;
    o | match op {
        k::AVLD1R | k::AVLD2R => 0xc << 12,
        k::AVLD3R | k::AVLD4R => 0xe << 12,
        k::AVLD2 | k::AVST2 => 8 << 12,
        k::AVLD3 | k::AVST3 => 4 << 12,
        k::AVLD4 | k::AVST4 => 0,
        _ => {
            e.fail("unsupported instruction");
            0
        }
    }
}

const fn pack(q: u32, a: i64, b: i64) -> u32 {
    q << 16 | (a as u32) << 8 | b as u32
}

fn is_fp_vec(op: i64) -> bool {
    matches!(
        op,
        k::AVFMLA | k::AVFMLS | k::AVFCMEQ | k::AVFCMGE | k::AVFCMGT | k::AVFADD | k::AVFSUB | k::AVFMUL | k::AVFDIV
            | k::AVFMAX | k::AVFMAXNM | k::AVFMAXP | k::AVFADDP | k::AVFMIN | k::AVFMINNM | k::AVFMINP | k::AVFMAXNMP
            | k::AVFMINNMP
    )
}

pub fn encode(e: &mut Enc, recipe: u8) -> Words {
    let p = e.p;
    let op = e.op();
    let row = *e.row;
    let post = row.scond as i64 == k::C_XPOST;
    let rest0 = p.rest.first().map(|a| a.0.clone()).unwrap_or_default();
    let o1 = match recipe {
        72 => {
            let (af, af3, at) = (arng(p.from.reg), arng(p.reg), arng(p.to.reg));
            if af != af3 || af != at {
                e.fail("operand mismatch");
                return words![];
            }
            let (mut q, mut size) = q_size(af).unwrap_or_else(|| {
                e.fail("invalid arrangement");
                (0, 0)
            });
            let allowed = match op {
                k::AVORR | k::AVAND | k::AVEOR | k::AVBIT | k::AVBSL | k::AVBIF | k::AVBIC | k::AVORN => {
                    af == k::ARNG_16B || af == k::ARNG_8B
                }
                _ if is_fp_vec(op) => af == k::ARNG_2D || af == k::ARNG_2S || af == k::ARNG_4S,
                k::AVUMAX | k::AVUMIN | k::AVUMAXP | k::AVUMINP | k::AVMUL | k::AVMLA | k::AVMLS | k::AVSMAX
                | k::AVSMIN | k::AVSMAXP | k::AVSMINP => af != k::ARNG_2D,
                _ => true,
            };
            if !allowed {
                e.fail("invalid arrangement");
            }
            match op {
                k::AVAND | k::AVEOR | k::AVBIC | k::AVORN => size = 0,
                k::AVBSL => size = 1,
                k::AVORR | k::AVBIT | k::AVBIF => size = 2,
                _ if is_fp_vec(op) => size = u32::from(af == k::ARNG_2D),
                k::AVRAX1 => {
                    if af != k::ARNG_2D {
                        e.fail("invalid arrangement");
                    }
                    size = 0;
                    q = 0;
                }
                _ => {}
            }
            e.rrr(op, rn(p.to.reg), rn(p.reg), rn(p.from.reg)) | (q & 1) << 30 | (size & 3) << 22
        }
        73 => {
            let a = arng(p.from.reg);
            let imm5 = lane_imm5(e, a, p.from.index.0 as i64);
            let q = u32::from(a == k::ARNG_D);
            7 << 25 | 0xf << 10 | q << 30 | imm5 << 16 | rn(p.from.reg) << 5 | rn(p.to.reg)
        }
        78 => {
            let imm5 = lane_imm5(e, arng(p.to.reg), p.to.index.0 as i64);
            1 << 30 | 7 << 25 | 7 << 10 | imm5 << 16 | rn(p.from.reg) << 5 | rn(p.to.reg)
        }
        79 => {
            let at = arng(p.to.reg);
            let index = p.from.index.0 as i64;
            let (q, lane) = match at {
                k::ARNG_16B => (1, k::ARNG_B),
                k::ARNG_8B => (0, k::ARNG_B),
                k::ARNG_8H => (1, k::ARNG_H),
                k::ARNG_4H => (0, k::ARNG_H),
                k::ARNG_4S => (1, k::ARNG_S),
                k::ARNG_2S => (0, k::ARNG_S),
                k::ARNG_2D => (1, k::ARNG_D),
                _ => {
                    e.fail("invalid arrangement");
                    (0, k::ARNG_B)
                }
            };
            let imm5 = lane_imm5(e, lane, index);
            7 << 25 | 1 << 10 | q << 30 | imm5 << 16 | rn(p.from.reg) << 5 | rn(p.to.reg)
        }
        80 => {
            if !matches!(op, k::AVMOV | k::AVDUP) {
                e.fail("unsupported op");
            }
            let imm5 = lane_imm5(e, arng(p.from.reg), p.from.index.0 as i64);
            1 << 30 | 15 << 25 | 1 << 10 | imm5 << 16 | rn(p.from.reg) << 5 | rn(p.to.reg)
        }
        81 => {
            check_list_offset(e, p.from.offset, p.to.offset);
            let mut o = e.rrr(op, 0, rn(p.from.reg), 0);
            if post {
                o |= 1 << 23;
                if p.from.index.0 == 0 {
                    o |= 0x1f << 16;
                } else {
                    if super::class::index_shifted(&p.from) {
                        e.fail("invalid extended register op");
                    }
                    o |= rn(p.from.index) << 16;
                }
            }
            o |= p.to.offset as u32;
            structure_opcode(e, o)
        }
        82 => {
            let (q, imm5) = match arng(p.to.reg) {
                k::ARNG_16B => (1, 1),
                k::ARNG_2D => (1, 8),
                k::ARNG_2S => (0, 4),
                k::ARNG_4H => (0, 2),
                k::ARNG_4S => (1, 4),
                k::ARNG_8B => (0, 1),
                k::ARNG_8H => (1, 2),
                _ => {
                    e.fail("invalid arrangement");
                    (0, 0)
                }
            };
            7 << 25 | 3 << 10 | q << 30 | imm5 << 16 | rn(p.from.reg) << 5 | rn(p.to.reg)
        }
        83 => {
            let (af, at) = (arng(p.from.reg), arng(p.to.reg));
            if af != at {
                e.fail("invalid arrangement");
            }
            let (q, mut size) = q_size(af).unwrap_or_else(|| {
                e.fail("invalid arrangement");
                (0, 0)
            });
            let byte_only = matches!(op, k::AVMOV | k::AVRBIT | k::AVCNT | k::AVNOT);
            if byte_only && af != k::ARNG_16B && af != k::ARNG_8B
                || op == k::AVREV32 && (af == k::ARNG_2S || af == k::ARNG_4S)
                || op == k::AVREV16 && af != k::ARNG_8B && af != k::ARNG_16B
                || matches!(op, k::AVCLS | k::AVCLZ) && (af == k::ARNG_1D || af == k::ARNG_2D)
            {
                e.fail("invalid arrangement");
            }
            if matches!(
                op,
                k::AVFABS | k::AVFNEG | k::AVFSQRT | k::AVFRINTN | k::AVFRINTP | k::AVFRINTM | k::AVFRINTZ
                    | k::AVFCVTZS | k::AVFCVTZU | k::AVSCVTF | k::AVUCVTF
            ) {
                if af != k::ARNG_2S && af != k::ARNG_4S && af != k::ARNG_2D {
                    e.fail("invalid arrangement");
                }
                size = u32::from(af == k::ARNG_2D);
            }
            if op == k::AVRBIT {
                size = 1;
            }
            let r = if op == k::AVMOV { rn(p.from.reg) } else { 0 };
            e.rrr(op, rn(p.to.reg), rn(p.from.reg), r) | (q & 1) << 30 | (size & 3) << 22
        }
        84 => {
            check_list_offset(e, p.to.offset, p.from.offset);
            let mut o = 3 << 26;
            if post {
                o |= 1 << 23;
                if p.to.index.0 == 0 {
                    o |= 0x1f << 16;
                } else {
                    if super::class::index_shifted(&p.to) {
                        e.fail("invalid extended register");
                    }
                    o |= rn(p.to.index) << 16;
                }
            }
            o |= p.from.offset as u32;
            structure_opcode(e, o) | rn(p.to.reg) << 5
        }
        85 => {
            let af = arng(p.from.reg);
            let (q, mut size) = match af {
                k::ARNG_8B => (0, 0),
                k::ARNG_16B => (1, 0),
                k::ARNG_4H => (0, 1),
                k::ARNG_8H => (1, 1),
                k::ARNG_4S => (1, 2),
                _ => {
                    e.fail("invalid arrangement");
                    (0, 0)
                }
            };
            if matches!(op, k::AVFMAXV | k::AVFMINV | k::AVFMAXNMV | k::AVFMINNMV) {
                if af != k::ARNG_4S {
                    e.fail("invalid arrangement");
                }
                size = 0;
            }
            e.rrr(op, rn(p.to.reg), rn(p.from.reg), 0) | (q & 1) << 30 | (size & 3) << 22
        }
        86 => {
            let r = p.from.offset;
            if !(0..=255).contains(&r) {
                e.fail("immediate constant out of range");
            }
            let q = match arng(p.to.reg) {
                k::ARNG_8B => 0,
                k::ARNG_16B => 1,
                _ => {
                    e.fail("invalid arrangement");
                    0
                }
            };
            let r = r as u32;
            0xf << 24 | 0xe << 12 | 1 << 10 | q << 30 | ((r >> 5) & 7) << 16 | (r & 0x1f) << 5 | rn(p.to.reg)
        }
        87 | 88 => {
            let store = recipe == 87;
            let (mem, pair) = if store { (&p.to, &p.from) } else { (&p.from, &p.to) };
            if store && (reg_i(pair.reg) == k::REGTMP || pair.offset == k::REGTMP) {
                e.fail("cannot use REGTMP as source");
            }
            let o1 = adr(1, 0, REGTMP);
            let o2 = e.irr(k::AADD) | REGTMP << 5 | REGTMP;
            let mem = mem.clone();
            e.reloc(0, 8, "R_ADDRARM64", &mem, true);
            let o3 = e.ldpstp(0, REGTMP, reg_i(pair.reg), pair.offset, u32::from(!store));
            return words![o1, o2, o3];
        }
        89 => {
            let base = match op {
                k::AVADD => 5 << 28 | 7 << 25 | 7 << 21 | 1 << 15 | 1 << 10,
                k::AVSUB => 7 << 28 | 7 << 25 | 7 << 21 | 1 << 15 | 1 << 10,
                _ => {
                    e.fail("bad opcode");
                    0
                }
            };
            let rt = rn(p.to.reg);
            let r = if p.reg.0 == 0 { rt } else { rn(p.reg) };
            base | rn(p.from.reg) << 16 | r << 5 | rt
        }
        90 => 0,
        91 => {
            let imm = p.from.offset as u32;
            let v = if p.to.ty == AddrType::Const {
                let v = p.to.offset as u32;
                (v <= 31).then_some(v)
            } else {
                word(t::PRFOP, p.to.offset as u16)
            };
            let v = v.unwrap_or_else(|| {
                e.fail("illegal prefetch operation");
                0
            });
            e.irr(op) | rn(p.from.reg) << 5 | ((imm >> 3) & 0xfff) << 10 | (v & 31)
        }
        92 => {
            let (at, af) = (arng(p.to.reg), arng(p.from.reg));
            if at != af {
                e.fail("operand mismatch");
            }
            let (i1, i2) = (p.to.index.0 as i64, p.from.index.0 as i64);
            let imm5 = lane_imm5(e, at, i1);
            let sh = match at {
                k::ARNG_B => 0,
                k::ARNG_H => 1,
                k::ARNG_S => 2,
                _ => 3,
            };
            let _ = lane_imm5(e, at, i2);
            let imm4 = ((i2 << sh) & 0xf) as u32;
            3 << 29 | 7 << 25 | 1 << 10 | imm5 << 16 | imm4 << 11 | rn(p.from.reg) << 5 | rn(p.to.reg)
        }
        93 | 105 => {
            let (af, at, a) = (arng(p.from.reg), arng(p.to.reg), arng(p.reg));
            if recipe == 93 && af != a || recipe == 105 && at != a {
                e.fail("invalid arrangement");
                if recipe == 105 {
                    return words![];
                }
            }
            let q = u32::from(matches!(
                op,
                k::AVPMULL2 | k::AVSMLAL2 | k::AVSMLSL2 | k::AVSMULL2 | k::AVUMLAL2 | k::AVUMLSL2 | k::AVUMULL2 | k::AVUADDW2
            ));
            let key = pack(q, at, af);
            let size = if key == pack(0, k::ARNG_8H, k::ARNG_8B) || key == pack(1, k::ARNG_8H, k::ARNG_16B) {
                0
            } else if key == pack(0, k::ARNG_4S, k::ARNG_4H) || key == pack(1, k::ARNG_4S, k::ARNG_8H) {
                1
            } else if key == pack(0, k::ARNG_2D, k::ARNG_2S) || key == pack(1, k::ARNG_2D, k::ARNG_4S) {
                2
            } else if recipe == 93 && (key == pack(0, k::ARNG_1Q, k::ARNG_1D) || key == pack(1, k::ARNG_1Q, k::ARNG_2D)) {
                3
            } else {
                e.fail("operand mismatch");
                0
            };
            if recipe == 93 {
                if matches!(op, k::AVPMULL | k::AVPMULL2) {
                    if size != 0 && size != 3 {
                        e.fail("invalid arrangement");
                    }
                } else if size == 3 {
                    e.fail("invalid arrangement");
                }
            }
            e.rrr(op, rn(p.to.reg), rn(p.reg), rn(p.from.reg)) | (q & 1) << 30 | (size & 3) << 22
        }
        94 | 104 => {
            let (af, at, a) = (arng(rest0.reg), arng(p.to.reg), arng(p.reg));
            let index = p.from.offset;
            if af != a || af != at {
                e.fail("invalid arrangement");
                return words![];
            }
            if recipe == 94 {
                let (q, b) = match af {
                    k::ARNG_8B => (0, 7),
                    k::ARNG_16B => (1, 15),
                    _ => {
                        e.fail("invalid arrangement, should be B8 or B16");
                        return words![];
                    }
                };
                if index < 0 || index > b {
                    e.fail("illegal offset");
                }
                e.irr(op) | q << 30 | rn(p.reg) << 16 | ((index & 15) as u32) << 11 | rn(rest0.reg) << 5 | rn(p.to.reg)
            } else {
                if af != k::ARNG_2D {
                    e.fail("invalid arrangement, should be D2");
                    return words![];
                }
                if !(0..=63).contains(&index) {
                    e.fail("illegal offset");
                }
                e.irr(op) | rn(p.reg) << 16 | ((index & 63) as u32) << 10 | rn(rest0.reg) << 5 | rn(p.to.reg)
            }
        }
        95 => vec_shift(e).unwrap_or(0),
        96 | 97 => {
            let store = recipe == 96;
            let (lane, mem) = if store { (&p.from, &p.to) } else { (&p.to, &p.from) };
            let a = arng(lane.reg);
            let index = lane.index.0 as i64;
            let mut r = rn(mem.index);
            let offset = e.regoff(mem) as i64;
            if post && (mem.index.0 != 0) == (offset != 0) {
                // A post-increment is a register or an immediate, not both nor neither.
                e.fail("invalid offset");
            }
            if offset != 0 {
                r = 31;
            }
            let (q, s, size, opcode) = lane_fields(e, a, index, post, offset);
            let base = if store {
                if post { 27 << 23 } else { 26 << 23 }
            } else if post {
                110 << 21
            } else {
                106 << 21
            };
            base | q << 30 | r << 16 | (opcode & 7) << 13 | s << 12 | (size & 3) << 10 | rn(mem.reg) << 5 | rn(lane.reg)
        }
        98 | 99 => {
            let load = recipe == 98;
            let (mem, data) = if load { (&p.from, &p.to) } else { (&p.to, &p.from) };
            let (ext_t, plain_t) = if load { (t::W_LDRR_EXT, t::W_LDRR) } else { (t::W_STRR_EXT, t::W_STRR) };
            let regs = rn(mem.reg) << 5 | rn(data.reg);
            if super::class::index_shifted(mem) {
                let amount = (mem.index.0 as i64 >> 5) & 7;
                let ok = match op {
                    k::AMOVB | k::AMOVBU => amount == 0,
                    k::AMOVH | k::AMOVHU => amount <= 1,
                    k::AMOVW | k::AMOVWU | k::AFMOVS => amount == 2 || amount == 0,
                    k::AMOVD | k::AFMOVD => amount == 3 || amount == 0,
                    _ => false,
                };
                if !ok {
                    e.fail("invalid index shift amount");
                }
                let w = word(ext_t, op as u16).unwrap_or(0);
                w | e.reg_ext(true, mem.index.0 as i64) | regs
            } else {
                word(plain_t, op as u16).unwrap_or(0) | rn(mem.index) << 16 | regs
            }
        }
        100 => {
            let (af, at) = (arng(p.from.reg), arng(p.to.reg));
            if af != at {
                e.fail("invalid arrangement");
            }
            let q = match af {
                k::ARNG_8B => 0,
                k::ARNG_16B => 1,
                _ => {
                    e.fail("invalid arrangement");
                    0
                }
            };
            let offset = rest0.offset;
            let len = match (offset >> 12) & 15 {
                0x7 => 0,
                0xa => 1,
                0x6 => 2,
                0x2 => 3,
                _ => {
                    e.fail("invalid register numbers in ARM64 register list");
                    0
                }
            };
            let opb = u32::from(op == k::AVTBX);
            q << 30 | 0xe << 24 | len << 13 | opb << 12 | rn(p.from.reg) << 16 | ((offset & 31) as u32) << 5 | rn(p.to.reg)
        }
        102 => {
            let mut o = e.irr(op);
            let lengthen = matches!(op, k::AVUXTL | k::AVUXTL2 | k::AVSXTL | k::AVSXTL2 | k::AVFCVTL | k::AVFCVTL2);
            let (src, shift) = if lengthen { (p.from.reg, 0) } else { (p.reg, p.from.offset) };
            let (af, at) = (arng(src), arng(p.to.reg));
            let q = u32::from(matches!(op, k::AVUXTL2 | k::AVSXTL2 | k::AVUSHLL2 | k::AVSSHLL2 | k::AVFCVTL2));
            if matches!(op, k::AVFCVTL | k::AVFCVTL2) {
                if af != k::ARNG_2S && af != k::ARNG_4S || at != k::ARNG_2D {
                    e.fail("operand mismatch");
                }
                o | q << 30 | rn(src) << 5 | rn(p.to.reg)
            } else {
                let key = pack(q, af, at);
                let (immh, width) = if key == pack(0, k::ARNG_8B, k::ARNG_8H) || key == pack(1, k::ARNG_16B, k::ARNG_8H) {
                    (1, 8)
                } else if key == pack(0, k::ARNG_4H, k::ARNG_4S) || key == pack(1, k::ARNG_8H, k::ARNG_4S) {
                    (2, 16)
                } else if key == pack(0, k::ARNG_2S, k::ARNG_2D) || key == pack(1, k::ARNG_4S, k::ARNG_2D) {
                    (4, 32)
                } else {
                    e.fail("operand mismatch");
                    (0, 0)
                };
                if !(0..width).contains(&shift) {
                    e.fail("shift amount out of range");
                }
                o |= q << 30 | immh << 19 | (shift as u32) << 16 | rn(src) << 5 | rn(p.to.reg);
                o
            }
        }
        103 => {
            let (ta, tm, td, tn) = (arng(p.from.reg), arng(p.reg), arng(p.to.reg), arng(rest0.reg));
            if ta != tm || ta != tn || ta != td || ta != k::ARNG_16B {
                e.fail("invalid arrangement");
                return words![];
            }
            e.rrr(op, rn(p.to.reg), rn(rest0.reg), rn(p.reg)) | rn(p.from.reg) << 10
        }
        106 => {
            let to2 = p.rest.iter().find(|a| a.1 == crate::prog::ArgDir::Destination).map(|a| a.0.clone()).unwrap_or_default();
            let (rs, rt, rb) = (reg_i(p.from.reg), reg_i(to2.reg), p.to.reg);
            let (rs1, rt1) = (p.from.offset, to2.offset);
            let enc = word(t::ATOMIC_CASP, op as u16).unwrap_or_else(|| {
                e.fail("invalid CASP-like atomic instructions");
                0
            });
            if rs & 1 != 0 {
                e.fail("source register pair must start from even register");
            } else if rt & 1 != 0 {
                e.fail("destination register pair must start from even register");
            } else if rs != rs1 - 1 {
                e.fail("source register pair must be contiguous");
            } else if rt != rt1 - 1 {
                e.fail("destination register pair must be contiguous");
            }
            if rt == k::REG_RSP {
                e.fail("illegal destination register");
            }
            enc | ((rs & 31) as u32) << 16 | rn(rb) << 5 | (rt & 31) as u32
        }
        107 => {
            let f = t::SYSINST.binary_search_by_key(&(p.from.offset as u16), |x| x.0).ok().map(|i| t::SYSINST[i]);
            let Some((_, [op1, cn, cm, op2], has2)) =
                f.filter(|f| !(op == k::ATLBI && f.1[1] != 8 || op == k::ADC && f.1[1] != 7))
            else {
                e.fail("illegal argument");
                return words![];
            };
            let mut o = e.irr(op);
            if has2 {
                if p.to.reg.0 == 0 {
                    e.fail("missing register at operand 2");
                }
                o |= rn(p.to.reg);
            } else {
                if p.to.reg.0 != 0 || p.reg.0 != 0 {
                    e.fail("extraneous register at operand 2");
                }
                o |= 0x1f;
            }
            o | (op1 as u32) << 16 | (cn as u32) << 12 | (cm as u32) << 8 | (op2 as u32) << 5
        }
        108 => {
            let o = 0x354 << 22 | 3 << 16 | 2 << 12 | 32 << 5 | 0x1f;
            if p.from.ty != AddrType::Special {
                e.fail("missing operand");
                return words![o];
            }
            o | match p.from.offset {
                k::SPOP_C => 1 << 6,
                k::SPOP_J => 2 << 6,
                k::SPOP_JC => 3 << 6,
                _ => {
                    e.fail("illegal argument");
                    0
                }
            }
        }
        109 => {
            let fzero = matches!(p.from.val, AddrVal::Float(f) if f == 0.0) && p.from.ty == AddrType::FConst;
            if !(fzero || p.from.ty == AddrType::Const && p.from.offset == 0) {
                e.fail("expected a constant zero immediate operand");
            }
            let (an, ad) = (arng(p.reg), arng(p.to.reg));
            if an != ad {
                e.fail("operand mismatch");
                return words![];
            }
            let (q, size) = if p.from.ty == AddrType::FConst {
                match an {
                    k::ARNG_2D => (1, 1),
                    k::ARNG_2S => (0, 0),
                    k::ARNG_4S => (1, 0),
                    _ => {
                        e.fail("invalid arrangement");
                        (0, 0)
                    }
                }
            } else {
                q_size(an).unwrap_or_else(|| {
                    e.fail("invalid arrangement");
                    (0, 0)
                })
            };
            e.irr(op) | q << 30 | size << 22 | rn(p.reg) << 5 | rn(p.to.reg)
        }
        110 => {
            let operation = if p.to.ty == AddrType::Const {
                let v = p.to.offset as u32;
                if v > 63 {
                    e.fail("range prefetch immediate must be 0 to 63");
                }
                v
            } else {
                word(t::RPRFOP, p.to.offset as u16).unwrap_or_else(|| {
                    e.fail("illegal range prefetch operand, expected PLDKEEP, PSTKEEP, PLDSTRM or PSTSTRM");
                    0
                })
            };
            let enc = (operation & 1 << 5) << 10 | (operation & 1 << 4) << 9 | (operation & 1 << 3) << 9 | operation & 7;
            e.irr(op) | rn(p.reg) << 16 | rn(p.from.reg) << 5 | enc
        }
        127 => match super::sve::encode(p) {
            Some(w) => w,
            None => {
                e.fail("illegal combination from SVE: no encoding of this instruction takes these operands");
                0
            }
        },
        r => {
            e.fail(format!("arm64 encoding recipe {r} is not implemented yet in goasm"));
            return words![];
        }
    };
    words![o1]
}

/// Immediate shifts (right, left, insert), narrowing shifts and truncations.
fn vec_shift(e: &mut Enc) -> Option<u32> {
    let p = e.p;
    let op = e.op();
    let mut at = arng(p.to.reg);
    let trunc = matches!(
        op,
        k::AVXTN | k::AVXTN2 | k::AVSQXTN | k::AVSQXTN2 | k::AVSQXTUN | k::AVSQXTUN2 | k::AVUQXTN | k::AVUQXTN2
            | k::AVFCVTN | k::AVFCVTN2
    );
    let (af, rf, shift) = if trunc { (arng(p.from.reg), rn(p.from.reg), 0) } else { (arng(p.reg), rn(p.reg), p.from.offset) };
    let narrow = trunc || matches!(op, k::AVSHRN | k::AVSHRN2);
    if af != at && !narrow {
        e.fail("invalid arrangement on op Vn.<T>, Vd.<T>");
        at = af;
    }
    let q = match at {
        k::ARNG_8B | k::ARNG_4H | k::ARNG_2S => 0,
        k::ARNG_16B | k::ARNG_8H | k::ARNG_4S | k::ARNG_2D => 1,
        _ => {
            e.fail("invalid arrangement on op Vn.<T>, Vd.<T>");
            0
        }
    };
    let (imax, esize, twice) = match at {
        k::ARNG_8B | k::ARNG_16B => (15, 8, k::ARNG_8H),
        k::ARNG_4H | k::ARNG_8H => (31, 16, k::ARNG_4S),
        k::ARNG_2S | k::ARNG_4S => (63, 32, k::ARNG_2D),
        k::ARNG_2D => (127, 64, -1),
        _ => (0, 0, -1),
    };
    if narrow {
        let want = u32::from(matches!(op, k::AVXTN2 | k::AVSQXTN2 | k::AVSQXTUN2 | k::AVUQXTN2 | k::AVFCVTN2 | k::AVSHRN2));
        if q != want || twice != af {
            e.fail("invalid arrangement on op");
        }
    }
    let mut o = e.irr(op);
    if trunc && !matches!(op, k::AVFCVTN | k::AVFCVTN2) {
        o |= ((esize >> 4) as u32) << 22;
    }
    match op {
        k::AVUSHR | k::AVSRI | k::AVUSRA | k::AVSSHR | k::AVSRSHR | k::AVSHRN | k::AVSHRN2 => {
            let imm = esize * 2 - shift;
            if imm < esize || imm > imax {
                e.fail("shift out of range");
            }
            o |= ((imm & 0x7f) as u32) << 16;
        }
        k::AVSHL | k::AVSLI | k::AVSQSHL | k::AVUQSHL => {
            let imm = esize + shift;
            if imm > imax {
                e.fail("shift out of range");
            }
            o |= ((imm & 0x7f) as u32) << 16;
        }
        _ => {}
    }
    Some(o | q << 30 | rf << 5 | rn(p.to.reg))
}

