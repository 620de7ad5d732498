//! Position-independent code, as Go's x86 assembler makes it:
//!
//! - `-dynlink`: global data is reached through its GOT slot, loaded into a
//!   scratch register (R15 on amd64, CX on 386), and DUFFZERO/DUFFCOPY become
//!   indirect calls;
//! - `-shared` on 386: every instruction naming a global is preceded by a
//!   call to `__x86.get_pc_thunk.<reg>` and addresses the global relative to
//!   the returned PC;
//! - the `-dynlink` check that R15 is not read after a global access
//!   clobbered it.
//!
//! Each rewrite may replace one instruction by a NOP (keeping branch targets
//! valid) followed by new instructions; the caller feeds those through the
//! per-instruction edits again, as Go does.

use arch_tables::x86::consts::*;
use arch_tables::{generic, GoArch, Op, Reg};

use super::preprocess::{mem, mk, op as code, reg_addr as reg};
use crate::addr::{Addr, AddrName, AddrType, AddrVal};
use crate::prog::Prog;
use crate::sym::{Abi, SymId, SymKind, SymTab};

/// An instruction produced by a rewrite; `settled` ones must not be
/// rewritten for position independence again (Go marks them with RegTo2).
pub struct New {
    pub prog: Prog,
    pub settled: bool,
}

fn op(o: i64) -> Op {
    Op(o as u16)
}

fn reg_of(a: &Addr) -> i64 {
    i64::from(a.reg.0)
}

/// Symbols Go marks local: its constant pools and the PC thunks. They are
/// never reached through the GOT.
fn is_local(syms: &SymTab, s: Option<SymId>) -> bool {
    s.is_some_and(|s| {
        let n = &syms.get(s).name;
        n.starts_with("$f64.") || n.starts_with("$f32.") || n.starts_with("$i64.") || n.starts_with("__x86.get_pc_thunk.")
    })
}

/// A reference to a global Go symbol that must go through the GOT.
fn is_global(syms: &SymTab, a: &Addr) -> bool {
    a.name == AddrName::Extern && a.sym.is_some() && !is_local(syms, a.sym)
}

fn nop_out(p: &mut Prog) {
    *p = Prog { op: generic::NOP, span: p.span, pc: p.pc, ..Default::default() };
}

fn gotref(sym: SymId) -> Addr {
    Addr { ty: AddrType::Mem, name: AddrName::GotRef, sym: Some(sym), ..Default::default() }
}

/// `-dynlink`: rewrites `p` to reach global data through the GOT. Returns
/// the instructions to insert after it, or an error message.
pub fn use_got(amd64: bool, syms: &mut SymTab, p: &mut Prog, settled: bool) -> Result<Vec<New>, String> {
    let (lea, mov) = if amd64 { (ALEAQ, AMOVQ) } else { (ALEAL, AMOVL) };
    let mut scratch = if amd64 { REG_R15 } else { REG_CX };
    if !amd64 && code(p) == ALEAL && p.to.reg != p.from.reg && p.to.reg != p.from.index {
        // The destination is free: no need to clobber CX.
        scratch = reg_of(&p.to);
    }
    let mut out: Vec<New> = Vec::new();
    let fresh = |prog: Prog| New { prog, settled: false };

    if p.op == generic::DUFFCOPY || p.op == generic::DUFFZERO {
        let name = if p.op == generic::DUFFZERO { "runtime.duffzero" } else { "runtime.duffcopy" };
        let sym = syms.lookup(name, None);
        syms.get_mut(sym).abi = Abi::Internal;
        let offset = p.to.offset;
        p.op = op(mov);
        p.from = gotref(sym);
        p.to = reg(scratch);
        out.push(fresh(mk(lea, mem(scratch, offset), reg(scratch), p.span)));
        out.push(fresh(mk(generic::CALL.0.into(), Addr::default(), reg(scratch), p.span)));
    }

    if code(p) == lea && p.from.ty == AddrType::Mem && is_global(syms, &p.from) {
        // LEA sym, R is MOV $sym, R, rewritten below.
        p.op = op(mov);
        p.from.ty = AddrType::Addr;
    }
    if p.from.ty == AddrType::Addr && is_global(syms, &p.from) {
        // MOV $sym+off, R becomes MOV sym@GOT, R; LEA off(R), R. Elsewhere
        // (386 only) the address goes through the scratch register.
        let orig_op = code(p);
        let complex_dest = p.to.ty != AddrType::Reg || orig_op != mov;
        let dest = p.to.clone();
        if complex_dest {
            if amd64 {
                return Err("do not know how to handle LEA-type insn to non-register with -dynlink".into());
            }
            p.op = op(mov);
            p.to = reg(scratch);
        }
        p.from.ty = AddrType::Mem;
        p.from.name = AddrName::GotRef;
        if p.from.offset != 0 {
            out.push(fresh(mk(lea, mem(reg_of(&p.to), p.from.offset), p.to.clone(), p.span)));
            p.from.offset = 0;
        }
        if complex_dest {
            out.push(fresh(mk(orig_op, reg(scratch), dest, p.span)));
        }
    }
    for (i, (a, _)) in p.rest.iter().enumerate() {
        if i > 0 && is_global(syms, a) {
            return Err("don't know how to handle this instruction with -dynlink".into());
        }
    }
    let from3_global = p.rest.first().is_some_and(|(a, _)| is_global(syms, a));
    #[derive(PartialEq)]
    enum Which {
        From,
        To,
        From3,
    }
    let which = if is_global(syms, &p.from) {
        if is_global(syms, &p.to) {
            return Err("cannot handle NAME_EXTERN on both sides with -dynlink".into());
        }
        if from3_global {
            return Err("cannot handle NAME_EXTERN on multiple operands with -dynlink".into());
        }
        Which::From
    } else if is_global(syms, &p.to) {
        if from3_global {
            return Err("cannot handle NAME_EXTERN on multiple operands with -dynlink".into());
        }
        Which::To
    } else if from3_global {
        Which::From3
    } else {
        return Ok(out);
    };
    if p.op == generic::CALL {
        // 386: a call may reach a PLT, which wants the GOT address in BX.
        if amd64 || is_local(syms, p.to.sym) || settled {
            return Ok(out);
        }
        let got = syms.lookup("_GLOBAL_OFFSET_TABLE_", None);
        let load = mk(ALEAL, Addr { ty: AddrType::Mem, name: AddrName::Static, sym: Some(got), ..Default::default() }, reg(REG_BX), p.span);
        let mut call = p.clone();
        call.to.ty = AddrType::Mem;
        nop_out(p);
        let mut v = vec![fresh(load), New { prog: call, settled: true }];
        v.extend(out);
        return Ok(v);
    }
    if [generic::RET, generic::JMP, generic::FUNCDATA].contains(&p.op) {
        return Ok(out);
    }
    let source = match which {
        Which::From => &p.from,
        Which::To => &p.to,
        Which::From3 => &p.rest[0].0,
    };
    if source.ty != AddrType::Mem {
        return Err("don't know how to handle this instruction with -dynlink".into());
    }
    let load = mk(mov, gotref(source.sym.expect("a global has a symbol")), reg(scratch), p.span);
    let mut access = p.clone();
    let through = |a: &mut Addr| {
        a.reg = Reg(scratch as u16);
        a.name = AddrName::None;
        a.sym = None;
    };
    match which {
        Which::From => through(&mut access.from),
        Which::To => through(&mut access.to),
        Which::From3 => through(&mut access.rest[0].0),
    }
    access.reg_to2 = Reg::NONE;
    nop_out(p);
    let mut v = vec![fresh(load), fresh(access)];
    v.extend(out);
    Ok(v)
}

