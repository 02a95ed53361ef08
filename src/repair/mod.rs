//! Repair: undo mojibake and web-crawl damage, span by span, without harming clean text.
//!
//! Each corruption family of `docs/MOJIBAKE.md` is one file here, headed by its recipe and a
//! real example. [`repair`] runs them in passes over the text:
//!
//! 1. the GBK byte-level punctuation replacement (`?!埃ㄟ@` → `。“（這`), which must see the
//!    text before markup is stripped since it swallows the `<` of a following tag;
//! 2. with [`RepairOptions::strip_markup`], HTML entities and stray tags;
//! 3. mojibake: every "bytes decoded with the wrong code page" family, run by the shared
//!    mechanism in `recode.rs` only on the spans that contain a suspicious character, and
//!    decided by the character model in `scorer.rs`;
//! 4. with [`RepairOptions::strip_annotations`], inline pinyin annotations like `現(xiàn)`.
//!
//! Clean text goes through a fast path that looks at every character once and allocates
//! nothing: [`repair`] then returns the input borrowed, byte-identical.
//!
//! ```
//! use zhfix::repair::{repair, RepairKind, RepairOptions};
//! let fixed = repair("浣犲ソ, world", &RepairOptions::default());
//! assert_eq!(fixed.text, "你好, world");
//! assert_eq!(fixed.repairs[0].kind, RepairKind::Utf8AsGbk);
//! assert_eq!(fixed.repairs[0].before, "浣犲ソ");
//! ```

mod annotation;
mod gbk_as_big5;
mod gbk_as_latin1;
mod gbk_punct;
mod lossy;
mod markup;
mod recode;
mod scorer;
mod utf8_as_big5;
mod utf8_as_cjk;
mod utf8_as_gbk;
mod utf8_as_latin1;

use std::borrow::Cow;

/// Which cleanups [`repair`] does besides undoing encoding damage. The default repairs
/// encodings only; markup and annotations can be part of a text on purpose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RepairOptions {
    /// Remove inline pinyin annotations such as `現(xiàn)` (each checked against the readings
    /// of the character it follows).
    pub strip_annotations: bool,
    /// Decode HTML entities (`&#x4F60;`, `&nbsp;`) and drop stray HTML tags (`</strong>`,
    /// and its damaged form `?/strong>`).
    pub strip_markup: bool,
}

impl RepairOptions {
    /// Every cleanup on (the CLI's `--all`).
    pub fn all() -> Self {
        RepairOptions {
            strip_annotations: true,
            strip_markup: true,
        }
    }
}

/// A corruption family (or cleanup) a repair undid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RepairKind {
    /// UTF-8 bytes decoded as GBK / GB18030: `浣犲ソ` → `你好`.
    Utf8AsGbk,
    /// UTF-8 bytes decoded as windows-1252 or Latin-1: `ä½ å¥½` → `你好`.
    Utf8AsLatin1,
    /// UTF-8 decoded as windows-1252 twice: `Ã¤Â½Â Ã¥Â¥Â½` → `你好`.
    Utf8Double,
    /// UTF-8 bytes decoded as Big5.
    Utf8AsBig5,
    /// UTF-8 bytes decoded as Shift_JIS.
    Utf8AsShiftJis,
    /// UTF-8 bytes decoded as EUC-KR.
    Utf8AsEucKr,
    /// GBK bytes decoded as windows-1252 / Latin-1: `ÄãºÃ` → `你好`.
    GbkAsLatin1,
    /// GBK bytes decoded as Big5: `斕疑` → `你好`.
    GbkAsBig5,
    /// A byte-level `！`→`!` replacement on GBK text that cut through two characters:
    /// `?!埃ㄟ@` → `。“（這`.
    GbkPunctReplacement,
    /// An HTML entity: `&#x4F60;` → `你`.
    HtmlEntity,
    /// A stray HTML tag: `</strong>` → ``.
    StrayMarkup,
    /// An inline pinyin annotation: `現(xiàn)` → `現`.
    Annotation,
    /// Bytes that are gone for good (`锟斤拷`, `烫烫烫`, U+FFFD): reported, never changed.
    LossyMarker,
}

