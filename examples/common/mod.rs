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
    for _ in 0..runs {
        total += run();
    }
    let wall = wall.elapsed().as_secs_f64();
    let cpu = match (cpu, clock::thread_cpu()) {
        (Some(a), Some(b)) => (b - a).as_secs_f64(),
        _ => wall,
    };
    let mb = (input_len * runs) as f64 / 1e6;
    eprintln!(
        "{total} bytes out, {:.1} MB/s CPU, {:.1} MB/s wall",
        mb / cpu,
        mb / wall
    );
}