/// `-shared` on 386: instructions naming a global get the PC from a thunk
/// call first and address the global relative to it.
pub fn use_pcrel(syms: &mut SymTab, p: &mut Prog, settled: bool) -> Vec<New> {
    if settled || [generic::CALL, generic::RET, generic::JMP, generic::FUNCDATA].contains(&p.op) {
        return Vec::new();
    }
    let is_name = |syms: &SymTab, a: &Addr| {
        a.sym.is_some_and(|s| syms.get(s).kind != SymKind::TlsBss)
            && matches!(a.ty, AddrType::Mem | AddrType::Addr)
            && a.reg.is_none()
            && matches!(a.name, AddrName::Extern | AddrName::Static | AddrName::GotRef)
    };
    let mut out = Vec::new();
    if is_name(syms, &p.from) && p.from.ty == AddrType::Addr && p.to.ty != AddrType::Reg {
        // MOVL $sym, (SP) and PUSHL $sym take the address through CX.
        let mut q = mk(code(p), reg(REG_CX), p.to.clone(), p.span);
        q.scond = 0;
        out.push(q);
        p.op = op(AMOVL);
        p.to = reg(REG_CX);
    }
    let from3 = p.rest.first().is_some_and(|(a, _)| is_name(syms, a));
    let (from, to) = (is_name(syms, &p.from), is_name(syms, &p.to));
    if !from && !to && !from3 {
        return out.into_iter().map(|prog| New { prog, settled: false }).collect();
    }
    let dst = if (code(p) == ALEAL || code(p) == AMOVL) && p.to.reg != p.from.reg && p.to.reg != p.from.index {
        reg_of(&p.to)
    } else {
        REG_CX
    };
    let spec = arch_tables::spec(GoArch::I386, false);
    let thunk_name = format!("__x86.get_pc_thunk.{}", spec.reg_name(Reg(dst as u16)).to_lowercase());
    let thunk = syms.lookup(&thunk_name, None);
    let call = mk(
        generic::CALL.0.into(),
        Addr::default(),
        Addr { ty: AddrType::Mem, name: AddrName::Extern, sym: Some(thunk), ..Default::default() },
        p.span,
    );
    let mut access = p.clone();
    if from {
        access.from.reg = Reg(dst as u16);
    }
    if to {
        access.to.reg = Reg(dst as u16);
    }
    if from3 {
        access.rest[0].0.reg = Reg(dst as u16);
    }
    nop_out(p);
    let mut v = vec![New { prog: call, settled: true }, New { prog: access, settled: true }];
    v.extend(out.into_iter().map(|prog| New { prog, settled: false }));
    v
}

