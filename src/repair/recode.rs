//! The mechanism shared by every "bytes decoded with the wrong code page" family.
//!
//! Recipe of such damage: text was encoded as `right` (UTF-8, GBK), then the bytes were
//! decoded as `wrong` (GBK, windows-1252, Big5 ...). Undoing it means encoding the damaged
//! characters back with `wrong` and decoding the bytes with `right`.
//!
//! The work happens on *runs*: maximal stretches of characters that `wrong` can encode and
//! that contain at least one suspicious character (not ASCII, not a common Han character or
//! CJK punctuation). Inside a run, a *segment* is a stretch whose bytes decode cleanly with
//! `right`, starting and ending on character boundaries of both. Every segment is a candidate;
//! the scorer keeps it only when the decoded text is clearly more plausible than the damaged
//! one, so clean text that happens to re-encode validly (6-11% of short Chinese strings do)
//! stays as it is.
//!
//! Lossy damage is handled here too: when `wrong` met bytes it could not use (a lead byte
//! before ASCII or at the end of the text, or an unmapped pair), they became U+FFFD or `?`.
//! Such a character stands for the bytes that decoder can lose (one for GBK, one or two for
//! Big5, Shift_JIS and EUC-KR, one character for GBK read as Big5); the candidates consistent
//! with the damage are enumerated and the scorer picks among them (`docs/repair.md`, "Lost
//! bytes").

use std::collections::HashMap;

use encoding_rs::{DecoderResult, EncoderResult, Encoding};

use super::scorer::{
    self, cost, cost_in, is_cjk_punct, is_cjk_symbol, is_common, is_plain_chinese, step_cost,
};
use super::{Edit, RepairKind};

/// How the damaged text was (wrongly) decoded.
#[derive(Clone, Copy)]
pub(super) enum Wrong {
    /// A legacy multi-byte code page, through encoding_rs.
    Legacy(&'static Encoding),
    /// windows-1252 decoded sloppily: its five undefined bytes, and every byte 0x80-0x9F of a
    /// true Latin-1 decoder, show up as the C1 control of the same value.
    Windows1252,
}

/// How the bytes should have been decoded.
#[derive(Clone, Copy)]
pub(super) enum Right {
    Utf8,
    Legacy(&'static Encoding),
}

/// One family: a (wrong, right) pair and how strict the decision is.
pub(super) struct Family {
    pub kind: RepairKind,
    pub wrong: Wrong,
    pub right: Right,
    /// A byte the wrong decoder lost (U+FFFD, or `?` after the run) may be guessed back.
    pub lost_byte: bool,
    /// How many bytes one U+FFFD in the run stands for (Big5 drops unmapped pairs whole).
    pub hole_bytes: usize,
    /// The share of the damaged span's non-ASCII characters that must be uncommon.
    pub min_uncommon: f32,
    /// The decoded text must have at least this many Han characters.
    pub min_han: usize,
    /// Lines this family has repaired get a lenient second look (off for the mostly lossy
    /// families, where lone characters are too often wrong guesses).
    pub second_look: bool,
    /// Decoding may be repeated (UTF-8 read as windows-1252 twice); the kind then becomes this.
    pub repeated: Option<RepairKind>,
}

/// Every family, in the order ties are broken.
const FAMILIES: [&Family; 7] = [
    &super::utf8_as_gbk::FAMILY,
    &super::utf8_as_latin1::FAMILY,
    &super::gbk_as_latin1::FAMILY,
    &super::gbk_as_big5::FAMILY,
    &super::utf8_as_big5::FAMILY,
    &super::utf8_as_cjk::SHIFT_JIS,
    &super::utf8_as_cjk::EUC_KR,
];

/// Extra cost, in nats, a candidate must save beyond its per-character allowance.
const MARGIN: f32 = 5.0;
/// Extra saving required per damaged character.
const MARGIN_PER_CHAR: f32 = 1.0;
/// A candidate must read like language: at most this many nats per character.
const MAX_CANDIDATE_AVG: f32 = 10.5;

/// A character worth a second look.
pub(super) fn is_suspicious(c: char) -> bool {
    !c.is_ascii() && !is_common(c) && !('\u{3041}'..='\u{30FF}').contains(&c)
}

/// A letter of a Latin script (ASCII, Latin-1, Latin Extended).
fn is_latin_letter(c: char) -> bool {
    c.is_alphabetic() && c < '\u{0250}'
}

/// A CJK unified ideograph (BMP blocks).
fn is_han(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c)
}

/// A suspicious character that is evidence on its own: every one but the no-break space,
/// which web text uses for indentation (`\u{A0}\u{A0}\u{A0}`) and which damage always puts
/// next to other suspicious characters (`ä½\u{A0}`). A span is repaired on its own merits
/// only if it has two of these, so a line with fewer is clean without a closer look.
pub(super) fn is_signature(c: char) -> bool {
    c != '\u{A0}' && is_suspicious(c)
}

/// How much evidence a character is: two for what Big5 makes of GBK's `，。、：（）！—`
/// (`ㄛ﹝﹜ㄩㄗㄘㄐ〞`, which Traditional text only has in zhuyin), one for any other signature
/// character. A span is repaired on its own merits only with two, so a line with less is
/// clean without a closer look.
pub(super) fn signature_weight(c: char) -> usize {
    match c {
        _ if is_punct_read_as_big5(c) => 2,
        _ if is_signature(c) => 1,
        _ => 0,
    }
}

/// GBK's `，。、：（）！—` read as Big5.
pub(super) fn is_punct_read_as_big5(c: char) -> bool {
    matches!(c, 'ㄛ' | '﹝' | '﹜' | 'ㄩ' | 'ㄗ' | 'ㄘ' | 'ㄐ' | '〞')
}

/// Zhuyin: bopomofo and tone marks, where `ㄛ` is a letter.
fn is_zhuyin(c: char) -> bool {
    matches!(c, '\u{3105}'..='\u{312F}' | 'ˇ' | 'ˊ' | 'ˋ' | '˙')
}

/// Encodes one character the way `wrong` would have decoded it from bytes; false if it could
/// not have come out of that decoder.
pub(super) fn encode_wrong(wrong: Wrong, c: char, out: &mut Vec<u8>) -> bool {
    if c.is_ascii() {
        out.push(c as u8);
        return true;
    }
    match wrong {
        Wrong::Windows1252 => match c as u32 {
            cp @ 0x80..=0xFF => {
                out.push(cp as u8);
                true
            }
            _ => encode_legacy(encoding_rs::WINDOWS_1252, c, out),
        },
        Wrong::Legacy(encoding) => encode_legacy(encoding, c, out),
    }
}

fn encode_legacy(encoding: &'static Encoding, c: char, out: &mut Vec<u8>) -> bool {
    let Some(table) = bmp_table(encoding) else {
        return encode_with_encoder(encoding, c, out);
    };
    let code = match c as u32 {
        cp @ 0..=0xFFFF => table.bmp[cp as usize],
        cp => match table.astral.binary_search_by_key(&cp, |&(a, _)| a) {
            Ok(i) => table.astral[i].1,
            Err(_) => 0,
        },
    };
    match code {
        0 => false,
        code @ 0x80..=0xFF => {
            out.push(code as u8);
            true
        }
        code => {
            out.extend(code.to_be_bytes());
            true
        }
    }
}

/// The inverse of a legacy decoder: the bytes of every character it can produce (0 =
/// unmappable, below 0x100 = one byte, else two).
struct Table {
    /// Indexed by code point.
    bmp: Vec<u16>,
    /// Characters beyond the BMP (Big5's HKSCS rows), sorted by code point.
    astral: Vec<(u32, u16)>,
}

/// The legacy encodings a run can be encoded back to, each with a lazily built table of its
/// decoder's inverse: encoding_rs encodes one character at a time slowly, runs encode many,
/// and its Big5 encoder refuses the HKSCS characters its decoder produces (`𢬿`, `𩂰`).
fn bmp_table(encoding: &'static Encoding) -> Option<&'static Table> {
    use std::sync::OnceLock;
    static TABLES: [OnceLock<Table>; 5] = [const { OnceLock::new() }; 5];
    let known = [
        encoding_rs::GBK,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
        encoding_rs::WINDOWS_1252,
    ];
    let index = known.iter().position(|&e| e == encoding)?;
    let table = TABLES[index].get_or_init(|| build_bmp_table(encoding));
    Some(table)
}

/// Builds an encoder table by decoding every one- and two-byte sequence (fast) and asking the
/// encoder only about characters that several sequences decode to.
fn build_bmp_table(encoding: &'static Encoding) -> Table {
    let mut table = vec![0u16; 0x10000];
    let mut seen = vec![false; 0x10000];
    let mut ambiguous = Vec::new();
    let mut astral: Vec<(u32, u16)> = Vec::new();
    let singles = (0x80..=0xFFu16).map(|b| (b, vec![b as u8]));
    let pairs = (0x81..=0xFEu16).flat_map(|lead| {
        (0x40..=0xFEu16).map(move |trail| (lead << 8 | trail, vec![lead as u8, trail as u8]))
    });
    for (code, bytes) in singles.chain(pairs) {
        let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(&bytes)
        else {
            continue;
        };
        let mut chars = text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            continue;
        };
        let cp = c as usize;
        if cp >= 0x10000 {
            astral.push((c as u32, code));
            continue;
        }
        if c.is_ascii() {
            continue;
        }
        if seen[cp] {
            ambiguous.push(c);
        } else {
            seen[cp] = true;
            table[cp] = code;
        }
    }
    for c in ambiguous {
        let mut bytes = Vec::new();
        table[c as usize] = match encode_with_encoder(encoding, c, &mut bytes) {
            true if bytes.len() == 1 => u16::from(bytes[0]),
            true if bytes.len() == 2 => u16::from_be_bytes([bytes[0], bytes[1]]),
            _ => 0,
        };
    }
    astral.sort_unstable();
    astral.dedup_by_key(|a| a.0);
    Table { bmp: table, astral }
}

fn encode_with_encoder(encoding: &'static Encoding, c: char, out: &mut Vec<u8>) -> bool {
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let mut dst = [0u8; 8];
    let mut encoder = encoding.new_encoder();
    let (result, _, written) = encoder.encode_from_utf8_without_replacement(s, &mut dst, true);
    if result != EncoderResult::InputEmpty || written == 0 {
        return false;
    }
    out.extend_from_slice(&dst[..written]);
    true
}

/// Stands in the run's bytes for what the wrong decoder lost (shown as U+FFFD): one or two
/// UTF-8 bytes (Big5, Shift_JIS and EUC-KR drop an unmapped pair whole), or one legacy
/// character. 0xFF never occurs in UTF-8, nor in the output of the legacy encoders used here.
const HOLE: u8 = 0xFF;
/// Stands for exactly one lost UTF-8 byte: a `?`, or a `�` of the GBK decoder, which only ever
/// loses a lead byte before ASCII or at the end (every pair of UTF-8 bytes is mapped).
/// 0xFD never occurs in UTF-8.
const HOLE1: u8 = 0xFD;
/// Stands for `€` in a GBK run: GB18030 decoders read both `80` and `A2 E3` as `€`, so it is
/// one byte or two. 0xFE never occurs in UTF-8.
const EURO: u8 = 0xFE;

/// What surrounds a stretch being decoded, for guessing lost bytes: the characters before
/// and after it.
#[derive(Clone, Copy, Default)]
pub(super) struct Context {
    pub before: Option<char>,
    pub after: Option<char>,
    /// The code page that lost what a hole stands for, when known.
    pub wrong: Option<Wrong>,
}

/// Decodes `bytes` with `right` if they are entirely well-formed. A [`HOLE`] stands for a
/// lost UTF-8 continuation byte; the scorer picks its value in `context`.
pub(super) fn decode_exact(right: Right, bytes: &[u8], context: Context) -> Option<String> {
    match right {
        Right::Utf8 if has_unknowns(bytes) => decode_utf8_holes(bytes, context),
        Right::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
        Right::Legacy(encoding) if bytes.contains(&HOLE) => {
            // A hole before an ASCII byte may have lost only its lead (Big5 gives the ASCII
            // trail back: GBK `並` is `81 4B`, read `�K`): every reading is tried, except that
            // a lone letter between a hole and Chinese is always that trail.
            let holes: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == HOLE).collect();
            let forced = holes.iter().enumerate().fold(0u32, |mask, (k, &i)| {
                let lone = bytes.get(i + 1).is_some_and(|b| (0x40..=0x7E).contains(b))
                    && bytes.get(i + 2).map_or(true, |&b| b >= 0x80);
                mask | u32::from(lone) << k
            });
            (0..1u32 << holes.len())
                .filter(|takes| takes & forced == forced)
                .filter_map(|takes| legacy_lattice(encoding, bytes, context.wrong, takes))
                .map(|lattice| best_path_cost(&lattice, context))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|best| best.0)
        }
        Right::Legacy(encoding) => encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .map(|s| s.into_owned()),
    }
}

