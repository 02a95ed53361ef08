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

pub mod fast;
pub(crate) mod lexicon;
mod protect;
mod script;

use std::borrow::Cow;
use std::ops::Range;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::scan;
use crate::tables::target as t;
use fast::{Both, Fast, Regional, Stage};
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

    /// The output column in the lexicons (for Traditional source text).
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
    simplified_fast: Fast,
    /// Per output column.
    traditional_fast: [Fast; 6],
    /// The two passes from Simplified together, per Traditional output column.
    both: [Both; 3],
    /// Per Traditional output column: the flags of the pass over Traditional text for its
    /// regional keys, with the characters' classes (`script::classed_flags`).
    classed: [Box<[u32]>; 3],
}

fn lexicons() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(|| {
        let traditional_fast = [0, 1, 2, 3, 4, 5].map(Fast::traditional);
        Lexicons {
            simplified: lexicon::simplified(),
            traditional: lexicon::traditional(),
            simplified_fast: Fast::simplified(),
            // Variant 0: the regional keys of Traditional text (`TargetConverter::pass`).
            classed: [
                (0, &t::RUN_SIG_T0.0[..]),
                (1, &t::RUN_SIG_T1.0[..]),
                (2, &t::RUN_SIG_T2.0[..]),
            ]
            .map(|(c, sig)| {
                script::classed_flags(traditional_fast[c].flags(0), bytemuck::cast_slice(sig))
            }),
            traditional_fast,
            both: [0, 1, 2].map(Both::new),
        }
    })
}

/// Converts text of any Chinese script to one [`Target`].
///
/// Cheap to create and copy, `Send + Sync`: the lexicons are static.
#[derive(Clone, Copy, Debug)]
pub struct TargetConverter {
    target: Target,
    /// Segment every run whole (the reference the fast path is tested against).
    full: bool,
}

/// The Traditional lexicon's column for zh-TW from standard Traditional text that the
/// Simplified lexicon wrote.
const TW_FROM_SIMPLIFIED: usize = 5;

/// Han ideographs (unified, extensions, compatibility).
#[cfg(test)]
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Whether any unprotected character of `text` belongs to one script only.
///
/// Looks for protected spans only up to the first telling character: a span that covers a
/// non-ASCII character starts, and is recognised, before it (only e-mail addresses are
/// recognised after their start, and they are ASCII).
fn tells_script(text: &str) -> bool {
    first_telling(text).is_some()
}

/// The class ([`script::char_class`]) of the first unprotected character of `text` that
/// belongs to one script only; see [`tells_script`].
fn first_telling(text: &str) -> Option<u8> {
    let mut from = 0;
    loop {
        let (p, class) = text[from..]
            .char_indices()
            .map(|(k, c)| (from + k, script::char_class(c)))
            .find(|&(_, class)| class != 0)?;
        let covering = protect::Protected::until(text, p + 1)
            .skip_while(|r| r.end <= p)
            .find(|r| r.start <= p);
        match covering {
            None => return Some(class),
            Some(r) => from = r.end,
        }
    }
}

/// Collects the pieces of a text with their plans, merging neighbours with the same plan
/// (every pass works run by run of Han characters, and pieces end at sentence ends or
/// protected spans, which no run crosses).
///
/// A sentence without telling characters takes the script of the nearest sentence before it
/// that has one (after it, at the start of the text); it stays `None` only when no sentence
/// tells. Until the first sentence that tells, pieces wait in `waiting`.
///
/// Each piece also says whether the classifier noted all of its runs of Han characters
/// (`script::Runs`).
struct Pieces<'a> {
    conv: &'a TargetConverter,
    pieces: Vec<(Range<usize>, Plan, bool)>,
    waiting: Vec<(Range<usize>, Option<script::Span>, bool)>,
    last: Option<SourceScript>,
}

impl Pieces<'_> {
    fn push(&mut self, range: Range<usize>, plan: Plan, noted: bool) {
        match self.pieces.last_mut() {
            Some((r, p, n)) if *p == plan && r.end == range.start => {
                r.end = range.end;
                *n &= noted;
            }
            _ => self.pieces.push((range, plan, noted)),
        }
    }

    fn span(&mut self, mut span: script::Span, noted: bool) {
        match (span.script, self.last) {
            (SourceScript::None, Some(s)) => span.script = s,
            (SourceScript::None, None) => {
                self.waiting.push((span.range.clone(), Some(span), noted));
                return;
            }
            (s, _) => {
                if self.last.is_none() {
                    self.flush(s);
                }
                self.last = Some(s);
            }
        }
        let plan = self.conv.plan(&span);
        self.push(span.range, plan, noted);
    }

    fn protected(&mut self, range: Range<usize>) {
        if self.last.is_none() {
            self.waiting.push((range, None, true));
        } else {
            self.push(range, Plan::Copy, true);
        }
    }

    /// Gives the waiting sentences the script `s`.
    fn flush(&mut self, s: SourceScript) {
        for (range, span, noted) in std::mem::take(&mut self.waiting) {
            let plan = span.map_or(Plan::Copy, |mut span| {
                span.script = s;
                self.conv.plan(&span)
            });
            self.push(range, plan, noted);
        }
    }

    fn finish(mut self) -> Vec<(Range<usize>, Plan, bool)> {
        self.flush(SourceScript::None);
        self.pieces
    }
}

