//! Statements to `obj::Module`: pseudo-ops (TEXT, DATA, GLOBL, PCDATA,
//! FUNCDATA, PCALIGN), jumps and label resolution, and the placement of
//! operands into `Prog` fields per architecture.

use std::collections::HashMap;

use arch_tables::{generic, ArchSpec, Family, Op, Reg};
use asm_lexer::{Diag, Name, SourceMap, Span, Token};
use obj::{flags, Abi, Addr, AddrName, AddrType, AddrVal, ArgDir, Func, Module, Prog, SymKind, ARGS_SIZE_UNKNOWN};

use crate::ast::{Body, ExprItem, Factor, Operand, Prefix, Stmt};
use crate::operand::{Builder, OpError, Resolved, SymCx};
use crate::print::format_addr;
use crate::{placement, Options};

/// Packages whose assembly may use ABI selectors (Go's `AllowAsmABI`).
const ABI_PACKAGES: &[&str] = &[
    "runtime",
    "reflect",
    "syscall",
    "internal/bytealg",
    "internal/chacha8rand",
    "internal/runtime/syscall/linux",
    "internal/runtime/syscall/windows",
    "internal/runtime/startlinetest",
    "internal/runtime/maps",
];

struct PendingJump {
    func: usize,
    prog: usize,
    /// The jump's target is in `from` (arm64 ADR) rather than `to`.
    in_from: bool,
    label: Name,
    span: Span,
}

/// The lowering state of one input file.
pub struct Lowerer<'m> {
    pub spec: &'static ArchSpec,
    pub module: &'m mut Module,
    pub file_index: u32,
    pub debug: bool,
    pkg_prefix: Option<String>,
    allow_abi: bool,
    cur: Option<usize>,
    labels: HashMap<Name, u32>,
    pending_labels: Vec<(Name, Span)>,
    patches: Vec<PendingJump>,
    data_end: HashMap<String, i64>,
    /// A function whose body has just ended (its jumps resolved).
    ended: Option<usize>,
    /// The furthest `N(PC)` jump target of the current function: only past
    /// its end does [`Self::patch`] look for the jump to report.
    pc_target_max: u32,
    /// TEXT, DATA, GLOBL, PCDATA, FUNCDATA, PCALIGN: compared by name id.
    pseudo_names: [Name; 6],
    /// Scratch space for an instruction's addresses, kept across statements.
    pub(crate) addrs: Vec<Addr>,
    /// Name answers for the statements lowered directly (no thread-local lookup).
    pub(crate) names: crate::names::NameCache,
}

/// The pseudo-ops that are not instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PseudoOp {
    Text,
    Data,
    Globl,
    /// PCDATA, FUNCDATA, PCALIGN.
    Meta,
}

/// A statement with its tokens, ready for lowering.
pub struct StmtCx<'t> {
    pub toks: &'t [Token],
}

impl StmtCx<'_> {
    pub fn span(&self, at: usize) -> Span {
        match self.toks.get(at) {
            Some(t) => t.span,
            None => self.toks.last().map_or(Span::DUMMY, |t| Span { lo: t.span.hi, hi: t.span.hi }),
        }
    }
    pub fn range(&self, lo: usize, hi: usize) -> Span {
        if hi <= lo {
            return self.span(lo);
        }
        self.span(lo).to(self.span(hi - 1))
    }
}


