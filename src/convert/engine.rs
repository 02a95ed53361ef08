//! The matcher: OpenCC's greedy longest-match conversion over the flattened tables.
//!
//! Input and output are bytes of valid UTF-8; every piece written to the output is a whole
//! character sequence taken from the input or from the (UTF-8) value pools.
//!
//! - ASCII is copied a run at a time; a run is scanned eight bytes at a time. The few keys that
//!   start with ASCII letters (`SQL注入`) all reach a non-ASCII character within a few bytes
//!   (the table's `ascii_window`), so only the tail of a run before a non-ASCII character can
//!   start a match, and only that tail is looked at.
//! - Every other character costs one table lookup; a character that starts no phrase and is
//!   no key is copied with one fixed-width write, a single-character key's value likewise.

use super::dict::{decode, Dict, ANY_ENTRY, INKEY, NORM, PHRASE, SEG, SINGLE, UNSAFE};

/// The text holds CJK compatibility ideographs: normalize it and convert again.
pub(crate) struct NeedsNormalization;

/// Appends `src[..n]` (`n <= 8`) by copying eight bytes and keeping `n`: one fixed-width move
/// instead of a variable-length `memcpy` call per character.
#[inline(always)]
fn put(out: &mut Vec<u8>, src: &[u8], n: usize) {
    let src = &src[..8];
    debug_assert!(n <= 8);
    if out.capacity() - out.len() < 8 {
        out.reserve(64);
    }
    let len = out.len();
    // SAFETY: `src` has 8 readable bytes (sliced above) and the spare capacity is at least 8
    // (reserved above), so the copy stays within both buffers; `n <= 8` of the written bytes,
    // all initialized, become part of the vector.
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), out.as_mut_ptr().add(len), 8);
        out.set_len(len + n.min(8));
    }
}

/// The end of the ASCII run at `start`, or the first byte in it where a key may start.
#[inline(always)]
fn ascii_run(dict: &Dict, b: &[u8], start: usize) -> usize {
    let mut i = start;
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
    if dict.ascii_inert() {
        return i;
    }
    let window = dict.ascii_window();
    let from = if window == usize::MAX {
        start
    } else if i < b.len() {
        start.max(i.saturating_sub(window))
    } else {
        // No non-ASCII character follows, so no key can match in this run.
        return i;
    };
    (from..i).find(|&p| dict.ascii_active(b[p])).unwrap_or(i)
}

/// Copies `b[start..end]`; short runs (a space, a digit between Han characters) with one
/// fixed-width move.
#[inline(always)]
fn copy_run(out: &mut Vec<u8>, b: &[u8], start: usize, end: usize) {
    if end - start <= 8 && start + 8 <= b.len() {
        put(out, &b[start..], end - start);
    } else {
        out.extend_from_slice(&b[start..end]);
    }
}

/// Writes the character at `i` (`len` bytes): its single value if `entry` has one, else itself.
#[inline(always)]
fn emit(dict: &Dict, b: &[u8], i: usize, len: usize, entry: u64, out: &mut Vec<u8>) {
    if entry & SINGLE != 0 {
        let (pool, at, n) = dict.single_at(entry);
        if n <= 8 {
            put(out, &pool[at..], n);
        } else {
            out.extend_from_slice(&pool[at..at + n]);
        }
    } else if i + 8 <= b.len() {
        put(out, &b[i..], len);
    } else {
        out.extend_from_slice(&b[i..i + len]);
    }
}