/// Runs `f` with this thread's reusable buffers (fresh ones if they are in use).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    }
    let mut f = Some(f);
    let reused = SCRATCH.with(|s| {
        let mut s = s.try_borrow_mut().ok()?;
        Some((f.take().expect("not called yet"))(&mut s))
    });
    match reused {
        Some(r) => r,
        None => (f.take().expect("not called yet"))(&mut Scratch::default()),
    }
}

/// Empties this thread's memo of segmented windows.
///
/// Where the fast path has to segment a stretch of text (a window around a word that changes,
/// such as 软件 → 軟體 into zh-TW), it remembers the output for the rest of the thread's life,
/// in a fixed-size table (256 KiB) shared by all converters of the thread: the same windows
/// recur from paragraph to paragraph. This makes later conversions faster, never different.
/// Benchmarks call this before each timed run, so that every run pays for its own windows.
pub fn forget_windows() {
    with_scratch(|scratch| scratch.memo.forget());
}

/// What the parts of a document converted so far showed about it, for converting it part by
/// part ([`TargetConverter::convert_part`]).
///
/// Traditional text that is Simplified text put through a character table (`終于`, `隨后`,
/// `三個月里`) is converted as its Simplified original once two different telling pairs have
/// been seen (docs/target.md). Carried forward only, so converting a document part by part
/// gives the same output however it is read in, and a part never changes what came before.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The different telling pairs seen (at most `ONE_TO_ONE_MIN`).
    pairs: Vec<u64>,
}

/// How one stretch of text is converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    /// Copied as it is: protected, or already in the target script.
    Copy,
    /// The Traditional lexicon, for the target's column.
    Traditional,
    /// The Simplified lexicon, into standard Traditional.
    Simplified,
    /// The Simplified lexicon into standard Traditional, then the Traditional lexicon's
    /// column for the target (regional phrases then see whole Traditional words).
    Both,
    /// [`Plan::Both`] into zh-TW for text in which no character tells the script: its second
    /// pass reads it as Traditional text, which may hold Taiwan words already (文件 stays
    /// 文件, as zh-TW output converted again must).
    Unknown,
    /// [`Plan::Both`] for a sentence with characters of both scripts: the Simplified lexicon
    /// reads it with its Traditional-only characters in their Simplified form, so that a word
    /// half in each script is still a word (`干擾` is `干扰`, not `幹` + `擾`), and those
    /// characters come back as the author wrote them before the second pass.
    Mixed,
}

impl TargetConverter {
    /// A converter to `target`.
    pub fn new(target: Target) -> TargetConverter {
        TargetConverter {
            target,
            full: false,
        }
    }

    /// A converter that segments every run of Han characters whole, without the fast path.
    #[cfg(test)]
    pub(crate) fn reference(target: Target) -> TargetConverter {
        TargetConverter { target, full: true }
    }

    /// The target this converter writes.
    pub fn target(&self) -> Target {
        self.target
    }