/// Whether [`decode_exact`] would decode `bytes`, without guessing anything.
fn decodes(right: Right, bytes: &[u8]) -> bool {
    match right {
        Right::Utf8 if has_unknowns(bytes) => utf8_dag(bytes, None).is_ok(),
        Right::Utf8 => std::str::from_utf8(bytes).is_ok(),
        Right::Legacy(encoding) if bytes.contains(&HOLE) => {
            legacy_lattice(encoding, bytes, None, 0).is_some()
        }
        Right::Legacy(encoding) => encoding
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some(),
    }
}

/// The most guesses of lost legacy characters (segments with holes decoded) one run may make.
/// GBK read as Big5 tries every end of a segment from every start, so a long run of rare
/// characters around two holes made thousands (a fuzzed line of 121 bytes: 2,310 searches,
/// 0.4 s); on the evaluation set's lines the most is 434, the 99th percentile 211.
const MAX_HOLE_DECODES: usize = 512;

/// The most lost characters one legacy segment may have.
const MAX_LEGACY_HOLES: usize = 2;

/// How many characters stand in for one lost legacy double-byte character.
const LEGACY_HOLE_CANDIDATES: usize = 200;

/// A legacy (GBK) byte string with holes, each hole one lost double-byte character: the
/// known pieces decode exactly, a hole may be any of the characters `wrong` loses whole (GBK
/// read as Big5: a pair whose trail byte Big5 has no row for, 80-A0, is one `�`; they are the
/// characters outside GB2312, mostly Traditional: 個, 軟, 爲), the most frequent first. Hole
/// `k` with bit `k` of `takes` set lost its lead byte only, and takes the ASCII byte after it
/// as its trail (`None` if that byte is no trail).
fn legacy_lattice(
    encoding: &'static Encoding,
    bytes: &[u8],
    wrong: Option<Wrong>,
    takes: u32,
) -> Option<Vec<Vec<char>>> {
    if bytes.iter().filter(|&&b| b == HOLE).count() > MAX_LEGACY_HOLES {
        return None;
    }
    let lost = |trail: Option<u8>| match wrong {
        Some(Wrong::Legacy(wrong)) => lost_whole(encoding, wrong, trail),
        _ => &[][..],
    };
    let mut lattice = Vec::new();
    let mut piece = Vec::new();
    let mut hole = 0;
    let mut i = 0;
    while i <= bytes.len() {
        if i < bytes.len() && bytes[i] != HOLE {
            piece.push(bytes[i]);
            i += 1;
            continue;
        }
        let text = encoding.decode_without_bom_handling_and_without_replacement(&piece)?;
        lattice.extend(text.chars().map(|c| vec![c]));
        piece.clear();
        if i == bytes.len() {
            break;
        }
        let candidates = if takes >> hole & 1 == 1 {
            let trail = *bytes.get(i + 1).filter(|b| (0x40..=0x7E).contains(*b))?;
            i += 1;
            lost(Some(trail))
        } else {
            lost(None)
        };
        if candidates.is_empty() && wrong.is_some() {
            return None;
        }
        lattice.push(candidates.to_vec());
        hole += 1;
        i += 1;
    }
    Some(lattice)
}

/// The characters `right` encodes as a pair that `wrong` turns into one `�` (both bytes
/// gone), or with `trail`, as that lead byte and ASCII trail that `wrong` turns into `�` and
/// the trail; the [`LEGACY_HOLE_CANDIDATES`] most frequent, built once per case.
fn lost_whole(
    right: &'static Encoding,
    wrong: &'static Encoding,
    trail: Option<u8>,
) -> &'static [char] {
    use std::sync::{Mutex, OnceLock};
    type Key = (&'static str, &'static str, Option<u8>);
    type Cache = Mutex<Vec<(Key, &'static [char])>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (right.name(), wrong.name(), trail);
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = cache.iter().find(|(k, _)| *k == key) {
        return found.1;
    }
    let trails: Vec<u8> = match trail {
        Some(t) => vec![t],
        None => (0x80..=0xFE).collect(),
    };
    let mut found: Vec<(f32, char)> = Vec::new();
    for lead in 0x81..=0xFEu8 {
        for &t in &trails {
            let pair = [lead, t];
            let Some(text) = right.decode_without_bom_handling_and_without_replacement(&pair)
            else {
                continue;
            };
            let mut chars = text.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                continue;
            };
            let expected = match trail {
                Some(t) => format!("\u{FFFD}{}", t as char),
                None => "\u{FFFD}".to_string(),
            };
            if wrong.decode_without_bom_handling(&pair).0 != expected || !is_plain_chinese(c) {
                continue;
            }
            found.push((step_cost(None, c), c));
        }
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let list: &'static [char] = Vec::leak(
        found
            .into_iter()
            .take(LEGACY_HOLE_CANDIDATES)
            .map(|(_, c)| c)
            .collect(),
    );
    cache.push((key, list));
    list
}

fn has_unknowns(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| b == HOLE || b == HOLE1 || b == EURO)
}

fn is_hole(b: u8) -> bool {
    b == HOLE || b == HOLE1
}

/// Whether `b` stands for lost bytes in a run read as `right`: in legacy bytes only [`HOLE`]
/// does (0xFD is an ordinary GBK byte there).
fn is_hole_in(right: Right, b: u8) -> bool {
    match right {
        Right::Utf8 => is_hole(b),
        Right::Legacy(_) => b == HOLE,
    }
}

