//! Encoding detection, in order of evidence: byte-order mark; UTF-32 and UTF-16 code-unit
//! patterns; 7-bit escapes (ISO-2022-JP/KR, HZ); valid UTF-8; then statistics over the legacy
//! encodings (chardetng, checked against which characters each candidate decodes to), with GBK
//! promoted to gb18030 when four-byte sequences occur.

use super::classes::{self, Classes};
use super::encoding::Encoding;

/// How many bytes [`detect`] and [`EncodingDetector::new`] examine: 64 KiB.
pub const DEFAULT_LIMIT: usize = 64 * 1024;

/// Which evidence decided the encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A byte-order mark.
    Bom,
    /// Only ASCII bytes were seen (reported as UTF-8, which decodes them identically).
    Ascii,
    /// The bytes are valid UTF-8 with non-ASCII characters.
    Utf8,
    /// UTF-16 or UTF-32 code-unit patterns (NUL bytes, plausible code points).
    CodeUnits,
    /// 7-bit escape or shift sequences (ISO-2022-JP, ISO-2022-KR, HZ-GB-2312).
    Escapes,
    /// Statistics over the legacy encodings.
    Statistics,
    /// Nothing was examined (empty input).
    Empty,
}

/// The verdict of encoding detection.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Detection {
    /// The encoding to decode with.
    pub encoding: Encoding,
    /// How sure the detector is, in [0, 1]; calibrated so that verdicts at 0.9 or more were
    /// right at least 99% of the time on the evaluation set (docs/benchmarks/detect.md).
    pub confidence: f32,
    /// The input starts with the byte-order mark of `encoding`.
    pub bom: bool,
    /// What decided it.
    pub evidence: Evidence,
    /// How many bytes were examined.
    pub examined: usize,
    /// True if the input was longer than what was examined.
    pub truncated: bool,
}

/// Detects the encoding of `bytes` from their first [`DEFAULT_LIMIT`] bytes.
///
/// ```
/// use zhfix::detect::{detect, Encoding};
/// let (gbk, _, _) = encoding_rs::GBK.encode("中华人民共和国是工人阶级领导的社会主义国家。");
/// assert_eq!(detect(&gbk).encoding, Encoding::GBK);
/// assert_eq!(detect("中文".as_bytes()).encoding, Encoding::UTF_8);
/// ```
pub fn detect(bytes: &[u8]) -> Detection {
    let mut detector = EncodingDetector::new();
    detector.feed(bytes);
    detector.finish()
}

/// Detects the encoding of `bytes` looking at all of them.
pub fn detect_full(bytes: &[u8]) -> Detection {
    let mut detector = EncodingDetector::with_limit(usize::MAX);
    detector.feed(bytes);
    detector.finish()
}

/// A streaming encoding detector: [`feed`](Self::feed) chunks, then [`finish`](Self::finish).
///
/// It keeps at most the first 64 KiB; beyond that (up to its limit) it only updates streaming
/// checks (UTF-8 validity, four-byte GB18030 sequences, chardetng's statistics), so memory stays
/// bounded even with `usize::MAX` as the limit.
pub struct EncodingDetector {
    limit: usize,
    head: Vec<u8>,
    seen: usize,
    truncated: bool,
    utf8: Utf8Check,
    gb4: Gb4Check,
    chardetng: chardetng::EncodingDetector,
    /// chardetng and the four-byte GB18030 check are fed (see `without_statistics`).
    statistics: bool,
    non_ascii: usize,
}

impl Default for EncodingDetector {
    fn default() -> Self {
        Self::new()
    }
}

impl EncodingDetector {
    /// A detector that examines the first [`DEFAULT_LIMIT`] bytes.
    pub fn new() -> Self {
        Self::with_limit(DEFAULT_LIMIT)
    }

    /// A detector that examines the first `limit` bytes (`usize::MAX`: everything).
    pub fn with_limit(limit: usize) -> Self {
        EncodingDetector {
            limit,
            head: Vec::new(),
            seen: 0,
            truncated: false,
            utf8: Utf8Check::default(),
            gb4: Gb4Check::default(),
            chardetng: chardetng::EncodingDetector::new(),
            statistics: true,
            non_ascii: 0,
        }
    }

