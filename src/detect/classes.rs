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
pub(crate) const GBK_FROM_UTF8: u16 = 1 << 8;
pub(crate) const BIG5_FROM_UTF8: u16 = 1 << 9;
pub(crate) const GB2312: u16 = 1 << 10;
pub(crate) const KS_X_1001: u16 = 1 << 11;
pub(crate) const BIG5: u16 = 1 << 12;
pub(crate) const JIS_X_0208: u16 = 1 << 13;

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
        assert_ne!(k.of('為') & TW_VARIANT, 0);
        assert_ne!(k.of('両') & JP_SHINJITAI, 0);
        assert_eq!(k.of('A'), 0);
        assert_eq!(k.of('\u{10FFFF}'), 0);
    }

    #[test]
    fn encoding_knowledge() {
        let k = Classes::get();
        assert_ne!(k.of('的') & GB_LEVEL1, 0);
        assert_ne!(k.of('的') & BIG5_LEVEL1, 0);
        assert_ne!(k.of('浣') & GBK_FROM_UTF8, 0);
        assert_ne!(k.of('한') & KS_X_1001, 0);
        assert_ne!(k.of('日') & JIS_LEVEL1, 0);
    }
}
