//! Repair: a fixed regression set of our own sentences (every family recovers them exactly,
//! clean controls come back byte-identical), the seed sample, and no panics on any input.

use encoding_rs::{Encoding, BIG5, EUC_KR, GBK, SHIFT_JIS, WINDOWS_1252};
use proptest::prelude::*;
use zhfix::repair::{find_problems, repair, RepairKind, RepairOptions};

const SIMPLIFIED: &[&str] = &[
    "我们明天早上九点在图书馆门口见面。",
    "这家公司去年的收入增长了百分之二十。",
    "他说这个问题需要认真研究以后再决定。",
    "请把窗户关上，外面的风太大了。",
    "经济发展和环境保护应该同时进行。",
    "孩子们在公园里放风筝，玩得很开心。",
];

const TRADITIONAL: &[&str] = &[
    "我們明天早上九點在圖書館門口見面。",
    "這家公司去年的收入增長了百分之二十。",
    "請把窗戶關上，外面的風太大了。",
    "經濟發展和環境保護應該同時進行。",
];

const CONTROLS: &[&str] = &[
    "我们明天早上九点在图书馆门口见面。",
    "這家公司去年的收入增長了百分之二十。",
    "龘靐齉齾爩鱻麤龗，这些是罕见但真实的汉字。",
    "明日は図書館の前で会いましょう。天気がいいですね。",
    "내일 아침 아홉 시에 도서관 앞에서 만나요.",
    "Rendez-vous demain à neuf heures devant la bibliothèque, s'il fait beau.",
    "Größere Änderungen übernehmen wir später; Straße und Maß bleiben.",
    "¿Dónde está la estación? Señor Muñoz, ¡qué día!",
    "São Paulo é uma cidade enorme; coração, ação, não.",
    "Þórður og Ævar fóru í bæinn; Ø and Å too.",
    "fn main() { let v: Vec<u8> = vec![0x80, 0xFF]; println!(\"{:?} &amp; ?!\", v); }",
    "if (a < b && c > d) { return x?.y ?? z; } // 注释：比较大小",
    "表情符号 😀🎉 和箭头 → ← 以及 © ® ™ 符号。",
    "价格：¥100，约合 €13 或 $14。温度 25°C，湿度 60%。",
    "文件名是“报告（最终版）.docx”，请查收！",
    "他问：真的吗?!我不信。",
    "学生写道：这个字(zì)很难写。",
    // Zhuyin and genuine small brackets look like GBK punctuation read as Big5.
    "我的注音是ㄨㄛˇ，你的是ㄋㄧˇ。",
    "﹝注﹞這是說明。",
    "﹛甲、乙﹜兩項。",
];

fn mojibake(text: &str, right: &'static Encoding, wrong: &'static Encoding) -> String {
    let (bytes, _, _) = right.encode(text);
    wrong.decode_without_bom_handling(&bytes).0.into_owned()
}

fn fix(text: &str) -> String {
    repair(text, &RepairOptions::default()).text.into_owned()
}

fn check_family(sentences: &[&str], damage: impl Fn(&str) -> String, kind: RepairKind) {
    for &clean in sentences {
        let broken = damage(clean);
        assert_ne!(broken, clean);
        let fixed = repair(&broken, &RepairOptions::default());
        assert_eq!(fixed.text, clean, "{kind}: {broken}");
        assert!(
            fixed.repairs.iter().any(|r| r.kind == kind),
            "{kind}: {:?}",
            fixed.repairs
        );
        // One damaged clause inside clean text.
        let mixed = format!("开头是干净的文字，{broken}结尾也是干净的。");
        assert_eq!(
            fix(&mixed),
            format!("开头是干净的文字，{clean}结尾也是干净的。"),
            "{kind}"
        );
    }
}

#[test]
fn utf8_as_gbk_recovers_exactly() {
    let all: Vec<&str> = SIMPLIFIED.iter().chain(TRADITIONAL).copied().collect();
    check_family(
        &all,
        |s| mojibake(s, encoding_rs::UTF_8, GBK),
        RepairKind::Utf8AsGbk,
    );
}

