//! Script detection: is Chinese text Simplified, Traditional, or a mix of both?
//!
//! Each Han character is looked up in a class table compiled from OpenCC's character tables:
//! *simplified-only* (a Simplified form that always changes when converted to Traditional, such
//! as `发`), *traditional-only* (such as `們`), or *common* (the same in both, such as `中`).
//! The verdict weighs the two kinds of evidence; `mixed` needs both kinds in real numbers, so one
//! stray character (a quoted name) does not make a document mixed.

use std::borrow::Cow;
use std::ops::Range;

use crate::convert::{Config, Converter};

use super::classes::{self, small, Classes};
use super::phrases::PhraseCounts;
use super::scan::Scanner;

/// The script of a text or a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Script {
    /// Simplified Chinese (characters only Simplified has, and none only Traditional has).
    Simplified,
    /// Traditional Chinese.
    Traditional,
    /// Both kinds really present, e.g. half-converted text.
    Mixed,
    /// No evidence either way: no Han characters, or only characters common to both scripts.
    None,
}

impl Script {
    /// The name used in reports: `simplified`, `traditional`, `mixed` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Script::Simplified => "simplified",
            Script::Traditional => "traditional",
            Script::Mixed => "mixed",
            Script::None => "none",
        }
    }
}

/// A regional hint the text itself shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    /// Traditional text with Taiwan variant forms (`裡`, `麵`) or Taiwan terms (`軟體`, `程式`).
    Taiwan,
    /// Traditional text with Hong Kong variant forms (`衞`, `説`) or Hong Kong terms.
    HongKong,
    /// Traditional text whose regional terms are the mainland's (`軟件`, `數據庫`), over ten
    /// times its Taiwan and Hong Kong evidence: mainland text converted to Traditional script
    /// (with `s2t`, or with `s2tw`, which changes only character forms).
    Mainland,
    /// Japanese: kana, or shinjitai forms such as `両`.
    Japan,
}

impl Region {
    /// The BCP 47 region-ish code used in reports: `TW`, `HK`, `CN` or `JP`.
    pub fn code(self) -> &'static str {
        match self {
            Region::Taiwan => "TW",
            Region::HongKong => "HK",
            Region::Mainland => "CN",
            Region::Japan => "JP",
        }
    }
}

/// What [`detect_script`] found, with the counts behind the verdict.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptReport {
    /// The verdict.
    pub script: Script,
    /// Han characters found only in Simplified Chinese.
    pub simplified: usize,
    /// Han characters found only in Traditional Chinese.
    pub traditional: usize,
    /// Han characters common to both scripts.
    pub common: usize,
    /// Taiwan variant forms (`裡`, `麵`; not forms OpenCC's standard Traditional also writes).
    pub taiwan: usize,
    /// Hong Kong variant forms (`衞`, `説`).
    pub hong_kong: usize,
    /// Taiwan terms (`軟體`, `資料庫`, `程式`), from OpenCC's `TWPhrases`.
    pub taiwan_phrases: usize,
    /// Hong Kong terms (`私隱權`), from OpenCC's `HKPhrases`.
    pub hong_kong_phrases: usize,
    /// Terms Taiwan and Hong Kong share (`滑鼠`, `伺服器`).
    pub shared_phrases: usize,
    /// Mainland terms in Traditional script (`軟件`, `數據庫`, `網絡`): the terms the regional
    /// phrase tables replace.
    pub mainland_phrases: usize,
    /// Kana and Japanese-only (shinjitai) forms.
    pub japanese: usize,
    /// Hangul syllables and jamo.
    pub hangul: usize,
    /// Characters of the other script hiding as common ones: how many characters the
    /// conversion *into* the majority script would still change (e.g. `終于` in Traditional
    /// text, which OpenCC's phrases make `終於`). Counted over the first 8 KiB.
    pub leftovers: usize,
    /// The region the text points to, if it points to one.
    pub region: Option<Region>,
}

impl ScriptReport {
    /// All Han characters counted.
    pub fn han(&self) -> usize {
        self.simplified + self.traditional + self.common
    }

