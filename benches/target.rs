//! Throughput of `zhfix::target` against zhconv (and zhfix's OpenCC-exact engine) on the shared
//! corpora (`../shared/corpora`, skipped when absent). OpenCC 1.4.2 itself is measured by
//! scripts/bench_opencc.py. Numbers: docs/benchmarks/target.md.
//!
//!     cargo bench --bench target        # ZHFIX_SHARED=/path/to/shared if not ../shared

mod common;

use std::path::PathBuf;
use std::time::Instant;

use zhconv::{zhconv, Variant};
use zhfix::convert::{Config, Converter};
use zhfix::target::{forget_windows, Target, TargetConverter};

/// Nanoseconds this thread has spent on a CPU, or wall time since `start` where that clock
/// is missing. The machines this runs on are shared, so CPU time is the fair measure; wall
/// time is printed too.
fn cpu_ns(start: Instant) -> u128 {
    common::thread_cpu()
        .unwrap_or_else(|| start.elapsed())
        .as_nanos()
}

/// Timings of `runs` calls of `f` over `text`, each after a call of `setup` (not timed): (CPU
/// MB/s over all runs, best wall MB/s), 10^6 bytes.
fn measure(
    text: &str,
    runs: usize,
    mut setup: impl FnMut(),
    mut f: impl FnMut(&str) -> usize,
) -> (f64, f64) {
    let origin = Instant::now();
    let mut best_wall = f64::MAX;
    let mut sink = 0;
    let mut cpu = 0;
    for _ in 0..runs {
        setup();
        let c0 = cpu_ns(origin);
        let t = Instant::now();
        sink += f(text);
        best_wall = best_wall.min(t.elapsed().as_secs_f64());
        cpu += cpu_ns(origin) - c0;
    }
    std::hint::black_box(sink);
    let mb = text.len() as f64 / 1e6;
    (mb * runs as f64 / (cpu.max(1) as f64 / 1e9), mb / best_wall)
}

fn main() {
    // `../shared` next to the checkout, or wherever ZHFIX_SHARED points.
    let shared = std::env::var_os("ZHFIX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpora");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not found", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    println!("MB/s by CPU time over {runs} runs (best wall time in parentheses):\n");
    println!("| corpus | MB | zhfix --to zh-TW | zhconv zh-TW | zhfix --to zh-Hans | zhconv zh-Hans | zhfix convert s2twp |");
    println!("|---|---|---|---|---|---|---|");
    let texts: Vec<(PathBuf, String)> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| (p.clone(), std::fs::read_to_string(p).expect("corpus")))
        .collect();
    let tw = TargetConverter::new(Target::ZhTw);
    let hans = TargetConverter::new(Target::ZhHans);
    let s2twp = Converter::new(Config::S2twp);
    for (path, text) in &texts {
        // zhfix's target converters remember the windows they segment from call to call
        // (`forget_windows`): each run starts with an empty memo, so that it pays for its own.
        // (A memo left by converting the other corpora first made no run faster: their
        // conversion also evicts this text's lines of the tables from the caches.)
        let cold = forget_windows;
        let r = [
            measure(text, runs, cold, |t| tw.convert(t).len()),
            measure(text, runs, || (), |t| zhconv(t, Variant::ZhTW).len()),
            measure(text, runs, cold, |t| hans.convert(t).len()),
            measure(text, runs, || (), |t| zhconv(t, Variant::ZhHans).len()),
            measure(text, runs, || (), |t| s2twp.convert(t).len()),
        ];
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let cells: Vec<String> = r
            .iter()
            .map(|(cpu, wall)| format!("{cpu:.1} ({wall:.1})"))
            .collect();
        println!(
            "| {name} | {:.2} | {} |",
            text.len() as f64 / 1e6,
            cells.join(" | ")
        );
    }
}
