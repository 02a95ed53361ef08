//! The matcher: OpenCC's greedy longest-match conversion over the flattened tables.
//!
//! Unchanged stretches are never copied character by character: the loop only remembers where
//! the last replacement ended and copies the stretch in one go when the next one comes. ASCII
//! that starts no key is skipped eight bytes at a time.

use super::dict::{decode, Dict, INKEY, NORM, PHRASE, SEG, SINGLE, UNSAFE};

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

/// Segmented conversion (OpenCC's `MaxMatchSegmentation` + `ConversionChain`) over a fused
/// table: segmentation phrases carry their chain output; so does every character the chain
/// converts on its own, so a run between phrases is converted character by character, at the
/// cost of one lookup each. Only from a character where a chain phrase may start (`UNSAFE`)
/// up to the end of its run (or an earlier barrier, a character no chain key contains) does the
/// run go through the stages one after the other.
///
/// With `composed` (the chain's phrases pulled back to source text, see `build/opencc.rs`),
/// an `UNSAFE` character instead tries those phrases, bounded by the next segmentation match.
pub(crate) fn fused(
    table: &Dict,
    composed: Option<&Dict>,
    stages: &[&Dict],
    text: &str,
    out: &mut String,
    scratch: &mut [String; 2],
) -> Result<(), NeedsNormalization> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        i = skip_inert(table, b, i);
        if i >= b.len() {
            break;
        }
        let (cp, len) = decode(b, i);
        let entry = table.entry(cp);
        if entry & (PHRASE | SINGLE | UNSAFE | NORM) == 0 {
            i += len;
            continue;
        }
        if entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        if entry & PHRASE != 0 {
            if let Some((key_len, value)) = table.match_phrase(b, i, cp, len) {
                out.push_str(&text[copied..i]);
                out.push_str(value);
                i += key_len;
                copied = i;
                continue;
            }
        }
        if entry & (UNSAFE | SEG) == UNSAFE {
            if let Some(composed) = composed {
                if let Some((key_len, value)) = composed_match(table, composed, b, i, cp, len)? {
                    out.push_str(&text[copied..i]);
                    out.push_str(value);
                    i += key_len;
                    copied = i;
                    continue;
                }
            } else {
                let end = run_end(table, b, i + len)?;
            if end > i + len {
                out.push_str(&text[copied..i]);
                    convert_run(stages, &text[i..end], out, scratch);
                    i = end;
                    copied = i;
                    continue;
                }
            }
        }
        if entry & SINGLE != 0 {
            out.push_str(&text[copied..i]);
            out.push_str(table.single(entry));
            copied = i + len;
        }
        i += len;
    }
    out.push_str(&text[copied..]);
    Ok(())
}

/// The longest composed phrase at `i` that stays within the run: a segmentation match inside
/// the phrase ends the run there.
#[inline]
fn composed_match(
    table: &Dict,
    composed: &Dict,
    b: &[u8],
    i: usize,
    cp: u32,
    len: usize,
) -> Result<Option<(usize, &'static str)>, NeedsNormalization> {
    let Some((key_len, value)) = composed.match_phrase(b, i, cp, len) else {
        return Ok(None);
    };
    let mut q = i + len;
    while q < i + key_len {
        let (cq, lq) = decode(b, q);
        let entry = table.entry(cq);
        if entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        if entry & SEG != 0 || (entry & PHRASE != 0 && table.match_phrase(b, q, cq, lq).is_some()) {
            // The run ends at `q`: the longest phrase that fits before it, if any.
            return Ok(composed.match_phrase(&b[..q], i, cp, len));
        }
        q += lq;
    }
    Ok(Some((key_len, value)))
}

/// Where the run that continues at `i` must stop being converted as one piece: at the next
/// segmentation match, at the next barrier, or at the end of the text.
fn run_end(table: &Dict, b: &[u8], mut i: usize) -> Result<usize, NeedsNormalization> {
    while i < b.len() {
        let (cp, len) = decode(b, i);
        let entry = table.entry(cp);
        if entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        if entry & (INKEY | SEG) != INKEY {
            return Ok(i);
        }
        if entry & PHRASE != 0 && table.match_phrase(b, i, cp, len).is_some() {
            return Ok(i);
        }
        i += len;
    }
    Ok(i)
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
