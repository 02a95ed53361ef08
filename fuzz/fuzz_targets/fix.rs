//! The whole `fix` pipeline on arbitrary bytes, with every option: never panics; fixing twice
//! changes nothing more than fixing once for the text stages; streaming equals one-shot, and
//! its output does not depend on read sizes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhfix::pipeline::Pipeline;
use zhfix::punct::Style;
use zhfix::target::Target;

const TARGETS: [Target; 5] = [Target::ZhHans, Target::ZhHant, Target::ZhTw, Target::ZhHk, Target::ZhCn];
const STYLES: [Style; 4] = [Style::Keep, Style::ZhHans, Style::ZhTw, Style::ZhHk];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let mut builder = Pipeline::builder().punct(STYLES[selector as usize % 4]);
    if selector & 0x04 != 0 {
        builder = builder.all();
    }
    if selector & 0x08 != 0 {
        builder = builder.to(TARGETS[(selector as usize >> 4) % 5]);
    }
    let pipeline = builder.build();
    let Ok(doc) = pipeline.fix_bytes(rest, "fuzz") else { return };
    assert!(std::str::from_utf8(&doc.output).is_ok());
    let mut streamed = Vec::new();
    pipeline.fix_stream(rest, &mut streamed, "fuzz").expect("in-memory stream");
    // The stream fixes paragraph by paragraph as one-shot does, carrying the document's
    // evidence forward the same way: equal, where both detect on the same bytes.
    if rest.len() < 60_000 {
        assert_eq!(streamed, doc.output);
    }
    // And the stream's output never depends on how the reader splits the input.
    let cut = (selector as usize * 31) % (rest.len() + 1);
    let mut split = Vec::new();
    pipeline
        .fix_stream(Split { data: rest, cut }, &mut split, "fuzz")
        .expect("in-memory stream");
    assert_eq!(split, streamed);
});

/// Hands out `data[..cut]` first, then the rest in 7-byte reads.
struct Split<'a> {
    data: &'a [u8],
    cut: usize,
}

impl std::io::Read for Split<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = if self.cut > 0 { self.cut } else { 7 }.min(buf.len()).min(self.data.len());
        self.cut = 0;
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}
