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
