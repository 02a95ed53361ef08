//! OpenCC-exact conversion between Traditional and Simplified Chinese.
//!
//! [`Converter`] reproduces OpenCC 1.4.2 byte for byte: normalization of CJK compatibility
//! ideographs, greedy maximum-matching segmentation, and the conversion chain over each segment.
//! The dictionaries are compiled into the binary by `build.rs`, so a converter costs nothing to
//! create and shares its tables with every other one.
//!
//! ```
//! use zhfix::convert::{Config, Converter};
//!
//! let converter = Converter::new(Config::S2twp);
//! assert_eq!(converter.convert("鼠标和软件"), "滑鼠和軟體");
//! assert_eq!(Converter::new(Config::T2s).convert("漢字"), "汉字");
//! // Nothing to convert: the input comes back borrowed.
//! assert!(matches!(converter.convert("ASCII only"), std::borrow::Cow::Borrowed(_)));
//! ```

mod config;
mod dict;
mod engine;
mod hash;
mod scan;
mod stream;
mod user;

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

pub use config::Config;
pub use stream::{convert_stream, StreamConverter, MAX_PENDING as MAX_STREAM_PENDING};
pub use user::UserDict;

use crate::tables::opencc as t;
use dict::Dict;
use engine::NeedsNormalization;

/// One config resolved to its tables.
struct Plan {
    first: &'static Dict,
    segmented: bool,
    composed: Option<&'static Dict>,
    stages: Vec<&'static Dict>,
}

fn plans() -> &'static [Plan] {
    static PLANS: OnceLock<Vec<Plan>> = OnceLock::new();
    PLANS.get_or_init(|| {
        let dicts = dict::dicts();
        t::PLANS
            .iter()
            .map(|p| Plan {
                first: &dicts[p.first],
                segmented: p.segmented,
                composed: p.composed.map(|c| &dicts[c]),
                stages: p.stages.iter().map(|&s| &dicts[s]).collect(),
            })
            .collect()
    })
}

/// Converts text with one OpenCC config, optionally with user dictionaries on top.
///
/// Cheap to create and to clone, `Send + Sync`: the tables are static.
#[derive(Clone)]
pub struct Converter {
    config: Config,
    plan: &'static Plan,
    user: Option<Arc<UserDict>>,
}

impl std::fmt::Debug for Converter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Converter")
            .field("config", &self.config)
            .field("user_entries", &self.user.as_ref().map_or(0, |u| u.len()))
            .finish()
    }
}

impl Converter {
    /// A converter for `config`, exactly as OpenCC 1.4.2 converts.
    pub fn new(config: Config) -> Converter {
        Converter {
            config,
            plan: &plans()[config.index()],
            user: None,
        }
    }

    /// Adds a user dictionary whose entries take priority over the built-in ones: wherever a
    /// user key matches (longest first), its value is written as is.
    ///
    /// ```
    /// use zhfix::convert::{Config, Converter, UserDict};
    /// let user = UserDict::parse("<test>", "软件\t軟件\n").unwrap();
    /// let converter = Converter::new(Config::S2twp).with_user_dict(user);
    /// assert_eq!(converter.convert("软件"), "軟件");
    /// ```
    pub fn with_user_dict(mut self, dict: UserDict) -> Converter {
        let merged = match self.user.take() {
            Some(existing) => (*existing).clone().merged(dict),
            None => dict,
        };
        self.user = (!merged.is_empty()).then(|| Arc::new(merged));
        self
    }

    /// The config this converter applies.
    pub fn config(&self) -> Config {
        self.config
    }

