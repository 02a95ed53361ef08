//! Converts a file many times (for profiling): `convert_prof FILE CONFIG [N]`. Prints MB/s by
//! this thread's CPU time (the machine may be shared) and by wall time.
use zhfix::convert::{Config, Converter};

mod common;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let config: Config = a[2].parse().expect("config");
    let n: usize = a.get(3).and_then(|n| n.parse().ok()).unwrap_or(10);
    let c = Converter::new(config);
    let mut out = String::new();
    common::profile(text.len(), n, || {
        out.clear();
        c.convert_into(&text, &mut out);
        out.len()
    });
}
