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

/// A sentence with characters of both scripts: a word half in each (`干擾`, Simplified `干扰`)
/// is still a word, and an explicit Traditional character stays as written.
#[test]
fn mixed_sentences_keep_their_words() {
    for (target, input, output) in [
        (
            Target::ZhHk,
            "讓用户可以不受干擾地安裝",
            "讓用户可以不受干擾地安裝",
        ),
        (Target::ZhHant, "用户不受干擾", "用戶不受干擾"),
        (Target::ZhTw, "用户不受干擾", "使用者不受干擾"),
        (Target::ZhTw, "他的头髮很长", "他的頭髮很長"),
    ] {
        let c = TargetConverter::new(target);
        assert_eq!(c.convert(input), output, "{target:?} on {input}");
        assert_eq!(c.convert(output), output, "{target:?} on {output}");
    }
}

#[test]
fn converting_twice_changes_nothing() {
    for (target, input) in [
        (Target::ZhCn, "乾造髮。演算法数组"),
        (Target::ZhHans, "黃仁勛忙著在中國四處拜訪"),
        (Target::ZhTw, "演算法和算法，软件和軟體"),
    ] {
        let c = TargetConverter::new(target);
        let once = c.convert(input).into_owned();
        assert_eq!(c.convert(&once), once.as_str(), "{target:?} on {input}");
    }
}

#[path = "common/shared.rs"]
mod shared;

/// `fix --to` applied to its own output, over the shared corpora (skipped without them): the
/// lines that still change the second time are counted per corpus and target and may not grow
/// beyond what docs/target.md ("Idempotency") explains (a regional word that changes how its
/// neighbours segment).
#[test]
fn converting_the_corpora_twice_changes_no_more_lines_than_known() {
    let Some(corpora) = shared::corpora() else {
        return;
    };
    let known = |file: &str, target: Target| match (file, target) {
        ("debref-cn.txt", Target::ZhTw) => 13,
        _ => 0,
    };
    let mut failures = Vec::new();
    for (file, text) in &corpora {
        for target in Target::ALL {
            let pipeline = zhfix::pipeline::Pipeline::builder().to(target).build();
            let once = pipeline.fix(text).into_owned();
            let twice = pipeline.fix(&once);
            let changed: Vec<(usize, &str, &str)> = once
                .lines()
                .zip(twice.lines())
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .map(|(n, (a, b))| (n + 1, a, b))
                .collect();
            if changed.len() > known(file.as_str(), target) {
                failures.push(format!(
                    "{file} {target}: {} lines change again (known {}), first: {:?}",
                    changed.len(),
                    known(file.as_str(), target),
                    changed.first()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
