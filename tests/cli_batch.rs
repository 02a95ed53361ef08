//! The batch features of docs/CLI.md through the real binary (`zhfix convert`; `fix` plugs into
//! the same driver): walks, filters, --out-dir, --in-place, --check, --diff, --jsonl with
//! compression, reports, failures that do not stop the batch, and -j independence.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use zhfix::batch::Compression;

fn zhfix() -> Command {
    Command::cargo_bin("zhfix").expect("binary")
}

fn compress(c: Compression, data: &[u8]) -> Vec<u8> {
    let mut enc = c.writer(Vec::new());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn decompress(c: Compression, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    c.reader(data).unwrap().read_to_end(&mut out).unwrap();
    out
}

const JSONL_IN: &str = concat!(
    "{\"id\":1,\"text\":\"汉字\",\"n\":1.50e2,\"meta\":{\"text\":\"简体\"}}\n",
    "{not json\n",
    "{\"id\":3, \"text\" : \"\\u6c49 kept\", \"x\":[1,2]}\r\n",
    "\n",
    "{\"id\":5,\"text\":\"后台软件\"}\n",
    "{\"id\":6,\"other\":\"简体\"}",
);
const JSONL_OUT: &str = concat!(
    "{\"id\":1,\"text\":\"漢字\",\"n\":1.50e2,\"meta\":{\"text\":\"简体\"}}\n",
    "{not json\n",
    "{\"id\":3, \"text\" : \"漢 kept\", \"x\":[1,2]}\r\n",
    "\n",
    "{\"id\":5,\"text\":\"後臺軟件\"}\n",
    "{\"id\":6,\"other\":\"简体\"}",
);

/// A tree with every kind of input; returns the files that must convert, with expected output.
fn make_tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut expected = Vec::new();
    let mut file = |rel: &str, content: &[u8], out: Option<&[u8]>| {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, content).unwrap();
        if let Some(out) = out {
            expected.push((PathBuf::from(rel), out.to_vec()));
        }
    };
    file("a.txt", "汉字\n".as_bytes(), Some("漢字\n".as_bytes()));
    file("clean.txt", b"plain ASCII\n", Some(b"plain ASCII\n"));
    file(
        "sub/b.txt",
        "简体\r\n无换行".as_bytes(),
        Some("簡體\r\n無換行".as_bytes()),
    );
    file(
        "sub/deep/er/c.md",
        "发展\n\n".as_bytes(),
        Some("發展\n\n".as_bytes()),
    );
    file("sub/empty.txt", b"", Some(b""));
    file("sub/utf16.txt", b"\xff\xfeI\x6cN\x6b", None); // UTF-16 BOM: not binary, not UTF-8
    file("sub/gbk.txt", &[0xBA, 0xBA, 0xD7, 0xD6, b'\n'], None); // GBK: convert wants UTF-8
    file(
        "bin/blob.dat",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
        None,
    );
    file(".hidden/h.txt", "后台\n".as_bytes(), None);
    file("sub/.h.txt", "后台\n".as_bytes(), None);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/etc", root.join("sub/out_link")).unwrap();
        std::os::unix::fs::symlink("../a.txt", root.join("sub/in_link.txt")).unwrap();
        std::os::unix::fs::symlink("nowhere", root.join("sub/dangling.txt")).unwrap();
        let fifo = root.join("sub/fifo.txt");
        let ok = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(ok.map(|s| s.success()).unwrap_or(false), "mkfifo");
    }
    expected.sort();
    expected
}

fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walk(dir) {
        out.push((
            e.strip_prefix(dir).unwrap().to_path_buf(),
            fs::read(&e).unwrap(),
        ));
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let ft = fs::symlink_metadata(&p).unwrap().file_type();
        if ft.is_dir() {
            v.extend(walk(&p));
        } else if ft.is_file() {
            v.push(p);
        }
    }
    v
}

