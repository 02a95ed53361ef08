//! Punctuation normalization by regional convention.
//!
//! Chinese text that went through a width normalizer (NFKC, ftfy) or was typed on an English
//! keyboard has `你好,世界!` and `(注)`; text for Taiwan wants 「」 where mainland text has “”.
//! [`normalize_punct`] makes the punctuation match a [`Style`] without touching what must stay
//! ASCII: numbers (`1,000`, `3.14`, `10:30`), code (`foo(bar)`), URLs, e-mail addresses, paths,
//! Markdown syntax, emoticons and English sentences inside Chinese text.
//!
//! ```
//! use zhfix::punct::{normalize_punct, Style};
//! assert_eq!(normalize_punct("你好,世界!(注)", Style::ZhHans), "你好，世界！（注）");
//! assert_eq!(normalize_punct("他说\"你好\"", Style::ZhTw), "他说「你好」");
//! assert_eq!(normalize_punct("价格1,000元,见http://a.cn/?x=1,y", Style::ZhHans),
//!            "价格1,000元，见http://a.cn/?x=1,y");
//! ```
//!
//! Whether a mark is Chinese is decided from the characters on both sides of it (and, for
//! quotes and brackets, from what they enclose), never from the mark alone; docs/punct.md
//! lists every rule. The marks each style writes, the character classes and the emoticons are
//! data (`data/punct/`), compiled by the build script.
//!
//! The result is idempotent, keeps every line break (so the line count and the line endings)
//! and borrows the input when nothing changes.

mod class;
mod marks;
mod protect;
mod quotes;
mod scan;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use class::{class_of, Class};

/// A punctuation convention.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Style {
    /// Change nothing.
    #[default]
    Keep,
    /// Mainland China (GB/T 15834): full-width marks in Chinese context, “” outside ‘’.
    ZhHans,
    /// Taiwan: full-width marks in Chinese context, 「」 outside 『』.
    ZhTw,
    /// Hong Kong: like Taiwan.
    ZhHk,
}

impl Style {
    /// Every style, in the order `--help` lists them.
    pub const ALL: [Style; 4] = [Style::Keep, Style::ZhHans, Style::ZhTw, Style::ZhHk];

    /// The canonical name, as accepted by [`FromStr`]: `keep`, `zh-Hans`, `zh-TW`, `zh-HK`.
    ///
    /// ```
    /// use zhfix::punct::Style;
    /// assert_eq!(Style::ZhTw.name(), "zh-TW");
    /// assert_eq!("tw".parse::<Style>().unwrap(), Style::ZhTw);
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Style::Keep => "keep",
            Style::ZhHans => "zh-Hans",
            Style::ZhTw => "zh-TW",
            Style::ZhHk => "zh-HK",
        }
    }

    /// The column of this style in the tables of `data/punct/styles.tsv`.
    fn column(self) -> Option<usize> {
        match self {
            Style::Keep => None,
            Style::ZhHans => Some(0),
            Style::ZhTw => Some(1),
            Style::ZhHk => Some(2),
        }
    }
}

impl fmt::Display for Style {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// A style name that is none of `keep`, `zh-Hans`, `zh-TW`, `zh-HK`, `hans`, `tw`, `hk`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStyle(pub String);

impl fmt::Display for UnknownStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown punctuation style {:?}; valid styles: keep, zh-Hans, zh-TW, zh-HK",
            self.0
        )
    }
}

impl std::error::Error for UnknownStyle {}

impl FromStr for Style {
    type Err = UnknownStyle;

    /// Names are matched without regard to case: `zh-hans`, `ZH-TW` and `Hans` all work.
    fn from_str(s: &str) -> Result<Style, UnknownStyle> {
        match s.to_ascii_lowercase().as_str() {
            "keep" => Ok(Style::Keep),
            "zh-hans" | "hans" | "zh-cn" | "cn" => Ok(Style::ZhHans),
            "zh-tw" | "tw" => Ok(Style::ZhTw),
            "zh-hk" | "hk" => Ok(Style::ZhHk),
            _ => Err(UnknownStyle(s.to_string())),
        }
    }
}

