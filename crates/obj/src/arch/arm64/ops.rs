//! Opcode groups the encoder and classifier ask about.

use arch_tables::arm64::consts as k;

pub fn is_and(op: i64) -> bool {
    matches!(op, k::AAND | k::AORR | k::AEOR | k::AANDS | k::ATST | k::ABIC | k::AEON | k::AORN | k::ABICS)
}
pub fn is_andw(op: i64) -> bool {
    matches!(op, k::AANDW | k::AORRW | k::AEORW | k::AANDSW | k::ATSTW | k::ABICW | k::AEONW | k::AORNW | k::ABICSW)
}
pub fn is_add(op: i64) -> bool {
    matches!(op, k::AADD | k::AADDS | k::ASUB | k::ASUBS | k::ACMN | k::ACMP)
}
pub fn is_addw(op: i64) -> bool {
    matches!(op, k::AADDW | k::AADDSW | k::ASUBW | k::ASUBSW | k::ACMNW | k::ACMPW)
}
pub fn is_adds(op: i64) -> bool {
    matches!(op, k::AADDS | k::AADDSW | k::ASUBS | k::ASUBSW)
}
pub fn is_neg(op: i64) -> bool {
    matches!(op, k::ANEG | k::ANEGW | k::ANEGS | k::ANEGSW)
}
pub fn is_ldst_pair(op: i64) -> bool {
    matches!(op, k::AFLDPQ | k::AFSTPQ | k::ALDP | k::ASTP | k::ALDPW | k::ASTPW)
}
pub fn is_mov(op: i64) -> bool {
    matches!(
        op,
        k::AMOVB | k::AMOVBU | k::AMOVH | k::AMOVHU | k::AMOVW | k::AMOVWU | k::AMOVD | k::AFMOVS | k::AFMOVD | k::AFMOVQ
    )
}
pub fn is_stlxr(op: i64) -> bool {
    matches!(op, k::ASTLXR | k::ASTLXRW | k::ASTLXRB | k::ASTLXRH | k::ASTXR | k::ASTXRW | k::ASTXRB | k::ASTXRH)
}
pub fn is_stxp(op: i64) -> bool {
    matches!(op, k::ASTXP | k::ASTLXP | k::ASTXPW | k::ASTLXPW)
}

/// log2 of the access size of a plain load/store move, if it is one.
pub fn movesize(op: i64) -> Option<u32> {
    Some(match op {
        k::AFMOVQ => 4,
        k::AMOVD | k::AFMOVD => 3,
        k::AMOVW | k::AMOVWU | k::AFMOVS => 2,
        k::AMOVH | k::AMOVHU => 1,
        k::AMOVB | k::AMOVBU => 0,
        _ => return None,
    })
}