/// One byte of a character being read: known, or lost (a wildcard).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Byte {
    Known(u8),
    /// A hole read as one byte.
    Lost,
    /// A hole read as one byte that a non-ASCII byte follows (so it was invalid alone).
    LostAlone,
    /// The first and second byte of a hole read as two (an unmapped pair of the wrong code
    /// page: together they must be one the wrong decoder turns into a single `�`).
    LostFirst,
    LostSecond,
}

/// A parser state: index into the bytes and how many lost bytes of the current hole are
/// still to be read (a `�` may stand for one or two lost bytes, and may straddle characters);
/// [`EURO_TAIL`] when the `E3` of a two-byte `€` is to be read.
type State = (usize, usize);
const EURO_TAIL: usize = 2;

/// The next byte from `state`, with every way of reading it.
fn next_bytes(bytes: &[u8], (i, carry): State) -> Vec<(Byte, State)> {
    if carry == EURO_TAIL {
        return vec![(Byte::Known(0xE3), (i, 0))];
    }
    if carry > 0 {
        return vec![(Byte::LostSecond, (i, carry - 1))];
    }
    match bytes.get(i) {
        None => Vec::new(),
        Some(&EURO) => vec![
            (Byte::Known(0x80), (i + 1, 0)),
            (Byte::Known(0xA2), (i + 1, EURO_TAIL)),
        ],
        // A byte lost alone before a non-ASCII byte was not a lead (a lead would have taken
        // that byte with it, as a character or as a pair dropped whole): it is a byte invalid
        // on its own.
        Some(&HOLE)
            if bytes
                .get(i + 1)
                .is_some_and(|&b| b >= 0x80 && !is_hole(b) && b != EURO) =>
        {
            vec![(Byte::LostAlone, (i + 1, 0)), (Byte::LostFirst, (i + 1, 1))]
        }
        Some(&HOLE) => vec![(Byte::Lost, (i + 1, 0)), (Byte::LostFirst, (i + 1, 1))],
        Some(&HOLE1) => vec![(Byte::Lost, (i + 1, 0))],
        Some(&b) => vec![(Byte::Known(b), (i + 1, 0))],
    }
}

/// Every way to read one character from `state`: its candidate characters and the state after.
/// `wrong`, when known, rules out lost pairs it would have decoded.
fn read_char(bytes: &[u8], state: State, wrong: Option<&'static Encoding>) -> Vec<Edge> {
    let mut out = Vec::new();
    for (lead, after_lead) in next_bytes(bytes, state) {
        let need = match lead {
            Byte::Known(0x00..=0x7F) => 1,
            Byte::Known(0xC2..=0xDF) => 2,
            Byte::Known(0xE0..=0xEF)
            | Byte::Lost
            | Byte::LostAlone
            | Byte::LostFirst
            | Byte::LostSecond => 3,
            Byte::Known(0xF0..=0xF4) => 4,
            Byte::Known(_) => continue,
        };
        let mut partial = vec![(vec![lead], after_lead)];
        for _ in 1..need {
            partial = partial
                .into_iter()
                .flat_map(|(seq, st)| {
                    next_bytes(bytes, st).into_iter().map(move |(b, next)| {
                        let mut seq = seq.clone();
                        seq.push(b);
                        (seq, next)
                    })
                })
                .collect();
        }
        for (seq, end) in partial {
            let lost = seq.iter().filter(|b| !matches!(b, Byte::Known(_))).count();
            // A lost pair inside the character is checked against `wrong` (when `wrong` is
            // not given, only whether some reading exists is asked: every pair may do).
            let paired = seq
                .windows(2)
                .any(|w| w == [Byte::LostFirst, Byte::LostSecond]);
            let options = match lost {
                0 => {
                    let raw: Vec<u8> = seq
                        .iter()
                        .map(|b| match b {
                            Byte::Known(b) => *b,
                            _ => HOLE,
                        })
                        .collect();
                    std::str::from_utf8(&raw)
                        .ok()
                        .and_then(|s| s.chars().next())
                        .into_iter()
                        .collect()
                }
                // Two lost bytes (at most 64 x 64 candidates, or 16 x 64 with the lead: an
                // unmapped Shift_JIS pair `EF BC` takes the lead of `，` with it); three only
                // when a pair of them is checked.
                1 | 2 => fill_holes(&seq, wrong),
                3 if paired => fill_holes(&seq, wrong),
                _ => Vec::new(),
            };
            if !options.is_empty() {
                // With two lost bytes or more, the candidates kept are a few of many: the
                // pattern lets words find others (`refine_with_words`).
                let pattern = (lost >= 2).then(|| seq.clone());
                out.push((options, end, pattern));
            }
        }
    }
    out
}

/// The most lost bytes one segment may have.
const MAX_HOLES: usize = 12;

/// The most holes in a row a segment may have. Big5, Shift_JIS and EUC-KR drop a pair whole
/// as one hole, so a few in a row are a character or two lost between known bytes, worth a
/// guess; a longer row (`����������`, or a line of 0xFF bytes read as GBK) is a lossy marker.
const MAX_ADJACENT_HOLES: usize = 4;

/// How many candidates a character with lost bytes keeps.
const HOLE_CANDIDATES: usize = 64;

/// The likeliest characters for a UTF-8 sequence with lost bytes (a lost lead is taken to be
/// that of a three-byte character, as every CJK one is). A lost pair must be one `wrong`
/// decodes to a single `�`.
fn fill_holes(seq: &[Byte], wrong: Option<&'static Encoding>) -> Vec<char> {
    // The same few patterns come up again and again while a run is searched.
    type Cache = std::collections::HashMap<(Vec<Byte>, Option<&'static str>), Vec<char>>;
    thread_local! {
        static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache::new());
    }
    let key = (seq.to_vec(), wrong.map(|w| w.name()));
    if let Some(found) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return found;
    }
    let found = fill_holes_uncached(seq, wrong);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() > 100_000 {
            cache.clear();
        }
        cache.insert(key, found.clone());
    });
    found
}

fn fill_holes_uncached(seq: &[Byte], wrong: Option<&'static Encoding>) -> Vec<char> {
    // A byte invalid alone is never a UTF-8 lead.
    if seq.first() == Some(&Byte::LostAlone) {
        return Vec::new();
    }
    let ranges: Vec<std::ops::RangeInclusive<u8>> = seq
        .iter()
        .enumerate()
        .map(|(i, &b)| match (b, i) {
            (Byte::Known(b), _) => b..=b,
            (_, 0) => 0xE0..=0xEF,
            (Byte::Lost, _) => lost_alone(wrong),
            (Byte::LostAlone, _) => 0x80..=0xA0,
            _ => 0x80..=0xBF,
        })
        .collect();
    let pairs: Vec<usize> = (1..seq.len())
        .filter(|&i| seq[i - 1] == Byte::LostFirst && seq[i] == Byte::LostSecond)
        .collect();
    let mut found: Vec<(f32, char)> = Vec::new();
    let mut buf: Vec<u8> = ranges.iter().map(|r| *r.start()).collect();
    let mut visit = |buf: &[u8]| {
        if (0..seq.len()).any(|i| seq[i] == Byte::LostAlone && !invalid_alone(wrong, buf[i])) {
            return;
        }
        if let Some(wrong) = wrong {
            if pairs
                .iter()
                .any(|&i| !lost_as_one(wrong, buf[i - 1], buf[i]))
                || !split_pair_fits(seq, buf, wrong)
            {
                return;
            }
        }
        if let Some(c) = std::str::from_utf8(buf).ok().and_then(|s| s.chars().next()) {
            found.push((step_cost(None, c), c));
        }
    };
    for a in ranges[0].clone() {
        buf[0] = a;
        for b in ranges[1].clone() {
            buf[1] = b;
            match ranges.get(2) {
                Some(r) => {
                    for c in r.clone() {
                        buf[2] = c;
                        if let Some(r3) = ranges.get(3) {
                            for d in r3.clone() {
                                buf[3] = d;
                                visit(&buf);
                            }
                        } else {
                            visit(&buf);
                        }
                    }
                }
                None => visit(&buf),
            }
        }
    }
    // (A character lost whole has thousands of candidates: the words around it find more,
    // see `refine_with_words`.)
    if found.len() > HOLE_CANDIDATES {
        found.select_nth_unstable_by(HOLE_CANDIDATES, |x, y| x.0.total_cmp(&y.0));
        found.truncate(HOLE_CANDIDATES);
    }
    found.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    found.into_iter().map(|(_, c)| c).collect()
}

/// Does `wrong` decode the pair `a b` to a single `�`, losing both bytes? (Built once per
/// code page: 64 K decodes.)
fn lost_as_one(wrong: &'static Encoding, a: u8, b: u8) -> bool {
    use std::sync::OnceLock;
    static TABLES: [OnceLock<Vec<bool>>; 4] = [const { OnceLock::new() }; 4];
    let known = [
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_KR,
        encoding_rs::GBK,
    ];
    let Some(index) = known.iter().position(|&e| e == wrong) else {
        return true;
    };
    let table = TABLES[index].get_or_init(|| {
        (0..=0xFFFFu32)
            .map(|ab| {
                let pair = [(ab >> 8) as u8, ab as u8];
                wrong.decode_without_bom_handling(&pair).0 == "\u{FFFD}"
            })
            .collect()
    });
    table[usize::from(a) << 8 | usize::from(b)]
}