/// Normalizes the punctuation of `text` to `style`; borrows `text` when nothing changes.
///
/// ```
/// use zhfix::punct::{normalize_punct, Style};
/// use std::borrow::Cow;
/// assert_eq!(normalize_punct("「他說『好』」", Style::ZhHans), "“他說‘好’”");
/// assert_eq!(normalize_punct("Ｗｉｎｄｏｗｓ１０很好。", Style::ZhTw), "Windows10很好。");
/// assert!(matches!(normalize_punct("1. 第一项", Style::ZhHans), Cow::Borrowed(_)));
/// ```
pub fn normalize_punct(text: &str, style: Style) -> Cow<'_, str> {
    let Some(column) = style.column() else {
        return Cow::Borrowed(text);
    };
    let mut engine = Engine::new(text, column);
    engine.run();
    engine.finish()
}

const BORING: u8 = 0;
const ASCII_MARK: u8 = 1;
const LEAD_TO_CHECK: u8 = 2;
/// May start something to protect: `` ` < ] / \ @ ``.
const PROTECT_START: u8 = 3;
/// `:` is both a mark and the start of `://`.
const COLON: u8 = 4;

/// What the candidate scan does with each byte value.
static BYTE_KIND: [u8; 256] = {
    let mut table = [BORING; 256];
    let marks = b",;:?!.()\"'-";
    let mut k = 0;
    while k < marks.len() {
        table[marks[k] as usize] = ASCII_MARK;
        k += 1;
    }
    let starts = b"`<]/\\@";
    let mut k = 0;
    while k < starts.len() {
        table[starts[k] as usize] = PROTECT_START;
        k += 1;
    }
    table[b':' as usize] = COLON;
    table[0xE2] = LEAD_TO_CHECK;
    table[0xE3] = LEAD_TO_CHECK;
    table[0xEF] = LEAD_TO_CHECK;
    table
};

/// The non-ASCII characters some rule acts on, recognized from their UTF-8 bytes: quotes
/// “”‘’「」『』, the ellipses … ⋯ and 。。。, the dashes — ― －－, the ideographic space and
/// full-width letters and digits.
fn non_ascii_candidate(bytes: &[u8]) -> Option<char> {
    let hit = matches!(
        *bytes,
        [0xE2, 0x80, 0x94 | 0x95 | 0x98 | 0x99 | 0x9C | 0x9D | 0xA6, ..]
            | [0xE2, 0x8B, 0xAF, ..]
            | [0xE3, 0x80, 0x80 | 0x8C..=0x8F, ..]
            | [0xE3, 0x80, 0x82, 0xE3, 0x80, 0x82, ..]
            | [0xEF, 0xBC, 0x88 | 0x89 | 0x8D | 0x90..=0x99 | 0xA1..=0xBA, ..]
            | [0xEF, 0xBD, 0x81..=0x9A, ..]
    );
    if !hit {
        return None;
    }
    std::str::from_utf8(bytes.get(..3)?).ok()?.chars().next()
}

/// At most this many extra passes settle a paragraph (see `Engine::settle`).
const SETTLE_ROUNDS: usize = 8;

/// Quotation marks in every form a rule may give them. Parentheses look past them (and quotes
/// past parentheses) so that neither decision depends on the other: the result is the same
/// whichever is converted first, which keeps the normalization idempotent.
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』'
    )
}

/// Marks some rule converts, in both widths: sentence marks, ellipses, dashes.
fn is_convertible_mark(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '?'
            | '!'
            | '.'
            | '-'
            | '，'
            | '；'
            | '：'
            | '？'
            | '！'
            | '。'
            | '…'
            | '⋯'
            | '—'
            | '―'
            | '－'
    )
}