    /// Converts `text`; borrows it back when nothing changes.
    pub fn convert<'a>(&self, text: &'a str) -> Cow<'a, str> {
        borrow_if_unchanged(text, |out| self.convert_into(text, out))
    }

    /// Appends the conversion of `text` to `out`.
    pub fn convert_into(&self, text: &str, out: &mut String) {
        let mut bytes = std::mem::take(out).into_bytes();
        match &self.user {
            None => self.convert_builtin(text, &mut bytes),
            Some(user) => {
                let mut plain_start = 0;
                for (start, end, value) in user.matches(text) {
                    self.convert_builtin(&text[plain_start..start], &mut bytes);
                    bytes.extend_from_slice(value.as_bytes());
                    plain_start = end;
                }
                self.convert_builtin(&text[plain_start..], &mut bytes);
            }
        }
        debug_assert!(std::str::from_utf8(&bytes).is_ok());
        // SAFETY: `bytes` held a `String`, and the engine appends only whole UTF-8 sequences:
        // characters of `text`, user values, and values from the tables, which the build script
        // wrote from `String`s (`dict::shared` checks the pools are UTF-8).
        *out = unsafe { String::from_utf8_unchecked(bytes) };
    }

    fn convert_builtin(&self, text: &str, out: &mut Vec<u8>) {
        if text.is_empty() {
            return;
        }
        let start = out.len();
        if self.run(text.as_bytes(), out).is_err() {
            out.truncate(start);
            let mut normalized = Vec::with_capacity(text.len());
            let norm = &dict::dicts()[t::NORMALIZATION];
            let _ = engine::greedy::<false>(norm, text.as_bytes(), &mut normalized);
            let _ = self.run(&normalized, out);
        }
    }

    fn run(&self, text: &[u8], out: &mut Vec<u8>) -> Result<(), NeedsNormalization> {
        let plan = self.plan;
        if plan.segmented {
            let mut scratch = [Vec::new(), Vec::new()];
            engine::fused(
                plan.first,
                plan.composed,
                &plan.stages,
                text,
                out,
                &mut scratch,
            )
        } else {
            engine::greedy::<true>(plan.first, text, out)?;
            debug_assert!(plan.stages.is_empty(), "unsegmented configs have one stage");
            Ok(())
        }
    }

    /// Whether a conversion may match across `c`. Text can be cut after any character for
    /// which this is false without changing the result.
    pub(crate) fn joins_across(&self, c: char) -> bool {
        is_han(c)
            || t::KEY_NON_HAN.contains(&c)
            || self.user.as_ref().is_some_and(|u| u.uses_char(c))
    }
}

