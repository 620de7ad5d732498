//! Layout of one function: operand rewrites, form lookup, the literal pool,
//! long conditional branches, PCALIGN, and emission.
//!
//! The instructions live in an arena linked in program order (node 0 is the
//! TEXT line itself), so passes can insert instructions after any node while
//! branch targets stay valid.

use arch_tables::arm64::consts as k;
use arch_tables::obj_consts as g;
use arch_tables::{Op, Reg};
use asm_lexer::{Diag, Diags, Span};

use super::class::{c, Cx};
use super::enc::{Enc, EncReloc, PoolRef, NOOP};
use super::optab::{self, flag, Row};
use super::tables_gen::ROWS;
use crate::addr::{Addr, AddrName, AddrType, AddrVal};
use crate::backend::Ctxt;
use crate::module::Module;
use crate::prog::Prog;
use crate::sym::{flags, Reloc, SymId, SymKind};

pub const NIL: usize = usize::MAX;

/// The row every SVE instruction takes: its encodings are matched later.
static SVE: Row = Row::new(0, [115; 5], 127, 4, 0, 0, 0);

/// What the passes know about one instruction besides its `Prog` (which
/// sits at the same index of [`Arena::progs`]): kept apart from the `Prog`s
/// so that the function's instructions are never moved to build the arena.
#[derive(Clone, Copy, Debug)]
pub struct Node {
    pub next: usize,
    /// Branch target node.
    pub target: Option<usize>,
    /// The pool entry this instruction loads.
    pub pool: Option<usize>,
    /// The form row chosen, and the class of `from` it was chosen with.
    pub row: Option<(&'static Row, u8)>,
    /// The bytes of the row's encoding, set with `row` (each pass asks).
    pub size: u32,
    pub pc: i64,
    /// An END turned NOP: not in Go's instruction list, so not listed by `-S`.
    pub end: bool,
    /// Go's `Spadj`: how much the instruction moves SP (frame code, `ADD/SUB $c, RSP`).
    pub spadj: i32,
}

impl Node {
    const NEW: Node = Node { next: NIL, target: None, pool: None, row: None, size: 0, pc: 0, end: false, spadj: 0 };
}

/// The instructions of a function: node `i` is `progs[i]`.
pub struct Arena {
    pub nodes: Vec<Node>,
    pub progs: Progs,
}

/// The `Prog`s of the nodes: the function's own list as the parser left it
/// (nodes 1..=n; moving or growing it would copy every instruction), and
/// the TEXT line (node 0) and the instructions the passes add after them.
pub struct Progs {
    pub list: Vec<Prog>,
    pub extra: Vec<Prog>,
}

impl Progs {
    /// Every node's `Prog`, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Prog> {
        self.list.iter().chain(&self.extra)
    }
    /// Where node `i` lives in `extra` (TEXT and added nodes) when it is
    /// not in `list` (node 0 wraps to past the end of `list`).
    fn extra_index(&self, i: usize) -> usize {
        i.saturating_sub(self.list.len())
    }
}

impl std::ops::Index<usize> for Progs {
    type Output = Prog;
    fn index(&self, i: usize) -> &Prog {
        match self.list.get(i.wrapping_sub(1)) {
            Some(p) => p,
            None => &self.extra[self.extra_index(i)],
        }
    }
}

impl std::ops::IndexMut<usize> for Progs {
    fn index_mut(&mut self, i: usize) -> &mut Prog {
        let j = self.extra_index(i);
        match self.list.get_mut(i.wrapping_sub(1)) {
            Some(p) => p,
            None => &mut self.extra[j],
        }
    }
}

impl Arena {
    /// Adds `p` as a node linked to nothing yet.
    pub fn push(&mut self, p: Prog) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node::NEW);
        self.progs.extra.push(p);
        id
    }
    /// Inserts `p` after node `at`, returning the new node.
    pub fn insert_after(&mut self, at: usize, p: Prog) -> usize {
        let id = self.push(p);
        self.nodes[id].next = self.nodes[at].next;
        self.nodes[at].next = id;
        id
    }
    pub fn last(&self) -> usize {
        let mut i = 0;
        while self.nodes[i].next != NIL {
            i = self.nodes[i].next;
        }
        i
    }
}

