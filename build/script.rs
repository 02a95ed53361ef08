//! Compiles a per-character class table for script and encoding detection.
//!
//! Knowledge sources, all data:
//! - OpenCC's character tables (`STCharacters`, `TSCharacters`, `TSCharactersExt`, the Taiwan,
//!   Hong Kong and Japanese variant tables) decide which characters exist only in Simplified or
//!   only in Traditional Chinese, and which are regional variant forms;
//! - the encoding tables of `encoding_rs` (GB2312 level 1, Big5 level 1, JIS X 0208 level 1,
//!   KS X 1001) mark the common characters of each legacy encoding, used to score candidate
//!   decodings, and which characters can be made of UTF-8 bytes misread as GBK or Big5.
//!
//! Output: `script_index.bin`, one `u16` page number per 256 code points (page 0 is all zero),
//! and `script_pages.bin`, the pages of 256 `u16` class words. Bits are the `CLASS_*` constants,
//! mirrored in `src/detect/classes.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::{write_bytes, write_u16s};

pub const SIMPLIFIED: u16 = 1 << 0;
pub const TRADITIONAL: u16 = 1 << 1;
pub const TW_VARIANT: u16 = 1 << 2;
pub const HK_VARIANT: u16 = 1 << 3;
pub const JP_SHINJITAI: u16 = 1 << 4;
pub const GB_LEVEL1: u16 = 1 << 5;
pub const BIG5_LEVEL1: u16 = 1 << 6;
pub const JIS_LEVEL1: u16 = 1 << 7;
pub const GBK_FROM_UTF8: u16 = 1 << 8;
pub const BIG5_FROM_UTF8: u16 = 1 << 9;
pub const GB2312: u16 = 1 << 10;
pub const KS_X_1001: u16 = 1 << 11;
pub const BIG5: u16 = 1 << 12;
pub const JIS_X_0208: u16 = 1 << 13;

type Multi = BTreeMap<char, Vec<char>>;

/// Reads a character table: first character of the key, every single-character value.
fn load_chars(path: &Path) -> Multi {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut map = Multi::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let Some((key, values)) = line.split_once('\t') else {
            continue;
        };
        let mut chars = key.chars();
        let (Some(k), None) = (chars.next(), chars.next()) else {
            continue;
        };
        let vals = values.split(' ').filter_map(|v| {
            let mut c = v.chars();
            match (c.next(), c.next()) {
                (Some(ch), None) => Some(ch),
                _ => None,
            }
        });
        map.entry(k).or_default().extend(vals);
    }
    map
}

/// Keys that always change: the key is not one of its own values.
fn changing(map: &Multi) -> BTreeSet<char> {
    map.iter()
        .filter(|(k, v)| !v.contains(k))
        .map(|(k, _)| *k)
        .collect()
}

/// Values that differ from their key: the variant forms a table produces.
fn produced(map: &Multi) -> BTreeSet<char> {
    map.iter()
        .flat_map(|(k, v)| v.iter().filter(move |c| *c != k).copied())
        .collect()
}

fn set(table: &mut [u16], c: char, bit: u16) {
    table[c as usize] |= bit;
}

/// Marks the characters of a double-byte legacy encoding by decoding every byte pair.
fn mark_encoding(
    table: &mut [u16],
    encoding: &'static encoding_rs::Encoding,
    leads: std::ops::RangeInclusive<u8>,
    trails: std::ops::RangeInclusive<u8>,
    classify: impl Fn(u8, u8) -> u16,
) {
    for lead in leads {
        for trail in trails.clone() {
            let pair = [lead, trail];
            let (text, errors) = encoding.decode_without_bom_handling(&pair);
            let mut chars = text.chars();
            if let (false, Some(c), None) = (errors, chars.next(), chars.next()) {
                set(table, c, classify(lead, trail));
            }
        }
    }
}

/// True when a byte can occur inside a multi-byte UTF-8 sequence.
fn utf8_byte(b: u8) -> bool {
    matches!(b, 0x80..=0xBF | 0xC2..=0xF4)
}

