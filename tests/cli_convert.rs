//! `zhfix convert` through the real binary: the contract of docs/CLI.md.

use assert_cmd::Command;

fn zhfix() -> Command {
    Command::cargo_bin("zhfix").expect("binary")
}

#[test]
fn converts_standard_input() {
    zhfix()
        .args(["convert", "-c", "s2twp"])
        .write_stdin("测试软件\n")
        .assert()
        .success()
        .stdout("測試軟體\n");
    zhfix()
        .args(["convert", "--config", "t2s.json"])
        .write_stdin("漢字")
        .assert()
        .success()
        .stdout("汉字");
}

#[test]
fn keeps_line_endings_and_a_missing_final_newline() {
    zhfix()
        .args(["convert", "-c", "s2t"])
        .write_stdin("汉字\r\n简体\n\n末行")
        .assert()
        .success()
        .stdout("漢字\r\n簡體\n\n末行");
}

#[test]
fn invalid_utf8_names_the_input_and_the_offset() {
    let mut input = "汉字".as_bytes().to_vec();
    input.extend_from_slice(&[0xC4, 0xE3, b'\n']);
    zhfix()
        .args(["convert", "-c", "s2t"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "-: invalid UTF-8 at byte offset 6",
        ));
}

#[test]
fn unknown_config_lists_the_valid_ones() {
    zhfix()
        .args(["convert", "-c", "s2x"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown config \"s2x\""))
        .stderr(predicates::str::contains("s2t, t2s, s2tw, tw2s, s2twp"));
}

#[test]
fn list_shows_all_sixteen_configs() {
    let out = zhfix().args(["convert", "--list"]).output().expect("runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 16);
}

#[test]
fn user_dictionaries_win_and_bad_lines_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "# mine\n软件\t軟件 軟体\n").unwrap();
    zhfix()
        .args(["convert", "-c", "s2twp", "--dict"])
        .arg(&good)
        .write_stdin("软件和鼠标")
        .assert()
        .success()
        .stdout("軟件和滑鼠");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "好\t好\n没有制表符\n").unwrap();
    zhfix()
        .args(["convert", "-c", "s2t", "--dict"])
        .arg(&bad)
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "bad.txt:2: expected `from<TAB>to`",
        ));
}

#[test]
fn files_are_converted_in_order_and_missing_ones_reported() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "汉\n").unwrap();
    std::fs::write(&b, "简\n").unwrap();
    let missing = dir.path().join("missing.txt");
    zhfix()
        .args(["convert", "-c", "s2t"])
        .arg(&a)
        .arg(&missing)
        .arg(&b)
        .assert()
        .code(2)
        .stdout("漢\n簡\n")
        .stderr(predicates::str::contains("missing.txt"));
}
