//! The operand forms an x86 mnemonic accepts, in Plan 9 syntax, read from
//! the optab rows (for "no form of X takes these operands" diagnostics).
//!
//! A row's operand classes become words a reader knows: `$imm8`, `r32`,
//! `r/m64`, `X`, `Y/m256`, ... The width of a plain register or memory
//! class follows the mnemonic's size suffix (`B W L Q`), as Go's classes
//! do not say it.

use super::encode::{classify, Env};
use super::optab::{self, MovKind};
use super::optab_gen::y;
use crate::addr::{Addr, AddrType};
use crate::backend::Operand;
use crate::prog::Prog;
use crate::sym::SymId;

/// The width suffix of a mnemonic: 8, 16, 32, 64, or 0 when none applies.
fn width(name: &str) -> u32 {
    match name.as_bytes().last() {
        Some(b'B') => 8,
        Some(b'W') => 16,
        Some(b'L') => 32,
        Some(b'Q') => 64,
        _ => 0,
    }
}

/// One operand class in words. `w` is the mnemonic's width (0: unknown).
fn class(c: u8, w: u32) -> String {
    let sized = |base: &str| if w == 0 { base.to_string() } else { format!("{base}{w}") };
    let s = match c {
        y::Yi0 => "$0",
        y::Yi1 => "$1",
        y::Yu2 => "$imm2",
        y::Yi8 => "$imm8",
        y::Yu8 => "$uimm8",
        y::Yu7 => "$uimm7",
        y::Ys32 => "$simm32",
        y::Yi32 => "$imm32",
        y::Yi64 => "$imm64",
        y::Yiauto => "$frame",
        y::Yal => "AL",
        y::Ycl => "CL",
        y::Yax => "AX",
        y::Ycx => "CX",
        y::Yrb => "r8",
        y::Yrl => return sized("r"),
        y::Yrl32 => "r32",
        y::Yrf => "F(0-7)",
        y::Yf0 => "F0",
        y::Yrx => return sized("r"),
        y::Ymb => "r8/m8",
        y::Yml => return if w == 0 { "r/m".into() } else { format!("r{w}/m{w}") },
        y::Ym => "mem",
        y::Ybr => "label",
        y::Ycs => "CS",
        y::Yss => "SS",
        y::Yds => "DS",
        y::Yes => "ES",
        y::Yfs => "FS",
        y::Ygs => "GS",
        y::Ygdtr => "GDTR",
        y::Yidtr => "IDTR",
        y::Yldtr => "LDTR",
        y::Ymsw => "MSW",
        y::Ytask => "TASK",
        y::Ycr0..=y::Ycr8 => return format!("CR{}", c - y::Ycr0),
        y::Ydr0..=y::Ydr7 => return format!("DR{}", c - y::Ydr0),
        y::Ytr0..=y::Ytr7 => return format!("TR{}", c - y::Ytr0),
        y::Ymr => "M(0-7)",
        y::Ymm => "M/m64",
        y::Yxr0 => "X0",
        y::YxrEvexMulti4 => "X(4 regs)",
        y::Yxr => "X(0-15)",
        y::YxrEvex => "X",
        y::Yxm => "X(0-15)/m128",
        y::YxmEvex => "X/m128",
        y::Yxvm => "[X(0-15)] (vector mem)",
        y::YxvmEvex => "[X] (vector mem)",
        y::YyrEvexMulti4 => "Y(4 regs)",
        y::Yyr => "Y(0-15)",
        y::YyrEvex => "Y",
        y::Yym => "Y(0-15)/m256",
        y::YymEvex => "Y/m256",
        y::Yyvm => "[Y(0-15)] (vector mem)",
        y::YyvmEvex => "[Y] (vector mem)",
        y::YzrMulti4 => "Z(4 regs)",
        y::Yzr => "Z",
        y::Yzm => "Z/m512",
        y::Yzvm => "[Z] (vector mem)",
        y::Yk0 => "K0",
        y::Yknot0 => "K(1-7)",
        y::Yk => "K",
        y::Ykm => "K/mem",
        y::Ytls => "TLS",
        y::Ytextsize => "$frame-$args",
        y::Yindir => "(r)",
        _ => "?",
    };
    s.to_string()
}

fn render(name: &str, classes: &[u8]) -> String {
    let w = width(name);
    let ops: Vec<String> = classes.iter().copied().filter(|&c| c != y::Ynone && c != y::Yxxx).map(|c| class(c, w)).collect();
    if ops.is_empty() {
        name.to_string()
    } else {
        format!("{name} {}", ops.join(", "))
    }
}

/// Every operand form of `op` (Go's opcode number), named `name`, in table
/// order without repeats: the optab rows, then the special-move rows.
pub fn accepted_forms(op: i64, name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(e) = optab::entry(op) {
        for f in e.forms {
            let n = f.args.iter().position(|&c| c == y::Yxxx).unwrap_or(f.args.len());
            add(render(name, &f.args[..n]));
        }
    }
    for m in optab::mov_forms(op) {
        let classes: &[u8] = if m.kind == MovKind::DoubleShift { &[m.ft, m.f3t, m.tt] } else { &[m.ft, m.tt] };
        add(render(name, classes));
    }
    out
}

