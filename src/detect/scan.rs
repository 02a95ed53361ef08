//! The one-pass scan behind [`analyze`](super::analyze) and [`scan_problems`](super::scan_problems),
//! and the streaming [`Analyzer`].
//!
//! One table load per character gives a pair number (see `classes::combo`), and the number a
//! word: script detection adds the words up (a byte per count, folded every 255 characters),
//! the problem scan reads the problem class in the top byte. Mojibake runs are
//! tracked without branches: per kind (Latin-1, GBK, Big5) one word counts the characters of the
//! open run and the balance of uncommon over common ones; only a run that closes as a suspect,
//! and the rare marker characters, leave the hot loop.
//!
//! The scan can stop and resume anywhere: [`Scanner::scan`] takes the text it may look at (with
//! context before and after) and the part to scan, and keeps every count, open run and pending
//! phrase in the scanner, so a text scanned in pieces gives exactly what it gives whole.

use super::classes::{self, combo, problem, Classes};
use super::phrases::{self, PhraseCounter};
use super::problems::{self, LineEndings, Mojibake, MojibakeKind, Problems};
use super::script::{self, ScriptReport};

/// The open mojibake runs. Per kind (Latin-1, GBK, Big5) one word: characters in the low 32
/// bits, uncommon minus common characters in the high 32 bits (wrapping).
#[derive(Clone, Copy, Default)]
struct Runs {
    latin: u64,
    gbk: u64,
    big5: u64,
}

const CHARS: u64 = 0xFFFF_FFFF;
/// Added per uncommon character; a common one adds `UNCOMMON - 2 * BALANCE`.
const UNCOMMON: u64 = 0x1_0000_0001;
const BALANCE: u64 = 0x1_0000_0000;

/// Closes as a suspect: two characters or more, more uncommon than common ones.
#[inline(always)]
fn suspect(run: u64) -> bool {
    (run & CHARS) >= 2 && ((run >> 32) as u32 as i32) > 0
}

impl Runs {
    /// Which runs a character of problem class `p` closes with a suspect in them.
    #[inline(always)]
    fn closing(&self, p: u8) -> [bool; 3] {
        [
            p & problem::LATIN == 0 && (self.latin & CHARS) >= 2,
            p & problem::GBK_RUN == 0 && suspect(self.gbk),
            p & problem::BIG5_RUN == 0 && suspect(self.big5),
        ]
    }

    /// Any run closing at ASCII would be a suspect.
    #[inline(always)]
    fn any_suspect(&self) -> bool {
        (self.latin & CHARS) >= 2 || suspect(self.gbk) || suspect(self.big5)
    }

    /// Adds a character of problem class `p`: runs it belongs to grow, the others restart.
    #[inline(always)]
    fn push(&mut self, p: u8) {
        let keep = |member: u8| 0u64.wrapping_sub(u64::from(p & member != 0));
        let step = UNCOMMON.wrapping_sub(u64::from(p & problem::COMMON != 0) * 2 * BALANCE);
        self.latin = (self.latin + 1) & keep(problem::LATIN);
        self.gbk = self.gbk.wrapping_add(step) & keep(problem::GBK_RUN);
        self.big5 = self.big5.wrapping_add(step) & keep(problem::BIG5_RUN);
    }

    /// The longest open run, in characters.
    fn longest(&self) -> usize {
        [self.latin, self.gbk, self.big5]
            .iter()
            .map(|r| (r & CHARS) as usize)
            .max()
            .unwrap_or(0)
    }
}

/// Bytes the scan must look at: everything non-ASCII, and the ASCII that starts a finding.
static INTERESTING: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x80;
    while b < 256 {
        table[b] = true;
        b += 1;
    }
    let specials = b"\n\r(<&?";
    let mut i = 0;
    while i < specials.len() {
        table[specials[i] as usize] = true;
        i += 1;
    }
    table
};