    /// Converts `text`; borrows it back when nothing changes.
    pub fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if next_han(text.as_bytes(), 0) == text.len() {
            return Cow::Borrowed(text);
        }
        crate::convert::borrow_if_unchanged(text, |out| self.convert_into(text, out))
    }

    /// Appends the conversion of `text` to `out`.
    pub fn convert_into(&self, text: &str, out: &mut String) {
        self.convert_part_into(text, &mut Document::default(), out);
    }

    /// Converts `text`, one part of a document whose earlier parts went through the same
    /// `doc` (the `fix` pipeline converts a file paragraph by paragraph); borrows it back when
    /// nothing changes. What the earlier parts showed carries forward: once the document is
    /// known to be Simplified text put through a character table, later parts are converted
    /// as such (see [`Document`]).
    pub fn convert_part<'a>(&self, text: &'a str, doc: &mut Document) -> Cow<'a, str> {
        if next_han(text.as_bytes(), 0) == text.len() {
            return Cow::Borrowed(text);
        }
        crate::convert::borrow_if_unchanged(text, |out| self.convert_part_into(text, doc, out))
    }

    /// [`convert_part`](Self::convert_part), appending to `out`.
    pub fn convert_part_into(&self, text: &str, doc: &mut Document, out: &mut String) {
        let start = out.len();
        let mut one_to_one = self.convert_once(text, out, doc);
        // Converts the output again as it will be read (alone, without what the document
        // showed) and puts that in its place: whether it changed, and whether it was read as
        // one-to-one converted text.
        let again = |out: &mut String| {
            let produced = &out[start..];
            let mut again = String::with_capacity(produced.len());
            let one_to_one = self.convert_once(produced, &mut again, &mut Document::default());
            let changed = again != produced;
            if changed {
                out.truncate(start);
                out.push_str(&again);
            }
            (changed, one_to_one)
        };
        // Text converted as one-to-one converted text (`convert_one_to_one`) went through the
        // Simplified lexicon, whose segmentation the Traditional one, reading the output
        // again, may not share (軟體制出 → 軟體製出): convert it again until it stays the
        // same. Only such text pays for this.
        for _ in 0..3 {
            if !one_to_one {
                break;
            }
            let changed;
            (changed, one_to_one) = again(out);
            if !changed {
                break;
            }
        }
        // Output in which no character tells the script is read as the other script when
        // converted again (see `plan`): convert it until it stays the same, so that
        // conversion is idempotent. This only happens with short texts.
        for _ in 0..3 {
            let produced = &out[start..];
            if produced == text || tells_script(produced) || !again(out).0 {
                break;
            }
        }
    }

    /// One conversion of `text`, a part of document `doc`, into `out`; returns whether it was
    /// converted as one-to-one converted text.
    fn convert_once(&self, text: &str, out: &mut String, doc: &mut Document) -> bool {
        if let Some(one_to_one) = self.convert_simplified(text, out, doc) {
            return one_to_one;
        }
        if self.convert_traditional(text, out) {
            return false;
        }
        self.convert_classified(text, out, doc)
    }

    /// [`TargetConverter::convert_once`] by the plan of each sentence's script.
    fn convert_classified(&self, text: &str, out: &mut String, doc: &mut Document) -> bool {
        // Protected text is copied and plays no part in deciding the source script.
        let mut pieces = Pieces {
            conv: self,
            pieces: Vec::new(),
            waiting: Vec::new(),
            last: None,
        };
        // Into Traditional, the classifier also notes which runs of Han characters hold a
        // regional key of the pass over Traditional text (`Pass::text_runs`; positions are
        // noted in 32 bits).
        let record = self.target.traditional() && !self.full && text.len() < u32::MAX as usize;
        let lex = lexicons();
        // The pass of `Plan::Traditional`, into Traditional (with regional keys).
        let traditional = self.pass(
            &lex.traditional,
            self.target.column(),
            Some(&lex.simplified),
            &lex.simplified,
            0,
        );
        let regional = traditional.regional.as_ref().filter(|_| record);
        with_scratch(|scratch| {
            let mut runs = regional.map(|r| {
                debug_assert_eq!(r.variant(), 0);
                let classed = &lex.classed[self.target.column()];
                script::Runs::new(
                    traditional.fast,
                    r,
                    classed,
                    std::mem::take(&mut scratch.runs),
                )
            });
            for (stretch, r) in protect::stretches(text) {
                if !stretch.is_empty() {
                    let pos = stretch.start;
                    let stretch = &text[stretch];
                    if let Some(mut r) = runs.take() {
                        r.offset = pos;
                        runs = Some(script::each_span_runs(
                            stretch,
                            |mut span, noted| {
                                span.range = span.range.start + pos..span.range.end + pos;
                                pieces.span(span, noted);
                            },
                            r,
                        ));
                    } else {
                        script::each_span(stretch, |mut span| {
                            span.range = span.range.start + pos..span.range.end + pos;
                            pieces.span(span, false);
                        });
                    }
                }
                if !r.is_empty() {
                    pieces.protected(r);
                }
            }
            let pieces = pieces.finish();
            let (runs, evidence) = match runs {
                Some(r) => (Some(r.runs), Some(r.evidence)),
                None => (None, None),
            };
            let one_to_one = traditional.regional.as_ref().is_some_and(|r| {
                one_to_one_evidence(text, &pieces, r, evidence.as_deref(), &mut doc.pairs)
            });
            // Window outputs stay remembered from call to call (see `forget_windows`): the
            // CLI converts paragraph by paragraph, and the same words recur in every one.
            let mut cursor = 0;
            for (range, plan, noted) in pieces {
                match &runs {
                    // (A sentence of such text with a Simplified character the converter
                    // left, 并, reads as mixed: it is converted the same way.)
                    _ if one_to_one && matches!(plan, Plan::Traditional | Plan::Mixed) => {
                        self.convert_one_to_one(&text[range], out, scratch)
                    }
                    Some(runs) if plan == Plan::Traditional && noted => {
                        traditional.text_runs(text, range, runs, &mut cursor, out, scratch)
                    }
                    _ => self.convert_plain(&text[range], plan, out, scratch),
                }
            }
            if let Some(runs) = runs {
                scratch.runs = runs;
            }
            one_to_one
        })
    }

    /// [`TargetConverter::convert_once`] of Simplified text into zh-TW, zh-HK, zh-Hans or
    /// zh-CN, without classifying its sentences, where that is known to give the same: when
    /// the first character that tells the script exists only in Simplified and no character
    /// exists only in Traditional, every sentence reads as Simplified (or takes the script of
    /// one that does). Into Simplified the text is then copied; into zh-TW and zh-HK every
    /// unprotected stretch is converted by `Plan::Both`, and no piece by the plans one-to-one
    /// evidence is about. `None`, with `out` as it was, where that is not so. (Into zh-TW and
    /// zh-HK, text with a character only Traditional has is converted again from the start
    /// when one turns up: its first such character is usually early, and the CLI converts
    /// paragraph by paragraph.)
    #[inline(never)]
    fn convert_simplified(&self, text: &str, out: &mut String, doc: &Document) -> Option<bool> {
        if self.full || first_telling(text) != Some(1) {
            return None;
        }
        if !self.target.traditional() {
            // Into Simplified, every sentence of such text is copied as it is (`plan`), and
            // none is read as Traditional (there are no regional keys to count either).
            if protect::stretches(text).any(|(s, _)| script::has_traditional_only(&text[s])) {
                return None;
            }
            out.push_str(text);
            return Some(false);
        }
        if !matches!(self.target, Target::ZhTw | Target::ZhHk) {
            return None;
        }
        let at = out.len();
        let clean = with_scratch(|scratch| {
            for (stretch, r) in protect::stretches(text) {
                if !stretch.is_empty()
                    && !self.convert_both(&text[stretch], true, out, scratch, true)
                {
                    return false;
                }
                out.push_str(&text[r]);
            }
            true
        });
        if !clean {
            out.truncate(at);
            return None;
        }
        // As `one_to_one_evidence` finds with no piece to read.
        Some(doc.pairs.len() >= ONE_TO_ONE_MIN)
    }

    /// [`TargetConverter::convert_once`] into zh-Hans or zh-CN of text without a character that
    /// exists only in Simplified, without classifying its sentences, where that is known to
    /// give the same: no sentence of such text reads as Simplified (its source is Traditional,
    /// or it tells nothing and takes a neighbour's script, or none), so every unprotected
    /// stretch is converted by `Plan::Traditional` (`plan`), and into Simplified no piece by
    /// the plans one-to-one evidence is about. Returns whether it converted (`out` as it was
    /// when not).
    #[inline(never)]
    fn convert_traditional(&self, text: &str, out: &mut String) -> bool {
        if self.full || self.target.traditional() {
            return false;
        }
        let mut stretches = Vec::new();
        for (s, r) in protect::stretches(text) {
            if script::has_simplified_only(&text[s.clone()]) {
                return false;
            }
            stretches.push((s, r));
        }
        let lex = lexicons();
        let pass = self.pass(
            &lex.traditional,
            self.target.column(),
            None,
            &lex.simplified,
            0,
        );
        with_scratch(|scratch| {
            for (stretch, r) in stretches {
                pass.text(&text[stretch], out, scratch);
                out.push_str(&text[r]);
            }
        });
        true
    }

    /// Converts Traditional text that a one-to-one converter made from Simplified text (see
    /// [`one_to_one_evidence`]) as its Simplified original: back to Simplified, then as a
    /// Simplified source (the original's 终于, 三个月里, 五天后 come out 終於, 三個月裡, 五天後,
    /// where the Traditional pass would keep the 于, 里, 后 it cannot tell from genuine ones).
    fn convert_one_to_one(&self, text: &str, out: &mut String, scratch: &mut Scratch) {
        let hans = TargetConverter {
            target: Target::ZhHans,
            full: self.full,
        };
        let mut simplified = String::with_capacity(text.len());
        hans.convert_plain(text, Plan::Traditional, &mut simplified, scratch);
        // The plan of a Simplified sentence (`plan`).
        let plan = if self.target == Target::ZhHant {
            Plan::Simplified
        } else {
            Plan::Both
        };
        self.convert_plain(&simplified, plan, out, scratch);
    }

    /// How a sentence is converted, from its source script and the scripts it has characters
    /// of, whatever its majority.
    fn plan(&self, span: &script::Span) -> Plan {
        let target = self.target;
        let source = span.script;
        if !target.traditional() {
            // Into Simplified: text with no Traditional character stays as it is.
            return if span.trad || source != SourceScript::Simplified {
                Plan::Traditional
            } else {
                Plan::Copy
            };
        }
        match source {
            // Simplified into standard Traditional: one pass. Text in which no character tells
            // the script is taken to be in the other script than the target's, as OpenCC would.
            SourceScript::Simplified | SourceScript::Mixed | SourceScript::None
                if !span.trad && target == Target::ZhHant =>
            {
                Plan::Simplified
            }
            // Simplified into a regional standard, or both scripts: to standard Traditional
            // first, then to the target as Traditional text. Regional phrases then see whole
            // Traditional words, exactly as they will when the output is converted again.
            SourceScript::None if !span.trad && target == Target::ZhTw => Plan::Unknown,
            SourceScript::Simplified | SourceScript::Mixed | SourceScript::None if !span.trad => {
                Plan::Both
            }
            _ if span.simp && span.trad => Plan::Mixed,
            _ if span.simp => Plan::Both,
            // Traditional (any region) or undecided into Traditional.
            _ => Plan::Traditional,
        }
    }

    /// Converts unprotected text by `plan`.
    fn convert_plain(&self, text: &str, plan: Plan, out: &mut String, scratch: &mut Scratch) {
        let lex = lexicons();
        let col = self.target.column();
        let (s, t) = (&lex.simplified, &lex.traditional);
        let into_traditional = self.target.traditional().then_some(s);
        match plan {
            Plan::Copy => out.push_str(text),
            Plan::Traditional => self
                .pass(t, col, into_traditional, s, 0)
                .text(text, out, scratch),
            Plan::Simplified => self.pass(s, col, Some(t), t, 3).text(text, out, scratch),
            Plan::Mixed => {
                let simplified: String = text
                    .chars()
                    .map(|c| match script::char_class(c) {
                        2 => {
                            let mut buf = [0u8; 4];
                            let one = t.char_output(c.encode_utf8(&mut buf), 3);
                            let mut chars = one.chars();
                            match (chars.next(), chars.next()) {
                                (Some(o), None) if o.len_utf8() == c.len_utf8() => o,
                                _ => c,
                            }
                        }
                        _ => c,
                    })
                    .collect();
                let mut standard = std::mem::take(&mut scratch.standard);
                standard.clear();
                self.pass(s, 0, Some(t), t, 3)
                    .text(&simplified, &mut standard, scratch);
                let aligned = standard.len() == text.len()
                    && standard
                        .char_indices()
                        .zip(text.char_indices())
                        .all(|((i, a), (j, b))| i == j && a.len_utf8() == b.len_utf8());
                if aligned {
                    let restored: String = standard
                        .chars()
                        .zip(text.chars())
                        .map(|(s, c)| if script::char_class(c) == 2 { c } else { s })
                        .collect();
                    scratch.standard = standard;
                    // The restored characters may be variants a standard Traditional text
                    // never has (`裡`): the second pass reads it as Traditional source text.
                    self.pass(t, col, into_traditional, s, 0)
                        .text(&restored, out, scratch);
                } else {
                    scratch.standard = standard;
                    self.convert_plain(text, Plan::Both, out, scratch);
                }
            }
            Plan::Both | Plan::Unknown => {
                self.convert_both(text, plan == Plan::Both, out, scratch, false);
            }
        }
    }

    /// Converts unprotected text by `Plan::Both` (`known`) or `Plan::Unknown`. With `watch`,
    /// stops at a character that exists only in Traditional and returns false (`out` then
    /// holds part of the output).
    fn convert_both(
        &self,
        text: &str,
        known: bool,
        out: &mut String,
        scratch: &mut Scratch,
        watch: bool,
    ) -> bool {
        let lex = lexicons();
        let col = self.target.column();
        let (s, t) = (&lex.simplified, &lex.traditional);
        // Run by run: the first pass's output of a run goes through the second pass before
        // the next run (both passes work run by run, and the text between runs is copied).
        let first = self.pass(s, 0, Some(t), t, 3);
        // Into zh-TW, standard Traditional text from a Simplified source has its own column:
        // there, 文件 and 程序 are mainland words (檔案, 程式), while in Traditional text they
        // may be Taiwan words already (see `build/target.rs`).
        let second_col = if col == 1 && known {
            TW_FROM_SIMPLIFIED
        } else {
            col
        };
        let second = self.pass(t, second_col, Some(s), s, 4);
        // (The table of both passes together is built for column 5 into zh-TW.)
        let both = second
            .regional
            .as_ref()
            .filter(|_| col < 3 && known)
            .map(|r| (&lex.both[col], r));
        // A character only Traditional has ends the loop of `both` (its table marks it hard),
        // so only what the first pass takes over needs looking at.
        let traditional_in = |run: &str| watch && script::has_traditional_only(run);
        let segment = |window: &str, scratch: &mut Scratch, out: &mut String| {
            second.window(window, out, scratch)
        };
        let mut standard = std::mem::take(&mut scratch.standard);
        let b = text.as_bytes();
        let mut pos = 0;
        let mut clean = true;
        loop {
            let start = next_han(b, pos);
            push_short(out, text, pos, start);
            if start == b.len() {
                break;
            }
            let together = both.filter(|_| !self.full).and_then(|(both, r)| {
                both.run(
                    first.fast,
                    second.fast,
                    r,
                    text,
                    start,
                    &mut standard,
                    out,
                    scratch,
                    &segment,
                )
            });
            let end = match together {
                Some(Stage::Done { end }) => {
                    pos = end;
                    continue;
                }
                Some(Stage::Second { end }) => end,
                Some(Stage::First { from }) => {
                    if traditional_in(&text[from..han_end(b, from)]) {
                        clean = false;
                        break;
                    }
                    first.resume(
                        text,
                        fast::Resume {
                            start,
                            from,
                            at_start: 0,
                            triggered: true,
                        },
                        &mut standard,
                        scratch,
                    )
                }
                None => {
                    if traditional_in(&text[start..han_end(b, start)]) {
                        clean = false;
                        break;
                    }
                    standard.clear();
                    first.run(text, start, &mut standard, scratch)
                }
            };
            if t::STANDARD_IS_HAN {
                // One run of Han characters again (or none).
                if !standard.is_empty() {
                    second.run(&standard, 0, out, scratch);
                }
            } else {
                second.text(&standard, out, scratch);
            }
            pos = end;
        }
        scratch.standard = standard;
        clean
    }

    /// One pass of a lexicon for output column `col`. `other` and `back_col` map an output
    /// character back to the source script (for reduplication).
    fn pass<'a>(
        &self,
        table: &'a Lexicon,
        col: usize,
        fallback: Option<&'a Lexicon>,
        other: &'a Lexicon,
        back_col: usize,
    ) -> Pass<'a> {
        let lex = lexicons();
        let fast = if std::ptr::eq(table, &lex.simplified) {
            &lex.simplified_fast
        } else {
            &lex.traditional_fast[col.min(TW_FROM_SIMPLIFIED)]
        };
        // Traditional text into Traditional: runs in which no regional key occurs stay as they
        // are. `back_col` 4 marks the pass over the standard Traditional output of the
        // Simplified lexicon: only regional keys can change it.
        let regional = match (fallback.is_some(), back_col, col) {
            (true, 0, 0) => Some((
                false,
                t::HANT_TRIGGER_CHARS,
                t::HANT_TRIGGER_BIGRAMS,
                t::HANT_TRIGGER_PAIR_SET,
            )),
            (true, 0, 1) => Some((
                false,
                t::TW_TRIGGER_CHARS,
                t::TW_TRIGGER_BIGRAMS,
                t::TW_TRIGGER_PAIR_SET,
            )),
            (true, 0, 2) => Some((
                false,
                t::HK_TRIGGER_CHARS,
                t::HK_TRIGGER_BIGRAMS,
                t::HK_TRIGGER_PAIR_SET,
            )),
            (true, 4, 1 | TW_FROM_SIMPLIFIED) => Some((
                true,
                t::TW_STANDARD_TRIGGER_CHARS,
                t::TW_STANDARD_TRIGGER_BIGRAMS,
                t::TW_STANDARD_TRIGGER_PAIR_SET,
            )),
            (true, 4, 2) => Some((
                true,
                t::HK_STANDARD_TRIGGER_CHARS,
                t::HK_STANDARD_TRIGGER_BIGRAMS,
                t::HK_STANDARD_TRIGGER_PAIR_SET,
            )),
            (true, 4, _) => Some((
                true,
                t::HANT_TRIGGER_CHARS,
                t::HANT_TRIGGER_BIGRAMS,
                t::HANT_TRIGGER_PAIR_SET,
            )),
            _ => None,
        }
        .map(|(b, chars, pairs, set)| Regional::new(b, chars, pairs, set));
        Pass {
            table,
            fast,
            col,
            fallback,
            other,
            back_col: if back_col == 4 { 0 } else { back_col },
            regional,
            full: self.full,
        }
    }
}

