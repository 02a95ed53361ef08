//! Which script each span of the input is written in.
//!
//! [`each_span`] is the one place that decides it: a small classifier from OpenCC's character
//! tables, counting per sentence the characters that exist only in Simplified and only in
//! Traditional. (`zhfix::detect::script_spans` is not used yet: with it, converting twice
//! changed text again; see docs/target.md.)

use std::ops::Range;

use super::fast::{Fast, Regional};
use crate::scan;
use crate::tables::target as t;

/// The script of one span of source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SourceScript {
    Simplified,
    Traditional,
    /// Both scripts, in equal measure.
    Mixed,
    /// No character that tells.
    None,
}

/// 1: the character exists only in Simplified; 2: only in Traditional; 0: either or neither.
#[inline]
pub(crate) fn char_class(c: char) -> u8 {
    class_of(c as u32)
}

/// Where a Han character of the BMP is in the class table (U+3400..U+9FFF, U+F900..U+FAFF;
/// U+4DC0..U+4DFF, not Han, has class 0).
#[inline(always)]
fn han_index(cp: u32) -> Option<usize> {
    match cp {
        0x3400..=0x9FFF => Some((cp - 0x3400) as usize),
        0xF900..=0xFAFF => Some((cp - 0xF900) as usize + 0x6C00),
        _ => None,
    }
}

/// [`char_class`] of a code point.
#[inline]
pub(crate) fn class_of(cp: u32) -> u8 {
    // Two bits per Han code point of the BMP (U+3400..U+9FFF, U+F900..U+FAFF).
    let i = match cp {
        0x3400..=0x9FFF => (cp - 0x3400) as usize,
        0xF900..=0xFAFF => (cp - 0xF900) as usize + 0x6C00,
        _ if cp < 0x20000 => return 0,
        _ if t::ASTRAL_SIMPLIFIED.binary_search(&cp).is_ok() => return 1,
        _ if t::ASTRAL_TRADITIONAL.binary_search(&cp).is_ok() => return 2,
        _ => return 0,
    };
    class_at(i)
}

/// [`class_of`] of the Han character at index `k` of the class table ([`han_index`]).
#[inline(always)]
fn class_at(k: usize) -> u8 {
    (t::CLASS.0[k / 4] >> (2 * (k % 4))) & 3
}

/// Whether a character that exists only in Traditional ([`class_of`] 2) occurs in `text`
/// (zh-Hans of Simplified text is copied after this scan).
pub(crate) fn has_traditional_only(text: &str) -> bool {
    has_class::<2>(text)
}

/// Whether a character that exists only in Simplified ([`class_of`] 1) occurs in `text`
/// (zh-Hans of Traditional text skips the sentence classifier after this scan).
pub(crate) fn has_simplified_only(text: &str) -> bool {
    has_class::<1>(text)
}

/// Whether a character of class `CLASS` ([`class_of`]) occurs in `text`.
///
/// The loop is the shape of `next_han`'s (mod.rs); this one tests characters of three bytes by
/// the class table alone, which is what makes it fast.
#[inline]
fn has_class<const CLASS: u8>(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    loop {
        // Characters of three bytes one after another without scanning again.
        if let Some(&[x, y, z]) = b.get(i..i + 3) {
            if (0xE3..0xF0).contains(&x) {
                let cp = ((x as u32 & 0x0F) << 12) | ((y as u32 & 0x3F) << 6) | (z as u32 & 0x3F);
                // (`class_of` without its search of the characters beyond the BMP, which
                // keeps it from being inlined.)
                if han_index(cp).is_some_and(|k| class_at(k) == CLASS) {
                    return true;
                }
                i += 3;
                continue;
            }
        }
        i = scan::next(scan::Kind::Han, b, i);
        if i >= b.len() {
            return false;
        }
        let (cp, len) = decode(b, i);
        if class_of(cp) == CLASS {
            return true;
        }
        i += len;
    }
}

/// One sentence: its byte range, its source script, and whether it has characters that exist
/// only in Simplified (`simp`) or only in Traditional (`trad`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub range: Range<usize>,
    pub script: SourceScript,
    pub simp: bool,
    pub trad: bool,
}

