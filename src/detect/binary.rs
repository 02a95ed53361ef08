//! Whether bytes are a binary file (an image, an archive, an executable) rather than text.

use super::detect;

/// How much of a file the binary check looks at.
const HEAD: usize = 8192;

/// NUL bytes in the first 8 KiB mean a binary file, unless the detector reads those bytes as
/// UTF-16 or UTF-32 (with or without a byte-order mark), where NULs are part of the text. The
/// one binary check of the crate: `fix` and the batch driver both ask it.
///
/// ```
/// use zhfix::detect::looks_binary;
/// assert!(!looks_binary("汉字 text".as_bytes()));
/// assert!(looks_binary(b"\x7fELF\x02\x01\x01\0\0\0\0\0"));
/// assert!(!looks_binary(b"\xff\xfea\0b\0"));
/// ```
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(HEAD)];
    if memchr::memchr(0, head).is_none() {
        return false;
    }
    !is_wide(detect(head).encoding.name())
}

fn is_wide(name: &str) -> bool {
    name.starts_with("UTF-16") || name.starts_with("UTF-32")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_every_width_is_not_binary() {
        assert!(!looks_binary(b""));
        assert!(!looks_binary("汉字 text".as_bytes()));
        let utf16le: Vec<u8> = "汉字 text, 中文"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let utf16be: Vec<u8> = "汉字 text, 中文"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert!(!looks_binary(&utf16le));
        assert!(!looks_binary(&utf16be));
        assert!(!looks_binary(b"a\0b\0c\0"));
        assert!(!looks_binary(b"\xff\xfea\0\0\0"));
        let utf32le: Vec<u8> = "中文 text, 汉字 more text"
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert!(!looks_binary(&utf32le));
    }

    #[test]
    fn nul_bytes_elsewhere_are_binary() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\0\0\0\0\0"));
        assert!(looks_binary(b"PK\x03\x04\0\0\x08\0"));
        assert!(looks_binary(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0"));
        assert!(looks_binary("中文\0中文".as_bytes()));
    }
}
