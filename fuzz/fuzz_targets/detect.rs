//! Detection on arbitrary bytes: never panics; the verdict decodes the input; the streaming
//! detector agrees with the one-shot one; script and problem scans accept any text, and the
//! streaming analyzer, fed pieces, agrees with the one-pass `analyze` and the two scans.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhfix::detect::{
    analyze, detect, detect_script, scan_problems, script_spans, Analyzer, EncodingDetector,
};

fuzz_target!(|data: &[u8]| {
    let verdict = detect(data);
    assert!((0.0..=1.0).contains(&verdict.confidence));
    let mut streaming = EncodingDetector::new();
    for chunk in data.chunks(7) {
        streaming.feed(chunk);
    }
    assert_eq!(streaming.finish().encoding, verdict.encoding);
    let (text, _) = verdict.encoding.decode(data);
    let whole = analyze(&text);
    assert_eq!(whole.0, detect_script(&text));
    assert_eq!(whole.1, scan_problems(&text));
    let mut analyzer = Analyzer::new();
    let mut at = 0;
    for piece in data.chunks(5) {
        // Pieces of about five bytes, split at character boundaries.
        let mut end = (at + piece.len()).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        analyzer.feed(&text[at..end]);
        at = end;
    }
    analyzer.feed(&text[at..]);
    assert_eq!(analyzer.finish(), whole);
    let spans = script_spans(&text);
    let mut end = 0;
    for span in &spans {
        assert!(span.range.start >= end && text.is_char_boundary(span.range.start));
        end = span.range.end;
    }
});
