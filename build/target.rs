//! Compiles the lexicons of `zhfix::target` (target-script conversion) from OpenCC's
//! dictionaries, jieba's word frequencies (`data/jieba/words.txt`) and zhfix's own overrides
//! (`data/target/overrides.txt`).
//!
//! Two lexicons, one per source script:
//! - `S`: Simplified keys (jieba words, OpenCC's Simplified→Traditional phrases and characters),
//!   with one output: standard (OpenCC) Traditional;
//! - `T`: Traditional keys (every Traditional character, OpenCC phrases read backwards, jieba
//!   words converted to their Traditional form, Taiwan/Hong Kong words, every character jieba
//!   knows), with one output per target (zh-Hant, zh-TW, zh-HK, zh-Hans, zh-CN) and a sixth:
//!   zh-TW for the standard Traditional text of a Simplified source (see `chained` below).
//!
//! Each key has a segmentation cost (`-ln p` from jieba's frequencies, scaled by 32) and each
//! output is computed here once, by OpenCC's own greedy conversion applied to the key alone, so
//! at run time a word converts as a unit and never across a word boundary.
//!
//! Layout of one lexicon (all little-endian arrays):
//! - `table`: open-addressing hash of every key and every proper prefix of a key, one `u64` per
//!   slot (0 = empty): the low 32 bits of the 64-bit FNV-1a fingerprint, then a `u32` value:
//!   bit 31 = the string is a key, bit 30 = a longer key starts with it, bits 10..30 = entry
//!   index, bits 0..10 = cost (`-ln p` × 32). The slot is chosen by the fingerprint's other bits,
//!   and the build checks that every node finds itself;
//! - `single`: for code points 0x3400..0x10000, the slot value of that one-character string
//!   (0 = none), so the first character of every candidate costs no hash probe;
//! - `outs` per entry and target column: 0 = the default (the key itself for one character, the
//!   concatenation of the characters' outputs for a word), else `(offset << 8) | len` in `pool`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::opencc::{greedy, has_prefix_in, load_entries as load_text};
use crate::util::{write_bytes, write_u16s, write_u32s, write_u64s};

type Map = HashMap<String, String>;

const DEFAULT_PHRASE_FREQ: f64 = 30.0;
/// Costs are `-ln p` times this, in 10 bits.
const COST_SCALE: f64 = 32.0;
const OVERRIDE_FREQ: f64 = 2000.0;
const MAX_KEY_CHARS: usize = 16;
/// Output columns of the Traditional lexicon: zh-Hant, zh-TW, zh-HK, zh-Hans, zh-CN, and zh-TW
/// for the standard Traditional text of a Simplified source.
const T_COLS: usize = 6;

/// A flattened OpenCC dictionary group applied by greedy longest match.
struct Stage {
    map: Map,
    longest: usize,
}

impl Stage {
    /// `short_circuit` over `members`, each member a `union` of files.
    fn new(dir: &Path, members: &[&[&str]]) -> Stage {
        let mut map = Map::new();
        for files in members {
            let mut member = Map::new();
            for file in *files {
                for (k, v) in load_text(&dir.join(file)) {
                    member.entry(k).or_insert(v);
                }
            }
            let additions: Vec<_> = member
                .into_iter()
                .filter(|(k, _)| !has_prefix_in(k, |p| map.contains_key(p)))
                .collect();
            map.extend(additions);
        }
        let longest = map.keys().map(|k| k.chars().count()).max().unwrap_or(1);
        Stage { map, longest }
    }

    fn apply(&self, text: &str) -> String {
        greedy(|k| self.map.get(k), self.longest, text)
    }
}

pub fn is_han(c: char) -> bool {
    crate::opencc::is_han(c)
}

fn all_han(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_han) && s.chars().count() <= MAX_KEY_CHARS
}

pub fn fingerprint(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h | 1
}

struct Entry {
    freq: f64,
    outs: Vec<String>,
}

#[derive(Default)]
struct Pool {
    bytes: Vec<u8>,
    ids: HashMap<String, u32>,
}

impl Pool {
    fn intern(&mut self, s: &str) -> u32 {
        if self.bytes.is_empty() {
            self.bytes.push(0);
        }
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        assert!(
            s.len() < 256 && self.bytes.len() < (1 << 24),
            "pool overflow"
        );
        let id = ((self.bytes.len() as u32) << 8) | s.len() as u32;
        self.bytes.extend_from_slice(s.as_bytes());
        self.ids.insert(s.to_string(), id);
        id
    }
}

/// Writes one lexicon; returns its hash bits.
/// The segmenter's cost of a word in nats, `-ln p`: frequency `freq` of `total` (a junction
/// key's frequency may be below 1, see `junctions`).
fn word_cost(freq: f64, total: f64) -> f64 {
    total.ln() - freq.max(1e-6).ln()
}

