use super::*;

/// `PROPTEST_CASES` when set (an explicit count in the config would override it), else
/// `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn conv(t: Target, s: &str) -> String {
    TargetConverter::new(t).convert(s).into_owned()
}

#[test]
fn parses_names_and_aliases() {
    for t in Target::ALL {
        assert_eq!(t.name().parse::<Target>(), Ok(t));
        assert_eq!(t.name().to_uppercase().parse::<Target>(), Ok(t));
    }
    assert_eq!("tw".parse::<Target>(), Ok(Target::ZhTw));
    assert_eq!("HANS".parse::<Target>(), Ok(Target::ZhHans));
    assert_eq!("zh_hk".parse::<Target>(), Ok(Target::ZhHk));
    assert!("zh".parse::<Target>().is_err());
}

#[test]
fn send_sync() {
    fn check<T: Send + Sync>() {}
    check::<TargetConverter>();
}

#[test]
fn known_opencc_failures() {
    assert_eq!(conv(Target::ZhHant, "被发明"), "被發明");
    assert_eq!(conv(Target::ZhHant, "展示了如何"), "展示了如何");
    assert_eq!(conv(Target::ZhHant, "参与制造"), "參與製造");
    assert_eq!(conv(Target::ZhHant, "一只只小鸟"), "一隻隻小鳥");
    assert_eq!(conv(Target::ZhTw, "少数组织"), "少數組織");
    assert_eq!(conv(Target::ZhHans, "看著他"), "看着他");
    assert_eq!(conv(Target::ZhHans, "甚麼"), "什么");
}

#[test]
fn not_idempotent_in_opencc() {
    assert_eq!(conv(Target::ZhTw, "演算法"), "演算法");
    assert_eq!(conv(Target::ZhTw, "算法"), "演算法");
    assert_eq!(conv(Target::ZhHans, "什么"), "什么");
}

#[test]
fn mixed_sources_reach_the_target() {
    let text = "这是简体中文。這是繁體中文。軟件在香港。";
    assert_eq!(
        conv(Target::ZhTw, text),
        "這是簡體中文。這是繁體中文。軟體在香港。"
    );
    assert_eq!(
        conv(Target::ZhCn, text),
        "这是简体中文。这是繁体中文。软件在香港。"
    );
    assert_eq!(conv(Target::ZhCn, "這個軟體很好。"), "这个软件很好。");
}

#[test]
fn protected_spans() {
    let c = TargetConverter::new(Target::ZhHant);
    assert_eq!(c.convert("看`汉字`和``a`汉`b``"), "看`汉字`和``a`汉`b``");
    assert_eq!(
        c.convert("汉<!--zhfix:off-->汉<!--zhfix:on-->汉"),
        "漢<!--zhfix:off-->汉<!--zhfix:on-->漢"
    );
    assert_eq!(
        c.convert("汉<!--zhfix:off-->汉\n汉"),
        "漢<!--zhfix:off-->汉\n汉"
    );
    assert_eq!(
        c.convert("见https://x.cn/汉字。汉"),
        "見https://x.cn/汉字。漢"
    );
    // Schemes in either case, found from their `:`; not inside a word, not after a span.
    assert_eq!(
        c.convert("见HTTP://x.cn/汉 ftp://x.cn/汉 https://x.cn/汉 www.x.cn/汉"),
        "見HTTP://x.cn/汉 ftp://x.cn/汉 https://x.cn/汉 www.x.cn/汉"
    );
    assert_eq!(c.convert("见xhttp://x.cn/汉"), "見xhttp://x.cn/漢");
    assert_eq!(c.convert("见`a`http://x.cn/汉"), "見`a`http://x.cn/汉");
    assert_eq!(c.convert("见汉http://x.cn/汉"), "見漢http://x.cn/汉");
    assert_eq!(c.convert("写信到a.b@x.cn，汉"), "寫信到a.b@x.cn，漢");
    assert_eq!(c.convert("未闭合⟦汉"), "未閉合⟦漢");
    assert_eq!(c.convert("未闭合`汉"), "未閉合`漢");
    // Inline code closes on its own line: a lone backtick in prose (a list of special
    // characters) does not pair with the next inline code lines or paragraphs later.
    assert_eq!(
        c.convert("特殊字符: ' ` \"\n\n如果你想区分\n运行`eval`的结果"),
        "特殊字符: ' ` \"\n\n如果你想區分\n運行`eval`的結果"
    );
    assert_eq!(c.convert("单`个\n汉`字"), "單`個\n漢`字");
}

