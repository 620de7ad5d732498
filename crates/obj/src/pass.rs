//! Passes over a function's instructions that every architecture runs
//! before its own (Go's assembler runs them in its architecture-independent
//! code, so their effect shows in every GOARCH's bytes).

use arch_tables::generic;

use crate::{AddrType, AddrVal, Prog};

/// A chain of jumps longer than this is taken to be a loop (Go's limit).
const MAX_HOPS: u32 = 5000;

/// Retargets every branch whose target is an unconditional `JMP` to a label
/// to where that chain of jumps ends, as Go's assembler does (it cannot be
/// turned off). A chain that loops leaves the branch without a target,
/// which encodes as a branch to itself.
///
/// Branches are retargeted in program order, each seeing the ones before it
/// already retargeted: a `JMP` left without a target ends the chains that
/// reach it later, as in Go.
pub fn collapse_jump_chains(progs: &mut [Prog]) {
    // Most functions have no jump to a label: nothing to follow.
    if !progs.iter().any(|p| p.op == generic::JMP && branch_target(p).is_some()) {
        return;
    }
    // The targets are rewritten in place, so later chains see them; the
    // branches whose chain looped (no target) are marked, as a chain that
    // reaches one ends there.
    let mut looped: Vec<bool> = Vec::new();
    for i in 0..progs.len() {
        let Some(first) = branch_target(&progs[i]) else { continue };
        let mut q = first;
        let mut hops = 0;
        let end = loop {
            match progs.get(q as usize) {
                Some(p) if p.op == generic::JMP && !looped.get(q as usize).is_some_and(|&l| l) => {
                    let Some(next) = branch_target(p) else { break Some(q) };
                    hops += 1;
                    if hops >= MAX_HOPS {
                        break None;
                    }
                    q = next;
                }
                _ => break Some(q),
            }
        };
        if end.is_none() {
            if looped.is_empty() {
                looped = vec![false; progs.len()];
            }
            looped[i] = true;
        }
        progs[i].to.val = AddrVal::Target(end.unwrap_or(i as u32));
    }
}

fn branch_target(p: &Prog) -> Option<u32> {
    match (p.to.ty, &p.to.val) {
        (AddrType::Branch, AddrVal::Target(t)) => Some(*t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Addr, Op};

    const BEQ: Op = Op(1000);

    fn prog(op: Op, target: Option<u32>) -> Prog {
        let mut p = Prog::new(op, asm_lexer::Span::DUMMY);
        if let Some(t) = target {
            p.to = Addr { ty: AddrType::Branch, val: AddrVal::Target(t), ..Default::default() };
        }
        p
    }

    fn targets(progs: &[Prog]) -> Vec<Option<u32>> {
        progs.iter().map(branch_target).collect()
    }

    #[test]
    fn chains_end_where_the_jumps_end() {
        // 0: BEQ 2; 1: JMP 2; 2: JMP 4; 3: NOP; 4: JMP 5; 5: RET; 6: JMP 7 (past the end)
        let mut p = vec![
            prog(BEQ, Some(2)),
            prog(generic::JMP, Some(2)),
            prog(generic::JMP, Some(4)),
            prog(Op(1), None),
            prog(generic::JMP, Some(5)),
            prog(Op(2), None),
            prog(generic::JMP, Some(7)),
        ];
        collapse_jump_chains(&mut p);
        assert_eq!(targets(&p), [Some(5), Some(5), Some(5), None, Some(5), None, Some(7)]);
    }

    #[test]
    fn a_looping_chain_leaves_the_branch_on_itself_and_stops_later_chains() {
        // 0: BEQ 1; 1: JMP 2; 2: JMP 1; 3: BNE 1
        let mut p = vec![prog(BEQ, Some(1)), prog(generic::JMP, Some(2)), prog(generic::JMP, Some(1)), prog(BEQ, Some(1))];
        collapse_jump_chains(&mut p);
        // 0 and 1 find the loop (no target: themselves); 2 and 3 then stop
        // at 1, which has no target.
        assert_eq!(targets(&p), [Some(0), Some(1), Some(1), Some(1)]);
    }

    #[test]
    fn functions_without_jumps_to_labels_are_untouched() {
        let mut p = vec![prog(BEQ, Some(1)), prog(Op(1), None), prog(generic::JMP, None)];
        collapse_jump_chains(&mut p);
        assert_eq!(targets(&p), [Some(1), None, None]);
    }
}