/// Marks after which a context looking right also looks past spaces (see `Engine::past_mark`):
/// the sentence marks `, ; : ? ! .` in both widths, whose conversion may delete a space after
/// them, and the ellipses `…` `⋯`, which `.` and `。` become as part of `...` or `。。。`. The
/// set must hold every form a rule turns one of its members into, or a context would look
/// past the spaces in one run and not in the next (`--。。。 a`, then `--…… a`).
fn looks_past_spaces(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | '?' | '!' | '.' | '，' | '；' | '：' | '？' | '！' | '。' | '…' | '⋯'
    )
}

/// Parentheses in both widths.
fn is_paren(c: char) -> bool {
    matches!(c, '(' | ')' | '（' | '）')
}

/// A replacement of `text[start..end]`.
#[derive(Clone, Copy, Debug)]
struct Edit {
    start: usize,
    end: usize,
    with: Replacement,
}

#[derive(Clone, Copy, Debug)]
enum Replacement {
    Str(&'static str),
    Byte(u8),
    /// A whole paragraph settled by repeated passes: an index into `Engine::settled`.
    Settled(usize),
}

/// The state of one call: the text, the edits found so far, and scratch space reused from
/// paragraph to paragraph.
struct Engine<'a> {
    text: &'a str,
    bytes: &'a [u8],
    column: usize,
    /// The paragraph being worked on: `text[start..end]`.
    start: usize,
    end: usize,
    /// Byte ranges nothing may change (code spans, URLs, ...), sorted, in this paragraph.
    protected: Vec<(usize, usize)>,
    /// Spare room for `protect::find`.
    scratch_ranges: Vec<(usize, usize)>,
    /// Spare room for `quotes::normalize`.
    quote_scratch: quotes::Scratch,
    /// Quotes and brackets already decided in this paragraph: (position, new character).
    overlay: Vec<(usize, char)>,
    /// Interesting characters of this paragraph, in order.
    candidates: Vec<(usize, char)>,
    /// Quotation marks of this paragraph, in order.
    quote_candidates: Vec<(usize, char)>,
    /// Parentheses of this paragraph, in order.
    paren_candidates: Vec<usize>,
    /// Sentence marks, ellipses and dashes converted so far, in order (later marks see them).
    converted_marks: Vec<(usize, char)>,
    /// Where something to protect may start, in order (see `protect::find`).
    protect_starts: Vec<usize>,
    edits: Vec<Edit>,
    /// Set by a rule whose result a second pass could read differently (a quote left without
    /// a partner); the paragraph is then normalized again until nothing changes.
    unsettled: bool,
    settled: Vec<String>,
    /// One pass, no settling: a round of `settle`.
    plain: bool,
}

