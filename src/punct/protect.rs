//! What must stay exactly as it is: Markdown code spans and link destinations, HTML tags, URLs,
//! e-mail addresses, file paths, fenced code blocks and emoticons.

use super::class::EMOTICONS;
use super::Engine;

/// The fence a line opens or closes (``` or ~~~, up to three spaces in), as (byte, length).
pub(super) fn fence_marker(line: &[u8]) -> Option<(u8, usize)> {
    let indent = line.iter().take(4).take_while(|&&b| b == b' ').count();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let ch = *rest.first().filter(|&&b| b == b'`' || b == b'~')?;
    let n = rest.iter().take_while(|&&b| b == ch).count();
    (n >= 3).then_some((ch, n))
}

/// Fills `engine.protected` for the current paragraph, looking only where the candidate
/// scan saw a byte that may start something to protect.
pub(super) fn find(engine: &mut Engine<'_>) {
    let (start, end) = (engine.start, engine.end);
    let bytes = &engine.bytes[..end];
    let mut ranges = std::mem::take(&mut engine.scratch_ranges);
    ranges.clear();
    engine.protected.clear();
    let mut code_done = false;
    let mut token_end = start;
    for &i in &engine.protect_starts {
        let found = match bytes[i] {
            b'`' if !code_done => {
                code_spans(bytes, start, &mut ranges);
                code_done = true;
                None
            }
            b'<' => tag_end(bytes, i).map(|e| (i, e)),
            b']' if bytes.get(i + 1) == Some(&b'(') => {
                closing_paren(bytes, i + 1).map(|e| (i + 1, e))
            }
            b':' if bytes[i..].starts_with(b"://") => url(bytes, start, i),
            b'/' | b'\\' | b'@' if i >= token_end => path_or_email(bytes, start, i),
            _ => None,
        };
        if let Some(range) = found {
            token_end = token_end.max(range.1);
            ranges.push(range);
        }
    }
    // Emoticons around every candidate that may belong to one: every rule leaves them alone
    // (quotes too: `:')` must keep its quote, or the next run would not see an emoticon).
    let lists = [&engine.candidates[..], &engine.quote_candidates[..]];
    for list in lists {
        emoticons(bytes, start, end, list.iter().map(|&(p, _)| p), &mut ranges);
    }
    emoticons(
        bytes,
        start,
        end,
        engine.paren_candidates.iter().copied(),
        &mut ranges,
    );
    ranges.sort_unstable();
    for &(s, e) in &ranges {
        match engine.protected.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => engine.protected.push((s, e)),
        }
    }
    engine.scratch_ranges = ranges;
}

/// The emoticons covering any of `positions` (in order) within `start..end`.
fn emoticons(
    bytes: &[u8],
    start: usize,
    end: usize,
    positions: impl Iterator<Item = usize>,
    ranges: &mut Vec<(usize, usize)>,
) {
    let mut covered_to = start;
    for i in positions {
        if i < covered_to {
            continue;
        }
        if let Some(range) = emoticon_at(bytes, start, end, i) {
            covered_to = range.1;
            ranges.push(range);
        }
    }
}

/// Markdown code spans: a run of n backticks up to the next run of exactly n.
fn code_spans(bytes: &[u8], start: usize, ranges: &mut Vec<(usize, usize)>) {
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut i = start;
    while let Some(k) = memchr::memchr(b'`', &bytes[i..]) {
        let open = i + k;
        let n = run_at(open);
        let mut j = open + n;
        let mut close = None;
        while let Some(k) = memchr::memchr(b'`', &bytes[j..]) {
            let m = run_at(j + k);
            if m == n {
                close = Some(j + k + m);
                break;
            }
            j += k + m;
        }
        match close {
            Some(e) => {
                ranges.push((open, e));
                i = e;
            }
            None => i = open + n,
        }
    }
}

/// An HTML tag or autolink starting at `<`: up to `>` on the same line.
fn tag_end(bytes: &[u8], i: usize) -> Option<usize> {
    let (next, _) = folded_at(bytes, bytes.len(), i + 1)?;
    if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
        return None;
    }
    for (k, &b) in bytes[i + 1..].iter().enumerate() {
        match b {
            b'>' => return Some(i + 1 + k + 1),
            b'<' | b'\n' => return None,
            _ => {}
        }
    }
    None
}

/// The end of a parenthesized run starting at `(` (balanced, same line, no space): a link
/// destination. Not one if it holds a character some rule writes (`，；：？！。（）…—`, see
/// `written_by_a_rule`): converting a mark may delete a space after it and converting a
/// parenthesis changes the nesting, and neither may turn text that was not a link
/// destination into one.
fn closing_paren(bytes: &[u8], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &b) in bytes[i..].iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + k + 1);
                }
            }
            b'\n' | b' ' => return None,
            0xE2 | 0xE3 | 0xEF if written_by_a_rule(&bytes[i + k..]) => return None,
            _ => {}
        }
    }
    None
}