/// The first index from `i` (below `to`) of a byte the scan must look at, or `to`: a
/// non-ASCII byte, or with `PROBLEMS` one that starts a finding.
#[inline(always)]
fn skip_plain<const PROBLEMS: bool>(bytes: &[u8], mut i: usize, to: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= to {
        let mask = interesting16::<PROBLEMS>(&bytes[i..i + 16]);
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    while i < to && !(INTERESTING[usize::from(bytes[i])] && (PROBLEMS || bytes[i] >= 0x80)) {
        i += 1;
    }
    i
}

/// Bit k set when byte k of the 16 is one the scan must look at.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn interesting16<const PROBLEMS: bool>(chunk: &[u8]) -> u32 {
    use std::arch::x86_64::*;
    assert!(chunk.len() >= 16);
    // SAFETY: SSE2 is part of the x86_64 baseline, so these intrinsics are always available;
    // `_mm_loadu_si128` has no alignment requirement and reads 16 bytes, which the assert
    // above guarantees are in `chunk`.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        if !PROBLEMS {
            return (_mm_movemask_epi8(v) as u32) & 0xFFFF;
        }
        let is = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let specials = _mm_or_si128(
            _mm_or_si128(_mm_or_si128(is(b'\n'), is(b'\r')), is(b'(')),
            _mm_or_si128(_mm_or_si128(is(b'<'), is(b'&')), is(b'?')),
        );
        // The top bit of each byte: non-ASCII.
        (_mm_movemask_epi8(_mm_or_si128(specials, v)) as u32) & 0xFFFF
    }
}

/// How far past the scanned part the checks of one position read (a tag looks 202 bytes
/// ahead, `锟斤拷` 9), and how much text before it they need (a phrase, a `\r` before `\n`).
pub(crate) const LOOKAHEAD: usize = 256;
pub(crate) const LOOKBEHIND: usize = 64;
const _: () = assert!(phrases::MAX_BYTES < LOOKBEHIND);

/// Characters whose words are added up before the byte lanes are folded into the counters.
const LANE_ROOM: usize = 255;

/// Everything the scan has counted so far.
#[derive(Clone)]
pub(crate) struct Scanner {
    /// Script counts: simplified, traditional, common, Taiwan forms, Hong Kong forms, Japanese,
    /// Hangul (the lanes of the class words).
    counts: [usize; 7],
    phrases: PhraseCounter,
    runs: Runs,
    mojibake: Vec<Mojibake>,
    replacement: usize,
    kun_jin_kao: usize,
    fill_bytes: usize,
    /// The run of `烫` or `屯` being counted: its character, where it ends, its length.
    fill: (u32, usize, usize),
    annotations: usize,
    markup: usize,
    lf: usize,
    crlf: usize,
    cr: usize,
    bom: bool,
}

impl Scanner {
    pub(crate) fn new() -> Scanner {
        Scanner {
            counts: [0; 7],
            phrases: PhraseCounter::default(),
            runs: Runs::default(),
            mojibake: Vec::new(),
            replacement: 0,
            kun_jin_kao: 0,
            fill_bytes: 0,
            fill: (0, 0, 0),
            annotations: 0,
            markup: 0,
            lf: 0,
            crlf: 0,
            cr: 0,
            bom: false,
        }
    }

