//! Everything but quotes: parentheses, the ASCII sentence marks `, ; : ? ! .`, ellipses and
//! dashes, full-width letters and digits, the ideographic space.

use super::class::{class_of, Class, DASH, ELLIPSIS, FULLWIDTH, VARIANTS};
use super::protect::emoticon_at;
use super::{is_convertible_mark, is_paren, is_quote, Engine, Replacement};

fn fullwidth(column: usize, mark: u8) -> Option<&'static str> {
    FULLWIDTH
        .iter()
        .find(|(b, _)| *b == mark)
        .map(|(_, forms)| forms[column])
}

fn is_ascii_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || class_of(c) == Class::Word)
}

/// Pairs `(` with `)` in the paragraph and makes a pair full-width when it is Chinese: it
/// encloses Chinese, or follows Chinese (`英伟达(NVIDIA)`). After a word (`foo(bar)`,
/// `gpm(8)`, `a(b)`) it stays ASCII unless it encloses Chinese and Chinese follows it
/// (`DeepSeek(深度求索)公司`). A space right outside either parenthesis (`作者 (注)`) marks
/// half-width parentheses chosen on purpose: width folding never adds spaces, so they stay.
/// A half-width parenthesis paired with a full-width one (`（这一损失)与`) is made full-width.
pub(super) fn parentheses(engine: &mut Engine<'_>) {
    let mut stack = Vec::new();
    let mut pairs = Vec::new();
    for k in 0..engine.paren_candidates.len() {
        let pos = engine.paren_candidates[k];
        let c = engine.char_at(pos).unwrap_or(')');
        // Protected text includes emoticons: `(^_^)`.
        if engine.is_protected(pos) {
            continue;
        }
        match c {
            '(' | '（' => stack.push(pos),
            _ => {
                if let Some(open) = stack.pop() {
                    pairs.push((open, pos));
                }
            }
        }
    }
    let mut decided = Vec::new();
    let column = engine.column;
    for (open, close) in pairs {
        let open_full = engine.char_at(open) == Some('（');
        let close_full = engine.char_at(close) == Some('）');
        let same_line = !engine.bytes[open..close].contains(&b'\n');
        if (open_full || close_full) && same_line {
            // One side is already full-width, on the same line: the other follows it.
            let (pos, mark) = if open_full {
                (close, b')')
            } else {
                (open, b'(')
            };
            if !(open_full && close_full) {
                if let Some(to) = fullwidth(column, mark) {
                    engine.add(pos, pos + 1, Replacement::Str(to));
                    decided.push((pos, to.chars().next().unwrap_or('(')));
                }
            }
            continue;
        }
        if open_full || close_full {
            continue;
        }
        let raw_before = engine.char_before(open).map(|(_, c)| c);
        let raw_after = engine.char_at(close + 1);
        // Past quotes, sentence marks and other parentheses, whatever width they end up with.
        let skip = |c| is_quote(c) || is_convertible_mark(c) || is_paren(c);
        let before = engine.before_skipping(open, skip);
        // Past quotes and sentence marks, whatever width they end up with.
        let after = engine.after_skipping(close + 1, skip);
        // Quotes, sentence marks and parentheses inside do not count: their width is decided
        // by other rules (or by this one, for an inner pair).
        let inside = engine.text[open + 1..close]
            .chars()
            .any(|c| !skip(c) && class_of(c) == Class::Cjk);
        let cjk = |c: Option<char>| c.is_some_and(|c| class_of(c) == Class::Cjk);
        let spaced = raw_before == Some(' ') || raw_after == Some(' ');
        let chinese = !spaced
            && if is_ascii_word(before) {
                inside && cjk(after)
            } else {
                inside || cjk(before)
            };
        if !chinese {
            continue;
        }
        for (pos, mark) in [(open, b'('), (close, b')')] {
            if let Some(to) = fullwidth(column, mark) {
                engine.add(pos, pos + 1, Replacement::Str(to));
                decided.push((pos, to.chars().next().unwrap_or('(')));
            }
        }
    }
    engine.overlay.extend(decided);
    engine.overlay.sort_unstable_by_key(|&(p, _)| p);
}

