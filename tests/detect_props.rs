//! Properties of the detection API on arbitrary input: no panics, streaming equals one-shot,
//! spans cover the text, an [`Analyzer`] fed in pieces equals [`detect::analyze`].

use proptest::prelude::*;
use std::path::PathBuf;

use zhfix::detect::{self, Analyzer, Encoding, EncodingDetector};

const ENCODINGS: [Encoding; 12] = [
    Encoding::UTF_8,
    Encoding::UTF_16LE,
    Encoding::UTF_16BE,
    Encoding::UTF_32LE,
    Encoding::UTF_32BE,
    Encoding::GBK,
    Encoding::BIG5,
    Encoding::SHIFT_JIS,
    Encoding::EUC_KR,
    Encoding::HZ_GB_2312,
    Encoding::ISO_2022_KR,
    Encoding::JOHAB,
];

proptest! {
    #[test]
    fn chunked_decoding_equals_one_shot(bytes in proptest::collection::vec(any::<u8>(), 0..200), size in 1usize..9) {
        for encoding in ENCODINGS {
            let whole = encoding.decode(&bytes);
            let mut decoder = encoding.new_decoder();
            let mut text = String::new();
            let mut errors = false;
            for chunk in bytes.chunks(size) {
                errors |= decoder.decode_to_string(chunk, &mut text, false);
            }
            errors |= decoder.decode_to_string(&[], &mut text, true);
            prop_assert_eq!(&text, &whole.0, "{}", encoding);
            prop_assert_eq!(errors, whole.1, "{}", encoding);
        }
    }

    #[test]
    fn detection_never_panics_and_streams(bytes in proptest::collection::vec(any::<u8>(), 0..300), size in 1usize..17) {
        let one_shot = detect::detect(&bytes);
        prop_assert!((0.0..=1.0).contains(&one_shot.confidence));
        let mut detector = EncodingDetector::new();
        for chunk in bytes.chunks(size) {
            detector.feed(chunk);
        }
        prop_assert_eq!(detector.finish(), one_shot);
        let _ = detect::detect_full(&bytes);
    }

    #[test]
    fn text_scans_never_panic(text in "(\\PC|[发們中浣犲ソä½å¥½(xiàn)<&?!\\r\\n]){0,80}") {
        let (script, problems) = detect::analyze(&text);
        prop_assert_eq!(script, detect::detect_script(&text));
        prop_assert_eq!(problems, detect::scan_problems(&text));
        let spans = detect::script_spans(&text);
        let mut at = 0;
        for span in &spans {
            prop_assert_eq!(span.range.start, at);
            at = span.range.end;
        }
        prop_assert_eq!(at, text.len());
    }

    #[test]
    fn analyzer_pieces_equal_whole(
        text in "(\\PC|[发們中浣犲ソä½å¥½(xiàn)<b>&;?!\r\n烫锟斤拷軟體件網絡路衞説裡]){0,200}",
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let whole = detect::analyze(&text);
        let mut analyzer = Analyzer::new();
        for piece in pieces(&text, &cuts) {
            analyzer.feed(piece);
        }
        prop_assert_eq!(analyzer.finish(), whole);
    }
}

/// Cuts `text` at the given places (moved down to character boundaries).
fn pieces<'a>(text: &'a str, cuts: &[usize]) -> Vec<&'a str> {
    let mut at: Vec<usize> = cuts
        .iter()
        .map(|&c| {
            let mut c = c % (text.len() + 1);
            while !text.is_char_boundary(c) {
                c -= 1;
            }
            c
        })
        .chain([0, text.len()])
        .collect();
    at.sort_unstable();
    at.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

/// The shared corpora (and the seed sample, damaged on purpose) fed in pieces of pseudo-random
/// sizes, from a byte to 256 KiB: the analyzer's cuts fall everywhere in real text.
#[test]
fn analyzer_on_corpora_equals_whole() {
    let shared = std::env::var_os("ZHFIX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpora"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds/000_f3976092b292c533.txt"));
    files.sort();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let whole = detect::analyze(&text);
        let mut analyzer = Analyzer::new();
        let mut at = 0;
        while at < text.len() {
            // xorshift: sizes spread over 1 B .. 256 KiB, small ones as often as large ones.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let size = 1usize << (state % 19);
            let mut end = (at + size).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            analyzer.feed(&text[at..end]);
            at = end;
        }
        assert_eq!(analyzer.finish(), whole, "{}", file.display());
    }
}
