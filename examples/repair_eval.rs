//! Builds the repair evaluation set from the shared corpora and scores zhfix on it.
//!
//! ```text
//! cargo run --release --example repair_eval -- [PER_FAMILY] [--dump]
//! ```
//!
//! Reads clean lines of `../shared/corpora/*.txt` (never copied into the repository), damages
//! them with every family of MOJIBAKE.md (whole line, and one clause inside clean text), adds
//! clean controls (the Chinese lines themselves, our own Japanese, Korean and European
//! sentences, this crate's Rust source as code), writes the set to `eval/repair_set.tsv` (the
//! ignored `eval/` folder; `scripts/repair_eval_ftfy.py` scores ftfy on the same file) and
//! prints a Markdown table: per family and mode, exact recoveries and character error rate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, BIG5, EUC_KR, GBK, SHIFT_JIS, UTF_8, WINDOWS_1252};
use zhfix::repair::{repair, RepairOptions};

/// Our own sentences for the non-Chinese clean controls.
const CONTROLS: &[(&str, &str)] = &[
    ("ja", "明日は図書館の前で会いましょう。天気がいいですね。"),
    (
        "ja",
        "この文書はテキストの文字化けを直す方法について説明します。",
    ),
    ("ja", "東京駅から新幹線で大阪まで約二時間半かかります。"),
    ("ja", "昨日買った本はとても面白くて、一晩で読み終えました。"),
    (
        "ja",
        "ソフトウェアの設定ファイルを変更したら、再起動してください。",
    ),
    ("ja", "彼女は毎朝コーヒーを飲みながら新聞を読んでいる。"),
    ("ko", "내일 아침 아홉 시에 도서관 앞에서 만나요."),
    ("ko", "이 문서는 깨진 텍스트를 고치는 방법을 설명합니다."),
    ("ko", "서울에서 부산까지 기차로 약 세 시간 걸립니다."),
    ("ko", "어제 산 책이 너무 재미있어서 하룻밤에 다 읽었어요."),
    ("ko", "설정 파일을 바꾼 뒤에는 프로그램을 다시 시작하세요."),
    (
        "fr",
        "Rendez-vous demain à neuf heures devant la bibliothèque, s'il fait beau.",
    ),
    (
        "fr",
        "Ce document explique comment réparer un texte abîmé par un mauvais décodage.",
    ),
    (
        "fr",
        "Les élèves ont étudié l'œuvre complète de Molière cette année.",
    ),
    (
        "de",
        "Größere Änderungen übernehmen wir später; Straße und Maß bleiben.",
    ),
    (
        "de",
        "Die Brötchen beim Bäcker nebenan schmecken überraschend gut.",
    ),
    ("de", "Für Rückfragen stehen wir Ihnen gerne zur Verfügung."),
    (
        "es",
        "¿Dónde está la estación? Señor Muñoz, ¡qué día tan bonito!",
    ),
    (
        "es",
        "El niño comió paella y bebió zumo de naranja en la playa.",
    ),
    (
        "pt",
        "São Paulo é uma cidade enorme; coração, ação, não, pão.",
    ),
    (
        "pt",
        "A informação está disponível na secção de ajuda do programa.",
    ),
    ("is", "Þórður og Ævar fóru í bæinn að kaupa brauð."),
    ("da", "Blåbærsyltetøj og rødgrød med fløde er dansk mad."),
    (
        "pl",
        "Zażółć gęślą jaźń; Łódź i Kraków są pięknymi miastami.",
    ),
    ("cs", "Příliš žluťoučký kůň úpěl ďábelské ódy."),
    (
        "tr",
        "Şişli'de güzel bir çay bahçesinde oturduk, ılık bir akşamdı.",
    ),
    (
        "ru",
        "Съешь же ещё этих мягких французских булок да выпей чаю.",
    ),
    (
        "el",
        "Η γρήγορη καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο.",
    ),
    (
        "vi",
        "Tiếng Việt có nhiều dấu: ă, â, ê, ô, ơ, ư, đ và các thanh điệu.",
    ),
    (
        "sym",
        "表情符号 😀🎉 和箭头 → ← 以及 © ® ™ ½ ¼ ° ± § ¶ 符号。",
    ),
    ("sym", "价格：¥100，约合 €13 或 $14。温度 25°C，湿度 60%。"),
];

