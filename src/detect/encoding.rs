//! Encodings zhfix reads: everything in `encoding_rs`, plus UTF-32LE/BE, HZ-GB-2312,
//! ISO-2022-KR and Johab, which `encoding_rs` leaves out and old Chinese and Korean files
//! still use.
//!
//! [`Encoding`] is a small `Copy` handle with WHATWG names; [`Encoding::decode`] decodes a whole
//! buffer and [`Decoder`] decodes chunk by chunk with the same results.

use std::fmt;

/// A character encoding zhfix can detect and decode.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Encoding(Kind);

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Rs(&'static encoding_rs::Encoding),
    Utf32 {
        big_endian: bool,
    },
    /// A 7-bit encoding that shifts into a double-byte set, decoded via its 8-bit form.
    SevenBit(SevenBit),
    /// Johab (KS X 1001 annex 3): Hangul syllables bit-packed from their jamo.
    Johab,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum SevenBit {
    /// HZ-GB-2312 (RFC 1843): `~{` shifts into GB2312, `~}` back to ASCII, `~~` is a tilde.
    Hz,
    /// ISO-2022-KR (RFC 1557): SO shifts into KS X 1001, SI back; `ESC $ ) C` is the header.
    Iso2022Kr,
}

impl Encoding {
    pub const UTF_8: Encoding = Encoding(Kind::Rs(encoding_rs::UTF_8));
    pub const UTF_16LE: Encoding = Encoding(Kind::Rs(encoding_rs::UTF_16LE));
    pub const UTF_16BE: Encoding = Encoding(Kind::Rs(encoding_rs::UTF_16BE));
    pub const UTF_32LE: Encoding = Encoding(Kind::Utf32 { big_endian: false });
    pub const UTF_32BE: Encoding = Encoding(Kind::Utf32 { big_endian: true });
    pub const GBK: Encoding = Encoding(Kind::Rs(encoding_rs::GBK));
    pub const GB18030: Encoding = Encoding(Kind::Rs(encoding_rs::GB18030));
    pub const HZ_GB_2312: Encoding = Encoding(Kind::SevenBit(SevenBit::Hz));
    pub const BIG5: Encoding = Encoding(Kind::Rs(encoding_rs::BIG5));
    pub const SHIFT_JIS: Encoding = Encoding(Kind::Rs(encoding_rs::SHIFT_JIS));
    pub const EUC_JP: Encoding = Encoding(Kind::Rs(encoding_rs::EUC_JP));
    pub const ISO_2022_JP: Encoding = Encoding(Kind::Rs(encoding_rs::ISO_2022_JP));
    pub const EUC_KR: Encoding = Encoding(Kind::Rs(encoding_rs::EUC_KR));
    pub const ISO_2022_KR: Encoding = Encoding(Kind::SevenBit(SevenBit::Iso2022Kr));
    pub const JOHAB: Encoding = Encoding(Kind::Johab);
    pub const WINDOWS_1252: Encoding = Encoding(Kind::Rs(encoding_rs::WINDOWS_1252));

    /// Wraps an `encoding_rs` encoding.
    pub fn from_encoding_rs(encoding: &'static encoding_rs::Encoding) -> Encoding {
        Encoding(Kind::Rs(encoding))
    }

    /// The `encoding_rs` encoding, for the encodings it has.
    pub fn as_encoding_rs(self) -> Option<&'static encoding_rs::Encoding> {
        match self.0 {
            Kind::Rs(e) => Some(e),
            _ => None,
        }
    }

    /// The WHATWG / encoding_rs name: `UTF-8`, `GBK`, `gb18030`, `Big5`, ... and `UTF-32LE`,
    /// `UTF-32BE`, `HZ-GB-2312`, `ISO-2022-KR`, `Johab` for the ones zhfix adds.
    pub fn name(self) -> &'static str {
        match self.0 {
            Kind::Rs(e) => e.name(),
            Kind::Utf32 { big_endian: false } => "UTF-32LE",
            Kind::Utf32 { big_endian: true } => "UTF-32BE",
            Kind::SevenBit(SevenBit::Hz) => "HZ-GB-2312",
            Kind::SevenBit(SevenBit::Iso2022Kr) => "ISO-2022-KR",
            Kind::Johab => "Johab",
        }
    }

    /// Looks an encoding up by a WHATWG label (case-insensitive, surrounding spaces ignored),
    /// plus `utf-32`, `utf-32le`, `utf-32be`, `hz-gb-2312`, `hz`, `iso-2022-kr`, `johab`.
    ///
    /// ```
    /// use zhfix::detect::Encoding;
    /// assert_eq!(Encoding::for_label("gb2312"), Some(Encoding::GBK));
    /// assert_eq!(Encoding::for_label("HZ-GB-2312").map(|e| e.name()), Some("HZ-GB-2312"));
    /// assert_eq!(Encoding::for_label("nonsense"), None);
    /// ```
    pub fn for_label(label: &str) -> Option<Encoding> {
        let lower = label.trim().to_ascii_lowercase();
        let own = match lower.as_str() {
            "utf-32" | "utf32" | "utf-32le" | "utf32le" | "ucs-4" | "ucs-4le" => Encoding::UTF_32LE,
            "utf-32be" | "utf32be" | "ucs-4be" => Encoding::UTF_32BE,
            "hz-gb-2312" | "hz" | "hz-gb" => Encoding::HZ_GB_2312,
            "iso-2022-kr" | "csiso2022kr" | "iso2022kr" => Encoding::ISO_2022_KR,
            "johab" | "cp1361" | "ms1361" => Encoding::JOHAB,
            _ => {
                let e = encoding_rs::Encoding::for_label(lower.as_bytes())?;
                // `replacement` is what WHATWG maps unsupported labels to; it decodes nothing.
                return (e != encoding_rs::REPLACEMENT).then_some(Encoding(Kind::Rs(e)));
            }
        };
        Some(own)
    }

    /// The byte-order mark of this encoding, if it has one.
    pub fn bom(self) -> Option<&'static [u8]> {
        match self.name() {
            "UTF-8" => Some(b"\xEF\xBB\xBF"),
            "UTF-16LE" => Some(b"\xFF\xFE"),
            "UTF-16BE" => Some(b"\xFE\xFF"),
            "UTF-32LE" => Some(b"\xFF\xFE\x00\x00"),
            "UTF-32BE" => Some(b"\x00\x00\xFE\xFF"),
            _ => None,
        }
    }

    /// Decodes a whole buffer. A byte-order mark of this encoding at the start is removed
    /// (never another encoding's: the encoding is not switched). Malformed bytes become U+FFFD;
    /// the flag says whether that happened.
    ///
    /// ```
    /// use zhfix::detect::Encoding;
    /// assert_eq!(Encoding::GBK.decode(b"\xC4\xE3\xBA\xC3"), ("你好".to_string(), false));
    /// assert_eq!(Encoding::HZ_GB_2312.decode(b"~{Dc:C~}!").0, "你好!");
    /// ```
    pub fn decode(&self, bytes: &[u8]) -> (String, bool) {
        let mut decoder = self.new_decoder();
        let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
        let errors = decoder.decode_to_string(bytes, &mut out, true);
        (out, errors)
    }

    /// A streaming decoder; see [`Decoder`].
    pub fn new_decoder(self) -> Decoder {
        let inner = match self.0 {
            Kind::Rs(e) => Inner::Rs(e.new_decoder_with_bom_removal()),
            Kind::Utf32 { big_endian } => Inner::Utf32 {
                big_endian,
                pending: Vec::new(),
                start: true,
            },
            Kind::SevenBit(kind) => {
                let eight_bit = match kind {
                    SevenBit::Hz => encoding_rs::GBK,
                    SevenBit::Iso2022Kr => encoding_rs::EUC_KR,
                };
                Inner::SevenBit {
                    kind,
                    shifted: false,
                    pending: Vec::new(),
                    scratch: Vec::new(),
                    inner: eight_bit.new_decoder_without_bom_handling(),
                }
            }
            Kind::Johab => Inner::Johab { lead: None },
        };
        Decoder(inner)
    }
}

