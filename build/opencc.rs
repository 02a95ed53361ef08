//! Compiles OpenCC's dictionaries and configs into flat longest-match tables.
//!
//! OpenCC 1.4 semantics, reduced to data:
//! - a `text` dictionary is a longest-prefix-match map (first value of each entry);
//! - a `union` group is the longest match over all members (the first member wins a tie), which
//!   is again a longest-match map: the union of the members, first value kept;
//! - a `short_circuit` group takes the first member that matches any prefix. That too is a
//!   longest-match map once a later member's key is dropped whenever an earlier member has a key
//!   that is a prefix of it (or equal): such a key can never be chosen.
//!
//! A config then becomes: a normalization map, an optional segmentation map `S` and a chain of
//! maps `D1..Dn`. With segmentation, each phrase of `S` always converts to the same text, so its
//! chain output is computed here and stored as the value of `S`; only the unmatched runs between
//! phrases go through the chain at run time, and in a run no key of `S` can match, so `D1` keys
//! that start with a key of `S` are dropped too.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use crate::hash::{pair_bits, sig3_bit, INLINE_DELTA};
use crate::util::{write_bytes, write_u16s, write_u32s, write_u64s};

/// The configs, in the order `Config` lists them.
const CONFIGS: [&str; 16] = [
    "s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s", "s2hkp", "hk2sp", "t2tw",
    "tw2t", "t2hk", "hk2t", "t2jp", "jp2t",
];

pub const PHRASE: u32 = 1 << 31;
pub const NORM: u32 = 1 << 30;
/// The character's value is in the single-value pool (it differs in length from the
/// character); without it, the entry's low 24 bits are the XOR of value and character.
pub const LONG: u32 = 1 << 29;
/// Fused tables only: the character is a single-character key of the segmentation dictionary,
/// so it is a segment of its own (its value is the chain's output for it).
pub const SEG: u32 = 1 << 28;
/// Fused tables only: the chain cannot convert this character on its own, because a chain
/// phrase may start at it (or at what an earlier stage makes of it). Its value, if any, is the
/// chain's output for the character alone.
pub const UNSAFE: u32 = 1 << 27;
/// Fused tables only: the character occurs in some key of the chain. Characters without it
/// are barriers: no chain stage can match across them.
pub const INKEY: u32 = 1 << 26;
/// Plain tables with sparse phrase checks only: some key of two or more characters whose value
/// is not what converting it character by character gives has this character at a place where
/// the two differ (or, if the key's value is not aligned with it character for character, as
/// its first character). Output differs from the character-by-character conversion only inside
/// a segment that is such a key, at a character with `DIFF` or in a key that starts with one
/// (see `sparse_filters`).
pub const DIFF: u32 = 1 << 25;

pub type Map = BTreeMap<String, String>;

/// An OpenCC text dictionary in file order: (key, first value), the first line of a duplicate
/// key winning.
pub fn load_entries(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut seen = std::collections::HashSet::new();
    let mut entries = Vec::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, values) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{}: bad line {line:?}", path.display()));
        let first = values.split(' ').next().unwrap_or_default();
        if seen.insert(key) {
            entries.push((key.to_string(), first.to_string()));
        }
    }
    entries
}

/// The same as a map.
pub fn load_text(path: &Path) -> Map {
    load_entries(path).into_iter().collect()
}

/// Whether `contains` holds for `key` or one of its prefixes.
pub fn has_prefix_in(key: &str, contains: impl Fn(&str) -> bool) -> bool {
    key.char_indices()
        .map(|(i, c)| &key[..i + c.len_utf8()])
        .any(contains)
}

struct Loader<'a> {
    dict_dir: &'a Path,
    files: HashMap<String, Map>,
}

impl Loader<'_> {
    fn flatten(&mut self, spec: &serde_json::Value) -> Map {
        let kind = spec["type"].as_str().expect("dict type");
        if kind != "group" {
            let file = spec["file"].as_str().expect("dict file").to_string();
            let dir = self.dict_dir;
            return self
                .files
                .entry(file.clone())
                .or_insert_with(|| load_text(&dir.join(&file)))
                .clone();
        }
        let members: Vec<Map> = spec["dicts"]
            .as_array()
            .expect("group dicts")
            .iter()
            .map(|m| self.flatten(m))
            .collect();
        let policy = spec["match_policy"].as_str().unwrap_or("short_circuit");
        let mut merged = Map::new();
        for member in members {
            let additions: Vec<(String, String)> = member
                .into_iter()
                .filter(|(k, _)| match policy {
                    "union" => !merged.contains_key(k),
                    "short_circuit" => !has_prefix_in(k, |p| merged.contains_key(p)),
                    other => panic!("unknown match_policy {other}"),
                })
                .collect();
            merged.extend(additions);
        }
        merged
    }
}

fn max_chars(map: &Map) -> usize {
    map.keys().map(|k| k.chars().count()).max().unwrap_or(1)
}

