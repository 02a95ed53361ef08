//! The JSONL line rewriter on arbitrary bytes: never panics; an unchanged field leaves the line
//! byte-identical; a rewritten line is still valid JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhfix::batch::jsonl::rewrite_line;

fuzz_target!(|data: &[u8]| {
    let mut identity = |s: &str| Ok(s.to_string());
    if let Ok(out) = rewrite_line(data, "text", &mut identity) {
        assert_eq!(&out[..], data);
    }
    let mut upper = |s: &str| Ok(s.to_uppercase());
    if let Ok(out) = rewrite_line(data, "text", &mut upper) {
        // (serde_json's Value refuses numbers out of f64 range that the rewriter keeps as
        // written, so compare with the input's verdict.)
        let parses = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).is_ok();
        if out[..] != data[..] && parses(data) {
            assert!(parses(&out));
        }
    }
});