fn emit(
    name: &str,
    lex: &BTreeMap<String, Entry>,
    cols: usize,
    total: f64,
    pool: &mut Pool,
    out: &Path,
) -> u32 {
    // Every key and every proper prefix of a key is a node.
    let mut nodes: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    for key in lex.keys() {
        nodes.entry(key.as_str()).or_default().0 = true;
        for (i, _) in key.char_indices().skip(1) {
            nodes.entry(&key[..i]).or_default().1 = true;
        }
    }
    let bits = (nodes.len() * 3 / 2).next_power_of_two().trailing_zeros();
    let size = 1usize << bits;
    let mut fps = vec![0u64; size];
    let mut table = vec![0u64; size];
    let mut single = vec![0u32; 0x10000 - 0x3400];
    assert!(nodes.len() < 1 << 20, "entry index must fit 20 bits");
    let mut outs = Vec::with_capacity(nodes.len() * cols);
    let mut seen_fp = HashSet::new();
    for (index, (&node, &(is_key, longer))) in nodes.iter().enumerate() {
        let fp = fingerprint(node);
        assert!(seen_fp.insert(fp), "fingerprint collision at {node}");
        let mut slot = (fp.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
        while fps[slot] != 0 {
            slot = (slot + 1) & (size - 1);
        }
        let mut m = 0u32;
        if longer {
            m |= 1 << 30;
        }
        match lex.get(node).filter(|_| is_key) {
            Some(entry) => {
                let cost = (word_cost(entry.freq, total) * COST_SCALE)
                    .round()
                    .clamp(0.0, 1023.0);
                m |= (1 << 31) | cost as u32;
                // Default: the key itself (one character) or its characters' outputs.
                for (col, value) in entry.outs.iter().enumerate() {
                    let default: String = if node.chars().count() == 1 {
                        node.to_string()
                    } else {
                        node.chars()
                            .map(|c| {
                                let mut b = [0u8; 4];
                                let s: &str = c.encode_utf8(&mut b);
                                lex.get(s)
                                    .map_or_else(|| s.to_string(), |e| e.outs[col].clone())
                            })
                            .collect()
                    };
                    outs.push(if *value == default {
                        0
                    } else {
                        pool.intern(value)
                    });
                }
            }
            None => outs.extend(std::iter::repeat(0).take(cols)),
        }
        let value = m | ((index as u32) << 10);
        fps[slot] = fp;
        table[slot] = ((fp & 0xFFFF_FFFF) << 32) | value as u64;
        let mut cs = node.chars();
        if let (Some(c), None) = (cs.next(), cs.next()) {
            if (0x3400..0x10000).contains(&(c as u32)) {
                single[c as usize - 0x3400] = value;
            }
        }
    }
    // A slot keeps only 32 bits of the fingerprint: check that every node finds itself.
    for (index, &node) in nodes.keys().enumerate() {
        let fp = fingerprint(node);
        let mut slot = (fp.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
        loop {
            let v = table[slot];
            assert!(v != 0, "{node} not found");
            if v >> 32 == fp & 0xFFFF_FFFF {
                assert_eq!(
                    (v as u32 >> 10) & 0xF_FFFF,
                    index as u32,
                    "check collision at {node}"
                );
                break;
            }
            slot = (slot + 1) & (size - 1);
        }
    }
    write_u64s(&out.join(format!("target_{name}_table.bin")), &table);
    write_u32s(&out.join(format!("target_{name}_single.bin")), &single);
    write_u32s(&out.join(format!("target_{name}_outs.bin")), &outs);
    bits
}

pub fn build(manifest: &Path, out: &Path) {
    let dict = manifest.join("data/opencc/dictionary");
    let words_path = manifest.join("data/jieba/words.txt");
    let overrides_path = manifest.join("data/target/overrides.txt");
    println!("cargo:rerun-if-changed={}", words_path.display());
    println!("cargo:rerun-if-changed={}", overrides_path.display());

    // OpenCC stages (flattened exactly as its configs group them).
    let st = Stage::new(
        &dict,
        &[
            &[
                "STPhrases.txt",
                "STPhrases_GeneratedFromRegionalPhrases.txt",
            ],
            &["STCharacters.txt"],
        ],
    );
    let mut tw = Stage::new(
        &dict,
        &[
            &["TWPhrases.txt"],
            &["TWVariantsPhrases.txt"],
            &["TWVariants.txt"],
        ],
    );
    let hk = Stage::new(&dict, &[&["HKVariantsPhrases.txt"], &["HKVariants.txt"]]);
    let mut tw_rev = Stage::new(
        &dict,
        &[&["TWVariantsRevPhrases.txt"], &["TWVariantsRev.txt"]],
    );
    let mut hk_rev = Stage::new(
        &dict,
        &[&["HKVariantsRevPhrases.txt"], &["HKVariantsRev.txt"]],
    );
    // A regional character that is also a standard character (才 for 纔, 核 for 覈, 著 for 着)
    // is left alone: reading every 才 as 纔 is wrong far more often than right.
    {
        let st_values: HashSet<String> = std::fs::read_to_string(dict.join("STCharacters.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .flat_map(|(_, v)| v.split(' ').map(str::to_string).collect::<Vec<_>>())
            .collect();
        let st_keys: HashSet<String> = load_text(&dict.join("STCharacters.txt"))
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let ts_changing: HashSet<String> = load_text(&dict.join("TSCharacters.txt"))
            .into_iter()
            .filter(|(k, v)| k != v)
            .map(|(k, _)| k)
            .collect();
        let standard =
            |c: &str| st_values.contains(c) || (!st_keys.contains(c) && !ts_changing.contains(c));
        for stage in [&mut tw_rev, &mut hk_rev] {
            stage
                .map
                .retain(|k, v| k.chars().count() > 1 || k == v || !standard(k));
        }
    }
    let tw_phrases_rev = Stage::new(&dict, &[&["TWPhrasesRev.txt"]]);
    let ts = Stage::new(
        &dict,
        &[
            &["TSPhrases.txt"],
            &["TSCharactersExt.txt"],
            &["TSCharacters.txt"],
        ],
    );
    let std_form = |t: &str| hk_rev.apply(&tw_rev.apply(t));

    let st_phrases: Vec<(String, String)> = [
        "STPhrases.txt",
        "STPhrases_GeneratedFromRegionalPhrases.txt",
    ]
    .iter()
    .flat_map(|f| load_text(&dict.join(f)))
    .collect();
    let ts_phrases = load_text(&dict.join("TSPhrases.txt"));
    let st_chars = load_text(&dict.join("STCharacters.txt"));
    let ts_chars: Vec<(String, String)> = ["TSCharacters.txt", "TSCharactersExt.txt"]
        .iter()
        .flat_map(|f| load_text(&dict.join(f)))
        .collect();

    // jieba frequencies.
    let mut jieba: HashMap<String, f64> = HashMap::new();
    let text = std::fs::read_to_string(&words_path).expect("data/jieba/words.txt");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (w, f) = line.split_once('\t').expect("word<TAB>freq");
        jieba.insert(w.to_string(), f.parse().expect("freq"));
    }
    // Characters Traditional text writes as they are in names (`data/target/name_chars.txt`).
    let name_chars_path = manifest.join("data/target/name_chars.txt");
    println!("cargo:rerun-if-changed={}", name_chars_path.display());
    let name_chars: HashSet<char> = std::fs::read_to_string(&name_chars_path)
        .expect("data/target/name_chars.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.chars().next().expect("a character"))
        .collect();
    // jieba's names of people (see `scripts/gen_jieba_words.py`).
    let names_path = manifest.join("data/jieba/names.txt");
    println!("cargo:rerun-if-changed={}", names_path.display());
    let names_text = std::fs::read_to_string(&names_path).expect("data/jieba/names.txt");
    let names: HashSet<&str> = names_text.lines().filter(|l| !l.starts_with('#')).collect();
    let total: f64 = jieba.values().sum();
    let freq_of = |w: &str| jieba.get(w).copied();

    // Overrides.
    let mut over_s2t: Vec<(String, String)> = Vec::new();
    let mut over_t2s: Vec<(String, String)> = Vec::new();
    let text = std::fs::read_to_string(&overrides_path).expect("data/target/overrides.txt");
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut parts = line.split('\t');
        let (dir, k, v) = (
            parts.next().unwrap(),
            parts.next().expect("key"),
            parts.next().expect("value"),
        );
        match dir {
            "s2t" => over_s2t.push((k.to_string(), v.to_string())),
            "t2s" => over_t2s.push((k.to_string(), v.to_string())),
            other => panic!("overrides: unknown direction {other}"),
        }
    }

    // ---- S lexicon: Simplified keys -> [zh-Hant, zh-TW, zh-HK].
    let mut s_base: BTreeMap<String, (String, f64)> = BTreeMap::new();
    for (w, &f) in &jieba {
        s_base.insert(w.clone(), (st.apply(w), f));
    }
    for (t, s) in &ts_phrases {
        if all_han(s) {
            let f = freq_of(s).unwrap_or(DEFAULT_PHRASE_FREQ);
            s_base.insert(s.clone(), (t.clone(), f));
        }
    }
    for (k, v) in st_phrases.iter().chain(&st_chars) {
        if all_han(k) {
            let f = freq_of(k).unwrap_or(if k.chars().count() == 1 {
                1.0
            } else {
                DEFAULT_PHRASE_FREQ
            });
            s_base.insert(k.clone(), (v.clone(), f));
        }
    }
    for (k, v) in &over_s2t {
        s_base.insert(
            k.clone(),
            (v.clone(), freq_of(k).unwrap_or(0.0).max(OVERRIDE_FREQ)),
        );
    }
    let mut s_lex: BTreeMap<String, Entry> = s_base
        .into_iter()
        .map(|(k, (base, freq))| {
            // Traditional characters in a Simplified key (jieba has a few) are normalized too.
            let base = std_form(&base);
            // Regional forms come from a second pass over the Traditional lexicon (see
            // src/target/mod.rs), so one column is enough here.
            let outs = vec![base];
            (k, Entry { freq, outs })
        })
        .collect();

    // ---- Script classes of characters: 1 = only Simplified, 2 = only Traditional.
    let st_map: HashMap<&str, Vec<&str>> = {
        let mut m = HashMap::new();
        let text: &'static str = Box::leak(
            std::fs::read_to_string(dict.join("STCharacters.txt"))
                .unwrap()
                .into_boxed_str(),
        );
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let (k, v) = line.split_once('\t').unwrap();
            m.insert(k, v.split(' ').collect::<Vec<_>>());
        }
        m
    };
    // Characters a regional table writes (Hong Kong's 台 for 臺, Taiwan's 峰 for 峯, 么 for
    // 幺) tell no script: Taiwan and Hong Kong text write them as Simplified text does (山峰,
    // 温, 户, 床 ...), and zh-TW output read as Simplified the next time would convert its
    // neighbours then (`仙姑峯万` → `仙姑峰万` → `仙姑峰萬`; `老么今天來了` → `老麼今天來了`).
    let regional_chars: HashSet<char> = ["TWVariants.txt", "HKVariants.txt"]
        .iter()
        .flat_map(|f| load_text(&dict.join(f)))
        .flat_map(|(_, v)| v.chars().collect::<Vec<_>>())
        .collect();
    let mut class: BTreeMap<u32, u8> = BTreeMap::new();
    let ts_first: HashMap<&str, &str> = ts_chars
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for (k, vs) in &st_map {
        let c = k.chars().next().unwrap();
        let stays_trad = vs.contains(k);
        let is_trad_key = ts_first.get(k).is_some_and(|v| v != k);
        if !stays_trad && !is_trad_key && is_han(c) && !regional_chars.contains(&c) {
            class.insert(c as u32, 1);
        }
    }
    for (k, v) in &ts_chars {
        let c = k.chars().next().unwrap();
        if v != k && !st_map.contains_key(k.as_str()) && is_han(c) {
            class.insert(c as u32, 2);
        }
    }
    // A Taiwan value is Traditional text: a Simplified-only character in one that no regional
    // table writes is a slip of the data (OpenCC 1.4.2's TWPhrases has 類模板 → 類别範本) and
    // takes its Traditional form, or zh-TW output would hold a Simplified character that the
    // next conversion changes.
    let tw_value = |v: &str| -> String {
        v.chars()
            .map(|c| {
                let simplified_only = class.get(&(c as u32)) == Some(&1);
                match st_map.get(c.to_string().as_str()) {
                    Some(vs) if simplified_only && !regional_chars.contains(&c) => {
                        vs[0].chars().next().unwrap_or(c)
                    }
                    _ => c,
                }
            })
            .collect()
    };
    for v in tw.map.values_mut() {
        *v = tw_value(v);
    }
    // ---- T lexicon: Traditional keys -> [zh-Hant, zh-TW, zh-HK, zh-Hans, zh-CN].
    // Explicit Simplified forms of Traditional words, weakest source first.
    let mut hans: HashMap<String, (String, f64)> = HashMap::new();
    let mut jieba_sorted: Vec<(&String, &f64)> = jieba.iter().collect();
    jieba_sorted.sort_by(|a, b| a.1.partial_cmp(b.1).unwrap().then(a.0.cmp(b.0)));
    for (w, &f) in jieba_sorted {
        // jieba's words are Simplified (a few are not: normalize them first).
        let simp = ts.apply(w);
        let trad = st.apply(&simp);
        // One character alone is left to OpenCC's character table: many Simplified characters
        // share one Traditional form (幺, 么 → 么), and the most frequent is not the default.
        if trad.chars().count() > 1 {
            hans.insert(trad, (simp, f)); // ascending frequency: the most frequent wins
        }
    }
    // Single characters are left to the character tables (phrase files hold a few, such as
    // 幺 → 么, that must not make 么 read as 幺).
    for (s, t) in &st_phrases {
        if all_han(t) && all_han(s) && t.chars().count() > 1 {
            let f = freq_of(s).unwrap_or(DEFAULT_PHRASE_FREQ);
            hans.insert(t.clone(), (s.clone(), f));
        }
    }
    for (t, s) in &ts_phrases {
        if all_han(t) && t.chars().count() > 1 {
            let f = freq_of(s).unwrap_or(DEFAULT_PHRASE_FREQ);
            hans.insert(t.clone(), (s.clone(), f));
        }
    }
    for (t, s) in &over_t2s {
        hans.insert(
            t.clone(),
            (s.clone(), freq_of(s).unwrap_or(0.0).max(OVERRIDE_FREQ)),
        );
    }
    // Words already in a regional form: kept as they are for that region.
    let tw_words: BTreeSet<String> = ["TWPhrases.txt", "TWVariantsPhrases.txt", "TWVariants.txt"]
        .iter()
        .flat_map(|f| load_text(&dict.join(f)))
        .map(|(_, v)| tw_value(&v))
        .filter(|v| all_han(v))
        .collect();
    // Mainland words the reversed Taiwan phrases write: kept as they are into zh-CN (a greedy
    // pass over 塔吉克斯坦 would find 塔吉克 in it and write 塔吉克斯坦斯坦).
    let cn_words: BTreeSet<String> = load_text(&dict.join("TWPhrasesRev.txt"))
        .into_iter()
        .map(|(_, v)| v)
        .filter(|v| all_han(v))
        .collect();
    let hk_words: BTreeSet<String> = ["HKVariantsPhrases.txt", "HKVariants.txt"]
        .iter()
        .flat_map(|f| load_text(&dict.join(f)))
        .map(|(_, v)| v)
        .filter(|v| all_han(v))
        .collect();
    let mut t_keys: BTreeMap<String, f64> = BTreeMap::new();
    for (k, (s, f)) in &hans {
        if all_han(k) {
            let e = t_keys.entry(k.clone()).or_insert(0.0);
            *e = e.max(*f);
            let _ = s;
        }
    }
    let simp_freq = |t: &str| freq_of(&ts.apply(t));
    // A regional word is as frequent as the words it stands for (滑鼠 as 鼠标): Traditional text
    // then segments around it as Simplified text did around them, and zh-TW output converted
    // again keeps it whole (`鼠标标` → `滑鼠標`, not `滑|鼠標` → `滑滑鼠`).
    let mut stands_for: HashMap<String, f64> = HashMap::new();
    for f in [
        "TWPhrases.txt",
        "TWVariantsPhrases.txt",
        "HKVariantsPhrases.txt",
    ] {
        for (k, v) in load_text(&dict.join(f)) {
            if v.chars().count() > 1 {
                let v = if f.starts_with("TW") { tw_value(&v) } else { v };
                let e = stands_for.entry(v).or_insert(0.0);
                *e = e.max(simp_freq(&k).unwrap_or(0.0));
            }
        }
    }
    for w in tw_words.iter().chain(&hk_words) {
        let f = simp_freq(w)
            .unwrap_or(DEFAULT_PHRASE_FREQ)
            .max(DEFAULT_PHRASE_FREQ)
            .max(stands_for.get(w).copied().unwrap_or(0.0));
        let e = t_keys.entry(w.clone()).or_insert(0.0);
        *e = e.max(f);
    }
    let mut single_t: BTreeSet<String> = BTreeSet::new();
    for (k, _) in &ts_chars {
        single_t.insert(k.clone());
    }
    // Every Traditional candidate of every Simplified character, not only the first.
    for line in std::fs::read_to_string(dict.join("STCharacters.txt"))
        .unwrap()
        .lines()
    {
        if let Some((_, values)) = line.split_once('\t').filter(|_| !line.starts_with('#')) {
            single_t.extend(values.split(' ').map(str::to_string));
        }
    }
    // Characters that a regional table converts by themselves (硅 → 矽 in Taiwan).
    for stage in [&tw, &hk] {
        single_t.extend(stage.map.keys().filter(|k| k.chars().count() == 1).cloned());
    }
    for f in [
        "TWVariants.txt",
        "HKVariants.txt",
        "TWVariantsRev.txt",
        "HKVariantsRev.txt",
    ] {
        for (k, v) in load_text(&dict.join(f)) {
            single_t.insert(k);
            single_t.insert(v);
        }
    }
    // Characters that exist only in Simplified are no Traditional keys, even where a regional
    // table lists them (Taiwan writes 幺 as 么): in mixed text they are Simplified.
    let simp_only = |c: &str| {
        c.chars()
            .next()
            .is_some_and(|ch| class.get(&(ch as u32)) == Some(&1))
    };
    // Every character jieba knows, in its Traditional form: a character no table converts (上,
    // 的) is a word too, with its frequency, or the segmenter would price it as unknown and
    // prefer any two-character word around it (互聯 + 網上 over 互聯網 + 上).
    for w in jieba.keys().filter(|w| w.chars().count() == 1) {
        let trad = st.apply(&ts.apply(w));
        if trad.chars().count() == 1 {
            single_t.insert(trad);
        }
    }
    for c in single_t
        .into_iter()
        .filter(|c| all_han(c) && c.chars().count() == 1 && !simp_only(c))
    {
        let f = simp_freq(&c).unwrap_or(1.0);
        let e = t_keys.entry(c).or_insert(0.0);
        *e = e.max(f);
    }
    // Regional phrases are words of their own (無線新聞 → 無綫新聞 in Hong Kong spans two jieba
    // words), on either side of the regional tables.
    for stage in [&tw, &hk, &tw_rev, &hk_rev] {
        for k in stage
            .map
            .keys()
            .filter(|k| k.chars().count() > 1 && all_han(k))
        {
            let f = simp_freq(k)
                .unwrap_or(DEFAULT_PHRASE_FREQ)
                .max(DEFAULT_PHRASE_FREQ);
            let e = t_keys.entry(k.clone()).or_insert(0.0);
            *e = e.max(f);
        }
    }
    t_keys.retain(|k, _| k.chars().count() > 1 || !simp_only(k));
    // The Taiwan and Hong Kong spelling of every word is a key too, so that text segments the
    // same way before and after its characters take a regional form.
    let tw_var = Stage::new(&dict, &[&["TWVariantsPhrases.txt"], &["TWVariants.txt"]]);
    // Such a key converts as the word it spells.
    let variants: Vec<(String, String, f64)> = t_keys
        .iter()
        .filter(|(k, _)| k.chars().count() > 1)
        .flat_map(|(k, &f)| [(tw_var.apply(k), k.clone(), f), (hk.apply(k), k.clone(), f)])
        .filter(|(v, _, _)| all_han(v))
        .collect();
    let mut origin: HashMap<String, String> = HashMap::new();
    for (v, k, f) in variants {
        if !t_keys.contains_key(&v) {
            t_keys.insert(v.clone(), f);
            origin.insert(v, k);
        }
    }
    // A Simplified word as a one-to-one converter writes it in Traditional text (its
    // Simplified-only characters in their Traditional form, the characters both scripts have
    // as they are: 之后, 背后, 里面, 于是, and 終于, 關系, 采購 from 终于, 关系, 采购) is a key
    // too, converting as its Traditional form: crawled Traditional text keeps such words from a
    // Simplified original (the seed sample's `禁售之后`, `終于相會`), and a sentence that reads
    // as Traditional would otherwise keep them. (Genuine Traditional text writes 之後; where 后
    // is the queen, 皇后 is the same word in both scripts and is no such key.) Not for the names
    // of people that OpenCC has no phrase for (`data/jieba/names.txt`): their Traditional form
    // is then the characters' defaults, which is no evidence of how Traditional text writes the
    // name where a changing character is one names keep (`data/target/name_chars.txt`: 余秋雨
    // is no 餘秋雨, the transliteration 里德 no 裏德).
    // A pair of each is a trigger of the passes over Traditional text, which otherwise copy a
    // run without a regional key.
    // (Session 7 left out the keys with Simplified-only characters, for `松软件征` → `松軟體徵`
    // → `鬆軟體徵`; now only those that overlap a regional value are left out, see below.)
    // A character a regional table writes (`regional_chars`) is no leftover: 台面 is
    // Hong Kong text converted already, and converting it again as 檯面 → 枱面 would not stop.
    let mut simplified_leftovers: BTreeSet<u64> = BTreeSet::new();
    // Those of the pairs that join a Simplified-only character in its Traditional form and a
    // character that was kept but should have changed (終于, 隨后, 采購; not 之后): Traditional
    // text does not write them, so they are evidence that the text is Simplified text converted
    // character by character (`ONE_TO_ONE_PAIRS`).
    let mut one_to_one: BTreeSet<u64> = BTreeSet::new();
    // OpenCC's conversion by characters alone, each to its first (default) candidate.
    let st_defaults = Stage::new(&dict, &[&["STCharacters.txt"]]);
    // The proper prefixes and suffixes of the regional phrase values (軟, 體 of 軟體).
    let mut value_heads: HashSet<String> = HashSet::new();
    let mut value_tails: HashSet<String> = HashSet::new();
    for v in [&tw, &hk]
        .iter()
        .flat_map(|stage| stage.map.iter())
        .filter(|(k, v)| k != v)
        .map(|(_, v)| v.chars().collect::<Vec<char>>())
    {
        for l in 1..v.len() {
            value_heads.insert(v[..l].iter().collect());
            value_tails.insert(v[v.len() - l..].iter().collect());
        }
    }
    // Whether a Traditional key overlaps a regional value at either end: 松軟 and 軟體.
    let overlaps_value = |key: &[char]| {
        (1..key.len()).any(|l| {
            value_heads.contains(&key[key.len() - l..].iter().collect::<String>())
                || value_tails.contains(&key[..l].iter().collect::<String>())
        })
    };
    let trad_only = |c: char| class.get(&(c as u32)) == Some(&2);
    let simp_only_char = |c: char| class.get(&(c as u32)) == Some(&1);
    // The same for the keys of the regional phrase tables, which jieba may not know
    // (Hong Kong's 一幻拉麪 written 一幻拉面: converted as three words it became 一幻拉麪, and
    // converting that again as the key 一幻拉麵).
    let regional_simplified: BTreeMap<String, f64> = [&tw, &hk]
        .iter()
        .flat_map(|stage| stage.map.keys())
        .filter(|k| k.chars().count() > 1 && all_han(k))
        .map(|k| ts.apply(k))
        .filter(|w| !jieba.contains_key(w))
        .map(|w| {
            let f = freq_of(&w).unwrap_or(DEFAULT_PHRASE_FREQ);
            (w, f)
        })
        .collect();
    for (w, &f) in jieba.iter().chain(&regional_simplified) {
        let cs: Vec<char> = w.chars().collect();
        // Cheap tests first: this runs over all of jieba's words.
        if cs.len() < 2 || !all_han(w) || cs.iter().any(|c| trad_only(*c)) {
            continue;
        }
        let trad = st.apply(w);
        let ts: Vec<char> = trad.chars().collect();
        if ts.len() != cs.len() {
            continue;
        }
        // The key: the word with its Simplified-only characters in their Traditional form.
        let key: Vec<char> = cs
            .iter()
            .zip(&ts)
            .map(|(&c, &t)| if simp_only_char(c) { t } else { c })
            .collect();
        // The first character that changes.
        let Some(i) = (0..key.len()).find(|&i| ts[i] != key[i]) else {
            continue;
        };
        let regional = key
            .iter()
            .zip(&ts)
            .any(|(c, t)| c != t && regional_chars.contains(c));
        let spelt: String = key.iter().collect();
        if regional || !t_keys.contains_key(&trad) || t_keys.contains_key(&spelt) {
            continue;
        }
        // A key with characters that changed script may meet a regional value in output: in
        // `松软件征` → `松|軟體|徵`, the key 松軟 (松软) would take 軟 from 軟體 when the output
        // is converted again, as 松軟|體徵 → `鬆軟體徵`. No such key where it overlaps one.
        if key != cs && overlaps_value(&key) {
            continue;
        }
        // A name that OpenCC converts only by its characters' defaults (no phrase knows it),
        // one of them a character names keep: no evidence (余秋雨, 里德 stay).
        if names.contains(w.as_str())
            && key
                .iter()
                .zip(&ts)
                .any(|(c, t)| c != t && name_chars.contains(c))
            && trad == st_defaults.apply(w)
        {
            continue;
        }
        t_keys.insert(spelt.clone(), f);
        origin.insert(spelt.clone(), trad);
        // Into Simplified it stays the jieba word (想象, not TSPhrases' 想像).
        hans.insert(spelt, (w.clone(), f));
        // The pair at the first character that changes: where the key occurs, each of its
        // pairs does, and this one is rarest in text without the key.
        let i = i.max(1);
        let pair = ((key[i - 1] as u64) << 32) | key[i] as u64;
        simplified_leftovers.insert(pair);
        // Evidence only where the key is the pair: one character written in its Traditional
        // form beside one left as it was that should have changed (終于, 隨后). A pair of a
        // longer key may meet across words in Traditional text (移動|游標 has 動游 of a key
        // 活動游戲-like), and one of 万人們 is no such pair (万人).
        let replaced = |j: usize| key[j] != cs[j];
        let kept = |j: usize| key[j] == cs[j] && ts[j] != key[j];
        if key.len() == 2 && ((replaced(0) && kept(1)) || (kept(0) && replaced(1))) {
            one_to_one.insert(pair);
        }
    }
    // A Simplified word written with a character that is otherwise Traditional (乾隆), or that
    // OpenCC's characters would simplify again (幺麽: 麽 → 么), and with no Simplified-only
    // character, is a key too, kept as it is, so that converting the output again changes
    // nothing.
    let stays_simplified =
        |s: &str| s.chars().any(trad_only) || (ts.apply(s) != s && !s.chars().any(simp_only_char));
    let simplified_words: Vec<(String, String, f64)> = t_keys
        .iter()
        .filter(|(k, _)| k.chars().count() > 1)
        .filter_map(|(k, &f)| hans.get(k).map(|(s, _)| (k.clone(), s.clone(), f)))
        .filter(|(k, s, _)| s != k && all_han(s) && stays_simplified(s))
        .map(|(_, s, f)| (s.clone(), s, f))
        .collect();
    for (s, _, f) in &simplified_words {
        if !t_keys.contains_key(s) {
            t_keys.insert(s.clone(), *f);
            hans.insert(s.clone(), (s.clone(), *f));
        }
    }
    // Taiwan words that the Taiwan stage would convert again (文件 → 檔案 while 文檔 → 文件;
    // 程序 → 程式 while 進程 → 程序): in Traditional text they may already be the Taiwan
    // word, so the zh-TW column keeps them wherever they occur, and only the column for the
    // standard Traditional text of a Simplified source (5) converts them. Converting zh-TW
    // output again then changes nothing.
    let chained: BTreeSet<String> = tw
        .map
        .iter()
        .filter(|(k, v)| *k != *v && tw_words.contains(*k))
        .map(|(k, _)| k.clone())
        .collect();
    let tw_keep = Stage {
        map: tw
            .map
            .iter()
            .map(|(k, v)| {
                let v = if chained.contains(k) { k } else { v };
                (k.clone(), v.clone())
            })
            .collect(),
        longest: tw.longest,
    };
    let mut t_lex: BTreeMap<String, Entry> = t_keys
        .into_iter()
        .map(|(k, freq)| {
            let src = origin.get(&k).unwrap_or(&k);
            let standard = std_form(src);
            let to_tw = if tw_words.contains(&k) {
                k.clone()
            } else {
                tw_keep.apply(&standard)
            };
            let from_simplified_to_tw = if tw_words.contains(&k) && !chained.contains(&k) {
                k.clone()
            } else {
                tw.apply(&standard)
            };
            let to_hk = if hk_words.contains(&k) {
                k.clone()
            } else {
                hk.apply(&standard)
            };
            let simplify = |t: &str| -> String {
                hans.get(t)
                    .map(|(s, _)| s.clone())
                    .unwrap_or_else(|| ts.apply(t))
            };
            // A regional character that is also a Simplified one stays into Simplified: Taiwan's
            // 么 may be 幺, but in text that reads as Traditional it may as well be a Simplified
            // 么 (麼) left over, and Simplified output with 么 must convert to itself again.
            let simplified_as_is = k.chars().count() == 1
                && k.chars().all(|c| regional_chars.contains(&c))
                && st_map.contains_key(k.as_str());
            let to_hans = if simplified_as_is {
                k.clone()
            } else {
                hans.get(&k)
                    .or_else(|| hans.get(src))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_else(|| simplify(&standard))
            };
            let reversed = tw_phrases_rev.apply(&k);
            let to_cn = if reversed != k && !cn_words.contains(&k) {
                simplify(&std_form(&reversed))
            } else {
                to_hans.clone()
            };
            (
                k,
                Entry {
                    freq,
                    outs: vec![
                        standard,
                        to_tw,
                        to_hk,
                        to_hans,
                        to_cn,
                        from_simplified_to_tw,
                    ],
                },
            )
        })
        .collect();
    let junctions = junctions(&tw, &t_lex, total);
    t_lex.extend(junctions);
    // A Traditional key written only with characters both scripts have, whose standard form
    // differs from OpenCC's conversion of it as Simplified text (看著 → 看着, 衞生 → 衛生: the
    // Taiwan or Hong Kong spelling of a word), is a key of the Simplified lexicon too, with
    // that standard form. In a sentence that reads as Simplified it is a Traditional word left
    // over, and converting the output again (now Traditional) must not change it: `发看著了如何`
    // into zh-Hant was `發看著了如何`, then `發看着了如何`.
    let shared = |k: &str| all_han(k) && !k.chars().any(|c| trad_only(c) || simp_only_char(c));
    let spelt_in_both: Vec<(String, Entry)> = t_lex
        .iter()
        .filter(|(k, _)| k.chars().count() > 1 && shared(k) && !s_lex.contains_key(*k))
        .filter(|(k, e)| e.outs[0] != st.apply(k))
        .map(|(k, e)| {
            let outs = vec![e.outs[0].clone()];
            (k.clone(), Entry { freq: e.freq, outs })
        })
        .collect();
    s_lex.extend(spelt_in_both);

    // Two bits per Han code point of the BMP, in the order of `fast_index`.
    let mut bmp = vec![0u8; FAST_LEN / 4];
    let mut astral_simp = Vec::new();
    let mut astral_trad = Vec::new();
    for (&cp, &cl) in &class {
        if cp < 0x10000 {
            let i = fast_index(cp).expect("classes are for Han characters");
            bmp[i / 4] |= cl << (2 * (i % 4));
        } else if cl == 1 {
            astral_simp.push(cp);
        } else {
            astral_trad.push(cp);
        }
    }

    // Triggers of the regional passes: a run of standard Traditional text in which no key of
    // these stages occurs converts to itself, and the run-time skips it.
    let triggers = |stages: &[&Stage]| -> (Vec<u32>, Vec<u64>) {
        let mut singles = BTreeSet::new();
        let mut bigrams = BTreeSet::new();
        for stage in stages {
            for (k, v) in &stage.map {
                if k == v {
                    continue;
                }
                let cs: Vec<char> = k.chars().collect();
                match cs.len() {
                    1 => {
                        singles.insert(cs[0] as u32);
                    }
                    _ => {
                        bigrams.insert(((cs[0] as u64) << 32) | cs[1] as u64);
                    }
                }
            }
        }
        (singles.into_iter().collect(), bigrams.into_iter().collect())
    };
    let with_leftovers = |(singles, bigrams): (Vec<u32>, Vec<u64>)| {
        let all: BTreeSet<u64> = bigrams
            .into_iter()
            .chain(simplified_leftovers.iter().copied())
            .collect();
        (singles, all.into_iter().collect::<Vec<u64>>())
    };
    let (hant_1, hant_2) = with_leftovers(triggers(&[&tw_rev, &hk_rev]));
    let (tw_1, tw_2) = with_leftovers(triggers(&[&tw_rev, &hk_rev, &tw]));
    let (hk_1, hk_2) = with_leftovers(triggers(&[&tw_rev, &hk_rev, &hk]));
    // After the Simplified lexicon, text is standard Traditional: only the regional stage counts.
    let (tws_1, tws_2) = triggers(&[&tw]);
    let (hks_1, hks_2) = triggers(&[&hk]);

    // Fast-path tables (see `fast` below): the Simplified lexicon's one column, the Traditional
    // lexicon's five; regional run triggers for the Traditional passes, as (after the
    // Traditional lexicon, after the Simplified one).
    let s_inner = inner_bigrams(&s_lex);
    let t_inner = inner_bigrams(&t_lex);
    filter_sized("s inner", &s_inner, INNER_WORD_BITS, out);
    filter_sized("t inner", &t_inner, INNER_WORD_BITS, out);
    let no_triggers = (Vec::new(), Vec::new());
    let hant_triggers = (hant_1.clone(), hant_2.clone());
    // zh-TW over Traditional text and over a Simplified source's standard Traditional text
    // (columns 1 and 5).
    let tw_triggers = [(tw_1.clone(), tw_2.clone()), (tws_1.clone(), tws_2.clone())];
    let mut fast_consts = String::new();
    let mut all_tables = Vec::new();
    for (name, lex, cols, col, fallback, regional) in [
        (
            "s0",
            &s_lex,
            1,
            0,
            Some((&t_lex, T_COLS)),
            [&no_triggers, &no_triggers],
        ),
        (
            "t0",
            &t_lex,
            T_COLS,
            0,
            Some((&s_lex, 1)),
            [&hant_triggers, &hant_triggers],
        ),
        (
            "t1",
            &t_lex,
            T_COLS,
            1,
            Some((&s_lex, 1)),
            [&tw_triggers[0], &tw_triggers[1]],
        ),
        (
            "t2",
            &t_lex,
            T_COLS,
            2,
            Some((&s_lex, 1)),
            [
                &(hk_1.clone(), hk_2.clone()),
                &(hks_1.clone(), hks_2.clone()),
            ],
        ),
        ("t3", &t_lex, T_COLS, 3, None, [&no_triggers, &no_triggers]),
        ("t4", &t_lex, T_COLS, 4, None, [&no_triggers, &no_triggers]),
        (
            "t5",
            &t_lex,
            T_COLS,
            5,
            Some((&s_lex, 1)),
            [&tw_triggers[0], &tw_triggers[1]],
        ),
    ] {
        let tables = fast(name, lex, cols, col, fallback, regional, out);
        let bits = tables.bits;
        all_tables.push(tables);
        let upper = name.to_uppercase();
        writeln!(
            fast_consts,
            "pub const FAST_{upper}_BITS: u32 = {};\npub const FAST_{upper}A_RUN_BITS: u32 = {};\npub const FAST_{upper}B_RUN_BITS: u32 = {};",
            bits[0], bits[1], bits[2]
        )
        .unwrap();
    }
    // The two passes of zh-Hant, zh-TW and zh-HK from Simplified (columns 0, 5, 2).
    let hans = PairWeights::new(&crate::charmodel::load(
        &manifest.join("data/charmodel/hans.tsv"),
    ));
    let hant = PairWeights::new(&crate::charmodel::load(
        &manifest.join("data/charmodel/hant.tsv"),
    ));
    let first_signature = signature(&all_tables[0].trig, &hans);
    for (col, second) in [(0, 0), (1, 5), (2, 2)] {
        let second_signature = signature(&all_tables[1 + second].trig, &hant);
        both(
            &format!("t{col}"),
            &all_tables[0],
            &all_tables[1 + second],
            [&first_signature, &second_signature],
            &class,
            out,
        );
    }
    // Signatures of the regional pairs of the passes over Traditional text, for the
    // classifier's notes (`script::classed_flags`): bucket in bits 0..4, mask from bit 4.
    for (col, pairs) in [(0, &hant_2), (1, &tw_2), (2, &hk_2)] {
        let (buckets, masks) = signature(&pairs.iter().copied().collect(), &hant);
        let mut table = vec![0u32; FAST_LEN];
        for (cp, k) in buckets {
            if let Some(i) = fast_index(cp) {
                table[i] |= k as u32;
            }
        }
        for (cp, m) in masks {
            if let Some(i) = fast_index(cp) {
                table[i] |= (m as u32) << 4;
            }
        }
        write_u32s(&out.join(format!("target_run_sig_t{col}.bin")), &table);
    }
    for (name, value) in [
        ("G", BOTH_G),
        ("HARD", BOTH_HARD),
        ("SECOND", BOTH_SECOND),
        ("K1", BOTH_K1),
        ("K2", BOTH_K2),
        ("M1", BOTH_M1),
        ("M2", BOTH_M2),
    ] {
        writeln!(fast_consts, "pub const BOTH_{name}: u32 = {value};").unwrap();
    }
    writeln!(
        fast_consts,
        "pub const TRIG_WORD_BITS: u32 = {TRIG_WORD_BITS};\npub const INNER_WORD_BITS: u32 = {INNER_WORD_BITS};"
    )
    .unwrap();
    for (flag, value) in [
        ("MAPPED", FAST_MAPPED),
        ("HARD", FAST_HARD),
        ("TRIG", FAST_TRIG),
        ("TRIG_SECOND", FAST_TRIG_SECOND),
        ("RUN", FAST_RUN),
        ("RUN_FIRST", FAST_RUN_FIRST),
        ("RUN_SECOND", FAST_RUN_SECOND),
        ("NOT_HAN", FAST_NOT_HAN),
    ] {
        writeln!(fast_consts, "pub const FAST_{flag}: u8 = {value:#x};").unwrap();
    }

    // Whether the first pass of a regional target (Simplified lexicon, the Traditional one as
    // fallback, standard Traditional column) writes only Han characters for a run of them.
    let standard_is_han = s_lex
        .values()
        .chain(t_lex.values())
        .all(|e| e.outs[0].chars().all(is_han));
    writeln!(
        fast_consts,
        "pub const STANDARD_IS_HAN: bool = {standard_is_han};"
    )
    .unwrap();

    let mut pool = Pool::default();
    let s_bits = emit("s", &s_lex, 1, total, &mut pool, out);
    let t_bits = emit("t", &t_lex, T_COLS, total, &mut pool, out);
    write_bytes(&out.join("target_pool.bin"), &pool.bytes);
    write_bytes(&out.join("target_class.bin"), &bmp);
    let unknown = ((total.ln() + 1.0) * COST_SCALE).round() as u32;
    let mut rs = String::new();
    writeln!(
        rs,
        "pub const S_BITS: u32 = {s_bits};\npub const T_BITS: u32 = {t_bits};"
    )
    .unwrap();
    writeln!(rs, "pub const UNKNOWN_COST: u32 = {unknown};\npub const MAX_KEY_CHARS: usize = {MAX_KEY_CHARS};").unwrap();
    writeln!(
        rs,
        "pub const ASTRAL_SIMPLIFIED: &[u32] = &{astral_simp:?};"
    )
    .unwrap();
    writeln!(
        rs,
        "pub const ASTRAL_TRADITIONAL: &[u32] = &{astral_trad:?};"
    )
    .unwrap();
    for (name, singles, bigrams) in [
        ("TW_STANDARD", tws_1, tws_2),
        ("HK_STANDARD", hks_1, hks_2),
        ("HANT", hant_1, hant_2),
        ("TW", tw_1, tw_2),
        ("HK", hk_1, hk_2),
    ] {
        writeln!(rs, "pub const {name}_TRIGGER_CHARS: &[u32] = &{singles:?};").unwrap();
        writeln!(
            rs,
            "pub const {name}_TRIGGER_BIGRAMS: &[u64] = &{bigrams:?};"
        )
        .unwrap();
        writeln!(
            rs,
            "pub const {name}_TRIGGER_PAIR_SET: &[u64] = &{:?};",
            pair_set(&bigrams)
        )
        .unwrap();
    }
    // Every such pair is a trigger pair of the passes over Traditional text (above), so a run
    // the classifier found without a regional key holds none of them.
    assert!(one_to_one.is_subset(&simplified_leftovers));
    let one_to_one: Vec<u64> = one_to_one.into_iter().collect();
    writeln!(
        rs,
        "pub const ONE_TO_ONE_PAIRS: &[u64] = &{one_to_one:?};\npub const ONE_TO_ONE_PAIR_SET: &[u64] = &{:?};",
        pair_set(&one_to_one)
    )
    .unwrap();
    rs.push_str(&fast_consts);
    write_bytes(&out.join("target_tables.rs"), rs.as_bytes());
}

// ---- Fast path (src/target/fast.rs).
//
// Over a run of Han characters, the segmenter's output differs from "each character's own
// output" only inside words whose output is not their characters' outputs ("changing" words),
// or at characters that convert differently alone than inside a word. The fast path converts
// character by character and runs the segmenter only on the stretches of text around those
// places that no word can cross. A table load or two decide that:
// - per character (one entry per Han code point of the BMP, in the order of `fast_index`):
//   its output (`target_fast_out_NAME.bin`, `u16`, read when `FAST_MAPPED` is set) and flags
//   (`target_fast_flags_NAME{a,b}.bin`, `u8`; `a` and `b` differ only in the regional
//   triggers: after the Traditional lexicon, after the Simplified one);
// - a pair filter of changing words (`target_trig_NAME.bin`): every changing word has one
//   chosen character pair, and no changing word can occur where no chosen pair does;
// - a pair filter of regional trigger pairs (`target_run_NAME{a,b}.bin`), checked exactly
//   against the sorted list when it answers yes;
// - a pair filter of all words (`target_inner_L.bin`): a position between two characters whose
//   pair occurs in no word is crossed by no word, so the segmentation splits there.
// The filters set three bits per pair in one 64-bit word; a false positive only costs a look.

/// Index of a Han code point in the per-character fast tables, if it has one.
pub fn fast_index(cp: u32) -> Option<usize> {
    match cp {
        0x3400..=0x9FFF => Some((cp - 0x3400) as usize),
        0xF900..=0xFAFF => Some((cp - 0xF900) as usize + 0x6C00),
        _ => None,
    }
}

const FAST_LEN: usize = 0x6C00 + 0x200;
/// The output is another character (in the `out` table).
pub const FAST_MAPPED: u8 = 1;
/// The character must be converted by the segmenter (never alone).
pub const FAST_HARD: u8 = 2;
/// The character is the first (second) of a chosen changing-word pair.
pub const FAST_TRIG: u8 = 4;
pub const FAST_TRIG_SECOND: u8 = 8;
/// Regional run triggers: a trigger character, the first (second) of a trigger pair.
pub const FAST_RUN: u8 = 16;
pub const FAST_RUN_FIRST: u8 = 32;
pub const FAST_RUN_SECOND: u8 = 64;
/// Not a Han character (U+4DC0..U+4DFF, between the two ranges the table covers).
pub const FAST_NOT_HAN: u8 = 128;

pub fn pair_key(a: u32, b: u32) -> u64 {
    ((a as u64) << 32) | b as u64
}

/// `pairs` as an open-addressing hash set (the run-time lookup is `pair_set_contains` in
/// src/target/fast.rs): a power of two of slots, at most half of them used, 0 for an empty
/// slot (no pair of characters is 0), each pair at its hash's slot or the first free one after
/// it (wrapping around).
pub fn pair_set(pairs: &[u64]) -> Vec<u64> {
    let len = (pairs.len() * 2).max(2).next_power_of_two();
    let mut set = vec![0u64; len];
    for &key in pairs {
        assert_ne!(key, 0);
        set_insert(&mut set, key, key);
    }
    set
}

/// Puts `slot` (not 0) into the open-addressing set `set` (a power of two of slots) at the
/// slot of `key`'s hash or the first free one after it (wrapping around); the run-time's
/// lookup is `set_find` in src/target/fast.rs.
fn set_insert(set: &mut [u64], key: u64, slot: u64) {
    let bits = set.len().trailing_zeros();
    let mut i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
    while set[i] != 0 {
        i = (i + 1) & (set.len() - 1);
    }
    set[i] = slot;
}

/// The word and the three bits of pair `key` in a filter of `2^word_bits` 64-bit words (the
/// run-time copy is in src/target/fast.rs).
pub fn filter_bits(key: u64, word_bits: u32) -> (usize, u64) {
    let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let word = (h >> (64 - word_bits)) as usize;
    let mask = (1u64 << ((h >> (52 - word_bits)) & 63))
        | (1u64 << ((h >> (46 - word_bits)) & 63))
        | (1u64 << ((h >> (40 - word_bits)) & 63));
    (word, mask)
}

/// Keys where a Taiwan word meets a key that overlaps its end or start (`鼠標` → `滑鼠`, then
/// `標`: Traditional `滑鼠標` segments as `滑|鼠標` by unigram costs, and zh-TW output
/// converted again became `滑滑鼠`). Each such meeting whose zh-TW output differs by the split
/// becomes a key of its own that converts as the Taiwan word and the rest side by side, in
/// every column, so that output converted again keeps its words. Candidates: every value of
/// the Taiwan phrases (`v`, itself a key) and every key `k` that shares one or more characters
/// with its end (`v` then the rest of `k`) or its start (the rest of `k`, then `v`).
fn junctions(tw: &Stage, lex: &BTreeMap<String, Entry>, total: f64) -> Vec<(String, Entry)> {
    // Costs as the segmenter counts them (`emit`): a key, or its characters one by one.
    let cost = |w: &[char]| -> f64 {
        let key = |s: &str| lex.get(s).map(|e| word_cost(e.freq, total));
        key(&w.iter().collect::<String>()).unwrap_or_else(|| {
            w.iter()
                .map(|c| key(&c.to_string()).unwrap_or(total.ln() + 1.0))
                .sum()
        })
    };
    let out = |w: &[char], col: usize| -> String {
        let w: String = w.iter().collect();
        match lex.get(&w) {
            Some(e) => e.outs[col].clone(),
            None => w
                .chars()
                .map(|c| {
                    lex.get(&c.to_string())
                        .map_or_else(|| c.to_string(), |e| e.outs[col].clone())
                })
                .collect(),
        }
    };
    let mut by_first: HashMap<char, Vec<Vec<char>>> = HashMap::new();
    let mut by_last: HashMap<char, Vec<Vec<char>>> = HashMap::new();
    for k in lex.keys() {
        let cs: Vec<char> = k.chars().collect();
        if cs.len() > 1 {
            by_first.entry(cs[0]).or_default().push(cs.clone());
            by_last.entry(cs[cs.len() - 1]).or_default().push(cs);
        }
    }
    let values: BTreeSet<&String> = tw
        .map
        .iter()
        .filter(|(k, v)| k != v && v.chars().count() > 1 && lex.contains_key(*v))
        .map(|(_, v)| v)
        .collect();
    let mut found: BTreeMap<String, Entry> = BTreeMap::new();
    // The key costs a little less than the cheaper of the two ways to split it, the way the
    // first conversion wrote it (`left`, `right`) and the way the next one would (`a`, `b`):
    // enough to keep its words, never more attractive than they are elsewhere.
    let mut add = |left: &[char], right: &[char], a: &[char], b: &[char]| {
        let w: String = left.iter().chain(right).collect();
        if w.chars().count() > MAX_KEY_CHARS || lex.contains_key(&w) {
            return;
        }
        let c = (cost(left) + cost(right)).min(cost(a) + cost(b)) - 0.1;
        let freq = (total.ln() - c).exp();
        let outs = (0..T_COLS).map(|c| out(left, c) + &out(right, c)).collect();
        let e = found.entry(w).or_insert(Entry { freq, outs });
        e.freq = e.freq.max(freq);
    };
    const ZH_TW: [usize; 2] = [1, 5];
    for v in values {
        let vc: Vec<char> = v.chars().collect();
        for ov in 1..vc.len() {
            // `v`, then the rest of a key that starts with its last `ov` characters.
            let (head, tail) = vc.split_at(vc.len() - ov);
            for k in by_first.get(&tail[0]).into_iter().flatten() {
                if k.len() > ov && k[..ov] == *tail {
                    let rest = &k[ov..];
                    let split = ZH_TW
                        .iter()
                        .any(|&c| out(head, c) + &out(k, c) != out(&vc, c) + &out(rest, c));
                    if split {
                        add(&vc, rest, head, k);
                    }
                }
            }
            // The start of a key that ends with the first `ov` characters of `v`, then `v`.
            let (head, tail) = vc.split_at(ov);
            for k in by_last.get(&head[ov - 1]).into_iter().flatten() {
                if k.len() > ov && k[k.len() - ov..] == *head {
                    let start = &k[..k.len() - ov];
                    let split = ZH_TW
                        .iter()
                        .any(|&c| out(k, c) + &out(tail, c) != out(start, c) + &out(&vc, c));
                    if split {
                        add(start, &vc, k, tail);
                    }
                }
            }
        }
    }
    found.into_iter().collect()
}

/// Every pair of adjacent characters inside some key of `lex`.
fn inner_bigrams(lex: &BTreeMap<String, Entry>) -> BTreeSet<u64> {
    let mut set = BTreeSet::new();
    for k in lex.keys() {
        let cs: Vec<u32> = k.chars().map(|c| c as u32).collect();
        for w in cs.windows(2) {
            set.insert(pair_key(w[0], w[1]));
        }
    }
    set
}

/// Writes a filter of `pairs` with about `bits_per_pair` bits each (three set per pair, in one
/// 64-bit word) as `target_{name}.bin`; returns its size as `word_bits` (2^word_bits words).
fn filter(name: &str, pairs: &BTreeSet<u64>, bits_per_pair: usize, out: &Path) -> u32 {
    let word_bits = (pairs.len().max(64) * bits_per_pair / 64)
        .next_power_of_two()
        .trailing_zeros();
    filter_sized(name, pairs, word_bits, out);
    word_bits
}

/// [`filter`] of 2^word_bits words.
fn filter_sized(name: &str, pairs: &BTreeSet<u64>, word_bits: u32, out: &Path) {
    let mut words = vec![0u64; 1usize << word_bits];
    for &k in pairs {
        let (w, m) = filter_bits(k, word_bits);
        words[w] |= m;
    }
    let file = name.replace(' ', "_");
    write_u64s(&out.join(format!("target_{file}.bin")), &words);
}

/// Size of the chosen-pair filters (2^TRIG_WORD_BITS words): one size for all, so the
/// run-time's shifts are constants. A false positive costs a window (a closer look, often a
/// segmentation): at 16 KiB and two bits per pair the largest (the Simplified lexicon's, about
/// 6,500 pairs) let about 1% of the pairs it was asked about through, which made 650 first-pass
/// windows per call on maint-cn where 390 are needed; 32 KiB and three bits (about 0.05%) cost
/// less than those windows (docs/benchmarks/target.md).
pub const TRIG_WORD_BITS: u32 = 12;
/// Size of the filters of pairs inside words (2^INNER_WORD_BITS words, 256 KiB).
pub const INNER_WORD_BITS: u32 = 15;

/// Writes the fast-path tables of one lexicon and column; returns the sizes of its pair
/// filters (chosen pairs, regional pairs `a` and `b`).
fn fast(
    name: &str,
    lex: &BTreeMap<String, Entry>,
    cols: usize,
    col: usize,
    fallback: Option<(&BTreeMap<String, Entry>, usize)>,
    regional: [&(Vec<u32>, Vec<u64>); 2],
    out: &Path,
) -> FastTables {
    let lcol = col.min(cols - 1);
    // A character's output inside a word (and alone, when it is a key).
    let in_word = |c: char| -> String {
        let mut b = [0u8; 4];
        let s: &str = c.encode_utf8(&mut b);
        lex.get(s)
            .map_or_else(|| s.to_string(), |e| e.outs[lcol].clone())
    };
    let alone = |c: char| -> String {
        let mut b = [0u8; 4];
        let s: &str = c.encode_utf8(&mut b);
        match lex.get(s) {
            Some(e) => e.outs[lcol].clone(),
            None => fallback.map_or_else(
                || s.to_string(),
                |(f, fcols)| {
                    f.get(s)
                        .map_or_else(|| s.to_string(), |e| e.outs[col.min(fcols - 1)].clone())
                },
            ),
        }
    };
    let mut outs = vec![0u16; FAST_LEN];
    let mut flags = vec![0u8; FAST_LEN];
    for cp in (0x3400..=0x9FFF).chain(0xF900..=0xFAFF) {
        let Some(c) = char::from_u32(cp).filter(|&c| is_han(c)) else {
            flags[fast_index(cp).unwrap()] = FAST_NOT_HAN;
            continue;
        };
        let i = fast_index(cp).unwrap();
        let (w, a) = (in_word(c), alone(c));
        let mut cs = w.chars();
        match (cs.next(), cs.next()) {
            // One BMP character of three UTF-8 bytes, the same alone and in words.
            (Some(o), None) if w == a && (0x800..0x10000).contains(&(o as u32)) => {
                if o != c {
                    flags[i] |= FAST_MAPPED;
                    outs[i] = o as u16;
                }
            }
            _ => flags[i] |= FAST_HARD,
        }
    }
    // Changing words: one chosen pair each.
    let mut pair_freq: HashMap<u64, f64> = HashMap::new();
    for (k, e) in lex {
        let ks: Vec<u32> = k.chars().map(|c| c as u32).collect();
        for w in ks.windows(2) {
            *pair_freq.entry(pair_key(w[0], w[1])).or_default() += e.freq;
        }
    }
    let mut trig = BTreeSet::new();
    // Per chosen pair, its changing words and the byte offsets at which the pair occurs in
    // each (see `chosen_words`).
    let mut words_of: BTreeMap<u64, ChosenWords> = BTreeMap::new();
    for (k, e) in lex {
        let ks: Vec<char> = k.chars().collect();
        if ks.len() < 2 {
            continue;
        }
        let default: String = ks.iter().map(|&c| in_word(c)).collect();
        if e.outs[lcol] == default {
            continue;
        }
        // Any pair of the word will do: the one rarest in words (summed frequency of the
        // lexicon's words that contain it) fires least often on text without the word.
        let first = (0..ks.len() - 1)
            .min_by(|&a, &b| {
                let f = |i: usize| pair_freq[&pair_key(ks[i] as u32, ks[i + 1] as u32)];
                f(a).total_cmp(&f(b))
            })
            .unwrap_or(0);
        let chosen = pair_key(ks[first] as u32, ks[first + 1] as u32);
        trig.insert(chosen);
        let offsets = k
            .char_indices()
            .zip(ks.windows(2))
            .filter(|(_, w)| pair_key(w[0] as u32, w[1] as u32) == chosen)
            .map(|((at, _), _)| at)
            .collect();
        words_of.entry(chosen).or_default().push((k, offsets));
    }
    chosen_words(name, &words_of, out);
    let set_flag = |flags: &mut Vec<u8>, cp: u32, flag: u8| {
        if let Some(i) = fast_index(cp) {
            flags[i] |= flag;
        }
    };
    for &k in &trig {
        set_flag(&mut flags, (k >> 32) as u32, FAST_TRIG);
        set_flag(&mut flags, k as u32, FAST_TRIG_SECOND);
    }
    filter_sized(&format!("trig {name}"), &trig, TRIG_WORD_BITS, out);
    let mut bits = [TRIG_WORD_BITS, 0, 0];
    let mut variants = [Vec::new(), Vec::new()];
    for (v, set) in regional.iter().enumerate() {
        let mut f = flags.clone();
        for &c in &set.0 {
            set_flag(&mut f, c, FAST_RUN);
        }
        for &k in &set.1 {
            set_flag(&mut f, (k >> 32) as u32, FAST_RUN_FIRST);
            set_flag(&mut f, k as u32, FAST_RUN_SECOND);
        }
        let suffix = ["a", "b"][v];
        write_bytes(
            &out.join(format!("target_fast_flags_{name}{suffix}.bin")),
            &f,
        );
        let pairs: BTreeSet<u64> = set.1.iter().copied().collect();
        bits[1 + v] = filter(&format!("run {name}{suffix}"), &pairs, 16, out);
        variants[v] = f;
    }
    write_u16s(&out.join(format!("target_fast_out_{name}.bin")), &outs);
    FastTables {
        bits,
        outs,
        flags: variants,
        trig,
    }
}

/// The changing words of one chosen pair, each with the byte offsets of the pair in it.
type ChosenWords<'a> = Vec<(&'a str, Vec<usize>)>;