/// The code point at byte `i` of `b` (a character boundary of valid UTF-8) and its length.
#[inline(always)]
pub(crate) fn decode(b: &[u8], i: usize) -> (u32, usize) {
    let lead = b[i] as u32;
    if lead < 0x80 {
        (lead, 1)
    } else if lead < 0xE0 {
        (((lead & 0x1F) << 6) | (b[i + 1] as u32 & 0x3F), 2)
    } else if lead < 0xF0 {
        (
            ((lead & 0x0F) << 12) | ((b[i + 1] as u32 & 0x3F) << 6) | (b[i + 2] as u32 & 0x3F),
            3,
        )
    } else {
        (
            ((lead & 0x07) << 18)
                | ((b[i + 1] as u32 & 0x3F) << 12)
                | ((b[i + 2] as u32 & 0x3F) << 6)
                | (b[i + 3] as u32 & 0x3F),
            4,
        )
    }
}

/// Sentence ends: `\n 。 ！ ？ ； ! ? ; …`.
#[inline]
fn ends_sentence(cp: u32) -> bool {
    matches!(
        cp,
        0x0A | 0x21 | 0x3F | 0x3B | 0x3002 | 0xFF01 | 0xFF1F | 0xFF1B | 0x2026
    )
}

/// Hands the source script of each sentence of `text` to `emit`, in order; the ranges cover
/// `text` (one empty span for empty text).
pub(crate) fn each_span(text: &str, mut emit: impl FnMut(Span)) {
    walk(text, |span, _| emit(span), ());
}

/// The source script of a sentence with `simp` Simplified and `trad` Traditional characters.
fn classify(simp: u32, trad: u32) -> SourceScript {
    match simp.cmp(&trad) {
        _ if simp == 0 && trad == 0 => SourceScript::None,
        std::cmp::Ordering::Greater => SourceScript::Simplified,
        std::cmp::Ordering::Less => SourceScript::Traditional,
        std::cmp::Ordering::Equal => SourceScript::Mixed,
    }
}

fn span(range: Range<usize>, simp: u32, trad: u32) -> Span {
    Span {
        range,
        script: classify(simp, trad),
        simp: simp > 0,
        trad: trad > 0,
    }
}

/// What the sentence walk tells the runs of Han characters it passes: [`Runs`], or nothing
/// (`()`, for [`each_span`]; the calls compile away).
trait Notes {
    /// Whether the current sentence is noted.
    fn on(&self) -> bool;
    /// A Han character `cp` of the BMP at byte `i`, at index `k` of the tables (U+4DC0..U+4DFF,
    /// not Han, too), in a noted sentence; returns its class ([`class_of`]).
    fn han(&mut self, i: usize, k: usize, cp: u32) -> u8;
    /// A Han character beyond the BMP at byte `i`, in a noted sentence: not in the tables.
    fn astral(&mut self, i: usize);
    /// Anything else at byte `i`, or the end of the text: the current run ends.
    fn end(&mut self, i: usize);
    /// The end of sentence `span`: returns it with whether it was noted, and decides whether
    /// the next is.
    fn sentence(&mut self, span: Span) -> (Span, bool);
}

impl Notes for () {
    fn on(&self) -> bool {
        false
    }
    fn han(&mut self, _: usize, k: usize, _: u32) -> u8 {
        class_at(k)
    }
    fn astral(&mut self, _: usize) {}
    fn end(&mut self, _: usize) {}
    fn sentence(&mut self, span: Span) -> (Span, bool) {
        (span, false)
    }
}

/// [`each_span`], telling `notes` of the runs of Han characters (and handing them back);
/// `emit` also gets whether the sentence was noted.
#[inline(always)]
fn walk<N: Notes>(text: &str, mut emit: impl FnMut(Span, bool), mut notes: N) -> N {
    let b = text.as_bytes();
    let mut any = false;
    let (mut start, mut simp, mut trad) = (0, 0u32, 0u32);
    let mut i = 0;
    loop {
        // Only Han ideographs have a class, and only they and `\n ! ? ; … 。 ！ ？ ；` matter.
        i = scan::next(scan::Kind::Sentence, b, i);
        if i >= b.len() {
            break;
        }
        if b[i] < 0x80 {
            i += 1;
            let (sentence, noted) = notes.sentence(span(start..i, simp, trad));
            emit(sentence, noted);
            any = true;
            (start, simp, trad) = (i, 0, 0);
            continue;
        }
        // A run of characters of three or four bytes, without scanning again. Han characters
        // of the BMP (most of them) take one table look.
        loop {
            let (cp, len) = match b.get(i..i + 3) {
                Some(&[x, y, z]) if (0xE3..0xF0).contains(&x) => {
                    let cp =
                        ((x as u32 & 0x0F) << 12) | ((y as u32 & 0x3F) << 6) | (z as u32 & 0x3F);
                    if let Some(k) = han_index(cp) {
                        let class = if notes.on() {
                            notes.han(i, k, cp)
                        } else {
                            class_at(k)
                        };
                        simp += u32::from(class == 1);
                        trad += u32::from(class == 2);
                        i += 3;
                        continue;
                    }
                    (cp, 3)
                }
                Some(&[0xE2 | 0xF0, ..]) => decode(b, i),
                _ => {
                    notes.end(i);
                    break;
                }
            };
            if notes.on() && (0x20000..=0x3FFFF).contains(&cp) {
                notes.astral(i);
            } else {
                notes.end(i);
            }
            let class = class_of(cp);
            simp += u32::from(class == 1);
            trad += u32::from(class == 2);
            i += len;
            if ends_sentence(cp) {
                let (sentence, noted) = notes.sentence(span(start..i, simp, trad));
                emit(sentence, noted);
                any = true;
                (start, simp, trad) = (i, 0, 0);
            }
        }
    }
    if start < text.len() || !any {
        notes.end(text.len());
        let (sentence, noted) = notes.sentence(span(start..text.len(), simp, trad));
        emit(sentence, noted);
    }
    notes
}