#[derive(Clone, Copy)]
enum Damage {
    Recode(&'static Encoding, &'static Encoding),
    Twice,
    GbkPunct,
}

const FAMILIES: &[(&str, Damage)] = &[
    ("utf8-as-gbk", Damage::Recode(UTF_8, GBK)),
    ("utf8-as-latin1", Damage::Recode(UTF_8, WINDOWS_1252)),
    ("utf8-double", Damage::Twice),
    ("gbk-as-latin1", Damage::Recode(GBK, WINDOWS_1252)),
    ("gbk-punct-replacement", Damage::GbkPunct),
    ("gbk-as-big5", Damage::Recode(GBK, BIG5)),
    ("utf8-as-big5", Damage::Recode(UTF_8, BIG5)),
    ("utf8-as-shift-jis", Damage::Recode(UTF_8, SHIFT_JIS)),
    ("utf8-as-euc-kr", Damage::Recode(UTF_8, EUC_KR)),
];

fn recode(text: &str, right: &'static Encoding, wrong: &'static Encoding) -> Option<String> {
    let (bytes, _, unmappable) = right.encode(text);
    if unmappable {
        return None;
    }
    Some(wrong.decode_without_bom_handling(&bytes).0.into_owned())
}

fn damage(text: &str, how: Damage) -> Option<String> {
    match how {
        Damage::Recode(right, wrong) => recode(text, right, wrong),
        Damage::Twice => recode(&recode(text, UTF_8, WINDOWS_1252)?, UTF_8, WINDOWS_1252),
        Damage::GbkPunct => {
            let (bytes, _, unmappable) = GBK.encode(text);
            if unmappable || text.contains('！') {
                return None;
            }
            let mut out = Vec::with_capacity(bytes.len());
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
            Some(GBK.decode_without_bom_handling(&out).0.into_owned())
        }
    }
}

/// The clause to damage in one-clause mode: the middle one between CJK punctuation.
fn clause_bounds(text: &str) -> Option<(usize, usize)> {
    let cuts: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| matches!(c, '，' | '。' | '；' | '：' | '、'))
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    if cuts.len() < 2 {
        return None;
    }
    let k = cuts.len() / 2;
    Some((cuts[k - 1], cuts[k]))
}

fn han_count(s: &str) -> usize {
    s.chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .count()
}

/// Lines of a corpus worth using: some Chinese, not too long.
fn lines(path: &Path, limit: usize) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let mut out: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| han_count(l) >= 12 && l.chars().count() <= 120)
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    // A fixed, spread-out sample.
    let step = (out.len() / limit.max(1)).max(1);
    out.into_iter().step_by(step).take(limit).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[derive(Default)]
