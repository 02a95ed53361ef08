//! Punctuation normalization: the table of cases in `tests/data/punct_cases.tsv`, the seed
//! sample, and the shared clean corpora (when `../shared` is present).

use std::path::{Path, PathBuf};

use zhfix::punct::{normalize_punct, Style};

#[path = "common/punct_corpora.rs"]
mod punct_corpora;

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

/// The candidate scan reads 16 bytes at a time and drops hyphens by their neighbours within
/// those 16 (src/punct/scan.rs): rows of hyphens at every offset from a chunk's start, so that
/// every edge case of that filter meets a real dash (`--`) or a row that must stay.
#[test]
fn hyphen_rows_at_every_chunk_offset() {
    for pad in 0..20 {
        for n in 1..=40 {
            let hyphens = "-".repeat(n);
            let text = format!("{}他说{hyphens}不，{hyphens}。", "x".repeat(pad));
            let expected = if n == 2 {
                text.replace("--", "——")
            } else {
                text.clone()
            };
            assert_eq!(
                normalize_punct(&text, Style::ZhHans),
                expected,
                "{pad} letters, {n} hyphens"
            );
        }
    }
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

/// `../shared` next to the checkout (or `$ZHFIX_SHARED`), when present.
fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ZHFIX_SHARED")
        .map_or_else(|| manifest().join("../shared"), PathBuf::from);
    dir.join("corpora").is_dir().then_some(dir)
}

/// What kind of change turned `before` into `after`, for the summary.
fn kinds(before: &str, after: &str) -> String {
    let count = |s: &str, c: char| s.matches(c).count();
    let mut kinds = Vec::new();
    for (c, name) in [
        ('"', "ascii-quotes"),
        ('\'', "ascii-single-quotes"),
        ('“', "curly-quotes"),
        ('”', "curly-quotes"),
        ('「', "corner-quotes"),
        ('」', "corner-quotes"),
        ('‘', "curly-single-quotes"),
        ('(', "parentheses"),
        (')', "parentheses"),
        (',', "comma"),
        (':', "colon"),
        (';', "semicolon"),
        ('?', "question-mark"),
        ('!', "exclamation-mark"),
        ('.', "full-stop"),
        ('…', "ellipsis"),
        ('—', "dash"),
    ] {
        if count(before, c) != count(after, c) && !kinds.contains(&name) {
            kinds.push(name);
        }
    }
    if kinds.is_empty() {
        kinds.push("other");
    }
    kinds.join("+")
}