/// One pass of a lexicon (see [`TargetConverter::pass`]).
struct Pass<'a> {
    table: &'a Lexicon,
    fast: &'a Fast,
    col: usize,
    fallback: Option<&'a Lexicon>,
    other: &'a Lexicon,
    back_col: usize,
    /// Regional keys, for passes over Traditional text into Traditional.
    regional: Option<Regional>,
    full: bool,
}

impl Pass<'_> {
    /// Converts the Han runs of `text` and copies the rest.
    fn text(&self, text: &str, out: &mut String, scratch: &mut Scratch) {
        let b = text.as_bytes();
        let mut pos = 0;
        loop {
            let start = next_han(b, pos);
            push_short(out, text, pos, start);
            if start == b.len() {
                break;
            }
            pos = self.run(text, start, out, scratch);
        }
    }

    /// [`Pass::text`] of `text[range]`, a pass over Traditional text with regional keys, where
    /// `runs` (from the classifier, sorted, from `*cursor` on) has every run of Han characters
    /// of the range: runs in which no key can occur are copied with the text around them
    /// without being walked again.
    fn text_runs(
        &self,
        text: &str,
        range: Range<usize>,
        runs: &[(u32, u32, u8)],
        cursor: &mut usize,
        out: &mut String,
        scratch: &mut Scratch,
    ) {
        debug_assert!(self.regional.is_some() && !self.full);
        let text = &text[..range.end];
        let mut copied = range.start;
        while let Some(&(start, end, seen)) = runs.get(*cursor) {
            let (start, end) = (start as usize, end as usize);
            if start >= range.end {
                break;
            }
            *cursor += 1;
            if seen == script::RUN_CLEAN || start < range.start {
                continue;
            }
            debug_assert!(end <= range.end);
            push_short(out, text, copied, start);
            copied = if seen == script::RUN_KEY {
                // Known to hold a key: converted without looking for one again.
                let resume = fast::Resume {
                    start,
                    from: start,
                    at_start: out.len(),
                    triggered: true,
                };
                self.resume(text, resume, out, scratch)
            } else {
                self.run(text, start, out, scratch)
            };
            debug_assert_eq!(copied, end);
        }
        out.push_str(&text[copied..range.end]);
    }

    /// Whether a lone character `c` after a word whose output ends in `prev` takes `prev` for
    /// its output (`Lexicon::convert_run`'s `reduplicate`): when `prev` maps back to it.
    #[inline]
    fn reduplicates(&self, c: &str, prev: &str) -> bool {
        self.other.char_output(prev, self.back_col) == c
    }

    /// Appends the output of `window`, a stretch of a run bounded by positions no word
    /// crosses, as [`Fast::convert_run`] writes it (`fast::Fast::look`).
    #[cold]
    #[inline(never)]
    fn window(&self, window: &str, out: &mut String, scratch: &mut Scratch) {
        let reduplicate = |c: &str, prev: &str| self.reduplicates(c, prev);
        self.table.convert_run(
            window,
            self.col,
            out,
            scratch,
            self.fallback,
            &reduplicate,
            Some(self.fast),
        );
    }

    /// [`Fast::resume`] for this pass.
    fn resume(
        &self,
        text: &str,
        resume: fast::Resume,
        out: &mut String,
        scratch: &mut Scratch,
    ) -> usize {
        let reduplicate = |c: &str, prev: &str| self.reduplicates(c, prev);
        self.fast.resume(
            self.table,
            text,
            resume,
            self.col,
            out,
            scratch,
            self.fallback,
            &reduplicate,
            self.regional.as_ref(),
        )
    }

    /// Converts the run of Han characters at byte `start` of `text`; returns its end.
    #[inline]
    fn run(&self, text: &str, start: usize, out: &mut String, scratch: &mut Scratch) -> usize {
        let reduplicate = |c: &str, prev: &str| self.reduplicates(c, prev);
        let (table, col, fallback) = (self.table, self.col, self.fallback);
        if self.full {
            let end = han_end(text.as_bytes(), start);
            let run = &text[start..end];
            match &self.regional {
                Some(r) if !r.any_exact(run) => out.push_str(run),
                _ => table.convert_run(run, col, out, scratch, fallback, &reduplicate, None),
            }
            end
        } else {
            self.fast.convert_run(
                table,
                text,
                start,
                col,
                out,
                scratch,
                fallback,
                &reduplicate,
                self.regional.as_ref(),
            )
        }
    }
}

