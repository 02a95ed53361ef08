//! Input/output flags shared by the subcommands that process text (`convert`, `fix`):
//! flatten [`IoArgs`] into a subcommand's args and hand [`IoArgs::options`] to
//! `zhfix::batch::run`.

use std::path::PathBuf;

use zhfix::batch::{BatchOptions, Output};

#[derive(clap::Args, Debug, Clone)]
pub struct IoArgs {
    /// Inputs: files, directories (walked recursively), or `-` for standard input (the default).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write the result to FILE (one input only), atomically.
    #[arg(short = 'o', long = "output", value_name = "FILE", conflicts_with_all = ["out_dir", "in_place"])]
    pub output: Option<PathBuf>,
    /// Write each result under DIR, mirroring the input paths (`..` refused).
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub out_dir: Option<PathBuf>,
    /// Replace each input file atomically (temp file, fsync, rename; permissions kept).
    #[arg(short = 'i', long)]
    pub in_place: bool,
    /// With --in-place: keep each original as PATH+SUFFIX.
    #[arg(long, value_name = "SUFFIX", requires = "in_place")]
    pub backup: Option<String>,
    /// Worker threads (default: all cores). Output never depends on it.
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// Only walked files matching GLOB (on the name, or the relative path if it has a `/`); `!GLOB` excludes; repeatable.
    #[arg(long = "glob", short = 'g', value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Only walked files with these extensions (`txt`, `jsonl.gz`; comma-separated or repeated).
    #[arg(long = "ext", value_name = "EXT")]
    pub exts: Vec<String>,
    /// Also walk hidden files and directories (names starting with `.`).
    #[arg(long)]
    pub hidden: bool,
    /// Change nothing; exit 1 if anything would change.
    #[arg(long)]
    pub check: bool,
    /// Change nothing; print a unified diff of what would change.
    #[arg(long)]
    pub diff: bool,
    /// Each line is a JSON object: process only its string field (see --field).
    #[arg(long)]
    pub jsonl: bool,
    /// With --jsonl: the field to process.
    #[arg(long, value_name = "NAME", default_value = "text", requires = "jsonl")]
    pub field: String,
    /// Write a JSON report of every input to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Flush the output after every line (for request/response use under a pipe).
    #[arg(long)]
    pub line_buffered: bool,
    /// No progress bar, warnings or summary line; errors are still printed.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Files larger than this many bytes are streamed instead of read whole (for tests).
    #[arg(long, hide = true, default_value_t = 64 << 20)]
    pub whole_file_limit: u64,
}

impl IoArgs {
    /// The driver's options for these flags.
    pub fn options(&self) -> BatchOptions {
        let output = if let Some(f) = &self.output {
            Output::File(f.clone())
        } else if let Some(d) = &self.out_dir {
            Output::OutDir(d.clone())
        } else if self.in_place {
            Output::InPlace {
                backup: self.backup.clone(),
            }
        } else {
            Output::Stdout
        };
        BatchOptions {
            output,
            jobs: self.jobs,
            globs: self.globs.clone(),
            exts: self.exts.clone(),
            hidden: self.hidden,
            check: self.check,
            diff: self.diff,
            jsonl_field: self.jsonl.then(|| self.field.clone()),
            report: self.report.clone(),
            line_buffered: self.line_buffered,
            quiet: self.quiet,
            whole_file_limit: self.whole_file_limit,
        }
    }
}
