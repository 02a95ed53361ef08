//! Target conversion cases found while integrating: each must convert as shown and stay put
//! when converted again.

use zhfix::target::{Target, TargetConverter};

#[test]
fn lone_zhe_is_the_particle_but_words_keep_zhu() {
    let c = TargetConverter::new(Target::ZhHans);
    assert_eq!(
        c.convert("他忙著工作，看著他，意味著什麼，著名的著作，顯著，土著"),
        "他忙着工作，看着他，意味着什么，著名的著作，显著，土著"
    );
}

/// Each input converts to its output, and the output to itself.
fn converts_and_stays(cases: &[(Target, &str, &str)]) {
    for &(target, input, output) in cases {
        let c = TargetConverter::new(target);
        assert_eq!(c.convert(input), output, "{target:?} on {input}");
        assert_eq!(c.convert(output), output, "{target:?} on {output}");
    }
}

/// A sentence with characters of both scripts: a word half in each (`干擾`, Simplified `干扰`)
/// is still a word, and an explicit Traditional character stays as written.
#[test]
fn mixed_sentences_keep_their_words() {
    converts_and_stays(&[
        (
            Target::ZhHk,
            "讓用户可以不受干擾地安裝",
            "讓用户可以不受干擾地安裝",
        ),
        (Target::ZhHant, "用户不受干擾", "用戶不受干擾"),
        (Target::ZhTw, "用户不受干擾", "使用者不受干擾"),
        (Target::ZhTw, "他的头髮很长", "他的頭髮很長"),
    ]);
}

#[test]
fn converting_twice_changes_nothing() {
    for (target, input) in [
        (Target::ZhCn, "乾造髮。演算法数组"),
        (Target::ZhHans, "黃仁勛忙著在中國四處拜訪"),
        (Target::ZhTw, "演算法和算法，软件和軟體"),
        // Found by the property tests at 100,000 cases (session 7).
        (Target::ZhHk, "臺面什么"),
        (Target::ZhTw, "松软件征"),
        (Target::ZhHans, "么麼乾造"),
        // Found by `examples/idempotence_scan.rs` (session 9): a character Taiwan writes as
        // Simplified text does (峰 for 峯) made zh-TW output read as Simplified.
        (Target::ZhTw, "仙姑峯万"),
        (Target::ZhHk, "仙姑峯后"),
        (Target::ZhTw, "山峯里"),
        (Target::ZhTw, "羣里"),
        (Target::ZhTw, "老幺今天来了"),
        (Target::ZhHans, "麼乾造"),
        // A Taiwan word next to a key that overlaps it (junction keys, build/target.rs).
        (Target::ZhTw, "鼠标标"),
        (Target::ZhTw, "我用鼠标标记了数据"),
        (Target::ZhTw, "变量据"),
        // A Taiwan spelling (看著) in a sentence that reads as Simplified converts as it does
        // in Traditional text (session 10; the second found by the property test at 1,000,000
        // cases).
        (Target::ZhHant, "发看著了如何"),
        (Target::ZhHant, "了如何参与看著"),
        (Target::ZhHk, "了如何参与看著"),
    ] {
        let c = TargetConverter::new(target);
        let once = c.convert(input).into_owned();
        assert_eq!(c.convert(&once), once.as_str(), "{target:?} on {input}");
    }
}

/// Values of OpenCC's regional phrase tables that were wrong as zhfix output (session 9).
#[test]
fn regional_phrases_come_out_whole_and_stay() {
    converts_and_stays(&[
        // TWPhrasesRev writes 塔吉克 → 塔吉克斯坦; the mainland word itself must not grow.
        (Target::ZhCn, "塔吉克斯坦", "塔吉克斯坦"),
        (Target::ZhCn, "我去過塔吉克。", "我去过塔吉克斯坦。"),
        (Target::ZhCn, "烏茲別克斯坦", "乌兹别克斯坦"),
        // TWPhrases writes 類模板 → 類别範本, with a Simplified 别.
        (Target::ZhTw, "类模板", "類別範本"),
    ]);
}