/// Per-function state shared by the passes.
pub struct FuncCx {
    pub autosize: i64,
    pub extrasize: i64,
    /// The TEXT attributes preprocessing settled (Go's NOSPLIT, LEAF, NOFRAME), for `-S`.
    pub flags: i64,
}

fn op(p: &Prog) -> i64 {
    p.op.0 as i64
}

/// Go's rewrites of single instructions before the frame pass.
fn progedit(m: &mut Module, p: &mut Prog, consts: &mut Vec<(SymId, i64)>) {
    const ZR_OPS: [i64; 18] = [
        k::AMOVD, k::AMOVW, k::AMOVWU, k::AMOVH, k::AMOVHU, k::AMOVB, k::AMOVBU, k::ASBC, k::ASBCW, k::ASBCS,
        k::ASBCSW, k::AADC, k::AADCW, k::AADCS, k::AADCSW, k::AFMOVD, k::AFMOVS, k::AMSR,
    ];
    let o = op(p);
    if matches!(o, g::AJMP | g::ACALL | g::ARET) && p.to.sym.is_some() {
        p.to.ty = AddrType::Branch;
    }
    // Every other rewrite is of a constant source.
    if !matches!(p.from.ty, AddrType::Const | AddrType::FConst) {
        return;
    }
    if p.from.ty == AddrType::Const && p.from.offset == 0 && ZR_OPS.contains(&o) {
        p.from.ty = AddrType::Reg;
        p.from.reg = Reg(k::REGZERO as u16);
    }
    let mut to_mem = |p: &mut Prog, name: String, bytes: Vec<u8>, align: i64| {
        let id = m.syms.lookup(&name, Some(u32::MAX));
        let s = m.syms.get_mut(id);
        if s.kind == SymKind::Undefined {
            s.kind = SymKind::Rodata;
            s.size = bytes.len() as i64;
            s.data = bytes;
            s.flags = flags::DUPOK | flags::RODATA;
            m.data.push(id);
            consts.push((id, align));
        }
        p.from = Addr { ty: AddrType::Mem, name: AddrName::Extern, sym: Some(id), ..Default::default() };
    };
    match o {
        k::AVMOVS if p.from.ty == AddrType::Const => {
            let v = p.from.offset;
            to_mem(p, format!("$i32.{:08x}", v as u32), (v as u32).to_le_bytes().to_vec(), 4);
        }
        k::AVMOVD if p.from.ty == AddrType::Const => {
            let v = p.from.offset;
            to_mem(p, format!("$i64.{:016x}", v as u64), v.to_le_bytes().to_vec(), 8);
        }
        k::AVMOVQ if p.from.ty == AddrType::Const => {
            let hi = p.rest.first().map_or(0, |a| a.0.offset);
            let lo = p.from.offset;
            let mut b = lo.to_le_bytes().to_vec();
            b.extend_from_slice(&hi.to_le_bytes());
            to_mem(p, format!("$i128.{:016x}{:016x}", hi as u64, lo as u64), b, 16);
            p.rest.clear();
        }
        k::AFMOVS | k::AFMOVD if p.from.ty == AddrType::FConst => {
            let f = match p.from.val {
                AddrVal::Float(f) => f,
                _ => 0.0,
            };
            if super::enc::fp_imm8(f).is_some_and(|v| v > 0) {
                return;
            }
            if o == k::AFMOVS {
                let b = (f as f32).to_bits();
                if b == 0 {
                    p.from = Addr::reg(Reg(k::REGZERO as u16));
                    return;
                }
                to_mem(p, format!("$f32.{b:08x}"), b.to_le_bytes().to_vec(), 4);
            } else {
                let b = f.to_bits();
                if b == 0 {
                    p.from = Addr::reg(Reg(k::REGZERO as u16));
                    return;
                }
                to_mem(p, format!("$f64.{b:016x}"), b.to_le_bytes().to_vec(), 8);
            }
        }
        _ => {}
    }
}

/// Form lookup and sizing for one function.
struct Lay<'a> {
    cx: Cx<'a>,
    consts: &'a [(SymId, i64)],
}

