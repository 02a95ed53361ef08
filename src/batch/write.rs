//! Atomic replacement of files and safe `--out-dir` destinations.
//!
//! A result is written to a fresh temporary file created in the destination's own directory
//! (`tempfile`: random name `.zhfix-XXXXXX.tmp`, created with O_EXCL, mode 0600), given the
//! original's permissions, flushed and fsynced, then renamed over the destination, and the
//! directory is fsynced. A reader, or a crash at any moment, sees either the whole original or
//! the whole result. If the process dies before the rename the temporary file is left behind; it
//! is hidden, so later walks never take it as input (see docs/batch.md).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::Error;

/// A temporary file that becomes `dest` on [`commit`](AtomicFile::commit), and disappears if
/// dropped before.
pub struct AtomicFile {
    dest: PathBuf,
    temp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Starts a replacement for `dest` (which may not exist yet).
    pub fn new(dest: &Path) -> Result<AtomicFile, Error> {
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let temp = tempfile::Builder::new()
            .prefix(".zhfix-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dest.display().to_string(), e))?;
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            temp,
        })
    }

    /// A buffered writer into the temporary file.
    pub fn writer(&self) -> Result<BufWriter<File>, Error> {
        let f = self
            .temp
            .as_file()
            .try_clone()
            .map_err(|e| Error::io(self.dest.display().to_string(), e))?;
        Ok(BufWriter::with_capacity(1 << 16, f))
    }

    /// Makes the temporary file the destination: permissions of `like` (the original) if given,
    /// fsync, optional backup of the existing destination as `dest + suffix`, rename, fsync of
    /// the directory (now, or once per directory at the end of a batch with `dirs`).
    pub fn commit(
        self,
        like: Option<&fs::Metadata>,
        backup: Option<&str>,
        dirs: Option<&DirSync>,
    ) -> Result<(), Error> {
        let label = self.dest.display().to_string();
        let err = |e: io::Error| Error::io(label.clone(), e);
        if let Some(md) = like {
            fs::set_permissions(self.temp.path(), md.permissions()).map_err(err)?;
        }
        self.temp.as_file().sync_all().map_err(err)?;
        if let Some(suffix) = backup {
            let mut name = self.dest.clone().into_os_string();
            name.push(suffix);
            let backup_path = PathBuf::from(name);
            // A hard link keeps the original inode (and its times) as the backup at no cost;
            // fall back to copying where links are not supported.
            match fs::remove_file(&backup_path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(err(e)),
            }
            if fs::hard_link(&self.dest, &backup_path).is_err() {
                fs::copy(&self.dest, &backup_path).map_err(err)?;
            }
        }
        self.temp.persist(&self.dest).map_err(|e| err(e.error))?;
        match dirs {
            Some(dirs) => dirs.add(&self.dest),
            None => sync_dir(parent_of(&self.dest)),
        }
        Ok(())
    }
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Directories whose renames still need an fsync; a batch syncs each once at its end instead of
/// once per file. The data itself is always fsynced before its rename, so a crash in between
/// can only lose the rename (the complete original stays), never leave a partial file.
#[derive(Default)]
pub struct DirSync(std::sync::Mutex<std::collections::BTreeSet<PathBuf>>);

impl DirSync {
    fn add(&self, dest: &Path) {
        let dir = parent_of(dest).to_path_buf();
        match self.0.lock() {
            Ok(mut set) => {
                set.insert(dir);
            }
            Err(_) => sync_dir(&dir),
        }
    }

    /// fsyncs every directory recorded so far.
    pub fn sync(&self) {
        let dirs = match self.0.lock() {
            Ok(mut set) => std::mem::take(&mut *set),
            Err(_) => return,
        };
        for d in dirs {
            sync_dir(&d);
        }
    }
}

