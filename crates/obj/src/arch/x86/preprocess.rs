//! Go's rewrites of a TEXT body before encoding (its `obj6.go` behaviour):
//! operand fix-ups, floating constants in memory, the stack-split prologue,
//! the frame (BP save, SP adjust), RET expansion and pseudo-register offsets.

use arch_tables::x86::consts::*;
use arch_tables::{generic, Op, Reg};

use crate::addr::{Addr, AddrName, AddrType, AddrVal};
use crate::module::Func;
use crate::prog::Prog;
use super::pic;
use crate::sym::{flags, Abi, SymKind, SymTab};

/// Frames up to this size check the stack guard directly.
const STACK_SMALL: i64 = 128;
/// Frames up to this size need no overflow check in the guard comparison.
const STACK_BIG: i64 = 4096;

pub struct Opts {
    pub amd64: bool,
    pub shared: bool,
    pub dynlink: bool,
    /// `-nosplit-all`: every TEXT as if NOSPLIT.
    pub nosplit_all: bool,
    /// The target OS: how g is reached in TLS ([`super::tls`]).
    pub goos: crate::target::GoOs,
}

pub(super) fn op(p: &Prog) -> i64 {
    i64::from(p.op.0)
}

pub(super) fn rg(r: i64) -> Reg {
    Reg(r as u16)
}

pub(super) fn reg_addr(r: i64) -> Addr {
    Addr::reg(rg(r))
}

pub(super) fn mem(base: i64, off: i64) -> Addr {
    Addr { ty: AddrType::Mem, reg: rg(base), offset: off, ..Default::default() }
}

pub(super) fn mk(o: i64, from: Addr, to: Addr, span: asm_lexer::Span) -> Prog {
    let mut p = Prog::new(Op(o as u16), span);
    p.from = from;
    p.to = to;
    p
}

/// Whether one instruction can load g from TLS (Go's `CanUse1InsnTLS`).
fn one_insn_tls(o: &Opts) -> bool {
    super::tls::one_insn(o.amd64, o.shared, o.goos)
}

/// A constant in read-only memory, as Go names it (`$f64.<bits>`).
fn const_sym(syms: &mut SymTab, name: String, bytes: &[u8]) -> crate::sym::SymId {
    let id = syms.lookup(&name, None);
    let s = syms.get_mut(id);
    if s.kind == SymKind::Undefined {
        s.kind = SymKind::Rodata;
        s.size = bytes.len() as i64;
        s.data = bytes.to_vec();
        s.flags = flags::DUPOK | flags::RODATA;
    }
    id
}

/// Per-instruction fix-ups; may turn one instruction into several.
fn edit(o: &Opts, syms: &mut SymTab, mut p: Prog, out: &mut Vec<Prog>) -> Result<(), String> {
    let mut extra = Vec::new();
    edit_prog(o, syms, &mut p, false, &mut extra)?;
    out.push(p);
    out.extend(extra);
    Ok(())
}

