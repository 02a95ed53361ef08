//! The scorer: how plausible a piece of text is, as a cost in nats (lower is better).
//!
//! A character model with unigram and bigram log-probabilities for Simplified and Traditional
//! Chinese, compiled from jieba's word list (`data/charmodel/`, see `build/charmodel.rs`). Text
//! is scored with each script's model and the cheaper one counts, so a Traditional sentence is
//! not penalized for not being Simplified. Characters outside the Han tables get a flat cost by
//! class: ordinary letters of any script are cheap, the symbols that fill mojibake (box
//! drawing, Greek and Cyrillic inside Chinese, C1 controls, private use, U+FFFD) are expensive.
//!
//! ```text
//! cost("你好") ≈ 13 nats     cost("浣犲ソ") ≈ 42 nats
//! ```

use crate::tables::charmodel as t;

/// Cost of a Han character the model has never seen.
const UNSEEN_HAN: f32 = 19.0;
/// Weight of the bigram estimate against the unigram one.
const BIGRAM_WEIGHT: f32 = 0.6;

/// Is `c` one of the few thousand most frequent Han characters of either script, or ordinary
/// CJK punctuation? The fast path lets such characters through without a second look.
#[inline]
pub(crate) fn is_common(c: char) -> bool {
    // One bitmap holds both (`build/charmodel.rs`).
    let cp = c as u32;
    cp < 0x10000 && t::COMMON.0[cp as usize / 8] & (1 << (cp % 8)) != 0
}

/// The symbols of GB2312's first rows that Chinese text uses (`→`, `×`, `℃`, `①`, `★`), not
/// counting the punctuation of [`is_cjk_punct`].
pub(crate) fn is_cjk_symbol(c: char) -> bool {
    matches!(
        c,
        '々' | '～'
            | '‖'
            | '〔'
            | '〕'
            | '〖'
            | '〗'
            | '±'
            | '×'
            | '÷'
            | '∶'
            | '∧'
            | '∨'
            | '∑'
            | '∏'
            | '∪'
            | '∩'
            | '∈'
            | '∷'
            | '√'
            | '⊥'
            | '∥'
            | '∠'
            | '⌒'
            | '⊙'
            | '∫'
            | '∮'
            | '≡'
            | '≌'
            | '≈'
            | '∽'
            | '∝'
            | '≠'
            | '≮'
            | '≯'
            | '≤'
            | '≥'
            | '∞'
            | '∵'
            | '∴'
            | '♂'
            | '♀'
            | '°'
            | '′'
            | '″'
            | '℃'
            | '＄'
            | '￠'
            | '￡'
            | '‰'
            | '§'
            | '№'
            | '☆'
            | '★'
            | '○'
            | '●'
            | '◎'
            | '◇'
            | '◆'
            | '□'
            | '■'
            | '△'
            | '▲'
            | '※'
            | '→'
            | '←'
            | '↑'
            | '↓'
            | '〓'
            | '①'..='⒛'
            | '㈠'..='㈩'
            | 'Ⅰ'..='Ⅻ'
            | 'ⅰ'..='ⅹ'
    )
}

/// Ordinary CJK punctuation, which appears in clean Chinese all the time.
pub(crate) fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '！'
            | '？'
            | '：'
            | '；'
            | '（'
            | '）'
            | '《'
            | '》'
            | '【'
            | '】'
            | '「'
            | '」'
            | '『'
            | '』'
            | '…'
            | '—'
            | '·'
            | '〈'
            | '〉'
            | '　'
    )
}

fn unigram(script: usize, c: char) -> Option<f32> {
    let cp = c as u32;
    if !(t::HAN_START..t::HAN_END).contains(&cp) {
        return None;
    }
    let len = (t::HAN_END - t::HAN_START) as usize;
    let q = t::UNI.0[script * len + (cp - t::HAN_START) as usize];
    Some(if q == 255 {
        UNSEEN_HAN
    } else {
        f32::from(q) / 8.0
    })
}

fn bigram(script: usize, a: char, b: char) -> Option<f32> {
    let (a, b) = (a as u32, b as u32);
    let range = t::BI_BASE..t::BI_BASE + (1 << 15);
    if !range.contains(&a) || !range.contains(&b) {
        return None;
    }
    let key = (a - t::BI_BASE) << 15 | (b - t::BI_BASE);
    let keys: &[u32] = bytemuck::cast_slice(&t::BI_KEYS.0);
    // Only the pairs starting with `a` are searched (lattice searches look up many pairs).
    let first = (a - t::BI_BASE) as usize;
    let index = &bigram_index()[script];
    let (lo, hi) = (index[first] as usize, index[first + 1] as usize);
    let i = keys[lo..hi].binary_search(&key).ok()?;
    Some(f32::from(t::BI_VALS.0[lo + i]) / 8.0)
}