    /// Scans `text[from..to]` (`to` on a character boundary). `text[..from]` is what came before
    /// (at least [`LOOKBEHIND`] bytes of it, or all), `text[to..]` what follows (at least
    /// [`LOOKAHEAD`] bytes, or everything up to the end of the input); `text[0]` is at absolute
    /// offset `base`. Open mojibake runs must still be in `text`. `SCRIPT` counts script classes
    /// and regional phrases, `PROBLEMS` looks for problems.
    pub(crate) fn scan<const SCRIPT: bool, const PROBLEMS: bool>(
        &mut self,
        text: &str,
        base: usize,
        from: usize,
        to: usize,
    ) {
        let bytes = text.as_bytes();
        let to = to.min(bytes.len());
        if base + from == 0 && text.starts_with('\u{FEFF}') {
            self.bom = true;
        }
        let ids = combo::ids();
        let words = combo::words();
        let mut runs = self.runs;
        let mut lanes = 0u64;
        let mut room = LANE_ROOM;
        let mut i = from;
        while i < to {
            let b = bytes[i];
            if b < 0x80 {
                if PROBLEMS {
                    if runs.any_suspect() {
                        self.close_runs(text, base, i, [true; 3], runs);
                    }
                    runs = Runs::default();
                    if INTERESTING[usize::from(b)] {
                        self.ascii(text, base, i, b);
                    }
                }
                i = skip_plain::<PROBLEMS>(bytes, i + 1, to);
                continue;
            }
            if b & 0xF0 == 0xE0 {
                // Three-byte characters (all of CJK) in a tight loop, at most `room` of them.
                let start = i;
                let limit = to.min(i + 3 * room);
                // The character before, for phrases: a three-byte one only if this loop was
                // cut (at `room`, or between pieces of a stream).
                let mut prev_cp = match bytes.get(i.wrapping_sub(3)..i) {
                    Some(&[lead, b1, b2]) if lead & 0xF0 == 0xE0 => three_byte(lead, b1, b2),
                    _ => 0,
                };
                while i < limit && bytes[i] & 0xF0 == 0xE0 {
                    let cp = three_byte(bytes[i], bytes[i + 1], bytes[i + 2]);
                    let word = words[usize::from(ids[cp as usize])];
                    let p = (word >> 56) as u8;
                    if SCRIPT {
                        lanes = lanes.wrapping_add(word);
                    }
                    if PROBLEMS {
                        let closing = runs.closing(p);
                        if closing[0] | closing[1] | closing[2] | (p & problem::MARKER != 0) {
                            self.close_runs(text, base, i, closing, runs);
                            if p & problem::MARKER != 0 {
                                self.marker(bytes, base, i, cp);
                            }
                        }
                        runs.push(p);
                    }
                    if SCRIPT {
                        self.phrases.step(prev_cp, cp, bytes, base, i + 3);
                    }
                    prev_cp = cp;
                    i += 3;
                }
                if SCRIPT {
                    room -= (i - start) / 3;
                    if room == 0 {
                        self.fold(lanes);
                        (lanes, room) = (0, LANE_ROOM);
                    }
                }
                continue;
            }
            // Any other character: two or four bytes.
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let p = if (c as u32) < 0x10000 {
                let word = words[usize::from(ids[c as usize])];
                if SCRIPT {
                    self.fold(word);
                }
                (word >> 56) as u8
            } else {
                if SCRIPT {
                    let class = classes::small_class(&[], Classes::get(), c);
                    let mut tally = script::Tally::default();
                    tally.add_class(class, 1);
                    self.add_tally(&tally);
                }
                if classes::is_han(c) {
                    problem::HAN
                } else {
                    0
                }
            };
            if PROBLEMS {
                let closing = runs.closing(p);
                if closing[0] | closing[1] | closing[2] | (p & problem::MARKER != 0) {
                    self.close_runs(text, base, i, closing, runs);
                    if p & problem::MARKER != 0 {
                        self.marker(bytes, base, i, c as u32);
                    }
                }
                runs.push(p);
            }
            i += c.len_utf8();
        }
        if SCRIPT {
            self.fold(lanes);
        }
        self.runs = runs;
    }

    /// Adds the byte lanes of summed class words to the counters.
    fn fold(&mut self, lanes: u64) {
        for (k, count) in self.counts.iter_mut().enumerate() {
            *count += (lanes >> (8 * k) & 0xFF) as usize;
        }
    }

    fn add_tally(&mut self, t: &script::Tally) {
        let values = [
            t.simplified,
            t.traditional,
            t.common,
            t.taiwan,
            t.hong_kong,
            t.japanese,
            t.hangul,
        ];
        for (count, v) in self.counts.iter_mut().zip(values) {
            *count += v;
        }
    }