impl Lay<'_> {
    /// Looks up (and caches) the form of a node.
    fn row(&self, n: &mut Node, p: &Prog) -> Result<(&'static Row, u8), String> {
        if let Some(r) = n.row {
            return Ok(r);
        }
        if super::sve::is_sve(p.op.0) && super::sve::enabled() {
            n.row = Some((&SVE, c::C_GOK));
            n.size = self.row_size(&SVE, p);
            return Ok((&SVE, c::C_GOK));
        }
        let (a1, _) = self.cx.class_of_from(p);
        let a2 = if p.reg.0 != 0 { super::class::rclass(p.reg.0 as i64) } else { c::C_NONE };
        // The extra operands (most instructions have none: the tag says so
        // without making a slice).
        let (a3, a5_rest) = if matches!(p.rest, crate::prog::Rest::Empty) {
            (c::C_NONE, c::C_NONE)
        } else {
            let rest: &[(Addr, crate::prog::ArgDir)] = &p.rest;
            let rest_class = |dir| rest.iter().find(|a| a.1 == dir).map_or(c::C_NONE, |a| self.cx.aclass(&a.0).0);
            (rest_class(crate::prog::ArgDir::Source), rest_class(crate::prog::ArgDir::Destination))
        };
        let (a4, _) = self.cx.class_of_to(p);
        let a5 = if p.reg_to2.0 != 0 { super::class::rclass(p.reg_to2.0 as i64) } else { a5_rest };
        let cls = [a1, a2, a3, a4, a5];
        match optab::lookup(p.op.0, cls, p.scond as u8) {
            Some(i) => {
                let row = &ROWS[i];
                n.row = Some((row, a1));
                n.size = self.row_size(row, p);
                Ok((row, a1))
            }
            None => {
                // Like Go, carry on with an UNDEF in its place so later
                // errors are still found.
                let undef = optab::lookup(g::AUNDEF as u16, [c::C_NONE; 5], 0).expect("UNDEF has a form");
                n.row = Some((&ROWS[undef], a1));
                n.size = self.row_size(&ROWS[undef], p);
                let classes = cls.iter().map(|&x| class_name(x)).collect::<Vec<_>>().join(" ");
                Err(format!("illegal combination: {} {classes} (no {} form takes these operands)", op_name(p.op), op_name(p.op)))
            }
        }
    }

    /// Bytes the node occupies at `pc`.
    fn size(&self, n: &mut Node, p: &Prog, pc: i64) -> Result<i64, String> {
        // Later passes ask again: a node with a form has its size (the form
        // is only looked up for instructions, whose op no pass changes).
        if n.row.is_some() {
            return Ok(i64::from(n.size));
        }
        self.size_first(n, p, pc)
    }

    /// [`Self::size`] of a node without a form yet; out of line, so the
    /// repeated asks stay short.
    #[inline(never)]
    fn size_first(&self, n: &mut Node, p: &Prog, pc: i64) -> Result<i64, String> {
        match op(p) {
            g::APCALIGN | g::APCALIGNMAX => Ok(align_pad(p, pc)?),
            g::ANOP | g::AFUNCDATA | g::APCDATA | g::ATEXT => Ok(0),
            _ => {
                self.row(n, p)?;
                Ok(i64::from(n.size))
            }
        }
    }

    #[inline]
    fn row_size(&self, row: &Row, p: &Prog) -> u32 {
        // Only the forms of a symbol's address can differ from the row's size.
        if row.a[0] != c::C_ADDR && row.a[3] != c::C_ADDR {
            return row.size as u32;
        }
        self.addr_row_size(row, p)
    }

    /// [`Self::row_size`] of a form that takes a symbol's address: a load
    /// or store of an aligned offset needs no extra instruction.
    #[inline(never)]
    fn addr_row_size(&self, row: &Row, p: &Prog) -> u32 {
        if let Some(sz) = super::ops::movesize(op(p)).filter(|&s| s <= 3) {
            let align = 1i64 << sz;
            let ok = |a: &Addr| {
                if a.offset % align != 0 {
                    return false;
                }
                match a.sym.and_then(|s| self.consts.iter().find(|c| c.0 == s)) {
                    Some(&(_, al)) => al >= align,
                    None => true,
                }
            };
            if row.a[0] == c::C_ADDR && ok(&p.from) || row.a[3] == c::C_ADDR && ok(&p.to) {
                return 8;
            }
        }
        row.size as u32
    }
}

