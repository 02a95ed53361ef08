//! Prints every line of the shared clean corpora that `normalize_punct` changes under the
//! corpus's own style (cn files with zh-Hans, tw files with zh-TW), for reading them one by one.
//!
//! ```text
//! ZHFIX_SHARED=/work/shared cargo run --release --example punct_corpus_diff > changes.txt
//! ```
//!
//! Output: for each changed line, `file:line`, then the line before (`-`) and after (`+`). The
//! line numbers are those of `tests/data/punct_corpus_changes.tsv`, which the test
//! `clean_corpora_under_their_own_style` checks; a count per file goes to stderr.

use std::path::PathBuf;

use zhfix::punct::normalize_punct;

#[path = "../tests/common/punct_corpora.rs"]
mod punct_corpora;

fn main() {
    let shared = std::env::var_os("ZHFIX_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    for (file, style) in punct_corpora::OWN_STYLES {
        let Ok(text) = std::fs::read_to_string(shared.join("corpora").join(file)) else {
            eprintln!("{file}: not found under {}/corpora", shared.display());
            continue;
        };
        let out = normalize_punct(&text, style);
        let mut changed = 0;
        for (n, (before, after)) in text.split('\n').zip(out.split('\n')).enumerate() {
            if before != after {
                changed += 1;
                println!("{file}:{}\n- {before}\n+ {after}", n + 1);
            }
        }
        eprintln!("{file} ({style}): {changed} lines changed");
    }
}
