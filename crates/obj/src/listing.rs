//! The `-S` listing, in the format of `go tool asm -S`, so the two can be
//! compared line by line.

use std::fmt::Write;

use arch_tables::GoArch;

use crate::module::Module;
use crate::sym::{RelocKind, SymId, SymKind};

/// Go's name of a relocation kind.
pub fn reloc_name(k: RelocKind) -> &'static str {
    match k {
        RelocKind::Addr => "R_ADDR",
        RelocKind::Call => "R_CALL",
        RelocKind::Pcrel => "R_PCREL",
        RelocKind::Arch(n) => n,
    }
}

/// Appends the listing of one symbol: header line, hex dump, relocations.
/// Text symbols' instruction lines are the backend's business; this prints
/// the header and bytes of any symbol.
pub fn list_symbol(out: &mut String, m: &Module, id: SymId) {
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
    let _ = writeln!(out, "size={} align={:#x}", s.size, 0);
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
        let name = &m.syms.get(r.sym).name;
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
    for &id in &m.data {
        list_symbol(&mut out, m, id);
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
