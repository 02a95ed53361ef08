//! Punctuation normalization on arbitrary text in every style: never panics, idempotent,
//! keeps the number of lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhfix::punct::{normalize_punct, Style};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for style in [Style::Keep, Style::ZhHans, Style::ZhTw, Style::ZhHk] {
        let once = normalize_punct(text, style);
        assert_eq!(once.matches('\n').count(), text.matches('\n').count());
        let twice = normalize_punct(&once, style);
        assert_eq!(twice, once, "not idempotent for {style:?}");
    }
});
