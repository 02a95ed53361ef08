//! UTF-8 read as Big5.
//!
//! Recipe: UTF-8 bytes decoded as Big5. `你好` (`E4 BD A0 E5 A5 BD`) reads `雿�憟�`: `A0` is no
//! Big5 lead byte and the final `BD` has no partner, so each became `�`. Mostly lossy: a `�`
//! stands for one lost byte or an unmapped pair (two bytes Big5 drops whole), which the scorer
//! guesses among the candidates consistent with that.
//!
//! Before → after: `雿�憟�` → `你好`.

use super::recode::{Family, Right, Wrong};
use super::RepairKind;

pub(super) const FAMILY: Family = Family {
    kind: RepairKind::Utf8AsBig5,
    wrong: Wrong::Legacy(encoding_rs::BIG5),
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
    fn the_documented_example() {
        assert_eq!(
            repair("雿\u{FFFD}憟\u{FFFD}", &RepairOptions::default()).text,
            "你好"
        );
    }
}