#[test]
fn clean_input_is_borrowed() {
    let c = TargetConverter::new(Target::ZhHans);
    for s in ["", "abc", "简体中文", "emoji 😀 text"] {
        assert!(matches!(c.convert(s), Cow::Borrowed(_)), "{s}");
    }
}

#[test]
fn convert_into_appends() {
    let mut out = String::from(">");
    TargetConverter::new(Target::ZhHk).convert_into("汉字", &mut out);
    assert_eq!(out, ">漢字");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Characters and words where OpenCC's tables interact: one-to-many characters, phrases that
    /// cross word boundaries, regional phrases, both scripts.
    const POOL: &[&str] = &[
        "算法",
        "演算法",
        "什么",
        "甚麼",
        "什麼",
        "么",
        "麼",
        "著",
        "着",
        "看",
        "了",
        "瞭",
        "如何",
        "发",
        "髮",
        "發",
        "明",
        "被",
        "只",
        "隻",
        "一",
        "干",
        "乾",
        "幹",
        "后",
        "後",
        "皇",
        "里",
        "裏",
        "裡",
        "面",
        "麵",
        "系",
        "係",
        "制",
        "製",
        "造",
        "参与",
        "參與",
        "数组",
        "陣列",
        "少",
        "织",
        "組織",
        "软件",
        "軟體",
        "軟件",
        "頭",
        "头",
        "台",
        "臺",
        "鼠标",
        "滑鼠",
        "信息",
        "資訊",
        "。",
        "，",
        " ",
        "a",
        "\n",
        "`",
        "⟦",
        "⟧",
        "http://x/",
        "@",
        "游",
        "遊",
        "准",
        "準",
        "征",
        "徵",
        "冲",
        "衝",
        "松",
        "鬆",
        "周",
        "週",
        "云",
        "雲",
        "余",
        "餘",
        "出",
        "齣",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(POOL), 0..16).prop_map(|v| v.concat())
    }

    /// Words that make Traditional text one-to-one converted (`one_to_one_evidence`). (Not
    /// 云層: with [`POOL`]'s 台 it meets the known exception `么乾出云台`, docs/target.md.)
    const ONE_TO_ONE: &[&str] = &[
        "終于", "隨后", "采購", "關系", "對于", "聯系", "采訪", "游說", "万個",
    ];

    /// Text that is one-to-one converted: two such words, each a run of its own (so each is
    /// its run's first key), then [`text`] with more of them among its pieces.
    pub(super) fn one_to_one_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![prop::sample::select(POOL), prop::sample::select(ONE_TO_ONE)];
        (
            prop::sample::subsequence(ONE_TO_ONE, 2),
            prop::collection::vec(piece, 0..16),
        )
            .prop_map(|(two, rest)| format!("{}，{}，{}", two[0], two[1], rest.concat()))
    }

    /// Converting `s` twice gives what converting it once gives, for every target.
    fn converts_once(s: &str) -> Result<(), TestCaseError> {
        for t in Target::ALL {
            let c = TargetConverter::new(t);
            let once = c.convert(s).into_owned();
            let twice = c.convert(&once).into_owned();
            prop_assert_eq!(&twice, &once, "target {} input {:?}", t, s);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(super::cases(400)))]
        #[test]
        fn idempotent(s in text()) {
            converts_once(&s)?;
        }

        #[test]
        fn idempotent_on_one_to_one_text(s in one_to_one_text()) {
            converts_once(&s)?;
        }

        #[test]
        fn never_panics_and_keeps_non_han(s in "\\PC{0,40}") {
            for t in Target::ALL {
                let out = TargetConverter::new(t).convert(&s);
                let strip = |x: &str| x.chars().filter(|&c| !is_han(c)).collect::<String>();
                prop_assert_eq!(strip(&out), strip(&s));
            }
        }
    }
}

/// The fast path against segmenting every run whole (`TargetConverter::reference`).
mod fast_path {
    use super::*;
    use proptest::prelude::*;

    fn check(text: &str) {
        // Twice, so that the second copy finds every window of the first in the memo (the
        // table of both passes takes a known window's output from it, `Both::run`, and
        // segments the others itself).
        let text = &format!("{text}\n{text}");
        for t in Target::ALL {
            let fast = TargetConverter::new(t).convert(text).into_owned();
            let full = TargetConverter::reference(t).convert(text).into_owned();
            if fast != full {
                // The first line that differs, for a readable failure.
                let line = fast
                    .lines()
                    .zip(full.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("\n fast: {a}\n full: {b}"))
                    .unwrap_or_default();
                panic!(
                    "{t}: fast path differs on {} bytes of input{line}",
                    text.len()
                );
            }
        }
    }

