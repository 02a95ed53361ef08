//! GBK read as Big5.
//!
//! Recipe: GBK bytes decoded as Big5, the legacy double-byte confusion between mainland and
//! Taiwan software. `你好` (`C4 E3 BA C3`) reads `斕疑`. Mostly reversible: Big5 has no
//! characters for GBK pairs whose trail byte is 0x80-0xA0, and those come out as `�`; each `�`
//! is one lost character, which the scorer picks among the 200 most frequent characters Big5
//! drops whole (or, before a lone ASCII letter, whose lead alone was lost: `並` reads `�K`).
//!
//! Before → after: `斕疑岍賜` → `你好世界`; `楛闚笢恅` → `繁體中文`. Two characters alone
//! (`斕疑`) are too few to tell from genuine text and stay as they are.

use super::recode::{Family, Right, Wrong};
use super::RepairKind;

pub(super) const FAMILY: Family = Family {
    kind: RepairKind::GbkAsBig5,
    wrong: Wrong::Legacy(encoding_rs::BIG5),
    right: Right::Legacy(encoding_rs::GBK),
    lost_byte: true,
    hole_bytes: 1,
    second_look: true,
    min_uncommon: 0.5,
    min_han: 1,
    repeated: None,
};

#[cfg(test)]
mod tests {
    use crate::repair::{repair, RepairKind, RepairOptions};

    #[test]
    fn the_documented_examples() {
        let fixed = repair("斕疑岍賜", &RepairOptions::default());
        assert_eq!(fixed.text, "你好世界");
        assert_eq!(fixed.repairs[0].kind, RepairKind::GbkAsBig5);
        assert_eq!(
            repair("楛闚笢恅", &RepairOptions::default()).text,
            "繁體中文"
        );
    }

    fn damage(text: &str) -> String {
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        encoding_rs::BIG5
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned()
    }

    #[test]
    fn lost_characters_and_hkscs() {
        for clean in [
            // `沒`, `會` read as HKSCS characters beyond the BMP (`𢬿`, `𩂰`).
            "如果密碼沒有設定，使用者會看到錯誤。",
            // `軟`, `經` lost whole (`�`); `並` lost its lead byte only (`�K`).
            "所有的軟體都已經安裝完成了。",
            "軟體包並不需要重新安裝。",
            // GBK's `。` read as Big5 (`﹝`) after ASCII.
            "这一章假定最新的稳定版的代号为：bullseye 。",
        ] {
            let broken = damage(clean);
            assert_ne!(broken, clean);
            assert_eq!(repair(&broken, &RepairOptions::default()).text, clean);
        }
    }

    #[test]
    fn genuine_traditional_text_is_left_alone() {
        let text = "臺灣的繁體中文，鬱悶、龜裂、齷齪。";
        assert_eq!(repair(text, &RepairOptions::default()).text, text);
    }
}
