//! Printing operands and instructions in Go's style (`MOVQ $1, AX`), for
//! `-debug` and for messages that quote an operand.

use arch_tables::{ArchSpec, Family};
use obj::{Addr, AddrName, AddrType, AddrVal, ArgDir, Module, Prog};

fn reg_name(spec: &ArchSpec, r: u16) -> String {
    spec.reg_name(arch_tables::Reg(r))
}

fn offset(off: i64) -> String {
    if off == 0 {
        String::new()
    } else {
        format!("{off:+}")
    }
}

fn sym_name(m: Option<&Module>, a: &Addr) -> String {
    a.sym.map(|s| m.map_or_else(|| "sym".to_string(), |m| m.syms.get(s).name.clone())).unwrap_or_default()
}

fn mem(spec: &ArchSpec, m: Option<&Module>, a: &Addr) -> String {
    let sym = a.sym.map(|_| sym_name(m, a));
    let mut s = match a.name {
        AddrName::None => {
            if a.reg.0 != 0 {
                if a.offset != 0 {
                    format!("{}({})", a.offset, reg_name(spec, a.reg.0))
                } else {
                    format!("({})", reg_name(spec, a.reg.0))
                }
            } else {
                format!("{}", a.offset)
            }
        }
        AddrName::Extern => format!("{}{}(SB)", sym.unwrap_or_default(), offset(a.offset)),
        AddrName::Static => format!("{}<>{}(SB)", sym.unwrap_or_default(), offset(a.offset)),
        AddrName::Auto => format!("{}{}(SP)", sym.unwrap_or_default(), offset(a.offset)),
        AddrName::Param => format!("{}{}(FP)", sym.unwrap_or_default(), offset(a.offset)),
        AddrName::GotRef => format!("{}{}@GOT(SB)", sym.unwrap_or_default(), offset(a.offset)),
        AddrName::TocRef => format!("{}{}@TOC(SB)", sym.unwrap_or_default(), offset(a.offset)),
    };
    if a.index.0 != 0 {
        if a.scale != 0 {
            s.push_str(&format!("({}*{})", reg_name(spec, a.index.0), a.scale));
        } else {
            s.push_str(&format!("({})", reg_name(spec, a.index.0)));
        }
    }
    s
}

/// One operand as Go's `obj.Dconv` prints it (best effort for packed forms).
pub fn format_addr(spec: &ArchSpec, m: Option<&Module>, a: &Addr) -> String {
    match a.ty {
        AddrType::None => String::new(),
        AddrType::Reg => {
            let mut s = reg_name(spec, a.reg.0);
            // Go prints an arm64 element register (`V1.S[1]`, `Z2.D[0]`) with its index.
            let r = i64::from(a.reg.0);
            if spec.family() == Family::Arm64 && ((9728..10240).contains(&r) || (10752..11776).contains(&r)) {
                s.push_str(&format!("[{}]", a.index.0));
            }
            s
        }
        AddrType::Branch => match (&a.val, a.sym) {
            // Go prints a branch to a symbol as `name(SB)`, without its offset or `<>`.
            (_, Some(_)) => format!("{}(SB)", sym_name(m, a)),
            (AddrVal::Target(t), None) => format!("{t}"),
            _ => format!("{}(PC)", a.offset),
        },
        AddrType::Indir => format!("*{}", mem(spec, m, a)),
        AddrType::Mem => mem(spec, m, a),
        AddrType::Const | AddrType::Addr => {
            if a.ty == AddrType::Const && a.reg.0 == 0 && a.sym.is_none() {
                format!("${}", a.offset)
            } else {
                format!("${}", mem(spec, m, a))
            }
        }
        AddrType::TextSize => match a.val {
            AddrVal::ArgSize(n) if n != obj::ARGS_SIZE_UNKNOWN => format!("${}-{}", a.offset, n),
            _ => format!("${}", a.offset),
        },
        AddrType::FConst => match &a.val {
            AddrVal::Float(f) => {
                let mut t = format_g17(*f);
                if !t.contains(['.', 'e']) {
                    t.push_str(".0");
                }
                format!("$({t})")
            }
            _ => "$(?)".into(),
        },
        AddrType::SConst => match &a.val {
            AddrVal::Str(s) => format!("${:?}", String::from_utf8_lossy(s)),
            _ => "$\"\"".into(),
        },
        AddrType::Shift => shift(spec, a),
        AddrType::RegReg => format!("({}, {})", reg_name(spec, a.reg.0), reg_name(spec, a.offset as u16)),
        AddrType::RegReg2 => format!("{}, {}", reg_name(spec, a.offset as u16), reg_name(spec, a.reg.0)),
        AddrType::RegList => reglist(spec, a),
        AddrType::Special => spec.special_operand_name(a.offset).map_or_else(|| format!("SPECIAL({})", a.offset), str::to_string),
    }
}

