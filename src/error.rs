//! One error type for the library and the CLI: what went wrong, where (input, line, byte offset).

use std::fmt;
use std::io;

/// Everything that can go wrong, with enough context to point at the problem.
#[derive(Debug)]
pub enum Error {
    /// Input that must be UTF-8 is not; `offset` is the byte offset of the first bad byte.
    InvalidUtf8 { input: String, offset: u64 },
    /// A config name that is not one of OpenCC's.
    UnknownConfig { name: String },
    /// A malformed line in a user dictionary (1-based line number).
    Dictionary {
        path: String,
        line: usize,
        message: String,
    },
    /// A name that is no encoding zhfix knows.
    UnknownEncoding { name: String },
    /// Reading or writing failed.
    Io { path: String, source: io::Error },
    /// Anything else about one input, already worded.
    Input { path: String, message: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<String>, source: io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the error is a closed output pipe, which a filter should exit on quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUtf8 { input, offset } => write!(
                f,
                "{input}: invalid UTF-8 at byte offset {offset} (convert expects UTF-8; `zhfix fix` detects other encodings)"
            ),
            Error::UnknownConfig { name } => write!(
                f,
                "unknown config {name:?}; valid configs: {}",
                crate::convert::Config::ALL.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
            ),
            Error::Dictionary { path, line, message } => write!(f, "{path}:{line}: {message}"),
            Error::UnknownEncoding { name } => write!(f, "unknown encoding {name:?}"),
            Error::Io { path, source } => write!(f, "{path}: {source}"),
            Error::Input { path, message } => write!(f, "{path}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
