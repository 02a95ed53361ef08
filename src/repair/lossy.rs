//! Lossy markers: bytes that are gone for good. Reported, never changed.
//!
//! Recipe: U+FFFD's UTF-8 bytes `EF BF BD EF BF BD` re-read as GBK give `锟斤拷`; the fill
//! bytes MSVC puts in uninitialized memory (0xCC stack, 0xCD heap) read as GBK give `烫烫烫`
//! and `屯屯屯`; a decoder with replacement leaves runs of `�`.
//!
//! Before → after: `文件锟斤拷锟斤拷损坏` reports `锟斤拷锟斤拷` (unchanged); `烫烫烫烫` and
//! `��` likewise.

use super::{Edit, RepairKind};

/// Every run of lossy markers in `text`, as edits that change nothing.
pub(super) fn find(text: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let end = match c {
            '\u{FFFD}' => run_end(text, start, "\u{FFFD}", 1),
            '锟' => run_end(text, start, "锟斤拷", 1),
            '烫' => run_end(text, start, "烫", 3),
            '屯' => run_end(text, start, "屯", 3),
            _ => None,
        };
        if let Some(end) = end {
            edits.push(Edit {
                kind: RepairKind::LossyMarker,
                start,
                end,
                after: text[start..end].to_string(),
            });
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
        }
    }
    edits
}

/// The end of a run of at least `min` repetitions of `unit` starting at `start`.
fn run_end(text: &str, start: usize, unit: &str, min: usize) -> Option<usize> {
    let mut end = start;
    let mut count = 0;
    while text[end..].starts_with(unit) {
        end += unit.len();
        count += 1;
    }
    (count >= min).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<&str> {
        find(text).iter().map(|e| &text[e.start..e.end]).collect()
    }

    #[test]
    fn the_documented_examples() {
        assert_eq!(spans("文件锟斤拷锟斤拷损坏"), ["锟斤拷锟斤拷"]);
        assert_eq!(spans("烫烫烫烫"), ["烫烫烫烫"]);
        assert_eq!(spans("a��b"), ["��"]);
    }

    #[test]
    fn genuine_words_are_not_markers() {
        assert!(spans("水很烫，烫烫的汤。屯兵。").is_empty());
    }
}
