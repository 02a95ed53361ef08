//! A fast scan for what `fix` would repair: mojibake spans with their family, lossy markers,
//! inline pronunciation annotations, stray markup, a BOM and the line endings. It changes
//! nothing and decides nothing final: the repair stage scores real candidates; this scan only
//! reports spans that pass a cheap, conservative check (see docs/detect.md).

use std::ops::Range;

use super::classes::{self, Classes, GB_LEVEL1};
use super::scan::Scanner;

/// A corruption family (see MOJIBAKE.md); `name()` is the `kind` in JSON reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MojibakeKind {
    /// UTF-8 bytes decoded as GBK: `浣犲ソ` for `你好`.
    Utf8AsGbk,
    /// UTF-8 bytes decoded as Big5.
    Utf8AsBig5,
    /// UTF-8 bytes decoded as windows-1252 / Latin-1: `ä½ å¥½`.
    Utf8AsLatin1,
    /// UTF-8 decoded as windows-1252 twice: `Ã¤Â½Â`.
    Utf8Twice,
    /// GBK bytes decoded as windows-1252 / Latin-1: `ÄãºÃ`.
    GbkAsLatin1,
    /// GBK punctuation replaced byte-wise across a character boundary: `?!埃ㄟ@`.
    GbkPunct,
}

impl MojibakeKind {
    /// The report name: `utf8-as-gbk`, `utf8-as-big5`, `utf8-as-latin1`, `utf8-twice`,
    /// `gbk-as-latin1`, `gbk-punct`.
    pub fn name(self) -> &'static str {
        match self {
            MojibakeKind::Utf8AsGbk => "utf8-as-gbk",
            MojibakeKind::Utf8AsBig5 => "utf8-as-big5",
            MojibakeKind::Utf8AsLatin1 => "utf8-as-latin1",
            MojibakeKind::Utf8Twice => "utf8-twice",
            MojibakeKind::GbkAsLatin1 => "gbk-as-latin1",
            MojibakeKind::GbkPunct => "gbk-punct",
        }
    }
}

/// A suspected mojibake span (byte offsets into the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mojibake {
    pub kind: MojibakeKind,
    pub range: Range<usize>,
}

/// The line-ending convention of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEndings {
    /// No line break at all.
    None,
    Lf,
    Crlf,
    Cr,
    /// More than one kind.
    Mixed,
}

impl LineEndings {
    /// `none`, `lf`, `crlf`, `cr` or `mixed`.
    pub fn name(self) -> &'static str {
        match self {
            LineEndings::None => "none",
            LineEndings::Lf => "lf",
            LineEndings::Crlf => "crlf",
            LineEndings::Cr => "cr",
            LineEndings::Mixed => "mixed",
        }
    }
}

/// What [`scan_problems`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct Problems {
    /// Suspected mojibake spans, in text order.
    pub mojibake: Vec<Mojibake>,
    /// U+FFFD replacement characters.
    pub replacement_chars: usize,
    /// `锟斤拷` (U+FFFD's UTF-8 bytes read as GBK) occurrences.
    pub kun_jin_kao: usize,
    /// `烫烫` / `屯屯` (MSVC fill bytes read as GBK) occurrences.
    pub fill_bytes: usize,
    /// Inline pronunciation annotations such as `現(xiàn)`.
    pub annotations: usize,
    /// Stray HTML tags and entities.
    pub markup: usize,
    /// The text starts with U+FEFF.
    pub bom: bool,
    pub line_endings: LineEndings,
}

impl Problems {
    /// True if any marker of lost data was found (U+FFFD, `锟斤拷`, `烫烫烫`).
    pub fn lossy(&self) -> bool {
        self.replacement_chars + self.kun_jin_kao + self.fill_bytes > 0
    }
}

