//! The per-architecture backend seam.
//!
//! A backend runs Go's transformations of each TEXT body (prologue, pseudo
//! instruction expansion), encodes it with branch relaxation, and fills the
//! TEXT symbol's bytes and relocations. Backends for the architectures not
//! written yet answer with a clear error for every TEXT symbol: never an
//! empty object.

use arch_tables::GoArch;
use asm_lexer::{Diag, Diags};

use crate::module::Module;

/// Flags that change what the backends emit.
#[derive(Clone, Debug, Default)]
pub struct Ctxt {
    /// The target operating system (TLS access and symbol rules differ).
    pub goos: crate::target::GoOs,
    /// `-shared`: position-independent code.
    pub shared: bool,
    /// `-dynlink`: references to Go symbols in other shared objects.
    pub dynlink: bool,
    /// `-spectre` mitigations (`ret`, `index`, `all`).
    pub spectre_ret: bool,
    /// `-compiling-runtime`.
    pub compiling_runtime: bool,
    /// `-nosplit-all` (goasm's own): every TEXT is assembled as if NOSPLIT,
    /// so no prologue calls `runtime.morestack` (for code called from C).
    /// Backends apply it where they read the TEXT flags.
    pub nosplit_all: bool,
    /// The caller has no use for a function's instructions once it is
    /// encoded without errors (no listing): a backend may then leave
    /// `Func::progs` empty instead of rebuilding them as encoded.
    pub discard_progs: bool,
}

/// One native ELF relocation made from a Go relocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElfReloc {
    /// Added to the Go relocation's offset (a Go relocation over an
    /// instruction pair can become one ELF relocation per instruction).
    pub offset_delta: u32,
    /// The ELF `r_type` (for mips64, the packed type triple).
    pub r_type: u32,
    /// The explicit addend. On REL targets (386, arm, mips) it must be 0:
    /// the backend encodes the addend in the instruction instead.
    pub addend: i64,
}

/// One native Mach-O or COFF relocation made from a Go relocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NativeReloc {
    /// Added to the Go relocation's offset.
    pub offset_delta: u32,
    /// Mach-O `r_type` (`X86_64_RELOC_*`, `ARM64_RELOC_*`) or COFF
    /// `IMAGE_REL_*` type.
    pub r_type: u32,
    /// Mach-O `r_pcrel` (ignored for COFF).
    pub pcrel: bool,
    /// Width of the relocated field in bytes (Mach-O `r_length` is its log2).
    pub size: u8,
    /// The addend as `object::write` takes it (the ELF meaning, S + A - P for
    /// PC-relative kinds): `object` turns it into the implicit addend stored
    /// in the data (x86, COFF, Mach-O UNSIGNED) or into an `ARM64_RELOC_ADDEND`
    /// pair (Mach-O arm64 BRANCH26/PAGE21/PAGEOFF12). Kinds whose addend must
    /// live in an instruction field are encoded there by the backend, with 0 here.
    pub addend: i64,
}

/// An operand of a [`crate::Prog`], by the field the parser placed it in
/// (for diagnostics that point at one operand).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    From,
    Reg,
    /// `rest[i]`.
    Rest(usize),
    To,
    RegTo2,
}

/// For operands no form takes: the one position (of `n`) that every form
/// taking all the other positions rejects, when there is one; `None` when
/// the combination as a whole is wrong. `fits(form, i)`: whether the form
/// takes the operand at position `i`.
pub fn odd_one_out<F>(forms: impl IntoIterator<Item = F>, n: usize, fits: impl Fn(&F, usize) -> bool) -> Option<usize> {
    let mut culprit = None;
    for f in forms {
        let mut misses = (0..n).filter(|&i| !fits(&f, i));
        let (Some(i), None) = (misses.next(), misses.next()) else { continue };
        if culprit.is_some_and(|c| c != i) {
            return None;
        }
        culprit = Some(i);
    }
    culprit
}

