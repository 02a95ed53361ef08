//! zhconv zh-TW on a file N times (for cachegrind comparisons): `zhconv_prof FILE [N]`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&a[1]).expect("file");
    let n: usize = a.get(2).and_then(|n| n.parse().ok()).unwrap_or(1);
    let mut total = 0;
    for _ in 0..n {
        total += zhconv::zhconv(&text, zhconv::Variant::ZhTW).len();
    }
    eprintln!("{total}");
}
