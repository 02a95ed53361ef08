//! UTF-8 read as Shift_JIS or EUC-KR.
//!
//! Recipe: UTF-8 bytes decoded with a Japanese or Korean code page. `你好` reads `菴�螂ｽ`
//! in Shift_JIS (half-width katakana for single bytes A1-DF) and `鵝�也�` in EUC-KR. Partly
//! reversible: pairs the code page lacks are lost whole (Shift_JIS drops `EF BC`, the start of
//! every full-width punctuation mark), and the lost bytes are guessed among the candidates
//! consistent with that.
//!
//! Before → after: `菴\u{FFFD}螂ｽ` → `你好`; `鵝\u{FFFD}也\u{FFFD}` → `你好`.

use super::recode::{Family, Right, Wrong};
use super::RepairKind;

pub(super) const SHIFT_JIS: Family = Family {
    kind: RepairKind::Utf8AsShiftJis,
    wrong: Wrong::Legacy(encoding_rs::SHIFT_JIS),
    right: Right::Utf8,
    lost_byte: true,
    hole_bytes: 2,
    second_look: true,
    min_uncommon: 0.5,
    min_han: 0,
    repeated: None,
};

pub(super) const EUC_KR: Family = Family {
    kind: RepairKind::Utf8AsEucKr,
    wrong: Wrong::Legacy(encoding_rs::EUC_KR),
    right: Right::Utf8,
    lost_byte: true,
    hole_bytes: 2,
    second_look: true,
    min_uncommon: 0.5,
    min_han: 0,
    repeated: None,
};

#[cfg(test)]
mod tests {
    use crate::repair::{repair, RepairOptions};

    #[test]
    fn the_documented_examples() {
        assert_eq!(
            repair("菴\u{FFFD}螂ｽ", &RepairOptions::default()).text,
            "你好"
        );
        assert_eq!(
            repair("鵝\u{FFFD}也\u{FFFD}", &RepairOptions::default()).text,
            "你好"
        );
    }

    #[test]
    fn japanese_and_korean_are_left_alone() {
        for text in [
            "日本語のテキストです。東京へ行きます。",
            "한국어 문장입니다. 서울에 갑니다.",
        ] {
            assert_eq!(repair(text, &RepairOptions::default()).text, text);
        }
    }
}