#[test]
fn out_dir_mirrors_the_tree_and_reports_every_input() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    let expected = make_tree(&tree);
    let out = tmp.path().join("out");
    let report = tmp.path().join("report.json");
    let assert = zhfix()
        .current_dir(tmp.path())
        .args([
            "convert",
            "-c",
            "s2t",
            "--out-dir",
            "out",
            "--report",
            "report.json",
            "tree",
        ])
        .arg("missing.txt")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("tree/sub/gbk.txt: invalid UTF-8 at byte offset 0"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tree/sub/utf16.txt: invalid UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tree/bin/blob.dat: warning: binary file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tree/sub/fifo.txt: warning: not a regular file"),
        "{stderr}"
    );
    assert!(stderr.contains("missing.txt: No such file"), "{stderr}");
    assert!(stderr.contains("files:"), "summary line: {stderr}");
    // Every output, and nothing else: no hidden files, no links followed, no failed inputs.
    let got = listing(&out.join("tree"));
    assert_eq!(got, expected);
    assert_eq!(walk(&out).len(), expected.len());
    let doc: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    let files = doc["files"].as_array().unwrap();
    let status = |suffix: &str| {
        files
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} in report"))["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("a.txt"), "changed");
    assert_eq!(status("clean.txt"), "unchanged");
    assert_eq!(status("gbk.txt"), "failed");
    assert_eq!(status("blob.dat"), "skipped");
    assert_eq!(status("missing.txt"), "failed");
    let a = files.iter().find(|f| f["path"] == "tree/a.txt").unwrap();
    assert_eq!(a["bytes_in"], 7);
    assert_eq!(a["config"], "s2t");
    assert_eq!(a["lines_changed"], 1);
    assert_eq!(doc["summary"]["exit_code"], 2);
    assert_eq!(doc["summary"]["failed"], 3); // gbk, utf16, missing and nothing else
}

#[test]
fn hidden_and_filters() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    make_tree(&tree);
    let run = |extra: &[&str]| {
        let out = zhfix()
            .current_dir(tmp.path())
            .args(["convert", "-c", "s2t", "-q", "--report", "r.json"])
            .args(extra)
            .arg("tree")
            .output()
            .unwrap();
        let doc: serde_json::Value =
            serde_json::from_slice(&fs::read(tmp.path().join("r.json")).unwrap()).unwrap();
        let mut paths: Vec<String> = doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
        paths.sort();
        (out, paths)
    };
    let (_, paths) = run(&["--ext", "md"]);
    assert_eq!(paths, ["tree/sub/deep/er/c.md"]);
    let (_, paths) = run(&[
        "--glob", "*.txt", "--glob", "!gbk*", "--glob", "!utf16*", "--glob", "!fifo*",
    ]);
    assert_eq!(
        paths,
        [
            "tree/a.txt",
            "tree/clean.txt",
            "tree/sub/b.txt",
            "tree/sub/empty.txt"
        ]
    );
    let (out, paths) = run(&["--hidden", "--ext", "txt", "--glob", "!sub/*"]);
    assert!(out.status.success());
    assert_eq!(
        paths,
        ["tree/.hidden/h.txt", "tree/a.txt", "tree/clean.txt"]
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "後臺\n漢字\nplain ASCII\n"
    );
}