/// `--out-dir` destinations: where each input's result goes, with the directories created and
/// checked once each. Checking a directory costs one `mkdir` and one `lstat` when its parent is
/// already checked, so a tree costs time linear in its number of directories, however deep.
pub struct OutDir {
    root: PathBuf,
    /// The root resolved (created on first use).
    real_root: std::sync::OnceLock<Result<PathBuf, String>>,
    /// Directories under the root known to exist and to stay inside it.
    checked: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl OutDir {
    pub fn new(root: &Path) -> OutDir {
        OutDir {
            root: root.to_path_buf(),
            real_root: std::sync::OnceLock::new(),
            checked: Default::default(),
        }
    }

    /// Where `rel` (already free of `..` and root) goes; creates the directories and refuses a
    /// destination that resolves outside the root (through a symlink inside it).
    pub fn dest(&self, rel: &Path) -> Result<PathBuf, Error> {
        let dest = self.root.join(rel);
        let label = dest.display().to_string();
        if rel
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
            || rel.as_os_str().is_empty()
        {
            return Err(Error::Input {
                path: label,
                message: "refusing a destination outside --out-dir".into(),
            });
        }
        let parent = dest.parent().unwrap_or(&self.root);
        self.check_dir(parent, &label)?;
        if let Ok(md) = fs::symlink_metadata(&dest) {
            if md.file_type().is_symlink() {
                // The rename would replace the link itself, never its target; still refuse, so
                // that the user's link is not silently turned into a file.
                return Err(Error::Input {
                    path: label,
                    message: "destination is a symbolic link; not replacing it".into(),
                });
            }
        }
        Ok(dest)
    }

    fn real_root(&self) -> Result<&Path, Error> {
        let root = self.real_root.get_or_init(|| {
            fs::create_dir_all(&self.root)
                .and_then(|_| fs::canonicalize(&self.root))
                .map_err(|e| e.to_string())
        });
        root.as_deref().map_err(|e| Error::Input {
            path: self.root.display().to_string(),
            message: e.clone(),
        })
    }

    fn is_checked(&self, dir: &Path) -> bool {
        self.checked.lock().is_ok_and(|set| set.contains(dir))
    }

    /// Makes sure `dir` (the root or under it) exists and resolves inside the root: the
    /// unchecked ancestors are created and checked from the top down.
    fn check_dir(&self, dir: &Path, label: &str) -> Result<(), Error> {
        let real_root = self.real_root()?;
        let mut todo = Vec::new();
        let mut at = dir;
        while at != self.root && !self.is_checked(at) {
            todo.push(at);
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        for dir in todo.into_iter().rev() {
            match fs::create_dir(dir) {
                Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                    return Err(Error::io(label.to_string(), e))
                }
                _ => {}
            }
            let md = fs::symlink_metadata(dir).map_err(|e| Error::io(label.to_string(), e))?;
            let inside = if md.file_type().is_symlink() {
                // A link inside the root may point elsewhere inside it.
                let real = fs::canonicalize(dir).map_err(|e| Error::io(label.to_string(), e))?;
                real.starts_with(real_root) && real.is_dir()
            } else {
                md.is_dir()
            };
            if !inside {
                return Err(Error::Input {
                    path: label.to_string(),
                    message: "refusing to write through a symbolic link that leaves --out-dir"
                        .into(),
                });
            }
            if let Ok(mut set) = self.checked.lock() {
                set.insert(dir.to_path_buf());
            }
        }
        Ok(())
    }
}

/// The file an `--in-place` operand really is: symlinks named on the command line are resolved
/// so that the link stays a link and its target is replaced.
pub fn in_place_target(path: &Path) -> Result<PathBuf, Error> {
    match fs::symlink_metadata(path) {
        Ok(md) if md.file_type().is_symlink() => {
            fs::canonicalize(path).map_err(|e| Error::io(path.display().to_string(), e))
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Refuses to replace `dest` if it is no longer the file `read` describes (the metadata taken
/// when it was opened): another program rewrote, replaced or deleted it meanwhile, and renaming
/// the result over it would silently lose that change (or recreate a deleted file). Checked just
/// before the rename, which leaves only a window of microseconds instead of the whole transform.
pub fn unchanged_since(dest: &Path, read: &fs::Metadata) -> Result<(), Error> {
    let label = dest.display().to_string();
    let now = match fs::metadata(dest) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(Error::Input {
                path: label,
                message: "deleted while being processed; not recreated".into(),
            })
        }
        Err(e) => return Err(Error::io(label, e)),
    };
    #[cfg(unix)]
    let same_file = {
        use std::os::unix::fs::MetadataExt;
        now.dev() == read.dev() && now.ino() == read.ino()
    };
    #[cfg(not(unix))]
    let same_file = true;
    if !same_file || now.len() != read.len() || now.modified().ok() != read.modified().ok() {
        return Err(Error::Input {
            path: label,
            message: "changed while being processed; left as it is now".into(),
        });
    }
    Ok(())
}

/// Writes `data` to `dest` atomically.
pub fn write_atomic(
    dest: &Path,
    data: &[u8],
    like: Option<&fs::Metadata>,
    backup: Option<&str>,
    dirs: Option<&DirSync>,
) -> Result<(), Error> {
    let file = AtomicFile::new(dest)?;
    let mut w = file.writer()?;
    w.write_all(data)
        .and_then(|()| w.flush())
        .map_err(|e| Error::io(dest.display().to_string(), e))?;
    drop(w);
    file.commit(like, backup, dirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_keeps_permissions_and_backup() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        }
        let md = fs::metadata(&p).unwrap();
        write_atomic(&p, b"new", Some(&md), Some(".bak"), None).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("a.txt.bak")).unwrap(), b"old");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o640
            );
        }
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temp file left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn out_dir_refuses_links_leaving_it() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        std::os::unix::fs::symlink(outside.path(), out.join("evil")).unwrap();
        fs::create_dir(out.join("real")).unwrap();
        std::os::unix::fs::symlink(out.join("real"), out.join("inside")).unwrap();
        let out_dir = OutDir::new(&out);
        assert!(out_dir.dest(Path::new("evil/x.txt")).is_err());
        assert!(out_dir.dest(Path::new("evil/deeper/x.txt")).is_err());
        assert!(out_dir.dest(Path::new("ok/x.txt")).is_ok());
        assert!(out_dir.dest(Path::new("ok/a/b/c/x.txt")).is_ok());
        assert!(out.join("ok/a/b/c").is_dir());
        assert!(out_dir.dest(Path::new("inside/x.txt")).is_ok());
        assert!(out_dir.dest(Path::new("../x.txt")).is_err());
        assert!(!outside.path().join("deeper").exists());
    }
}
