//! `convert` over every config on arbitrary input: never panics; streaming in two pieces gives
//! the same result as one shot; text the dictionaries do not know passes through.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhfix::convert::{Config, Converter, StreamConverter};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let config = Config::ALL[selector as usize % Config::ALL.len()];
    let converter = Converter::new(config);
    // Invalid UTF-8 must be reported by convert_stream, never panic.
    let mut sink = Vec::new();
    let _ = zhfix::convert::convert_stream(&converter, rest, &mut sink, "fuzz");
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let whole = converter.convert(text).into_owned();
    let cut = (selector as usize * 7919) % (text.len() + 1);
    if text.is_char_boundary(cut) {
        let mut stream = StreamConverter::new(&converter);
        let mut out = String::new();
        stream.feed(&text[..cut], &mut out);
        stream.feed(&text[cut..], &mut out);
        stream.finish(&mut out);
        assert_eq!(out, whole);
    }
    assert_eq!(String::from_utf8(sink).ok(), Some(whole));
});
