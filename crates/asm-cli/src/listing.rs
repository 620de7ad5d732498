//! `-S`: the listing of `go tool asm -S`, text symbols first, then data.
//! `obj` prints symbols; instructions and positions are printed here, where
//! the parser's formatter and the source map are.

use arch_tables::ArchSpec;
use asm_lexer::{SourceMap, Span};
use obj::listing::TextFormat;
use obj::Module;

use crate::debuginfo::recorded_name;

pub fn render(module: &Module, sources: &SourceMap, spec: &'static ArchSpec, trimpath: Option<&str>) -> String {
    let cwd = std::env::current_dir().ok();
    let insn = |p: &obj::Prog| asm_parser::print::format_prog(spec, module, p);
    let pos = |span: Span| match sources.logical_line(span.lo) {
        // What the backend adds without a source line (arm64's trampolines).
        _ if span.is_dummy() => "<unknown line number>".to_string(),
        Some((name, line)) => format!("{}:{line}", recorded_name(name, trimpath, cwd.as_deref())),
        None => "?".to_string(),
    };
    let fmt = TextFormat { insn: &insn, pos: &pos };
    let backend = obj::backend(module.arch);
    let mut out = String::new();
    for f in &module.funcs {
        out.push_str(&backend.list_text(module, f, &fmt));
    }
    out.push_str(&obj::listing::list_data(module));
    out
}
