//! Go's function-frame transformations for arm64: frame size and the FP
//! save area, leaf and NOFRAME detection, the stack-split check, the
//! prologue that saves LR/FP, and the expansion of RET into the epilogue.

use arch_tables::arm64::consts as k;
use arch_tables::obj_consts as g;
use arch_tables::{Op, Reg};
use asm_lexer::Diag;

use super::layout::{Arena, FuncCx, NIL};
use crate::addr::{Addr, AddrType};
use crate::backend::Ctxt;
use crate::module::{Func, Module};
use crate::prog::Prog;
use crate::sym::flags;

const STACK_SMALL: i64 = 128;
const STACK_BIG: i64 = 4096;

fn reg(r: i64) -> Reg {
    Reg(r as u16)
}

fn mk(op: i64, span: asm_lexer::Span) -> Prog {
    Prog::new(Op(op as u16), span)
}

fn mem(r: i64, off: i64) -> Addr {
    Addr { ty: AddrType::Mem, reg: reg(r), offset: off, ..Default::default() }
}

fn pair(a: i64, b: i64) -> Addr {
    Addr { ty: AddrType::RegReg, reg: reg(a), offset: b, ..Default::default() }
}

/// Errors are collected in `errs`; like Go, the pass goes on after them.
pub fn preprocess(m: &mut Module, f: &Func, ar: &mut Arena, fcx: &mut FuncCx, ctxt: &Ctxt, errs: &mut Vec<Diag>) {
    if ar.nodes[0].next == NIL {
        return;
    }
    let span = f.span;
    let mut noframe = f.flags & flags::NOFRAME != 0;
    let mut nosplit = f.flags & flags::NOSPLIT != 0 || ctxt.nosplit_all;
    let mut frame = f.frame;
    if frame == -8 {
        noframe = true;
        frame = 0;
    }
    if frame < 0 {
        errs.push(Diag::error(span, format!("negative frame size {frame} - did you mean NOFRAME?")));
    }
    if noframe && frame != 0 {
        errs.push(Diag::error(span, format!("NOFRAME functions must have a frame size of 0, not {frame}")));
    }
    let mut leaf = !ar.progs.iter().any(|p| p.op.0 as i64 == g::ACALL);
    // Go: `c.autosize = int32(textstksiz)`, int32 arithmetic (a huge frame wraps, never panics).
    let mut autosize = i64::from(frame as i32);
    if leaf && autosize == 0 {
        noframe = true;
    }
    if !noframe {
        autosize = i64::from((autosize as i32).wrapping_add(8));
    }
    let mut extrasize = 0;
    if autosize != 0 {
        if autosize % 16 == 8 {
            extrasize = 8;
        } else if autosize & 15 == 0 {
            extrasize = 16;
        } else {
            errs.push(Diag::error(span, format!("unaligned frame size {} - must be 16 aligned", autosize - 8)));
        }
        autosize += extrasize;
    }
    fcx.autosize = autosize;
    fcx.extrasize = extrasize;
    if autosize == 0 && !leaf {
        leaf = true;
    }

    // Prologue.
    if !(leaf && noframe) {
        if leaf && autosize < STACK_SMALL {
            nosplit = true;
        }
        let mut q = 0;
        if !nosplit {
            q = stack_split(m, f, ar, autosize);
        }
        let aoff = autosize.min(0xf0);
        if autosize > aoff {
            let mut p = mk(k::ASUB, span);
            p.from = Addr::constant(autosize);
            p.reg = reg(k::REGSP);
            p.to = Addr::reg(reg(k::REG_R20));
            q = ar.insert_after(q, p);
            let mut p = mk(k::ASTP, span);
            p.from = pair(k::REGFP, k::REGLINK);
            p.to = mem(k::REG_R20, -8);
            q = ar.insert_after(q, p);
            let mut p = mk(k::AMOVD, span);
            p.from = Addr::reg(reg(k::REG_R20));
            p.to = Addr::reg(reg(k::REGSP));
            q = ar.insert_after(q, p);
            ar.nodes[q].spadj = autosize as i32;
            if ctxt.goos == crate::target::GoOs::Ios {
                // No signal stack on iOS: save FP and LR again once SP is lowered.
                let mut p = mk(k::ASTP, span);
                p.from = pair(k::REGFP, k::REGLINK);
                p.to = mem(k::REGSP, -8);
                q = ar.insert_after(q, p);
            }
        } else {
            let mut p = mk(k::AMOVD, span);
            p.from = Addr::reg(reg(k::REGLINK));
            p.to = mem(k::REGSP, -aoff);
            p.scond = k::C_XPRE as u16;
            q = ar.insert_after(q, p);
            ar.nodes[q].spadj = aoff as i32;
            let mut p = mk(k::AMOVD, span);
            p.from = Addr::reg(reg(k::REGFP));
            p.to = mem(k::REGSP, -8);
            q = ar.insert_after(q, p);
        }
        let mut p = mk(k::ASUB, span);
        p.from = Addr::constant(8);
        p.reg = reg(k::REGSP);
        p.to = Addr::reg(reg(k::REGFP));
        ar.insert_after(q, p);
    }

    fcx.flags = if nosplit { flags::NOSPLIT } else { 0 }
        | if leaf { flags::LEAF } else { 0 }
        | if noframe { flags::NOFRAME } else { 0 };

    // RET expansion and per-instruction rewrites.
    let mut i = ar.nodes[0].next;
    while i != NIL {
        let p = &ar.progs[i];
        let o = p.op.0 as i64;
        // The rewrites below are of RET, GETCALLERPC, ADD/SUB and shifted
        // operands: most instructions need none.
        if !matches!(o, g::ARET | g::AGETCALLERPC) && o != k::AADD && o != k::ASUB && p.from.ty != AddrType::Shift {
            i = ar.nodes[i].next;
            continue;
        }
        if o == g::ARET {
            match expand_ret(ar, i, leaf, autosize) {
                Ok(last) => i = last,
                Err(d) => errs.push(d),
            }
        } else if o == g::AGETCALLERPC {
            let p = &mut ar.progs[i];
            p.op = Op(k::AMOVD as u16);
            p.from = if leaf { Addr::reg(reg(k::REGLINK)) } else { mem(k::REGSP, 0) };
        }
        let (n, p) = (&mut ar.nodes[i], &ar.progs[i]);
        let o = p.op.0 as i64;
        if (o == k::AADD || o == k::ASUB)
            && n.spadj == 0
            && p.to.ty == AddrType::Reg
            && p.to.reg.0 as i64 == k::REGSP
            && p.from.ty == AddrType::Const
        {
            // Go's int32(∓offset).
            n.spadj = if o == k::AADD { p.from.offset.wrapping_neg() as i32 } else { p.from.offset as i32 };
        }
        let p = &mut ar.progs[i];
        if p.from.ty == AddrType::Shift && (p.to.reg.0 as i64 == k::REG_RSP || p.reg.0 as i64 == k::REG_RSP) {
            let off = p.from.offset;
            if off & (3 << 22) != 0 {
                errs.push(Diag::error(p.span, "illegal combination: a shifted register operand with RSP must use LSL"));
            }
            let r = (off >> 16) & 31;
            let mut shift = (off >> 10) & 63;
            if shift > 4 {
                shift = 7;
            }
            p.from = Addr::reg(reg(k::REG_LSL + r + ((shift & 7) << 5)));
        }
        i = ar.nodes[i].next;
    }
}

