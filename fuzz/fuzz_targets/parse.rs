//! The parser's entry points: the first 64 preprocessed lines through
//! `parse_line`, and each comma-separated piece through `parse_operand` and
//! `eval_expr`, for the architecture of the first byte.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if !goasm_fuzz::screened(data) {
        return;
    }
    let Some((arch, src)) = goasm_fuzz::split_arch(data) else { return };
    let spec = arch_tables::spec(arch, false);
    for toks in goasm_fuzz::token_lines(arch, src, 64) {
        if let Err(e) = asm_parser::parse_line(spec, &toks) {
            assert!(e.at <= toks.len(), "error index {} past {} tokens", e.at, toks.len());
        }
        for piece in toks.split(|t| t.tok.is_punct(',')) {
            let _ = asm_parser::parse_operand(spec, piece);
            let _ = asm_parser::eval_expr(spec, piece);
        }
    }
});