impl<'m> Lowerer<'m> {
    pub fn new(spec: &'static ArchSpec, module: &'m mut Module, file_index: u32, opts: &Options) -> Lowerer<'m> {
        let pkg_prefix = opts.pkg.as_deref().map(crate::operand::path_to_prefix);
        let allow_abi = opts.compiling_runtime || opts.pkg.as_deref().is_some_and(|p| ABI_PACKAGES.contains(&p));
        Lowerer {
            spec,
            module,
            file_index,
            debug: opts.debug,
            pkg_prefix,
            allow_abi,
            cur: None,
            labels: HashMap::new(),
            pending_labels: Vec::new(),
            patches: Vec::new(),
            data_end: HashMap::new(),
            ended: None,
            pc_target_max: 0,
            pseudo_names: crate::names::PSEUDO_OPS.map(Name::new),
            addrs: Vec::new(),
            names: crate::names::NameCache::new(spec),
        }
    }

    fn resolve(&mut self, cx: &StmtCx<'_>, op: &Operand, is_jump: bool) -> Result<Resolved, Diag> {
        let b = Builder { spec: self.spec, toks: cx.toks, is_jump };
        let mut sc = SymCx {
            syms: &mut self.module.syms,
            pkg_prefix: self.pkg_prefix.as_deref(),
            file_index: self.file_index,
            allow_abi: self.allow_abi,
        };
        b.operand(op, &mut sc).map_err(|e| op_diag(cx, e))
    }

    /// Records labels written before a statement.
    pub fn add_labels(&mut self, labels: impl Iterator<Item = (Name, Span)>) {
        self.pending_labels.extend(labels);
    }

    /// Lowers one statement. Errors are returned (one per line, as in Go).
    pub fn statement(&mut self, cx: &StmtCx<'_>, st: &Stmt, sources: &SourceMap) -> Result<(), Diag> {
        let stmt_span = cx.range(st.word.at, cx.toks.len());
        if let Some(k) = self.pseudo_op(st.word.name) {
            return match k {
                PseudoOp::Text => self.text(cx, st, stmt_span),
                PseudoOp::Data => self.data(cx, st, stmt_span),
                PseudoOp::Globl => self.globl(cx, st, stmt_span),
                PseudoOp::Meta => self.meta(cx, st, st.word.name.as_str(), stmt_span),
            };
        }
        let (op, is_jump) = crate::names::op_and_jump(self.spec, st.word.name);
        let Some(op) = op else {
            let word = st.word.name.as_str();
            let mut d = Diag::error(cx.span(st.word.at), format!("unrecognized instruction {word:?}"));
            if let Some(s) = crate::suggest::closest(word, self.spec.mnemonics()) {
                d = d.with_note(format!("did you mean `{s}`?"));
            }
            return Err(d);
        };
        let prog = if is_jump { self.jump_statement(cx, st, op, stmt_span)? } else { self.instruction(cx, st, op, stmt_span)? };
        self.append(prog, stmt_span, sources)
    }

    /// Which pseudo-op `word` names, if any (they are not instructions).
    pub(crate) fn pseudo_op(&self, word: Name) -> Option<PseudoOp> {
        let i = self.pseudo_names.iter().position(|&n| n == word)?;
        Some(match i {
            0 => PseudoOp::Text,
            1 => PseudoOp::Data,
            2 => PseudoOp::Globl,
            _ => PseudoOp::Meta,
        })
    }

    /// The `Prog` of a non-jump instruction statement (not yet appended).
    pub(crate) fn instruction(&mut self, cx: &StmtCx<'_>, st: &Stmt, op: Op, stmt_span: Span) -> Result<Prog, Diag> {
        // The addresses go into a buffer kept across statements: no allocation per statement.
        let mut addrs = std::mem::take(&mut self.addrs);
        addrs.clear();
        let r = self.instruction_into(cx, st, op, stmt_span, &mut addrs);
        self.addrs = addrs;
        r
    }

    fn instruction_into(&mut self, cx: &StmtCx<'_>, st: &Stmt, op: Op, stmt_span: Span, addrs: &mut Vec<Addr>) -> Result<Prog, Diag> {
        for o in &st.operands {
            let r = self.resolve(cx, o, false)?;
            if r.pseudo_reg {
                return Err(Diag::error(cx.range(o.lo, o.hi), format!("illegal use of pseudo-register in {}", st.word.name)));
            }
            addrs.push(r.addr);
        }
        let cond: String = st.suffixes.iter().map(|w| format!(".{}", w.name)).collect();
        let mut prog = Prog::new(op, stmt_span);
        self.place(&mut prog, op, &cond, addrs, stmt_span, cx.span(st.word.at + 1))?;
        Ok(prog)
    }

    /// Places the addresses of a non-jump instruction into `prog` and applies
    /// its suffixes (`cond`, like `.P.W`); `suffix_span` is where a bad suffix is reported.
    pub(crate) fn place(&self, prog: &mut Prog, op: Op, cond: &str, addrs: &[Addr], stmt_span: Span, suffix_span: Span) -> Result<(), Diag> {
        let pl = placement::Placement { spec: self.spec, module: &*self.module };
        let apply = pl.place(prog, op, cond, addrs).map_err(|m| Diag::error(stmt_span, m))?;
        if apply && !cond.is_empty() {
            crate::suffix::apply(self.spec, prog, cond).map_err(|m| Diag::error(suffix_span, m))?;
        }
        Ok(())
    }

    /// [`Self::place`] for the direct path, whose failures the general path
    /// then reports: no diagnostic is made (nor moved) here.
    pub(crate) fn placed(&self, prog: &mut Prog, op: Op, cond: &str, addrs: &[Addr]) -> bool {
        let pl = placement::Placement { spec: self.spec, module: &*self.module };
        match pl.place(prog, op, cond, addrs) {
            Ok(apply) => !apply || cond.is_empty() || crate::suffix::apply(self.spec, prog, cond).is_ok(),
            Err(_) => false,
        }
    }

    /// The `Prog` of a jump statement (its target resolved or queued).
    fn jump_statement(&mut self, cx: &StmtCx<'_>, st: &Stmt, op: Op, stmt_span: Span) -> Result<Prog, Diag> {
        let mut ops = Vec::with_capacity(st.operands.len());
        for o in &st.operands {
            let r = self.resolve(cx, o, true)?;
            if r.pseudo_reg {
                return Err(Diag::error(cx.range(o.lo, o.hi), format!("illegal use of pseudo-register in {}", st.word.name)));
            }
            ops.push(r);
        }
        let cond: String = st.suffixes.iter().map(|w| format!(".{}", w.name)).collect();
        let mut prog = Prog::new(op, stmt_span);
        self.jump(cx, &mut prog, op, &ops, st)?;
        if !cond.is_empty() {
            crate::suffix::apply(self.spec, &mut prog, &cond).map_err(|m| Diag::error(cx.span(st.word.at + 1), m))?;
        }
        Ok(prog)
    }

    /// Appends a finished instruction to the current function and binds the labels before it.
    pub(crate) fn append(&mut self, prog: Prog, span: Span, sources: &SourceMap) -> Result<(), Diag> {
        let Some(fi) = self.cur else {
            return Err(Diag::error(span, "instruction outside of a TEXT block"));
        };
        if self.debug {
            let line = sources.physical(span.lo).map_or(0, |p| p.1);
            println!("{line} {}", crate::print::format_prog(self.spec, self.module, &prog));
        }
        let idx = self.module.funcs[fi].progs.len() as u32;
        self.module.funcs[fi].progs.push(prog);
        self.bind_labels(idx)
    }

    /// The function instructions go to (none before the first TEXT).
    pub(crate) fn current(&self) -> Option<usize> {
        self.cur
    }

    /// [`Self::append`] for an instruction already appended as the last of
    /// the current function: the `-debug` listing and the labels before it.
    #[inline]
    pub(crate) fn appended(&mut self, sources: &SourceMap) -> Result<(), Diag> {
        if !self.debug && self.pending_labels.is_empty() {
            return Ok(());
        }
        self.appended_slow(sources)
    }

    #[inline(never)]
    fn appended_slow(&mut self, sources: &SourceMap) -> Result<(), Diag> {
        let fi = self.cur.expect("an instruction was appended");
        let progs = &self.module.funcs[fi].progs;
        let idx = progs.len() - 1;
        if self.debug {
            let line = sources.physical(progs[idx].span.lo).map_or(0, |p| p.1);
            println!("{line} {}", crate::print::format_prog(self.spec, self.module, &progs[idx]));
        }
        self.bind_labels(idx as u32)
    }

    fn bind_labels(&mut self, idx: u32) -> Result<(), Diag> {
        if self.pending_labels.is_empty() {
            return Ok(());
        }
        for (l, span) in std::mem::take(&mut self.pending_labels) {
            if self.labels.contains_key(&l) {
                return Err(Diag::error(span, format!("label {:?} multiply defined", l.as_str())));
            }
            self.labels.insert(l, idx);
        }
        Ok(())
    }

    /// Resolves the jumps of the function just finished. Go reports an
    /// undefined label at the statement that ends the function.
    pub fn patch(&mut self, at: Span) -> Result<(), Diag> {
        // `JMP N(PC)` past the end of the function has no instruction to go to:
        // Go reports "branch out of range" (and then panics); the backends index by it.
        if let Some(f) = self.cur.filter(|&f| self.pc_target_max as usize > self.module.funcs[f].progs.len()) {
            let progs = &self.module.funcs[f].progs;
            for p in progs {
                for a in std::iter::once(&p.from).chain(std::iter::once(&p.to)) {
                    if let (AddrType::Branch, AddrVal::Target(t)) = (a.ty, &a.val) {
                        if *t as usize > progs.len() {
                            return Err(Diag::error(p.span, format!("branch out of range ({}(PC) is past the end of the function)", a.offset)));
                        }
                    }
                }
            }
        }
        self.pc_target_max = 0;
        for p in std::mem::take(&mut self.patches) {
            let Some(&target) = self.labels.get(&p.label) else {
                return Err(Diag::error(at, format!("undefined label {}", p.label)).with_label(p.span, "referenced here"));
            };
            let prog = &mut self.module.funcs[p.func].progs[p.prog];
            let a = if p.in_from { &mut prog.from } else { &mut prog.to };
            *a = Addr { ty: AddrType::Branch, val: AddrVal::Target(target), ..Default::default() };
        }
        Ok(())
    }

    fn text(&mut self, cx: &StmtCx<'_>, st: &Stmt, span: Span) -> Result<(), Diag> {
        let ops = &st.operands;
        if ops.len() != 2 && ops.len() != 3 {
            return Err(Diag::error(span, "expect two or three operands for TEXT"));
        }
        self.patch(span)?;
        self.ended = self.cur;
        // Functions of a file tend to be alike in size: the new one starts
        // with room for as many instructions as the last (Progs are large,
        // and growing by doubling copied each function's list ~twice).
        let room = self.cur.map_or(0, |fi| self.module.funcs[fi].progs.len());
        self.labels.clear();
        let name = self.resolve(cx, &ops[0], false)?;
        let sym = self.valid_symbol(cx, "TEXT", &ops[0], &name, false)?;
        let sym_name = self.module.syms.get(sym).name.clone();
        let mut flag = 0i64;
        if ops.len() == 3 {
            flag = self.eval_integer(cx, "TEXT", &ops[1])?;
        }
        let abi = name.abi.unwrap_or(Abi::Abi0);
        if abi == Abi::Internal && flag & flags::NOSPLIT == 0 {
            return Err(Diag::error(span, format!("TEXT {sym_name:?}: ABIInternal requires NOSPLIT")));
        }
        let fop = &ops[ops.len() - 1];
        let (frame, args) = text_size(fop).map_err(|e| {
            let m = match e {
                TextSizeError::Frame => format!("TEXT {sym_name}: frame size must be an immediate constant"),
                TextSizeError::Args => format!("TEXT {sym_name}: argument size must be of form -integer"),
                TextSizeError::Parse(m) => m,
            };
            Diag::error(cx.range(fop.lo, fop.hi), m)
        })?;
        {
            let s = self.module.syms.get_mut(sym);
            if let Some(prev) = s.defined_at {
                return Err(Diag::error(cx.range(ops[0].lo, ops[0].hi), format!("symbol {sym_name} redeclared"))
                    .with_label(prev, format!("other declaration of symbol {sym_name}")));
            }
            s.kind = SymKind::Text;
            s.flags = flag;
            s.abi = abi;
            s.defined_at = Some(span);
        }
        self.module.funcs.push(Func { sym, progs: Vec::with_capacity(room), flags: flag, frame, args, span });
        self.cur = Some(self.module.funcs.len() - 1);
        // Labels written before TEXT name the function's first instruction.
        self.bind_labels(0)
    }

    fn data(&mut self, cx: &StmtCx<'_>, st: &Stmt, span: Span) -> Result<(), Diag> {
        let ops = &st.operands;
        if ops.len() != 2 {
            return Err(Diag::error(span, "expect two operands for DATA"));
        }
        let name = self.resolve(cx, &ops[0], false)?;
        let Some(size_w) = name.data_size else {
            return Err(Diag::error(cx.range(ops[0].lo, ops[0].hi), "expect /size for DATA argument"));
        };
        let sz: usize = size_w
            .name
            .as_str()
            .parse()
            .map_err(|_| Diag::error(cx.span(size_w.at), format!("bad size for DATA argument: {:?}", size_w.name.as_str())))?;
        let sym = self.valid_symbol(cx, "DATA", &ops[0], &name, true)?;
        let sym_name = self.module.syms.get(sym).name.clone();
        let value = self.resolve(cx, &ops[1], false)?;
        let vspan = cx.range(ops[1].lo, ops[1].hi);
        if !matches!(value.addr.ty, AddrType::Const | AddrType::FConst | AddrType::SConst | AddrType::Addr) {
            return Err(Diag::error(vspan, "DATA value must be an immediate constant or address"));
        }
        let off = name.addr.offset;
        let key = format!("{}{}", sym_name, if name.addr.name == AddrName::Static { "<>" } else { "" });
        if let Some(&last) = self.data_end.get(&key) {
            if off < last {
                return Err(Diag::error(span, format!("overlapping DATA entry for {sym_name}")));
            }
        }
        self.data_end.insert(key, off + sz as i64);
        let be = self.spec.big_endian();
        let syms = &mut self.module.syms;
        let r = match value.addr.ty {
            AddrType::Const => match sz {
                1 | 2 | 4 | 8 => syms.write_int(sym, off, sz, value.addr.offset, be),
                _ => Err(format!("bad int size for DATA argument: {sz}")),
            },
            AddrType::FConst => {
                let AddrVal::Float(f) = value.addr.val else { unreachable!() };
                match sz {
                    4 | 8 => syms.write_float(sym, off, sz, f, be),
                    _ => Err(format!("bad float size for DATA argument: {sz}")),
                }
            }
            AddrType::SConst => {
                let AddrVal::Str(s) = &value.addr.val else { unreachable!() };
                syms.write_string(sym, off, sz, s)
            }
            _ => {
                if sz != usize::from(self.spec.ptr_size()) {
                    Err(format!("bad addr size for DATA argument: {sz}"))
                } else {
                    match value.addr.sym {
                        Some(t) => syms.write_addr(sym, off, sz, t, value.addr.offset),
                        None => Err("DATA address value must name a symbol".to_string()),
                    }
                }
            }
        };
        r.map_err(|m| Diag::error(span, m))
    }

    fn globl(&mut self, cx: &StmtCx<'_>, st: &Stmt, span: Span) -> Result<(), Diag> {
        let ops = &st.operands;
        if ops.len() != 2 && ops.len() != 3 {
            return Err(Diag::error(span, "expect two or three operands for GLOBL"));
        }
        let name = self.resolve(cx, &ops[0], false)?;
        let sym = self.valid_symbol(cx, "GLOBL", &ops[0], &name, false)?;
        let mut flag = 0;
        if ops.len() == 3 {
            flag = self.eval_integer(cx, "GLOBL", &ops[1])?;
        }
        let last = &ops[ops.len() - 1];
        let size = self.resolve(cx, last, false)?;
        self.valid_immediate(cx, "GLOBL", last, &size.addr)?;
        let s = self.module.syms.get(sym);
        if let Some(prev) = s.defined_at {
            let n = s.name.clone();
            return Err(Diag::error(cx.range(ops[0].lo, ops[0].hi), format!("symbol {n} redeclared"))
                .with_label(prev, format!("other declaration of symbol {n}")));
        }
        self.module.syms.globl(sym, size.addr.offset, flag);
        self.module.syms.get_mut(sym).defined_at = Some(span);
        self.module.data.push(sym);
        Ok(())
    }

    fn meta(&mut self, cx: &StmtCx<'_>, st: &Stmt, word: &str, span: Span) -> Result<(), Diag> {
        let ops = &st.operands;
        let (want, op) = match word {
            "PCDATA" => ("two", generic::PCDATA),
            "FUNCDATA" => ("two", generic::FUNCDATA),
            _ => ("one", generic::PCALIGN),
        };
        let n = if want == "two" { 2 } else { 1 };
        if ops.len() != n {
            return Err(Diag::error(span, format!("expect {want} operand{} for {word}", if n == 1 { "" } else { "s" })));
        }
        let mut prog = Prog::new(op, span);
        let first = self.resolve(cx, &ops[0], false)?;
        self.valid_immediate(cx, word, &ops[0], &first.addr)?;
        prog.from = first.addr;
        if n == 2 {
            let second = self.resolve(cx, &ops[1], false)?;
            if word == "PCDATA" {
                self.valid_immediate(cx, word, &ops[1], &second.addr)?;
            } else {
                self.valid_symbol(cx, word, &ops[1], &second, true)?;
            }
            prog.to = second.addr;
        }
        let sources_dummy = SourceMap::new();
        self.append(prog, span, &sources_dummy)
    }

    fn valid_symbol(&self, cx: &StmtCx<'_>, pseudo: &str, op: &Operand, r: &Resolved, offset_ok: bool) -> Result<obj::SymId, Diag> {
        let a = &r.addr;
        let sp = cx.range(op.lo, op.hi);
        let name = a.sym.map_or_else(|| "<erroneous symbol>".to_string(), |s| self.module.syms.get(s).name.clone());
        match a.sym {
            Some(s) if matches!(a.name, AddrName::Extern | AddrName::Static) && a.scale == 0 && a.reg.is_none() => {
                if !offset_ok && a.offset != 0 {
                    return Err(Diag::error(sp, format!("{pseudo} symbol {name:?} must not be offset from SB")));
                }
                Ok(s)
            }
            _ => Err(Diag::error(sp, format!("{pseudo} symbol {name:?} must be a symbol(SB)"))),
        }
    }

    fn valid_immediate(&self, cx: &StmtCx<'_>, pseudo: &str, op: &Operand, a: &Addr) -> Result<(), Diag> {
        if a.ty != AddrType::Const || a.name != AddrName::None || !a.reg.is_none() || !a.index.is_none() {
            return Err(Diag::error(
                cx.range(op.lo, op.hi),
                format!("{pseudo}: expected immediate constant; found {}", format_addr(self.spec, Some(self.module), a)),
            ));
        }
        Ok(())
    }

    fn eval_integer(&mut self, cx: &StmtCx<'_>, pseudo: &str, op: &Operand) -> Result<i64, Diag> {
        let r = self.resolve(cx, op, false)?;
        let a = &r.addr;
        if a.ty != AddrType::Mem || a.name != AddrName::None || !a.reg.is_none() || !a.index.is_none() {
            return Err(Diag::error(
                cx.range(op.lo, op.hi),
                format!("{pseudo}: expected integer constant; found {}", format_addr(self.spec, Some(self.module), a)),
            ));
        }
        Ok(a.offset)
    }

    fn jump(&mut self, cx: &StmtCx<'_>, prog: &mut Prog, op: Op, a: &[Resolved], st: &Stmt) -> Result<(), Diag> {
        let fam = self.spec.family();
        let sp = cx.range(st.word.at, cx.toks.len());
        // Only errors name the instruction (`op_display` allocates).
        let spec = self.spec;
        let opname = || spec.op_display(op);
        let wrong = || Diag::error(sp, format!("wrong number of arguments to {} instruction", opname()));
        let pl = placement::Placement { spec: self.spec, module: &*self.module };
        let mut target_in_from = false;
        let target: Option<&Resolved> = match a.len() {
            0 => {
                if fam == Family::Wasm {
                    None
                } else {
                    return Err(wrong());
                }
            }
            1 => Some(&a[0]),
            2 => {
                if fam == Family::Arm64 && placement::is_arm64_adr(op) {
                    prog.to = a[1].addr.clone();
                    target_in_from = true;
                } else {
                    prog.from = a[0].addr.clone();
                }
                Some(if target_in_from { &a[0] } else { &a[1] })
            }
            3 => {
                match fam {
                    Family::Ppc64 => {
                        prog.from = a[0].addr.clone();
                        if a[0].addr.ty != AddrType::Const {
                            let c = pl.get_constant(op, &a[0].addr).map_err(|m| Diag::error(sp, m))?;
                            prog.from = Addr::constant(c);
                        }
                        prog.reg = a[1].addr.reg;
                        if a[1].addr.ty != AddrType::Reg {
                            let c = pl.get_constant(op, &a[1].addr).map_err(|m| Diag::error(sp, m))?;
                            let r = arch_tables::ppc64::consts::REG_CRBIT0 + c;
                            if !(arch_tables::ppc64::consts::REG_CR0LT..=arch_tables::ppc64::consts::REG_CR7SO).contains(&r) {
                                return Err(Diag::error(sp, format!("invalid CR bit register number {c}")));
                            }
                            prog.reg = Reg(r as u16);
                        }
                    }
                    Family::Mips | Family::Riscv | Family::Loong64 => {
                        prog.from = a[0].addr.clone();
                        prog.reg = pl.get_register(op, &a[1].addr).map_err(|m| Diag::error(sp, m))?;
                    }
                    Family::S390x => {
                        prog.from = a[0].addr.clone();
                        if !a[1].addr.reg.is_none() {
                            prog.reg = pl.get_register(op, &a[1].addr).map_err(|m| Diag::error(sp, m))?;
                        } else {
                            prog.rest.push((a[1].addr.clone(), ArgDir::Source));
                        }
                    }
                    Family::Arm64 => {
                        if a[0].addr.ty != AddrType::Const {
                            return Err(Diag::error(
                                sp,
                                format!("{}: expected immediate constant; found {}", opname(), format_addr(self.spec, Some(self.module), &a[0].addr)),
                            ));
                        }
                        prog.from = a[0].addr.clone();
                        prog.reg = pl.get_register(op, &a[1].addr).map_err(|m| Diag::error(sp, m))?;
                    }
                    _ => return Err(wrong()),
                }
                Some(&a[2])
            }
            4 => {
                if matches!(fam, Family::S390x | Family::Ppc64) {
                    prog.from = a[0].addr.clone();
                    prog.reg = pl.get_register(op, &a[1].addr).map_err(|m| Diag::error(sp, m))?;
                    prog.rest.push((a[2].addr.clone(), ArgDir::Source));
                    Some(&a[3])
                } else {
                    return Err(wrong());
                }
            }
            _ => return Err(wrong()),
        };
        let Some(t) = target else { return Ok(()) };
        let fi = self.cur;
        let here = fi.map_or(0, |f| self.module.funcs[f].progs.len());
        let ta = &t.addr;
        let dest: Addr = if let Some(label) = t.label {
            match self.labels.get(&label) {
                Some(&idx) => Addr { ty: AddrType::Branch, val: AddrVal::Target(idx), ..Default::default() },
                None => {
                    if let Some(f) = fi {
                        let tok_span = cx.range(st.word.at, cx.toks.len());
                        self.patches.push(PendingJump { func: f, prog: here, in_from: target_in_from, label, span: tok_span });
                    }
                    Addr { ty: AddrType::Branch, ..Default::default() }
                }
            }
        } else {
            match ta.ty {
                AddrType::Branch => {
                    let t = here as i64 + ta.offset;
                    let mut d = Addr { ty: AddrType::Branch, offset: ta.offset, ..Default::default() };
                    if t >= 0 {
                        d.val = AddrVal::Target(t as u32);
                        self.pc_target_max = self.pc_target_max.max(t as u32);
                    }
                    d
                }
                AddrType::Reg => ta.clone(),
                AddrType::Mem | AddrType::Indir if matches!(ta.name, AddrName::Extern | AddrName::Static) => ta.clone(),
                AddrType::Mem if ta.name == AddrName::None => {
                    let mut d = ta.clone();
                    if fam == Family::Ppc64 && ta.offset == 0 {
                        d.ty = AddrType::Reg;
                    }
                    d
                }
                AddrType::Const => a[0].addr.clone(),
                AddrType::None => Addr::default(),
                _ => {
                    return Err(Diag::error(sp, format!("cannot assemble jump {}", format_addr(self.spec, Some(self.module), ta))));
                }
            }
        };
        if target_in_from {
            prog.from = dest;
        } else {
            prog.to = dest;
        }
        Ok(())
    }

    /// Ends the file: resolves the last function's jumps.
    pub fn finish(&mut self, eof: Span) -> Result<(), Diag> {
        self.patch(eof)?;
        self.ended = self.cur.take();
        Ok(())
    }

    /// The function whose body the last statement (a TEXT, or the end of the
    /// file) ended: complete, its jumps resolved, ready for encoding.
    pub fn take_ended(&mut self) -> Option<usize> {
        self.ended.take()
    }
}