impl<'a> Engine<'a> {
    fn new(text: &'a str, column: usize) -> Engine<'a> {
        Engine {
            text,
            bytes: text.as_bytes(),
            column,
            start: 0,
            end: 0,
            protected: Vec::new(),
            scratch_ranges: Vec::new(),
            quote_scratch: quotes::Scratch::default(),
            overlay: Vec::new(),
            candidates: Vec::new(),
            quote_candidates: Vec::new(),
            paren_candidates: Vec::new(),
            converted_marks: Vec::new(),
            protect_starts: Vec::new(),
            edits: Vec::new(),
            unsettled: false,
            settled: Vec::new(),
            plain: false,
        }
    }

    /// Splits the text into paragraphs (runs of non-blank lines outside fenced code blocks)
    /// and normalizes each.
    fn run(&mut self) {
        let mut fence: Option<(u8, usize)> = None;
        let mut para_start: Option<usize> = None;
        let mut line_start = 0;
        let mut newlines = scan::Newlines::new(self.bytes);
        while line_start < self.bytes.len() {
            let line_end = newlines.next().map_or(self.bytes.len(), |i| i + 1);
            let line = &self.bytes[line_start..line_end];
            let fence_mark = protect::fence_marker(line);
            let in_paragraph = match (fence, fence_mark) {
                (Some((ch, n)), Some((ch2, n2))) if ch == ch2 && n2 >= n => {
                    fence = None;
                    false
                }
                (Some(_), _) => false,
                (None, Some(mark)) => {
                    fence = Some(mark);
                    false
                }
                (None, None) => !line.iter().all(u8::is_ascii_whitespace),
            };
            match (in_paragraph, para_start) {
                (true, None) => para_start = Some(line_start),
                (false, Some(s)) => {
                    self.paragraph(s, line_start);
                    para_start = None;
                }
                _ => {}
            }
            line_start = line_end;
        }
        if let Some(s) = para_start {
            self.paragraph(s, self.bytes.len());
        }
    }

    fn paragraph(&mut self, start: usize, end: usize) {
        // Without a single non-ASCII character there is no Chinese context to act in.
        if self.bytes[start..end].is_ascii() {
            return;
        }
        self.start = start;
        self.end = end;
        self.collect_candidates();
        if self.candidates.is_empty()
            && self.quote_candidates.is_empty()
            && self.paren_candidates.is_empty()
        {
            return;
        }
        self.overlay.clear();
        self.converted_marks.clear();
        self.unsettled = false;
        let first_edit = self.edits.len();
        protect::find(self);
        quotes::normalize(self);
        marks::parentheses(self);
        marks::others(self);
        if self.unsettled && !self.plain && self.edits.len() > first_edit {
            self.settle(first_edit);
        } else {
            // Paragraphs come in order, so sorting each one's edits sorts them all.
            self.edits[first_edit..].sort_unstable_by_key(|e| (e.start, e.end));
        }
    }

    /// Normalizes the current paragraph's output again, one plain pass at a time, until it
    /// stops changing, and replaces the paragraph's edits with the settled text. This is the
    /// only place the normalization iterates, and only for paragraphs whose quotes a pass
    /// cannot settle in one go (crossing pairs, curly or corner quotes without a partner):
    /// every other verdict reads only what no rule changes (docs/punct.md, "Idempotence").
    ///
    /// The result is a text the plain pass leaves as it is, so normalizing it again changes
    /// nothing. Each round can only pair up quotes the previous one left unpaired or crossing,
    /// so a few rounds suffice; should a paragraph still change after `SETTLE_ROUNDS`, it is
    /// left exactly as it was, which is idempotent too (the next run gives up the same way).
    /// The cost is bounded by `SETTLE_ROUNDS` passes over the paragraph.
    fn settle(&mut self, first_edit: usize) {
        let (start, end) = (self.start, self.end);
        let mut edits = self.edits.split_off(first_edit);
        edits.sort_unstable_by_key(|e| (e.start, e.end));
        let mut text = String::with_capacity(end - start + 16);
        let mut cursor = start;
        for edit in &edits {
            if edit.start < cursor {
                continue;
            }
            text.push_str(&self.text[cursor..edit.start]);
            self.push_replacement(&mut text, edit.with);
            cursor = edit.end;
        }
        text.push_str(&self.text[cursor..end]);
        let mut rounds = 0;
        loop {
            let mut engine = Engine::new(&text, self.column);
            engine.plain = true;
            engine.run();
            match engine.finish() {
                Cow::Owned(next) if next != text => text = next,
                _ => break,
            }
            rounds += 1;
            if rounds == SETTLE_ROUNDS {
                return;
            }
        }
        self.settled.push(text);
        self.add(start, end, Replacement::Settled(self.settled.len() - 1));
    }

    fn push_replacement(&self, out: &mut String, with: Replacement) {
        match with {
            Replacement::Str(s) => out.push_str(s),
            Replacement::Byte(b) => out.push(b as char),
            Replacement::Settled(k) => out.push_str(&self.settled[k]),
        }
    }

    /// Records the characters any rule may act on. This is the hot loop: 16 bytes at a time it
    /// finds the bytes that may start a mark (ASCII marks, and E2, E3, EF, the lead bytes of
    /// the non-ASCII marks), then looks closer only at those.
    fn collect_candidates(&mut self) {
        self.candidates.clear();
        self.quote_candidates.clear();
        self.paren_candidates.clear();
        self.protect_starts.clear();
        let bytes = &self.bytes[..self.end];
        let mut base = self.start;
        let mut chunks = bytes[self.start..].chunks_exact(16);
        for chunk in &mut chunks {
            let mut mask = scan::maybe_marks(chunk);
            while mask != 0 {
                let i = base + mask.trailing_zeros() as usize;
                mask &= mask - 1;
                self.check_candidate(i);
            }
            base += 16;
        }
        for i in base..bytes.len() {
            self.check_candidate(i);
        }
    }

    #[inline(always)]
    fn check_candidate(&mut self, i: usize) {
        let b = self.bytes[i];
        match BYTE_KIND[b as usize] {
            ASCII_MARK | COLON if !marks::plainly_ascii(self, i, b) => {
                self.push_candidate(i, b as char);
                if b == b':' {
                    self.protect_starts.push(i);
                }
            }
            COLON | PROTECT_START => self.protect_starts.push(i),
            LEAD_TO_CHECK => {
                if let Some(c) = non_ascii_candidate(&self.bytes[i..self.end]) {
                    self.push_candidate(i, c);
                }
            }
            _ => {}
        }
    }

    /// Quotes and parentheses go to their own lists: each pass reads only its own.
    #[inline(always)]
    fn push_candidate(&mut self, i: usize, c: char) {
        match c {
            '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' => {
                self.quote_candidates.push((i, c))
            }
            '(' | ')' | '（' | '）' => self.paren_candidates.push(i),
            _ => self.candidates.push((i, c)),
        }
    }

    fn add(&mut self, start: usize, end: usize, with: Replacement) {
        self.edits.push(Edit { start, end, with });
    }

    fn is_protected(&self, pos: usize) -> bool {
        if self.protected.is_empty() {
            return false;
        }
        let k = self.protected.partition_point(|&(_, e)| e <= pos);
        self.protected.get(k).is_some_and(|&(s, _)| s <= pos)
    }

    /// The character that ends at byte `i`, with its start, within the paragraph.
    fn char_before(&self, i: usize) -> Option<(usize, char)> {
        if i <= self.start {
            return None;
        }
        let c = self.text[self.start..i].chars().next_back()?;
        Some((i - c.len_utf8(), c))
    }

    /// The character that starts at byte `i`, within the paragraph.
    fn char_at(&self, i: usize) -> Option<char> {
        if i >= self.end {
            return None;
        }
        self.text[i..self.end].chars().next()
    }

    /// The character at `pos` as the rules decided so far will leave it.
    fn decided(&self, pos: usize, c: char) -> char {
        let list = match c {
            '"' | '\'' | '(' | ')' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' => {
                &self.overlay
            }
            ',' | ';' | ':' | '?' | '!' | '.' | '-' | '…' | '⋯' | '—' | '―' | '。' | '－' => {
                &self.converted_marks
            }
            _ => return c,
        };
        match list.binary_search_by_key(&pos, |&(p, _)| p) {
            Ok(k) => list[k].1,
            Err(_) => c,
        }
    }

