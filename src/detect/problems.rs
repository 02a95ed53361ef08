//! A fast scan for what `fix` would repair: mojibake spans with their family, lossy markers,
//! inline pronunciation annotations, stray markup, a BOM and the line endings. It changes
//! nothing and decides nothing final: the repair stage scores real candidates; this scan only
//! reports spans that pass a cheap, conservative check (see docs/detect.md).

use std::ops::Range;

use super::classes::{self, problem, Classes, GB_LEVEL1};

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
    let mut scan = Scan {
        text,
        ..Scan::default()
    };
    scan.run::<false>(&mut []);
    scan.finish()
}

/// [`scan_problems`] and, in the same pass, the histogram of one-byte script classes that
/// [`super::detect_script`] folds into its counts.
pub(crate) fn scan_with_script_classes(text: &str, histogram: &mut [usize; 128]) -> Problems {
    let mut scan = Scan {
        text,
        ..Scan::default()
    };
    scan.run::<true>(histogram);
    scan.finish()
}

impl Scan<'_> {
    fn finish(self) -> Problems {
        let text = self.text;
        let scan = self;
        let line_endings = match (scan.lf > 0, scan.crlf > 0, scan.cr > 0) {
            (false, false, false) => LineEndings::None,
            (true, false, false) => LineEndings::Lf,
            (false, true, false) => LineEndings::Crlf,
            (false, false, true) => LineEndings::Cr,
            _ => LineEndings::Mixed,
        };
        Problems {
            mojibake: scan.mojibake,
            replacement_chars: scan.replacement,
            kun_jin_kao: count(text, "锟斤拷"),
            fill_bytes: count(text, "烫烫") + count(text, "屯屯"),
            annotations: scan.annotations,
            markup: scan.markup,
            bom: text.starts_with('\u{FEFF}'),
            line_endings,
        }
    }
}

fn count(text: &str, needle: &str) -> usize {
    if text.len() < needle.len() {
        return 0;
    }
    memchr::memmem::find_iter(text.as_bytes(), needle).count()
}

/// A run of characters that might all belong to one mojibake span.
#[derive(Default, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
    chars: usize,
    /// Characters common in GB2312 or Big5 (level 1).
    common: usize,
}

impl Run {
    #[inline]
    fn push(&mut self, at: usize, len: usize, common: bool) {
        if self.chars == 0 {
            self.start = at;
        }
        self.end = at + len;
        self.chars += 1;
        self.common += usize::from(common);
    }

    /// Worth a closer look: two characters or more, under half of them common.
    fn suspect(&self) -> bool {
        self.chars >= 2 && self.common * 2 < self.chars
    }
}

/// Bytes the scan must look at: everything non-ASCII, and the ASCII that starts a finding.
static INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x80;
    while b < 256 {
        table[b] = true;
        b += 1;
    }
    let specials = b"\n\r(<&?";
    let mut i = 0;
    while i < specials.len() {
        table[specials[i] as usize] = true;
        i += 1;
    }
    table
};

#[derive(Default)]
struct Scan<'a> {
    text: &'a str,
    mojibake: Vec<Mojibake>,
    gbk: Run,
    big5: Run,
    latin: Run,
    /// Some run above is open.
    open: bool,
    replacement: usize,
    annotations: usize,
    markup: usize,
    lf: usize,
    crlf: usize,
    cr: usize,
}

