//! Punctuation normalization: the table of cases in `tests/data/punct_cases.tsv`, the seed
//! sample, and the shared clean corpora (when `../shared` is present).

use std::path::{Path, PathBuf};

use zhfix::punct::{normalize_punct, Style};

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

struct Case {
    line: usize,
    input: String,
    style: Style,
    expected: String,
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/punct_cases.tsv");
    let text = std::fs::read_to_string(&path).expect("read punct_cases.tsv");
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 3, "punct_cases.tsv:{}: need 3 fields", n + 1);
        let input = unescape(fields[0]);
        let expected = if fields[2] == "=" {
            input.clone()
        } else {
            unescape(fields[2])
        };
        let style = fields[1]
            .parse()
            .unwrap_or_else(|e| panic!("punct_cases.tsv:{}: {e}", n + 1));
        cases.push(Case {
            line: n + 1,
            input,
            style,
            expected,
        });
    }
    cases
}

fn line_breaks(s: &str) -> Vec<usize> {
    s.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n' || b == b'\r')
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn table_of_cases() {
    let cases = cases();
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let got = normalize_punct(&case.input, case.style);
        if got != case.expected {
            failures.push(format!(
                "line {} ({}): {:?}\n   expected {:?}\n   got      {:?}",
                case.line, case.style, case.input, case.expected, got
            ));
            continue;
        }
        let again = normalize_punct(&got, case.style);
        if again != got {
            failures.push(format!(
                "line {}: not idempotent: {:?} -> {:?}",
                case.line, got, again
            ));
        }
        if line_breaks(&got).len() != line_breaks(&case.input).len()
            || got.matches("\r\n").count() != case.input.matches("\r\n").count()
        {
            failures.push(format!("line {}: line breaks changed", case.line));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn style_names() {
    for (name, style) in [
        ("keep", Style::Keep),
        ("zh-Hans", Style::ZhHans),
        ("zh-TW", Style::ZhTw),
        ("zh-HK", Style::ZhHk),
        ("hans", Style::ZhHans),
        ("tw", Style::ZhTw),
        ("hk", Style::ZhHk),
        ("ZH-hans", Style::ZhHans),
    ] {
        assert_eq!(name.parse::<Style>(), Ok(style), "{name}");
    }
    for style in Style::ALL {
        assert_eq!(style.name().parse::<Style>(), Ok(style));
        assert_eq!(style.to_string(), style.name());
    }
    assert!("zh-Hant".parse::<Style>().is_err());
    assert!("".parse::<Style>().is_err());
}

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn seed_punctuation_under_zh_hans() {
    let seed =
        std::fs::read_to_string(manifest().join("seeds/000_f3976092b292c533.txt")).expect("seed");
    let out = normalize_punct(&seed, Style::ZhHans);
    assert_eq!(out.lines().count(), seed.lines().count());
    let is_han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    for (n, (before, after)) in seed.lines().zip(out.lines()).enumerate() {
        let chars: Vec<char> = after.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            // No ASCII comma, colon, semicolon, question or exclamation mark next to Chinese.
            if matches!(c, ',' | ':' | ';' | '?' | '!') {
                let near_han = chars.get(i.wrapping_sub(1)).is_some_and(|&p| is_han(p))
                    || chars.get(i + 1).is_some_and(|&p| is_han(p));
                // The GBK punctuation damage `?!埃ㄟ@` is the repair stage's to undo.
                let damaged = before.contains("?!埃ㄟ@") || before.contains("?!?/strong>");
                assert!(
                    !near_han || damaged,
                    "seed line {}: ASCII {c:?} left in {after:?}",
                    n + 1
                );
            }
        }
    }
    for kept in [
        "01.黃仁勛特殊的北京之旅",
        "GPT-4.5",
        "上漲18%",
        "idonews@donews.com",
        "4月27日",
        "NVL72",
    ] {
        assert!(out.contains(kept), "{kept:?} changed");
    }
    for fixed in [
        "被特朗普狠狠“坑”了的黃仁勛，光速現（xiàn）身中國。",
        "（有任何疑問都請聯（lián）系idonews@donews.com）",
        "張平安在華為云生態（tài）大會2025上說：“華為并不發（fā）布面向C端的大模型應用，我們更關注的是怎么能讓行業（yè）客戶真正落地AI。”",
    ] {
        assert!(out.contains(fixed), "expected {fixed:?} in the output");
    }
    assert_eq!(
        normalize_punct(&out, Style::ZhHans),
        out,
        "idempotent on the seed"
    );
}
