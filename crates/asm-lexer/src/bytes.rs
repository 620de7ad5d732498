//! Finding given bytes 16 at a time, for the scans that run over every
//! byte of the input (line starts, comments).

/// Bit `i` set for each `c[i]` that is `a` or `b`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(crate) fn mask16(c: &[u8; 16], a: u8, b: u8) -> u32 {
    // SAFETY: the build enables SSE2 (the cfg above), so the CPU has it.
    unsafe { mask16_sse2(c, a, b) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
#[inline]
fn mask16_sse2(c: &[u8; 16], a: u8, b: u8) -> u32 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x};
    let word = |i: usize| u64::from_le_bytes(c[i..i + 8].try_into().expect("8 bytes")) as i64;
    let v = _mm_set_epi64x(word(8), word(0));
    let hits = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a as i8)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
    _mm_movemask_epi8(hits) as u32
}

/// Bit `i` set for each `c[i]` that is `a` or `b`.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
pub(crate) fn mask16(c: &[u8; 16], a: u8, b: u8) -> u32 {
    let half = |i: usize| mask8(c[i..i + 8].try_into().expect("8 bytes"), a, b);
    half(0) | half(8) << 8
}

/// [`mask16`] for eight bytes, without SIMD instructions.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
#[inline(always)]
fn mask8(c: &[u8; 8], a: u8, b: u8) -> u32 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let w = u64::from_le_bytes(*c);
    // The high bit of each zero byte of x, exactly (no carry crosses bytes).
    let zeros = |x: u64| !(((x & LOW7) + LOW7) | x | LOW7);
    let hi = zeros(w ^ (ONES * u64::from(a))) | zeros(w ^ (ONES * u64::from(b)));
    // Those eight bits gathered in the top byte.
    ((hi >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_flag_exactly_the_bytes() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for round in 0..20000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Bytes near the ones looked for (and their high-bit twins).
            let c: [u8; 16] = std::array::from_fn(|k| [b'\n', 0x8a, 0x0b, 0, 0x80, b' ', 0x09, 0xff][(seed >> (3 * k)) as usize & 7]);
            let (a, b) = [(b'\n', b'\n'), (b'\n', 0), (b' ', b'\t')][round % 3];
            let want = (0..16).filter(|&k| c[k] == a || c[k] == b).fold(0, |m, k| m | 1 << k);
            assert_eq!(mask16(&c, a, b), want, "{c:?}");
            let half = |i: usize| mask8(c[i..i + 8].try_into().unwrap(), a, b);
            assert_eq!(half(0) | half(8) << 8, want, "{c:?}");
        }
    }
}