/// The remaining rules, left to right over the candidates.
pub(super) fn others(engine: &mut Engine<'_>) {
    let mut skip_to = 0;
    for k in 0..engine.candidates.len() {
        let (pos, c) = engine.candidates[k];
        if pos < skip_to || engine.is_protected(pos) {
            continue;
        }
        skip_to = match c {
            ',' | ';' | ':' | '?' | '!' => sentence_marks(engine, pos),
            '.' if sentence_run_end(engine, pos) > pos + 1 => sentence_marks(engine, pos),
            '.' | '-' | '…' | '⋯' | '—' | '―' | '。' | '－' => variant(engine, pos, c),
            '\u{3000}' => ideographic_space(engine, pos),
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                let ascii = (c as u32 - 0xFEE0) as u8;
                engine.add(pos, pos + c.len_utf8(), Replacement::Byte(ascii));
                pos + c.len_utf8()
            }
            _ => pos + 1,
        };
    }
}

/// A fast "no": a single `, ; : ? ! .` between letters, digits, spaces or line ends
/// (`1,000`, `e.g. x`, `a: b`) is never Chinese, and neither is a `-` that does not start
/// exactly `--` (table rules `+-----+` are full of hyphens).
#[inline]
pub(super) fn plainly_ascii(engine: &Engine<'_>, pos: usize, c: u8) -> bool {
    let bytes = engine.bytes;
    let prev = (pos > engine.start).then(|| bytes[pos - 1]);
    let next = (pos + 1 < engine.end).then(|| bytes[pos + 1]);
    let plain = |b: Option<u8>| {
        b.map_or(true, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b' ' | b'\n' | b'\r')
        })
    };
    match c {
        b',' | b';' | b':' | b'?' | b'!' | b'.' => plain(prev) && plain(next),
        // Only the first hyphen of exactly two can be a dash.
        b'-' => prev == Some(b'-') || next != Some(b'-') || bytes.get(pos + 2) == Some(&b'-'),
        _ => false,
    }
}

/// A run of `, ; : ? !` becomes full-width when Chinese is on its left, or Chinese is on its
/// right and it is glued to what is on its left (`H20,是`, `**粗体**,`); `1,000`, `10:30` and
/// `Hello, world` stay.
fn sentence_marks(engine: &mut Engine<'_>, pos: usize) -> usize {
    let end = sentence_run_end(engine, pos);
    let (left, right) = (engine.left(pos), engine.right(end));
    let glued = engine
        .char_before(pos)
        .is_some_and(|(_, c)| !matches!(c, '\n' | '\r'));
    let chinese = left == Class::Cjk || (glued && left != Class::Space && right == Class::Cjk);
    if chinese {
        convert_ascii_run(engine, pos, end);
    }
    end
}

/// The end of a run of `, ; : ? !` that may include single full stops (`例如.,`), not `...`;
/// it ends where protected text (an emoticon, a URL) begins.
fn sentence_run_end(engine: &Engine<'_>, pos: usize) -> usize {
    let (bytes, end) = (engine.bytes, engine.end);
    let mut e = pos;
    while e < end {
        if e > pos && engine.is_protected(e) {
            break;
        }
        if !(matches!(bytes[e], b',' | b';' | b':' | b'?' | b'!') || lone_dot(engine, e)) {
            break;
        }
        e += 1;
    }
    e
}

/// A `.` that may be a full stop: no `.`, `。`, `…` or `⋯` next to it. `。。.` must not become
/// `。。。`, an ellipsis the next run would convert, and `。。。.` (`…….` once the ellipsis is
/// converted) must give the same answer in both spellings.
fn lone_dot(engine: &Engine<'_>, e: usize) -> bool {
    let bytes = &engine.bytes[engine.start..engine.end];
    let e = e - engine.start;
    let dots: [&[u8]; 4] = [b".", "。".as_bytes(), "…".as_bytes(), "⋯".as_bytes()];
    let (before, after) = (&bytes[..e], &bytes[e + 1..]);
    bytes[e] == b'.'
        && !dots
            .iter()
            .any(|d| before.ends_with(d) || after.starts_with(d))
}

