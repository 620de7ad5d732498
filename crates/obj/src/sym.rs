//! Symbols, their data and relocations.

use std::collections::HashMap;

use asm_lexer::Span;

/// Index of a symbol in a [`SymTab`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SymId(pub u32);

/// TEXT and GLOBL flags, as `textflag.h` numbers them.
pub mod flags {
    pub const NOPROF: i64 = 1;
    pub const DUPOK: i64 = 2;
    pub const NOSPLIT: i64 = 4;
    pub const RODATA: i64 = 8;
    pub const NOPTR: i64 = 16;
    pub const WRAPPER: i64 = 32;
    pub const NEEDCTXT: i64 = 64;
    pub const LOCAL: i64 = 128;
    pub const TLSBSS: i64 = 256;
    pub const NOFRAME: i64 = 512;
    pub const REFLECTMETHOD: i64 = 1024;
    pub const TOPFRAME: i64 = 2048;
    pub const ABIWRAPPER: i64 = 4096;
    pub const PKGINIT: i64 = 8192;
    /// Not a TEXT flag: Go's `AttrLeaf`, which the arm64 backend sets for `-S`.
    pub const LEAF: i64 = 1 << 30;
}

/// What a symbol is, which decides its section.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SymKind {
    /// Referenced but not defined here.
    #[default]
    Undefined,
    Text,
    /// Initialised data that may hold pointers (`.data`).
    Data,
    /// Initialised data without pointers (NOPTR; `.data` too).
    NoPtrData,
    /// Zeroed data (`.bss`).
    Bss,
    /// Zeroed data without pointers (`.bss`).
    NoPtrBss,
    /// Read-only data (`.rodata`).
    Rodata,
    /// Thread-local zeroed word (`.tbss`).
    TlsBss,
    /// The absolute address 0: the target of Go's relocations that name no
    /// symbol (x86 `CALL $n` jumps to the address in the addend).
    Absolute,
}

impl SymKind {
    /// Go's name for the kind, as `-S` prints it.
    pub fn go_name(self) -> &'static str {
        match self {
            SymKind::Undefined => "Sxxx",
            SymKind::Text => "STEXT",
            SymKind::Data => "SDATA",
            SymKind::NoPtrData => "SNOPTRDATA",
            SymKind::Bss => "SBSS",
            SymKind::NoPtrBss => "SNOPTRBSS",
            SymKind::Rodata => "SRODATA",
            SymKind::TlsBss => "STLSBSS",
            SymKind::Absolute => "Sxxx",
        }
    }
}

/// Which ABI a TEXT symbol or reference uses (`<ABI0>`, `<ABIInternal>`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Abi {
    #[default]
    Abi0,
    Internal,
}

/// Relocation kinds, named after Go's `objabi` relocation types. Each backend
/// maps them to the native relocations of the object format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelocKind {
    /// Absolute address of `sym+add`, `size` bytes wide (R_ADDR).
    Addr,
    /// PC-relative call (R_CALL).
    Call,
    /// PC-relative reference (R_PCREL).
    Pcrel,
    /// Architecture-specific kind, by its Go name (filled in by backends).
    Arch(&'static str),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reloc {
    /// Offset in the symbol's data.
    pub off: u32,
    /// Width in bytes of the relocated field.
    pub size: u8,
    pub kind: RelocKind,
    pub sym: SymId,
    pub add: i64,
}

#[derive(Clone, Debug, Default)]
pub struct Symbol {
    /// The full name: `p.x` for `·x` with `-p p`, `x` for `x`, without `<>`.
    pub name: String,
    /// File-local (`x<>`): a local ELF symbol.
    pub is_static: bool,
    pub abi: Abi,
    pub kind: SymKind,
    /// Size in bytes; data beyond `data.len()` is zero.
    pub size: i64,
    pub data: Vec<u8>,
    pub relocs: Vec<Reloc>,
    /// TEXT or GLOBL flags as written.
    pub flags: i64,
    /// Where it was defined (TEXT or GLOBL), for "redeclared" errors.
    pub defined_at: Option<Span>,
    /// Whether DATA was written before a GLOBL declared it.
    pub has_data: bool,
    /// For TEXT: the offset of each instruction and its source (set by the
    /// backend; feeds the DWARF line table). Empty: the TEXT line covers all.
    pub lines: Vec<(u32, Span)>,
    /// For TEXT: the alignment its code needs, the largest PCALIGN (or
    /// PCALIGNMAX) value in it; 0: none (the architecture's default applies).
    pub align: u32,
}

impl Symbol {
    pub fn dupok(&self) -> bool {
        self.flags & flags::DUPOK != 0
    }
}

/// The symbols of one object. Static symbols are keyed by the file that
/// declares them, so `x<>` in two input files are two symbols.
#[derive(Debug, Default)]
pub struct SymTab {
    syms: Vec<Symbol>,
    index: HashMap<(String, Option<u32>), SymId>,
}

/// Error from a data write (Go's messages).
pub type DataError = String;

impl SymTab {
    pub fn new() -> SymTab {
        SymTab::default()
    }

    /// Looks up or creates the symbol. `static_file` is `Some(file)` for `x<>`.
    pub fn lookup(&mut self, name: &str, static_file: Option<u32>) -> SymId {
        if let Some(&id) = self.index.get(&(name.to_string(), static_file)) {
            return id;
        }
        let id = SymId(self.syms.len() as u32);
        self.syms.push(Symbol { name: name.to_string(), is_static: static_file.is_some(), ..Default::default() });
        self.index.insert((name.to_string(), static_file), id);
        id
    }