/// Edits `p` in place and appends to `extra`, in order and edited too, the
/// instructions an edit inserts after it. `settled` instructions skip the
/// position-independence rewrites. In place, because almost no instruction
/// needs more than a field or two changed.
fn edit_prog(o: &Opts, syms: &mut SymTab, p: &mut Prog, settled: bool, extra: &mut Vec<Prog>) -> Result<(), String> {
    let mut after: Vec<pic::New> = Vec::new();
    if one_insn_tls(o) {
        if (op(p) == AMOVQ || op(p) == AMOVL)
            && p.from.ty == AddrType::Reg
            && i64::from(p.from.reg.0) == REG_TLS
            && p.to.ty == AddrType::Reg
            && (REG_AX..=REG_R15).contains(&i64::from(p.to.reg.0))
            && super::tls::drops_tls_load(o.goos)
        {
            *p = Prog { op: generic::NOP, span: p.span, ..Default::default() };
        }
        for a in [&mut p.from, &mut p.to] {
            if a.ty == AddrType::Mem && i64::from(a.index.0) == REG_TLS && (REG_AX..=REG_R15).contains(&i64::from(a.reg.0)) {
                a.reg = rg(REG_TLS);
                a.scale = 0;
                a.index = Reg::NONE;
            }
        }
    } else if (op(p) == AMOVQ || op(p) == AMOVL)
        && p.from.ty == AddrType::Mem
        && i64::from(p.from.reg.0) == REG_TLS
        && p.to.ty == AddrType::Reg
        && (REG_AX..=REG_R15).contains(&i64::from(p.to.reg.0))
    {
        let mut q = p.clone();
        q.from.ty = AddrType::Mem;
        q.from.reg = p.to.reg;
        q.from.index = rg(REG_TLS);
        q.from.scale = 2;
        p.from = Addr { ty: AddrType::Reg, reg: rg(REG_TLS), ..Default::default() };
        after.push(pic::New { prog: q, settled: false });
    }
    if super::tls::rewrites(o.goos) {
        if let Some(q) = super::tls::rewrite(o.amd64, o.goos, syms, p) {
            after.insert(0, pic::New { prog: q, settled: false });
        }
    }
    fix(o, syms, p);
    if o.dynlink {
        after.splice(0..0, pic::use_got(o.amd64, syms, p, settled)?);
    }
    if o.shared && !o.amd64 {
        after.splice(0..0, pic::use_pcrel(syms, p, settled));
    }
    if after.is_empty() {
        return Ok(());
    }
    for mut n in after {
        let mut more = Vec::new();
        edit_prog(o, syms, &mut n.prog, n.settled, &mut more)?;
        extra.push(n.prog);
        extra.extend(more);
    }
    Ok(())
}

/// Whether [`edit_prog`] leaves `p` as it is when no PIC or TLS rewrite
/// applies to the target (most instructions: a few field tests instead of
/// the edits' own). It edits TLS operands, `$addr` and float constants as
/// sources, and memory destinations of CMPPS-like and branch instructions.
fn untouched(p: &Prog) -> bool {
    let tls = rg(REG_TLS);
    let (f, t) = (&p.from, &p.to);
    !matches!(f.ty, AddrType::Addr | AddrType::FConst)
        && f.reg != tls
        && f.index != tls
        && t.index != tls
        && (t.ty != AddrType::Mem
            || !(matches!(op(p), ACMPPD | ACMPPS | ACMPSD | ACMPSS)
                || p.op == generic::CALL
                || p.op == generic::JMP
                || p.op == generic::RET))
}

/// Inserts each group of instructions at its position (`before` the
/// instruction there, or after it) and renumbers branch targets: a target
/// moves to the first instruction of its group. Targets may be `progs.len()`
/// (the end).
fn insert_groups(progs: Vec<Prog>, groups: Vec<(usize, bool, Vec<Prog>)>) -> Vec<Prog> {
    let extra: usize = groups.iter().map(|g| g.2.len()).sum();
    let mut out = Vec::with_capacity(progs.len() + extra + 8);
    let mut remap = Vec::with_capacity(progs.len() + 1);
    let mut groups = groups.into_iter().peekable();
    for (i, p) in progs.into_iter().enumerate() {
        remap.push(out.len());
        let mut after = Vec::new();
        while let Some((_, before, g)) = groups.next_if(|g| g.0 == i) {
            if before {
                out.extend(g);
            } else {
                after.extend(g);
            }
        }
        out.push(p);
        out.extend(after);
    }
    remap.push(out.len());
    for p in &mut out {
        if p.to.ty == AddrType::Branch {
            if let AddrVal::Target(t) = p.to.val {
                p.to.val = AddrVal::Target(remap[t as usize] as u32);
            }
        }
    }
    out
}

