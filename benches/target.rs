//! Throughput of `zhfix::target` against zhconv (and zhfix's OpenCC-exact engine) on the shared
//! corpora (`../shared/corpora`, skipped when absent). OpenCC 1.4.2 itself is measured by
//! scripts/bench_opencc.py. Numbers: docs/benchmarks/target.md.
//!
//!     cargo bench --bench target        # ZHFIX_SHARED=/path/to/shared if not ../shared

use std::path::PathBuf;
use std::time::Instant;

use zhconv::{zhconv, Variant};
use zhfix::convert::{Config, Converter};
use zhfix::target::{Target, TargetConverter};

/// Best of `runs` timings of `f` over `text`, in MB/s (10^6 bytes).
fn measure(text: &str, runs: usize, mut f: impl FnMut(&str) -> usize) -> f64 {
    let mut best = f64::MAX;
    let mut sink = 0;
    for _ in 0..runs {
        let t = Instant::now();
        sink += f(text);
        best = best.min(t.elapsed().as_secs_f64());
    }
    std::hint::black_box(sink);
    text.len() as f64 / best / 1e6
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
    println!("| corpus | MB | zhfix --to zh-TW | zhconv zh-TW | zhfix --to zh-Hans | zhconv zh-Hans | zhfix convert s2twp |");
    println!("|---|---|---|---|---|---|---|");
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        let text = std::fs::read_to_string(path).expect("corpus");
        let tw = TargetConverter::new(Target::ZhTw);
        let hans = TargetConverter::new(Target::ZhHans);
        let s2twp = Converter::new(Config::S2twp);
        let r = [
            measure(&text, runs, |t| tw.convert(t).len()),
            measure(&text, runs, |t| zhconv(t, Variant::ZhTW).len()),
            measure(&text, runs, |t| hans.convert(t).len()),
            measure(&text, runs, |t| zhconv(t, Variant::ZhHans).len()),
            measure(&text, runs, |t| s2twp.convert(t).len()),
        ];
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "| {name} | {:.2} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
            text.len() as f64 / 1e6,
            r[0],
            r[1],
            r[2],
            r[3],
            r[4]
        );
    }
}