    /// Leaves out the streaming statistics over legacy encodings (chardetng and the GB18030
    /// four-byte check), most of the cost of reading everything: UTF-8 text is judged without
    /// them anyway. The verdict is the same as with them unless its evidence is
    /// [`Evidence::Statistics`]; then it comes from zhfix's own scoring of the first 64 KiB
    /// alone, and a caller that can read the input again should detect again with statistics
    /// (as `zhfix detect --full` does).
    ///
    /// ```
    /// use zhfix::detect::{Encoding, EncodingDetector, Evidence};
    /// let mut detector = EncodingDetector::with_limit(usize::MAX).without_statistics();
    /// detector.feed("中文".repeat(100_000).as_bytes());
    /// let detection = detector.finish();
    /// assert_eq!((detection.encoding, detection.evidence), (Encoding::UTF_8, Evidence::Utf8));
    /// ```
    pub fn without_statistics(mut self) -> Self {
        self.statistics = false;
        self
    }

    /// Feeds the next chunk. Returns false once the limit is reached and more input would be
    /// ignored (the caller may stop reading).
    pub fn feed(&mut self, chunk: &[u8]) -> bool {
        let room = self.limit - self.seen;
        if chunk.len() > room {
            self.truncated = true;
        }
        let chunk = &chunk[..chunk.len().min(room)];
        let keep = DEFAULT_LIMIT
            .saturating_sub(self.head.len())
            .min(chunk.len());
        self.head.extend_from_slice(&chunk[..keep]);
        self.seen += chunk.len();
        self.utf8.feed(chunk);
        self.non_ascii += chunk.iter().filter(|&&b| b >= 0x80).count();
        if self.statistics {
            self.gb4.feed(chunk);
            self.chardetng.feed(chunk, false);
        }
        self.seen < self.limit
    }

    /// The verdict.
    pub fn finish(mut self) -> Detection {
        self.chardetng.feed(&[], !self.truncated);
        let complete = !self.truncated;
        let head = &self.head[..];
        let (encoding, confidence, evidence) = if head.is_empty() {
            (Encoding::UTF_8, 0.5, Evidence::Empty)
        } else if let Some(e) = bom_encoding(head) {
            (e, 1.0, Evidence::Bom)
        } else if let Some((e, c)) = utf32_pattern(head, complete) {
            (e, c, Evidence::CodeUnits)
        } else if let Some((e, c)) = utf16_nul_pattern(head) {
            (e, c, Evidence::CodeUnits)
        } else if self.non_ascii == 0 {
            match escapes(head) {
                Some(e) => (e, 0.99, Evidence::Escapes),
                None => (Encoding::UTF_8, 0.6, Evidence::Ascii),
            }
        } else if self.utf8.valid(complete) {
            (
                Encoding::UTF_8,
                utf8_confidence(self.utf8.multibyte),
                Evidence::Utf8,
            )
        } else if let Some((e, c)) = utf16_plausible(head) {
            (e, c, Evidence::CodeUnits)
        } else {
            let (e, c) = self.statistics();
            (e, c, Evidence::Statistics)
        };
        let bom = encoding.bom().is_some_and(|b| self.head.starts_with(b));
        Detection {
            encoding,
            confidence,
            bom,
            evidence,
            examined: self.seen,
            truncated: self.truncated,
        }
    }

