//! The fast path of a lexicon pass: most of a run of Han characters converts character by
//! character, and the segmenter runs only on the stretches around the places where segmentation
//! can change the output.
//!
//! Why this gives exactly the segmenter's output (tested against it in `super::tests`):
//! - The segmenter's output is the concatenation of its words' outputs. A word whose output is
//!   the concatenation of its characters' outputs ("plain") writes the same as those characters
//!   alone would, provided each character converts the same alone as inside a word. Characters
//!   for which that fails are marked `HARD` at build time (a non-key whose fallback differs, an
//!   output that is not one BMP character). So where only plain words and single characters can
//!   be chosen, the output is each character's own output, whatever the segmentation.
//! - Every "changing" word (not plain) has one pair of adjacent characters chosen at build time
//!   (`trig` filter); where no chosen pair occurs, no changing word occurs.
//! - A position between two characters whose pair occurs inside no word is crossed by no word
//!   (`inner` filter). Every path of the segmenter passes through it, so the lowest-cost path
//!   of the whole run is the lowest-cost path of each side (ties too: the segmenter keeps the
//!   first candidate in order of start position, and no candidate crosses such a position).
//!   The only thing a word passes to the next is reduplication (一隻只 → 一隻隻), which needs
//!   the same character on both sides, so a position between equal characters never splits.
//! - So around each hard character or chosen pair, the segmenter runs on the smallest stretch
//!   bounded by such positions (or the ends of the run), and everything else is converted
//!   character by character.

use super::lexicon::{Lexicon, Scratch};
use crate::tables::target as t;

/// The fast-path tables of one lexicon and output column (see `build/target.rs`).
pub(crate) struct Fast {
    /// Which pass this is, for the memo.
    id: u64,
    /// Per Han code point of the BMP (see [`index`]): output code point (0 = itself) in the low
    /// 16 bits, `t::FAST_*` flags above.
    table: &'static [u32],
    trig: &'static [u64],
    trig_bits: u32,
    inner: &'static [u64],
    inner_bits: u32,
}

/// Flags of a character outside the tables (astral): everything is possible.
const ALL_FLAGS: u32 = !0xFFFF;

#[inline]
fn index(cp: u32) -> Option<usize> {
    match cp {
        0x3400..=0x9FFF => Some((cp - 0x3400) as usize),
        0xF900..=0xFAFF => Some((cp - 0xF900) as usize + 0x6C00),
        _ => None,
    }
}

