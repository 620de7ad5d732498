//! DWARF line information for the TEXT symbols of a module, written with
//! gimli: `.debug_line` mapping every instruction to its source file and
//! line, and a minimal `.debug_info` (one compile unit, one
//! `DW_TAG_subprogram` per TEXT symbol) with `.debug_abbrev`, `.debug_str`
//! and `.debug_ranges`. DWARF 4, 32-bit format. Code and data bytes are not
//! touched: the debug sections only refer to the TEXT symbols.

use std::collections::HashMap;

use gimli::write::{
    Address, AttributeValue, DwarfUnit, EndianVec, LineProgram, LineString, Range, RangeList, RelocateWriter, Relocation,
    RelocationTarget, Sections,
};
use gimli::{Encoding, Format, LineEncoding, RunTimeEndian, SectionId};

use crate::module::Module;
use crate::sym::SymId;

/// Source lines of a module's TEXT symbols, resolved by the caller (who owns
/// the source map, `#line` directives and `-trimpath`).
#[derive(Clone, Debug, Default)]
pub struct DebugLines {
    /// `DW_AT_name` of the compile unit: the first input file as recorded.
    pub name: String,
    /// `DW_AT_comp_dir`.
    pub comp_dir: String,
    /// `DW_AT_producer`.
    pub producer: String,
    /// File names as recorded; rows index into this list.
    pub files: Vec<String>,
    /// Per TEXT symbol, `(offset, file index, line)` for each instruction, by offset.
    pub funcs: HashMap<SymId, Vec<(u64, usize, u32)>>,
}

/// Where a relocation in a debug section points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DwTarget {
    /// The start of the i-th TEXT symbol of the module (`Module::funcs[i]`).
    Func(usize),
    /// The start of another debug section (an offset into it).
    Section(SectionId),
}

#[derive(Clone, Copy, Debug)]
pub struct DwReloc {
    pub offset: u64,
    pub size: u8,
    pub target: DwTarget,
    pub addend: i64,
}

/// One non-empty debug section.
#[derive(Clone, Debug)]
pub struct DwSection {
    pub id: SectionId,
    pub data: Vec<u8>,
    pub relocs: Vec<DwReloc>,
}

#[derive(Clone)]
struct Writer {
    w: EndianVec<RunTimeEndian>,
    relocs: Vec<Relocation>,
}

impl RelocateWriter for Writer {
    type Writer = EndianVec<RunTimeEndian>;
    fn writer(&self) -> &Self::Writer {
        &self.w
    }
    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.w
    }
    fn relocate(&mut self, r: Relocation) {
        self.relocs.push(r);
    }
}

fn line_string(s: &str) -> LineString {
    // gimli refuses empty names and NUL bytes.
    let s = if s.is_empty() { "?" } else { s };
    LineString::String(s.replace('\0', "?").into_bytes())
}

/// Builds the debug sections for the module's TEXT symbols (none if it has none).
pub fn build(m: &Module, lines: &DebugLines, ptr_size: u8, big_endian: bool) -> Result<Vec<DwSection>, String> {
    if m.funcs.is_empty() {
        return Ok(Vec::new());
    }
    let encoding = Encoding { format: Format::Dwarf32, version: 4, address_size: ptr_size };
    let mut dwarf = DwarfUnit::new(encoding);
    let mut program = LineProgram::new(
        encoding,
        LineEncoding::default(),
        line_string(&lines.comp_dir),
        None,
        line_string(&lines.name),
        None,
    );
    let dir = program.default_directory();
    let files: Vec<_> = lines.files.iter().map(|f| program.add_file(line_string(f), dir, None)).collect();

    let mut ranges = Vec::new();
    let root = dwarf.unit.root();
    for (i, f) in m.funcs.iter().enumerate() {
        let s = m.syms.get(f.sym);
        let size = s.data.len() as u64;
        let begin = Address::Symbol { symbol: i, addend: 0 };
        if let Some(rows) = lines.funcs.get(&f.sym).filter(|r| !r.is_empty()) {
            program.begin_sequence(Some(begin));
            for &(pc, file, line) in rows {
                let (Some(&fid), true) = (files.get(file), pc < size.max(1)) else { continue };
                let row = program.row();
                row.address_offset = pc;
                row.file = fid;
                row.line = u64::from(line);
                program.generate_row();
            }
            program.end_sequence(size);
        }
        // An empty function (a TEXT of NOPs) covers no address: gimli
        // rejects an empty range.
        if size > 0 {
            ranges.push(Range::StartLength { begin, length: size });
        }
        let sub = dwarf.unit.add(root, gimli::DW_TAG_subprogram);
        let e = dwarf.unit.get_mut(sub);
        e.set(gimli::DW_AT_name, AttributeValue::String(s.name.clone().into_bytes()));
        if !s.is_static {
            e.set(gimli::DW_AT_external, AttributeValue::Flag(true));
        }
        e.set(gimli::DW_AT_low_pc, AttributeValue::Address(begin));
        e.set(gimli::DW_AT_high_pc, AttributeValue::Udata(size));
        if let Some(&(_, file, line)) = lines.funcs.get(&f.sym).and_then(|r| r.first()) {
            if let Some(&fid) = files.get(file) {
                e.set(gimli::DW_AT_decl_file, AttributeValue::FileIndex(Some(fid)));
                e.set(gimli::DW_AT_decl_line, AttributeValue::Udata(u64::from(line)));
            }
        }
    }
    dwarf.unit.line_program = program;
    let range_list = dwarf.unit.ranges.add(RangeList(ranges));
    let e = dwarf.unit.get_mut(root);
    e.set(gimli::DW_AT_name, AttributeValue::String(lines.name.clone().into_bytes()));
    e.set(gimli::DW_AT_comp_dir, AttributeValue::String(lines.comp_dir.clone().into_bytes()));
    e.set(gimli::DW_AT_producer, AttributeValue::String(lines.producer.clone().into_bytes()));
    e.set(gimli::DW_AT_language, AttributeValue::Language(gimli::DW_LANG_Mips_Assembler));
    e.set(gimli::DW_AT_low_pc, AttributeValue::Address(Address::Constant(0)));
    e.set(gimli::DW_AT_ranges, AttributeValue::RangeListRef(range_list));

    let endian = if big_endian { RunTimeEndian::Big } else { RunTimeEndian::Little };
    let mut sections = Sections::new(Writer { w: EndianVec::new(endian), relocs: Vec::new() });
    dwarf.write(&mut sections).map_err(|e| format!("writing DWARF: {e}"))?;
    let mut out = Vec::new();
    sections
        .for_each(|id, w| -> Result<(), String> {
            if w.w.slice().is_empty() {
                return Ok(());
            }
            let relocs = w
                .relocs
                .iter()
                .map(|r| DwReloc {
                    offset: r.offset as u64,
                    size: r.size,
                    target: match r.target {
                        RelocationTarget::Symbol(i) => DwTarget::Func(i),
                        RelocationTarget::Section(s) => DwTarget::Section(s),
                    },
                    addend: r.addend,
                })
                .collect();
            out.push(DwSection { id, data: w.w.slice().to_vec(), relocs });
            Ok(())
        })?;
    Ok(out)
}
