//! Converts a file many times (for profiling): `target_prof FILE TARGET [N]`.
use zhfix::target::{Target, TargetConverter};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let t: Target = a[2].parse().expect("target");
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
    let c = TargetConverter::new(t);
    let start = std::time::Instant::now();
    let mut total = 0;
    for _ in 0..n {
        total += c.convert(&text).len();
    }
    let s = start.elapsed().as_secs_f64();
    eprintln!(
        "{total} bytes out, {:.1} MB/s",
        (text.len() * n) as f64 / s / 1e6
    );
}