fn fix(o: &Opts, syms: &mut SymTab, p: &mut Prog) {
    let code = op(p);
    if [ACMPPD, ACMPPS, ACMPSD, ACMPSS].contains(&code)
        && p.to.ty == AddrType::Mem
        && p.to.name == AddrName::None
        && p.to.reg.is_none()
        && p.to.index.is_none()
        && p.to.sym.is_none()
    {
        p.to.ty = AddrType::Const;
    }
    if (p.op == generic::CALL || p.op == generic::JMP || p.op == generic::RET)
        && p.to.ty == AddrType::Mem
        && matches!(p.to.name, AddrName::Extern | AddrName::Static)
        && p.to.sym.is_some()
    {
        p.to.ty = AddrType::Branch;
    }
    if p.from.ty == AddrType::Addr && (o.amd64 || !matches!(p.from.name, AddrName::Extern | AddrName::Static)) {
        if code == AMOVL {
            p.op = Op(ALEAL as u16);
            p.from.ty = AddrType::Mem;
        } else if code == AMOVQ {
            p.op = Op(ALEAQ as u16);
            p.from.ty = AddrType::Mem;
        }
    }
    let code = op(p);
    if p.from.ty == AddrType::FConst {
        let f = match p.from.val {
            AddrVal::Float(f) => f,
            _ => 0.0,
        };
        let single = [AMOVSS, AVMOVSS, AFMOVF, AFADDF, AFSUBF, AFSUBRF, AFMULF, AFDIVF, AFDIVRF, AFCOMF, AFCOMFP, AADDSS, ASUBSS, AMULSS, ADIVSS, ACOMISS, AUCOMISS];
        let double = [AMOVSD, AVMOVSD, AFMOVD, AFADDD, AFSUBD, AFSUBRD, AFMULD, AFDIVD, AFDIVRD, AFCOMD, AFCOMDP, AADDSD, ASUBSD, AMULSD, ADIVSD, ACOMISD, AUCOMISD];
        let zero_to_xreg = f.to_bits() == 0
            && [AMOVSS, AVMOVSS, AMOVSD, AVMOVSD].contains(&code)
            && p.to.ty == AddrType::Reg
            && (REG_X0..=REG_X15).contains(&i64::from(p.to.reg.0));
        if zero_to_xreg {
            p.op = Op(AXORPS as u16);
            p.from = p.to.clone();
        } else if single.contains(&code) {
            let v = f as f32;
            let s = const_sym(syms, format!("$f32.{:08x}", v.to_bits()), &v.to_bits().to_le_bytes());
            p.from = Addr { ty: AddrType::Mem, name: AddrName::Extern, sym: Some(s), ..Default::default() };
        } else if double.contains(&code) {
            let s = const_sym(syms, format!("$f64.{:016x}", f.to_bits()), &f.to_bits().to_le_bytes());
            p.from = Addr { ty: AddrType::Mem, name: AddrName::Extern, sym: Some(s), ..Default::default() };
        }
    }
}

fn set_target(p: &mut Prog, t: usize) {
    p.to = Addr { ty: AddrType::Branch, val: AddrVal::Target(t as u32), ..Default::default() };
}

/// What preprocessing decided about a function's frame, as Go records it
/// on the TEXT symbol (the `-S` listing shows it).
pub struct Frame {
    /// Declared NOSPLIT, or a small leaf made NOSPLIT.
    pub nosplit: bool,
    /// No BP save (always on 386).
    pub noframe: bool,
    /// The frame size including the saved BP.
    pub size: i64,
}

