//! Layout of a function: every branch to a label starts short; passes
//! repeat until no short forward branch overflows (sizes only grow), as Go's
//! assembler does, so the chosen branch sizes are Go's.

use arch_tables::x86::consts::*;
use arch_tables::{generic, Op};

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::encode::{self, BranchInfo, Code, Env, Fwd, Rel};
use crate::addr::{Addr, AddrType, AddrVal};
use crate::prog::Prog;

/// A laid-out function.
pub struct Laid {
    pub bytes: Vec<u8>,
    pub relocs: Vec<Rel>,
    /// The largest PCALIGN seen (the function's alignment).
    pub align: i64,
}

fn target(p: &Prog) -> Option<usize> {
    match (p.to.ty, &p.to.val) {
        (AddrType::Branch, AddrVal::Target(t)) if p.to.sym.is_none() => Some(*t as usize),
        _ => None,
    }
}

/// Go's nop sequences for padding, by length 1..=9.
const NOPS: [&[u8]; 9] = [
    &[0x90],
    &[0x66, 0x90],
    &[0x0f, 0x1f, 0x00],
    &[0x0f, 0x1f, 0x40, 0x00],
    &[0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
    &[0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
    &[0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
    &[0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

fn fill_nops(out: &mut Vec<u8>, mut n: usize) {
    while n > 0 {
        let m = n.min(NOPS.len());
        out.extend_from_slice(NOPS[m - 1]);
        n -= m;
    }
}

/// ADJSP becomes an SP add or subtract (or nothing) just before encoding.
fn lower_adjsp(amd64: bool, p: &mut Prog) {
    p.to = Addr::reg(arch_tables::Reg(REG_SP as u16));
    let v = p.from.offset;
    p.op = if v == 0 {
        generic::NOP
    } else if v == 0x80 || (v < 0 && v != -0x80) {
        p.from.offset = -v;
        Op((if amd64 { AADDQ } else { AADDL }) as u16)
    } else {
        Op((if amd64 { ASUBQ } else { ASUBL }) as u16)
    };
    if p.op == generic::NOP {
        p.from = Addr::default();
        p.to = Addr::default();
    }
}

/// A forward branch waiting for its target: ordered by target first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Waiting {
    target: usize,
    /// The branch's index, the end of its bytes and where its displacement goes.
    branch: usize,
    end: usize,
    at: usize,
    short: bool,
}

/// Patches the forward branches waiting for instruction `i` (or the end of
/// the function, `i == n`), which starts at `pc`. A short branch out of
/// range is made long; the return value says the layout must run again.
fn patch_forward(pending: &mut BinaryHeap<Reverse<Waiting>>, i: usize, pc: i64, short: &mut [bool], bytes: &mut [u8]) -> bool {
    let mut again = false;
    while let Some(&Reverse(w)) = pending.peek().filter(|w| w.0.target == i) {
        pending.pop();
        let v = pc - w.end as i64;
        if w.short {
            if v > 127 {
                again = true;
                short[w.branch] = false;
            }
            bytes[w.at] = v as u8;
        } else {
            bytes[w.at..w.at + 4].copy_from_slice(&(v as i32).to_le_bytes());
        }
    }
    again
}

/// Encodes `progs`; errors carry the index of the offending instruction.
pub fn layout(env: &Env, progs: &mut [Prog]) -> Result<Laid, Vec<(usize, String)>> {
    let n = progs.len();
    let mut short = vec![true; n];
    let mut align = 0;
    for _pass in 0..1000 {
        let mut again = false;
        let mut code = Code { bytes: Vec::with_capacity(n * 5), relocs: Vec::new() };
        // Forward branches waiting for their target, nearest target first
        // (few instructions are branches: no per-instruction list).
        let mut pending: BinaryHeap<Reverse<Waiting>> = BinaryHeap::new();
        let mut errs: Vec<(usize, String)> = Vec::new();
        for i in 0..n {
            let pc = code.bytes.len() as i64;
            if pending.peek().is_some_and(|w| w.0.target == i) {
                again |= patch_forward(&mut pending, i, pc, &mut short, &mut code.bytes);
            }
            let p = &mut progs[i];
            p.pc = pc;
            // Rewrites before the first encoding (each pass sees them done),
            // here rather than in loops of their own.
            if i64::from(p.op.0) == AADJSP {
                lower_adjsp(env.amd64, p);
            }
            // A branch with no target jumps to itself.
            if p.to.ty == AddrType::Branch && p.to.sym.is_none() && !matches!(p.to.val, AddrVal::Target(_)) {
                p.to.val = AddrVal::Target(i as u32);
            }
            if p.op == generic::PCALIGN || p.op == generic::PCALIGNMAX {
                let a = p.from.offset;
                if !(a & (a - 1) == 0 && (8..=2048).contains(&a)) {
                    return Err(vec![(i, format!("alignment value of an instruction must be a power of two and in the range [8, 2048], got {a}"))]);
                }
                let lob = pc & (a - 1);
                let pad = if p.op == generic::PCALIGN {
                    if lob != 0 { a - lob } else { 0 }
                } else {
                    let s = p.to.offset;
                    if s < 0 || s >= a {
                        return Err(vec![(i, format!("PCALIGNMAX 'amount' {s} must be non-negative and smaller than the alignment {a}"))]);
                    }
                    if s >= a - lob { a - lob } else { 0 }
                };
                align = align.max(a);
                fill_nops(&mut code.bytes, pad as usize);
                continue;
            }
            let t = target(p);
            let back = t.filter(|&t| t <= i);
            // Instructions before `i` have this pass's pc.
            let target_pc = back.map_or(0, |t| if t == i { pc } else { progs[t].pc });
            let p = &mut progs[i];
            let br = BranchInfo { backward: back.is_some(), short: short[i], target_pc };
            let fwd = match encode::encode(env, p, br, &mut code) {
                Ok(fwd) => fwd,
                Err(e) => {
                    errs.push((i, e));
                    continue;
                }
            };
            if let (Some(f), Some(t)) = (fwd, t) {
                if t > i {
                    let end = code.bytes.len();
                    let (at, short) = match f {
                        Fwd::Short(o) => (pc as usize + o, true),
                        Fwd::Long => (end - 4, false),
                    };
                    pending.push(Reverse(Waiting { target: t, branch: i, end, at, short }));
                }
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        // Branches to the end of the function.
        let end = code.bytes.len() as i64;
        again |= patch_forward(&mut pending, n, end, &mut short, &mut code.bytes);
        if !again {
            return Ok(Laid { bytes: code.bytes, relocs: code.relocs, align });
        }
    }
    Err(vec![(0, "span must be looping".into())])
}
