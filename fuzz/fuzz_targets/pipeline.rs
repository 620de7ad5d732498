//! The whole pipeline per architecture (first byte: GOARCH, all 14; second
//! byte's low bit: -syntax-only): source in, object bytes or diagnostics out,
//! backends and the ELF writer included. A success must be a readable object.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if !goasm_fuzz::screened(data) {
        return;
    }
    let Some((arch, rest)) = goasm_fuzz::split_arch(data) else { return };
    let Some((&mode, src)) = rest.split_first() else { return };
    let out = goasm_fuzz::pipeline(arch, src, mode & 1 == 1);
    if let Some(bytes) = out.object {
        assert_eq!(out.errors, 0);
        if arch != arch_tables::GoArch::Wasm {
            assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF object");
        }
    }
});
