//! The `fix` pipeline: detect → decode → repair → convert to a target script → punctuation.
//!
//! Each stage is usable alone (`detect`, `repair`, `target`, `punct`); a [`Pipeline`] strings
//! them together with one set of options, for whole documents ([`Pipeline::fix_bytes`]), for
//! text already decoded ([`Pipeline::fix`]) and for streams in bounded memory
//! ([`Pipeline::fix_stream`]).
//!
//! ```
//! use zhfix::pipeline::Pipeline;
//! use zhfix::punct::Style;
//! use zhfix::target::Target;
//!
//! let pipeline = Pipeline::builder().to(Target::ZhHans).punct(Style::ZhHans).build();
//! assert_eq!(pipeline.fix("黃仁勛,光速現身中國"), "黄仁勋，光速现身中国");
//! // GBK bytes are detected and decoded; clean UTF-8 comes back byte for byte.
//! let (gbk, _, _) = encoding_rs::GBK.encode("中华人民共和国是工人阶级领导的社会主义国家。");
//! let doc = Pipeline::builder().build().fix_bytes(&gbk, "gbk.txt").unwrap();
//! assert_eq!(doc.encoding.name(), "GBK");
//! assert_eq!(doc.output, "中华人民共和国是工人阶级领导的社会主义国家。".as_bytes());
//! ```

use std::borrow::Cow;
use std::io::{Read, Write};

use crate::detect::{self, Detection, Encoding, EncodingDetector};
use crate::punct::{normalize_punct, Style};
use crate::repair::{self, Repair, RepairOptions};
use crate::target::{Document, Target, TargetConverter};
use crate::Error;

/// How `fix` writes its output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputEncoding {
    /// UTF-8 (the default).
    #[default]
    Utf8,
    /// The encoding the input was detected (or declared) in.
    Keep,
    /// A named encoding.
    Named(Encoding),
}

/// Detection, repair, target-script conversion and punctuation, configured once.
#[derive(Clone, Debug)]
pub struct Pipeline {
    from: Option<Encoding>,
    repair: RepairOptions,
    to: Option<TargetConverter>,
    punct: Style,
    output_encoding: OutputEncoding,
    /// [`MAX_LINE`], smaller in tests.
    max_piece: usize,
}

/// Builds a [`Pipeline`]; every option defaults to "leave it alone".
#[derive(Clone, Debug, Default)]
pub struct PipelineBuilder {
    from: Option<Encoding>,
    repair: RepairOptions,
    to: Option<Target>,
    punct: Style,
    output_encoding: OutputEncoding,
}

impl PipelineBuilder {
    /// Skip detection and decode as `encoding`.
    pub fn from(mut self, encoding: Encoding) -> Self {
        self.from = Some(encoding);
        self
    }

    /// Remove inline pronunciation annotations such as `現(xiàn)`.
    pub fn strip_annotations(mut self, yes: bool) -> Self {
        self.repair.strip_annotations = yes;
        self
    }

    /// Remove stray HTML tags and decode entities left in plain text.
    pub fn strip_markup(mut self, yes: bool) -> Self {
        self.repair.strip_markup = yes;
        self
    }

    /// Every cleanup that needs no target (`--all`).
    pub fn all(self) -> Self {
        self.strip_annotations(true).strip_markup(true)
    }

    /// Convert the script to `target`, span by span.
    pub fn to(mut self, target: Target) -> Self {
        self.to = Some(target);
        self
    }

    /// Normalize punctuation to `style`.
    pub fn punct(mut self, style: Style) -> Self {
        self.punct = style;
        self
    }

    /// How [`Pipeline::fix_bytes`] and [`Pipeline::fix_stream`] encode their output.
    pub fn output_encoding(mut self, encoding: OutputEncoding) -> Self {
        self.output_encoding = encoding;
        self
    }

    pub fn build(self) -> Pipeline {
        Pipeline {
            from: self.from,
            repair: self.repair,
            to: self.to.map(TargetConverter::new),
            punct: self.punct,
            output_encoding: self.output_encoding,
            max_piece: MAX_LINE,
        }
    }
}

/// Text after the pipeline, with the repairs made (byte offsets into the input text).
#[derive(Clone, Debug)]
pub struct Fixed<'a> {
    pub text: Cow<'a, str>,
    pub repairs: Vec<Repair>,
}

