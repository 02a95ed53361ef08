//! Detection: the source encoding of bytes, the script of text, and the problems `fix` would
//! repair. Everything downstream trusts these verdicts: `fix` decodes with [`detect`],
//! `fix --to` converts span by span with [`script_spans`], reports quote [`scan_problems`].
//!
//! ```
//! use zhfix::detect::{detect, detect_script, Encoding, Script};
//! let bytes = "我们的头发".as_bytes();
//! let detection = detect(bytes);
//! assert_eq!(detection.encoding, Encoding::UTF_8);
//! let (text, _) = detection.encoding.decode(bytes);
//! assert_eq!(detect_script(&text).script, Script::Simplified);
//! ```

mod binary;
mod classes;
mod detector;
mod encoding;
mod phrases;
mod problems;
mod scan;
mod script;

pub use binary::looks_binary;
pub use detector::{detect, detect_full, Detection, EncodingDetector, Evidence, DEFAULT_LIMIT};
pub use encoding::{Decoder, Encoding};
pub use problems::{scan_problems, LineEndings, Mojibake, MojibakeKind, Problems};
pub use scan::Analyzer;
pub use script::{analyze, detect_script, script_spans, Region, Script, ScriptReport, ScriptSpan};
