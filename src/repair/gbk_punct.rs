//! GBK byte-level punctuation replacement.
//!
//! Recipe: a tool replaced `！` (GBK `A3 A1`) by `!` (or `，`, `A3 AC`, by `,`) on GBK *bytes*,
//! and the match straddled two characters: in `。“` (`A1 A3 A1 B0`) the middle bytes `A3 A1`
//! became `!`. Decoding again, the orphaned lead `A1` shows as `?` (or `�`), then `!`, then the
//! rest is read one byte out of step until an ASCII byte puts it back in step:
//! `。“（這` (`A1A3 A1B0 A3A8 DF40`) → `A1 21 B0A3 A8DF 40` → `?!埃ㄟ@`.
//! When a lead byte runs into ASCII below 0x40, some decoders swallow that byte too:
//! `。”</strong>` → `A1 21 B1 3C 2F...` → `?!?/strong>`, the `<` is gone.
//!
//! Repair: re-encode the run after `?!` as GBK, put back `?? A3 A1` in front and decode. The
//! lost lead byte (almost always the `A1` of `。`) and a lost trail byte before a swallowed
//! `<` are chosen by the scorer.
//!
//! Before → after: `?!埃ㄟ@` → `。“（這`; `?!?/strong>` → `。”</strong>`.

use super::recode::{decode_exact, encode_wrong, Context, Right, Wrong};
use super::scorer::{cost, is_cjk_punct};
use super::{Edit, RepairKind};

const GBK: Wrong = Wrong::Legacy(encoding_rs::GBK);
const RIGHT: Right = Right::Legacy(encoding_rs::GBK);
/// The longest out-of-step run considered.
const MAX_RUN: usize = 64;
/// How much cheaper the repaired text must be.
const MARGIN: f32 = 3.0;

/// Finds every `?!`/`?,` that a byte-level replacement left and that re-decodes into text.
pub(super) fn find(text: &str) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    let mut at = 0;
    while let Some(found) = next_marker(text, at) {
        let (start, replaced) = found;
        at = start + 1;
        let line = line_before(text, start, &edits);
        if let Some(edit) = repair_at(text, start, replaced, &line) {
            at = edit.end;
            edits.push(edit);
        }
    }
    edits
}

/// The line before `start` as repaired so far (quotes opened by earlier repairs count).
fn line_before(text: &str, start: usize, edits: &[Edit]) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut out = String::new();
    let mut at = line_start;
    for e in edits.iter().filter(|e| e.start >= line_start) {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.after);
        at = e.end;
    }
    out.push_str(&text[at..start]);
    out
}

/// The next `?!`, `?,`, `�!` or `�,` at or after `at`: its offset and the GBK trail byte the
/// replaced `！`/`，` had (A1 or AC).
fn next_marker(text: &str, at: usize) -> Option<(usize, u8)> {
    let bytes = text.as_bytes();
    let mut i = at;
    while i < bytes.len() {
        let marker_len = if bytes[i] == b'?' {
            1
        } else if bytes[i..].starts_with("\u{FFFD}".as_bytes()) {
            3
        } else {
            i += 1;
            continue;
        };
        match bytes.get(i + marker_len) {
            Some(b'!') => return Some((i, 0xA1)),
            Some(b',') => return Some((i, 0xAC)),
            _ => i += marker_len,
        }
    }
    None
}

fn is_lost(c: char) -> bool {
    c == '?' || c == '\u{FFFD}'
}

