//! The sixteen OpenCC 1.4.2 configs, as names; their content is data (`data/opencc/config`).

use std::fmt;
use std::str::FromStr;

use crate::Error;

macro_rules! configs {
    ($($variant:ident => $name:literal,)*) => {
        /// An OpenCC 1.4.2 conversion config.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Config {
            $(#[doc = concat!("`", $name, "`")] $variant,)*
        }

        impl Config {
            /// Every config, in OpenCC's usual order.
            pub const ALL: [Config; 16] = [$(Config::$variant,)*];

            /// The OpenCC name (`s2twp`), as on the command line.
            pub fn name(self) -> &'static str {
                match self {
                    $(Config::$variant => $name,)*
                }
            }
        }
    };
}

configs! {
    S2t => "s2t",
    T2s => "t2s",
    S2tw => "s2tw",
    Tw2s => "tw2s",
    S2twp => "s2twp",
    Tw2sp => "tw2sp",
    S2hk => "s2hk",
    Hk2s => "hk2s",
    S2hkp => "s2hkp",
    Hk2sp => "hk2sp",
    T2tw => "t2tw",
    Tw2t => "tw2t",
    T2hk => "t2hk",
    Hk2t => "hk2t",
    T2jp => "t2jp",
    Jp2t => "jp2t",
}

impl Config {
    /// OpenCC's description of the config (its `name` field).
    pub fn title(self) -> &'static str {
        crate::tables::opencc::PLANS[self as usize].title
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl FromStr for Config {
    type Err = Error;

    /// Accepts `s2twp` and `s2twp.json`, in any case.
    fn from_str(s: &str) -> Result<Config, Error> {
        let lower = s.to_ascii_lowercase();
        let stem = lower.strip_suffix(".json").unwrap_or(&lower);
        Config::ALL
            .into_iter()
            .find(|c| c.name() == stem)
            .ok_or_else(|| Error::UnknownConfig {
                name: s.to_string(),
            })
    }
}

impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_the_tables() {
        for (i, config) in Config::ALL.into_iter().enumerate() {
            assert_eq!(config.name().parse::<Config>().unwrap(), config);
            assert_eq!(
                format!("{}.json", config.name()).parse::<Config>().unwrap(),
                config
            );
            assert_eq!(crate::tables::opencc::PLANS[i].name, config.name());
        }
        let err = "s2x".parse::<Config>().unwrap_err().to_string();
        assert!(err.contains("s2twp") && err.contains("\"s2x\""), "{err}");
    }
}
