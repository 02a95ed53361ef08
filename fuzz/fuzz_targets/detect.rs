//! Detection on arbitrary bytes: never panics; the verdict decodes the input; the streaming
//! detector agrees with the one-shot one; script and problem scans accept any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhfix::detect::{detect, detect_script, scan_problems, script_spans, EncodingDetector};

fuzz_target!(|data: &[u8]| {
    let verdict = detect(data);
    assert!((0.0..=1.0).contains(&verdict.confidence));
    let mut streaming = EncodingDetector::new();
    for chunk in data.chunks(7) {
        streaming.feed(chunk);
    }
    assert_eq!(streaming.finish().encoding, verdict.encoding);
    let (text, _) = verdict.encoding.decode(data);
    let _ = detect_script(&text);
    let spans = script_spans(&text);
    let mut end = 0;
    for span in &spans {
        assert!(span.range.start >= end && text.is_char_boundary(span.range.start));
        end = span.range.end;
    }
    let _ = scan_problems(&text);
});
