//! Script detection accuracy by snippet length on the shared corpora (clean zh-CN and zh-TW
//! text). Skips when `../shared` (or `$ZHFIX_SHARED`) is absent. Run with `--nocapture` to see the table that
//! docs/benchmarks/detect.md quotes.
//!
//! A snippet is `n` consecutive characters of one line, at least half of them Han; it must come out as its corpus's
//! script, except that a snippet with no character specific to either script may answer
//! anything but `mixed`.

use std::path::PathBuf;

use zhfix::detect::{detect_script, Script};

const LENGTHS: [usize; 5] = [2, 4, 8, 16, 32];
/// At most this many snippets per corpus and length, spread evenly over the corpus.
const SAMPLES: usize = 4000;

fn corpora() -> Option<Vec<(PathBuf, Script)>> {
    // `../shared` next to the checkout, or wherever ZHFIX_SHARED points.
    let shared = std::env::var_os("ZHFIX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpora");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).ok()? {
        let path = entry.ok()?.path();
        let name = path.file_name()?.to_string_lossy().into_owned();
        let script = if name.ends_with("-cn.txt") {
            Script::Simplified
        } else if name.ends_with("-tw.txt") {
            Script::Traditional
        } else {
            continue;
        };
        found.push((path, script));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Some(found)
}

fn snippets(text: &str, n: usize) -> Vec<String> {
    let mut all = Vec::new();
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for chunk in chars.chunks_exact(n) {
            let han = chunk
                .iter()
                .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(*c))
                .count();
            if han * 2 >= n {
                all.push(chunk.iter().collect::<String>());
            }
        }
    }
    let step = (all.len() / SAMPLES).max(1);
    all.into_iter().step_by(step).collect()
}

#[test]
fn accuracy_by_snippet_length() {
    let Some(corpora) = corpora().filter(|c| !c.is_empty()) else {
        eprintln!("../shared/corpora not found; skipping");
        return;
    };
    println!("| length | snippets | right | without evidence | accuracy |");
    println!("|---|---|---|---|---|");
    for n in LENGTHS {
        let (mut total, mut right, mut neutral) = (0usize, 0usize, 0usize);
        let mut wrong = Vec::new();
        for (path, expected) in &corpora {
            let text = std::fs::read_to_string(path).expect("corpus is UTF-8");
            for snippet in snippets(&text, n) {
                let report = detect_script(&snippet);
                total += 1;
                let ok = if report.simplified + report.traditional == 0 && report.leftovers == 0 {
                    neutral += 1;
                    report.script != Script::Mixed
                } else {
                    report.script == *expected
                };
                if ok {
                    right += 1;
                } else if wrong.len() < 5 {
                    wrong.push(format!("{snippet} -> {:?}", report.script));
                }
            }
        }
        let accuracy = right as f64 / total.max(1) as f64;
        println!(
            "| {n} | {total} | {right} | {neutral} | {:.3}% |",
            accuracy * 100.0
        );
        for w in &wrong {
            println!("  wrong: {w}");
        }
        if n >= 8 && total > 0 {
            assert!(accuracy >= 0.999, "length {n}: {accuracy}; e.g. {wrong:?}");
        }
    }
}
