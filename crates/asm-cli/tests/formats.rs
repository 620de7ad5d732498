//! Mach-O and COFF output, DWARF line information and dependency files, as
//! the goasm command writes them (read back with the `object` crate).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use object::{Object, ObjectComdat, ObjectSection, ObjectSymbol, RelocationFlags};

struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("goasm-formats-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.0.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn goasm(dir: &Path, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_goasm")).current_dir(dir).args(args).env_remove("GOARCH").env_remove("GOOS").output().unwrap();
    o
}

fn ok(dir: &Path, args: &[&str]) {
    let o = goasm(dir, args);
    assert!(o.status.success(), "goasm {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

const AMD64: &str = "#include \"textflag.h\"
#include \"m.h\"
TEXT f(SB), NOSPLIT|NOFRAME, $0
\tMOVQ x(SB), AX
\tTWICE
\tCALL ext(SB)
\tRET
DATA x+0(SB)/8, $1
GLOBL x(SB), NOPTR, $8
DATA p+0(SB)/8, $x(SB)
GLOBL p(SB), RODATA, $8
";
const HEADER: &str = "#define TWICE \\\n\tINCQ AX; \\\n\tINCQ AX\n";

const ARM64: &str = "#include \"textflag.h\"
TEXT f(SB), NOSPLIT|NOFRAME, $0
\tMOVD x+8(SB), R0
\tMOVD $x(SB), R1
\tCALL ext(SB)
\tRET
DATA x+0(SB)/8, $1
GLOBL x(SB), NOPTR, $16
";

fn names(f: &object::File) -> Vec<String> {
    f.symbols().filter_map(|s| s.name().ok().map(str::to_string)).collect()
}

fn reloc_types(f: &object::File, section: &str) -> Vec<u32> {
    let s = f.section_by_name(section).unwrap_or_else(|| panic!("no {section}"));
    s.relocations()
        .map(|(_, r)| match r.flags() {
            RelocationFlags::MachO { r_type, .. } => u32::from(r_type.0),
            RelocationFlags::Coff { typ } => u32::from(typ.0),
            RelocationFlags::Elf { r_type } => r_type.0,
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn macho_amd64_and_arm64() {
    let s = Scratch::new("macho");
    s.file("a.s", AMD64);
    s.file("m.h", HEADER);
    s.file("b.s", ARM64);
    ok(&s.0, &["-arch", "amd64", "-os", "darwin", "a.s", "-o", "a.o"]);
    let bytes = s.read("a.o");
    let f = object::File::parse(&*bytes).unwrap();
    assert_eq!(f.format(), object::BinaryFormat::MachO);
    let n = names(&f);
    for want in ["_f", "_x", "_p", "_ext"] {
        assert!(n.iter().any(|x| x == want), "{want} not in {n:?}");
    }
    assert!(f.section_by_name("__text").is_some());
    assert!(f.section_by_name("__debug_line").is_some(), "DWARF in __DWARF");
    // SIGNED for the load, BRANCH for the call.
    let mut t = reloc_types(&f, "__text");
    t.sort();
    assert_eq!(t, vec![1, 2]);
    // The read-only pointer goes to __DATA,__const (it needs a relocation).
    let c = f.sections().find(|x| x.name() == Ok("__const")).unwrap();
    assert_eq!(c.segment_name().unwrap(), Some("__DATA"));

    ok(&s.0, &["-arch", "arm64", "-os", "darwin", "b.s", "-o", "b.o"]);
    let bytes = s.read("b.o");
    let f = object::File::parse(&*bytes).unwrap();
    let mut t = reloc_types(&f, "__text");
    t.sort();
    // BRANCH26, PAGE21 + PAGEOFF12 twice; x+8 through ARM64_RELOC_ADDEND (which
    // object's reader folds into the addend of the relocation it precedes).
    assert_eq!(t, vec![2, 3, 3, 4, 4]);
    let text = f.section_by_name("__text").unwrap();
    let addends: Vec<i64> = text.relocations().map(|(_, r)| r.addend()).collect();
    assert_eq!(addends.iter().filter(|&&a| a == 8).count(), 2, "{addends:?}");
    assert!(bytes.windows(4).any(|w| w == [8, 0, 0, 0xa4]), "an ARM64_RELOC_ADDEND entry of 8");
}

#[test]
fn coff_amd64_386_arm64() {
    let s = Scratch::new("coff");
    s.file("a.s", AMD64);
    s.file("m.h", HEADER);
    s.file("b.s", ARM64);
    s.file(
        "c.s",
        "#include \"textflag.h\"\nTEXT f(SB), NOSPLIT|NOFRAME, $0\n\tMOVL x(SB), AX\n\tCALL ext(SB)\n\tRET\nDATA x+0(SB)/4, $1\nGLOBL x(SB), NOPTR, $4\n",
    );
    ok(&s.0, &["-arch", "amd64", "-os", "windows", "a.s", "-o", "a.o"]);
    let bytes = s.read("a.o");
    let f = object::File::parse(&*bytes).unwrap();
    assert_eq!(f.format(), object::BinaryFormat::Coff);
    assert!(names(&f).iter().any(|x| x == "f"));
    assert_eq!(reloc_types(&f, ".text"), vec![4, 4], "IMAGE_REL_AMD64_REL32 twice");
    assert_eq!(reloc_types(&f, ".rdata"), vec![1], "IMAGE_REL_AMD64_ADDR64");
    assert!(f.section_by_name(".debug_line").is_some());
    // REL32 stores Go's addend: 0 here (the ELF form would need -4).
    let text = f.section_by_name(".text").unwrap();
    let data = text.data().unwrap();
    let (off, _) = text.relocations().next().unwrap();
    assert_eq!(&data[off as usize..off as usize + 4], &[0, 0, 0, 0]);

    ok(&s.0, &["-arch", "386", "-os", "windows", "c.s", "-o", "c.o"]);
    let bytes = s.read("c.o");
    let f = object::File::parse(&*bytes).unwrap();
    let n = names(&f);
    assert!(n.iter().any(|x| x == "_f") && n.iter().any(|x| x == "@feat.00"), "{n:?}");
    let mut t = reloc_types(&f, ".text");
    t.sort();
    assert_eq!(t, vec![6, 0x14], "IMAGE_REL_I386_DIR32 and REL32");

    ok(&s.0, &["-arch", "arm64", "-os", "windows", "b.s", "-o", "b.o"]);
    let bytes = s.read("b.o");
    let f = object::File::parse(&*bytes).unwrap();
    let mut t = reloc_types(&f, ".text");
    t.sort();
    // BRANCH26, PAGEBASE_REL21 twice, PAGEOFFSET_12A, PAGEOFFSET_12L.
    assert_eq!(t, vec![3, 4, 4, 6, 7]);
    // x+8: the ADRP immediate holds 8, the LDR's scaled immediate 1.
    let text = f.section_by_name(".text").unwrap();
    let d = text.data().unwrap();
    let word = |i: usize| u32::from_le_bytes(d[i..i + 4].try_into().unwrap());
    let (adrp, ldr) = (word(0), word(4));
    assert_eq!((adrp >> 29) & 3 | ((adrp >> 5) & 0x7ffff) << 2, 8, "{adrp:#x}");
    assert_eq!((ldr >> 10) & 0xfff, 1, "{ldr:#x}");
}

#[test]
fn other_arches_refuse_macho_and_coff() {
    let s = Scratch::new("refuse");
    s.file("d.s", "DATA x+0(SB)/8, $1\nGLOBL x(SB), $8\n");
    let o = goasm(&s.0, &["-arch", "riscv64", "-os", "darwin", "d.s", "-o", "d.o"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Mach-O output is for amd64 and arm64 only"));
    assert!(!s.0.join("d.o").exists());
}

#[test]
fn dwarf_lines_nodwarf_trimpath() {
    let s = Scratch::new("dwarf");
    s.file("a.s", AMD64);
    s.file("m.h", HEADER);
    ok(&s.0, &["-arch", "amd64", "-os", "linux", "a.s", "-o", "a.o"]);
    ok(&s.0, &["-arch", "amd64", "-os", "linux", "-no-dwarf", "a.s", "-o", "n.o"]);
    let (a, n) = (s.read("a.o"), s.read("n.o"));
    let fa = object::File::parse(&*a).unwrap();
    let fn_ = object::File::parse(&*n).unwrap();
    for sec in [".debug_line", ".debug_info", ".debug_abbrev"] {
        assert!(fa.section_by_name(sec).is_some(), "{sec}");
        assert!(fn_.section_by_name(sec).is_none(), "-no-dwarf still has {sec}");
    }
    let text = |f: &object::File| f.section_by_name(".text").unwrap().data().unwrap().to_vec();
    assert_eq!(text(&fa), text(&fn_), "DWARF must not change code");
    // The recorded file is the absolute path (as Go's objabi.AbsFile; goasm runs in
    // s.0, which getcwd spells resolved), the compile unit directory ".".
    let line = fa.section_by_name(".debug_line").unwrap().data().unwrap().to_vec();
    let abs_name = format!("{}/a.s\0", std::fs::canonicalize(&s.0).unwrap().display());
    assert!(line.windows(abs_name.len()).any(|w| w == abs_name.as_bytes()), "{abs_name:?} not recorded");
    // -trimpath rewrites the absolute form of the path.
    let abs = s.0.join("a.s");
    let rw = format!("{}=>src", s.0.display());
    ok(&s.0, &["-arch", "amd64", "-os", "linux", "-trimpath", &rw, abs.to_str().unwrap(), "-o", "t.o"]);
    let t = s.read("t.o");
    let ft = object::File::parse(&*t).unwrap();
    let line = ft.section_by_name(".debug_line").unwrap().data().unwrap().to_vec();
    assert!(line.windows(4).any(|w| w == b"src\0") || line.windows(8).any(|w| w == b"src/a.s\0"));
    assert!(!t.windows(s.0.as_os_str().len()).any(|w| w == s.0.as_os_str().as_encoded_bytes()), "absolute path left");
}

#[test]
fn dependency_files() {
    let s = Scratch::new("deps");
    s.file("a.s", AMD64);
    s.file("m.h", HEADER);
    std::fs::create_dir_all(s.0.join("out")).unwrap();
    ok(&s.0, &["-arch", "amd64", "-os", "linux", "-MD", "-MP", "a.s", "-o", "out/a.o"]);
    let d = String::from_utf8(s.read("out/a.d")).unwrap();
    assert_eq!(d, "out/a.o: \\\n  a.s \\\n  m.h\n\nm.h:\n");
    ok(&s.0, &["-arch", "amd64", "-os", "linux", "-MF", "x.dep", "a.s", "-o", "b.o"]);
    assert_eq!(String::from_utf8(s.read("x.dep")).unwrap(), "b.o: \\\n  a.s \\\n  m.h\n");
    assert!(!s.0.join("b.d").exists());
    // A failed assembly writes no dependency file.
    s.file("bad.s", "TEXT f(SB), $0\n\tBOGUS\n");
    let o = goasm(&s.0, &["-arch", "amd64", "-os", "linux", "-MD", "bad.s", "-o", "bad.o"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!s.0.join("bad.d").exists() && !s.0.join("bad.o").exists());
}

/// Go's TLS code forms per GOOS (bytes from Go 1.27.3's `go tool asm -S`;
/// in Mach-O the darwin/amd64 R_TLS_LE fields are resolved to 0x30+off).
#[test]
fn tls_forms_per_goos() {
    let s = Scratch::new("tls");
    s.file(
        "t.s",
        "#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0\n\tMOVQ TLS, CX\n\tMOVQ 0(CX)(TLS*1), AX\n\tMOVQ 8(CX)(TLS*1), BX\n\
         \tMOVQ AX, 0(CX)(TLS*1)\n\tMOVQ 0(TLS), DX\n\tMOVQ 16(TLS), DX\n\tRET\n",
    );
    s.file("t386.s", "#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0\n\tMOVL TLS, CX\n\tMOVL 0(CX)(TLS*1), AX\n\tMOVL AX, 4(CX)(TLS*1)\n\tMOVL 0(TLS), DX\n\tRET\n");
    let hex = |h: &str| -> Vec<u8> { h.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect() };
    let cases = [
        ("amd64", "darwin", "t.s", "__text", "65 48 8b 04 25 30 00 00 00 65 48 8b 1c 25 38 00 00 00 65 48 89 04 25 30 00 00 00 65 48 8b 14 25 30 00 00 00 65 48 8b 14 25 40 00 00 00 c3"),
        ("amd64", "windows", "t.s", ".text", "48 8b 0d 00 00 00 00 65 48 8b 09 48 8b 01 48 8b 59 08 48 89 01 48 8b 15 00 00 00 00 65 48 8b 12 48 8b 12 48 8b 15 00 00 00 00 65 48 8b 12 48 8b 52 10 c3"),
        ("amd64", "solaris", "t.s", ".text", "64 48 8b 0c 25 00 00 00 00 64 48 8b 04 25 00 00 00 00 64 48 8b 1c 25 00 00 00 00 64 48 89 04 25 00 00 00 00 64 48 8b 14 25 00 00 00 00 64 48 8b 14 25 00 00 00 00 c3"),
        ("386", "windows", "t386.s", ".text", "8b 0d 00 00 00 00 64 8b 09 8b 01 89 41 04 8b 15 00 00 00 00 64 8b 12 8b 12 c3"),
    ];
    for (arch, os, src, sec, want) in cases {
        ok(&s.0, &["-arch", arch, "-os", os, "-p", "p", "-no-dwarf", src, "-o", "t.o"]);
        let bytes = s.read("t.o");
        let f = object::File::parse(&*bytes).unwrap();
        let text = f.section_by_name(sec).unwrap();
        let want = hex(want);
        assert_eq!(&text.data().unwrap()[..want.len()], &want[..], "{arch}/{os}");
    }
}

/// DUPOK symbols (Go's `$f64.` constants) are COMDAT (select any) in COFF,
/// so two objects that both define one link.
#[test]
fn coff_dupok_is_comdat() {
    let s = Scratch::new("comdat");
    s.file("d.s", "#include \"textflag.h\"\nTEXT f(SB), NOSPLIT|NOFRAME, $0\n\tMOVSD $1.5, X0\n\tRET\n");
    ok(&s.0, &["-arch", "amd64", "-os", "windows", "d.s", "-o", "d.o"]);
    let bytes = s.read("d.o");
    let f = object::File::parse(&*bytes).unwrap();
    let c: Vec<_> = f.comdats().map(|c| c.name().unwrap().to_string()).collect();
    assert_eq!(c, vec!["$f64.3ff8000000000000"]);
    assert!(f.section_by_name(".rdata$$f64.3ff8000000000000").is_some());
}
