//! Reliability of the real binary under faults and hostile input (issue 8, docs/reliability.md):
//! SIGKILL during `--in-place`, disk full, read-only file systems, files changing under the run,
//! repeated operands, symlink loops, non-UTF-8 paths, a closed output pipe, writes that try to
//! leave the named paths, compression bombs, and hostile JSONL.
//!
//! Tests that need `mount` (root, Linux) skip with a message on stderr where it fails.

use std::ffi::OsStr;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;

fn zhfix() -> Command {
    Command::cargo_bin("zhfix").expect("binary")
}

fn zhfix_std() -> StdCommand {
    StdCommand::cargo_bin("zhfix").expect("binary")
}

/// A tiny deterministic generator (xorshift64*), so failures can be replayed from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const SIMPLIFIED: &[&str] = &[
    "后台软件的发展和汉字简体。",
    "这个程序员在里面发现了问题，",
    "我们说：“云计算的时代已经来了！”",
    "鼠标和打印机都连在服务器上；",
    "plain ASCII line with numbers 12345",
    "历史、地理与数学，",
];

/// `n` files of Simplified text (sizes from 1 to ~`max_kb` KiB) in a nested tree.
fn make_tree(root: &Path, n: usize, max_kb: u64, seed: u64) -> Vec<PathBuf> {
    let mut rng = Rng(seed | 1);
    let mut files = Vec::new();
    for i in 0..n {
        let rel = PathBuf::from(format!("d{}/s{}/f{i:03}.txt", i % 4, i % 3));
        let p = root.join(&rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let target = 1 + rng.below(max_kb * 1024) as usize;
        let mut text = String::new();
        while text.len() < target {
            text.push_str(SIMPLIFIED[rng.below(SIMPLIFIED.len() as u64) as usize]);
            text.push('\n');
        }
        fs::write(&p, text).unwrap();
        files.push(rel);
    }
    files
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walk(from) {
        let rel = entry.strip_prefix(from).unwrap();
        let dest = to.join(rel);
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(&entry, &dest).unwrap();
    }
}

/// Every regular file under `dir` (hidden ones included), sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn temp_files(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(".zhfix-") && name.ends_with(".tmp")
        })
        .collect()
}

fn no_panic(stderr: &[u8]) {
    let s = String::from_utf8_lossy(stderr);
    assert!(
        !s.contains("panicked") && !s.contains("RUST_BACKTRACE"),
        "panic message on stderr: {s}"
    );
}

// ---------------------------------------------------------------------------------------------
// SIGKILL during --in-place

