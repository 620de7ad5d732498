//! The architecture tables' answers about a name (register, register
//! prefix, opcode, jump), looked up once per interned name and cache (the
//! register half and the opcode half separately): the tables are sorted
//! string arrays, the statement loop asks by [`Name`].

use std::cell::RefCell;

use arch_tables::{ArchSpec, Op, Reg};
use asm_lexer::Name;

/// What the tables say about one name. The register half and the opcode half
/// are looked up separately, when first asked: a mnemonic is never asked
/// about registers, a register never about opcodes.
#[derive(Clone, Copy, Default)]
struct Entry {
    reg_known: bool,
    reg: Option<Reg>,
    pseudo: bool,
    prefix: bool,
    op_known: bool,
    jump: bool,
    op: Option<Op>,
}

/// The answers for the names seen so far, by name index, for one architecture.
#[derive(Default)]
pub(crate) struct NameCache {
    /// The architecture the entries are for (compared, never dereferenced).
    spec: Option<*const ArchSpec>,
    entries: Vec<Entry>,
    /// The opcode table of `spec`, built once [`INDEX_AFTER`] mnemonics were
    /// looked up the plain way (building it costs about as much as 60 lookups).
    ops: Option<OpIndex>,
    op_lookups: u32,
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
    /// The entry of `n` with its register half filled in.
    #[inline]
    fn regs(&mut self, spec: &'static ArchSpec, n: Name) -> Entry {
        match self.known(spec, n) {
            Some(e) if e.reg_known => *e,
            _ => self.fill(spec, n, true),
        }
    }

    /// The entry of `n` with its opcode half filled in.
    #[inline]
    fn ops(&mut self, spec: &'static ArchSpec, n: Name) -> Entry {
        match self.known(spec, n) {
            Some(e) if e.op_known => *e,
            _ => self.fill(spec, n, false),
        }
    }

    #[inline]
    fn known(&self, spec: &'static ArchSpec, n: Name) -> Option<&Entry> {
        if self.spec != Some(spec as *const ArchSpec) {
            return None;
        }
        self.entries.get(n.index() as usize)
    }

    /// Looks `n` up in the tables: the register half or the opcode half.
    #[cold]
    fn fill(&mut self, spec: &'static ArchSpec, n: Name, regs: bool) -> Entry {
        if self.spec != Some(spec as *const ArchSpec) {
            self.spec = Some(spec);
            self.entries.clear();
            self.ops = None;
            self.op_lookups = 0;
        }
        let i = n.index() as usize;
        if i >= self.entries.len() {
            self.entries.resize(i + 1, Entry::default());
        }
        let e = &mut self.entries[i];
        let s = n.as_str();
        if regs {
            e.reg_known = true;
            e.reg = spec.reg(s);
            e.pseudo = spec.pseudo_reg(s).is_some();
            e.prefix = spec.is_register_prefix(s);
        } else {
            e.op_known = true;
            e.jump = spec.is_jump(s);
            e.op = if self.op_lookups < INDEX_AFTER {
                self.op_lookups += 1;
                spec.op(s)
            } else {
                self.ops.get_or_insert_with(|| OpIndex::new(spec)).get(s)
            };
        }
        *e
    }

    /// [`reg`] without the thread-local lookup.
    #[inline]
    pub(crate) fn reg(&mut self, spec: &'static ArchSpec, n: Name) -> Option<Reg> {
        self.regs(spec, n).reg
    }

    /// [`is_register`] without the thread-local lookup.
    #[inline]
    pub(crate) fn is_register(&mut self, spec: &'static ArchSpec, n: Name) -> bool {
        let e = self.regs(spec, n);
        e.reg.is_some() || e.pseudo
    }

    /// [`op_and_jump`] without the thread-local lookup.
    #[inline]
    pub(crate) fn op_and_jump(&mut self, spec: &'static ArchSpec, n: Name) -> (Option<Op>, bool) {
        let e = self.ops(spec, n);
        (e.op, e.jump)
    }
}

thread_local! {
    static CACHE: RefCell<NameCache> = RefCell::new(NameCache::default());
}

fn regs(spec: &'static ArchSpec, n: Name) -> Entry {
    CACHE.with(|c| c.borrow_mut().regs(spec, n))
}

fn ops(spec: &'static ArchSpec, n: Name) -> Entry {
    CACHE.with(|c| c.borrow_mut().ops(spec, n))
}

/// [`ArchSpec::reg`].
pub fn reg(spec: &'static ArchSpec, n: Name) -> Option<Reg> {
    regs(spec, n).reg
}

/// A register or pseudo-register name.
pub fn is_register(spec: &'static ArchSpec, n: Name) -> bool {
    let e = regs(spec, n);
    e.reg.is_some() || e.pseudo
}

/// [`ArchSpec::is_register_prefix`].
pub fn is_register_prefix(spec: &'static ArchSpec, n: Name) -> bool {
    regs(spec, n).prefix
}

/// [`ArchSpec::op`].
pub fn op(spec: &'static ArchSpec, n: Name) -> Option<Op> {
    ops(spec, n).op
}

/// [`ArchSpec::is_jump`].
pub fn is_jump(spec: &'static ArchSpec, n: Name) -> bool {
    ops(spec, n).jump
}

/// [`ArchSpec::op`] and [`ArchSpec::is_jump`] in one lookup.
pub fn op_and_jump(spec: &'static ArchSpec, n: Name) -> (Option<Op>, bool) {
    let e = ops(spec, n);
    (e.op, e.jump)
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
