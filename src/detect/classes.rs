//! Per-character classes compiled by `build/script.rs`: which script a Han character belongs
//! to, regional variant forms, and which legacy encodings hold it as a common character.
//! The bit values mirror the `build/script.rs` constants.

use crate::tables::script as t;

pub(crate) const SIMPLIFIED: u16 = 1 << 0;
pub(crate) const TRADITIONAL: u16 = 1 << 1;
pub(crate) const TW_VARIANT: u16 = 1 << 2;
pub(crate) const HK_VARIANT: u16 = 1 << 3;
pub(crate) const JP_SHINJITAI: u16 = 1 << 4;
pub(crate) const GB_LEVEL1: u16 = 1 << 5;
pub(crate) const BIG5_LEVEL1: u16 = 1 << 6;
pub(crate) const JIS_LEVEL1: u16 = 1 << 7;
#[cfg(test)]
pub(crate) const GBK_FROM_UTF8: u16 = 1 << 8;
pub(crate) const GB2312: u16 = 1 << 10;
pub(crate) const KS_X_1001: u16 = 1 << 11;
pub(crate) const BIG5: u16 = 1 << 12;
pub(crate) const JIS_X_0208: u16 = 1 << 13;

/// One-byte classes (see `build/script.rs`): one load per character in the hot loops.
pub(crate) mod small {
    pub(crate) const SIMPLIFIED: u8 = 1;
    pub(crate) const TRADITIONAL: u8 = 2;
    pub(crate) const HAN: u8 = 4;
    pub(crate) const TW: u8 = 8;
    pub(crate) const HK: u8 = 16;
    pub(crate) const JAPANESE: u8 = 32;
    pub(crate) const HANGUL: u8 = 64;
}

/// The one-byte class of any character (table lookup for the BMP, computed above it).
#[inline]
pub(crate) fn small_class(bmp: &[u8], classes: Classes, c: char) -> u8 {
    if let Some(&b) = bmp.get(c as usize) {
        return b;
    }
    if !is_han(c) {
        return 0;
    }
    let class = classes.of(c);
    let mut b = small::HAN;
    b |= if class & SIMPLIFIED != 0 {
        small::SIMPLIFIED
    } else {
        0
    };
    b |= if class & TRADITIONAL != 0 {
        small::TRADITIONAL
    } else {
        0
    };
    b |= if class & TW_VARIANT != 0 {
        small::TW
    } else {
        0
    };
    b |= if class & HK_VARIANT != 0 {
        small::HK
    } else {
        0
    };
    b |= if class & JP_SHINJITAI != 0 {
        small::JAPANESE
    } else {
        0
    };
    b
}

/// The one-byte class table of the BMP (65536 entries).
pub(crate) fn small_table() -> &'static [u8] {
    &t::BMP.0
}

/// One-byte problem classes (see `build/script.rs`), for the problem scan.
pub(crate) mod problem {
    pub(crate) const GBK_RUN: u8 = 1;
    pub(crate) const BIG5_RUN: u8 = 2;
    pub(crate) const COMMON: u8 = 4;
    pub(crate) const LATIN: u8 = 8;
    pub(crate) const HAN: u8 = 16;
    /// U+FFFD, and the first characters of `锟斤拷`, `烫烫`, `屯屯`.
    pub(crate) const MARKER: u8 = 32;
    /// Its GBK (Big5) bytes begin valid UTF-8: a run of misread UTF-8 can start with it.
    pub(crate) const GBK_START: u8 = 64;
    pub(crate) const BIG5_START: u8 = 128;
}

/// The one-pass scan's tables: one byte per BMP character numbering its pair of classes (a
/// one-byte script class and a problem class; fewer than 256 pairs occur), and per number a
/// word: one byte per script count the character adds to, the problem class in the top byte
/// (see `build/script.rs`, `combo_word`).
pub(crate) mod combo {
    use crate::tables::script as t;

    /// The pair number of every BMP character.
    pub(crate) fn ids() -> &'static [u8; 0x10000] {
        (&t::COMBO_BMP.0[..]).try_into().expect("65536 entries")
    }

    /// The word of each pair number.
    pub(crate) fn words() -> &'static [u64; 256] {
        let words: &[u64] = bytemuck::cast_slice(&t::COMBO_WORDS.0);
        words.try_into().expect("256 words")
    }

    /// The word of a BMP character.
    #[cfg(test)]
    pub(crate) fn word(c: char) -> u64 {
        words()[usize::from(ids()[c as usize])]
    }
}

/// A view of the class table; cheap to make, so each scan makes its own.
#[derive(Clone, Copy)]
pub(crate) struct Classes {
    index: &'static [u16],
    pages: &'static [u16],
}

impl Classes {
    pub(crate) fn get() -> Classes {
        Classes {
            index: bytemuck::cast_slice(&t::INDEX.0),
            pages: bytemuck::cast_slice(&t::PAGES.0),
        }
    }

