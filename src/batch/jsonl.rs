//! `--jsonl`: one JSON object per line; only one top-level string field is rewritten.
//!
//! Each line is first validated by serde_json into `IgnoredAny` (serde_json skips ignored values
//! with an explicit stack, so even 100,000 levels of nesting cost no recursion: deep nesting is
//! valid JSON that passes through, never a stack overflow). Then a small iterative scanner finds the
//! byte span of every top-level member named `field`; when its value is a string and the
//! transform changes it, only that span is replaced with the new string's JSON encoding (UTF-8,
//! minimal escapes). Every other byte of the line, other fields, spacing, key order, numbers,
//! escapes, stays exactly as it was; a line whose field does not change comes out byte-identical.

use std::borrow::Cow;

use crate::Error;

/// Why a line could not be processed (reported with its line number; the line passes through).
#[derive(Debug, PartialEq, Eq)]
pub struct LineError(pub String);

/// Rewrites the field `field` of one JSONL record `line` (without its line terminator).
/// Returns the new line, borrowed when nothing changed. Empty or blank lines pass through.
pub fn rewrite_line<'a>(
    line: &'a [u8],
    field: &str,
    apply: &mut dyn FnMut(&str) -> Result<String, Error>,
) -> Result<Cow<'a, [u8]>, LineError> {
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Cow::Borrowed(line));
    }
    // serde_json does not check the UTF-8 of strings it skips: check the whole line first.
    if let Err(e) = crate::utf8::to_str(line) {
        return Err(LineError(format!(
            "invalid UTF-8 at column {}",
            e.valid_up_to + 1
        )));
    }
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(line) {
        // serde_json counts lines and columns within this one line; keep the column only.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        return Err(LineError(format!(
            "invalid JSON at column {}: {message}",
            e.column()
        )));
    }
    let members = top_level_members(line)?;
    let mut out: Option<Vec<u8>> = None;
    let mut copied = 0;
    for (key, value) in members {
        let key_text: String = serde_json::from_slice(&line[key.0..key.1])
            .map_err(|e| LineError(format!("invalid key: {e}")))?;
        if key_text != field || line[value.0] != b'"' {
            continue;
        }
        let text: String = serde_json::from_slice(&line[value.0..value.1])
            .map_err(|e| LineError(format!("invalid string: {e}")))?;
        let new = apply(&text).map_err(|e| LineError(e.to_string()))?;
        if new == text {
            continue;
        }
        let encoded = serde_json::to_string(&new).map_err(|e| LineError(e.to_string()))?;
        let buf = out.get_or_insert_with(|| Vec::with_capacity(line.len() + 16));
        buf.extend_from_slice(&line[copied..value.0]);
        buf.extend_from_slice(encoded.as_bytes());
        copied = value.1;
    }
    Ok(match out {
        None => Cow::Borrowed(line),
        Some(mut buf) => {
            buf.extend_from_slice(&line[copied..]);
            Cow::Owned(buf)
        }
    })
}

type Span = (usize, usize);