/// Rewrites RET at node `i` into the epilogue; returns the last node of it.
fn expand_ret(ar: &mut Arena, i: usize, leaf: bool, autosize: i64) -> Result<usize, Diag> {
    let span = ar.progs[i].span;
    if ar.progs[i].from.ty == AddrType::Const {
        return Err(Diag::error(span, "using BECOME is not supported!"));
    }
    let ret_sym = ar.progs[i].to.sym;
    let ret_reg = if ar.progs[i].to.reg.0 == 0 { reg(k::REGLINK) } else { ar.progs[i].to.reg };
    let mut at = i;
    let mut first = true;
    // Each instruction with Go's Spadj for it.
    let mut put = |ar: &mut Arena, p: Prog, spadj: i64| {
        if first {
            first = false;
            ar.progs[at] = p;
            ar.nodes[at].row = None;
        } else {
            at = ar.insert_after(at, p);
        }
        ar.nodes[at].spadj = spadj as i32;
    };
    if leaf {
        if autosize != 0 {
            let mut p = mk(k::AADD, span);
            p.from = Addr::constant(autosize - 8);
            p.reg = reg(k::REGSP);
            p.to = Addr::reg(reg(k::REGFP));
            put(ar, p, 0);
            let mut p = mk(k::AADD, span);
            p.from = Addr::constant(autosize);
            p.to = Addr::reg(reg(k::REGSP));
            put(ar, p, -autosize);
        }
    } else if autosize <= 0xf0 {
        let mut p = mk(k::AMOVD, span);
        p.from = mem(k::REGSP, -8);
        p.to = Addr::reg(reg(k::REGFP));
        put(ar, p, 0);
        let mut p = mk(k::AMOVD, span);
        p.from = mem(k::REGSP, autosize);
        p.scond = k::C_XPOST as u16;
        p.to = Addr::reg(reg(k::REGLINK));
        put(ar, p, -autosize);
    } else {
        let mut p = mk(k::ALDP, span);
        p.from = mem(k::REGSP, -8);
        p.to = pair(k::REGFP, k::REGLINK);
        put(ar, p, 0);
        if autosize < 1 << 12 {
            let mut p = mk(k::AADD, span);
            p.from = Addr::constant(autosize);
            p.to = Addr::reg(reg(k::REGSP));
            put(ar, p, -autosize);
        } else {
            let mut p = mk(k::AMOVD, span);
            p.from = Addr::constant(autosize);
            p.to = Addr::reg(reg(k::REGTMP));
            put(ar, p, 0);
            let mut p = mk(k::AADD, span);
            p.from = Addr::reg(reg(k::REGTMP));
            p.to = Addr::reg(reg(k::REGSP));
            put(ar, p, -autosize);
        }
    }
    let mut p;
    if let Some(s) = ret_sym {
        p = mk(g::AJMP, span);
        p.to = Addr { ty: AddrType::Branch, sym: Some(s), ..Default::default() };
    } else {
        p = mk(g::ARET, span);
        p.to = mem(ret_reg.0 as i64, 0);
    }
    put(ar, p, autosize);
    Ok(at)
}