/// Runs Go's TEXT rewrites on `f`, whose instructions are `progs` (taken
/// out of it: they are edited in place, not copied), returning the new
/// instruction list.
pub fn preprocess(o: &Opts, syms: &mut SymTab, f: &Func, progs: Vec<Prog>) -> Result<(Vec<Prog>, Frame), (asm_lexer::Span, String)> {
    let sym = syms.get(f.sym);
    let text_flags = f.flags;
    let abi_internal = sym.abi == Abi::Internal;
    let sym_name = sym.name.clone();

    // Fix-ups in place; the few instructions that become several are
    // spliced in afterwards, renumbering the branch targets.
    let mut body = progs;
    let mut groups = Vec::new();
    let no_pic_or_tls_rewrites = !o.dynlink && !(o.shared && !o.amd64) && !super::tls::rewrites(o.goos);
    for (i, p) in body.iter_mut().enumerate() {
        if no_pic_or_tls_rewrites && untouched(p) {
            #[cfg(debug_assertions)]
            {
                let (mut q, mut extra) = (p.clone(), Vec::new());
                let edited = edit_prog(o, syms, &mut q, false, &mut extra);
                debug_assert!(edited.is_ok() && q == *p && extra.is_empty(), "untouched({p:?}) but edited");
            }
            continue;
        }
        let mut extra = Vec::new();
        edit_prog(o, syms, p, false, &mut extra).map_err(|e| (p.span, e))?;
        if !extra.is_empty() {
            groups.push((i, false, extra));
        }
    }
    if !groups.is_empty() {
        body = insert_groups(body, groups);
    }
    if body.is_empty() {
        let frame = Frame { nosplit: text_flags & flags::NOSPLIT != 0, noframe: text_flags & flags::NOFRAME != 0, size: f.frame };
        return Ok((body, frame));
    }

    // Go: `autoffset := int32(p.To.Offset)` (a huge frame is truncated, never an overflow).
    let mut autoffset = i64::from(f.frame as i32).max(0);
    let has_call = body.iter().any(|p| p.op == generic::CALL || p.op == generic::DUFFCOPY || p.op == generic::DUFFZERO);
    let noframe = text_flags & flags::NOFRAME != 0;
    let bpsize = if o.amd64 && !noframe && !(autoffset == 0 && !has_call) { 8 } else { 0 };
    autoffset += bpsize;
    let mut nosplit = text_flags & flags::NOSPLIT != 0 || o.nosplit_all;
    if o.amd64 && autoffset < STACK_SMALL && !nosplit {
        let mut leaf = true;
        for p in &body {
            let zero_arg_runtime = p.op == generic::CALL
                && p.to.sym.is_some_and(|s| {
                    ["runtime.panicdivide", "runtime.panicwrap", "runtime.panicshift", "runtime.panicBounds", "runtime.panicExtend"]
                        .contains(&syms.get(s).name.as_str())
                });
            if p.op == generic::CALL && !zero_arg_runtime {
                leaf = false;
                break;
            }
            if (p.op == generic::CALL || p.op == generic::DUFFCOPY || p.op == generic::DUFFZERO) && autoffset >= STACK_SMALL - 8 {
                leaf = false;
                break;
            }
        }
        if leaf {
            nosplit = true;
        }
    }
    let span = f.span;
    let ptr = if o.amd64 { 8 } else { 4 };

    // The prologue, built as its own list, then the body after it.
    let mut pro: Vec<Prog> = Vec::new();
    let mut split: Option<(usize, Option<usize>)> = None; // (JLS index, JCS index) in pro
    if !nosplit {
        let (cmp, lea, mov, sub) = if o.amd64 { (ACMPQ, ALEAQ, AMOVQ, ASUBQ) } else { (ACMPL, ALEAL, AMOVL, ASUBL) };
        let tmp = if o.amd64 { REG_R12 } else { REG_AX };
        let g = if o.amd64 { REG_R14 } else { REG_CX };
        if !(o.amd64 && abi_internal) {
            let load = mk(mov, mem(REG_TLS, 0), reg_addr(g), span);
            let mut v = Vec::new();
            edit(o, syms, load, &mut v).map_err(|e| (span, e))?;
            if let Some(last) = v.last_mut() {
                if i64::from(last.from.index.0) == REG_TLS {
                    last.from.scale = 2;
                }
            }
            pro.extend(v);
        }
        let guard = mem(g, 2 * ptr);
        let mut jcs = None;
        if autoffset <= STACK_SMALL {
            pro.push(mk(cmp, reg_addr(REG_SP), guard, span));
        } else if autoffset <= STACK_BIG {
            pro.push(mk(lea, mem(REG_SP, -(autoffset - STACK_SMALL)), reg_addr(tmp), span));
            pro.push(mk(cmp, reg_addr(tmp), guard, span));
        } else {
            pro.push(mk(mov, reg_addr(REG_SP), reg_addr(tmp), span));
            pro.push(mk(sub, Addr::constant(autoffset - STACK_SMALL), reg_addr(tmp), span));
            jcs = Some(pro.len());
            pro.push(mk(AJCS, Addr::default(), Addr::default(), span));
            pro.push(mk(cmp, reg_addr(tmp), guard, span));
        }
        split = Some((pro.len(), jcs));
        pro.push(mk(AJLS, Addr::default(), Addr::default(), span));
    }
    if bpsize > 0 {
        pro.push(mk(APUSHQ, reg_addr(REG_BP), Addr::default(), span));
        pro.push(mk(AMOVQ, reg_addr(REG_SP), reg_addr(REG_BP), span));
    }
    if autoffset % ptr != 0 {
        return Err((span, format!("unaligned stack size {autoffset}")));
    }
    let localoffset = autoffset - bpsize;
    if localoffset != 0 {
        pro.push(mk(AADJSP, Addr::constant(localoffset), Addr::default(), span));
    }

    // Splice: prologue, then the body with shifted targets.
    // Element by element: one bulk copy of the body is a byte-wise `rep
    // movsb` in libc, which costs more instructions than moving each Prog.
    // No prologue (NOSPLIT leaf without locals): the body stays where it is.
    let mut progs = if pro.is_empty() {
        body
    } else {
        let shift = pro.len() as u32;
        let mut progs = Vec::with_capacity(pro.len() + body.len() + 8);
        progs.extend(pro);
        progs.extend(body.into_iter().map(|mut p| {
            if let AddrVal::Target(t) = &mut p.to.val {
                *t += shift;
            }
            p
        }));
        progs
    };

    // Pseudo-register offsets, SP tracking and RET expansion, in place: the
    // instructions a RET expands to are inserted afterwards.
    let mut groups = Vec::new();
    let mut deltasp: i64 = 0;
    let adjust = |a: &mut Addr, deltasp: i64| match a.name {
        AddrName::Auto => a.offset += deltasp - bpsize,
        AddrName::Param => a.offset += deltasp + ptr,
        _ => {}
    };
    for (i, p) in progs.iter_mut().enumerate() {
        adjust(&mut p.from, deltasp);
        if let Some((a, _)) = p.rest.first_mut() {
            adjust(a, deltasp);
        }
        adjust(&mut p.to, deltasp);
        let delta = match op(p) {
            APUSHL | APUSHFL => Some(4),
            APUSHQ | APUSHFQ => Some(8),
            APUSHW | APUSHFW => Some(2),
            APOPL | APOPFL => Some(-4),
            APOPQ | APOPFQ => Some(-8),
            APOPW | APOPFW => Some(-2),
            AADJSP => Some(p.from.offset),
            _ => None,
        };
        if let Some(d) = delta {
            deltasp += d;
            continue;
        }
        if p.op != generic::RET {
            continue;
        }
        if autoffset != deltasp {
            return Err((p.span, format!("{sym_name}: unbalanced PUSH/POP")));
        }
        if autoffset != 0 {
            let sp = p.span;
            let mut epilogue = Vec::new();
            if localoffset != 0 {
                epilogue.push(mk(AADJSP, Addr::constant(-localoffset), Addr::default(), sp));
            }
            if bpsize > 0 {
                epilogue.push(mk(APOPQ, Addr::default(), reg_addr(REG_BP), sp));
            }
            if !epilogue.is_empty() {
                groups.push((i, true, epilogue));
            }
        }
        if p.to.sym.is_some() || p.to.ty == AddrType::Reg {
            p.op = generic::JMP;
        }
    }
    // The prologue holds no RET: its indices (`split`) stay.
    let mut out = if groups.is_empty() { progs } else { insert_groups(progs, groups) };

    // The stack-split tail: call morestack and start over.
    if let Some((jls, jcs)) = split {
        let morestack = if text_flags & flags::NEEDCTXT != 0 { "runtime.morestack" } else { "runtime.morestack_noctxt" };
        let ms = syms.lookup(morestack, None);
        // The NOP after the body takes the last instruction's position, as Go's.
        let last = out.last().map_or(span, |p| p.span);
        out.push(Prog::new(generic::NOP, last));
        let call_at = out.len();
        let mut call = Prog::new(generic::CALL, span);
        call.to = Addr { ty: AddrType::Branch, name: AddrName::Extern, sym: Some(ms), ..Default::default() };
        let mut v = Vec::new();
        edit(o, syms, call, &mut v).map_err(|e| (span, e))?;
        out.extend(v);
        let mut jmp = Prog::new(generic::JMP, span);
        set_target(&mut jmp, 0);
        out.push(jmp);
        set_target(&mut out[jls], call_at);
        if let Some(j) = jcs {
            set_target(&mut out[j], call_at);
        }
    }
    Ok((out, Frame { nosplit, noframe: bpsize == 0, size: autoffset }))
}
