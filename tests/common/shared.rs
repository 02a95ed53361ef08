//! Where the shared material is: the GPL-licensed corpora live outside the repository.

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