fn mark_encodings(table: &mut [u16]) {
    mark_encoding(table, encoding_rs::GBK, 0x81..=0xFE, 0x40..=0xFE, |l, t| {
        let mut bits = 0;
        if (0xA1..=0xF7).contains(&l) && (0xA1..=0xFE).contains(&t) {
            bits |= GB2312;
        }
        if (0xB0..=0xD7).contains(&l) && (0xA1..=0xFE).contains(&t) {
            bits |= GB_LEVEL1;
        }
        if utf8_byte(l) && utf8_byte(t) {
            bits |= GBK_FROM_UTF8;
        }
        bits
    });
    mark_encoding(
        table,
        encoding_rs::BIG5,
        0xA1..=0xF9,
        0x40..=0xFE,
        |l, t| {
            let code = u16::from(l) << 8 | u16::from(t);
            let mut bits = BIG5;
            if (0xA440..=0xC67E).contains(&code) {
                bits |= BIG5_LEVEL1;
            }
            if utf8_byte(l) && utf8_byte(t) {
                bits |= BIG5_FROM_UTF8;
            }
            bits
        },
    );
    mark_encoding(
        table,
        encoding_rs::EUC_JP,
        0xA1..=0xFE,
        0xA1..=0xFE,
        |l, _| {
            let mut bits = JIS_X_0208;
            if (0xB0..=0xCF).contains(&l) {
                bits |= JIS_LEVEL1;
            }
            bits
        },
    );
    mark_encoding(
        table,
        encoding_rs::EUC_KR,
        0xA1..=0xFE,
        0xA1..=0xFE,
        |_, _| KS_X_1001,
    );
}

fn mark_scripts(table: &mut [u16], dict: &Path) {
    let st = load_chars(&dict.join("STCharacters.txt"));
    let mut ts = load_chars(&dict.join("TSCharacters.txt"));
    for (k, v) in load_chars(&dict.join("TSCharactersExt.txt")) {
        ts.entry(k).or_default().extend(v);
    }
    let st_change = changing(&st);
    let ts_change = changing(&ts);
    for &c in &st_change {
        if !ts.contains_key(&c) {
            set(table, c, SIMPLIFIED);
        }
    }
    for &c in &ts_change {
        if !st.contains_key(&c) {
            set(table, c, TRADITIONAL);
        }
    }
    let plain = |c: &char| !st.contains_key(c) && !ts.contains_key(c);
    let taiwan = produced(&load_chars(&dict.join("TWVariants.txt")));
    let hong_kong = produced(&load_chars(&dict.join("HKVariants.txt")));
    for &c in taiwan.union(&hong_kong) {
        // A regional form is proper Traditional in its region, so it is no evidence of
        // Simplified (Taiwan writes `群`, OpenCC's standard `羣`). One that OpenCC's standard
        // tables never mention is Traditional-only evidence, unless the Simplified character
        // set GB2312 has it too (`著`). Only a form one region has and the other has not is a
        // region hint (`為` is both Taiwan's and Hong Kong's; `衞` only Hong Kong's).
        table[c as usize] &= !SIMPLIFIED;
        let mut bits = 0;
        if plain(&c) && table[c as usize] & GB2312 == 0 {
            bits |= TRADITIONAL;
        }
        match (taiwan.contains(&c), hong_kong.contains(&c)) {
            (true, false) => bits |= TW_VARIANT,
            (false, true) => bits |= HK_VARIANT,
            _ => {}
        }
        set(table, c, bits);
    }
    let shinjitai = load_chars(&dict.join("JPShinjitaiCharacters.txt"));
    for c in changing(&shinjitai) {
        if plain(&c) {
            set(table, c, JP_SHINJITAI);
        }
    }
}

/// Bits of the one-byte class of a BMP character, mirrored in `src/detect/classes.rs`: the hot
/// loop of script detection needs one load per character and histograms these bytes.
const SMALL_SIMPLIFIED: u8 = 1;
const SMALL_TRADITIONAL: u8 = 2;
const SMALL_HAN: u8 = 4;
const SMALL_TW: u8 = 8;
const SMALL_HK: u8 = 16;
const SMALL_JAPANESE: u8 = 32;
const SMALL_HANGUL: u8 = 64;

