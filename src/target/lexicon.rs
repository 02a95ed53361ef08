//! A read-only view of one lexicon compiled by `build/target.rs`, and the segmenter over it.
//!
//! Segmentation is jieba's: over a run of Han characters, the path of dictionary words with the
//! lowest total cost (`-ln p`), found by dynamic programming; a character that is no word costs
//! more than any word. Each word then writes its output for the target column as one unit.

use super::fast::Fast;
use crate::tables::target as t;

const IS_KEY: u32 = 1 << 31;
const LONGER: u32 = 1 << 30;
const COST: u32 = 0x3FF;
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

pub(crate) struct Lexicon {
    /// Slots: low 32 bits of the fingerprint << 32 | value (see `build/target.rs`).
    table: &'static [u64],
    /// Values of one-character strings from U+3400 to U+FFFF (0 = none).
    single: &'static [u32],
    outs: &'static [u32],
    cols: usize,
    bits: u32,
}

fn pool() -> &'static [u8] {
    &t::POOL.0
}

pub(crate) fn simplified() -> Lexicon {
    Lexicon::new(&t::S_TABLE.0, &t::S_SINGLE.0, &t::S_OUTS.0, 1, t::S_BITS)
}

pub(crate) fn traditional() -> Lexicon {
    Lexicon::new(&t::T_TABLE.0, &t::T_SINGLE.0, &t::T_OUTS.0, 6, t::T_BITS)
}

#[inline]
fn unpack(v: u32) -> (usize, u32) {
    (((v >> 10) & 0xF_FFFF) as usize, v)
}

/// How many characters from each position the segmenter prefetches the lookups of.
const PREFETCH_CHARS: usize = 5;

