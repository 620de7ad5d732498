//! Mach-O relocations for amd64 (`X86_64_RELOC_*`), as Go's linker writes
//! them when it links externally on darwin (`cmd/link/internal/amd64`
//! `machoreloc1`). Addends are implicit: stored in the relocated field.

use crate::backend::NativeReloc;
use crate::sym::{Reloc, RelocKind};
use crate::target::GoOs;

use super::X86;

pub(super) const X86_64_RELOC_SIGNED: u32 = 1;
pub(super) const X86_64_RELOC_BRANCH: u32 = 2;
pub(super) const X86_64_RELOC_GOT_LOAD: u32 = 3;

/// The offset of the thread's `g` slot from the darwin/amd64 TLS base
/// (`GS`), which Go's linker puts into an R_TLS_LE field (`Tlsoffset`).
pub(super) const DARWIN_AMD64_TLS_OFFSET: i64 = 0x30;

fn put(data: &mut [u8], r: &Reloc, v: i64) -> Result<(), String> {
    let n = usize::from(r.size);
    let at = r.off as usize;
    let field = data.get_mut(at..at + n).ok_or_else(|| format!("relocation at {at} outside the symbol"))?;
    field.copy_from_slice(&v.to_le_bytes()[..n]);
    Ok(())
}

impl X86 {
    pub(super) fn macho(&self, r: &Reloc, goos: GoOs, data: &mut [u8]) -> Result<Vec<NativeReloc>, String> {
        if !self.amd64() {
            return Err(format!("GOOS={goos} GOARCH=386: Mach-O output is not supported (Go dropped darwin/386)"));
        }
        if r.size != 4 {
            return Err(format!("GOARCH=amd64: relocation {:?} of {} bytes has no Mach-O form", r.kind, r.size));
        }
        // PC-relative fields hold S + stored - (P + 4); Go's add has the same meaning.
        let mut pcrel = |r_type| -> Result<Vec<NativeReloc>, String> {
            put(data, r, r.add)?;
            Ok(vec![NativeReloc { offset_delta: 0, r_type, pcrel: true, size: 4, addend: r.add - 4 }])
        };
        match r.kind {
            RelocKind::Call => pcrel(X86_64_RELOC_BRANCH),
            RelocKind::Pcrel => pcrel(X86_64_RELOC_SIGNED),
            RelocKind::Arch("R_GOTPCREL") => pcrel(X86_64_RELOC_GOT_LOAD),
            // `off(TLS)`: a GS-relative load of a fixed slot, resolved here as Go's linker does.
            RelocKind::Arch("R_TLS_LE") => {
                put(data, r, DARWIN_AMD64_TLS_OFFSET + r.add)?;
                Ok(Vec::new())
            }
            k => Err(format!("GOOS={goos} GOARCH=amd64: relocation {k:?} has no Mach-O form")),
        }
    }
}
