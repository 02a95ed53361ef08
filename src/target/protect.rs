//! Protected spans: text that target conversion copies unchanged.
//!
//! - `⟦…⟧` (U+27E6, U+27E7): everything between the brackets, brackets included;
//! - `<!--zhfix:off-->` … `<!--zhfix:on-->` (or the end of the text): markers included;
//! - inline code: a run of backticks up to the next run of the same length on the same line;
//! - URLs starting with `http://`, `https://`, `ftp://` or `www.`: ASCII URL characters, and after
//!   the first `/` of the path any character but whitespace, CJK punctuation and brackets;
//! - e-mail addresses (ASCII `local@domain.tld`).
//!
//! Markers are kept in the output. An unclosed `⟦`, or a backtick run with no partner on its
//! line, protects nothing.

use std::ops::Range;

use crate::scan;

const OFF: &str = "<!--zhfix:off-->";
const ON: &str = "<!--zhfix:on-->";

fn url_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

fn email_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-".contains(&b)
}

fn email_domain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".-".contains(&b)
}

/// The end of a URL starting at `i`, if one starts there.
fn url_at(text: &str, i: usize) -> Option<usize> {
    if i > 0 && text.as_bytes()[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let rest = &text[i..];
    let scheme = ["http://", "https://", "ftp://", "www."].iter().find(|s| {
        rest.len() >= s.len() && rest.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes())
    })?;
    let mut end = i + scheme.len();
    let mut in_path = false;
    for (k, c) in text[end..].char_indices() {
        let ok = if c.is_ascii() {
            url_char(c)
        } else {
            in_path
                && !c.is_whitespace()
                && !matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF | 0x2018..=0x201F)
        };
        if !ok {
            break;
        }
        in_path |= c == '/' && k > 0;
        end = i + scheme.len() + k + c.len_utf8();
    }
    // Trailing sentence punctuation is not part of the URL.
    while end > i + scheme.len()
        && matches!(
            text.as_bytes()[end - 1],
            b'.' | b',' | b')' | b';' | b':' | b'!' | b'?'
        )
    {
        end -= 1;
    }
    (end > i + scheme.len()).then_some(end)
}

/// The e-mail address around the `@` at `at`, if any.
fn email_at(b: &[u8], at: usize) -> Option<Range<usize>> {
    let mut start = at;
    while start > 0 && email_local(b[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < b.len() && email_domain(b[end]) {
        end += 1;
    }
    while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
        end -= 1;
    }
    let domain = &b[at + 1..end];
    let dot = domain.iter().rposition(|&c| c == b'.')?;
    (start < at && dot > 0 && domain.len() - dot > 2).then_some(start..end)
}

/// The protected byte ranges of a text, in order, found as they are asked for.
pub(crate) struct Protected<'a> {
    text: &'a str,
    i: usize,
    last_end: usize,
    /// Where the scan for the bytes that start a span stops.
    stop: usize,
}

impl<'a> Protected<'a> {
    pub(crate) fn new(text: &'a str) -> Protected<'a> {
        Protected::until(text, text.len())
    }

    /// The spans recognised at a byte before `stop` (a span's end may lie beyond; an e-mail
    /// address is recognised at its `@`, a URL at its `:` or its `w`).
    pub(crate) fn until(text: &'a str, stop: usize) -> Protected<'a> {
        Protected {
            text,
            i: 0,
            last_end: 0,
            stop: stop.min(text.len()),
        }
    }
}

/// `text` cut at its protected spans: each unprotected stretch (perhaps empty) with the
/// protected span that follows it (empty after the last stretch).
pub(crate) fn stretches(text: &str) -> impl Iterator<Item = (Range<usize>, Range<usize>)> + '_ {
    let mut pos = 0;
    Protected::new(text)
        .chain(std::iter::once(text.len()..text.len()))
        .map(move |r| {
            let stretch = pos..r.start;
            pos = r.end;
            (stretch, r)
        })
}

impl Iterator for Protected<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let text = self.text;
        let b = text.as_bytes();
        let mut i = self.i;
        loop {
            let from = i;
            i = scan::next(scan::Kind::Protect, &b[..self.stop], i);
            if i >= self.stop {
                break;
            }
            let rest = &text[i..];
            let found: Option<usize> = match b[i] {
                b'<' if rest.starts_with(OFF) => Some(
                    rest[OFF.len()..]
                        .find(ON)
                        .map_or(b.len(), |k| i + OFF.len() + k + ON.len()),
                ),
                b'`' => {
                    let run = rest.bytes().take_while(|&c| c == b'`').count();
                    // The closing run is looked for on the same line only: technical prose
                    // lists a lone backtick among special characters, and one such backtick
                    // used to pair with the next inline code of the file, hundreds of
                    // kilobytes on (debref-cn kept 325,000 characters unconverted); this also
                    // keeps the search for a run that never closes within its line.
                    let line_end =
                        memchr::memchr(b'\n', &b[i + run..]).map_or(b.len(), |k| i + run + k);
                    let mut k = i + run;
                    let mut close = None;
                    while let Some(off) = memchr::memchr(b'`', &b[k..line_end]) {
                        let s = k + off;
                        let len = b[s..].iter().take_while(|&&c| c == b'`').count();
                        if len == run {
                            close = Some(s + len);
                            break;
                        }
                        k = s + len;
                    }
                    match close {
                        Some(end) => Some(end),
                        None => {
                            i += run;
                            continue;
                        }
                    }
                }
                0xE2 if rest.starts_with('⟦') => rest.find('⟧').map(|k| i + k + '⟧'.len_utf8()),
                b'w' | b'W' => url_at(text, i),
                // The scan stops at the `:` of `http://`, `https://` and `ftp://` (letters are
                // too common to stop at): the URL starts at its scheme, if the scan had passed
                // there.
                b':' if rest.starts_with("://") => {
                    let url = [4, 5, 3].into_iter().find_map(|n| {
                        let s = i
                            .checked_sub(n)
                            .filter(|&s| s >= from && text.is_char_boundary(s))?;
                        url_at(text, s).map(|end| (s, end))
                    });
                    url.map(|(s, end)| {
                        i = s;
                        end
                    })
                }
                b'@' => {
                    if let Some(r) = email_at(b, i) {
                        if self.last_end <= r.start {
                            self.i = r.end;
                            self.last_end = r.end;
                            return Some(r);
                        }
                    }
                    None
                }
                _ => None,
            };
            match found {
                Some(end) => {
                    self.i = end;
                    self.last_end = end;
                    return Some(i..end);
                }
                // Every byte that can start a protected span is a character boundary (ASCII or
                // the lead byte of ⟦), so the scan may step byte by byte.
                None => i += 1,
            }
        }
        self.i = i;
        None
    }
}
