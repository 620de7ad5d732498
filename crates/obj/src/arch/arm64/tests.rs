//! Encoding vectors: instructions built as the parser builds them, checked
//! against the bytes Go 1.27.3 assembles for the same source lines.

use arch_tables::arm64::consts as k;
use arch_tables::{Op, Reg};
use asm_lexer::Diags;

use crate::addr::{Addr, AddrType};
use crate::backend::{Backend, Ctxt};
use crate::module::{Func, Module};
use crate::prog::Prog;
use crate::sym::flags;

fn r(n: i64) -> Reg {
    Reg((k::REG_R0 + n) as u16)
}

fn prog(op: i64, from: Addr, reg: Reg, to: Addr) -> Prog {
    let mut p = Prog::new(Op(op as u16), Default::default());
    p.from = from;
    p.reg = reg;
    p.to = to;
    p
}

fn mem(base: Reg, off: i64) -> Addr {
    Addr { ty: AddrType::Mem, reg: base, offset: off, ..Default::default() }
}

/// Assembles the instructions as one NOSPLIT NOFRAME function; the hex of
/// its code without the function padding.
fn asm(progs: Vec<Prog>) -> Result<String, String> {
    let mut m = Module::new(arch_tables::GoArch::Arm64);
    let sym = m.syms.lookup("f", None);
    m.funcs.push(Func { sym, progs, flags: flags::NOSPLIT, frame: -8, args: 0, span: Default::default() });
    let mut d = Diags::new(None);
    super::ARM64.assemble(&mut m, &Ctxt::default(), &mut d);
    if d.has_errors() {
        return Err(format!("{:?}", d.list));
    }
    let data = &m.syms.get(sym).data;
    let mut s: String = data.iter().map(|b| format!("{b:02x}")).collect();
    while s.ends_with("00000000") && s.len() > 8 {
        s.truncate(s.len() - 8);
    }
    Ok(s)
}

#[test]
fn integer_forms_match_go() {
    // ADD R1, R2, R3 // 4300018b
    assert_eq!(asm(vec![prog(k::AADD, Addr::reg(r(1)), r(2), Addr::reg(r(3)))]).unwrap(), "4300018b");
    // ADD $1, R2, R3 // 43040091
    assert_eq!(asm(vec![prog(k::AADD, Addr::constant(1), r(2), Addr::reg(r(3)))]).unwrap(), "43040091");
    // MOVD $0x12345678, R1: MOVZ + MOVK // 01cf8ad2 8146a2f2
    assert_eq!(asm(vec![prog(k::AMOVD, Addr::constant(0x12345678), Reg(0), Addr::reg(r(1)))]).unwrap(), "01cf8ad28146a2f2");
    // AND $0xff, R1, R2 // 221c4092
    assert_eq!(asm(vec![prog(k::AAND, Addr::constant(0xff), r(1), Addr::reg(r(2)))]).unwrap(), "221c4092");
}

#[test]
fn load_store_forms_match_go() {
    // MOVD 8(R1), R2 // 220440f9
    assert_eq!(asm(vec![prog(k::AMOVD, mem(r(1), 8), Reg(0), Addr::reg(r(2)))]).unwrap(), "220440f9");
    // MOVD R2, -8(R1) // 22801ff8
    assert_eq!(asm(vec![prog(k::AMOVD, Addr::reg(r(2)), Reg(0), mem(r(1), -8))]).unwrap(), "22801ff8");
}

#[test]
fn unsupported_forms_are_errors() {
    // ADD with a floating-point register is no form of ADD.
    let f = Reg(k::REG_F0 as u16);
    let e = asm(vec![prog(k::AADD, Addr::reg(f), Reg(0), Addr::reg(r(1)))]).unwrap_err();
    assert!(e.contains("illegal combination"), "{e}");
}
