//! Streaming conversion with bounded memory, identical to converting the whole text at once.
//!
//! Conversion never matches across a newline (no key contains one), nor across any character
//! that occurs in no key. The stream converts everything up to the last newline it has seen and
//! keeps the rest; a line longer than [`MAX_PENDING`] is cut after its last such character.

use std::io::{Read, Write};

use super::Converter;
use crate::Error;

/// How much of an unfinished line is held before it is cut at a safe character.
pub const MAX_PENDING: usize = 1 << 20;

/// Converts text fed in pieces; see the module docs for why the result equals one-shot output.
///
/// ```
/// use zhfix::convert::{Config, Converter, StreamConverter};
/// let converter = Converter::new(Config::S2t);
/// let mut stream = StreamConverter::new(&converter);
/// let mut out = String::new();
/// for piece in ["汉", "字\n简", "体字"] {
///     stream.feed(piece, &mut out);
/// }
/// stream.finish(&mut out);
/// assert_eq!(out, "漢字\n簡體字");
/// ```
pub struct StreamConverter<'c> {
    converter: &'c Converter,
    pending: String,
}

impl<'c> StreamConverter<'c> {
    pub fn new(converter: &'c Converter) -> StreamConverter<'c> {
        StreamConverter {
            converter,
            pending: String::new(),
        }
    }

    /// Adds `text`; appends to `out` whatever can already be converted for good.
    pub fn feed(&mut self, text: &str, out: &mut String) {
        self.pending.push_str(text);
        let cut = match memchr::memrchr(b'\n', self.pending.as_bytes()) {
            Some(newline) => Some(newline + 1),
            None if self.pending.len() > MAX_PENDING => self.safe_cut(),
            None => None,
        };
        if let Some(cut) = cut {
            self.converter.convert_into(&self.pending[..cut], out);
            self.pending.drain(..cut);
        }
    }

    /// Converts what is left at the end of the input.
    pub fn finish(&mut self, out: &mut String) {
        self.converter.convert_into(&self.pending, out);
        self.pending.clear();
    }

    /// The end of the last character no conversion can match across, or, for a pathological
    /// line of nothing but joinable characters, the last character boundary.
    fn safe_cut(&self) -> Option<usize> {
        let found = self
            .pending
            .char_indices()
            .rev()
            .find(|&(_, c)| !self.converter.joins_across(c))
            .map(|(i, c)| i + c.len_utf8());
        found.or_else(|| self.pending.char_indices().last().map(|(i, _)| i))
    }
}

/// Reads UTF-8 from `reader`, writes its conversion to `writer`, in bounded memory.
/// `label` names the input in errors (invalid UTF-8 is reported with its byte offset).
pub fn convert_stream(
    converter: &Converter,
    mut reader: impl Read,
    writer: &mut dyn Write,
    label: &str,
) -> Result<(), Error> {
    let mut stream = StreamConverter::new(converter);
    let mut buf = vec![0u8; 1 << 16];
    let mut carry: Vec<u8> = Vec::new();
    let mut offset: u64 = 0;
    let mut out = String::new();
    let write_err = |e| Error::io("<output>", e);
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(label, e)),
        };
        carry.extend_from_slice(&buf[..n]);
        let (text, invalid) = crate::utf8::valid_prefix(&carry);
        if let Some(e) = invalid.filter(|e| !e.incomplete) {
            return Err(Error::InvalidUtf8 {
                input: label.to_string(),
                offset: offset + e.valid_up_to as u64,
            });
        }
        let valid = text.len();
        stream.feed(text, &mut out);
        writer.write_all(out.as_bytes()).map_err(write_err)?;
        out.clear();
        offset += valid as u64;
        carry.drain(..valid);
    }
    if !carry.is_empty() {
        return Err(Error::InvalidUtf8 {
            input: label.to_string(),
            offset,
        });
    }
    stream.finish(&mut out);
    writer.write_all(out.as_bytes()).map_err(write_err)?;
    writer.flush().map_err(write_err)
}
