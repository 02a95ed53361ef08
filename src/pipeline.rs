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
use crate::target::{Target, TargetConverter};
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

/// The longest stretch of text [`Pipeline::fix_stream`] holds without a paragraph break.
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
        let repaired = repair::repair(text, &self.repair);
        let mut current = repaired.text;
        if let Some(converter) = &self.to {
            if let Cow::Owned(converted) = converter.convert(&current) {
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
    /// than [`MAX_LINE`] is fixed line by line, which keeps the stream's memory bounded.
    fn fix_paragraph(
        &self,
        paragraph: &str,
        offset: usize,
        out: &mut String,
        repairs: &mut Vec<Repair>,
    ) {
        let mut fix_piece = |piece: &str, at: usize| {
            let fixed = self.fix_text(piece);
            out.push_str(&fixed.text);
            repairs.extend(fixed.repairs.into_iter().map(|mut r| {
                r.start += at;
                r.end += at;
                r
            }));
        };
        if paragraph.len() <= MAX_LINE {
            return fix_piece(paragraph, offset);
        }
        let mut at = offset;
        for line in paragraph.split_inclusive('\n') {
            fix_piece(line, at);
            at += line.len();
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
        if self.from.is_none() && looks_binary(bytes, encoding) {
            return Err(Error::Input {
                path: label.to_string(),
                message: "binary file (NUL bytes), not text: skipped".to_string(),
            });
        }
        let bom = encoding.bom().is_some_and(|b| bytes.starts_with(b));
        let (text, decode_errors) = encoding.decode(bytes);
        let mut fixed = String::with_capacity(text.len());
        let mut repairs = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let end = paragraph_end(rest).unwrap_or(rest.len());
            let offset = text.len() - rest.len();
            self.fix_paragraph(&rest[..end], offset, &mut fixed, &mut repairs);
            rest = &rest[end..];
        }
        let mut output = Vec::with_capacity(bytes.len() + 16);
        output.extend_from_slice(self.output_bom(encoding, bom));
        self.encode_into(&fixed, encoding, &mut output, label)?;
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
    /// does (see [`fix_paragraph`](Self::fix_paragraph)), so the output never depends on how
    /// the reader splits the input. Returns the encoding used.
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
        // Inside a paragraph longer than MAX_LINE: its lines are fixed one by one.
        let mut long_paragraph = false;
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
                    match memchr::memchr(b'\n', rest.as_bytes()) {
                        Some(newline) => {
                            let line = &rest[..newline + 1];
                            long_paragraph = !is_blank_line(line);
                            newline + 1
                        }
                        None if last => rest.len(),
                        None if rest.len() > MAX_LINE => floor_char_boundary(rest, MAX_LINE),
                        None => break,
                    }
                } else {
                    match paragraph_end(rest) {
                        Some(end) => end,
                        None if last => rest.len(),
                        None if rest.len() > MAX_LINE => {
                            long_paragraph = true;
                            continue;
                        }
                        None => break,
                    }
                };
                fixed.clear();
                self.fix_paragraph(&rest[..end], 0, &mut fixed, &mut Vec::new());
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

/// NUL bytes outside UTF-16/UTF-32 mean a binary file (images, archives, executables).
fn looks_binary(bytes: &[u8], encoding: Encoding) -> bool {
    let wide = encoding.name().starts_with("UTF-16") || encoding.name().starts_with("UTF-32");
    let head = &bytes[..bytes.len().min(8192)];
    !wide && memchr::memchr(0, head).is_some()
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
            let reader = ChunkedReader {
                data: text.as_bytes(),
                step: read,
            };
            let mut streamed = Vec::new();
            pipeline.fix_stream(reader, &mut streamed, "t").unwrap();
            assert_eq!(
                String::from_utf8(streamed).unwrap(),
                String::from_utf8(whole.clone()).unwrap()
            );
        }
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
