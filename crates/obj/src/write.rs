//! Writing a [`Module`] as a native object file through the `object` crate.
//!
//! ELF for linux and the BSDs, Mach-O for darwin/ios (amd64, arm64), COFF for
//! windows (amd64, 386, arm64). Section mapping (see docs/symbols.md): TEXT →
//! `.text`/`__TEXT,__text`; RODATA → `.rodata`/`__TEXT,__const` (or
//! `__DATA,__const` when it holds addresses)/`.rdata`; data with contents →
//! `.data`; data without contents → `.bss`; TLSBSS → `.tbss`/`__thread_bss`/`.tls$`.
//! With [`WriteOptions::debug`], DWARF line information (see [`crate::dwarf`]).

use std::borrow::Cow;
use std::collections::HashMap;

use arch_tables::GoArch;
use object::write::{Object, Relocation, StandardSection, Symbol, SymbolId, SymbolSection};
use object::{
    Architecture, BinaryFormat, Endianness, FileFlags, RelocationEncoding, RelocationFlags, RelocationKind, SectionFlags,
    SectionKind, SymbolFlags, SymbolKind, SymbolScope,
};

use crate::module::Module;
use crate::sym::{RelocKind, SymId, SymKind};
use crate::target::{GoOs, ObjectFormat, Target};

/// ELF machine, class and flags of an architecture, as Go's external linking writes them.
fn elf_arch(target: &Target) -> (Architecture, Endianness, u32) {
    let end = if target.arch.big_endian() { Endianness::Big } else { Endianness::Little };
    let (arch, flags) = match target.arch {
        GoArch::Amd64 => (Architecture::X86_64, 0),
        GoArch::I386 => (Architecture::I386, 0),
        // EABI version 5, with the float ABI the C toolchain must agree on
        // (EF_ARM_ABI_FLOAT_HARD 0x400 or _SOFT 0x200).
        GoArch::Arm => (Architecture::Arm, if target.soft_float { 0x0500_0200 } else { 0x0500_0400 }),
        GoArch::Arm64 => (Architecture::Aarch64, 0),
        // LP64D, object ABI v1.
        GoArch::Loong64 => (Architecture::LoongArch64, 0x43),
        // MIPS32, o32, CPIC.
        GoArch::Mips | GoArch::Mipsle => (Architecture::Mips, 0x5000_1004),
        // MIPS3 (64-bit), CPIC: the n64 ABI.
        GoArch::Mips64 | GoArch::Mips64le => (Architecture::Mips64, 0x2000_0004),
        // ELFv1 on big-endian (as Debian's ppc64 toolchain), ELFv2 on little-endian.
        GoArch::Ppc64 => (Architecture::PowerPc64, 1),
        GoArch::Ppc64le => (Architecture::PowerPc64, 2),
        // Double-float ABI, plus RVC because Go compresses instructions by default.
        GoArch::Riscv64 => (Architecture::Riscv64, 0x5),
        GoArch::S390x => (Architecture::S390x, 1),
        GoArch::Wasm => unreachable!("wasm has no ELF form"),
    };
    (arch, end, flags)
}

/// Alignment Go's linker gives a data symbol: the largest power of two not
/// above its size, capped at the architecture's maximum.
fn data_align(arch: GoArch, size: i64) -> u64 {
    let max: i64 = match arch {
        GoArch::Arm | GoArch::Mips | GoArch::Mipsle | GoArch::I386 => 8,
        _ => 32,
    };
    let mut a = max;
    while a > size && a > 1 {
        a >>= 1;
    }
    a as u64
}

/// Function alignment per architecture.
fn text_align(arch: GoArch) -> u64 {
    match arch {
        GoArch::Amd64 => 32,
        GoArch::I386 | GoArch::Arm64 | GoArch::Loong64 | GoArch::Ppc64 | GoArch::Ppc64le | GoArch::S390x => 16,
        GoArch::Riscv64 => 8,
        _ => 4,
    }
}