/// The key of a chosen pair of BMP characters in [`chosen_words`]'s set (never 0).
pub fn chosen_key(a: u32, b: u32) -> Option<u64> {
    Some((((fast_index(a)? + 1) << 16) | (fast_index(b)? + 1)) as u64)
}

/// Writes which changing words chose each pair (`target_chosen_NAME.bin`,
/// `target_chosen_words_NAME.bin`), so that the run-time can tell whether one occurs where a
/// chosen pair does (`Fast::changes_at`): about half of the chosen pairs met in text belong
/// to no changing word there (会在 of 才会在, 的一 of 的一塌糊涂), and a window around them
/// would only give the characters' own outputs. The set: a power of two of `u64` slots, at
/// most two thirds used, 0 for an empty slot; a pair of characters (`chosen_key`) in the high
/// 32 bits, at its hash's slot or the first free one after it, and in the low 32 bits where
/// its list starts in the words file. A list: per word and offset of the pair in it, the
/// word's length in bytes, the offset, and its bytes; then a 0. Pairs with a character
/// outside the BMP have no key (the run-time takes them to change).
fn chosen_words(name: &str, words_of: &BTreeMap<u64, ChosenWords>, out: &Path) {
    let keyed: Vec<(u64, &ChosenWords)> = words_of
        .iter()
        .filter_map(|(&k, w)| Some((chosen_key((k >> 32) as u32, k as u32)?, w)))
        .collect();
    let len = (keyed.len() * 3 / 2).max(2).next_power_of_two();
    let mut set = vec![0u64; len];
    let mut bytes = Vec::new();
    for (key, words) in keyed {
        set_insert(&mut set, key, (key << 32) | bytes.len() as u64);
        for (word, offsets) in words {
            for &at in offsets {
                bytes.push(u8::try_from(word.len()).expect("word of under 256 bytes"));
                bytes.push(at as u8);
                bytes.extend_from_slice(word.as_bytes());
            }
        }
        bytes.push(0);
    }
    assert!(bytes.len() < u32::MAX as usize);
    write_u64s(&out.join(format!("target_chosen_{name}.bin")), &set);
    write_bytes(&out.join(format!("target_chosen_words_{name}.bin")), &bytes);
}

