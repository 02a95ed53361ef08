//! Properties of the detection API on arbitrary input: no panics, streaming equals one-shot,
//! spans cover the text.

use proptest::prelude::*;
use zhfix::detect::{self, Encoding, EncodingDetector};

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
}
