//! Looks for inputs that `fix --to` does not convert idempotently: each regional word (the
//! keys and values of OpenCC's Taiwan and Hong Kong phrase tables, in both scripts) next to
//! each of the most frequent characters, on either side, into every target.
//! `cargo run --release --example idempotence_scan -- [CHARS]` (default 1500 characters).
use std::collections::BTreeSet;
use zhfix::target::{Target, TargetConverter};

#[path = "../tests/common/regional_words.rs"]
mod regional_words;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map_or(1500, |a| a.parse().expect("number of characters"));
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).expect(p);
    let hans = TargetConverter::new(Target::ZhHans);
    let hant = TargetConverter::new(Target::ZhHant);
    let words = regional_words::regional_words();
    let mut chars: Vec<(u64, char)> = read("data/jieba/words.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (w, f) = l.split_once('\t')?;
            let mut cs = w.chars();
            let c = cs.next()?;
            let f: u64 = f.trim().parse().ok()?;
            cs.next().is_none().then_some((f, c))
        })
        .collect();
    chars.sort_unstable_by(|a, b| b.cmp(a));
    let mut neighbours = BTreeSet::new();
    for &(_, c) in chars.iter().take(n) {
        let s = c.to_string();
        neighbours.insert(hans.convert(&s).into_owned());
        neighbours.insert(hant.convert(&s).into_owned());
    }
    eprintln!("{} words, {} neighbours", words.len(), neighbours.len());
    let convs: Vec<_> = Target::ALL
        .iter()
        .map(|&t| TargetConverter::new(t))
        .collect();
    let mut bad = 0usize;
    let mut total = 0usize;
    for w in &words {
        for c in &neighbours {
            for s in [format!("{w}{c}"), format!("{c}{w}")] {
                for conv in &convs {
                    total += 1;
                    let once = conv.convert(&s).into_owned();
                    let twice = conv.convert(&once).into_owned();
                    if twice != once {
                        bad += 1;
                        println!("{}\t{s}\t{once}\t{twice}", conv.target());
                    }
                }
            }
        }
    }
    eprintln!("{bad} of {total} inputs change when converted again");
}