#[test]
fn in_place_is_atomic_keeps_modes_backs_up_and_skips_unchanged_files() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    let expected = make_tree(&tree);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tree.join("a.txt"), fs::Permissions::from_mode(0o640)).unwrap();
    }
    let clean_mtime = fs::metadata(tree.join("clean.txt"))
        .unwrap()
        .modified()
        .unwrap();
    let dangling = tree.join("sub/dangling.txt");
    zhfix()
        .args([
            "convert",
            "-c",
            "s2t",
            "--in-place",
            "--backup",
            ".orig",
            "-j",
            "2",
        ])
        .arg(&tree)
        .arg(&dangling) // named explicitly: followed, and fails even for root
        .arg(tree.join("a.txt")) // named twice: processed once
        .assert()
        .code(2)
        .stderr(predicates::str::contains("dangling.txt: No such file"));
    for (rel, want) in &expected {
        assert_eq!(
            &fs::read(tree.join(rel)).unwrap(),
            want,
            "{}",
            rel.display()
        );
    }
    assert_eq!(
        fs::read(tree.join("a.txt.orig")).unwrap(),
        "汉字\n".as_bytes()
    );
    assert!(
        !tree.join("clean.txt.orig").exists(),
        "unchanged files are not touched"
    );
    assert_eq!(
        fs::metadata(tree.join("clean.txt"))
            .unwrap()
            .modified()
            .unwrap(),
        clean_mtime
    );
    assert_eq!(
        fs::read(tree.join(".hidden/h.txt")).unwrap(),
        "后台\n".as_bytes()
    );
    assert_eq!(
        fs::read(tree.join("sub/gbk.txt")).unwrap(),
        [0xBA, 0xBA, 0xD7, 0xD6, b'\n']
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(tree.join("a.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
        assert!(fs::symlink_metadata(tree.join("sub/in_link.txt"))
            .unwrap()
            .file_type()
            .is_symlink());
    }
    let leftovers: Vec<_> = walk(&tree)
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".zhfix-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Second run: nothing left to change.
    zhfix()
        .args([
            "convert", "-c", "s2t", "--check", "-q", "--glob", "!gbk*", "--glob", "!utf16*",
        ])
        .args(["--glob", "!fifo*", "--glob", "!*.orig"])
        .arg(&tree)
        .assert()
        .code(0);
}

#[test]
fn check_and_diff_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.txt");
    let clean = tmp.path().join("clean.txt");
    fs::write(&a, "一\n汉字\n三\n").unwrap();
    fs::write(&clean, "clean\n").unwrap();
    zhfix()
        .args(["convert", "-c", "s2t", "--check"])
        .arg(&a)
        .arg(&clean)
        .assert()
        .code(1)
        .stdout("");
    zhfix()
        .args(["convert", "-c", "s2t", "--check"])
        .arg(&clean)
        .assert()
        .code(0);
    let out = zhfix()
        .args(["convert", "-c", "s2t", "--diff"])
        .arg(&a)
        .arg(&clean)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let label = a.display().to_string();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("--- a/{label}\n+++ b/{label}\n@@ -1,3 +1,3 @@\n 一\n-汉字\n+漢字\n 三\n")
    );
    zhfix()
        .args(["convert", "-c", "s2t", "--check", "--diff"])
        .arg(&a)
        .assert()
        .code(1);
    assert_eq!(fs::read_to_string(&a).unwrap(), "一\n汉字\n三\n");
    // Standard input too.
    zhfix()
        .args(["convert", "-c", "s2t", "--check"])
        .write_stdin("汉")
        .assert()
        .code(1);
    zhfix()
        .args(["convert", "-c", "s2t", "--check"])
        .write_stdin("漢")
        .assert()
        .code(0);
}