/// One conversion stage over the whole of `b` (OpenCC's `Conversion::Convert`).
/// With `CHECK_NORM`, stops at the first compatibility ideograph.
#[inline]
pub(crate) fn greedy<const CHECK_NORM: bool>(
    dict: &Dict,
    b: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), NeedsNormalization> {
    out.reserve(b.len() + b.len() / 8 + 16);
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0x80 {
            let end = ascii_run(dict, b, i);
            copy_run(out, b, i, end);
            i = end;
            if i >= b.len() || b[i] >= 0x80 {
                continue;
            }
        }
        let (cp, len) = decode(b, i);
        let entry = dict.entry(cp);
        if entry & (PHRASE | NORM) != 0 {
            if CHECK_NORM && entry & NORM != 0 {
                return Err(NeedsNormalization);
            }
            if entry & PHRASE != 0 {
                if let Some((key_len, value)) = dict.match_phrase(b, i, cp, len, entry) {
                    out.extend_from_slice(value.as_bytes());
                    i += key_len;
                    continue;
                }
            }
        }
        emit(dict, b, i, len, entry, out);
        i += len;
    }
    Ok(())
}

/// Segmented conversion (OpenCC's `MaxMatchSegmentation` + `ConversionChain`) over a fused
/// table: segmentation phrases carry their chain output; so does every character the chain
/// converts on its own, so a run between phrases is converted character by character, at the
/// cost of one lookup each. From a character where a chain phrase may start (`UNSAFE`):
/// - with `composed` (the chain's phrases pulled back to source text, see `build/opencc.rs`),
///   those phrases are tried there, bounded by the next segmentation match;
/// - otherwise the run, up to its end or an earlier barrier (a character no chain key
///   contains), goes through the stages one after the other.
pub(crate) fn fused(
    table: &Dict,
    composed: Option<&Dict>,
    stages: &[&Dict],
    b: &[u8],
    out: &mut Vec<u8>,
    scratch: &mut [Vec<u8>; 2],
) -> Result<(), NeedsNormalization> {
    out.reserve(b.len() + b.len() / 8 + 16);
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0x80 {
            let end = ascii_run(table, b, i);
            copy_run(out, b, i, end);
            i = end;
            if i >= b.len() || b[i] >= 0x80 {
                continue;
            }
        }
        let (cp, len) = decode(b, i);
        let entry = table.entry(cp);
        if entry & (PHRASE | UNSAFE | NORM) != 0 {
            if entry & NORM != 0 {
                return Err(NeedsNormalization);
            }
            if entry & PHRASE != 0 {
                if let Some((key_len, value)) = table.match_phrase(b, i, cp, len, entry) {
                    out.extend_from_slice(value.as_bytes());
                    i += key_len;
                    continue;
                }
            }
            if entry & (UNSAFE | SEG) == UNSAFE {
                if let Some(composed) = composed {
                    if let Some((key_len, value)) =
                        composed_match(table, composed, b, i, cp, len, entry)?
                    {
                        out.extend_from_slice(value.as_bytes());
                        i += key_len;
                        continue;
                    }
                } else {
                    let end = run_end(table, b, i + len)?;
                    if end > i + len {
                        convert_run(stages, &b[i..end], out, scratch);
                        i = end;
                        continue;
                    }
                }
            }
        }
        emit(table, b, i, len, entry, out);
        i += len;
    }
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
    entry: u64,
) -> Result<Option<(usize, &'static str)>, NeedsNormalization> {
    let Some((key_len, value)) = composed.match_phrase(b, i, cp, len, entry) else {
        return Ok(None);
    };
    let mut q = i + len;
    while q < i + key_len {
        let (cq, lq) = decode(b, q);
        let entry = table.entry(cq);
        if entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        if entry & SEG != 0
            || (entry & PHRASE != 0 && table.match_phrase(b, q, cq, lq, entry).is_some())
        {
            // The run ends at `q`: the longest phrase that fits before it, if any.
            return Ok(composed.match_phrase(&b[..q], i, cp, len, ANY_ENTRY));
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
        if entry & PHRASE != 0 && table.match_phrase(b, i, cp, len, entry).is_some() {
            return Ok(i);
        }
        i += len;
    }
    Ok(i)
}

/// The conversion chain over one unmatched run, stage after stage.
fn convert_run(stages: &[&Dict], run: &[u8], out: &mut Vec<u8>, scratch: &mut [Vec<u8>; 2]) {
    if run.is_empty() {
        return;
    }
    match stages {
        [] => out.extend_from_slice(run),
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
