//! A read-only view of one flattened OpenCC dictionary: a longest-prefix-match map.
//!
//! Layout (built by `build/opencc.rs`):
//! - a two-level character table: `level1[cp >> 6]` names a page of 64 `u64` entries (pages are
//!   shared between tables; page 0, all zeros, stands for characters a table does not know).
//!   An entry holds, in one load, everything the engine needs about a character:
//!   - bits 0..24: the XOR of the character's value with the character itself, when both have
//!     the same UTF-8 length of up to three bytes (0: the character stays), so converting it is
//!     one XOR on the input bytes; with `LONG`, where the value sits in the single-value pool;
//!   - bits 24..32: flags (`PHRASE`: a key of two or more characters starts here, `NORM`: a CJK
//!     compatibility ideograph, and the fused tables' `SEG`, `UNSAFE`, `INKEY`);
//!   - bits 32..48: the character's code as the second character of a phrase (0: none);
//!   - bits 48..64: for `PHRASE`, the base of its bigrams in the table's double array.
//! - a double array over bigrams: slot `base(first) + code(second)` holds `base(first)` if the
//!   two characters start some key, with the range of that bigram's keys (longest first) in the
//!   candidate array. Every first character has its own base, so one comparison decides.
//!
//! So a character that starts no phrase costs one table lookup, and a phrase check costs the
//! next character's lookup, one double-array load, and a byte comparison per candidate.

use std::sync::OnceLock;

use super::hash::{pair_bits, sig3_bit};
use crate::tables::opencc as t;

pub(crate) const PHRASE: u64 = 1 << 31;
pub(crate) const NORM: u64 = 1 << 30;
/// The character's value is in the single-value pool (it is not the same length as the
/// character).
pub(crate) const LONG: u64 = 1 << 29;
/// Fused tables (see `build/opencc.rs`): a single-character segmentation key.
pub(crate) const SEG: u64 = 1 << 28;
/// Fused tables: a chain phrase may start here; the value, if any, is for the character alone.
pub(crate) const UNSAFE: u64 = 1 << 27;
/// Fused tables: the character occurs in some chain key (characters without it are barriers).
pub(crate) const INKEY: u64 = 1 << 26;
/// Plain tables with sparse phrase checks: a key whose value differs from its
/// character-by-character conversion differs at this character (see `build/opencc.rs`).
pub(crate) const DIFF: u64 = 1 << 25;
/// The low bits of an entry: the XOR delta, or the offset of a `LONG` value.
pub(crate) const DELTA: u64 = 0xFF_FFFF;

/// The arrays every dictionary shares.
pub(crate) struct Shared {
    pages: &'static [u64],
    cands: &'static [u64],
    /// Length-prefixed values, padded with 16 bytes.
    single: &'static [u8],
    /// UTF-8 keys and values, padded with 16 bytes.
    strings: &'static [u8],
}

pub(crate) struct Dict {
    level1: &'static [u16; t::LEVEL1_LEN],
    /// The page numbers of three-byte characters, by `b0 & 0x0F | (b1 & 0x3F) << 8`.
    level3: &'static [u16; t::LEVEL3_LEN],
    /// The double array of the table's bigrams, `1 << da_bits` slots in three parallel arrays
    /// (see `build/opencc.rs`): the base each slot names and a signature of third
    /// characters; `PAIR_*` flags and inline values; candidate ranges.
    checks: &'static [u16],
    pairs: &'static [u64],
    payloads: &'static [u32],
    da_bits: u32,
    ascii: u128,
    ascii_window: usize,
    /// The smallest and largest ASCII byte with an entry (`(1, 0)`: none).
    ascii_range: (u8, u8),
    /// Whether some key has a three-byte first character and an ASCII second one.
    ascii_second: bool,
    /// Whether the engine checks every bigram, not only after a `PHRASE` (tables with many
    /// bigrams, where most characters of a text start some phrase, and fused tables whose
    /// double array holds the composed bigrams too).
    dense: bool,
    /// Plain tables with sparse phrase checks: the filters of pairs next to a `DIFF`
    /// character that matter, and of pairs inside keys.
    sparse: Option<Sparse>,
    shared: &'static Shared,
}

/// A table's two pair filters (see `build/opencc.rs`, `sparse_filters`).
#[derive(Clone, Copy)]
pub(crate) struct Sparse {
    differ: PairFilter,
    inner: PairFilter,
}

/// A Bloom filter over pairs of characters: two bits per pair, no false negatives.
#[derive(Clone, Copy)]
struct PairFilter {
    words: &'static [u64],
    bits: u32,
}

