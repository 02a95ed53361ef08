//! # zhfix: make damaged Chinese text clean and consistent
//!
//! zhfix detects the encoding and script of Chinese text, repairs mojibake, converts between
//! Traditional and Simplified Chinese (byte-identical to OpenCC 1.4.2 when asked) and normalizes
//! punctuation. The `zhfix` command-line tool is a thin layer over this library.
//!
//! ## A 30-second tour
//!
//! Convert a string with an OpenCC config:
//!
//! ```
//! use zhfix::convert::{Config, Converter};
//! let converter = Converter::new(Config::S2twp);
//! assert_eq!(converter.convert("软件和鼠标"), "軟體和滑鼠");
//! ```

#[cfg(feature = "batch")]
pub mod batch;
pub mod convert;
pub mod detect;
mod error;
pub mod pipeline;
pub mod punct;
pub mod repair;
mod scan;
mod tables;
pub mod target;
mod utf8;

pub use error::Error;