/// Tries to repair the replacement whose marker starts at `start`; `line` is the text before
/// it on its line, repaired so far.
fn repair_at(text: &str, start: usize, replaced: u8, line: &str) -> Option<Edit> {
    let before = line.chars().next_back();
    let marker = text[start..].chars().next()?;
    // `?!` is also ordinary punctuation: only after Chinese is it a replacement. A decoder's
    // `�` before `!` is damage wherever it stands (after ASCII: `MC。”` → `MC�!�`).
    if marker == '?' && !before.is_some_and(is_chinese) {
        return None;
    }
    let run_start = start + marker.len_utf8() + 1;
    let mut bytes = Vec::new();
    for (count, (i, c)) in text[run_start..].char_indices().enumerate() {
        if count >= MAX_RUN {
            break;
        }
        if is_lost(c) {
            let lost = run_start + i;
            return repair_with_lost_trail(text, start, marker, lost, &bytes, replaced, line);
        }
        // A second replacement inside the out-of-step run: `!` stands for `A3 A1` again.
        if c == '!' || c == ',' {
            bytes.extend([0xA3, if c == '!' { 0xA1 } else { 0xAC }]);
            continue;
        }
        let len = bytes.len();
        if (c.is_ascii() && !('@'..='~').contains(&c)) || !encode_wrong(GBK, c, &mut bytes) {
            bytes.truncate(len);
            // The run ends at a character no trail byte makes: it may have fallen back in step
            // inside the last character (`“M` → `癕`, `個` → `€`).
            let decoded = best_lead(line, &bytes, replaced, None)?;
            return accept(text, start, run_start + i, decoded, MARGIN);
        }
        if c.is_ascii() {
            let end = run_start + i + 1;
            // An ASCII trail byte is where decoding can fall back in step.
            if let Some(decoded) = best_lead(line, &bytes, replaced, None) {
                return accept(text, start, end, decoded, MARGIN);
            }
        }
    }
    None
}

/// The run after `?!` ends in a lost byte (`?`/`�`) at `lost`: a lead byte whose trail was
/// ASCII, or the end of the text. If a tag follows (`?/strong>`), the swallowed byte was its
/// `<`.
fn repair_with_lost_trail(
    text: &str,
    start: usize,
    marker: char,
    lost: usize,
    run: &[u8],
    replaced: u8,
    line: &str,
) -> Option<Edit> {
    let after_lost = lost + text[lost..].chars().next()?.len_utf8();
    let swallowed_tag = looks_like_closing_tag(&text[after_lost..]);
    // Without a tag, an open quotation or a decoder's `�!`, the run itself must be the evidence.
    let margin = if swallowed_tag || marker == '\u{FFFD}' || has_open_quote(line) {
        f32::NEG_INFINITY
    } else if run.len() >= 4 {
        MARGIN
    } else {
        return None;
    };
    let next = if swallowed_tag {
        Some('<')
    } else {
        text[after_lost..].chars().next()
    };
    let rest = text[after_lost..].split('\n').next().unwrap_or("");
    let mut decoded = best_lead(line, run, replaced, Some((next, rest)))?;
    if swallowed_tag {
        decoded.push('<');
    }
    accept(text, start, after_lost, decoded, margin)
}

/// Decodes `?? A3 xx` + `run` (+ one unknown trail byte when `lost_trail` gives the character
/// after it and the rest of the line) with the most plausible lead byte (and trail byte).
/// `line` is the text before.
fn best_lead(
    line: &str,
    run: &[u8],
    replaced: u8,
    lost_trail: Option<(Option<char>, &str)>,
) -> Option<String> {
    let before = line.chars().next_back();
    let mut best: Option<(f32, String)> = None;
    // The lost trail byte was read as a lead byte (its own trail was ASCII or missing).
    let trails: Vec<Option<u8>> = match lost_trail {
        Some(_) => (0x81..=0xFE).map(Some).collect(),
        None => vec![None],
    };
    for lead in 0x81..=0xFEu8 {
        for &trail in &trails {
            let mut bytes = vec![lead, 0xA3, replaced];
            bytes.extend_from_slice(run);
            bytes.extend(trail);
            let Some(decoded) = decode_exact(RIGHT, &bytes, Context::default()) else {
                continue;
            };
            let mut c = cost(before, &decoded, lost_trail.and_then(|t| t.0));
            if let (Some((_, rest)), Some(last)) = (lost_trail, decoded.chars().last()) {
                c += quote_balance_cost(
                    line,
                    &decoded[..decoded.len() - last.len_utf8()],
                    last,
                    rest,
                );
            }
            if best.as_ref().map_or(true, |b| c < b.0) {
                best = Some((c, decoded));
            }
        }
    }
    best.map(|b| b.1)
}