/// What to add to the object besides code and data.
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// DWARF line information for the TEXT symbols.
    pub debug: Option<crate::dwarf::DebugLines>,
}

/// The target of relocations that name no symbol: a nameless local symbol
/// of value 0 outside any section, so the linker computes the addend alone.
fn absolute_zero_symbol(format: ObjectFormat) -> Symbol {
    Symbol {
        name: Vec::new(),
        value: 0,
        size: 0,
        kind: SymbolKind::Data,
        scope: SymbolScope::Compilation,
        weak: false,
        section: SymbolSection::Absolute,
        // STB_LOCAL, STT_NOTYPE on ELF.
        flags: if format == ObjectFormat::Elf {
            SymbolFlags::Elf { st_info: object::elf::SymbolInfo(0), st_other: object::elf::SymbolOther(0) }
        } else {
            SymbolFlags::None
        },
    }
}

/// Serialises the module. Every TEXT symbol must already be encoded.
pub fn write_object(m: &Module, target: &Target) -> Result<Vec<u8>, String> {
    write_object_with(m, target, &WriteOptions::default())
}

/// The minimum OS version written in Mach-O `LC_BUILD_VERSION`: Go 1.27's
/// (macOS 12 Monterey; iOS 15 for ios).
fn macho_build_version(os: GoOs) -> object::write::MachOBuildVersion {
    use object::macho::{Version, PLATFORM_IOS, PLATFORM_MACOS};
    let (platform, major) = if os == GoOs::Ios { (PLATFORM_IOS, 15) } else { (PLATFORM_MACOS, 12) };
    let mut v = object::write::MachOBuildVersion::default();
    v.platform = platform;
    v.minos = Version::new(major, 0, 0);
    v.sdk = Version::new(major, 0, 0);
    v
}