impl RepairKind {
    /// A stable kebab-case name, used in reports.
    pub fn name(self) -> &'static str {
        match self {
            RepairKind::Utf8AsGbk => "utf8-as-gbk",
            RepairKind::Utf8AsLatin1 => "utf8-as-latin1",
            RepairKind::Utf8Double => "utf8-double",
            RepairKind::Utf8AsBig5 => "utf8-as-big5",
            RepairKind::Utf8AsShiftJis => "utf8-as-shift-jis",
            RepairKind::Utf8AsEucKr => "utf8-as-euc-kr",
            RepairKind::GbkAsLatin1 => "gbk-as-latin1",
            RepairKind::GbkAsBig5 => "gbk-as-big5",
            RepairKind::GbkPunctReplacement => "gbk-punct-replacement",
            RepairKind::HtmlEntity => "html-entity",
            RepairKind::StrayMarkup => "stray-markup",
            RepairKind::Annotation => "annotation",
            RepairKind::LossyMarker => "lossy-marker",
        }
    }

    /// Every kind, in a stable order.
    pub const ALL: [RepairKind; 13] = [
        RepairKind::Utf8AsGbk,
        RepairKind::Utf8AsLatin1,
        RepairKind::Utf8Double,
        RepairKind::Utf8AsBig5,
        RepairKind::Utf8AsShiftJis,
        RepairKind::Utf8AsEucKr,
        RepairKind::GbkAsLatin1,
        RepairKind::GbkAsBig5,
        RepairKind::GbkPunctReplacement,
        RepairKind::HtmlEntity,
        RepairKind::StrayMarkup,
        RepairKind::Annotation,
        RepairKind::LossyMarker,
    ];
}

impl std::fmt::Display for RepairKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One repair: what was at `start..end` (byte offsets into the input text) and what replaced
/// it. For a [`RepairKind::LossyMarker`] `after` equals `before`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The family.
    pub kind: RepairKind,
    /// Byte offset of the damaged span in the input.
    pub start: usize,
    /// Byte offset just past the damaged span in the input.
    pub end: usize,
    /// The damaged text, `input[start..end]`.
    pub before: String,
    /// What the span became in the output.
    pub after: String,
}

/// The result of [`repair`]: the text (borrowed when nothing changed) and every repair made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired<'a> {
    /// The repaired text.
    pub text: Cow<'a, str>,
    /// The repairs, sorted by `start`; lossy markers left in place are listed too.
    pub repairs: Vec<Repair>,
}

/// An edit proposed by a family on the text of one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub kind: RepairKind,
    pub start: usize,
    pub end: usize,
    pub after: String,
}

/// Repairs `text`: every reversible encoding family, the best guess where a lost byte leaves
/// few candidates, and the cleanups `options` asks for. Clean text comes back borrowed.
///
/// ```
/// use zhfix::repair::{repair, RepairOptions};
/// let clean = "日本語のテキスト, 한국어, café, 繁體中文。";
/// assert!(matches!(repair(clean, &RepairOptions::default()).text, std::borrow::Cow::Borrowed(_)));
/// ```
pub fn repair<'a>(text: &'a str, options: &RepairOptions) -> Repaired<'a> {
    let scan = Scan::new(text, options);
    if scan.is_clean() {
        let repairs = if scan.lossy {
            find_problems(text)
        } else {
            Vec::new()
        };
        return Repaired {
            text: Cow::Borrowed(text),
            repairs,
        };
    }
    let mut passes: Vec<Vec<Edit>> = Vec::new();
    let mut current = Cow::Borrowed(text);
    if scan.punct {
        push_pass(&mut current, &mut passes, gbk_punct::find);
    }
    if scan.markup {
        push_pass(&mut current, &mut passes, markup::find);
    }
    // Earlier passes moved the lines: scan them again.
    let lines = if passes.is_empty() {
        scan.lines
    } else {
        Scan::new(&current, options).lines
    };
    if !lines.is_empty() {
        push_pass(&mut current, &mut passes, |t| recode_in_windows(t, &lines));
    }
    if scan.notes {
        push_pass(&mut current, &mut passes, annotation::find);
    }
    let repairs = report(text, &current, &passes, scan.lossy);
    if current == text {
        current = Cow::Borrowed(text);
    }
    Repaired {
        text: current,
        repairs,
    }
}

/// The longest line the mojibake families read at once. A longer line (a whole article on
/// one line, or noise) is read in windows of about this size, so that the work per byte stays
/// bounded (the families look along the line for context, and a line of noise is nothing but
/// candidates); damage that straddles a window boundary may stay unrepaired there.
const MAX_WINDOW: usize = 4096;