    /// The class of the character at `pos` in its decided form. A corner quote counts as a
    /// quote, not as Chinese punctuation: the verdict on a mark next to a quote must not depend
    /// on the form the style gives the quote (`“$?”` keeps its `?` in zh-TW as in zh-Hans).
    fn class_at(&self, pos: usize, c: char) -> Class {
        match self.decided(pos, c) {
            '「' | '『' => Class::Open,
            '」' | '』' => Class::Close,
            d => class_of(d),
        }
    }

    /// The context left of byte `i`: the nearest character's class, looking through closing
    /// quotes and brackets, ellipses and dashes (`“你好”,` is a comma after Chinese).
    fn left(&self, i: usize) -> Class {
        let mut j = i;
        loop {
            let Some((p, c)) = self.char_before(j) else {
                return Class::Other;
            };
            match self.class_at(p, c) {
                Class::Close | Class::Amb => j = p,
                class => return class,
            }
        }
    }

    /// The context right of byte `i`, looking through opening quotes and brackets, and
    /// through sentence marks, ellipses and dashes in either width: those are decided after
    /// the mark at `i`, so what they become must not matter.
    fn right(&self, i: usize) -> Class {
        let mut j = i;
        loop {
            let Some(c) = self.char_at(j) else {
                return Class::Other;
            };
            if is_convertible_mark(c) {
                j = self.past_mark(j, c);
                continue;
            }
            match self.class_at(j, c) {
                Class::Open | Class::Amb => j += c.len_utf8(),
                class => return class,
            }
        }
    }