/// Characters both scripts write that convert differently in Simplified and in Traditional
/// text, and a few that make keys with the ends of regional words.
const NEIGHBOURS: &str = "万于后里干台党据占种极回面发余准几划叶征斗制系表数标像";

/// Every regional word of OpenCC's Taiwan and Hong Kong phrase tables (in both scripts) next
/// to each of [`NEIGHBOURS`], on either side, into every target, converted twice (the quick
/// form of `examples/idempotence_scan.rs`). The inputs that still change are listed in
/// `tests/data/target/idempotence_exceptions.tsv` (docs/target.md, "Known exceptions"); the
/// test fails on a new one and on a listed one that no longer changes.
#[test]
fn regional_words_next_to_ambiguous_characters_convert_once() {
    let root = env!("CARGO_MANIFEST_DIR");
    let read = |p: &str| std::fs::read_to_string(format!("{root}/{p}")).expect(p);
    let words = regional_words::regional_words();
    let listed: std::collections::BTreeSet<String> =
        read("tests/data/target/idempotence_exceptions.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .collect();
    let converters: Vec<_> = Target::ALL
        .iter()
        .map(|&t| TargetConverter::new(t))
        .collect();
    let mut changing = std::collections::BTreeSet::new();
    for w in &words {
        for c in NEIGHBOURS.chars() {
            for s in [format!("{w}{c}"), format!("{c}{w}")] {
                for conv in &converters {
                    let once = conv.convert(&s);
                    if conv.convert(&once) != once {
                        changing.insert(format!("{}\t{s}", conv.target()));
                    }
                }
            }
        }
    }
    let new: Vec<_> = changing.difference(&listed).collect();
    let settled: Vec<_> = listed.difference(&changing).collect();
    assert!(
        new.is_empty() && settled.is_empty(),
        "change when converted again, not listed: {new:#?}\nlisted, but convert once now: {settled:#?}"
    );
}

#[path = "common/shared.rs"]
mod shared;

#[path = "common/regional_words.rs"]
mod regional_words;

/// `fix --to` applied to its own output changes nothing, over the shared corpora (skipped
/// without them), whole and line by line (a line alone may have no character that tells its
/// script). Fails naming the first line that changes, per corpus and target.
#[test]
fn converting_the_corpora_twice_changes_nothing() {
    let Some(corpora) = shared::corpora() else {
        return;
    };
    let mut failures = Vec::new();
    for (file, text) in &corpora {
        for target in Target::ALL {
            let pipeline = zhfix::pipeline::Pipeline::builder().to(target).build();
            let once = pipeline.fix(text).into_owned();
            let twice = pipeline.fix(&once);
            let changed = once
                .lines()
                .zip(twice.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b);
            if let Some((n, (a, b))) = changed {
                failures.push(format!(
                    "{file} {target} whole, line {}: {a:?} -> {b:?}",
                    n + 1
                ));
            }
            let c = TargetConverter::new(target);
            for (n, line) in text.lines().enumerate() {
                let once = c.convert(line);
                let twice = c.convert(&once);
                if twice != once {
                    failures.push(format!(
                        "{file} {target} line {} alone: {once:?} -> {twice:?}",
                        n + 1
                    ));
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Taiwan words that the Taiwan phrases would convert again (文件 → 檔案 while 文檔 → 文件,
/// 程序 → 程式 while 進程 → 程序): converted in Simplified text, where they are mainland words,
/// kept in Traditional text and in text that does not tell its script.
#[test]
fn chained_taiwan_words_convert_once() {
    let c = TargetConverter::new(Target::ZhTw);
    for (input, output) in [
        ("打开这个文件和文档。", "開啟這個檔案和文件。"),
        ("子进程运行程序。", "子程序執行程式。"),
        (
            "執行程序的子程序和文本文件。",
            "執行程序的子程序和文本文件。",
        ),
        ("文档", "文件"),
        ("H20禁售之后，背后", "H20禁售之後，背後"),
        ("文件", "文件"),
        ("在互联网上搜索", "在網際網路上搜尋"),
    ] {
        assert_eq!(c.convert(input), output, "on {input}");
        assert_eq!(c.convert(output), output, "on {output}");
    }
}

/// Traditional text from a one-to-one converter keeps a Simplified word's characters that both
/// scripts have (后, 于, 系, 采) next to converted ones: the seed sample's `終于相會`. Such words
/// take their Traditional form; names that OpenCC knows only by its characters' defaults stay
/// as written.
#[test]
fn simplified_leftovers_in_traditional_text_take_their_traditional_form() {
    converts_and_stays(&[
        (
            Target::ZhTw,
            "梁文鋒終于相會，隨后白宮暫時放棄",
            "梁文鋒終於相會，隨後白宮暫時放棄",
        ),
        (
            Target::ZhTw,
            "本土的競爭關系，采購承諾",
            "本土的競爭關係，採購承諾",
        ),
        (Target::ZhHant, "對于中國市場", "對於中國市場"),
        (Target::ZhHk, "接受采訪時", "接受採訪時"),
        (Target::ZhTw, "這是余秋雨的書", "這是余秋雨的書"),
        (Target::ZhTw, "這是里德先生", "這是里德先生"),
        (Target::ZhHant, "這是范子愚的", "這是范子愚的"),
        (Target::ZhTw, "這很朴素", "這很樸素"),
    ]);
}

/// Traditional text in which at least two different such words occur (終于, 隨后, 采購, 關系)
/// is taken for Simplified text converted character by character, and converted as its
/// Simplified original: the characters both scripts have that it kept outside any word
/// (三個月里, 五天后, 服務于, 80后) then take their Traditional form too.
#[test]
fn one_to_one_converted_text_converts_as_its_simplified_original() {
    let input =
        "梁文鋒終于相會，隨后在這三個月里，不到五天后，將繼續服務于中國市場。而80后的梁文鋒";
    converts_and_stays(&[
        (
            Target::ZhTw,
            input,
            "梁文鋒終於相會，隨後在這三個月裡，不到五天後，將繼續服務於中國市場。而80後的梁文鋒",
        ),
        (
            Target::ZhHant,
            input,
            "梁文鋒終於相會，隨後在這三個月裏，不到五天後，將繼續服務於中國市場。而80後的梁文鋒",
        ),
        // A sentence of it in which the converter left a Simplified character (并) too; 勛 is
        // the variant that the Simplified original's 勋 takes in standard text (勳).
        (
            Target::ZhTw,
            "終于相會，隨后。外界并稱黃仁勛是",
            "終於相會，隨後。外界並稱黃仁勳是",
        ),
        // One such word is no evidence: the word converts, the rest stays Traditional text.
        (
            Target::ZhTw,
            "梁文鋒終于相會，在這三個月里",
            "梁文鋒終於相會，在這三個月里",
        ),
        // Genuine Taiwan text with pairs of longer such words across its words stays.
        (
            Target::ZhTw,
            "移動游標，發布新版，余秋雨的書",
            "移動游標，發布新版，余秋雨的書",
        ),
    ]);
}

/// [`TargetConverter::convert_part`]: what earlier parts of a document showed carries forward.
#[test]
fn a_document_converted_part_by_part_carries_its_evidence_forward() {
    use zhfix::target::Document;
    let c = TargetConverter::new(Target::ZhTw);
    let mut doc = Document::default();
    assert_eq!(
        c.convert_part("梁文鋒終于相會，三個月里", &mut doc),
        "梁文鋒終於相會，三個月里"
    );
    assert_eq!(c.convert_part("隨后三個月里", &mut doc), "隨後三個月裡");
    assert_eq!(c.convert_part("三個月里", &mut doc), "三個月裡");
    // A part alone, or a fresh document, knows nothing of it.
    assert_eq!(c.convert("三個月里"), "三個月里");
    assert_eq!(
        c.convert_part("三個月里", &mut Document::default()),
        "三個月里"
    );
}
