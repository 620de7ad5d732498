//! The `-S` listing, in the format of `go tool asm -S`, so the two can be
//! compared line by line.

use std::fmt::Write;

use arch_tables::GoArch;

use asm_lexer::Span;

use crate::addr::{AddrType, AddrVal};
use crate::module::{Func, Module, ARGS_SIZE_UNKNOWN};
use crate::prog::Prog;
use crate::sym::{flags, RelocKind, SymId, SymKind};

/// Go's name of a relocation kind.
pub fn reloc_name(k: RelocKind) -> &'static str {
    match k {
        RelocKind::Addr => "R_ADDR",
        RelocKind::Call => "R_CALL",
        RelocKind::Pcrel => "R_PCREL",
        RelocKind::Arch(n) => n,
    }
}

/// How a front end prints what `obj` cannot: instructions (Go's
/// `Prog.String` text) and source positions (`file.s:LINE`).
pub struct TextFormat<'a> {
    pub insn: &'a dyn Fn(&Prog) -> String,
    pub pos: &'a dyn Fn(Span) -> String,
}

/// The listing of a TEXT symbol as `go tool asm -S` prints it: the header,
/// the TEXT line and each instruction with its pc and position, then the
/// bytes and relocations. Branch targets print as the target's pc.
pub fn list_text(m: &Module, f: &Func, fmt: &TextFormat<'_>) -> String {
    let mut out = String::new();
    let s = m.syms.get(f.sym);
    let mut attrs = String::new();
    if f.flags & flags::NOSPLIT != 0 {
        attrs.push_str("nosplit ");
    }
    // arm64 counts the saved LR in the frame (TEXT prints it) but not in Go's `Locals`.
    let locals = if m.arch == GoArch::Arm64 && f.frame != 0 { f.frame - 8 } else { f.frame };
    header(&mut out, m, f.sym, &attrs);
    let args = i64::from(f.args) as u64;
    // Go's FuncID: only wrappers get one from their TEXT flags.
    let funcid = if f.flags & flags::WRAPPER != 0 { 0x17 } else { 0 };
    let leaf = if f.flags & flags::LEAF != 0 { " leaf" } else { "" };
    let _ = writeln!(out, " args={args:#x} locals={locals:#x} funcid={funcid:#x}{leaf}");
    let name = if s.is_static { format!("{}<>", s.name) } else { s.name.clone() };
    let names: Vec<&str> = TEXT_FLAGS.iter().filter(|(bit, _)| f.flags & bit != 0).map(|(_, n)| *n).collect();
    let mut text = format!("TEXT\t{name}(SB), ");
    if !names.is_empty() {
        let _ = write!(text, "{}, ", names.join("|"));
    }
    let _ = write!(text, "${}", f.frame);
    if f.args != ARGS_SIZE_UNKNOWN {
        let _ = write!(text, "-{}", f.args);
    }
    let _ = writeln!(out, "\t{:#06x} {:05} ({})\t{text}", 0, 0, (fmt.pos)(f.span));
    for p in &f.progs {
        let mut q = p.clone();
        let target_pc = |t: u32| f.progs.get(t as usize).map_or(s.size, |t| t.pc) as u32;
        if let (AddrType::Branch, AddrVal::Target(t), None) = (q.to.ty, &q.to.val, q.to.sym) {
            q.to.val = AddrVal::Target(target_pc(*t));
        }
        // arm64 ADR/ADRP: a label prints as its pc, `N(PC)` as written (Go resolves no target).
        if let (AddrType::Branch, AddrVal::Target(t), None) = (q.from.ty, &q.from.val, q.from.sym) {
            q.from.val = if q.from.offset == 0 { AddrVal::Target(target_pc(*t)) } else { AddrVal::None };
        }
        let _ = writeln!(out, "\t{:#06x} {:05} ({})\t{}", p.pc, p.pc, (fmt.pos)(p.span), (fmt.insn)(&q));
    }
    list_bytes(&mut out, m, f.sym);
    out
}

/// Go's names of the TEXT flags, in the order its listing prints them.
const TEXT_FLAGS: [(i64, &str); 9] = [
    (flags::DUPOK, "DUPOK"),
    (flags::NOSPLIT, "NOSPLIT"),
    (flags::LEAF, "LEAF"),
    (flags::REFLECTMETHOD, "REFLECTMETHOD"),
    (flags::WRAPPER, "WRAPPER"),
    (flags::NEEDCTXT, "NEEDCTXT"),
    (flags::NOFRAME, "NOFRAME"),
    (flags::ABIWRAPPER, "ABIWRAPPER"),
    (flags::PKGINIT, "PKGINIT"),
];

