//! Converts a file many times (for profiling): `target_prof FILE TARGET [N]`. Prints MB/s by
//! this thread's CPU time (the machine may be shared) and by wall time.
use zhfix::target::{Target, TargetConverter};

#[path = "../benches/common/mod.rs"]
mod common;

/// This thread's CPU time in nanoseconds (the benchmarks' clock).
fn cpu_ns() -> u128 {
    common::thread_cpu().map_or(0, |d| d.as_nanos())
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let t: Target = a[2].parse().expect("target");
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
    let c = TargetConverter::new(t);
    let start = std::time::Instant::now();
    let cpu = cpu_ns();
    let mut total = 0;
    for _ in 0..n {
        total += c.convert(&text).len();
    }
    let s = start.elapsed().as_secs_f64();
    let cpu_s = (cpu_ns() - cpu) as f64 / 1e9;
    let mb = (text.len() * n) as f64 / 1e6;
    eprintln!(
        "{total} bytes out, {:.1} MB/s CPU, {:.1} MB/s wall",
        mb / cpu_s,
        mb / s
    );
}