impl PairFilter {
    fn new(words: &'static [u64], start: usize, bits: u32) -> PairFilter {
        PairFilter {
            words: &words[start..start + (1 << bits) / 64],
            bits,
        }
    }

    #[inline(always)]
    fn contains(self, a: u32, b: u32) -> bool {
        let [i, j] = pair_bits(a, b, self.bits);
        self.words[i / 64] >> (i % 64) & self.words[j / 64] >> (j % 64) & 1 != 0
    }
}

impl Sparse {
    /// Whether some key whose value differs from its characters' own may have the character
    /// `b` at a place where the two differ, next to `a` (before or after it).
    #[inline(always)]
    pub(crate) fn may_differ(self, a: u32, b: u32) -> bool {
        self.differ.contains(a, b)
    }

    /// Whether some key may contain `a` followed by `b` (if not, a segment ends between them).
    #[inline(always)]
    pub(crate) fn may_span(self, a: u32, b: u32) -> bool {
        self.inner.contains(a, b)
    }
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let strings: &[u8] = &t::STRINGS.0;
        assert!(std::str::from_utf8(strings).is_ok(), "string pool is UTF-8");
        Shared {
            pages: bytemuck::cast_slice(&t::PAGES.0),
            cands: bytemuck::cast_slice(&t::CANDS.0),
            single: &t::SINGLE.0,
            strings,
        }
    })
}

/// All dictionaries, in the order of `tables::opencc::DICTS`.
pub(crate) fn dicts() -> &'static [Dict] {
    static DICTS: OnceLock<Vec<Dict>> = OnceLock::new();
    DICTS.get_or_init(|| {
        let shared = shared();
        let level1: &[u16] = bytemuck::cast_slice(&t::LEVEL1.0);
        let level3: &[u16] = bytemuck::cast_slice(&t::LEVEL3.0);
        // `Dict::entry` and `Hot::entry3` index the pages without a check on the strength of
        // this one.
        let pages = shared.pages.len() / 64;
        assert!(
            level1
                .iter()
                .chain(level3)
                .all(|&page| (page as usize) < pages),
            "page numbers within the pages"
        );
        let checks: &[u16] = bytemuck::cast_slice(&t::CHECKS.0);
        let pairs: &[u64] = bytemuck::cast_slice(&t::PAIRS.0);
        let payloads: &[u32] = bytemuck::cast_slice(&t::PAYLOADS.0);
        let filters: &[u64] = bytemuck::cast_slice(&t::FILTERS.0);
        t::DICTS
            .iter()
            .map(|d| Dict {
                level1: level1[d.level1..d.level1 + t::LEVEL1_LEN]
                    .try_into()
                    .expect("level1 length"),
                level3: level3[d.level3..d.level3 + t::LEVEL3_LEN]
                    .try_into()
                    .expect("level3 length"),
                checks: &checks[d.da_start..d.da_start + (1 << d.da_bits)],
                pairs: &pairs[d.da_start..d.da_start + (1 << d.da_bits)],
                payloads: &payloads[d.da_start..d.da_start + (1 << d.da_bits)],
                da_bits: d.da_bits,
                ascii: d.ascii,
                ascii_window: d.ascii_window,
                ascii_range: match d.ascii {
                    0 => (1, 0),
                    a => (a.trailing_zeros() as u8, 127 - a.leading_zeros() as u8),
                },
                ascii_second: d.ascii_second,
                dense: d.dense,
                sparse: d.sparse.map(|s| Sparse {
                    differ: PairFilter::new(filters, s.differ, s.differ_bits),
                    inner: PairFilter::new(filters, s.inner, s.inner_bits),
                }),
                shared,
            })
            .collect()
    })
}

/// Entry `low & 63` of page `page`.
#[inline(always)]
fn page_entry(pages: &[u64], page: u16, low: u32) -> u64 {
    let index = (page as usize) << 6 | (low & 63) as usize;
    debug_assert!(index < pages.len());
    // SAFETY: `dicts()` checked that every page number in the first levels is below
    // `pages.len() / 64`, and `page` comes from a first level.
    unsafe { *pages.get_unchecked(index) }
}

/// Bigram flags (`build/opencc.rs`): the bigram itself is a key,
pub(crate) const PAIR_KEY2: u64 = 1 << 60;
/// ... and its value (of six bytes, like the bigram) is the XOR of the low 48 bits with it;
pub(crate) const PAIR_INLINE: u64 = 1 << 61;
/// some longer key has a third character of another length than three bytes;
const PAIR_OTHER3: u64 = 1 << 62;
/// (fused tables) some composed phrase starts with the bigram;
pub(crate) const PAIR_COMPOSED: u64 = 1 << 63;
/// (fused tables) the bigram is a composed phrase.
pub(crate) const PAIR_CKEY2: u64 = 1 << 59;

