//! Throughput of script detection and problem scanning (whole texts, and streamed through an
//! `Analyzer` in 64 KiB pieces) on the shared corpora, next to
//! `zhconv::is_hans` and `zhconv::infer_variant` in the same run. Skips without `../shared`
//! (or `$ZHFIX_SHARED`). Run: `cargo bench --bench detect`. Throughput is per CPU-second of
//! the benchmarking thread, so that other processes on a shared machine do not count.

mod common;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn corpora() -> Vec<(String, String)> {
    let shared = std::env::var_os("ZHFIX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let Ok(dir) = std::fs::read_dir(shared.join("corpora")) else {
        return Vec::new();
    };
    let mut found: Vec<(String, String)> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| {
            Some((
                p.file_name()?.to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).ok()?,
            ))
        })
        .collect();
    found.sort();
    found
}

/// CPU time of this thread in seconds (0 where the clock is missing): on a shared machine,
/// wall time measures the neighbours.
fn cpu_seconds() -> f64 {
    common::thread_cpu().map_or(0.0, |d| d.as_secs_f64())
}

/// MB per CPU-second of `f` over `text`, best of ten windows of at least 50 ms each: on a
/// loaded machine, every preemption costs the thread a cold cache, and the best window is the
/// one the neighbours disturbed least.
fn throughput(text: &str, mut f: impl FnMut(&str)) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..10 {
        let start = Instant::now();
        let cpu = cpu_seconds();
        let mut runs = 0u32;
        while start.elapsed() < Duration::from_millis(50) {
            f(black_box(text));
            runs += 1;
        }
        best = best.min((cpu_seconds() - cpu) / f64::from(runs));
    }
    text.len() as f64 / best / 1e6
}

fn main() {
    let corpora = corpora();
    if corpora.is_empty() {
        eprintln!("../shared/corpora not found; skipping");
        return;
    }
    println!("| corpus | MB | detect_script | scan_problems | both | analyze (one pass) | Analyzer (64 KiB pieces) | script_spans | zhconv::is_hans | zhconv::infer_variant |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (name, text) in &corpora {
        let cells = [
            throughput(text, |t| {
                black_box(zhfix::detect::detect_script(t));
            }),
            throughput(text, |t| {
                black_box(zhfix::detect::scan_problems(t));
            }),
            throughput(text, |t| {
                black_box(zhfix::detect::detect_script(t));
                black_box(zhfix::detect::scan_problems(t));
            }),
            throughput(text, |t| {
                black_box(zhfix::detect::analyze(t));
            }),
            throughput(text, |t| {
                let mut analyzer = zhfix::detect::Analyzer::new();
                let mut at = 0;
                while at < t.len() {
                    let mut end = (at + 65536).min(t.len());
                    while !t.is_char_boundary(end) {
                        end += 1;
                    }
                    analyzer.feed(&t[at..end]);
                    at = end;
                }
                black_box(analyzer.finish());
            }),
            throughput(text, |t| {
                black_box(zhfix::detect::script_spans(t));
            }),
            throughput(text, |t| {
                black_box(zhconv::is_hans(t));
            }),
            throughput(text, |t| {
                black_box(zhconv::infer_variant(t));
            }),
        ];
        let cells: Vec<String> = cells.iter().map(|v| format!("{v:.0} MB/s")).collect();
        println!(
            "| {name} | {:.2} | {} |",
            text.len() as f64 / 1e6,
            cells.join(" | ")
        );
    }
}