pub trait Backend: Sync {
    fn arch(&self) -> GoArch;
    /// Encodes every TEXT symbol of the module, filling its data and relocations.
    fn assemble(&self, module: &mut Module, ctxt: &Ctxt, diags: &mut Diags);
    /// Encodes the one TEXT symbol `module.funcs[fi]`, as soon as its body
    /// is complete: the pipeline then drops its `Prog`s, so that no more than
    /// one function's program is alive at a time. Functions come in order,
    /// each exactly once; symbols of later functions may not exist yet.
    ///
    /// The default runs [`Backend::assemble`] on the module with only this
    /// function in `funcs`, which is what a backend that encodes each
    /// function on its own (as Go's do) computes anyway.
    fn assemble_func(&self, module: &mut Module, fi: usize, ctxt: &Ctxt, diags: &mut Diags) {
        let mut funcs = std::mem::take(&mut module.funcs);
        module.funcs.push(std::mem::take(&mut funcs[fi]));
        self.assemble(module, ctxt, diags);
        funcs[fi] = module.funcs.pop().expect("assemble keeps the function");
        module.funcs = funcs;
    }
    /// The ELF relocations for a Go relocation of a kind other than
    /// [`crate::RelocKind::Addr`] (absolute data addresses are generic).
    fn elf_relocs(&self, r: &crate::sym::Reloc) -> Result<Vec<ElfReloc>, String> {
        Err(format!("GOARCH={}: relocation {:?} has no ELF form yet", self.arch(), r.kind))
    }
    /// The Mach-O relocations for a Go relocation of a kind other than
    /// [`crate::RelocKind::Addr`]. `data` is the symbol's data: the backend
    /// writes implicit addends and instruction fields there. An empty list
    /// means the reference was resolved in place (e.g. darwin/amd64 TLS).
    fn macho_relocs(&self, r: &crate::sym::Reloc, _goos: crate::target::GoOs, _data: &mut [u8]) -> Result<Vec<NativeReloc>, String> {
        Err(format!("GOARCH={}: relocation {:?} has no Mach-O form yet", self.arch(), r.kind))
    }
    /// The COFF relocations for a Go relocation of a kind other than
    /// [`crate::RelocKind::Addr`]; as [`Backend::macho_relocs`].
    fn coff_relocs(&self, r: &crate::sym::Reloc, _data: &mut [u8]) -> Result<Vec<NativeReloc>, String> {
        Err(format!("GOARCH={}: relocation {:?} has no COFF form yet", self.arch(), r.kind))
    }
    /// The `-S` listing of a TEXT symbol in Go's format: header, one line
    /// per instruction (as `fmt` prints them), bytes and relocations.
    fn list_text(&self, module: &Module, func: &crate::module::Func, fmt: &crate::listing::TextFormat<'_>) -> String {
        crate::listing::list_text(module, func, fmt)
    }
    /// The operand forms `op` accepts, one per line in Plan 9 syntax
    /// (`MOVQ $simm32, r64/m64`), for diagnostics about an operand
    /// combination no form takes. Empty when the backend cannot say.
    fn accepted_forms(&self, _op: arch_tables::Op) -> Vec<String> {
        Vec::new()
    }
    /// Which operand of `p` this backend's error `message` about `p` is
    /// about, read from the message and the operands after the fact (the
    /// encoders stay as they are). `None` when the error concerns the
    /// instruction as a whole, or the backend cannot tell.
    fn error_operand(&self, _p: &crate::prog::Prog, _message: &str) -> Option<Operand> {
        None
    }
}

/// Reports, at each TEXT line, that the architecture's encoder is not
/// written yet: never an empty object.
pub fn not_supported_yet(arch: GoArch, module: &Module, diags: &mut Diags) {
    for f in &module.funcs {
        let name = &module.syms.get(f.sym).name;
        diags.push(Diag::error(f.span, format!("GOARCH={arch}: encoding not supported yet (TEXT {name})")));
        if diags.too_many() {
            break;
        }
    }
}

/// A backend whose encoder is not written yet.
struct NotYet(GoArch);

impl Backend for NotYet {
    fn arch(&self) -> GoArch {
        self.0
    }
    fn assemble(&self, module: &mut Module, _ctxt: &Ctxt, diags: &mut Diags) {
        not_supported_yet(self.0, module, diags)
    }
}

/// The backend for an architecture.
pub fn backend(arch: GoArch) -> &'static dyn Backend {
    static NOT_YET: [NotYet; 14] = [
        NotYet(GoArch::Amd64),
        NotYet(GoArch::I386),
        NotYet(GoArch::Arm),
        NotYet(GoArch::Arm64),
        NotYet(GoArch::Loong64),
        NotYet(GoArch::Mips),
        NotYet(GoArch::Mipsle),
        NotYet(GoArch::Mips64),
        NotYet(GoArch::Mips64le),
        NotYet(GoArch::Ppc64),
        NotYet(GoArch::Ppc64le),
        NotYet(GoArch::Riscv64),
        NotYet(GoArch::S390x),
        NotYet(GoArch::Wasm),
    ];
    match arch {
        GoArch::Amd64 => &crate::arch::x86::AMD64,
        GoArch::I386 => &crate::arch::x86::I386,
        GoArch::Arm64 => &crate::arch::arm64::ARM64,
        _ => {
            let i = GoArch::ALL.iter().position(|&a| a == arch).expect("every GoArch is in ALL");
            &NOT_YET[i]
        }
    }
}
