//! Diagnostics help read from the form table: the operand forms an arm64
//! mnemonic accepts, in Plan 9 syntax (for "illegal combination" errors),
//! and which operand of an instruction an encoder error is about.
//!
//! A row's operand classes become words a reader knows: `$imm12`, `Rm<<shift`,
//! `off(Rn)`, `Vn.<T>`, ... Go's classes are finer than that (constants by how
//! they encode, offsets by their range and alignment): those that differ only
//! in what is out of reach of the operand's syntax read the same, and the
//! repeats go.

use arch_tables::arm64::consts as k;

use super::class::c;
use super::optab::{fits, rows_of, Row};
use arch_tables::Reg;

use crate::addr::AddrType;
use crate::backend::Operand;
use crate::prog::{ArgDir, Prog};

/// Offset classes by range: of autos (`x-8(SP)`) and of a base register.
const AUTOS: std::ops::RangeInclusive<u8> = k::C_ZAUTO as u8..=k::C_LAUTO as u8;
const OREGS: std::ops::RangeInclusive<u8> = k::C_NSOREG_16 as u8..=k::C_LOREG as u8;
const SEXTS: std::ops::RangeInclusive<u8> = k::C_SEXT1 as u8..=k::C_LEXT as u8;

/// A row's operand positions: from, reg, from3, to, to2.
const ROLES: [Operand; 5] = [Operand::From, Operand::Reg, Operand::Rest(0), Operand::To, Operand::RegTo2];

/// One operand class in words. `slot` names a register by its role: `m`
/// (from), `n` (reg), `a` (from3), `d` (to), `t` (to2).
fn class(x: u8, slot: char) -> String {
    let s = match x {
        c::C_REG | c::C_ZREG => return format!("R{slot}"),
        c::C_RSP => return format!("R{slot}|RSP"),
        c::C_FREG => return format!("F{slot}"),
        c::C_VREG => return format!("V{slot}"),
        c::C_ARNG => return format!("V{slot}.<T>"),
        c::C_ELEM => return format!("V{slot}.<T>[i]"),
        c::C_PAIR => "(Rt1, Rt2)",
        c::C_SHIFT => "Rm<<shift",
        c::C_EXTREG => "Rm.<ext><<amount",
        c::C_SPR => "sysreg",
        c::C_COND => "cond",
        c::C_SPOP => "special-op",
        c::C_LIST => "[Vt.<T>, ...]",
        c::C_ZCON => "$0",
        c::C_ABCON0 | c::C_ADDCON0 | c::C_ABCON | c::C_AMCON | c::C_ADDCON => "$imm12",
        c::C_ADDCON2 => "$imm24",
        c::C_BITCON => "$bitmask",
        c::C_MBCON | c::C_MOVCON => "$imm16<<s",
        c::C_LCON => "$imm32",
        c::C_MOVCON2 | c::C_MOVCON3 | c::C_VCON => "$imm64",
        c::C_FCON => "$fconst",
        c::C_VCONADDR | c::C_AECON => "$sym(SB)",
        c::C_AACON | c::C_AACON2 | c::C_LACON => "$x-off(SP)",
        c::C_SBRA | c::C_LBRA => "label",
        c::C_ZOREG => "(Rn)",
        c::C_ROFF => "(Rn)(Ri)",
        c::C_ADDR => "sym(SB)",
        c::C_GOTADDR => "sym@GOT(SB)",
        c::C_TLS_LE | c::C_TLS_IE => "tlsvar(SB)",
        c::C_TEXTSIZE => "$frame-$args",
        _ if AUTOS.contains(&x) => "x-off(SP)",
        _ if OREGS.contains(&x) => "off(Rn)",
        _ if SEXTS.contains(&x) => "sym(SB)",
        _ => "?",
    };
    s.to_string()
}

