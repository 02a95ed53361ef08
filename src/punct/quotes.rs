//! Quotation marks: pair them up within the paragraph, decide which pairs are Chinese, and give
//! each Chinese pair the style's marks for its nesting depth (“” outside ‘’ for zh-Hans, 「」
//! outside 『』 for zh-TW / zh-HK, a third level back to the first).
//!
//! Pairs are found line by line first, then among what is left over in the paragraph, so a
//! quote that is hard-wrapped onto the next line still pairs, while one stray `"` cannot
//! shift the pairing of every later line.

use super::class::{class_of, Class, QUOTE1_CLOSE, QUOTE1_OPEN, QUOTE2_CLOSE, QUOTE2_OPEN};
use super::{is_convertible_mark, is_paren, Engine, Replacement};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    /// “” and 「」: the same level in different styles, so they pair with each other.
    Double,
    /// ‘’ and 『』.
    Single,
    AsciiDouble,
    AsciiSingle,
}

impl Family {
    fn is_ascii(self) -> bool {
        matches!(self, Family::AsciiDouble | Family::AsciiSingle)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Open,
    Close,
    /// An ASCII quote: opens or closes depending on what is open.
    Either,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    pos: usize,
    len: usize,
    line: usize,
    family: Family,
    role: Role,
    /// For ASCII quotes: something follows (it can open), something precedes (it can close).
    /// `a" 和 "b` cannot pair as `" 和 "`.
    can_open: bool,
    can_close: bool,
    /// 「」『』: unambiguously Chinese.
    corner: bool,
}

fn mark_of(c: char) -> Option<(Family, Role)> {
    Some(match c {
        '“' => (Family::Double, Role::Open),
        '”' => (Family::Double, Role::Close),
        '‘' => (Family::Single, Role::Open),
        '’' => (Family::Single, Role::Close),
        '「' => (Family::Double, Role::Open),
        '」' => (Family::Double, Role::Close),
        '『' => (Family::Single, Role::Open),
        '』' => (Family::Single, Role::Close),
        '"' => (Family::AsciiDouble, Role::Either),
        '\'' => (Family::AsciiSingle, Role::Either),
        _ => return None,
    })
}

/// Buffers of [`normalize`], kept in the engine from paragraph to paragraph so that a
/// paragraph with quotes costs no allocation.
#[derive(Default)]
pub(super) struct Scratch {
    marks: Vec<Mark>,
    pairs: Vec<(usize, usize)>,
    leftovers: Vec<usize>,
    unpaired: Vec<usize>,
    stack: Vec<usize>,
}

/// Pairs the marks listed in `order` with a stack, adding the pairs to `pairs` and the marks
/// left over to `left` (in no particular order).
fn pair(
    marks: &[Mark],
    order: impl IntoIterator<Item = usize>,
    pairs: &mut Vec<(usize, usize)>,
    stack: &mut Vec<usize>,
    left: &mut Vec<usize>,
) {
    stack.clear();
    for m in order {
        let mark = marks[m];
        if mark.role == Role::Open {
            stack.push(m);
            continue;
        }
        // Look for the opener, stepping over ASCII quotes that never closed.
        let mut found = None;
        for k in (0..stack.len()).rev() {
            let top = marks[stack[k]];
            if top.family == mark.family {
                found = Some(k);
                break;
            }
            if !top.family.is_ascii() {
                break;
            }
        }
        match found {
            Some(k) if mark.can_close => {
                left.extend(stack.drain(k + 1..));
                let open = stack.pop().unwrap_or(m);
                pairs.push((open, m));
            }
            _ if mark.role == Role::Either && mark.can_open => stack.push(m),
            _ => left.push(m),
        }
    }
    left.append(stack);
}

pub(super) fn normalize(engine: &mut Engine<'_>) {
    let mut scratch = std::mem::take(&mut engine.quote_scratch);
    normalize_with(engine, &mut scratch);
    engine.quote_scratch = scratch;
}

fn normalize_with(engine: &mut Engine<'_>, scratch: &mut Scratch) {
    let Scratch {
        marks,
        pairs,
        leftovers,
        unpaired,
        stack,
    } = scratch;
    collect(engine, marks);
    if marks.is_empty() {
        return;
    }
    pairs.clear();
    leftovers.clear();
    unpaired.clear();
    let mut line_start = 0;
    for k in 1..=marks.len() {
        if k == marks.len() || marks[k].line != marks[line_start].line {
            pair(marks, line_start..k, pairs, stack, leftovers);
            line_start = k;
        }
    }
    // Lines come in order, so sorting all of them sorts each line's leftovers.
    leftovers.sort_unstable();
    pair(marks, leftovers.iter().copied(), pairs, stack, unpaired);
    unpaired.sort_unstable();

    // Chinese pairs get the style's marks by nesting depth.
    pairs.sort_unstable_by_key(|&(o, _)| marks[o].pos);
    // Crossing pairs (`“‘”』`) may pair up differently once converted: settle them. `stack`
    // holds the ends of the pairs still open.
    stack.clear();
    for &(o, c) in pairs.iter() {
        while stack.last().is_some_and(|&end| end <= marks[o].pos) {
            stack.pop();
        }
        engine.unsettled |= stack.last().is_some_and(|&end| end < marks[c].pos);
        stack.push(marks[c].pos);
    }
    // Now the ends of the Chinese pairs still open.
    stack.clear();
    for &(o, c) in pairs.iter() {
        let (open, close) = (marks[o], marks[c]);
        while stack.last().is_some_and(|&end| end <= open.pos) {
            stack.pop();
        }
        // Curly quotes inside Chinese quotes are Chinese quotes too.
        let nested = !stack.is_empty() && !open.family.is_ascii();
        if !nested && !is_chinese_pair(engine, open, close) {
            continue;
        }
        let level = stack.len() % 2;
        stack.push(close.pos);
        let column = engine.column;
        let (to_open, to_close) = if level == 0 {
            (QUOTE1_OPEN[column], QUOTE1_CLOSE[column])
        } else {
            (QUOTE2_OPEN[column], QUOTE2_CLOSE[column])
        };
        set(engine, open, to_open);
        set(engine, close, to_close);
    }
    for &m in unpaired.iter() {
        unpaired_mark(engine, marks[m]);
    }
    engine.unsettled |= unpaired.iter().any(|&m| !marks[m].family.is_ascii());
    engine.overlay.sort_unstable_by_key(|&(p, _)| p);
}

/// The quotation marks of the paragraph that rules pair up, into `marks`.
fn collect(engine: &Engine<'_>, marks: &mut Vec<Mark>) {
    marks.clear();
    let mut line = 0;
    let mut last = engine.start;
    for &(pos, c) in &engine.quote_candidates {
        let Some((family, role)) = mark_of(c) else {
            continue;
        };
        if engine.is_protected(pos) {
            continue;
        }
        if family == Family::AsciiSingle && is_apostrophe(engine, pos) {
            continue;
        }
        // Only "same line or not" matters: a line break in between starts a new group.
        line += usize::from(memchr::memchr(b'\n', &engine.bytes[last..pos]).is_some());
        last = pos;
        let space = |c: Option<char>| c.map_or(true, char::is_whitespace);
        let ascii = family.is_ascii();
        let can_open = !ascii || !space(engine.char_at(pos + c.len_utf8()));
        let can_close = !ascii || !space(engine.char_before(pos).map(|(_, c)| c));
        marks.push(Mark {
            pos,
            len: c.len_utf8(),
            line,
            family,
            role,
            can_open,
            can_close,
            corner: matches!(c, '「' | '」' | '『' | '』'),
        });
    }
}

/// `don't`, `students' `: an ASCII `'` with a letter before it and no CJK after it.
fn is_apostrophe(engine: &Engine<'_>, pos: usize) -> bool {
    let before = engine.char_before(pos).map(|(_, c)| c);
    // Past marks, quotes and parentheses that may still change form (`'你a':你`, `a'‘`,
    // `a')`), so every form of them gives the same answer.
    let after = engine.after_skipping(pos + 1, |c| {
        is_convertible_mark(c) || super::is_quote(c) || is_paren(c)
    });
    let word = |c: Option<char>| c.is_some_and(|c| class_of(c) == Class::Word);
    word(before) && (word(after) || after.map_or(true, |c| class_of(c) != Class::Cjk))
}

/// Chinese between two marks; parentheses and sentence marks do not count, since their own width is decided by
/// another rule (counting a full-width one would make the second pass differ from the first).
fn contains_cjk(engine: &Engine<'_>, from: usize, to: usize) -> bool {
    engine.text[from..to]
        .chars()
        .any(|c| !is_paren(c) && !is_convertible_mark(c) && class_of(c) == Class::Cjk)
}

/// ASCII quotes hold Chinese when the first or the last word inside is Chinese: `"Unix 哲学"`,
/// `"什么是 XML?"`, but not `" dotglob "，"` or a table cell quoted across rows (`|`).
fn chinese_words_at_ends(inside: &str) -> bool {
    if inside.contains('|') {
        return false;
    }
    let is_letter = |c: &char| c.is_alphanumeric();
    let is_han = |c: char| class_of(c) == Class::Cjk;
    let first = inside.chars().find(is_letter);
    let last = inside.chars().rev().find(is_letter);
    first.is_some_and(is_han) || last.is_some_and(is_han)
}

fn is_chinese_pair(engine: &Engine<'_>, open: Mark, close: Mark) -> bool {
    if open.corner || close.corner {
        return true;
    }
    match open.family {
        Family::Double | Family::Single => {
            let cjk = |c: Option<char>| c.is_some_and(|c| class_of(c) == Class::Cjk);
            let skip = |c| is_paren(c) || is_convertible_mark(c) || super::is_quote(c);
            contains_cjk(engine, open.pos + open.len, close.pos)
                || cjk(engine.before_skipping(open.pos, skip))
                || cjk(engine.after_skipping(close.pos + close.len, skip))
        }
        Family::AsciiDouble | Family::AsciiSingle => {
            let skip = |c| is_paren(c) || is_convertible_mark(c);
            // Code keeps its quotes: `x="中文"`, `print("中文")`, `{"键": 1}`, `"中文"abc`
            // (parentheses are looked past, see `is_paren`).
            let code_before = engine.before_skipping(open.pos, skip).is_some_and(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '=' | '_' | '\\' | '[' | '{')
            });
            let code_after = || {
                engine
                    .after_skipping(close.pos + close.len, skip)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ']' | '}'))
            };
            !code_before
                && !code_after()
                && chinese_words_at_ends(&engine.text[open.pos + open.len..close.pos])
        }
    }
}