/// The flags of a pass over Traditional text for its regional keys (`t::FAST_RUN*`,
/// `t::FAST_NOT_HAN`) with each character's class ([`class_of`]) in the two low bits, for
/// [`Runs`] (one table look per character for both).
pub(crate) fn classed_flags(flags: &[u8], signature: &[u32]) -> Box<[u32]> {
    const KEEP: u8 = t::FAST_RUN | t::FAST_RUN_FIRST | t::FAST_RUN_SECOND | t::FAST_NOT_HAN;
    let mut classed: Box<[u32]> = flags
        .iter()
        .zip(signature)
        .enumerate()
        .map(|(k, (&f, &sig))| ((f & KEEP) | class_at(k)) as u32 | sig << SIG_SHIFT)
        .collect();
    // The characters of the pairs of one-to-one converted text (`Runs::evidence`).
    for &p in t::ONE_TO_ONE_PAIRS {
        for (cp, flag) in [(p >> 32, ONE_FIRST), (p & 0xFFFF_FFFF, ONE_SECOND)] {
            if let Some(k) = han_index(cp as u32) {
                classed[k] |= flag;
            }
        }
    }
    classed
}

/// In [`classed_flags`]: the character starts or ends a pair of `t::ONE_TO_ONE_PAIRS` (bits
/// the regional flags leave free; the second is the first shifted left by one).
const ONE_FIRST: u32 = 4;
const ONE_SECOND: u32 = 8;
/// In [`classed_flags`]: where the signature of the regional pairs starts (the bucket of the
/// character as the second of a pair, four bits, then the mask of the buckets of its seconds
/// as a first; `signature` in build/target.rs).
const SIG_SHIFT: u32 = 8;
const MASK_SHIFT: u32 = SIG_SHIFT + 4;
const _: () = assert!(
    (t::FAST_RUN | t::FAST_RUN_FIRST | t::FAST_RUN_SECOND | t::FAST_NOT_HAN | 3) as u32
        & (ONE_FIRST | ONE_SECOND)
        == 0
);

/// Notes each run of Han characters with whether a regional key of a pass over Traditional
/// text occurs in it (as `Regional::find_in_run` would find): the pass copies a run without a
/// key unchanged, so where the classifier has walked over the run, the pass need not walk it
/// again to look for one (`Pass::text_runs`). Only sentences after one that is not
/// Simplified are noted (Simplified sentences take another plan, and noting costs time).
pub(crate) struct Runs<'a> {
    /// The pass's fast tables and regional keys.
    fast: &'a Fast,
    regional: &'a Regional,
    /// Its flags per Han code point of the BMP, with the regional triggers
    /// ([`classed_flags`]).
    flags: &'a [u32],
    /// Added to every position (the text walked is a slice of the whole).
    pub offset: usize,
    /// The runs: start, end, and [`RUN_CLEAN`], [`RUN_KEY`] or [`RUN_UNKNOWN`].
    pub runs: Vec<(u32, u32, u8)>,
    /// Each pair of `t::ONE_TO_ONE_PAIRS` that is the first regional key of its run, before
    /// any character beyond the BMP (evidence of one-to-one converted text, see
    /// `one_to_one_evidence` in mod.rs): where its second character starts, and the pair.
    pub evidence: Vec<(u32, u64)>,
    /// Whether the current sentence is noted.
    pub on: bool,
    /// The start of the current run (`usize::MAX`: none), what was found in it so far, and
    /// the flags and code point of its last character.
    start: usize,
    seen: u8,
    prev: u32,
    prev_cp: u32,
}

