//! Prints zhfix's and zhconv's outputs for the evaluation sets, for scripts/eval_target.py:
//! `file<TAB>line<TAB>zhfix<TAB>zhconv` per case.
//!
//!     cargo run --release --example target_eval > /tmp/target_eval.tsv

use zhconv::{zhconv, Variant};
use zhfix::target::{Target, TargetConverter};

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/target");
    for file in ["tune.tsv", "heldout.tsv"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).expect("eval file");
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            let (target, variant) = match f[0] {
                "s2t" => (Target::ZhHant, Variant::ZhHant),
                "s2tw" | "s2twp" => (Target::ZhTw, Variant::ZhTW),
                "t2s" | "tw2s" => (Target::ZhHans, Variant::ZhHans),
                "tw2sp" => (Target::ZhCn, Variant::ZhCN),
                other => panic!("unknown config {other}"),
            };
            let ours = TargetConverter::new(target).convert(f[1]).into_owned();
            println!("{file}\t{}\t{ours}\t{}", n + 1, zhconv(f[1], variant));
        }
    }
}
