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
    out: &'static [u16; LEN],
    /// Per Han code point of the BMP: `t::FAST_*` flags, with the regional triggers after the
    /// Traditional lexicon (0) and after the Simplified one (1).
    flags: [&'static [u8; LEN]; 2],
    trig: &'static [u64; TRIG_WORDS],
    inner: &'static [u64; INNER_WORDS],
    /// Filters of the regional trigger pairs, as `flags`.
    run: [(&'static [u64], u32); 2],
    /// The changing words of each chosen pair (`chosen_words` in build/target.rs).
    chosen: (&'static [u64], &'static [u8]),
}

// The loop finds a pair's second flag by shifting it onto the first's.
const _: () = assert!(
    t::FAST_TRIG_SECOND == t::FAST_TRIG << 1 && t::FAST_RUN_SECOND == t::FAST_RUN_FIRST << 1
);

/// Flags of a character outside the tables (astral): everything is possible.
const ALL_FLAGS: u8 = 0x7F;

/// Entries per table: U+3400..U+9FFF, then U+F900..U+FAFF.
const LEN: usize = 0x6C00 + 0x200;
const TRIG_WORDS: usize = 1 << t::TRIG_WORD_BITS;
const INNER_WORDS: usize = 1 << t::INNER_WORD_BITS;

#[inline(always)]
fn index_of(cp: u32) -> Option<usize> {
    index(cp)
}

#[inline(always)]
fn index(cp: u32) -> Option<usize> {
    match cp {
        0x3400..=0x9FFF => Some((cp - 0x3400) as usize),
        0xF900..=0xFAFF => Some((cp - 0xF900) as usize + 0x6C00),
        _ => None,
    }
}

#[inline(always)]
pub(super) fn pair_key(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

/// Whether pair `key` may be in a filter of `2^word_bits` words (`filter_bits` in
/// build/target.rs: three bits in one word).
#[inline(always)]
fn in_filter(words: &[u64], word_bits: u32, key: u64) -> bool {
    let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = words[(h >> (64 - word_bits)) as usize];
    let mask = (1u64 << ((h >> (52 - word_bits)) & 63))
        | (1u64 << ((h >> (46 - word_bits)) & 63))
        | (1u64 << ((h >> (40 - word_bits)) & 63));
    word & mask == mask
}

/// Whether `key` is in `set`, a hash set of pairs (`pair_set` in build/target.rs).
#[inline(always)]
pub(super) fn pair_set_contains(set: &[u64], key: u64) -> bool {
    set_find(set, key, |slot| slot == key).is_some()
}

/// The slot of `key` in an open-addressing set of `u64` slots (`set_insert` in
/// build/target.rs): the first one from its hash's slot on that `is_key` accepts, before an
/// empty one (0).
#[inline(always)]
fn set_find(set: &[u64], key: u64, is_key: impl Fn(u64) -> bool) -> Option<u64> {
    let mask = set.len() - 1;
    let bits = set.len().trailing_zeros();
    let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
    loop {
        match set[i] {
            0 => return None,
            slot if is_key(slot) => return Some(slot),
            _ => i = (i + 1) & mask,
        }
    }
}

/// [`in_filter`] of a chosen-pair filter (a constant size).
#[inline(always)]
fn in_trig(words: &[u64; TRIG_WORDS], key: u64) -> bool {
    in_filter(words, t::TRIG_WORD_BITS, key)
}

/// [`in_filter`] of a filter of pairs inside words (a constant size).
#[inline(always)]
fn in_inner(words: &[u64; INNER_WORDS], key: u64) -> bool {
    in_filter(words, t::INNER_WORD_BITS, key)
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

/// Appends `cp`, a BMP code point from U+0800 (three UTF-8 bytes), that is not a surrogate,
/// to `out`, which has room for it.
#[inline(always)]
fn push3(out: &mut String, cp: u32) {
    debug_assert!((0x800..0x10000).contains(&cp) && !(0xD800..0xE000).contains(&cp));
    // SAFETY: `cp` is a Han character of the input or an output the build script took from a
    // `char` and checked to be in U+0800..U+FFFF, so it is no surrogate and these three bytes
    // are its complete UTF-8 encoding, which keeps the string valid. `convert_run` reserves
    // one byte of room per byte of input left (three or four per character it writes three
    // bytes for) before its loop and after each window, so the writes stay within the
    // allocation.
    unsafe {
        let v = out.as_mut_vec();
        let len = v.len();
        debug_assert!(v.capacity() - len >= 3);
        let p = v.as_mut_ptr().add(len);
        p.write(0xE0 | (cp >> 12) as u8);
        p.add(1).write(0x80 | ((cp >> 6) & 0x3F) as u8);
        p.add(2).write(0x80 | (cp & 0x3F) as u8);
        v.set_len(len + 3);
    }
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

/// Where [`Fast::resume`] takes a run up.
pub(crate) struct Resume {
    pub start: usize,
    pub from: usize,
    pub at_start: usize,
    pub triggered: bool,
}

/// Where [`Fast::convert_run`] is in its run.
struct State {
    /// The current character and where it starts.
    i: usize,
    c: Char,
    /// Where the current stretch of character-by-character output starts: the start of the
    /// run or the end of the last window, a position no word crosses.
    floor: usize,
}

/// The arguments of [`Fast::convert_run`] that the closer look needs.
struct Args<'a> {
    lex: &'a Lexicon,
    text: &'a str,
    col: usize,
    fallback: Option<&'a Lexicon>,
    reduplicate: &'a dyn Fn(&str, &str) -> bool,
    flags: &'a [u8; LEN],
}

/// What [`Fast::char_in`] finds where no Han character is.
const NOT_HAN: Char = Char {
    cp: 0,
    len: 0,
    flags: t::FAST_NOT_HAN,
    index: 0,
};

impl Fast {
    #[allow(clippy::too_many_arguments)]
    fn new(
        id: u64,
        out: &'static [u8],
        flags: [&'static [u8]; 2],
        trig: &'static [u8],
        trig_bits: u32,
        run: [(&'static [u8], u32); 2],
        chosen: (&'static [u8], &'static [u8]),
        traditional: bool,
    ) -> Fast {
        let inner: &'static [u8] = if traditional {
            &t::T_INNER.0
        } else {
            &t::S_INNER.0
        };
        let (trig, inner): (&[u64], &[u64]) =
            (bytemuck::cast_slice(trig), bytemuck::cast_slice(inner));
        debug_assert_eq!(trig_bits, t::TRIG_WORD_BITS);
        let out: &[u16] = bytemuck::cast_slice(out);
        Fast {
            id,
            out: out.try_into().expect("fast table size"),
            flags: flags.map(|f| f.try_into().expect("fast table size")),
            trig: trig.try_into().expect("filter size"),
            inner: inner.try_into().expect("filter size"),
            run: run.map(|(f, bits)| (bytemuck::cast_slice(f), bits)),
            chosen: (bytemuck::cast_slice(chosen.0), chosen.1),
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
            (&t::CHOSEN_S0.0, &t::CHOSEN_WORDS_S0.0),
            false,
        )
    }

    /// The Traditional lexicon's tables for output column `col`.
    pub(crate) fn traditional(col: usize) -> Fast {
        macro_rules! tables {
            ($out:ident, $a:ident, $b:ident, $trig:ident, $bits:ident, $ra:ident, $rab:ident, $rb:ident, $rbb:ident, $ch:ident, $chw:ident) => {
                Fast::new(
                    1 + col as u64,
                    &t::$out.0,
                    [&t::$a.0, &t::$b.0],
                    &t::$trig.0,
                    t::$bits,
                    [(&t::$ra.0, t::$rab), (&t::$rb.0, t::$rbb)],
                    (&t::$ch.0, &t::$chw.0),
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
                FAST_T0B_RUN_BITS,
                CHOSEN_T0,
                CHOSEN_WORDS_T0
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
                FAST_T1B_RUN_BITS,
                CHOSEN_T1,
                CHOSEN_WORDS_T1
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
                FAST_T2B_RUN_BITS,
                CHOSEN_T2,
                CHOSEN_WORDS_T2
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
                FAST_T3B_RUN_BITS,
                CHOSEN_T3,
                CHOSEN_WORDS_T3
            ),
            4 => tables!(
                FAST_OUT_T4,
                FAST_FLAGS_T4A,
                FAST_FLAGS_T4B,
                TRIG_T4,
                FAST_T4_BITS,
                RUN_T4A,
                FAST_T4A_RUN_BITS,
                RUN_T4B,
                FAST_T4B_RUN_BITS,
                CHOSEN_T4,
                CHOSEN_WORDS_T4
            ),
            // zh-TW for the standard Traditional text of a Simplified source.
            _ => tables!(
                FAST_OUT_T5,
                FAST_FLAGS_T5A,
                FAST_FLAGS_T5B,
                TRIG_T5,
                FAST_T5_BITS,
                RUN_T5A,
                FAST_T5A_RUN_BITS,
                RUN_T5B,
                FAST_T5B_RUN_BITS,
                CHOSEN_T5,
                CHOSEN_WORDS_T5
            ),
        }
    }

    /// The character at byte `i` of `b` with its flags in `flags`; `NOT_HAN` when there is no
    /// Han character there (or nothing).
    #[inline(always)]
    fn char_in(&self, b: &[u8], i: usize, flags: &[u8; LEN]) -> Char {
        match b.get(i..) {
            Some(&[x, y, z, ..]) if (0xE3..0xF0).contains(&x) => {
                let cp = ((x as u32 & 0x0F) << 12) | ((y as u32 & 0x3F) << 6) | (z as u32 & 0x3F);
                match index(cp) {
                    Some(index) => Char {
                        cp,
                        len: 3,
                        flags: flags[index],
                        index,
                    },
                    None => NOT_HAN,
                }
            }
            Some(&[0xF0, y, z, w, ..]) => {
                let cp = ((y as u32 & 0x3F) << 12) | ((z as u32 & 0x3F) << 6) | (w as u32 & 0x3F);
                if (0x20000..=0x3FFFF).contains(&cp) {
                    Char {
                        cp,
                        len: 4,
                        flags: ALL_FLAGS,
                        index: 0,
                    }
                } else {
                    NOT_HAN
                }
            }
            _ => NOT_HAN,
        }
    }

    /// The flags per Han code point of the BMP with the regional triggers after the
    /// Traditional lexicon (variant 0) or the Simplified one (1).
    pub(crate) fn flags(&self, v: usize) -> &'static [u8] {
        self.flags[v]
    }

    /// [`Fast::char_in`] with the flags of variant `v`.
    #[inline(always)]
    fn char(&self, b: &[u8], i: usize, v: usize) -> Char {
        self.char_in(b, i, self.flags[v])
    }

    /// Whether some word may cross the position between the characters before and at `p`
    /// (`0 < p < b.len()`), or the two are the same character.
    #[inline]
    fn crossed(&self, b: &[u8], p: usize) -> bool {
        let (c1, _) = char_at(b, start_before(b, p));
        let (c2, _) = char_at(b, p);
        self.crossed_pair(c1, c2)
    }

    /// Whether a changing word whose chosen pair is `c1 c2` occurs at the pair at byte `i` of
    /// `b` (the character `c1` starts there, `c2` follows): where none does, no window is
    /// needed there (a pair that is no chosen pair has no such word). Pairs with a character
    /// outside the BMP are taken to have one.
    #[inline(never)]
    pub(crate) fn changes_at(&self, b: &[u8], i: usize, c1: u32, c2: u32) -> bool {
        let (Some(x), Some(y)) = (index(c1), index(c2)) else {
            return true;
        };
        let key = (((x + 1) << 16) | (y + 1)) as u64;
        let (set, words) = self.chosen;
        let Some(slot) = set_find(set, key, |slot| slot >> 32 == key) else {
            return false;
        };
        let mut at = slot as u32 as usize;
        loop {
            let len = words[at] as usize;
            if len == 0 {
                return false;
            }
            let off = words[at + 1] as usize;
            let word = &words[at + 2..at + 2 + len];
            if i >= off && b.get(i - off..i - off + len) == Some(word) {
                return true;
            }
            at += 2 + len;
        }
    }

    /// Whether some word may contain `c1` followed by `c2`, or the two are the same character.
    #[inline(always)]
    fn crossed_pair(&self, c1: u32, c2: u32) -> bool {
        c1 == c2 || in_inner(self.inner, pair_key(c1, c2))
    }

    /// Converts the run of Han characters that starts at byte `start` of `text` (a character
    /// boundary where a Han character is) as `lex.convert_run` would (same arguments), but
    /// character by character wherever that gives the same output; returns where the run
    /// ends. With `regional` triggers, a run in which none occurs is copied as it is (see
    /// `Pass::run`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn convert_run(
        &self,
        lex: &Lexicon,
        text: &str,
        start: usize,
        col: usize,
        out: &mut String,
        scratch: &mut Scratch,
        fallback: Option<&Lexicon>,
        reduplicate: &dyn Fn(&str, &str) -> bool,
        regional: Option<&Regional>,
    ) -> usize {
        let resume = Resume {
            start,
            from: start,
            at_start: out.len(),
            triggered: regional.is_none(),
        };
        self.resume(
            lex,
            text,
            resume,
            col,
            out,
            scratch,
            fallback,
            reduplicate,
            regional,
        )
    }

    /// [`Fast::convert_run`] of the run that starts at `r.start`, from `r.from` on: `out`
    /// holds, from `r.at_start`, the character-by-character output of `[start, from)`, in
    /// which no character needed a closer look (`r.triggered`: a regional key is known to
    /// occur in the run).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn resume(
        &self,
        lex: &Lexicon,
        text: &str,
        r: Resume,
        col: usize,
        out: &mut String,
        scratch: &mut Scratch,
        fallback: Option<&Lexicon>,
        reduplicate: &dyn Fn(&str, &str) -> bool,
        regional: Option<&Regional>,
    ) -> usize {
        let b = text.as_bytes();
        let (start, at_start) = (r.start, r.at_start);
        let flags = self.flags[regional.map_or(0, |r| r.variant)];
        // A run without regional keys comes out as it is: look for one first, so that such a
        // run is not converted (windows and all) only to be dropped.
        if let Some(reg) = regional.filter(|_| !r.triggered) {
            if let Err(end) = reg.find_in_run(self, b, start) {
                out.truncate(at_start);
                out.push_str(&text[start..end]);
                return end;
            }
        }
        let mut st = State {
            i: r.from,
            c: self.char_in(b, r.from, flags),
            floor: start,
        };
        // Room for the character-by-character output: three bytes out for three or four in.
        out.reserve(b.len() - st.i);
        loop {
            let next = self.stretch(b, &mut st, flags, out);
            if st.c.flags & t::FAST_NOT_HAN != 0 {
                break;
            }
            let args = Args {
                lex,
                text,
                col,
                fallback,
                reduplicate,
                flags,
            };
            self.look(&args, &mut st, next, out, scratch);
        }
        st.i
    }

    /// Converts characters one by one from `st.c` while none needs a closer look; stops at
    /// the end of the run or at a character that does, and returns the character after it.
    #[inline(always)]
    fn stretch(&self, b: &[u8], st: &mut State, flags: &[u8; LEN], out: &mut String) -> Char {
        // The hot loop handles characters of three bytes and keeps its state in scalars; the
        // rest (four-byte characters, the end of the run) leaves it.
        let c = st.c;
        if c.len != 3 || c.flags & t::FAST_NOT_HAN != 0 {
            return self.char_in(b, st.i + c.len, flags);
        }
        let (mut i, mut cp, mut f, mut index) = (st.i, c.cp, c.flags, c.index);
        // SAFETY: the bytes written are complete UTF-8 encodings of characters from
        // U+0800..U+FFFF that are no surrogates: Han characters of the input, or outputs the
        // build script took from `char`s and checked to be in that range; so the string stays
        // valid. Three bytes are written per character of three bytes read, and
        // `convert_run` reserves one byte per byte of input left before the first stretch and
        // after each window, so the writes stay within the allocation; `set_len` covers
        // exactly the bytes written.
        let v = unsafe { out.as_mut_vec() };
        let mut len = v.len();
        debug_assert!(v.capacity() - len >= b.len() - i);
        let dst = v.as_mut_ptr();
        loop {
            // The next character, if it has three bytes and is in the table.
            let j = i + 3;
            let (ncp, nindex, nf) = match b.get(j..j + 3) {
                Some(&[x, y, z]) if (0xE3..0xF0).contains(&x) => {
                    let ncp =
                        ((x as u32 & 0x0F) << 12) | ((y as u32 & 0x3F) << 6) | (z as u32 & 0x3F);
                    match index_of(ncp) {
                        Some(k) => (ncp, k, flags[k]),
                        None => (0, 0, t::FAST_NOT_HAN),
                    }
                }
                Some(&[0xF0, ..]) => (0, 0, ALL_FLAGS),
                _ => (0, 0, t::FAST_NOT_HAN),
            };
            // A pair's second flag is its first's shifted left by one.
            let pair = f & (nf >> 1) & 0x3F;
            // Flags of chosen pairs are on about half of all pairs; the (small) filter of the
            // pairs themselves answers here, asked without branching on the flags first (the
            // branch cost more than the filter). (A four-byte next character ends the stretch.)
            let chosen = (pair & t::FAST_TRIG != 0) & in_trig(self.trig, pair_key(cp, ncp));
            if f & t::FAST_HARD != 0 || nf == ALL_FLAGS || chosen {
                break;
            }
            let o = if f & t::FAST_MAPPED != 0 {
                self.out[index] as u32
            } else {
                cp
            };
            unsafe {
                let p = dst.add(len);
                p.write(0xE0 | (o >> 12) as u8);
                p.add(1).write(0x80 | ((o >> 6) & 0x3F) as u8);
                p.add(2).write(0x80 | (o & 0x3F) as u8);
            }
            len += 3;
            i = j;
            (cp, index, f) = (ncp, nindex, nf);
            if f & t::FAST_NOT_HAN != 0 {
                break;
            }
        }
        unsafe { v.set_len(len) };
        st.i = i;
        st.c = if f & t::FAST_NOT_HAN != 0 {
            NOT_HAN
        } else {
            Char {
                cp,
                len: 3,
                flags: f,
                index,
            }
        };
        self.char_in(b, i + st.c.len, flags)
    }

    /// The closer look at `st.c` (followed by `next`): a hard character or a chosen pair; converts it, or the window around it, and moves on.
    #[inline(never)]
    fn look(&self, a: &Args, st: &mut State, next: Char, out: &mut String, scratch: &mut Scratch) {
        let b = a.text.as_bytes();
        let (i, c) = (st.i, st.c);
        let j = i + c.len;
        // A chosen pair counts if one of its changing words occurs there.
        let right = c.flags & (next.flags >> 1) & t::FAST_TRIG != 0
            && in_trig(self.trig, pair_key(c.cp, next.cp))
            && self.changes_at(b, i, c.cp, next.cp);
        if c.flags & t::FAST_HARD == 0 && !right {
            let o = if c.flags & t::FAST_MAPPED != 0 {
                self.out[c.index] as u32
            } else {
                c.cp
            };
            push3(out, o);
            st.i = j;
            st.c = next;
            return;
        }
        // The window: out to the nearest positions no word crosses on either side. (A chosen
        // pair is known to be crossed.)
        let mut start = i;
        while start > st.floor && self.crossed(b, start) {
            start = start_before(b, start);
        }
        let mut end = if right { j + next.len } else { j };
        loop {
            let at = self.char_in(b, end, a.flags);
            if at.flags & t::FAST_NOT_HAN != 0 || !self.crossed(b, end) {
                break;
            }
            end += at.len;
        }
        // [start, i) went out character by character, three bytes each.
        out.truncate(out.len() - (i - start));
        let window = &a.text[start..end];
        st.i = end;
        st.floor = end;
        st.c = self.char_in(b, end, a.flags);
        match scratch.memo.get(self.id, window) {
            Some(o) => out.push_str(o),
            None => {
                let at = out.len();
                a.lex.convert_run(
                    window,
                    a.col,
                    out,
                    scratch,
                    a.fallback,
                    a.reduplicate,
                    Some(self),
                );
                scratch.memo.put(self.id, window, &out[at..]);
            }
        }
        out.reserve(b.len() - end);
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
        if c.flags & (t::FAST_HARD | t::FAST_NOT_HAN) != 0 {
            return None;
        }
        char::from_u32(if c.flags & t::FAST_MAPPED != 0 {
            self.out[c.index] as u32
        } else {
            c.cp
        })
    }
}

/// The two passes of a regional target from Simplified (the Simplified lexicon into standard
/// Traditional, then the Traditional lexicon's column) taken together where neither needs
/// more than character by character: one table look per character gives both passes' flags,
/// the first pass's output, and both passes' chosen-pair signatures, which rule out most
/// pairs before their filters are asked (`both` in build/target.rs).
pub(crate) struct Both {
    table: &'static [u64; LEN],
    /// Whether a window of the second pass that the memo does not know waits, while no
    /// regional key is known to occur in the run, until one does. Into zh-Hant and zh-HK most
    /// such runs turn out to have none, and need no segmenting (1-2% faster on the Simplified
    /// corpora); into zh-TW most windows are of a regional key themselves (軟件, 程序), the
    /// run needs the pass, and segmenting at once is 2% faster.
    defer: bool,
}

impl Both {
    /// The table for target column `col` (0, 1 or 2) of the Traditional lexicon (for zh-TW,
    /// its second pass writes column 5, `TargetConverter::pass`).
    pub(crate) fn new(col: usize) -> Both {
        let table: &[u8] = match col {
            0 => &t::FAST_BOTH_T0.0,
            1 => &t::FAST_BOTH_T1.0,
            _ => &t::FAST_BOTH_T2.0,
        };
        let table: &[u64] = bytemuck::cast_slice(table);
        Both {
            table: table.try_into().expect("fast table size"),
            defer: col != 1,
        }
    }

    /// The entry of the three-byte character at byte `i` of `b`, if it is a Han character of
    /// the table (`Some(None)`: no Han character there; `None`: one of four bytes).
    #[inline(always)]
    fn at(&self, b: &[u8], i: usize) -> Option<Option<(u32, u64)>> {
        match b.get(i..i + 3) {
            Some(&[x, y, z]) if (0xE3..0xF0).contains(&x) => {
                let cp = ((x as u32 & 0x0F) << 12) | ((y as u32 & 0x3F) << 6) | (z as u32 & 0x3F);
                Some(
                    index(cp)
                        .map(|k| (cp, self.table[k]))
                        .filter(|&(_, e)| e & 0xFFFF != 0),
                )
            }
            Some(&[0xF0, ..]) => None,
            _ => Some(None),
        }
    }

    /// Converts the run of Han characters at byte `start` of `text` through both passes
    /// (`first`: the Simplified lexicon's tables; `second`, `regional`: the Traditional
    /// lexicon's for the target, after the Simplified lexicon) as far as the first pass needs
    /// no more than each character's own output; `None` when the run starts with a character
    /// of four bytes. The second pass's windows come from the memo in `scratch`, or from
    /// `segment` (the second pass's segmenter, which writes a window's output to its `String`).
    /// The first pass's output goes to `standard` (three bytes per character, as in the
    /// source). [`Stage`] says what is left; the result is the passes' output either way.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run(
        &self,
        first: &Fast,
        second: &Fast,
        regional: &Regional,
        text: &str,
        start: usize,
        standard: &mut String,
        out: &mut String,
        scratch: &mut Scratch,
        segment: &dyn Fn(&str, &mut Scratch, &mut String),
    ) -> Option<Stage> {
        let b = text.as_bytes();
        let at_start = out.len();
        let Some(Some((mut cp, mut e))) = self.at(b, start) else {
            return None;
        };
        standard.clear();
        standard.reserve(b.len() - start);
        out.reserve(b.len() - start);
        let (first_trig, second_trig) = (first.trig, second.trig);
        let mut i = start;
        // Whether the second pass converts the run (a regional key is known to occur in the
        // first pass's output), which pairs that may be keys occur, and whether it would
        // change any character when it does.
        let (mut triggered, mut changes, mut pairs) = (false, false, 0u8);
        // The second pass's windows, as `Fast::look` finds them: the open one (where it starts
        // in `standard` and in `out`, and its least end in `standard`), and the end of the
        // last one (`floor_s`, in `standard`).
        let mut window: Option<(usize, usize, usize)> = None;
        let mut floor_s = 0;
        // Whether a window was left unsegmented (see `settle!`).
        let mut deferred = false;
        let mut prev_s = 0;
        // SAFETY: as in `Fast::stretch`: three bytes, the complete UTF-8 encoding of a
        // character of U+0800..U+FFFF that is no surrogate, are written to each buffer per
        // source character of three bytes, within the room reserved above for the rest of the
        // source; a window's output (a `&str` from the memo or the segmenter) is copied whole
        // over the window, with room made first when it is longer; `set_len` covers exactly
        // the bytes written.
        unsafe {
            let (sv, ov) = (standard.as_mut_vec(), out.as_mut_vec());
            let (sp, mut op) = (sv.as_mut_ptr(), ov.as_mut_ptr());
            let (mut sl, mut ol) = (sv.len(), ov.len());
            debug_assert_eq!(sl, 0);
            let write = |p: *mut u8, cp: u32| {
                p.write(0xE0 | (cp >> 12) as u8);
                p.add(1).write(0x80 | ((cp >> 6) & 0x3F) as u8);
                p.add(2).write(0x80 | (cp & 0x3F) as u8);
            };
            let read = |p: *const u8| {
                ((*p as u32 & 0x0F) << 12)
                    | ((*p.add(1) as u32 & 0x3F) << 6)
                    | (*p.add(2) as u32 & 0x3F)
            };
            // Writes the output of the window `[l, sl)` of `standard` over it in `out` (from
            // `lo`).
            macro_rules! settle {
                ($l:expr, $lo:expr) => {{
                    let (l, lo) = ($l, $lo);
                    let key = std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                        sp.add(l),
                        sl - l,
                    ));
                    let mut segmented = None;
                    let o = match scratch.memo.get(second.id, key) {
                        Some(o) => o,
                        // Until a regional key is known to occur, the window may stand as it
                        // is, to be segmented only if the run turns out to need the second
                        // pass (see `Both::defer`).
                        None if self.defer && !triggered => {
                            deferred = true;
                            key
                        }
                        None => {
                            let mut o = std::mem::take(&mut scratch.window);
                            o.clear();
                            segment(key, scratch, &mut o);
                            scratch.memo.put(second.id, key, &o);
                            &**segmented.insert(o)
                        }
                    };
                    if o.len() > sl - l {
                        ov.set_len(lo);
                        ov.reserve(o.len() + (b.len() - i));
                        op = ov.as_mut_ptr();
                    }
                    std::ptr::copy_nonoverlapping(o.as_ptr(), op.add(lo), o.len());
                    ol = lo + o.len();
                    if let Some(o) = segmented {
                        scratch.window = o;
                    }
                }};
            }
            let stage = loop {
                let (ncp, ne) = match self.at(b, i + 3) {
                    Some(Some(next)) => next,
                    Some(None) => (0, 0),
                    // A character of four bytes next: the first pass takes over here.
                    None => break Some(Stage::First { from: i }),
                };
                let (s, ns) = ((e & 0xFFFF) as u32, (ne & 0xFFFF) as u32);
                // The first pass: a hard character, a chosen pair of the Simplified lexicon
                // (only where the signature lets it be one: the first's mask has the second's
                // bucket).
                let bucket = ((ne >> t::BOTH_K1) & 0xF) as u32;
                let signed = e.wrapping_shr(t::BOTH_M1 + bucket) & (ne >> t::BOTH_SECOND) & 1;
                if (e >> t::BOTH_HARD) & 1 != 0
                    || (signed != 0
                        && in_trig(first_trig, pair_key(cp, ncp))
                        && first.changes_at(b, i, cp, ncp))
                {
                    break Some(Stage::First { from: i });
                }
                // The second, on what the first writes. Regional keys: characters exactly by
                // their flag; pairs that may be keys are only noted (most runs do not need to
                // know, see below). Both count in the whole run.
                let (g, ng) = ((e >> t::BOTH_G) as u8, (ne >> t::BOTH_G) as u8);
                triggered |= g & t::FAST_RUN != 0;
                pairs |= g & (ng >> 1);
                // An open window ends at the first position after its least end that no word
                // crosses.
                if let Some((l, lo, least)) = window {
                    if sl >= least && !second.crossed_pair(prev_s, s) {
                        window = None;
                        changes = true;
                        settle!(l, lo);
                        floor_s = sl;
                    }
                }
                if window.is_none() {
                    let bucket = ((ne >> t::BOTH_K2) & 0xF) as u32;
                    let signed = e.wrapping_shr(t::BOTH_M2 + bucket) & 1 != 0
                        && ng & t::FAST_TRIG_SECOND != 0;
                    if g & t::FAST_HARD != 0
                        || (signed
                            && in_trig(second_trig, pair_key(s, ns))
                            && second.crossed_pair(s, ns))
                    {
                        // The pair that needs a window is often a regional key itself
                        // (軟件, 文件, 程序): then the second pass need not look for one.
                        triggered |= g & (ng >> 1) & t::FAST_RUN_FIRST != 0
                            && regional.pair_is_key(second, s, ns);
                        // Whether a chosen pair starts here (the window takes both
                        // characters): asked again here rather than once before the test
                        // above, which made zh-TW 3-4% slower (maint-cn, debref-cn).
                        let right = signed
                            && in_trig(second_trig, pair_key(s, ns))
                            && second.crossed_pair(s, ns);
                        // Out to the nearest position on the left that no word crosses (the
                        // characters there went out three bytes each).
                        let (mut l, mut c) = (sl, s);
                        while l > floor_s {
                            let before = read(sp.add(l - 3));
                            if !second.crossed_pair(before, c) {
                                break;
                            }
                            (l, c) = (l - 3, before);
                        }
                        ol -= sl - l;
                        window = Some((l, ol, sl + if right { 6 } else { 3 }));
                    } else {
                        let o = if g & t::FAST_MAPPED != 0 {
                            changes = true;
                            index(s).map_or(s, |k| second.out[k] as u32)
                        } else {
                            s
                        };
                        write(op.add(ol), o);
                        ol += 3;
                    }
                }
                write(sp.add(sl), s);
                sl += 3;
                i += 3;
                prev_s = s;
                if ne == 0 {
                    break None;
                }
                (cp, e) = (ncp, ne);
            };
            if let (None, Some((l, lo, _))) = (&stage, window) {
                // The end of the run ends the open window.
                changes = true;
                settle!(l, lo);
            }
            sv.set_len(sl);
            ov.set_len(ol);
            if let Some(stage) = stage {
                out.truncate(at_start);
                return Some(stage);
            }
        }
        // The second pass leaves a run without regional keys as it is.
        let copied = |out: &mut String| {
            out.truncate(at_start);
            out.push_str(standard);
        };
        // Whether a regional key occurs matters only when the second pass changes the run.
        if changes
            && !triggered
            && (pairs & t::FAST_RUN_FIRST == 0 || !regional.any(second, standard))
        {
            copied(out);
        } else if deferred {
            out.truncate(at_start);
            return Some(Stage::Second { end: i });
        }
        Some(Stage::Done { end: i })
    }
}

/// What is left of a run after [`Both::run`].
pub(crate) enum Stage {
    /// Nothing: the output is written.
    Done { end: usize },
    /// The second pass on all of `standard`, which holds the first pass's output.
    Second { end: usize },
    /// The first pass from byte `from` of the source (`standard` holds its output before
    /// that), then the second on all of `standard`.
    First { from: usize },
}

/// The regional keys of a pass over Traditional text (see `Pass::run`): a run in which none of
/// them occurs is copied unchanged.
pub(crate) struct Regional {
    /// Which flags and filter: after the Traditional lexicon (0), after the Simplified one (1).
    variant: usize,
    /// The sets, exactly: sorted, and the pairs again as a hash set (`pair_set`).
    chars: &'static [u32],
    pairs: &'static [u64],
    pair_set: &'static [u64],
}

impl Regional {
    /// `after_simplified`: the sets for the output of the Simplified lexicon, else for
    /// Traditional input.
    pub(crate) fn new(
        after_simplified: bool,
        chars: &'static [u32],
        pairs: &'static [u64],
        pair_set: &'static [u64],
    ) -> Regional {
        debug_assert!(pair_set.len().is_power_of_two() && pair_set.len() >= 2 * pairs.len());
        Regional {
            variant: after_simplified as usize,
            chars,
            pairs,
            pair_set,
        }
    }

    /// Whether a key occurs at `c`, followed by `next` (flags 0 at the end of the run).
    #[inline(always)]
    fn fires(&self, fast: &Fast, c: Char, next: Char) -> bool {
        (c.flags & t::FAST_RUN != 0 && (c.len == 3 || self.chars.binary_search(&c.cp).is_ok()))
            || (c.flags & t::FAST_RUN_FIRST != 0
                && next.flags & t::FAST_RUN_SECOND != 0
                && self.pair_is_key(fast, c.cp, next.cp))
    }

    /// Which flags and filter: after the Traditional lexicon (0), after the Simplified one (1).
    pub(crate) fn variant(&self) -> usize {
        self.variant
    }

    /// Whether the pair of Han characters `a` `b` of the BMP, whose flags (variant
    /// `self.variant` of `fast`) say it may be a key, is one.
    #[inline(always)]
    pub(crate) fn pair_is_key(&self, fast: &Fast, a: u32, b: u32) -> bool {
        let (filter, bits) = fast.run[self.variant];
        let key = pair_key(a, b);
        in_filter(filter, bits, key) && pair_set_contains(self.pair_set, key)
    }

    /// Whether a key occurs in `run` (Han characters).
    pub(crate) fn any(&self, fast: &Fast, run: &str) -> bool {
        self.find_in_run(fast, run.as_bytes(), 0).is_ok()
    }

    /// Whether a key occurs in the run of Han characters of `b` from byte `i` on: `Ok` at
    /// the first, else `Err` with the end of the run.
    #[inline]
    fn find_in_run(&self, fast: &Fast, b: &[u8], mut i: usize) -> Result<(), usize> {
        let mut c = fast.char(b, i, self.variant);
        while c.flags & t::FAST_NOT_HAN == 0 {
            let next = fast.char(b, i + c.len, self.variant);
            if self.fires(fast, c, next) {
                return Ok(());
            }
            i += c.len;
            c = next;
        }
        Err(i)
    }

    /// The first key of the run of Han characters `run` by the sets alone, before any
    /// character beyond the BMP (as `script::Runs` notes it): the character that completes it,
    /// and the one before (0 at the start of the run).
    pub(crate) fn first_exact(&self, run: &str) -> Option<(u32, u32)> {
        let mut prev = 0;
        for c in run.chars() {
            let cp = c as u32;
            if cp > 0xFFFF {
                return None;
            }
            if self.chars.binary_search(&cp).is_ok()
                || (prev != 0 && self.pairs.binary_search(&pair_key(prev, cp)).is_ok())
            {
                return Some((prev, cp));
            }
            prev = cp;
        }
        None
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
/// Direct-mapped, one cache line per entry; [`Memo::forget`] empties it in constant time.
#[derive(Default)]
pub(crate) struct Memo {
    slots: Vec<Slot>,
    /// Entries of other generations are empty.
    generation: u32,
}

/// One memo entry: key and output bytes inline.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    generation: u32,
    /// High bits of the key's hash.
    tag: u32,
    id: u8,
    key_len: u8,
    out_len: u8,
    bytes: [u8; SLOT_BYTES],
}

const SLOT_BYTES: usize = 53;
const MEMO_BITS: u32 = 12;

/// The hash of window `key` of pass `id`, eight bytes at a time.
#[inline]
fn memo_hash(id: u64, key: &str) -> u64 {
    let mix = |h: u64, word: u64| {
        (h ^ word)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29)
    };
    let mut h = 0x243F_6A88_85A3_08D3 ^ id;
    let mut chunks = key.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        h = mix(
            h,
            u64::from_le_bytes(chunk.try_into().expect("eight bytes")),
        );
    }
    // The last bytes, zero-padded.
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let word = rest
            .iter()
            .enumerate()
            .fold(0u64, |w, (k, &x)| w | (x as u64) << (8 * k));
        h = mix(h, word);
    }
    h.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Memo {
    /// Empties the memo.
    pub(crate) fn forget(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Every entry has some generation; start over from zeroed entries at 1.
            self.slots.clear();
            self.generation = 1;
        }
    }

    /// The output of window `key` of pass `id`, if known.
    #[inline]
    pub(crate) fn get(&self, id: u64, key: &str) -> Option<&str> {
        let h = memo_hash(id, key);
        let slot = self.slots.get((h >> (64 - MEMO_BITS)) as usize)?;
        let (k, o) = (slot.key_len as usize, slot.out_len as usize);
        if slot.generation != self.generation
            || slot.tag != h as u32
            || slot.id != id as u8
            || k != key.len()
            || &slot.bytes[..k] != key.as_bytes()
        {
            return None;
        }
        let bytes = &slot.bytes[k..k + o];
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        // SAFETY: `put` copied these bytes in from a `&str` whole.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    }

    /// Remembers the output of window `key` of pass `id` (when both fit an entry).
    pub(crate) fn put(&mut self, id: u64, key: &str, output: &str) {
        if key.len() + output.len() > SLOT_BYTES {
            return;
        }
        if self.slots.is_empty() {
            self.generation = self.generation.max(1);
            let empty = Slot {
                generation: 0,
                tag: 0,
                id: 0,
                key_len: 0,
                out_len: 0,
                bytes: [0; SLOT_BYTES],
            };
            self.slots.resize(1 << MEMO_BITS, empty);
        }
        let h = memo_hash(id, key);
        let slot = &mut self.slots[(h >> (64 - MEMO_BITS)) as usize];
        slot.generation = self.generation;
        slot.tag = h as u32;
        slot.id = id as u8;
        slot.key_len = key.len() as u8;
        slot.out_len = output.len() as u8;
        slot.bytes[..key.len()].copy_from_slice(key.as_bytes());
        slot.bytes[key.len()..key.len() + output.len()].copy_from_slice(output.as_bytes());
    }
}