    /// Common characters and words of both scripts, one-to-many characters, regional words.
    const WORDS: &[&str] = &[
        "软件",
        "軟件",
        "軟體",
        "文件",
        "檔案",
        "程序",
        "程式",
        "信息",
        "資訊",
        "数据",
        "資料",
        "网络",
        "網路",
        "上游",
        "下游",
        "游戏",
        "遊戲",
        "这个",
        "這個",
        "一只",
        "只只",
        "一隻",
        "头发",
        "頭髮",
        "发展",
        "發展",
        "理发",
        "皇后",
        "后来",
        "後來",
        "里面",
        "裏面",
        "裡面",
        "面条",
        "麵條",
        "干净",
        "乾淨",
        "干部",
        "幹部",
        "系统",
        "系統",
        "关系",
        "關係",
        "制作",
        "製作",
        "台湾",
        "臺灣",
        "台灣",
        "着",
        "著",
        "看著",
        "什么",
        "甚麼",
        "爲",
        "為",
        "为",
        "了解",
        "瞭解",
        "算法",
        "演算法",
        "鼠标",
        "滑鼠",
        "默认",
        "預設",
        "支持",
        "支援",
        "的",
        "是",
        "在",
        "不",
        "人",
        "我",
        "有",
        "他",
        "这",
        "們",
        "们",
        "中",
        "大",
        "来",
        "上",
        "个",
        "國",
        "国",
        "到",
        "說",
        "说",
        "时",
        "時",
        "要",
        "就",
        "出",
        "会",
        "會",
        "可",
        "也",
        "你",
        "对",
        "對",
        "生",
        "能",
        "而",
        "子",
        "那",
        "得",
        "于",
        "於",
        "下",
        "自",
        "之",
        "年",
        "过",
        "過",
        "发",
        "發",
        "髮",
        "后",
        "後",
        "作",
        "里",
        "裡",
        "裏",
        "用",
        "道",
        "行",
        "所",
        "然",
        "家",
        "种",
        "種",
        "事",
        "成",
        "方",
        "多",
        "经",
        "經",
        "么",
        "麼",
        "去",
        "法",
        "学",
        "學",
        "如",
        "都",
        "同",
        "现",
        "現",
        "当",
        "當",
        "没",
        "沒",
        "动",
        "動",
        "面",
        "起",
        "看",
        "定",
        "天",
        "分",
        "还",
        "還",
        "进",
        "進",
        "好",
        "小",
        "部",
        "其",
        "些",
        "主",
        "样",
        "樣",
        "理",
        "心",
        "她",
        "本",
        "前",
        "开",
        "開",
        "但",
        "因",
        "只",
        "从",
        "從",
        "想",
        "实",
        "實",
        "𠮷",
        "𪚥",
        "丟",
        "丢",
        "鍾",
        "钟",
        "鐘",
        "。",
        "，",
        "！",
        "？",
        "\n",
        " ",
        "a",
        "`",
        "⟦",
        "⟧",
        "http://x.cn/汉",
    ];

