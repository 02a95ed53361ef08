//! Where the shared material is: the GPL-licensed corpora live outside the repository.
//! (Each test crate that includes this uses part of it.)
#![allow(dead_code)]

use std::path::PathBuf;

/// `$ZHFIX_SHARED/corpora` if set, else `../shared/corpora` next to the checkout (CI), else
/// `../../shared/corpora` (a worktree one level deeper), as `benches/convert.rs` looks them up.
pub fn corpora_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        std::env::var_os("ZHFIX_SHARED").map(PathBuf::from),
        Some(root.join("../shared")),
        Some(root.join("../../shared")),
    ]
    .into_iter()
    .flatten()
    .map(|d| d.join("corpora"))
    .find(|d| d.is_dir())
}

/// Each `*.txt` file of the shared corpora as (file name, text), by name; `None` (and a note on
/// stderr) when the corpora are absent, so that the caller's test skips.
pub fn corpora() -> Option<Vec<(String, String)>> {
    let Some(dir) = corpora_dir() else {
        eprintln!("../shared/corpora not found: skipping");
        return None;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpora")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    Some(
        files
            .iter()
            .map(|p| {
                let name = p.file_name().expect("name").to_string_lossy().into_owned();
                (name, std::fs::read_to_string(p).expect("corpus"))
            })
            .collect(),
    )
}