/// Scans a text for problems. Linear time; allocates only for the spans it reports.
///
/// ```
/// use zhfix::detect::{scan_problems, MojibakeKind};
/// let p = scan_problems("浣犲ソ锛屼笘鐣� and 現(xiàn)身\r\n");
/// assert_eq!(p.mojibake[0].kind, MojibakeKind::Utf8AsGbk);
/// assert!(p.lossy());
/// assert_eq!(p.annotations, 1);
/// assert_eq!(p.line_endings.name(), "crlf");
/// ```
pub fn scan_problems(text: &str) -> Problems {
    let mut scanner = Scanner::new();
    scanner.scan::<false, true>(text, 0, 0, text.len());
    scanner.close(text, 0, text.len());
    scanner.problems()
}

/// A run of CJK characters is UTF-8 misread as `encoding` when re-encoding it gives valid UTF-8
/// (a last character may have lost its final byte) that decodes to CJK, and the run itself is
/// mostly uncommon characters (checked by the caller): real text in either script is mostly
/// common ones.
pub(super) fn legacy_mojibake(span: &str, encoding: &'static encoding_rs::Encoding) -> bool {
    let (bytes, _, unmappable) = encoding.encode(span);
    if unmappable {
        return false;
    }
    let valid = match std::str::from_utf8(&bytes) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    // What comes out must be real text: at least one character, all of them plausible.
    let classes = Classes::get();
    !valid.is_empty() && valid.chars().all(|c| classes::plausible(classes, c))
}

/// The byte a character stands for in windows-1252 or Latin-1 (C1 controls included), if it
/// stands for a byte 0x80..=0xFF.
fn latin_byte(c: char) -> Option<u8> {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match c {
        // Latin-1 proper maps 0x80..=0x9F to the C1 controls.
        '\u{80}'..='\u{FF}' => Some(c as u8),
        _ => HIGH.iter().position(|&h| h == c).map(|p| 0x80 + p as u8),
    }
}

/// Latin-1 looking runs that are really UTF-8 (once or twice) or GBK bytes.
pub(super) fn latin_mojibake(span: &str) -> Option<MojibakeKind> {
    // Cheap exact screen (runs of `——`, `……`, no-break spaces are common in clean text): UTF-8
    // starts with a lead byte, and two GBK Han characters take four bytes.
    let first = span.chars().next().and_then(latin_byte)?;
    if !(0xC2..=0xF4).contains(&first) && span.chars().nth(3).is_none() {
        return None;
    }
    let bytes: Vec<u8> = span.chars().filter_map(latin_byte).collect();
    if let Ok(decoded) = std::str::from_utf8(&bytes) {
        // Twice: the once-repaired text is again UTF-8 read as Latin-1.
        let again: Option<Vec<u8>> = decoded.chars().map(latin_byte).collect();
        let twice = again.is_some_and(|b| !b.is_ascii() && std::str::from_utf8(&b).is_ok());
        return Some(if twice {
            MojibakeKind::Utf8Twice
        } else {
            MojibakeKind::Utf8AsLatin1
        });
    }
    let (decoded, errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    if errors {
        return None;
    }
    let classes = Classes::get();
    let han: Vec<char> = decoded.chars().filter(|&c| classes::is_han(c)).collect();
    let common = han
        .iter()
        .filter(|&&c| classes.of(c) & GB_LEVEL1 != 0)
        .count();
    (han.len() >= 2 && common * 10 >= han.len() * 8).then_some(MojibakeKind::GbkAsLatin1)
}

/// `?!` (after a Han character, checked by the caller) followed by a Han character or by
/// `?/`: what a byte-wise `！`→`!` replacement leaves of `。“` or `。”</` in GBK text.
pub(super) fn gbk_punct(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("?!") else {
        return false;
    };
    after.starts_with("?/") || after.chars().next().is_some_and(classes::is_han)
}

/// `(xiàn)` after a Han character: 1 to 7 pinyin letters with at least one tone mark.
pub(super) fn annotation(rest: &str) -> bool {
    let window = &rest.as_bytes()[..rest.len().min(24)];
    memchr::memchr(b')', window).is_some_and(|close| rest.get(1..close).is_some_and(pinyin))
}

fn pinyin(inner: &str) -> bool {
    let letters = inner.chars().count();
    (1..=7).contains(&letters)
        && inner
            .chars()
            .all(|c| c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c))
        && !inner.is_ascii()
}