/// Spans of (key, value) of each top-level member of an object that serde_json has validated.
fn top_level_members(s: &[u8]) -> Result<Vec<(Span, Span)>, LineError> {
    let mut i = skip_ws(s, 0);
    if s.get(i) != Some(&b'{') {
        return Err(LineError("not a JSON object".into()));
    }
    i += 1;
    let mut members = Vec::new();
    loop {
        i = skip_ws(s, i);
        match s.get(i) {
            Some(b'}') => return Ok(members),
            Some(b',') => {
                i += 1;
                continue;
            }
            Some(b'"') => {}
            _ => return Err(LineError("unexpected JSON structure".into())),
        }
        let key_end = string_end(s, i);
        let key = (i, key_end);
        i = skip_ws(s, key_end);
        if s.get(i) != Some(&b':') {
            return Err(LineError("unexpected JSON structure".into()));
        }
        i = skip_ws(s, i + 1);
        let value_end = value_end(s, i);
        members.push((key, (i, value_end)));
        i = value_end;
    }
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// `s[i] == '"'`; the index just past the closing quote.
fn string_end(s: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < s.len() {
        match s[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    s.len()
}

/// The end of the (valid) value starting at `i`, without recursion.
fn value_end(s: &[u8], i: usize) -> usize {
    match s.get(i) {
        Some(b'"') => string_end(s, i),
        Some(b'{') | Some(b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < s.len() {
                match s[j] {
                    b'"' => {
                        j = string_end(s, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            s.len()
        }
        _ => {
            let mut j = i;
            while j < s.len() && !matches!(s[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
            {
                j += 1;
            }
            j
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upper(line: &str, field: &str) -> Result<String, LineError> {
        rewrite_line(line.as_bytes(), field, &mut |t: &str| {
            Ok(t.replace('a', "A"))
        })
        .map(|c| String::from_utf8(c.into_owned()).unwrap())
    }

    #[test]
    fn only_the_field_span_changes() {
        let line =
            r#"{ "id" : 1.50e3, "meta":{"text":"a"},"text" :  "ab\u00e9\"", "z":[1,{"a":"}"}] }"#;
        assert_eq!(
            upper(line, "text").unwrap(),
            r#"{ "id" : 1.50e3, "meta":{"text":"a"},"text" :  "Abé\"", "z":[1,{"a":"}"}] }"#
        );
        // Unchanged field: byte-identical, escapes kept.
        let same = r#"{"text":"\u6c49b","n":1}"#;
        assert_eq!(upper(same, "text").unwrap(), same);
        // Escaped key names match too.
        assert_eq!(
            upper(r#"{"t\u0065xt":"a"}"#, "text").unwrap(),
            r#"{"t\u0065xt":"A"}"#
        );
    }

    #[test]
    fn non_string_missing_and_blank_pass() {
        for l in [r#"{"text":null}"#, r#"{"other":"a"}"#, "", "  ", r#"{}"#] {
            assert_eq!(upper(l, "text").unwrap(), l);
        }
    }

    #[test]
    fn errors() {
        assert!(upper(r#"{"text":"a""#, "text").is_err());
        assert!(upper(r#"["a"]"#, "text").unwrap_err().0.contains("object"));
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
        // Validation and scanning are iterative: deep nesting is valid JSON, not a stack overflow.
        assert_eq!(upper(&deep, "text").unwrap(), deep);
        let deep_text = format!(
            "{{\"text\":\"a\",\"b\":{}1{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(upper(&deep_text, "text")
            .unwrap()
            .starts_with("{\"text\":\"A\""));
        assert!(upper("{\"text\":\"a\"} x", "text").is_err());
        // Found by fuzzing: invalid UTF-8 inside a string serde_json skips.
        let bad = b" {\"t\":\"a\x96\",\"text\":\"b\"}";
        let err = rewrite_line(bad, "text", &mut |t: &str| Ok(t.to_uppercase())).unwrap_err();
        assert_eq!(err.0, "invalid UTF-8 at column 9");
    }

    proptest::proptest! {
        /// For any object (any keys, nested values, the field anywhere or absent), the output
        /// parses to the input with exactly the field's string changed, and a no-op transform
        /// gives the line back byte for byte.
        #[test]
        fn rewrite_equals_parse_modify_serialize(
            members in proptest::collection::vec(("[a-z\\\\\"\u{4e00}-\u{4e10}]{0,4}", value()), 0..6),
            text in proptest::option::of("[a-z\\\\\"\n\u{4e00}-\u{4e10}]{0,8}"),
            at in 0usize..6,
            pretty in proptest::bool::ANY,
        ) {
            let mut map = serde_json::Map::new();
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i == at {
                    if let Some(t) = &text {
                        map.insert("text".into(), serde_json::Value::from(t.clone()));
                    }
                }
                if k != "text" {
                    map.insert(k, v);
                }
            }
            if let Some(t) = &text {
                map.entry("text").or_insert_with(|| serde_json::Value::from(t.clone()));
            }
            let value = serde_json::Value::Object(map);
            let line = if pretty {
                serde_json::to_string_pretty(&value).unwrap().replace('\n', " ")
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let same = rewrite_line(line.as_bytes(), "text", &mut |t: &str| Ok(t.to_string())).unwrap();
            proptest::prop_assert_eq!(same.as_ref(), line.as_bytes());
            let out = upper(&line, "text").unwrap();
            let mut want = value.clone();
            if let Some(serde_json::Value::String(t)) = want.get_mut("text") {
                *t = t.replace('a', "A");
            }
            let got: serde_json::Value = serde_json::from_str(&out).unwrap();
            proptest::prop_assert_eq!(got, want);
        }
    }

    fn value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[a-z\\\\\"\u{4e00}-\u{4e10}]{0,6}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::vec(("[a-z]{0,3}", inner), 0..4)
                    .prop_map(|m| { serde_json::Value::Object(m.into_iter().collect()) }),
            ]
        })
    }
}
