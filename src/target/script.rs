//! Which script each span of the input is written in.
//!
//! [`source_spans`] is the one place that decides it, by asking the detector
//! ([`crate::detect::script_spans`]); [`char_class`] is the per-character table the converter
//! uses to tell whether a conversion still has anything to do.

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

/// The source script of each sentence of `text`; the ranges cover `text` in order.
pub(crate) fn source_spans(text: &str) -> Vec<(Range<usize>, SourceScript)> {
    crate::detect::script_spans(text)
        .into_iter()
        .map(|span| {
            let script = match span.script {
                crate::detect::Script::Simplified => SourceScript::Simplified,
                crate::detect::Script::Traditional => SourceScript::Traditional,
                crate::detect::Script::Mixed => SourceScript::Mixed,
                crate::detect::Script::None => SourceScript::None,
            };
            (span.range, script)
        })
        .collect()
}
