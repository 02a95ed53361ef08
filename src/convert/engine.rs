//! The matcher: OpenCC's greedy longest-match conversion over the flattened tables.
//!
//! Input and output are bytes of valid UTF-8; every piece written to the output is a whole
//! character sequence taken from the input, made from an input character by a table's XOR
//! delta (which maps a character to another of the same length), or taken from the (UTF-8)
//! value pools.
//!
//! - ASCII is copied a run at a time; a run is scanned and copied eight bytes at a time. The
//!   few keys that start with ASCII letters (`SQL注入`) all reach a non-ASCII character within a
//!   few bytes (the table's `ascii_window`), so only the tail of a run before a non-ASCII
//!   character can start a match, and only that tail is looked at.
//! - Every other character costs one table lookup; a character that starts no phrase is
//!   written with one fixed-width store of its input bytes XOR its entry's delta.

use super::dict::{
    decode, load4, Dict, Hot, Sparse, Value, DELTA, DIFF, INKEY, LONG, NORM, PAIR_CKEY2,
    PAIR_COMPOSED, PAIR_INLINE, PAIR_KEY2, PHRASE, SEG, UNSAFE,
};
use super::hash::INLINE_DELTA;
use super::scan::{classify, BLOCK};

/// The text holds CJK compatibility ideographs: normalize it and convert again.
pub(crate) struct NeedsNormalization;

/// The output of one conversion: the bytes of a vector, written past its length with
/// fixed-width stores. Each write makes sure of its room itself, so the spare capacity is
/// never overrun; the vector's length is brought up to date on drop.
struct Sink<'a> {
    vec: &'a mut Vec<u8>,
    /// The vector's buffer and capacity, kept here so that they stay in registers.
    ptr: *mut u8,
    cap: usize,
    len: usize,
}

/// Spare capacity every fixed-width write keeps ahead of it.
const ROOM: usize = 16;
/// The bytes the block path reads and copies at a time: a block, and the rest of a character
/// that starts in it.
const WINDOW: usize = BLOCK + 8;

impl<'a> Sink<'a> {
    fn new(vec: &'a mut Vec<u8>, input_len: usize) -> Sink<'a> {
        vec.reserve(input_len + input_len / 8 + ROOM);
        Sink {
            ptr: vec.as_mut_ptr(),
            cap: vec.capacity(),
            len: vec.len(),
            vec,
        }
    }

    #[inline(always)]
    fn room(&mut self) {
        if self.cap - self.len < ROOM {
            self.grow(ROOM);
        }
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, n: usize) {
        self.sync();
        self.vec.reserve(n.max(self.len / 4 + 256));
        self.ptr = self.vec.as_mut_ptr();
        self.cap = self.vec.capacity();
    }

    fn sync(&mut self) {
        debug_assert!(self.len <= self.cap && self.cap == self.vec.capacity());
        // SAFETY: the bytes up to `self.len` were written by the methods below (or were the
        // vector's already), all within its capacity.
        unsafe { self.vec.set_len(self.len) }
    }

    /// Appends the first `n` bytes (`n <= 8`) of `v` in little-endian order with one 8-byte
    /// store instead of a variable-length copy.
    #[inline(always)]
    fn put8(&mut self, v: u64, n: usize) {
        debug_assert!(n <= 8);
        self.room();
        // SAFETY: `room` left at least `ROOM` >= 8 bytes of spare capacity after `self.len`,
        // so the unaligned 8-byte store stays within the allocation.
        unsafe { std::ptr::write_unaligned(self.ptr.add(self.len).cast::<u64>(), v.to_le()) };
        self.len += n.min(8);
    }

    /// Appends a value from a pool: one 16-byte move for values of up to 16 bytes (the pools
    /// are padded so that 16 bytes can always be read from a value's start).
    #[inline(always)]
    fn put_value(&mut self, value: Value) {
        if value.len <= 16 {
            let src: &[u8; 16] = value.pool[value.at..value.at + 16]
                .try_into()
                .expect("16 bytes");
            self.room();
            // SAFETY: `room` left at least `ROOM` = 16 bytes of spare capacity after
            // `self.len`, and `src` is 16 readable bytes.
            unsafe { std::ptr::copy_nonoverlapping(src.as_ptr(), self.ptr.add(self.len), 16) };
            self.len += value.len;
        } else {
            self.put_slice(value.bytes());
        }
    }

    /// Copies `src` to the spare capacity and returns that copy for editing in place; the
    /// caller then keeps `n` of its bytes with `commit(n)`.
    #[inline(always)]
    fn window(&mut self, src: &[u8; WINDOW]) -> &mut [u8; WINDOW] {
        if self.cap - self.len < WINDOW {
            self.grow(WINDOW);
        }
        // SAFETY: there are at least `WINDOW` bytes of spare capacity after `self.len` (made
        // sure of above); they are initialized by the copy before the reference is made, and
        // the reference borrows `self`, so nothing else touches the vector while it lives.
        unsafe {
            let dst = self.ptr.add(self.len);
            std::ptr::copy_nonoverlapping(src.as_ptr(), dst, WINDOW);
            &mut *dst.cast::<[u8; WINDOW]>()
        }
    }

    /// A copy of the last `window` (as edited), before anything is committed from it.
    fn last_window(&self) -> [u8; WINDOW] {
        debug_assert!(self.cap - self.len >= WINDOW);
        // SAFETY: `window` made the `WINDOW` bytes after `self.len` initialized spare
        // capacity, and nothing has moved `self.len` or the buffer since (its caller commits
        // only after this copy).
        unsafe { std::ptr::read_unaligned(self.ptr.add(self.len).cast::<[u8; WINDOW]>()) }
    }

    /// Keeps the first `n` bytes of the last `window`.
    #[inline(always)]
    fn commit(&mut self, n: usize) {
        assert!(n <= WINDOW);
        self.len += n;
    }

    fn put_slice(&mut self, bytes: &[u8]) {
        self.sync();
        self.vec.extend_from_slice(bytes);
        self.resync();
    }

    /// Forgets the bytes written after `len`.
    fn truncate(&mut self, len: usize) {
        debug_assert!(len <= self.len);
        self.len = self.len.min(len);
    }

    /// The vector, up to date, for code that writes to it directly.
    fn vec(&mut self) -> &mut Vec<u8> {
        self.sync();
        self.vec
    }

    /// Takes up the length of the vector after `vec()` wrote to it.
    fn resync(&mut self) {
        self.len = self.vec.len();
        self.ptr = self.vec.as_mut_ptr();
        self.cap = self.vec.capacity();
    }
}

impl Drop for Sink<'_> {
    fn drop(&mut self) {
        self.sync();
    }
}

