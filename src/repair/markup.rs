//! HTML entities and stray tags left in plain text by scrapers (behind `strip_markup`).
//!
//! Recipe: text copied out of HTML without a parser keeps `&#x4F60;`, `&nbsp;`, `&ldquo;` and
//! tags like `</strong>`; after the GBK punctuation replacement a closing tag can lose its `<`
//! and read `?/strong>`.
//!
//! Before → after: `&#x4F60;&#22909;&nbsp;&ldquo;` → `你好\u{A0}“`; `有關。”</strong>` →
//! `有關。”`; `有關?/strong>` → `有關`.

use super::{Edit, RepairKind};

/// Tag names removed when they stand in plain text.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "img",
    "ins",
    "label",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Named entities worth knowing in Chinese web text.
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{A0}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("middot", '·'),
    ("bull", '•'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("times", '×'),
    ("divide", '÷'),
    ("yen", '¥'),
    ("deg", '°'),
];

/// Every entity and stray tag in `text`.
pub(super) fn find(text: &str) -> Vec<Edit> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let found = match bytes[i] {
            b'&' => entity(&text[i..])
                .filter(|&(len, _)| !alone_in_cell(bytes, i, i + len))
                .map(|(len, c)| (len, c.to_string(), RepairKind::HtmlEntity)),
            b'<' => {
                tag(&text[i + 1..]).map(|len| (len + 1, String::new(), RepairKind::StrayMarkup))
            }
            b'?' if bytes.get(i + 1) == Some(&b'/') => {
                tag(&text[i + 1..]).map(|len| (len + 1, String::new(), RepairKind::StrayMarkup))
            }
            _ => None,
        };
        match found {
            Some((len, after, kind)) => {
                edits.push(Edit {
                    kind,
                    start: i,
                    end: i + len,
                    after,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    edits
}

/// Whether `start..end` is all a table cell holds (`|  &quot;  |`): a table that lists
/// entities shows them, it does not use them (the Debian Reference has one).
fn alone_in_cell(bytes: &[u8], start: usize, end: usize) -> bool {
    let blank = |b: &u8| *b == b' ' || *b == b'\t';
    let before = bytes[..start].iter().rev().find(|b| !blank(b));
    let after = bytes[end..].iter().find(|b| !blank(b));
    before == Some(&b'|') && after == Some(&b'|')
}

/// An entity at the start of `s`: its length and character.
fn entity(s: &str) -> Option<(usize, char)> {
    let semi = s.get(..12).unwrap_or(s).find(';')?;
    let body = &s[1..semi];
    let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
    } else if let Some(dec) = body.strip_prefix('#') {
        char::from_u32(dec.parse().ok()?)?
    } else {
        ENTITIES.iter().find(|(name, _)| *name == body)?.1
    };
    (c != '\0').then_some((semi + 1, c))
}

/// A known tag after its `<`: `name>`, `/name>`, `name attrs>`, `name/>`. Returns the length.
fn tag(s: &str) -> Option<usize> {
    let body_start = usize::from(s.starts_with('/'));
    let rest = &s[body_start..];
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let name = rest[..name_len].to_ascii_lowercase();
    if !TAGS.contains(&name.as_str()) {
        return None;
    }
    let after_name = &rest[name_len..];
    let close = match after_name.bytes().next()? {
        b'>' => 0,
        b' ' | b'/' | b'\t' => after_name.get(..200).unwrap_or(after_name).find('>')?,
        _ => return None,
    };
    // An ellipsis for the attributes (`<a href=...>`) is documentation describing a tag, not a
    // tag a page left behind.
    let attrs = &after_name[..close];
    if attrs.contains(['<', '\n']) || attrs.contains("...") || attrs.contains('…') {
        return None;
    }
    Some(body_start + name_len + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str) -> String {
        super::super::apply(text, &find(text))
    }

    #[test]
    fn the_documented_examples() {
        assert_eq!(fix("&#x4F60;&#22909;&nbsp;&ldquo;"), "你好\u{A0}“");
        assert_eq!(fix("有關。”</strong>"), "有關。”");
        assert_eq!(fix("有關?/strong>"), "有關");
        assert_eq!(fix("<p class=\"x\">段落</p>"), "段落");
        // In a cell with other text, or in a line that is no table, an entity is decoded.
        assert_eq!(fix("| A &amp; B |"), "| A & B |");
        assert_eq!(fix("Tom &amp; Jerry"), "Tom & Jerry");
    }

    #[test]
    fn text_that_only_looks_like_markup_stays() {
        for text in [
            "a < b && c > d",
            "Vec<T>",
            "AT&T",
            "&unknown;",
            "x?/y",
            "<notatag>",
            // Documentation: a table of entities, a tag with placeholder attributes.
            "|&quot;    |\" : 引号  |",
            "| &amp; | & |",
            "程序会在其中搜索 <a href=...>。",
            "<img src=\"…\">",
        ] {
            assert_eq!(fix(text), text);
        }
    }
}
