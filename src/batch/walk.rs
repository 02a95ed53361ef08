//! Turning command-line operands into the ordered list of files to process.
//!
//! Policy (docs/batch.md):
//! - An operand that names a file (or a symlink to one, or a FIFO such as `<(cmd)`) is processed
//!   as named; `--glob`, `--ext` and the hidden-file rule do not apply to it.
//! - An operand that names a directory is walked recursively in sorted order. Inside it symbolic
//!   links are never followed (neither to files nor to directories), so a walk never leaves
//!   the tree and never visits a file twice; hidden entries (name starting with `.`) are
//!   skipped unless `--hidden`; entries that are not regular files (FIFOs, sockets, devices) are
//!   skipped with a warning, since opening them could block or never end.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::Error;

/// One file to process, with where it came from (for `--out-dir` mirroring).
#[derive(Clone, Debug)]
pub struct Input {
    /// The path to open, as given or as found under a walked directory.
    pub path: PathBuf,
    /// The path to mirror under `--out-dir` (the operand's path, lexically normalized).
    pub rel: PathBuf,
    /// Size from the walk's metadata (0 when unknown), for the progress bar.
    pub size: u64,
    /// `-`: standard input.
    pub stdin: bool,
    /// Found by the walk but not to be processed: reported in its place in the order.
    pub note: Option<Note>,
}

/// Something the walk found that is not processed, to report.
#[derive(Clone, Debug)]
pub enum Note {
    /// Skipped, with a reason (a warning: exit status unaffected).
    Skipped(String),
    /// Could not be listed or examined (a failure: exit 2), with the full message.
    Failed(String),
}

/// Which walked files to take: `--glob` and `--ext` and `--hidden`.
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
    exts: Vec<String>,
    hidden: bool,
    /// A directory never to enter (the `--out-dir`, when it lies inside a walked tree).
    exclude_dir: Option<PathBuf>,
}

impl Filter {
    /// `globs`: patterns matched against the file name, or, when they contain `/`, against the
    /// path relative to the walked directory; a leading `!` excludes. `exts`: extensions without
    /// the dot (`txt`, `jsonl.gz`), comma-separated lists allowed.
    pub fn new(globs: &[String], exts: &[String], hidden: bool) -> Result<Filter, Error> {
        let mut inc = GlobSetBuilder::new();
        let mut exc = GlobSetBuilder::new();
        let (mut n_inc, mut n_exc) = (0, 0);
        for g in globs {
            let (neg, pat) = match g.strip_prefix('!') {
                Some(p) => (true, p),
                None => (false, g.as_str()),
            };
            let pat = if pat.contains('/') {
                pat.to_string()
            } else {
                format!("**/{pat}")
            };
            let glob = Glob::new(&pat).map_err(|e| Error::Input {
                path: "--glob".into(),
                message: e.to_string(),
            })?;
            if neg {
                exc.add(glob);
                n_exc += 1;
            } else {
                inc.add(glob);
                n_inc += 1;
            }
        }
        let build = |b: GlobSetBuilder| {
            b.build().map_err(|e| Error::Input {
                path: "--glob".into(),
                message: e.to_string(),
            })
        };
        Ok(Filter {
            include: if n_inc > 0 { Some(build(inc)?) } else { None },
            exclude: if n_exc > 0 { Some(build(exc)?) } else { None },
            exts: exts
                .iter()
                .flat_map(|e| e.split(','))
                .map(|e| e.trim().trim_start_matches('.').to_ascii_lowercase())
                .filter(|e| !e.is_empty())
                .collect(),
            hidden,
            exclude_dir: None,
        })
    }

    /// Never enter `dir` (by its real path) during walks: `--out-dir` inside the input tree
    /// would otherwise be taken as input by the next run.
    pub fn exclude_dir(mut self, dir: &Path) -> Filter {
        self.exclude_dir = std::fs::canonicalize(dir).ok();
        self
    }

    fn enters(&self, entry: &walkdir::DirEntry) -> bool {
        if entry.depth() == 0 {
            return true;
        }
        if !self.hidden && is_hidden(entry.file_name()) {
            return false;
        }
        match &self.exclude_dir {
            Some(ex) if entry.file_type().is_dir() => {
                std::fs::canonicalize(entry.path()).map_or(true, |p| &p != ex)
            }
            _ => true,
        }
    }

