//! Compiles the punctuation tables in `data/punct/` for `src/punct/`.
//!
//! - `classes.tsv` becomes a two-level class table for the Basic Multilingual Plane
//!   (`punct_class_index.bin`: 256 page numbers; `punct_class_pages.bin`: 256 class bytes per
//!   distinct page) plus a short range list for the supplementary planes.
//! - `styles.tsv`, `variants.tsv` and `emoticons.txt` become constants in `punct_tables.rs`.

use std::fmt::Write as _;
use std::path::Path;

use crate::util::write_bytes;

/// Class numbers; `src/punct/class.rs` has the same list.
const CLASSES: [&str; 7] = ["other", "cjk", "word", "space", "open", "close", "amb"];

fn read(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The non-comment, non-empty lines of a table file, split at tabs.
fn rows(path: &Path) -> Vec<Vec<String>> {
    read(path)
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn class_number(name: &str) -> u8 {
    CLASSES
        .iter()
        .position(|c| *c == name)
        .unwrap_or_else(|| panic!("classes.tsv: unknown class {name:?}")) as u8
}

fn hex(s: &str) -> u32 {
    u32::from_str_radix(s, 16).unwrap_or_else(|e| panic!("classes.tsv: {s:?}: {e}"))
}

fn build_classes(dir: &Path, out_dir: &Path, rs: &mut String) {
    let word = class_number("word");
    let other = class_number("other");
    let mut bmp: Vec<u8> = (0u32..0x10000)
        .map(|cp| match char::from_u32(cp) {
            Some(c) if c.is_alphanumeric() => word,
            _ => other,
        })
        .collect();
    let mut supplementary = Vec::new();
    for row in rows(&dir.join("classes.tsv")) {
        let (start, end, class) = (hex(&row[0]), hex(&row[1]), class_number(&row[2]));
        assert!(start <= end, "classes.tsv: bad range {row:?}");
        if end < 0x10000 {
            bmp[start as usize..=end as usize].fill(class);
        } else {
            assert!(
                start >= 0x10000,
                "classes.tsv: a range must not cross U+FFFF"
            );
            supplementary.push((start, end, class));
        }
    }
    let mut pages: Vec<&[u8]> = Vec::new();
    let mut index = Vec::with_capacity(256);
    for page in bmp.chunks(256) {
        let n = pages.iter().position(|p| *p == page).unwrap_or_else(|| {
            pages.push(page);
            pages.len() - 1
        });
        index.push(u8::try_from(n).expect("at most 256 distinct pages"));
    }
    write_bytes(&out_dir.join("punct_class_index.bin"), &index);
    write_bytes(&out_dir.join("punct_class_pages.bin"), &pages.concat());
    rs.push_str("/// Supplementary-plane ranges: (first, last, class).\n");
    rs.push_str("pub(crate) static SUPPLEMENTARY: &[(u32, u32, u8)] = &[\n");
    for (s, e, c) in supplementary {
        writeln!(rs, "    (0x{s:X}, 0x{e:X}, {c}),").unwrap();
    }
    rs.push_str("];\n");
}

fn build_styles(dir: &Path, rs: &mut String) {
    let mut fullwidth = Vec::new();
    let mut named = Vec::new();
    for row in rows(&dir.join("styles.tsv")) {
        assert_eq!(
            row.len(),
            4,
            "styles.tsv: need key and three styles: {row:?}"
        );
        let values = format!("[{:?}, {:?}, {:?}]", row[1], row[2], row[3]);
        if row[0].len() == 1 {
            fullwidth.push(format!("    ({}, {values}),\n", row[0].as_bytes()[0]));
        } else {
            named.push((row[0].replace('.', "_").to_uppercase(), values));
        }
    }
    rs.push_str("/// ASCII mark and its full-width form in each style (zh-Hans, zh-TW, zh-HK).\n");
    writeln!(
        rs,
        "pub(crate) static FULLWIDTH: [(u8, [&str; 3]); {}] = [",
        fullwidth.len()
    )
    .unwrap();
    fullwidth.iter().for_each(|l| rs.push_str(l));
    rs.push_str("];\n");
    for (name, values) in named {
        writeln!(rs, "pub(crate) static {name}: [&str; 3] = {values};").unwrap();
    }
}

fn build_variants(dir: &Path, rs: &mut String) {
    let mut variants: Vec<(String, String)> = rows(&dir.join("variants.tsv"))
        .into_iter()
        .map(|r| {
            assert!(r[1] == "ellipsis" || r[1] == "dash", "variants.tsv: {r:?}");
            (r[0].clone(), r[1].clone())
        })
        .collect();
    variants.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    rs.push_str("/// Ellipsis and dash spellings, longest first: (spelling, is_dash).\n");
    rs.push_str("pub(crate) static VARIANTS: &[(&str, bool)] = &[\n");
    for (s, kind) in variants {
        writeln!(rs, "    ({s:?}, {}),", kind == "dash").unwrap();
    }
    rs.push_str("];\n");
}

fn build_emoticons(dir: &Path, rs: &mut String) {
    let mut list: Vec<String> = read(&dir.join("emoticons.txt"))
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    list.sort_by_key(|s| std::cmp::Reverse(s.len()));
    rs.push_str("/// ASCII emoticons, longest first.\n");
    rs.push_str("pub(crate) const EMOTICONS: &[&str] = &[\n");
    for e in list {
        assert!(e.is_ascii(), "emoticons.txt: ASCII only: {e:?}");
        writeln!(rs, "    {e:?},").unwrap();
    }
    rs.push_str("];\n");
}

pub fn build(dir: &Path, out_dir: &Path) {
    let mut rs = String::from("// Generated by build/punct.rs from data/punct/. Do not edit.\n");
    build_classes(dir, out_dir, &mut rs);
    build_styles(dir, &mut rs);
    build_variants(dir, &mut rs);
    build_emoticons(dir, &mut rs);
    write_bytes(&out_dir.join("punct_tables.rs"), rs.as_bytes());
}