/// [`recode::find`] on `lines`, each line longer than [`MAX_WINDOW`] cut into windows read
/// on their own.
fn recode_in_windows(text: &str, lines: &[std::ops::Range<usize>]) -> Vec<Edit> {
    if lines.iter().all(|line| line.len() <= MAX_WINDOW) {
        return recode::find(text, lines);
    }
    let short: Vec<_> = lines
        .iter()
        .filter(|line| line.len() <= MAX_WINDOW)
        .cloned()
        .collect();
    let mut edits = recode::find(text, &short);
    for line in lines.iter().filter(|line| line.len() > MAX_WINDOW) {
        let mut start = line.start;
        while start < line.end {
            let end = window_end(text, start, line.end);
            let window = &text[start..end];
            let found = recode::find(window, std::slice::from_ref(&(0..window.len())));
            edits.extend(found.into_iter().map(|mut e| {
                e.start += start;
                e.end += start;
                e
            }));
            start = end;
        }
    }
    edits.sort_by_key(|e| e.start);
    edits
}

/// Where the window of a long line that starts at `start` ends: just after the last ASCII
/// byte of its final quarter (damage rarely spans ASCII), else at a character boundary.
fn window_end(text: &str, start: usize, line_end: usize) -> usize {
    let limit = start + MAX_WINDOW;
    if limit >= line_end {
        return line_end;
    }
    let bytes = text.as_bytes();
    let floor = limit - MAX_WINDOW / 4;
    if let Some(k) = bytes[floor..limit].iter().rposition(|b| b.is_ascii()) {
        return floor + k + 1;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// Runs one pass over `current` and applies its edits.
fn push_pass(
    current: &mut Cow<'_, str>,
    passes: &mut Vec<Vec<Edit>>,
    find: impl Fn(&str) -> Vec<Edit>,
) {
    let edits = find(current);
    if !edits.is_empty() {
        *current = Cow::Owned(apply(current, &edits));
        passes.push(edits);
    }
}

/// Reports what cannot be repaired: runs of U+FFFD, `锟斤拷` and `烫烫烫`/`屯屯屯` fill.
/// Each comes back as a [`RepairKind::LossyMarker`] whose `after` equals `before`.
///
/// ```
/// use zhfix::repair::{find_problems, RepairKind};
/// let problems = find_problems("文件锟斤拷锟斤拷损坏");
/// assert_eq!(problems[0].kind, RepairKind::LossyMarker);
/// assert_eq!(problems[0].before, "锟斤拷锟斤拷");
/// ```
pub fn find_problems(text: &str) -> Vec<Repair> {
    lossy::find(text)
        .into_iter()
        .map(|e| Repair {
            kind: e.kind,
            start: e.start,
            end: e.end,
            before: text[e.start..e.end].to_string(),
            after: text[e.start..e.end].to_string(),
        })
        .collect()
}

/// Applies non-overlapping edits sorted by `start`.
pub(crate) fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.after);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Maps a position in a pass's output back to its input. A position inside an edit's output
/// maps to the edit's start (`to_end == false`) or end.
fn map_back(pos: usize, edits: &[Edit], to_end: bool) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        let out_start = (e.start as isize + delta) as usize;
        let out_end = out_start + e.after.len();
        if pos < out_start || (pos == out_start && !to_end) {
            break;
        }
        if pos <= out_end {
            return if to_end { e.end } else { e.start };
        }
        delta += e.after.len() as isize - (e.end - e.start) as isize;
    }
    (pos as isize - delta) as usize
}

/// Maps a position in a pass's input forward to its output (edit boundaries map to the
/// boundaries of the edit's replacement).
fn map_forward(pos: usize, edits: &[Edit], to_end: bool) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        if pos < e.start || (pos == e.start && !to_end && e.start != e.end) {
            break;
        }
        if pos < e.end || (pos == e.end && to_end) || (pos == e.start && !to_end) {
            let out_start = (e.start as isize + delta) as usize;
            return if to_end {
                out_start + e.after.len()
            } else {
                out_start
            };
        }
        delta += e.after.len() as isize - (e.end - e.start) as isize;
    }
    (pos as isize + delta) as usize
}

/// Turns the edits of every pass into repairs with spans in the input and `after` taken from
/// the final text, and adds the lossy markers left in the input untouched (`lossy`: the input
/// has a character they are made of).
fn report(input: &str, output: &str, passes: &[Vec<Edit>], lossy: bool) -> Vec<Repair> {
    let mut repairs = Vec::new();
    for (k, edits) in passes.iter().enumerate() {
        for e in edits {
            let (mut start, mut end) = (e.start, e.end);
            for earlier in passes[..k].iter().rev() {
                start = map_back(start, earlier, false);
                end = map_back(end, earlier, true);
            }
            let (mut out_start, mut out_end) = (start, end);
            for pass in passes {
                out_start = map_forward(out_start, pass, false);
                out_end = map_forward(out_end, pass, true);
            }
            let after = output
                .get(out_start..out_end.max(out_start))
                .unwrap_or(&e.after);
            repairs.push(Repair {
                kind: e.kind,
                start,
                end,
                before: input[start..end].to_string(),
                after: after.to_string(),
            });
        }
    }
    let markers = if lossy {
        find_problems(input)
    } else {
        Vec::new()
    };
    for marker in markers {
        if !repairs
            .iter()
            .any(|r| r.start < marker.end && marker.start < r.end)
        {
            repairs.push(marker);
        }
    }
    repairs.sort_by_key(|r| (r.start, r.end));
    repairs
}