/// A guessed quotation mark between `line` + `body` and `rest`: a closing one should close
/// a quotation that is open (or come before a swallowed tag's `/`), an opening one should be
/// closed later on the line.
fn quote_balance_cost(line: &str, body: &str, last: char, rest: &str) -> f32 {
    match last {
        '”' | '」' | '’' | '》' => {
            // A closing tag follows quotations (`。”</strong>`) more often than not.
            if rest.starts_with("/") || has_open_quote(&format!("{line}{body}")) {
                -2.0
            } else {
                1.0
            }
        }
        '“' | '「' | '‘' | '《' if closes_before_opening(rest) => -2.0,
        _ => 0.0,
    }
}

/// Does `rest` close a quotation before it opens one?
fn closes_before_opening(rest: &str) -> bool {
    rest.chars()
        .find(|c| matches!(c, '“' | '「' | '”' | '」'))
        .is_some_and(|c| matches!(c, '”' | '」'))
}

fn accept(text: &str, start: usize, end: usize, decoded: String, margin: f32) -> Option<Edit> {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let gain = cost(before, &text[start..end], after) - cost(before, &decoded, after);
    // A repair never brings in a lost byte's `�` or a private-use character (GBK's user-defined
    // areas decode to those): even where an open quotation waives the margin, `“?,发?` is
    // not `“常\u{E0D2}ⅰ` (found by `fix_to_target_is_idempotent`).
    if gain < margin
        || decoded
            .chars()
            .any(|c| c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c))
    {
        return None;
    }
    // Nor a lowercase letter standing alone between other characters, which the in-step
    // reading makes of a trail byte (`碼` is `B4 61`): genuine `?!` in Chinese text followed by
    // `發者` read as `。“l者`. A run that really falls back in step at an ASCII byte starts an
    // ASCII word there (`“M` → `癕` was `“Microsoft`).
    if lone_letters(before, &decoded, after) > lone_letters(before, &text[start..end], after) {
        return None;
    }
    // Nor more of GBK's symbols (math, arrows, box drawing, Greek, Roman numerals ...) than
    // the text it replaces: the out-of-step reading of Chinese text after a genuine `?!` hits
    // them, text that lost a `！` rarely had them (`“?!体?` is not `“常√锅`, found by
    // `fix_to_target_is_idempotent`).
    let symbols = |s: &str| s.chars().filter(|&c| is_gbk_symbol(c)).count();
    if symbols(&decoded) > symbols(&text[start..end]) {
        return None;
    }
    Some(Edit {
        kind: RepairKind::GbkPunctReplacement,
        start,
        end,
        after: decoded,
    })
}

/// ASCII letters of `s` with no ASCII letter or digit on either side: lowercase ones, and
/// capitals after a non-ASCII character and before a Han character, CJK punctuation or the
/// end of the line (a lone capital is ordinary before a space, `“M 表示 Medium”`; a genuine
/// `?!` read out of step made `名?!稱` into `名。》Q` and `基?!礎。` into `基。〉A。`).
fn lone_letters(before: Option<char>, s: &str, after: Option<char>) -> usize {
    let chars: Vec<char> = before.into_iter().chain(s.chars()).chain(after).collect();
    let first = usize::from(before.is_some());
    let last = chars.len() - usize::from(after.is_some());
    (first..last)
        .filter(|&i| {
            let word = |k: Option<usize>| {
                k.and_then(|k| chars.get(k))
                    .is_some_and(char::is_ascii_alphanumeric)
            };
            let glued = chars.get(i + 1).map_or(true, |&n| {
                ('\u{3400}'..='\u{9FFF}').contains(&n) || is_cjk_punct(n) || n == '\n'
            }) && i.checked_sub(1).is_some_and(|p| !chars[p].is_ascii());
            (chars[i].is_ascii_lowercase() || chars[i].is_ascii_uppercase() && glued)
                && !word(i.checked_sub(1))
                && !word(Some(i + 1))
        })
        .count()
}