#[test]
fn jsonl_plain_gz_zst_in_and_out() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("shards");
    fs::create_dir(&d).unwrap();
    fs::write(d.join("s.jsonl"), JSONL_IN).unwrap();
    fs::write(
        d.join("s.jsonl.gz"),
        compress(Compression::Gzip, JSONL_IN.as_bytes()),
    )
    .unwrap();
    fs::write(
        d.join("s.jsonl.zst"),
        compress(Compression::Zstd, JSONL_IN.as_bytes()),
    )
    .unwrap();
    let assert = zhfix()
        .current_dir(tmp.path())
        .args([
            "convert",
            "-c",
            "s2t",
            "--jsonl",
            "--out-dir",
            "out",
            "shards",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for name in ["s.jsonl", "s.jsonl.gz", "s.jsonl.zst"] {
        assert!(
            stderr.contains(&format!("shards/{name}:2: invalid JSON at column 2")),
            "{stderr}"
        );
    }
    let out = tmp.path().join("out/shards");
    assert_eq!(fs::read_to_string(out.join("s.jsonl")).unwrap(), JSONL_OUT);
    let gz = fs::read(out.join("s.jsonl.gz")).unwrap();
    assert_eq!(&gz[..2], &[0x1f, 0x8b]);
    assert_eq!(decompress(Compression::Gzip, &gz), JSONL_OUT.as_bytes());
    let zst = fs::read(out.join("s.jsonl.zst")).unwrap();
    assert_eq!(&zst[..4], &[0x28, 0xb5, 0x2f, 0xfd]);
    assert_eq!(decompress(Compression::Zstd, &zst), JSONL_OUT.as_bytes());
    // In place, with another field name; and the compressed input to standard output.
    zhfix()
        .args([
            "convert",
            "-c",
            "s2t",
            "--jsonl",
            "--field",
            "other",
            "--in-place",
            "-q",
        ])
        .arg(d.join("s.jsonl.zst"))
        .assert()
        .code(2);
    let back = decompress(Compression::Zstd, &fs::read(d.join("s.jsonl.zst")).unwrap());
    assert_eq!(
        String::from_utf8(back).unwrap(),
        JSONL_IN.replace(
            "{\"id\":6,\"other\":\"简体\"}",
            "{\"id\":6,\"other\":\"簡體\"}"
        )
    );
    zhfix()
        .args(["convert", "-c", "s2t", "--jsonl", "-q"])
        .arg(d.join("s.jsonl.gz"))
        .assert()
        .code(2)
        .stdout(JSONL_OUT);
    // Filter mode: one line out per line in.
    zhfix()
        .args(["convert", "-c", "s2t", "--jsonl"])
        .write_stdin(JSONL_IN)
        .assert()
        .code(2)
        .stdout(JSONL_OUT)
        .stderr(predicates::str::contains("-:2: invalid JSON"));
}

#[test]
fn output_is_the_same_for_any_number_of_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    make_tree(&tree);
    for i in 0..60 {
        let text = format!("{i} 汉字简体后台\n").repeat(i * 37 % 500 + 1);
        fs::write(tree.join(format!("sub/deep/n{i:03}.txt")), text).unwrap();
    }
    let mut big = String::new();
    for i in 0..3000 {
        big.push_str(&format!("{{\"i\":{i},\"text\":\"第{i}行 发展软件\"}}\n"));
    }
    fs::write(tree.join("big.jsonl"), &big).unwrap();
    let run = |j: &str, out: &str| {
        let o = zhfix()
            .current_dir(tmp.path())
            .args([
                "convert",
                "-c",
                "s2t",
                "-j",
                j,
                "--report",
                &format!("{out}.json"),
                "tree",
            ])
            .output()
            .unwrap();
        zhfix()
            .current_dir(tmp.path())
            .args([
                "convert",
                "-c",
                "s2t",
                "-q",
                "-j",
                j,
                "--out-dir",
                out,
                "tree",
            ])
            .output()
            .unwrap();
        let mut doc: serde_json::Value =
            serde_json::from_slice(&fs::read(tmp.path().join(format!("{out}.json"))).unwrap())
                .unwrap();
        doc["summary"]["seconds"] = 0.into();
        (
            o.stdout,
            o.status.code(),
            doc,
            listing(&tmp.path().join(out)),
        )
    };
    let one = run("1", "o1");
    let two = run("2", "o2");
    assert_eq!(one.0, two.0, "stdout");
    assert_eq!(one.1, two.1);
    assert_eq!(one.2, two.2, "report");
    assert_eq!(one.3, two.3, "out-dir");
    assert!(one.0.len() > 100_000);
    // JSONL alone, parallel inside one file.
    let j = |n: &str| {
        zhfix()
            .args(["convert", "-c", "s2t", "--jsonl", "-j", n])
            .arg(tree.join("big.jsonl"))
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(j("1"), j("2"));
    assert_eq!(
        String::from_utf8(j("2")).unwrap(),
        big.replace("发展软件", "發展軟件")
    );
}

#[test]
fn out_dir_refuses_parent_components() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("w")).unwrap();
    fs::write(tmp.path().join("x.txt"), "汉").unwrap();
    zhfix()
        .current_dir(tmp.path().join("w"))
        .args(["convert", "-c", "s2t", "--out-dir", "out", "../x.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`..`"));
    assert!(!tmp.path().join("w/out/x.txt").exists());
    assert!(walk(&tmp.path().join("w")).is_empty());
}