impl fmt::Debug for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Decodes chunk by chunk: feed each chunk with `last == false`, the final one (possibly
/// empty) with `last == true`. The concatenated output equals [`Encoding::decode`] of the
/// concatenated input, however the input is split.
///
/// ```
/// use zhfix::detect::Encoding;
/// let mut decoder = Encoding::UTF_32LE.new_decoder();
/// let mut text = String::new();
/// decoder.decode_to_string(b"\x60\x4F\x00", &mut text, false);
/// decoder.decode_to_string(b"\x00", &mut text, true);
/// assert_eq!(text, "你");
/// ```
pub struct Decoder(Inner);

enum Inner {
    Rs(encoding_rs::Decoder),
    Utf32 {
        big_endian: bool,
        pending: Vec<u8>,
        start: bool,
    },
    SevenBit {
        kind: SevenBit,
        shifted: bool,
        pending: Vec<u8>,
        scratch: Vec<u8>,
        inner: encoding_rs::Decoder,
    },
    Johab {
        lead: Option<u8>,
    },
}

impl Decoder {
    /// Decodes `src`, appending to `dst`; returns true if malformed input was replaced by
    /// U+FFFD. Always consumes all of `src` (incomplete sequences wait for the next chunk).
    pub fn decode_to_string(&mut self, src: &[u8], dst: &mut String, last: bool) -> bool {
        match &mut self.0 {
            Inner::Rs(decoder) => decode_rs(decoder, src, dst, last),
            Inner::Utf32 {
                big_endian,
                pending,
                start,
            } => decode_utf32(*big_endian, pending, start, src, dst, last),
            Inner::SevenBit {
                kind,
                shifted,
                pending,
                scratch,
                inner,
            } => {
                scratch.clear();
                let bad = to_eight_bit(*kind, shifted, pending, src, scratch, last);
                decode_rs(inner, scratch, dst, last) || bad
            }
            Inner::Johab { lead } => decode_johab(lead, src, dst, last),
        }
    }
}

fn decode_johab(lead: &mut Option<u8>, src: &[u8], dst: &mut String, last: bool) -> bool {
    let mut errors = false;
    dst.reserve(src.len() * 3 / 2);
    for &b in src {
        match lead.take() {
            Some(l) => match johab_char(l, b) {
                Some(c) => dst.push(c),
                None => {
                    errors = true;
                    dst.push('\u{FFFD}');
                    if b < 0x80 {
                        dst.push(char::from(b));
                    }
                }
            },
            None if b < 0x80 => dst.push(char::from(b)),
            None => *lead = Some(b),
        }
    }
    if last && lead.take().is_some() {
        errors = true;
        dst.push('\u{FFFD}');
    }
    errors
}

const NONE: u8 = 0xFF;
const FILL: u8 = 0xFE;
/// Johab's 5-bit jamo fields to indices (as in Python's `_codecs_kr.c`).
const INITIAL: [u8; 32] = [
    NONE, FILL, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, NONE, NONE, NONE,
    NONE, NONE, NONE, NONE, NONE, NONE, NONE, NONE,
];
const MEDIAL: [u8; 32] = [
    NONE, NONE, FILL, 0, 1, 2, 3, 4, NONE, NONE, 5, 6, 7, 8, 9, 10, NONE, NONE, 11, 12, 13, 14, 15,
    16, NONE, NONE, 17, 18, 19, 20, NONE, NONE,
];
const FINAL: [u8; 32] = [
    NONE, FILL, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, NONE, 17, 18, 19, 20, 21,
    22, 23, 24, 25, 26, 27, NONE, NONE,
];
/// Compatibility jamo for a lone initial / final consonant.
const INITIAL_JAMO: [u16; 19] = [
    0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145, 0x3146, 0x3147,
    0x3148, 0x3149, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E,
];
const FINAL_JAMO: [u16; 27] = [
    0x3131, 0x3132, 0x3133, 0x3134, 0x3135, 0x3136, 0x3137, 0x3139, 0x313A, 0x313B, 0x313C, 0x313D,
    0x313E, 0x313F, 0x3140, 0x3141, 0x3142, 0x3144, 0x3145, 0x3146, 0x3147, 0x3148, 0x314A, 0x314B,
    0x314C, 0x314D, 0x314E,
];

/// One Johab character from its two bytes.
fn johab_char(lead: u8, trail: u8) -> Option<char> {
    if lead < 0xD8 {
        let code = u16::from(lead) << 8 | u16::from(trail);
        let i = INITIAL[usize::from(code >> 10 & 0x1F)];
        let m = MEDIAL[usize::from(code >> 5 & 0x1F)];
        let f = FINAL[usize::from(code & 0x1F)];
        if lead < 0x84 || i == NONE || m == NONE || f == NONE {
            return None;
        }
        let cp = match (i, m, f) {
            (FILL, FILL, FILL) => 0x3000,
            (FILL, FILL, f) => u32::from(FINAL_JAMO[usize::from(f - 1)]),
            (FILL, m, FILL) => 0x314F + u32::from(m),
            (FILL, _, _) => return None,
            (i, FILL, FILL) => u32::from(INITIAL_JAMO[usize::from(i)]),
            (_, FILL, _) => return None,
            (i, m, f) => {
                0xAC00
                    + u32::from(i) * 588
                    + u32::from(m) * 28
                    + if f == FILL { 0 } else { u32::from(f) }
            }
        };
        return char::from_u32(cp);
    }
    let bad_trail = trail < 0x31 || (0x80..0x91).contains(&trail) || trail & 0x7F == 0x7F;
    if lead == 0xD8
        || lead == 0xDF
        || lead > 0xF9
        || bad_trail
        || (lead == 0xDA && (0xA1..=0xD3).contains(&trail))
    {
        return None;
    }
    // Symbols and Hanja: a rearrangement of KS X 1001's rows.
    let row = if lead < 0xE0 {
        2 * (u16::from(lead) - 0xD9)
    } else {
        2 * u16::from(lead) - 0x197
    };
    let col = if trail < 0x91 {
        u16::from(trail) - 0x31
    } else {
        u16::from(trail) - 0x43
    };
    let (row, col) = if col < 0x5E {
        (row + 0x21, col + 0x21)
    } else {
        (row + 0x22, col - 0x5E + 0x21)
    };
    let euc = [(row as u8) | 0x80, (col as u8) | 0x80];
    let (text, errors) = encoding_rs::EUC_KR.decode_without_bom_handling(&euc);
    let mut chars = text.chars();
    match (errors, chars.next(), chars.next()) {
        (false, Some(c), None) => Some(c),
        _ => None,
    }
}

fn decode_rs(
    decoder: &mut encoding_rs::Decoder,
    mut src: &[u8],
    dst: &mut String,
    last: bool,
) -> bool {
    let mut errors = false;
    loop {
        let need = decoder
            .max_utf8_buffer_length(src.len())
            .unwrap_or(src.len() * 3 + 16);
        dst.reserve(need);
        let (result, read, had_errors) = decoder.decode_to_string(src, dst, last);
        errors |= had_errors;
        src = &src[read..];
        if result == encoding_rs::CoderResult::InputEmpty {
            return errors;
        }
    }
}

fn decode_utf32(
    big_endian: bool,
    pending: &mut Vec<u8>,
    start: &mut bool,
    mut src: &[u8],
    dst: &mut String,
    last: bool,
) -> bool {
    let mut errors = false;
    let mut unit = |bytes: [u8; 4], dst: &mut String, start: &mut bool| {
        let v = if big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        };
        let first = std::mem::replace(start, false);
        match char::from_u32(v) {
            Some('\u{FEFF}') if first => {}
            Some(c) => dst.push(c),
            None => {
                errors = true;
                dst.push('\u{FFFD}');
            }
        }
    };
    while !pending.is_empty() && !src.is_empty() {
        pending.push(src[0]);
        src = &src[1..];
        if pending.len() == 4 {
            unit([pending[0], pending[1], pending[2], pending[3]], dst, start);
            pending.clear();
        }
    }
    dst.reserve(src.len());
    let mut chunks = src.chunks_exact(4);
    for c in &mut chunks {
        unit([c[0], c[1], c[2], c[3]], dst, start);
    }
    pending.extend_from_slice(chunks.remainder());
    if last && !pending.is_empty() {
        pending.clear();
        dst.push('\u{FFFD}');
        errors = true;
    }
    errors
}

