//! The candidate scan: which of 16 bytes may start a punctuation mark some rule acts on.
//!
//! A mark starts with an ASCII byte in `!"'(),-.:;?` or with E2, E3 or EF (the lead bytes of
//! “”‘’…—「」。ＡＢＣ...). The same pass reports the bytes that may start something to
//! protect: `` ` < ] / \ @ ``. Seven byte ranges cover these (with `\`, `[`... as extras).
//! Continuation bytes (0x80..=0xBF) can never match, so no UTF-8 alignment is needed. The
//! caller checks every reported byte exactly; supersets only cost a look.

/// A bit per byte of `chunk` (16 bytes) that may start a mark.
#[inline]
pub(super) fn maybe_marks(chunk: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2(chunk)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable(chunk)
    }
}

#[cfg(any(test, not(target_arch = "x86_64")))]
fn portable(chunk: &[u8]) -> u32 {
    chunk.iter().enumerate().fold(0, |mask, (k, &b)| {
        let hit = matches!(b, 0x21..=0x22 | 0x27..=0x29 | 0x2C..=0x2F | 0x3A..=0x3C | 0x3F..=0x40 | 0x5C..=0x5D | 0x60 | 0xE2 | 0xE3 | 0xEF);
        mask | (u32::from(hit) << k)
    })
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn sse2(chunk: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    assert!(chunk.len() >= 16);
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are always available;
    // `_mm_loadu_si128` has no alignment requirement and reads 16 bytes, which the assert
    // above guarantees are in `chunk`.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        let splat = |b: u8| _mm_set1_epi8(b as i8);
        // ASCII bytes are positive as i8, so signed comparisons give the ranges.
        let range = |lo: u8, hi: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(lo - 1)),
                _mm_cmplt_epi8(v, splat(hi + 1)),
            )
        };
        let ascii = _mm_or_si128(
            _mm_or_si128(
                _mm_or_si128(range(0x21, 0x22), range(0x27, 0x29)),
                _mm_or_si128(range(0x2C, 0x2F), range(0x3A, 0x3C)),
            ),
            _mm_or_si128(
                _mm_or_si128(range(0x3F, 0x40), range(0x5C, 0x5D)),
                range(0x60, 0x60),
            ),
        );
        let leads = _mm_or_si128(
            _mm_or_si128(
                _mm_cmpeq_epi8(v, splat(0xE2)),
                _mm_cmpeq_epi8(v, splat(0xE3)),
            ),
            _mm_cmpeq_epi8(v, splat(0xEF)),
        );
        let any = _mm_or_si128(ascii, leads);
        _mm_movemask_epi8(any) as u32 & 0xFFFF
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_and_portable_agree() {
        let mut chunk = [0u8; 16];
        for b in 0..=255u8 {
            for pos in [0, 7, 15] {
                chunk.fill(b'a');
                chunk[pos] = b;
                assert_eq!(
                    maybe_marks(&chunk),
                    portable(&chunk),
                    "byte {b:#x} at {pos}"
                );
            }
        }
    }
}