    fn statistics(&self) -> (Encoding, f32) {
        let mut encoding = if self.statistics {
            Encoding::from_encoding_rs(self.chardetng.guess(None, false))
        } else {
            Encoding::GBK
        };
        let candidates = [
            Encoding::GBK,
            Encoding::BIG5,
            Encoding::SHIFT_JIS,
            Encoding::EUC_JP,
            Encoding::EUC_KR,
            Encoding::JOHAB,
        ];
        let head = if self.truncated {
            trim_incomplete(&self.head)
        } else {
            &self.head[..]
        };
        // Each candidate's reading gives its score, Korean spacing (a bonus for the Korean
        // candidates), and whether a sign of Japanese or Korean is there (kana; a space
        // between two Hangul syllables or a common particle).
        let (scored, signs): (Vec<(Encoding, f32)>, Vec<bool>) = candidates
            .iter()
            .map(|&e| {
                let text = e.decode(head).0;
                let score = plausibility(e, &text);
                match e.name() {
                    "EUC-KR" | "Johab" => {
                        let (spaced, bonus) = korean_spacing(&text);
                        let sign =
                            spaced > 0 || text.chars().any(|c| classes::is_kana(c) || particle(c));
                        ((e, score + bonus), sign)
                    }
                    "Shift_JIS" | "EUC-JP" => ((e, score), text.chars().any(classes::is_kana)),
                    _ => ((e, score), false),
                }
            })
            .unzip();
        let own = scored
            .iter()
            .copied()
            .fold((encoding, f32::MIN), |a, b| if b.1 > a.1 { b } else { a });
        if !self.statistics {
            // No chardetng guess to overrule: the best score wins.
            encoding = own.0;
        }
        let theirs = scored
            .iter()
            .find(|(e, _)| *e == encoding)
            .map_or(f32::MIN, |s| s.1);
        if own.1 > theirs + MARGIN {
            encoding = own.0;
        }
        // An encoding the text declares (`<?xml ... encoding="euc-kr"?>`, `<meta charset=...>`)
        // wins when its reading is nearly as plausible as the best: pages are mislabeled
        // often enough that a declaration alone does not decide.
        let declared = declared_encoding(head)
            .and_then(|d| scored.iter().copied().find(|(e, _)| *e == d))
            .filter(|&(_, score)| score + DECLARED_MARGIN >= own.1);
        if let Some((d, _)) = declared {
            encoding = d;
        }
        // A tie between Chinese and a Japanese or Korean reading without a sign of its language
        // goes to Chinese: in short Chinese lines every pair of
        // GB2312 bytes is also a kanji or a Hangul syllable (`数据存储技巧` in EUC-JP is
        // `方象贋刈室派`, `恢复工具包` in EUC-KR `뿟릿묏야관`), and chardetng guessed those
        // for 11 of 404 single lines of the shared corpora encoded as GBK.
        if let Some(k) = candidates
            .iter()
            .position(|&e| e == encoding)
            .filter(|_| declared.is_none())
        {
            let chinese = scored
                .iter()
                .copied()
                .filter(|(e, _)| *e == Encoding::GBK || *e == Encoding::BIG5)
                .fold(
                    (Encoding::GBK, f32::MIN),
                    |a, b| if b.1 > a.1 { b } else { a },
                );
            if k >= 2 && !signs[k] && chinese.1 >= scored[k].1 {
                encoding = chinese.0;
            }
        }
        if encoding == Encoding::GBK && self.gb4.found {
            encoding = Encoding::GB18030;
        }
        let score = scored.iter().find(|(e, _)| {
            *e == encoding || (*e == Encoding::GBK && encoding == Encoding::GB18030)
        });
        let runner_up = scored
            .iter()
            .filter(|(e, _)| Some(*e) != score.map(|s| s.0))
            .map(|s| s.1)
            .fold(f32::MIN, f32::max);
        (
            encoding,
            statistics_confidence(self.non_ascii, score.map(|s| s.1), runner_up),
        )
    }
}

/// Korean separates words with spaces, Chinese and Japanese do not: in a Korean reading,
/// spaces between two Hangul syllables (or after `,`/`.` between them), per syllable, are
/// about 0.3 in Korean text and 0 in Chinese bytes read as Korean (whose spaces stand next to
/// quotation marks and ASCII words, not between syllables). Returns how many such spaces there
/// are and a score bonus for the Korean candidates (0 to 0.5).
fn korean_spacing(text: &str) -> (usize, f32) {
    let chars: Vec<char> = text.chars().collect();
    let syllable = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    let syllables = chars.iter().filter(|&&c| syllable(c)).count();
    let spaced = chars
        .windows(3)
        .filter(|w| syllable(w[0]) && w[1] == ' ' && syllable(w[2]))
        .count()
        + chars
            .windows(4)
            .filter(|w| {
                syllable(w[0]) && matches!(w[1], ',' | '.') && w[2] == ' ' && syllable(w[3])
            })
            .count();
    if syllables < 12 || spaced < 2 {
        return (spaced, 0.0);
    }
    // Per byte of the syllables, as the score is.
    let ratio = spaced as f32 / (2 * syllables) as f32;
    (spaced, ((ratio - 0.03) * 10.0).clamp(0.0, 0.5))
}

/// How much less plausible than the best reading a declared encoding may be and still win.
const DECLARED_MARGIN: f32 = 0.25;

