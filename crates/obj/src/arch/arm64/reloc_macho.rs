//! Mach-O relocations for arm64 (`ARM64_RELOC_*`), as Go's linker writes
//! them when it links externally on darwin (`cmd/link/internal/arm64`
//! `machoreloc1`). Addends are explicit: `object::write` emits the
//! `ARM64_RELOC_ADDEND` pair in front of BRANCH26/PAGE21/PAGEOFF12.

use crate::backend::NativeReloc;
use crate::sym::{Reloc, RelocKind};
use crate::target::GoOs;

const ARM64_RELOC_BRANCH26: u32 = 2;
const ARM64_RELOC_PAGE21: u32 = 3;
const ARM64_RELOC_PAGEOFF12: u32 = 4;
const ARM64_RELOC_GOT_LOAD_PAGE21: u32 = 5;
const ARM64_RELOC_GOT_LOAD_PAGEOFF12: u32 = 6;

pub(super) fn macho_relocs(r: &Reloc, goos: GoOs) -> Result<Vec<NativeReloc>, String> {
    // ARM64_RELOC_ADDEND carries a signed 24-bit addend.
    if !(-(1 << 23)..(1 << 23)).contains(&r.add) {
        return Err(format!("GOOS={goos} GOARCH=arm64: addend {:#x} does not fit a Mach-O ARM64_RELOC_ADDEND", r.add));
    }
    let one = |r_type, pcrel, delta, addend| NativeReloc { offset_delta: delta, r_type, pcrel, size: 4, addend };
    Ok(match r.kind {
        RelocKind::Call | RelocKind::Arch("R_CALLARM64") => vec![one(ARM64_RELOC_BRANCH26, true, 0, r.add)],
        RelocKind::Arch(
            "R_ADDRARM64" | "R_ARM64_PCREL_LDST8" | "R_ARM64_PCREL_LDST16" | "R_ARM64_PCREL_LDST32" | "R_ARM64_PCREL_LDST64",
        ) => vec![one(ARM64_RELOC_PAGE21, true, 0, r.add), one(ARM64_RELOC_PAGEOFF12, false, 4, r.add)],
        RelocKind::Arch("R_ARM64_GOTPCREL") if r.add == 0 => {
            vec![one(ARM64_RELOC_GOT_LOAD_PAGE21, true, 0, 0), one(ARM64_RELOC_GOT_LOAD_PAGEOFF12, false, 4, 0)]
        }
        k => return Err(format!("GOOS={goos} GOARCH=arm64: relocation {k:?} (addend {}) has no Mach-O form", r.add)),
    })
}
