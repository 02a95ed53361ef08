//! Compiles the character model in `data/charmodel/` (derived from jieba's word list, see
//! `scripts/charmodel.py`) into compact tables for `src/repair/scorer.rs`.
//!
//! Per script (0 = Simplified, 1 = Traditional):
//! - `charmodel_uni.bin`: one byte per code point of `HAN_START..HAN_END`, the unigram cost
//!   `-ln P(c)` in eighths of a nat (255 = never seen);
//! - `charmodel_bi_keys.bin` / `charmodel_bi_vals.bin`: sorted pair keys
//!   `(a - 0x4E00) << 15 | (b - 0x4E00)` and the conditional cost `-ln P(b|a)` in eighths of a nat;
//! - `charmodel_common.bin`: a bitmap over the BMP of the characters common enough that the
//!   repair fast path never looks twice at them (the `COMMON_RANK` most frequent characters of
//!   either script, and the CJK punctuation of `scorer::is_cjk_punct`, so that one lookup
//!   answers `is_common`).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::util::{write_bytes, write_u32s};

pub const HAN_START: u32 = 0x3400;
pub const HAN_END: u32 = 0xA000;
const BI_BASE: u32 = 0x4E00;
const COMMON_RANK: usize = 3000;
const SCRIPTS: [&str; 2] = ["hans", "hant"];
/// The CJK punctuation of `src/repair/scorer.rs` (`is_cjk_punct`; a test there checks that
/// every one of them is in the bitmap).
const CJK_PUNCT: &str = "，。、“”‘’！？：；（）《》【】「」『』…—·〈〉\u{3000}";

pub struct Counts {
    pub uni: Vec<(char, f64)>,
    pub bi: Vec<(char, char, f64)>,
}

pub fn load(path: &Path) -> Counts {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut counts = Counts {
        uni: Vec::new(),
        bi: Vec::new(),
    };
    for line in text.lines() {
        let Some((key, n)) = line.split_once('\t') else {
            continue;
        };
        let n: f64 = n
            .parse()
            .unwrap_or_else(|_| panic!("bad count in {line:?}"));
        let chars: Vec<char> = key.chars().collect();
        match chars[..] {
            [c] => counts.uni.push((c, n)),
            [a, b] => counts.bi.push((a, b, n)),
            _ => panic!("bad key in {line:?}"),
        }
    }
    counts
}

fn quantize(cost: f64) -> u8 {
    (cost * 8.0).round().clamp(0.0, 254.0) as u8
}

/// The Taiwan standard forms of OpenCC's `TWVariants.txt` (`爲` → `為`, `裏` → `裡`, `啓` → `啟`):
/// `s2t`, which made the Traditional model, writes the first form, but Taiwan text (and GBK and
/// Big5 decoders) use the second. Each pair `(from, to)`.
fn tw_variants(path: &Path) -> Vec<(char, char)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("cargo:rerun-if-changed={}", path.display());
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (from, to) = l.split_once('\t')?;
            let mut from = from.chars();
            let mut to = to.split(' ').next()?.chars();
            match (from.next(), from.next(), to.next(), to.next()) {
                (Some(a), None, Some(b), None) if a != b => Some((a, b)),
                _ => None,
            }
        })
        .collect()
}

/// Gives each Taiwan form the counts of the form the model was built with, in unigrams and in
/// bigrams on either side: the Traditional model then knows `為了` as well as `爲了`.
fn add_variants(counts: &mut Counts, variants: &[(char, char)]) {
    let map: HashMap<char, char> = variants.iter().copied().collect();
    let mut uni: HashMap<char, f64> = counts.uni.iter().copied().collect();
    for (&a, &b) in &map {
        if let Some(&n) = counts.uni.iter().find(|u| u.0 == a).map(|u| &u.1) {
            *uni.entry(b).or_default() += n;
        }
    }
    let mut bi: HashMap<(char, char), f64> =
        counts.bi.iter().map(|&(a, b, n)| ((a, b), n)).collect();
    for &(a, b, n) in &counts.bi {
        let firsts = [Some(a), map.get(&a).copied()];
        let seconds = [Some(b), map.get(&b).copied()];
        for x in firsts.into_iter().flatten() {
            for y in seconds.into_iter().flatten() {
                if (x, y) != (a, b) {
                    *bi.entry((x, y)).or_default() += n;
                }
            }
        }
    }
    counts.uni = uni.into_iter().collect();
    counts
        .uni
        .sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    counts.bi = bi.into_iter().map(|((a, b), n)| (a, b, n)).collect();
}

