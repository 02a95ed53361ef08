//! Runs `normalize_punct` over one file N times, for `perf`: `punct_prof FILE STYLE [N]`.
//! Prints MB/s by this thread's CPU time (the machine may be shared) and by wall time.
use zhfix::punct::{normalize_punct, Style};

#[path = "../benches/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("FILE");
    let style: Style = args.next().expect("STYLE").parse().expect("style");
    let n: usize = args.next().map_or(50, |s| s.parse().expect("N"));
    let text = std::fs::read_to_string(path).expect("read");
    let start = std::time::Instant::now();
    let cpu = common::thread_cpu();
    let mut changed = 0;
    for _ in 0..n {
        changed += usize::from(matches!(
            normalize_punct(std::hint::black_box(&text), style),
            std::borrow::Cow::Owned(_)
        ));
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu, common::thread_cpu()) {
        (Some(a), Some(b)) => (b - a).as_secs_f64(),
        _ => wall,
    };
    let mb = text.len() as f64 * n as f64 / 1e6;
    println!(
        "{:.1} MB/s (CPU) {:.1} MB/s (wall), {changed} of {n} runs changed the text",
        mb / cpu,
        mb / wall
    );
}
