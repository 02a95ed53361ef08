//! Compiles a per-character class table for script and encoding detection.
//!
//! Knowledge sources, all data:
//! - OpenCC's character tables (`STCharacters`, `TSCharacters`, `TSCharactersExt`, the Taiwan,
//!   Hong Kong and Japanese variant tables) decide which characters exist only in Simplified or
//!   only in Traditional Chinese, and which are regional variant forms;
//! - the encoding tables of `encoding_rs` (GB2312 level 1, Big5 level 1, JIS X 0208 level 1,
//!   KS X 1001) mark the common characters of each legacy encoding, used to score candidate
//!   decodings, and which characters can be made of UTF-8 bytes misread as GBK or Big5;
//! - OpenCC's regional phrase tables (`TWPhrases`, `HKPhrases` and their reverses), filtered by
//!   jieba's word frequencies (`data/jieba/words.txt`), give the regional terms of the region
//!   hint.
//!
//! Output: `script_index.bin`, one `u16` page number per 256 code points (page 0 is all zero),
//! and `script_pages.bin`, the pages of 256 `u16` class words. Bits are the `CLASS_*` constants,
//! mirrored in `src/detect/classes.rs`. For the hot loops of the BMP: `script_bmp.bin` (one-byte
//! script classes), `combo_bmp.bin` (one byte per character numbering its pair of script and
//! problem classes) with `combo_words.bin` (a `u64` per number, see `combo_word`).
//! `script_phrases.rs`: the phrase matcher.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::util::{write_bytes, write_u16s, write_u64s};

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

/// Reads a phrase table: key → every value (duplicate keys merged).
fn load_phrases(path: &Path) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let Some((key, values)) = line.split_once('\t') else {
            continue;
        };
        map.entry(key.to_string())
            .or_default()
            .extend(values.split(' ').map(str::to_string));
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
    // What OpenCC's standard Traditional (`s2t`) writes itself: any value of its character or
    // phrase tables. Such a form is no sign of a region even when a regional table produces it
    // too (`參` is standard and Taiwan's, `台` standard and Hong Kong's): mainland text
    // converted with `s2t` is full of them.
    let mut standard: BTreeSet<char> = st.values().flatten().copied().collect();
    for (_, values) in load_phrases(&dict.join("STPhrases.txt")) {
        standard.extend(values.iter().flat_map(|v| v.chars()));
    }
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
            _ if standard.contains(&c) => {}
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
/// U+FFFD and the first characters of `锟斤拷`, `烫烫`, `屯屯`: looked at one by one.
const PROBLEM_MARKER: u8 = 32;
/// The character's GBK (Big5) bytes begin valid UTF-8: a run of misread UTF-8 can start here.
const PROBLEM_GBK_START: u8 = 64;
const PROBLEM_BIG5_START: u8 = 128;

/// Whether `c` encoded in `encoding` begins valid UTF-8 (a whole or a cut sequence).
fn starts_utf8(encoding: &'static encoding_rs::Encoding, c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
    !unmappable
        && match std::str::from_utf8(&bytes) {
            Ok(_) => true,
            Err(e) => e.valid_up_to() > 0 || e.error_len().is_none(),
        }
}

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
            p |= if matches!(cp, 0xFFFD | 0x951F | 0x70EB | 0x5C6F) {
                PROBLEM_MARKER
            } else {
                0
            };
            if let Some(c) = char::from_u32(cp) {
                if p & PROBLEM_GBK_RUN != 0 && starts_utf8(encoding_rs::GBK, c) {
                    p |= PROBLEM_GBK_START;
                }
                if p & PROBLEM_BIG5_RUN != 0 && starts_utf8(encoding_rs::BIG5, c) {
                    p |= PROBLEM_BIG5_START;
                }
            }
            p
        })
        .collect()
}

/// Numbers the distinct (script class, problem class) pairs of the BMP: `analyze` loads one byte
/// per character, then the pair's word. Returns the id table and the words (see `combo_word`).
fn combos(small: &[u8], problems: &[u8]) -> (Vec<u8>, Vec<u64>) {
    let mut ids: BTreeMap<(u8, u8), u8> = BTreeMap::new();
    let mut pairs: Vec<(u8, u8)> = vec![(0, 0)];
    ids.insert((0, 0), 0);
    let table = small
        .iter()
        .zip(problems)
        .map(|(&s, &p)| {
            *ids.entry((s, p)).or_insert_with(|| {
                pairs.push((s, p));
                u8::try_from(pairs.len() - 1).expect("fewer than 256 class pairs")
            })
        })
        .collect();
    let mut words = vec![0u64; 256];
    for (id, &(s, p)) in pairs.iter().enumerate() {
        words[id] = combo_word(s, p);
    }
    (table, words)
}

