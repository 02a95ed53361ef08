//! Converts a file many times (for profiling): `target_prof FILE TARGET [N]`. Prints MB/s by
//! this thread's CPU time (the machine may be shared) and by wall time.
use zhfix::target::{Target, TargetConverter};

mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let t: Target = a[2].parse().expect("target");
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
    let c = TargetConverter::new(t);
    common::profile(text.len(), n, || c.convert(&text).len());
}