/// Rewrites a 7-bit shifted encoding into its 8-bit form (GBK or EUC-KR bytes): shifted pairs
/// get their high bits set, escapes vanish, and anything malformed becomes 0xFF, which the
/// 8-bit decoder turns into U+FFFD. Returns true if a malformed escape was seen.
fn to_eight_bit(
    kind: SevenBit,
    shifted: &mut bool,
    pending: &mut Vec<u8>,
    src: &[u8],
    out: &mut Vec<u8>,
    last: bool,
) -> bool {
    pending.extend_from_slice(src);
    let data = std::mem::take(pending);
    let mut i = 0;
    let mut bad = false;
    while i < data.len() {
        let rest = &data[i..];
        // How many bytes the unit at `i` needs; `None` if it is incomplete.
        let step = match kind {
            SevenBit::Hz => hz_unit(rest, shifted, out, &mut bad),
            SevenBit::Iso2022Kr => iso2022kr_unit(rest, shifted, out),
        };
        match step {
            Some(n) => i += n,
            None if last => {
                out.push(0xFF);
                bad = true;
                i = data.len();
            }
            None => break,
        }
    }
    pending.extend_from_slice(&data[i..]);
    bad
}

fn hz_unit(rest: &[u8], shifted: &mut bool, out: &mut Vec<u8>, bad: &mut bool) -> Option<usize> {
    let b = rest[0];
    if b == b'~' {
        let next = *rest.get(1)?;
        match next {
            b'{' => *shifted = true,
            b'}' => *shifted = false,
            b'~' => out.push(b'~'),
            b'\n' => {}
            _ => {
                *bad = true;
                out.push(0xFF);
            }
        }
        return Some(2);
    }
    if *shifted && (0x21..=0x7E).contains(&b) {
        let trail = *rest.get(1)?;
        if (0x21..=0x7E).contains(&trail) {
            out.extend_from_slice(&[b | 0x80, trail | 0x80]);
            return Some(2);
        }
        out.push(0xFF);
        return Some(1);
    }
    if b == b'\n' {
        *shifted = false;
    }
    out.push(if b < 0x80 { b } else { 0xFF });
    Some(1)
}

