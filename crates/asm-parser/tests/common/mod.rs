//! The harness of the encoding-vector tests (x86_vectors.rs, arm64_vectors.rs):
//! testdata/GOARCH/*.s in Go's testdata format, `INSTR // hex` (Go's bytes,
//! relocated bytes zero) or `INSTR // ERROR "..."` (Go rejects the line),
//! each assembled by goasm as its own TEXT symbol. No Go needed.

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

/// A mismatch: `file.s: INSTR` (its key in known_differences.txt) and the
/// full report line.
type Mismatch = (String, String);

fn check_dir(goarch: &str, arch: GoArch, min: usize) -> (usize, Vec<Mismatch>) {
    let dir = testdata(goarch);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut n = 0;
    let mut bad = Vec::new();
    for path in files.iter().filter(|p| p.extension().is_some_and(|e| e == "s")) {
        let vs = vectors(path);
        let got = assemble(arch, &vs);
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        for (v, g) in vs.iter().zip(got) {
            n += 1;
            let problem = match (&v.want, g) {
                (Some(w), Ok(h)) if *w == h => continue,
                (None, Err(_)) => continue,
                (Some(w), Ok(h)) => format!("bytes {h}, Go {w}"),
                (Some(w), Err(e)) => format!("rejected ({e}), Go {w}"),
                (None, Ok(h)) => format!("accepted ({h}), Go rejects it"),
            };
            bad.push((format!("{file}: {}", v.insn), format!("{goarch}/{file}:{}: {}: {problem}", v.line, v.insn)));
        }
    }
    assert!(n >= min, "{goarch}: only {n} vectors found in {}", dir.display());
    (n, bad)
}

fn testdata(goarch: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(goarch)
}

/// testdata/GOARCH/known_differences.txt: mismatches with Go that are known
/// bugs (each with an issue), one `file.s: INSTR` a line; `#` comments.
fn known(goarch: &str) -> Vec<String> {
    let text = std::fs::read_to_string(testdata(goarch).join("known_differences.txt")).unwrap_or_default();
    text.lines().map(str::trim_end).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

/// Checks every vector of testdata/GOARCH/*.s (at least `min` of them),
/// printing each mismatch; fails on any mismatch not listed in
/// known_differences.txt and on any listed one that now matches.
pub fn report(goarch: &str, arch: GoArch, min: usize) {
    let (n, bad) = check_dir(goarch, arch, min);
    let known = known(goarch);
    println!("{goarch}: {}/{n} vectors match Go ({} known differences listed)", n - bad.len(), known.len());
    let mut new = 0;
    for (key, line) in &bad {
        let listed = known.contains(key);
        new += usize::from(!listed);
        println!("  {}{line}", if listed { "known: " } else { "" });
    }
    let fixed: Vec<&String> = known.iter().filter(|k| !bad.iter().any(|(b, _)| b == *k)).collect();
    for k in &fixed {
        println!("  fixed (remove it from known_differences.txt): {k}");
    }
    assert!(new == 0 && fixed.is_empty(), "{goarch}: {new} of {n} vectors differ from Go, {} known differences are fixed (listed above)", fixed.len());
}
