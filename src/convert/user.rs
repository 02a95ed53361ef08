//! User dictionaries in OpenCC's text format: `from<TAB>to[ to2 ...]`, `#` comments.

use std::collections::{HashMap, HashSet};

use crate::Error;

/// Entries a user supplies; they win over the built-in dictionaries wherever they match.
#[derive(Clone, Debug, Default)]
pub struct UserDict {
    entries: HashMap<String, String>,
    longest: usize,
    chars: HashSet<char>,
}

impl UserDict {
    /// Parses a dictionary; `path` names it in errors. The first value of an entry is used.
    ///
    /// ```
    /// let err = zhfix::convert::UserDict::parse("my.txt", "好\t好\nbad line\n").unwrap_err();
    /// assert_eq!(err.to_string(), "my.txt:2: expected `from<TAB>to`, found no tab");
    /// ```
    pub fn parse(path: &str, text: &str) -> Result<UserDict, Error> {
        let mut dict = UserDict::default();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let line = if index == 0 {
                line.trim_start_matches('\u{FEFF}')
            } else {
                line
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |message: &str| Error::Dictionary {
                path: path.to_string(),
                line: index + 1,
                message: message.to_string(),
            };
            let (key, values) = line
                .split_once('\t')
                .ok_or_else(|| fail("expected `from<TAB>to`, found no tab"))?;
            if key.is_empty() {
                return Err(fail("empty key before the tab"));
            }
            let value = values
                .split(' ')
                .find(|v| !v.is_empty())
                .ok_or_else(|| fail("no value after the tab"))?;
            dict.insert(key, value);
        }
        Ok(dict)
    }

    /// Reads and parses a dictionary file.
    pub fn from_file(path: &std::path::Path) -> Result<UserDict, Error> {
        let label = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| Error::io(label.clone(), e))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| Error::InvalidUtf8 {
            input: label.clone(),
            offset: e.valid_up_to() as u64,
        })?;
        UserDict::parse(&label, text)
    }

    fn insert(&mut self, key: &str, value: &str) {
        if self.entries.contains_key(key) {
            return;
        }
        self.longest = self.longest.max(key.chars().count());
        self.chars.extend(key.chars());
        self.entries.insert(key.to_string(), value.to_string());
    }

    /// Adds `other`'s entries; on a duplicate key the earlier dictionary wins.
    pub fn merged(mut self, other: UserDict) -> UserDict {
        for (k, v) in other.entries {
            self.insert(&k, &v);
        }
        self
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn uses_char(&self, c: char) -> bool {
        self.chars.contains(&c)
    }

    /// Greedy longest matches, left to right: `(start, end, value)` in byte offsets.
    pub(crate) fn matches<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, &'a str)> + 'a {
        let mut pos = 0;
        std::iter::from_fn(move || {
            while pos < text.len() {
                let rest = &text[pos..];
                let first = rest.chars().next()?;
                if self.chars.contains(&first) {
                    let ends: Vec<usize> = rest
                        .char_indices()
                        .take(self.longest)
                        .map(|(i, c)| i + c.len_utf8())
                        .collect();
                    for &end in ends.iter().rev() {
                        if let Some(value) = self.entries.get(&rest[..end]) {
                            let start = pos;
                            pos += end;
                            return Some((start, pos, value.as_str()));
                        }
                    }
                }
                pos += first.len_utf8();
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_name_the_line() {
        let err = UserDict::parse("d.txt", "# comment\n\n\tx\n").unwrap_err();
        assert_eq!(err.to_string(), "d.txt:3: empty key before the tab");
        let err = UserDict::parse("d.txt", "a\t \n").unwrap_err();
        assert_eq!(err.to_string(), "d.txt:1: no value after the tab");
    }

    #[test]
    fn longest_user_key_wins() {
        let d = UserDict::parse("d", "软\tA\n软件\tB C\n").unwrap();
        let found: Vec<_> = d.matches("x软件软y").collect();
        assert_eq!(found, vec![(1, 7, "B"), (7, 10, "A")]);
    }
}