fn align_pad(p: &Prog, pc: i64) -> Result<i64, String> {
    let a = p.from.offset;
    if !(a & (a - 1) == 0 && (8..=2048).contains(&a)) {
        return Err(format!("alignment value of an instruction must be a power of two and in the range [8, 2048], got {a}"));
    }
    let lob = pc & (a - 1);
    if op(p) == g::APCALIGN {
        return Ok(if lob != 0 { a - lob } else { 0 });
    }
    let s = p.to.offset;
    if s < 0 || s >= a {
        return Err(format!("PCALIGNMAX 'amount' {s} must be non-negative and smaller than the alignment {a}"));
    }
    Ok(if s >= a - lob { a - lob } else { 0 })
}

pub fn op_name(o: Op) -> String {
    arch_tables::spec(arch_tables::GoArch::Arm64, false).op_name(o).to_string()
}

pub fn class_name(x: u8) -> String {
    for (n, v) in k::all().iter() {
        if n.starts_with("C_") && *v == x as i64 && !matches!(*n, "C_XPRE" | "C_XPOST") {
            return n.to_string();
        }
    }
    format!("C_{x}")
}

/// Assembles one TEXT symbol.
pub fn assemble_func(m: &mut Module, fi: usize, ctxt: &Ctxt, diags: &mut Diags) {
    // The instructions stay in their list, which becomes the arena's
    // (TEXT in front); on an error they go back, as edited, for the
    // diagnostics' notes.
    let mut progs = std::mem::take(&mut m.funcs[fi].progs);
    crate::pass::collapse_jump_chains(&mut progs);
    // Diagnostics of this function need its instructions (`discard_progs`).
    let diags_before = diags.list.len();
    let func = m.funcs[fi].clone();
    let mut consts = Vec::new();
    let n = progs.len();
    let mut text = Prog::new(Op(g::ATEXT as u16), func.span);
    text.to = Addr { ty: AddrType::TextSize, offset: func.frame, ..Default::default() };
    let mut extra = Vec::with_capacity(16);
    extra.push(text);
    let mut arena = Arena { nodes: Vec::with_capacity(n + 17), progs: Progs { list: progs, extra } };
    arena.nodes.resize(n + 1, Node::NEW);
    let restore = |m: &mut Module, arena: &mut Arena| {
        m.funcs[fi].progs = std::mem::take(&mut arena.progs.list);
    };
    // What Go appends after the last instruction takes that one's
    // position (the one before, TEXT for the first).
    let mut prev_span = func.span;
    for (i, p) in arena.progs.list.iter_mut().enumerate() {
        let end = op(p) == g::AEND;
        if end {
            // END ends the list; Go drops it before the backend sees it.
            p.op = Op(g::ANOP as u16);
            p.span = prev_span;
        }
        progedit(m, p, &mut consts);
        prev_span = p.span;
        let node = &mut arena.nodes[i + 1];
        node.end = end;
        node.next = if i + 1 < n { i + 2 } else { NIL };
        // A jump's target, or ADR/ADRP's label. Go resolves `N(PC)` only for
        // jumps: ADR's `N(PC)` keeps no target and encodes a zero offset.
        let tv = match (&p.to.val, &p.from.val) {
            (AddrVal::Target(t), _) => Some(*t as usize),
            (_, AddrVal::Target(t)) if p.from.offset == 0 => Some(*t as usize),
            _ => None,
        };
        if let Some(t) = tv.filter(|&t| t < n) {
            node.target = Some(t + 1);
        }
    }
    arena.nodes[0].next = if n > 0 { 1 } else { NIL };

    let mut errs = Vec::new();
    if ctxt.dynlink {
        use_got(m, &mut arena, &mut errs);
    }
    let mut fcx = FuncCx { autosize: 0, extrasize: 0, flags: 0 };
    super::frame::preprocess(m, &func, &mut arena, &mut fcx, ctxt, &mut errs);
    let failed = !errs.is_empty();
    for d in errs {
        diags.push(d);
    }
    let lay = Lay {
        cx: Cx { syms: &m.syms, autosize: fcx.autosize, extrasize: fcx.extrasize, shared: ctxt.shared || ctxt.dynlink },
        consts: &consts,
    };
    let laid = lay_out(&lay, &mut arena, diags);
    let Some(Laid { code, relocs, lines, align }) = laid.filter(|_| !failed) else {
        restore(m, &mut arena);
        return;
    };
    if let Some(d) = spadj_overflow(&arena) {
        diags.push(d);
        restore(m, &mut arena);
        return;
    }
    let s = m.syms.get_mut(func.sym);
    s.kind = SymKind::Text;
    s.size = code.len() as i64;
    s.data = code;
    s.relocs = relocs;
    s.lines = lines;
    s.align = align;
    // The function as encoded, for the listing: Go's TEXT after preprocessing
    // (prologue, expanded RETs, pool entries), each with its pc.
    let f = &mut m.funcs[fi];
    if !(ctxt.discard_progs && diags.list.len() == diags_before) {
        f.progs = encoded_progs(&mut arena);
    }
    f.frame = fcx.autosize;
    f.flags |= fcx.flags;
}