fn line_hash(line: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(line.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Clean corpora under their own style: the changed lines must be exactly the ones recorded
/// (line number and hash of the new line) in `tests/data/punct_corpus_changes.tsv`, each of
/// which was read and classified (docs/punct.md). `ZHFIX_BLESS=1` rewrites the record.
#[test]
fn clean_corpora_under_their_own_style() {
    let Some(shared) = shared_dir() else {
        eprintln!("../shared not found: corpus check skipped");
        return;
    };
    let mut record = String::new();
    for (file, style) in punct_corpora::OWN_STYLES {
        let Ok(text) = std::fs::read_to_string(shared.join("corpora").join(file)) else {
            continue;
        };
        let out = normalize_punct(&text, style);
        assert_eq!(normalize_punct(&out, style), out, "{file}: not idempotent");
        assert_eq!(
            line_breaks(&out).len(),
            line_breaks(&text).len(),
            "{file}: line breaks changed"
        );
        let mut by_kind = std::collections::BTreeMap::<String, usize>::new();
        let mut changed = 0;
        for (n, (before, after)) in text.split('\n').zip(out.split('\n')).enumerate() {
            if before != after {
                changed += 1;
                *by_kind.entry(kinds(before, after)).or_default() += 1;
                record.push_str(&format!("{file}\t{}\t{}\n", n + 1, line_hash(after)));
            }
        }
        let lines = text.split('\n').count();
        eprintln!("{file} ({style}): {changed} of {lines} lines changed");
        let mut by_kind: Vec<_> = by_kind.into_iter().collect();
        by_kind.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        for (kind, n) in by_kind {
            eprintln!("  {n:>5}  {kind}");
        }
    }
    let path = manifest().join("tests/data/punct_corpus_changes.tsv");
    if std::env::var_os("ZHFIX_BLESS").is_some() {
        std::fs::write(&path, &record).expect("write the record");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("tests/data/punct_corpus_changes.tsv");
    let expected: Vec<&str> = expected.lines().collect();
    let got: Vec<&str> = record.lines().collect();
    let new: Vec<_> = got
        .iter()
        .filter(|l| !expected.contains(l))
        .take(20)
        .collect();
    let gone: Vec<_> = expected
        .iter()
        .filter(|l| !got.contains(l))
        .take(20)
        .collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "corpus changes differ from the record (investigate, then ZHFIX_BLESS=1):\nnew: {new:#?}\ngone: {gone:#?}"
    );
}

mod properties {
    use proptest::prelude::*;
    use zhfix::punct::{normalize_punct, Style};

    /// Strings built from the characters the rules care about, so that odd mixtures come up.
    fn tricky() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "你",
            "好",
            "。",
            "，",
            ",",
            ".",
            "...",
            "…",
            "——",
            "--",
            "-",
            ":",
            ";",
            "?",
            "!",
            "(",
            ")",
            "（",
            "）",
            "\"",
            "'",
            "“",
            "”",
            "‘",
            "’",
            "「",
            "」",
            "『",
            "』",
            "a",
            "1",
            " ",
            "\n",
            "\r\n",
            "　",
            "Ａ",
            "１",
            "`",
            "http://a.b/c",
            "x@y.z",
            "/usr/bin",
            ":-)",
            "[a](b)",
            "<b>",
            "|",
            "```\n",
            "한",
            "é",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    /// Denser mixtures of what interacts: quotes and parentheses of every form, letters,
    /// spaces, Chinese, the marks that eat a space or form an ellipsis, emoticons holding
    /// quotes and parentheses, full-width letters, U+3000, link and URL starts.
    fn dense() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "你", "好", "'", "'", "\"", "a", "b", "x", " ", " ", "\u{3000}", ",", ".", ";", "(",
            ")", "（", "）", "“", "”", "‘", "’", "「", "」", "『", "』", ":", "-", "--", "...",
            "。", "。。", "…", "\n", "Ａ", "Ｄ", "１", "|", "1", "_", "=", "]", "](", "}", ":')",
            ":D", ":-)", "-_-", "(^_^)", "http://", "/", "@", "`", "<b>",
        ]);
        prop::collection::vec(pieces, 0..32).prop_map(|v| v.concat())
    }

    fn styles() -> impl Strategy<Value = Style> {
        prop::sample::select(Style::ALL.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn idempotent_and_keeps_line_breaks(text in tricky(), style in styles()) {
            let once = normalize_punct(&text, style);
            let twice = normalize_punct(&once, style);
            prop_assert_eq!(&twice, &once);
            prop_assert_eq!(once.matches('\n').count(), text.matches('\n').count());
            prop_assert_eq!(once.matches("\r\n").count(), text.matches("\r\n").count());
            prop_assert_eq!(once.matches('\r').count(), text.matches('\r').count());
        }

        #[test]
        fn idempotent_on_dense_mixtures(text in dense(), style in styles()) {
            let once = normalize_punct(&text, style);
            let twice = normalize_punct(&once, style);
            prop_assert_eq!(&twice, &once);
            prop_assert_eq!(once.matches('\n').count(), text.matches('\n').count());
        }
    }
}

/// Inputs that once broke idempotence (fuzzing and property tests): a verdict read something
/// another rule changes (a quote or a parenthesis inside, a quote inside an emoticon, a space
/// a converted mark deletes, a full-width letter, U+3000, a full stop next to `。。`).
#[test]
fn idempotence_regressions() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz/");
    let fuzzed: Vec<String> = [
        "punct-idempotence-1",
        "punct-idempotence-2",
        "punct-idempotence-3-zhtw",
        "punct-idempotence-4",
        "punct-idempotence-5",
        "punct-idempotence-6",
    ]
    .iter()
    .map(|name| String::from_utf8(std::fs::read(format!("{dir}{name}")).unwrap()).unwrap())
    .collect();
    let known = [
        "“(”a\u{3000})『’",
        "“:（”",
        "\";...汉",
        // An emoticon holding a quote (`:')`) lost it to the quote rule.
        "'你:')",
        ":')你:')",
        // Emoticons read full-width letters as ASCII (`:DＡ` is `:DA` once folded).
        "你:DＤ",
        "－:DＡ",
        // A dash overlapping an emoticon (`-_-`), once emoticons were protected.
        "）--_--）",
        // An apostrophe test that did not look past a parenthesis.
        "ha(\0\0)('_<>\0&〣a')",
        // A space a converted mark deletes changed the context of an earlier mark.
        "。。。, 好",
        "--－, \u{3000}",
        // A full stop next to `。。` made an ellipsis (and, with only `。` checked, next to
        // `。。。`, which becomes `……`).
        "\u{3000}。。.",
        "你。。。.",
        // U+3000 counted as Chinese context, then became a space.
        "'x a'\u{3000}b 你'",
        // A URL scheme or a link destination that appears once a letter is folded or a mark
        // converted (the second with only `，；：？！。（）` rejecting a destination).
        "１http://a.b/c](）",
        "『‘’](’。。。:-)",
    ];
    for text in fuzzed.iter().map(String::as_str).chain(known) {
        for style in [Style::ZhHans, Style::ZhTw, Style::ZhHk] {
            let once = normalize_punct(text, style);
            assert_eq!(normalize_punct(&once, style), once, "{style:?} on {text:?}");
        }
    }
}
