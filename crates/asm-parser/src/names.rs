//! The architecture tables' answers about a name (register, register
//! prefix, opcode, jump), looked up once per interned name and thread: the
//! tables are sorted string arrays, the statement loop asks by [`Name`].

use std::cell::RefCell;

use arch_tables::{ArchSpec, Op, Reg};
use asm_lexer::Name;

#[derive(Clone, Copy, Default)]
struct Entry {
    known: bool,
    reg: Option<Reg>,
    pseudo: bool,
    prefix: bool,
    jump: bool,
    op: Option<Op>,
}

/// The answers for the names seen so far, by name index, for one architecture.
#[derive(Default)]
pub(crate) struct NameCache {
    /// The architecture the entries are for (compared, never dereferenced).
    spec: Option<*const ArchSpec>,
    entries: Vec<Entry>,
}

impl NameCache {
    fn entry(&mut self, spec: &'static ArchSpec, n: Name) -> Entry {
        if self.spec != Some(spec as *const ArchSpec) {
            self.spec = Some(spec);
            self.entries.clear();
        }
        let i = n.index() as usize;
        if i >= self.entries.len() {
            self.entries.resize(i + 1, Entry::default());
        }
        let e = &mut self.entries[i];
        if !e.known {
            let s = n.as_str();
            *e = Entry {
                known: true,
                reg: spec.reg(s),
                pseudo: spec.pseudo_reg(s).is_some(),
                prefix: spec.is_register_prefix(s),
                jump: spec.is_jump(s),
                op: spec.op(s),
            };
        }
        *e
    }

    /// [`reg`] without the thread-local lookup.
    pub(crate) fn reg(&mut self, spec: &'static ArchSpec, n: Name) -> Option<Reg> {
        self.entry(spec, n).reg
    }

    /// [`op_and_jump`] without the thread-local lookup.
    pub(crate) fn op_and_jump(&mut self, spec: &'static ArchSpec, n: Name) -> (Option<Op>, bool) {
        let e = self.entry(spec, n);
        (e.op, e.jump)
    }
}

thread_local! {
    static CACHE: RefCell<NameCache> = RefCell::new(NameCache::default());
}

fn entry(spec: &'static ArchSpec, n: Name) -> Entry {
    CACHE.with(|c| c.borrow_mut().entry(spec, n))
}

/// [`ArchSpec::reg`].
pub fn reg(spec: &'static ArchSpec, n: Name) -> Option<Reg> {
    entry(spec, n).reg
}

/// A register or pseudo-register name.
pub fn is_register(spec: &'static ArchSpec, n: Name) -> bool {
    let e = entry(spec, n);
    e.reg.is_some() || e.pseudo
}

/// [`ArchSpec::is_register_prefix`].
pub fn is_register_prefix(spec: &'static ArchSpec, n: Name) -> bool {
    entry(spec, n).prefix
}

/// [`ArchSpec::op`].
pub fn op(spec: &'static ArchSpec, n: Name) -> Option<Op> {
    entry(spec, n).op
}

/// [`ArchSpec::is_jump`].
pub fn is_jump(spec: &'static ArchSpec, n: Name) -> bool {
    entry(spec, n).jump
}

/// [`ArchSpec::op`] and [`ArchSpec::is_jump`] in one lookup.
pub fn op_and_jump(spec: &'static ArchSpec, n: Name) -> (Option<Op>, bool) {
    let e = entry(spec, n);
    (e.op, e.jump)
}