/// A whole document after the pipeline.
#[derive(Clone, Debug)]
pub struct FixedDocument {
    /// The bytes to write (UTF-8 unless another output encoding was asked for).
    pub output: Vec<u8>,
    /// The encoding the input was decoded with.
    pub encoding: Encoding,
    /// The detector's verdict (`None` when the encoding was given).
    pub detection: Option<Detection>,
    /// Whether decoding met malformed bytes (replaced by U+FFFD).
    pub decode_errors: bool,
    /// Repairs, with byte offsets into the decoded text.
    pub repairs: Vec<Repair>,
    /// Whether `output` differs from the input bytes.
    pub changed: bool,
}

/// The longest piece of text fixed at once: a longer paragraph is fixed in pieces of whole lines
/// (a longer line in pieces of this size), which bounds [`Pipeline::fix_stream`]'s memory.
pub const MAX_LINE: usize = 1 << 20;

impl Pipeline {
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Repairs, converts and normalizes decoded text; borrows it back when nothing changes.
    pub fn fix<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.fix_text(text).text
    }

    /// Like [`fix`](Self::fix), with the list of repairs.
    pub fn fix_text<'a>(&self, text: &'a str) -> Fixed<'a> {
        self.fix_part(text, &mut Document::default())
    }

    /// Like [`fix_text`](Self::fix_text), for one part of a document whose earlier parts went
    /// through the same `doc` (see [`Document`]): how [`fix_bytes`](Self::fix_bytes) and
    /// [`fix_stream`](Self::fix_stream) fix a document paragraph by paragraph.
    pub fn fix_part<'a>(&self, text: &'a str, doc: &mut Document) -> Fixed<'a> {
        let repaired = repair::repair(text, &self.repair);
        let mut current = repaired.text;
        if let Some(converter) = &self.to {
            if let Cow::Owned(converted) = converter.convert_part(&current, doc) {
                current = Cow::Owned(converted);
            }
        }
        if let Cow::Owned(punctuated) = normalize_punct(&current, self.punct) {
            current = Cow::Owned(punctuated);
        }
        Fixed {
            text: current,
            repairs: repaired.repairs,
        }
    }

    /// Fixes one paragraph (lines up to and including a blank line) into `out`, with its
    /// repairs shifted by `offset`. Quotes pair within a paragraph, so a paragraph is the unit
    /// both [`fix_bytes`](Self::fix_bytes) and [`fix_stream`](Self::fix_stream) fix; one longer
    /// than [`MAX_LINE`] is fixed in pieces of whole lines (see [`next_piece`]), which keeps the
    /// stream's memory bounded without paying the per-call cost on every short line.
    fn fix_paragraph(
        &self,
        paragraph: &str,
        offset: usize,
        doc: &mut Document,
        out: &mut String,
        repairs: &mut Vec<Repair>,
    ) {
        let mut fix_piece = |piece: &str, at: usize| {
            let fixed = self.fix_part(piece, doc);
            out.push_str(&fixed.text);
            repairs.extend(fixed.repairs.into_iter().map(|mut r| {
                r.start += at;
                r.end += at;
                r
            }));
        };
        if paragraph.len() <= self.max_piece {
            return fix_piece(paragraph, offset);
        }
        let mut at = 0;
        while at < paragraph.len() {
            let (len, _) = next_piece(&paragraph[at..], true, self.max_piece).expect("last");
            fix_piece(&paragraph[at..at + len], offset + at);
            at += len;
        }
    }

    /// Detects (unless an encoding was given), decodes and fixes a whole document. `label`
    /// names it in errors.
    pub fn fix_bytes(&self, bytes: &[u8], label: &str) -> Result<FixedDocument, Error> {
        let detection = match self.from {
            Some(_) => None,
            None => Some(detect::detect(bytes)),
        };
        let encoding = self
            .from
            .or(detection.map(|d| d.encoding))
            .expect("one of them");
        if self.from.is_none() && detect::looks_binary(bytes) {
            return Err(Error::Input {
                path: label.to_string(),
                message: "binary file (NUL bytes), not text: skipped".to_string(),
            });
        }
        let bom = encoding.bom().is_some_and(|b| bytes.starts_with(b));
        // Memory: the input, the decoded text (borrowed from the input when it is valid UTF-8)
        // and the result, built in place as the output when that is UTF-8: about 2x the file.
        let (text, decode_errors) = decode_borrowed(bytes, encoding, bom);
        let output_bom = self.output_bom(encoding, bom);
        let utf8_out = self.output_for(encoding) == Encoding::UTF_8;
        let mut fixed = String::with_capacity(text.len() + output_bom.len());
        if utf8_out && !output_bom.is_empty() {
            fixed.push('\u{FEFF}');
        }
        let mut repairs = Vec::new();
        let mut doc = Document::default();
        let mut rest = &text[..];
        while !rest.is_empty() {
            let end = paragraph_end(rest).unwrap_or(rest.len());
            let offset = text.len() - rest.len();
            self.fix_paragraph(&rest[..end], offset, &mut doc, &mut fixed, &mut repairs);
            rest = &rest[end..];
        }
        drop(text);
        let output = if utf8_out {
            fixed.into_bytes()
        } else {
            let mut output = Vec::with_capacity(fixed.len() + 16);
            output.extend_from_slice(output_bom);
            self.encode_into(&fixed, encoding, &mut output, label)?;
            output
        };
        let changed = output != bytes;
        Ok(FixedDocument {
            output,
            encoding,
            detection,
            decode_errors,
            repairs,
            changed,
        })
    }

    /// Fixes a stream in bounded memory: detection reads the first 64 KiB, then the input is
    /// decoded and fixed paragraph by paragraph, exactly as [`fix_bytes`](Self::fix_bytes)
    /// does (each paragraph through [`fix_part`](Self::fix_part)), so the output never depends
    /// on how the reader splits the input. Returns the encoding used.
    pub fn fix_stream(
        &self,
        mut reader: impl Read,
        writer: &mut dyn Write,
        label: &str,
    ) -> Result<Encoding, Error> {
        let read_err = |e| Error::io(label, e);
        let write_err = |e| Error::io("<output>", e);
        let mut head = Vec::new();
        let encoding = match self.from {
            Some(encoding) => encoding,
            None => {
                let mut detector = EncodingDetector::new();
                let mut buf = vec![0u8; detect::DEFAULT_LIMIT];
                while head.len() < detect::DEFAULT_LIMIT {
                    let n = read_some(&mut reader, &mut buf).map_err(read_err)?;
                    if n == 0 {
                        break;
                    }
                    head.extend_from_slice(&buf[..n]);
                    detector.feed(&buf[..n]);
                }
                detector.finish().encoding
            }
        };
        let bom = encoding.bom().is_some_and(|b| head.starts_with(b));
        let mut decoder = encoding.new_decoder();
        let mut pending = String::new();
        let mut out_bytes = self.output_bom(encoding, bom).to_vec();
        let mut first_chunk = true;
        let mut chunk = head;
        let mut buf = vec![0u8; 1 << 16];
        let mut fixed = String::new();
        // Inside a paragraph longer than MAX_LINE: it is fixed in pieces (`next_piece`).
        let mut long_paragraph = false;
        let mut doc = Document::default();
        loop {
            let last = chunk.is_empty() && !first_chunk;
            decoder.decode_to_string(&chunk, &mut pending, last);
            let mut done = 0;
            loop {
                let rest = &pending[done..];
                if rest.is_empty() {
                    break;
                }
                let end = if long_paragraph {
                    match next_piece(rest, last, self.max_piece) {
                        Some((end, ended)) => {
                            long_paragraph = !ended;
                            end
                        }
                        None => break,
                    }
                } else {
                    match paragraph_end(rest) {
                        Some(end) => end,
                        None if last => rest.len(),
                        None if rest.len() > self.max_piece => {
                            long_paragraph = true;
                            continue;
                        }
                        None => break,
                    }
                };
                fixed.clear();
                self.fix_paragraph(&rest[..end], 0, &mut doc, &mut fixed, &mut Vec::new());
                self.encode_into(&fixed, encoding, &mut out_bytes, label)?;
                done += end;
            }
            pending.drain(..done);
            writer.write_all(&out_bytes).map_err(write_err)?;
            out_bytes.clear();
            if last {
                break;
            }
            first_chunk = false;
            let n = read_some(&mut reader, &mut buf).map_err(read_err)?;
            chunk.clear();
            chunk.extend_from_slice(&buf[..n]);
        }
        writer.flush().map_err(write_err)?;
        Ok(encoding)
    }

    /// The encoding output is written in, given the input's.
    fn output_for(&self, input: Encoding) -> Encoding {
        match self.output_encoding {
            OutputEncoding::Utf8 => Encoding::UTF_8,
            OutputEncoding::Keep => input,
            OutputEncoding::Named(encoding) => encoding,
        }
    }

    /// A byte-order mark on the input is kept when the output is in the same encoding (so
    /// clean UTF-8 with a BOM comes out byte for byte) or in UTF-16/32, which needs one.
    fn output_bom(&self, input: Encoding, had_bom: bool) -> &'static [u8] {
        let output = self.output_for(input);
        let wide = output.name().starts_with("UTF-16") || output.name().starts_with("UTF-32");
        match had_bom && (output == input || wide) {
            true => output.bom().unwrap_or_default(),
            false => &[],
        }
    }

    /// Encodes fixed text for output (UTF-8 unless asked otherwise).
    fn encode_into(
        &self,
        text: &str,
        input: Encoding,
        out: &mut Vec<u8>,
        label: &str,
    ) -> Result<(), Error> {
        encode_strict(text, self.output_for(input), out, label)
    }
}