    /// Share of Han characters that exist only in Simplified Chinese (0 without Han).
    pub fn simplified_share(&self) -> f32 {
        share(self.simplified, self.han())
    }

    /// Share of Han characters that exist only in Traditional Chinese.
    pub fn traditional_share(&self) -> f32 {
        share(self.traditional, self.han())
    }

    /// Share of Han characters common to both scripts.
    pub fn common_share(&self) -> f32 {
        share(self.common, self.han())
    }
}

fn share(part: usize, whole: usize) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

/// Counts gathered over a text or a piece of it.
#[derive(Clone, Copy, Default)]
pub(crate) struct Tally {
    pub(crate) simplified: usize,
    pub(crate) traditional: usize,
    pub(crate) common: usize,
    pub(crate) taiwan: usize,
    pub(crate) hong_kong: usize,
    pub(crate) japanese: usize,
    pub(crate) hangul: usize,
}

impl Tally {
    #[inline]
    pub(crate) fn add_class(&mut self, class: u8, n: usize) {
        if class & small::HAN != 0 {
            match class & (small::SIMPLIFIED | small::TRADITIONAL) {
                small::SIMPLIFIED => self.simplified += n,
                small::TRADITIONAL => self.traditional += n,
                _ => self.common += n,
            }
            self.taiwan += if class & small::TW != 0 { n } else { 0 };
            self.hong_kong += if class & small::HK != 0 { n } else { 0 };
        }
        self.japanese += if class & small::JAPANESE != 0 { n } else { 0 };
        self.hangul += if class & small::HANGUL != 0 { n } else { 0 };
    }

    /// The document verdict: the minority script must be at least two characters and a tenth
    /// of the evidence before the text counts as mixed.
    fn script(&self) -> Script {
        let (s, t) = (self.simplified, self.traditional);
        let minority = s.min(t);
        if s + t == 0 {
            Script::None
        } else if minority >= 2 && minority * 10 >= s + t {
            Script::Mixed
        } else if s >= t {
            Script::Simplified
        } else {
            Script::Traditional
        }
    }

    /// The span verdict: any evidence of both kinds makes a sentence mixed, because converting
    /// it to either script must then touch it.
    fn span_script(&self) -> Script {
        match (self.simplified > 0, self.traditional > 0) {
            (false, false) => Script::None,
            (true, false) => Script::Simplified,
            (false, true) => Script::Traditional,
            (true, true) => Script::Mixed,
        }
    }

    /// The region hint (see docs/detect.md): Japanese by kana; for Traditional text, Taiwan or
    /// Hong Kong by their variant forms and terms, mainland by its terms.
    fn region(&self, phrases: &PhraseCounts) -> Option<Region> {
        let han = self.simplified + self.traditional + self.common;
        if self.japanese >= 2 && self.japanese * 20 >= han.max(1) {
            return Some(Region::Japan);
        }
        if self.traditional <= self.simplified {
            return None;
        }
        let taiwan = self.taiwan + phrases.taiwan;
        let hong_kong = self.hong_kong + phrases.hong_kong;
        let mainland = phrases.mainland;
        // Mainland text converted with `s2t` matches a few Taiwan terms by accident (`命令列` in
        // `命令列表`): under 1% of its regional terms. Taiwan needs a tenth.
        if taiwan >= 2 && taiwan >= 2 * hong_kong && (taiwan + phrases.shared) * 10 >= mainland {
            Some(Region::Taiwan)
        } else if hong_kong >= 2 && hong_kong >= 2 * taiwan {
            Some(Region::HongKong)
        } else if mainland >= 3 && mainland > 10 * (taiwan + hong_kong + phrases.shared) {
            Some(Region::Mainland)
        } else {
            None
        }
    }
}