/// The characters that follow `a` inside a word of the word list (the known pairs `a b`),
/// under one script's model.
pub(crate) fn followers(script: usize, a: char) -> impl Iterator<Item = char> {
    let a = a as u32;
    let keys: &[u32] = bytemuck::cast_slice(&t::BI_KEYS.0);
    let range = if (t::BI_BASE..t::BI_BASE + (1 << 15)).contains(&a) {
        let first = (a - t::BI_BASE) as usize;
        let index = &bigram_index()[script];
        index[first] as usize..index[first + 1] as usize
    } else {
        0..0
    };
    keys[range]
        .iter()
        .filter_map(|&key| char::from_u32(t::BI_BASE + (key & 0x7FFF)))
}

/// Per script, where the pairs starting with each character begin in the sorted keys (one
/// entry per character of the bigram range, and one past the end).
fn bigram_index() -> &'static [Vec<u32>; 2] {
    static INDEX: std::sync::OnceLock<[Vec<u32>; 2]> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let keys: &[u32] = bytemuck::cast_slice(&t::BI_KEYS.0);
        [0, 1].map(|script| {
            let (lo, hi) = (t::BI_SPLITS[script], t::BI_SPLITS[script + 1]);
            let mut index = Vec::with_capacity((1 << 15) + 1);
            let mut at = lo;
            for first in 0..=(1u32 << 15) {
                while at < hi && keys[at] >> 15 < first {
                    at += 1;
                }
                index.push(at as u32);
            }
            index
        })
    })
}

/// How many adjacent pairs of `text` are known bigrams (within a word of the word list) in
/// either script: real Chinese has them, a random string of characters rarely does.
pub(crate) fn known_bigrams(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(2)
        .filter(|w| (0..2).any(|script| bigram(script, w[0], w[1]).is_some()))
        .count()
}

/// The flat cost of a character the Han tables do not cover.
fn class_cost(c: char) -> f32 {
    match c {
        ' ' | '\t' | '\n' | '\r' | '\u{A0}' => 2.0,
        'a'..='z' | 'A'..='Z' | '0'..='9' => 3.0,
        '!'..='~' => 4.0,
        '，' | '。' => 3.0,
        '、' | '“' | '”' | '：' | '；' | '？' | '！' | '（' | '）' => 4.0,
        '\u{3000}' | '‘' | '’' | '『' | '』' | '〈' | '〉' => 7.0,
        _ if is_cjk_punct(c) => 5.0,
        _ if is_cjk_symbol(c) => 9.0,
        '\u{3040}'..='\u{30FF}' => 7.0,           // kana
        '\u{AC00}'..='\u{D7A3}' => 7.5,           // Hangul syllables
        'À'..='ÿ' if c != '×' && c != '÷' => 7.0, // accented Latin letters
        '\u{0100}'..='\u{024F}' => 8.0,           // Latin Extended-A/B
        '\u{1F300}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' => 9.0, // emoji, dingbats
        '\u{FFFD}' => 20.0,
        '\u{0080}'..='\u{009F}' | '\u{E000}'..='\u{F8FF}' => 18.0, // C1 controls, private use
        _ => 14.0,
    }
}

/// The flat cost of a character the Han tables do not cover (for scoring by words).
pub(crate) fn flat_cost(c: char) -> f32 {
    class_cost(c)
}

/// A character ordinary Chinese text is made of: a Han character the model has seen, ASCII,
/// CJK punctuation or symbols.
pub(crate) fn is_plain_chinese(c: char) -> bool {
    c.is_ascii()
        || is_cjk_punct(c)
        || is_cjk_symbol(c)
        || (0..2).any(|script| unigram(script, c).is_some_and(|u| u < UNSEEN_HAN))
}