/// The word of a pair of classes, mirrored in `src/detect/scan.rs`: one byte per count the
/// character adds to (0 simplified, 1 traditional, 2 common, 3 Taiwan form, 4 Hong Kong form,
/// 5 Japanese, 6 Hangul; Han characters only for the first five), the problem class in byte 7.
/// The scan adds the words of up to 255 characters before it folds the bytes into counters.
fn combo_word(small: u8, problem: u8) -> u64 {
    let mut word = u64::from(problem) << 56;
    let mut count = |lane: u32, yes: bool| word |= u64::from(yes) << (8 * lane);
    if small & SMALL_HAN != 0 {
        match small & (SMALL_SIMPLIFIED | SMALL_TRADITIONAL) {
            SMALL_SIMPLIFIED => count(0, true),
            SMALL_TRADITIONAL => count(1, true),
            _ => count(2, true),
        }
        count(3, small & SMALL_TW != 0);
        count(4, small & SMALL_HK != 0);
    }
    count(5, small & SMALL_JAPANESE != 0);
    count(6, small & SMALL_HANGUL != 0);
    word
}

/// Phrase classes, mirrored in `src/detect/phrases.rs`.
const PHRASE_TAIWAN: u8 = 1;
const PHRASE_HONG_KONG: u8 = 2;
const PHRASE_MAINLAND: u8 = 4;

/// Han characters of the BMP (three bytes in UTF-8): the phrases the scan can match.
fn han_phrase(s: &str) -> bool {
    s.chars().count() >= 2
        && s.chars()
            .all(|c| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF))
}

/// Regional terms from an OpenCC phrase table (standard Traditional → regional term) and its
/// reverse: a value is a regional term when OpenCC converts it back (it is a key of `rev`), it
/// is not itself a standard key, and its Simplified form is at most a tenth as frequent in
/// jieba's word list (mainland usage) as its most frequent mainland counterpart. The last rule
/// drops words both sides use (`檔案`, `執行`, `資料` are also mainland words).
fn regional_terms(
    table: &BTreeMap<String, Vec<String>>,
    rev: &BTreeMap<String, Vec<String>>,
    simplify: &dyn Fn(&str) -> String,
    jieba: &HashMap<String, u64>,
) -> BTreeSet<String> {
    let freq = |w: &str| jieba.get(&simplify(w)).copied().unwrap_or(0);
    let mut counterparts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (key, values) in table {
        for v in values.iter().filter(|v| *v != key) {
            counterparts.entry(v).or_default().push(key);
        }
    }
    counterparts
        .into_iter()
        .filter(|(v, _)| han_phrase(v) && rev.contains_key(*v) && !table.contains_key(*v))
        .filter(|(v, keys)| {
            let mainland = keys
                .iter()
                .copied()
                .chain(rev[*v].iter().map(String::as_str))
                .map(freq)
                .max()
                .unwrap_or(0);
            freq(v) * 10 <= mainland
        })
        .map(|(v, _)| v.to_string())
        .collect()
}

