//! Runs `normalize_punct` over one file many times (for profiling): `punct_prof FILE STYLE [N]`.
//! Prints MB/s by this thread's CPU time (the machine may be shared) and by wall time.
use zhfix::punct::{normalize_punct, Style};

mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let style: Style = a[2].parse().expect("style");
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(50);
    common::profile(text.len(), n, || {
        normalize_punct(std::hint::black_box(&text), style).len()
    });
}
