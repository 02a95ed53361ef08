//! The words of OpenCC's Taiwan and Hong Kong phrase tables (keys and values, as written and
//! in Simplified): the inputs of the idempotence scan (`examples/idempotence_scan.rs`) and of
//! its quick form in `tests/target_regressions.rs`.

use std::collections::BTreeSet;
use zhfix::target::{Target, TargetConverter};

pub fn regional_words() -> BTreeSet<String> {
    let hans = TargetConverter::new(Target::ZhHans);
    let mut words = BTreeSet::new();
    for f in [
        "TWPhrases",
        "TWPhrasesRev",
        "HKVariantsPhrases",
        "HKVariantsRevPhrases",
    ] {
        let path = format!(
            "{}/data/opencc/dictionary/{f}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("OpenCC dictionary");
        for line in text.lines() {
            for w in line.split(['\t', ' ']).filter(|w| w.chars().count() > 1) {
                words.insert(w.to_string());
                words.insert(hans.convert(w).into_owned());
            }
        }
    }
    words
}
