//! The arm64 backend, matching Go 1.27.3's assembler.

use arch_tables::GoArch;
use asm_lexer::Diags;

use crate::backend::{Backend, Ctxt};
use crate::module::Module;

pub struct Arm64;

pub static ARM64: Arm64 = Arm64;

impl Backend for Arm64 {
    fn arch(&self) -> GoArch {
        GoArch::Arm64
    }
    fn assemble(&self, module: &mut Module, _ctxt: &Ctxt, diags: &mut Diags) {
        crate::backend::not_supported_yet(GoArch::Arm64, module, diags)
    }
}
