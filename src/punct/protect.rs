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
    ranges.sort_unstable();
    for &(s, e) in &ranges {
        match engine.protected.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => engine.protected.push((s, e)),
        }
    }
    engine.scratch_ranges = ranges;
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
    let next = *bytes.get(i + 1)?;
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

/// The end of a parenthesized run starting at `(` (balanced, same line): a link destination.
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
            _ => {}
        }
    }
    None
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

/// A URL around the `://` at `i`: the scheme before it, ASCII up to a space, a quote or a
/// non-ASCII character after it, minus trailing punctuation and unbalanced `)`.
fn url(bytes: &[u8], start: usize, i: usize) -> Option<(usize, usize)> {
    let s = i - bytes[start..i]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    if s == i || !bytes[s].is_ascii_alphabetic() {
        return None;
    }
    let mut e = i + 3;
    let mut depth = 0i32;
    while let Some(&b) = bytes.get(e) {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b'<' | b'>' | b'"' | b'`' => break,
            _ if !b.is_ascii_graphic() => break,
            _ => {}
        }
        e += 1;
    }
    Some((s, trim_trailing(bytes, s, e)))
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
    let mut s = i - bytes[start..i]
        .iter()
        .rev()
        .take_while(|&&b| is_path_byte(b))
        .count();
    let e = i + bytes[i..].iter().take_while(|&&b| is_path_byte(b)).count();
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

/// The emoticon covering byte `i`, if any: (start, end).
pub(super) fn emoticon_at(bytes: &[u8], lo: usize, hi: usize, i: usize) -> Option<(usize, usize)> {
    let b = bytes[i];
    // Every emoticon has two bytes or more, so a neighbour of `i` must belong to it too.
    let in_emoticon = |j: Option<usize>| {
        j.and_then(|j| bytes.get(j))
            .is_some_and(|&x| EMOTICON_BYTES[x as usize])
    };
    if !in_emoticon(i.checked_sub(1)) && !in_emoticon(Some(i + 1)) {
        return None;
    }
    for e in EMOTICONS {
        let eb = e.as_bytes();
        for (k, _) in eb.iter().enumerate().filter(|&(_, &x)| x == b) {
            let Some(s) = i.checked_sub(k) else { continue };
            let end = s + eb.len();
            if s < lo || end > hi || &bytes[s..end] != eb {
                continue;
            }
            // An emoticon that ends in a letter must not run into a word (`:Dict`).
            let glued = eb.last().is_some_and(u8::is_ascii_alphanumeric)
                && bytes.get(end).is_some_and(u8::is_ascii_alphanumeric);
            let glued_before =
                eb[0].is_ascii_alphanumeric() && s > 0 && bytes[s - 1].is_ascii_alphanumeric();
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