fn convert_ascii_run(engine: &mut Engine<'_>, pos: usize, end: usize) {
    for i in pos..end {
        if let Some(to) = fullwidth(engine.column, engine.bytes[i]) {
            engine.add(i, i + 1, Replacement::Str(to));
            engine
                .converted_marks
                .push((i, to.chars().next().unwrap_or(',')));
        }
    }
    engine.eat_space_after(end);
}

/// A whole run of the character at `pos` (`...` but not part of `....`).
fn run_end(engine: &Engine<'_>, pos: usize, c: char) -> usize {
    let mut e = pos;
    while engine.char_at(e) == Some(c) {
        e += c.len_utf8();
    }
    e
}

/// `.` as a full stop, and the spellings of the ellipsis and the dash in `variants.tsv`.
fn variant(engine: &mut Engine<'_>, pos: usize, c: char) -> usize {
    let end = run_end(engine, pos, c);
    let run = &engine.text[pos..end];
    let variant = VARIANTS.iter().find(|(v, _)| *v == run);
    if run != "." && variant.is_none() {
        return end;
    }
    // A run that overlaps protected text or an emoticon (`--_--` holds `-_-`) stays whole:
    // converting it would break the emoticon, and the next run would read the rest anew.
    let overlaps = (pos..end).any(|i| {
        engine.is_protected(i) || emoticon_at(engine.bytes, engine.start, engine.end, i).is_some()
    });
    if overlaps {
        return end;
    }
    let (left, right) = (engine.left(pos), engine.right(end));
    if run == "." {
        // A full stop after Chinese, not inside `中文.txt` or before a path, nor right after
        // an opening parenthesis of either width (`点号(.)` names the character).
        let next = engine.bytes.get(end).copied();
        let after_open = engine
            .char_before(pos)
            .is_some_and(|(_, c)| matches!(c, '(' | '（'));
        if lone_dot(engine, pos)
            && !after_open
            && left == Class::Cjk
            && right != Class::Word
            && !matches!(next, Some(b'/' | b'\\'))
        {
            convert_ascii_run(engine, pos, end);
        }
        return end;
    }
    let Some(&(_, is_dash)) = variant else {
        return end;
    };
    let chinese = if is_dash {
        let arrow = engine.bytes.get(end) == Some(&b'>')
            || engine.char_before(pos).is_some_and(|(_, c)| c == '<');
        !arrow
            && ((left == Class::Cjk && right != Class::Word)
                || (right == Class::Cjk && left != Class::Word))
    } else {
        left == Class::Cjk || (right == Class::Cjk && left != Class::Word)
    };
    if chinese {
        let to = if is_dash {
            DASH[engine.column]
        } else {
            ELLIPSIS[engine.column]
        };
        if to != run {
            engine.add(pos, end, Replacement::Str(to));
            let first = to.chars().next().unwrap_or('…');
            let starts: Vec<usize> = run.char_indices().map(|(k, _)| pos + k).collect();
            engine
                .converted_marks
                .extend(starts.into_iter().map(|p| (p, first)));
        }
    }
    end
}

/// The ideographic space stays between Chinese and becomes ASCII spaces inside Latin text.
fn ideographic_space(engine: &mut Engine<'_>, pos: usize) -> usize {
    let end = run_end(engine, pos, '\u{3000}');
    let latin =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_graphic() || class_of(c) == Class::Word);
    if latin(engine.char_before(pos).map(|(_, c)| c)) && latin(engine.char_at(end)) {
        for i in (pos..end).step_by(3) {
            engine.add(i, i + 3, Replacement::Str(" "));
        }
    }
    end
}
