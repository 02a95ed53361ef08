//! What the profiling examples share: one loop that times a conversion run many times.

#[path = "../../benches/common/mod.rs"]
mod clock;

/// Calls `run` `runs` times over an input of `input_len` bytes and prints the bytes it returned
/// in total and the throughput by this thread's CPU time (the machine may be shared, see
/// `benches/common`) and by wall time.
pub fn profile(input_len: usize, runs: usize, mut run: impl FnMut() -> usize) {
    let wall = std::time::Instant::now();
    let cpu = clock::thread_cpu();
    let mut total = 0;
    // The fastest run by CPU time too: on a shared machine, the least disturbed one.
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let before = clock::thread_cpu();
        total += run();
        if let (Some(a), Some(b)) = (before, clock::thread_cpu()) {
            best = best.min((b - a).as_secs_f64());
        }
    }
    let wall = wall.elapsed().as_secs_f64();
    let cpu = match (cpu, clock::thread_cpu()) {
        (Some(a), Some(b)) => (b - a).as_secs_f64(),
        _ => wall,
    };
    let mb = (input_len * runs) as f64 / 1e6;
    eprintln!(
        "{total} bytes out, {:.1} MB/s CPU, {:.1} MB/s wall, {:.1} MB/s CPU in the fastest run",
        mb / cpu,
        mb / wall,
        input_len as f64 / 1e6 / best
    );
}