/// The fast path: one walk over the bytes that finds what each pass has to look at. Clean
/// text gives every pass nothing, and comes back borrowed.
#[derive(Debug, Default, PartialEq, Eq)]
struct Scan {
    /// A `?!`, `?,`, `�!` or `�,`: the GBK punctuation replacement may have happened.
    punct: bool,
    /// With `strip_markup`: `&`, `<`, `>` or `?/`.
    markup: bool,
    /// With `strip_annotations`: `(` or `（`.
    notes: bool,
    /// A character lossy markers are made of (`�`, `锟`, `烫`, `屯`).
    lossy: bool,
    /// The lines (without their `\n`) with signature characters worth two (uncommon
    /// characters other than the no-break space; GBK punctuation read as Big5 counts twice):
    /// the only ones mojibake repair can change.
    lines: Vec<std::ops::Range<usize>>,
}

/// ASCII bytes the scan stops at: `\n` (1), `?` (2), markup (3), `(` (4); 0 for the rest.
/// Bytes from 0x80 up start a character (5).
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b'\n' as usize] = 1;
    table[b'?' as usize] = 2;
    table[b'&' as usize] = 3;
    table[b'<' as usize] = 3;
    table[b'>' as usize] = 3;
    table[b'(' as usize] = 4;
    let mut b = 0x80;
    while b < 0x100 {
        table[b] = 5;
        b += 1;
    }
    table
};

impl Scan {
    fn new(text: &str, options: &RepairOptions) -> Scan {
        let bytes = text.as_bytes();
        let mut scan = Scan::default();
        let mut line_start = 0;
        let mut signatures = 0u32;
        let mut i = 0;
        while i < bytes.len() {
            let class = ASCII_CLASS[usize::from(bytes[i])];
            if class == 0 {
                // The next byte worth a look, 16 at a time.
                i = crate::scan::next(crate::scan::Kind::Repair, bytes, i + 1);
                continue;
            }
            if class < 5 {
                match class {
                    1 => {
                        if signatures >= 2 {
                            scan.lines.push(line_start..i);
                        }
                        line_start = i + 1;
                        signatures = 0;
                    }
                    2 => match bytes.get(i + 1) {
                        Some(b'!' | b',') => scan.punct = true,
                        Some(b'/') => scan.markup |= options.strip_markup,
                        _ => {}
                    },
                    3 => scan.markup |= options.strip_markup,
                    _ => scan.notes |= options.strip_annotations,
                }
                i += 1;
                continue;
            }
            let (c, len) = decode_at(bytes, i);
            i += len;
            if scorer::is_common(c) {
                match c {
                    '烫' | '屯' | '锟' => scan.lossy = true,
                    '（' => scan.notes |= options.strip_annotations,
                    _ => {}
                }
                continue;
            }
            // What is left: the suspicious characters of `recode::is_suspicious`, kana, and
            // the no-break space; the signatures (`recode::is_signature`) count.
            match c {
                '\u{3041}'..='\u{30FF}' | '\u{A0}' => {}
                '\u{FFFD}' => {
                    scan.lossy = true;
                    signatures += 1;
                    if matches!(bytes.get(i), Some(b'!' | b',')) {
                        scan.punct = true;
                    }
                }
                '烫' | '屯' | '锟' => {
                    scan.lossy = true;
                    signatures += 1;
                }
                // GBK punctuation read as Big5 is evidence enough (`recode::signature_weight`).
                'ㄛ' | '﹝' | '﹜' | 'ㄩ' | 'ㄗ' | 'ㄘ' | 'ㄐ' | '〞' => signatures += 2,
                _ => signatures += 1,
            }
        }
        if signatures >= 2 {
            scan.lines.push(line_start..bytes.len());
        }
        scan
    }

    fn is_clean(&self) -> bool {
        !self.punct && !self.markup && !self.notes && self.lines.is_empty()
    }
}

