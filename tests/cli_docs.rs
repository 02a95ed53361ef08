//! `zhfix --help` and docs/CLI.md come from one source: the clap definitions. The reference
//! section of docs/CLI.md holds each command's `--help` verbatim between markers; this test
//! fails when they drift, and rewrites them with `ZHFIX_BLESS=1 cargo test --test cli_docs`.

use std::path::PathBuf;

use assert_cmd::Command;

const COMMANDS: [&str; 4] = ["", "fix", "convert", "detect"];

fn help(command: &str) -> String {
    let mut cmd = Command::cargo_bin("zhfix").expect("binary");
    if !command.is_empty() {
        cmd.arg(command);
    }
    let out = cmd
        .arg("--help")
        .env("COLUMNS", "100")
        .output()
        .expect("runs");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("UTF-8 help")
}

fn markers(command: &str) -> (String, String) {
    let name = if command.is_empty() { "zhfix" } else { command };
    (
        format!("<!-- help:{name} -->\n```text\n"),
        format!("```\n<!-- /help:{name} -->"),
    )
}

#[test]
fn cli_reference_matches_help() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/CLI.md");
    let mut doc = std::fs::read_to_string(&path).expect("docs/CLI.md");
    let bless = std::env::var_os("ZHFIX_BLESS").is_some();
    let mut stale = Vec::new();
    for command in COMMANDS {
        let (open, close) = markers(command);
        let text = help(command);
        let start = doc
            .find(&open)
            .unwrap_or_else(|| panic!("docs/CLI.md lacks {open:?}"));
        let body = start + open.len();
        let end = body + doc[body..].find(&close).expect("closing marker");
        if doc[body..end] != text {
            stale.push(if command.is_empty() { "zhfix" } else { command });
            doc.replace_range(body..end, &text);
        }
    }
    if bless {
        std::fs::write(&path, doc).expect("write docs/CLI.md");
    } else {
        assert!(
            stale.is_empty(),
            "docs/CLI.md is out of date for {stale:?}: run ZHFIX_BLESS=1 cargo test --test cli_docs"
        );
    }
}
