//! A read-only view of one flattened OpenCC dictionary: a longest-prefix-match map.
//!
//! Layout (built by `build/opencc.rs`):
//! - a two-level character table: `level1[cp >> 8]` names a 256-entry page of `u32` entries;
//!   an entry holds flags (`PHRASE`: a key of two or more characters starts here, `SINGLE`: the
//!   character alone is a key, `NORM`: a CJK compatibility ideograph) and, for `SINGLE`, where
//!   its value sits in the single-value pool;
//! - an open-addressing hash keyed by the first two characters of every longer key, pointing to
//!   that bigram's keys sorted longest first.
//!
//! So a character that starts no phrase costs one table lookup, and a phrase check is one hash
//! probe plus a byte comparison per candidate.

use std::sync::OnceLock;

use crate::tables::opencc as t;

pub(crate) const PHRASE: u64 = 1 << 31;
pub(crate) const NORM: u64 = 1 << 30;
pub(crate) const SINGLE: u64 = 1 << 29;
/// Fused tables (see `build/opencc.rs`): a single-character segmentation key.
pub(crate) const SEG: u64 = 1 << 28;
/// Fused tables: a chain phrase may start here; the value, if any, is for the character alone.
pub(crate) const UNSAFE: u64 = 1 << 27;
/// Fused tables: the character occurs in some chain key (characters without it are barriers).
pub(crate) const INKEY: u64 = 1 << 26;
const FLAGS: u64 = PHRASE | NORM | SINGLE | SEG | UNSAFE | INKEY;
/// The entry's upper half: the signature of its phrases' second characters.
const SIG_SHIFT: u32 = 32;

/// The arrays every dictionary shares.
pub(crate) struct Shared {
    pages: &'static [u64],
    cands: &'static [u64],
    single: &'static str,
    strings: &'static str,
}

pub(crate) struct Dict {
    level1: &'static [u16],
    hash: &'static [u64],
    hash_bits: u32,
    filter: &'static [u64],
    filter_bits: u32,
    ascii: u128,
    ascii_window: usize,
    shared: &'static Shared,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| Shared {
        pages: bytemuck::cast_slice(&t::PAGES.0),
        cands: bytemuck::cast_slice(&t::CANDS.0),
        single: std::str::from_utf8(&t::SINGLE.0).expect("single-value pool is UTF-8"),
        strings: std::str::from_utf8(&t::STRINGS.0).expect("string pool is UTF-8"),
    })
}

/// All dictionaries, in the order of `tables::opencc::DICTS`.
pub(crate) fn dicts() -> &'static [Dict] {
    static DICTS: OnceLock<Vec<Dict>> = OnceLock::new();
    DICTS.get_or_init(|| {
        let shared = shared();
        let level1: &[u16] = bytemuck::cast_slice(&t::LEVEL1.0);
        let hash: &[u64] = bytemuck::cast_slice(&t::HASH.0);
        let filters: &[u64] = bytemuck::cast_slice(&t::FILTERS.0);
        t::DICTS
            .iter()
            .map(|d| {
                let size = 1usize << d.hash_bits;
                Dict {
                    level1: &level1[d.level1..d.level1 + 0x1100],
                    hash: &hash[d.hash_start * 2..(d.hash_start + size) * 2],
                    hash_bits: d.hash_bits,
                    filter: &filters[d.filter_start..d.filter_start + (1 << d.filter_bits) / 64],
                    filter_bits: d.filter_bits,
                    ascii: d.ascii,
                    ascii_window: d.ascii_window,
                    shared,
                }
            })
            .collect()
    })
}

