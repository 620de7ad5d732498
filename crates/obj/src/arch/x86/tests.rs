//! Encoding vectors (bytes taken from `go tool asm` 1.27.3 listings).

use super::encode::{encode, BranchInfo, Code, Env};
use crate::addr::{Addr, AddrType};
use crate::prog::{ArgDir, Prog};
use crate::sym::SymId;
use arch_tables::x86::consts::*;
use arch_tables::{Op, Reg};

fn env() -> Env {
    Env { amd64: true, shared: false, dynlink: false, tlsg: SymId(0), pc_thunks: [SymId(0); 8], goos: Default::default() }
}
fn rg(r: i64) -> Addr {
    Addr::reg(Reg(r as u16))
}
fn mem(base: i64, off: i64) -> Addr {
    Addr { ty: AddrType::Mem, reg: Reg(base as u16), offset: off, ..Default::default() }
}
fn hex(op: i64, from: Addr, rest: &[Addr], to: Addr) -> String {
    let mut p = Prog::new(Op(op as u16), asm_lexer::Span::DUMMY);
    p.from = from;
    p.rest = rest.iter().map(|a| (a.clone(), ArgDir::Source)).collect();
    p.to = to;
    let mut code = Code { bytes: Vec::new(), relocs: Vec::new() };
    encode(&env(), &mut p, BranchInfo::default(), &mut code).expect("encodes");
    code.bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn integer_forms() {
    assert_eq!(hex(AADDQ, Addr::constant(1), &[], rg(REG_AX)), "4883c001");
    assert_eq!(hex(AADDL, Addr::constant(1000), &[], rg(REG_AX)), "05e8030000");
    assert_eq!(hex(AMOVQ, mem(REG_SP, 8), &[], rg(REG_R8)), "4c8b442408");
    assert_eq!(hex(AMOVB, rg(REG_SI), &[], mem(REG_DI, 0)), "408837");
}

#[test]
fn vex_and_evex_forms() {
    assert_eq!(hex(AVPXOR, rg(REG_Y1), &[rg(REG_Y2)], rg(REG_Y3)), "c5edefd9");
    assert_eq!(hex(AVADDPD, rg(REG_Z1), &[rg(REG_Z2)], rg(REG_Z3)), "62f1ed4858d9");
}

/// A function with a frame and no NOSPLIT calls morestack in its prologue;
/// `nosplit_all` drops the stack check (for functions called from C).
#[test]
fn nosplit_all_drops_the_stack_check() {
    let build = |nosplit_all: bool| {
        let mut m = crate::Module::new(arch_tables::GoArch::Amd64);
        let f = m.syms.lookup("f", None);
        let g = m.syms.lookup("g", None);
        let mut call = Prog::new(arch_tables::generic::CALL, asm_lexer::Span::DUMMY);
        call.to = Addr { ty: AddrType::Branch, name: crate::AddrName::Extern, sym: Some(g), ..Default::default() };
        let ret = Prog::new(arch_tables::generic::RET, asm_lexer::Span::DUMMY);
        m.funcs.push(crate::Func { sym: f, progs: vec![call, ret], frame: 16, args: 0, ..Default::default() });
        let mut diags = asm_lexer::Diags::default();
        crate::backend(m.arch).assemble(&mut m, &crate::Ctxt { nosplit_all, ..Default::default() }, &mut diags);
        assert!(diags.list.is_empty());
        let s = m.syms.get(f);
        s.relocs.iter().map(|r| m.syms.get(r.sym).name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(build(false), ["runtime.tlsg", "g", "runtime.morestack_noctxt"]);
    assert_eq!(build(true), ["g"]);
}
