//! COFF relocations for amd64 (`IMAGE_REL_AMD64_*`) and 386
//! (`IMAGE_REL_I386_*`), as Go's linker writes them when it links
//! externally on windows (`pereloc1`). Addends are implicit: stored in the
//! relocated field.

use crate::backend::NativeReloc;
use crate::sym::{Reloc, RelocKind};

use super::X86;

pub(super) const IMAGE_REL_AMD64_REL32: u32 = 0x0004;
pub(super) const IMAGE_REL_I386_REL32: u32 = 0x0014;

impl X86 {
    pub(super) fn coff(&self, r: &Reloc, data: &mut [u8]) -> Result<Vec<NativeReloc>, String> {
        let arch = if self.amd64() { "amd64" } else { "386" };
        if r.size != 4 {
            return Err(format!("GOARCH={arch}: relocation {:?} of {} bytes has no COFF form", r.kind, r.size));
        }
        let r_type = if self.amd64() { IMAGE_REL_AMD64_REL32 } else { IMAGE_REL_I386_REL32 };
        match r.kind {
            // REL32 fields hold S + stored - (P + 4): Go's add. (The 386
            // backend stored the ELF REL addend, add - 4, which this replaces.)
            RelocKind::Call | RelocKind::Pcrel => {
                let at = r.off as usize;
                let field = data.get_mut(at..at + 4).ok_or_else(|| format!("relocation at {at} outside the symbol"))?;
                field.copy_from_slice(&(r.add as i32).to_le_bytes());
                Ok(vec![NativeReloc { offset_delta: 0, r_type, pcrel: true, size: 4, addend: r.add - 4 }])
            }
            k => Err(format!("GOOS=windows GOARCH={arch}: relocation {k:?} has no COFF form")),
        }
    }
}