/// The encoding an XML declaration or an HTML `charset` in the first KiB names, if any.
fn declared_encoding(head: &[u8]) -> Option<Encoding> {
    let head = &head[..head.len().min(1024)];
    for key in [&b"encoding="[..], &b"charset="[..]] {
        let Some(at) = head
            .windows(key.len())
            .position(|w| w.eq_ignore_ascii_case(key))
        else {
            continue;
        };
        let rest = &head[at + key.len()..];
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
            .count();
        if let Some(e) = encoding_rs::Encoding::for_label(&rest[..len]) {
            return Some(Encoding::from_encoding_rs(e));
        }
    }
    None
}

/// The commonest Korean particles and endings, one syllable each: nearly every Korean phrase
/// has one (`초심으로`), Chinese bytes read as Korean rarely (`뿟릿묏야관`).
fn particle(c: char) -> bool {
    "이가은는을를의에로다하고서도와과한지게요".contains(c)
}

/// How much better (per non-ASCII byte) a candidate must score to overrule chardetng.
const MARGIN: f32 = 0.1;

fn utf8_confidence(multibyte: usize) -> f32 {
    match multibyte {
        0 => 0.6,
        1 => 0.8,
        2..=3 => 0.95,
        _ => 0.99,
    }
}

fn statistics_confidence(non_ascii: usize, score: Option<f32>, runner_up: f32) -> f32 {
    let amount = 1.0 - (-(non_ascii as f32) / 40.0).exp();
    match score {
        Some(s) => {
            let margin = (s - runner_up).clamp(0.0, 1.0);
            (0.3 + 0.4 * amount + 0.3 * margin).min(0.99)
        }
        None => 0.3 + 0.3 * amount,
    }
}

fn bom_encoding(head: &[u8]) -> Option<Encoding> {
    if head.starts_with(b"\xEF\xBB\xBF") {
        Some(Encoding::UTF_8)
    } else if head.starts_with(b"\xFF\xFE\x00\x00") && utf32_valid(head, false, false) {
        Some(Encoding::UTF_32LE)
    } else if head.starts_with(b"\x00\x00\xFE\xFF") {
        Some(Encoding::UTF_32BE)
    } else if head.starts_with(b"\xFF\xFE") {
        Some(Encoding::UTF_16LE)
    } else if head.starts_with(b"\xFE\xFF") {
        Some(Encoding::UTF_16BE)
    } else {
        None
    }
}

fn utf32_valid(head: &[u8], big_endian: bool, complete: bool) -> bool {
    if complete && head.len() % 4 != 0 {
        return false;
    }
    head.chunks_exact(4).all(|c| {
        let v = if big_endian {
            u32::from_be_bytes([c[0], c[1], c[2], c[3]])
        } else {
            u32::from_le_bytes([c[0], c[1], c[2], c[3]])
        };
        char::from_u32(v).is_some()
    })
}

/// UTF-32 without a BOM: every unit a valid code point, and most units below U+10000 with a zero
/// high half, which no other text encoding produces at 4-byte alignment.
fn utf32_pattern(head: &[u8], complete: bool) -> Option<(Encoding, f32)> {
    if head.len() < 8 {
        return None;
    }
    for (big_endian, encoding) in [(false, Encoding::UTF_32LE), (true, Encoding::UTF_32BE)] {
        let high_zero = head
            .chunks_exact(4)
            .filter(|c| {
                if big_endian {
                    c[0] == 0 && c[1] == 0
                } else {
                    c[2] == 0 && c[3] == 0
                }
            })
            .count();
        if high_zero * 10 >= (head.len() / 4) * 9 && utf32_valid(head, big_endian, complete) {
            return Some((encoding, 0.99));
        }
    }
    None
}

/// UTF-16 without a BOM, from NUL bytes: ASCII and Latin text put a zero in the high byte of
/// most code units, always on the same side.
fn utf16_nul_pattern(head: &[u8]) -> Option<(Encoding, f32)> {
    let units = head.len() / 2;
    if units < 2 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let (encoding, zeros, other) = if odd > even {
        (Encoding::UTF_16LE, odd, even)
    } else {
        (Encoding::UTF_16BE, even, odd)
    };
    if zeros * 5 < units || other * 20 > zeros {
        return None;
    }
    utf16_valid(encoding, head).then_some((encoding, 0.98))
}

fn utf16_units(encoding: Encoding, head: &[u8]) -> impl Iterator<Item = u16> + '_ {
    let big_endian = encoding == Encoding::UTF_16BE;
    head.chunks_exact(2).map(move |c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    })
}