/// Decodes the character starting at byte `i` of valid UTF-8.
#[inline(always)]
pub(crate) fn decode(b: &[u8], i: usize) -> (u32, usize) {
    let c0 = b[i] as u32;
    if c0 < 0x80 {
        (c0, 1)
    } else if c0 < 0xE0 {
        (((c0 & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
    } else if c0 < 0xF0 {
        let cp = ((c0 & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F);
        (cp, 3)
    } else {
        let cp = ((c0 & 0x07) << 18)
            | ((b[i + 1] as u32 & 0x3F) << 12)
            | ((b[i + 2] as u32 & 0x3F) << 6)
            | (b[i + 3] as u32 & 0x3F);
        (cp, 4)
    }
}

/// `a == b` for two slices of equal length, keys being short: word compares, no library call.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    if n >= 8 {
        let mut k = 0;
        while k + 8 < n {
            if word(a, k) != word(b, k) {
                return false;
            }
            k += 8;
        }
        word(a, n - 8) == word(b, n - 8)
    } else if n >= 4 {
        let half =
            |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4 bytes"));
        half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4)
    } else {
        a == b
    }
}

/// An entry whose signature lets every second character through (for another table's text).
pub(crate) const ANY_ENTRY: u64 = u64::MAX;

impl Dict {
    /// Whether an ASCII byte has any entry (some Taiwan phrases start with Latin letters).
    #[inline(always)]
    pub(crate) fn ascii_active(&self, byte: u8) -> bool {
        self.ascii >> byte & 1 != 0
    }

    /// True when no ASCII character has an entry, so ASCII runs can be skipped wholesale.
    #[inline(always)]
    pub(crate) fn ascii_inert(&self) -> bool {
        self.ascii == 0
    }

    /// How many ASCII bytes before a non-ASCII character a key can start (`usize::MAX`: any).
    #[inline(always)]
    pub(crate) fn ascii_window(&self) -> usize {
        self.ascii_window
    }

    /// The single-value pool (padded with 8 bytes at its end), and where in it and how long the
    /// value of `entry` (which has `SINGLE`) is.
    #[inline(always)]
    pub(crate) fn single_at(&self, entry: u64) -> (&'static [u8], usize, usize) {
        let offset = ((entry as u32 as u64 & !FLAGS) >> 7) as usize;
        (
            self.shared.single.as_bytes(),
            offset,
            (entry & 0x7F) as usize,
        )
    }

    #[inline(always)]
    pub(crate) fn entry(&self, cp: u32) -> u64 {
        let page = self.level1[(cp >> 8) as usize] as usize;
        self.shared.pages[(page << 8) | (cp & 0xFF) as usize]
    }

    /// The longest key of two or more characters that `text[i..]` starts with, given the first
    /// character's code point `cp`, its byte length `len` and its `entry` in this table (or
    /// `ANY_ENTRY`). Returns the key's byte length and its value.
    #[inline(always)]
    pub(crate) fn match_phrase(
        &self,
        text: &[u8],
        i: usize,
        cp: u32,
        len: usize,
        entry: u64,
    ) -> Option<(usize, &'static str)> {
        let j = i + len;
        if j >= text.len() {
            return None;
        }
        let (cp2, len2) = decode(text, j);
        if (entry >> SIG_SHIFT) >> (cp2.wrapping_mul(0x9E37_79B1) >> 27) & 1 == 0 {
            return None;
        }
        let bigram = ((cp as u64) << 32) | cp2 as u64;
        let bit = (bigram.wrapping_mul(0xD6E8_FEB8_6659_FD93) >> (64 - self.filter_bits)) as usize;
        if self.filter[bit / 64] >> (bit % 64) & 1 == 0 {
            return None;
        }
        self.probe(text, i, j, len2, bigram)
    }

    /// The hash probe and candidate scan behind `match_phrase`'s filters, kept out of line so
    /// that the common rejection stays small enough to inline into the engine's loops.
    #[inline(never)]
    fn probe(
        &self,
        text: &[u8],
        i: usize,
        j: usize,
        len2: usize,
        bigram: u64,
    ) -> Option<(usize, &'static str)> {
        let mask = (1usize << self.hash_bits) - 1;
        let mut slot =
            (bigram.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.hash_bits)) as usize;
        let packed = loop {
            let key = self.hash[slot * 2];
            if key == bigram {
                break self.hash[slot * 2 + 1] as usize;
            }
            if key == 0 {
                return None;
            }
            slot = (slot + 1) & mask;
        };
        let (start, count) = (packed >> 12, packed & 0xFFF);
        // The 8 text bytes after the bigram, zero-padded past the end of the text.
        let after = j + len2;
        let word = match text.get(after..after + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
            None => {
                let mut w = [0u8; 8];
                let rest = &text[after.min(text.len())..];
                w[..rest.len()].copy_from_slice(rest);
                u64::from_le_bytes(w)
            }
        };
        let available = text.len() - i;
        let bigram_len = after - i;
        let strings = self.shared.strings;
        for cand in self.shared.cands[start * 2..(start + count) * 2].chunks_exact(2) {
            let meta = cand[1];
            let key_len = (meta >> 44 & 0xFF) as usize;
            if key_len > available {
                continue;
            }
            let tail_len = key_len - bigram_len;
            let mask = if tail_len >= 8 {
                u64::MAX
            } else {
                (1u64 << (tail_len * 8)) - 1
            };
            if word & mask != cand[0] {
                continue;
            }
            if tail_len > 8 {
                let key_at = (meta >> 22 & 0x3F_FFFF) as usize;
                let from = bigram_len + 8;
                let key = &strings.as_bytes()[key_at + from..key_at + key_len];
                if !same(&text[i + from..i + key_len], key) {
                    continue;
                }
            }
            let value_at = (meta & 0x3F_FFFF) as usize;
            let value_len = (meta >> 52) as usize;
            return Some((key_len, &strings[value_at..value_at + value_len]));
        }
        None
    }
}
