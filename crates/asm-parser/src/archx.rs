//! Per-architecture operand packing: how Go folds arrangements, extensions,
//! element indexes and register lists into register numbers and offsets.
//! The constants come from arch-tables (Go's own values).

pub mod arm64 {
    use arch_tables::arm64::consts as k;
    use arch_tables::obj_consts;
    use arch_tables::Reg;
    use obj::{Addr, AddrType};

    use crate::ast::{ListItem, RegTerm};
    use crate::operand::{fail, Builder, OpError, OpResult};

    pub const REG_R0: i32 = k::REG_R0 as i32;
    pub const REG_R31: i32 = k::REG_R31 as i32;
    pub const REG_Z0: i32 = k::REG_Z0 as i32;
    pub const REG_Z31: i32 = k::REG_Z31 as i32;
    pub const REG_ZARNG: i32 = k::REG_ZARNG as i32;

    /// The SVE element size letters: `B H S D Q`.
    pub fn sve_arrangement(s: &str) -> Option<i64> {
        Some(match s {
            "B" => k::ARNG_B,
            "H" => k::ARNG_H,
            "S" => k::ARNG_S,
            "D" => k::ARNG_D,
            "Q" => k::ARNG_Q,
            _ => return None,
        })
    }

    /// NEON arrangement names; the bool says it is an element size
    /// (`B H S D`) rather than a full arrangement.
    fn neon_arrangement(s: &str) -> Option<(i64, bool)> {
        Some(match s {
            "B8" => (k::ARNG_8B, false),
            "B16" => (k::ARNG_16B, false),
            "H4" => (k::ARNG_4H, false),
            "H8" => (k::ARNG_8H, false),
            "S2" => (k::ARNG_2S, false),
            "S4" => (k::ARNG_4S, false),
            "D1" => (k::ARNG_1D, false),
            "D2" => (k::ARNG_2D, false),
            "Q1" => (k::ARNG_1Q, false),
            "B" => (k::ARNG_B, true),
            "H" => (k::ARNG_H, true),
            "S" => (k::ARNG_S, true),
            "D" => (k::ARNG_D, true),
            _ => return None,
        })
    }

    fn set(a: &mut Addr, to_index: bool, v: i64) {
        if to_index {
            a.index = Reg(v as u16);
        } else {
            a.reg = Reg(v as u16);
        }
    }

    /// Packs `reg.ext<<num` or `reg.ext[num]` into `a` as Go's arm64 backend expects.
    pub fn register_extension(a: &mut Addr, ext: &str, reg: i32, num: i16, is_amount: bool, is_index: bool) -> Result<(), String> {
        let reg = i64::from(reg);
        let num = i64::from(num);
        let rnum = (reg & 31) + (num << 5);
        if is_amount && !(0..=7).contains(&num) {
            return Err("index shift amount is out of range".into());
        }
        let mem = a.ty == AddrType::Mem;
        if (k::REG_R0..=k::REG_R31).contains(&reg) {
            if !is_amount {
                return Err("invalid register extension".into());
            }
            // (base, allowed in a memory operand)
            let (base, in_mem) = match ext {
                "UXTB" => (k::REG_UXTB, false),
                "UXTH" => (k::REG_UXTH, false),
                "UXTW" => (k::REG_UXTW, true),
                "UXTX" => (k::REG_UXTX, false),
                "SXTB" => (k::REG_SXTB, false),
                "SXTH" => (k::REG_SXTH, false),
                "SXTW" => (k::REG_SXTW, true),
                "SXTX" => (k::REG_SXTX, true),
                "LSL" => {
                    a.index = Reg((k::REG_LSL + rnum) as u16);
                    return Ok(());
                }
                _ => return Err(format!("unsupported general register extension type: {ext}")),
            };
            if mem && !in_mem {
                return Err("invalid shift for the register offset addressing mode".into());
            }
            set(a, mem, base + rnum);
            return Ok(());
        }
        if (k::REG_Z0..=k::REG_Z31).contains(&reg) {
            let Some(arng) = sve_arrangement(ext) else {
                if is_index && ext.is_empty() {
                    a.reg = Reg((k::REG_PZELEM + (reg & 31)) as u16);
                    a.index = Reg(num as u16);
                    return Ok(());
                }
                return Err(format!("invalid Z register arrangement: {ext}"));
            };
            if is_index {
                a.reg = Reg((k::REG_ZARNGELEM + (reg & 31) + ((arng & 15) << 5)) as u16);
                a.index = Reg(num as u16);
            } else {
                set(a, mem, k::REG_ZARNG + (reg & 31) + ((arng & 15) << 5));
            }
            return Ok(());
        }
        if (k::REG_P0..=k::REG_PN15).contains(&reg) {
            let arng = match ext {
                "Z" => k::PRED_Z,
                "M" => k::PRED_M,
                other => match sve_arrangement(other) {
                    Some(v) => v,
                    None => {
                        if is_index && ext.is_empty() {
                            a.reg = Reg((k::REG_PZELEM + (reg & 31) + (1 << 5)) as u16);
                            a.index = Reg(num as u16);
                            return Ok(());
                        }
                        return Err(format!("invalid P register arrangement: {ext}"));
                    }
                },
            };
            a.reg = Reg((k::REG_PARNGZM + (reg & 31) + ((arng & 15) << 5)) as u16);
            return Ok(());
        }
        if (k::REG_V0..=k::REG_V31).contains(&reg) {
            let Some((arng, elem)) = neon_arrangement(ext) else {
                return Err(format!("unsupported simd register extension type: {ext}"));
            };
            if elem && !is_index {
                return Ok(());
            }
            let arng = arng & 15;
            let r = if elem {
                k::REG_ELEM + (reg & 31) + (arng << 5)
            } else {
                if is_index {
                    return Err("invalid register extension".into());
                }
                k::REG_ARNG + (reg & 31) + (arng << 5)
            };
            a.reg = Reg(r as u16);
            if is_index {
                a.index = Reg(num as u16);
            }
            return Ok(());
        }
        Err("invalid register and extension combination".into())
    }

