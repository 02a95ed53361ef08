//! The shared clean corpora and the punctuation style each is written in, for the corpus test
//! in `tests/punct.rs` and `examples/punct_corpus_diff.rs`, which must walk the same files.

use zhfix::punct::Style;

/// Each file under `../shared/corpora` with its own style (cn files zh-Hans, tw files zh-TW).
pub const OWN_STYLES: [(&str, Style); 4] = [
    ("debref-cn.txt", Style::ZhHans),
    ("maint-cn.txt", Style::ZhHans),
    ("debref-tw.txt", Style::ZhTw),
    ("maint-tw.txt", Style::ZhTw),
];
