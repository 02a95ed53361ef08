//! Which script each span of the input is written in.
//!
//! [`source_spans`] is the one place that decides it: a small classifier from OpenCC's character
//! tables, counting per sentence the characters that exist only in Simplified and only in
//! Traditional. (`zhfix::detect::script_spans` is not used yet: with it, converting twice
//! changed text again; see docs/target.md.)

use std::ops::Range;

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
    let cp = c as u32;
    if cp < 0x10000 {
        t::CLASS.0[cp as usize]
    } else if t::ASTRAL_SIMPLIFIED.binary_search(&cp).is_ok() {
        1
    } else if t::ASTRAL_TRADITIONAL.binary_search(&cp).is_ok() {
        2
    } else {
        0
    }
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '\n' | '。' | '！' | '？' | '；' | '!' | '?' | ';' | '…')
}

/// The source script of each sentence of `text`; the ranges cover `text` in order.
pub(crate) fn source_spans(text: &str) -> Vec<(Range<usize>, SourceScript)> {
    fn classify(simp: u32, trad: u32) -> SourceScript {
        match simp.cmp(&trad) {
            _ if simp == 0 && trad == 0 => SourceScript::None,
            std::cmp::Ordering::Greater => SourceScript::Simplified,
            std::cmp::Ordering::Less => SourceScript::Traditional,
            std::cmp::Ordering::Equal => SourceScript::Mixed,
        }
    }
    let mut spans = Vec::new();
    let (mut start, mut simp, mut trad) = (0, 0u32, 0u32);
    for (i, c) in text.char_indices() {
        match char_class(c) {
            1 => simp += 1,
            2 => trad += 1,
            _ => {}
        }
        if ends_sentence(c) {
            let end = i + c.len_utf8();
            spans.push((start..end, classify(simp, trad)));
            (start, simp, trad) = (end, 0, 0);
        }
    }
    if start < text.len() || spans.is_empty() {
        spans.push((start..text.len(), classify(simp, trad)));
    }
    spans
}
