//! GBK read as windows-1252 / Latin-1.
//!
//! Recipe: GBK bytes decoded one byte per character. `你好` (`C4 E3 BA C3`) reads `ÄãºÃ`.
//! Reversible, but about a third of genuine accented European lines would also "decode" as
//! GBK, so a repair needs the result to be convincingly Chinese.
//!
//! Before → after: `ÄãºÃ` → `你好`; `ÖÐÎÄ×Ö·û` → `中文字符`.

use super::recode::{Family, Right, Wrong};
use super::RepairKind;

pub(super) const FAMILY: Family = Family {
    kind: RepairKind::GbkAsLatin1,
    wrong: Wrong::Windows1252,
    right: Right::Legacy(encoding_rs::GBK),
    lost_byte: false,
    hole_bytes: 1,
    second_look: true,
    min_uncommon: 0.5,
    min_han: 2,
    repeated: None,
};

#[cfg(test)]
mod tests {
    use crate::repair::{repair, RepairKind, RepairOptions};

    fn fix(text: &str) -> String {
        repair(text, &RepairOptions::default()).text.into_owned()
    }

    #[test]
    fn the_documented_examples() {
        assert_eq!(fix("ÄãºÃ"), "你好");
        assert_eq!(fix("ÖÐÎÄ×Ö·û"), "中文字符");
        assert_eq!(
            repair("ÄãºÃ", &RepairOptions::default()).repairs[0].kind,
            RepairKind::GbkAsLatin1
        );
    }

    #[test]
    fn european_text_is_left_alone() {
        for text in [
            "Ærø og Åse",
            "Él está aquí, ¿sí?",
            "Ça coûte très cher",
            "Übermäßig",
        ] {
            assert_eq!(fix(text), text);
        }
    }
}