/// The code point of the three-byte character whose bytes start `w`.
#[inline(always)]
fn cp3(w: u32) -> u32 {
    (w & 0x0F) << 12 | (w >> 2 & 0xFC0) | (w >> 16 & 0x3F)
}

/// The code point and length of the character whose bytes start `w`.
#[inline(always)]
fn decode_word(w: u32) -> (u32, usize) {
    let c0 = w & 0xFF;
    if c0 < 0x80 {
        (c0, 1)
    } else if c0 & 0xF0 == 0xE0 {
        (cp3(w), 3)
    } else if c0 < 0xE0 {
        (((w & 0x1F) << 6) | (w >> 8 & 0x3F), 2)
    } else {
        let cp = (w & 0x07) << 18 | (w << 4 & 0x3_F000) | (w >> 10 & 0xFC0) | (w >> 24 & 0x3F);
        (cp, 4)
    }
}

/// Copies the ASCII run at `start` and returns its end, or the first byte in it where a key
/// may start (the bytes after it are then not part of the output).
#[inline(always)]
fn ascii_run(dict: &Dict, b: &[u8], start: usize, out: &mut Sink) -> usize {
    let out_start = out.len;
    let mut i = start;
    loop {
        match b.get(i..i + 8) {
            Some(w) => {
                let word = u64::from_le_bytes(w.try_into().expect("8 bytes"));
                let high = word & 0x8080_8080_8080_8080;
                let n = if high == 0 {
                    8
                } else {
                    high.trailing_zeros() as usize / 8
                };
                out.put8(word, n);
                i += n;
                if n < 8 {
                    break;
                }
            }
            None => {
                while i < b.len() && b[i] < 0x80 {
                    out.put8(b[i] as u64, 1);
                    i += 1;
                }
                break;
            }
        }
    }
    if dict.ascii_inert() {
        return i;
    }
    let window = dict.ascii_window();
    let from = if window == usize::MAX {
        start
    } else if i < b.len() {
        start.max(i.saturating_sub(window))
    } else {
        // No non-ASCII character follows, so no key can match in this run.
        return i;
    };
    match (from..i).find(|&p| dict.ascii_active(b[p])) {
        Some(stop) => {
            out.truncate(out_start + (stop - start));
            stop
        }
        None => i,
    }
}