/// No unpaired surrogates (a high surrogate at the very end may be cut by the prefix).
fn utf16_valid(encoding: Encoding, head: &[u8]) -> bool {
    let units: Vec<u16> = utf16_units(encoding, head).collect();
    let mut decoded = char::decode_utf16(units.iter().copied()).peekable();
    let mut seen = 0;
    while let Some(r) = decoded.next() {
        match r {
            Ok(c) => seen += c.len_utf16(),
            Err(_) => return decoded.peek().is_none() && seen + 1 == units.len(),
        }
    }
    true
}

/// UTF-16 without a BOM and without NUL bytes (e.g. Chinese with no ASCII at all): nearly every
/// code unit must be a common CJK character, kana, Hangul or CJK punctuation in one byte order.
fn utf16_plausible(head: &[u8]) -> Option<(Encoding, f32)> {
    let classes = Classes::get();
    let units = head.len() / 2;
    if units < 4 {
        return None;
    }
    for encoding in [Encoding::UTF_16LE, Encoding::UTF_16BE] {
        if !utf16_valid(encoding, head) {
            continue;
        }
        let good = utf16_units(encoding, head)
            .filter(|&u| {
                char::from_u32(u32::from(u)).is_some_and(|c| classes::plausible(classes, c))
            })
            .count();
        if good * 100 >= units * 95 {
            return Some((encoding, 0.9));
        }
    }
    None
}

/// Escape-based 7-bit encodings, recognized by their shift sequences.
fn escapes(head: &[u8]) -> Option<Encoding> {
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if has(b"\x1B$)C") && head.contains(&0x0E) {
        return Some(Encoding::ISO_2022_KR);
    }
    if has(b"\x1B$B") || has(b"\x1B$@") || has(b"\x1B(J") || has(b"\x1B$(D") {
        return Some(Encoding::ISO_2022_JP);
    }
    if has(b"~{") {
        // Decoded as a prefix (`last == false`): the input may stop inside a `~{` section.
        let mut text = String::new();
        let errors = Encoding::HZ_GB_2312
            .new_decoder()
            .decode_to_string(head, &mut text, false);
        if !errors && text.chars().filter(|c| classes::is_han(*c)).count() >= 2 {
            return Some(Encoding::HZ_GB_2312);
        }
    }
    None
}

/// How much a candidate's reading `text` looks like text in its language, per non-ASCII byte:
/// common characters of the encoding's own language score, malformed bytes and rare characters
/// cost.
fn plausibility(encoding: Encoding, text: &str) -> f32 {
    use super::classes::{BIG5, BIG5_LEVEL1, GB2312, GB_LEVEL1, JIS_LEVEL1, JIS_X_0208, KS_X_1001};
    let classes = Classes::get();
    let mut score = 0.0f32;
    let mut weight = 0usize;
    let mut prev = ' ';
    for c in text.chars() {
        let before = std::mem::replace(&mut prev, c);
        if c.is_ascii() {
            continue;
        }
        let class = classes.of(c);
        let len = encoded_len(encoding, c);
        weight += len;
        let per_char = match encoding.name() {
            "GBK" => tier(class, GB_LEVEL1, GB2312, c),
            "Big5" => tier(class, BIG5_LEVEL1, BIG5, c),
            "Shift_JIS" | "EUC-JP" => {
                if small_kana(c) && !classes::is_kana(before) {
                    // Small ゃ ゅ ょ and vowels only follow a kana syllable.
                    -1.0
                } else if classes::is_kana(c) && !('\u{FF61}'..='\u{FF9F}').contains(&c) {
                    // Kana are the surest sign of Japanese; worth a little more than a kanji.
                    1.2
                } else {
                    tier(class, JIS_LEVEL1, JIS_X_0208, c)
                }
            }
            _ => {
                if classes::is_hangul(c) && class & KS_X_1001 != 0 {
                    1.0
                } else if classes::is_han(c) {
                    // Hanja are rare in modern Korean text.
                    tier(class, 0, KS_X_1001, c) - 0.3
                } else {
                    tier(class, 0, KS_X_1001, c)
                }
            }
        };
        score += per_char * len as f32;
    }
    if weight == 0 {
        0.0
    } else {
        score / weight as f32
    }
}

