//! Shared helpers of the goasm fuzz targets: input screening, architecture
//! choice, and the pipeline the CLI runs (preprocess, parse and lower,
//! backend, object writer), all in memory.

use arch_tables::GoArch;
use asm_lexer::pp::{PpConfig, PpLimits, Preprocessor};
use asm_lexer::{Diags, SourceMap, Tok, Token};
use obj::{GoOs, Module, Target};

/// Inputs that could make the preprocessor read special or huge files
/// (`#include "/dev/stdin"` blocks forever, `/dev/zero` reads 64 MiB per
/// `#include`) are skipped: absolute names (a string starting with `/`) and
/// `../`. Relative names only reach the fuzz directory's own small files.
/// Hostile includes have their own tests (crates/asm-cli/tests/hostile.rs).
pub fn screened(data: &[u8]) -> bool {
    let has = |n: &[u8]| data.windows(n.len()).any(|w| w == n);
    !(has(b"\"/") || has(b"../") || has(b"/dev") || has(b"/proc"))
}

/// Smaller preprocessor limits than the CLI's, so that one input stays fast
/// (the CLI's defaults are exercised by the hostile-input tests).
pub fn fuzz_limits() -> PpLimits {
    PpLimits { expanded_tokens: 1 << 18, live_tokens: 1 << 16, includes: 64 }
}

/// The architecture named by an input's first byte, and the rest.
pub fn split_arch(data: &[u8]) -> Option<(GoArch, &[u8])> {
    let (&b, rest) = data.split_first()?;
    Some((GoArch::ALL[b as usize % GoArch::ALL.len()], rest))
}

fn preprocessor(arch: GoArch, os: GoOs, src: &[u8]) -> Option<Preprocessor> {
    let mut sources = SourceMap::new();
    let id = sources.add_bytes("fuzz.s", None, src.to_vec()).ok()?;
    let env = |_: &str| None;
    let cfg = PpConfig {
        include_dirs: Vec::new(),
        predefines: asm_lexer::pp::go_build_predefines(os.name(), arch.name(), &env),
        defines: vec![("GOARCH_".to_string() + arch.name(), None)],
    };
    let mut pp = Preprocessor::new(sources, cfg, id);
    pp.set_limits(fuzz_limits());
    Some(pp)
}

fn os_for(arch: GoArch) -> GoOs {
    if arch == GoArch::Wasm {
        "js".parse().unwrap()
    } else {
        "linux".parse().unwrap()
    }
}

/// Preprocesses `src`, returning the statements (token lines) it makes.
/// Stops at the first preprocessor error, as the assembler does.
pub fn token_lines(arch: GoArch, src: &[u8], max_lines: usize) -> Vec<Vec<Token>> {
    let Some(mut pp) = preprocessor(arch, os_for(arch), src) else { return Vec::new() };
    let mut lines = Vec::new();
    let mut cur = Vec::new();
    loop {
        let t = pp.next_token();
        let _ = pp.take_diags();
        match t {
            Err(_) => break,
            Ok(t) => match t.tok {
                Tok::Newline | Tok::Eof => {
                    let eof = t.tok == Tok::Eof;
                    if !cur.is_empty() {
                        lines.push(std::mem::take(&mut cur));
                    }
                    if eof || lines.len() >= max_lines {
                        break;
                    }
                }
                _ => cur.push(t),
            },
        }
    }
    lines
}

/// What one pipeline run produced.
pub struct Outcome {
    pub object: Option<Vec<u8>>,
    pub errors: usize,
}

/// The CLI's pipeline on `src` for `arch`: assemble, run the backend, write
/// the object (or collect the diagnostics), then render every diagnostic's
/// location as the CLI would.
pub fn pipeline(arch: GoArch, src: &[u8], syntax_only: bool) -> Outcome {
    let os = os_for(arch);
    let Some(mut pp) = preprocessor(arch, os, src) else { return Outcome { object: None, errors: 1 } };
    let spec = arch_tables::spec(arch, false);
    let opts = asm_parser::Options { pkg: Some("fuzz".into()), ..Default::default() };
    let mut diags = Diags::new(Some(10));
    let mut module = Module::new(arch);
    asm_parser::assemble_file(&mut pp, spec, &mut module, 0, &opts, &mut diags);
    let sources = pp.into_sources();
    if !diags.has_errors() && !syntax_only {
        let ctxt = obj::Ctxt { goos: os, ..Default::default() };
        obj::backend(arch).assemble(&mut module, &ctxt, &mut diags);
    }
    // Every diagnostic must point into the source map (the renderer relies on it).
    for d in &diags.list {
        if let Some(sp) = d.span {
            if let Some(loc) = sources.locate(sp.lo) {
                let _ = (loc.line, loc.col);
                let _ = sources.text(sp);
            }
        }
        for l in &d.labels {
            let _ = sources.locate(l.span.lo);
        }
    }
    if diags.has_errors() || syntax_only {
        return Outcome { object: None, errors: diags.error_count() };
    }
    let _ = obj::listing::list_data(&module);
    match obj::write_object(&module, &Target::new(arch, os)) {
        Ok(bytes) => Outcome { object: Some(bytes), errors: 0 },
        Err(_) => Outcome { object: None, errors: 1 },
    }
}
