//! Quick side-by-side: `target_vs FILE [ROUNDS]`: zhfix zh-TW vs zhconv zh-TW, CPU MB/s.
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
    let rounds: usize = a.get(2).and_then(|n| n.parse().ok()).unwrap_or(20);
    let tw = TargetConverter::new(Target::ZhTw);
    let hans = TargetConverter::new(Target::ZhHans);
    let mut t = [0u128; 3];
    let mut sink = 0;
    for _ in 0..rounds {
        let c = cpu_ns();
        sink += tw.convert(&text).len();
        let c1 = cpu_ns();
        sink += zhconv::zhconv(&text, zhconv::Variant::ZhTW).len();
        let c2 = cpu_ns();
        sink += hans.convert(&text).len();
        let c3 = cpu_ns();
        t[0] += c1 - c;
        t[1] += c2 - c1;
        t[2] += c3 - c2;
    }
    let mb = (text.len() * rounds) as f64 / 1e6;
    eprintln!(
        "zhfix zh-TW {:.1}  zhconv zh-TW {:.1}  zhfix zh-Hans {:.1} MB/s CPU ({sink})",
        mb / (t[0] as f64 / 1e9),
        mb / (t[1] as f64 / 1e9),
        mb / (t[2] as f64 / 1e9)
    );
}