    /// The arrangement bits of one register of a list (`V1.B16`, `Z1.D`, `P2.H`).
    pub(crate) fn list_arrangement(name: &str, arng: &str) -> Result<i64, String> {
        let prefix: i64 = match name.as_bytes().first() {
            Some(b'V') => 0,
            Some(b'Z') => 1,
            Some(b'P') => 2,
            _ => return Err(format!("expect V0-V31, Z0-Z31, or P0-P15; found: {name}")),
        };
        let (q, size): (i64, i64) = match arng {
            "B8" => (0, 0),
            "B16" => (1, 0),
            "H4" => (0, 1),
            "H8" => (1, 1),
            "S2" => (0, 2),
            "S4" => (1, 2),
            "D1" => (0, 3),
            "D2" => (1, 3),
            "B" => (2, 1),
            "H" => (2, 2),
            "S" => (2, 3),
            "D" => (3, 1),
            "Q" => (3, 2),
            _ => return Err("invalid arrangement in ARM64 register list".into()),
        };
        Ok((prefix << 32) | ((q & 3) << 30) | ((size & 3) << 10))
    }

    fn list_reg(b: &Builder<'_>, t: &RegTerm) -> OpResult<(i64, String, i64)> {
        let name = t.reg.name.as_str().to_string();
        let r = b.reg_ref(&t.reg)?;
        let r = match r {
            crate::operand::RegVal::Real(x) => i64::from(x),
            crate::operand::RegVal::Pseudo(_) => return fail(t.reg.lo, format!("invalid register: {name}")),
        };
        let base = match name.as_bytes().first() {
            Some(b'V') => k::REG_V0,
            Some(b'Z') => k::REG_Z0,
            Some(b'P') => k::REG_P0,
            _ => return fail(t.reg.lo, format!("invalid register in register list: {name}")),
        };
        let Some(ext) = t.exts.first() else {
            return fail(t.reg.hi, format!("expected '.', found {}", b.text(t.reg.hi)));
        };
        let arng = list_arrangement(&name, ext.name.as_str()).map_err(|m| OpError { message: m, at: ext.at, notes: vec![] })?;
        Ok((r - base, name, arng))
    }

    /// A register list's offset: `count` registers from `first_reg` (its number
    /// in its bank), or a `Z` range of `scale` more; `None` for a bad count.
    pub(crate) fn list_offset(first_reg: i64, arng: i64, count: usize, scale: i64) -> Option<i64> {
        let len = if scale == 0 {
            match count {
                1 => 0x7 << 12,
                2 => 0xa << 12,
                3 => 0x6 << 12,
                4 => 0x2 << 12,
                _ => return None,
            }
        } else {
            (scale as i16 as i64) << 12
        };
        Some(first_reg | len | arng | obj_consts::RegListARM64Lo)
    }

