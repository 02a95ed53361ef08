//! Converts each argument (or each line of standard input) to a target: `target_try zh-TW 文本`.
use std::io::BufRead;
use zhfix::target::{Target, TargetConverter};

fn main() {
    let mut args = std::env::args().skip(1);
    let target: Target = args.next().expect("target").parse().expect("target name");
    let c = TargetConverter::new(target);
    let rest: Vec<String> = args.collect();
    if rest.is_empty() {
        for line in std::io::stdin().lock().lines() {
            println!("{}", c.convert(&line.expect("line")));
        }
    } else {
        for a in rest {
            println!("{}", c.convert(&a));
        }
    }
}
