//! The x86 encoding vectors of testdata/{amd64,386}/*.s (written by
//! crates/obj/src/arch/x86/gen/gen_vectors.py from Go's assembler): every
//! `INSTR // hex` line must assemble to those bytes (relocated bytes are
//! zero), every `INSTR // ERROR "..."` line must be rejected. No Go needed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arch_tables::{spec, GoArch};
use asm_lexer::{Diags, PpConfig, Preprocessor, SourceMap};

/// One vector: the instruction and Go's bytes (None: Go rejects it).
struct Vector {
    line: usize,
    insn: String,
    want: Option<String>,
}

fn vectors(path: &Path) -> Vec<Vector> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let Some(body) = l.strip_prefix('\t') else { continue };
        let Some((insn, comment)) = body.rsplit_once(" // ") else { continue };
        let want = if comment.starts_with("ERROR") { None } else { Some(comment.trim().to_string()) };
        out.push(Vector { line: i + 1, insn: insn.trim().to_string(), want });
    }
    out
}

/// Assembles every vector as its own TEXT symbol `v<k>` (on source lines
/// 2k+1 and 2k+2); returns each vector's bytes (relocated bytes zeroed) or
/// its first error.
fn assemble(arch: GoArch, vs: &[Vector]) -> Vec<Result<String, String>> {
    let mut src = String::new();
    for (k, v) in vs.iter().enumerate() {
        src.push_str(&format!("TEXT v{k}(SB), 516, $0\n\t{}\n", v.insn));
    }
    let mut sm = SourceMap::new();
    let id = sm.add("vectors.s", None, src).unwrap();
    let mut pp = Preprocessor::new(sm, PpConfig::default(), id);
    let mut m = obj::Module::new(arch);
    let mut diags = Diags::new(None);
    asm_parser::assemble_file(&mut pp, spec(arch, false), &mut m, 0, &asm_parser::Options::default(), &mut diags);
    obj::backend(arch).assemble(&mut m, &obj::Ctxt::default(), &mut diags);
    let sources = pp.into_sources();
    let mut errors: BTreeMap<usize, String> = BTreeMap::new();
    for d in &diags.list {
        let line = d.span.and_then(|s| sources.physical(s.lo)).map(|(_, l, _)| l as usize);
        if let Some(l) = line {
            errors.entry((l - 1) / 2).or_insert_with(|| d.message.clone());
        }
    }
    let mut bytes: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for f in &m.funcs {
        let s = m.syms.get(f.sym);
        let mut data = s.data.clone();
        for r in &s.relocs {
            let (a, b) = (r.off as usize, r.off as usize + usize::from(r.size));
            let end = b.min(data.len());
            data[a..end].fill(0);
        }
        bytes.insert(s.name.clone(), data);
    }
    (0..vs.len())
        .map(|k| match errors.get(&k) {
            Some(e) => Err(e.clone()),
            None => match bytes.get(&format!("v{k}")) {
                Some(b) => Ok(b.iter().map(|x| format!("{x:02x}")).collect()),
                None => Err("no symbol".to_string()),
            },
        })
        .collect()
}

fn check_dir(goarch: &str, arch: GoArch) -> (usize, Vec<String>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(goarch);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut n = 0;
    let mut bad = Vec::new();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "s")) {
        let vs = vectors(path);
        let got = assemble(arch, &vs);
        let name = format!("{goarch}/{}", path.file_name().unwrap().to_string_lossy());
        for (v, g) in vs.iter().zip(got) {
            n += 1;
            let problem = match (&v.want, g) {
                (Some(w), Ok(h)) if *w == h => continue,
                (None, Err(_)) => continue,
                (Some(w), Ok(h)) => format!("bytes {h}, Go {w}"),
                (Some(w), Err(e)) => format!("rejected ({e}), Go {w}"),
                (None, Ok(h)) => format!("accepted ({h}), Go rejects it"),
            };
            bad.push(format!("{name}:{}: {}: {problem}", v.line, v.insn));
        }
    }
    assert!(n > 1000, "{goarch}: only {n} vectors found in {}", dir.display());
    (n, bad)
}

fn report(goarch: &str, arch: GoArch) {
    let (n, bad) = check_dir(goarch, arch);
    println!("{goarch}: {}/{n} vectors match Go", n - bad.len());
    for b in &bad {
        println!("  {b}");
    }
    assert!(bad.is_empty(), "{goarch}: {} of {n} vectors differ from Go (listed above)", bad.len());
}

#[test]
fn amd64_vectors() {
    report("amd64", GoArch::Amd64);
}

#[test]
fn i386_vectors() {
    report("386", GoArch::I386);
}