/// The character starting at byte `i` of valid UTF-8 (not ASCII) and its length.
#[inline]
fn decode_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b = u32::from(bytes[i]);
    let cont = |k: usize| u32::from(bytes[i + k] & 0x3F);
    let (cp, len) = match b {
        0xC0..=0xDF => ((b & 0x1F) << 6 | cont(1), 2),
        0xE0..=0xEF => ((b & 0x0F) << 12 | cont(1) << 6 | cont(2), 3),
        _ => ((b & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3), 4),
    };
    // The bytes come from a `str`, so they are well-formed.
    (char::from_u32(cp).unwrap_or('\u{FFFD}'), len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long line is cut into windows of at most `MAX_WINDOW` bytes that cover it exactly,
    /// each cut after an ASCII byte when its last quarter has one, else at a character
    /// boundary: the work per window is bounded, so the work per line is linear.
    #[test]
    fn long_lines_are_cut_into_bounded_windows() {
        let spaced = "汉字汉字 ".repeat(2_000);
        let dense = "汉".repeat(5_000);
        let mixed = format!("{dense} {spaced}{dense}");
        for text in [spaced.as_str(), dense.as_str(), mixed.as_str()] {
            let mut start = 0;
            let mut windows = 0;
            while start < text.len() {
                let end = window_end(text, start, text.len());
                assert!(end > start && end - start <= MAX_WINDOW);
                assert!(text.is_char_boundary(end));
                let quarter = &text.as_bytes()[(start + MAX_WINDOW * 3 / 4).min(end)..end];
                if end < text.len() && text.as_bytes()[end - 1] != b' ' {
                    assert!(
                        !quarter.contains(&b' '),
                        "a cut could have followed a space"
                    );
                }
                start = end;
                windows += 1;
            }
            assert!(windows <= text.len() / (MAX_WINDOW * 3 / 4) + 1);
        }
        // Short lines are read whole, exactly as before windows existed.
        assert_eq!(window_end(&spaced, 0, 100), 100);
    }

    #[test]
    fn kind_names_are_kebab_case_and_unique() {
        let names: std::collections::BTreeSet<_> =
            RepairKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), RepairKind::ALL.len());
        assert!(names.iter().all(|n| n
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')));
    }

    #[test]
    fn clean_text_is_borrowed() {
        for text in [
            "",
            "hello",
            "你好，世界。",
            "這是繁體中文。",
            "ひらがなとカタカナ",
        ] {
            assert!(
                matches!(repair(text, &RepairOptions::all()).text, Cow::Borrowed(_)),
                "{text}"
            );
        }
    }

    #[test]
    fn the_scan_counts_exactly_the_signature_characters() {
        for c in (0x80..0x11000).filter_map(char::from_u32) {
            let text = format!("{c}a{c}");
            let scan = Scan::new(&text, &RepairOptions::default());
            assert_eq!(!scan.lines.is_empty(), recode::is_signature(c), "{c:?}");
            let alone = Scan::new(&format!("a{c}a"), &RepairOptions::default());
            assert_eq!(
                !alone.lines.is_empty(),
                recode::signature_weight(c) >= 2,
                "{c:?}"
            );
        }
    }

    #[test]
    fn lines_with_one_rare_character_take_the_fast_path() {
        let text = "為了保護一個目錄\n\u{A0}\u{A0}\u{A0} Debian 系統\n龘字很少見。";
        let scan = Scan::new(text, &RepairOptions::default());
        assert!(scan.is_clean(), "{scan:?}");
        assert!(matches!(
            repair(text, &RepairOptions::default()).text,
            Cow::Borrowed(_)
        ));
        let two = "為了保護一個目錄\n而這些龘靐字很少見。";
        let lines = Scan::new(two, &RepairOptions::default()).lines;
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0], 25..two.len());
    }

    #[test]
    fn lossy_markers_are_reported_in_clean_text_too() {
        let fixed = repair("内存烫烫烫烫。", &RepairOptions::default());
        assert!(matches!(fixed.text, Cow::Borrowed(_)));
        assert_eq!(fixed.repairs.len(), 1);
        assert_eq!(fixed.repairs[0].kind, RepairKind::LossyMarker);
    }

    #[test]
    fn spans_map_back_through_passes() {
        let first = vec![Edit {
            kind: RepairKind::HtmlEntity,
            start: 2,
            end: 10,
            after: "你".into(),
        }];
        // "ab&#x4F60;cd" -> "ab你cd"; a later edit of "你" maps back to 2..10.
        assert_eq!(map_back(2, &first, false), 2);
        assert_eq!(map_back(5, &first, true), 10);
        assert_eq!(map_back(6, &first, false), 11);
        assert_eq!(map_forward(10, &first, true), 5);
        assert_eq!(map_forward(11, &first, false), 6);
    }
}
