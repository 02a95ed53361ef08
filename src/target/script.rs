//! Which script each span of the input is written in.
//!
//! [`each_span`] is the one place that decides it: a small classifier from OpenCC's character
//! tables, counting per sentence the characters that exist only in Simplified and only in
//! Traditional. (`zhfix::detect::script_spans` is not used yet: with it, converting twice
//! changed text again; see docs/target.md.)

use std::ops::Range;

use super::scan;
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
    (t::CLASS.0[i / 4] >> (2 * (i % 4))) & 3
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
    fn classify(simp: u32, trad: u32) -> SourceScript {
        match simp.cmp(&trad) {
            _ if simp == 0 && trad == 0 => SourceScript::None,
            std::cmp::Ordering::Greater => SourceScript::Simplified,
            std::cmp::Ordering::Less => SourceScript::Traditional,
            std::cmp::Ordering::Equal => SourceScript::Mixed,
        }
    }
    let span = |range: Range<usize>, simp: u32, trad: u32| Span {
        range,
        script: classify(simp, trad),
        simp: simp > 0,
        trad: trad > 0,
    };
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
            emit(span(start..i, simp, trad));
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
                        let class = (t::CLASS.0[k / 4] >> (2 * (k % 4))) & 3;
                        simp += u32::from(class == 1);
                        trad += u32::from(class == 2);
                        i += 3;
                        continue;
                    }
                    (cp, 3)
                }
                Some(&[0xE2 | 0xF0, ..]) => decode(b, i),
                _ => break,
            };
            let class = class_of(cp);
            simp += u32::from(class == 1);
            trad += u32::from(class == 2);
            i += len;
            if ends_sentence(cp) {
                emit(span(start..i, simp, trad));
                any = true;
                (start, simp, trad) = (i, 0, 0);
            }
        }
    }
    if start < text.len() || !any {
        emit(span(start..text.len(), simp, trad));
    }
}