/// Small kana that modify the syllable before them (not the geminating っ/ッ).
fn small_kana(c: char) -> bool {
    matches!(
        c,
        'ぁ' | 'ぃ'
            | 'ぅ'
            | 'ぇ'
            | 'ぉ'
            | 'ゃ'
            | 'ゅ'
            | 'ょ'
            | 'ァ'
            | 'ィ'
            | 'ゥ'
            | 'ェ'
            | 'ォ'
            | 'ャ'
            | 'ュ'
            | 'ョ'
    )
}

fn tier(class: u16, common: u16, known: u16, c: char) -> f32 {
    if c == '\u{FFFD}' {
        -3.0
    } else if class & common != 0 || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}')
    {
        1.0
    } else if class & known != 0 && matches!(c, '\u{2010}'..='\u{27BF}') {
        // Punctuation, arrows, box drawing, blocks, shapes: DOS-era text is full of them.
        0.6
    } else if class & known != 0 {
        0.3
    } else {
        -1.0
    }
}

/// Bytes per character in the candidate encoding, approximated: one for ASCII and half-width
/// katakana, two otherwise.
fn encoded_len(encoding: Encoding, c: char) -> usize {
    if ('\u{FF61}'..='\u{FF9F}').contains(&c) && encoding == Encoding::SHIFT_JIS {
        1
    } else {
        2
    }
}

/// Drops up to three trailing bytes that may be the start of a cut multi-byte character.
fn trim_incomplete(head: &[u8]) -> &[u8] {
    let keep = head.len()
        - head
            .iter()
            .rev()
            .take(3)
            .take_while(|&&b| b >= 0x80)
            .count();
    if keep == 0 {
        head
    } else {
        &head[..keep]
    }
}

/// Streaming UTF-8 validation that tolerates a character cut at a chunk boundary.
#[derive(Default)]
struct Utf8Check {
    invalid: bool,
    carry: Vec<u8>,
    multibyte: usize,
}

impl Utf8Check {
    fn feed(&mut self, mut chunk: &[u8]) {
        if self.invalid {
            return;
        }
        while !self.carry.is_empty() && !chunk.is_empty() {
            self.carry.push(chunk[0]);
            chunk = &chunk[1..];
            match std::str::from_utf8(&self.carry) {
                Ok(_) => {
                    self.carry.clear();
                    self.multibyte += 1;
                }
                Err(e) if e.error_len().is_none() => {}
                Err(_) => {
                    self.invalid = true;
                    return;
                }
            }
        }
        let valid = match crate::utf8::to_str(chunk) {
            Ok(_) => chunk.len(),
            Err(e) if e.incomplete => {
                self.carry.extend_from_slice(&chunk[e.valid_up_to..]);
                e.valid_up_to
            }
            Err(_) => {
                self.invalid = true;
                return;
            }
        };
        self.multibyte += chunk[..valid].iter().filter(|&&b| b >= 0xC0).count();
    }

    /// Valid so far. A character cut at the very end is forgiven when the input was cut
    /// (truncated by the limit), and also when it was not but there are other multi-byte
    /// characters: files cut with `head -c` are common, legacy bytes rarely look like that.
    fn valid(&self, complete: bool) -> bool {
        !self.invalid && (self.carry.is_empty() || !complete || self.multibyte >= 2)
    }
}

/// Finds GB18030 four-byte sequences (lead, digit, lead, digit) while walking GBK pairs.
#[derive(Default)]
struct Gb4Check {
    state: u8,
    found: bool,
}

