//! Repair throughput: clean text must pass at 200 MB/s or more (the fast path), damaged text
//! is measured for information.
//!
//! `cargo bench --bench repair` (reads `$ZHFIX_SHARED/corpora`, else `../shared/corpora`, when
//! present, else our own sentences). Throughput is per CPU-second of the benchmarking thread,
//! so that other processes on a shared machine do not count.

mod common;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use zhfix::repair::{repair, RepairOptions};

const OWN: &str = "我们明天早上九点在图书馆门口见面。这家公司去年的收入增长了百分之二十。\
    請把窗戶關上，外面的風太大了。The quick brown fox jumps over the lazy dog.\n";

fn corpus(name: &str) -> Option<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut dirs: Vec<PathBuf> = std::env::var_os("ZHFIX_SHARED")
        .map(|s| PathBuf::from(s).join("corpora"))
        .into_iter()
        .collect();
    dirs.push(root.join("../shared/corpora"));
    dirs.push(root.join("../../shared/corpora"));
    dirs.iter()
        .find_map(|dir| std::fs::read_to_string(dir.join(name)).ok())
}

/// CPU time of this thread in seconds (0 where the clock is missing): on a shared machine,
/// wall time measures the neighbours.
fn cpu_seconds() -> f64 {
    common::thread_cpu().map_or(0.0, |d| d.as_secs_f64())
}

/// MB per CPU-second of repairing `text`, best of three runs of at least `millis` each.
fn measure(label: &str, text: &str, options: &RepairOptions, millis: u64) {
    let mut best = f64::MAX;
    let mut total_runs = 0;
    for _ in 0..3 {
        let start = Instant::now();
        let cpu = cpu_seconds();
        let mut runs = 0u32;
        while start.elapsed() < Duration::from_millis(millis) || runs == 0 {
            black_box(repair(black_box(text), options));
            runs += 1;
        }
        best = best.min((cpu_seconds() - cpu) / f64::from(runs));
        total_runs += runs;
    }
    let mbs = text.len() as f64 / best / 1e6;
    println!(
        "{label:<44} {:>8.1} MB/s  ({} bytes, {total_runs} runs)",
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
            // The whole document as it is: real text with rare characters, symbols and
            // no-break spaces, which repair must leave alone.
            let changes = repair(&text, &RepairOptions::default())
                .repairs
                .iter()
                .filter(|r| r.before != r.after)
                .count();
            texts.push((format!("document {name} ({changes} changes)"), text));
        }
    }
    texts.push(("clean own sentences".into(), OWN.repeat(2000)));
    for (label, text) in &texts {
        measure(label, text, &RepairOptions::default(), 400);
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
        400,
    );
}
