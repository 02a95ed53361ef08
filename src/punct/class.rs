//! How a character counts as context: the class table compiled from `data/punct/classes.tsv`.

mod generated {
    include!(concat!(env!("OUT_DIR"), "/punct_tables.rs"));
}
pub(crate) use generated::{
    DASH, ELLIPSIS, EMOTICONS, FULLWIDTH, QUOTE1_CLOSE, QUOTE1_OPEN, QUOTE2_CLOSE, QUOTE2_OPEN,
    VARIANTS,
};

static CLASS_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/punct_class_index.bin"));
static CLASS_PAGES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/punct_class_pages.bin"));

/// The role a character plays when deciding whether punctuation next to it is Chinese.
/// The numbers are the ones `build/punct.rs` writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    /// Anything else: ASCII symbols, line breaks, emoji.
    Other,
    /// Han ideographs, kana, bopomofo, CJK and full-width punctuation.
    Cjk,
    /// Letters and digits of Latin-like scripts (including full-width ASCII letters and digits).
    Word,
    /// Spaces and tabs.
    Space,
    /// An opening bracket or quote that is looked through towards the right.
    Open,
    /// A closing bracket or quote that is looked through towards the left.
    Close,
    /// Looked through in both directions: ellipses, dashes, the middle dot.
    Amb,
}

impl Class {
    fn from_number(n: u8) -> Class {
        match n {
            1 => Class::Cjk,
            2 => Class::Word,
            3 => Class::Space,
            4 => Class::Open,
            5 => Class::Close,
            6 => Class::Amb,
            _ => Class::Other,
        }
    }
}

/// The class of one character.
#[inline]
pub(crate) fn class_of(c: char) -> Class {
    let cp = c as u32;
    let n = if cp < 0x80 {
        CLASS_PAGES.get(cp as usize).copied().unwrap_or(0)
    } else if cp < 0x1_0000 {
        let page = CLASS_INDEX.get((cp >> 8) as usize).copied().unwrap_or(0) as usize;
        CLASS_PAGES
            .get(page * 256 + (cp & 0xFF) as usize)
            .copied()
            .unwrap_or(0)
    } else {
        generated::SUPPLEMENTARY
            .iter()
            .find(|&&(first, last, _)| (first..=last).contains(&cp))
            .map(|&(_, _, class)| class)
            .unwrap_or(if c.is_alphanumeric() { 2 } else { 0 })
    };
    Class::from_number(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_from_the_table() {
        assert_eq!(class_of('中'), Class::Cjk);
        assert_eq!(class_of('。'), Class::Cjk);
        assert_eq!(class_of('，'), Class::Cjk);
        assert_eq!(class_of('あ'), Class::Cjk);
        assert_eq!(class_of('𠀀'), Class::Cjk);
        assert_eq!(class_of('a'), Class::Word);
        assert_eq!(class_of('7'), Class::Word);
        assert_eq!(class_of('Ａ'), Class::Word);
        assert_eq!(class_of('é'), Class::Word);
        assert_eq!(class_of('한'), Class::Word);
        assert_eq!(class_of(' '), Class::Space);
        assert_eq!(class_of('\u{3000}'), Class::Space);
        assert_eq!(class_of('\u{3001}'), Class::Cjk);
        assert_eq!(class_of('('), Class::Open);
        assert_eq!(class_of('”'), Class::Close);
        assert_eq!(class_of('…'), Class::Amb);
        assert_eq!(class_of(','), Class::Other);
        assert_eq!(class_of('😀'), Class::Other);
    }
}