/// A reading of a UTF-8 byte string with holes as a graph: for every parser state, the
/// characters that can be read from it (candidates of one character) and the state after.
type Dag = Vec<Vec<Edge>>;

/// One character read from a parser state: its candidates, the state after it, and for a
/// character with several lost bytes, its byte pattern.
type Edge = (Vec<char>, State, Option<Vec<Byte>>);

fn state_index((i, carry): State) -> usize {
    i * 3 + carry
}

/// The graph of every reading of `bytes`, or the length of the longest readable prefix.
fn utf8_dag(bytes: &[u8], wrong: Option<&'static Encoding>) -> Result<Dag, usize> {
    // Past a few holes per segment the text is noise, and guessing gets expensive.
    if bytes.iter().filter(|&&b| is_hole(b)).count() > MAX_HOLES {
        return Err(bytes.iter().position(|&b| is_hole(b)).unwrap_or(0));
    }
    // Holes with no known byte between them are a lossy marker, not damage to read: whole
    // characters would be invented (and every pair of guesses weighed, which made a line of
    // `�` take minutes). The readable prefix ends before them.
    if bytes.len() > 2 && bytes.iter().all(|&b| is_hole(b)) {
        return Err(0);
    }
    if let Some(at) = bytes
        .windows(MAX_ADJACENT_HOLES + 1)
        .position(|w| w.iter().all(|&b| is_hole(b)))
    {
        return Err(at);
    }
    let mut dag: Dag = vec![Vec::new(); (bytes.len() + 1) * 3];
    let mut reached = vec![false; (bytes.len() + 1) * 3];
    reached[0] = true;
    for i in 0..bytes.len() {
        for carry in [EURO_TAIL, 1, 0] {
            if !reached[state_index((i, carry))] {
                continue;
            }
            let edges = read_char(bytes, (i, carry), wrong);
            for (_, end, _) in &edges {
                reached[state_index(*end)] = true;
            }
            dag[state_index((i, carry))] = edges;
        }
    }
    if !reached[state_index((bytes.len(), 0))] {
        let prefix = (0..=bytes.len())
            .rev()
            .find(|&i| reached[state_index((i, 0))])
            .unwrap_or(0);
        return Err(prefix);
    }
    Ok(dag)
}

/// The cheapest reading of a UTF-8 graph under one script's model (Viterbi over parser states
/// and the last character read, so that lost bytes may belong to either neighbour).
fn dag_best<'d>(
    dag: &'d Dag,
    bytes: &[u8],
    context: Context,
    script: usize,
) -> (Vec<char>, Vec<Guess<'d>>) {
    let step = |p: Option<char>, c: char| scorer::step_cost_in(script, p, c);
    // The character right after a state, when one byte shows it (for quotation marks).
    let next_char = |(i, carry): State| match (carry, bytes.get(i)) {
        (0, None) => Some(context.after),
        (0, Some(&b)) if b < 0x80 => Some(Some(char::from(b))),
        _ => None,
    };
    // best[state] = entries (last char, cost, back: (state index, entry index, edge index)).
    type Entry = (Option<char>, f32, (usize, usize, usize));
    let mut best: Vec<Vec<Entry>> = vec![Vec::new(); dag.len()];
    // Where each last character sits in `best[state]`, for the states with many.
    let mut index: Vec<HashMap<char, usize>> = vec![HashMap::new(); dag.len()];
    best[0].push((context.before, 0.0, (usize::MAX, 0, 0)));
    for from in 0..dag.len() {
        if best[from].is_empty() {
            continue;
        }
        // Every edge into `from` is done and nothing points into `best[from]` yet: keep its
        // cheapest entries only (holes in a row otherwise multiply their candidates).
        if best[from].len() > DAG_BEAM {
            best[from].sort_by(|a, b| a.1.total_cmp(&b.1));
            best[from].truncate(DAG_BEAM);
        }
        index[from] = HashMap::new();
        for (edge, (options, end, _)) in dag[from].iter().enumerate() {
            let to = state_index(*end);
            let after = next_char(*end);
            for k in 0..best[from].len() {
                let (last, total, _) = best[from][k];
                for &c in options {
                    let guess = if options.len() > 1 && matches!(c, '“' | '「' | '”' | '」') {
                        let (opening, closing) = quote_fit(None, Some(last), after);
                        match c {
                            '“' | '「' if !opening => 2.0,
                            '”' | '」' if !closing => 2.0,
                            _ => 0.0,
                        }
                    } else {
                        0.0
                    };
                    let cost = total + step(last, c) + guess;
                    match index[to].get(&c) {
                        Some(&at) if best[to][at].1 <= cost => {}
                        Some(&at) => best[to][at] = (Some(c), cost, (from, k, edge)),
                        None => {
                            index[to].insert(c, best[to].len());
                            best[to].push((Some(c), cost, (from, k, edge)));
                        }
                    }
                }
            }
        }
    }
    let last = state_index((bytes.len(), 0));
    let total = |e: &Entry| e.1 + context.after.map_or(0.0, |a| step(e.0, a));
    let Some(k) = (0..best[last].len())
        .min_by(|&a, &b| total(&best[last][a]).total_cmp(&total(&best[last][b])))
    else {
        return (Vec::new(), Vec::new());
    };
    let mut out = Vec::new();
    let mut options: Vec<Guess> = Vec::new();
    let (mut state, mut entry) = (last, k);
    while state != 0 {
        let (c, _, (from, k, edge)) = best[state][entry];
        out.extend(c);
        let (candidates, _, pattern) = &dag[from][edge];
        options.push((candidates, pattern.as_deref()));
        (state, entry) = (from, k);
    }
    out.reverse();
    options.reverse();
    (out, options)
}

/// The most entries (last characters) a state of the UTF-8 graph keeps before it is read
/// on: the cheapest ones.
const DAG_BEAM: usize = 24;

/// The candidates of one character of a reading, and its byte pattern if it lost several.
type Guess<'d> = (&'d [char], Option<&'d [Byte]>);

/// The continuation bytes `wrong` can lose one at a time: Shift_JIS reads 80 and A1-DF
/// alone (`ｶ` is B6), so it loses only a lead (81-9F) before ASCII or at the end, or A0; the
/// other decoders lose any byte 80-BF (a lead before ASCII, or 80 alone).
fn lost_alone(wrong: Option<&'static Encoding>) -> std::ops::RangeInclusive<u8> {
    match wrong {
        Some(w) if w == encoding_rs::SHIFT_JIS => 0x81..=0xA0,
        _ => 0x80..=0xBF,
    }
}

/// A lost pair split between two characters is checked on each side: the first byte must
/// start some pair `wrong` drops whole, the second end one (Shift_JIS never drops a pair
/// starting with `B6`, which it reads alone as `ｶ`).
fn split_pair_fits(seq: &[Byte], bytes: &[u8], wrong: &'static Encoding) -> bool {
    let n = seq.len();
    (0..n).all(|i| match seq[i] {
        Byte::LostFirst if i + 1 == n => {
            (0x80..=0xF4).any(|next| lost_as_one(wrong, bytes[i], next))
        }
        Byte::LostSecond if i == 0 => (0x80..=0xBF).any(|prev| lost_as_one(wrong, prev, bytes[i])),
        _ => true,
    })
}

/// The continuation bytes `wrong` reads as an error on their own (not as a lead): 80 and A0
/// for Shift_JIS, 80-A0 for EUC-KR and Big5 (the WHATWG decoders take 81-A0 as leads, strict
/// ones such as Python's do not: `你好` is `鵝�也�` there, A0 lost alone before E5).
fn invalid_alone(wrong: Option<&'static Encoding>, b: u8) -> bool {
    match wrong {
        Some(w) if w == encoding_rs::SHIFT_JIS => b == 0x80 || b == 0xA0,
        Some(w) if w == encoding_rs::EUC_KR || w == encoding_rs::BIG5 => (0x80..=0xA0).contains(&b),
        _ => (0x80..=0xBF).contains(&b),
    }
}

/// Could `c` be the character whose bytes, with some lost, are `pattern`? A lost pair must be
/// one `wrong` drops whole.
fn fits_pattern(pattern: &[Byte], c: char, wrong: Option<&'static Encoding>) -> bool {
    let mut buf = [0u8; 4];
    let bytes = c.encode_utf8(&mut buf).as_bytes();
    if bytes.len() != pattern.len() {
        return false;
    }
    let known = pattern
        .iter()
        .zip(bytes)
        .enumerate()
        .all(|(i, (p, b))| match p {
            Byte::Known(k) => k == b,
            Byte::Lost if i > 0 => lost_alone(wrong).contains(b),
            Byte::LostAlone => i > 0 && invalid_alone(wrong, *b),
            _ => true,
        });
    let pairs = (1..pattern.len()).all(|i| {
        pattern[i - 1] != Byte::LostFirst
            || pattern[i] != Byte::LostSecond
            || wrong.map_or(true, |w| lost_as_one(w, bytes[i - 1], bytes[i]))
    });
    known && pairs && wrong.map_or(true, |w| split_pair_fits(pattern, bytes, w))
}