fn small_classes(table: &[u16]) -> Vec<u8> {
    (0u32..0x10000)
        .map(|cp| {
            let class = table[cp as usize];
            let han = matches!(cp, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF);
            let kana =
                matches!(cp, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D);
            let hangul = matches!(cp, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3131..=0x318E);
            let mut small = 0;
            if han {
                small |= SMALL_HAN;
                small |= if class & SIMPLIFIED != 0 {
                    SMALL_SIMPLIFIED
                } else {
                    0
                };
                small |= if class & TRADITIONAL != 0 {
                    SMALL_TRADITIONAL
                } else {
                    0
                };
                small |= if class & TW_VARIANT != 0 { SMALL_TW } else { 0 };
                small |= if class & HK_VARIANT != 0 { SMALL_HK } else { 0 };
                small |= if class & JP_SHINJITAI != 0 {
                    SMALL_JAPANESE
                } else {
                    0
                };
            }
            small |= if kana { SMALL_JAPANESE } else { 0 };
            small |= if hangul { SMALL_HANGUL } else { 0 };
            small
        })
        .collect()
}

/// Bits of the one-byte problem class of a BMP character, mirrored in `src/detect/classes.rs`.
const PROBLEM_GBK_RUN: u8 = 1;
const PROBLEM_BIG5_RUN: u8 = 2;
const PROBLEM_COMMON: u8 = 4;
const PROBLEM_LATIN: u8 = 8;
const PROBLEM_HAN: u8 = 16;
const PROBLEM_REPLACEMENT: u8 = 32;

fn problem_classes(table: &[u16]) -> Vec<u8> {
    // windows-1252's characters for 0x80..=0xFF, and Latin-1's C1 controls.
    let mut latin = vec![false; 0x10000];
    latin[0x80..0xA0].fill(true);
    for b in 0x80..=0xFFu8 {
        let bytes = [b];
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
        if let Some(c) = text.chars().next() {
            latin[c as usize] = true;
        }
    }
    (0u32..0x10000)
        .map(|cp| {
            let class = table[cp as usize];
            let katakana = (0x30A1..=0x30FF).contains(&cp);
            let mut p = 0;
            p |= if class & GBK_FROM_UTF8 != 0 || katakana {
                PROBLEM_GBK_RUN
            } else {
                0
            };
            p |= if class & BIG5_FROM_UTF8 != 0 {
                PROBLEM_BIG5_RUN
            } else {
                0
            };
            p |= if class & (GB_LEVEL1 | BIG5_LEVEL1) != 0 {
                PROBLEM_COMMON
            } else {
                0
            };
            p |= if latin[cp as usize] { PROBLEM_LATIN } else { 0 };
            p |= if matches!(cp, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF) {
                PROBLEM_HAN
            } else {
                0
            };
            p |= if cp == 0xFFFD { PROBLEM_REPLACEMENT } else { 0 };
            p
        })
        .collect()
}

pub fn build(dict: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", dict.display());
    let mut table = vec![0u16; 0x110000];
    mark_encodings(&mut table);
    mark_scripts(&mut table, dict);
    let mut index = vec![0u16; 0x110000 >> 8];
    let mut pages: Vec<u16> = vec![0; 256];
    for (page, chunk) in table.chunks(256).enumerate() {
        if chunk.iter().any(|&w| w != 0) {
            index[page] = u16::try_from(pages.len() / 256).expect("fewer than 65536 pages");
            pages.extend_from_slice(chunk);
        }
    }
    let small = small_classes(&table);
    let problems = problem_classes(&table);
    // Both one-byte classes side by side, for the one-pass `analyze`: one load per character.
    let combined: Vec<u16> = small
        .iter()
        .zip(&problems)
        .map(|(&s, &p)| u16::from(p) << 8 | u16::from(s))
        .collect();
    write_bytes(&out.join("script_bmp.bin"), &small);
    write_bytes(&out.join("problem_bmp.bin"), &problems);
    write_u16s(&out.join("combined_bmp.bin"), &combined);
    write_u16s(&out.join("script_index.bin"), &index);
    write_u16s(&out.join("script_pages.bin"), &pages);
}