#[test]
fn utf8_as_windows_1252_recovers_exactly() {
    let all: Vec<&str> = SIMPLIFIED.iter().chain(TRADITIONAL).copied().collect();
    check_family(
        &all,
        |s| mojibake(s, encoding_rs::UTF_8, WINDOWS_1252),
        RepairKind::Utf8AsLatin1,
    );
}

#[test]
fn utf8_twice_recovers_exactly() {
    let twice = |s: &str| {
        let once = mojibake(s, encoding_rs::UTF_8, WINDOWS_1252);
        mojibake(&once, encoding_rs::UTF_8, WINDOWS_1252)
    };
    check_family(SIMPLIFIED, twice, RepairKind::Utf8Double);
}

#[test]
fn gbk_as_windows_1252_recovers_exactly() {
    check_family(
        SIMPLIFIED,
        |s| mojibake(s, GBK, WINDOWS_1252),
        RepairKind::GbkAsLatin1,
    );
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            cur[j] = (prev[j - 1] + usize::from(a[i - 1] != b[j - 1]))
                .min(prev[j] + 1)
                .min(cur[j - 1] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[test]
fn lossy_families_never_make_things_worse() {
    let mut exact = 0;
    let mut total = 0;
    let damages: [(&'static Encoding, &'static Encoding); 4] = [
        (encoding_rs::UTF_8, BIG5),
        (encoding_rs::UTF_8, SHIFT_JIS),
        (encoding_rs::UTF_8, EUC_KR),
        (GBK, BIG5),
    ];
    for (right, wrong) in damages {
        for &clean in SIMPLIFIED {
            let broken = mojibake(clean, right, wrong);
            let fixed = fix(&broken);
            assert!(
                edit_distance(&fixed, clean) <= edit_distance(&broken, clean),
                "{broken} -> {fixed}"
            );
            total += 1;
            exact += usize::from(fixed == clean);
        }
    }
    assert!(exact * 5 >= total, "{exact}/{total}");
}

#[test]
fn gbk_punctuation_replacement() {
    assert_eq!(
        fix("损失55亿美元?!埃ㄟ@一损失"),
        "损失55亿美元。“（這一损失"
    );
}

#[test]
fn clean_controls_are_byte_identical() {
    for options in [
        RepairOptions::default(),
        RepairOptions {
            strip_annotations: true,
            strip_markup: false,
        },
    ] {
        for &text in CONTROLS {
            let fixed = repair(text, &options);
            assert_eq!(fixed.text, text);
            assert!(fixed.repairs.is_empty(), "{text}: {:?}", fixed.repairs);
        }
    }
}

#[test]
fn lossy_markers_are_reported_not_changed() {
    let text = "文件锟斤拷锟斤拷损坏，内存烫烫烫烫。";
    let fixed = repair(text, &RepairOptions::default());
    assert_eq!(fixed.text, text);
    assert_eq!(find_problems(text).len(), 2);
    assert!(fixed
        .repairs
        .iter()
        .all(|r| r.kind == RepairKind::LossyMarker && r.before == r.after));
}

#[test]
fn spans_point_into_the_input() {
    let clean = "这家公司去年的收入增长了。";
    let input = format!(
        "&lt;注&gt; {}</strong> 現(xiàn)在產(chǎn)品現(xiàn)身",
        mojibake(clean, encoding_rs::UTF_8, GBK)
    );
    let fixed = repair(&input, &RepairOptions::all());
    assert_eq!(fixed.text, format!("<注> {clean} 現在產品現身"));
    for r in &fixed.repairs {
        assert_eq!(&input[r.start..r.end], r.before, "{r:?}");
    }
}

fn shared_seed() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_f3976092b292c533.txt")
}

#[test]
fn seed_sample_repair_part() {
    let text = std::fs::read_to_string(shared_seed()).expect("seed sample");
    let fixed = repair(&text, &RepairOptions::all());
    let out = &fixed.text;
    assert!(!out.contains("?!埃ㄟ@") && !out.contains("?/strong>") && !out.contains("</strong>"));
    assert!(out.contains("美元。“（這一損失") && out.contains("有關。”"));
    for reading in [
        "(xiàn)", "(chǎn)", "(jīng)", "(tài)", "(wěn)", "(zhàn)", "(tǒng)", "(jù)",
    ] {
        assert!(!out.contains(reading), "{reading} left");
    }
    let count = |kind| fixed.repairs.iter().filter(|r| r.kind == kind).count();
    assert_eq!(count(RepairKind::Annotation), 84);
    assert_eq!(count(RepairKind::GbkPunctReplacement), 2);
    for r in &fixed.repairs {
        assert_eq!(&text[r.start..r.end], r.before);
    }
    // Encoding repair alone leaves annotations and the closing tag's text in place.
    let default = repair(&text, &RepairOptions::default());
    assert!(default.text.contains("現(xiàn)") && default.text.contains("。”</strong>"));
}

/// The expected output was checked by reading it: the 84 annotations gone, `?!埃ㄟ@` →
/// `。“（這`, `?!?/strong>` → `。”`, nothing else changed (script conversion and width-folded
/// punctuation belong to other passes).
#[test]
fn seed_sample_matches_the_checked_output() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(shared_seed()).expect("seed sample");
    let expected = std::fs::read_to_string(root.join("tests/data/seed_000_repair_all.txt"))
        .expect("expected output");
    assert_eq!(repair(&text, &RepairOptions::all()).text, expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn never_panics_on_arbitrary_text(s in "\\PC{0,64}") {
        let fixed = repair(&s, &RepairOptions::all());
        for r in &fixed.repairs {
            prop_assert!(r.start <= r.end && r.end <= s.len());
        }
        let _ = find_problems(&s);
    }

    #[test]
    fn never_panics_on_decoded_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
        for encoding in [GBK, WINDOWS_1252, BIG5, SHIFT_JIS, EUC_KR, encoding_rs::UTF_8] {
            let text = encoding.decode_without_bom_handling(&bytes).0;
            let fixed = repair(&text, &RepairOptions::all());
            for r in &fixed.repairs {
                prop_assert!(r.start <= r.end && r.end <= text.len());
            }
        }
    }
}