/// How many of a guess's candidates (the cheapest by the character model in place) are
/// scored again by the words they make.
const WORD_OPTIONS: usize = 12;
/// How many characters on either side of a guess the words it makes are looked for in.
const WORD_REACH: usize = 4;
/// The weight of the word model against the character model (best of 0.7, 1, 1.5 and 2.5 on
/// the evaluation set).
const WORD_WEIGHT: f32 = 2.5;

/// The word lexicons of `zhfix::target` (jieba's words with their frequencies and OpenCC's
/// phrases), Simplified and Traditional.
fn word_lexicons() -> &'static [crate::target::lexicon::Lexicon; 2] {
    use crate::target::lexicon;
    static LEXICONS: std::sync::OnceLock<[lexicon::Lexicon; 2]> = std::sync::OnceLock::new();
    LEXICONS.get_or_init(|| [lexicon::simplified(), lexicon::traditional()])
}

/// The cost of `chars` under a word model: the cheapest segmentation of each run of Han
/// characters into words of either script (the Traditional lexicon holds only what differs
/// from Simplified: `的` is in the other), other non-ASCII characters at their flat cost.
fn word_cost(chars: &[char]) -> f32 {
    use crate::target::lexicon::Lexicon;
    let lexicons = word_lexicons();
    let mut total = 0.0;
    let mut run_start = None;
    for (k, &c) in chars.iter().enumerate() {
        match (is_han(c), run_start) {
            (true, None) => run_start = Some(k),
            (true, Some(_)) => {}
            (false, start) => {
                if let Some(s) = start {
                    total += Lexicon::segment_cost(lexicons, &chars[s..k]);
                    run_start = None;
                }
                if !c.is_ascii() {
                    total += scorer::flat_cost(c);
                }
            }
        }
    }
    if let Some(s) = run_start {
        total += Lexicon::segment_cost(lexicons, &chars[s..]);
    }
    WORD_WEIGHT * total
}

/// Quotation marks, whose guesses follow their own rules ([`quote_fit`]).
fn is_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '「' | '」' | '‘' | '’')
}

/// Looks again at each guess of a reading with the words it makes: the character model
/// knows pairs inside words only, so a frequent character that makes no word (`软件北`, `不。要`)
/// can beat the right one (`软件包`, `不需要`). Each guess takes, among its candidates, the one
/// cheapest by the character model in place plus the word model around it, until none changes.
fn refine_with_words(
    chars: &mut [char],
    options: &[Guess],
    context: Context,
    script: usize,
    wrong: Option<&'static Encoding>,
) {
    let step = |p: Option<char>, c: char| scorer::step_cost_in(script, p, c);
    let n = chars.len();
    let mut window: Vec<char> = Vec::with_capacity(2 * WORD_REACH + 3);
    for _ in 0..2 {
        let mut changed = false;
        for k in 0..n {
            let (here, pattern) = options[k];
            if here.len() < 2 || is_quote(chars[k]) {
                continue;
            }
            let prev = if k == 0 {
                context.before
            } else {
                Some(chars[k - 1])
            };
            let next = chars.get(k + 1).copied().or(context.after);
            let in_place = |c: char| step(prev, c) + next.map_or(0.0, |x| step(Some(c), x));
            // A character with several lost bytes may also be any that makes a word with the
            // character before it (its candidates are the most frequent few of thousands).
            let followers = match (pattern, prev) {
                (Some(pattern), Some(p)) => scorer::followers(script, p)
                    .filter(|&c| !here.contains(&c) && fits_pattern(pattern, c, wrong))
                    .collect(),
                _ => Vec::new(),
            };
            let mut ranked: Vec<(f32, char)> = here
                .iter()
                .chain(&followers)
                .filter(|&&c| !is_quote(c) && is_plain_chinese(c))
                .map(|&c| (in_place(c), c))
                .collect();
            ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
            ranked.truncate(WORD_OPTIONS);
            if !ranked.iter().any(|&(_, c)| c == chars[k]) {
                ranked.push((in_place(chars[k]), chars[k]));
            }
            let (lo, hi) = (k.saturating_sub(WORD_REACH), (k + WORD_REACH + 1).min(n));
            let current = chars[k];
            let mut best = (f32::INFINITY, current);
            for (cost, c) in ranked {
                chars[k] = c;
                window.clear();
                window.extend(context.before.filter(|_| lo == 0));
                window.extend_from_slice(&chars[lo..hi]);
                window.extend(context.after.filter(|_| hi == n));
                let total = cost + word_cost(&window);
                if total < best.0 {
                    best = (total, c);
                }
            }
            chars[k] = best.1;
            changed |= best.1 != current;
        }
        if !changed {
            break;
        }
    }
}

