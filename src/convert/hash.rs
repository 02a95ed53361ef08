//! The hashes and bit layout that the build script writes into the tables and the engine reads
//! them by: the bits of a character pair in a pair filter, and the signature of third
//! characters in a bigram slot. `build/opencc.rs` includes this file by its path, so both sides
//! compute the same bits from one source.

/// How many of `SIG_POS`'s positions the signature uses.
pub const SIG_WAYS: u32 = 27;

/// The signature's bit positions in a slot's word, in the order `sig3_bit` numbers them: first
/// the 16 bits of the low 48 that an inline value's XOR never sets (the high four bits of each
/// lead byte and the high two of each continuation byte of two three-byte characters, the
/// UTF-8 length bits), then bits 48..59. The first `SIG_WAYS` are used; the rest repeat some,
/// so that the masked index needs no bounds check.
pub const SIG_POS: [u8; 32] = [
    4, 5, 6, 7, 14, 15, 22, 23, 28, 29, 30, 31, 38, 39, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
    57, 58, 48, 49, 50, 51, 52,
];

/// The bits of a slot's low 48 that hold an inline value's XOR with its bigram: those that are
/// not signature bits (checked to be the UTF-8 length bits' complement at compile time).
pub const INLINE_DELTA: u64 = {
    let mut signature = 0u64;
    let mut way = 0;
    while way < SIG_WAYS as usize {
        if SIG_POS[way] < 48 {
            signature |= 1 << SIG_POS[way];
        }
        way += 1;
    }
    assert!(
        signature == 0xC0C0_F0C0_C0F0,
        "the UTF-8 length bits of six bytes"
    );
    !signature & 0xFFFF_FFFF_FFFF
};

/// The bit of a three-byte third character (its UTF-8 bytes as a little-endian number) in the
/// signature of a bigram slot: one of the first `SIG_WAYS` positions of `SIG_POS`.
#[inline(always)]
pub fn sig3_bit(bytes: u32) -> u32 {
    let way = ((bytes.wrapping_mul(0x9E37_79B1) >> 16) * SIG_WAYS) >> 16;
    SIG_POS[way as usize & 31] as u32
}

/// The two bits (below `1 << bits`) of the character pair `a`, `b` in a pair filter.
#[inline(always)]
pub fn pair_bits(a: u32, b: u32, bits: u32) -> [usize; 2] {
    let x = (u64::from(a) << 21 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mask = (1u64 << bits) - 1;
    [
        (x >> (64 - bits)) as usize,
        (x >> (64 - 2 * bits) & mask) as usize,
    ]
}