/// Go's pcsp table check (`pctospadj`): the running SP adjustment, in int32,
/// must stay within [-10000, 1100000000].
fn spadj_overflow(ar: &Arena) -> Option<Diag> {
    // A running sum stays within ± the sum of the magnitudes: most
    // functions need no walk of the list.
    if ar.nodes.iter().map(|n| i64::from(n.spadj).abs()).sum::<i64>() <= 10000 {
        return None;
    }
    let mut v = 0i32;
    let mut i = ar.nodes[0].next;
    while i != NIL {
        let n = &ar.nodes[i];
        let w = v.wrapping_add(n.spadj);
        if !(-10000..=1_100_000_000).contains(&w) {
            return Some(Diag::error(ar.progs[i].span, format!("overflow in spadj: {v} + {} = {w}", n.spadj)));
        }
        v = w;
        i = n.next;
    }
    None
}

/// The instructions of the laid-out arena in order, with branch targets as
/// indices into the result. Literal-pool entries, which Go makes without a
/// position, list at the position of the instruction before them as in Go's
/// listing.
fn encoded_progs(ar: &mut Arena) -> Vec<Prog> {
    // Which nodes are pool entries: a flag per node (a hashed set cost a
    // SipHash per instruction).
    let mut entries = vec![false; ar.nodes.len()];
    for e in ar.nodes.iter().filter_map(|n| n.pool) {
        entries[e] = true;
    }
    let mut order = Vec::with_capacity(ar.nodes.len());
    let mut index = vec![usize::MAX; ar.nodes.len()];
    let mut i = ar.nodes[0].next;
    while i != NIL {
        if !ar.nodes[i].end {
            index[i] = order.len();
            order.push(i);
        }
        i = ar.nodes[i].next;
    }
    let mut span = ar.progs[0].span;
    order
        .iter()
        .map(|&i| {
            let n = &ar.nodes[i];
            let mut p = std::mem::take(&mut ar.progs[i]);
            p.pc = n.pc;
            if entries[i] {
                p.span = span;
            }
            span = p.span;
            if let Some(t) = n.target.filter(|&t| index[t] != usize::MAX) {
                if p.to.ty == AddrType::Branch && p.to.sym.is_none() {
                    p.to.val = AddrVal::Target(index[t] as u32);
                }
            }
            p
        })
        .collect()
}

/// The literal pool being collected: entry nodes not yet placed, their
/// total size, and the offset of the first instruction that uses them.
struct Pool {
    entries: Vec<usize>,
    size: u32,
    start: u32,
}

/// Code, relocations, and the source of each instruction by offset.
/// A function laid out and encoded.
struct Laid {
    code: Vec<u8>,
    relocs: Vec<Reloc>,
    lines: Vec<(u32, Span)>,
    /// The largest PCALIGN/PCALIGNMAX value (0: none): the function's alignment.
    align: u32,
}