/// OpenCC's `Conversion::Convert`: greedy longest match, unmatched characters copied.
/// `lookup` answers for a key; `longest` is the longest key in characters.
pub fn greedy<'a>(
    lookup: impl Fn(&str) -> Option<&'a String>,
    longest: usize,
    text: &str,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut key = String::new();
    let mut i = 0;
    while i < chars.len() {
        let found = (1..=longest.min(chars.len() - i)).rev().find_map(|len| {
            key.clear();
            key.extend(&chars[i..i + len]);
            lookup(&key).map(|value| (len, value))
        });
        match found {
            Some((len, value)) => {
                out.push_str(value);
                i += len;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// The run-time shape of one flattened map.
struct Table {
    map: Map,
    /// Keep single-character entries that map to themselves (they end segments).
    keep_identity: bool,
    /// Mark CJK compatibility ideographs so the engine knows to normalize first.
    norm_flags: bool,
    /// Fused tables: the map's single-character keys are marked `SEG`, and `extra` adds
    /// per-character flags and values for characters that are not keys of the map.
    fused: bool,
    extra: BTreeMap<u32, (u32, Option<String>)>,
    /// More keys whose leading ASCII bytes count for `ascii_window` (the chain's, for fused
    /// tables: an `UNSAFE` ASCII character matters only that close to non-ASCII text).
    window_keys: Vec<String>,
    /// Fused tables of composed chains: the composed phrases, whose bigrams join the double
    /// array (with `PAIR_COMPOSED`, and no candidates of their own), so that the engine knows
    /// where none can start without a look at the composed table. Their third characters join
    /// the slot's signature; where the bigram is a composed phrase and no segmentation phrase,
    /// its value is inline (see `emit_new`).
    composed: Map,
}

impl Table {
    fn plain(map: Map, keep_identity: bool, norm_flags: bool) -> Table {
        Table {
            map,
            keep_identity,
            norm_flags,
            fused: false,
            extra: BTreeMap::new(),
            window_keys: Vec::new(),
            composed: Map::new(),
        }
    }
}

/// The chain as one longest-match map over source text, when every stage but the last maps
/// single characters to single characters: then stage `n` sees the text character for
/// character, so its phrases can be pulled back through the earlier stages (every source string
/// whose image is the phrase), and a run converts by one greedy pass over the pulled-back
/// phrases instead of a pass per stage. Returns only the phrases (the fused table holds the
/// single characters), or `None` when the chain has another shape or the phrases would be
/// too many.
fn compose(stages: &[Map]) -> Option<Map> {
    let (last, earlier) = stages.split_last()?;
    let mut image: BTreeMap<char, char> = BTreeMap::new();
    for map in earlier {
        for (key, value) in map {
            let mut k = key.chars();
            let mut v = value.chars();
            let (Some(kc), None, Some(_), None) = (k.next(), k.next(), v.next(), v.next()) else {
                return None;
            };
            image.entry(kc).or_insert(kc);
        }
    }
    for c in image.clone().keys() {
        let out = earlier.iter().fold(*c, |d, map| {
            map.get(d.to_string().as_str())
                .and_then(|v| v.chars().next())
                .unwrap_or(d)
        });
        image.insert(*c, out);
    }
    let mut preimage: BTreeMap<char, Vec<char>> = BTreeMap::new();
    for (&c, &d) in &image {
        preimage.entry(d).or_default().push(c);
    }
    let pre = |k: char| -> Vec<char> {
        let mut v = preimage.get(&k).cloned().unwrap_or_default();
        if !image.contains_key(&k) {
            v.push(k);
        }
        v
    };
    let mut phrases = Map::new();
    for (key, value) in last {
        if key.chars().count() < 2 {
            continue;
        }
        let mut sources: Vec<String> = vec![String::new()];
        for k in key.chars() {
            let options = pre(k);
            sources = sources
                .iter()
                .flat_map(|s| options.iter().map(move |&c| format!("{s}{c}")))
                .collect();
            if sources.len() > 4096 {
                return None;
            }
        }
        for source in sources {
            phrases.insert(source, value.clone());
        }
        if phrases.len() > 200_000 {
            return None;
        }
    }
    Some(phrases)
}

/// The composed phrases that the engine can ever choose. It never chooses one with a
/// segmentation phrase inside it, from its second character on: the segmentation match ends
/// the run there, and `composed_match` takes the longest phrase before it. Such phrases only
/// cost look-ups and signature bits (s2twp has 274 of 2,576).
fn live_phrases(composed: Map, seg: &Map) -> Map {
    composed
        .into_iter()
        .filter(|(key, _)| {
            !key.char_indices()
                .skip(1)
                .any(|(at, _)| has_prefix_in(&key[at..], |p| seg.contains_key(p)))
        })
        .collect()
}

/// The fused first table of a segmented config: the segmentation phrases with their chain
/// output, plus, for every other character the chain knows, either its chain output (when the
/// chain converts it on its own) or the `UNSAFE` flag (when a chain phrase may start there).
/// The engine then converts a run character by character until it meets an unsafe one.
fn fused_table(seg_phrases: Map, stages: &[Map]) -> Table {
    let starts: Vec<BTreeSet<char>> = stages
        .iter()
        .map(|m| {
            m.keys()
                .filter(|k| k.chars().count() > 1)
                .filter_map(|k| k.chars().next())
                .collect()
        })
        .collect();
    let longest: Vec<usize> = stages.iter().map(max_chars).collect();
    let mut extra: BTreeMap<u32, (u32, Option<String>)> = BTreeMap::new();
    for map in stages {
        for c in map.keys().flat_map(|k| k.chars()) {
            extra.entry(c as u32).or_insert((INKEY, None));
        }
    }
    let firsts: BTreeSet<char> = stages
        .iter()
        .flat_map(|m| m.keys().filter_map(|k| k.chars().next()))
        .collect();
    for c in firsts {
        if seg_phrases.contains_key(c.to_string().as_str()) {
            continue;
        }
        let mut safe = !starts[0].contains(&c);
        let mut out = stages[0]
            .get(c.to_string().as_str())
            .cloned()
            .unwrap_or_else(|| c.to_string());
        for (map, starts) in stages[1..].iter().zip(&starts[1..]) {
            if !safe {
                break;
            }
            if out.chars().any(|d| starts.contains(&d)) {
                safe = false;
                break;
            }
            out = out
                .chars()
                .map(|d| {
                    map.get(d.to_string().as_str())
                        .cloned()
                        .unwrap_or_else(|| d.to_string())
                })
                .collect();
        }
        let mut flags = INKEY;
        if !safe {
            flags |= UNSAFE;
            // The chain's output for the character alone, for a run of just this character.
            out = stages
                .iter()
                .zip(&longest)
                .fold(c.to_string(), |t, (m, &l)| greedy(|k| m.get(k), l, &t));
        }
        let value = (out != c.to_string()).then_some(out);
        extra.insert(c as u32, (flags, value));
    }
    let window_keys = stages.iter().flat_map(|m| m.keys().cloned()).collect();
    Table {
        map: seg_phrases,
        keep_identity: true,
        norm_flags: true,
        fused: true,
        extra,
        window_keys,
        composed: Map::new(),
    }
}

/// Code points the character tables cover (every key character of OpenCC 1.4.2 is below;
/// the build checks it). Higher code points have no entry.
pub const TABLE_LIMIT: u32 = 0x4_0000;
/// A table's first level: one page number per 64 code points.
pub const LEVEL1_LEN: usize = (TABLE_LIMIT >> 6) as usize;
/// A table's first level for three-byte characters.
pub const LEVEL3_LEN: usize = 0x4000;

#[derive(Default)]
struct Emitter {
    /// `LEVEL1_LEN` page numbers per table.
    level1: Vec<u16>,
    /// `LEVEL3_LEN` page numbers per table: `level1` for three-byte characters, indexed by
    /// bits of their UTF-8 bytes.
    level3: Vec<u16>,
    /// Pages of 64 entries, shared between tables; page 0 is all zeros (characters no table
    /// knows).
    pages: Vec<u64>,
    page_ids: HashMap<Vec<u64>, u16>,
    /// Double arrays of the tables' phrase bigrams, three parallel arrays with one slot per
    /// bigram. Each table's arrays have a power-of-two length that covers `base + code` for
    /// all its entries.
    ///
    /// `checks`: the base of the bigram's first character (`EMPTY_CHECK`: no bigram; bases
    /// are never 0, the base of characters that start no phrase, nor 0xFFFF).
    checks: Vec<u16>,
    /// `pairs`: with `PAIR_INLINE`, the XOR of the bigram with its value (both two three-byte
    /// characters) in bits 0..48; in the `SIG_WAYS` bits of `SIG_POS` a signature of the third
    /// characters of its longer keys (`sig3_bit`, three-byte third characters only); `PAIR_*`
    /// flags.
    pairs: Vec<u64>,
    /// `payloads`: `cand_start << 12 | count`, the bigram's keys in `cands`, longest first.
    payloads: Vec<u32>,
    /// Two words per candidate: the up to 8 key bytes after the bigram (zero-padded), then
    /// `value_at | key_at << 22 | key_len << 44 | value_len << 52` in the string pool.
    cands: Vec<u64>,
    /// Bloom filters over character pairs for plain tables with sparse phrase checks (see
    /// `sparse_filters`), `1 << bits` bits each.
    filters: Vec<u64>,
    /// Values of single characters that differ in byte length from the character: a length
    /// byte, then the value.
    single: Vec<u8>,
    single_ids: HashMap<String, u32>,
    strings: String,
    string_ids: HashMap<String, u32>,
    /// Tables already emitted, so configs that share one share its bytes.
    emitted: HashMap<String, String>,
}

/// What a longer key's third character sets in its bigram's `pairs` word: its signature bit,
/// or `PAIR_OTHER3` when it is not a three-byte character.
fn third_bits(third: char) -> u64 {
    if third.len_utf8() != 3 {
        return PAIR_OTHER3;
    }
    let mut bytes = [0u8; 4];
    third.encode_utf8(&mut bytes);
    1 << sig3_bit(u32::from_le_bytes(bytes))
}

/// The XOR of a bigram with its value, both two three-byte characters, as the low 48 bits of
/// a word (`None` for other lengths). The XOR sets only bits of `INLINE_DELTA` (the UTF-8 length
/// bits of the six bytes are the same on both sides), so the signature has the others too.
fn xor_delta(key: &str, value: &str) -> Option<u64> {
    let three = |s: &str| s.chars().count() == 2 && s.chars().all(|c| c.len_utf8() == 3);
    if !three(key) || !three(value) {
        return None;
    }
    let delta = key
        .bytes()
        .zip(value.bytes())
        .enumerate()
        .fold(0u64, |d, (k, (a, b))| d | ((a ^ b) as u64) << (8 * k));
    assert_eq!(delta & !INLINE_DELTA, 0, "UTF-8 length bits differ");
    Some(delta)
}

/// A double-array slot no bigram uses: its check matches no base.
const EMPTY_CHECK: u16 = 0xFFFF;
/// The bigram itself is a key.
const PAIR_KEY2: u64 = 1 << 60;
/// ... and its value, of six bytes like the bigram, is inline.
const PAIR_INLINE: u64 = 1 << 61;
/// Some longer key has a third character of another length than three bytes.
const PAIR_OTHER3: u64 = 1 << 62;
/// Some composed phrase starts with the bigram.
const PAIR_COMPOSED: u64 = 1 << 63;
/// The bigram is a composed phrase.
const PAIR_CKEY2: u64 = 1 << 59;

/// What a plain table needs for sparse phrase checks.
struct Sparse {
    /// Characters with `DIFF`.
    diff: BTreeSet<char>,
    /// Adjacent pairs of characters in keys whose value differs from their character-by-character
    /// conversion, where one of the two is at a place where they differ: a `DIFF` character
    /// none of whose two pairs is here converts as it does alone, whatever the segmentation.
    differing_pairs: BTreeSet<(u32, u32)>,
    /// All adjacent pairs of characters inside keys: where a pair is not here, no key spans
    /// it, so a segment ends between the two (in every segmentation).
    inner_pairs: BTreeSet<(u32, u32)>,
}

/// Sparse phrase checks for a plain longest-match table. Most keys of two or more characters
/// (40,000 of s2t's 49,800) convert to what their characters give one by one: they matter only
/// for where the next match starts. So the engine converts a stretch character by character
/// and looks at the segmentation only around a `DIFF` character with a pair in
/// `differing_pairs`: from the last place before it where no key spans the pair of characters
/// there (or the stretch's start), greedy matching gives the segment that covers it. The block
/// path leaves `DIFF` characters other than three-byte ones to the general path (two-byte ones
/// have an entry then, four-byte ones always stop it), which finds the segment covering them
/// the same way. A key whose value is not aligned with it character for character gets `DIFF`
/// on its first character only: a segment that covers any of its characters starts there.
/// `None` when the engine could not use the filters: a value of its key's byte length that is
/// not aligned with it, or an ASCII `DIFF` character after a non-ASCII one in a key.
fn sparse_filters(map: &Map) -> Option<Sparse> {
    let single = |c: char| -> String {
        let mut buf = [0u8; 4];
        map.get(c.encode_utf8(&mut buf) as &str)
            .cloned()
            .unwrap_or_else(|| c.to_string())
    };
    let mut sparse = Sparse {
        diff: BTreeSet::new(),
        differing_pairs: BTreeSet::new(),
        inner_pairs: BTreeSet::new(),
    };
    for (key, value) in map {
        let chars: Vec<char> = key.chars().collect();
        if chars.len() < 2 {
            continue;
        }
        for pair in chars.windows(2) {
            sparse.inner_pairs.insert((pair[0] as u32, pair[1] as u32));
        }
        let values: Vec<char> = value.chars().collect();
        // A value of the key's byte length must be aligned with it, character for character
        // (the engine writes parts of it over parts of the key).
        let same_widths = values.len() == chars.len()
            && chars
                .iter()
                .zip(&values)
                .all(|(k, v)| k.len_utf8() == v.len_utf8());
        if value.len() == key.len() && !same_widths {
            return None;
        }
        let singles: Vec<String> = chars.iter().map(|&c| single(c)).collect();
        if singles.concat() == *value {
            continue;
        }
        let aligned = same_widths && singles.iter().all(|s| s.chars().count() == 1);
        let differs: Vec<bool> = (0..chars.len())
            .map(|i| {
                if aligned {
                    values[i].to_string() != singles[i]
                } else {
                    i == 0
                }
            })
            .collect();
        for (i, &c) in chars.iter().enumerate() {
            if differs[i] {
                // The block path copies ASCII bytes as they are, so an ASCII character may
                // have `DIFF` only in a key's leading ASCII (the block path ends where such a
                // key may start).
                if c.is_ascii() && !chars[..i].iter().all(char::is_ascii) {
                    return None;
                }
                sparse.diff.insert(c);
            }
        }
        for i in 0..chars.len() - 1 {
            if differs[i] || differs[i + 1] {
                sparse
                    .differing_pairs
                    .insert((chars[i] as u32, chars[i + 1] as u32));
            }
        }
    }
    Some(sparse)
}

/// The first and second characters of a bigram.
type Bigram = (u32, u32);

impl Emitter {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.string_ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push_str(s);
        self.string_ids.insert(s.to_string(), id);
        id
    }

    /// The entry bits for `c` converting to `value` on its own: the XOR of the two encodings
    /// when they have the same length (up to three bytes), else `LONG` and the value's place in
    /// the single-value pool.
    fn value_bits(&mut self, c: char, value: &str) -> u64 {
        let mut key = [0u8; 4];
        let key = c.encode_utf8(&mut key).as_bytes();
        if value.len() == key.len() && key.len() <= 3 {
            return key
                .iter()
                .zip(value.as_bytes())
                .enumerate()
                .fold(0u64, |d, (k, (a, b))| d | ((a ^ b) as u64) << (8 * k));
        }
        let offset = match self.single_ids.get(value) {
            Some(&offset) => offset,
            None => {
                let offset = self.single.len() as u32;
                assert!(value.len() < 256, "single value too long");
                self.single.push(value.len() as u8);
                self.single.extend_from_slice(value.as_bytes());
                self.single_ids.insert(value.to_string(), offset);
                offset
            }
        };
        assert!(offset < 1 << 24, "single-value pool too large");
        LONG as u64 | offset as u64
    }

    /// Appends a Bloom filter of `pairs` (two bits set per pair, at least `bits_per_pair` bits
    /// per pair) and returns its start (in words) and its size as a power of two (in bits).
    fn filter(&mut self, pairs: &BTreeSet<(u32, u32)>, bits_per_pair: usize) -> (usize, u32) {
        let bits = (pairs.len() * bits_per_pair)
            .next_power_of_two()
            .max(1 << 10)
            .trailing_zeros();
        assert!(bits <= 30, "pair filter too large");
        let start = self.filters.len();
        self.filters.resize(start + (1 << bits) / 64, 0);
        for &(a, b) in pairs {
            for bit in pair_bits(a, b, bits) {
                self.filters[start + bit / 64] |= 1 << (bit % 64);
            }
        }
        (start, bits)
    }

    fn emit(&mut self, table: &Table, norm_keys: &BTreeSet<char>) -> String {
        let id = format!(
            "{:?}",
            (
                &table.map,
                table.keep_identity,
                table.norm_flags,
                table.fused,
                &table.extra,
                &table.window_keys,
                &table.composed,
            )
        );
        if let Some(desc) = self.emitted.get(&id) {
            return desc.clone();
        }
        let desc = self.emit_new(table, norm_keys);
        self.emitted.insert(id, desc.clone());
        desc
    }

    fn emit_new(&mut self, table: &Table, norm_keys: &BTreeSet<char>) -> String {
        let mut entries: BTreeMap<u32, u64> = BTreeMap::new();
        let mut bigrams: BTreeMap<Bigram, Vec<(&str, &str)>> = BTreeMap::new();
        for (key, value) in &table.map {
            let mut chars = key.chars();
            let first = chars.next().expect("empty key");
            assert!(
                (first as u32) < TABLE_LIMIT,
                "key character beyond the tables"
            );
            match chars.next() {
                None => {
                    if value == key && !table.keep_identity {
                        continue;
                    }
                    let seg = if table.fused { SEG as u64 } else { 0 };
                    let bits = self.value_bits(first, value);
                    *entries.entry(first as u32).or_default() |= bits | seg;
                }
                Some(second) => {
                    assert!(
                        (second as u32) < TABLE_LIMIT,
                        "key character beyond the tables"
                    );
                    *entries.entry(first as u32).or_default() |= PHRASE as u64;
                    bigrams
                        .entry((first as u32, second as u32))
                        .or_default()
                        .push((key, value));
                }
            }
        }
        for (&cp, (flags, value)) in &table.extra {
            assert!(cp < TABLE_LIMIT, "key character beyond the tables");
            let entry = entries.get(&cp).copied().unwrap_or_default();
            if entry & SEG as u64 != 0 {
                continue;
            }
            let mut bits = entry | *flags as u64;
            if let Some(value) = value {
                bits |= self.value_bits(char::from_u32(cp).expect("char"), value);
            }
            entries.insert(cp, bits);
        }
        if table.norm_flags {
            for &c in norm_keys {
                *entries.entry(c as u32).or_default() |= NORM as u64;
            }
        }
        // How far before a non-ASCII character a key starting with ASCII can start: the engine
        // looks at no other ASCII byte. Keys made of ASCII alone would need every byte looked
        // at (`usize::MAX`); OpenCC 1.4.2 has none. The chain's keys count too for fused tables.
        let mut ascii_window = 0usize;
        let chain_keys = table.window_keys.iter();
        for key in table.map.keys().chain(chain_keys) {
            let lead = key.bytes().take_while(|b| b.is_ascii()).count();
            if lead == key.len() && lead > 0 {
                ascii_window = usize::MAX;
            } else {
                ascii_window = ascii_window.max(lead);
            }
        }
        // ASCII bytes the engine must stop at (an `INKEY` flag alone does not need a look).
        let mut ascii: u128 = 0;
        for (&cp, &entry) in &entries {
            let stop = (PHRASE | LONG | UNSAFE | NORM) as u64 | 0xFF_FFFF;
            if cp < 128 && entry & stop != 0 {
                ascii |= 1 << cp;
            }
        }

        // Whether a key has a three-byte first character and an ASCII second one (the engine's
        // block path assumes not; OpenCC 1.4.2 has none).
        let ascii_second = bigrams
            .keys()
            .any(|&(first, second)| (0x800..0x10000).contains(&first) && second < 0x80);
        let mut composed_bigrams: BTreeMap<Bigram, Vec<(&String, &String)>> = BTreeMap::new();
        for (key, value) in &table.composed {
            let mut chars = key.chars();
            if let (Some(first), Some(second)) = (chars.next(), chars.next()) {
                let bigram = (first as u32, second as u32);
                bigrams.entry(bigram).or_default();
                composed_bigrams
                    .entry(bigram)
                    .or_default()
                    .push((key, value));
            }
        }
        let bigram_count = bigrams.len();
        // Tables where the engine checks every bigram (the first pass has no branch then);
        // composed bigrams start at characters without `PHRASE`, so they need it too.
        let dense = bigram_count >= 4096 || !composed_bigrams.is_empty();
        // Plain tables only: tried on s2twp (a fused table, with its composed phrases as keys),
        // 1,110 characters had `DIFF`, and conversion was 15% slower (docs/benchmarks/convert.md).
        let sparse = if dense && !table.fused {
            sparse_filters(&table.map)
        } else {
            None
        };
        let sparse_desc = match sparse {
            Some(sparse) => {
                for &c in &sparse.diff {
                    *entries.entry(c as u32).or_default() |= DIFF as u64;
                }
                // A false positive of the first filter costs a window (32 bits per pair: about
                // 30% fewer windows than 8, s2t +4% on han-dense, +7% on the corpus); one of the
                // second only a step further back.
                let nnp = self.filter(&sparse.differing_pairs, 32);
                let sync = self.filter(&sparse.inner_pairs, 8);
                format!(
                    "Some(SparseDesc {{ differ: {}, differ_bits: {}, inner: {}, inner_bits: {} }})",
                    nnp.0, nnp.1, sync.0, sync.1
                )
            }
            None => "None".to_string(),
        };
        // Codes of second characters, the most shared first, so that the double array packs.
        let mut parents: BTreeMap<u32, usize> = BTreeMap::new();
        for &(_, second) in bigrams.keys() {
            *parents.entry(second).or_default() += 1;
        }
        let mut seconds: Vec<(u32, usize)> = parents.into_iter().collect();
        seconds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert!(seconds.len() < 1 << 16, "too many second characters");
        let mut code_of: HashMap<u32, u32> = HashMap::new();
        for (rank, &(c, _)) in seconds.iter().enumerate() {
            code_of.insert(c, rank as u32 + 1);
            *entries.entry(c).or_default() |= ((rank as u64) + 1) << 32;
        }
        // The double array: each first character gets a base such that `base + code` of each
        // of its second characters is a slot of its own, which names it (`check = base`).
        let mut children: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for &(first, second) in bigrams.keys() {
            children.entry(first).or_default().push(code_of[&second]);
        }
        let mut order: Vec<(u32, Vec<u32>)> = children.into_iter().collect();
        for (_, codes) in &mut order {
            codes.sort_unstable();
        }
        order.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
        let mut used: Vec<bool> = vec![true]; // slot 0: never a transition (bases start at 1)
        let mut base_used: Vec<bool> = vec![true];
        let mut base_of: HashMap<u32, u32> = HashMap::new();
        let mut first_free = 1usize;
        for (first, codes) in &order {
            while first_free < used.len() && used[first_free] {
                first_free += 1;
            }
            let lowest = codes[0] as usize;
            let mut slot = first_free.max(lowest + 1);
            let base = loop {
                let free = |s: usize| used.get(s).map_or(true, |u| !u);
                if free(slot) {
                    let base = slot - lowest;
                    if !base_used.get(base).copied().unwrap_or(false)
                        && codes.iter().all(|&c| free(base + c as usize))
                    {
                        break base;
                    }
                }
                slot += 1;
            };
            let end = base + *codes.last().expect("codes") as usize + 1;
            if used.len() < end {
                used.resize(end, false);
            }
            if base_used.len() <= base {
                base_used.resize(base + 1, false);
            }
            base_used[base] = true;
            for &c in codes {
                used[base + c as usize] = true;
            }
            assert!(base < 0xFFFF, "double array too large for 16-bit bases");
            base_of.insert(*first, base as u32);
            *entries.entry(*first).or_default() |= (base as u64) << 48;
        }
        let max_base = base_of.values().copied().max().unwrap_or(0) as usize;
        // A power of two, so that the engine can mask an index instead of checking it.
        let da_bits = (max_base + seconds.len() + 1)
            .next_power_of_two()
            .trailing_zeros();
        let da_start = self.checks.len();
        let da_end = da_start + (1 << da_bits);
        self.checks.resize(da_end, EMPTY_CHECK);
        self.pairs.resize(da_end, 0);
        self.payloads.resize(da_end, 0);
        for (bigram, mut phrases) in bigrams {
            phrases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
            let start = (self.cands.len() / 2) as u32;
            assert!(
                phrases.len() < 1 << 12 && start < 1 << 20,
                "bigram bucket too large"
            );
            for (key, value) in &phrases {
                let key_id = self.intern(key) as u64;
                let value_id = self.intern(value) as u64;
                assert!(key.len() < 256 && value.len() < 4096, "phrase too long");
                assert!(
                    key_id < 1 << 22 && value_id < 1 << 22,
                    "string pool too large"
                );
                let bigram_len: usize = key.chars().take(2).map(char::len_utf8).sum();
                let mut tail = [0u8; 8];
                let rest = &key.as_bytes()[bigram_len..];
                let n = rest.len().min(8);
                tail[..n].copy_from_slice(&rest[..n]);
                self.cands.push(u64::from_le_bytes(tail));
                self.cands.push(
                    value_id | key_id << 22 | (key.len() as u64) << 44 | (value.len() as u64) << 52,
                );
            }
            let mut pair = 0u64;
            for (key, value) in &phrases {
                match key.chars().nth(2) {
                    None => {
                        pair |= PAIR_KEY2;
                        if let Some(delta) = xor_delta(key, value) {
                            pair |= PAIR_INLINE | delta;
                        }
                    }
                    Some(third) => pair |= third_bits(third),
                }
            }
            if let Some(composed) = composed_bigrams.get(&bigram) {
                pair |= PAIR_COMPOSED;
                // The signature rules out the longer composed phrases too; then either the
                // bigram is a composed phrase (`PAIR_CKEY2`), or none starts here. Its value
                // is inline, unless a segmentation phrase is the bigram: the engine takes it
                // where it also knows that no phrase starts at the second character. (No
                // composed phrase has a segmentation key from its second character on, not
                // even one character alone: `live_phrases`.)
                let mut inline = None;
                for (key, value) in composed {
                    match key.chars().nth(2) {
                        None => {
                            pair |= PAIR_CKEY2;
                            inline = xor_delta(key, value);
                        }
                        Some(third) => pair |= third_bits(third),
                    }
                }
                if let (Some(delta), 0) = (inline, pair & PAIR_KEY2) {
                    pair |= PAIR_INLINE | delta;
                }
            }
            let base = base_of[&bigram.0] as usize;
            let at = da_start + base + code_of[&bigram.1] as usize;
            assert_eq!(
                self.checks[at], EMPTY_CHECK,
                "double-array slot taken twice"
            );
            self.checks[at] = base as u16;
            self.pairs[at] = pair;
            self.payloads[at] = start << 12 | phrases.len() as u32;
        }

        // Two-level character table, pages shared between all tables.
        if self.pages.is_empty() {
            self.pages = vec![0; 64];
            self.page_ids.insert(vec![0; 64], 0);
        }
        let level1_start = self.level1.len();
        for page in 0..LEVEL1_LEN as u32 {
            let mut content = vec![0u64; 64];
            for (&cp, &entry) in entries.range(page << 6..(page + 1) << 6) {
                content[(cp & 63) as usize] = entry;
            }
            let next = (self.pages.len() / 64) as u16;
            let id = *self.page_ids.entry(content.clone()).or_insert_with(|| {
                self.pages.extend_from_slice(&content);
                next
            });
            assert!(self.pages.len() / 64 < 1 << 16, "too many pages");
            self.level1.push(id);
        }
        // The same pages for three-byte characters, by the bits of their first two bytes
        // (`b0 & 0x0F | (b1 & 0x3F) << 8`), so that the engine finds a page with one mask.
        let level3_start = self.level3.len();
        self.level3.resize(level3_start + LEVEL3_LEN, 0);
        for high in 0x20..0x400usize {
            let raw = high >> 6 | (high & 0x3F) << 8;
            self.level3[level3_start + raw] = self.level1[level1_start + high];
        }
        format!(
            "DictDesc {{ level1: {level1_start}, level3: {level3_start}, da_start: {da_start}, da_bits: {da_bits}, ascii: {ascii:#x}, ascii_window: {}, ascii_second: {ascii_second}, dense: {dense}, sparse: {sparse_desc} }}",
            if ascii_window == usize::MAX { "usize::MAX".to_string() } else { ascii_window.to_string() },
        )
    }
}

pub fn build(data: &Path, out: &Path) {
    println!("cargo:rerun-if-changed={}", data.display());
    let mut loader = Loader {
        dict_dir: &data.join("dictionary"),
        files: HashMap::new(),
    };
    let mut emitter = Emitter::default();
    let mut descs: Vec<String> = Vec::new();
    let mut plans = String::new();
    let mut key_chars: BTreeSet<char> = BTreeSet::new();

    let mut norm_keys: BTreeSet<char> = BTreeSet::new();
    let mut norm_map: Option<Map> = None;
    for name in CONFIGS {
        let path = data.join("config").join(format!("{name}.json"));
        let text = std::fs::read_to_string(&path).expect("config");
        let config: serde_json::Value = serde_json::from_str(&text).expect("config json");
        let norms: Vec<Map> = config["normalization"]
            .as_array()
            .map(|a| a.iter().map(|n| loader.flatten(&n["dict"])).collect())
            .unwrap_or_default();
        assert!(
            norms.len() <= 1,
            "{name}: one normalization dictionary expected"
        );
        if let Some(n) = norms.first() {
            assert!(
                n.keys().all(|k| k.chars().count() == 1),
                "normalization maps characters"
            );
            match &norm_map {
                None => {
                    norm_keys = n.keys().filter_map(|k| k.chars().next()).collect();
                    norm_map = Some(n.clone());
                }
                Some(existing) => assert_eq!(existing, n, "one normalization table for all"),
            }
        }
        let chain: Vec<Map> = config["conversion_chain"]
            .as_array()
            .expect("conversion_chain")
            .iter()
            .map(|c| loader.flatten(&c["dict"]))
            .collect();
        let longest: Vec<usize> = chain.iter().map(max_chars).collect();
        let apply_chain = |text: &str| -> String {
            chain
                .iter()
                .zip(&longest)
                .fold(text.to_string(), |t, (m, &l)| greedy(|k| m.get(k), l, &t))
        };
        for map in chain.iter() {
            key_chars.extend(map.keys().flat_map(|k| k.chars()));
        }
        let segmentation = config
            .get("segmentation")
            .map(|s| loader.flatten(&s["dict"]));
        let title = config["name"].as_str().unwrap_or(name).to_string();
        let plan_desc = match segmentation {
            None => {
                let first = Table::plain(chain[0].clone(), false, true);
                descs.push(emitter.emit(&first, &norm_keys));
                let first_id = descs.len() - 1;
                let mut stages = Vec::new();
                for map in &chain[1..] {
                    descs.push(emitter.emit(&Table::plain(map.clone(), false, false), &norm_keys));
                    stages.push(descs.len() - 1);
                }
                format!("PlanDesc {{ name: {name:?}, title: {title:?}, first: {first_id}, segmented: false, stages: &{stages:?}, composed: None }}")
            }
            Some(seg) => {
                key_chars.extend(seg.keys().flat_map(|k| k.chars()));
                let phrases: Map = seg.keys().map(|k| (k.clone(), apply_chain(k))).collect();
                let stage_maps: Vec<Map> = chain
                    .iter()
                    .enumerate()
                    .map(|(index, map)| {
                        if index == 0 {
                            map.iter()
                                .filter(|(k, _)| !has_prefix_in(k, |p| seg.contains_key(p)))
                                .map(|(k, v)| (k.clone(), v.clone()))
                                .collect()
                        } else {
                            map.clone()
                        }
                    })
                    .collect();
                let composed_map = compose(&stage_maps).map(|m| live_phrases(m, &seg));
                let mut fused = fused_table(phrases, &stage_maps);
                if let Some(m) = &composed_map {
                    fused.composed = m.clone();
                }
                descs.push(emitter.emit(&fused, &norm_keys));
                let first_id = descs.len() - 1;
                let composed = composed_map.map(|m| {
                    descs.push(emitter.emit(&Table::plain(m, false, false), &norm_keys));
                    descs.len() - 1
                });
                let mut stages = Vec::new();
                for map in stage_maps {
                    descs.push(emitter.emit(&Table::plain(map, false, false), &norm_keys));
                    stages.push(descs.len() - 1);
                }
                format!("PlanDesc {{ name: {name:?}, title: {title:?}, first: {first_id}, segmented: true, stages: &{stages:?}, composed: {composed:?} }}")
            }
        };
        writeln!(plans, "    {plan_desc},").unwrap();
    }
    let norm = Table::plain(norm_map.expect("normalization"), false, false);
    descs.push(emitter.emit(&norm, &norm_keys));
    let norm_id = descs.len() - 1;

    // Characters that occur in no key of any table: a conversion never matches across them.
    let key_non_han: Vec<char> = key_chars.iter().copied().filter(|&c| !is_han(c)).collect();

    write_u16s(&out.join("opencc_level1.bin"), &emitter.level1);
    write_u16s(&out.join("opencc_level3.bin"), &emitter.level3);
    write_u64s(&out.join("opencc_pages.bin"), &emitter.pages);
    write_u16s(&out.join("opencc_checks.bin"), &emitter.checks);
    write_u64s(&out.join("opencc_pairs.bin"), &emitter.pairs);
    write_u32s(&out.join("opencc_payloads.bin"), &emitter.payloads);
    write_u64s(&out.join("opencc_cands.bin"), &emitter.cands);
    emitter.filters.push(0); // never empty
    write_u64s(&out.join("opencc_filters.bin"), &emitter.filters);
    // Padding, so that the engine can copy any value of up to 16 bytes with one 16-byte move.
    emitter.single.extend_from_slice(&[0; 16]);
    emitter.strings.push_str(&" ".repeat(16));
    write_bytes(&out.join("opencc_single.bin"), &emitter.single);
    write_bytes(&out.join("opencc_strings.bin"), emitter.strings.as_bytes());
    let mut rs = String::new();
    writeln!(rs, "pub const LEVEL1_LEN: usize = {LEVEL1_LEN};").unwrap();
    writeln!(rs, "pub const LEVEL3_LEN: usize = {LEVEL3_LEN};").unwrap();
    writeln!(rs, "pub const DICTS: &[DictDesc] = &[").unwrap();
    for d in &descs {
        writeln!(rs, "    {d},").unwrap();
    }
    writeln!(rs, "];\npub const NORMALIZATION: usize = {norm_id};").unwrap();
    writeln!(rs, "pub const PLANS: &[PlanDesc] = &[\n{plans}];").unwrap();
    writeln!(rs, "pub const KEY_NON_HAN: &[char] = &{key_non_han:?};").unwrap();
    write_bytes(&out.join("opencc_tables.rs"), rs.as_bytes());
}

/// Han ideographs as OpenCC's tables use them (unified, extensions, compatibility).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}
