//! The architecture tables' answers about a name (register, register
//! prefix, opcode, jump), looked up once per interned name and cache (the
//! register half and the opcode half separately): the tables are sorted
//! string arrays, the statement loop asks by [`Name`].

use std::cell::RefCell;

use arch_tables::{generic, ArchSpec, Op, Reg};
use asm_lexer::Name;

/// The pseudo-ops that are statements rather than instructions (the
/// lowerer's [`crate::lower::PseudoOp`]s).
pub(crate) const PSEUDO_OPS: [&str; 6] = ["TEXT", "DATA", "GLOBL", "PCDATA", "FUNCDATA", "PCALIGN"];

// What the tables say about one name, packed in two words (the register
// half and the opcode half, looked up separately, when first asked: a
// mnemonic is never asked about registers, a register never about opcodes).
// A word is 0 until its half is known; the low 16 bits hold the number.
const KNOWN: u32 = 1 << 31;
/// Register half: a register (`spec.reg`); opcode half: an opcode.
const FOUND: u32 = 1 << 30;
/// Register half: a pseudo-register (`FP`, `SB`, ...).
const PSEUDO: u32 = 1 << 29;
/// Register half: a register prefix (`R` of `R(1)`).
const PREFIX: u32 = 1 << 28;
/// Opcode half: a jump.
const JUMP: u32 = 1 << 29;
/// Opcode half: an instruction the direct path may take (an opcode, not a
/// jump, not a pseudo-op).
const DIRECT: u32 = 1 << 28;
/// Opcode half: alone, the operand is the destination (unary-destination
/// ops, `RET`, `GETCALLERPC`).
const UNARY_DST: u32 = 1 << 27;
/// Opcode half, arm64: the plain placement ([`crate::placement::arm64_shape`]).
const ARM64_PLAIN: u32 = 1 << 26;
/// Opcode half, arm64: two operands go to from and reg.
const ARM64_TWO_REG: u32 = 1 << 25;

#[derive(Clone, Copy, Default)]
struct Entry {
    regs: u32,
    ops: u32,
}

/// An instruction the direct path may lower (see [`NameCache::direct_op`]).
#[derive(Clone, Copy)]
pub(crate) struct DirectOp {
    pub op: Op,
    /// With a single operand, it is the destination (`to`).
    pub unary_dst: bool,
}

/// How an arm64 opcode's operands are placed (see [`crate::placement::arm64_shape`]).
#[derive(Clone, Copy)]
pub(crate) struct Arm64Shape {
    pub plain: bool,
    pub two_reg: bool,
}

/// The answers for the names seen so far, by name index, for one architecture.
pub(crate) struct NameCache {
    spec: &'static ArchSpec,
    entries: Vec<Entry>,
    /// The opcode table of `spec`, built once [`INDEX_AFTER`] mnemonics were
    /// looked up the plain way (building it costs about as much as 60 lookups).
    ops: Option<OpIndex>,
    op_lookups: u32,
    /// [`ArchSpec::special_operand`] by name, once asked (a binary search
    /// over strings otherwise, ~430 Ir).
    specials: ByName<Option<i64>>,
    /// [`ArchSpec::ls_suffix`] by name, once asked (~90 Ir otherwise).
    ls_suffixes: ByName<Option<u8>>,
}

/// A table's answer about each name, by name index, once asked.
struct ByName<T>(Vec<Option<T>>);

impl<T: Copy> ByName<T> {
    #[inline]
    fn get(&mut self, n: Name, ask: impl FnOnce(&str) -> T) -> T {
        match self.0.get(n.index() as usize) {
            Some(&Some(v)) => v,
            _ => self.fill(n, ask),
        }
    }

    #[cold]
    #[inline(never)]
    fn fill(&mut self, n: Name, ask: impl FnOnce(&str) -> T) -> T {
        let i = n.index() as usize;
        if i >= self.0.len() {
            self.0.resize(i + 1, None);
        }
        let v = ask(n.as_str());
        self.0[i] = Some(v);
        v
    }
}

const INDEX_AFTER: u32 = 64;