/// Clean text that property tests once saw "repaired": short Han spans read through another
/// CJK code page must come out as words, not as different nonsense.
#[test]
fn short_clean_spans_are_not_recoded() {
    for clean in ["鼠裡", "著鼠裡裡你", "體а发", "鼠ра"] {
        let fixed = zhfix::repair::repair(clean, &zhfix::repair::RepairOptions::default());
        assert_eq!(fixed.text, clean, "{:?}", fixed.repairs);
    }
}

/// Genuine European text on a line with damage: the lenient second look must not touch it.
#[test]
fn european_text_next_to_damage_survives() {
    const EUROPEAN: &[&str] = &[
        "Größe, Ärger, Öl, Straße und Maß bleiben.",
        "São Paulo é uma cidade enorme; coração, ação, não, pão.",
        "Ça coûte très cher. Él está aquí, ¿sí? ¡Hola, señor Muñoz!",
        "Þórður og Ævar fóru í bæinn að kaupa brauð.",
        "Blåbærsyltetøj og rødgrød med fløde; naïve über café.",
        "Zażółć gęślą jaźń; Příliš žluťoučký kůň.",
        "½ × ¾ © ® ±5 °C “Quote” ‘single’ — dash… • bullet",
    ];
    let damages: [(&'static Encoding, &'static Encoding); 3] = [
        (GBK, WINDOWS_1252),
        (encoding_rs::UTF_8, WINDOWS_1252),
        (encoding_rs::UTF_8, GBK),
    ];
    for (right, wrong) in damages {
        for &chinese in &SIMPLIFIED[..3] {
            let broken = mojibake(chinese, right, wrong);
            for &european in EUROPEAN {
                for (input, expected) in [
                    (
                        format!("{broken} {european}"),
                        format!("{chinese} {european}"),
                    ),
                    (
                        format!("{european} {broken}"),
                        format!("{european} {chinese}"),
                    ),
                ] {
                    assert_eq!(fix(&input), expected, "{input}");
                }
            }
        }
    }
}