    /// Closes the open runs at `end` (the end of the input, or where a piece is cut).
    pub(crate) fn close(&mut self, text: &str, base: usize, end: usize) {
        self.close_runs(text, base, end, [true; 3], self.runs);
        self.runs = Runs::default();
    }

    /// The longest open run, in characters.
    pub(crate) fn open_chars(&self) -> usize {
        self.runs.longest()
    }

    /// Checks the runs (Latin-1, GBK, Big5, in this order) that end at `end` and may be
    /// mojibake.
    #[cold]
    #[inline(never)]
    fn close_runs(&mut self, text: &str, base: usize, end: usize, which: [bool; 3], runs: Runs) {
        let Runs { latin, gbk, big5 } = runs;
        if which[0] && (latin & CHARS) >= 2 {
            let start = run_start(text.as_bytes(), end, (latin & CHARS) as usize);
            if let Some(kind) = problems::latin_mojibake(&text[start..end]) {
                self.mojibake.push(Mojibake {
                    kind,
                    range: base + start..base + end,
                });
            }
        }
        if which[1] && suspect(gbk) {
            let start = run_start(text.as_bytes(), end, (gbk & CHARS) as usize);
            if first_class(&text[start..]) & problem::GBK_START != 0
                && problems::legacy_mojibake(&text[start..end], encoding_rs::GBK)
            {
                self.mojibake.push(Mojibake {
                    kind: MojibakeKind::Utf8AsGbk,
                    range: base + start..base + end,
                });
            }
        }
        if which[2] && suspect(big5) {
            let start = run_start(text.as_bytes(), end, (big5 & CHARS) as usize);
            let overlaps = self
                .mojibake
                .last()
                .is_some_and(|m| m.range.end > base + start);
            if !overlaps
                && first_class(&text[start..]) & problem::BIG5_START != 0
                && problems::legacy_mojibake(&text[start..end], encoding_rs::BIG5)
            {
                self.mojibake.push(Mojibake {
                    kind: MojibakeKind::Utf8AsBig5,
                    range: base + start..base + end,
                });
            }
        }
    }

    /// U+FFFD, or the first character of `锟斤拷`, `烫烫`, `屯屯`.
    #[cold]
    #[inline(never)]
    fn marker(&mut self, bytes: &[u8], base: usize, i: usize, cp: u32) {
        match cp {
            0xFFFD => self.replacement += 1,
            0x951F => {
                self.kun_jin_kao += usize::from(bytes[i..].starts_with("锟斤拷".as_bytes()));
            }
            _ => {
                // `烫烫` and `屯屯` never overlap: a run of n counts n / 2.
                let (c, end, n) = self.fill;
                let n = if c == cp && end == base + i { n + 1 } else { 1 };
                self.fill = (cp, base + i + 3, n);
                self.fill_bytes += usize::from(n % 2 == 0);
            }
        }
    }