/// The best reading of UTF-8 bytes with holes, in either script.
fn decode_utf8_holes(bytes: &[u8], context: Context) -> Option<String> {
    let wrong = match context.wrong {
        Some(Wrong::Legacy(e)) => Some(e),
        _ => None,
    };
    let dag = utf8_dag(bytes, wrong).ok()?;
    (0..2)
        .map(|script| {
            let (mut chars, options) = dag_best(&dag, bytes, context, script);
            refine_with_words(&mut chars, &options, context, script, wrong);
            let text: String = chars.iter().collect();
            let total =
                cost_in(Some(script), context.before, &text, context.after) + word_cost(&chars);
            (text, total)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|best| best.0)
}

/// The cheapest path through a lattice under the bigram model (Viterbi), in `context`: the
/// character after the lattice counts, and a guessed quotation mark must fit (see
/// [`quote_fit`]). With its cost.
fn best_path_cost(lattice: &[Vec<char>], context: Context) -> (String, f32) {
    let mut open: Option<bool> = None;
    let mut closing = Vec::with_capacity(lattice.len());
    let known = |k: Option<usize>, edge: Option<char>| match k.and_then(|k| lattice.get(k)) {
        Some(options) if options.len() == 1 => Some(Some(options[0])),
        Some(_) => None,
        None => Some(edge),
    };
    for (k, options) in lattice.iter().enumerate() {
        let prev = known(k.checked_sub(1), context.before);
        let next = known(Some(k + 1), context.after);
        closing.push((options.len() > 1).then(|| quote_fit(open, prev, next)));
        match options[..] {
            ['“' | '「'] => open = Some(true),
            ['”' | '」'] => open = Some(false),
            _ => {}
        }
    }
    let guess_cost = |k: usize, c: char| match (closing[k], c) {
        (Some((false, _)), '“' | '「') | (Some((_, false)), '”' | '」') => 2.0,
        _ => 0.0,
    };
    // One search per script: a guess must fit the script of the characters around it.
    (0..2)
        .map(|script| viterbi(lattice, context, script, &guess_cost))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or_default()
}

/// How many options of one position the Viterbi search goes on from, the cheapest so far,
/// when the next position has that many too.
const VITERBI_BEAM: usize = 32;

/// The cheapest path through `lattice` under one script's model, with extra `guess_cost`s.
fn viterbi(
    lattice: &[Vec<char>],
    context: Context,
    script: usize,
    guess_cost: &dyn Fn(usize, char) -> f32,
) -> (String, f32) {
    let step = |p: Option<char>, c: char| scorer::step_cost_in(script, p, c);
    // For each position: (total cost, back pointer) per option.
    let mut table: Vec<Vec<(f32, usize)>> = Vec::with_capacity(lattice.len());
    // The options of the previous position that paths go on from: all of them, or, between
    // two positions of many options, the `VITERBI_BEAM` cheapest so far (two lost characters
    // side by side are 200 candidates each, and every pair took a bigram look: 40,000 per
    // lattice, and a fuzzed line of 100 bytes made 187 such lattices, 65 ms). A position of
    // many options before a known character keeps them all: that character is what decides
    // (a beam there cost gbk-as-big5 3-4 points of exact recovery).
    let mut active: Vec<usize> = Vec::new();
    for (k, options) in lattice.iter().enumerate() {
        if k > 0 {
            let prev = &table[k - 1];
            active.clear();
            active.extend(0..prev.len());
            if prev.len() > VITERBI_BEAM && options.len() > VITERBI_BEAM {
                active.select_nth_unstable_by(VITERBI_BEAM - 1, |&a, &b| {
                    prev[a].0.total_cmp(&prev[b].0)
                });
                active.truncate(VITERBI_BEAM);
            }
        }
        let row = options
            .iter()
            .map(|&c| match k {
                0 => (step(context.before, c) + guess_cost(k, c), 0),
                _ => active
                    .iter()
                    .map(|&j| {
                        let (p, total) = (lattice[k - 1][j], table[k - 1][j].0);
                        (total + step(Some(p), c) + guess_cost(k, c), j)
                    })
                    .fold((f32::INFINITY, 0), |a, b| if b.0 < a.0 { b } else { a }),
            })
            .collect();
        table.push(row);
    }
    let mut out = Vec::with_capacity(lattice.len());
    let Some(last) = table.last() else {
        return (String::new(), 0.0);
    };
    let total = |j: usize| {
        let after = context
            .after
            .map_or(0.0, |a| step(Some(lattice[lattice.len() - 1][j]), a));
        last[j].0 + after
    };
    let mut j = (0..last.len()).fold(0, |a, b| if total(b) < total(a) { b } else { a });
    let cost = total(j);
    for k in (0..lattice.len()).rev() {
        out.push(lattice[k][j]);
        j = table[k][j].1;
    }
    (out.into_iter().rev().collect(), cost)
}

/// Would a guessed quotation mark fit as an opening one, as a closing one? When a known
/// mark before it in the same stretch says whether a quotation is `open`, that decides.
/// Otherwise the characters around it (`None` unknown, `Some(None)` the edge of the text): an
/// opening mark follows a space, punctuation, a Han character or nothing and comes before a
/// word or path (`以“/”目录`); a closing one follows anything but a space and comes before a
/// space, punctuation or the end (`“set -x” 或`, not `gedit, ”)`).
fn quote_fit(
    open: Option<bool>,
    prev: Option<Option<char>>,
    next: Option<Option<char>>,
) -> (bool, bool) {
    if let Some(open) = open {
        return (!open, open);
    }
    let spaced = |c: Option<char>| c.map_or(true, char::is_whitespace);
    let closes = |c: char| {
        is_cjk_punct(c) && !matches!(c, '“' | '「' | '（' | '《' | '【' | '‘')
            || matches!(c, ')' | ']' | '}' | ',' | ';' | '!' | '?')
    };
    let opening = match (prev, next) {
        (Some(p), Some(n)) => {
            (spaced(p) || p.is_some_and(|p| is_han(p) || is_cjk_punct(p)))
                && !spaced(n)
                && !n.is_some_and(closes)
        }
        _ => true,
    };
    let closing = match (prev, next) {
        (Some(p), Some(n)) => {
            !spaced(p) && (spaced(n) || n.is_some_and(|n| closes(n) || is_han(n)))
        }
        _ => true,
    };
    (opening, closing)
}

/// How many leading bytes of `bytes` are well-formed for `right`.
fn valid_prefix(right: Right, bytes: &[u8]) -> usize {
    match right {
        Right::Utf8 if has_unknowns(bytes) => match utf8_dag(bytes, None) {
            Ok(_) => bytes.len(),
            Err(p) => p,
        },
        Right::Utf8 => match std::str::from_utf8(bytes) {
            Ok(_) => bytes.len(),
            Err(e) => e.valid_up_to(),
        },
        Right::Legacy(_) if bytes.contains(&HOLE) => {
            let mut at = 0;
            for piece in bytes.split(|&b| b == HOLE) {
                let valid = valid_prefix(right, piece);
                if valid < piece.len() {
                    return at + valid;
                }
                at += piece.len() + 1;
            }
            bytes.len()
        }
        Right::Legacy(encoding) => {
            let mut decoder = encoding.new_decoder_without_bom_handling();
            let mut dst = String::with_capacity(bytes.len() * 3 + 8);
            let (result, read) =
                decoder.decode_to_string_without_replacement(bytes, &mut dst, true);
            match result {
                DecoderResult::Malformed(bad, extra) => {
                    read.saturating_sub(usize::from(bad) + usize::from(extra))
                }
                _ => read,
            }
        }
    }
}

/// The characters of one run and their bytes under `wrong`.
struct Run {
    /// (byte offset in the text, character)
    chars: Vec<(usize, char)>,
    /// Byte offset in `bytes` of each character, plus the total length.
    offsets: Vec<usize>,
    bytes: Vec<u8>,
    /// Byte offset in the text just past the run.
    end: usize,
    /// Per byte of `bytes`: inside more than [`MAX_ADJACENT_HOLES`] holes in a row, a lossy
    /// marker that no segment may touch.
    blocked: Vec<bool>,
}

impl Run {
    /// Marks the holes that stand in rows too long to read (see [`Run::blocked`]).
    fn block_long_hole_rows(&mut self, right: Right) {
        self.blocked = vec![false; self.bytes.len()];
        let mut row = 0;
        for i in 0..=self.bytes.len() {
            if i < self.bytes.len() && is_hole_in(right, self.bytes[i]) {
                row += 1;
                continue;
            }
            if row > MAX_ADJACENT_HOLES {
                self.blocked[i - row..i].fill(true);
            }
            row = 0;
        }
    }
}

/// Finds the repairs of every family in `lines`, the ranges of `text` (lines, without their
/// `\n`) that have at least two signature characters: no candidate of another line could be
/// accepted, since runs never cross a line break.
///
/// Every family proposes its strict candidates and the best non-overlapping ones are chosen.
/// Then a line in which a family's repair was chosen gets a second, more lenient look by that
/// family for the short pieces (one character, a lone punctuation mark) the strict pass cannot
/// tell from clean text; the best of those that fit between the chosen repairs are added.
pub(super) fn find(text: &str, lines: &[std::ops::Range<usize>]) -> Vec<Edit> {
    let mut strict: Vec<(Edit, f32, usize)> = Vec::new();
    for (k, family) in FAMILIES.iter().enumerate() {
        for line in lines {
            let look = Look {
                text,
                family,
                relaxed: false,
                taken: &[],
            };
            let found = look.find_in(line.clone());
            strict.extend(found.into_iter().map(|(e, gain)| (e, gain, k)));
        }
    }
    let mut chosen = choose(strict, &[]);
    let taken: Vec<Edit> = chosen.iter().map(|(e, _)| e.clone()).collect();
    let mut lenient: Vec<(Edit, f32, usize)> = Vec::new();
    for (k, family) in FAMILIES.iter().enumerate() {
        if !family.second_look {
            continue;
        }
        let mut seen: Vec<std::ops::Range<usize>> = Vec::new();
        for (edit, _) in chosen.iter().filter(|(_, f)| *f == k) {
            let start = text[..edit.start].rfind('\n').map_or(0, |i| i + 1);
            let end = text[edit.end..]
                .find('\n')
                .map_or(text.len(), |i| edit.end + i);
            if seen.iter().any(|r| r.start == start) {
                continue;
            }
            seen.push(start..end);
            let look = Look {
                text,
                family,
                relaxed: true,
                taken: &taken,
            };
            let found = look.find_in(start..end);
            lenient.extend(found.into_iter().map(|(e, gain)| (e, gain, k)));
        }
    }
    chosen.extend(choose(lenient, &taken));
    let mut edits: Vec<Edit> = chosen.into_iter().map(|(e, _)| e).collect();
    edits.sort_by_key(|e| e.start);
    edits
}

/// The proposals that win, largest saving first, none overlapping another or `taken`; each
/// with its family's index.
fn choose(mut proposals: Vec<(Edit, f32, usize)>, taken: &[Edit]) -> Vec<(Edit, usize)> {
    proposals.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.start.cmp(&b.0.start)));
    let mut chosen: Vec<(Edit, usize)> = Vec::new();
    for (edit, _, family) in proposals {
        let free = |s: usize, e: usize| e <= edit.start || edit.end <= s;
        if chosen.iter().all(|(c, _)| free(c.start, c.end))
            && taken.iter().all(|t| free(t.start, t.end))
        {
            chosen.push((edit, family));
        }
    }
    chosen
}

/// One family's look at a text: strict, or relaxed on a line with proven damage, around the
/// repairs already `taken` (which it never overlaps, and whose repaired text is the context of
/// a candidate next to them).
struct Look<'a> {
    text: &'a str,
    family: &'a Family,
    relaxed: bool,
    taken: &'a [Edit],
}

