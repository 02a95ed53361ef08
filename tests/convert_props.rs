//! Properties of the converter: streaming equals one-shot for any chunking, characters that no
//! dictionary knows pass through, and the output is always valid UTF-8 (by type).

use proptest::prelude::*;
use zhfix::convert::{Config, Converter, StreamConverter};

/// Characters chosen to exercise phrases, one-to-many entries, regional tables, ASCII keys,
/// compatibility ideographs and line endings.
const ALPHABET: &[&str] = &[
    "汉", "字", "发", "展", "了", "如", "何", "软", "件", "鼠", "标", "么", "乾", "隆", "干", "后",
    "台", "几", "只", "里", "著", "著", "甚", "麼", "演", "算", "法", "U", "盘", "A", "-", "·",
    "〇", "\u{F9B8}", "書", "體", "\n", "\r\n", " ", "，", "。", "😀", "é", "ア", "한", "x",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..80).prop_map(|v| v.concat())
}

fn config_strategy() -> impl Strategy<Value = Config> {
    prop::sample::select(Config::ALL.to_vec())
}

/// `PROPTEST_CASES` when set (an explicit count in a config would override it), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(300)))]

    #[test]
    fn streaming_equals_one_shot(text in text_strategy(), config in config_strategy(), cuts in prop::collection::vec(0usize..400, 0..6)) {
        let converter = Converter::new(config);
        let whole = converter.convert(&text).into_owned();
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1)).filter(|&c| text.is_char_boundary(c)).collect();
        bounds.sort_unstable();
        let mut stream = StreamConverter::new(&converter);
        let mut out = String::new();
        let mut last = 0;
        for b in bounds {
            stream.feed(&text[last..b], &mut out);
            last = b;
        }
        stream.feed(&text[last..], &mut out);
        stream.finish(&mut out);
        prop_assert_eq!(out, whole);
    }

    #[test]
    fn unknown_characters_pass_through(text in "[a-z0-9 ,.!?😀éアイ한글\\n]{0,60}", config in config_strategy()) {
        // None of these is in any key (the Taiwan tables' Latin keys are upper case).
        let converter = Converter::new(config);
        prop_assert_eq!(converter.convert(&text), text.as_str());
    }
}

#[test]
fn long_lines_stream_in_bounded_pieces_with_the_same_result() {
    let converter = Converter::new(Config::S2twp);
    let unit = "软件发展了如何，鼠标里面的后台。";
    let line = unit.repeat(3 * zhfix::convert::MAX_STREAM_PENDING / unit.len());
    let whole = converter.convert(&line).into_owned();
    let mut stream = StreamConverter::new(&converter);
    let mut out = String::new();
    let mut fed = 0;
    for chunk in line.as_bytes().chunks(4096 * 3) {
        stream.feed(std::str::from_utf8(chunk).unwrap(), &mut out);
        fed += chunk.len();
        // Output keeps up: at most one pending window (plus a chunk) is held back.
        let held = fed.saturating_sub(out.len());
        assert!(
            held <= zhfix::convert::MAX_STREAM_PENDING + 4096 * 3,
            "holding {held} bytes"
        );
    }
    stream.finish(&mut out);
    assert_eq!(out, whole);
}
