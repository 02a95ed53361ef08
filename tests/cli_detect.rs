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

/// The keys of a JSON object, in order.
fn keys(object: &Value) -> Vec<&str> {
    object
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// Runs a `zhfix detect --json ...` command that must succeed; its rows.
fn rows(command: &mut Command) -> Vec<Value> {
    json_lines(&command.assert().success().get_output().stdout)
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
    let keys = keys(row);
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
    let prefix = rows(zhfix().args(["detect", "--json"]).arg(&file));
    assert_eq!(prefix[0]["truncated"], true);
    let full = rows(zhfix().args(["detect", "--json", "--full"]).arg(&file));
    assert_eq!(full[0]["truncated"], false);
    assert_eq!(full[0]["encoding"], "GBK");
}

/// What `detect --json --full` must say about `bytes`: the library's verdicts on the whole.
fn expected(bytes: &[u8]) -> (String, String, Option<String>, usize, usize, usize) {
    let detection = zhfix::detect::detect_full(bytes);
    let (text, _) = detection.encoding.decode(bytes);
    let (script, problems) = zhfix::detect::analyze(&text);
    (
        detection.encoding.name().to_string(),
        script.script.name().to_string(),
        script.region.map(|r| r.code().to_string()),
        problems.mojibake.len(),
        problems.annotations,
        script.taiwan_phrases,
    )
}

fn observed(row: &Value) -> (String, String, Option<String>, usize, usize, usize) {
    (
        row["encoding"].as_str().unwrap().to_string(),
        row["script"].as_str().unwrap().to_string(),
        row["region"].as_str().map(str::to_string),
        row["mojibake"].as_array().unwrap().len(),
        row["annotations"].as_u64().unwrap() as usize,
        row["region_evidence"]["tw_phrases"].as_u64().unwrap() as usize,
    )
}

#[test]
fn full_streams_files_and_stdin_of_any_encoding() {
    // Over the spool's memory, so that standard input goes to a temporary file; problems sit
    // across the 64 KiB read boundaries.
    let line = "這個軟體的程式存取資料庫，網路很快。 浣犲ソ锛屼笘鐣 現(xiàn)在\n";
    let text = line.repeat(200_000 / line.len());
    let utf8 = text.as_bytes().to_vec();
    let big5 = encoding_rs::BIG5.encode(&text).0.into_owned();
    // Valid UTF-8 until the very end: read as UTF-8 first, then again as what it is.
    let mut late = utf8.clone();
    late.extend_from_slice(&big5[..4000]);
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [("utf8", &utf8), ("big5", &big5), ("late", &late)] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let from_file = rows(zhfix().args(["detect", "--json", "--full"]).arg(&file));
        let from_stdin = rows(
            zhfix()
                .args(["detect", "--json", "--full", "--spool-memory", "100000"])
                .write_stdin(bytes.clone()),
        );
        let want = expected(bytes);
        assert_eq!(observed(&from_file[0]), want, "{name}");
        assert_eq!(observed(&from_stdin[0]), want, "{name} on stdin");
        assert_eq!(from_file[0]["examined"], bytes.len());
        if name == "utf8" {
            assert!(from_file[0]["mojibake"].as_array().unwrap().len() > 1000);
        }
    }
}

#[test]
fn region_hint_with_its_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        (
            "tw.txt",
            "我們用這個軟體的程式存取資料庫，網路也很快。這裡的麵很好吃。\n",
            Some("TW"),
        ),
        (
            "hk.txt",
            "衞生署發言人説，市民應保持個人衞生，天氣温暖時多喝水。\n",
            Some("HK"),
        ),
        (
            "cn-hant.txt",
            "這個軟件的數據庫在網絡上運行，用戶可以用鼠標點擊。\n",
            Some("CN"),
        ),
        (
            "cn.txt",
            "这个软件的数据库在网络上运行，用户可以用鼠标点击。\n",
            None,
        ),
        (
            "jp.txt",
            "これは日本語の文章です。漢字とかなで書きます。\n",
            Some("JP"),
        ),
    ];
    for (name, text, _) in &inputs {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let found = rows(zhfix().args(["detect", "--json"]).arg(dir.path()));
    let mut sorted = inputs.to_vec();
    sorted.sort_by_key(|i| i.0);
    for (row, (name, _, region)) in found.iter().zip(&sorted) {
        assert_eq!(row["region"].as_str(), *region, "{name}");
        assert_eq!(
            keys(&row["region_evidence"]),
            [
                "tw_variants",
                "tw_phrases",
                "hk_variants",
                "hk_phrases",
                "tw_hk_phrases",
                "cn_phrases",
                "japanese"
            ]
        );
    }
    let tw = &found[sorted.iter().position(|i| i.0 == "tw.txt").unwrap()];
    assert_eq!(tw["region_evidence"]["tw_phrases"], 5);
    assert_eq!(tw["region_evidence"]["tw_variants"], 2); // 裡 麵
    let table = zhfix()
        .arg("detect")
        .arg(dir.path().join("tw.txt"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8_lossy(&table);
    assert!(table.lines().next().unwrap().ends_with("REGION EVIDENCE"));
    assert!(table.contains(" TW "), "{table}");
    assert!(table.trim_end().ends_with("tw 2+5"), "{table}");
}