/// Serialises the module with options. Every TEXT symbol must already be encoded.
pub fn write_object_with(m: &Module, target: &Target, opts: &WriteOptions) -> Result<Vec<u8>, String> {
    let format = target.os.object_format();
    match format {
        ObjectFormat::Elf | ObjectFormat::MachO | ObjectFormat::Coff => {}
        ObjectFormat::Wasm => return Err(format!("GOOS={}: wasm object output not supported yet", target.os)),
        ObjectFormat::Xcoff => return Err(format!("GOOS={}: XCOFF output not supported", target.os)),
        ObjectFormat::Plan9 => return Err(format!("GOOS={}: Plan 9 object output not supported", target.os)),
    }
    if target.arch == GoArch::Wasm {
        return Err("GOARCH=wasm: wasm object output not supported yet".to_string());
    }
    let mut obj = match format {
        ObjectFormat::MachO => {
            let arch = match target.arch {
                GoArch::Amd64 => Architecture::X86_64,
                GoArch::Arm64 => Architecture::Aarch64,
                a => return Err(format!("GOOS={} GOARCH={a}: Mach-O output is for amd64 and arm64 only", target.os)),
            };
            let mut obj = Object::new(BinaryFormat::MachO, arch, Endianness::Little);
            obj.set_subsections_via_symbols();
            obj.set_macho_build_version(macho_build_version(target.os));
            obj
        }
        ObjectFormat::Coff => {
            let arch = match target.arch {
                GoArch::Amd64 => Architecture::X86_64,
                GoArch::I386 => Architecture::I386,
                GoArch::Arm64 => Architecture::Aarch64,
                a => return Err(format!("GOOS={} GOARCH={a}: COFF output is for amd64, 386 and arm64 only", target.os)),
            };
            Object::new(BinaryFormat::Coff, arch, Endianness::Little)
        }
        _ => {
            let (arch, endian, e_flags) = elf_arch(target);
            let mut obj = Object::new(BinaryFormat::Elf, arch, endian);
            obj.flags =
                FileFlags::Elf { os_abi: object::elf::OsAbi(0), abi_version: 0, e_flags: object::elf::FileFlags(e_flags) };
            obj
        }
    };
    obj.mangling = object::write::Mangling::None;
    // The C symbol prefix: Mach-O always, COFF on 386.
    let prefix = match (format, target.arch) {
        (ObjectFormat::MachO, _) | (ObjectFormat::Coff, GoArch::I386) => "_",
        _ => "",
    };
    let native_name = |name: &str| format!("{prefix}{name}").into_bytes();
    if format == ObjectFormat::Coff && target.arch == GoArch::I386 {
        // Marks the object SafeSEH-compatible (it has no handlers), as MSVC and clang do.
        obj.add_symbol(Symbol {
            name: b"@feat.00".to_vec(),
            value: 1,
            size: 0,
            kind: SymbolKind::Data,
            scope: SymbolScope::Compilation,
            weak: false,
            section: SymbolSection::Absolute,
            flags: SymbolFlags::None,
        });
    }

    let mut ids: HashMap<SymId, SymbolId> = HashMap::new();
    let mut placed: Vec<(SymId, object::write::SectionId, u64)> = Vec::new();

    let define = |obj: &mut Object, id: SymId, kind: SymbolKind| -> SymbolId {
        let s = m.syms.get(id);
        obj.add_symbol(Symbol {
            name: native_name(&s.name),
            value: 0,
            size: 0,
            kind,
            // DUPOK symbols (Go's $f64.* constants among them) are merged
            // copies private to the link: weak and hidden, so PC-relative
            // references to them stay valid in a shared library.
            scope: if s.is_static {
                SymbolScope::Compilation
            } else if s.dupok() {
                SymbolScope::Linkage
            } else {
                SymbolScope::Dynamic
            },
            weak: s.dupok() && !s.is_static && format != ObjectFormat::Coff,
            section: SymbolSection::Undefined,
            flags: SymbolFlags::None,
        })
    };

    // Native relocations of every placed symbol, computed before its data is
    // added because a backend may encode addends into the bytes.
    type Native = Vec<(u64, RelocationFlags, i64, SymId)>;
    let backend = crate::backend::backend(target.arch);
    // The data is copied only for Mach-O and COFF, whose relocations may be
    // written into it (a function's code is most of the object).
    let native_relocs = |id: SymId| -> Result<(Cow<'_, [u8]>, Native), String> {
        let s = m.syms.get(id);
        let mut data = Cow::Borrowed(s.data.as_slice());
        let mut out = Vec::new();
        for r in &s.relocs {
            if r.kind == RelocKind::Addr {
                let flags =
                    RelocationFlags::Generic { kind: RelocationKind::Absolute, encoding: RelocationEncoding::Generic, size: r.size * 8 };
                out.push((u64::from(r.off), flags, r.add, r.sym));
                continue;
            }
            let err = |e: String| format!("{}: {e}", s.name);
            match format {
                ObjectFormat::MachO => {
                    for n in backend.macho_relocs(r, target.os, data.to_mut()).map_err(err)? {
                        let flags = RelocationFlags::MachO {
                            r_type: object::macho::RelocationType(n.r_type as u8),
                            r_pcrel: n.pcrel,
                            r_length: n.size.trailing_zeros() as u8,
                        };
                        out.push((u64::from(r.off + n.offset_delta), flags, n.addend, r.sym));
                    }
                }
                ObjectFormat::Coff => {
                    for n in backend.coff_relocs(r, data.to_mut()).map_err(err)? {
                        let flags = RelocationFlags::Coff { typ: object::pe::RelocationType(n.r_type as u16) };
                        out.push((u64::from(r.off + n.offset_delta), flags, n.addend, r.sym));
                    }
                }
                _ => {
                    for e in backend.elf_relocs(r)? {
                        let flags = RelocationFlags::Elf { r_type: object::elf::RelocationType(e.r_type) };
                        out.push((u64::from(r.off + e.offset_delta), flags, e.addend, r.sym));
                    }
                }
            }
        }
        Ok((data, out))
    };
    let mut relocs: Vec<(object::write::SectionId, u64, Native, &str)> = Vec::new();

    // COFF has no weak definitions for DUPOK: each DUPOK symbol gets its own
    // `.section$name` in a COMDAT (select any), as C compilers do for inline data.
    let comdat = |id: SymId| {
        let s = m.syms.get(id);
        format == ObjectFormat::Coff && s.dupok() && !s.is_static
    };
    let home = |obj: &mut Object, standard: StandardSection, id: SymId| {
        if comdat(id) {
            let section = obj.add_subsection(standard, m.syms.get(id).name.as_bytes());
            // The section symbol must precede the COMDAT symbol in the table.
            obj.section_symbol(section);
            section
        } else {
            obj.section_id(standard)
        }
    };
    let group = |obj: &mut Object, id: SymId, symbol: SymbolId, section: object::write::SectionId| {
        if comdat(id) {
            obj.add_comdat(object::write::Comdat { kind: object::ComdatKind::Any, symbol, sections: vec![section] });
        }
    };

    // Text, in TEXT order.
    let mut text_syms = Vec::with_capacity(m.funcs.len());
    if !m.funcs.is_empty() {
        for f in &m.funcs {
            let text = home(&mut obj, StandardSection::Text, f.sym);
            let (data, native) = native_relocs(f.sym)?;
            let sid = define(&mut obj, f.sym, SymbolKind::Text);
            // PCALIGN inside a function aligns relative to its start.
            let align = text_align(target.arch).max(u64::from(m.syms.get(f.sym).align));
            if matches!(target.arch, GoArch::Amd64 | GoArch::I386) {
                // Pad between functions with INT3, as Go's linker does (CodePad),
                // so that disassemblers stay in step and a stray jump traps.
                let len = obj.section(text).data().len() as u64;
                let pad = (align - len % align) % align;
                obj.append_section_data(text, &vec![0xcc; pad as usize], 1);
            }
            let off = obj.add_symbol_data(sid, text, &data, align);
            group(&mut obj, f.sym, sid, text);
            ids.insert(f.sym, sid);
            text_syms.push((sid, text, off));
            placed.push((f.sym, text, off));
            relocs.push((text, off, native, &m.syms.get(f.sym).name));
        }
    }

    // Data, in GLOBL order, then any data written without GLOBL.
    let mut order: Vec<SymId> = m.data.clone();
    let mut seen: std::collections::HashSet<SymId> = order.iter().copied().collect();
    for (id, s) in m.syms.iter() {
        if !matches!(s.kind, SymKind::Undefined | SymKind::Text) && seen.insert(id) {
            order.push(id);
        }
    }
    for id in order {
        if ids.contains_key(&id) {
            continue;
        }
        let s = m.syms.get(id);
        let size = s.size.max(s.data.len() as i64);
        let align = data_align(target.arch, size);
        let (sid, section, off) = match s.kind {
            SymKind::Rodata | SymKind::Data | SymKind::NoPtrData => {
                let standard = match s.kind {
                    // Mach-O: read-only data holding addresses goes to __DATA,__const.
                    SymKind::Rodata if format == ObjectFormat::MachO && !s.relocs.is_empty() => StandardSection::ReadOnlyDataWithRel,
                    SymKind::Rodata => StandardSection::ReadOnlyData,
                    _ => StandardSection::Data,
                };
                let section = home(&mut obj, standard, id);
                let (bytes, native) = native_relocs(id)?;
                let sid = define(&mut obj, id, SymbolKind::Data);
                let mut bytes = bytes.into_owned();
                bytes.resize(size as usize, 0);
                let off = obj.add_symbol_data(sid, section, &bytes, align);
                relocs.push((section, off, native, &s.name));
                (sid, section, off)
            }
            SymKind::Bss | SymKind::NoPtrBss => {
                let section = home(&mut obj, StandardSection::UninitializedData, id);
                let sid = define(&mut obj, id, SymbolKind::Data);
                let off = obj.add_symbol_bss(sid, section, size as u64, align);
                (sid, section, off)
            }
            SymKind::TlsBss if format == ObjectFormat::Coff => {
                // COFF has no zero-fill TLS section: `.tls$` with zeros.
                let section = obj.section_id(StandardSection::Tls);
                let sid = define(&mut obj, id, SymbolKind::Tls);
                let off = obj.add_symbol_data(sid, section, &vec![0; size as usize], align);
                (sid, section, off)
            }
            SymKind::TlsBss => {
                let section = obj.section_id(StandardSection::UninitializedTls);
                let sid = define(&mut obj, id, SymbolKind::Tls);
                let off = obj.add_symbol_bss(sid, section, size as u64, align);
                (sid, section, off)
            }
            // Undefined, Text (placed above) and the kinds without a section.
            _ => continue,
        };
        group(&mut obj, id, sid, section);
        ids.insert(id, sid);
        placed.push((id, section, off));
    }

    // Relocations; their targets may be undefined here.
    for (section, base, native, name) in relocs {
        for (offset, flags, addend, target_id) in native {
            let symbol = match ids.get(&target_id) {
                Some(&t) => t,
                None => {
                    let t = m.syms.get(target_id);
                    let t = if t.kind == SymKind::Absolute {
                        obj.add_symbol(absolute_zero_symbol(format))
                    } else {
                        obj.add_symbol(Symbol {
                            name: native_name(&t.name),
                            value: 0,
                            size: 0,
                            kind: SymbolKind::Unknown,
                            scope: SymbolScope::Dynamic,
                            weak: false,
                            section: SymbolSection::Undefined,
                            flags: SymbolFlags::None,
                        })
                    };
                    ids.insert(target_id, t);
                    t
                }
            };
            obj.add_relocation(section, Relocation { offset: base + offset, symbol, addend, flags })
                .map_err(|e| format!("relocation in {name}: {e}"))?;
        }
    }

    if let Some(lines) = &opts.debug {
        add_dwarf(&mut obj, m, target, format, lines, &text_syms)?;
    }

    if format == ObjectFormat::Elf {
        // An empty .note.GNU-stack tells linkers the stack need not be executable.
        let note = obj.add_section(Vec::new(), b".note.GNU-stack".to_vec(), SectionKind::Other);
        obj.section_mut(note).flags =
            SectionFlags::Elf { sh_type: object::elf::SHT_PROGBITS, sh_flags: object::elf::SectionFlags(0) };
    }

    obj.write().map_err(|e| format!("writing the object: {e}"))
}