/// An architecture's opcode table keyed for search: each mnemonic's first
/// eight bytes as a big-endian number, which sorts as the names do, so the
/// binary search compares integers where [`ArchSpec::op`] calls memcmp
/// (~560 Ir per first lookup of a mnemonic; amd64enc.s has 1,100).
struct OpIndex {
    keys: Vec<u64>,
    ops: Vec<(&'static str, Op)>,
}

fn prefix_key(s: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

impl OpIndex {
    fn new(spec: &'static ArchSpec) -> OpIndex {
        let ops: Vec<_> = spec.instructions().collect();
        let keys = ops.iter().map(|(name, _)| prefix_key(name)).collect();
        OpIndex { keys, ops }
    }

    /// [`ArchSpec::op`]: the run of mnemonics sharing the key, then the name in it.
    fn get(&self, s: &str) -> Option<Op> {
        let k = prefix_key(s);
        let lo = self.keys.partition_point(|&x| x < k);
        let len = self.keys[lo..].iter().take_while(|&&x| x == k).count();
        self.ops[lo..lo + len].iter().find(|(name, _)| *name == s).map(|&(_, op)| op)
    }
}

impl NameCache {
    pub(crate) fn new(spec: &'static ArchSpec) -> NameCache {
        NameCache { spec, entries: Vec::new(), ops: None, op_lookups: 0, specials: ByName(Vec::new()), ls_suffixes: ByName(Vec::new()) }
    }

    /// The register half of `n`'s entry.
    #[inline]
    fn reg_word(&mut self, n: Name) -> u32 {
        match self.entries.get(n.index() as usize) {
            Some(e) if e.regs != 0 => e.regs,
            _ => self.fill(n, true),
        }
    }

    /// The opcode half of `n`'s entry.
    #[inline]
    fn op_word(&mut self, n: Name) -> u32 {
        match self.entries.get(n.index() as usize) {
            Some(e) if e.ops != 0 => e.ops,
            _ => self.fill(n, false),
        }
    }

    /// Looks `n` up in the tables: the register half or the opcode half.
    #[cold]
    #[inline(never)]
    fn fill(&mut self, n: Name, regs: bool) -> u32 {
        let i = n.index() as usize;
        if i >= self.entries.len() {
            self.entries.resize(i + 1, Entry::default());
        }
        let spec = self.spec;
        let s = n.as_str();
        let mut w = KNOWN;
        if regs {
            if let Some(r) = spec.reg(s) {
                w |= FOUND | u32::from(r.0);
            }
            if spec.pseudo_reg(s).is_some() {
                w |= PSEUDO;
            }
            if spec.is_register_prefix(s) {
                w |= PREFIX;
            }
            self.entries[i].regs = w;
        } else {
            let op = if self.op_lookups < INDEX_AFTER {
                self.op_lookups += 1;
                spec.op(s)
            } else {
                self.ops.get_or_insert_with(|| OpIndex::new(spec)).get(s)
            };
            let jump = spec.is_jump(s);
            if jump {
                w |= JUMP;
            }
            if let Some(op) = op {
                w |= FOUND | u32::from(op.0);
                if !jump && !PSEUDO_OPS.contains(&s) {
                    w |= DIRECT;
                }
                if spec.is_unary_dst(op) || op == generic::RET || op == generic::GETCALLERPC {
                    w |= UNARY_DST;
                }
                if spec.family() == arch_tables::Family::Arm64 {
                    let (plain, two_reg) = crate::placement::arm64_shape(spec, op);
                    w |= if plain { ARM64_PLAIN } else { 0 } | if two_reg { ARM64_TWO_REG } else { 0 };
                }
            }
            self.entries[i].ops = w;
        }
        w
    }

    /// [`ArchSpec::special_operand`] of `n`.
    #[inline]
    pub(crate) fn special_operand(&mut self, n: Name) -> Option<i64> {
        let spec = self.spec;
        self.specials.get(n, |s| spec.special_operand(s))
    }

    /// [`ArchSpec::ls_suffix`] of `n`.
    #[inline]
    pub(crate) fn ls_suffix(&mut self, n: Name) -> Option<u8> {
        let spec = self.spec;
        self.ls_suffixes.get(n, |s| spec.ls_suffix(s))
    }

    /// [`reg`] without the thread-local lookup.
    #[inline]
    pub(crate) fn reg(&mut self, n: Name) -> Option<Reg> {
        let w = self.reg_word(n);
        (w & FOUND != 0).then_some(Reg(w as u16))
    }

    /// [`is_register`] without the thread-local lookup.
    #[inline]
    pub(crate) fn is_register(&mut self, n: Name) -> bool {
        self.reg_word(n) & (FOUND | PSEUDO) != 0
    }

    fn is_register_prefix(&mut self, n: Name) -> bool {
        self.reg_word(n) & PREFIX != 0
    }

    /// [`op_and_jump`] without the thread-local lookup.
    #[inline]
    pub(crate) fn op_and_jump(&mut self, n: Name) -> (Option<Op>, bool) {
        let w = self.op_word(n);
        ((w & FOUND != 0).then_some(Op(w as u16)), w & JUMP != 0)
    }

    /// The instruction `n` names when the direct path may lower it: an
    /// opcode that is neither a jump nor a pseudo-op.
    #[inline]
    pub(crate) fn direct_op(&mut self, n: Name) -> Option<DirectOp> {
        let w = self.op_word(n);
        (w & DIRECT != 0).then_some(DirectOp { op: Op(w as u16), unary_dst: w & UNARY_DST != 0 })
    }

    /// The placement shape of the arm64 opcode `n` (false, false elsewhere).
    #[inline]
    pub(crate) fn arm64_shape(&mut self, n: Name) -> Arm64Shape {
        let w = self.op_word(n);
        Arm64Shape { plain: w & ARM64_PLAIN != 0, two_reg: w & ARM64_TWO_REG != 0 }
    }
}

thread_local! {
    static CACHE: RefCell<Option<NameCache>> = const { RefCell::new(None) };
}

/// Runs `f` on the thread's cache for `spec` (a new one when the last
/// question was about another architecture).
fn with<R>(spec: &'static ArchSpec, f: impl FnOnce(&mut NameCache) -> R) -> R {
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if !c.as_ref().is_some_and(|x| std::ptr::eq(x.spec, spec)) {
            *c = Some(NameCache::new(spec));
        }
        f(c.as_mut().expect("just set"))
    })
}