/// Runs `trials` kill trials of `args` + `--in-place` over a generated tree. After each kill every
/// file must be the complete original or the complete result; leftover temporary files must be
/// hidden `.zhfix-*.tmp` files that a rerun ignores and that the rerun does not multiply; the
/// rerun must finish the job.
fn kill_trials(args: &[&str], trials: u32, files: usize, max_kb: u64, seed: u64) {
    let base = tempfile::tempdir().unwrap();
    let original = base.path().join("original");
    let files = make_tree(&original, files, max_kb, seed);
    // The complete result, from an uninterrupted run on a copy.
    let done = base.path().join("done");
    copy_tree(&original, &done);
    let t0 = Instant::now();
    let out = zhfix_std()
        .args(args)
        .args(["--in-place", "-q", "-j", "2"])
        .arg(&done)
        .output()
        .unwrap();
    let full = t0.elapsed();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let changed = files
        .iter()
        .filter(|f| fs::read(original.join(f)).unwrap() != fs::read(done.join(f)).unwrap())
        .count();
    assert!(
        changed > files.len() / 2,
        "the transform must change most files"
    );

    let mut rng = Rng(seed.wrapping_mul(7919) | 1);
    let (mut killed_mid, mut leftovers) = (0, 0);
    for trial in 0..trials {
        let work = base.path().join(format!("t{trial}"));
        copy_tree(&original, &work);
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 * 11 / 10 + 1));
        let mut child = zhfix_std()
            .args(args)
            .args(["--in-place", "-q", "-j", "2"])
            .arg(&work)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let mut n_done = 0;
        for f in &files {
            let got = fs::read(work.join(f)).unwrap();
            let orig = fs::read(original.join(f)).unwrap();
            let res = fs::read(done.join(f)).unwrap();
            assert!(
                got == orig || got == res,
                "trial {trial} (seed {seed}, kill after {delay:?}): {} is neither the original nor the result ({} bytes; original {}, result {})",
                f.display(),
                got.len(),
                orig.len(),
                res.len()
            );
            if got == res && got != orig {
                n_done += 1;
            }
        }
        if status.code().is_none() && n_done > 0 && n_done < changed {
            killed_mid += 1;
        }
        let temps = temp_files(&work);
        leftovers += temps.len();
        // Policy: a killed run may leave hidden temporary files; they are never inputs of a
        // later walk, and the rerun completes the job without touching them.
        let snapshot: Vec<(PathBuf, Vec<u8>)> = temps
            .iter()
            .map(|p| (p.clone(), fs::read(p).unwrap()))
            .collect();
        let rerun = zhfix_std()
            .args(args)
            .args(["--in-place", "-q"])
            .arg(&work)
            .output()
            .unwrap();
        assert_eq!(rerun.status.code(), Some(0), "rerun: {rerun:?}");
        no_panic(&rerun.stderr);
        for f in &files {
            assert_eq!(
                fs::read(work.join(f)).unwrap(),
                fs::read(done.join(f)).unwrap(),
                "rerun after trial {trial} did not complete {}",
                f.display()
            );
        }
        assert_eq!(
            temp_files(&work),
            temps,
            "the rerun leaves no new temp files"
        );
        for (p, data) in snapshot {
            assert_eq!(fs::read(&p).unwrap(), data, "rerun touched {}", p.display());
        }
        fs::remove_dir_all(&work).unwrap();
    }
    eprintln!(
        "kill trials {args:?}: {trials} trials, full run {full:?}, {killed_mid} killed with the tree half done, {leftovers} leftover temp files in total"
    );
}

#[test]
fn sigkill_during_fix_in_place_loses_nothing() {
    kill_trials(
        &["fix", "--to", "zh-Hant", "--punct", "zh-TW"],
        10,
        24,
        16,
        0x5eed_0001,
    );
}

#[test]
fn sigkill_during_convert_in_place_loses_nothing() {
    kill_trials(&["convert", "-c", "s2t"], 12, 48, 96, 0x5eed_0002);
}

#[test]
#[ignore = "long: 200 kill trials per command (run explicitly in CI)"]
fn sigkill_many_trials() {
    kill_trials(
        &["fix", "--to", "zh-Hant", "--punct", "zh-TW"],
        200,
        48,
        96,
        0x5eed_1001,
    );
    kill_trials(&["convert", "-c", "s2t"], 200, 48, 96, 0x5eed_1002);
}

// ---------------------------------------------------------------------------------------------
// Mounted file systems: disk full, read-only

/// A tmpfs mounted on a fresh directory, unmounted on drop.
struct Mount {
    dir: tempfile::TempDir,
}

impl Mount {
    fn tmpfs(size: &str, test: &str) -> Option<Mount> {
        let dir = tempfile::tempdir().ok()?;
        let ok = StdCommand::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("SKIPPED {test}: cannot mount a tmpfs here (needs root on Linux)");
            return None;
        }
        Some(Mount { dir })
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn remount_ro(&self) -> bool {
        StdCommand::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg(self.dir.path()).status();
    }
}

fn simplified_text(bytes: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < bytes {
        s.push_str(SIMPLIFIED[i % SIMPLIFIED.len()]);
        s.push('\n');
        i += 1;
    }
    s
}