/// Adds the DWARF sections: `.debug_*` (ELF, COFF) or `__DWARF,__debug_*`
/// (Mach-O). Addresses are relocations against the TEXT symbols; offsets into
/// other debug sections are relocations against their section symbols (ELF
/// absolute, COFF SECREL) or plain offsets (Mach-O, where the linker does not
/// relocate DWARF and dsymutil reads it from the objects).
fn add_dwarf(
    obj: &mut Object,
    m: &Module,
    target: &Target,
    format: ObjectFormat,
    lines: &crate::dwarf::DebugLines,
    text_syms: &[(SymbolId, object::write::SectionId, u64)],
) -> Result<(), String> {
    let ptr = target.arch.ptr_size();
    let sections = crate::dwarf::build(m, lines, ptr, target.arch.big_endian())?;
    let mut ids = HashMap::new();
    for s in &sections {
        let name = s.id.name();
        let (segment, name) = match format {
            ObjectFormat::MachO => (b"__DWARF".to_vec(), format!("__{}", &name[1..]).into_bytes()),
            _ => (Vec::new(), name.as_bytes().to_vec()),
        };
        let id = obj.add_section(segment, name, SectionKind::Debug);
        ids.insert(s.id, id);
    }
    for s in sections {
        let section = ids[&s.id];
        let mut data = s.data;
        let mut pending = Vec::new();
        for r in &s.relocs {
            match r.target {
                crate::dwarf::DwTarget::Section(_) if format == ObjectFormat::MachO => {
                    let at = r.offset as usize;
                    let n = usize::from(r.size);
                    let v = r.addend.to_le_bytes();
                    data[at..at + n].copy_from_slice(&v[..n]);
                }
                crate::dwarf::DwTarget::Section(t) => {
                    let sym = obj.section_symbol(ids[&t]);
                    let kind = if format == ObjectFormat::Coff { RelocationKind::SectionOffset } else { RelocationKind::Absolute };
                    let flags = RelocationFlags::Generic { kind, encoding: RelocationEncoding::Generic, size: r.size * 8 };
                    pending.push(Relocation { offset: r.offset, symbol: sym, addend: r.addend, flags });
                }
                crate::dwarf::DwTarget::Func(i) => {
                    let flags =
                        RelocationFlags::Generic { kind: RelocationKind::Absolute, encoding: RelocationEncoding::Generic, size: r.size * 8 };
                    let (sym, text, off) = text_syms[i];
                    // Mach-O: section-relative (r_extern=0) with the address in the
                    // data, as assemblers write DWARF there: readers and dsymutil
                    // see each function's address in the object. (__text is the
                    // first section, at address 0.)
                    let (symbol, addend) =
                        if format == ObjectFormat::MachO { (obj.section_symbol(text), off as i64 + r.addend) } else { (sym, r.addend) };
                    pending.push(Relocation { offset: r.offset, symbol, addend, flags });
                }
            }
        }
        obj.set_section_data(section, data, 1);
        for r in pending {
            obj.add_relocation(section, r).map_err(|e| format!("DWARF relocation: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sym::flags;
    use crate::target::GoOs;
    use object::{Object as _, ObjectSection, ObjectSymbol};

    fn sample(arch: GoArch) -> Module {
        let mut m = Module::new(arch);
        let x = m.syms.lookup("p.x", None);
        let y = m.syms.lookup("p.y", None);
        let z = m.syms.lookup("z", Some(0));
        let ext = m.syms.lookup("ext", None);
        let p = arch.ptr_size() as usize;
        let be = arch.big_endian();
        m.syms.write_int(x, 0, 4, 0x01020304, be).unwrap();
        m.syms.write_addr(x, 8, p, ext, 16).unwrap();
        m.syms.globl(x, 24, flags::RODATA);
        m.syms.globl(y, 64, flags::NOPTR);
        m.syms.write_int(z, 0, 1, 7, be).unwrap();
        m.syms.globl(z, 1, 0);
        m.data = vec![x, y, z];
        m
    }

    #[test]
    fn every_elf_arch_round_trips() {
        for arch in GoArch::ALL {
            if arch == GoArch::Wasm {
                continue;
            }
            let m = sample(arch);
            let bytes = write_object(&m, &Target::new(arch, GoOs::Linux)).unwrap();
            let f = object::File::parse(&*bytes).unwrap();
            assert_eq!(f.is_little_endian(), !arch.big_endian(), "{arch}");
            assert_eq!(f.is_64(), arch.ptr_size() == 8, "{arch}");
            let names: Vec<_> = f.sections().map(|s| s.name().unwrap().to_string()).collect();
            for want in [".rodata", ".bss", ".data", ".note.GNU-stack"] {
                assert!(names.iter().any(|n| n == want), "{arch}: no {want} in {names:?}");
            }
            let x = f.symbols().find(|s| s.name() == Ok("p.x")).unwrap();
            assert_eq!(x.size(), 24);
            assert!(x.is_global());
            let z = f.symbols().find(|s| s.name() == Ok("z")).unwrap();
            assert!(z.is_local());
            let ext = f.symbols().find(|s| s.name() == Ok("ext")).unwrap();
            assert!(ext.is_undefined());
            let ro = f.section_by_name(".rodata").unwrap();
            let want: &[u8] = if arch.big_endian() { &[1, 2, 3, 4] } else { &[4, 3, 2, 1] };
            assert_eq!(&ro.data().unwrap()[x.address() as usize..][..4], want, "{arch}");
            assert_eq!(ro.relocations().count(), 1, "{arch}");
        }
    }

    #[test]
    fn relocation_without_symbol_targets_absolute_zero() {
        let mut m = Module::new(GoArch::I386);
        let f = m.syms.lookup("f", None);
        let abs = m.syms.absolute_zero();
        let s = m.syms.get_mut(f);
        s.kind = SymKind::Text;
        s.data = vec![0xe9, 0, 0, 0, 0];
        s.size = 5;
        s.relocs.push(crate::sym::Reloc { off: 1, size: 4, kind: RelocKind::Pcrel, sym: abs, add: 4 });
        m.funcs.push(crate::module::Func { sym: f, ..Default::default() });
        let bytes = write_object(&m, &Target::new(GoArch::I386, GoOs::Linux)).unwrap();
        let file = object::File::parse(&*bytes).unwrap();
        let text = file.section_by_name(".text").unwrap();
        let (off, r) = text.relocations().next().unwrap();
        assert_eq!(off, 1);
        let object::RelocationTarget::Symbol(i) = r.target() else { panic!("{r:?}") };
        let sym = file.symbol_by_index(i).unwrap();
        assert_eq!(sym.section(), object::SymbolSection::Absolute);
        assert_eq!((sym.address(), sym.is_local()), (0, true));
    }

    /// A function with PCALIGN starts at a multiple of its alignment, in
    /// every format, and its section is at least as aligned.
    #[test]
    fn pcalign_aligns_the_function() {
        for os in [GoOs::Linux, GoOs::Darwin, GoOs::Windows] {
            let mut m = Module::new(GoArch::Amd64);
            for (name, align) in [("f", 0), ("g", 256)] {
                let id = m.syms.lookup(name, None);
                let s = m.syms.get_mut(id);
                s.kind = SymKind::Text;
                s.data = vec![0xc3; 3];
                s.size = 3;
                s.align = align;
                m.funcs.push(crate::module::Func { sym: id, ..Default::default() });
            }
            let bytes = write_object(&m, &Target::new(GoArch::Amd64, os)).unwrap();
            let file = object::File::parse(&*bytes).unwrap();
            let g = file.symbols().find(|s| s.name().is_ok_and(|n| n.ends_with('g'))).unwrap();
            assert_eq!(g.address() % 256, 0, "{os:?}: g at {:#x}", g.address());
            assert_ne!(g.address(), 0, "{os:?}");
            let text = file.section_by_index(g.section_index().unwrap()).unwrap();
            assert!(text.align() >= 256, "{os:?}: section aligned to {}", text.align());
        }
    }

    #[test]
    fn e_flags_as_documented() {
        let m = sample(GoArch::Riscv64);
        let bytes = write_object(&m, &Target::new(GoArch::Riscv64, GoOs::Linux)).unwrap();
        let f = object::File::parse(&*bytes).unwrap();
        match f.flags() {
            FileFlags::Elf { e_flags, .. } => assert_eq!(e_flags.0, 0x5),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn macho_and_coff_only_for_their_arches() {
        let m = sample(GoArch::Riscv64);
        let e = write_object(&m, &Target::new(GoArch::Riscv64, GoOs::Darwin)).unwrap_err();
        assert!(e.contains("Mach-O output is for amd64 and arm64 only"), "{e}");
        let e = write_object(&m, &Target::new(GoArch::Riscv64, GoOs::Windows)).unwrap_err();
        assert!(e.contains("COFF output is for amd64, 386 and arm64 only"), "{e}");
    }
}