/// What [`fast`] wrote, for [`both`].
struct FastTables {
    bits: [u32; 3],
    outs: Vec<u16>,
    /// Flags with the regional triggers after the Traditional lexicon, after the Simplified one.
    flags: [Vec<u8>; 2],
    /// The chosen pairs.
    trig: BTreeSet<u64>,
}

/// Buckets of the chosen-pair signatures (`BOTH_*` in the generated code): a character that
/// is the second of some chosen pair has a bucket below `SIG_BUCKETS`; a character that is the
/// first of some has the mask of its seconds' buckets.
pub const SIG_BUCKETS: u32 = 15;

/// Each second character's bucket, each first character's mask (see [`signature`]).
type Signature = (HashMap<u32, u8>, HashMap<u32, u16>);

/// The weights of pairs of text for [`signature`], from the character model: the unigrams'
/// and the in-word bigrams' shares of their totals.
struct PairWeights {
    uni: HashMap<u32, f64>,
    bi: Vec<(u32, u32, f64)>,
}

impl PairWeights {
    fn new(model: &crate::charmodel::Counts) -> PairWeights {
        let uni_total: f64 = model.uni.iter().map(|u| u.1).sum();
        let bi_total: f64 = model.bi.iter().map(|b| b.2).sum();
        PairWeights {
            uni: model
                .uni
                .iter()
                .map(|&(c, n)| (c as u32, n / uni_total))
                .collect(),
            bi: model
                .bi
                .iter()
                .map(|&(a, c, n)| (a as u32, c as u32, n / bi_total))
                .collect(),
        }
    }
}