/// `<tag ...>`, `</tag>` or `<br/>`: a letter after `<` (or `</`) and a `>` within the line.
pub(super) fn tag(rest: &[u8]) -> bool {
    let body = rest.get(1..).unwrap_or_default();
    let body = body.strip_prefix(b"/").unwrap_or(body);
    if !body.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    // A name of 200 characters leaves no room for the `>`: looking further changes nothing,
    // and the scan of a stream may look only so far ahead.
    let name_len = body
        .iter()
        .take(200)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    matches!(body.get(name_len), Some(b'>' | b' ' | b'/'))
        && body
            .iter()
            .take(200)
            .take_while(|&&b| b != b'\n')
            .any(|&b| b == b'>')
}

/// `&name;`, `&#123;` or `&#x4F60;`.
pub(super) fn entity(rest: &[u8]) -> bool {
    let body = rest.get(1..).unwrap_or_default();
    let (digits, body): (fn(&u8) -> bool, &[u8]) = match body {
        [b'#', b'x' | b'X', tail @ ..] => (u8::is_ascii_hexdigit, tail),
        [b'#', tail @ ..] => (u8::is_ascii_digit, tail),
        _ => (u8::is_ascii_alphanumeric, body),
    };
    let n = body.iter().take(10).take_while(|b| digits(b)).count();
    n >= 2 && body.get(n) == Some(&b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        scan_problems(text)
            .mojibake
            .iter()
            .map(|m| m.kind.name())
            .collect()
    }

    #[test]
    fn mojibake_families() {
        assert_eq!(kinds("浣犲ソ锛屼笘鐣"), ["utf8-as-gbk"]);
        assert_eq!(kinds("é\u{A0}æ ä½ å¥½"), ["utf8-as-latin1"]);
        assert_eq!(kinds("ÄãºÃ£¬ÊÀ½ç"), ["gbk-as-latin1"]);
        assert_eq!(kinds("Ã¤Â½Â Ã¥Â¥Â½"), ["utf8-twice"]);
        assert_eq!(kinds("他说?!埃ㄟ@"), ["gbk-punct"]);
        assert_eq!(kinds("有關?!?/strong>"), ["gbk-punct"]);
        assert_eq!(
            kinds("Ã\u{96}nko gyaloglÃ³"),
            ["utf8-as-latin1", "utf8-as-latin1"]
        );
    }

    #[test]
    fn clean_text_is_clean() {
        let clean = "中华人民共和国是工人阶级领导的社会主义国家。中華民國憲法第一條規定。café naïve Größe 日本語です。한국어 WTF?!? ない?!見 🚀?!";
        let p = scan_problems(clean);
        assert!(p.mojibake.is_empty(), "{:?}", p.mojibake);
        assert!(!p.lossy());
        assert_eq!((p.annotations, p.markup, p.bom), (0, 0, false));
        assert_eq!(p.line_endings, LineEndings::None);
    }

    #[test]
    fn markers() {
        let p = scan_problems(
            "\u{FEFF}锟斤拷烫烫烫 �\n產(chǎn)品 字(zì) (abc) <b>x</b> &nbsp; &#x4F60; a<b\r\n",
        );
        assert!(p.bom);
        assert_eq!(
            (p.kun_jin_kao, p.fill_bytes, p.replacement_chars),
            (1, 1, 1)
        );
        assert_eq!(p.annotations, 2);
        assert_eq!(p.markup, 4);
        assert_eq!(p.line_endings, LineEndings::Mixed);
    }
}