/// The operand of `p` an error of the x86 backend (as the backend words it:
/// `f: what went wrong: MNEMONIC`) is about, if one is.
pub fn error_operand(amd64: bool, p: &Prog, message: &str) -> Option<Operand> {
    if message.contains(": no form of ") {
        return odd_one_out(amd64, p);
    }
    // The addressing errors of the ModRM/SIB encoding: the memory operand.
    let about_memory = ["asmidx: bad address", "asmand: bad address", "bad addr:", "offset too large", "has offset against gotref"];
    if !about_memory.iter().any(|m| message.contains(m)) {
        return None;
    }
    let mut mems = operands(p).filter(|(a, _)| a.ty == AddrType::Mem);
    match (mems.next(), mems.next()) {
        (Some((_, o)), None) => Some(o),
        _ => None,
    }
}

/// The operands of `p` in source order (from, rest, to), with their fields.
fn operands(p: &Prog) -> impl Iterator<Item = (&Addr, Operand)> {
    let from = (p.from.ty != AddrType::None).then_some((&p.from, Operand::From));
    let to = (p.to.ty != AddrType::None).then_some((&p.to, Operand::To));
    from.into_iter().chain(p.rest.iter().enumerate().map(|(i, a)| (&a.0, Operand::Rest(i)))).chain(to)
}

/// For operands no form takes: the operand every form taking the others
/// rejects (see [`crate::backend::odd_one_out`]). Classes as the encoder
/// sees them (without -shared: the operand kind, not the relocation, is
/// what matters here).
fn odd_one_out(amd64: bool, p: &Prog) -> Option<Operand> {
    let env = Env { amd64, shared: false, dynlink: false, tlsg: SymId(0), pc_thunks: [SymId(0); 8], goos: Default::default() };
    let (have, roles): (Vec<u8>, Vec<Operand>) = operands(p).map(|(a, o)| (classify(&env, a), o)).unzip();
    let op = i64::from(p.op.0);
    let mut rows: Vec<Vec<u8>> = Vec::new();
    if let Some(e) = optab::entry(op) {
        rows.extend(e.forms.iter().map(|f| f.args.iter().copied().take_while(|&c| c != y::Yxxx).collect()));
    }
    for m in optab::mov_forms(op) {
        rows.push(if m.kind == MovKind::DoubleShift { vec![m.ft, m.f3t, m.tt] } else { vec![m.ft, m.tt] });
    }
    let rows = rows.iter().filter(|w| w.len() == have.len());
    crate::backend::odd_one_out(rows, have.len(), |want, i| optab::covers(have[i], want[i])).map(|i| roles[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use arch_tables::x86::consts::*;

    #[test]
    fn forms_in_plan9_words() {
        let f = accepted_forms(AMOVQ, "MOVQ");
        assert!(f.contains(&"MOVQ r64/m64, r64".to_string()), "{f:?}");
        assert!(f.contains(&"MOVQ $imm32, r64/m64".to_string()), "{f:?}");
        assert!(f.iter().any(|s| s.contains("X(0-15)")), "{f:?}");
        let f = accepted_forms(AADDL, "ADDL");
        assert!(f.contains(&"ADDL $imm8, r32/m32".to_string()), "{f:?}");
        let f = accepted_forms(AVADDPD, "VADDPD");
        assert!(f.iter().all(|s| !s.contains('?')), "{f:?}");
        assert!(f.contains(&"VADDPD X(0-15)/m128, X(0-15), X(0-15)".to_string()), "{f:?}");
        // Special moves (control registers) come from the move table.
        assert!(accepted_forms(AMOVQ, "MOVQ").iter().any(|s| s.contains("CR0")));
        assert!(accepted_forms(i64::MAX, "X").is_empty());
    }

    #[test]
    fn the_operand_at_fault() {
        let reg = |r: i64| Addr { ty: AddrType::Reg, reg: arch_tables::Reg(r as u16), ..Default::default() };
        let mut p = Prog::new(arch_tables::Op(AADDQ as u16), asm_lexer::Span::DUMMY);
        // ADDQ X1, AX: every ADDQ form taking AX as destination rejects X1.
        p.from = reg(REG_X1);
        p.to = reg(REG_AX);
        assert_eq!(error_operand(true, &p, "f: invalid instruction: ADDQ: no form of ADDQ takes these operands"), Some(Operand::From));
        // ADDQ X1, X2: no one operand.
        p.to = reg(REG_X2);
        assert_eq!(error_operand(true, &p, "f: invalid instruction: ADDQ: no form of ADDQ takes these operands"), None);
        p.to = Addr { ty: AddrType::Mem, reg: arch_tables::Reg(REG_SP as u16), ..Default::default() };
        assert_eq!(error_operand(true, &p, "f: asmidx: bad address 2/4/4: ADDQ"), Some(Operand::To));
    }
}