/// Detects the script of a text: Simplified, Traditional, mixed or none, with the counts.
///
/// ```
/// use zhfix::detect::{detect_script, Script};
/// assert_eq!(detect_script("我们的头发").script, Script::Simplified);
/// assert_eq!(detect_script("我們的頭髮").script, Script::Traditional);
/// assert_eq!(detect_script("hello").script, Script::None);
/// ```
pub fn detect_script(text: &str) -> ScriptReport {
    let mut scanner = Scanner::new();
    scanner.scan::<true, false>(text, 0, 0, text.len());
    let (tally, phrases) = scanner.script_counts();
    report(text, tally, phrases)
}

/// [`detect_script`] and [`scan_problems`](super::scan_problems) in one pass over the text:
/// the same results, faster than the two calls.
///
/// ```
/// use zhfix::detect::{analyze, detect_script, scan_problems};
/// let text = "這是繁體中文，產(chǎn)品。";
/// let (script, problems) = analyze(text);
/// assert_eq!(script, detect_script(text));
/// assert_eq!(problems, scan_problems(text));
/// ```
pub fn analyze(text: &str) -> (ScriptReport, super::Problems) {
    let mut scanner = Scanner::new();
    scanner.scan::<true, true>(text, 0, 0, text.len());
    scanner.close(text, 0, text.len());
    let (tally, phrases) = scanner.script_counts();
    (report(text, tally, phrases), scanner.problems())
}

/// The report on a text from its counts; `sample` is the text, or at least its first
/// [`LEFTOVER_SAMPLE`] bytes.
pub(crate) fn report(sample: &str, tally: Tally, phrases: PhraseCounts) -> ScriptReport {
    let mut script = tally.script();
    let leftovers = leftovers(sample, script);
    let han = tally.simplified + tally.traditional + tally.common;
    if leftovers >= MIN_LEFTOVERS && leftovers * 100 >= han.min(LEFTOVER_SAMPLE / 3) {
        script = Script::Mixed;
    }
    ScriptReport {
        script,
        leftovers,
        simplified: tally.simplified,
        traditional: tally.traditional,
        common: tally.common,
        taiwan: tally.taiwan,
        hong_kong: tally.hong_kong,
        japanese: tally.japanese,
        hangul: tally.hangul,
        taiwan_phrases: phrases.taiwan,
        hong_kong_phrases: phrases.hong_kong,
        shared_phrases: phrases.shared,
        mainland_phrases: phrases.mainland,
        region: tally.region(&phrases),
    }
}

/// How much of the text [`leftovers`] looks at, in bytes.
pub(crate) const LEFTOVER_SAMPLE: usize = 8 * 1024;
/// Leftovers that make a text mixed: at least this many, and at least 1% of the Han characters
/// (clean Traditional corpora measure 0.06%, the half-converted seed sample 1.9%).
const MIN_LEFTOVERS: usize = 3;

/// Characters the conversion into the majority script would change, over the first
/// [`LEFTOVER_SAMPLE`] bytes (cut back to a character boundary).
fn leftovers(text: &str, script: Script) -> usize {
    let config = match script {
        Script::Simplified => Config::T2s,
        Script::Traditional => Config::S2t,
        _ => return 0,
    };
    let mut end = text.len().min(LEFTOVER_SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    match Converter::new(config).convert(sample) {
        Cow::Borrowed(_) => 0,
        Cow::Owned(converted) => changed_chars(sample, &converted),
    }
}

/// How many characters differ between a text and its conversion, character by character
/// (conversions keep the number of characters); equal stretches are skipped byte-wise.
fn changed_chars(a: &str, b: &str) -> usize {
    let (mut i, mut j, mut changed) = (0, 0, 0);
    loop {
        let same = a.as_bytes()[i..]
            .iter()
            .zip(&b.as_bytes()[j..])
            .take_while(|(x, y)| x == y)
            .count();
        // Back to the start of the character where they differ (the same in both).
        let mut k = same;
        while !a.is_char_boundary(i + k) || !b.is_char_boundary(j + k) {
            k -= 1;
        }
        (i, j) = (i + k, j + k);
        match (a[i..].chars().next(), b[j..].chars().next()) {
            (Some(x), Some(y)) => {
                changed += usize::from(x != y);
                (i, j) = (i + x.len_utf8(), j + y.len_utf8());
            }
            _ => return changed,
        }
    }
}

/// Calls `f(start, end, class)` for each non-ASCII character, and for ASCII sentence ends
/// (`\n`, `!`, `?`, `;`) with class 0. Decodes three-byte sequences (all of CJK) inline.
#[inline]
fn for_each_class(text: &str, mut f: impl FnMut(usize, usize, u8)) {
    let bmp = classes::small_table();
    let classes = Classes::get();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if matches!(b, b'\n' | b'!' | b'?' | b';') {
                f(i, i + 1, 0);
            }
            i += 1;
            while i < bytes.len()
                && bytes[i] < 0x80
                && !matches!(bytes[i], b'\n' | b'!' | b'?' | b';')
            {
                i += 1;
            }
        } else if (0xE0..0xF0).contains(&b) && i + 2 < bytes.len() {
            let cp = usize::from(b & 0x0F) << 12
                | usize::from(bytes[i + 1] & 0x3F) << 6
                | usize::from(bytes[i + 2] & 0x3F);
            f(i, i + 3, bmp.get(cp).copied().unwrap_or(0));
            i += 3;
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            f(i, i + c.len_utf8(), classes::small_class(bmp, classes, c));
            i += c.len_utf8();
        }
    }
}

