//! UTF-8 read as GBK / GB18030.
//!
//! Recipe: UTF-8 bytes decoded as GBK. `你好` is `E4 BD A0 E5 A5 BD`; GBK pairs the bytes as
//! `E4BD A0E5 A5BD`, which reads `浣犲ソ`. Reversible while the bytes pair up; a lead byte
//! left alone (before ASCII, at the end of a line, or in an unmapped pair) becomes `�`, and the
//! scorer guesses the lost byte: `中文字符,` → `涓�鏂囧瓧绗�,` → `中文字符,`.
//!
//! Before → after: `浣犲ソ` → `你好`, `鍚屾剰` → `同意`.

use super::recode::{Family, Right, Wrong};
use super::RepairKind;

pub(super) const FAMILY: Family = Family {
    kind: RepairKind::Utf8AsGbk,
    wrong: Wrong::Legacy(encoding_rs::GBK),
    right: Right::Utf8,
    lost_byte: true,
    hole_bytes: 1,
    second_look: true,
    min_uncommon: 0.5,
    min_han: 0,
    repeated: None,
};

#[cfg(test)]
mod tests {
    use crate::repair::{repair, RepairKind, RepairOptions};

    fn fix(text: &str) -> String {
        repair(text, &RepairOptions::default()).text.into_owned()
    }

    #[test]
    fn the_documented_examples() {
        assert_eq!(fix("浣犲ソ"), "你好");
        assert_eq!(fix("鍚屾剰"), "同意");
        let fixed = repair("浣犲ソ", &RepairOptions::default());
        assert_eq!(fixed.repairs[0].kind, RepairKind::Utf8AsGbk);
    }

    #[test]
    fn lost_bytes_are_guessed() {
        assert_eq!(fix("涓�鏂囧瓧绗�,"), "中文字符,");
        // A guess takes the word it makes (`软件包`, not `软件北`) ...
        assert_eq!(fix(&damage("安装这个软件包,")), "安装这个软件包,");
        // ... but with no statistics across words a lone character may come back as a
        // more frequent single-character word: `很好` is no word of jieba's, `她` is more
        // frequent alone than `好` (docs/repair.md, "Limits").
        assert_eq!(fix("鎴戜滑鐨勪骇鍝佸緢濂�,"), "我们的产品很她,");
        assert_eq!(fix("浠栦滑鍦ㄥ寳浜�寮�浼氥��"), "他们在北京开会。");
        assert_eq!(fix("杩欐槸涓�涓�娴嬭瘯銆�"), "这是一个测试。");
    }

    fn damage(text: &str) -> String {
        encoding_rs::GBK
            .decode_without_bom_handling(text.as_bytes())
            .0
            .into_owned()
    }

    #[test]
    fn lost_quotation_marks_fit_their_place() {
        for clean in [
            "所有的全限定文件名以“/”目录开始",
            "在 shell 中执行 “set -x” 或使用 “-x” 选项",
            "对于 vim(1) 和它的别名 view(1)，“:set hls” 可以启用高亮",
        ] {
            assert_eq!(fix(&damage(clean)), clean);
        }
    }

    #[test]
    fn a_damaged_clause_ends_where_the_clean_text_starts() {
        // The clause's last `，` lost a byte; `通` after it is clean and stays.
        let clean = "如果你遇到字符编码问题，显示出来都是乱码，通过添加选项";
        let broken = format!(
            "如果你遇到字符编码问题，{}通过添加选项",
            damage("显示出来都是乱码，")
        );
        assert_eq!(fix(&broken), clean);
    }

    #[test]
    fn damage_made_of_common_characters_on_a_damaged_line() {
        // `命令` reads `鍛戒护`, three characters the fast path lets through.
        let clean = "如果你遇到字符编码问题，通过添加 MC 命令";
        assert_eq!(fix(&damage(clean)), clean);
    }

    #[test]
    fn damage_inside_clean_text() {
        assert_eq!(
            fix("今天天气很好，杩欐槸涓�涓�娴嬭瘯銆�我们走吧。"),
            "今天天气很好，这是一个测试。我们走吧。"
        );
    }
}