/// A character of GBK's symbol rows that Chinese prose seldom has: Greek, Cyrillic, pinyin
/// and other Latin letters with marks, Roman numerals, arrows, math operators, enclosed
/// numbers, box drawing, geometric shapes, miscellaneous symbols.
fn is_gbk_symbol(c: char) -> bool {
    matches!(c,
        '\u{00A4}'..='\u{00FF}'
        | '\u{0100}'..='\u{024F}'
        | '\u{0391}'..='\u{03C9}'
        | '\u{0401}'..='\u{0451}'
        | '\u{2160}'..='\u{2199}'
        | '\u{2200}'..='\u{22FF}'
        | '\u{2460}'..='\u{249B}'
        | '\u{2500}'..='\u{27BF}'
        | '\u{3220}'..='\u{3243}')
}

fn is_chinese(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c) || is_cjk_punct(c)
}

/// `/name>` with a plausible tag name.
fn looks_like_closing_tag(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix('/') else {
        return false;
    };
    let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    (1..=10).contains(&name_len) && rest.as_bytes().get(name_len) == Some(&b'>')
}

/// Is a `“` or `「` open on the current line?
fn has_open_quote(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or(before);
    let opens = line.matches(['“', '「']).count();
    let closes = line.matches(['”', '」']).count();
    opens > closes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(text: &str) -> String {
        super::super::apply(text, &find(text))
    }

    #[test]
    fn the_documented_examples() {
        assert_eq!(
            fix("損失55億美元?!埃ㄟ@一損失"),
            "損失55億美元。“（這一損失"
        );
        assert_eq!(fix("相關儲備有關?!?/strong>"), "相關儲備有關。”</strong>");
        assert_eq!(find("美元?!埃ㄟ@")[0].kind, RepairKind::GbkPunctReplacement);
    }

    /// The recipe: `！` (A3 A1) → `!` on the GBK bytes, decoded again with replacement.
    fn damage(text: &str) -> String {
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i..].starts_with(&[0xA3, 0xA1]) {
                out.push(b'!');
                i += 2;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        encoding_rs::GBK
            .decode_without_bom_handling(&out)
            .0
            .into_owned()
    }

    #[test]
    fn replacements_that_end_in_a_lost_byte_or_inside_a_character() {
        for clean in [
            // The second `。”` ends in a lost lead byte (`�!�`), the first falls back in step
            // at the `<` of the tag.
            "下载。“程序会在其中搜索 <a href=...>。”最后一个",
            // The quotation opens right before ASCII: nothing out of step but a lost byte.
            "'queueonly'\"。“\"QUEUERUNNER='nodaemon'\" 等等，”来最小化",
            // At the start of a line, and after ASCII.
            "。“apt-cache 和类似命令的一个封装，”被设计为",
            "就可以使用 MC。”然后",
            // `“M` read out of step is `癕`: back in step inside a character.
            "（译注。“M 表示 Medium 适中，”字体粗细",
        ] {
            let broken = damage(clean);
            assert_ne!(broken, clean);
            assert_eq!(fix(&broken), clean, "{broken}");
        }
    }

    #[test]
    fn genuine_interrobangs_stay() {
        for text in [
            "真的吗?!我不信",
            "What?!?",
            "真的?!?",
            "真的?!Bob来了",
            "a?,b",
            // After an open quotation the margin is waived, but the best reading here has a
            // private-use character: no repair.
            "“?,发?",
            // Genuine `?!` before Traditional characters with an ASCII trail byte.
            "Debian 開?!發者引導方針",
            "執行 postinst 指令?!碼",
            "通過 MC 檔?!案選單改變",
            // ... or a capital glued to the next Han character (`。”P巨集`).
            "結束定義一個鍵?!盤巨集",
            // ... or before CJK punctuation or the end of the line (session 9).
            "5.1.2. 網路介面名?!稱\n",
            "\u{a0}\u{a0}\u{a0} 下面是一些 Unix 文件基?!礎。\n",
            // ... or a reading with a GBK symbol (`“常√锅`).
            "“?!体?",
        ] {
            assert_eq!(fix(text), text);
        }
    }
}