fn is_r15(r: Reg) -> bool {
    i64::from(r.0) == REG_R15 || i64::from(r.0) == REG_R15B
}

fn mentions_r15(a: &Addr) -> bool {
    is_r15(a.reg) || is_r15(a.index)
}

/// Which operands an instruction reads and writes, as far as the R15
/// check needs to know.
#[derive(Clone, Copy, Default)]
struct Rw {
    read_from: bool,
    read_to: bool,
    read_reg: bool,
    read_from3: bool,
    write_to: bool,
    write_from3: bool,
}

fn rw(p: &Prog, name: &str) -> Rw {
    let mut m = Rw {
        read_from: !p.from.is_none(),
        read_to: !p.to.is_none(),
        write_to: !p.to.is_none(),
        read_reg: !p.reg.is_none(),
        read_from3: !p.rest.is_empty(),
        write_from3: false,
    };
    if name.starts_with("MOV") || name.starts_with("PMOV") {
        m.read_to = false;
    }
    let c = code(p);
    let pure_writes = [
        APOPW, APOPL, APOPQ, ALEAL, ALEAQ, AIMUL3W, AIMUL3L, AIMUL3Q, APEXTRB, APEXTRW, APEXTRD, APEXTRQ, AVPEXTRB, AVPEXTRW,
        AVPEXTRD, AVPEXTRQ, AEXTRACTPS, ABSFW, ABSFL, ABSFQ, ABSRW, ABSRL, ABSRQ, APOPCNTW, APOPCNTL, APOPCNTQ, ALZCNTW,
        ALZCNTL, ALZCNTQ, ASHLXL, ASHLXQ, ASHRXL, ASHRXQ, ASARXL, ASARXQ,
    ];
    if pure_writes.contains(&c) {
        m.read_to = false;
    } else if (c == AXORL || c == AXORQ) && p.from.ty == AddrType::Reg && p.to.ty == AddrType::Reg && p.from.reg == p.to.reg {
        m.read_from = false;
        m.read_to = false;
    } else if c == AMULXL || c == AMULXQ {
        m.read_to = false;
        m.read_from3 = false;
        m.write_from3 = true;
    }
    m
}

fn reads_r15(p: &Prog, m: Rw) -> bool {
    let regs = |a: &Addr| a.ty == AddrType::Reg && is_r15(a.reg);
    let in_mem = |a: &Addr| a.ty == AddrType::Mem && mentions_r15(a);
    let from3 = p.rest.first().map(|(a, _)| a);
    (m.read_from && regs(&p.from))
        || (m.read_to && regs(&p.to))
        || (m.read_reg && is_r15(p.reg))
        || (m.read_from3 && from3.is_some_and(regs))
        || in_mem(&p.from)
        || in_mem(&p.to)
        || from3.is_some_and(in_mem)
}

fn writes_r15(p: &Prog, m: Rw) -> bool {
    let regs = |a: &Addr| a.ty == AddrType::Reg && is_r15(a.reg);
    (m.write_to && regs(&p.to)) || (m.write_from3 && p.rest.first().is_some_and(|(a, _)| regs(a)))
}

/// `-dynlink` on amd64: a global access loads its GOT slot into R15, so R15
/// is junk from there until it is written again. Returns the index of the
/// first instruction found reading it, as Go reports one per function.
pub fn r15_clobber_check(syms: &SymTab, progs: &[Prog]) -> Option<usize> {
    let spec = arch_tables::spec(GoArch::Amd64, false);
    let uses_global = |p: &Prog| {
        if [generic::CALL, generic::RET, generic::JMP, generic::FUNCDATA].contains(&p.op) || code(p) == ALEAQ {
            return false;
        }
        is_global(syms, &p.from) || is_global(syms, &p.to) || p.rest.first().is_some_and(|(a, _)| is_global(syms, a))
    };
    let mentions = progs.iter().any(|p| {
        mentions_r15(&p.from) || mentions_r15(&p.to) || is_r15(p.reg) || p.rest.first().is_some_and(|(a, _)| mentions_r15(a))
    });
    if !mentions {
        return None;
    }
    let mut marked = vec![false; progs.len()];
    let mut work: Vec<usize> = Vec::new();
    for (i, p) in progs.iter().enumerate() {
        if uses_global(p) {
            marked[i] = true;
            work.push(i);
        }
    }
    while let Some(i) = work.pop() {
        let p = &progs[i];
        let m = rw(p, &spec.op_display(p.op));
        if reads_r15(p, m) {
            return Some(i);
        }
        if writes_r15(p, m) {
            continue;
        }
        if let (AddrType::Branch, AddrVal::Target(t), None) = (p.to.ty, &p.to.val, p.to.sym) {
            let t = *t as usize;
            if t < progs.len() && !marked[t] {
                marked[t] = true;
                work.push(t);
            }
        }
        if p.op == generic::JMP || p.op == generic::RET {
            continue;
        }
        if i + 1 < progs.len() && !marked[i + 1] {
            marked[i + 1] = true;
            work.push(i + 1);
        }
    }
    None
}