fn is_kana(c: char) -> bool {
    ('\u{3040}'..='\u{30FF}').contains(&c)
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Kana or Hangul between Han characters is rare; next to its own kind it is ordinary text.
fn script_switch_cost(prev: Option<char>, c: char) -> f32 {
    let Some(p) = prev else { return 0.0 };
    let foreign = (is_kana(c) && !is_kana(p)) || (is_hangul(c) && !is_hangul(p) && p != ' ');
    if foreign && (unigram(0, p).is_some() || is_cjk_punct(p)) {
        5.0
    } else {
        0.0
    }
}

/// Opening quotes follow spaces and punctuation, closing quotes follow words.
fn quote_cost(prev: Option<char>, c: char) -> f32 {
    let after_word = prev.is_some_and(|p| p.is_alphanumeric());
    match c {
        '“' | '‘' | '「' | '《' | '（' if after_word => 0.5,
        '”' | '’' | '」' | '》' | '）' if !after_word => 0.5,
        _ => 0.0,
    }
}

/// Punctuation inside or closing a sentence (`，。、；：`) follows a word, not an opening mark
/// or other such punctuation (`，。`, `“，` are rare in Chinese text; `。”` is not, nor is
/// ` 。` after a Latin word in mixed text).
fn punct_place_cost(prev: Option<char>, c: char) -> f32 {
    let medial = matches!(c, '，' | '。' | '、' | '；' | '：');
    let after_gap = prev.is_some_and(|p| {
        matches!(
            p,
            '，' | '。' | '、' | '；' | '：' | '（' | '「' | '《' | '“'
        )
    });
    if medial && after_gap {
        4.0
    } else {
        0.0
    }
}

/// A character's cost under one script's model, given the character before it.
fn char_cost(script: usize, prev: Option<char>, c: char) -> f32 {
    let Some(uni) = unigram(script, c) else {
        return class_cost(c)
            + script_switch_cost(prev, c)
            + quote_cost(prev, c)
            + punct_place_cost(prev, c);
    };
    let Some(bi) = prev.and_then(|p| bigram(script, p, c)) else {
        return uni;
    };
    let p = BIGRAM_WEIGHT * (-bi).exp() + (1.0 - BIGRAM_WEIGHT) * (-uni).exp();
    -p.ln()
}

/// The cost of `c` after `prev` under the cheaper script (for lattice searches).
pub(crate) fn step_cost(prev: Option<char>, c: char) -> f32 {
    char_cost(0, prev, c).min(char_cost(1, prev, c))
}

/// The cost of `c` after `prev` under one script's model (0 Simplified, 1 Traditional).
pub(crate) fn step_cost_in(script: usize, prev: Option<char>, c: char) -> f32 {
    char_cost(script, prev, c)
}

/// Cost of `text` in context: `before` is the character preceding it (its bigram with the
/// first character counts), `after` the one following it. The cheaper script wins.
pub(crate) fn cost(before: Option<char>, text: &str, after: Option<char>) -> f32 {
    cost_in(None, before, text, after)
}

/// [`cost`] under one script's model (0 Simplified, 1 Traditional), or the cheaper of both.
pub(crate) fn cost_in(
    script: Option<usize>,
    before: Option<char>,
    text: &str,
    after: Option<char>,
) -> f32 {
    let scripts = match script {
        Some(s) => s..s + 1,
        None => 0..2,
    };
    scripts
        .map(|script| {
            let mut prev = before;
            let mut total = 0.0;
            for c in text.chars().chain(after) {
                total += char_cost(script, prev, c);
                prev = Some(c);
            }
            total
        })
        .fold(f32::INFINITY, f32::min)
}

/// The script (0 Simplified, 1 Traditional) whose model finds `text` clearly cheaper, if one
/// does.
pub(crate) fn script_of(text: &str) -> Option<usize> {
    let (s, t) = (
        cost_in(Some(0), None, text, None),
        cost_in(Some(1), None, text, None),
    );
    match s - t {
        d if d < -4.0 => Some(0),
        d if d > 4.0 => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_text_is_cheaper_than_its_mojibake() {
        let clean = cost(None, "你好", None);
        let broken = cost(None, "浣犲ソ", None);
        assert!(clean + 15.0 < broken, "{clean} vs {broken}");
        assert!(cost(None, "同意", None) + 15.0 < cost(None, "鍚屾剰", None));
    }

    #[test]
    fn traditional_is_scored_with_its_own_model() {
        assert!((cost(None, "這個問題", None) - cost(None, "这个问题", None)).abs() < 4.0);
    }

    #[test]
    fn common_characters_and_punctuation() {
        assert!(is_common('的') && is_common('們') && is_common('，'));
        assert!(!is_common('浣') && !is_common('犲') && !is_common('Ã'));
    }

    #[test]
    fn the_common_bitmap_holds_all_cjk_punctuation() {
        for c in (0..0x10000).filter_map(char::from_u32) {
            assert!(!is_cjk_punct(c) || is_common(c), "{c}");
        }
    }
}
