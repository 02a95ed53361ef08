//! Throughput of `normalize_punct`, single-threaded, in MB/s.
//!
//! `cargo bench --bench punct` runs each shared corpus (`../shared/corpora`, or
//! `$ZHFIX_SHARED/corpora`, when present)
//! through its own style, and through the other style, plus two synthetic texts: clean Chinese
//! with nothing to change (the fast path) and width-folded Chinese with a lot to change. Set
//! `PUNCT_BENCH_SECS` to change the time spent per measurement (default 1 second).

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use zhfix::punct::{normalize_punct, Style};

/// CPU time of this thread in seconds, so that a busy machine does not distort the
/// single-threaded figure; `None` where the clock is missing.
fn thread_cpu_seconds() -> Option<f64> {
    common::thread_cpu().map(|d| d.as_secs_f64())
}

fn measure(name: &str, text: &str, style: Style, budget: Duration) {
    let mut runs = 0u32;
    let mut changed = 0usize;
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    while start.elapsed() < budget || runs < 3 {
        let out = normalize_punct(std::hint::black_box(text), style);
        changed = usize::from(matches!(out, std::borrow::Cow::Owned(_)));
        std::hint::black_box(out);
        runs += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, thread_cpu_seconds()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => secs,
    };
    let mb = text.len() as f64 * f64::from(runs) / 1e6;
    println!(
        "{name:<26} {style:<8} {:>5.2} MB {:>6.0} MB/s (CPU) {:>6.0} MB/s (wall)  {}",
        text.len() as f64 / 1e6,
        mb / cpu,
        mb / secs,
        if changed == 1 { "changed" } else { "unchanged" }
    );
}

fn main() {
    let secs: f64 = std::env::var("PUNCT_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let budget = Duration::from_secs_f64(secs);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared =
        std::env::var_os("ZHFIX_SHARED").map_or_else(|| manifest.join("../shared"), PathBuf::from);
    let corpora = shared.join("corpora");
    // Extra files given after `--` are measured with zh-Hans.
    for path in std::env::args().skip(1).filter(|a| !a.starts_with('-')) {
        if let Ok(text) = std::fs::read_to_string(&path) {
            measure(&path, &text, Style::ZhHans, budget);
        }
    }
    let mut all = String::new();
    for (file, own, other) in [
        ("debref-cn.txt", Style::ZhHans, Style::ZhTw),
        ("maint-cn.txt", Style::ZhHans, Style::ZhTw),
        ("debref-tw.txt", Style::ZhTw, Style::ZhHans),
        ("maint-tw.txt", Style::ZhTw, Style::ZhHans),
    ] {
        let Ok(text) = std::fs::read_to_string(corpora.join(file)) else {
            println!("{file}: not found under ../shared/corpora, skipped");
            continue;
        };
        measure(file, &text, own, budget);
        measure(file, &text, other, budget);
        all.push_str(&text);
    }
    if !all.is_empty() {
        measure("all corpora", &all, Style::ZhHans, budget);
        measure("all corpora", &all, Style::ZhTw, budget);
    }
    let seed =
        std::fs::read_to_string(manifest.join("seeds/000_f3976092b292c533.txt")).expect("seed");
    let folded = seed.repeat(200);
    measure("seed x200 (width-folded)", &folded, Style::ZhHans, budget);
    let clean = normalize_punct(&folded, Style::ZhHans).into_owned();
    measure("seed x200 normalized", &clean, Style::ZhHans, budget);
}