/// The chosen-pair signature of `trig` (see [`both`]): each second character's bucket, and
/// each first character's mask of its seconds' buckets. The buckets are chosen so that pairs
/// of text (estimated from the character model's in-word bigrams, plus the product of the
/// unigrams for pairs across words) pass the signature as seldom as may be: greedy moves of one
/// second at a time to its cheapest bucket, most frequent first, three rounds.
fn signature(trig: &BTreeSet<u64>, weights: &PairWeights) -> Signature {
    const B: usize = SIG_BUCKETS as usize;
    let u = |c: u32| weights.uni.get(&c).copied().unwrap_or(0.0);
    let mut firsts_of: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &k in trig {
        firsts_of
            .entry(k as u32)
            .or_default()
            .push((k >> 32) as u32);
    }
    // In-word weight of each pair (a, c) whose c is a second.
    let mut by_second: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
    for &(a, c, n) in &weights.bi {
        if firsts_of.contains_key(&c) {
            by_second.entry(c).or_default().push((a, n));
        }
    }
    let mut bucket: HashMap<u32, usize> = firsts_of.keys().map(|&c| (c, c as usize % B)).collect();
    // Per first character: how many of its seconds are in each bucket; the in-word weight of
    // its pairs with the seconds of each bucket. Per bucket: the unigram weight of its seconds,
    // and of the first characters whose masks have it.
    let mut count: HashMap<u32, [u32; B]> = HashMap::new();
    let mut inword: HashMap<u32, [f64; B]> = HashMap::new();
    let (mut seconds_u, mut firsts_u) = ([0.0f64; B], [0.0f64; B]);
    for (&c, firsts) in &firsts_of {
        let k = bucket[&c];
        seconds_u[k] += u(c);
        for &a in firsts {
            let n = &mut count.entry(a).or_insert([0; B])[k];
            if *n == 0 {
                firsts_u[k] += u(a);
            }
            *n += 1;
        }
    }
    for (&c, pairs) in &by_second {
        for &(a, n) in pairs {
            inword.entry(a).or_insert([0.0; B])[bucket[&c]] += n;
        }
    }
    let mut order: Vec<u32> = firsts_of.keys().copied().collect();
    order.sort_by(|&a, &b| u(b).total_cmp(&u(a)).then(a.cmp(&b)));
    let none = Vec::new();
    for _ in 0..3 {
        for &c in &order {
            let (firsts, pairs) = (&firsts_of[&c], by_second.get(&c).unwrap_or(&none));
            let k0 = bucket[&c];
            seconds_u[k0] -= u(c);
            for &a in firsts {
                let n = &mut count.get_mut(&a).expect("first")[k0];
                *n -= 1;
                if *n == 0 {
                    firsts_u[k0] -= u(a);
                }
            }
            for &(a, n) in pairs {
                inword.get_mut(&a).expect("pair")[k0] -= n;
            }
            let cost = |k: usize| {
                let mut cost = u(c) * firsts_u[k];
                for &(a, n) in pairs {
                    if count.get(&a).is_some_and(|n| n[k] > 0) {
                        cost += n;
                    }
                }
                for &a in firsts {
                    if count[&a][k] == 0 {
                        cost += inword.get(&a).map_or(0.0, |w| w[k]) + u(a) * seconds_u[k];
                    }
                }
                cost
            };
            let k = (0..B)
                .map(|k| (cost(k), k))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .expect("buckets")
                .1;
            bucket.insert(c, k);
            seconds_u[k] += u(c);
            for &a in firsts {
                let n = &mut count.get_mut(&a).expect("first")[k];
                if *n == 0 {
                    firsts_u[k] += u(a);
                }
                *n += 1;
            }
            for &(a, n) in pairs {
                inword.entry(a).or_insert([0.0; B])[k] += n;
            }
        }
    }
    let mut masks: HashMap<u32, u16> = HashMap::new();
    for &k in trig {
        *masks.entry((k >> 32) as u32).or_default() |= 1 << bucket[&(k as u32)];
    }
    assert!(masks.values().all(|&m| m >> SIG_BUCKETS == 0));
    let buckets = bucket.into_iter().map(|(c, k)| (c, k as u8)).collect();
    (buckets, masks)
}