#[test]
fn disk_full_keeps_originals_and_processes_the_rest() {
    let Some(m) = Mount::tmpfs("64k", "disk_full_keeps_originals_and_processes_the_rest") else {
        return;
    };
    // 40 KiB file on a 64 KiB disk: its replacement cannot be written next to it.
    let big = m.path().join("big.txt");
    let big_text = simplified_text(40 * 1024);
    fs::write(&big, &big_text).unwrap();
    let small = m.path().join("small.txt");
    fs::write(&small, "汉字\n").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let other = elsewhere.path().join("other.txt");
    fs::write(&other, "汉字\n").unwrap();
    for cmd in [
        &["convert", "-c", "s2t"][..],
        &["fix", "--to", "zh-Hant"][..],
    ] {
        // One worker, so that big.txt has failed and its temporary file is gone before
        // small.txt is written. With the default workers small.txt stayed unconverted twice
        // in about twenty full release runs of the suite (not reproduced alone); the likely
        // cause is big.txt's replacement holding the last free space at that moment.
        let out = zhfix()
            .args(cmd)
            .args(["-j", "1", "--in-place"])
            .arg(&big)
            .arg(&small)
            .arg(&other)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
        no_panic(&out.stderr);
        assert!(
            stderr.contains("big.txt") && stderr.contains("No space left on device"),
            "{stderr}"
        );
        assert_eq!(
            fs::read_to_string(&big).unwrap(),
            big_text,
            "original untouched"
        );
        assert_eq!(fs::read_to_string(&small).unwrap(), "漢字\n");
        assert_eq!(fs::read_to_string(&other).unwrap(), "漢字\n");
        assert!(temp_files(m.path()).is_empty(), "temp files cleaned up");
        fs::write(&small, "汉字\n").unwrap();
        fs::write(&other, "汉字\n").unwrap();
    }
    // --out-dir onto the full disk, with a .gz and a .zst output too.
    let src = tempfile::tempdir().unwrap();
    fs::write(src.path().join("a.txt"), simplified_text(100 * 1024)).unwrap();
    fs::write(src.path().join("b.txt"), "汉字\n").unwrap();
    let out = zhfix()
        .current_dir(src.path())
        .args(["convert", "-c", "s2t", "--out-dir"])
        .arg(m.path().join("out"))
        .args(["a.txt", "b.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    no_panic(&out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("No space left on device"));
    assert!(!m.path().join("out/a.txt").exists(), "no partial output");
    assert!(temp_files(m.path()).is_empty());
}

#[test]
fn read_only_file_system_is_an_error_per_file() {
    let Some(m) = Mount::tmpfs("1m", "read_only_file_system_is_an_error_per_file") else {
        return;
    };
    let ro = m.path().join("ro.txt");
    fs::write(&ro, "汉字\n").unwrap();
    if !m.remount_ro() {
        eprintln!("SKIPPED read_only_file_system_is_an_error_per_file: cannot remount read-only");
        return;
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let other = elsewhere.path().join("other.txt");
    fs::write(&other, "汉字\n").unwrap();
    for cmd in [
        &["convert", "-c", "s2t"][..],
        &["fix", "--to", "zh-Hant"][..],
    ] {
        let out = zhfix()
            .args(cmd)
            .arg("--in-place")
            .arg(&ro)
            .arg(&other)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        no_panic(&out.stderr);
        assert!(
            stderr.contains("ro.txt") && stderr.contains("Read-only file system"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(&ro).unwrap(), "汉字\n");
        assert_eq!(fs::read_to_string(&other).unwrap(), "漢字\n");
        fs::write(&other, "汉字\n").unwrap();
    }
}

/// An immutable file (chattr +i): even root cannot replace it.
#[test]
fn immutable_file_is_an_error_and_stays() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked.txt");
    let free = dir.path().join("free.txt");
    fs::write(&locked, "汉字\n").unwrap();
    fs::write(&free, "汉字\n").unwrap();
    // An immutable directory: no new entry (the temp file) can be created in it.
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("in.txt"), "汉字\n").unwrap();
    let ok = StdCommand::new("chattr")
        .arg("+i")
        .arg(&locked)
        .arg(&sub)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("SKIPPED immutable_file_is_an_error_and_stays: chattr +i unavailable here");
        return;
    }
    let out = zhfix()
        .args(["convert", "-c", "s2t", "--in-place"])
        .arg(dir.path())
        .output()
        .unwrap();
    let _ = StdCommand::new("chattr")
        .arg("-i")
        .arg(&locked)
        .arg(&sub)
        .status();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    no_panic(&out.stderr);
    assert!(stderr.contains("sub/in.txt"), "{stderr}");
    assert_eq!(fs::read_to_string(sub.join("in.txt")).unwrap(), "汉字\n");
    assert_eq!(fs::read_to_string(&free).unwrap(), "漢字\n");
    // The rename replaces the directory entry; an immutable file in a writable directory
    // is still protected by the kernel (EPERM on rename over it).
    assert_eq!(fs::read_to_string(&locked).unwrap(), "汉字\n");
    assert!(stderr.contains("locked.txt"), "{stderr}");
    assert!(temp_files(dir.path()).is_empty());
}

// ---------------------------------------------------------------------------------------------
// Inputs that change, repeat, loop or are not UTF-8

#[test]
fn files_deleted_or_changed_during_the_run() {
    let base = tempfile::tempdir().unwrap();
    let tree = base.path().join("tree");
    let files = make_tree(&tree, 120, 24, 77);
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(tree.join(f)).unwrap())
        .collect();
    let mut child = zhfix_std()
        .args(["convert", "-c", "s2t", "--in-place", "-j", "2"])
        .arg(&tree)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Meanwhile: delete every third file, rewrite every third other one.
    let mut rng = Rng(99);
    for (i, f) in files.iter().enumerate() {
        let p = tree.join(f);
        match i % 3 {
            0 => {
                let _ = fs::remove_file(&p);
            }
            1 => {
                let _ = fs::write(&p, "改过了\n");
            }
            _ => {}
        }
        if rng.below(4) == 0 {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    let mut stderr = Vec::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    no_panic(&stderr);
    assert!(matches!(status.code(), Some(0) | Some(2)), "{status:?}");
    let text = String::from_utf8_lossy(&stderr);
    for line in text.lines().filter(|l| !l.contains(" files: ")) {
        assert!(
            line.contains("No such file or directory")
                || line.contains("deleted while being processed; not recreated")
                || line.contains("changed while being processed; left as it is now"),
            "only vanished or changed files may fail: {line}"
        );
    }
    for (i, f) in files.iter().enumerate() {
        let p = tree.join(f);
        let Ok(got) = fs::read(&p) else { continue };
        let orig = String::from_utf8(originals[i].clone()).unwrap();
        let conv = zhfix::convert::Converter::new(zhfix::convert::Config::S2t)
            .convert(&orig)
            .into_owned();
        let ok = got == originals[i]
            || got == conv.as_bytes()
            || got == "改过了\n".as_bytes()
            || got == "改過了\n".as_bytes();
        assert!(
            ok,
            "{} is a mixture: {:?}",
            f.display(),
            String::from_utf8_lossy(&got)
        );
    }
    assert!(
        temp_files(&tree).is_empty(),
        "no temp files after a completed run"
    );
}

#[test]
fn the_same_file_named_twice_is_processed_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    fs::write(&a, "汉字\n").unwrap();
    std::os::unix::fs::symlink("a.txt", dir.path().join("link.txt")).unwrap();
    fs::hard_link(&a, dir.path().join("hard.txt")).unwrap();
    let out = zhfix()
        .current_dir(dir.path())
        .args(["fix", "--to", "zh-Hant", "--in-place"])
        .args(["a.txt", "./a.txt", "link.txt", "hard.txt", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("named more than once"), "{stderr}");
    assert_eq!(fs::read_to_string(&a).unwrap(), "漢字\n");
    assert!(fs::symlink_metadata(dir.path().join("link.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    // With `-o`/stdout the same file twice is simply printed twice.
    let out = zhfix()
        .current_dir(dir.path())
        .args(["convert", "-c", "t2s", "a.txt", "a.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, "汉字\n汉字\n".as_bytes());
}

#[test]
fn symlink_loops_are_errors_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir(d.join("tree")).unwrap();
    fs::write(d.join("tree/a.txt"), "汉字\n").unwrap();
    std::os::unix::fs::symlink(".", d.join("tree/self")).unwrap();
    std::os::unix::fs::symlink("..", d.join("tree/up")).unwrap();
    std::os::unix::fs::symlink("p2", d.join("p1")).unwrap();
    std::os::unix::fs::symlink("p1", d.join("p2")).unwrap();
    for cmd in [
        &["convert", "-c", "s2t"][..],
        &["fix", "--to", "zh-Hant"][..],
    ] {
        let out = zhfix()
            .current_dir(d)
            .args(cmd)
            .args(["--in-place", "p1", "tree"])
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        no_panic(&out.stderr);
        assert!(
            stderr.contains("p1") && stderr.contains("symbolic links"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(d.join("tree/a.txt")).unwrap(), "漢字\n");
        fs::write(d.join("tree/a.txt"), "汉字\n").unwrap();
    }
}

#[test]
fn paths_that_are_not_utf8_work() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = OsStr::from_bytes(b"bad-\xff\xfe-\xba\xba.txt");
    let sub = dir.path().join(OsStr::from_bytes(b"dir-\xc3"));
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join(name), "汉字\n").unwrap();
    fs::write(dir.path().join(name), "后台\n").unwrap();
    // --out-dir mirrors the raw names.
    let out = zhfix()
        .current_dir(dir.path())
        .args(["convert", "-c", "s2t", "--out-dir", "out"])
        .arg(OsStr::from_bytes(b"dir-\xc3"))
        .arg(name)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let mirrored = dir
        .path()
        .join("out")
        .join(OsStr::from_bytes(b"dir-\xc3"))
        .join(name);
    assert_eq!(fs::read_to_string(mirrored).unwrap(), "漢字\n");
    assert_eq!(
        fs::read_to_string(dir.path().join("out").join(name)).unwrap(),
        "後臺\n"
    );
    // --in-place over the directory; --report names them lossily but does not fail.
    let out = zhfix()
        .current_dir(dir.path())
        .args(["fix", "--to", "zh-Hant", "--in-place", "--report", "r.json"])
        .arg(OsStr::from_bytes(b"dir-\xc3"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(fs::read_to_string(sub.join(name)).unwrap(), "漢字\n");
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(report["summary"]["changed"], 1, "{report}");
    // A missing non-UTF-8 path: a clear error, exit 2.
    let out = zhfix()
        .current_dir(dir.path())
        .args(["convert", "-c", "s2t"])
        .arg(OsStr::from_bytes(b"missing-\xff"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing-\u{FFFD}"));
}

// ---------------------------------------------------------------------------------------------
// Closed output pipe

fn closed_pipe(args: &[&str], input: Option<&Path>, stdin_data: Option<Vec<u8>>) {
    let mut cmd = zhfix_std();
    cmd.args(args);
    if let Some(p) = input {
        cmd.arg(p);
    }
    let mut child = cmd
        .stdin(if stdin_data.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let feeder = stdin_data.map(|data| {
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&data); // fails with EPIPE once zhfix is gone
        })
    });
    // `head -1`: read one line, then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    drop(stdout);
    let mut stderr = Vec::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    if let Some(f) = feeder {
        f.join().unwrap();
    }
    assert!(!first.is_empty());
    assert!(
        stderr.is_empty(),
        "{args:?}: quiet on a closed pipe, got {:?}",
        String::from_utf8_lossy(&stderr)
    );
    assert_eq!(status.code(), Some(0), "{args:?}: {status:?}");
}

#[test]
fn closed_output_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    fs::write(&big, simplified_text(8 << 20)).unwrap();
    let jsonl = dir.path().join("big.jsonl");
    let mut j = String::new();
    for i in 0..100_000 {
        j.push_str(&format!("{{\"id\":{i},\"text\":\"后台软件\"}}\n"));
    }
    fs::write(&jsonl, &j).unwrap();
    closed_pipe(&["convert", "-c", "s2t"], Some(&big), None);
    closed_pipe(&["fix", "--to", "zh-Hant"], Some(&big), None);
    closed_pipe(&["fix", "--to", "zh-Hant"], Some(dir.path()), None);
    closed_pipe(&["convert", "-c", "s2t", "--jsonl"], Some(&jsonl), None);
    closed_pipe(&["fix", "--jsonl"], Some(&jsonl), None);
    closed_pipe(
        &["fix", "--to", "zh-Hant"],
        None,
        Some(simplified_text(8 << 20).into_bytes()),
    );
    closed_pipe(
        &["convert", "-c", "s2t"],
        None,
        Some(simplified_text(8 << 20).into_bytes()),
    );
    closed_pipe(&["detect"], Some(dir.path()), None);
}

// ---------------------------------------------------------------------------------------------
// Security: never write outside the named paths

#[test]
fn in_place_does_not_follow_links_out_of_the_tree() {
    let base = tempfile::tempdir().unwrap();
    let outside = base.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "汉字\n").unwrap();
    let tree = base.path().join("tree");
    fs::create_dir(&tree).unwrap();
    fs::write(tree.join("a.txt"), "汉字\n").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), tree.join("file-link.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, tree.join("dir-link")).unwrap();
    for cmd in [
        &["convert", "-c", "s2t"][..],
        &["fix", "--to", "zh-Hant"][..],
    ] {
        let out = zhfix()
            .args(cmd)
            .arg("--in-place")
            .arg(&tree)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert_eq!(fs::read_to_string(tree.join("a.txt")).unwrap(), "漢字\n");
        assert_eq!(
            fs::read_to_string(outside.join("secret.txt")).unwrap(),
            "汉字\n"
        );
        assert!(fs::symlink_metadata(tree.join("file-link.txt"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            fs::read_dir(&outside).unwrap().count(),
            1,
            "nothing written outside"
        );
        fs::write(tree.join("a.txt"), "汉字\n").unwrap();
    }
}

#[test]
fn out_dir_cannot_be_escaped() {
    let base = tempfile::tempdir().unwrap();
    let b = base.path();
    fs::create_dir_all(b.join("work/src")).unwrap();
    fs::write(b.join("work/src/a.txt"), "汉字\n").unwrap();
    fs::write(b.join("victim.txt"), "keep\n").unwrap();
    fs::create_dir(b.join("work/out")).unwrap();
    // `..` operands are refused, absolute operands are re-rooted under DIR.
    for operand in ["../victim.txt", "src/../../victim.txt", "src/../src/a.txt"] {
        let out = zhfix()
            .current_dir(b.join("work"))
            .args(["convert", "-c", "s2t", "--out-dir", "out", operand])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{operand}: {out:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(".."));
    }
    let out = zhfix()
        .current_dir(b.join("work"))
        .args(["convert", "-c", "s2t", "--out-dir", "out"])
        .arg(b.join("work/src/a.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rerooted = b
        .join("work/out")
        .join(b.join("work/src/a.txt").strip_prefix("/").unwrap());
    assert_eq!(fs::read_to_string(rerooted).unwrap(), "漢字\n");
    // A link planted inside DIR that leads out, and a destination that is a link.
    fs::create_dir(b.join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(b.join("elsewhere"), b.join("work/out/src")).unwrap();
    let out = zhfix()
        .current_dir(b.join("work"))
        .args(["fix", "--to", "zh-Hant", "--out-dir", "out", "src"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(fs::read_dir(b.join("elsewhere")).unwrap().count(), 0);
    fs::remove_file(b.join("work/out/src")).unwrap();
    fs::create_dir(b.join("work/out/src")).unwrap();
    std::os::unix::fs::symlink(b.join("victim.txt"), b.join("work/out/src/a.txt")).unwrap();
    let out = zhfix()
        .current_dir(b.join("work"))
        .args(["fix", "--to", "zh-Hant", "--out-dir", "out", "src"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_eq!(fs::read_to_string(b.join("victim.txt")).unwrap(), "keep\n");
    assert_eq!(
        fs::read_to_string(b.join("work/src/a.txt")).unwrap(),
        "汉字\n"
    );
}

#[test]
fn temp_files_have_unpredictable_names_and_planted_links_are_harmless() {
    // A link planted at any name zhfix could be expected to use must not be written through:
    // temp files are created with O_EXCL under random names (tempfile), so a planted
    // `.zhfix-*.tmp` link is never opened.
    let base = tempfile::tempdir().unwrap();
    let b = base.path();
    fs::write(b.join("victim.txt"), "keep\n").unwrap();
    fs::create_dir(b.join("tree")).unwrap();
    fs::write(b.join("tree/a.txt"), "汉字\n").unwrap();
    for name in [
        ".zhfix-000000.tmp",
        ".zhfix-.tmp",
        "a.txt.tmp",
        ".a.txt.tmp",
        "a.txt~",
    ] {
        std::os::unix::fs::symlink(b.join("victim.txt"), b.join("tree").join(name)).unwrap();
    }
    let mut names = std::collections::BTreeSet::new();
    for _ in 0..3 {
        fs::write(b.join("tree/a.txt"), "汉字\n").unwrap();
        let mut child = zhfix_std()
            .args(["fix", "--to", "zh-Hant", "--in-place"])
            .arg(b.join("tree/a.txt"))
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Catch the temp name if we can (best effort: the run is short).
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_millis(300) {
            for e in fs::read_dir(b.join("tree")).unwrap().flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with(".zhfix-") && !e.file_type().unwrap().is_symlink() {
                    names.insert(n);
                }
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
        }
        assert_eq!(child.wait().unwrap().code(), Some(0));
        assert_eq!(fs::read_to_string(b.join("tree/a.txt")).unwrap(), "漢字\n");
    }
    assert_eq!(fs::read_to_string(b.join("victim.txt")).unwrap(), "keep\n");
    // Every observed name is distinct (random suffix).
    eprintln!("observed temp names: {names:?}");
}

// ---------------------------------------------------------------------------------------------
// Compression bombs: bounded memory

/// Peak resident set (VmHWM, KiB) of a running process, from /proc.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Runs zhfix on `input` for at most `limit` (killing it then), sampling its peak RSS; returns
/// (peak KiB, finished, bytes written to stdout).
fn run_bounded(args: &[&str], input: &Path, limit: Duration) -> (u64, bool, u64) {
    let mut child = zhfix_std()
        .args(args)
        .arg(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let counter = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let mut n = 0u64;
        while let Ok(k) = stdout.read(&mut buf) {
            if k == 0 {
                break;
            }
            n += k as u64;
        }
        n
    });
    let pid = child.id();
    let t0 = Instant::now();
    let mut peak = 0;
    let finished = loop {
        if let Some(p) = peak_rss_kib(pid) {
            peak = peak.max(p);
        }
        if child.try_wait().unwrap().is_some() {
            break true;
        }
        if t0.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (peak, finished, counter.join().unwrap())
}

/// A gzip file expanding to `members` × `chunk` bytes: one compressed member, repeated
/// (gzip members concatenate).
fn gzip_bomb(path: &Path, chunk: &[u8], members: usize) {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(chunk).unwrap();
    let member = enc.finish().unwrap();
    let mut f = std::io::BufWriter::new(fs::File::create(path).unwrap());
    for _ in 0..members {
        f.write_all(&member).unwrap();
    }
    f.flush().unwrap();
}

fn bomb_chunk(one_line: bool) -> Vec<u8> {
    let mut s = String::new();
    while s.len() < 4 << 20 {
        s.push_str("后台软件的发展和汉字简体");
        if !one_line {
            s.push('\n');
        }
    }
    s.into_bytes()
}

fn check_bombs(members: usize, limit: Duration) {
    let dir = tempfile::tempdir().unwrap();
    // 4 MiB × members, as lines and as one single line; gz through the binary.
    for one_line in [false, true] {
        let gz = dir.path().join(format!("bomb{}.txt.gz", one_line as u8));
        gzip_bomb(&gz, &bomb_chunk(one_line), members);
        let compressed = fs::metadata(&gz).unwrap().len();
        for args in [
            &["convert", "-c", "s2t"][..],
            &["fix", "--to", "zh-Hant"][..],
        ] {
            let (peak, finished, out) = run_bounded(args, &gz, limit);
            eprintln!(
                "gzip bomb {} KiB -> {} MiB ({}): {args:?}: peak RSS {} MiB, {} MiB out, finished: {finished}",
                compressed >> 10,
                members * 4,
                if one_line { "one line" } else { "lines" },
                peak >> 10,
                out >> 20
            );
            if args[0] == "convert" {
                assert!(out > 1 << 20, "made progress: {out} bytes");
            }
            assert!(
                peak < 200 << 10,
                "peak RSS {peak} KiB: memory is not bounded"
            );
        }
    }
    // zstd, when the zstd tool is here (ruzstd only decodes single frames fast enough to build
    // a bomb in a test via the tool).
    let zst = dir.path().join("bomb.jsonl.zst");
    let status = StdCommand::new("sh")
        .arg("-c")
        .arg(format!(
            "yes '{{\"id\":1,\"n\":1.50e2,\"text\":\"后台软件的发展\"}}' | head -c {}M | zstd -q -1 -o {}",
            members * 4,
            zst.display()
        ))
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("SKIPPED zstd bomb: no zstd tool");
        return;
    }
    for args in [
        &["convert", "-c", "s2t", "--jsonl"][..],
        &["fix", "--jsonl", "--to", "zh-Hant"][..],
    ] {
        let (peak, finished, out) = run_bounded(args, &zst, limit);
        eprintln!(
            "zstd bomb {} KiB -> {} MiB JSONL: {args:?}: peak RSS {} MiB, {} MiB out, finished: {finished}",
            fs::metadata(&zst).unwrap().len() >> 10,
            members * 4,
            peak >> 10,
            out >> 20
        );
        if args[0] == "convert" {
            assert!(out > 1 << 20, "made progress: {out} bytes");
        }
        assert!(peak < 200 << 10, "peak RSS {peak} KiB");
    }
}

#[test]
fn compression_bombs_are_streamed_in_bounded_memory() {
    // 1 GiB expanded, each run stopped after 3 s (debug build): the peak stays flat while hundreds of MiB
    // stream through.
    check_bombs(256, Duration::from_secs(3));
}

#[test]
#[ignore = "long: 8 GiB bombs run to completion (release build recommended)"]
fn compression_bombs_to_completion() {
    check_bombs(2048, Duration::from_secs(3600));
}

// ---------------------------------------------------------------------------------------------
// Hostile JSONL

#[test]
fn hostile_jsonl_lines() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(200_000), "]".repeat(200_000));
    let deep_bad = format!("{{\"text\":\"汉\",\"a\":{}}}", "[".repeat(200_000));
    let deep_obj = format!(
        "{{\"text\":\"汉\",\"a\":{}1{}}}",
        "{\"k\":".repeat(100_000),
        "}".repeat(100_000)
    );
    let huge = format!("{{\"text\":\"{}\",\"n\":1}}", "汉字".repeat(1_000_000));
    let numbers = r#"{"a":1.0000000000000000000000001,"b":-0.0,"c":1e400,"d":123456789012345678901234567890,"e":1.50E+02,"f":[0.1,2e-400],"text":"汉字","g":"\u00e9\/"}"#;
    let numbers_out = r#"{"a":1.0000000000000000000000001,"b":-0.0,"c":1e400,"d":123456789012345678901234567890,"e":1.50E+02,"f":[0.1,2e-400],"text":"漢字","g":"\u00e9\/"}"#;
    let input = [
        deep.as_str(),
        deep_bad.as_str(),
        deep_obj.as_str(),
        huge.as_str(),
        numbers,
        "[1,2]",
        "\"text\"",
        "{\"text\":\"a\"}{\"text\":\"b\"}",
        "{\"text\":\"汉\" , \"text\":\"字\"}",
    ]
    .join("\n")
        + "\n";
    let path = dir.path().join("hostile.jsonl");
    fs::write(&path, &input).unwrap();
    for cmd in [
        &["convert", "-c", "s2t"][..],
        &["fix", "--to", "zh-Hant"][..],
    ] {
        let out = zhfix()
            .args(cmd)
            .arg("--jsonl")
            .arg(&path)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        no_panic(&out.stderr);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        let lines: Vec<&[u8]> = out.stdout.split(|&b| b == b'\n').collect();
        assert_eq!(lines.len(), 10, "one line out per line in");
        assert_eq!(lines[0], deep.as_bytes(), "deep nesting passes through");
        assert_eq!(lines[1], deep_bad.as_bytes(), "invalid line passes through");
        assert!(stderr.contains(":2: invalid JSON"), "{stderr}");
        assert!(lines[2].starts_with("{\"text\":\"漢\"".as_bytes()));
        assert_eq!(lines[3].len(), huge.len());
        assert!(lines[3].starts_with("{\"text\":\"漢字漢字".as_bytes()));
        assert_eq!(lines[4], numbers_out.as_bytes(), "numbers byte-identical");
        for n in [6, 7, 8] {
            assert!(stderr.contains(&format!(":{n}: ")), "line {n}: {stderr}");
        }
        assert_eq!(lines[8], "{\"text\":\"漢\" , \"text\":\"字\"}".as_bytes());
    }
}
