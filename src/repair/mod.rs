//! Repair: undo mojibake and web-crawl damage, span by span (issue: Repair).

mod scorer;