/// Inserts the stack-bound check after TEXT and the morestack call at the
/// end of the function; returns the last node of the check.
fn stack_split(m: &mut Module, f: &Func, ar: &mut Arena, framesize: i64) -> usize {
    let span = f.span;
    let mut q = 0;
    let mut p = mk(k::AMOVD, span);
    p.from = mem(k::REGG, 16);
    p.to = Addr::reg(reg(k::REGRT1));
    q = ar.insert_after(q, p);
    let start = q;
    let mut blo = None;
    if framesize <= STACK_SMALL {
        let mut p = mk(k::ACMP, span);
        p.from = Addr::reg(reg(k::REGRT1));
        p.reg = reg(k::REGSP);
        q = ar.insert_after(q, p);
    } else {
        let big = framesize > STACK_BIG;
        let mut p = mk(if big { k::ASUBS } else { k::ASUB }, span);
        p.from = Addr::constant(framesize - STACK_SMALL);
        p.reg = reg(k::REGSP);
        p.to = Addr::reg(reg(k::REGRT2));
        q = ar.insert_after(q, p);
        if big {
            let mut p = mk(k::ABLO, span);
            p.to.ty = AddrType::Branch;
            q = ar.insert_after(q, p);
            blo = Some(q);
        }
        let mut p = mk(k::ACMP, span);
        p.from = Addr::reg(reg(k::REGRT1));
        p.reg = reg(k::REGRT2);
        q = ar.insert_after(q, p);
    }
    let mut p = mk(k::ABLS, span);
    p.to.ty = AddrType::Branch;
    let bls = ar.insert_after(q, p);

    let last = ar.last();
    // Go's spfix: a NOP at the end (the last instruction's position) that
    // carries the SP adjustment back into the prologue; -S lists it.
    let last_span = ar.progs[last].span;
    let spfix = ar.insert_after(last, mk(g::ANOP, last_span));
    ar.nodes[spfix].spadj = -(framesize as i32);
    let mut p = mk(k::AMOVD, span);
    p.from = Addr::reg(reg(k::REGLINK));
    p.to = Addr::reg(reg(k::REG_R3));
    let movlr = ar.insert_after(spfix, p);
    ar.nodes[bls].target = Some(movlr);
    if let Some(b) = blo {
        ar.nodes[b].target = Some(movlr);
    }
    let name = if f.flags & flags::NEEDCTXT != 0 { "runtime.morestack" } else { "runtime.morestack_noctxt" };
    let sym = m.syms.lookup(name, None);
    let mut p = mk(g::ACALL, span);
    p.to = Addr { ty: AddrType::Branch, sym: Some(sym), ..Default::default() };
    let call = ar.insert_after(movlr, p);
    let mut p = mk(g::AJMP, span);
    p.to.ty = AddrType::Branch;
    let jmp = ar.insert_after(call, p);
    ar.nodes[jmp].target = Some(start);
    ar.nodes[jmp].spadj = framesize as i32;
    bls
}