/// Go's `%.17g`: 17 significant digits, trailing zeros dropped, exponent
/// form when the exponent is below -4 or at least 17.
pub fn format_g17(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    if !f.is_finite() {
        return if f.is_nan() { "NaN".into() } else if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let e = format!("{f:.16e}");
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= 17 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", trim(mant), sign, exp.abs())
    } else {
        let prec = (16 - exp).max(0) as usize;
        trim(&format!("{f:.prec$}"))
    }
}

fn shift(spec: &ArchSpec, a: &Addr) -> String {
    let v = a.offset;
    let ops = ["<<", ">>", "->", "@>"];
    let s = if spec.family() == Family::Arm64 {
        let r = (v >> 16) & 31;
        let r = if r == 31 { "ZR".to_string() } else { format!("R{r}") };
        format!("{r}{}{}", ops[((v >> 22) & 3) as usize], (v >> 10) & 63)
    } else {
        let r = v & 15;
        let op = ops[((v >> 5) & 3) as usize];
        if v & (1 << 4) != 0 {
            format!("R{r}{op}R{}", (v >> 8) & 15)
        } else {
            format!("R{r}{op}{}", (v >> 7) & 31)
        }
    };
    if a.reg.0 != 0 {
        format!("{s}({})", reg_name(spec, a.reg.0))
    } else {
        s
    }
}

fn reglist(spec: &ArchSpec, a: &Addr) -> String {
    match spec.family() {
        Family::Arm => {
            let regs: Vec<String> = (0..16).filter(|i| a.offset & (1 << i) != 0).map(|i| if i == 10 { "g".to_string() } else { format!("R{i}") }).collect();
            format!("[{}]", regs.join(","))
        }
        Family::X86 => format!("[{}-{}]", reg_name(spec, (a.offset & 0xffff) as u16), reg_name(spec, ((a.offset >> 16) & 0xffff) as u16)),
        Family::Arm64 => arm64_reglist(a.offset),
        _ => format!("[list {:#x}]", a.offset),
    }
}

/// Go's arm64 `rlconv`: the list packs the first register (bits 0-4), the
/// size (10-11), the opcode giving the count (12-15) and Q (bit 30).
fn arm64_reglist(list: i64) -> String {
    let first = list & 31;
    let count = match (list >> 12) & 15 {
        0x7 => 1,
        0xa => 2,
        0x6 => 3,
        0x2 => 4,
        _ => 0,
    };
    let arng = ["B8", "H4", "S2", "D1", "B16", "H8", "S4", "D2"][(((list >> 30) & 1) << 2 | (list >> 10) & 3) as usize];
    let regs: Vec<String> = (0..count).map(|i| format!("V{}.{arng}", (first + i) & 31)).collect();
    format!("[{}]", regs.join(","))
}

/// An instruction as Go prints it: `MOVQ\t$1, AX`.
pub fn format_prog(spec: &'static ArchSpec, m: &Module, p: &Prog) -> String {
    let mut s = spec.op_display(p.op);
    if p.scond != 0 {
        if let Some(x) = suffix(spec, p.scond) {
            s.push('.');
            s.push_str(&x);
        }
    }
    let mut args = Vec::new();
    if !p.from.is_none() {
        args.push(format_addr(spec, Some(m), &p.from));
    }
    if p.reg.0 != 0 {
        args.push(reg_name(spec, p.reg.0));
    }
    // Go's order: sources among the rest before `to`, destinations (arm64 CASP's pair) after.
    for (r, dir) in &p.rest {
        if *dir != ArgDir::Destination {
            args.push(format_addr(spec, Some(m), r));
        }
    }
    if !p.to.is_none() {
        args.push(format_addr(spec, Some(m), &p.to));
    }
    if p.reg_to2.0 != 0 {
        args.push(reg_name(spec, p.reg_to2.0));
    }
    for (r, dir) in &p.rest {
        if *dir == ArgDir::Destination {
            args.push(format_addr(spec, Some(m), r));
        }
    }
    if !args.is_empty() {
        s.push('\t');
        s.push_str(&args.join(", "));
    }
    s
}

fn suffix(spec: &ArchSpec, scond: u16) -> Option<String> {
    match spec.family() {
        Family::X86 => spec.evex_suffix_name(scond as u8).map(str::to_string),
        // Go's CConvARM: `.P` (post-index) and `.W` (pre-index) bits.
        Family::Arm64 => {
            let parts: Vec<&str> = ["P", "W"].into_iter().filter(|n| spec.ls_suffix(n).is_some_and(|b| u16::from(b) & scond != 0)).collect();
            (!parts.is_empty()).then(|| parts.join("."))
        }
        Family::Arm => {
            let parts: Vec<&str> = spec.cond_suffixes().filter(|(_, v)| u16::from(*v) == scond).map(|(k, _)| k).take(1).collect();
            parts.first().map(|s| s.to_string())
        }
        _ => None,
    }
}
