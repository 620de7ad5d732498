//! The x86 backend (amd64 and 386), matching Go 1.27.3's assembler.

use arch_tables::GoArch;
use asm_lexer::Diags;

use crate::backend::{Backend, Ctxt};
use crate::module::Module;

pub struct X86 {
    pub arch: GoArch,
}

pub static AMD64: X86 = X86 { arch: GoArch::Amd64 };
pub static I386: X86 = X86 { arch: GoArch::I386 };

impl Backend for X86 {
    fn arch(&self) -> GoArch {
        self.arch
    }
    fn assemble(&self, module: &mut Module, _ctxt: &Ctxt, diags: &mut Diags) {
        crate::backend::not_supported_yet(self.arch, module, diags)
    }
}