    fn words() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(WORDS), 0..60).prop_map(|v| v.concat())
    }

    /// Any Han characters (BMP and beyond) with some punctuation.
    fn han() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                8 => prop::char::range('\u{4E00}', '\u{9FFF}'),
                1 => prop::char::range('\u{3400}', '\u{4DBF}'),
                1 => prop::char::range('\u{F900}', '\u{FAFF}'),
                1 => prop::char::range('\u{20000}', '\u{2A6DF}'),
                1 => prop::sample::select(vec!['。', '，', 'a', ' ', '\n']),
            ],
            0..80,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(super::cases(300)))]
        #[test]
        fn equals_full_segmentation_on_words(s in words()) {
            check(&s);
        }

        #[test]
        fn equals_full_segmentation_on_one_to_one_text(s in super::props::one_to_one_text()) {
            check(&s);
        }

        #[test]
        fn equals_full_segmentation_on_any_han(s in han()) {
            check(&s);
        }
    }

    /// Traditional sentences, whose runs the classifier notes for the Traditional pass
    /// (`script::Runs`): runs with and without regional keys (characters, pairs), characters
    /// beyond the BMP, sentences after a Simplified one (not noted) and protected spans.
    #[test]
    fn equals_full_segmentation_on_noted_runs() {
        check(
            "這個軟件的數據庫。滑鼠和資訊，程序裡面。\n\
             𠀀軟件𠀀 數據 `軟件` 我們的網絡。这是软件。軟件與數據庫。\n\
             ⟦軟件⟧軟件\n檔案和網路。資料庫的𠀀。",
        );
    }

    #[test]
    fn equals_full_segmentation_on_test_data() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
        for name in [
            "seed_000_fix_all_hans.txt",
            "seed_000_repair_all.txt",
            "target/tune.tsv",
            "target/heldout.tsv",
            "target/opencc_differences.tsv",
        ] {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
            check(&text);
            for line in text.lines() {
                check(line);
            }
        }
    }

    /// The shared corpora (`ZHFIX_SHARED`, else `../shared` next to the checkout), the first
    /// 64 KiB of each in `cargo test`, whole with `ZHFIX_FULL_CORPORA=1` (release builds).
    #[test]
    fn equals_full_segmentation_on_corpora() {
        let shared = std::env::var_os("ZHFIX_SHARED")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared").into());
        let Ok(dir) = std::fs::read_dir(shared.join("corpora")) else {
            eprintln!("skipped: no corpora");
            return;
        };
        let whole = std::env::var_os("ZHFIX_FULL_CORPORA").is_some();
        for entry in dir.flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let mut end = if whole {
                text.len()
            } else {
                text.len().min(1 << 16)
            };
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            check(&text[..end]);
        }
    }
}

#[test]
fn regional_pair_sets_hold_exactly_their_pairs() {
    let lists = [
        (t::HANT_TRIGGER_BIGRAMS, t::HANT_TRIGGER_PAIR_SET),
        (t::TW_TRIGGER_BIGRAMS, t::TW_TRIGGER_PAIR_SET),
        (t::HK_TRIGGER_BIGRAMS, t::HK_TRIGGER_PAIR_SET),
        (
            t::TW_STANDARD_TRIGGER_BIGRAMS,
            t::TW_STANDARD_TRIGGER_PAIR_SET,
        ),
        (
            t::HK_STANDARD_TRIGGER_BIGRAMS,
            t::HK_STANDARD_TRIGGER_PAIR_SET,
        ),
        (t::ONE_TO_ONE_PAIRS, t::ONE_TO_ONE_PAIR_SET),
    ];
    for (pairs, set) in lists {
        assert!(set.len().is_power_of_two() && set.len() >= 2 * pairs.len());
        for &p in pairs {
            assert!(fast::pair_set_contains(set, p));
        }
        // Each pair with its characters swapped, and each pair's neighbours in code order.
        for &p in pairs {
            for q in [p.rotate_left(32), p + 1, p - 1] {
                assert_eq!(
                    fast::pair_set_contains(set, q),
                    pairs.binary_search(&q).is_ok()
                );
            }
        }
    }
}

#[test]
fn the_window_memo_outlives_a_call_without_changing_output() {
    let text = "软件和文件都在程序里。上游的软件包。";
    for target in Target::ALL {
        let c = TargetConverter::new(target);
        forget_windows();
        let cold = c.convert(text).into_owned();
        // The memo now holds this text's windows; other text in between changes nothing.
        let other = TargetConverter::new(Target::ZhHk)
            .convert("軟件文檔程序")
            .into_owned();
        assert_eq!(c.convert(text), cold, "{target}");
        assert_eq!(
            TargetConverter::new(Target::ZhHk).convert("軟件文檔程序"),
            other
        );
        assert_eq!(
            c.convert(text),
            TargetConverter::reference(target).convert(text)
        );
    }
}

