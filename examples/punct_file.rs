//! Normalizes the punctuation of a file and prints it: `cargo run --example punct_file -- STYLE FILE`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(style), Some(path)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: punct_file STYLE FILE");
        std::process::exit(2);
    };
    let style: zhfix::punct::Style = style.parse().unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    let text = std::fs::read_to_string(path).expect("read the file as UTF-8");
    print!("{}", zhfix::punct::normalize_punct(&text, style));
}