    fn wants(&self, rel: &Path) -> bool {
        if let Some(inc) = &self.include {
            if !inc.is_match(rel) {
                return false;
            }
        }
        if let Some(exc) = &self.exclude {
            if exc.is_match(rel) {
                return false;
            }
        }
        if !self.exts.is_empty() {
            let name = rel
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            if !self.exts.iter().any(|e| {
                name.len() > e.len() + 1
                    && name.ends_with(e.as_str())
                    && name[..name.len() - e.len()].ends_with('.')
            }) {
                return false;
            }
        }
        true
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Lexically normalizes an operand for mirroring: drops `.` and the root, refuses `..`.
pub fn mirror_path(operand: &Path) -> Result<PathBuf, String> {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in operand.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                return Err("paths with `..` cannot be mirrored under --out-dir".into())
            }
        }
    }
    Ok(out)
}

/// Expands operands into files, in operand order, each directory in sorted order.
pub fn collect(operands: &[PathBuf], filter: &Filter) -> Vec<Input> {
    let mut inputs = Vec::new();
    for op in operands {
        if op.as_os_str() == "-" {
            inputs.push(Input {
                path: op.clone(),
                rel: PathBuf::from("-"),
                size: 0,
                stdin: true,
                note: None,
            });
            continue;
        }
        let rel = mirror_path(op).unwrap_or_else(|_| op.clone());
        // Operands are followed (the user named them).
        match std::fs::metadata(op) {
            Ok(md) if md.is_dir() => walk_dir(op, &rel, filter, &mut inputs),
            Ok(md) => inputs.push(Input {
                path: op.clone(),
                rel,
                size: if md.is_file() { md.len() } else { 0 },
                stdin: false,
                note: None,
            }),
            // Let the processing report the error in order, with the open's message.
            Err(_) => inputs.push(Input {
                path: op.clone(),
                rel,
                size: 0,
                stdin: false,
                note: None,
            }),
        }
    }
    inputs
}

fn walk_dir(root: &Path, rel_root: &Path, filter: &Filter, inputs: &mut Vec<Input>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| filter.enters(e));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| root.display().to_string());
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("filesystem loop"));
                let message = Error::Io {
                    path: path.clone(),
                    source,
                }
                .to_string();
                inputs.push(Input {
                    path: PathBuf::from(path),
                    rel: PathBuf::new(),
                    size: 0,
                    stdin: false,
                    note: Some(Note::Failed(message)),
                });
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        let under = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if ft.is_symlink() {
            // Never followed inside a walk: see the module docs.
            continue;
        }
        if !filter.wants(under) {
            continue;
        }
        if !ft.is_file() {
            inputs.push(Input {
                path: entry.path().to_path_buf(),
                rel: PathBuf::new(),
                size: 0,
                stdin: false,
                note: Some(Note::Skipped("not a regular file".into())),
            });
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        inputs.push(Input {
            path: entry.path().to_path_buf(),
            rel: rel_root.join(under),
            size,
            stdin: false,
            note: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirror_drops_root_and_dots_and_refuses_parent() {
        assert_eq!(
            mirror_path(Path::new("./a/b.txt")).unwrap(),
            Path::new("a/b.txt")
        );
        assert_eq!(mirror_path(Path::new("/x/y")).unwrap(), Path::new("x/y"));
        assert!(mirror_path(Path::new("a/../../etc")).is_err());
    }

    #[test]
    fn filters() {
        let f = Filter::new(&["*.txt".into(), "!skip*".into()], &[], false).unwrap();
        assert!(f.wants(Path::new("a/b.txt")));
        assert!(!f.wants(Path::new("a/skip.txt")));
        assert!(!f.wants(Path::new("a/b.md")));
        let f = Filter::new(&[], &["jsonl.gz,txt".into()], false).unwrap();
        assert!(f.wants(Path::new("x.jsonl.gz")));
        assert!(f.wants(Path::new("X.TXT")));
        assert!(!f.wants(Path::new("x.gz")));
        assert!(!f.wants(Path::new("txt")));
    }
}
