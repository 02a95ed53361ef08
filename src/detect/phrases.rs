//! Regional terms for the region hint: Taiwan and Hong Kong terms from OpenCC's phrase tables
//! (`軟體`, `資料庫`, `程式`; `私隱權`) and the mainland terms they replace (`軟件`, `數據庫`,
//! `網絡`), all in Traditional script. `build/script.rs` selects them and compiles the matcher.
//!
//! The scans call [`PhraseCounter::step`] after each three-byte character with the previous
//! character: a 64 Kibit filter over hashed final character pairs rejects almost every
//! position, and the rare remaining ones look the pair up and compare the candidate phrases
//! (longest first) with the bytes that end there.

use crate::tables::script as t;

/// Phrase classes, mirrored in `build/script.rs`: a Taiwan term, a Hong Kong term (both bits:
/// a term the two share, such as `滑鼠`), a mainland term.
const TAIWAN: u8 = 1;
const HONG_KONG: u8 = 2;
const MAINLAND: u8 = 4;
const HASH: u32 = 0x9E37_79B1;

/// How far back (in bytes) a phrase that ends at some position can start.
pub(crate) const MAX_BYTES: usize = t::PHRASE_MAX_BYTES;

/// Phrase occurrences by class (0-7), and the last one counted.
#[derive(Clone, Debug, Default)]
pub(crate) struct PhraseCounter {
    counts: [usize; 8],
    /// Start, end (absolute byte offsets) and class of the last phrase counted.
    last: Option<(usize, usize, u8)>,
}

/// What [`PhraseCounter`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PhraseCounts {
    pub(crate) taiwan: usize,
    pub(crate) hong_kong: usize,
    pub(crate) shared: usize,
    pub(crate) mainland: usize,
}

impl PhraseCounter {
    /// Called after each character of three UTF-8 bytes: `cp` ends at `end` (an index into
    /// `bytes`, whose first byte is at absolute offset `base`), `prev` is the character right
    /// before it if that was a three-byte character too, else 0.
    #[inline(always)]
    pub(crate) fn step(&mut self, prev: u32, cp: u32, bytes: &[u8], base: usize, end: usize) {
        let key = prev << 16 | cp;
        let h = key.wrapping_mul(HASH) >> 16;
        if t::PHRASE_FILTER[(h >> 6) as usize] >> (h & 63) & 1 != 0 {
            self.lookup(key, bytes, base, end);
        }
    }

    #[cold]
    #[inline(never)]
    fn lookup(&mut self, key: u32, bytes: &[u8], base: usize, end: usize) {
        let mask = (1usize << t::PHRASE_SLOT_BITS) - 1;
        let mut slot = (key.wrapping_mul(HASH) >> (32 - t::PHRASE_SLOT_BITS)) as usize;
        let entry = loop {
            let entry = t::PHRASE_SLOTS[slot];
            if entry == 0 {
                return;
            }
            if (entry >> 32) as u32 == key {
                break entry;
            }
            slot = (slot + 1) & mask;
        };
        let first = (entry >> 16 & 0xFFFF) as usize;
        let count = (entry & 0xFFFF) as usize;
        // The last two characters match (the key is exact): compare what comes before them.
        let Some(before) = end.checked_sub(6).and_then(|at| bytes.get(..at)) else {
            return;
        };
        for &cand in &t::PHRASE_CANDS[first..first + count] {
            let offset = (cand >> 16) as usize;
            let len = (cand >> 8 & 0xFF) as usize;
            let prefix = &t::PHRASE_BYTES[offset..offset + len];
            if before.len() >= len && same(&before[before.len() - len..], prefix) {
                self.record(base + end - 6 - len, base + end, (cand & 7) as u8);
                return;
            }
        }
    }

    /// Counts a phrase, the longest one ending here. A phrase that contains the previous one
    /// (same start or earlier) replaces it; one that overlaps it only partly is not counted.
    fn record(&mut self, start: usize, end: usize, class: u8) {
        match self.last {
            Some((s, _, c)) if start <= s => self.counts[usize::from(c)] -= 1,
            Some((_, e, _)) if start < e => return,
            _ => {}
        }
        self.counts[usize::from(class)] += 1;
        self.last = Some((start, end, class));
    }

    pub(crate) fn counts(&self) -> PhraseCounts {
        PhraseCounts {
            taiwan: self.counts[usize::from(TAIWAN)],
            hong_kong: self.counts[usize::from(HONG_KONG)],
            shared: self.counts[usize::from(TAIWAN | HONG_KONG)],
            mainland: self.counts[usize::from(MAINLAND)],
        }
    }
}

/// Equality of short slices of equal length (most differ at once), without a call to `memcmp`.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.iter().zip(b).all(|(x, y)| x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str) -> PhraseCounts {
        let mut counter = PhraseCounter::default();
        let mut prev = 0;
        for (i, c) in text.char_indices() {
            if c.len_utf8() == 3 {
                counter.step(prev, c as u32, text.as_bytes(), 0, i + 3);
                prev = c as u32;
            } else {
                prev = 0;
            }
        }
        counter.counts()
    }

    #[test]
    fn regional_terms() {
        // Taiwan terms; words the mainland uses as much (`執行`, `檔案`) are no evidence.
        let tw = count("這個軟體的資料庫程式在網路上執行，檔案很多。");
        assert_eq!((tw.taiwan, tw.mainland), (4, 0), "{tw:?}");
        let cn = count("這個軟件的數據庫在網絡上，用鼠標點擊。");
        assert_eq!((cn.taiwan, cn.mainland), (0, 5), "{cn:?}");
        // `程序` is Taiwan's word too (`司法程序`): no evidence either way.
        assert_eq!(count("程序"), PhraseCounts::default());
        // Shared by Taiwan and Hong Kong.
        assert_eq!(count("滑鼠和伺服器").shared, 2);
        // Simplified text spells none of them.
        assert_eq!(count("这个软件的数据库程序"), PhraseCounts::default());
    }

    #[test]
    fn longest_and_overlaps() {
        let mut counter = PhraseCounter::default();
        counter.record(0, 6, TAIWAN);
        counter.record(0, 9, MAINLAND); // contains the first: replaces it
        assert_eq!(counter.counts().taiwan, 0);
        assert_eq!(counter.counts().mainland, 1);
        counter.record(6, 12, TAIWAN); // overlaps partly: not counted
        assert_eq!(counter.counts().taiwan, 0);
        counter.record(9, 15, TAIWAN);
        assert_eq!(counter.counts().taiwan, 1);
    }
}