#[inline]
fn pair_key(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

/// Whether pair `key` may be in a filter of `2^word_bits` words (`filter_bits` in
/// build/target.rs: two bits in one word).
#[inline(always)]
fn in_filter(words: &[u64], word_bits: u32, key: u64) -> bool {
    let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = words[(h >> (64 - word_bits)) as usize];
    let mask = (1u64 << ((h >> (52 - word_bits)) & 63)) | (1u64 << ((h >> (46 - word_bits)) & 63));
    word & mask == mask
}

/// The code point and length of the character at byte `i` of a run of Han characters (three
/// bytes in the BMP, four beyond).
#[inline(always)]
fn char_at(b: &[u8], i: usize) -> (u32, usize) {
    if b[i] < 0xF0 {
        (
            ((b[i] as u32 & 0x0F) << 12)
                | ((b[i + 1] as u32 & 0x3F) << 6)
                | (b[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((b[i] as u32 & 0x07) << 18)
                | ((b[i + 1] as u32 & 0x3F) << 12)
                | ((b[i + 2] as u32 & 0x3F) << 6)
                | (b[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// Appends `cp`, a BMP code point from U+0800 (three UTF-8 bytes), that is not a surrogate.
#[inline]
fn push3(out: &mut String, cp: u32) {
    debug_assert!((0x800..0x10000).contains(&cp) && !(0xD800..0xE000).contains(&cp));
    let bytes = [
        0xE0 | (cp >> 12) as u8,
        0x80 | ((cp >> 6) & 0x3F) as u8,
        0x80 | (cp & 0x3F) as u8,
    ];
    // SAFETY: `cp` is a Han character of the input or an output the build script took from a
    // `char` and checked to be in U+0800..U+FFFF, so it is no surrogate and `bytes` is its
    // complete UTF-8 encoding; appending a complete encoding keeps the string valid.
    unsafe { out.as_mut_vec().extend_from_slice(&bytes) };
}

/// The start of the character that ends at byte `p` (`p > 0`) of a run of Han characters.
#[inline]
fn start_before(b: &[u8], p: usize) -> usize {
    if b[p - 3] & 0xC0 == 0x80 {
        p - 4
    } else {
        p - 3
    }
}

impl Fast {
    fn new(
        id: u64,
        table: &'static [u8],
        trig: &'static [u8],
        trig_bits: u32,
        traditional: bool,
    ) -> Fast {
        let (inner, inner_bits): (&'static [u8], u32) = if traditional {
            (&t::T_INNER.0, t::T_INNER_BITS)
        } else {
            (&t::S_INNER.0, t::S_INNER_BITS)
        };
        Fast {
            id,
            table: bytemuck::cast_slice(table),
            trig: bytemuck::cast_slice(trig),
            trig_bits,
            inner: bytemuck::cast_slice(inner),
            inner_bits,
        }
    }

    /// The Simplified lexicon's tables (its one column).
    pub(crate) fn simplified() -> Fast {
        Fast::new(0, &t::FAST_S0.0, &t::TRIG_S0.0, t::FAST_S0_BITS, false)
    }

    /// The Traditional lexicon's tables for output column `col`.
    pub(crate) fn traditional(col: usize) -> Fast {
        let (table, trig, bits): (&'static [u8], &'static [u8], u32) = match col {
            0 => (&t::FAST_T0.0, &t::TRIG_T0.0, t::FAST_T0_BITS),
            1 => (&t::FAST_T1.0, &t::TRIG_T1.0, t::FAST_T1_BITS),
            2 => (&t::FAST_T2.0, &t::TRIG_T2.0, t::FAST_T2_BITS),
            3 => (&t::FAST_T3.0, &t::TRIG_T3.0, t::FAST_T3_BITS),
            _ => (&t::FAST_T4.0, &t::TRIG_T4.0, t::FAST_T4_BITS),
        };
        Fast::new(1 + col as u64, table, trig, bits, true)
    }

    /// The table entry of `cp` (every flag set outside the table).
    #[inline(always)]
    pub(crate) fn entry(&self, cp: u32) -> u32 {
        index(cp).map_or(ALL_FLAGS, |i| self.table[i])
    }

    /// Whether some word may cross the position between the characters before and at `p`
    /// (`0 < p < b.len()`), or the two are the same character.
    #[inline]
    fn crossed(&self, b: &[u8], p: usize) -> bool {
        let (c1, _) = char_at(b, start_before(b, p));
        let (c2, _) = char_at(b, p);
        self.crossed_pair(c1, c2)
    }

    /// Whether some word may contain `c1` followed by `c2`, or the two are the same character.
    #[inline(always)]
    fn crossed_pair(&self, c1: u32, c2: u32) -> bool {
        c1 == c2
            || (self.entry(c1) & t::FAST_IN_FIRST != 0
                && self.entry(c2) & t::FAST_IN_SECOND != 0
                && in_filter(self.inner, self.inner_bits, pair_key(c1, c2)))
    }

    /// `lex.convert_run` (same arguments), converting character by character wherever that
    /// gives the same output. With `regional` triggers, a run in which none occurs is copied
    /// as it is (see `Pass::run`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn convert_run(
        &self,
        lex: &Lexicon,
        run: &str,
        col: usize,
        out: &mut String,
        scratch: &mut Scratch,
        fallback: Option<&Lexicon>,
        reduplicate: &dyn Fn(&str, &str) -> bool,
        regional: Option<&Regional>,
    ) {
        let b = run.as_bytes();
        let n = b.len();
        let start = out.len();
        let mut triggered = regional.is_none();
        // Where the current stretch of character-by-character output starts: the start of the
        // run or the end of the last window, a position no word crosses.
        let mut floor = 0;
        // Room for the character-by-character output (three bytes out for three in).
        out.reserve(n);
        let mut i = 0;
        let (mut cp, mut len) = char_at(b, 0);
        let mut e = self.entry_of(cp, len);
        while i < n {
            // The next character's entry, for pairs (and the next step).
            let j = i + len;
            let (next, next_len, next_e) = if j < n {
                let (c, l) = char_at(b, j);
                (c, l, self.entry_of(c, l))
            } else {
                (0, 0, 0)
            };
            if !triggered {
                triggered = regional.is_some_and(|r| r.fires(cp, len, e, next, next_e));
            }
            // A chosen pair counts if some word can really span it.
            let hard = e & t::FAST_HARD != 0
                || (e & t::FAST_TRIG != 0
                    && next_e & t::FAST_TRIG_SECOND != 0
                    && in_filter(self.trig, self.trig_bits, pair_key(cp, next))
                    && self.crossed_pair(cp, next));
            if !hard {
                let o = match e & 0xFFFF {
                    0 => cp,
                    o => o,
                };
                push3(out, o);
                i = j;
                (cp, len, e) = (next, next_len, next_e);
                continue;
            }
            // The window: out to the nearest positions no word crosses on either side.
            let mut a = i;
            while a > floor && self.crossed(b, a) {
                a = start_before(b, a);
            }
            let mut z = j;
            while z < n && self.crossed(b, z) {
                z += char_at(b, z).1;
            }
            // [a, i) went out character by character, three bytes each.
            out.truncate(out.len() - (i - a));
            let window = &run[a..z];
            i = z;
            floor = z;
            if i < n {
                (cp, len) = char_at(b, i);
                e = self.entry_of(cp, len);
            }
            if !triggered {
                // The window's characters and pairs, up to the pair that ends after it.
                let end = if i < n { i + len } else { n };
                triggered = regional.is_some_and(|r| r.any(self, &run[a..end]));
            }
            if let Some(o) = scratch.memo.get(self.id, window) {
                out.push_str(o);
                continue;
            }
            let at = out.len();
            lex.convert_run(window, col, out, scratch, fallback, reduplicate, Some(self));
            scratch.memo.put(self.id, window, &out[at..]);
        }
        if !triggered {
            out.truncate(start);
            out.push_str(run);
        }
    }

    /// The output of the one character `c`, alone or in a word without an output of its own,
    /// when the table has it.
    #[inline]
    pub(crate) fn single_output(&self, c: &str) -> Option<char> {
        let b = c.as_bytes();
        if b.len() != 3 {
            return None;
        }
        let (cp, _) = char_at(b, 0);
        let e = self.entry(cp);
        if e & t::FAST_HARD != 0 {
            return None;
        }
        char::from_u32(match e & 0xFFFF {
            0 => cp,
            o => o,
        })
    }

    /// The entry of a character of `len` bytes.
    #[inline(always)]
    fn entry_of(&self, cp: u32, len: usize) -> u32 {
        if len == 3 {
            self.entry(cp)
        } else {
            ALL_FLAGS
        }
    }
}

/// The regional keys of a pass over Traditional text (see `Pass::run`): a run in which none of
/// them occurs is copied unchanged.
pub(crate) struct Regional {
    /// Flags of trigger characters, first and second characters of trigger pairs.
    one: u32,
    first: u32,
    second: u32,
    /// The same sets, exactly.
    chars: &'static [u32],
    pairs: &'static [u64],
}

impl Regional {
    /// `after_simplified`: the sets for the output of the Simplified lexicon, else for
    /// Traditional input.
    pub(crate) fn new(
        after_simplified: bool,
        chars: &'static [u32],
        pairs: &'static [u64],
    ) -> Regional {
        let (one, first, second) = if after_simplified {
            (t::FAST_RUN_B, t::FAST_RUN_B_FIRST, t::FAST_RUN_B_SECOND)
        } else {
            (t::FAST_RUN_A, t::FAST_RUN_A_FIRST, t::FAST_RUN_A_SECOND)
        };
        Regional {
            one,
            first,
            second,
            chars,
            pairs,
        }
    }

    /// Whether a key occurs at `cp` (`len` bytes, entry `e`), followed by `next` (entry
    /// `next_e`, 0 at the end of the run).
    #[inline(always)]
    fn fires(&self, cp: u32, len: usize, e: u32, next: u32, next_e: u32) -> bool {
        (e & self.one != 0 && (len == 3 || self.chars.binary_search(&cp).is_ok()))
            || (e & self.first != 0
                && next_e & self.second != 0
                && self.pairs.binary_search(&pair_key(cp, next)).is_ok())
    }

    /// Whether a key occurs in `run`.
    pub(crate) fn any(&self, fast: &Fast, run: &str) -> bool {
        let b = run.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let (cp, len) = char_at(b, i);
            let e = fast.entry_of(cp, len);
            let (next, next_e) = if i + len < b.len() {
                let (c, l) = char_at(b, i + len);
                (c, fast.entry_of(c, l))
            } else {
                (0, 0)
            };
            if self.fires(cp, len, e, next, next_e) {
                return true;
            }
            i += len;
        }
        false
    }

    /// [`Regional::any`] by the sets alone (the reference the flags are tested against).
    pub(crate) fn any_exact(&self, run: &str) -> bool {
        let mut prev: Option<u32> = None;
        for c in run.chars() {
            let cp = c as u32;
            if self.chars.binary_search(&cp).is_ok() {
                return true;
            }
            if let Some(p) = prev {
                if self.pairs.binary_search(&pair_key(p, cp)).is_ok() {
                    return true;
                }
            }
            prev = Some(cp);
        }
        false
    }
}

/// Outputs of windows already segmented, by pass and window text: the same windows recur
/// (软件, 文件, 程序 in technical text), and a window's output depends on nothing else.
#[derive(Default)]
pub(crate) struct Memo {
    /// Hash (0 = empty), start in `arena`, key length, output length.
    slots: Vec<(u64, u32, u32, u32)>,
    /// Keys and outputs, one after the other.
    arena: String,
}

const MEMO_BITS: u32 = 12;
const MEMO_ARENA: usize = 1 << 20;

fn memo_hash(id: u64, key: &str) -> u64 {
    key.as_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325 ^ id, |h, &b| {
            (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
        })
        | 1
}

impl Memo {
    fn slot(h: u64) -> usize {
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_BITS)) as usize
    }

    /// The output of window `key` of pass `id`, if known.
    pub(crate) fn get(&self, id: u64, key: &str) -> Option<&str> {
        let h = memo_hash(id, key);
        let &(sh, start, klen, olen) = self.slots.get(Self::slot(h))?;
        let (start, klen, olen) = (start as usize, klen as usize, olen as usize);
        (sh == h && klen == key.len() && &self.arena[start..start + klen] == key)
            .then(|| &self.arena[start + klen..start + klen + olen])
    }

    /// Remembers the output of window `key` of pass `id`.
    pub(crate) fn put(&mut self, id: u64, key: &str, output: &str) {
        if self.arena.len() + key.len() + output.len() > MEMO_ARENA {
            self.arena.clear();
            self.slots.clear();
        }
        if self.slots.is_empty() {
            self.slots.resize(1 << MEMO_BITS, (0, 0, 0, 0));
        }
        let h = memo_hash(id, key);
        let start = self.arena.len() as u32;
        self.arena.push_str(key);
        self.arena.push_str(output);
        self.slots[Self::slot(h)] = (h, start, key.len() as u32, output.len() as u32);
    }
}