pub fn op_diag(cx: &StmtCx<'_>, e: OpError) -> Diag {
    let mut d = Diag::error(cx.span(e.at), e.message);
    for n in e.notes {
        d = d.with_note(n);
    }
    d
}


enum TextSizeError {
    Frame,
    Args,
    Parse(String),
}

/// `$frame[-args]`: two literals, not a subtraction.
fn text_size(op: &Operand) -> Result<(i64, i32), TextSizeError> {
    let items = match (&op.prefix, &op.body) {
        (Prefix::Dollar, Body::Const { value: Some(e), mem }) if mem.is_empty() => &e.items,
        _ => return Err(TextSizeError::Frame),
    };
    let lit = |w: &crate::ast::Word| -> Result<i64, TextSizeError> {
        let s = w.name.as_str();
        let v = crate::expr::parse_uint(s).map_err(|m| TextSizeError::Parse(m.replace("ParseUint", "ParseInt")))?;
        if v > i64::MAX as u64 {
            return Err(TextSizeError::Parse(format!("strconv.ParseInt: parsing {s:?}: value out of range")));
        }
        Ok(v as i64)
    };
    let frame = match items.first() {
        Some(ExprItem::Factor(Factor::Int(w))) => lit(w)?,
        Some(ExprItem::Factor(Factor::Neg(f))) => match &**f {
            Factor::Int(w) => -lit(w)?,
            _ => return Err(TextSizeError::Frame),
        },
        _ => return Err(TextSizeError::Frame),
    };
    let args = match &items[1..] {
        [] => ARGS_SIZE_UNKNOWN,
        [ExprItem::Op(crate::ast::BinOp::Sub, _), ExprItem::Factor(Factor::Int(w))] => lit(w)? as i32,
        _ => return Err(TextSizeError::Args),
    };
    Ok((frame, args))
}