/// Decodes a whole document, borrowing it when it is valid UTF-8 (without its byte-order mark).
fn decode_borrowed(bytes: &[u8], encoding: Encoding, bom: bool) -> (Cow<'_, str>, bool) {
    if encoding == Encoding::UTF_8 {
        let body = if bom { &bytes[3..] } else { bytes };
        if let Ok(text) = crate::utf8::to_str(body) {
            return (Cow::Borrowed(text), false);
        }
    }
    let (text, errors) = encoding.decode(bytes);
    (Cow::Owned(text), errors)
}

/// Reads once, retrying on interruption.
fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// The end of the first paragraph of `text`: just past its first blank line.
fn paragraph_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(newline) = memchr::memchr(b'\n', &bytes[start..]) {
        let end = start + newline + 1;
        if is_blank_line(&text[start..end]) {
            return Some(end);
        }
        start = end;
    }
    None
}

/// The next piece of a paragraph longer than `max`, starting at `rest`: as many whole lines as
/// fit in `max` bytes (a longer line is cut at a character boundary), up to and including the
/// paragraph's blank line. Returns its length and whether it ends the paragraph, or `None` when
/// more input is needed to decide (`last` says there is none). Whole-file and streaming `fix`
/// both cut with this one function, so the output never depends on how the input was read.
fn next_piece(rest: &str, last: bool, max: usize) -> Option<(usize, bool)> {
    let bytes = rest.as_bytes();
    let cut = |end: usize| match end {
        0 => match floor_char_boundary(rest, max) {
            0 => rest.chars().next().map_or(rest.len(), char::len_utf8),
            at => at,
        },
        end => end,
    };
    let mut end = 0;
    loop {
        match memchr::memchr(b'\n', &bytes[end..]) {
            Some(newline) => {
                let line_end = end + newline + 1;
                if line_end > max {
                    return Some((cut(end), false));
                }
                if is_blank_line(&rest[end..line_end]) {
                    return Some((line_end, true));
                }
                end = line_end;
            }
            None if rest.len() > max => return Some((cut(end), false)),
            None if last => return Some((rest.len(), true)),
            None => return None,
        }
    }
}