/// Asks for the cache line of `p`; a hint only.
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` only hints the cache; SSE is part of the x86_64 baseline and the
    // address is that of a live reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch(
            (p as *const T).cast::<i8>(),
            std::arch::x86_64::_MM_HINT_T0,
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Reusable buffers of the segmenter.
#[derive(Default)]
pub(crate) struct Scratch {
    starts: Vec<u32>,
    cost: Vec<u32>,
    back: Vec<(u32, u32)>,
    segs: Vec<(u32, u32, u32)>,
    /// The hash and lookup of each character pair, done ahead of the search so that the
    /// (independent) memory accesses overlap.
    pairs: Vec<(u64, Option<(usize, u32)>)>,
    /// The standard Traditional text between the two passes of a regional target.
    pub(crate) standard: String,
    /// The runs of Han characters the classifier walked over, with whether a regional key
    /// may occur in each (`script::Runs`).
    pub(crate) runs: Vec<(u32, u32, u8)>,
    /// Outputs of the windows the fast path has segmented.
    pub(crate) memo: super::fast::Memo,
    /// The output of one window (`fast::Both::run`).
    pub(crate) window: String,
}

impl Lexicon {
    fn new(
        table: &'static [u8],
        single: &'static [u8],
        outs: &'static [u8],
        cols: usize,
        bits: u32,
    ) -> Lexicon {
        Lexicon {
            table: bytemuck::cast_slice(table),
            single: bytemuck::cast_slice(single),
            outs: bytemuck::cast_slice(outs),
            cols,
            bits,
        }
    }

    /// The first slot of fingerprint `fp`.
    #[inline(always)]
    fn slot(&self, fp: u64) -> usize {
        (fp.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// The entry and meta of the string whose running FNV-1a hash is `h`.
    #[inline]
    fn find(&self, h: u64) -> Option<(usize, u32)> {
        let fp = h | 1;
        let check = fp & 0xFFFF_FFFF;
        let mask = (1usize << self.bits) - 1;
        let mut slot = self.slot(fp);
        loop {
            let v = self.table[slot];
            if v == 0 {
                return None;
            }
            if v >> 32 == check {
                return Some(unpack(v as u32));
            }
            slot = (slot + 1) & mask;
        }
    }

    /// The entry and meta of the one-character string `c` (UTF-8 bytes), hashed as `h`.
    #[inline]
    fn find_char(&self, c: &[u8], h: u64) -> Option<(usize, u32)> {
        if c.len() == 3 && c[0] >= 0xE3 {
            let cp = ((c[0] as usize & 0x0F) << 12)
                | ((c[1] as usize & 0x3F) << 6)
                | (c[2] as usize & 0x3F);
            if cp >= 0x3400 {
                let v = self.single[cp - 0x3400];
                return (v != 0).then(|| unpack(v));
            }
        }
        self.find(h)
    }

    #[inline]
    fn hash(h: u64, bytes: &[u8]) -> u64 {
        bytes
            .iter()
            .fold(h, |h, &b| (h ^ b as u64).wrapping_mul(FNV_PRIME))
    }

    /// The entry of `key` if it is a word.
    pub(crate) fn word(&self, key: &str) -> Option<usize> {
        let h = Self::hash(FNV_OFFSET, key.as_bytes());
        let found = if key.chars().nth(1).is_none() {
            self.find_char(key.as_bytes(), h)
        } else {
            self.find(h)
        };
        found.filter(|&(_, m)| m & IS_KEY != 0).map(|(e, _)| e)
    }

    /// The cost in nats (`-ln p`, as the segmenter counts it) of the cheapest segmentation of
    /// `run` (Han characters) into keys of any of `lexicons`, a character that is no key
    /// costing `UNKNOWN_COST`. Used by the repair to score guessed characters by the words they
    /// make.
    pub(crate) fn segment_cost(lexicons: &[Lexicon], run: &[char]) -> f32 {
        let n = run.len();
        let mut cost = vec![u32::MAX; n + 1];
        cost[0] = 0;
        let mut buf = [0u8; 4];
        for i in 0..n {
            let base = cost[i];
            let mut single = false;
            for lexicon in lexicons {
                let mut h = FNV_OFFSET;
                for j in i..n.min(i + t::MAX_KEY_CHARS) {
                    let c = run[j].encode_utf8(&mut buf).as_bytes();
                    h = Self::hash(h, c);
                    let found = if j == i {
                        lexicon.find_char(c, h)
                    } else {
                        lexicon.find(h)
                    };
                    let Some((_, m)) = found else { break };
                    if m & IS_KEY != 0 {
                        single |= j == i;
                        cost[j + 1] = cost[j + 1].min(base + (m & COST));
                    }
                    if m & LONGER == 0 {
                        break;
                    }
                }
            }
            if !single {
                cost[i + 1] = cost[i + 1].min(base + t::UNKNOWN_COST);
            }
        }
        cost[n] as f32 / 32.0
    }

    /// The output of entry `e` (a word) for `col`, or `None` for the default.
    #[inline]
    pub(crate) fn output(&self, e: usize, col: usize) -> Option<&'static str> {
        // A lexicon with fewer columns answers with its last one (standard Traditional).
        let col = col.min(self.cols - 1);
        let id = self.outs[e * self.cols + col];
        if id == 0 {
            return None;
        }
        let (at, len) = ((id >> 8) as usize, (id & 0xFF) as usize);
        // The pool is built from &str values and every value is cut at its own bounds.
        std::str::from_utf8(&pool()[at..at + len]).ok()
    }

    /// The output of one character for `col`.
    pub(crate) fn char_output<'a>(&self, c: &'a str, col: usize) -> &'a str
    where
        'static: 'a,
    {
        self.word(c).and_then(|e| self.output(e, col)).unwrap_or(c)
    }

    /// Segments `run` (Han characters only) and appends the output of each word for `col`.
    /// A character that is no key here takes its output from `fallback` (the other lexicon).
    /// `reduplicate` decides whether a lone character repeating the last character of the
    /// previous word may take that word's output character (一隻只 → 一隻隻). `fast`, the fast
    /// path's table of this lexicon and column, answers for single characters when it can.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn convert_run(
        &self,
        run: &str,
        col: usize,
        out: &mut String,
        scratch: &mut Scratch,
        fallback: Option<&Lexicon>,
        reduplicate: &dyn Fn(&str, &str) -> bool,
        fast: Option<&Fast>,
    ) {
        let single = |c: &str| fast.and_then(|f| f.single_output(c));
        let b = run.as_bytes();
        let Scratch {
            starts,
            cost,
            back,
            segs,
            pairs,
            ..
        } = scratch;
        starts.clear();
        starts.extend(run.char_indices().map(|(i, _)| i as u32));
        let n = starts.len();
        starts.push(b.len() as u32);
        cost.clear();
        cost.resize(n + 1, u32::MAX);
        back.clear();
        back.resize(n + 1, (0, 0));
        cost[0] = 0;
        // Every lookup below is a cache miss in tables of megabytes; ask for the slots of
        // the strings the search will most likely probe all at once, so that the misses
        // overlap instead of following one another.
        for i in 0..n {
            let mut h = FNV_OFFSET;
            for j in i..n.min(i + PREFETCH_CHARS) {
                h = Self::hash(h, &b[starts[j] as usize..starts[j + 1] as usize]);
                if j > i {
                    prefetch(&self.table[self.slot(h | 1)]);
                }
            }
        }
        pairs.clear();
        pairs.extend((0..n.saturating_sub(1)).map(|i| {
            let h = Self::hash(FNV_OFFSET, &b[starts[i] as usize..starts[i + 2] as usize]);
            (h, self.find(h))
        }));
        for i in 0..n {
            let base = cost[i];
            let mut h = FNV_OFFSET;
            let mut single = false;
            for j in i..n.min(i + t::MAX_KEY_CHARS) {
                let c = &b[starts[j] as usize..starts[j + 1] as usize];
                let found = if j == i {
                    h = Self::hash(h, c);
                    self.find_char(c, h)
                } else if j == i + 1 {
                    h = pairs[i].0;
                    pairs[i].1
                } else {
                    h = Self::hash(h, c);
                    self.find(h)
                };
                let Some((e, m)) = found else { break };
                if m & IS_KEY != 0 {
                    single |= j == i;
                    let c = base + (m & COST);
                    if c < cost[j + 1] {
                        cost[j + 1] = c;
                        back[j + 1] = (i as u32, e as u32 + 1);
                        if j > i {
                            prefetch(&self.outs[e * self.cols + col.min(self.cols - 1)]);
                        }
                    }
                }
                if m & LONGER == 0 {
                    break;
                }
            }
            if !single {
                let c = base + t::UNKNOWN_COST;
                if c < cost[i + 1] {
                    cost[i + 1] = c;
                    back[i + 1] = (i as u32, 0);
                }
            }
        }
        segs.clear();
        let mut j = n;
        while j > 0 {
            let (i, e) = back[j];
            segs.push((i, j as u32, e));
            j = i as usize;
        }
        // The previous word: its source and where its output sits in `out`.
        let mut prev: Option<(&str, usize, usize)> = None;
        for &(i, j, e) in segs.iter().rev() {
            let src = &run[starts[i as usize] as usize..starts[j as usize] as usize];
            let start = out.len();
            if let Some(c) = (j - i == 1).then(|| single(src)).flatten() {
                out.push(c);
            } else if e == 0 {
                out.push_str(fallback.map_or(src, |f| f.char_output(src, col)));
            } else if let Some(o) = self.output(e as usize - 1, col) {
                out.push_str(o);
            } else if j - i == 1 {
                out.push_str(src);
            } else {
                for (k, c) in src.char_indices() {
                    let c = &src[k..k + c.len_utf8()];
                    match single(c) {
                        Some(o) => out.push(o),
                        None => out.push_str(self.char_output(c, col)),
                    }
                }
            }
            if let (1, Some((psrc, ps, pe))) = (j - i, prev) {
                let last = psrc.chars().last().map(|c| c.len_utf8()).unwrap_or(0);
                let po_len = out[ps..pe]
                    .chars()
                    .last()
                    .map(|c| c.len_utf8())
                    .unwrap_or(0);
                let po = &out[pe - po_len..pe];
                if psrc.len() > src.len()
                    && psrc.ends_with(src)
                    && last == src.len()
                    && &out[start..] != po
                    && reduplicate(src, po)
                {
                    let po = po.to_string();
                    out.truncate(start);
                    out.push_str(&po);
                }
            }
            prev = Some((src, start, out.len()));
        }
    }
}
