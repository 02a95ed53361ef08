//! The matcher: OpenCC's greedy longest-match conversion over the flattened tables.
//!
//! Unchanged stretches are never copied character by character: the loop only remembers where
//! the last replacement ended and copies the stretch in one go when the next one comes. ASCII
//! that starts no key is skipped eight bytes at a time.

use super::dict::{decode, Dict, NORM, PHRASE, SINGLE};

/// The text holds CJK compatibility ideographs: normalize it and convert again.
pub(crate) struct NeedsNormalization;

/// Skips ASCII bytes that no key starts with; returns the first position that needs a look.
#[inline(always)]
fn skip_inert(dict: &Dict, b: &[u8], mut i: usize) -> usize {
    if dict.ascii_inert() {
        while i + 8 <= b.len() {
            let word = u64::from_le_bytes(b[i..i + 8].try_into().expect("8 bytes"));
            if word & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            i += 8;
        }
        while i < b.len() && b[i] < 0x80 {
            i += 1;
        }
    } else {
        while i < b.len() && b[i] < 0x80 && !dict.ascii_active(b[i]) {
            i += 1;
        }
    }
    i
}

/// One conversion stage over the whole of `text` (OpenCC's `Conversion::Convert`).
/// With `CHECK_NORM`, stops at the first compatibility ideograph.
#[inline]
pub(crate) fn greedy<const CHECK_NORM: bool>(
    dict: &Dict,
    text: &str,
    out: &mut String,
) -> Result<(), NeedsNormalization> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        i = skip_inert(dict, b, i);
        if i >= b.len() {
            break;
        }
        let (cp, len) = decode(b, i);
        let entry = dict.entry(cp);
        if entry == 0 {
            i += len;
            continue;
        }
        if CHECK_NORM && entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        if entry & PHRASE != 0 {
            if let Some((key_len, value)) = dict.match_phrase(b, i, cp, len) {
                out.push_str(&text[copied..i]);
                out.push_str(value);
                i += key_len;
                copied = i;
                continue;
            }
        }
        if entry & SINGLE != 0 {
            out.push_str(&text[copied..i]);
            out.push_str(dict.single(entry));
            copied = i + len;
        }
        i += len;
    }
    out.push_str(&text[copied..]);
    Ok(())
}

/// Segmented conversion: phrases of the segmentation table carry their converted text; the runs
/// between them go through `stages` (OpenCC's `MaxMatchSegmentation` + `ConversionChain`).
pub(crate) fn segmented(
    seg: &Dict,
    stages: &[&Dict],
    text: &str,
    out: &mut String,
    scratch: &mut [String; 2],
) -> Result<(), NeedsNormalization> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    while i < b.len() {
        i = skip_inert(seg, b, i);
        if i >= b.len() {
            break;
        }
        let (cp, len) = decode(b, i);
        let entry = seg.entry(cp);
        if entry == 0 {
            i += len;
            continue;
        }
        if entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        let found = if entry & PHRASE != 0 {
            seg.match_phrase(b, i, cp, len)
        } else {
            None
        };
        let found = found.or_else(|| (entry & SINGLE != 0).then(|| (len, seg.single(entry))));
        match found {
            Some((key_len, value)) => {
                convert_run(stages, &text[run_start..i], out, scratch);
                out.push_str(value);
                i += key_len;
                run_start = i;
            }
            None => i += len,
        }
    }
    convert_run(stages, &text[run_start..], out, scratch);
    Ok(())
}

/// The conversion chain over one unmatched run, stage after stage.
fn convert_run(stages: &[&Dict], run: &str, out: &mut String, scratch: &mut [String; 2]) {
    if run.is_empty() {
        return;
    }
    match stages {
        [] => out.push_str(run),
        [only] => ok(greedy::<false>(only, run, out)),
        [first, middle @ .., last] => {
            let [a, b] = scratch;
            a.clear();
            ok(greedy::<false>(first, run, a));
            for stage in middle {
                b.clear();
                ok(greedy::<false>(stage, a, b));
                std::mem::swap(a, b);
            }
            ok(greedy::<false>(last, a, out));
        }
    }
}

/// Stages after normalization never report it.
fn ok(result: Result<(), NeedsNormalization>) {
    debug_assert!(result.is_ok());
}