    /// The nameless absolute symbol of value 0, for relocations that name
    /// no symbol (Go lists them as `rel 1+4 t=R_PCREL +4`).
    pub fn absolute_zero(&mut self) -> SymId {
        let id = self.lookup("", None);
        self.syms[id.0 as usize].kind = SymKind::Absolute;
        id
    }

    pub fn get(&self, id: SymId) -> &Symbol {
        &self.syms[id.0 as usize]
    }

    pub fn get_mut(&mut self, id: SymId) -> &mut Symbol {
        &mut self.syms[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.syms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.syms.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (SymId, &Symbol)> {
        self.syms.iter().enumerate().map(|(i, s)| (SymId(i as u32), s))
    }

    /// Makes room for a write of `size` bytes at `off`, turning BSS into DATA
    /// as a write does in Go.
    fn prepare_write(&mut self, id: SymId, off: i64, size: usize) -> Result<&mut Symbol, DataError> {
        let s = &mut self.syms[id.0 as usize];
        if !(0..1 << 30).contains(&off) {
            return Err(format!("bad DATA offset {off} for {}", s.name));
        }
        match s.kind {
            SymKind::Undefined | SymKind::Bss => s.kind = SymKind::Data,
            SymKind::NoPtrBss => s.kind = SymKind::NoPtrData,
            SymKind::TlsBss => return Err(format!("cannot supply data for STLSBSS var {}", s.name)),
            _ => {}
        }
        s.has_data = true;
        let end = off as usize + size;
        if s.data.len() < end {
            s.data.resize(end, 0);
        }
        if (end as i64) > s.size {
            s.size = end as i64;
        }
        Ok(s)
    }

    /// `DATA sym+off(SB)/size, $value` with an integer value.
    pub fn write_int(&mut self, id: SymId, off: i64, size: usize, value: i64, big_endian: bool) -> Result<(), DataError> {
        if !matches!(size, 1 | 2 | 4 | 8) {
            return Err(format!("WriteInt: bad integer size: {size}"));
        }
        let s = self.prepare_write(id, off, size)?;
        let bytes = value.to_le_bytes();
        let dst = &mut s.data[off as usize..off as usize + size];
        dst.copy_from_slice(&bytes[..size]);
        if big_endian {
            dst.reverse();
        }
        Ok(())
    }

    /// `DATA sym+off(SB)/4|8, $1.5`.
    pub fn write_float(&mut self, id: SymId, off: i64, size: usize, value: f64, big_endian: bool) -> Result<(), DataError> {
        let bits = match size {
            4 => (value as f32).to_bits() as i64,
            8 => value.to_bits() as i64,
            _ => return Err(format!("bad float size {size}")),
        };
        self.write_int(id, off, size, bits, big_endian)
    }

    /// `DATA sym+off(SB)/size, $"str"`: the string, zero-padded to `size`.
    pub fn write_string(&mut self, id: SymId, off: i64, size: usize, value: &[u8]) -> Result<(), DataError> {
        if size < value.len() {
            return Err(format!("WriteString: bad string size: {size} < {}", value.len()));
        }
        let s = self.prepare_write(id, off, size)?;
        let o = off as usize;
        s.data[o..o + size].fill(0);
        s.data[o..o + value.len()].copy_from_slice(value);
        Ok(())
    }

    /// `DATA sym+off(SB)/ptrsize, $target+add(SB)`: zeros plus an R_ADDR relocation.
    pub fn write_addr(&mut self, id: SymId, off: i64, size: usize, target: SymId, add: i64) -> Result<(), DataError> {
        let s = self.prepare_write(id, off, size)?;
        s.data[off as usize..off as usize + size].fill(0);
        s.relocs.push(Reloc { off: off as u32, size: size as u8, kind: RelocKind::Addr, sym: target, add });
        Ok(())
    }

    /// `GLOBL sym(SB), flags, $size`: sets size and kind from the flags as Go does.
    pub fn globl(&mut self, id: SymId, size: i64, flag: i64) {
        let s = &mut self.syms[id.0 as usize];
        s.size = size;
        s.flags = flag;
        if s.kind == SymKind::Undefined {
            s.kind = SymKind::Bss;
        }
        if flag & flags::RODATA != 0 {
            s.kind = SymKind::Rodata;
        } else if flag & flags::NOPTR != 0 {
            s.kind = if matches!(s.kind, SymKind::Data | SymKind::NoPtrData) { SymKind::NoPtrData } else { SymKind::NoPtrBss };
        } else if flag & flags::TLSBSS != 0 {
            s.kind = SymKind::TlsBss;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_writes_grow_and_retype() {
        let mut t = SymTab::new();
        let x = t.lookup("p.x", None);
        t.write_int(x, 2, 2, 0x1234, false).unwrap();
        t.write_int(x, 4, 4, 0x01020304, true).unwrap();
        let s = t.get(x);
        assert_eq!(s.kind, SymKind::Data);
        assert_eq!(s.data, vec![0, 0, 0x34, 0x12, 1, 2, 3, 4]);
        t.globl(x, 16, flags::RODATA);
        assert_eq!(t.get(x).kind, SymKind::Rodata);
        assert_eq!(t.get(x).size, 16);
    }

    #[test]
    fn statics_are_per_file() {
        let mut t = SymTab::new();
        assert_ne!(t.lookup("x", Some(0)), t.lookup("x", Some(1)));
        assert_ne!(t.lookup("x", Some(0)), t.lookup("x", None));
        assert_eq!(t.lookup("x", Some(0)), t.lookup("x", Some(0)));
    }

    #[test]
    fn string_too_long_is_an_error() {
        let mut t = SymTab::new();
        let x = t.lookup("s", None);
        assert!(t.write_string(x, 0, 2, b"abc").is_err());
        t.write_string(x, 0, 4, b"ab").unwrap();
        assert_eq!(t.get(x).data, b"ab\0\0");
    }
}
