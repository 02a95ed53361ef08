//! `zhfix detect` end to end: JSON per CLI.md, the table, stdin, directories, errors.

use assert_cmd::Command;
use serde_json::Value;

fn zhfix() -> Command {
    Command::cargo_bin("zhfix").expect("binary builds")
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[test]
fn json_from_stdin_follows_the_contract() {
    let gbk = encoding_rs::GBK
        .encode("中华人民共和国是工人阶级领导的社会主义国家。\n")
        .0
        .into_owned();
    let out = zhfix()
        .args(["detect", "--json"])
        .write_stdin(gbk)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows = json_lines(&out);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        &keys[..9],
        [
            "path",
            "encoding",
            "confidence",
            "script",
            "bom",
            "line_endings",
            "mojibake",
            "lossy",
            "annotations"
        ]
    );
    assert_eq!(row["path"], "-");
    assert_eq!(row["encoding"], "GBK");
    assert_eq!(row["script"], "simplified");
    assert_eq!(row["line_endings"], "lf");
    assert_eq!(row["lossy"], false);
}

#[test]
fn files_and_directories_in_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("a.txt"), "這是繁體中文，我們說過了。\r\n").unwrap();
    std::fs::write(
        dir.path().join("sub/b.txt"),
        "浣犲ソ锛屼笘鐣 現(xiàn)在 锟斤拷\n",
    )
    .unwrap();
    let utf16: Vec<u8> = "\u{FEFF}你好"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(dir.path().join("sub/c.txt"), utf16).unwrap();
    let out = zhfix()
        .args(["detect", "--json", "-j", "2"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let rows = json_lines(&out);
    let paths: Vec<String> = rows
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    assert!(
        paths[0].ends_with("a.txt") && paths[1].ends_with("b.txt") && paths[2].ends_with("c.txt")
    );
    assert_eq!(rows[0]["script"], "traditional");
    assert_eq!(rows[0]["line_endings"], "crlf");
    assert_eq!(rows[1]["mojibake"][0]["kind"], "utf8-as-gbk");
    assert_eq!(rows[1]["mojibake"][0]["start"], 0);
    assert_eq!(rows[1]["lossy"], true);
    assert_eq!(rows[1]["annotations"], 1);
    assert_eq!(rows[2]["encoding"], "UTF-16LE");
    assert_eq!(rows[2]["bom"], true);
}

#[test]
fn table_and_missing_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.txt");
    std::fs::write(&file, "hello\n").unwrap();
    let assert = zhfix()
        .arg("detect")
        .arg(&file)
        .arg(dir.path().join("missing.txt"))
        .assert()
        .code(2);
    let out = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(out.starts_with("PATH"));
    assert!(out.contains("UTF-8"));
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("missing.txt"));
}

#[test]
fn full_reads_past_the_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.txt");
    let mut bytes = vec![b'a'; 70_000];
    bytes.extend_from_slice(
        &encoding_rs::GBK
            .encode("中华人民共和国是工人阶级领导的社会主义国家。")
            .0,
    );
    std::fs::write(&file, bytes).unwrap();
    let prefix = json_lines(
        &zhfix()
            .args(["detect", "--json"])
            .arg(&file)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(prefix[0]["truncated"], true);
    let full = json_lines(
        &zhfix()
            .args(["detect", "--json", "--full"])
            .arg(&file)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(full[0]["truncated"], false);
    assert_eq!(full[0]["encoding"], "GBK");
}