#[cfg(test)]
thread_local! {
    /// Tests turn the block path off to compare it with the general path.
    pub(crate) static GENERAL_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[inline(always)]
fn blocks_enabled() -> bool {
    #[cfg(test)]
    {
        !GENERAL_ONLY.with(|g| g.get())
    }
    #[cfg(not(test))]
    {
        true
    }
}

/// What the block path does where a chain phrase may start (an entry with `flagged`).
enum Hit {
    /// Nothing starts here: the character keeps its own value.
    None,
    /// A key of this byte length with this value starts here.
    Key(usize, Value),
    /// The general path must take over here.
    Bail,
}

/// Where the double array has the bigrams a block found, by the byte where each starts: kept
/// from block to block (an index is read only where this block wrote it).
type Slots = [usize; BLOCK];

/// The block path: converts the 64 bytes of text from `start` (which has at least `WINDOW`
/// bytes from there on), or up to the first byte it leaves to the general path: a two-byte
/// character with an entry, a four-byte character, an ASCII byte the table knows, a three-byte
/// character whose entry has a flag of `hard`. Returns where it stopped (`start` if at once).
///
/// The block is copied to the output as it is, and then edited in place: each three-byte
/// character gets its entry's delta (which keeps its length). Then, in order, wherever a
/// phrase may start (the double array knows the bigram of two adjacent characters, or the
/// next character is out of sight), the phrase is matched, and a key's value is written over
/// the key when both have the same length (a value of another length ends the block); where
/// no phrase starts at a character with `UNSAFE` (with `MARK`), `at` decides.
#[inline(always)]
fn block<const MARK: bool, const STOP: bool>(
    dict: &Dict,
    composed: Option<&Dict>,
    b: &[u8],
    start: usize,
    out: &mut Sink,
    slots: &mut Slots,
    mut at: impl FnMut(usize, u64) -> Result<Hit, NeedsNormalization>,
) -> Result<usize, NeedsNormalization> {
    let src: &[u8; WINDOW] = b[start..start + WINDOW].try_into().expect("window");
    let Some((leads, limit)) = block_leads(dict, composed, b, start, src) else {
        return Ok(start);
    };
    let win = out.window(src);
    let hot = dict.hot();
    let leads = if dict.dense() {
        convert_leads::<MARK, STOP, true>(hot, src, win, leads, slots)
    } else {
        convert_leads::<MARK, STOP, false>(hot, src, win, leads, slots)
    };
    let Leads {
        pairs,
        adjacent,
        marked,
        last,
        last_entry,
        end,
        stop,
    } = leads;
    let limit = stop.unwrap_or(limit);
    let end = end.max(limit);
    // The last character's successor is out of sight (an ASCII character after it starts no
    // key with it: `ascii_second` is false).
    let unseen = if last + 3 >= end && last_entry & PHRASE != 0 {
        1u64 << last
    } else {
        0
    };
    // A flagged character needs `at` where a composed phrase may start: where its bigram has
    // one (below), or where the next character is not a three-byte one in the block.
    let mut hits = pairs | unseen | marked & !adjacent;
    // Whether a composed phrase (two characters or more) can start at a flagged character at
    // `p`: where its bigram is in the double array, only if the slot says so; elsewhere not
    // before an ASCII byte, unless the composed table has such a bigram. Spares `at` (and its
    // look-ups in the composed table) where it cannot find anything: on han-dense s2twp it ran
    // 18,700 times per MB to find 1,700 phrases, now 7,400 (8,800 fewer before ASCII, 2,500
    // where the slot has none); s2twp +2-3% on either input.
    let ascii_composes = composed.is_some_and(|c| c.ascii_second());
    let composable = |p: usize| {
        if pairs >> p & 1 != 0 {
            hot.composed(slots[p])
        } else {
            src[p + 3] >= 0x80 || ascii_composes
        }
    };
    // Bit `p`: the character at `p + 3` and the next are converted, and no phrase of the table
    // starts with the two.
    let bare = (adjacent & !pairs) >> 3;
    let mut skip = 0;
    let mut edits = Edits::new();
    while hits != 0 {
        let p = hits.trailing_zeros() as usize;
        hits &= hits - 1;
        if pairs >> p & 1 != 0 {
            // Two three-byte characters start a key. Usually the third character rules out
            // the longer keys, and either the bigram is the key, its value inline, or no key
            // starts here: decided without a branch.
            let third = u32::from_le_bytes(src[p + 6..p + 10].try_into().expect("4 bytes"));
            let active = p >= skip;
            if let Some(pair) = hot.pair(slots[p], third) {
                let take = active & (pair & PAIR_KEY2 != 0);
                // Where no key starts, a flagged character still needs `at`.
                let flag = !take & active & (marked >> p & 1 != 0) & (pair & PAIR_COMPOSED != 0);
                // Unless the composed phrase is the bigram, its value inline, and no
                // segmentation phrase starts at the second character to end the run there:
                // none starts with it and the next character, or the next is ASCII (which no
                // key has second). On the corpus, 1,157 of these phrases per MB are before
                // ASCII.
                let free = bare >> p & 1 != 0 || src[p + 6] < 0x80;
                let inline = flag & (pair & PAIR_INLINE != 0) & free;
                // Nor where no composed phrase can start: the bigram is not one, and the third
                // character rules out the longer ones.
                let none = flag & (pair & PAIR_CKEY2 == 0);
                if pair & (PAIR_KEY2 | PAIR_INLINE) != PAIR_KEY2 && (!flag || inline || none) {
                    let take = take | inline;
                    let mask = if take { 0xFFFF_FFFF_FFFF } else { 0 };
                    let key = u64::from_le_bytes(src[p..p + 8].try_into().expect("8 bytes"));
                    let dst: &mut [u8; 8] = (&mut win[p..p + 8]).try_into().expect("8 bytes");
                    let old = u64::from_le_bytes(*dst);
                    *dst = (old & !mask | (key ^ (pair & INLINE_DELTA)) & mask).to_le_bytes();
                    skip = if take { p + 6 } else { skip };
                    continue;
                }
            }
            if !active {
                continue;
            }
        } else if p < skip {
            continue;
        }
        let found = if pairs >> p & 1 != 0 {
            dict.match_pair(b, start + p, slots[p])
        } else if unseen >> p & 1 != 0 {
            let w = u32::from_le_bytes(src[p..p + 4].try_into().expect("4 bytes"));
            dict.match_phrase(b, start + p, 3, hot.entry3(w))
        } else {
            None
        };
        let hit = match found {
            Some((key_len, value)) => Hit::Key(key_len, value),
            None if marked >> p & 1 != 0 && composable(p) => {
                let w = u32::from_le_bytes(src[p..p + 4].try_into().expect("4 bytes"));
                at(start + p, hot.entry3(w))?
            }
            None => Hit::None,
        };
        match hit {
            Hit::None => {}
            Hit::Key(key_len, value) if value.len == key_len && p + key_len <= end => {
                patch(win, p, value);
                skip = p + key_len;
            }
            // Only in fused tables (with `MARK`), whose phrases change length often (s2twp:
            // `英伟达` to `輝達`); in the others such keys are rare, and the arm cost s2t 2%.
            Hit::Key(key_len, value) if MARK && p + key_len <= end && edits.len < MAX_EDITS => {
                edits.list[edits.len] = Edit {
                    at: p,
                    key_len,
                    value,
                };
                edits.len += 1;
                skip = p + key_len;
            }
            Hit::Key(key_len, value) => {
                edits.splice(out, p);
                out.put_value(value);
                return Ok(start + p + key_len);
            }
            Hit::Bail => {
                edits.splice(out, p);
                return Ok(start + p);
            }
        }
    }
    edits.splice(out, end);
    Ok(start + end)
}

/// What the block at `start` (its bytes `src`) may convert: the lead bytes of its three-byte
/// characters before the first byte it leaves to the general path, and that byte's place
/// (`BLOCK` if none). `None` when the table rules out the block path.
#[inline(always)]
fn block_leads(
    dict: &Dict,
    composed: Option<&Dict>,
    b: &[u8],
    start: usize,
    src: &[u8; WINDOW],
) -> Option<(u64, usize)> {
    if dict.ascii_second() {
        // A key may continue with the ASCII character after a three-byte one: not for the
        // block path (no table of OpenCC 1.4.2 has such a key).
        return None;
    }
    let (lo, hi) = dict.ascii_range();
    let (leads, twos, mut stops) = classify(src[..BLOCK].try_into().expect("block"), lo, hi);
    // A key that starts with ASCII reaches a non-ASCII character within `ascii_window` bytes,
    // and the general path looks at no other ASCII byte, nor at one without an entry (see
    // `ascii_run`): the block copies the ASCII stops that have none, or close before no
    // non-ASCII byte (the window has the bytes past the block), or where the general path
    // would find no key and copy the byte too. The stops are a range of bytes: `C`..`T` for
    // s2twp's `B`, `P`, `S`, `U`, and on the corpus most of these letters before Han text
    // (`GNU 通用`) start no key.
    let window = dict.ascii_window();
    if window < WINDOW - BLOCK {
        while stops != 0 {
            let p = stops.trailing_zeros() as usize;
            if src[p] >= 0x80
                || dict.ascii_active(src[p])
                    && src[p + 1..=p + window].iter().any(|&b| b >= 0x80)
                    && !ascii_stays(dict, composed, b, start + p)
            {
                break;
            }
            stops &= stops - 1;
        }
    }
    // A two-byte character without an entry (Latin letters with accents, no-break spaces) is
    // in no key, not even as a second character, and stays as it is: the block copies it.
    // The first one with an entry, or one that ends past the block, stops the block.
    let before_stop = (stops & stops.wrapping_neg()).wrapping_sub(1);
    let mut twos = twos & before_stop;
    while twos != 0 {
        let p = twos.trailing_zeros() as usize;
        twos &= twos - 1;
        let cp = u32::from(src[p] & 0x1F) << 6 | u32::from(src[p + 1] & 0x3F);
        if p == BLOCK - 1 || dict.entry(cp) != 0 {
            stops |= 1 << p;
            break;
        }
    }
    let limit = if stops == 0 {
        BLOCK
    } else {
        stops.trailing_zeros() as usize
    };
    let below = if limit == BLOCK {
        u64::MAX
    } else {
        (1 << limit) - 1
    };
    let leads = leads & below;
    Some((leads, limit))
}

/// What the sparse block path (`sparse_block`) carries from one block to the next.
pub(crate) struct Carry {
    /// The table's pair filters.
    sparse: Sparse,
    /// Every segment of the greedy segmentation ends here or before, or starts here or after.
    known: usize,
    /// A key whose value has its length, found running past the end of the last block: where
    /// it starts and ends, and its value, whose rest goes over the next block's bytes.
    pending: Option<(usize, usize, Value)>,
}

impl Carry {
    fn new(sparse: Sparse, at: usize) -> Carry {
        Carry {
            sparse,
            known: at,
            pending: None,
        }
    }
}

/// The block path of a plain table with sparse phrase checks (s2t): most of its phrases
/// convert to what their characters give one by one and matter only for where the next match
/// starts, so the block converts every three-byte character by its entry, as if no phrase
/// matched, and looks at the segmentation only where that can be wrong: at a character with
/// `DIFF` that the pair filter puts next to a character of a key that converts otherwise.
/// There, greedy matching from the last place before it where no key can span the two
/// characters on either side (so a segment ends there, whatever came before), or from
/// `carry.known`, gives the segment that covers it, and that segment's value is written over
/// it (the build script makes sure that a value of its key's length has each character's
/// value where the character is). Blocks follow each other without ending where segments
/// end; `settle` finds one before the general path goes on. Returns where the block ended
/// (`start` if at once).
#[inline(always)]
fn sparse_block(dict: &Dict, b: &[u8], start: usize, out: &mut Sink, carry: &mut Carry) -> usize {
    let sparse = carry.sparse;
    let src: &[u8; WINDOW] = b[start..start + WINDOW].try_into().expect("window");
    let Some((leads, limit)) = block_leads(dict, None, b, start, src) else {
        return start;
    };
    let win = out.window(src);
    let hot = dict.hot();
    let mut diff = 0u64;
    let mut end = 0;
    let mut stop = None;
    let mut rest = leads;
    while rest != 0 {
        let p = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        let w = word_at(src, p);
        let entry = hot.entry3(w);
        if entry & (NORM | LONG) != 0 {
            stop = Some(p);
            break;
        }
        win[p..p + 4].copy_from_slice(&(w ^ (entry & DELTA) as u32).to_le_bytes());
        diff |= u64::from(entry & DIFF != 0) << p;
        end = p + 3;
    }
    let end = start + end.max(stop.unwrap_or(limit));
    if let Some((pos, t, value)) = carry.pending {
        overwrite(win, start, end, pos, t, value);
        if t <= end {
            carry.pending = None;
        }
    }
    while diff != 0 {
        let at = start + diff.trailing_zeros() as usize;
        diff &= diff - 1;
        if at < carry.known {
            continue;
        }
        let p = at - start;
        let cp = cp3(word_at(src, p));
        // The characters on either side, from the block's bytes when they are three-byte ones.
        let matters = at > carry.known && {
            let before = if p >= 3 && leads >> (p - 3) & 1 != 0 {
                cp3(word_at(src, p - 3))
            } else {
                char_before(b, at).1
            };
            sparse.may_differ(before, cp)
        } || {
            let after = if p + 3 < BLOCK && leads >> (p + 3) & 1 != 0 {
                cp3(word_at(src, p + 3))
            } else {
                decode(b, at + 3).0
            };
            sparse.may_differ(cp, after)
        };
        if !matters {
            continue;
        }
        let (pos, len, value) = covering(dict, sparse, b, at, carry.known);
        let t = pos + len;
        carry.known = t;
        let Some(value) = value else { continue };
        if value.len == len {
            overwrite(win, start, end, pos, t, value);
            if t > end {
                carry.pending = Some((pos, t, value));
            }
            continue;
        }
        // A key with a value of another length: the output up to its start is final (the
        // block path writes as many bytes as it reads), its value follows.
        if pos >= start {
            out.commit(pos - start);
        } else {
            out.truncate(out.len - (start - pos));
        }
        out.put_value(value);
        carry.pending = None;
        return t;
    }
    out.commit(end - start);
    end
}

/// Writes the part of `value` (the value of the key at `pos..t`, of the key's length) that
/// falls within the block `start..end` over the block's output `win`.
#[inline(always)]
fn overwrite(win: &mut [u8; WINDOW], start: usize, end: usize, pos: usize, t: usize, value: Value) {
    let from = pos.max(start);
    let to = t.min(end);
    if from >= to {
        return;
    }
    if from == pos && t <= end {
        patch(win, pos - start, value);
    } else {
        win[from - start..to - start].copy_from_slice(&value.bytes()[from - pos..to - pos]);
    }
}

/// Before the general path takes over at `i` from the sparse block path: makes `i` a place
/// where a segment ends, writing the rest of a key that covers it, and returns that place.
fn settle(dict: &Dict, b: &[u8], i: usize, out: &mut Sink, carry: Carry) -> usize {
    if let Some((pos, t, value)) = carry.pending {
        if t > i {
            out.put_slice(&value.bytes()[i - pos..]);
            return t;
        }
    }
    if i <= carry.known {
        return i;
    }
    let (pos, len, value) = covering(dict, carry.sparse, b, i, carry.known);
    if pos == i {
        return i;
    }
    let value = value.expect("only keys cross a character boundary");
    if value.len == len {
        out.put_slice(&value.bytes()[i - pos..]);
    } else {
        // Not expected (the first character of such a key has `DIFF`, and the block that
        // finds the key writes its value and ends after it), but exact anyway.
        out.truncate(out.len - (i - pos));
        out.put_value(value);
    }
    pos + len
}

/// The segment of the greedy segmentation that covers byte `at` (a character boundary, after
/// `known`, where a segment ends): its start, byte length and value (see `segment`), by
/// greedy matching from the last place before `at` where a segment must end.
fn covering(
    dict: &Dict,
    sparse: Sparse,
    b: &[u8],
    at: usize,
    known: usize,
) -> (usize, usize, Option<Value>) {
    let mut pos = sync_before(sparse, b, at, known);
    loop {
        let (len, value) = segment(dict, b, pos);
        if pos + len > at {
            return (pos, len, value);
        }
        pos += len;
    }
}

/// The little-endian word of the four bytes of `src` from `p` on.
#[inline(always)]
fn word_at(src: &[u8; WINDOW], p: usize) -> u32 {
    u32::from_le_bytes(src[p..p + 4].try_into().expect("4 bytes"))
}

/// The start and code point of the character before byte `i` (> 0) of valid UTF-8.
#[inline(always)]
fn char_before(b: &[u8], i: usize) -> (usize, u32) {
    let mut j = i - 1;
    while b[j] & 0xC0 == 0x80 {
        j -= 1;
    }
    (j, decode(b, j).0)
}

/// The last place at or before `i` (a character boundary) where no key spans the characters
/// on either side, so that a segment ends there; `known` (where a segment ends) at the latest.
#[inline(always)]
fn sync_before(sparse: Sparse, b: &[u8], mut i: usize, known: usize) -> usize {
    while i > known {
        let (before, c) = char_before(b, i);
        if !sparse.may_span(c, decode(b, i).0) {
            break;
        }
        i = before;
    }
    i
}

/// The segment greedy matching makes at `i` (where one starts): its byte length, and its value
/// if it is a key of two or more characters (else the character converts by its entry).
#[inline]
fn segment(dict: &Dict, b: &[u8], i: usize) -> (usize, Option<Value>) {
    let (cp, len) = decode(b, i);
    let entry = dict.entry(cp);
    if entry & PHRASE != 0 {
        if let Some((key_len, value)) = dict.match_phrase(b, i, len, entry) {
            return (key_len, Some(value));
        }
    }
    (len, None)
}

/// A key whose value has another length than the key, where the block path found it.
#[derive(Clone, Copy)]
struct Edit {
    at: usize,
    key_len: usize,
    value: Value,
}

/// The length-changing keys one block may hold; the next one ends the block, as one that
/// crosses the block's end does.
const MAX_EDITS: usize = 4;

/// The keys with values of another length that a block found, in order. Ending the block at
/// each (as it used to) threw away the rest of the block's work, and one word (`英伟达`, whose
/// s2twp value `輝達` is shorter) ended a quarter of the blocks on the han-dense text.
struct Edits {
    list: [Edit; MAX_EDITS],
    len: usize,
}

impl Edits {
    fn new() -> Edits {
        let none = Edit {
            at: 0,
            key_len: 0,
            value: Value::EMPTY,
        };
        Edits {
            list: [none; MAX_EDITS],
            len: 0,
        }
    }

    /// Keeps the first `upto` bytes of the block's output window, with each edit's value in
    /// place of its key (all of which end by `upto`).
    #[inline(always)]
    fn splice(&self, out: &mut Sink, upto: usize) {
        let Some((first, rest)) = self.list[..self.len].split_first() else {
            out.commit(upto);
            return;
        };
        let window = out.last_window();
        // The window is at the end of the output: what comes before the first key is in place.
        out.commit(first.at);
        out.put_value(first.value);
        let mut from = first.at + first.key_len;
        for edit in rest {
            out.put_slice(&window[from..edit.at]);
            out.put_value(edit.value);
            from = edit.at + edit.key_len;
        }
        out.put_slice(&window[from..upto]);
    }
}

/// Whether the general path (of `greedy`, or of `fused` with `composed`) copies the ASCII byte
/// at `i` as it is: it has no value of its own, and no key, nor composed phrase, starts there.
/// Then the block path need not stop at it.
#[inline(never)]
fn ascii_stays(table: &Dict, composed: Option<&Dict>, b: &[u8], i: usize) -> bool {
    let cp = u32::from(b[i]);
    let entry = table.entry(cp);
    if entry & (DELTA | LONG | NORM) != 0
        || entry & PHRASE != 0 && table.match_phrase(b, i, 1, entry).is_some()
    {
        return false;
    }
    entry & (UNSAFE | SEG) != UNSAFE
        || composed.is_some_and(|c| matches!(composed_match(table, c, b, i, cp, 1), Ok(None)))
}

/// What `convert_leads` found.
struct Leads {
    /// Bit `p`: two three-byte characters at `p` and `p + 3` start some key (the index of their
    /// double-array slot is at `slots[p]`).
    pairs: u64,
    /// Bit `p`: the character at `p` was converted, and so was the one at `p + 3`.
    adjacent: u64,
    /// Bit `p`: the character at `p` has `UNSAFE`.
    marked: u64,
    /// The last character converted, and its entry (0, 0 if none), and where it ends (0).
    last: usize,
    last_entry: u64,
    end: usize,
    /// The character with a flag of `hard` it stopped at.
    stop: Option<usize>,
}

/// The block path's first pass: writes each three-byte character of `leads` (lead bytes in
/// `src`) into `win` with its entry's delta, and notes where a bigram starts a key. Stops at
/// `NORM`, `LONG`, and with `STOP` at `UNSAFE`; with `MARK` notes `UNSAFE` instead. With
/// `DENSE` (tables where most characters start some phrase) the bigram check runs for every
/// character, without a branch; else only after a `PHRASE`. Inlined: out of line (so that its
/// loop had the registers to itself) it was 3-4% slower on s2t and 4-7% on t2s, a call per
/// block with its spills and the `Leads` it returned through memory.
#[inline(always)]
fn convert_leads<const MARK: bool, const STOP: bool, const DENSE: bool>(
    hot: Hot,
    src: &[u8; WINDOW],
    win: &mut [u8; WINDOW],
    mut leads: u64,
    slots: &mut Slots,
) -> Leads {
    let hard = NORM | LONG | if STOP { UNSAFE } else { 0 };
    let all = leads;
    let mut pairs = 0u64;
    let mut marked = 0u64;
    let (mut prev, mut prev_entry) = (0usize, 0u64);
    let mut stop = None;
    let mut end = 0;
    while leads != 0 {
        let p = leads.trailing_zeros() as usize;
        leads &= leads - 1;
        let w = u32::from_le_bytes(src[p..p + 4].try_into().expect("4 bytes"));
        let entry = hot.entry3(w);
        if entry & hard != 0 {
            stop = Some(p);
            break;
        }
        win[p..p + 4].copy_from_slice(&(w ^ (entry & DELTA) as u32).to_le_bytes());
        // Whether the previous character starts a key with this one (when they are adjacent,
        // which the mask below makes sure of).
        if DENSE || prev_entry & PHRASE != 0 {
            let (index, named) = hot.bigram(prev_entry, entry);
            slots[prev] = index;
            pairs |= u64::from(named) << prev;
        }
        if MARK {
            marked |= u64::from(entry & UNSAFE != 0) << p;
        }
        (prev, prev_entry) = (p, entry);
        end = p + 3;
    }
    let converted = match stop {
        Some(stop) => all & ((1 << stop) - 1),
        None => all,
    };
    let adjacent = converted & converted >> 3;
    Leads {
        pairs: pairs & adjacent,
        adjacent,
        marked,
        last: prev,
        last_entry: prev_entry,
        end,
        stop,
    }
}

/// Writes `value` over the bytes of `win` from `p` on: a masked 16-byte merge when it fits.
#[inline(always)]
fn patch(win: &mut [u8; WINDOW], p: usize, value: Value) {
    let n = value.len;
    if n <= 16 && p + 16 <= WINDOW {
        let dst: &mut [u8; 16] = (&mut win[p..p + 16]).try_into().expect("16 bytes");
        let src: &[u8; 16] = value.pool[value.at..value.at + 16]
            .try_into()
            .expect("16 bytes");
        let mask = if n == 16 {
            u128::MAX
        } else {
            (1u128 << (8 * n)) - 1
        };
        let old = u128::from_le_bytes(*dst);
        let new = u128::from_le_bytes(*src);
        *dst = (old & !mask | new & mask).to_le_bytes();
    } else {
        win[p..p + n].copy_from_slice(value.bytes());
    }
}

/// Writes the character at `i` (`len` bytes, `w` its first bytes) with its value.
#[inline(always)]
fn emit(dict: &Dict, w: u32, len: usize, entry: u64, out: &mut Sink) {
    if entry & LONG != 0 {
        out.put_value(dict.long_value(entry));
    } else {
        out.put8((w ^ (entry & DELTA) as u32) as u64, len);
    }
}

/// One conversion stage over the whole of `b` (OpenCC's `Conversion::Convert`).
/// With `CHECK_NORM`, stops at the first compatibility ideograph.
#[inline]
pub(crate) fn greedy<const CHECK_NORM: bool>(
    dict: &Dict,
    b: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), NeedsNormalization> {
    let mut out = Sink::new(out, b.len());
    let mut slots = [0; BLOCK];
    let mut carry = None;
    let mut i = 0;
    while i < b.len() {
        if b.len() - i >= WINDOW && blocks_enabled() {
            let end = match dict.sparse() {
                Some(sparse) => {
                    let carry = carry.get_or_insert_with(|| Carry::new(sparse, i));
                    sparse_block(dict, b, i, &mut out, carry)
                }
                None => block::<false, false>(dict, None, b, i, &mut out, &mut slots, |_, _| {
                    Ok(Hit::None)
                })?,
            };
            if end > i {
                i = end;
                continue;
            }
        }
        if let Some(carry) = carry.take() {
            let settled = settle(dict, b, i, &mut out, carry);
            if settled > i {
                i = settled;
                continue;
            }
        }
        if b[i] < 0x80 {
            i = ascii_run(dict, b, i, &mut out);
            if i >= b.len() || b[i] >= 0x80 {
                continue;
            }
        }
        let w = load4(b, i);
        let (cp, len) = decode_word(w);
        let entry = dict.entry(cp);
        if entry & (PHRASE | NORM) != 0 {
            if CHECK_NORM && entry & NORM != 0 {
                return Err(NeedsNormalization);
            }
            if entry & PHRASE != 0 {
                if let Some((key_len, value)) = dict.match_phrase(b, i, len, entry) {
                    out.put_value(value);
                    i += key_len;
                    continue;
                }
            }
        }
        emit(dict, w, len, entry, &mut out);
        i += len;
    }
    Ok(())
}

/// Segmented conversion (OpenCC's `MaxMatchSegmentation` + `ConversionChain`) over a fused
/// table: segmentation phrases carry their chain output; so does every character the chain
/// converts on its own, so a run between phrases is converted character by character, at the
/// cost of one lookup each. From a character where a chain phrase may start (`UNSAFE`):
/// - with `composed` (the chain's phrases pulled back to source text, see `build/opencc.rs`),
///   those phrases are tried there, bounded by the next segmentation match;
/// - otherwise the run, up to its end or an earlier barrier (a character no chain key
///   contains), goes through the stages one after the other.
pub(crate) fn fused(
    table: &Dict,
    composed: Option<&Dict>,
    stages: &[&Dict],
    b: &[u8],
    out: &mut Vec<u8>,
    scratch: &mut [Vec<u8>; 2],
) -> Result<(), NeedsNormalization> {
    let mut out = Sink::new(out, b.len());
    let mut slots = [0; BLOCK];
    let mut i = 0;
    while i < b.len() {
        if b.len() - i >= WINDOW && blocks_enabled() {
            // Where a chain phrase may start, the block path tries the composed phrases;
            // without them, it leaves the character to the general path.
            let end = match composed {
                Some(composed) => {
                    block::<true, false>(
                        table,
                        Some(composed),
                        b,
                        i,
                        &mut out,
                        &mut slots,
                        |at, entry| {
                            // No segmentation phrase starts here.
                            if entry & SEG != 0 {
                                return Ok(Hit::None);
                            }
                            let cp = cp3(load4(b, at));
                            Ok(match composed_match(table, composed, b, at, cp, 3)? {
                                Some((key_len, value)) => Hit::Key(key_len, value),
                                None => Hit::None,
                            })
                        },
                    )?
                }
                None => {
                    block::<false, true>(table, composed, b, i, &mut out, &mut slots, |_, _| {
                        Ok(Hit::Bail)
                    })?
                }
            };
            if end > i {
                i = end;
                continue;
            }
        }
        if b[i] < 0x80 {
            i = ascii_run(table, b, i, &mut out);
            if i >= b.len() || b[i] >= 0x80 {
                continue;
            }
        }
        let w = load4(b, i);
        let (cp, len) = decode_word(w);
        let entry = table.entry(cp);
        if entry & (PHRASE | UNSAFE | NORM) != 0 {
            if entry & NORM != 0 {
                return Err(NeedsNormalization);
            }
            if entry & PHRASE != 0 {
                if let Some((key_len, value)) = table.match_phrase(b, i, len, entry) {
                    out.put_value(value);
                    i += key_len;
                    continue;
                }
            }
            if entry & (UNSAFE | SEG) == UNSAFE {
                if let Some(composed) = composed {
                    if let Some((key_len, value)) = composed_match(table, composed, b, i, cp, len)?
                    {
                        out.put_value(value);
                        i += key_len;
                        continue;
                    }
                } else {
                    let end = run_end(table, b, i + len)?;
                    if end > i + len {
                        convert_run(stages, &b[i..end], out.vec(), scratch);
                        out.resync();
                        i = end;
                        continue;
                    }
                }
            }
        }
        emit(table, w, len, entry, &mut out);
        i += len;
    }
    Ok(())
}

/// The longest composed phrase at `i` that stays within the run: a segmentation match inside
/// the phrase ends the run there.
#[inline]
fn composed_match(
    table: &Dict,
    composed: &Dict,
    b: &[u8],
    i: usize,
    cp: u32,
    len: usize,
) -> Result<Option<(usize, Value)>, NeedsNormalization> {
    let own = composed.entry(cp);
    if own & PHRASE == 0 {
        return Ok(None);
    }
    let Some((key_len, value)) = composed.match_from::<true>(b, i, len, own) else {
        return Ok(None);
    };
    let mut q = i + len;
    while q < i + key_len {
        let (cq, lq) = decode(b, q);
        let entry = table.entry(cq);
        if entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        if entry & SEG != 0
            || (entry & PHRASE != 0 && table.match_from::<true>(b, q, lq, entry).is_some())
        {
            // The run ends at `q`: the longest phrase that fits before it, if any.
            return Ok(composed.match_from::<true>(&b[..q], i, len, own));
        }
        q += lq;
    }
    Ok(Some((key_len, value)))
}

/// Where the run that continues at `i` must stop being converted as one piece: at the next
/// segmentation match, at the next barrier, or at the end of the text.
fn run_end(table: &Dict, b: &[u8], mut i: usize) -> Result<usize, NeedsNormalization> {
    while i < b.len() {
        let (cp, len) = decode(b, i);
        let entry = table.entry(cp);
        if entry & NORM != 0 {
            return Err(NeedsNormalization);
        }
        if entry & (INKEY | SEG) != INKEY {
            return Ok(i);
        }
        if entry & PHRASE != 0 && table.match_phrase(b, i, len, entry).is_some() {
            return Ok(i);
        }
        i += len;
    }
    Ok(i)
}

/// The conversion chain over one unmatched run, stage after stage.
fn convert_run(stages: &[&Dict], run: &[u8], out: &mut Vec<u8>, scratch: &mut [Vec<u8>; 2]) {
    if run.is_empty() {
        return;
    }
    match stages {
        [] => out.extend_from_slice(run),
        [only] => ok(greedy::<false>(only, run, out)),
        [first, middle @ .., last] => {
            let [a, b] = scratch;
            a.clear();
            ok(greedy::<false>(first, run, a));
            for stage in middle {
                b.clear();
                ok(greedy::<false>(stage, a, b));
                std::mem::swap(a, b);
            }
            ok(greedy::<false>(last, a, out));
        }
    }
}

/// Stages after normalization never report it.
fn ok(result: Result<(), NeedsNormalization>) {
    debug_assert!(result.is_ok());
}