/// A quote without a partner keeps its level: corner brackets (unambiguously Chinese) take the
/// style's mark of their level, a curly double quote does so when Chinese is on its inner side;
/// ASCII quotes and curly single quotes stay (they may be apostrophes or inch marks).
fn unpaired_mark(engine: &mut Engine<'_>, mark: Mark) {
    let column = engine.column;
    let inner_is_cjk = || {
        let inner = match mark.role {
            Role::Open => engine.char_at(mark.pos + mark.len),
            _ => engine.char_before(mark.pos).map(|(_, c)| c),
        };
        inner.is_some_and(|c| class_of(c) == Class::Cjk)
    };
    let level1 = match mark.family {
        Family::Double if mark.corner || inner_is_cjk() => true,
        Family::Single if mark.corner => false,
        _ => return,
    };
    let to = match (level1, mark.role) {
        (true, Role::Open) => QUOTE1_OPEN[column],
        (true, _) => QUOTE1_CLOSE[column],
        (false, Role::Open) => QUOTE2_OPEN[column],
        (false, _) => QUOTE2_CLOSE[column],
    };
    set(engine, mark, to);
}

fn set(engine: &mut Engine<'_>, mark: Mark, to: &'static str) {
    if &engine.text[mark.pos..mark.pos + mark.len] == to {
        return;
    }
    engine.add(mark.pos, mark.pos + mark.len, Replacement::Str(to));
    if let Some(c) = to.chars().next() {
        engine.overlay.push((mark.pos, c));
    }
}
