//! Converts a file many times (for profiling): `target_prof FILE TARGET [N]`. Prints MB/s by
//! this thread's CPU time (the machine may be shared) and by wall time. Each run starts with
//! an empty memo of windows (`zhfix::target::forget_windows`), unless `WARM=1`.
use zhfix::target::{forget_windows, Target, TargetConverter};

mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let t: Target = a[2].parse().expect("target");
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
    let warm = std::env::var_os("WARM").is_some_and(|w| w == "1");
    let c = TargetConverter::new(t);
    common::profile(text.len(), n, || {
        if !warm {
            forget_windows();
        }
        c.convert(&text).len()
    });
}
