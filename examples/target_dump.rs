//! Dumps conversions for comparison: `target_dump OUTDIR FILE...` writes OUTDIR/NAME.TARGET.whole
//! (whole file) and OUTDIR/NAME.TARGET.lines (line by line).
use zhfix::target::{Target, TargetConverter};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let dir = std::path::Path::new(&a[1]);
    for f in &a[2..] {
        let text = std::fs::read_to_string(f).expect("file");
        let name = std::path::Path::new(f)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        for t in Target::ALL {
            let c = TargetConverter::new(t);
            std::fs::write(
                dir.join(format!("{name}.{t}.whole")),
                c.convert(&text).as_bytes(),
            )
            .unwrap();
            let mut lines = String::new();
            for l in text.lines() {
                lines.push_str(&c.convert(l));
                lines.push('\n');
            }
            std::fs::write(dir.join(format!("{name}.{t}.lines")), lines.as_bytes()).unwrap();
        }
    }
}