/// A line (with its line break) holding nothing.
fn is_blank_line(line: &str) -> bool {
    matches!(line, "\n" | "\r\n")
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Encodes `text` in `encoding`, refusing (with the character and its offset) anything the
/// encoding cannot hold: never writes a substitute.
fn encode_strict(
    text: &str,
    encoding: Encoding,
    out: &mut Vec<u8>,
    label: &str,
) -> Result<(), Error> {
    let unsupported = || Error::Input {
        path: label.to_string(),
        message: format!(
            "writing {} is not supported; use --output-encoding utf-8",
            encoding.name()
        ),
    };
    let name = encoding.name();
    if name == "UTF-8" {
        out.extend_from_slice(text.as_bytes());
        return Ok(());
    }
    if name == "UTF-16LE" || name == "UTF-16BE" {
        let big = name == "UTF-16BE";
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if big {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        return Ok(());
    }
    let rs = encoding.as_encoding_rs().ok_or_else(unsupported)?;
    let mut encoder = rs.new_encoder();
    for (start, c) in text.char_indices() {
        let mut buf = [0u8; 16];
        let mut s = [0u8; 4];
        let piece = c.encode_utf8(&mut s);
        let (result, _, written) =
            encoder.encode_from_utf8_without_replacement(piece, &mut buf, false);
        match result {
            encoding_rs::EncoderResult::InputEmpty => out.extend_from_slice(&buf[..written]),
            _ => {
                return Err(Error::Input {
                    path: label.to_string(),
                    message: format!(
                        "character {c:?} (U+{:04X}) at byte offset {start} of the output cannot be written in {name}",
                        c as u32
                    ),
                })
            }
        }
    }
    let mut buf = [0u8; 16];
    let (_, _, written) = encoder.encode_from_utf8_without_replacement("", &mut buf, true);
    out.extend_from_slice(&buf[..written]);
    Ok(())
}

#[cfg(test)]
mod stream_tests {
    use super::*;

    /// The stream fixes the same paragraphs `fix_bytes` fixes, however the reader splits the
    /// input (found by tests/properties.rs: quotes pair across the lines of a paragraph).
    #[test]
    fn stream_equals_whole_for_any_read_size() {
        let pipeline = Pipeline::builder().punct(Style::ZhHans).build();
        let text = "「\n'汉'汉」\n\n他说\"你好\",\n然后走了。\n".repeat(50);
        let whole = pipeline.fix_bytes(text.as_bytes(), "t").unwrap().output;
        for read in [1, 3, 7, 64, 4096] {
            assert_eq!(
                streamed(&pipeline, &text, read),
                String::from_utf8(whole.clone()).unwrap()
            );
        }
    }

    /// Paragraphs longer than the piece size (and lines longer than it) are cut the same way
    /// in both modes.
    #[test]
    fn long_paragraphs_stream_equals_whole() {
        let text =
            "「\n'汉'汉」一二三四五六七八九十\n\n他说\"你好\",\n然后走了。\r\n\r\n\"x\n".repeat(20);
        for style in [Style::ZhHans, Style::ZhTw] {
            for max in [1, 4, 7, 16, 50, 333] {
                let mut pipeline = Pipeline::builder().punct(style).to(Target::ZhHant).build();
                pipeline.max_piece = max;
                let whole = pipeline.fix_bytes(text.as_bytes(), "t").unwrap().output;
                for read in [1, 3, 7, 64, 4096] {
                    assert_eq!(
                        streamed(&pipeline, &text, read),
                        String::from_utf8(whole.clone()).unwrap(),
                        "max {max}, read {read}"
                    );
                }
            }
        }
    }

    #[test]
    fn pieces_are_whole_lines_when_they_fit() {
        assert_eq!(next_piece("ab\ncd\nef\n", false, 6), Some((6, false)));
        assert_eq!(next_piece("ab\ncd\n\nef\n", false, 100), Some((7, true)));
        assert_eq!(next_piece("abcdefgh\n", false, 4), Some((4, false)));
        assert_eq!(next_piece("汉字", false, 4), Some((3, false)));
        assert_eq!(next_piece("汉字", false, 2), Some((3, false)));
        assert_eq!(next_piece("ab\ncd", false, 100), None);
        assert_eq!(next_piece("ab\ncd", true, 100), Some((5, true)));
    }

    /// `text` through `fix_stream`, read `read` bytes at a time.
    fn streamed(pipeline: &Pipeline, text: &str, read: usize) -> String {
        let reader = ChunkedReader {
            data: text.as_bytes(),
            step: read,
        };
        let mut out = Vec::new();
        pipeline.fix_stream(reader, &mut out, "t").unwrap();
        String::from_utf8(out).unwrap()
    }

    struct ChunkedReader<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for ChunkedReader<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }
}