#[test]
fn tells_script_looks_no_further_than_it_must() {
    // The plain definition: any telling character outside every protected span.
    fn reference(text: &str) -> bool {
        let mut pos = 0;
        let tells = |s: &str| s.chars().any(|c| script::char_class(c) != 0);
        for r in protect::Protected::new(text) {
            if tells(&text[pos..r.start]) {
                return true;
            }
            pos = r.end;
        }
        tells(&text[pos..])
    }
    let pieces = [
        "汉",
        "漢",
        "字",
        " ",
        "\n",
        "`",
        "``",
        "⟦",
        "⟧",
        "<!--zhfix:off-->",
        "<!--zhfix:on-->",
        "https://e.cn/",
        "www.",
        "a@b.com",
        "w",
        ":",
        "://",
        "x",
        "。",
        "后",
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..cases(20_000) {
        let mut text = String::new();
        for _ in 0..(x % 12) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        x = x.wrapping_add(0x2545_F491_4F6C_DD1D);
        assert_eq!(tells_script(&text), reference(&text), "{text:?}");
        assert_eq!(first_telling(&text), first_class(&text), "{text:?}");
    }
    // The class of the first telling character outside every protected span.
    fn first_class(text: &str) -> Option<u8> {
        let mut pos = 0;
        let first = |s: &str| s.chars().map(script::char_class).find(|&c| c != 0);
        for r in protect::Protected::new(text) {
            if let Some(c) = first(&text[pos..r.start]) {
                return Some(c);
            }
            pos = r.end;
        }
        first(&text[pos..])
    }
}

/// The shortcut for Simplified text (`convert_simplified`) gives what classifying its
/// sentences gives, for every target, for text that takes it and text that leaves it half way
/// (a character only Traditional has, at the start, in the middle, at the end of a run, beyond
/// the BMP), with protected spans, and in a document with and without one-to-one evidence.
/// `convert_simplified` and `convert_traditional` against the sentence classifier.
mod shortcuts {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "软件",
        "文件",
        "程序",
        "信息",
        "数据",
        "这个",
        "的",
        "着",
        "了",
        "后",
        "里",
        "干",
        "发",
        "只",
        "系",
        "么",
        "台",
        "头发",
        "参与",
        "一只只",
        "算法",
        "鼠标",
        "终于",
        "漢",
        "裡",
        "麼",
        "乾",
        "著",
        "發",
        "軟件",
        "𠀀",
        "𪚥",
        "a",
        " ",
        "\n",
        "。",
        "，",
        "！",
        "`",
        "`软件`",
        "⟦",
        "⟧",
        "⟦软件⟧",
        "http://x.cn/软件",
        "a@b.cn",
        "字",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
    }

    fn check(s: &str) -> Result<(), TestCaseError> {
        assert_eq!(
            script::has_traditional_only(s),
            s.chars().any(|c| script::char_class(c) == 2),
            "{s:?}"
        );
        assert_eq!(
            script::has_simplified_only(s),
            s.chars().any(|c| script::char_class(c) == 1),
            "{s:?}"
        );
        for target in Target::ALL {
            let c = TargetConverter::new(target);
            for pairs in [vec![], vec![1, 2]] {
                let (mut a, mut b) = (String::new(), String::new());
                let mut doc = Document {
                    pairs: pairs.clone(),
                };
                let one = c.convert_once(s, &mut a, &mut doc);
                let mut doc = Document { pairs };
                let other = c.convert_classified(s, &mut b, &mut doc);
                prop_assert_eq!(&a, &b, "target {} input {:?}", target, s);
                prop_assert_eq!(one, other, "target {} input {:?}", target, s);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(super::cases(2000)))]
        #[test]
        fn equals_classified(s in text()) {
            check(&s)?;
        }
    }

    #[test]
    fn equals_classified_on_corpora_and_seed() {
        let seed = include_str!("../../seeds/000_f3976092b292c533.txt");
        check(seed).unwrap();
        let shared = std::env::var_os("ZHFIX_SHARED")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared").into());
        for name in [
            "maint-cn.txt",
            "debref-cn.txt",
            "maint-tw.txt",
            "debref-tw.txt",
        ] {
            let Ok(text) = std::fs::read_to_string(shared.join("corpora").join(name)) else {
                eprintln!("skipped: no corpora");
                continue;
            };
            let mut end = text.len().min(1 << 16);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            check(&text[..end]).unwrap();
            // A character only one script has near the end: a shortcut starts over (into
            // Traditional from Simplified text) or is not taken (into Simplified from
            // Traditional text).
            check(&format!("{}漢", &text[..end])).unwrap();
            check(&format!("{}汉", &text[..end])).unwrap();
            // Paragraph by paragraph, as the CLI converts.
            for line in text[..end].lines().take(400) {
                check(line).unwrap();
            }
        }
    }
}

/// `one_to_one_evidence` reads only the runs the classifier noted with a regional key: that
/// holds because each evidence pair is a trigger pair of every pass over Traditional text.
#[test]
fn one_to_one_pairs_are_regional_triggers() {
    assert!(t::ONE_TO_ONE_PAIRS.len() > 500);
    for pairs in [
        t::HANT_TRIGGER_BIGRAMS,
        t::TW_TRIGGER_BIGRAMS,
        t::HK_TRIGGER_BIGRAMS,
    ] {
        for p in t::ONE_TO_ONE_PAIRS {
            assert!(pairs.binary_search(p).is_ok());
        }
    }
}
