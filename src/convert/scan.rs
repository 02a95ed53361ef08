//! Classifies 64 bytes of UTF-8 at once for the engine's block path: which bytes lead a
//! three-byte character, and which bytes the block path must stop at (the lead bytes of two-
//! and four-byte characters, and ASCII bytes in a range that holds every ASCII byte the table
//! knows). Continuation bytes are neither.

/// Bytes classified at once.
pub(super) const BLOCK: usize = 64;

/// `(three-byte leads, stops)` as bit masks over the 64 bytes of `chunk`, bit `k` for byte `k`.
/// ASCII bytes in `lo..=hi` are stops (`lo > hi`: none).
#[inline(always)]
pub(super) fn classify(chunk: &[u8; BLOCK], lo: u8, hi: u8) -> (u64, u64) {
    #[cfg(target_arch = "x86_64")]
    {
        sse2(chunk, lo, hi)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable(chunk, lo, hi)
    }
}

#[cfg(any(test, not(target_arch = "x86_64")))]
fn portable(chunk: &[u8; BLOCK], lo: u8, hi: u8) -> (u64, u64) {
    let mut leads = 0u64;
    let mut stops = 0u64;
    for (k, &b) in chunk.iter().enumerate() {
        let lead = b & 0xF0 == 0xE0;
        let stop = (b >= 0xC0 && !lead) || (b < 0x80 && lo <= b && b <= hi);
        leads |= u64::from(lead) << k;
        stops |= u64::from(stop) << k;
    }
    (leads, stops)
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn sse2(chunk: &[u8; BLOCK], lo: u8, hi: u8) -> (u64, u64) {
    use std::arch::x86_64::*;
    let mut leads = 0u64;
    let mut stops = 0u64;
    for k in 0..BLOCK / 16 {
        // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are always
        // available; `_mm_loadu_si128` has no alignment requirement and reads the 16 bytes
        // `chunk[16 * k..16 * k + 16]`, which exist since `chunk` has 64.
        let (lead, stop) = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().add(16 * k).cast::<__m128i>());
            let splat = |b: u8| _mm_set1_epi8(b as i8);
            let lead = _mm_cmpeq_epi8(_mm_and_si128(v, splat(0xF0)), splat(0xE0));
            let high = _mm_cmpeq_epi8(_mm_and_si128(v, splat(0xC0)), splat(0xC0));
            // ASCII bytes are non-negative as i8, all others negative: `lo - 1 < v <= hi`
            // (with `lo = 0`, `lo - 1` wraps to -1) selects ASCII bytes in `lo..=hi` only.
            let ascii = _mm_andnot_si128(
                _mm_cmpgt_epi8(v, splat(hi)),
                _mm_cmpgt_epi8(v, splat(lo.wrapping_sub(1))),
            );
            let stop = _mm_or_si128(_mm_andnot_si128(lead, high), ascii);
            (_mm_movemask_epi8(lead), _mm_movemask_epi8(stop))
        };
        leads |= (lead as u32 as u64 & 0xFFFF) << (16 * k);
        stops |= (stop as u32 as u64 & 0xFFFF) << (16 * k);
    }
    (leads, stops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_and_portable_agree() {
        let mut chunk = [b'a'; BLOCK];
        for (lo, hi) in [
            (1, 0),
            (0, 127),
            (b'H', b'K'),
            (b'A', b'Z'),
            (0, 0),
            (127, 127),
        ] {
            for b in 0..=255u8 {
                for pos in [0, 7, 15, 16, 40, 63] {
                    chunk.fill(b'a');
                    chunk[pos] = b;
                    chunk[(pos + 5) % BLOCK] = 0xE4;
                    assert_eq!(
                        classify(&chunk, lo, hi),
                        portable(&chunk, lo, hi),
                        "byte {b:#x} at {pos}, range {lo}..={hi}"
                    );
                }
            }
        }
    }
}
