//! Target-script conversion: text of any, or mixed, Chinese script in; one target script out.
//!
//! Where [`crate::convert`] reproduces OpenCC (errors included), [`TargetConverter`] aims at the
//! right answer:
//! - the source script is decided per sentence, so Simplified, Traditional, Taiwan and Hong Kong
//!   text in one document all reach the target;
//! - words are found by jieba-style segmentation (lowest total `-ln p` over jieba's word
//!   frequencies and OpenCC's phrases) instead of greedy longest match, so a phrase never
//!   matches across a word boundary (被发明 → 被發明, not 被髮明);
//! - Traditional → Simplified also knows the Traditional form of every jieba word (看著 → 看着);
//! - it is idempotent: converting the output again changes nothing;
//! - protected spans are copied unchanged (see below).
//!
//! ```
//! use zhfix::target::{Target, TargetConverter};
//!
//! let to_tw = TargetConverter::new(Target::ZhTw);
//! assert_eq!(to_tw.convert("被发明的软件"), "被發明的軟體");
//! let to_hans = TargetConverter::new("zh-Hans".parse().unwrap());
//! assert_eq!(to_hans.convert("他看著我。"), "他看着我。");
//! // Already in the target script: borrowed back unchanged.
//! assert!(matches!(to_tw.convert("軟體"), std::borrow::Cow::Borrowed(_)));
//! ```
//!
//! ## Protected spans
//! Copied byte for byte, markers included:
//! - `⟦…⟧` (U+27E6 … U+27E7) around any text;
//! - `<!--zhfix:off-->` … `<!--zhfix:on-->` (to the end of the text when `on` is missing);
//! - inline code between backtick runs of the same length;
//! - URLs (`http://`, `https://`, `ftp://`, `www.`) and e-mail addresses.
//!
//! ```
//! use zhfix::target::{Target, TargetConverter};
//! let c = TargetConverter::new(Target::ZhHant);
//! assert_eq!(c.convert("汉字⟦汉字⟧`汉字` https://example.cn/汉字 汉字"),
//!            "漢字⟦汉字⟧`汉字` https://example.cn/汉字 漢字");
//! ```

mod lexicon;
mod protect;
mod script;

use std::borrow::Cow;
use std::ops::Range;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::tables::target as t;
use lexicon::{Lexicon, Scratch};
use script::SourceScript;

/// A target script (see the `--to` option of `zhfix fix`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Simplified Chinese (`zh-Hans`, `hans`).
    ZhHans,
    /// Traditional Chinese, OpenCC's standard characters (`zh-Hant`, `hant`).
    ZhHant,
    /// Traditional Chinese, Taiwan standard with Taiwan phrases (`zh-TW`, `tw`).
    ZhTw,
    /// Traditional Chinese, Hong Kong standard (`zh-HK`, `hk`).
    ZhHk,
    /// Simplified Chinese with mainland phrases (`zh-CN`, `cn`).
    ZhCn,
}

impl Target {
    /// Every target, in declaration order.
    pub const ALL: [Target; 5] = [
        Target::ZhHans,
        Target::ZhHant,
        Target::ZhTw,
        Target::ZhHk,
        Target::ZhCn,
    ];

    /// The canonical name: `zh-Hans`, `zh-Hant`, `zh-TW`, `zh-HK` or `zh-CN`.
    pub fn name(self) -> &'static str {
        match self {
            Target::ZhHans => "zh-Hans",
            Target::ZhHant => "zh-Hant",
            Target::ZhTw => "zh-TW",
            Target::ZhHk => "zh-HK",
            Target::ZhCn => "zh-CN",
        }
    }

    fn traditional(self) -> bool {
        matches!(self, Target::ZhHant | Target::ZhTw | Target::ZhHk)
    }

    /// The output column in the lexicons.
    fn column(self) -> usize {
        match self {
            Target::ZhHant => 0,
            Target::ZhTw => 1,
            Target::ZhHk => 2,
            Target::ZhHans => 3,
            Target::ZhCn => 4,
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an unknown target name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownTarget(pub String);

impl std::fmt::Display for UnknownTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown target {:?} (expected zh-Hans, zh-Hant, zh-TW, zh-HK, zh-CN, hans, hant, tw, hk or cn)", self.0)
    }
}

impl std::error::Error for UnknownTarget {}

impl FromStr for Target {
    type Err = UnknownTarget;

    /// `zh-Hans zh-Hant zh-TW zh-HK zh-CN` and `hans hant tw hk cn`, in any case; `_` may
    /// stand for `-`.
    fn from_str(s: &str) -> Result<Target, UnknownTarget> {
        let lower = s.trim().to_ascii_lowercase().replace('_', "-");
        let name = lower.strip_prefix("zh-").unwrap_or(&lower);
        Ok(match name {
            "hans" => Target::ZhHans,
            "hant" => Target::ZhHant,
            "tw" => Target::ZhTw,
            "hk" => Target::ZhHk,
            "cn" => Target::ZhCn,
            _ => return Err(UnknownTarget(s.to_string())),
        })
    }
}