struct Score {
    n: usize,
    exact: usize,
    errors: usize,
    chars: usize,
    /// Edit distance of the damaged input itself, for reference.
    damaged_errors: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let per_family: usize = args.iter().find_map(|a| a.parse().ok()).unwrap_or(200);
    let dump = args.iter().any(|a| a == "--dump");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // `../shared` next to the checkout (CI), or one level up for a worktree.
    let corpora = ["../shared/corpora", "../../shared/corpora"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| root.join("../shared/corpora"));
    let mut clean: Vec<(String, String)> = Vec::new();
    for (name, tag) in [
        ("debref-cn", "zh-Hans"),
        ("maint-cn", "zh-Hans"),
        ("debref-tw", "zh-Hant"),
        ("maint-tw", "zh-Hant"),
    ] {
        for line in lines(&corpora.join(format!("{name}.txt")), per_family / 2) {
            clean.push((tag.to_string(), line));
        }
    }
    if clean.is_empty() {
        eprintln!("no corpora at {}", corpora.display());
        std::process::exit(1);
    }
    // (family, mode, clean, damaged)
    let mut set: Vec<(String, String, String, String)> = Vec::new();
    for &(family, how) in FAMILIES {
        for (_, line) in clean.iter().take(per_family * 2) {
            // The punctuation replacement needs `。` before an opening quote: quote the
            // middle clause of the line.
            let quoted;
            let line = match (how, clause_bounds(line)) {
                (Damage::GbkPunct, Some((a, b))) if !line.contains('！') => {
                    let head = line[..a].trim_end_matches(['，', '；', '：', '、', '。']);
                    quoted = format!("{head}。“{}”{}", &line[a..b], &line[b..]);
                    &quoted
                }
                (Damage::GbkPunct, _) => continue,
                _ => line,
            };
            let Some(whole) = damage(line, how) else {
                continue;
            };
            if whole == *line {
                continue;
            }
            set.push((family.into(), "whole".into(), line.to_string(), whole));
            if let Some((a, b)) = clause_bounds(line) {
                if let Some(part) = damage(&line[a..b], how).filter(|p| p != &line[a..b]) {
                    let mixed = format!("{}{}{}", &line[..a], part, &line[b..]);
                    set.push((family.into(), "clause".into(), line.to_string(), mixed));
                }
            }
        }
    }
    for (tag, line) in &clean {
        set.push((
            format!("control-{tag}"),
            "clean".into(),
            line.clone(),
            line.clone(),
        ));
    }
    for (tag, line) in CONTROLS {
        set.push((
            format!("control-{tag}"),
            "clean".into(),
            line.to_string(),
            line.to_string(),
        ));
    }
    // Code: this crate's sources. The repair sources quote mojibake on purpose (their
    // examples), which zhfix repairs like any other: they are scored apart as a known limit.
    for (dir, tag) in [
        ("src/convert", "control-code"),
        ("build", "control-code"),
        ("src/repair", "quoted-mojibake-code"),
    ] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        for path in paths {
            let Ok(code) = std::fs::read_to_string(&path) else {
                continue;
            };
            for line in code.lines().filter(|l| l.trim().len() > 20).step_by(7) {
                set.push((
                    tag.into(),
                    "clean".into(),
                    line.to_string(),
                    line.to_string(),
                ));
            }
        }
    }
    let _ = std::fs::create_dir_all(root.join("eval"));
    let mut tsv = String::new();
    let esc = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
    };
    for (f, m, c, d) in &set {
        writeln!(tsv, "{f}\t{m}\t{}\t{}", esc(c), esc(d)).unwrap();
    }
    std::fs::write(root.join("eval/repair_set.tsv"), tsv).expect("write eval/repair_set.tsv");

    let mut scores: BTreeMap<(String, String), Score> = BTreeMap::new();
    let started = std::time::Instant::now();
    for (family, mode, clean, damaged) in &set {
        let fixed = repair(damaged, &RepairOptions::default()).text;
        let s = scores.entry((family.clone(), mode.clone())).or_default();
        s.n += 1;
        s.exact += usize::from(fixed == clean.as_str());
        s.errors += edit_distance(&fixed, clean);
        s.damaged_errors += edit_distance(damaged, clean);
        s.chars += clean.chars().count();
        if dump && fixed != clean.as_str() {
            eprintln!("{family}/{mode}\n  clean {clean}\n  input {damaged}\n  fixed {fixed}");
        }
    }
    println!("| family | mode | n | exact | CER | CER of the damaged input |");
    println!("|---|---|---:|---:|---:|---:|");
    for ((family, mode), s) in &scores {
        println!(
            "| {family} | {mode} | {} | {:.1}% | {:.2}% | {:.2}% |",
            s.n,
            100.0 * s.exact as f64 / s.n as f64,
            100.0 * s.errors as f64 / s.chars.max(1) as f64,
            100.0 * s.damaged_errors as f64 / s.chars.max(1) as f64
        );
    }
    eprintln!("{} cases in {:.1?}", set.len(), started.elapsed());
}