#[test]
fn large_files_stream_and_compressed_text_files_work() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "汉字简体\n".repeat(30_000);
    let big = tmp.path().join("big.txt");
    fs::write(&big, &text).unwrap();
    fs::write(
        tmp.path().join("t.txt.gz"),
        compress(Compression::Gzip, text.as_bytes()),
    )
    .unwrap();
    let want = text.replace("汉字简体", "漢字簡體");
    // Files above the (hidden, normally 64 MiB) limit are streamed, not read whole.
    let limit = ["--whole-file-limit", "1000"];
    zhfix()
        .args(["convert", "-c", "s2t"])
        .args(limit)
        .arg(&big)
        .assert()
        .success()
        .stdout(want.clone());
    zhfix()
        .args(["convert", "-c", "s2t", "--check"])
        .args(limit)
        .arg(&big)
        .assert()
        .code(1);
    zhfix()
        .args(["convert", "-c", "s2t", "--in-place"])
        .args(limit)
        .arg(tmp.path().join("t.txt.gz"))
        .arg(&big)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&big).unwrap(), want);
    zhfix()
        .args(["convert", "-c", "s2t", "--check"])
        .args(limit)
        .arg(&big)
        .assert()
        .code(0);
    let gz = fs::read(tmp.path().join("t.txt.gz")).unwrap();
    assert_eq!(decompress(Compression::Gzip, &gz), want.as_bytes());
}

#[test]
fn line_buffered_answers_each_line_before_the_next_arrives() {
    use std::io::BufRead;
    use std::process::{Command as Std, Stdio};
    for jsonl in [false, true] {
        let mut cmd = Std::new(assert_cmd::cargo::cargo_bin("zhfix"));
        cmd.args(["convert", "-c", "s2t", "--line-buffered"]);
        if jsonl {
            cmd.arg("--jsonl");
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        for (q, a) in [("汉字", "漢字"), ("简体", "簡體")] {
            let (q, a) = if jsonl {
                (
                    format!("{{\"text\":\"{q}\"}}"),
                    format!("{{\"text\":\"{a}\"}}"),
                )
            } else {
                (q.to_string(), a.to_string())
            };
            writeln!(stdin, "{q}").unwrap();
            stdin.flush().unwrap();
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap(); // would hang if the answer were held back
            assert_eq!(line, format!("{a}\n"));
        }
        drop(stdin);
        assert!(child.wait().unwrap().success());
    }
}

#[test]
fn output_file_from_standard_input_compressed_by_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o.jsonl.gz");
    zhfix()
        .args(["convert", "-c", "s2t", "--jsonl", "-o"])
        .arg(&out)
        .write_stdin("{\"text\":\"汉\"}\n")
        .assert()
        .success()
        .stdout("")
        .stderr("");
    let got = decompress(Compression::Gzip, &fs::read(&out).unwrap());
    assert_eq!(String::from_utf8(got).unwrap(), "{\"text\":\"漢\"}\n");
    let txt = tmp.path().join("o.txt");
    zhfix()
        .args(["convert", "-c", "s2t", "-o"])
        .arg(&txt)
        .write_stdin("汉")
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&txt).unwrap(), "漢");
}

#[cfg(unix)]
#[test]
fn a_symlink_named_for_in_place_stays_a_link_and_its_target_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("real.txt");
    let link = tmp.path().join("link.txt");
    fs::write(&target, "汉字\n").unwrap();
    std::os::unix::fs::symlink("real.txt", &link).unwrap();
    zhfix()
        .args(["convert", "-c", "s2t", "-i", "-q"])
        .arg(&link)
        .assert()
        .success();
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&target).unwrap(), "漢字\n");
}

#[test]
fn a_closed_output_pipe_ends_quietly() {
    use std::io::BufRead;
    use std::process::{Command as Std, Stdio};
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..50 {
        fs::write(
            tmp.path().join(format!("{i:02}.txt")),
            "汉字\n".repeat(20_000),
        )
        .unwrap();
    }
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("zhfix"))
        .args(["convert", "-c", "s2t", "-q"])
        .arg(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "漢字\n");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn an_out_dir_inside_the_tree_is_not_walked() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a.txt"), "汉").unwrap();
    for _ in 0..2 {
        zhfix()
            .current_dir(tmp.path())
            .args(["convert", "-c", "s2t", "-q", "--out-dir", "out", "."])
            .assert()
            .success();
    }
    assert_eq!(
        listing(tmp.path()),
        [
            (PathBuf::from("a.txt"), "汉".as_bytes().to_vec()),
            (PathBuf::from("out/a.txt"), "漢".as_bytes().to_vec())
        ]
    );
}