struct Lexicons {
    simplified: Lexicon,
    traditional: Lexicon,
}

fn lexicons() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(|| Lexicons {
        simplified: lexicon::simplified(),
        traditional: lexicon::traditional(),
    })
}

/// Converts text of any Chinese script to one [`Target`].
///
/// Cheap to create and copy, `Send + Sync`: the lexicons are static.
#[derive(Clone, Copy, Debug)]
pub struct TargetConverter {
    target: Target,
}

/// Han ideographs (unified, extensions, compatibility).
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Whether a key of a regional stage may occur in `run`: one of its characters is a key, or
/// one of its character pairs starts a key.
fn triggered(run: &str, chars: &[u32], bigrams: &[u64]) -> bool {
    let mut prev: Option<u32> = None;
    for c in run.chars() {
        let cp = c as u32;
        if chars.binary_search(&cp).is_ok() {
            return true;
        }
        if let Some(p) = prev {
            if bigrams
                .binary_search(&(((p as u64) << 32) | cp as u64))
                .is_ok()
            {
                return true;
            }
        }
        prev = Some(cp);
    }
    false
}

/// Whether any unprotected character of `text` belongs to one script only.
fn tells_script(text: &str) -> bool {
    let mut pos = 0;
    let tells = |s: &str| s.chars().any(|c| script::char_class(c) != 0);
    for r in protect::protected_ranges(text) {
        if tells(&text[pos..r.start]) {
            return true;
        }
        pos = r.end;
    }
    tells(&text[pos..])
}

/// Resolves spans without telling characters to the script of the nearest span before them
/// (after them at the start); they stay `None` only when no span in the text tells.
fn resolve(pieces: &mut [(Range<usize>, Option<SourceScript>)]) {
    let mut last = None;
    for (_, script) in pieces.iter_mut() {
        match script {
            Some(SourceScript::None) => {
                if let Some(s) = last {
                    *script = Some(s);
                }
            }
            Some(s) => last = Some(*s),
            None => {}
        }
    }
    let mut next = None;
    for (_, script) in pieces.iter_mut().rev() {
        match script {
            Some(SourceScript::None) => {
                if let Some(s) = next {
                    *script = Some(s);
                }
            }
            Some(s) => next = Some(*s),
            None => {}
        }
    }
}

impl TargetConverter {
    /// A converter to `target`.
    pub fn new(target: Target) -> TargetConverter {
        TargetConverter { target }
    }

    /// The target this converter writes.
    pub fn target(&self) -> Target {
        self.target
    }

