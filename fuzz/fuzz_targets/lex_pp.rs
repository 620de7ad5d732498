//! Tokenizer and preprocessor: any bytes, every token until EOF or the
//! first preprocessor error; token spans must lie inside the source map.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if !goasm_fuzz::screened(data) {
        return;
    }
    let Some((arch, src)) = goasm_fuzz::split_arch(data) else { return };
    for line in goasm_fuzz::token_lines(arch, src, usize::MAX) {
        for t in &line {
            assert!(t.span.lo.0 <= t.span.hi.0 || t.span.is_dummy(), "span {:?}", t.span);
        }
    }
});