impl Look<'_> {
    /// Can a run start at `c`? At a suspicious character; on a relaxed look also at any
    /// character but ASCII and Han (`“Q` is GBK `93 51`, `換`).
    fn starts_run(&self, c: char) -> bool {
        is_suspicious(c) || self.relaxed && !c.is_ascii()
    }

    /// The character before `start` once the repairs taken are applied.
    fn before(&self, start: usize) -> Option<char> {
        match self.taken.iter().find(|e| e.end == start) {
            Some(e) => e.after.chars().next_back(),
            None => self.text[..start].chars().next_back(),
        }
    }

    /// The character at `end` once the repairs taken are applied.
    fn after(&self, end: usize) -> Option<char> {
        match self.taken.iter().find(|e| e.start == end) {
            Some(e) => e.after.chars().next(),
            None => self.text[end..].chars().next(),
        }
    }

    /// The proposals for the run starts in `range`.
    fn find_in(&self, range: std::ops::Range<usize>) -> Vec<(Edit, f32)> {
        let (text, taken) = (self.text, self.taken);
        let mut out = Vec::new();
        let mut at = range.start;
        while let Some((start, _)) = text[at..range.end]
            .char_indices()
            .map(|(i, c)| (at + i, c))
            .find(|&(i, c)| self.starts_run(c) && !taken.iter().any(|e| e.start <= i && i < e.end))
        {
            // Never reach back into a span already repaired.
            let floor = taken
                .iter()
                .map(|e| e.end)
                .filter(|&e| e <= start)
                .max()
                .unwrap_or(0);
            let ceiling = taken
                .iter()
                .map(|e| e.start)
                .filter(|&s| s > start)
                .min()
                .unwrap_or(text.len());
            let run = build_run(&text[..ceiling], floor, start, self.family);
            let next = run
                .end
                .max(start + text[start..].chars().next().map_or(1, char::len_utf8));
            // A strict candidate needs two signature characters.
            let evidence = self.relaxed
                || run
                    .chars
                    .iter()
                    .map(|&(_, c)| signature_weight(c))
                    .sum::<usize>()
                    >= 2;
            if evidence {
                self.segments(&run, &mut out);
            }
            at = next.min(range.end);
            if at >= range.end {
                break;
            }
        }
        out
    }

    /// Walks a run, proposing the best accepted segment at each start.
    fn segments(&self, run: &Run, out: &mut Vec<(Edit, f32)>) {
        // A run of nothing but lost bytes (`���` alone) is a lossy marker: there is nothing
        // to read, only characters to invent. (One or two holes alone are read: a lost
        // character between clean ones, when the second look asks.)
        let holes = run
            .bytes
            .iter()
            .filter(|&&b| is_hole_in(self.family.right, b))
            .count();
        if holes == run.bytes.len() && holes > 2 {
            return;
        }
        let n = run.chars.len();
        let mut i = 0;
        let mut budget = MAX_HOLE_DECODES;
        while i < n {
            let near_suspicious = self.relaxed
                || run.chars[i..(i + 4).min(n)]
                    .iter()
                    .any(|&(_, c)| is_suspicious(c));
            let at = run.offsets[i];
            if !near_suspicious || !may_start(self.family.right, run.bytes[at]) || run.blocked[at] {
                i += 1;
                continue;
            }
            match self.best_segment(run, i, &mut budget) {
                Some((edit, gain, next)) => {
                    out.push((edit, gain));
                    i = next;
                }
                None => i += 1,
            }
        }
    }

    /// The best accepted candidate starting near character `i`: the edit, its gain and the
    /// character index to continue from.
    fn best_segment(&self, run: &Run, i: usize, budget: &mut usize) -> Option<(Edit, f32, usize)> {
        let family = self.family;
        let j = longest_end(run, family.right, i);
        let mut best: Option<(Edit, f32, usize)> = None;
        // The candidate covering the most suspicious characters wins (a part of the damage
        // repaired alone can look cheaper), then the one saving most (so a clean character
        // next to the damage is not decoded with it: `锛�通` is `，通`, not `，ͨ`).
        // (GBK read as Big5 is made of common characters: there the widest wins.)
        let han_for_han =
            matches!(family.wrong, Wrong::Legacy(_)) && matches!(family.right, Right::Legacy(_));
        let covered = |e: &Edit| match han_for_han {
            true => e.end - e.start,
            false => self.text[e.start..e.end]
                .chars()
                .filter(|&c| is_suspicious(c))
                .count(),
        };
        for a in i..j.min(i + 3) {
            // A segment starts where a character can (never at an ASCII trail byte).
            if !may_start(family.right, run.bytes[run.offsets[a]]) {
                continue;
            }
            // GBK read as Big5 runs on through clean Traditional text, which re-encodes and
            // decodes too: every end is a candidate, and the widest accepted one wins (nothing
            // ending before the best so far can beat it). Elsewhere the three longest.
            let ends = if han_for_han { j - a } else { 3 };
            for b in (a + 1..=j).rev().take(ends) {
                if han_for_han && best.as_ref().is_some_and(|best| best.2 >= b) {
                    break;
                }
                let bytes = &run.bytes[run.offsets[a]..run.offsets[b]];
                let start = run.chars[a].0;
                let end = run.chars.get(b).map_or(run.end, |c| c.0);
                if !self.plausible_span(start, end) {
                    continue;
                }
                let context = Context {
                    before: self.before(start),
                    after: self.after(end),
                    wrong: Some(family.wrong),
                };
                // Lost legacy characters are guessed by a search over hundreds of candidates
                // each; a run spends at most `budget` such searches.
                if matches!(family.right, Right::Legacy(_)) && bytes.contains(&HOLE) {
                    if *budget == 0 {
                        continue;
                    }
                    *budget -= 1;
                }
                let Some(decoded) = decode_exact(family.right, bytes, context) else {
                    continue;
                };
                let Some((edit, gain)) = self.evaluate(start, end, decoded) else {
                    continue;
                };
                let cover = covered(&edit);
                let better = best.as_ref().map_or(true, |b| {
                    let best_cover = covered(&b.0);
                    cover > best_cover || (cover == best_cover && gain > b.1)
                });
                if better {
                    best = Some((edit, gain, b));
                }
            }
        }
        best
    }
}

fn run_char(family: &Family, prev_ascii: bool, c: char) -> bool {
    if c == '?' {
        return family.lost_byte && !prev_ascii;
    }
    if !c.is_ascii() {
        return true;
    }
    matches!(family.right, Right::Legacy(_)) && !prev_ascii && ('@'..='~').contains(&c)
}

/// How far a run reaches into ordinary characters on either side of the suspicious ones:
/// damage always contains suspicious characters, so clean text around a rare character costs
/// a few steps, not a scan of the whole line.
const RUN_REACH: usize = 6;

/// The run of characters `wrong` can encode around the suspicious character at `at`.
fn build_run(text: &str, floor: usize, at: usize, family: &Family) -> Run {
    // Walk back to the start of the run (ASCII never starts a run, but an ASCII trail byte or
    // a lost `?` goes with the character before it: `“Q` is GBK `93 51`).
    let mut start = at;
    let mut scratch = Vec::new();
    let mut encodes = |c: char| {
        scratch.clear();
        (family.lost_byte && c == '\u{FFFD}') || encode_wrong(family.wrong, c, &mut scratch)
    };
    let mut back = text[floor..at].char_indices().rev().take(RUN_REACH);
    while let Some((i, c)) = back.next() {
        let i = match c.is_ascii() {
            false if encodes(c) => i,
            true if run_char(family, false, c) => match back.next() {
                Some((lead, p)) if !p.is_ascii() && encodes(p) => lead,
                _ => break,
            },
            _ => break,
        };
        start = floor + i;
    }
    let mut run = Run {
        chars: Vec::new(),
        offsets: Vec::new(),
        bytes: Vec::new(),
        end: start,
        blocked: Vec::new(),
    };
    let mut prev_ascii = true;
    let mut ordinary = 0;
    for (i, c) in text[start..].char_indices() {
        ordinary = if is_suspicious(c) { 0 } else { ordinary + 1 };
        if ordinary > RUN_REACH && start + i > at {
            break;
        }
        let len = run.bytes.len();
        let is_hole = family.lost_byte && (c == '\u{FFFD}' || c == '?');
        let is_gbk = matches!(family.wrong, Wrong::Legacy(e) if e == encoding_rs::GBK);
        if c == '€' && is_gbk && family.lost_byte {
            run.bytes.push(EURO);
        } else if is_hole && run_char(family, prev_ascii, c) {
            let exactly_one = c == '?' || family.hole_bytes == 1;
            let utf8 = matches!(family.right, Right::Utf8);
            run.bytes
                .push(if utf8 && exactly_one { HOLE1 } else { HOLE });
        } else if !run_char(family, prev_ascii, c) || !encode_wrong(family.wrong, c, &mut run.bytes)
        {
            run.bytes.truncate(len);
            break;
        }
        run.offsets.push(len);
        run.chars.push((start + i, c));
        run.end = start + i + c.len_utf8();
        prev_ascii = c.is_ascii();
    }
    run.offsets.push(run.bytes.len());
    run.block_long_hole_rows(family.right);
    run
}

fn may_start(right: Right, b: u8) -> bool {
    match right {
        Right::Utf8 => (0xC2..=0xF4).contains(&b) || is_hole(b),
        Right::Legacy(_) => b >= 0x81,
    }
}

/// The longest stretch of bytes decoded at once (longer damage is repaired in pieces).
const MAX_SEGMENT_BYTES: usize = 4096;

/// The largest `k` such that the bytes of characters `i..k` are well-formed for `right`.
fn longest_end(run: &Run, right: Right, i: usize) -> usize {
    let from = run.offsets[i];
    let mut to = run.bytes.len().min(from + MAX_SEGMENT_BYTES);
    // A segment holds at most `MAX_HOLES` lost bytes (`MAX_LEGACY_HOLES` lost legacy
    // characters): a longer stretch is read up to its next hole (and the rest from a later
    // start), not refused whole, and a line of holes costs a step per start, not a scan of
    // the line per end.
    let max_holes = match right {
        Right::Utf8 => MAX_HOLES,
        Right::Legacy(_) => MAX_LEGACY_HOLES,
    };
    if let Some(k) = run.bytes[from..to]
        .iter()
        .enumerate()
        .filter(|&(_, &b)| is_hole_in(right, b))
        .nth(max_holes)
        .map(|(k, _)| k)
    {
        to = from + k;
    }
    if let Some(k) = run.blocked[from..to].iter().position(|&b| b) {
        to = from + k;
    }
    let valid = from + valid_prefix(right, &run.bytes[from..to]);
    let mut k = run
        .offsets
        .partition_point(|&o| o <= valid)
        .saturating_sub(1);
    while k > i && !decodes(right, &run.bytes[from..run.offsets[k]]) {
        k -= 1;
    }
    k
}