fn iso2022kr_unit(rest: &[u8], shifted: &mut bool, out: &mut Vec<u8>) -> Option<usize> {
    const HEADER: &[u8] = b"\x1B$)C";
    let b = rest[0];
    match b {
        0x1B => {
            let n = rest.len().min(HEADER.len());
            if rest[..n] != HEADER[..n] {
                out.push(0xFF);
                return Some(1);
            }
            (n == HEADER.len()).then_some(n)
        }
        0x0E => {
            *shifted = true;
            Some(1)
        }
        0x0F => {
            *shifted = false;
            Some(1)
        }
        0x21..=0x7E if *shifted => {
            let trail = *rest.get(1)?;
            if (0x21..=0x7E).contains(&trail) {
                out.extend_from_slice(&[b | 0x80, trail | 0x80]);
                Some(2)
            } else {
                out.push(0xFF);
                Some(1)
            }
        }
        _ => {
            if b == b'\n' {
                *shifted = false;
            }
            out.push(if b < 0x80 { b } else { 0xFF });
            Some(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(encoding: Encoding, bytes: &[u8], size: usize) -> (String, bool) {
        let mut decoder = encoding.new_decoder();
        let mut out = String::new();
        let mut errors = false;
        for chunk in bytes.chunks(size) {
            errors |= decoder.decode_to_string(chunk, &mut out, false);
        }
        errors |= decoder.decode_to_string(&[], &mut out, true);
        (out, errors)
    }

    #[test]
    fn names_and_labels() {
        for e in [
            Encoding::UTF_8,
            Encoding::UTF_16LE,
            Encoding::UTF_32BE,
            Encoding::UTF_32LE,
            Encoding::HZ_GB_2312,
            Encoding::ISO_2022_KR,
            Encoding::GB18030,
            Encoding::BIG5,
        ] {
            assert_eq!(Encoding::for_label(e.name()), Some(e), "{e}");
        }
        assert_eq!(Encoding::for_label("replacement"), None);
        assert_eq!(Encoding::GBK.name(), "GBK");
    }

    #[test]
    fn utf32_both_orders() {
        let le: Vec<u8> = "\u{FEFF}你好A😀"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        let be: Vec<u8> = "你好A😀"
            .chars()
            .flat_map(|c| (c as u32).to_be_bytes())
            .collect();
        assert_eq!(Encoding::UTF_32LE.decode(&le), ("你好A😀".into(), false));
        assert_eq!(Encoding::UTF_32BE.decode(&be), ("你好A😀".into(), false));
        assert!(Encoding::UTF_32BE.decode(&[0, 0, 0xD8, 0]).1);
        assert_eq!(
            Encoding::UTF_32BE.decode(&[0, 0, 0x41]),
            ("\u{FFFD}".into(), true)
        );
        for size in 1..6 {
            assert_eq!(
                chunked(Encoding::UTF_32LE, &le, size),
                ("你好A😀".into(), false)
            );
        }
    }

    #[test]
    fn hz() {
        let bytes = b"This is HZ: ~{<:Ky2;S{#,NpJ)l6HK!#~}~~ok\n~{Dc:C";
        let (text, errors) = Encoding::HZ_GB_2312.decode(bytes);
        assert_eq!(text, "This is HZ: 己所不欲，勿施於人。~ok\n你好");
        assert!(!errors);
        for size in 1..5 {
            assert_eq!(chunked(Encoding::HZ_GB_2312, bytes, size).0, text);
        }
        assert!(Encoding::HZ_GB_2312.decode(b"~x").1);
        assert!(Encoding::HZ_GB_2312.decode(b"~{D").1);
    }

    #[test]
    fn iso_2022_kr() {
        let bytes = b"\x1B$)C\x0E\x47\x51\x31\x39\x0F abc";
        let (text, errors) = Encoding::ISO_2022_KR.decode(bytes);
        assert_eq!(text, "한국 abc");
        assert!(!errors);
        for size in 1..6 {
            assert_eq!(chunked(Encoding::ISO_2022_KR, bytes, size).0, text);
        }
    }

    #[test]
    fn johab() {
        // 한국 (Hangul syllables), then a KS X 1001 symbol row and ASCII.
        let bytes = b"\xD0\x65\x8A\x82 ok";
        assert_eq!(Encoding::JOHAB.decode(bytes), ("한국 ok".into(), false));
        assert_eq!(Encoding::JOHAB.decode(b"\xD9\x31").0, "\u{3000}");
        assert!(Encoding::JOHAB.decode(b"\xD0").1);
        for size in 1..4 {
            assert_eq!(chunked(Encoding::JOHAB, bytes, size).0, "한국 ok");
        }
    }

    #[test]
    fn encoding_rs_chunks_and_bom() {
        let bytes = b"\xEF\xBB\xBF\xE4\xBD\xA0\xE5\xA5\xBD";
        assert_eq!(Encoding::UTF_8.decode(bytes), ("你好".into(), false));
        for size in 1..4 {
            assert_eq!(
                chunked(Encoding::UTF_8, bytes, size),
                ("你好".into(), false)
            );
        }
        assert!(Encoding::UTF_8.decode(b"\xFF").1);
    }
}
