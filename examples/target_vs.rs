//! Quick side-by-side: `target_vs FILE [ROUNDS]`: zhfix zh-TW vs zhconv zh-TW, CPU MB/s.
use zhfix::target::{forget_windows, Target, TargetConverter};
#[path = "../benches/common/mod.rs"]
mod clock;

fn main() {
    let now = || clock::thread_cpu().unwrap_or_default();
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let rounds: usize = a.get(2).and_then(|n| n.parse().ok()).unwrap_or(20);
    let tw = TargetConverter::new(Target::ZhTw);
    let hans = TargetConverter::new(Target::ZhHans);
    let mut t = [std::time::Duration::ZERO; 3];
    let mut sink = 0;
    for _ in 0..rounds {
        // Each conversion pays for its own windows (see `forget_windows`).
        forget_windows();
        let c = now();
        sink += tw.convert(&text).len();
        let c1 = now();
        sink += zhconv::zhconv(&text, zhconv::Variant::ZhTW).len();
        forget_windows();
        let c2 = now();
        sink += hans.convert(&text).len();
        let c3 = now();
        t[0] += c1 - c;
        t[1] += c2 - c1;
        t[2] += c3 - c2;
    }
    let mb = (text.len() * rounds) as f64 / 1e6;
    eprintln!(
        "zhfix zh-TW {:.1}  zhconv zh-TW {:.1}  zhfix zh-Hans {:.1} MB/s CPU ({sink})",
        mb / t[0].as_secs_f64(),
        mb / t[1].as_secs_f64(),
        mb / t[2].as_secs_f64()
    );
}
