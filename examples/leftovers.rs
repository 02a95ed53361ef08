//! Share of Han characters that the conversion into a file's majority script would still change
//! (the `leftovers` behind `detect_script`'s `mixed`), over whole files. Calibrates the 1% rule.
//! Usage: `cargo run --release --example leftovers -- FILE...`

use zhfix::convert::{Config, Converter};
use zhfix::detect::detect_script;

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("a UTF-8 file");
        let report = detect_script(&text);
        let config = if report.traditional >= report.simplified {
            Config::S2t
        } else {
            Config::T2s
        };
        let converted = Converter::new(config).convert(&text);
        let changed = text
            .chars()
            .zip(converted.chars())
            .filter(|(a, b)| a != b)
            .count();
        let share = changed as f64 / report.han().max(1) as f64;
        println!(
            "{path}\t{}\t{changed} of {} Han changed by {} ({:.2}%)\tverdict {}",
            config.name(),
            report.han(),
            config.name(),
            share * 100.0,
            report.script.name()
        );
    }
}