/// `，；：？！。（）`, `…⋯`, `—―－` at the start of `bytes`: every character a rule writes
/// for a sentence mark, a parenthesis, an ellipsis or a dash, and every one a rule turns
/// into another of them (`。。。` → `……`), so a run either holds one before and after the
/// normalization or in neither.
fn written_by_a_rule(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xE3, 0x80, 0x82, ..]
            | [0xE2, 0x80, 0x94 | 0x95 | 0xA6, ..]
            | [0xE2, 0x8B, 0xAF, ..]
            | [
                0xEF,
                0xBC,
                0x81 | 0x88 | 0x89 | 0x8C | 0x8D | 0x9A | 0x9B | 0x9F,
                ..
            ]
    )
}

fn trim_trailing(bytes: &[u8], s: usize, mut e: usize) -> usize {
    while e > s
        && matches!(
            bytes[e - 1],
            b'.' | b',' | b':' | b';' | b'!' | b'?' | b'\'' | b'"' | b'*' | b'_' | b'~'
        )
    {
        e -= 1;
    }
    e
}

/// A URL around the `://` at `i`: the scheme before it (from its first letter), ASCII up to a
/// space, a quote or a non-ASCII character after it, minus trailing punctuation and unbalanced
/// `)`. Full-width letters and digits count as ASCII (they are folded, and the URL must be the
/// same before and after).
fn url(bytes: &[u8], start: usize, i: usize) -> Option<(usize, usize)> {
    let scheme = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-');
    let mut s = back_while(bytes, start, i, scheme);
    while s < i {
        match folded_at(bytes, i, s) {
            Some((b, _)) if b.is_ascii_alphabetic() => break,
            Some((_, next)) => s = next,
            None => break,
        }
    }
    if s == i {
        return None;
    }
    let mut e = i + 3;
    let mut depth = 0i32;
    while let Some((b, next)) = folded_at(bytes, bytes.len(), e) {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b'<' | b'>' | b'"' | b'`' => break,
            _ if !b.is_ascii_graphic() => break,
            _ => {}
        }
        e = next;
    }
    Some((s, trim_trailing(bytes, s, e)))
}

/// The start of the run of characters ending at `j` (not before `lo`) whose folded form
/// (see `folded_at`) satisfies `keep`.
fn back_while(bytes: &[u8], lo: usize, mut j: usize, keep: fn(u8) -> bool) -> usize {
    while let Some((b, at)) = folded_before(bytes, lo, j) {
        if !keep(b) {
            break;
        }
        j = at;
    }
    j
}

/// The end of the run of characters starting at `j` whose folded form satisfies `keep`.
fn forward_while(bytes: &[u8], mut j: usize, keep: fn(u8) -> bool) -> usize {
    while let Some((b, next)) = folded_at(bytes, bytes.len(), j) {
        if !keep(b) {
            break;
        }
        j = next;
    }
    j
}

fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'.' | b'_'
                | b'~'
                | b'%'
                | b'+'
                | b'='
                | b'#'
                | b'&'
                | b'$'
                | b'-'
                | b'/'
                | b'\\'
                | b':'
                | b'@'
        )
}

/// A file path or an e-mail address around the `/`, `\` or `@` at `i`.
fn path_or_email(bytes: &[u8], start: usize, i: usize) -> Option<(usize, usize)> {
    let mut s = back_while(bytes, start, i, is_path_byte);
    let e = forward_while(bytes, i, is_path_byte);
    while s < i
        && (bytes[s] == b':' || (bytes[s] == b'.' && !matches!(bytes[s + 1], b'.' | b'/' | b'\\')))
    {
        s += 1;
    }
    let e = trim_trailing(bytes, s, e);
    (e > s + 1).then_some((s, e))
}

/// Every byte that occurs in some emoticon.
static EMOTICON_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    while k < EMOTICONS.len() {
        let e = EMOTICONS[k].as_bytes();
        let mut j = 0;
        while j < e.len() {
            table[e[j] as usize] = true;
            j += 1;
        }
        k += 1;
    }
    table
};

/// Every pair of adjacent bytes in some emoticon, as a 128×128 bit table: one `u128` per first
/// byte, bit `b` set when `ab` occurs.
static BIGRAMS: [u128; 128] = {
    let mut table = [0u128; 128];
    let mut k = 0;
    while k < EMOTICONS.len() {
        let e = EMOTICONS[k].as_bytes();
        let mut j = 0;
        while j + 1 < e.len() {
            table[e[j] as usize & 0x7F] |= 1u128 << (e[j + 1] & 0x7F);
            j += 1;
        }
        k += 1;
    }
    table
};