    /// `[V1.B16, V2.B16]`, `[Z1.D-Z4.D]`, `[P10.H, P11.H]`.
    pub fn register_list(b: &Builder<'_>, a: &mut Addr, items: &[ListItem]) -> OpResult<()> {
        let mut first: Option<(i64, i64)> = None; // (first register, arrangement)
        let mut next = -1i64;
        let mut count = 0;
        let mut scale: i64 = 0;
        for it in items {
            let (reg, name, arng) = list_reg(b, &it.first)?;
            let mask = if name.starts_with('P') { 15 } else { 31 };
            match first {
                None => {
                    first = Some((reg, arng));
                    next = reg;
                }
                Some((_, a0)) if a0 != arng => return fail(it.first.lo, "inconsistent arrangement in ARM64 register list"),
                Some(_) if next != reg => return fail(it.first.lo, format!("incontiguous register in ARM64 register list: {name}")),
                Some(_) => {}
            }
            match &it.last {
                Some(last) if name.starts_with('Z') => {
                    if !last.reg.name.as_str().starts_with('Z') {
                        return fail(last.reg.lo, format!("invalid register in register range: {}", last.reg.name));
                    }
                    let (hi, _, harng) = list_reg(b, last)?;
                    if Some(harng) != first.map(|f| f.1) {
                        return fail(last.lo, "inconsistent arrangement in ARM64 register list range");
                    }
                    scale = hi - reg;
                }
                Some(last) => return fail(last.lo - 1, "expected ',', found -"),
                None => {
                    count += 1;
                    next = (next + 1) & mask;
                }
            }
        }
        let (first_reg, arng) = first.unwrap_or((0, 0));
        let Some(off) = list_offset(first_reg, arng, count, scale) else {
            return fail(items.first().map_or(0, |i| i.first.lo), "invalid register numbers in ARM64 register list");
        };
        a.ty = AddrType::RegList;
        a.scale = scale as i16;
        a.offset = off;
        Ok(())
    }
}

pub mod loong64 {
    use arch_tables::loong64::consts as k;
    use arch_tables::Reg;
    use obj::Addr;

    /// Packs loong64 `V1.W4`, `X1.B32` and `V1.W[2]` into register numbers.
    pub fn register_extension(a: &mut Addr, ext: &str, reg: i32, num: i16, is_index: bool) -> Result<(), String> {
        let reg = i64::from(reg);
        let (simd, n) = if (k::REG_V0..=k::REG_V31).contains(&reg) {
            (k::LSX, reg - k::REG_V0)
        } else if (k::REG_X0..=k::REG_X31).contains(&reg) {
            (k::LASX, reg - k::REG_X0)
        } else {
            return Err(format!("Loong64 extension: invalid LSX/LASX register: {reg}"));
        };
        let (base, arng) = if is_index {
            let t = match ext {
                "B" => k::ARNG_B,
                "H" => k::ARNG_H,
                "W" => k::ARNG_W,
                "V" => k::ARNG_V,
                "BU" => k::ARNG_BU,
                "HU" => k::ARNG_HU,
                "WU" => k::ARNG_WU,
                "VU" => k::ARNG_VU,
                _ => return Err(format!("Loong64 extension: invalid LSX/LASX arrangement type: {ext}")),
            };
            (k::REG_ELEM, t)
        } else if simd == k::LSX {
            let t = match ext {
                "B16" => k::ARNG_16B,
                "H8" => k::ARNG_8H,
                "W4" => k::ARNG_4W,
                "V2" => k::ARNG_2V,
                _ => return Err(format!("Loong64 extension: invalid LSX arrangement type: {ext}")),
            };
            (k::REG_ARNG, t)
        } else {
            let t = match ext {
                "B32" => k::ARNG_32B,
                "H16" => k::ARNG_16H,
                "W8" => k::ARNG_8W,
                "V4" => k::ARNG_4V,
                "Q2" => k::ARNG_2Q,
                _ => return Err(format!("Loong64 extension: invalid LASX arrangement type: {ext}")),
            };
            (k::REG_ARNG, t)
        };
        let r = base
            + ((n & k::EXT_REG_MASK) << k::EXT_REG_SHIFT)
            + ((arng & k::EXT_TYPE_MASK) << k::EXT_TYPE_SHIFT)
            + ((simd & k::EXT_SIMDTYPE_MASK) << k::EXT_SIMDTYPE_SHIFT);
        a.reg = Reg(r as u16);
        if is_index {
            a.index = Reg(num as u16);
        }
        Ok(())
    }
}

pub mod x86 {
    use arch_tables::obj_consts;

    /// `[Z0-Z3]`: both registers packed into the offset.
    pub fn encode_register_range(lo: i16, hi: i16) -> i64 {
        i64::from(lo) | (i64::from(hi) << 16) | obj_consts::RegListX86Lo
    }
}

pub mod arm {
    use arch_tables::arm::consts as k;

    pub const REG_R0: i32 = k::REG_R0 as i32;
}