impl Look<'_> {
    /// Does `start..end` have GBK punctuation read as Big5 (`ㄛ`), not inside zhuyin and not
    /// half of a genuine bracket pair (`﹝注﹞`, `﹛…﹜`)?
    fn has_punct_read_as_big5(&self, start: usize, end: usize) -> bool {
        let text = self.text;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        text[start..end].char_indices().any(|(i, c)| {
            let at = start + i;
            let after = at + c.len_utf8();
            let paired = match c {
                '﹝' => text[after..line_end].contains('﹞'),
                '﹜' => text[line_start..at].contains('﹛'),
                _ => false,
            };
            is_punct_read_as_big5(c)
                && !paired
                && !text[..at].chars().next_back().is_some_and(is_zhuyin)
                && !text[after..].chars().next().is_some_and(is_zhuyin)
        })
    }

    /// The script of the repairs taken on the line of `at`, if they clearly have one.
    fn line_script(&self, at: usize) -> Option<usize> {
        let text = self.text;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let repaired: String = self
            .taken
            .iter()
            .filter(|e| line_start <= e.start && e.end <= line_end)
            .map(|e| e.after.as_str())
            .collect();
        scorer::script_of(&repaired)
    }

    /// Are the line's other non-ASCII characters, but for a few, inside repairs taken?
    fn rest_of_line_repaired(&self, start: usize, end: usize) -> bool {
        let text = self.text;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let covered = |i: usize| self.taken.iter().any(|e| e.start <= i && i < e.end);
        let left = text[line_start..line_end]
            .char_indices()
            .map(|(i, c)| (line_start + i, c))
            .filter(|&(i, c)| !c.is_ascii() && !(start..end).contains(&i) && !covered(i))
            .count();
        left <= 2
            && self
                .taken
                .iter()
                .any(|e| line_start <= e.start && e.end <= line_end)
    }

    /// Is `start..end` between two repairs of this family on its line?
    fn between_repairs(&self, start: usize, end: usize) -> bool {
        let text = self.text;
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
        let ours = |e: &&Edit| e.kind == self.family.kind || Some(e.kind) == self.family.repeated;
        let taken = || self.taken.iter().filter(ours);
        taken().any(|e| line_start <= e.start && e.end <= start)
            && taken().any(|e| end <= e.start && e.end <= line_end)
    }

    /// The gates that look at the damaged span only, checked before decoding it.
    fn plausible_span(&self, start: usize, end: usize) -> bool {
        let family = self.family;
        let non_ascii: Vec<char> = self.text[start..end]
            .chars()
            .filter(|c| !c.is_ascii())
            .collect();
        let uncommon = non_ascii.iter().filter(|&&c| is_suspicious(c)).count();
        // Evidence of its own: two signature characters (the fast path relies on it).
        let weight: usize = non_ascii.iter().map(|&c| signature_weight(c)).sum();
        if !self.relaxed && weight < 2 {
            return false;
        }
        // On a line with proven damage, one damaged character is enough, common or not.
        // One legacy Chinese code page read as another turns Han characters into Han characters:
        // two of them (`鼠裡` → `公柑`) are too few to tell damage from rare but genuine text,
        // unless one is GBK punctuation read as Big5 outside zhuyin (`啟動ㄛ`, `bullseye ﹝`).
        let han_for_han =
            matches!(family.wrong, Wrong::Legacy(_)) && matches!(family.right, Right::Legacy(_));
        let (min_chars, min_uncommon) =
            if self.relaxed || han_for_han && self.has_punct_read_as_big5(start, end) {
                (1, 0.0)
            } else if han_for_han {
                (4, family.min_uncommon)
            } else {
                (2, family.min_uncommon)
            };
        let needed = min_uncommon * non_ascii.len() as f32;
        non_ascii.len() >= min_chars && (uncommon as f32) >= needed
    }

    /// Scores a candidate replacement of `text[start..end]`; `Some` when it wins clearly.
    fn evaluate(&self, start: usize, end: usize, decoded: String) -> Option<(Edit, f32)> {
        let (text, family, relaxed) = (self.text, self.family, self.relaxed);
        let original = &text[start..end];
        let (decoded, kind) = match family.repeated {
            Some(kind) => match redecode(family, &decoded) {
                Some(again) => (again, kind),
                None => (decoded, family.kind),
            },
            None => (decoded, family.kind),
        };
        if decoded == original
            || decoded.contains('\u{FFFD}')
            || decoded.chars().any(char::is_control) && !original.chars().any(char::is_control)
        {
            return None;
        }
        if !self.plausible_span(start, end) {
            return None;
        }
        let non_ascii: Vec<char> = original.chars().filter(|c| !c.is_ascii()).collect();
        let han = decoded.chars().filter(|&c| is_han(c)).count();
        // CJK punctuation next to a Han character counts as Chinese too (`”或“`, `現。`).
        let chinese = if han > 0 {
            han + decoded.chars().filter(|&c| is_cjk_punct(c)).count()
        } else {
            0
        };
        // Symbols that decode to CJK punctuation (`£¬` → `，`) need no Han character.
        // On a line with proven damage, a symbol (`¡ú` → `→`) too; after a lost byte, what
        // decodes to punctuation is punctuation (`縲�` → `。`, UTF-8 read as Shift_JIS).
        let punctuation_only = (relaxed
            || original.contains('\u{FFFD}')
            || non_ascii.iter().all(|c| !c.is_alphabetic()))
            && decoded
                .chars()
                .all(|c| c.is_ascii() || is_cjk_punct(c) || relaxed && is_cjk_symbol(c));
        let min_han = if relaxed {
            family.min_han.min(1)
        } else {
            family.min_han
        };
        if chinese < min_han && !punctuation_only {
            return None;
        }
        // Legacy Chinese code pages only ever held Chinese text.
        if matches!(family.right, Right::Legacy(_)) && !decoded.chars().all(is_plain_chinese) {
            return None;
        }
        let before = self.before(start);
        let after = self.after(end);
        // A piece between two repairs of the same damage on its line is that damage too
        // (GBK read as Big5: `debian 麼 deb` between repaired clauses is `或`), and is scored
        // in the script of those repairs (`麼` is cheap Traditional, the line came back
        // Simplified); so is a piece on a line that is all damage otherwise.
        let between = relaxed && self.between_repairs(start, end);
        let script = if between || relaxed && self.rest_of_line_repaired(start, end) {
            self.line_script(start)
        } else {
            None
        };
        let gain =
            cost_in(script, before, original, after) - cost_in(script, before, &decoded, after);
        // On a line with proven damage the margin is halved. Where nothing was lost (a
        // single-byte code page was the wrong one, and it holds no Chinese of its own) the
        // line's other non-ASCII characters are that damage too, and being cheaper is enough
        // (`Þô` → `摁`, `æI` → `鍵` save less than a nat each), unless the piece is inside a
        // Latin word or next to an accented letter (`bæinn`, `¿sí`): genuine European text on
        // the line. (Chinese read as Latin-1 often touches ASCII: `»òcpio` is `或cpio`.)
        let latin = |c: Option<char>| c.is_some_and(is_latin_letter);
        let accented = |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && is_latin_letter(c));
        let in_word = latin(before) && latin(after) || accented(before) || accented(after);
        let margin = match (relaxed, family.wrong) {
            (false, _) => MARGIN + MARGIN_PER_CHAR * non_ascii.len() as f32,
            (true, Wrong::Windows1252) if in_word && han > 0 => return None,
            (true, Wrong::Windows1252) => f32::MIN_POSITIVE,
            (true, _) if between => f32::MIN_POSITIVE,
            (true, _) => (MARGIN + MARGIN_PER_CHAR * non_ascii.len() as f32) / 2.0,
        };
        if gain < margin {
            return None;
        }
        // A strict candidate must read like language: a cheap average, or one character that
        // Chinese text has (a rare `摁` or a symbol `→` decoded from five characters of damage).
        let mut decoded_chars = decoded.chars();
        let one_known = match (decoded_chars.next(), decoded_chars.next()) {
            (Some(c), None) => is_plain_chinese(c) && !c.is_ascii(),
            _ => false,
        };
        let chars = decoded.chars().count().max(1) as f32;
        if !relaxed && !one_known && cost(None, &decoded, None) / chars > MAX_CANDIDATE_AVG {
            return None;
        }
        // A short span read through a CJK code page must come out as words (one known bigram per
        // three Han characters), not merely score better than other nonsense: `著鼠裡裡` → `帝公柑柑`
        // (GBK as Big5), `體а` → `铄p` (UTF-8 as Shift_JIS) are clean text.
        let short = han <= 6;
        if matches!(family.wrong, Wrong::Legacy(_))
            && !relaxed
            && short
            && (han == 0 || scorer::known_bigrams(&decoded) * 3 < han)
            && !punctuation_only
        {
            return None;
        }
        Some((
            Edit {
                kind,
                start,
                end,
                after: decoded,
            },
            gain,
        ))
    }
}

/// Applies the family's decoding again while the result still looks like its own damage.
fn redecode(family: &Family, text: &str) -> Option<String> {
    let mut current: Option<String> = None;
    for _ in 0..3 {
        let src = current.as_deref().unwrap_or(text);
        if src.is_ascii() {
            break;
        }
        let mut bytes = Vec::new();
        if !src
            .chars()
            .all(|c| encode_wrong(family.wrong, c, &mut bytes))
        {
            break;
        }
        match decode_exact(family.right, &bytes, Context::default()) {
            Some(s) if s != src => current = Some(s),
            _ => break,
        }
    }
    current
}