/// [`ArchSpec::reg`].
pub fn reg(spec: &'static ArchSpec, n: Name) -> Option<Reg> {
    with(spec, |c| c.reg(n))
}

/// A register or pseudo-register name.
pub fn is_register(spec: &'static ArchSpec, n: Name) -> bool {
    with(spec, |c| c.is_register(n))
}

/// [`ArchSpec::is_register_prefix`].
pub fn is_register_prefix(spec: &'static ArchSpec, n: Name) -> bool {
    with(spec, |c| c.is_register_prefix(n))
}

/// [`ArchSpec::op`].
pub fn op(spec: &'static ArchSpec, n: Name) -> Option<Op> {
    op_and_jump(spec, n).0
}

/// [`ArchSpec::is_jump`].
pub fn is_jump(spec: &'static ArchSpec, n: Name) -> bool {
    op_and_jump(spec, n).1
}

/// [`ArchSpec::op`] and [`ArchSpec::is_jump`] in one lookup.
pub fn op_and_jump(spec: &'static ArchSpec, n: Name) -> (Option<Op>, bool) {
    with(spec, |c| c.op_and_jump(n))
}

#[cfg(test)]
#[test]
fn op_index_agrees_with_the_tables() {
    for arch in arch_tables::GoArch::ALL {
        let spec = arch_tables::spec(arch, false);
        let index = OpIndex::new(spec);
        assert!(index.keys.windows(2).all(|w| w[0] <= w[1]), "{arch:?}: mnemonics not sorted");
        for (name, _) in spec.instructions() {
            assert_eq!(index.get(name), spec.op(name), "{arch:?} {name}");
            for probe in [format!("{name}X"), format!("{name}\u{0}"), name[..name.len() - 1].to_string(), name.to_lowercase()] {
                assert_eq!(index.get(&probe), spec.op(&probe), "{arch:?} {probe:?}");
            }
        }
        assert_eq!(index.get(""), spec.op(""));
    }
}
