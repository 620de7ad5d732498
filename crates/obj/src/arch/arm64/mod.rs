//! The arm64 backend, matching Go 1.27.3's assembler (`cmd/internal/obj/arm64`).
//!
//! Per TEXT symbol: the frame transformations ([`frame`]: prologue, stack
//! split, RET expansion), operand rewrites, then layout ([`layout`]: form
//! lookup, literal pools, long-branch fixes, PCALIGN) and encoding ([`enc`]).
//! The operand-form rows, class cover relation and base instruction words are
//! generated from Go's own tables (`gen/generate.py` → `tables_gen.rs`), and
//! so is SVE (`sve_gen.rs`, see [`sve`]).
//!
//! Tests: `tests.rs` replays `testdata/*.progs` (instructions as Go's parser
//! hands them to the backend, with Go's bytes; `gen/vectors.py`) without Go;
//! `gen/gen_vectors.py` writes `testdata/arm64/*.s` (every optab row with
//! sample operands, Go's bytes), which `asm-parser/tests/arm64_vectors.rs`
//! checks without Go;
//! `gen/check.sh` checks the generated files are current; `gen/e2e.sh GOASM`
//! links goasm objects with C and runs them under qemu-aarch64.

mod class;
mod enc;
mod forms;
mod frame;
mod layout;
mod ops;
mod optab;
mod reloc_coff;
mod reloc_macho;
mod simd;
mod sve;
#[rustfmt::skip]
#[allow(dead_code)]
mod sve_gen;
#[rustfmt::skip]
#[allow(dead_code)]
mod tables_gen;
#[cfg(test)]
mod tests;

use arch_tables::GoArch;
use asm_lexer::Diags;

use crate::backend::{Backend, Ctxt, ElfReloc};
use crate::module::Module;
use crate::sym::{Reloc, RelocKind};

pub struct Arm64;

pub static ARM64: Arm64 = Arm64;

impl Backend for Arm64 {
    fn arch(&self) -> GoArch {
        GoArch::Arm64
    }

    fn assemble(&self, module: &mut Module, ctxt: &Ctxt, diags: &mut Diags) {
        for fi in 0..module.funcs.len() {
            self.assemble_func(module, fi, ctxt, diags);
            if diags.too_many() {
                break;
            }
        }
    }

    fn assemble_func(&self, module: &mut Module, fi: usize, ctxt: &Ctxt, diags: &mut Diags) {
        if ctxt.spectre_ret && fi == 0 {
            // Go says it once, at the first function.
            diags.push(asm_lexer::Diag::error(module.funcs[0].span, "-spectre=ret not supported on arm64"));
        }
        layout::assemble_func(module, fi, ctxt, diags);
    }

    fn accepted_forms(&self, op: arch_tables::Op) -> Vec<String> {
        forms::accepted_forms(op.0, &arch_tables::spec(GoArch::Arm64, false).op_display(op))
    }

    fn error_operand(&self, p: &crate::prog::Prog, message: &str) -> Option<crate::backend::Operand> {
        forms::error_operand(p, message)
    }

    fn macho_relocs(&self, r: &Reloc, goos: crate::target::GoOs, _: &mut [u8]) -> Result<Vec<crate::backend::NativeReloc>, String> {
        reloc_macho::macho_relocs(r, goos)
    }

    fn coff_relocs(&self, r: &Reloc, data: &mut [u8]) -> Result<Vec<crate::backend::NativeReloc>, String> {
        reloc_coff::coff_relocs(r, data)
    }

    fn elf_relocs(&self, r: &Reloc) -> Result<Vec<ElfReloc>, String> {
        use object::elf::*;
        let one = |t: RelocationType| vec![ElfReloc { offset_delta: 0, r_type: t.0, addend: r.add }];
        let pair = |a: RelocationType, b: RelocationType| {
            vec![
                ElfReloc { offset_delta: 0, r_type: a.0, addend: r.add },
                ElfReloc { offset_delta: 4, r_type: b.0, addend: r.add },
            ]
        };
        Ok(match r.kind {
            RelocKind::Addr => match r.size {
                8 => one(R_AARCH64_ABS64),
                4 => one(R_AARCH64_ABS32),
                n => return Err(format!("arm64: R_ADDR of size {n} has no ELF form")),
            },
            RelocKind::Call | RelocKind::Arch("R_CALLARM64") => one(R_AARCH64_CALL26),
            RelocKind::Arch("R_ADDRARM64") => pair(R_AARCH64_ADR_PREL_PG_HI21, R_AARCH64_ADD_ABS_LO12_NC),
            RelocKind::Arch("R_ARM64_PCREL_LDST8") => pair(R_AARCH64_ADR_PREL_PG_HI21, R_AARCH64_LDST8_ABS_LO12_NC),
            RelocKind::Arch("R_ARM64_PCREL_LDST16") => pair(R_AARCH64_ADR_PREL_PG_HI21, R_AARCH64_LDST16_ABS_LO12_NC),
            RelocKind::Arch("R_ARM64_PCREL_LDST32") => pair(R_AARCH64_ADR_PREL_PG_HI21, R_AARCH64_LDST32_ABS_LO12_NC),
            RelocKind::Arch("R_ARM64_PCREL_LDST64") => pair(R_AARCH64_ADR_PREL_PG_HI21, R_AARCH64_LDST64_ABS_LO12_NC),
            RelocKind::Arch("R_ARM64_GOTPCREL") => pair(R_AARCH64_ADR_GOT_PAGE, R_AARCH64_LD64_GOT_LO12_NC),
            RelocKind::Arch("R_ARM64_TLS_LE") => one(R_AARCH64_TLSLE_MOVW_TPREL_G0),
            RelocKind::Arch("R_ARM64_TLS_IE") => {
                pair(R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21, R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC)
            }
            RelocKind::Pcrel => one(R_AARCH64_PREL32),
            k => return Err(format!("arm64: relocation {k:?} has no ELF form yet")),
        })
    }
}
