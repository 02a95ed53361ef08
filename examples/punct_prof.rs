//! Runs `normalize_punct` over one file N times, for `perf`: `punct_prof FILE STYLE N`.
use zhfix::punct::{normalize_punct, Style};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let style: Style = args.next().expect("STYLE").parse().expect("style");
    let n: usize = args.next().map_or(50, |s| s.parse().expect("N"));
    let text = std::fs::read_to_string(path).expect("read");
    let start = std::time::Instant::now();
    let mut changed = 0;
    for _ in 0..n {
        changed += usize::from(matches!(
            normalize_punct(std::hint::black_box(&text), style),
            std::borrow::Cow::Owned(_)
        ));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{:.1} MB/s wall ({changed} changed)",
        text.len() as f64 * n as f64 / secs / 1e6
    );
}