/// The regional phrase matcher: Taiwan and Hong Kong terms and their mainland counterparts,
/// written as `script_phrases.rs` (see `src/detect/phrases.rs` for the lookup).
fn phrases(dict: &Path, jieba_path: &Path, out: &Path) {
    let tw = load_phrases(&dict.join("TWPhrases.txt"));
    let tw_rev = load_phrases(&dict.join("TWPhrasesRev.txt"));
    let hk = load_phrases(&dict.join("HKPhrases.txt"));
    let hk_rev = load_phrases(&dict.join("HKPhrasesRev.txt"));
    let ts = load_chars(&dict.join("TSCharacters.txt"));
    let simplify = |w: &str| -> String {
        w.chars()
            .map(|c| ts.get(&c).and_then(|v| v.first()).copied().unwrap_or(c))
            .collect()
    };
    let text = std::fs::read_to_string(jieba_path)
        .unwrap_or_else(|e| panic!("{}: {e}", jieba_path.display()));
    let jieba: HashMap<String, u64> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (w, f) = l.split_once('\t')?;
            Some((w.to_string(), f.parse().ok()?))
        })
        .collect();
    let mut classes: BTreeMap<String, u8> = BTreeMap::new();
    for v in regional_terms(&tw, &tw_rev, &simplify, &jieba) {
        *classes.entry(v).or_default() |= PHRASE_TAIWAN;
    }
    for v in regional_terms(&hk, &hk_rev, &simplify, &jieba) {
        *classes.entry(v).or_default() |= PHRASE_HONG_KONG;
    }
    let values: BTreeSet<&String> = tw.values().chain(hk.values()).flatten().collect();
    for key in tw.keys().chain(hk.keys()) {
        if han_phrase(key) && !values.contains(key) && !classes.contains_key(key) {
            classes.insert(key.clone(), PHRASE_MAINLAND);
        }
    }

    // Grouped by their last two characters, longest first; the blob holds what comes before
    // the last two characters (the lookup knows those already).
    let bigram = |p: &str| -> u32 {
        let cs: Vec<u32> = p.chars().map(|c| c as u32).collect();
        cs[cs.len() - 2] << 16 | cs[cs.len() - 1]
    };
    let mut sorted: Vec<(&String, u8)> = classes.iter().map(|(p, &c)| (p, c)).collect();
    sorted.sort_by_key(|(p, _)| (bigram(p), std::cmp::Reverse(p.len())));
    let mut blob: Vec<u8> = Vec::new();
    let mut cands: Vec<u32> = Vec::new();
    let mut groups: Vec<(u32, usize, usize)> = Vec::new();
    for (p, class) in &sorted {
        let key = bigram(p);
        match groups.last_mut() {
            Some(g) if g.0 == key => g.2 += 1,
            _ => groups.push((key, cands.len(), 1)),
        }
        let offset = u32::try_from(blob.len()).expect("small blob");
        let prefix = &p.as_bytes()[..p.len() - 6];
        assert!(offset < 1 << 16 && prefix.len() < 256);
        cands.push(offset << 16 | (prefix.len() as u32) << 8 | u32::from(*class));
        blob.extend_from_slice(prefix);
    }
    let slot_bits = (groups.len() * 2).next_power_of_two().trailing_zeros();
    let mut slots = vec![0u64; 1 << slot_bits];
    let mut filter = vec![0u64; 1024];
    for &(key, first, count) in &groups {
        let h = key.wrapping_mul(PHRASE_HASH) >> 16;
        filter[(h >> 6) as usize] |= 1 << (h & 63);
        let mut slot = (key.wrapping_mul(PHRASE_HASH) >> (32 - slot_bits)) as usize;
        while slots[slot] != 0 {
            slot = (slot + 1) & (slots.len() - 1);
        }
        slots[slot] = u64::from(key) << 32 | (first as u64) << 16 | count as u64;
    }
    let max_bytes = classes.keys().map(String::len).max().unwrap_or(0);
    let list = |v: &[u64]| {
        v.iter()
            .map(|x| format!("{x:#x}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let code = format!(
        "/// Phrases (regional terms), counted by `src/detect/phrases.rs`.\n\
         pub(crate) const PHRASE_MAX_BYTES: usize = {max_bytes};\n\
         pub(crate) const PHRASE_SLOT_BITS: u32 = {slot_bits};\n\
         pub(crate) static PHRASE_FILTER: [u64; 1024] = [{}];\n\
         pub(crate) static PHRASE_SLOTS: [u64; {}] = [{}];\n\
         pub(crate) static PHRASE_CANDS: [u32; {}] = [{}];\n\
         pub(crate) static PHRASE_BYTES: &[u8] = b\"{}\";\n",
        list(&filter),
        slots.len(),
        list(&slots),
        cands.len(),
        cands
            .iter()
            .map(|x| format!("{x:#x}"))
            .collect::<Vec<_>>()
            .join(","),
        blob.iter()
            .map(|b| format!("\\x{b:02x}"))
            .collect::<String>(),
    );
    std::fs::write(out.join("script_phrases.rs"), code).expect("write script_phrases.rs");
}

/// The multiplier of the phrase hashes, mirrored in `src/detect/phrases.rs`.
const PHRASE_HASH: u32 = 0x9E37_79B1;

pub fn build(dict: &Path, jieba: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", dict.display());
    println!("cargo:rerun-if-changed={}", jieba.display());
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
    let (combo_ids, combo_words) = combos(&small, &problems);
    write_bytes(&out.join("script_bmp.bin"), &small);
    write_bytes(&out.join("combo_bmp.bin"), &combo_ids);
    write_u64s(&out.join("combo_words.bin"), &combo_words);
    phrases(dict, jieba, out);
    write_u16s(&out.join("script_index.bin"), &index);
    write_u16s(&out.join("script_pages.bin"), &pages);
}