fn lay_out(sp: &Lay, ar: &mut Arena, diags: &mut Diags) -> Option<Laid> {
    // This function's errors only: earlier functions' must not empty it.
    let errors0 = diags.error_count();
    // Pass 1: sizes, literal pool placement.
    let mut pool = Pool { entries: Vec::new(), size: 0, start: 0 };
    let mut pc = 0i64;
    // The flags of the short conditional branches seen (for pass 2).
    let mut branch_flags = 0;
    // Whether a size failed: it counted 0 here, but its UNDEF's size later.
    let mut failed = false;
    // Only this loop's errors can bring the diagnostics to the limit.
    let mut too_many = diags.too_many();
    let mut i = ar.nodes[0].next;
    while i != NIL {
        ar.nodes[i].pc = pc;
        let sz = match sp.size(&mut ar.nodes[i], &ar.progs[i], pc) {
            Ok(s) => s,
            Err(e) => {
                diags.push(Diag::error(ar.progs[i].span, e));
                too_many = diags.too_many();
                failed = true;
                0
            }
        };
        if let Some((row, _)) = ar.nodes[i].row {
            if ar.nodes[i].target.is_some() {
                branch_flags |= row.flag;
            }
            if row.flag & flag::LFROM != 0 {
                let a = ar.progs[i].from.clone();
                add_pool(sp, ar, i, &a, &mut pool);
            }
            if row.flag & flag::LTO != 0 {
                let a = ar.progs[i].to.clone();
                add_pool(sp, ar, i, &a, &mut pool);
            }
        }
        if !pool.entries.is_empty() {
            let disp = pc + 4 + pool.size as i64 - pool.start as i64 + 8;
            let in_range = -512 * 1024 < disp && disp < 512 * 1024 && disp & 3 == 0;
            if pool.size >= 0xffff0 || !in_range || ar.nodes[i].next == NIL {
                flush_pool(ar, i, &mut pool);
            }
        }
        pc += sz;
        i = ar.nodes[i].next;
        if too_many {
            return None;
        }
    }
    // Pass 2: conditional branches out of range get a trampoline. None can
    // be when the whole function is shorter than their reach (the pcs and
    // sizes of pass 1 then stand, unless a size failed).
    let reach = if branch_flags & flag::BRANCH14 != 0 {
        (1 << 15) - 10
    } else if branch_flags & flag::BRANCH19 != 0 {
        (1 << 20) - 10
    } else {
        i64::MAX
    };
    let end_pc = if pc < reach && !failed { pc } else { loop {
        let mut changed = false;
        let mut pc = 0i64;
        let mut i = ar.nodes[0].next;
        while i != NIL {
            ar.nodes[i].pc = pc;
            if let (Some((row, _)), Some(t)) = (ar.nodes[i].row, ar.nodes[i].target) {
                let f = row.flag;
                let d = ar.nodes[t].pc - pc;
                let far = if f & flag::BRANCH14 != 0 {
                    d <= -(1 << 15) + 10 || d >= (1 << 15) - 10
                } else if f & flag::BRANCH19 != 0 {
                    d <= -(1 << 20) + 10 || d >= (1 << 20) - 10
                } else {
                    false
                };
                if far {
                    // Like Go's, the trampoline has no source line of its own.
                    let mut b = Prog::new(Op(g::AJMP as u16), Span::DUMMY);
                    b.to.ty = AddrType::Branch;
                    // i: B.cond far → i: B.cond q; skip: B next; q: B far
                    let q = ar.insert_after(i, b.clone());
                    ar.nodes[q].target = Some(t);
                    ar.nodes[i].target = Some(q);
                    let skip = ar.insert_after(i, b);
                    ar.nodes[skip].target = Some(ar.nodes[q].next);
                    changed = true;
                }
            }
            let sz = sp.size(&mut ar.nodes[i], &ar.progs[i], pc).unwrap_or(0);
            pc += sz;
            i = ar.nodes[i].next;
        }
        if !changed {
            break pc;
        }
    } };
    // Pass 3: emission.
    // The code is written in place into a zeroed buffer of the laid-out
    // size, as Go does: a shorter sequence than the row's size (a constant
    // that needed fewer MOVs, into ZR) ends in zeros, and so does an
    // instruction that failed.
    let mut code: Vec<u8> = vec![0; end_pc as usize];
    // How far the code is written (the pc layout expects next).
    let mut at = 0i64;
    let mut relocs = Vec::new();
    let mut enc_relocs = Vec::new();
    let mut align = 0u32;
    let mut lines = Vec::with_capacity(ar.nodes.len());
    let mut next = ar.nodes[0].next;
    while next != NIL {
        let i = next;
        let n = &ar.nodes[i];
        next = n.next;
        let p = &ar.progs[i];
        let pc = n.pc;
        match op(p) {
            g::APCALIGN | g::APCALIGNMAX => {
                let v = align_pad(p, pc).unwrap_or(0);
                // Within [8, 2048] (align_pad checked it in pass 1).
                align = align.max(p.from.offset as u32);
                for w in code[pc as usize..(pc + v) as usize].chunks_exact_mut(4) {
                    w.copy_from_slice(&NOOP.to_le_bytes());
                }
                at += v & !3;
                continue;
            }
            g::ANOP | g::AFUNCDATA | g::APCDATA => continue,
            _ => {}
        }
        let Some((row, from_cls)) = n.row else { continue };
        let pool = n.pool.map(|q| {
            let e = &ar.progs[q];
            PoolRef { pc: ar.nodes[q].pc, dword: op(e) == k::ADWORD, value: e.to.offset }
        });
        let target = n.target.map(|t| ar.nodes[t].pc);
        let size = n.size;
        let mut e = Enc {
            cx: &sp.cx,
            p,
            row,
            from_cls,
            size,
            pc,
            target,
            pool,
            relocs: &mut enc_relocs,
            err: None,
        };
        let words = e.encode();
        if let Some(msg) = e.err.take() {
            enc_relocs.clear();
            diags.push(Diag::error(p.span, msg));
            if diags.too_many() {
                return None;
            }
            at += i64::from(size);
            continue;
        }
        if words.len() as u32 * 4 > size || size % 4 != 0 {
            enc_relocs.clear();
            diags.push(Diag::error(
                p.span,
                format!("internal error: {} encoded as {} bytes, laid out as {size}", op_name(p.op), words.len() * 4),
            ));
            continue;
        }
        if at != pc {
            diags.push(Diag::error(p.span, "internal error: layout and emission disagree"));
            return None;
        }
        if !enc_relocs.is_empty() {
            for EncReloc { off, size, kind, sym, add } in enc_relocs.drain(..) {
                relocs.push(Reloc { off: pc as u32 + off, size, kind, sym, add });
            }
        }
        if size != 0 {
            lines.push((pc as u32, p.span));
        }
        let at_pc = &mut code[pc as usize..];
        if let [w] = *words {
            at_pc[..4].copy_from_slice(&w.to_le_bytes());
        } else {
            for (b, w) in at_pc.chunks_exact_mut(4).zip(words.iter()) {
                b.copy_from_slice(&w.to_le_bytes());
            }
        }
        at += i64::from(size);
    }
    if diags.error_count() > errors0 {
        return None;
    }
    while !code.len().is_multiple_of(16) {
        code.push(0);
    }
    Some(Laid { code, relocs, lines, align })
}