    fn ascii(&mut self, text: &str, base: usize, i: usize, b: u8) {
        let bytes = text.as_bytes();
        // `(` and `?` right after a Han character start annotations and `?!` damage.
        let prev_han = || {
            text[..i].chars().next_back().is_some_and(|c| {
                if (c as u32) < 0x10000 {
                    combo::words()[usize::from(combo::ids()[c as usize])] >> 56
                        & 0xFF
                        & u64::from(problem::HAN)
                        != 0
                } else {
                    classes::is_han(c)
                }
            })
        };
        match b {
            b'\n' => {
                if i > 0 && bytes[i - 1] == b'\r' {
                    self.crlf += 1;
                } else {
                    self.lf += 1;
                }
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => self.cr += 1,
            b'(' if prev_han() => {
                self.annotations += usize::from(problems::annotation(&text[i..]));
            }
            b'<' => self.markup += usize::from(problems::tag(&bytes[i..])),
            b'&' => self.markup += usize::from(problems::entity(&bytes[i..])),
            b'?' if problems::gbk_punct(&text[i..]) && prev_han() => {
                let end = text[i + 2..]
                    .chars()
                    .next()
                    .map_or(i + 2, |c| i + 2 + c.len_utf8());
                self.mojibake.push(Mojibake {
                    kind: MojibakeKind::GbkPunct,
                    range: base + i..base + end,
                });
            }
            _ => {}
        }
    }

    /// The script counts and regional phrases.
    pub(crate) fn script_counts(&self) -> (script::Tally, phrases::PhraseCounts) {
        let [simplified, traditional, common, taiwan, hong_kong, japanese, hangul] = self.counts;
        let tally = script::Tally {
            simplified,
            traditional,
            common,
            taiwan,
            hong_kong,
            japanese,
            hangul,
        };
        (tally, self.phrases.counts())
    }

    /// The problems found (after [`close`](Self::close)).
    pub(crate) fn problems(&mut self) -> Problems {
        let line_endings = match (self.lf > 0, self.crlf > 0, self.cr > 0) {
            (false, false, false) => LineEndings::None,
            (true, false, false) => LineEndings::Lf,
            (false, true, false) => LineEndings::Crlf,
            (false, false, true) => LineEndings::Cr,
            _ => LineEndings::Mixed,
        };
        let mut mojibake = std::mem::take(&mut self.mojibake);
        mojibake.sort_by_key(|m| m.range.start);
        Problems {
            mojibake,
            replacement_chars: self.replacement,
            kun_jin_kao: self.kun_jin_kao,
            fill_bytes: self.fill_bytes,
            annotations: self.annotations,
            markup: self.markup,
            bom: self.bom,
            line_endings,
        }
    }
}

/// The problem class of the first character of `text` (a run member: in the BMP).
fn first_class(text: &str) -> u8 {
    text.chars().next().map_or(0, |c| {
        (combo::words()[usize::from(combo::ids()[(c as usize) & 0xFFFF])] >> 56) as u8
    })
}

/// The code point of a three-byte UTF-8 sequence.
#[inline(always)]
fn three_byte(lead: u8, b1: u8, b2: u8) -> u32 {
    u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F)
}

/// Where a run of `chars` characters that ends at `end` starts.
fn run_start(bytes: &[u8], end: usize, chars: usize) -> usize {
    let mut start = end;
    for _ in 0..chars {
        start -= 1;
        while bytes[start] & 0xC0 == 0x80 {
            start -= 1;
        }
    }
    start
}

