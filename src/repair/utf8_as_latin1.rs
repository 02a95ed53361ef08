//! UTF-8 read as windows-1252 / Latin-1, once or twice.
//!
//! Recipe: UTF-8 bytes decoded one byte per character. `你好` (`E4 BD A0 E5 A5 BD`) reads
//! `ä½\u{A0}å¥½`; done twice it reads `Ã¤Â½Â\u{A0}Ã¥Â¥Â½`. Reversible, as long as the
//! five bytes windows-1252 leaves undefined (81 8D 8F 90 9D) were decoded "sloppily" to the
//! C1 control of the same value, as encoding_rs and Latin-1 decoders do.
//!
//! Before → after: `ä½\u{A0}å¥½` → `你好`; `Ã¤Â½Â\u{A0}Ã¥Â¥Â½` → `你好` (utf8-double);
//! `cafÃ©` → `café`.

use super::recode::{Family, Right, Wrong};
use super::RepairKind;

pub(super) const FAMILY: Family = Family {
    kind: RepairKind::Utf8AsLatin1,
    wrong: Wrong::Windows1252,
    right: Right::Utf8,
    lost_byte: false,
    hole_bytes: 1,
    second_look: true,
    min_uncommon: 0.5,
    min_han: 0,
    repeated: Some(RepairKind::Utf8Double),
};

#[cfg(test)]
mod tests {
    use crate::repair::{repair, RepairKind, RepairOptions};

    fn fix(text: &str) -> (String, Vec<RepairKind>) {
        let fixed = repair(text, &RepairOptions::default());
        (
            fixed.text.into_owned(),
            fixed.repairs.iter().map(|r| r.kind).collect(),
        )
    }

    #[test]
    fn the_documented_examples() {
        assert_eq!(
            fix("ä½\u{A0}å¥½"),
            ("你好".into(), vec![RepairKind::Utf8AsLatin1])
        );
        assert_eq!(
            fix("Ã¤Â½Â\u{A0}Ã¥Â¥Â½"),
            ("你好".into(), vec![RepairKind::Utf8Double])
        );
        assert_eq!(fix("cafÃ©").0, "café");
    }

    #[test]
    fn genuine_latin_text_is_left_alone() {
        for text in [
            "café au lait",
            "Größe, Ärger, Öl",
            "São Paulo, coração",
            "½ × ¾ ©",
        ] {
            assert_eq!(fix(text).0, text);
        }
    }
}