/// A row in Plan 9 syntax: the mnemonic (with the `.P`/`.W` the row
/// requires), then its operands in source order, which for every arm64
/// placement is from, reg, from3, to, to2 without the empty ones.
fn render(name: &str, a: &[u8; 5], scond: u8) -> String {
    let suffix = match i64::from(scond) {
        k::C_XPOST => ".P",
        k::C_XPRE => ".W",
        _ => "",
    };
    let ops: Vec<String> =
        a.iter().zip("mnadt".chars()).filter(|&(&x, _)| x != c::C_NONE).map(|(&x, slot)| class(x, slot)).collect();
    if ops.is_empty() {
        format!("{name}{suffix}")
    } else {
        format!("{name}{suffix} {}", ops.join(", "))
    }
}

/// Every operand form of `op`, named `name`, in table order without
/// repeats, and without the rows another row takes in (`ADD $imm12, ...`
/// where `ADD $imm64, ...` takes every constant).
pub fn accepted_forms(op: u16, name: &str) -> Vec<String> {
    let rows = rows_of(op);
    let wider = |w: &Row, r: &Row| w.scond == r.scond && w.a != r.a && (0..5).all(|i| fits(w.a[i], r.a[i]));
    let mut out: Vec<String> = Vec::new();
    for r in rows.iter().filter(|r| !rows.iter().any(|w| wider(w, r))) {
        let s = render(name, &r.a, r.scond);
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The class numbers of an "illegal combination: OP C_A C_B C_C C_D C_E (...)"
/// message, as the layout writes them.
fn message_classes(message: &str) -> Option<[u8; 5]> {
    let rest = message.strip_prefix("illegal combination: ")?;
    let mut words = rest.split(' ').skip(1);
    let mut cls = [0u8; 5];
    for x in &mut cls {
        let w = words.next()?;
        *x = match w.strip_prefix("C_").and_then(|n| n.parse::<u8>().ok()) {
            Some(n) => n,
            None => k::all().iter().find(|(n, _)| *n == w).and_then(|&(_, v)| u8::try_from(v).ok())?,
        };
    }
    Some(cls)
}

/// The operand of `p` an error of the arm64 backend is about, if one is.
pub fn error_operand(p: &Prog, message: &str) -> Option<Operand> {
    let mem = |t: &crate::addr::Addr| t.ty == AddrType::Mem;
    if let Some(cls) = message_classes(message) {
        return odd_one_out(p, cls);
    }
    if message.starts_with("offset out of range") {
        return match (mem(&p.from), mem(&p.to)) {
            (true, false) => Some(Operand::From),
            (false, true) => Some(Operand::To),
            _ => None,
        };
    }
    if message.starts_with("register element index out of range") {
        // The one operand that is a vector element (`V1.S[4]`).
        let elem = |a: &crate::addr::Addr| (k::REG_ELEM..k::REG_ZARNG).contains(&i64::from(a.reg.0));
        return match (elem(&p.from), elem(&p.to)) {
            (true, false) => Some(Operand::From),
            (false, true) => Some(Operand::To),
            _ => None,
        };
    }
    if message.starts_with("cannot use REGTMP") || message.starts_with("REGTMP used in") {
        // The one operand that names R27, as a register, a pair or a base.
        let tmp = |a: &crate::addr::Addr| {
            i64::from(a.reg.0) == k::REGTMP || a.ty == AddrType::RegReg && a.offset == k::REGTMP
        };
        let named: Vec<Operand> = [
            (tmp(&p.from), Operand::From),
            (i64::from(p.reg.0) == k::REGTMP, Operand::Reg),
            (tmp(&p.to), Operand::To),
        ]
        .into_iter()
        .filter_map(|(yes, o)| yes.then_some(o))
        .collect();
        return (named.len() == 1).then(|| named[0]);
    }
    let rsp = Reg(k::REG_RSP as u16);
    match message {
        "illegal destination register" if p.to.reg == rsp => Some(Operand::To),
        "illegal destination register" if p.reg_to2 == rsp => Some(Operand::RegTo2),
        "illegal source register" if p.reg == rsp => Some(Operand::Reg),
        "illegal source register" => Some(Operand::To),
        "illegal bit number" | "illegal bit position" | "illegal immediate for PSTATE field" | "illegal SYS argument"
        | "immediate constant out of range" => Some(Operand::From),
        "illegal FCCMP" => Some(Operand::Rest(0)),
        "illegal prefetch operation" | "illegal PSTATE field for immediate move" => Some(Operand::To),
        // MRS reads the system register in from, MSR writes the one in to.
        "illegal system register" | "system register is not readable" | "system register is not writable" => {
            Some(if i64::from(p.op.0) == k::AMRS { Operand::From } else { Operand::To })
        }
        "unsupported shift operator" => Some(Operand::From),
        "illegal argument" | "shift out of range" => Some(Operand::From),
        m if m.starts_with("alignment value of an instruction") => Some(Operand::From),
        m if m.starts_with("PCALIGNMAX 'amount'") => Some(Operand::To),
        m if m.starts_with("shift amount out of range") => Some(Operand::From),
        m if m.starts_with("bad constant for MOVK") => Some(Operand::From),
        _ => None,
    }
}

/// For operand classes no row takes: the operand every row taking the
/// others rejects (see [`crate::backend::odd_one_out`]).
fn odd_one_out(p: &Prog, cls: [u8; 5]) -> Option<Operand> {
    let rows = rows_of(p.op.0).iter().filter(|r| u16::from(r.scond) == p.scond);
    let culprit = crate::backend::odd_one_out(rows, 5, |r, i| fits(r.a[i], cls[i]));
    match ROLES[culprit?] {
        // from3 and to2 may sit in `rest` (as the source and destination entries).
        Operand::Rest(_) => p.rest.iter().position(|a| a.1 == ArgDir::Source).map(Operand::Rest),
        Operand::RegTo2 if p.reg_to2.0 == 0 => p.rest.iter().position(|a| a.1 == ArgDir::Destination).map(Operand::Rest),
        role => Some(role),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arch_tables::arm64::consts as a;

    #[test]
    fn forms_in_plan9_words() {
        let f = accepted_forms(a::AADD as u16, "ADD");
        assert!(f.contains(&"ADD $imm64, Rn|RSP, Rd|RSP".to_string()), "{f:?}");
        assert!(!f.contains(&"ADD $imm12, Rn|RSP, Rd|RSP".to_string()), "{f:?}");
        assert!(f.contains(&"ADD Rm<<shift, Rn, Rd".to_string()), "{f:?}");
        assert!(f.iter().all(|s| !s.contains('?')), "{f:?}");
        let f = accepted_forms(a::AMOVD as u16, "MOVD");
        assert!(f.contains(&"MOVD.P Rm, off(Rn)".to_string()), "{f:?}");
        assert!(f.contains(&"MOVD x-off(SP), Rd".to_string()), "{f:?}");
        assert!(accepted_forms(u16::MAX, "X").is_empty());
        // No class of any row reads as "?".
        for op in 0..=u16::MAX {
            for s in accepted_forms(op, "OP") {
                assert!(!s.contains('?'), "{op}: {s}");
            }
        }
    }

    #[test]
    fn the_operand_no_form_takes() {
        let cls = message_classes("illegal combination: ADD C_ABCON0 C_REG C_NONE C_ZOREG C_NONE (no ADD form takes these operands)");
        let cls = cls.expect("the layout's message parses");
        assert_eq!(cls, [c::C_ABCON0, c::C_REG, c::C_NONE, c::C_ZOREG, c::C_NONE]);
        let p = Prog::new(arch_tables::Op(a::AADD as u16), asm_lexer::Span::DUMMY);
        assert_eq!(odd_one_out(&p, cls), Some(Operand::To));
        // Float registers where ADD takes registers: no one operand is it.
        assert_eq!(odd_one_out(&p, [c::C_FREG, c::C_REG, c::C_NONE, c::C_FREG, c::C_NONE]), None);
        // A register moved to a float register: MOVD has no float forms.
        let p = Prog::new(arch_tables::Op(a::AMOVD as u16), asm_lexer::Span::DUMMY);
        assert_eq!(odd_one_out(&p, [c::C_REG, c::C_NONE, c::C_NONE, c::C_FREG, c::C_NONE]), Some(Operand::To));
    }
}
