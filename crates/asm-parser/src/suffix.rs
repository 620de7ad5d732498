//! Instruction suffixes after `.`: arm conditions and load/store bits,
//! arm64 `.P`/`.W`, x86 AVX-512 modifiers, riscv64 rounding modes.

use arch_tables::{arm, generic, riscv, ArchSpec, Family, Op};
use obj::Prog;

/// arm's `.EQ.S`-style suffix list as condition bits (without the leading dot handling).
pub fn arm_condition(spec: &ArchSpec, cond: &str) -> Option<u8> {
    let cond = cond.strip_prefix('.').unwrap_or(cond);
    if cond.is_empty() {
        return Some(arm::consts::C_SCOND_NONE as u8);
    }
    let mut bits = 0u8;
    for name in cond.split('.') {
        if let Some(b) = spec.ls_suffix(name) {
            bits |= b;
        } else if let Some(b) = spec.cond_suffix(name) {
            bits = (bits & !(arm::consts::C_SCOND as u8)) | b;
        } else {
            return None;
        }
    }
    Some(bits)
}

/// Applies the suffix string (`.EQ`, `.P`, `.Z`...) to `p`; Go's message on failure.
pub fn apply(spec: &ArchSpec, p: &mut Prog, cond: &str) -> Result<(), String> {
    let bare = cond.strip_prefix('.').unwrap_or(cond);
    let unrecognized = || format!("unrecognized suffix .{cond:?}");
    match spec.family() {
        Family::Arm => {
            let mut bits = arm_condition(spec, cond).ok_or_else(|| format!("unrecognized condition code .{cond:?}"))?;
            if i64::from(p.op.0) == arm::consts::AB {
                let names = ["BEQ", "BNE", "BCS", "BCC", "BMI", "BPL", "BVS", "BVC", "BHI", "BLS", "BGE", "BLT", "BGT", "BLE", "B"];
                let i = ((bits ^ arm::consts::C_SCOND_XOR as u8) & 0xf) as usize;
                p.op = match names.get(i) {
                    Some(n) => spec.op(n).unwrap_or(generic::NOP),
                    None => generic::NOP,
                };
                bits = (bits & !0xf) | arm::consts::C_SCOND_NONE as u8;
            }
            p.scond = u16::from(bits);
        }
        Family::Arm64 => {
            let mut bits = 0u8;
            for name in bare.split('.') {
                bits |= spec.ls_suffix(name).ok_or_else(unrecognized)?;
            }
            p.scond = u16::from(bits);
        }
        Family::X86 => match spec.evex_suffix(bare) {
            Some(v) => p.scond = u16::from(v),
            None => return Err(x86_suffix_error(bare)),
        },
        Family::Riscv => {
            let name = spec.op_name(p.op);
            if ["FCVTWS", "FCVTLS", "FCVTWUS", "FCVTLUS", "FCVTWD", "FCVTLD", "FCVTWUD", "FCVTLUD"].contains(&name) {
                let rm = match bare {
                    "RNE" => riscv::consts::RM_RNE,
                    "RTZ" => riscv::consts::RM_RTZ,
                    "RDN" => riscv::consts::RM_RDN,
                    "RUP" => riscv::consts::RM_RUP,
                    "RMM" => riscv::consts::RM_RMM,
                    _ => return Err(unrecognized()),
                };
                p.scond = (rm as u16) | (1 << 7);
            } else if p.op == Op(riscv::consts::AFENCE as u16) && bare == "TSO" {
                p.scond = 1;
            } else {
                return Err(unrecognized());
            }
        }
        _ => return Err(unrecognized()),
    }
    Ok(())
}

/// Go's explanation of a bad AVX-512 suffix combination.
fn x86_suffix_error(cond: &str) -> String {
    let parts: Vec<&str> = cond.split('.').collect();
    let mut msg = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    let (mut bcst, mut sae) = (false, false);
    for (i, s) in parts.iter().enumerate() {
        match *s {
            "Z" => {
                if i != parts.len() - 1 {
                    msg.push("Z suffix should be the last".to_string());
                }
            }
            "BCST" => bcst = true,
            "SAE" | "RN_SAE" | "RZ_SAE" | "RD_SAE" | "RU_SAE" => sae = true,
            other => {
                if !unknown.contains(&other) {
                    msg.push(format!("unknown suffix {other:?}"));
                }
                unknown.push(other);
            }
        }
        if seen.contains(s) {
            msg.push(format!("duplicate suffix {s:?}"));
        }
        seen.push(s);
    }
    if bcst && sae {
        msg.push("can't combine rounding/SAE and broadcast".to_string());
    }
    if msg.is_empty() {
        "bad suffix combination".to_string()
    } else {
        msg.join("; ")
    }
}