/// How many different pairs of [`t::ONE_TO_ONE_PAIRS`] make a text one-to-one converted.
const ONE_TO_ONE_MIN: usize = 2;

/// Whether `text` is one-to-one converted: adds to `found` (the different pairs seen in the
/// document's earlier parts) the different pairs of [`t::ONE_TO_ONE_PAIRS`] (終于, 隨后, 采購,
/// 關系: a character that only Simplified has, in its Traditional form, beside one kept that
/// should have changed) that are the first regional key (`regional`, of the pass over
/// Traditional text) of their run of Han characters, in the pieces of `text` that are
/// converted as Traditional text, until there are [`ONE_TO_ONE_MIN`]. Genuine Traditional text
/// has none; Simplified text converted character by character (the seed sample) has many.
/// (Each such pair is a regional key of these passes; only a run's first key is looked at,
/// because the classifier finds that one anyway and looks no further.)
///
/// `evidence` holds the pairs the classifier found (`script::Runs::evidence`), if it noted
/// the runs; pieces it did not note are read here. The result is the same either way.
fn one_to_one_evidence(
    text: &str,
    pieces: &[(Range<usize>, Plan, bool)],
    regional: &Regional,
    evidence: Option<&[(u32, u64)]>,
    found: &mut Vec<u64>,
) -> bool {
    // The different pairs found; true once there are enough.
    fn note(found: &mut Vec<u64>, key: u64) -> bool {
        if !found.contains(&key) {
            found.push(key);
        }
        found.len() >= ONE_TO_ONE_MIN
    }
    if found.len() >= ONE_TO_ONE_MIN {
        return true;
    }
    let mut cursor = 0;
    for (range, plan, noted) in pieces {
        if *plan != Plan::Traditional {
            continue;
        }
        match evidence {
            Some(evidence) if *noted => {
                while let Some(&(at, key)) = evidence.get(cursor) {
                    if at as usize >= range.end {
                        break;
                    }
                    cursor += 1;
                    if at as usize >= range.start && note(found, key) {
                        return true;
                    }
                }
            }
            _ => {
                let b = text.as_bytes();
                let mut pos = range.start;
                loop {
                    let start = next_han(&b[..range.end], pos);
                    if start == range.end {
                        break;
                    }
                    pos = han_end(&b[..range.end], start);
                    if let Some((a, c)) = regional.first_exact(&text[start..pos]) {
                        let key = fast::pair_key(a, c);
                        if fast::pair_set_contains(t::ONE_TO_ONE_PAIR_SET, key) && note(found, key)
                        {
                            return true;
                        }
                    }
                }
            }
        }
    }
    false
}

