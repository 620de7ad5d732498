//! Layout of a function: every branch to a label starts short; passes
//! repeat until no short forward branch overflows (sizes only grow), as Go's
//! assembler does, so the chosen branch sizes are Go's.

use arch_tables::x86::consts::*;
use arch_tables::{generic, Op};

use super::encode::{self, BranchInfo, Code, Env, Fwd, Rel};
use crate::addr::{Addr, AddrType, AddrVal};
use crate::prog::Prog;

/// A laid-out function.
pub struct Laid {
    pub bytes: Vec<u8>,
    pub relocs: Vec<Rel>,
    /// The largest PCALIGN seen (the function's alignment).
    #[allow(dead_code)]
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
fn lower_adjsp(amd64: bool, progs: &mut [Prog]) {
    for p in progs.iter_mut() {
        if i64::from(p.op.0) != AADJSP {
            continue;
        }
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
}

/// Patches the forward branches `waiting` for the instruction at `pc` (or the
/// end of the function). A short branch out of range is made long; the
/// return value says the layout must run again.
fn patch_forward(
    waiting: Vec<(usize, usize, bool)>,
    pc: i64,
    pcs: &[i64],
    sizes: &[usize],
    short: &mut [bool],
    bytes: &mut [u8],
) -> bool {
    let mut again = false;
    for (q, at, is_short) in waiting {
        let v = pc - (pcs[q] + sizes[q] as i64);
        if is_short {
            if v > 127 {
                again = true;
                short[q] = false;
            }
            bytes[at] = v as u8;
        } else {
            bytes[at..at + 4].copy_from_slice(&(v as i32).to_le_bytes());
        }
    }
    again
}

/// Encodes `progs`; errors carry the index of the offending instruction.
pub fn layout(env: &Env, progs: &mut [Prog]) -> Result<Laid, Vec<(usize, String)>> {
    lower_adjsp(env.amd64, progs);
    let n = progs.len();
    // A branch with no target jumps to itself.
    for (i, p) in progs.iter_mut().enumerate() {
        if p.to.ty == AddrType::Branch && p.to.sym.is_none() && !matches!(p.to.val, AddrVal::Target(_)) {
            p.to.val = AddrVal::Target(i as u32);
        }
    }
    let backward: Vec<bool> = (0..n).map(|i| target(&progs[i]).is_some_and(|t| t <= i)).collect();
    let mut short = vec![true; n];
    let mut sizes = vec![0usize; n];
    let mut align = 0;
    for _pass in 0..1000 {
        let mut again = false;
        let mut code = Code { bytes: Vec::with_capacity(n * 5), relocs: Vec::new() };
        // Forward branches waiting for their target: (branch index, patch position, short?).
        let mut pending: Vec<Vec<(usize, usize, bool)>> = vec![Vec::new(); n + 1];
        let mut pcs = vec![0i64; n];
        let mut errs: Vec<(usize, String)> = Vec::new();
        for i in 0..n {
            let pc = code.bytes.len() as i64;
            pcs[i] = pc;
            if !pending[i].is_empty() {
                let waiting = std::mem::take(&mut pending[i]);
                again |= patch_forward(waiting, pc, &pcs, &sizes, &mut short, &mut code.bytes);
            }
            let p = &mut progs[i];
            p.pc = pc;
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
                sizes[i] = 0;
                continue;
            }
            let t = target(p);
            let br = BranchInfo { backward: backward[i], short: short[i], target_pc: t.filter(|&t| t <= i).map_or(0, |t| pcs[t]) };
            let fwd = match encode::encode(env, p, br, &mut code) {
                Ok(fwd) => fwd,
                Err(e) => {
                    errs.push((i, e));
                    continue;
                }
            };
            sizes[i] = code.bytes.len() - pc as usize;
            if let (Some(f), Some(t)) = (fwd, t) {
                if t > i {
                    let at = match f {
                        Fwd::Short(o) => pc as usize + o,
                        Fwd::Long => code.bytes.len() - 4,
                    };
                    pending[t].push((i, at, matches!(f, Fwd::Short(_))));
                }
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        // Branches to the end of the function.
        let end = code.bytes.len() as i64;
        let waiting = std::mem::take(&mut pending[n]);
        again |= patch_forward(waiting, end, &pcs, &sizes, &mut short, &mut code.bytes);
        if !again {
            return Ok(Laid { bytes: code.bytes, relocs: code.relocs, align });
        }
    }
    Err(vec![(0, "span must be looping".into())])
}
