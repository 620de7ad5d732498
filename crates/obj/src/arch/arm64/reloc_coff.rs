//! COFF relocations for arm64 (`IMAGE_REL_ARM64_*`), as Go's linker writes
//! them when it links externally on windows (`pereloc1`, `archreloc`). COFF
//! has no explicit addends: the addend of an ADRP/ADD/LDR pair is encoded in
//! the instructions' immediate fields, as Go's linker and MSVC do.

use crate::backend::NativeReloc;
use crate::sym::{Reloc, RelocKind};

const IMAGE_REL_ARM64_BRANCH26: u32 = 0x0003;
const IMAGE_REL_ARM64_PAGEBASE_REL21: u32 = 0x0004;
const IMAGE_REL_ARM64_PAGEOFFSET_12A: u32 = 0x0006;
const IMAGE_REL_ARM64_PAGEOFFSET_12L: u32 = 0x0007;

fn word(data: &[u8], at: usize) -> Result<u32, String> {
    data.get(at..at + 4).map(|b| u32::from_le_bytes(b.try_into().unwrap())).ok_or_else(|| format!("relocation at {at} outside the symbol"))
}

pub(super) fn coff_relocs(r: &Reloc, data: &mut [u8]) -> Result<Vec<NativeReloc>, String> {
    let one = |r_type, delta| NativeReloc { offset_delta: delta, r_type, pcrel: false, size: 4, addend: 0 };
    match r.kind {
        RelocKind::Call | RelocKind::Arch("R_CALLARM64") if r.add == 0 => Ok(vec![one(IMAGE_REL_ARM64_BRANCH26, 0)]),
        RelocKind::Arch(
            k @ ("R_ADDRARM64" | "R_ARM64_PCREL_LDST8" | "R_ARM64_PCREL_LDST16" | "R_ARM64_PCREL_LDST32" | "R_ARM64_PCREL_LDST64"),
        ) => {
            // ADRP's 21-bit field holds the whole addend (Go keeps it to 20 bits,
            // so that the top bit can act as a sign), the second instruction its
            // low 12 bits, scaled by the access size for loads and stores.
            if !(-(1 << 20)..(1 << 20)).contains(&r.add) {
                return Err(format!("GOOS=windows GOARCH=arm64: addend {:#x} does not fit a COFF ADRP immediate", r.add));
            }
            let at = r.off as usize;
            let xadd = r.add as u32;
            let mut o0 = word(data, at)?;
            let mut o1 = word(data, at + 4)?;
            o0 &= !(3 << 29 | 0x7ffff << 5);
            o0 |= (xadd & 3) << 29 | (xadd & 0xffffc) << 3;
            let shift = match k {
                "R_ARM64_PCREL_LDST16" => 1,
                "R_ARM64_PCREL_LDST32" => 2,
                "R_ARM64_PCREL_LDST64" => 3,
                _ => 0,
            };
            if xadd & ((1 << shift) - 1) != 0 {
                return Err(format!("GOOS=windows GOARCH=arm64: offset {} for a {}-byte load/store is unaligned", r.add, 1 << shift));
            }
            o1 &= !(0xfff << 10);
            o1 |= ((xadd & 0xfff) >> shift) << 10;
            data[at..at + 4].copy_from_slice(&o0.to_le_bytes());
            data[at + 4..at + 8].copy_from_slice(&o1.to_le_bytes());
            let lo = if k == "R_ADDRARM64" { IMAGE_REL_ARM64_PAGEOFFSET_12A } else { IMAGE_REL_ARM64_PAGEOFFSET_12L };
            Ok(vec![one(IMAGE_REL_ARM64_PAGEBASE_REL21, 0), one(lo, 4)])
        }
        k => Err(format!("GOOS=windows GOARCH=arm64: relocation {k:?} (addend {}) has no COFF form", r.add)),
    }
}
