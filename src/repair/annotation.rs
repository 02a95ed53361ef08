//! Inline pinyin annotations (behind `strip_annotations`).
//!
//! Recipe: a spam-site transform renders selected characters in Traditional script and puts
//! their tone-marked pinyin in ASCII parentheses right after them: `現(xiàn)身`, `產(chǎn)品`.
//! An annotation is removed only when the syllable is a reading of the character before it,
//! checked against the `pinyin` crate's tables (MIT, from Unihan kMandarin/kHanyuPinyin), so
//! `函数(x)` or `他(她)` never match.
//!
//! Before → after: `光速現(xiàn)身中國` → `光速現身中國`; `產(chǎn)品` → `產品`.

use pinyin::ToPinyinMulti;

use super::{Edit, RepairKind};

/// A text is annotated by the spam transform when it has at least this many annotations...
const MIN_ANNOTATIONS: usize = 3;
/// ...and at least one per this many Han characters. A learner's text with an occasional
/// `字(zì)` stays as it is.
const HAN_PER_ANNOTATION: usize = 150;

/// Every annotation in `text` whose syllable is a reading of the character it follows, if
/// the text is annotated densely enough to be the spam transform.
pub(super) fn find(text: &str) -> Vec<Edit> {
    let edits = find_all(text);
    let han = text
        .chars()
        .filter(|c| ('\u{3400}'..='\u{9FFF}').contains(c))
        .count();
    if edits.len() < MIN_ANNOTATIONS || edits.len() * HAN_PER_ANNOTATION < han {
        return Vec::new();
    }
    edits
}

/// Every annotation whose syllable is a reading of the character it follows.
fn find_all(text: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c == '(' || c == '（' {
            if let Some(han) = prev {
                if let Some(len) = annotation(han, &text[i..]) {
                    edits.push(Edit {
                        kind: RepairKind::Annotation,
                        start: i,
                        end: i + len,
                        after: String::new(),
                    });
                }
            }
        }
        prev = Some(c);
    }
    edits
}

/// The length of `(syllable)` at the start of `s` if the syllable is a reading of `han`.
fn annotation(han: char, s: &str) -> Option<usize> {
    let open = s.chars().next()?;
    let inner = &s[open.len_utf8()..];
    let close = inner.find([')', '）'])?;
    let syllable = &inner[..close];
    if syllable.is_empty()
        || syllable.chars().count() > 7
        || !syllable.chars().all(is_pinyin_letter)
    {
        return None;
    }
    let readings = han.to_pinyin_multi()?;
    let matches = readings.into_iter().any(|p| p.with_tone() == syllable);
    let close_len = inner[close..].chars().next()?.len_utf8();
    matches.then_some(open.len_utf8() + close + close_len)
}

fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str) -> String {
        super::super::apply(text, &find_all(text))
    }

    #[test]
    fn the_documented_examples() {
        assert_eq!(fix("光速現(xiàn)身中國"), "光速現身中國");
        assert_eq!(fix("產(chǎn)品"), "產品");
    }

    #[test]
    fn an_occasional_annotation_is_a_learner_text() {
        assert!(find("这个字(zì)很难写。").is_empty());
        assert_eq!(find("現(xiàn)在產(chǎn)品現(xiàn)身").len(), 3);
    }

    #[test]
    fn parentheses_that_are_not_readings_stay() {
        for text in ["函数f(x)", "他(她)们", "現(shen)身", "見(shēn)", "(xiàn)"] {
            assert_eq!(fix(text), text);
        }
    }
}
