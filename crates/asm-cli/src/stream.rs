//! Encoding each function as soon as its TEXT body ends, so that no more
//! than one function's program is alive at a time: what stays is the
//! symbols' bytes and relocations.
//!
//! A backend may read what a later line declares about a symbol (arm64
//! encodes `MOVD sym(SB)` differently when a later `GLOBL sym, TLSBSS`
//! makes it thread-local), so a function that references a symbol not
//! declared yet keeps its program and is encoded after the last line, as
//! every function was before.

use asm_lexer::Diags;
use obj::{Backend, Ctxt, Module};

pub struct FuncEncoder<'a> {
    backend: &'static dyn Backend,
    ctxt: &'a Ctxt,
    /// Encode functions as they end. Off when something needs every
    /// program at the end (`-S`); the module is then encoded as a whole.
    stream: bool,
    /// Encode at all (off for `-syntax-only`).
    encode: bool,
    /// The next function to look at.
    next: usize,
    /// Functions left for the end: they reference symbols not declared yet.
    deferred: Vec<usize>,
    /// The backend's errors, reported only if parsing had none (as Go,
    /// which encodes nothing after a syntax error).
    diags: Diags,
}

impl<'a> FuncEncoder<'a> {
    pub fn new(backend: &'static dyn Backend, ctxt: &'a Ctxt, stream: bool, encode: bool, limit: Option<usize>) -> Self {
        FuncEncoder { backend, ctxt, stream, encode, next: 0, deferred: Vec::new(), diags: Diags::new(limit) }
    }

    /// The body of `m.funcs[fi]` is complete (and that of every function before it).
    pub fn func_ended(&mut self, m: &mut Module, fi: usize, parse: &Diags) {
        if !self.stream {
            return;
        }
        while self.next <= fi && self.next < m.funcs.len() {
            let i = self.next;
            self.next += 1;
            if self.encode && !parse.has_errors() && !declared_refs(m, i) {
                self.deferred.push(i);
                continue;
            }
            self.encode_func(m, i, parse);
        }
    }

    fn encode_func(&mut self, m: &mut Module, i: usize, parse: &Diags) {
        if self.encode && !parse.has_errors() && !self.diags.too_many() {
            let first = self.diags.list.len();
            self.backend.assemble_func(m, i, self.ctxt, &mut self.diags);
            crate::add_accepted_forms(self.backend, m, &mut self.diags.list[first..]);
        }
        m.funcs[i].progs = Vec::new();
    }

    /// After the last input: encodes what is left and moves the backend's
    /// errors into `diags`, unless parsing failed.
    pub fn finish(mut self, m: &mut Module, diags: &mut Diags) {
        if diags.has_errors() || !self.encode {
            return;
        }
        if !self.stream {
            let first = diags.list.len();
            self.backend.assemble(m, self.ctxt, diags);
            crate::add_accepted_forms(self.backend, m, &mut diags.list[first..]);
            return;
        }
        if let Some(last) = m.funcs.len().checked_sub(1) {
            self.func_ended(m, last, diags);
        }
        for i in std::mem::take(&mut self.deferred) {
            self.encode_func(m, i, diags);
        }
        for d in self.diags.list {
            diags.push(d);
        }
    }
}

/// Whether every symbol `m.funcs[fi]` references is declared (TEXT or GLOBL) already.
fn declared_refs(m: &Module, fi: usize) -> bool {
    let declared = |a: &obj::Addr| a.sym.is_none_or(|s| m.syms.get(s).defined_at.is_some());
    m.funcs[fi].progs.iter().all(|p| declared(&p.from) && declared(&p.to) && p.rest.iter().all(|(a, _)| declared(a)))
}
