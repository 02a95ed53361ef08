//! Candidate scans, 16 bytes at a time: which bytes may start a Han character, a sentence end,
//! a protected span (`zhfix::target`) or something the repair scan looks at (`zhfix::repair`).
//! Every reported byte is checked exactly by the caller; a superset only costs a look. Lead
//! bytes are never continuation bytes (0x80..=0xBF), so no UTF-8 alignment is needed.

/// The kinds of candidate bytes.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    /// E3..=F0: the lead bytes of Han ideographs (U+3400.., U+F900.., U+20000..).
    Han,
    /// E2..=F0 and `\n ! ? ;`: Han ideographs and sentence ends (… 。 ！ ？ ；).
    Sentence,
    /// `` < ` @ : `` E2 (⟦), and `w` in either case (URLs: `www.`, the `:` after a scheme).
    Protect,
    /// Every byte from 0x80 and `\n ? & < > (`: what `repair::Scan` stops at.
    Repair,
}

#[inline]
fn hit(kind: Kind, b: u8) -> bool {
    match kind {
        Kind::Han => (0xE3..=0xF0).contains(&b),
        Kind::Sentence => (0xE2..=0xF0).contains(&b) || matches!(b, b'\n' | b'!' | b'?' | b';'),
        Kind::Protect => matches!(b, b'<' | b'`' | b'@' | b':' | 0xE2) || b | 0x20 == b'w',
        Kind::Repair => b >= 0x80 || matches!(b, b'\n' | b'?' | b'&' | b'<' | b'>' | b'('),
    }
}

#[cfg(any(test, not(target_arch = "x86_64")))]
fn portable(kind: Kind, chunk: &[u8]) -> u32 {
    chunk[..16]
        .iter()
        .enumerate()
        .fold(0, |mask, (k, &b)| mask | (u32::from(hit(kind, b)) << k))
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn sse2(kind: Kind, chunk: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    assert!(chunk.len() >= 16);
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are always available;
    // `_mm_loadu_si128` has no alignment requirement and reads 16 bytes, which the assert
    // above guarantees are in `chunk`.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        let splat = |b: u8| _mm_set1_epi8(b as i8);
        let eq = |b: u8| _mm_cmpeq_epi8(v, splat(b));
        // Bytes from `lo` to 0xF0 (negative as i8, so signed comparisons give the range).
        let leads = |lo: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(v, splat(lo.wrapping_sub(1))),
                _mm_cmplt_epi8(v, splat(0xF1)),
            )
        };
        let any = match kind {
            Kind::Han => leads(0xE3),
            Kind::Sentence => _mm_or_si128(
                leads(0xE2),
                _mm_or_si128(
                    _mm_or_si128(eq(b'\n'), eq(b'!')),
                    _mm_or_si128(eq(b'?'), eq(b';')),
                ),
            ),
            Kind::Protect => {
                let lower = _mm_or_si128(v, splat(0x20));
                let letters = _mm_or_si128(_mm_cmpeq_epi8(lower, splat(b'w')), eq(b':'));
                _mm_or_si128(
                    _mm_or_si128(
                        _mm_or_si128(eq(b'<'), eq(b'`')),
                        _mm_or_si128(eq(b'@'), eq(0xE2)),
                    ),
                    letters,
                )
            }
            Kind::Repair => _mm_or_si128(
                // Bytes from 0x80 are negative as i8.
                _mm_cmplt_epi8(v, _mm_setzero_si128()),
                _mm_or_si128(
                    _mm_or_si128(_mm_or_si128(eq(b'\n'), eq(b'?')), eq(b'&')),
                    _mm_or_si128(_mm_or_si128(eq(b'<'), eq(b'>')), eq(b'(')),
                ),
            ),
        };
        _mm_movemask_epi8(any) as u32 & 0xFFFF
    }
}

/// A bit per byte of `chunk` (16 bytes) that is a candidate of `kind`.
#[inline]
fn mask(kind: Kind, chunk: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        sse2(kind, chunk)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable(kind, chunk)
    }
}

/// The first candidate byte of `kind` at or after `i`, or `b.len()`.
#[inline]
pub(crate) fn next(kind: Kind, b: &[u8], mut i: usize) -> usize {
    while i + 16 <= b.len() {
        let m = mask(kind, &b[i..i + 16]);
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < b.len() && !hit(kind, b[i]) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simd_and_portable_agree() {
        let mut chunk = [0u8; 16];
        for kind in [Kind::Han, Kind::Sentence, Kind::Protect, Kind::Repair] {
            for b in 0..=255u8 {
                for pos in [0, 7, 15] {
                    chunk.fill(b'a');
                    chunk[pos] = b;
                    assert_eq!(
                        mask(kind, &chunk),
                        portable(kind, &chunk),
                        "{b:#x} at {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn next_finds_the_first() {
        let text = "abc def ghi jkl mno pqr 汉 x".as_bytes();
        let at = text.iter().position(|&b| b >= 0xE3).unwrap();
        assert_eq!(next(Kind::Han, text, 0), at);
        assert_eq!(next(Kind::Han, text, at + 3), text.len());
        assert_eq!(next(Kind::Protect, b"abc de", 0), 6);
        assert_eq!(next(Kind::Protect, b"abc dWf", 0), 5);
        assert_eq!(next(Kind::Protect, b"abc http:", 0), 8);
        assert_eq!(next(Kind::Sentence, b"abc\n", 0), 3);
    }
}
