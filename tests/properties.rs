//! Properties of `fix` and `convert` (issue 8, docs/reliability.md): clean text passes through,
//! streaming equals one-shot for any chunking, parallel equals serial, `fix --to X` is
//! idempotent, characters in no dictionary are never changed, UTF-8 output is always valid.

use std::borrow::Cow;
use std::io::Read;

use proptest::prelude::*;
use zhfix::convert::{Config, Converter};
use zhfix::detect::Encoding;
use zhfix::pipeline::Pipeline;
use zhfix::punct::Style;
use zhfix::target::{Target, TargetConverter};

/// Clean lines, one script or language each; any sequence of them is clean text.
const CLEAN: &[&[&str]] = &[
    // Simplified Chinese, GB/T 15834 punctuation.
    &[
        "我们今天去图书馆看书。",
        "他说：“这个问题很简单。”",
        "经济、文化和社会都在发展；",
        "请问，你吃饭了吗？",
        "第一章　总则",
        "北京是中华人民共和国的首都。",
    ],
    // Traditional Chinese (Taiwan).
    &[
        "我們今天去圖書館看書。",
        "他說：「這個問題很簡單。」",
        "經濟、文化和社會都在發展；",
        "請問，你吃飯了嗎？",
        "臺灣的軟體產業很發達。",
    ],
    // Japanese.
    &[
        "今日はいい天気ですね。",
        "東京駅で友達に会いました。",
        "カタカナとひらがなを勉強します。",
    ],
    // Korean.
    &[
        "안녕하세요. 만나서 반갑습니다.",
        "한국어를 공부하고 있어요.",
    ],
    // Latin scripts.
    &[
        "The quick brown fox jumps over the lazy dog.",
        "Ça va très bien, merci !",
        "Straße, Übergröße, naïve café",
        "Привет, мир.",
    ],
    // Emoji.
    &["👍🏽 🎉 ❤️ 🇨🇳 👨‍👩‍👧", "ok 😀"],
    // Code.
    &[
        "fn main() { println!(\"{}\", x + 1); }",
        "if (a < b && c > d) { return [1, 2, 3]; }",
        "const s = 'single', t = \"double\"; // comment",
        "SELECT id, name FROM users WHERE age >= 18;",
        "<div class=\"x\">&amp;</div>",
    ],
];

fn clean_text() -> impl Strategy<Value = String> {
    let line = (0..CLEAN.len())
        .prop_flat_map(|lang| prop::collection::vec(prop::sample::select(CLEAN[lang]), 1..4))
        .prop_map(|v| v.concat());
    (
        prop::collection::vec(line, 0..8),
        prop::sample::select(vec!["\n", "\r\n"]),
        any::<bool>(),
    )
        .prop_map(|(lines, eol, final_eol)| {
            let mut s = lines.join(eol);
            if final_eol && !s.is_empty() {
                s.push_str(eol);
            }
            s
        })
}

/// Text that exercises conversion, punctuation and repair: Simplified, Traditional, quotes,
/// ASCII punctuation next to Han, line breaks.
const PIECES: &[&str] = &[
    "汉", "字", "发", "展", "后", "台", "软", "件", "鼠", "标", "干", "里", "著", "么", "體", "書",
    "發", "後", "臺", "軟", "體", "麼", "裡", "乾", "你", "好", "的", "是", "。", "，", ",", ".",
    ":", "：", ";", "?", "!", "\"", "'", "“", "”", "「", "」", "(", ")", "（", "）", " ", "\n",
    "\r\n", "a", "1", "x", "😀", "é", "ア", "한", "——", "...", "…", "\u{3000}", "\t",
    // Words of Traditional text made by a character table (docs/target.md).
    "終于", "隨后", "采購", "關系",
];

fn messy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|v| v.concat())
}

/// Characters that no OpenCC dictionary, target table or punctuation rule knows.
fn unknown_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::char::range('a', 'z'),
        prop::char::range('가', '힣'),
        prop::char::range('а', 'я'),
        prop::char::range('😀', '🙏'),
        prop::char::range('0', '9'),
        prop::char::range('α', 'ω'),
    ]
}

