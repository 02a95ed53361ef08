//! Runs `zhfix::target` over OpenCC's own test expectations (tests/data/opencc/testcases.json)
//! and prints every difference: `id<TAB>config<TAB>target<TAB>input<TAB>expected<TAB>zhfix`.
//! docs/target.md lists each with its reason.
//!
//!     cargo run --example target_opencc_cases

use zhfix::target::{Target, TargetConverter};

/// The zhfix target that stands for an OpenCC config, if one does.
fn target_of(config: &str) -> Option<Target> {
    Some(match config {
        "s2t" | "tw2t" | "hk2t" => Target::ZhHant,
        "s2tw" | "s2twp" | "t2tw" => Target::ZhTw,
        "s2hk" | "t2hk" => Target::ZhHk,
        "t2s" | "tw2s" | "hk2s" => Target::ZhHans,
        "tw2sp" => Target::ZhCn,
        _ => return None,
    })
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/opencc/testcases.json"
    );
    let text = std::fs::read_to_string(path).expect("testcases.json");
    // The file has trailing commas; drop them.
    let mut clean = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == ','
            && chars[i + 1..]
                .iter()
                .find(|c| !c.is_whitespace())
                .is_some_and(|&n| n == '}' || n == ']')
        {
            continue;
        }
        clean.push(c);
    }
    let json: serde_json::Value = serde_json::from_str(&clean).expect("json");
    let (mut compared, mut differ) = (0, 0);
    for case in json["cases"].as_array().expect("cases") {
        let input = case["input"].as_str().expect("input");
        for (config, expected) in case["expected"].as_object().expect("expected") {
            let Some(target) = target_of(config) else {
                continue;
            };
            let expected = expected.as_str().expect("string");
            compared += 1;
            let ours = TargetConverter::new(target).convert(input);
            if ours != expected {
                differ += 1;
                println!(
                    "{}\t{config}\t{target}\t{input}\t{expected}\t{ours}",
                    case["id"].as_str().unwrap_or("?")
                );
            }
        }
    }
    eprintln!("{differ} of {compared} expectations differ");
}
