//! The candidate scan: which of 16 bytes may start a punctuation mark some rule acts on.
//!
//! A mark starts with an ASCII byte in `!"'(),-.:;?` or with E2, E3 or EF (the lead bytes of
//! “”‘’…—「」。ＡＢＣ...). The same pass reports the bytes that may start something to
//! protect: `` ` < ] / \ @ ``. Seven byte ranges cover these (with `\`, `[`... as extras).
//! Continuation bytes (0x80..=0xBF) can never match, so no UTF-8 alignment is needed. The
//! caller checks every reported byte exactly; supersets only cost a look.
//!
//! Hyphens get one more filter here, because they come in rows: table rules and separator
//! lines (`+-----+`) are four fifths of all the bytes the scan reports on the Debian
//! Reference. Only the first hyphen of exactly two can be a dash (`marks::plainly_ascii`), so
//! a hyphen right after another one, or not followed by one, is plainly ASCII. Those whose
//! neighbour lies inside the same 16 bytes are dropped here; the two at the chunk's edges are
//! reported and checked by the caller as before.

/// A bit per byte of `chunk` (16 bytes) that may start a mark, without the hyphens that
/// their neighbours in `chunk` show to be plain ASCII.
#[inline]
pub(super) fn maybe_marks(chunk: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    let (marks, hyphens) = sse2(chunk);
    #[cfg(not(target_arch = "x86_64"))]
    let (marks, hyphens) = portable(chunk);
    marks & !plain_hyphens(hyphens)
}

/// Of the hyphens in `hyphens` (a bit per byte of a 16-byte chunk), those that follow a hyphen
/// or are followed by something else, as far as the chunk tells: bit 0 has no known
/// predecessor and bit 15 no known successor.
#[inline]
fn plain_hyphens(hyphens: u32) -> u32 {
    let after_hyphen = hyphens << 1;
    let before_other = !(hyphens >> 1) & 0x7FFF;
    hyphens & (after_hyphen | before_other) & 0xFFFF
}

/// The candidate bits and the hyphen bits of `chunk`.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn portable(chunk: &[u8]) -> (u32, u32) {
    chunk.iter().enumerate().fold((0, 0), |(mask, hyphens), (k, &b)| {
        let hit = matches!(b, 0x21..=0x22 | 0x27..=0x29 | 0x2C..=0x2F | 0x3A..=0x3C | 0x3F..=0x40 | 0x5C..=0x5D | 0x60 | 0xE2 | 0xE3 | 0xEF);
        (
            mask | (u32::from(hit) << k),
            hyphens | (u32::from(b == b'-') << k),
        )
    })
}

/// The candidate bits and the hyphen bits of `chunk`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn sse2(chunk: &[u8]) -> (u32, u32) {
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
        let hyphens = _mm_cmpeq_epi8(v, splat(b'-'));
        (
            _mm_movemask_epi8(any) as u32 & 0xFFFF,
            _mm_movemask_epi8(hyphens) as u32 & 0xFFFF,
        )
    }
}

/// The positions of the `\n` bytes of a text, in order. Lines in Chinese documents are short
/// (48 bytes on average in the Debian Reference), too short for a `memchr` call per line to
/// pay for its set-up: this finds the newlines of 64 bytes at a time as a bit mask.
pub(super) struct Newlines<'a> {
    bytes: &'a [u8],
    /// Where the next block of 64 bytes starts.
    next_block: usize,
    /// Where the block of `mask` starts.
    base: usize,
    /// The newlines of the current block not returned yet, a bit per byte.
    mask: u64,
}

impl<'a> Newlines<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Newlines<'a> {
        Newlines {
            bytes,
            next_block: 0,
            base: 0,
            mask: 0,
        }
    }
}

impl Iterator for Newlines<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if self.next_block >= self.bytes.len() {
                return None;
            }
            self.base = self.next_block;
            let end = self.bytes.len().min(self.base + 64);
            self.mask = newline_mask(&self.bytes[self.base..end]);
            self.next_block = end;
        }
        let i = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(i)
    }
}

/// A bit per `\n` byte of `block` (at most 64 bytes).
#[inline]
fn newline_mask(block: &[u8]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if let Ok(block) = <&[u8; 64]>::try_from(block) {
        return sse2_newlines(block);
    }
    block
        .iter()
        .enumerate()
        .fold(0, |mask, (k, &b)| mask | (u64::from(b == b'\n') << k))
}

#[cfg(target_arch = "x86_64")]
#[inline]
fn sse2_newlines(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86_64 baseline; each unaligned load reads 16 of the 64
    // bytes of `block`.
    unsafe {
        let newline = _mm_set1_epi8(b'\n' as i8);
        let mut mask = 0u64;
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let hits = _mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)) as u32 & 0xFFFF;
            mask |= u64::from(hits) << (16 * k);
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sse2_or_portable(chunk: &[u8]) -> (u32, u32) {
        #[cfg(target_arch = "x86_64")]
        return sse2(chunk);
        #[cfg(not(target_arch = "x86_64"))]
        return portable(chunk);
    }

    #[test]
    fn newlines_at_every_position() {
        for len in [0, 1, 15, 16, 63, 64, 65, 127, 128, 129, 200] {
            for step in 1..70 {
                let bytes: Vec<u8> = (0..len)
                    .map(|k| if k % step == step - 1 { b'\n' } else { b'x' })
                    .collect();
                let expected: Vec<usize> = (0..len).filter(|&k| bytes[k] == b'\n').collect();
                assert_eq!(
                    Newlines::new(&bytes).collect::<Vec<_>>(),
                    expected,
                    "{len} {step}"
                );
            }
        }
    }

    /// Every pattern of hyphens and letters: a hyphen is dropped exactly when the chunk shows
    /// a hyphen before it or something else after it.
    #[test]
    fn only_plain_hyphens_are_dropped() {
        for pattern in 0..=0xFFFFu32 {
            let chunk: Vec<u8> = (0..16)
                .map(|k| if pattern >> k & 1 == 1 { b'-' } else { b'a' })
                .collect();
            let kept = maybe_marks(&chunk);
            for k in 0..16 {
                let hyphen = chunk[k] == b'-';
                let after_hyphen = k > 0 && chunk[k - 1] == b'-';
                let before_other = k < 15 && chunk[k + 1] != b'-';
                let expected = hyphen && !after_hyphen && !before_other;
                assert_eq!(kept >> k & 1 == 1, expected, "{pattern:#06x} bit {k}");
            }
        }
    }

    #[test]
    fn simd_and_portable_agree() {
        let mut chunk = [0u8; 16];
        for b in 0..=255u8 {
            for pos in [0, 7, 15] {
                chunk.fill(b'a');
                chunk[pos] = b;
                assert_eq!(
                    sse2_or_portable(&chunk),
                    portable(&chunk),
                    "byte {b:#x} at {pos}"
                );
            }
        }
    }
}