/// Go's addpool: node `i` loads `a` from the pool; reuses an equal entry.
fn add_pool(sp: &Lay, ar: &mut Arena, i: usize, a: &Addr, pool: &mut Pool) {
    let (cls, lit) = sp.cx.aclass(a);
    let p = &ar.progs[i];
    let wide = lit != lit as i32 as i64 && lit as u64 != lit as u32 as u64;
    let dword = if a.ty == AddrType::Const {
        wide
    } else {
        op(p) == k::AMOVD && a.ty != AddrType::Mem
            || cls == c::C_ADDR
            || cls == c::C_VCON
            || lit != lit as i32 as i64
            || lit as u64 != lit as u32 as u64
    };
    for &q in &pool.entries {
        if ar.progs[q].to.offset == lit {
            ar.nodes[i].pool = Some(q);
            return;
        }
    }
    let span = p.span;
    let mut t = Prog::new(Op(if dword { k::ADWORD } else { k::AWORD } as u16), span);
    t.to = Addr::constant(lit);
    let id = ar.push(t);
    if pool.entries.is_empty() {
        pool.start = ar.nodes[i].pc as u32;
    }
    pool.entries.push(id);
    if dword {
        pool.size = (pool.size + 7) & !7;
    }
    pool.size += if dword { 8 } else { 4 };
    ar.nodes[i].pool = Some(id);
}

