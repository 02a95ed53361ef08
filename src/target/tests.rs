use super::*;

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
    assert_eq!(c.convert("写信到a.b@x.cn，汉"), "寫信到a.b@x.cn，漢");
    assert_eq!(c.convert("未闭合⟦汉"), "未閉合⟦漢");
    assert_eq!(c.convert("未闭合`汉"), "未閉合`漢");
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn idempotent(s in text()) {
            for t in Target::ALL {
                let c = TargetConverter::new(t);
                let once = c.convert(&s).into_owned();
                let twice = c.convert(&once).into_owned();
                prop_assert_eq!(&twice, &once, "target {} input {:?}", t, s);
            }
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

#[test]
#[ignore]
fn debug_keys() {
    let lex = lexicons();
    for k in ["什么", "么", "什", "乾造", "造什", "造什么", "乾造什么"] {
        let e = lex.traditional.word(k);
        eprintln!(
            "{k}: {:?} hans={:?}",
            e,
            e.map(|e| lex.traditional.output(e, 3))
        );
    }
}
