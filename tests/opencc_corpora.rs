//! Byte-identity with OpenCC 1.4.2 on the shared corpora, line by line.
//!
//! The corpora are GPL-licensed and live outside the repository (`../shared/corpora`); the
//! expected outputs are stored as per-line hashes made by `scripts/opencc_golden.py`. Without
//! the corpora (a plain checkout) the test says so and checks nothing else.

use std::collections::HashMap;
use std::path::PathBuf;

use sha2::{Digest, Sha256};
use zhfix::convert::{Config, Converter};

#[path = "common/shared.rs"]
mod shared;
use shared::corpora_dir;

fn short_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_config_matches_opencc_on_the_shared_corpora() {
    let Some(dir) = corpora_dir() else {
        eprintln!("../shared/corpora not found: skipping the corpus comparison");
        return;
    };
    let mut failures = Vec::new();
    let mut lines_checked = 0;
    for config in Config::ALL {
        let golden_path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden/opencc")
            .join(format!("{}.txt", config.name()));
        let golden = std::fs::read_to_string(&golden_path).expect("golden file");
        let expected: HashMap<&str, &str> = golden
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(' '))
            .collect();
        let suffix = if config.name().starts_with("s2") {
            "-cn.txt"
        } else {
            "-tw.txt"
        };
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("corpora")
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(suffix))
            .collect();
        names.sort();
        assert!(
            !names.is_empty(),
            "no *{suffix} corpora in {}",
            dir.display()
        );
        let converter = Converter::new(config);
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).expect("corpus is UTF-8");
            for (index, line) in text.split('\n').enumerate() {
                let location = format!("{name}:{}", index + 1);
                let got = converter.convert(line);
                let ok = match expected.get(location.as_str()) {
                    Some(hash) => short_hash(&got) == *hash,
                    None => got == line,
                };
                if !ok {
                    failures.push(format!("{config} {location}: {got}"));
                }
                lines_checked += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} lines differ from OpenCC 1.4.2 (first 20):\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(lines_checked > 300_000, "checked {lines_checked} lines");
}