/// The Taiwan words of OpenCC's `TWPhrases.txt` that are Han characters on both sides
/// (`軟件` → `軟體`, `程序` → `程式`, `文件` → `檔案`), as `(from, to)`.
fn tw_phrases(path: &Path) -> Vec<(Vec<char>, Vec<char>)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("cargo:rerun-if-changed={}", path.display());
    let han = |w: &str| -> Option<Vec<char>> {
        let chars: Vec<char> = w.chars().collect();
        (chars.len() >= 2 && chars.iter().all(|&c| in_bigram_range(c))).then_some(chars)
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (from, to) = l.split_once('\t')?;
            Some((han(from)?, han(to.split(' ').next()?)?))
        })
        .collect()
}

/// Gives the character pairs of each Taiwan word the weight of the word it replaces (the
/// rarest pair of that word): `s2t` writes `軟件`, Taiwan writes `軟體`, and a model that only
/// knows the first guesses `全體` for a lost `軟`.
fn add_phrases(counts: &mut Counts, phrases: &[(Vec<char>, Vec<char>)]) {
    let mut bi: HashMap<(char, char), f64> =
        counts.bi.iter().map(|&(a, b, n)| ((a, b), n)).collect();
    let mut added: HashMap<(char, char), f64> = HashMap::new();
    for (from, to) in phrases {
        let weight = from
            .windows(2)
            .map(|w| bi.get(&(w[0], w[1])).copied().unwrap_or(0.0))
            .fold(f64::INFINITY, f64::min);
        if weight.is_finite() && weight > 0.0 {
            for w in to.windows(2) {
                *added.entry((w[0], w[1])).or_default() += weight;
            }
        }
    }
    for (pair, n) in added {
        *bi.entry(pair).or_default() += n;
    }
    counts.bi = bi.into_iter().map(|((a, b), n)| (a, b, n)).collect();
}

pub fn build(data: &Path, tw_variants_path: &Path, tw_phrases_path: &Path, out: &Path) {
    let variants = tw_variants(tw_variants_path);
    let phrases = tw_phrases(tw_phrases_path);
    let mut uni_table = Vec::new();
    let mut keys = Vec::new();
    let mut vals = Vec::new();
    let mut splits = Vec::new();
    let mut common = vec![0u8; 0x10000 / 8];
    for script in SCRIPTS {
        let mut counts = load(&data.join(format!("{script}.tsv")));
        // The total before the variants are added: other characters keep their costs.
        let total: f64 = counts.uni.iter().map(|(_, n)| n).sum();
        if script == "hant" {
            add_variants(&mut counts, &variants);
            add_phrases(&mut counts, &phrases);
        }
        let mut table = vec![255u8; (HAN_END - HAN_START) as usize];
        let mut by_char = HashMap::new();
        for (rank, &(c, n)) in counts.uni.iter().enumerate() {
            let cp = c as u32;
            by_char.insert(c, n);
            if (HAN_START..HAN_END).contains(&cp) {
                table[(cp - HAN_START) as usize] = quantize(-(n / total).ln());
            }
            if rank < COMMON_RANK && cp < 0x10000 {
                common[cp as usize / 8] |= 1 << (cp % 8);
            }
        }
        uni_table.extend(table);
        let mut pairs: Vec<(u32, u8)> = counts
            .bi
            .iter()
            .filter(|(a, b, _)| in_bigram_range(*a) && in_bigram_range(*b))
            .filter_map(|&(a, b, n)| {
                let base = by_char.get(&a)?;
                let key = (a as u32 - BI_BASE) << 15 | (b as u32 - BI_BASE);
                Some((key, quantize(-(n / base).min(1.0).ln())))
            })
            .collect();
        pairs.sort_unstable();
        splits.push(keys.len());
        keys.extend(pairs.iter().map(|p| p.0));
        vals.extend(pairs.iter().map(|p| p.1));
    }
    splits.push(keys.len());
    for c in CJK_PUNCT.chars() {
        let cp = c as usize;
        common[cp / 8] |= 1 << (cp % 8);
    }
    write_bytes(&out.join("charmodel_uni.bin"), &uni_table);
    write_u32s(&out.join("charmodel_bi_keys.bin"), &keys);
    write_bytes(&out.join("charmodel_bi_vals.bin"), &vals);
    write_bytes(&out.join("charmodel_common.bin"), &common);
    let mut rs = String::new();
    writeln!(rs, "pub(crate) const HAN_START: u32 = {HAN_START:#x};").unwrap();
    writeln!(rs, "pub(crate) const HAN_END: u32 = {HAN_END:#x};").unwrap();
    writeln!(rs, "pub(crate) const BI_BASE: u32 = {BI_BASE:#x};").unwrap();
    writeln!(rs, "pub(crate) const BI_SPLITS: [usize; 3] = {splits:?};").unwrap();
    std::fs::write(out.join("charmodel_tables.rs"), rs).expect("write charmodel_tables.rs");
    println!("cargo:rerun-if-changed={}", data.display());
}

fn in_bigram_range(c: char) -> bool {
    (BI_BASE..BI_BASE + (1 << 15)).contains(&(c as u32))
}