/// Runs `convert` into a fresh buffer; gives `text` back borrowed when the result equals it.
/// Shared by every converter with a `convert(&str) -> Cow<str>`.
pub(crate) fn borrow_if_unchanged<'a>(
    text: &'a str,
    convert: impl FnOnce(&mut String),
) -> Cow<'a, str> {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    convert(&mut out);
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Han ideographs as OpenCC's tables use them (unified, extensions, compatibility).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converter_is_send_sync_and_cheap() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Converter>();
        let c = Converter::new(Config::S2t);
        assert_eq!(c.convert("汉字"), "漢字");
    }

    #[test]
    fn compatibility_ideographs_are_normalized_first() {
        // U+F9B8 is a compatibility form of 隸; OpenCC normalizes it before converting.
        let c = Converter::new(Config::T2s);
        assert_eq!(c.convert("\u{F9B8}書"), "隶书");
    }

    /// Texts glued from dictionary keys and values, ASCII (with the letters of ASCII keys, and
    /// letters between them that start no key),
    /// punctuation, two- and four-byte characters, compatibility ideographs and newlines,
    /// 100 to 3,000 bytes long: long enough for the engine's block path.
    fn stress_texts(count: usize, seed: u64) -> Vec<String> {
        stress_texts_from(count, seed, "")
    }

    /// `stress_texts` from the dictionaries whose file names start with `prefix`.
    fn stress_texts_from(count: usize, seed: u64, prefix: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/opencc/dictionary");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("dictionaries")
            .map(|e| e.expect("entry").path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
            .collect();
        files.sort();
        let mut tokens: Vec<String> = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(file).expect("dictionary");
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                if let Some((key, values)) = line.split_once('\t') {
                    tokens.push(key.to_string());
                    tokens.extend(values.split(' ').map(str::to_string));
                }
            }
        }
        let seps = [
            "", "", "", "", " ", "，", "。", "a", "H", "K", "SQL", "PN", "U", "R", "T", "\n", "·",
            "é", "😀", "\u{F9B8}", "12", "的", "了", "\r\n", "\u{A0}", "à", "ǎ",
        ];
        let mut state = seed;
        let mut next = move |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % n
        };
        (0..count)
            .map(|_| {
                let size = 100 + next(2900);
                let mut text = String::new();
                while text.len() < size {
                    let token = &tokens[next(tokens.len())];
                    let chars: Vec<char> = token.chars().collect();
                    // Sometimes only a part of a key, so that phrases start and fail.
                    let (from, to) = match next(4) {
                        0 if chars.len() > 1 => (next(chars.len()), chars.len()),
                        1 if chars.len() > 1 => (0, 1 + next(chars.len() - 1)),
                        _ => (0, chars.len()),
                    };
                    text.extend(&chars[from..to]);
                    // Mostly no separator: long runs of three-byte characters.
                    if next(3) == 0 {
                        text.push_str(seps[next(seps.len())]);
                    }
                }
                text
            })
            .collect()
    }

    /// `converter`'s output for `text`, which the block path and the general path agree on.
    fn converted_both_ways(converter: &Converter, text: &str) -> String {
        let fast = converter.convert(text).into_owned();
        engine::GENERAL_ONLY.with(|g| g.set(true));
        let general = converter.convert(text).into_owned();
        engine::GENERAL_ONLY.with(|g| g.set(false));
        assert_eq!(fast, general, "{:?}: {text}", converter.config);
        fast
    }

    #[test]
    fn block_path_equals_general_path() {
        let texts = stress_texts(150, 7);
        for config in Config::ALL {
            let converter = Converter::new(config);
            for text in &texts {
                converted_both_ways(&converter, text);
            }
        }
    }

    #[test]
    fn sparse_block_path_equals_general_path() {
        // s2t's block path converts character by character and looks at the segmentation only
        // next to `DIFF` characters (see `engine::sparse_block`): texts of its own keys, cut and
        // glued, make keys run across blocks and put `DIFF` characters everywhere.
        let converter = Converter::new(Config::S2t);
        for text in stress_texts_from(300, 11, "ST") {
            converted_both_ways(&converter, &text);
        }
    }

    #[test]
    fn block_path_copies_ascii_letters_that_start_no_key() {
        // Letters that start keys (`PN结`, `SQL注入`; for s2twp the composed `U盘`, `B超`)
        // before Han text, where they start one and where they do not.
        let text = "GNU 通用，U盘和U 盘，B超与BB超，PN结、SQL注入和SQ注入。".repeat(8);
        for config in [Config::S2t, Config::S2twp, Config::S2tw, Config::S2hk] {
            converted_both_ways(&Converter::new(config), &text);
        }
        let twp = converted_both_ways(&Converter::new(Config::S2twp), &text);
        assert!(twp
            .starts_with("GNU 通用，隨身碟和U 盤，超音波與B超音波，PN接面、SQL隱碼攻擊和SQ注入。"));
    }

    #[test]
    fn block_path_splices_values_of_another_length() {
        // Up to eight keys per 64-byte block whose s2twp value is shorter (the block keeps
        // four, the fifth ends it), between characters that stay or change alone.
        let c = Converter::new(Config::S2twp);
        for n in 1..8 {
            let text = format!("{}软件。", "英伟达和".repeat(n)).repeat(12);
            let out = converted_both_ways(&c, &text);
            assert_eq!(out, format!("{}軟體。", "輝達和".repeat(n)).repeat(12));
        }
    }

    #[test]
    fn segmented_configs_apply_the_chain_to_runs() {
        let c = Converter::new(Config::S2twp);
        assert_eq!(c.convert("软件"), "軟體");
        assert_eq!(c.convert("a软件b"), "a軟體b");
    }
}