/// Writes the table of the two passes of a regional target taken together
/// (`target_fast_both_NAME.bin`, one `u64` per Han code point of the BMP; the bit positions
/// are the `BOTH_*` constants):
/// - the character the first pass (the Simplified lexicon) writes for it (bits 0..16; 0 when
///   it is not a Han character);
/// - the Traditional lexicon's flags (after the Simplified lexicon) for that character (bits
///   16..24; `HARD` when it is not a Han character of the table, or the first pass cannot
///   write it alone);
/// - whether the first pass needs more than the character's own output (`BOTH_HARD`);
/// - the chosen-pair signatures of both passes ([`signature`]): whether the character is the
///   second of a chosen pair of the first pass (`BOTH_SECOND`), its bucket there, the bucket
///   of the character the first pass writes as the second of a chosen pair of the second pass
///   (whose flags say whether it is one), and the masks of the buckets that follow each as the
///   first of a chosen pair. A pair of characters can be chosen only where the first's mask has
///   the second's bucket, which is much rarer than both flags (about 10% of the pairs of text
///   instead of 84% in the first pass, 20% instead of 76% in the second).
///
/// Characters that exist only in Traditional (`class` 2) are hard in the first pass, so that
/// the table's loop leaves them to the first pass and a run it takes whole is known to have
/// none (`TargetConverter::convert_simplified`).
fn both(
    name: &str,
    first: &FastTables,
    second: &FastTables,
    signatures: [&Signature; 2],
    class: &BTreeMap<u32, u8>,
    out: &Path,
) {
    let mut table = vec![0u64; FAST_LEN];
    for cp in (0x3400..=0x9FFF).chain(0xF900..=0xFAFF) {
        let i = fast_index(cp).unwrap();
        let f = first.flags[0][i];
        if f & FAST_NOT_HAN != 0 {
            continue;
        }
        let traditional_only = class.get(&cp) == Some(&2);
        let s = if f & FAST_MAPPED != 0 {
            first.outs[i] as u32
        } else {
            cp
        };
        assert!(s != 0 && s < 0x10000);
        let g = match fast_index(s) {
            _ if f & FAST_HARD != 0 => FAST_HARD,
            Some(k) if second.flags[1][k] & FAST_NOT_HAN == 0 => second.flags[1][k],
            _ => FAST_HARD,
        };
        let hard = f & FAST_HARD != 0 || traditional_only;
        let [(b1, m1), (b2, m2)] = signatures;
        let k1 = b1.get(&cp).copied();
        let k2 = b2.get(&s).copied().unwrap_or(0);
        assert_eq!(k1.is_some(), f & FAST_TRIG_SECOND != 0);
        assert_eq!(m1.contains_key(&cp), f & FAST_TRIG != 0);
        table[i] = s as u64
            | (g as u64) << BOTH_G
            | (hard as u64) << BOTH_HARD
            | (k1.is_some() as u64) << BOTH_SECOND
            | (k1.unwrap_or(0) as u64) << BOTH_K1
            | (k2 as u64) << BOTH_K2
            | (m1.get(&cp).copied().unwrap_or(0) as u64) << BOTH_M1
            | (m2.get(&s).copied().unwrap_or(0) as u64) << BOTH_M2;
    }
    write_u64s(&out.join(format!("target_fast_both_{name}.bin")), &table);
}

/// Bit positions of the table of [`both`].
pub const BOTH_G: u32 = 16;
pub const BOTH_HARD: u32 = 24;
pub const BOTH_SECOND: u32 = 25;
pub const BOTH_K1: u32 = 26;
pub const BOTH_K2: u32 = 30;
pub const BOTH_M1: u32 = 34;
pub const BOTH_M2: u32 = 49;
const _: () = assert!(SIG_BUCKETS <= 15 && BOTH_M2 + SIG_BUCKETS <= 64);