    /// Deletes one ASCII space after a full-width mark ending at `i` (`你好, 世界`), unless the
    /// spaces end the line. One space, because the mark grew by one column: a table cell
    /// (`|系统:   |`) keeps its width.
    fn eat_space_after(&mut self, i: usize) {
        if self.spaces_eaten_after(i) > i {
            self.add(i, i + 1, Replacement::Str(""));
        }
    }

    /// Where the spaces after a sentence mark ending at `i` end, if converting that mark
    /// deletes one of them (see `eat_space_after`); `i` otherwise. Only before a letter, a
    /// Chinese character or a table rule `|`, and never before a character some rule changes
    /// (a bracket, a quote, a mark): a space before a bracket or a quote is part of what
    /// decides that mark, and what decides the deletion must not change with it.
    fn spaces_eaten_after(&self, i: usize) -> usize {
        let n = self.bytes[i..self.end]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        let eats = |c: char| {
            c == '|'
                || (matches!(class_of(c), Class::Cjk | Class::Word)
                    && !is_quote(c)
                    && !is_paren(c)
                    && !is_convertible_mark(c))
        };
        if n > 0 && self.char_at(i + n).is_some_and(eats) {
            i + n
        } else {
            i
        }
    }

    /// The position after the mark `c` at `j`, for a context looking right past it: past the
    /// spaces too when converting a sentence mark would delete one of them (and after every
    /// form such a mark may take, see `looks_past_spaces`), so that the context is the same
    /// before and after (`。。。, 好` and `。。。，好`).
    fn past_mark(&self, j: usize, c: char) -> usize {
        let j = j + c.len_utf8();
        if looks_past_spaces(c) {
            self.spaces_eaten_after(j)
        } else {
            j
        }
    }

    /// The character before byte `i`, skipping characters for which `skip` holds.
    fn before_skipping(&self, i: usize, skip: fn(char) -> bool) -> Option<char> {
        let mut j = i;
        loop {
            let (p, c) = self.char_before(j)?;
            if !skip(c) {
                return Some(c);
            }
            j = p;
        }
    }

    /// The character at byte `i` or after it, skipping characters for which `skip` holds.
    fn after_skipping(&self, i: usize, skip: fn(char) -> bool) -> Option<char> {
        let mut j = i;
        loop {
            let c = self.char_at(j)?;
            if !skip(c) {
                return Some(c);
            }
            j = self.past_mark(j, c);
        }
    }

    fn finish(self) -> Cow<'a, str> {
        if self.edits.is_empty() {
            return Cow::Borrowed(self.text);
        }
        let mut out = String::with_capacity(self.text.len() + self.edits.len() * 2);
        let mut cursor = 0;
        for edit in &self.edits {
            if edit.start < cursor {
                continue;
            }
            out.push_str(&self.text[cursor..edit.start]);
            self.push_replacement(&mut out, edit.with);
            cursor = edit.end;
        }
        out.push_str(&self.text[cursor..]);
        if out == self.text {
            Cow::Borrowed(self.text)
        } else {
            Cow::Owned(out)
        }
    }
}