/// [`analyze`](super::analyze) for text that arrives in pieces, in bounded memory: feed the
/// pieces (split anywhere between characters), then [`finish`](Self::finish). The result is the
/// same as [`analyze`](super::analyze) of the whole text (property-tested), except that a run of
/// over 256 Ki non-ASCII characters that might all be mojibake is judged in pieces.
///
/// ```
/// use zhfix::detect::{analyze, Analyzer};
/// let text = "這是繁體中文的軟體。\n浣犲ソ 現(xiàn)在\r\n";
/// let mut analyzer = Analyzer::new();
/// for piece in ["這是繁體中文", "的軟體。\n浣犲", "ソ 現(xiàn)在\r", "\n"] {
///     analyzer.feed(piece);
/// }
/// assert_eq!(analyzer.finish(), analyze(text));
/// ```
#[derive(Clone)]
pub struct Analyzer {
    scanner: Scanner,
    /// Text kept: context before `scanned`, and what is not scanned yet.
    buf: String,
    /// Absolute offset of `buf[0]`.
    base: usize,
    /// `buf[..scanned]` is scanned.
    scanned: usize,
    /// The start of the text, for the leftover count.
    head: String,
    /// Scan when this much text is waiting (beyond the look-ahead).
    step: usize,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

/// Scan when this much text is waiting.
const STEP: usize = 64 * 1024;
/// A longer open run is judged where the text is cut (see [`Analyzer`]).
const MAX_RUN_CHARS: usize = 256 * 1024;

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer {
            scanner: Scanner::new(),
            buf: String::new(),
            base: 0,
            scanned: 0,
            head: String::new(),
            step: STEP,
        }
    }

    /// Adds the next piece of text.
    pub fn feed(&mut self, text: &str) {
        if self.head.len() < script::LEFTOVER_SAMPLE {
            let room = script::LEFTOVER_SAMPLE + 3 - self.head.len();
            self.head.push_str(&text[..floor_boundary(text, room)]);
        }
        self.buf.push_str(text);
        if self.buf.len() - self.scanned >= self.step + LOOKAHEAD {
            self.advance();
        }
    }

    fn advance(&mut self) {
        let to = floor_boundary(&self.buf, self.buf.len() - LOOKAHEAD);
        self.scanner
            .scan::<true, true>(&self.buf, self.base, self.scanned, to);
        self.scanned = to;
        if self.scanner.open_chars() > MAX_RUN_CHARS {
            self.scanner.close(&self.buf, self.base, to);
        }
        // Keep the context the next piece needs: the open runs and a little more.
        let keep = LOOKBEHIND.max(self.scanner.open_chars() * 4);
        let drop = floor_boundary(&self.buf, self.scanned.saturating_sub(keep));
        if drop >= self.buf.len() / 2 {
            self.buf.drain(..drop);
            self.base += drop;
            self.scanned -= drop;
        }
    }

    /// The script report and the problems, as [`analyze`](super::analyze) gives them.
    pub fn finish(mut self) -> (ScriptReport, Problems) {
        let end = self.buf.len();
        self.scanner
            .scan::<true, true>(&self.buf, self.base, self.scanned, end);
        self.scanner.close(&self.buf, self.base, end);
        let (tally, phrases) = self.scanner.script_counts();
        (
            script::report(&self.head, tally, phrases),
            self.scanner.problems(),
        )
    }
}

/// The largest character boundary of `text` at or below `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Cuts `text` at the given places (moved down to character boundaries).
    fn pieces(text: &str, cuts: &[usize]) -> Vec<String> {
        let mut at: Vec<usize> = cuts
            .iter()
            .map(|&c| floor_boundary(text, c % (text.len() + 1)))
            .collect();
        at.push(0);
        at.push(text.len());
        at.sort_unstable();
        at.windows(2)
            .map(|w| text[w[0]..w[1]].to_string())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        // A tiny step makes the analyzer scan and drop text many times over short inputs, so
        // every check meets a cut: runs, look-ahead (`<tag`, `(xiàn)`, `锟斤拷`, `\r\n`),
        // look-behind (phrases, `烫烫`).
        #[test]
        fn pieces_give_the_whole(
            text in "([\\PC发們中浣犲ソä½å¥½ÄãºÃ£¬ÊÀ½ç(xiàn)<b>&#x4F60;?!\r\n烫屯锟斤拷軟體件數據庫網絡路衞説裡 ]|<abcdefghij>|這裡的軟體){0,300}",
            cuts in proptest::collection::vec(any::<usize>(), 0..12),
            step in 1usize..200,
        ) {
            let whole = super::super::analyze(&text);
            let mut analyzer = Analyzer::new();
            analyzer.step = step;
            for piece in pieces(&text, &cuts) {
                analyzer.feed(&piece);
            }
            prop_assert_eq!(analyzer.finish(), whole);
        }
    }

    #[test]
    fn long_runs_stay_bounded() {
        // Half a million characters of GBK-misread UTF-8 without a break: judged in pieces,
        // with the buffer bounded by the run cap.
        let run = "浣犲ソ".repeat(200_000);
        let mut analyzer = Analyzer::new();
        for piece in run.as_bytes().chunks(3 * 4096) {
            analyzer.feed(std::str::from_utf8(piece).expect("whole characters"));
            assert!(analyzer.buf.len() < 4 * MAX_RUN_CHARS + 2 * (STEP + LOOKAHEAD));
        }
        let (_, problems) = analyzer.finish();
        assert!(!problems.mojibake.is_empty());
    }
}