    /// The class bits of a character (0 for anything the tables do not mention).
    #[inline]
    pub(crate) fn of(self, c: char) -> u16 {
        let cp = c as usize;
        let page = usize::from(self.index.get(cp >> 8).copied().unwrap_or(0));
        self.pages
            .get(page * 256 + (cp & 0xFF))
            .copied()
            .unwrap_or(0)
    }
}

/// Characters that make decoded text look like real East Asian text: ASCII text characters,
/// CJK punctuation and full-width forms, kana, Han characters common in GB2312, Big5 or JIS
/// (level 1), KS X 1001 Hangul.
pub(crate) fn plausible(classes: Classes, c: char) -> bool {
    let class = classes.of(c);
    match c {
        '\t' | '\n' | '\r' | ' '..='~' => true,
        '\u{3000}'..='\u{303F}' | '\u{FF01}'..='\u{FF5E}' => true,
        _ if is_kana(c) => true,
        _ if is_han(c) => class & (GB_LEVEL1 | BIG5_LEVEL1 | JIS_LEVEL1) != 0,
        _ if is_hangul(c) => class & KS_X_1001 != 0,
        _ => false,
    }
}

/// Han ideographs: unified, extensions and compatibility ideographs.
#[inline]
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Hiragana and katakana (full-width, phonetic extensions, half-width).
#[inline]
pub(crate) fn is_kana(c: char) -> bool {
    matches!(c as u32, 0x3041..=0x309F | 0x30A0..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D)
}

/// Hangul syllables and jamo.
#[inline]
pub(crate) fn is_hangul(c: char) -> bool {
    matches!(c as u32, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3131..=0x318E)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opencc_knowledge() {
        let k = Classes::get();
        assert_eq!(k.of('发') & (SIMPLIFIED | TRADITIONAL), SIMPLIFIED);
        assert_eq!(k.of('們') & (SIMPLIFIED | TRADITIONAL), TRADITIONAL);
        assert_eq!(k.of('中') & (SIMPLIFIED | TRADITIONAL), 0);
        assert_ne!(k.of('裡') & TW_VARIANT, 0);
        assert_eq!(k.of('為') & (TW_VARIANT | HK_VARIANT), 0);
        assert_ne!(k.of('両') & JP_SHINJITAI, 0);
        assert_ne!(k.of('兑') & HK_VARIANT, 0);
        // Forms OpenCC's standard Traditional writes are no regional hint.
        assert_eq!(k.of('參') & (TW_VARIANT | HK_VARIANT), 0);
        assert_eq!(k.of('著') & (TW_VARIANT | HK_VARIANT), 0);
        assert_eq!(k.of('台') & (TW_VARIANT | HK_VARIANT), 0);
        assert_ne!(k.of('衞') & HK_VARIANT, 0);
        assert_eq!(k.of('兑') & SIMPLIFIED, 0);
        let bmp = small_table();
        assert_eq!(small_class(bmp, k, '们'), small::HAN | small::SIMPLIFIED);
        assert_eq!(small_class(bmp, k, 'か'), small::JAPANESE);
        assert_eq!(small_class(bmp, k, '\u{20000}') & small::HAN, small::HAN);
        assert_eq!(k.of('A'), 0);
        assert_eq!(k.of('\u{10FFFF}'), 0);
    }

    #[test]
    fn encoding_knowledge() {
        let k = Classes::get();
        assert_ne!(k.of('的') & GB_LEVEL1, 0);
        assert_ne!(k.of('的') & BIG5_LEVEL1, 0);
        assert_ne!(k.of('浣') & GBK_FROM_UTF8, 0);
        let problem_of = |c: char| (combo::word(c) >> 56) as u8;
        assert_ne!(problem_of('浣') & problem::GBK_RUN, 0);
        assert_eq!(problem_of('的') & problem::COMMON, problem::COMMON);
        assert_eq!(problem_of('�'), problem::MARKER);
        // `浣` is GBK E4 BD, the start of UTF-8 `你`; `的` is B5 C4, no UTF-8 start.
        assert_ne!(problem_of('浣') & problem::GBK_START, 0);
        assert_eq!(problem_of('的') & problem::GBK_START, 0);
        assert_ne!(problem_of('烫') & problem::MARKER, 0);
        // The lanes: simplified, traditional, common, Taiwan, Hong Kong, Japanese, Hangul.
        assert_eq!(combo::word('们') & 0xFF_FFFF_FFFF_FFFF, 1);
        assert_eq!(combo::word('裡') & 0xFF_FFFF_FFFF_FFFF, 1 << 8 | 1 << 24);
        assert_eq!(combo::word('か') & 0xFF_FFFF_FFFF_FFFF, 1 << 40);
        assert_ne!(k.of('한') & KS_X_1001, 0);
        assert_ne!(k.of('日') & JIS_LEVEL1, 0);
    }
}