/// Appends `text[from..to]` (character boundaries) to `out`: most such stretches between runs
/// of Han characters are a mark of punctuation or a space, and a copy of 16 bytes without
/// a call costs less than `push_str`'s.
#[inline(always)]
fn push_short(out: &mut String, text: &str, from: usize, to: usize) {
    let n = to - from;
    if n <= 16 && from + 16 <= text.len() {
        out.reserve(16);
        // SAFETY: `text[from..from + 16]` is in bounds and `out` has room for 16 more bytes;
        // only the `n` bytes of `text[from..to]`, a whole string slice, become part of it.
        unsafe {
            let v = out.as_mut_vec();
            let len = v.len();
            std::ptr::copy_nonoverlapping(text.as_ptr().add(from), v.as_mut_ptr().add(len), 16);
            v.set_len(len + n);
        }
    } else {
        out.push_str(&text[from..to]);
    }
}

/// Whether the code point is a Han ideograph ([`is_han`]).
#[inline]
fn is_han_cp(cp: u32) -> bool {
    matches!(cp, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The start of the first Han character at or after byte `i` of `b` (a character boundary of
/// valid UTF-8), or `b.len()`.
#[inline]
fn next_han(b: &[u8], mut i: usize) -> usize {
    loop {
        // Characters of three bytes are looked at one by one (between two runs of Chinese
        // text there is mostly a mark of punctuation, and the scan would stop at it anyway).
        if let Some(&[x, y, z]) = b.get(i..i + 3) {
            if (0xE3..0xF0).contains(&x) {
                let cp = ((x as u32 & 0x0F) << 12) | ((y as u32 & 0x3F) << 6) | (z as u32 & 0x3F);
                if is_han_cp(cp) {
                    return i;
                }
                i += 3;
                continue;
            }
        }
        i = scan::next(scan::Kind::Han, b, i);
        if i >= b.len() {
            return b.len();
        }
        let (cp, len) = script::decode(b, i);
        if is_han_cp(cp) {
            return i;
        }
        i += len;
    }
}

/// The end of the run of Han characters starting at byte `i` of `b`.
#[inline]
fn han_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] >= 0xE3 {
        let (cp, len) = script::decode(b, i);
        if !is_han_cp(cp) {
            break;
        }
        i += len;
    }
    i
}

#[cfg(test)]
mod tests;