/// A line of nothing but `�` (0xFF bytes read as GBK, say) is a lossy marker: left as it is,
/// and in linear time (it used to weigh every pair of guesses for every pair of holes: 500
/// of them took 19 s).
#[test]
fn a_line_of_replacement_characters_is_left_alone_quickly() {
    for n in [3, 40, 3000] {
        let text = "\u{FFFD}".repeat(n);
        let repaired = repair(&text, &RepairOptions::default());
        assert_eq!(repaired.text, text, "{n}");
        assert!(repaired
            .repairs
            .iter()
            .all(|r| r.kind == RepairKind::LossyMarker));
    }
}

/// A line longer than the repair window (a whole article on one line) is repaired window by
/// window: damage far from the start is found, and clean parts stay byte-identical.
#[test]
fn damage_on_a_very_long_line_is_repaired_in_every_window() {
    let clean_line: String = SIMPLIFIED
        .iter()
        .cycle()
        .take(400)
        .map(|s| format!("{s} "))
        .collect();
    assert!(clean_line.len() > 16 * 1024);
    let damaged: String = SIMPLIFIED
        .iter()
        .cycle()
        .take(400)
        .enumerate()
        .map(|(k, s)| match k % 7 {
            3 => format!("{} ", mojibake(s, encoding_rs::UTF_8, GBK)),
            _ => format!("{s} "),
        })
        .collect();
    assert_eq!(fix(&damaged), clean_line);
    assert_eq!(fix(&clean_line), clean_line);
}

/// Random high bytes read as a legacy code page are noise: every position is a candidate.
/// The repair reads such a line in windows, so its time grows linearly; two windows of noise
/// must take well under the time the quadratic version took (minutes for 40 KB in release).
#[test]
fn a_long_line_of_noise_takes_bounded_time() {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let bytes: Vec<u8> = (0..6_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            0x80 | (state as u8)
        })
        .collect();
    let (text, _, _) = GBK.decode(&bytes);
    // Release: about 0.05 s.
    repairs_in_bounded_time(&text);
}

/// Repairs `text`, checks that every repair lies inside it, and that it took well under two
/// minutes: generous for a debug build on a loaded 2-core machine, so only a return of the
/// quadratic behaviour fails it.
fn repairs_in_bounded_time(text: &str) {
    let start = std::time::Instant::now();
    let repaired = repair(text, &RepairOptions::default());
    assert!(repaired
        .repairs
        .iter()
        .all(|r| r.start < r.end && r.end <= text.len()));
    assert!(start.elapsed().as_secs() < 120);
}

/// A line of one rare Big5 character repeated, with two lost bytes in it (found by the `fix`
/// fuzz target, `data/fuzz/fix-slow-big5-holes.bin`): GBK read as Big5 tried every end of a
/// segment from every start, and each try weighed 200 candidates for each lost character:
/// 2,310 searches, 0.4 s in release for 121 bytes. A run now spends at most
/// `MAX_HOLE_DECODES` (src/repair/recode.rs) of them.
#[test]
fn a_run_of_rare_characters_around_lost_bytes_takes_bounded_time() {
    let bytes = include_bytes!("data/fuzz/fix-slow-big5-holes.bin").repeat(4);
    let (text, _, _) = BIG5.decode(&bytes);
    // Release: about 0.4 s (1.8 s before the budget).
    repairs_in_bounded_time(&text);
}

#[path = "common/shared.rs"]
mod shared;

/// The shared corpora (clean technical text in both scripts, with tables of HTML entities and
/// tags written out as documentation) come back byte-identical from every cleanup that needs
/// no target. Skipped without `../shared`.
#[test]
fn clean_corpora_pass_through_every_cleanup() {
    let Some(corpora) = shared::corpora() else {
        return;
    };
    let pipeline = zhfix::pipeline::Pipeline::builder()
        .strip_annotations(true)
        .strip_markup(true)
        .build();
    for (file, text) in corpora {
        let fixed = pipeline.fix(&text);
        if let Some((n, (a, b))) = text
            .lines()
            .zip(fixed.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
        {
            panic!("{file}:{}: {a:?} became {b:?}", n + 1);
        }
        assert_eq!(fixed, text, "{file}");
    }
}