/// A stretch of text in one script; spans from [`script_spans`] cover the text end to end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptSpan {
    /// Byte offsets into the text.
    pub range: Range<usize>,
    /// `Simplified`, `Traditional`, `Mixed` (both kinds in one sentence) or `None`.
    pub script: Script,
}

/// Sentence ends: spans change script only here, so conversion keeps whole phrases together.
fn ends_sentence(encoded: &[u8]) -> bool {
    // `\n ! ? ;` and `。 ！ ？ ； … ．` in UTF-8.
    matches!(
        encoded,
        b"\n"
            | b"!"
            | b"?"
            | b";"
            | [0xE3, 0x80, 0x82]
            | [0xEF, 0xBC, 0x81]
            | [0xEF, 0xBC, 0x9F]
            | [0xEF, 0xBC, 0x9B]
            | [0xE2, 0x80, 0xA6]
            | [0xEF, 0xBC, 0x8E]
    )
}

/// Splits a text into spans of one script each, sentence by sentence.
///
/// Each sentence is classified by its own evidence; a sentence with both kinds is `Mixed` (a
/// target-script conversion must convert it whichever the target). Sentences without evidence
/// join the span before them (or the first span after them at the start of the text), and
/// neighbours with the same script merge. `fix --to` converts each span according to its script.
///
/// ```
/// use zhfix::detect::{script_spans, Script};
/// let text = "我们的头发。我們的頭髮。";
/// let spans = script_spans(text);
/// assert_eq!(spans.len(), 2);
/// assert_eq!(spans[0].script, Script::Simplified);
/// assert_eq!(&text[spans[1].range.clone()], "我們的頭髮。");
/// ```
pub fn script_spans(text: &str) -> Vec<ScriptSpan> {
    let bytes = text.as_bytes();
    let mut spans: Vec<ScriptSpan> = Vec::new();
    let mut start = 0;
    let mut tally = Tally::default();
    for_each_class(text, |i, end, class| {
        tally.add_class(class, 1);
        if ends_sentence(&bytes[i..end]) {
            push_span(&mut spans, start..end, tally.span_script());
            start = end;
            tally = Tally::default();
        }
    });
    if start < text.len() {
        push_span(&mut spans, start..text.len(), tally.span_script());
    }
    spans
}