/// No regional key occurs in the run.
pub(crate) const RUN_CLEAN: u8 = 0;
/// A regional key occurs in the run.
pub(crate) const RUN_KEY: u8 = 1;
/// The run has characters beyond the BMP: not known.
pub(crate) const RUN_UNKNOWN: u8 = 2;

impl<'a> Runs<'a> {
    /// Notes nothing yet, for the keys `regional` of the pass with tables `fast`; `flags` are
    /// its flags for `regional` with each character's class in the low bits
    /// ([`classed_flags`]).
    pub(crate) fn new(
        fast: &'a Fast,
        regional: &'a Regional,
        flags: &'a [u32],
        mut runs: Vec<(u32, u32, u8)>,
    ) -> Self {
        runs.clear();
        Runs {
            fast,
            regional,
            flags,
            offset: 0,
            runs,
            evidence: Vec::new(),
            on: true,
            start: usize::MAX,
            seen: RUN_CLEAN,
            prev: 0,
            prev_cp: 0,
        }
    }
}

impl Notes for Runs<'_> {
    #[inline(always)]
    fn on(&self) -> bool {
        self.on
    }

    #[inline(always)]
    fn han(&mut self, i: usize, k: usize, cp: u32) -> u8 {
        let f = self.flags[k];
        if f & t::FAST_NOT_HAN as u32 != 0 {
            self.end(i);
            return 0;
        }
        if self.start == usize::MAX {
            (self.start, self.prev) = (i, 0);
        }
        // A key character (exactly by its flag in the BMP), or a pair of characters that may
        // be a key, checked: only where the signature lets it be one (the previous
        // character's mask has this one's bucket, about 9% of the pairs of Traditional text;
        // both flags are on about 55%), the filter, then the set.
        let bucket = (f >> SIG_SHIFT) & 0xF;
        let second = f >> t::FAST_RUN_SECOND.trailing_zeros();
        let signed = (self.prev >> (MASK_SHIFT + bucket)) & second & 1 != 0;
        if self.seen == RUN_CLEAN
            && (f & t::FAST_RUN as u32 != 0
                || (signed && self.regional.pair_is_key(self.fast, self.prev_cp, cp)))
        {
            self.seen = RUN_KEY;
            // The run's first key: evidence where it ends such a pair (looked for only here,
            // so that runs cost nothing more; `one_to_one_evidence` reads the same way). The
            // flags spare most keyed runs the look in the pair set (without them, zh-TW from
            // Traditional text was 2-3% slower).
            if self.prev & (f >> 1) & ONE_FIRST != 0 {
                let key = super::fast::pair_key(self.prev_cp, cp);
                if super::fast::pair_set_contains(t::ONE_TO_ONE_PAIR_SET, key) {
                    self.evidence.push(((i + self.offset) as u32, key));
                }
            }
        }
        (self.prev, self.prev_cp) = (f, cp);
        (f & 3) as u8
    }

    #[inline(always)]
    fn astral(&mut self, i: usize) {
        if self.start == usize::MAX {
            self.start = i;
        }
        self.seen |= RUN_UNKNOWN;
        (self.prev, self.prev_cp) = (0, 0);
    }

    #[inline(always)]
    fn end(&mut self, i: usize) {
        if self.start != usize::MAX {
            // A key found before a character beyond the BMP still counts.
            let seen = if self.seen & RUN_KEY != 0 {
                RUN_KEY
            } else {
                self.seen
            };
            self.runs.push((
                (self.start + self.offset) as u32,
                (i + self.offset) as u32,
                seen,
            ));
            (self.start, self.seen) = (usize::MAX, RUN_CLEAN);
        }
    }

    #[inline(always)]
    fn sentence(&mut self, span: Span) -> (Span, bool) {
        let on = self.on;
        self.on = match span.script {
            SourceScript::Simplified => false,
            SourceScript::None => on,
            _ => true,
        };
        (span, on)
    }
}

/// [`each_span`], noting in `runs` each run of Han characters of the sentences it is told
/// to (see [`Runs`]); `emit` also gets whether every run of the sentence was noted.
pub(crate) fn each_span_runs<'a>(
    text: &str,
    emit: impl FnMut(Span, bool),
    runs: Runs<'a>,
) -> Runs<'a> {
    walk(text, emit, runs)
}
