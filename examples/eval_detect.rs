//! Prints zhfix's and chardetng's verdicts for files, whole or truncated; used by
//! `scripts/eval_detect.py`. Usage: `eval_detect [--truncate N] FILE...`.
//! Output, one line per file: `path<TAB>zhfix name<TAB>confidence<TAB>chardetng name`.

fn chardetng_alone(bytes: &[u8]) -> &'static str {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.name();
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true).name()
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut truncate = usize::MAX;
    if args.peek().map(String::as_str) == Some("--truncate") {
        args.next();
        truncate = args
            .next()
            .and_then(|n| n.parse().ok())
            .expect("--truncate N");
    }
    for path in args {
        let bytes = std::fs::read(&path).expect("readable file");
        let bytes = &bytes[..bytes.len().min(truncate)];
        let d = zhfix::detect::detect(bytes);
        println!(
            "{path}\t{}\t{:.3}\t{}",
            d.encoding.name(),
            d.confidence,
            chardetng_alone(bytes)
        );
    }
}
