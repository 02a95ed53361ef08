//! Repair throughput: clean text must pass at 200 MB/s or more (the fast path), damaged text
//! is measured for information.
//!
//! `cargo bench --bench repair` (reads `../shared/corpora` when present, else our own
//! sentences).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use zhfix::repair::{repair, RepairOptions};

const OWN: &str = "我们明天早上九点在图书馆门口见面。这家公司去年的收入增长了百分之二十。\
    請把窗戶關上，外面的風太大了。The quick brown fox jumps over the lazy dog.\n";

fn corpus(name: &str) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared/corpora", "../../shared/corpora"]
        .iter()
        .find_map(|dir| std::fs::read_to_string(root.join(dir).join(name)).ok())
}

fn measure(label: &str, text: &str, options: &RepairOptions, budget: usize) {
    let reps = budget / text.len().max(1) + 1;
    let start = Instant::now();
    for _ in 0..reps {
        black_box(repair(black_box(text), options));
    }
    let secs = start.elapsed().as_secs_f64();
    let mbs = (text.len() * reps) as f64 / secs / 1e6;
    println!(
        "{label:<40} {:>8.1} MB/s  ({} bytes x {reps})",
        mbs,
        text.len()
    );
}

fn main() {
    let mut texts: Vec<(String, String)> = Vec::new();
    for name in [
        "maint-cn.txt",
        "maint-tw.txt",
        "debref-cn.txt",
        "debref-tw.txt",
    ] {
        if let Some(text) = corpus(name) {
            // Whole lines that pass the fast path: the clean-text case.
            let clean: String = text
                .lines()
                .filter(|l| repair(l, &RepairOptions::default()).repairs.is_empty())
                .flat_map(|l| [l, "\n"])
                .collect();
            texts.push((format!("clean {name}"), clean));
        }
    }
    texts.push(("clean own sentences".into(), OWN.repeat(2000)));
    for (label, text) in &texts {
        measure(label, text, &RepairOptions::default(), 64 << 20);
    }
    let (bytes, _, _) = encoding_rs::UTF_8.encode(OWN);
    let damaged = encoding_rs::GBK
        .decode_without_bom_handling(&bytes)
        .0
        .repeat(200);
    measure(
        "utf8-as-gbk damaged own sentences",
        &damaged,
        &RepairOptions::default(),
        1 << 20,
    );
}
