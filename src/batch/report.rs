//! Per-file records, the `--report FILE` JSON and the summary line.

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Map, Value};

/// What happened to one input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Processed; the result differs from the input.
    Changed,
    /// Processed; the result equals the input (nothing written for `--in-place`).
    Unchanged,
    /// Not processed, with a warning (binary file, not a regular file, named twice).
    Skipped,
    /// Could not be processed (unreadable, undecodable, write failed): exit status 2.
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
        }
    }
}

/// One entry of the report.
#[derive(Clone, Debug)]
pub struct FileRecord {
    /// The input path as given or found (`-` for standard input).
    pub path: String,
    pub status: Status,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Errors (a failed file has one; a JSONL file may list bad lines and still be processed).
    pub errors: Vec<String>,
    /// A warning that explains a skip.
    pub warning: Option<String>,
    /// JSONL: records read and records whose field changed.
    pub lines: Option<(u64, u64)>,
    /// Whatever the transform reported (encoding, script, repairs, conversion counts ...).
    pub details: Map<String, Value>,
}

impl FileRecord {
    pub fn new(path: &Path) -> FileRecord {
        FileRecord {
            path: path.display().to_string(),
            status: Status::Unchanged,
            bytes_in: 0,
            bytes_out: 0,
            errors: Vec::new(),
            warning: None,
            lines: None,
            details: Map::new(),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("path".into(), json!(self.path));
        m.insert("status".into(), json!(self.status.as_str()));
        m.insert("bytes_in".into(), json!(self.bytes_in));
        m.insert("bytes_out".into(), json!(self.bytes_out));
        if let Some((n, changed)) = self.lines {
            m.insert("records".into(), json!(n));
            m.insert("records_changed".into(), json!(changed));
        }
        for (k, v) in &self.details {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
        if let Some(w) = &self.warning {
            m.insert("warning".into(), json!(w));
        }
        m.insert("errors".into(), json!(self.errors));
        Value::Object(m)
    }
}

/// Totals of a batch; [`exit_code`](Summary::exit_code) applies docs/CLI.md.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub files: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub skipped: u64,
    pub failed: u64,
    /// Inputs that were processed but had errors (bad JSONL lines), plus failed ones.
    pub with_errors: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub elapsed: Duration,
    /// `--check` was given.
    pub check: bool,
    /// Standard output was closed by its reader; processing stopped early and quietly.
    pub broken_pipe: bool,
    /// A usage-level problem that stopped the batch before it started (already reported).
    pub usage_error: bool,
}

impl Summary {
    pub(crate) fn add(&mut self, r: &FileRecord) {
        self.files += 1;
        match r.status {
            Status::Changed => self.changed += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Skipped => self.skipped += 1,
            Status::Failed => self.failed += 1,
        }
        if !r.errors.is_empty() {
            self.with_errors += 1;
        }
        self.bytes_in += r.bytes_in;
        self.bytes_out += r.bytes_out;
    }

    /// 2 if any input failed (or a usage error), else 1 if `--check` found changes, else 0.
    /// A closed output pipe is not a failure.
    pub fn exit_code(&self) -> i32 {
        if self.usage_error || self.with_errors > 0 || self.failed > 0 {
            2
        } else if self.check && self.changed > 0 {
            1
        } else {
            0
        }
    }

    /// `12 files: 3 changed, 8 unchanged, 1 skipped, 0 failed; 1.2 MB in, 1.2 MB out in 0.30 s (4.0 MB/s)`
    pub fn line(&self) -> String {
        let secs = self.elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            self.bytes_in as f64 / secs
        } else {
            0.0
        };
        format!(
            "{} file{}: {} {}, {} unchanged, {} skipped, {} failed; {} in, {} out in {:.2} s ({}/s)",
            self.files,
            if self.files == 1 { "" } else { "s" },
            self.changed,
            if self.check { "would change" } else { "changed" },
            self.unchanged,
            self.skipped,
            self.failed,
            human(self.bytes_in as f64),
            human(self.bytes_out as f64),
            secs,
            human(rate),
        )
    }

    pub fn to_json(&self) -> Value {
        json!({
            "files": self.files,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "failed": self.failed,
            "with_errors": self.with_errors,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "seconds": self.elapsed.as_secs_f64(),
            "exit_code": self.exit_code(),
        })
    }
}

fn human(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{v:.0} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// The whole `--report` document.
pub fn document(summary: &Summary, records: &[FileRecord]) -> Value {
    json!({
        "summary": summary.to_json(),
        "files": records.iter().map(FileRecord::to_json).collect::<Vec<_>>(),
    })
}