/// The 4 bytes at `i` as a little-endian word, zero-padded past the end of `b`.
#[inline(always)]
pub(crate) fn load4(b: &[u8], i: usize) -> u32 {
    match b.get(i..i + 4) {
        Some(w) => u32::from_le_bytes(w.try_into().expect("4 bytes")),
        None => {
            let mut w = [0u8; 4];
            let rest = &b[i.min(b.len())..];
            w[..rest.len()].copy_from_slice(rest);
            u32::from_le_bytes(w)
        }
    }
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

/// The arrays behind `Hot`'s methods, copied out of a `Dict`.
#[derive(Clone, Copy)]
pub(crate) struct Hot {
    level3: &'static [u16; t::LEVEL3_LEN],
    pages: &'static [u64],
    checks: &'static [u16],
    pairs: &'static [u64],
    da_mask: usize,
}

impl Hot {
    /// The entry of the three-byte character whose bytes start `w` (little-endian).
    #[inline(always)]
    pub(crate) fn entry3(self, w: u32) -> u64 {
        page_entry(self.pages, self.level3[(w & 0x3F0F) as usize], w >> 16)
    }

    /// Where the double array has the bigram of the characters of `entry` and `second`, and
    /// whether that slot names the first one (then some key starts with the two; see
    /// `Dict::match_pair`). Never for an `entry` without `PHRASE`: its base, 0, is no slot's.
    #[inline(always)]
    pub(crate) fn bigram(self, entry: u64, second: u64) -> (usize, bool) {
        let code = (second >> 32) as u16 as usize;
        let base = (entry >> 48) as usize;
        // The mask never changes a valid index; it spares the bounds check.
        let index = (base + code) & self.da_mask;
        (index, self.checks[index] as usize == base)
    }

    /// Whether some composed phrase starts with the bigram of the slot at `index` (from
    /// `bigram`, in a fused table).
    #[inline(always)]
    pub(crate) fn composed(self, index: usize) -> bool {
        self.pairs[index & self.da_mask] & PAIR_COMPOSED != 0
    }

    /// What the slot at `index` (from `bigram`) says about the phrases that start with its
    /// bigram, given `third`, the bytes after the bigram: `Some(pair)` when no longer key can
    /// match (then with `PAIR_KEY2` the bigram itself is the key, with `PAIR_INLINE` its value
    /// is the XOR of `pair & INLINE_DELTA` with it), `None` when longer keys need a look.
    #[inline(always)]
    pub(crate) fn pair(self, index: usize, third: u32) -> Option<u64> {
        let index = index & self.da_mask;
        let pair = self.pairs[index];
        let deeper = if third & 0xF0 == 0xE0 {
            pair >> sig3_bit(third & 0xFF_FFFF) & 1 != 0
        } else {
            pair & PAIR_OTHER3 != 0
        };
        (!deeper).then_some(pair)
    }
}

/// A value in one of the pools: `len` bytes at `at`, followed by at least 16 bytes of the pool
/// (so it can be copied with fixed-width moves).
#[derive(Clone, Copy)]
pub(crate) struct Value {
    pub pool: &'static [u8],
    pub at: usize,
    pub len: usize,
}

impl Value {
    /// No value (a placeholder).
    pub(crate) const EMPTY: Value = Value {
        pool: &[],
        at: 0,
        len: 0,
    };

    pub(crate) fn bytes(&self) -> &'static [u8] {
        &self.pool[self.at..self.at + self.len]
    }
}

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

    /// The smallest and largest ASCII byte with an entry (`lo > hi`: none).
    #[inline(always)]
    pub(crate) fn ascii_range(&self) -> (u8, u8) {
        self.ascii_range
    }

    /// Whether the engine checks every bigram, not only after a `PHRASE`.
    #[inline(always)]
    pub(crate) fn dense(&self) -> bool {
        self.dense
    }

    /// The pair filters of a table with sparse phrase checks.
    #[inline(always)]
    pub(crate) fn sparse(&self) -> Option<Sparse> {
        self.sparse
    }

    /// Whether some key has a three-byte first character and an ASCII second one.
    #[inline(always)]
    pub(crate) fn ascii_second(&self) -> bool {
        self.ascii_second
    }

    /// The value of a character whose `entry` has `LONG`.
    #[inline(always)]
    pub(crate) fn long_value(&self, entry: u64) -> Value {
        let at = (entry & DELTA) as usize;
        let pool = self.shared.single;
        Value {
            pool,
            at: at + 1,
            len: pool[at] as usize,
        }
    }

    /// The entry of code point `cp` (0 for code points no table covers).
    #[inline(always)]
    pub(crate) fn entry(&self, cp: u32) -> u64 {
        match self.level1.get((cp >> 6) as usize) {
            Some(&page) => page_entry(self.shared.pages, page, cp),
            None => 0,
        }
    }

    /// The arrays the engine's block path reads, as locals (so they stay in registers).
    #[inline(always)]
    pub(crate) fn hot(&self) -> Hot {
        Hot {
            level3: self.level3,
            pages: self.shared.pages,
            checks: &self.checks[..1 << self.da_bits],
            pairs: &self.pairs[..1 << self.da_bits],
            da_mask: (1 << self.da_bits) - 1,
        }
    }

    /// The double-array slot of the bigram of a character with `entry` (which has `PHRASE`)
    /// and the character with entry `second`, if some key starts with the two.
    #[inline(always)]
    pub(crate) fn bigram(&self, entry: u64, second: u64) -> Option<usize> {
        let code = (second >> 32) as u16 as usize;
        let base = (entry >> 48) as usize;
        // Slot `base + 0` never names `base` (codes start at 1), so a character that is no
        // second character fails here too.
        let check = *self.checks.get(base + code)?;
        (check as usize == base).then_some(base + code)
    }

    /// The longest key of two or more characters that `text[i..]` starts with, given the first
    /// character's byte length `len` and its `entry` in this table (which has `PHRASE`).
    /// Returns the key's byte length and its value.
    #[inline(always)]
    pub(crate) fn match_phrase(
        &self,
        text: &[u8],
        i: usize,
        len: usize,
        entry: u64,
    ) -> Option<(usize, Value)> {
        self.match_from::<false>(text, i, len, entry)
    }

    /// `match_phrase`; with `SIGNED`, the slot's signature of third characters first where two
    /// three-byte characters start (it usually spares the candidates). Signed for the composed
    /// phrases of the fused tables, most of whose bigrams are keys: s2twp on the corpus +5%;
    /// the plain tables stay unsigned (s2t 1% slower signed).
    #[inline(always)]
    pub(crate) fn match_from<const SIGNED: bool>(
        &self,
        text: &[u8],
        i: usize,
        len: usize,
        entry: u64,
    ) -> Option<(usize, Value)> {
        debug_assert!(entry & PHRASE != 0);
        let j = i + len;
        if j >= text.len() {
            return None;
        }
        let (cp2, len2) = decode(text, j);
        let index = self.bigram(entry, self.entry(cp2))?;
        if SIGNED && len == 3 && len2 == 3 {
            return self.match_pair(text, i, index);
        }
        self.scan(text, i, j + len2, self.payloads[index] as usize)
    }

    /// `match_phrase` at `i` where two three-byte characters start, given the index of their
    /// slot (which names the first character). The slot's signature of third characters spares the
    /// candidates when the third character rules out the longer keys.
    #[inline(always)]
    pub(crate) fn match_pair(&self, text: &[u8], i: usize, index: usize) -> Option<(usize, Value)> {
        let packed = self.payloads[index] as usize;
        match self.hot().pair(index, load4(text, i + 6)) {
            Some(pair) if pair & PAIR_KEY2 == 0 => None,
            Some(_) => {
                // Only the bigram itself, the last (shortest) candidate, can match.
                let last = (packed >> 12) + (packed & 0xFFF) - 1;
                let meta = self.shared.cands[last * 2 + 1];
                debug_assert_eq!((meta >> 44 & 0xFF) as usize, 6);
                Some((6, self.value_of(meta)))
            }
            None => self.scan(text, i, i + 6, packed),
        }
    }

    /// The value a candidate's second word points to.
    #[inline(always)]
    fn value_of(&self, meta: u64) -> Value {
        Value {
            pool: self.shared.strings,
            at: (meta & 0x3F_FFFF) as usize,
            len: (meta >> 52) as usize,
        }
    }

    /// The candidates of one bigram, longest first: the first whose key `text[i..]` starts
    /// with. `after` is where the bigram ends in `text`. Kept out of line so that the common
    /// rejection stays small enough to inline into the engine's loops.
    #[inline(never)]
    fn scan(&self, text: &[u8], i: usize, after: usize, packed: usize) -> Option<(usize, Value)> {
        let (start, count) = (packed >> 12, packed & 0xFFF);
        // The 8 text bytes after the bigram, zero-padded past the end of the text.
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
                let key = &strings[key_at + from..key_at + key_len];
                if !same(&text[i + from..i + key_len], key) {
                    continue;
                }
            }
            return Some((key_len, self.value_of(meta)));
        }
        None
    }
}