impl<'a> Scan<'a> {
    /// One pass; with `SCRIPT`, also counts the one-byte script class of every non-ASCII
    /// character into `histogram` (which then has 128 entries).
    fn run<const SCRIPT: bool>(&mut self, histogram: &mut [usize]) {
        let table = problem::table();
        let script_table = classes::small_table();
        let combined = problem::combined_table();
        let script_classes = Classes::get();
        let bytes = self.text.as_bytes();
        let mut i = 0;
        let mut prev_han = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if self.open {
                    self.close_all();
                }
                if INTERESTING[usize::from(b)] {
                    self.ascii(i, b, prev_han);
                }
                prev_han = false;
                i += 1;
                // Skip plain ASCII in a tight loop: most of many texts.
                while i < bytes.len() && !INTERESTING[usize::from(bytes[i])] {
                    i += 1;
                }
                continue;
            }
            let (class, len) = if (0xE0..0xF0).contains(&b) && i + 2 < bytes.len() {
                let cp = usize::from(b & 0x0F) << 12
                    | usize::from(bytes[i + 1] & 0x3F) << 6
                    | usize::from(bytes[i + 2] & 0x3F);
                if SCRIPT {
                    let both = combined.get(cp).copied().unwrap_or(0);
                    if let Some(n) = histogram.get_mut(usize::from(both & 127)) {
                        *n += 1;
                    }
                    ((both >> 8) as u8, 3)
                } else {
                    (table.get(cp).copied().unwrap_or(0), 3)
                }
            } else {
                let Some(c) = self.text.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                if SCRIPT {
                    let script = classes::small_class(script_table, script_classes, c);
                    if let Some(n) = histogram.get_mut(usize::from(script & 127)) {
                        *n += 1;
                    }
                }
                let class = match table.get(c as usize) {
                    Some(&class) => class,
                    None if classes::is_han(c) => problem::HAN,
                    None => 0,
                };
                (class, c.len_utf8())
            };
            self.non_ascii(i, class, len);
            prev_han = class & problem::HAN != 0;
            i += len;
        }
        self.close_all();
        self.mojibake.sort_by_key(|m| m.range.start);
    }

    fn ascii(&mut self, i: usize, b: u8, prev_han: bool) {
        match b {
            b'\n' => {
                if i > 0 && self.text.as_bytes()[i - 1] == b'\r' {
                    self.crlf += 1;
                } else {
                    self.lf += 1;
                }
            }
            b'\r' if self.text.as_bytes().get(i + 1) != Some(&b'\n') => self.cr += 1,
            b'(' if prev_han => self.annotations += usize::from(annotation(&self.text[i..])),
            b'<' => self.markup += usize::from(tag(&self.text.as_bytes()[i..])),
            b'&' => self.markup += usize::from(entity(&self.text.as_bytes()[i..])),
            b'?' if prev_han && gbk_punct(&self.text[i..]) => {
                let end = self.text[i + 2..]
                    .chars()
                    .next()
                    .map_or(i + 2, |c| i + 2 + c.len_utf8());
                self.mojibake.push(Mojibake {
                    kind: MojibakeKind::GbkPunct,
                    range: i..end,
                });
            }
            _ => {}
        }
    }

    #[inline]
    fn non_ascii(&mut self, i: usize, class: u8, len: usize) {
        self.replacement += usize::from(class & problem::REPLACEMENT != 0);
        if class & problem::LATIN != 0 {
            self.latin.push(i, len, false);
            self.open = true;
        } else if self.latin.chars > 0 {
            self.close_latin();
        }
        let common = class & problem::COMMON != 0;
        if class & problem::GBK_RUN != 0 {
            self.gbk.push(i, len, common);
            self.open = true;
        } else if self.gbk.chars > 0 {
            self.close_gbk();
        }
        if class & problem::BIG5_RUN != 0 {
            self.big5.push(i, len, common);
            self.open = true;
        } else if self.big5.chars > 0 {
            self.close_big5();
        }
    }

    fn close_all(&mut self) {
        self.close_latin();
        self.close_gbk();
        self.close_big5();
        self.open = false;
    }

    fn close_gbk(&mut self) {
        let run = std::mem::take(&mut self.gbk);
        if run.suspect() && legacy_mojibake(&self.text[run.start..run.end], encoding_rs::GBK) {
            self.mojibake.push(Mojibake {
                kind: MojibakeKind::Utf8AsGbk,
                range: run.start..run.end,
            });
        }
    }

    fn close_big5(&mut self) {
        let run = std::mem::take(&mut self.big5);
        let overlaps = self
            .mojibake
            .last()
            .is_some_and(|m| m.range.end > run.start);
        if run.suspect()
            && !overlaps
            && legacy_mojibake(&self.text[run.start..run.end], encoding_rs::BIG5)
        {
            self.mojibake.push(Mojibake {
                kind: MojibakeKind::Utf8AsBig5,
                range: run.start..run.end,
            });
        }
    }

    fn close_latin(&mut self) {
        let run = std::mem::take(&mut self.latin);
        if run.chars >= 2 {
            if let Some(kind) = latin_mojibake(&self.text[run.start..run.end]) {
                self.mojibake.push(Mojibake {
                    kind,
                    range: run.start..run.end,
                });
            }
        }
    }
}

/// A run of CJK characters is UTF-8 misread as `encoding` when re-encoding it gives valid UTF-8
/// (a last character may have lost its final byte) that decodes to CJK, and the run itself is
/// mostly uncommon characters (checked by the caller): real text in either script is mostly
/// common ones.
fn legacy_mojibake(span: &str, encoding: &'static encoding_rs::Encoding) -> bool {
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
fn latin_mojibake(span: &str) -> Option<MojibakeKind> {
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
fn gbk_punct(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("?!") else {
        return false;
    };
    after.starts_with("?/") || after.chars().next().is_some_and(classes::is_han)
}

/// `(xiàn)` after a Han character: 1 to 7 pinyin letters with at least one tone mark.
fn annotation(rest: &str) -> bool {
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
fn tag(rest: &[u8]) -> bool {
    let body = rest.get(1..).unwrap_or_default();
    let body = body.strip_prefix(b"/").unwrap_or(body);
    if !body.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let name_len = body
        .iter()
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
fn entity(rest: &[u8]) -> bool {
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