/// The start of a symbol's header line, up to its alignment.
fn header(out: &mut String, m: &Module, id: SymId, attrs: &str) {
    let s = m.syms.get(id);
    let _ = write!(out, "{} ", s.name);
    if s.kind != SymKind::Undefined {
        let _ = write!(out, "{} ", s.kind.go_name());
    }
    if s.is_static {
        out.push_str("static ");
    }
    if s.dupok() {
        out.push_str("dupok ");
    }
    out.push_str(attrs);
    if s.kind == SymKind::Text {
        out.push_str("asm ");
    }
    let align = if s.kind == SymKind::Text { s.align } else { 0 };
    let _ = write!(out, "size={} align={:#x}", s.size, align);
}

/// Appends the listing of one symbol: header line, hex dump, relocations.
pub fn list_symbol(out: &mut String, m: &Module, id: SymId) {
    header(out, m, id, "");
    out.push('\n');
    list_bytes(out, m, id);
}

/// A symbol's hex dump and relocations.
fn list_bytes(out: &mut String, m: &Module, id: SymId) {
    let s = m.syms.get(id);
    for (i, chunk) in s.data.chunks(16).enumerate() {
        let _ = write!(out, "\t{:#06x}", i * 16);
        for b in chunk {
            let _ = write!(out, " {b:02x}");
        }
        for _ in chunk.len()..16 {
            out.push_str("   ");
        }
        out.push_str("  ");
        for &b in chunk {
            out.push(if (b' '..=0x7e).contains(&b) { b as char } else { '.' });
        }
        out.push('\n');
    }
    let mut relocs: Vec<_> = s.relocs.iter().collect();
    relocs.sort_by_key(|r| r.off);
    let hex_addend = matches!(m.arch, GoArch::Arm | GoArch::Ppc64 | GoArch::Ppc64le);
    for r in relocs {
        let name = m.syms.get(r.sym).name.as_str();
        // Go's listing calls the thread-local base symbol TLS.
        let name = if name == "runtime.tlsg" { "TLS" } else { name };
        if hex_addend {
            let _ = writeln!(out, "\trel {}+{} t={} {}+{:x}", r.off, r.size, reloc_name(r.kind), name, r.add as u64);
        } else {
            let _ = writeln!(out, "\trel {}+{} t={} {}+{}", r.off, r.size, reloc_name(r.kind), name, r.add);
        }
    }
}

/// The listing of every data symbol, in declaration order, as Go prints it
/// after the text symbols.
pub fn list_data(m: &Module) -> String {
    let mut out = String::new();
    let is_const = |s: &crate::sym::Symbol| s.name.starts_with('$') && s.kind == SymKind::Rodata;
    for &id in &m.data {
        if !is_const(m.syms.get(id)) {
            list_symbol(&mut out, m, id);
        }
    }
    // Then the constants the backends placed in memory (`$f64.…`, which the
    // arm64 backend also keeps in `m.data`): Go aligns them to their size and
    // calls them neither static nor dupok.
    for (id, s) in m.syms.iter() {
        if is_const(s) {
            let _ = writeln!(out, "{} {} size={} align={:#x}", s.name, s.kind.go_name(), s.size, s.size);
            list_bytes(&mut out, m, id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sym::flags;

    #[test]
    fn data_listing_matches_go_format() {
        let mut m = Module::new(GoArch::Amd64);
        let x = m.syms.lookup("p.x", None);
        let y = m.syms.lookup("p.y", None);
        m.syms.write_int(x, 0, 8, 1, false).unwrap();
        m.syms.write_addr(x, 8, 8, y, 0).unwrap();
        m.syms.write_float(x, 16, 4, 1.5, false).unwrap();
        m.syms.write_string(x, 20, 5, b"abc").unwrap();
        m.syms.globl(x, 32, flags::RODATA);
        m.syms.globl(y, 64, flags::NOPTR);
        m.data = vec![x, y];
        // Expected text taken from `go tool asm -S` on the same DATA/GLOBL lines.
        let want = "p.x SRODATA size=32 align=0x0\n\
\t0x0000 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n\
\t0x0010 00 00 c0 3f 61 62 63 00 00                       ...?abc..\n\
\trel 8+8 t=R_ADDR p.y+0\n\
p.y SNOPTRBSS size=64 align=0x0\n";
        assert_eq!(list_data(&m), want);
    }
}