impl Gb4Check {
    fn feed(&mut self, chunk: &[u8]) {
        if self.found {
            return;
        }
        for &b in chunk {
            self.state = match (self.state, b) {
                (0, 0x81..=0xFE) => 1,
                (0, _) => 0,
                (1, 0x30..=0x39) => 2,
                (1, _) => 0,
                (2, 0x81..=0xFE) => 3,
                (2, _) => 0,
                (3, 0x30..=0x39) => {
                    self.found = true;
                    return;
                }
                _ => 0,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
        encoding.encode(text).0.into_owned()
    }

    const ZH: &str =
        "中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。";
    const TW: &str = "中華民國憲法第一條規定，中華民國基於三民主義，為民有民治民享之民主共和國。";
    const JA: &str = "日本語の文章は、ひらがなとカタカナと漢字で書かれています。";
    const KO: &str = "대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 나온다.";

    #[test]
    fn legacy_encodings() {
        assert_eq!(
            detect(&encode(encoding_rs::GBK, ZH)).encoding,
            Encoding::GBK
        );
        assert_eq!(
            detect(&encode(encoding_rs::BIG5, TW)).encoding,
            Encoding::BIG5
        );
        assert_eq!(
            detect(&encode(encoding_rs::SHIFT_JIS, JA)).encoding,
            Encoding::SHIFT_JIS
        );
        assert_eq!(
            detect(&encode(encoding_rs::EUC_JP, JA)).encoding,
            Encoding::EUC_JP
        );
        assert_eq!(
            detect(&encode(encoding_rs::EUC_KR, KO)).encoding,
            Encoding::EUC_KR
        );
        let mut gb = encode(encoding_rs::GB18030, ZH);
        gb.extend_from_slice(&encode(encoding_rs::GB18030, "€𠀀"));
        assert_eq!(detect(&gb).encoding, Encoding::GB18030);
    }

    /// Single lines of technical Chinese: every pair of GB2312 bytes also reads as a kanji or
    /// a Hangul syllable, and chardetng guessed EUC-JP or EUC-KR for these.
    #[test]
    fn short_chinese_lines() {
        for line in [
            "    9.6. 数据存储技巧\n",
            "    |gzrt         |V:0, |33  |gzip 恢复工具包                    \n",
            "     3. 按下 “l”，并输入 “~i(~R~i|~Rrecommends:~i)” 来限制软件包的显\n",
            "    档案库元数据的更新。URL 可以是“http://” 、“ftp://” 、 “file://”\n",
        ] {
            assert_eq!(
                detect(&encode(encoding_rs::GBK, line)).encoding,
                Encoding::GBK,
                "{line}"
            );
        }
        // A short Korean line keeps its reading by a common particle, a declared encoding
        // decides a near tie.
        assert_eq!(
            detect(&encode(encoding_rs::EUC_KR, "초심으로")).encoding,
            Encoding::EUC_KR
        );
        let mut xml = b"<?xml version=\"1.0\" encoding=\"euc-kr\" ?><title>".to_vec();
        xml.extend(encode(encoding_rs::EUC_KR, "리카넷"));
        assert_eq!(detect(&xml).encoding, Encoding::EUC_KR);
    }

    #[test]
    fn unicode_without_bom() {
        let le: Vec<u8> = ZH.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = ZH.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect(&le).encoding, Encoding::UTF_16LE);
        assert_eq!(detect(&be).encoding, Encoding::UTF_16BE);
        let ascii_le: Vec<u8> = "Hello, world"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(detect(&ascii_le).encoding, Encoding::UTF_16LE);
        let u32be: Vec<u8> = ZH.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
        assert_eq!(detect(&u32be).encoding, Encoding::UTF_32BE);
        assert_eq!(detect(ZH.as_bytes()).encoding, Encoding::UTF_8);
    }

    #[test]
    fn boms_and_escapes() {
        let d = detect(b"\xFF\xFE\x41\x00");
        assert_eq!(
            (d.encoding, d.bom, d.evidence),
            (Encoding::UTF_16LE, true, Evidence::Bom)
        );
        assert!(detect(b"\xEF\xBB\xBFabc").bom);
        assert_eq!(
            detect(b"~{<:Ky2;S{#,NpJ)l6HK!#~}").encoding,
            Encoding::HZ_GB_2312
        );
        assert_eq!(
            detect(b"\x1B$B$3$s$K$A$O\x1B(B").encoding,
            Encoding::ISO_2022_JP
        );
        assert_eq!(detect(b"plain").evidence, Evidence::Ascii);
        assert_eq!(detect(b"").evidence, Evidence::Empty);
    }

    #[test]
    fn streaming_equals_one_shot() {
        let gbk = encode(encoding_rs::GBK, ZH);
        let mut d = EncodingDetector::new();
        for chunk in gbk.chunks(3) {
            d.feed(chunk);
        }
        assert_eq!(d.finish(), detect(&gbk));
        let mut d = EncodingDetector::with_limit(10);
        assert!(!d.feed(ZH.as_bytes()));
        let v = d.finish();
        assert!(v.truncated && v.examined == 10 && v.encoding == Encoding::UTF_8);
    }

    #[test]
    fn no_panics_on_odd_input() {
        for bytes in [
            &b"\x00"[..],
            b"\xFF",
            b"\xFE\xFF\xD8",
            b"\x00\x00\xFE\xFF\x00",
            b"~{",
            b"\x1B$)C",
        ] {
            let _ = detect(bytes);
            let _ = detect_full(bytes);
        }
    }
}