fn is_unknown(c: char) -> bool {
    c.is_ascii_lowercase()
        || c.is_ascii_digit()
        || ('가'..='힣').contains(&c)
        || ('а'..='я').contains(&c)
        || ('😀'..='🙏').contains(&c)
        || ('α'..='ω').contains(&c)
}

fn mixed_with_unknown() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            unknown_char().prop_map(|c| c.to_string()),
            prop::sample::select(PIECES).prop_map(str::to_string),
        ],
        0..80,
    )
    .prop_map(|v| v.concat())
}

fn target() -> impl Strategy<Value = Target> {
    prop::sample::select(Target::ALL.to_vec())
}

fn style() -> impl Strategy<Value = Style> {
    prop::sample::select(Style::ALL.to_vec())
}

/// A reader that hands out its data in the given piece sizes (then the rest).
struct Chunked<'a> {
    data: &'a [u8],
    sizes: Vec<usize>,
    i: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes.get(self.i).copied().unwrap_or(usize::MAX).max(1);
        self.i += 1;
        let n = want.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// `PROPTEST_CASES` when set (an explicit count in a config would override it), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig {
        // GBK cannot encode every generated text (`prop_assume!`): allow rejects in proportion.
        max_global_rejects: 4 * cases(256),
        ..ProptestConfig::with_cases(cases(256))
    })]

    #[test]
    fn clean_text_passes_fix_unchanged(text in clean_text()) {
        let pipeline = Pipeline::builder().build();
        prop_assert!(matches!(pipeline.fix(&text), Cow::Borrowed(_)), "{:?} -> {:?}", text, pipeline.fix(&text));
        let doc = pipeline.fix_bytes(text.as_bytes(), "t").unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&doc.output), text.as_str());
        prop_assert!(!doc.changed);
        let all = Pipeline::builder().all().build();
        // --all also decodes entities: the markup line is the only one it may change.
        if !text.contains("&amp;") && !text.contains("<div") {
            prop_assert_eq!(all.fix(&text), text.as_str());
        }
    }

    /// The stream fixes paragraph by paragraph (bounded memory, and the result must not depend
    /// on how a pipe splits the input), as one-shot does, with what earlier paragraphs showed
    /// carried forward the same way (`target::Document`). So the stream gives the same output
    /// for any chunking, and the same as one-shot.
    #[test]
    fn streaming_equals_one_shot(
        text in messy_text(),
        gbk in any::<bool>(),
        to in prop::option::of(target()),
        punct in style(),
        sizes in prop::collection::vec(1usize..64, 0..40),
    ) {
        let mut builder = Pipeline::builder().punct(punct);
        if let Some(t) = to {
            builder = builder.to(t);
        }
        let pipeline = builder.build();
        let paragraphs = text.replace("\r\n", "\n").replace('\n', "\n\n");
        for text in [text, paragraphs] {
            let bytes: Vec<u8> = if gbk {
                let (b, _, unmappable) = encoding_rs::GBK.encode(&text);
                prop_assume!(!unmappable);
                b.into_owned()
            } else {
                text.clone().into_bytes()
            };
            let Ok(whole) = pipeline.fix_bytes(&bytes, "t") else { return Ok(()) };
            let mut out = Vec::new();
            let encoding = pipeline
                .fix_stream(Chunked { data: &bytes, sizes: sizes.clone(), i: 0 }, &mut out, "t")
                .unwrap();
            let mut single = Vec::new();
            pipeline.fix_stream(&bytes[..], &mut single, "t").unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&single));
            prop_assert_eq!(encoding, whole.encoding);
            prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&whole.output));
        }
    }

    #[test]
    fn target_conversion_is_idempotent(text in messy_text(), to in target()) {
        let converter = TargetConverter::new(to);
        let once = converter.convert(&text).into_owned();
        let twice = converter.convert(&once).into_owned();
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn fix_to_target_is_idempotent(text in messy_text(), to in target()) {
        let pipeline = Pipeline::builder().to(to).build();
        let once = pipeline.fix(&text).into_owned();
        let twice = pipeline.fix(&once).into_owned();
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn fix_to_target_with_punct_is_idempotent(text in messy_text(), to in target(), punct in style()) {
        let pipeline = Pipeline::builder().to(to).punct(punct).build();
        let once = pipeline.fix(&text).into_owned();
        let twice = pipeline.fix(&once).into_owned();
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn characters_in_no_dictionary_are_kept(text in mixed_with_unknown(), to in target(), config in prop::sample::select(Config::ALL.to_vec())) {
        let unknown: String = text.chars().filter(|&c| is_unknown(c)).collect();
        let converted = Converter::new(config).convert(&text).into_owned();
        prop_assert_eq!(converted.chars().filter(|&c| is_unknown(c)).collect::<String>(), unknown.clone());
        let targeted = TargetConverter::new(to).convert(&text).into_owned();
        prop_assert_eq!(targeted.chars().filter(|&c| is_unknown(c)).collect::<String>(), unknown);
    }

    #[test]
    fn fix_keeps_characters_in_no_dictionary(text in mixed_with_unknown(), to in target()) {
        let unknown: String = text.chars().filter(|&c| is_unknown(c)).collect();
        let fixed = Pipeline::builder().to(to).build().fix(&text).into_owned();
        prop_assert_eq!(fixed.chars().filter(|&c| is_unknown(c)).collect::<String>(), unknown);
    }

    #[test]
    fn utf8_output_is_always_valid(bytes in prop::collection::vec(any::<u8>(), 0..400), to in prop::option::of(target()), punct in style()) {
        let mut builder = Pipeline::builder().punct(punct).all();
        if let Some(t) = to {
            builder = builder.to(t);
        }
        let pipeline = builder.build();
        if let Ok(doc) = pipeline.fix_bytes(&bytes, "t") {
            prop_assert!(std::str::from_utf8(&doc.output).is_ok());
        }
        let mut out = Vec::new();
        if pipeline.fix_stream(&bytes[..], &mut out, "t").is_ok() {
            prop_assert!(std::str::from_utf8(&out).is_ok());
        }
        // And with an explicit legacy input encoding (decode errors become U+FFFD).
        let big5 = Pipeline::builder().from(Encoding::for_label("big5").unwrap()).build();
        if let Ok(doc) = big5.fix_bytes(&bytes, "t") {
            prop_assert!(std::str::from_utf8(&doc.output).is_ok());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parallel equals serial, through the binary, on generated trees.

fn tree_file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        messy_text().prop_map(String::into_bytes),
        messy_text().prop_map(|t| encoding_rs::GBK.encode(&t).0.into_owned()),
        messy_text().prop_map(|t| encoding_rs::BIG5.encode(&t).0.into_owned()),
        prop::collection::vec(any::<u8>(), 0..200),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn parallel_equals_serial(files in prop::collection::vec(tree_file(), 1..40), to in target()) {
        let dir = tempfile::tempdir().unwrap();
        for (i, data) in files.iter().enumerate() {
            let p = dir.path().join(format!("d{}/f{i:02}.txt", i % 3));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, data).unwrap();
        }
        let run = |jobs: &str, cmd: &[&str]| {
            assert_cmd::Command::cargo_bin("zhfix")
                .unwrap()
                .args(cmd)
                .args(["-j", jobs])
                .arg(dir.path())
                .output()
                .unwrap()
        };
        for cmd in [
            vec!["fix", "--to", to.name(), "--punct", "zh-TW"],
            vec!["convert", "-c", "s2t"],
        ] {
            let serial = run("1", &cmd);
            let parallel = run("2", &cmd);
            prop_assert_eq!(&serial.stdout, &parallel.stdout);
            prop_assert_eq!(serial.status.code(), parallel.status.code());
            let strip = |e: &[u8]| {
                String::from_utf8_lossy(e)
                    .lines()
                    .filter(|l| !(l.starts_with("zhfix: ") && l.contains(" changed, ")))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            };
            prop_assert_eq!(strip(&serial.stderr), strip(&parallel.stderr));
        }
    }
}
