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
    // The rows are encoded here and spliced into gimli's line program (a
    // tenth of the cost of gimli's per-row path); should gimli's output ever
    // not have the expected shape, gimli writes the rows itself.
    match build_with(m, lines, ptr_size, big_endian, true)? {
        Some(out) => Ok(out),
        None => Ok(build_with(m, lines, ptr_size, big_endian, false)?.unwrap_or_default()),
    }
}

/// Line encoding parameters (gimli's `LineEncoding::default()`).
const LINE_BASE: i64 = -5;
const LINE_RANGE: u64 = 14;
const OPCODE_BASE: u64 = 13;

fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0) {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The rows of one sequence as gimli's `generate_row` encodes them (DWARF 4,
/// default line encoding, only address, file and line changing), then the
/// advance to `size` and the end of the sequence. `rows` are (address,
/// file number, line).
fn encode_rows(out: &mut Vec<u8>, rows: impl IntoIterator<Item = (u64, u64, u64)>, size: u64) {
    // The registers' initial state: address 0, file 1, line 1.
    let (mut addr, mut file, mut line) = (0u64, 1u64, 1u64);
    for (a, f, l) in rows {
        let line_advance = l as i64 - line as i64;
        let op_advance = a - addr;
        // The usual row, first: same file, a small line step and address
        // advance, one special opcode (what the general path below writes).
        let special_line = (line_advance as u64).wrapping_sub(LINE_BASE as u64);
        if f == file && line_advance != 0 && special_line < LINE_RANGE {
            // (An advance above 17 never fits a special opcode.)
            let special = OPCODE_BASE + special_line + op_advance.min(18) * LINE_RANGE;
            if special <= 255 {
                out.push(special as u8);
                (addr, line) = (a, l);
                continue;
            }
        }
        if f != file {
            out.push(gimli::DW_LNS_set_file.0);
            uleb(out, f);
        }
        let special_default = OPCODE_BASE.wrapping_sub(LINE_BASE as u64);
        let mut special = special_default;
        let mut use_special = false;
        if line_advance != 0 {
            let special_line = (line_advance as u64).wrapping_sub(LINE_BASE as u64);
            if special_line < LINE_RANGE {
                special = OPCODE_BASE + special_line;
                use_special = true;
            } else {
                out.push(gimli::DW_LNS_advance_line.0);
                sleb(out, line_advance);
            }
        }
        if op_advance != 0 {
            let (special_op_advance, const_add_pc) = if special + op_advance * LINE_RANGE <= 255 {
                (op_advance, false)
            } else {
                (op_advance - (255 - OPCODE_BASE) / LINE_RANGE, true)
            };
            let special_op = special_op_advance.wrapping_mul(LINE_RANGE);
            if special.wrapping_add(special_op) <= 255 {
                special += special_op;
                use_special = true;
                if const_add_pc {
                    out.push(gimli::DW_LNS_const_add_pc.0);
                }
            } else {
                out.push(gimli::DW_LNS_advance_pc.0);
                uleb(out, op_advance);
            }
        }
        if use_special && special != special_default {
            out.push(special as u8);
        } else {
            out.push(gimli::DW_LNS_copy.0);
        }
        (addr, file, line) = (a, f, l);
    }
    if size != addr {
        out.push(gimli::DW_LNS_advance_pc.0);
        uleb(out, size - addr);
    }
    out.extend_from_slice(&[0, 1, gimli::DW_LNE_end_sequence.0]);
}

/// Puts the encoded rows into gimli's `.debug_line`, written with each
/// sequence empty (set address, advance to the end, end sequence). `seqs`
/// holds, per sequence in order, its size and its encoded rows and end.
/// None if the section does not have that shape.
fn splice_rows(sec: &DwSection, seqs: &[(u64, Vec<u8>)], ptr_size: u8, big_endian: bool) -> Option<DwSection> {
    let d = &sec.data;
    let word = |at: usize| -> Option<u32> {
        let b: [u8; 4] = d.get(at..at + 4)?.try_into().ok()?;
        Some(if big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let unit_length = word(0)? as usize;
    if unit_length >= 0xffff_fff0 || unit_length + 4 != d.len() {
        return None;
    }
    let header_end = 10 + word(6)? as usize;
    let mut out = Vec::with_capacity(d.len() + seqs.iter().map(|s| s.1.len()).sum::<usize>());
    out.extend_from_slice(d.get(..header_end)?);
    let mut relocs = Vec::with_capacity(sec.relocs.len());
    let mut pos = header_end;
    let mut r = sec.relocs.iter().peekable();
    let set_address = [0, 1 + ptr_size, gimli::DW_LNE_set_address.0];
    for (size, rows) in seqs {
        let asz = usize::from(ptr_size);
        if d.get(pos..pos + 3)? != set_address {
            return None;
        }
        // Exactly one relocation, on the address.
        let rel = r.next()?;
        if rel.offset != (pos + 3) as u64 {
            return None;
        }
        relocs.push(DwReloc { offset: (out.len() + 3) as u64, ..*rel });
        out.extend_from_slice(d.get(pos..pos + 3 + asz)?);
        pos += 3 + asz;
        let mut empty = Vec::new();
        encode_rows(&mut empty, [], *size);
        if d.get(pos..pos + empty.len())? != empty.as_slice() {
            return None;
        }
        pos += empty.len();
        out.extend_from_slice(rows);
    }
    if pos != d.len() || r.next().is_some() {
        return None;
    }
    let n = (out.len() - 4) as u32;
    out[..4].copy_from_slice(&if big_endian { n.to_be_bytes() } else { n.to_le_bytes() });
    Some(DwSection { id: sec.id, data: out, relocs })
}

/// [`build`]; `direct`: encode the rows here. None when the direct result
/// could not be spliced.
fn build_with(m: &Module, lines: &DebugLines, ptr_size: u8, big_endian: bool, direct: bool) -> Result<Option<Vec<DwSection>>, String> {
    if m.funcs.is_empty() {
        return Ok(Some(Vec::new()));
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
    // The file numbers (DWARF 4: 1-based, in order of first addition; equal
    // names are one file, as gimli adds them).
    let mut numbers: Vec<u64> = Vec::with_capacity(files.len());
    for (i, f) in files.iter().enumerate() {
        let first = files[..i].iter().position(|g| g == f);
        let n = first.map_or_else(|| numbers.iter().copied().max().unwrap_or(0) + 1, |j| numbers[j]);
        numbers.push(n);
    }
    // Per sequence: the function's size, its rows encoded and ended.
    let mut seqs: Vec<(u64, Vec<u8>)> = Vec::new();

    let mut ranges = Vec::new();
    let root = dwarf.unit.root();
    for (i, f) in m.funcs.iter().enumerate() {
        let s = m.syms.get(f.sym);
        let size = s.data.len() as u64;
        let begin = Address::Symbol { symbol: i, addend: 0 };
        if let Some(rows) = lines.funcs.get(&f.sym).filter(|r| !r.is_empty()) {
            program.begin_sequence(Some(begin));
            // The rows inside the function whose file is known.
            let kept = rows.iter().filter(|&&(pc, file, _)| file < files.len() && pc < size.max(1));
            if direct {
                let mut enc = Vec::with_capacity(rows.len() * 3 + 16);
                encode_rows(&mut enc, kept.map(|&(pc, file, line)| (pc, numbers[file], u64::from(line))), size);
                seqs.push((size, enc));
            } else {
                for &(pc, file, line) in kept {
                    let row = program.row();
                    row.address_offset = pc;
                    row.file = files[file];
                    row.line = u64::from(line);
                    program.generate_row();
                }
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
    if direct {
        for sec in &mut out {
            if sec.id == SectionId::DebugLine {
                match splice_rows(sec, &seqs, ptr_size, big_endian) {
                    Some(s) => *sec = s,
                    None => return Ok(None),
                }
            }
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gimli::write::{DebugLine, LineStringTable, StringTable};

    /// The rows encoded here are the bytes gimli's `generate_row` writes,
    /// over line jumps both ways, file changes and address advances that
    /// need a special opcode, `const_add_pc` or `advance_pc`.
    #[test]
    fn rows_as_gimli_writes_them() {
        let encoding = Encoding { format: Format::Dwarf32, version: 4, address_size: 8 };
        let mut program = LineProgram::new(encoding, LineEncoding::default(), line_string("."), None, line_string("a.s"), None);
        let dir = program.default_directory();
        let files: Vec<_> = ["a.s", "b.s", "c.s"].iter().map(|f| program.add_file(line_string(f), dir, None)).collect();
        let mut rows = Vec::new();
        let (mut pc, mut line, mut seed) = (0u64, 1i64, 12345u64);
        for _ in 0..5000 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = seed >> 33;
            pc += match r % 5 {
                0 => 0,
                1 => r % 8,
                2 => r % 40,
                3 => r % 300,
                _ => r % 70000,
            };
            line = (line + (r >> 8) as i64 % 41 - 20 + if r % 13 == 0 { 3000 } else { 0 }).max(1);
            rows.push((pc, (r >> 20) % 3 + 1, line as u64));
        }
        let size = pc + 7;
        program.begin_sequence(Some(Address::Constant(0)));
        for &(a, f, l) in &rows {
            let row = program.row();
            row.address_offset = a;
            row.file = files[f as usize - 1];
            row.line = l;
            program.generate_row();
        }
        program.end_sequence(size);
        let mut w = DebugLine::from(EndianVec::new(RunTimeEndian::Little));
        program.write(&mut w, encoding, &mut LineStringTable::default(), &mut StringTable::default()).expect("writes");
        let data = w.slice();
        let header_end = 10 + u32::from_le_bytes(data[6..10].try_into().unwrap()) as usize;
        let mut ours = Vec::new();
        encode_rows(&mut ours, rows.iter().copied(), size);
        // After the header: set_address (3 + 8 bytes), then the rows.
        assert_eq!(&data[header_end + 11..], ours.as_slice());
    }
}