    /// Converts `text`; borrows it back when nothing changes.
    pub fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !text.chars().any(is_han) {
            return Cow::Borrowed(text);
        }
        crate::convert::borrow_if_unchanged(text, |out| self.convert_into(text, out))
    }

    /// Appends the conversion of `text` to `out`.
    pub fn convert_into(&self, text: &str, out: &mut String) {
        let start = out.len();
        self.convert_once(text, out);
        // Output in which no character tells the script is read as the other script when
        // converted again (see `convert_plain`): convert it until it stays the same, so that
        // conversion is idempotent. This only happens with short texts.
        for _ in 0..3 {
            let produced = &out[start..];
            let any_telling = produced.chars().any(|c| script::char_class(c) != 0);
            if produced == text || (any_telling && tells_script(produced)) {
                break;
            }
            let mut again = String::with_capacity(produced.len());
            self.convert_once(produced, &mut again);
            if again == produced {
                break;
            }
            out.truncate(start);
            out.push_str(&again);
        }
    }

    fn convert_once(&self, text: &str, out: &mut String) {
        // Protected text is copied and plays no part in deciding the source script.
        let protected = protect::protected_ranges(text);
        let mut pieces: Vec<(Range<usize>, Option<SourceScript>)> = Vec::new();
        let mut pos = 0;
        for r in protected
            .iter()
            .chain(std::iter::once(&(text.len()..text.len())))
        {
            if pos < r.start {
                for (span, script) in script::source_spans(&text[pos..r.start]) {
                    pieces.push((span.start + pos..span.end + pos, Some(script)));
                }
            }
            if r.start < r.end {
                pieces.push((r.clone(), None));
            }
            pos = r.end;
        }
        resolve(&mut pieces);
        let mut scratch = Scratch::default();
        for (range, script) in pieces {
            match script {
                Some(source) => self.convert_plain(&text[range], source, out, &mut scratch),
                None => out.push_str(&text[range]),
            }
        }
    }

    /// Converts unprotected text of one source script.
    fn convert_plain(
        &self,
        text: &str,
        source: SourceScript,
        out: &mut String,
        scratch: &mut Scratch,
    ) {
        let lex = lexicons();
        let target = self.target;
        let col = target.column();
        let (s, t) = (&lex.simplified, &lex.traditional);
        // Which scripts the text has characters of, whatever its majority.
        let (mut has_simp, mut has_trad) = (false, false);
        for c in text.chars() {
            match script::char_class(c) {
                1 => has_simp = true,
                2 => has_trad = true,
                _ => {}
            }
        }
        if !target.traditional() {
            // Into Simplified: text with no Traditional character stays as it is.
            if has_trad || source != SourceScript::Simplified {
                run_pass(t, col, None, s, 0, text, out, scratch);
            } else {
                out.push_str(text);
            }
            return;
        }
        match source {
            // Simplified into standard Traditional: one pass. Text in which no character tells
            // the script is taken to be in the other script than the target's, as OpenCC would.
            SourceScript::Simplified | SourceScript::Mixed | SourceScript::None
                if !has_trad && target == Target::ZhHant =>
            {
                run_pass(s, col, Some(t), t, 3, text, out, scratch)
            }
            // Simplified into a regional standard, or both scripts: to standard Traditional
            // first, then to the target as Traditional text. Regional phrases then see whole
            // Traditional words, exactly as they will when the output is converted again.
            SourceScript::Simplified | SourceScript::Mixed | SourceScript::None if !has_trad => {
                let mut standard = String::with_capacity(text.len() + text.len() / 8);
                run_pass(s, 0, Some(t), t, 3, text, &mut standard, scratch);
                run_pass(t, col, Some(s), s, 4, &standard, out, scratch);
            }
            _ if has_simp => {
                let mut standard = String::with_capacity(text.len() + text.len() / 8);
                run_pass(s, 0, Some(t), t, 3, text, &mut standard, scratch);
                run_pass(t, col, Some(s), s, 4, &standard, out, scratch);
            }
            // Traditional (any region) or undecided into Traditional.
            _ => run_pass(t, col, Some(s), s, 0, text, out, scratch),
        }
    }
}

/// One pass of a lexicon over the Han runs of `text`, for output column `col`. `other` and
/// `back_col` map an output character back to the source script (for reduplication).
#[allow(clippy::too_many_arguments)]
fn run_pass(
    table: &Lexicon,
    col: usize,
    fallback: Option<&Lexicon>,
    other: &Lexicon,
    back_col: usize,
    text: &str,
    out: &mut String,
    scratch: &mut Scratch,
) {
    // Traditional text into Traditional: runs in which no regional key occurs stay as they are.
    // `back_col` 4 marks the pass over the standard Traditional output of the Simplified
    // lexicon: only regional keys can change it.
    let triggers = match (fallback.is_some(), back_col, col) {
        (true, 0, 0) => Some((t::HANT_TRIGGER_CHARS, t::HANT_TRIGGER_BIGRAMS)),
        (true, 0, 1) => Some((t::TW_TRIGGER_CHARS, t::TW_TRIGGER_BIGRAMS)),
        (true, 0, 2) => Some((t::HK_TRIGGER_CHARS, t::HK_TRIGGER_BIGRAMS)),
        (true, 4, 1) => Some((t::TW_STANDARD_TRIGGER_CHARS, t::TW_STANDARD_TRIGGER_BIGRAMS)),
        (true, 4, 2) => Some((t::HK_STANDARD_TRIGGER_CHARS, t::HK_STANDARD_TRIGGER_BIGRAMS)),
        (true, 4, _) => Some((t::HANT_TRIGGER_CHARS, t::HANT_TRIGGER_BIGRAMS)),
        _ => None,
    };
    let back_col = if back_col == 4 { 0 } else { back_col };
    let reduplicate = |c: &str, prev: &str| other.char_output(prev, back_col) == c;
    let mut rest = text;
    while !rest.is_empty() {
        let han_start = rest
            .char_indices()
            .find(|&(_, c)| is_han(c))
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&rest[..han_start]);
        rest = &rest[han_start..];
        let han_end = rest
            .char_indices()
            .find(|&(_, c)| !is_han(c))
            .map_or(rest.len(), |(i, _)| i);
        if han_end > 0 {
            let run = &rest[..han_end];
            match triggers {
                Some((chars, bigrams)) if !triggered(run, chars, bigrams) => out.push_str(run),
                _ => table.convert_run(run, col, out, scratch, fallback, &reduplicate),
            }
        }
        rest = &rest[han_end..];
    }
}

#[cfg(test)]
mod tests;