/// Whether `ab` occurs in some emoticon (both ASCII).
fn bigram(a: u8, b: u8) -> bool {
    a < 0x80 && b < 0x80 && BIGRAMS[a as usize] & (1u128 << b) != 0
}

/// The ASCII byte a full-width letter or digit starting at `bytes[0..3]` folds to.
fn fullwidth_alnum(bytes: &[u8]) -> Option<u8> {
    match *bytes {
        [0xEF, 0xBC, b @ (0x90..=0x99 | 0xA1..=0xBA), ..] => Some(b - 0x60),
        [0xEF, 0xBD, b @ 0x81..=0x9A, ..] => Some(b - 0x20),
        _ => None,
    }
}

/// The character starting at `j` (before `hi`) as emoticons see it: ASCII as itself, a
/// full-width letter or digit as its ASCII form (the normalization folds `Ｄ` to `D`, so `:Ｄ`
/// must already count as `:D`), anything else as `None`; with the position after it.
fn folded_at(bytes: &[u8], hi: usize, j: usize) -> Option<(u8, usize)> {
    let b = *bytes[..hi].get(j)?;
    if b < 0x80 {
        return Some((b, j + 1));
    }
    fullwidth_alnum(bytes[..hi].get(j..)?).map(|a| (a, j + 3))
}

/// The character ending at `j` (not before `lo`) as emoticons see it, with its start.
fn folded_before(bytes: &[u8], lo: usize, j: usize) -> Option<(u8, usize)> {
    if j <= lo {
        return None;
    }
    let b = bytes[j - 1];
    if b < 0x80 {
        return Some((b, j - 1));
    }
    let s = j.checked_sub(3).filter(|&s| s >= lo)?;
    fullwidth_alnum(&bytes[s..j]).map(|a| (a, s))
}

/// The emoticon covering the ASCII byte at `i`, if any: (start, end), within `lo..hi`.
///
/// Matching reads full-width letters and digits as ASCII and so does the check that an
/// emoticon ending (or starting) in a letter does not run into a word (`:Dict`): both give
/// the same answer before and after the normalization folds them, which keeps it idempotent.
pub(super) fn emoticon_at(bytes: &[u8], lo: usize, hi: usize, i: usize) -> Option<(usize, usize)> {
    let b = bytes[i];
    if b >= 0x80 || !EMOTICON_BYTES[b as usize] {
        return None;
    }
    // Every emoticon has two characters or more, so the character before `i` and this one, or
    // this one and the next, must be two adjacent characters of it.
    let before = folded_before(bytes, lo, i).is_some_and(|(x, _)| bigram(x, b));
    if !before && !folded_at(bytes, hi, i + 1).is_some_and(|(x, _)| bigram(b, x)) {
        return None;
    }
    let alnum = |c: Option<(u8, usize)>| c.is_some_and(|(x, _)| x.is_ascii_alphanumeric());
    for e in EMOTICONS {
        let eb = e.as_bytes();
        'anchors: for (k, _) in eb.iter().enumerate().filter(|&(_, &x)| x == b) {
            let mut s = i;
            for &want in eb[..k].iter().rev() {
                match folded_before(bytes, lo, s) {
                    Some((got, at)) if got == want => s = at,
                    _ => continue 'anchors,
                }
            }
            let mut end = i + 1;
            for &want in &eb[k + 1..] {
                match folded_at(bytes, hi, end) {
                    Some((got, next)) if got == want => end = next,
                    _ => continue 'anchors,
                }
            }
            // An emoticon that ends in a letter must not run into a word (`:Dict`).
            let glued = eb.last().is_some_and(u8::is_ascii_alphanumeric)
                && alnum(folded_at(bytes, hi, end));
            let glued_before = eb[0].is_ascii_alphanumeric() && alnum(folded_before(bytes, lo, s));
            if !glued && !glued_before {
                return Some((s, end));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences() {
        assert_eq!(fence_marker(b"```rust\n"), Some((b'`', 3)));
        assert_eq!(fence_marker(b"   ~~~~\n"), Some((b'~', 4)));
        assert_eq!(fence_marker(b"    ```\n"), None);
        assert_eq!(fence_marker(b"``x``\n"), None);
    }

    #[test]
    fn urls_and_paths() {
        let t = b"see http://a.com/x?y=1, ok";
        assert_eq!(url(t, 0, 8), Some((4, 22)));
        let t = b"mail me@x.org. ok";
        assert_eq!(path_or_email(t, 0, 7), Some((5, 13)));
    }

    #[test]
    fn emoticons() {
        let t = b"ok :-) yes";
        assert_eq!(emoticon_at(t, 0, t.len(), 5), Some((3, 6)));
        let t = b"a:Dict";
        assert_eq!(emoticon_at(t, 0, t.len(), 1), None);
    }
}