fn flush_pool(ar: &mut Arena, i: usize, pool: &mut Pool) {
    let o = op(&ar.progs[i]);
    let mut chain: Vec<usize> = Vec::new();
    if !(o == g::AJMP || o == g::ARET || o == k::AERET) {
        let span = ar.progs[i].span;
        let next = ar.nodes[i].next;
        let q = if next == NIL {
            Prog::new(Op(g::AUNDEF as u16), span)
        } else {
            let mut b = Prog::new(Op(g::AJMP as u16), span);
            b.to.ty = AddrType::Branch;
            b
        };
        let id = ar.push(q);
        if next != NIL {
            ar.nodes[id].target = Some(next);
        }
        chain.push(id);
    }
    chain.append(&mut pool.entries);
    let after = ar.nodes[i].next;
    let mut prev = i;
    for &q in &chain {
        ar.nodes[prev].next = q;
        prev = q;
    }
    ar.nodes[prev].next = after;
    pool.size = 0;
    pool.start = 0;
}

/// `-dynlink`: references to global data go through the GOT (Go's
/// rewriteToUseGot): `MOVD $sym, R` loads the GOT slot, and a load or store
/// of `sym` first loads its address into REGTMP.
fn use_got(m: &Module, ar: &mut Arena, errs: &mut Vec<Diag>) {
    let global = |a: &Addr| {
        a.name == AddrName::Extern && a.sym.is_some_and(|s| !m.syms.get(s).is_static)
    };
    let mut i = ar.nodes[0].next;
    while i != NIL {
        let span = ar.progs[i].span;
        let p = ar.progs[i].clone();
        let o = op(&p);
        if p.from.ty == AddrType::Addr && global(&p.from) {
            if o != k::AMOVD {
                errs.push(Diag::error(span, "do not know how to handle TYPE_ADDR with -dynlink"));
            }
            if p.to.ty != AddrType::Reg {
                errs.push(Diag::error(span, "do not know how to handle LEAQ-type insn to non-register with -dynlink"));
            }
            let off = p.from.offset;
            {
                let f = &mut ar.progs[i].from;
                f.ty = AddrType::Mem;
                f.name = AddrName::GotRef;
                f.offset = 0;
            }
            if off != 0 {
                let mut q = Prog::new(Op(k::AADD as u16), span);
                q.from = Addr::constant(off);
                q.to = p.to.clone();
                ar.insert_after(i, q);
            }
        }
        let p = ar.progs[i].clone();
        if p.rest.iter().any(|a| a.0.name == AddrName::Extern) {
            errs.push(Diag::error(span, "don't know how to handle this instruction with -dynlink"));
        }
        let from_src = global(&p.from);
        let to_src = global(&p.to);
        if from_src && to_src {
            errs.push(Diag::error(span, "cannot handle NAME_EXTERN on both sides with -dynlink"));
        }
        let source = if from_src { &p.from } else if to_src { &p.to } else {
            i = ar.nodes[i].next;
            continue;
        };
        let tls = source.sym.is_some_and(|s| m.syms.get(s).kind == SymKind::TlsBss);
        if matches!(o, g::ATEXT | g::AFUNCDATA | g::ACALL | g::ARET | g::AJMP) || tls {
            i = ar.nodes[i].next;
            continue;
        }
        if source.ty != AddrType::Mem {
            errs.push(Diag::error(span, "don't know how to handle this instruction with -dynlink"));
        }
        let mut p1 = Prog::new(Op(k::AMOVD as u16), span);
        p1.from = Addr { ty: AddrType::Mem, name: AddrName::GotRef, sym: source.sym, ..Default::default() };
        p1.to = Addr::reg(Reg(k::REGTMP as u16));
        let mut p2 = p.clone();
        let side = if from_src { &mut p2.from } else { &mut p2.to };
        side.reg = Reg(k::REGTMP as u16);
        side.name = AddrName::None;
        side.sym = None;
        let a = ar.insert_after(i, p1);
        let b = ar.insert_after(a, p2);
        ar.nodes[b].target = ar.nodes[i].target;
        let n = &mut ar.progs[i];
        *n = Prog::new(Op(g::ANOP as u16), span);
        i = ar.nodes[b].next;
    }
}