fn push_span(spans: &mut Vec<ScriptSpan>, range: Range<usize>, script: Script) {
    match spans.last_mut() {
        Some(last) if last.script == script || script == Script::None => last.range.end = range.end,
        Some(last) if last.script == Script::None => {
            last.range.end = range.end;
            last.script = script;
        }
        _ => spans.push(ScriptSpan { range, script }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts() {
        assert_eq!(detect_script("").script, Script::None);
        assert_eq!(detect_script("中文").script, Script::None);
        assert_eq!(detect_script("这是简体中文").script, Script::Simplified);
        assert_eq!(detect_script("這是繁體中文").script, Script::Traditional);
        // One stray Simplified character in Traditional text is not a mix.
        assert_eq!(
            detect_script("這是繁體中文，我們說過很多遍了，发").script,
            Script::Traditional
        );
        assert_eq!(
            detect_script("这是简体中文這是繁體中文").script,
            Script::Mixed
        );
        // Half-converted: every character exists in Traditional text, but the phrases do not.
        let half = "我們終于到了，之后再說。他終于來了，之后再去。終于完成，之后休息。";
        let r = detect_script(half);
        assert_eq!((r.script, r.simplified), (Script::Mixed, 0));
        assert!(r.leftovers >= 3);
    }

    #[test]
    fn counts_and_shares() {
        let r = detect_script("这是中文");
        assert_eq!((r.simplified, r.traditional, r.common), (1, 0, 3));
        assert!((r.simplified_share() - 0.25).abs() < 1e-6);
        assert_eq!(detect_script("").common_share(), 0.0);
    }

    #[test]
    fn regions() {
        assert_eq!(
            detect_script("ひらがなとカタカナの文章です").region,
            Some(Region::Japan)
        );
        assert_eq!(detect_script("這是簡體中文").region, None);
        assert_eq!(
            detect_script("這裡的麵很好吃，我們著手處理。").region,
            Some(Region::Taiwan)
        );
        assert_eq!(
            detect_script("衞生署説明，市民應注意個人衞生。").region,
            Some(Region::HongKong)
        );
        assert_eq!(detect_script("我們的頭髮很長。").region, None);
    }

    #[test]
    fn regions_from_terms() {
        // Taiwan terms alone, no Taiwan variant form.
        let tw = detect_script("我們用這個軟體的程式存取資料庫，網路也很快。");
        assert_eq!((tw.taiwan, tw.taiwan_phrases), (0, 5)); // 軟體 程式 存取 資料庫 網路
        assert_eq!(tw.region, Some(Region::Taiwan));
        // Mainland terms in Traditional script (mainland text converted with `s2t`).
        let cn = detect_script("這個軟件的數據庫在網絡上運行，用戶可以用鼠標點擊。");
        assert_eq!(cn.mainland_phrases, 7); // 軟件 數據庫 網絡 運行 用戶 鼠標 點擊
        assert_eq!(cn.region, Some(Region::Mainland));
        // The same terms in Simplified script: Simplified text gets no region.
        assert_eq!(
            detect_script("这个软件的数据库在网络上运行，用户可以用鼠标点击。").region,
            None
        );
        // Hong Kong forms win over terms Taiwan and Hong Kong share.
        let hk = detect_script("衞生署説，用滑鼠點選伺服器的檔案時要小心，温度太高。");
        assert_eq!((hk.hong_kong, hk.shared_phrases), (3, 2));
        assert_eq!(hk.region, Some(Region::HongKong));
        // A few Taiwan terms among many mainland ones: mainland text, not Taiwan's.
        let text = format!("{}程式。", "這個軟件的數據庫在網絡上運行。".repeat(4));
        assert_eq!(detect_script(&text).region, Some(Region::Mainland));
    }

    #[test]
    fn spans_cover_the_text() {
        let text = "Hello. 这是简体。這是繁體。还有 mixed 這个。end";
        let spans = script_spans(text);
        assert_eq!(spans.first().map(|s| s.range.start), Some(0));
        assert_eq!(spans.last().map(|s| s.range.end), Some(text.len()));
        for pair in spans.windows(2) {
            assert_eq!(pair[0].range.end, pair[1].range.start);
            assert_ne!(pair[0].script, pair[1].script);
        }
        let scripts: Vec<Script> = spans.iter().map(|s| s.script).collect();
        assert_eq!(
            scripts,
            [Script::Simplified, Script::Traditional, Script::Mixed]
        );
        assert!(script_spans("").is_empty());
        assert_eq!(script_spans("abc")[0].script, Script::None);
    }
}
