//! Stage benchmarks (criterion): lex+preprocess, parse, front end (parse
//! and lowering), encode, object writing, each on Go's `amd64enc.s` and
//! `arm64enc.s` (from `$(go env GOROOT)`; skipped without Go), reported in
//! MB/s of source (`bytes/…`) and assembled instructions/s (`insns/…`).
//!
//! cargo bench -p asm-cli --bench stages

use std::path::PathBuf;

use arch_tables::GoArch;
use asm_lexer::pp::{PpConfig, Preprocessor};
use asm_lexer::{Diags, SourceMap, Tok, Token};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use obj::{GoOs, Module, Target};

struct Input {
    name: &'static str,
    arch: GoArch,
    text: String,
    include: PathBuf,
    insns: u64,
}

fn goroot() -> Option<PathBuf> {
    let out = std::process::Command::new("go").args(["env", "GOROOT"]).output().ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    p.join("src").is_dir().then_some(p)
}

fn inputs() -> Vec<Input> {
    let Some(root) = goroot() else {
        eprintln!("stages: no Go on PATH, nothing to measure");
        return Vec::new();
    };
    let testdata = root.join("src/cmd/asm/internal/asm/testdata");
    let mut v = Vec::new();
    for (name, arch) in [("amd64enc.s", GoArch::Amd64), ("arm64enc.s", GoArch::Arm64)] {
        let Ok(src) = std::fs::read_to_string(testdata.join(name)) else { continue };
        // As scripts/bench_inputs.py: textflag.h from $GOROOT/pkg/include.
        let text = src.replace("#include \"../../../../../runtime/textflag.h\"", "#include \"textflag.h\"");
        let mut v0 = Input { name, arch, text, include: root.join("pkg/include"), insns: 0 };
        v0.insns = statements(&v0).iter().filter(|s| !is_directive(s)).count() as u64;
        v.push(v0);
    }
    v
}

fn preprocessor(inp: &Input) -> Preprocessor {
    let mut sm = SourceMap::new();
    let id = sm.add(inp.name, None, inp.text.clone()).expect("source added");
    let cfg = PpConfig { include_dirs: vec![inp.include.clone()], ..Default::default() };
    Preprocessor::new(sm, cfg, id)
}

/// Every statement's tokens.
fn statements(inp: &Input) -> Vec<Vec<Token>> {
    let mut pp = preprocessor(inp);
    let mut out = Vec::new();
    let mut line = Vec::new();
    loop {
        let t = pp.next_token().expect("preprocesses");
        match t.tok {
            Tok::Newline | Tok::Eof => {
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                if t.tok == Tok::Eof {
                    return out;
                }
            }
            _ => line.push(t),
        }
    }
}

/// TEXT, DATA, GLOBL: not instructions.
fn is_directive(s: &[Token]) -> bool {
    matches!(&s[0].tok, Tok::Ident(n) if matches!(n.as_str(), "TEXT" | "DATA" | "GLOBL"))
}

fn front_end(inp: &Input) -> Module {
    let mut pp = preprocessor(inp);
    let mut m = Module::new(inp.arch);
    let mut d = Diags::new(None);
    asm_parser::assemble_file(&mut pp, arch_tables::spec(inp.arch, false), &mut m, 0, &Default::default(), &mut d);
    assert!(!d.has_errors(), "{:?}", d.list.first());
    m
}

fn encoded(inp: &Input) -> Module {
    let mut m = front_end(inp);
    let mut d = Diags::new(None);
    obj::backend(inp.arch).assemble(&mut m, &obj::Ctxt::default(), &mut d);
    m
}

fn stages(c: &mut Criterion) {
    for inp in inputs() {
        let arch = inp.arch;
        // The arm64 backend may not take every line yet: measure encoding only when it does.
        let encodes = {
            let mut m = front_end(&inp);
            let mut d = Diags::new(None);
            obj::backend(arch).assemble(&mut m, &obj::Ctxt::default(), &mut d);
            !d.has_errors()
        };
        let stmts = statements(&inp);
        let spec = arch_tables::spec(arch, false);
        let target = Target::new(arch, GoOs::Linux);
        let written = encodes.then(|| encoded(&inp));
        for (unit, tp) in [("bytes", Throughput::Bytes(inp.text.len() as u64)), ("insns", Throughput::Elements(inp.insns))] {
            let mut g = c.benchmark_group(format!("{unit}/{}", inp.name));
            g.throughput(tp).sample_size(10).measurement_time(std::time::Duration::from_secs(2));
            g.bench_function("lex+preprocess", |b| {
                b.iter(|| {
                    let mut pp = preprocessor(&inp);
                    let mut n = 0usize;
                    while pp.next_token().expect("preprocesses").tok != Tok::Eof {
                        n += 1;
                    }
                    n
                })
            });
            g.bench_function("parse", |b| {
                b.iter(|| stmts.iter().map(|s| asm_parser::parse_line(spec, s).is_ok() as usize).sum::<usize>())
            });
            g.bench_function("front end (lex, parse, lower)", |b| b.iter(|| front_end(&inp)));
            if encodes {
                g.bench_function("encode", |b| {
                    b.iter_batched(
                        || front_end(&inp),
                        |mut m| {
                            let mut d = Diags::new(None);
                            obj::backend(arch).assemble(&mut m, &obj::Ctxt::default(), &mut d);
                            m
                        },
                        BatchSize::LargeInput,
                    )
                });
            }
            if let Some(m) = &written {
                g.bench_function("write object", |b| b.iter(|| obj::write_object(m, &target).expect("writes")));
            }
            g.finish();
        }
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
