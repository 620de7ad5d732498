//! Nothing lost: on any error the output file is untouched and no temporary
//! file remains; on success it is complete. Output is deterministic: the
//! same input twice, from another directory, or with another `-I` order
//! that finds the same files gives identical bytes; `-trimpath` removes the
//! prefix from everything recorded.

use std::fs;
use std::path::Path;
use std::process::Output;

mod common;
use common::{goasm, Scratch};

fn ok(o: &Output) {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

const CODE_AMD64: &str = "#include \"textflag.h\"\n#include \"defs.h\"\nTEXT ·f(SB), NOSPLIT, $0-8\n\tMOVQ $VALUE, AX\n\tMOVQ AX, ret+0(FP)\n\tRET\nDATA ·x+0(SB)/8, $·f(SB)\nGLOBL ·x(SB), RODATA, $8\n";
const CODE_ARM64: &str = "#include \"textflag.h\"\n#include \"defs.h\"\nTEXT ·f(SB), NOSPLIT, $0-8\n\tMOVD $VALUE, R0\n\tMOVD R0, ret+0(FP)\n\tRET\nDATA ·x+0(SB)/8, $·f(SB)\nGLOBL ·x(SB), RODATA, $8\n";

#[test]
fn errors_of_every_stage_leave_the_output_untouched() {
    let s = Scratch::new("untouched");
    s.file("inc/defs.h", "#define VALUE 42\n");
    let cases: &[(&str, &str, &str)] = &[
        ("amd64", "front.s", "#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0\n\tMOVQ $1, RAX\n\tRET\n"),
        ("amd64", "back.s", "#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0\n\tADDQ X1, AX\n\tRET\n"),
        ("arm64", "back64.s", "#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0\n\tADD $1, R1, (R2)\n\tRET\n"),
        ("amd64", "pp.s", "#include \"nonexistent.h\"\n"),
        ("amd64", "late.s", "#include \"textflag.h\"\nTEXT ·f(SB), NOSPLIT, $0\n\tRET\nDATA ·y+0(SB)/3, $\"abcd\"\nGLOBL ·y(SB), $3\n"),
    ];
    for (arch, name, src) in cases {
        s.file(name, src);
        fs::write(s.0.join("out.o"), b"previous good object").unwrap();
        let o = goasm(&s.0, &["-arch", arch, "-os", "linux", "-I", "inc", "-o", "out.o", name]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(fs::read(s.0.join("out.o")).unwrap(), b"previous good object", "{name}");
        assert!(s.entries().iter().all(|e| !e.contains("tmp")), "{name}: {:?}", s.entries());
    }
    // An output directory that cannot take the temporary file: the error names it, nothing is left.
    s.file("good.s", CODE_AMD64);
    let o = goasm(&s.0, &["-arch", "amd64", "-os", "linux", "-I", "inc", "-o", "missing/dir/out.o", "good.s"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!s.0.join("missing").exists());
    // Success replaces the old object completely, leaving no temporary file.
    let o = goasm(&s.0, &["-arch", "amd64", "-os", "linux", "-I", "inc", "-o", "out.o", "good.s"]);
    ok(&o);
    let bytes = fs::read(s.0.join("out.o")).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
    assert!(s.entries().iter().all(|e| !e.contains("tmp")), "{:?}", s.entries());
}

#[test]
fn deterministic_twice_elsewhere_and_any_include_order() {
    for (arch, code) in [("amd64", CODE_AMD64), ("arm64", CODE_ARM64), ("386", CODE_AMD64.replace("MOVQ", "MOVL").replace("/8,", "/4,").replace("$8\n", "$4\n").as_str())] {
        let s = Scratch::new(&format!("det-{arch}"));
        s.file("src/f.s", code);
        s.file("inc/defs.h", "#define VALUE 42\n");
        fs::create_dir_all(s.0.join("empty")).unwrap();
        fs::create_dir_all(s.0.join("elsewhere")).unwrap();
        let src = s.0.join("src");
        let run = |dir: &Path, args: &[&str], out: &str| -> Vec<u8> {
            let mut all = vec!["-arch", arch, "-os", "linux", "-p", "p"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["-o", out]);
            ok(&goasm(dir, &all));
            fs::read(dir.join(out)).unwrap()
        };
        let a = run(&src, &["-I", "../inc", "f.s"], "1.o");
        let b = run(&src, &["-I", "../inc", "f.s"], "2.o");
        assert_eq!(a, b, "{arch}: twice");
        // Another -I order that finds the same files.
        let c = run(&src, &["-I", "../empty", "-I", "../inc", "f.s"], "3.o");
        let d = run(&src, &["-I", "../inc", "-I", "../empty", "f.s"], "4.o");
        assert_eq!(a, c, "{arch}: -I order");
        assert_eq!(a, d, "{arch}: -I order");
        // The same file from another directory, and named through other relative or
        // absolute spellings (of the file and of -I): paths are recorded absolute and
        // cleaned (see debuginfo.rs), so each file has one name.
        let e = run(&s.0.join("elsewhere"), &["-I", "../inc", "../src/f.s"], "5.o");
        assert_eq!(a, e, "{arch}: from another directory");
        let root = s.0.to_str().unwrap();
        let abs_inc = format!("{root}/inc");
        let abs_src = format!("{root}/src/f.s");
        let f = run(&s.0, &["-I", &abs_inc, &abs_src], "6.o");
        assert_eq!(a, f, "{arch}: absolute spellings");
        let g = run(&src, &["-I", "./../src/../inc/", "../src/./f.s"], "7.o");
        assert_eq!(a, g, "{arch}: unclean spellings");
        // The same tree elsewhere: identical once -trimpath removes where it is.
        let moved = Scratch::new(&format!("det-{arch}-moved"));
        moved.file("src/f.s", code);
        moved.file("inc/defs.h", "#define VALUE 42\n");
        let trim = |dir: &Path| format!("{}=>tree", dir.to_str().unwrap());
        let h = run(&src, &["-trimpath", &trim(&s.0), "-I", "../inc", "f.s"], "8.o");
        let i = run(&moved.0.join("src"), &["-trimpath", &trim(&moved.0), "-I", "../inc", "f.s"], "9.o");
        assert_eq!(h, i, "{arch}: moved tree with -trimpath");
        assert_ne!(a, h, "{arch}: -trimpath changes the recorded names");
    }
}

#[test]
fn trimpath_removes_the_prefix_from_everything_recorded() {
    let s = Scratch::new("trim");
    s.file("src/f.s", CODE_AMD64);
    s.file("inc/defs.h", "#define VALUE 42\n");
    let root = s.0.to_str().unwrap().to_string();
    let abs = s.0.join("src/f.s");
    let inc = s.0.join("inc");
    let args = |out: &'static str, trim: bool| {
        let mut v = vec!["-arch".to_string(), "amd64".into(), "-os".into(), "linux".into(), "-p".into(), "p".into()];
        v.extend(["-I".to_string(), inc.to_string_lossy().into_owned()]);
        if trim {
            v.extend(["-trimpath".to_string(), root.clone()]);
        }
        v.extend(["-o".to_string(), out.to_string(), abs.to_string_lossy().into_owned()]);
        v
    };
    let run = |a: Vec<String>| ok(&goasm(&s.0, &a.iter().map(String::as_str).collect::<Vec<_>>()));
    run(args("plain.o", false));
    run(args("trim.o", true));
    let plain = String::from_utf8_lossy(&fs::read(s.0.join("plain.o")).unwrap()).into_owned();
    let trim = String::from_utf8_lossy(&fs::read(s.0.join("trim.o")).unwrap()).into_owned();
    assert!(plain.contains(&root), "without -trimpath the absolute name is recorded");
    assert!(!trim.contains(&root), "-trimpath left {root} in the object");
    assert!(trim.contains("src/f.s"), "the trimmed name is recorded");
    // A relative name on the command line is recorded absolute (so trimmed the same).
    let rel = |out: &'static str, trim: bool| {
        let mut v = args(out, trim);
        *v.last_mut().unwrap() = "src/f.s".into();
        v
    };
    run(rel("rel.o", false));
    run(rel("reltrim.o", true));
    assert_eq!(fs::read(s.0.join("rel.o")).unwrap(), fs::read(s.0.join("plain.o")).unwrap());
    assert_eq!(fs::read(s.0.join("reltrim.o")).unwrap(), fs::read(s.0.join("trim.o")).unwrap());
}
