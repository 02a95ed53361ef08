//! Repairs a file and prints the text, then every repair on stderr.
//!
//! `cargo run --example repair_file -- [--all] FILE`

use zhfix::repair::{repair, RepairOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let all = args.iter().any(|a| a == "--all");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: repair_file [--all] FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let options = if all {
        RepairOptions::all()
    } else {
        RepairOptions::default()
    };
    let fixed = repair(&text, &options);
    print!("{}", fixed.text);
    for r in &fixed.repairs {
        eprintln!(
            "{}\t{}..{}\t{:?}\t{:?}",
            r.kind, r.start, r.end, r.before, r.after
        );
    }
}
