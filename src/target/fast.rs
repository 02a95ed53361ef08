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
    /// Per Han code point of the BMP (see [`index`]): the output, where `FAST_MAPPED` is set.
    out: &'static [u16],
    /// Per Han code point of the BMP: `t::FAST_*` flags, with the regional triggers after the
    /// Traditional lexicon (0) and after the Simplified one (1).
    flags: [&'static [u8]; 2],
    trig: &'static [u64],
    trig_bits: u32,
    inner: &'static [u64],
    inner_bits: u32,
    /// Filters of the regional trigger pairs, as `flags`.
    run: [(&'static [u64], u32); 2],
}

// The loop finds a pair's second flag by shifting it onto the first's.
const _: () = assert!(
    t::FAST_TRIG_SECOND == t::FAST_TRIG << 1 && t::FAST_RUN_SECOND == t::FAST_RUN_FIRST << 1
);

/// Flags of a character outside the tables (astral): everything is possible.
const ALL_FLAGS: u8 = 0x7F;

#[inline(always)]
fn index(cp: u32) -> Option<usize> {
    match cp {
        0x3400..=0x9FFF => Some((cp - 0x3400) as usize),
        0xF900..=0xFAFF => Some((cp - 0xF900) as usize + 0x6C00),
        _ => None,
    }
}

#[inline(always)]
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
#[inline(always)]
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

/// One character of a run: code point, length in bytes, flags, table index.
#[derive(Clone, Copy)]
struct Char {
    cp: u32,
    len: usize,
    flags: u8,
    index: usize,
}

impl Fast {
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: u64,
        out: &'static [u8],
        flags: [&'static [u8]; 2],
        trig: &'static [u8],
        trig_bits: u32,
        run: [(&'static [u8], u32); 2],
        traditional: bool,
    ) -> Fast {
        let (inner, inner_bits): (&'static [u8], u32) = if traditional {
            (&t::T_INNER.0, t::T_INNER_BITS)
        } else {
            (&t::S_INNER.0, t::S_INNER_BITS)
        };
        Fast {
            id,
            out: bytemuck::cast_slice(out),
            flags,
            trig: bytemuck::cast_slice(trig),
            trig_bits,
            inner: bytemuck::cast_slice(inner),
            inner_bits,
            run: run.map(|(f, bits)| (bytemuck::cast_slice(f), bits)),
        }
    }

    /// The Simplified lexicon's tables (its one column).
    pub(crate) fn simplified() -> Fast {
        Fast::new(
            0,
            &t::FAST_OUT_S0.0,
            [&t::FAST_FLAGS_S0A.0, &t::FAST_FLAGS_S0B.0],
            &t::TRIG_S0.0,
            t::FAST_S0_BITS,
            [
                (&t::RUN_S0A.0, t::FAST_S0A_RUN_BITS),
                (&t::RUN_S0B.0, t::FAST_S0B_RUN_BITS),
            ],
            false,
        )
    }

    /// The Traditional lexicon's tables for output column `col`.
    pub(crate) fn traditional(col: usize) -> Fast {
        macro_rules! tables {
            ($out:ident, $a:ident, $b:ident, $trig:ident, $bits:ident, $ra:ident, $rab:ident, $rb:ident, $rbb:ident) => {
                Fast::new(
                    1 + col as u64,
                    &t::$out.0,
                    [&t::$a.0, &t::$b.0],
                    &t::$trig.0,
                    t::$bits,
                    [(&t::$ra.0, t::$rab), (&t::$rb.0, t::$rbb)],
                    true,
                )
            };
        }
        match col {
            0 => tables!(
                FAST_OUT_T0,
                FAST_FLAGS_T0A,
                FAST_FLAGS_T0B,
                TRIG_T0,
                FAST_T0_BITS,
                RUN_T0A,
                FAST_T0A_RUN_BITS,
                RUN_T0B,
                FAST_T0B_RUN_BITS
            ),
            1 => tables!(
                FAST_OUT_T1,
                FAST_FLAGS_T1A,
                FAST_FLAGS_T1B,
                TRIG_T1,
                FAST_T1_BITS,
                RUN_T1A,
                FAST_T1A_RUN_BITS,
                RUN_T1B,
                FAST_T1B_RUN_BITS
            ),
            2 => tables!(
                FAST_OUT_T2,
                FAST_FLAGS_T2A,
                FAST_FLAGS_T2B,
                TRIG_T2,
                FAST_T2_BITS,
                RUN_T2A,
                FAST_T2A_RUN_BITS,
                RUN_T2B,
                FAST_T2B_RUN_BITS
            ),
            3 => tables!(
                FAST_OUT_T3,
                FAST_FLAGS_T3A,
                FAST_FLAGS_T3B,
                TRIG_T3,
                FAST_T3_BITS,
                RUN_T3A,
                FAST_T3A_RUN_BITS,
                RUN_T3B,
                FAST_T3B_RUN_BITS
            ),
            _ => tables!(
                FAST_OUT_T4,
                FAST_FLAGS_T4A,
                FAST_FLAGS_T4B,
                TRIG_T4,
                FAST_T4_BITS,
                RUN_T4A,
                FAST_T4A_RUN_BITS,
                RUN_T4B,
                FAST_T4B_RUN_BITS
            ),
        }
    }

    /// The character at byte `i` of `b` with its flags of variant `v`.
    #[inline(always)]
    fn char(&self, b: &[u8], i: usize, v: usize) -> Char {
        let (cp, len) = char_at(b, i);
        match index(cp) {
            Some(index) if len == 3 => Char {
                cp,
                len,
                flags: self.flags[v][index],
                index,
            },
            _ => Char {
                cp,
                len,
                flags: ALL_FLAGS,
                index: 0,
            },
        }
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
        c1 == c2 || in_filter(self.inner, self.inner_bits, pair_key(c1, c2))
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
        let v = regional.map_or(0, |r| r.variant);
        let mut triggered = regional.is_none();
        // The regional flags still to watch for: a trigger character, the first of a trigger
        // pair (the second's flag is the first's shifted left by one).
        let mut watch = if triggered {
            0
        } else {
            t::FAST_RUN | t::FAST_RUN_FIRST
        };
        // Where the current stretch of character-by-character output starts: the start of the
        // run or the end of the last window, a position no word crosses.
        let mut floor = 0;
        // Room for the character-by-character output (three bytes out for three in).
        out.reserve(n);
        let mut i = 0;
        let mut c = self.char(b, 0, v);
        const END: Char = Char {
            cp: 0,
            len: 0,
            flags: 0,
            index: 0,
        };
        while i < n {
            // The next character, for pairs (and the next step).
            let j = i + c.len;
            let next = if j < n { self.char(b, j, v) } else { END };
            // One test for the common case: nothing to look at here. A pair's second flag is
            // its first's shifted left by one.
            let pair = c.flags & (next.flags >> 1);
            let maybe = (c.flags & t::FAST_HARD)
                | (pair & t::FAST_TRIG)
                | (c.flags & watch & t::FAST_RUN)
                | (pair & watch & t::FAST_RUN_FIRST);
            if maybe != 0 {
                if !triggered && regional.is_some_and(|r| r.fires(self, c, next)) {
                    triggered = true;
                    watch = 0;
                }
                // A chosen pair counts if some word can really span it.
                let hard = c.flags & t::FAST_HARD != 0
                    || (pair & t::FAST_TRIG != 0
                        && in_filter(self.trig, self.trig_bits, pair_key(c.cp, next.cp))
                        && self.crossed_pair(c.cp, next.cp));
                if hard {
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
                        c = self.char(b, i, v);
                    }
                    if !triggered {
                        // The window's characters and pairs, up to the pair that ends after it.
                        let end = if i < n { i + c.len } else { n };
                        if regional.is_some_and(|r| r.any(self, &run[a..end])) {
                            triggered = true;
                            watch = 0;
                        }
                    }
                    if let Some(o) = scratch.memo.get(self.id, window) {
                        out.push_str(o);
                        continue;
                    }
                    let at = out.len();
                    lex.convert_run(window, col, out, scratch, fallback, reduplicate, Some(self));
                    scratch.memo.put(self.id, window, &out[at..]);
                    continue;
                }
            }
            let o = if c.flags & t::FAST_MAPPED != 0 {
                self.out[c.index] as u32
            } else {
                c.cp
            };
            push3(out, o);
            i = j;
            c = next;
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
        let c = self.char(b, 0, 0);
        if c.flags & t::FAST_HARD != 0 {
            return None;
        }
        char::from_u32(if c.flags & t::FAST_MAPPED != 0 {
            self.out[c.index] as u32
        } else {
            c.cp
        })
    }
}

/// The regional keys of a pass over Traditional text (see `Pass::run`): a run in which none of
/// them occurs is copied unchanged.
pub(crate) struct Regional {
    /// Which flags and filter: after the Traditional lexicon (0), after the Simplified one (1).
    variant: usize,
    /// The sets, exactly.
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
        Regional {
            variant: after_simplified as usize,
            chars,
            pairs,
        }
    }

    /// Whether a key occurs at `c`, followed by `next` (flags 0 at the end of the run).
    #[inline(always)]
    fn fires(&self, fast: &Fast, c: Char, next: Char) -> bool {
        (c.flags & t::FAST_RUN != 0 && (c.len == 3 || self.chars.binary_search(&c.cp).is_ok()))
            || (c.flags & t::FAST_RUN_FIRST != 0 && next.flags & t::FAST_RUN_SECOND != 0 && {
                let (filter, bits) = fast.run[self.variant];
                let key = pair_key(c.cp, next.cp);
                in_filter(filter, bits, key) && self.pairs.binary_search(&key).is_ok()
            })
    }

    /// Whether a key occurs in `run`.
    pub(crate) fn any(&self, fast: &Fast, run: &str) -> bool {
        let b = run.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = fast.char(b, i, self.variant);
            let next = if i + c.len < b.len() {
                fast.char(b, i + c.len, self.variant)
            } else {
                Char {
                    cp: 0,
                    len: 0,
                    flags: 0,
                    index: 0,
                }
            };
            if self.fires(fast, c, next) {
                return true;
            }
            i += c.len;
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
