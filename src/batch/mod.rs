//! The batch driver: many files, directories, JSONL shards, in parallel, safely.
//!
//! The driver knows nothing about Chinese text: it walks, reads, schedules, compares, writes
//! atomically and reports. The per-document work is a [`Transform`]; `zhfix convert` plugs in a
//! [`Converter`](crate::convert::Converter) and `zhfix fix` its pipeline. Policies (symlinks,
//! hidden files, atomicity, temporary files, memory) are in docs/batch.md.
//!
//! ```no_run
//! use zhfix::batch::{run, BatchOptions, Output};
//! use zhfix::convert::{Config, Converter};
//! let options = BatchOptions { output: Output::InPlace { backup: None }, ..Default::default() };
//! let summary = run(&options, &["corpus/".into()], &Converter::new(Config::S2t));
//! std::process::exit(summary.exit_code());
//! ```

pub mod compress;
mod fix;
pub mod jsonl;
pub mod report;
pub mod walk;
pub mod write;

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::{Map, Value};

pub use compress::Compression;
pub use report::{FileRecord, Status, Summary};

use crate::Error;

/// The per-document work the driver runs. Implementations must be deterministic (the same input
/// gives the same output on any thread) and must not panic.
pub trait Transform: Sync {
    /// Whole-document mode: `input` is one file's bytes (any encoding); returns the bytes to
    /// write. The driver writes [`Outcome::output`] unchanged: an output encoding other than
    /// UTF-8 (`--output-encoding keep`) is the transform's decision. `label` names the input in
    /// errors.
    fn apply(&self, input: &[u8], label: &str) -> Result<Outcome, Error>;

    /// [`apply`](Self::apply) when no report is asked for (no `--report`): the outcome's
    /// `report` may stay empty, so work done only for it can be skipped. By default, `apply`.
    fn apply_unreported(&self, input: &[u8], label: &str) -> Result<Outcome, Error> {
        self.apply(input, label)
    }

    /// One JSON string value (the `--jsonl` field); `label` is `path:line`.
    fn apply_text(&self, text: &str, label: &str) -> Result<String, Error>;

    /// Streaming mode, bounded memory: standard input in filter mode, files larger than
    /// [`BatchOptions::whole_file_limit`], compressed non-JSONL files. Must keep one output line
    /// per input line and must not buffer beyond its own bounded window.
    fn stream(
        &self,
        reader: &mut dyn Read,
        writer: &mut dyn Write,
        label: &str,
    ) -> Result<(), Error>;

    /// Whether a file whose first bytes are `head` is binary and should be skipped with a warning.
    /// The default: [`looks_binary`].
    fn is_binary(&self, head: &[u8]) -> bool {
        looks_binary(head)
    }
}

/// The result of [`Transform::apply`] on one document.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The bytes to write. The driver decides "changed" by comparing them with the input.
    pub output: Vec<u8>,
    /// Per-file details for `--report` (e.g. `encoding`, `script`, `repairs`, `conversions`),
    /// merged into that file's JSON record.
    pub report: Map<String, Value>,
}

pub use crate::detect::looks_binary;

/// Where results go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Output {
    /// Standard output, in input order.
    #[default]
    Stdout,
    /// One file (`-o`), replaced atomically; only with one input.
    File(PathBuf),
    /// `--out-dir`: each result under DIR at the input's path (root and `.` dropped, `..`
    /// refused), replaced atomically.
    OutDir(PathBuf),
    /// `--in-place`: each input replaced atomically when it changes; `backup` keeps the original
    /// as `path + SUFFIX`.
    InPlace { backup: Option<String> },
}

/// Everything the driver needs besides the inputs and the transform.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    pub output: Output,
    /// Worker threads; 0 = all cores.
    pub jobs: usize,
    /// `--glob` patterns (`!` excludes) and `--ext` extensions for walked directories.
    pub globs: Vec<String>,
    pub exts: Vec<String>,
    /// Walk hidden files and directories too.
    pub hidden: bool,
    /// Write nothing; exit 1 if anything would change.
    pub check: bool,
    /// Write nothing; print a unified diff of what would change to standard output.
    pub diff: bool,
    /// `--jsonl`: the name of the string field to process (CLI default `text`).
    pub jsonl_field: Option<String>,
    /// `--report FILE`.
    pub report: Option<PathBuf>,
    /// Flush standard output after every line (filter mode).
    pub line_buffered: bool,
    /// No progress bar, no warnings, no summary line (errors are still printed).
    pub quiet: bool,
    /// Files larger than this are streamed instead of read whole (bounded memory).
    pub whole_file_limit: u64,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            output: Output::Stdout,
            jobs: 0,
            globs: Vec::new(),
            exts: Vec::new(),
            hidden: false,
            check: false,
            diff: false,
            jsonl_field: None,
            report: None,
            line_buffered: false,
            quiet: false,
            whole_file_limit: 64 << 20,
        }
    }
}

/// The result of one input, produced by a worker, emitted in order.
struct Done {
    record: FileRecord,
    /// Bytes for standard output (results in `Output::Stdout` mode, or a diff).
    stdout: Vec<u8>,
    /// To be processed in order on the emitting thread (streams to standard output).
    deferred: bool,
}

struct Ctx<'a> {
    options: &'a BatchOptions,
    transform: &'a dyn Transform,
    /// Results go to standard output (not written to files) and --check/--diff are off.
    to_stdout: bool,
    dry: bool,
    stop: AtomicBool,
    /// The `-j` pool (None only if threads cannot be started: then serial).
    pool: Option<rayon::ThreadPool>,
    /// Directories to fsync once at the end.
    dirs: write::DirSync,
    /// `--out-dir`'s destinations, directories checked once each.
    out_dir: Option<write::OutDir>,
}

impl Ctx<'_> {
    /// The transform of one whole document, with its report part only for `--report`.
    fn apply(&self, input: &[u8], label: &str) -> Result<Outcome, Error> {
        if self.options.report.is_some() {
            self.transform.apply(input, label)
        } else {
            self.transform.apply_unreported(input, label)
        }
    }
}

/// Runs `transform` over `inputs` (files, directories, `-`; empty means standard input) as
/// `options` say; prints errors, warnings and the summary line to standard error, writes the
/// report; returns the totals (use [`Summary::exit_code`]).
pub fn run(options: &BatchOptions, inputs: &[PathBuf], transform: &dyn Transform) -> Summary {
    let start = Instant::now();
    let mut summary = Summary {
        check: options.check,
        ..Summary::default()
    };
    let operands: Vec<PathBuf> = if inputs.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        inputs.to_vec()
    };
    let usage = |summary: &mut Summary, msg: &str| {
        eprintln!("zhfix: {msg}");
        summary.usage_error = true;
    };
    let filter = match walk::Filter::new(&options.globs, &options.exts, options.hidden) {
        Ok(f) => match &options.output {
            Output::OutDir(dir) => f.exclude_dir(dir),
            _ => f,
        },
        Err(e) => {
            usage(&mut summary, &e.to_string());
            return summary;
        }
    };
    let dry = options.check || options.diff;
    let stdin_named = operands.iter().filter(|p| p.as_os_str() == "-").count();
    if stdin_named > 1 {
        usage(&mut summary, "standard input (`-`) named more than once");
        return summary;
    }
    if !dry
        && stdin_named > 0
        && matches!(options.output, Output::InPlace { .. } | Output::OutDir(_))
    {
        usage(
            &mut summary,
            "standard input (`-`) cannot be written with --in-place or --out-dir",
        );
        return summary;
    }
    let mut items = walk::collect(&operands, &filter);
    if let Output::File(_) = options.output {
        if items.len() != 1 && !dry {
            usage(&mut summary, "-o FILE takes exactly one input file");
            return summary;
        }
    }
    let is_batch = operands.len() > 1
        || items.len() != 1
        || operands.iter().any(|p| p.is_dir())
        || !matches!(options.output, Output::Stdout | Output::File(_));

    let progress = make_progress(options, &items);
    let mut records: Vec<FileRecord> = Vec::new();
    let say = |msg: &str| match &progress {
        Some(pb) => pb.suspend(|| eprintln!("zhfix: {msg}")),
        None => eprintln!("zhfix: {msg}"),
    };
    // The same file named twice would be rewritten twice, concurrently.
    let mut duplicate = vec![false; items.len()];
    if matches!(options.output, Output::InPlace { .. }) && !dry {
        let mut seen = std::collections::HashSet::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(id) = file_id(&item.path) {
                if !seen.insert(id) {
                    duplicate[i] = true;
                }
            }
        }
    }

    let ctx = Ctx {
        options,
        transform,
        to_stdout: !dry && options.output == Output::Stdout,
        dry,
        stop: AtomicBool::new(false),
        pool: rayon::ThreadPoolBuilder::new()
            .num_threads(options.jobs)
            .build()
            .ok(),
        dirs: write::DirSync::default(),
        out_dir: match &options.output {
            Output::OutDir(dir) => Some(write::OutDir::new(dir)),
            _ => None,
        },
    };
    let stdout = io::stdout();
    let mut out: Box<dyn Write> = if options.line_buffered {
        Box::new(io::LineWriter::new(stdout.lock()))
    } else {
        Box::new(io::BufWriter::with_capacity(1 << 16, stdout.lock()))
    };
    let emits = ctx.to_stdout || options.diff;
    // Windows bound what is held in memory before it is written in order.
    let (max_files, max_bytes) = if emits {
        (256usize, 64u64 << 20)
    } else {
        (4096usize, u64::MAX)
    };
    let mut next = 0;
    let files_done = std::sync::atomic::AtomicU64::new(0);
    let n_items = items.len();
    let all: Vec<(walk::Input, bool)> = items.drain(..).zip(duplicate).collect();
    while next < all.len() && !summary.broken_pipe {
        let mut end = next;
        let mut bytes = 0u64;
        while end < all.len() && end - next < max_files && (end == next || bytes < max_bytes) {
            bytes += all[end].0.size;
            end += 1;
        }
        let window = &all[next..end];
        let work = |(item, dup): &(walk::Input, bool)| -> Done {
            match &item.note {
                Some(walk::Note::Skipped(why)) => {
                    let mut r = FileRecord::new(&item.path);
                    r.status = Status::Skipped;
                    r.warning = Some(why.clone());
                    return Done {
                        record: r,
                        stdout: Vec::new(),
                        deferred: false,
                    };
                }
                Some(walk::Note::Failed(message)) => {
                    let mut r = FileRecord::new(&item.path);
                    r.status = Status::Failed;
                    r.errors.push(message.clone());
                    return Done {
                        record: r,
                        stdout: Vec::new(),
                        deferred: false,
                    };
                }
                None => {}
            }
            if *dup {
                let mut r = FileRecord::new(&item.path);
                r.status = Status::Skipped;
                r.warning = Some("named more than once; processed once".into());
                return Done {
                    record: r,
                    stdout: Vec::new(),
                    deferred: false,
                };
            }
            let done = process(&ctx, item);
            if let Some(pb) = &progress {
                let n = files_done.fetch_add(1, Ordering::Relaxed) + 1;
                pb.set_message(format!("{n}/{n_items} files"));
                pb.inc(item.size);
            }
            done
        };
        let results: Vec<Done> = match &ctx.pool {
            Some(pool) => pool.install(|| window.par_iter().map(work).collect()),
            None => window.iter().map(work).collect(),
        };
        for (done, (item, _)) in results.into_iter().zip(window) {
            let mut done = done;
            if done.deferred {
                done = process_to_stdout(&ctx, item, &mut *out);
            }
            if !done.stdout.is_empty() {
                if let Err(e) = out.write_all(&done.stdout) {
                    if e.kind() == io::ErrorKind::BrokenPipe {
                        summary.broken_pipe = true;
                        break;
                    }
                    say(&format!("<output>: {e}"));
                    summary.usage_error = true;
                }
            }
            if done
                .record
                .errors
                .iter()
                .any(|e| e.starts_with("<output>:") && e.contains("Broken pipe"))
            {
                summary.broken_pipe = true;
                break;
            }
            for e in &done.record.errors {
                say(e);
            }
            if let (Some(w), false) = (&done.record.warning, options.quiet) {
                say(&format!("{}: warning: {w}; skipped", done.record.path));
            }
            summary.add(&done.record);
            if options.report.is_some() {
                records.push(done.record);
            }
        }
        next = end;
    }
    if !summary.broken_pipe {
        if let Err(e) = out.flush() {
            if e.kind() == io::ErrorKind::BrokenPipe {
                summary.broken_pipe = true;
            } else {
                say(&format!("<output>: {e}"));
                summary.usage_error = true;
            }
        }
    }
    drop(out);
    ctx.dirs.sync();
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    summary.elapsed = start.elapsed();
    if let Some(path) = &options.report {
        let doc = report::document(&summary, &records);
        let text = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        if let Err(e) = write::write_atomic(path, &text, None, None, None) {
            eprintln!("zhfix: {e}");
            summary.usage_error = true;
        }
    }
    if is_batch && !options.quiet && !summary.broken_pipe {
        eprintln!("zhfix: {}", summary.line());
    }
    summary
}

#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok()
}

fn make_progress(options: &BatchOptions, items: &[walk::Input]) -> Option<indicatif::ProgressBar> {
    if options.quiet || !io::stderr().is_terminal() || items.iter().all(|i| i.stdin) {
        return None;
    }
    let total: u64 = items.iter().map(|i| i.size).sum();
    let pb = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr_with_hz(5),
    );
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:>12} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    pb.set_message(format!("0/{} files", items.len()));
    Some(pb)
}

/// How one input is read.
enum Mode {
    /// Read whole, `Transform::apply`.
    Whole,
    /// `Transform::stream`, bounded memory.
    Stream,
    /// Line by line, the JSONL field.
    Jsonl,
}

fn mode_of(ctx: &Ctx, item: &walk::Input, md: Option<&fs::Metadata>) -> Mode {
    if ctx.options.jsonl_field.is_some() {
        return Mode::Jsonl;
    }
    let compressed = Compression::from_path(&item.path) != Compression::None;
    match md {
        Some(md) if md.is_file() && !compressed && md.len() <= ctx.options.whole_file_limit => {
            Mode::Whole
        }
        // stdin under --check/--diff must be compared with its result: read whole.
        None if ctx.dry => Mode::Whole,
        _ => Mode::Stream,
    }
}

fn label_of(item: &walk::Input) -> String {
    item.path.display().to_string()
}

fn failed(mut r: FileRecord, e: Error) -> Done {
    r.status = Status::Failed;
    r.errors.push(e.to_string());
    Done {
        record: r,
        stdout: Vec::new(),
        deferred: false,
    }
}

/// Processes one input on a worker thread.
fn process(ctx: &Ctx, item: &walk::Input) -> Done {
    let mut record = FileRecord::new(&item.path);
    if ctx.stop.load(Ordering::Relaxed) {
        return Done {
            record,
            stdout: Vec::new(),
            deferred: false,
        };
    }
    let label = label_of(item);
    // Where the result goes (decided before reading, so that refusals cost nothing).
    let dest: Option<PathBuf> = if ctx.dry {
        None
    } else {
        match &ctx.options.output {
            Output::Stdout => None,
            Output::File(p) => Some(p.clone()),
            Output::OutDir(_) => match walk::mirror_path(&item.path)
                .map_err(|m| Error::Input {
                    path: label.clone(),
                    message: m,
                })
                .and_then(|_| {
                    let out_dir = ctx.out_dir.as_ref().expect("set for Output::OutDir");
                    out_dir.dest(&item.rel)
                }) {
                Ok(d) => Some(d),
                Err(e) => return failed(record, e),
            },
            Output::InPlace { .. } => match write::in_place_target(&item.path) {
                Ok(d) => Some(d),
                Err(e) => return failed(record, e),
            },
        }
    };
    if item.stdin {
        let Some(dest) = dest else {
            return Done {
                record,
                stdout: Vec::new(),
                deferred: true,
            };
        };
        // `-o FILE` from standard input.
        let is_jsonl = ctx.options.jsonl_field.is_some();
        let stdin = Box::new(io::stdin().lock());
        return match stream_to_file(
            ctx,
            item,
            stdin,
            Some(&dest),
            None,
            None,
            is_jsonl,
            &mut record,
        ) {
            Ok(()) => Done {
                record,
                stdout: Vec::new(),
                deferred: false,
            },
            Err(e) => failed(record, e),
        };
    }
    let file = match File::open(&item.path) {
        Ok(f) => f,
        Err(e) => return failed(record, Error::io(label, e)),
    };
    let md = file.metadata().ok();
    let mode = mode_of(ctx, item, md.as_ref().filter(|m| m.is_file()).or(None));
    let mode = match (&md, mode) {
        (Some(m), Mode::Whole) if !m.is_file() => Mode::Stream,
        (None, Mode::Whole) => Mode::Stream,
        (_, m) => m,
    };
    if ctx.to_stdout && !matches!(mode, Mode::Whole) {
        return Done {
            record,
            stdout: Vec::new(),
            deferred: true,
        };
    }
    let like = md
        .as_ref()
        .filter(|_| !matches!(ctx.options.output, Output::File(_)));
    let backup = match &ctx.options.output {
        Output::InPlace { backup } => backup.as_deref(),
        _ => None,
    };
    match mode {
        Mode::Whole => {
            let mut input = Vec::with_capacity(md.as_ref().map_or(0, |m| m.len() as usize));
            if let Err(e) = (&file).read_to_end(&mut input) {
                return failed(record, Error::io(label, e));
            }
            record.bytes_in = input.len() as u64;
            if ctx.transform.is_binary(&input) {
                record.status = Status::Skipped;
                record.warning = Some("binary file (NUL bytes)".into());
                return Done {
                    record,
                    stdout: Vec::new(),
                    deferred: false,
                };
            }
            let outcome = match ctx.apply(&input, &label) {
                Ok(o) => o,
                Err(e) => return failed(record, e),
            };
            record.details = outcome.report;
            record.bytes_out = outcome.output.len() as u64;
            let changed = outcome.output != input;
            record.status = if changed {
                Status::Changed
            } else {
                Status::Unchanged
            };
            let mut stdout = Vec::new();
            if ctx.options.diff && changed {
                stdout = unified_diff(&label, &input, &outcome.output);
            }
            if ctx.to_stdout {
                stdout = outcome.output;
            } else if let Some(dest) = dest {
                let write_it = changed || !matches!(ctx.options.output, Output::InPlace { .. });
                if write_it {
                    if let (Output::InPlace { .. }, Some(md)) = (&ctx.options.output, &md) {
                        if let Err(e) = write::unchanged_since(&dest, md) {
                            return failed(record, e);
                        }
                    }
                    let result = match Compression::from_path(&dest) {
                        Compression::None => write::write_atomic(
                            &dest,
                            &outcome.output,
                            like,
                            backup,
                            Some(&ctx.dirs),
                        ),
                        c => write_compressed(&dest, c, &outcome.output, like, backup, &ctx.dirs),
                    };
                    if let Err(e) = result {
                        return failed(record, e);
                    }
                }
            }
            Done {
                record,
                stdout,
                deferred: false,
            }
        }
        Mode::Stream | Mode::Jsonl => {
            let is_jsonl = matches!(mode, Mode::Jsonl);
            let result = stream_to_file(
                ctx,
                item,
                Box::new(file),
                dest.as_deref(),
                like,
                backup,
                is_jsonl,
                &mut record,
            );
            if let Err(e) = result {
                return failed(record, e);
            }
            Done {
                record,
                stdout: Vec::new(),
                deferred: false,
            }
        }
    }
}

fn write_compressed(
    dest: &Path,
    c: Compression,
    data: &[u8],
    like: Option<&fs::Metadata>,
    backup: Option<&str>,
    dirs: &write::DirSync,
) -> Result<(), Error> {
    let label = dest.display().to_string();
    let file = write::AtomicFile::new(dest)?;
    let mut enc = c.writer(file.writer()?);
    enc.write_all(data)
        .and_then(|_| enc.finish())
        .and_then(|mut w| w.flush())
        .map_err(|e| Error::io(label, e))?;
    file.commit(like, backup, Some(dirs))
}

/// Counts bytes written.
struct Counting<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Counts bytes read.
struct CountingRead<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for CountingRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingRead<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.n += amt as u64;
        self.inner.consume(amt)
    }
}

/// Passes writes on (if there is an inner writer) and compares them with the original's bytes,
/// so that a streamed result is known to differ or not without holding either in memory.
struct Compare<'a> {
    inner: Option<&'a mut dyn Write>,
    original: Box<dyn BufRead>,
    differs: bool,
    n: u64,
}

impl Compare<'_> {
    fn check(&mut self, mut data: &[u8]) {
        while !self.differs && !data.is_empty() {
            let buf = match self.original.fill_buf() {
                Ok(b) => b,
                Err(_) => {
                    self.differs = true;
                    return;
                }
            };
            if buf.is_empty() {
                self.differs = true;
                return;
            }
            let k = buf.len().min(data.len());
            if buf[..k] != data[..k] {
                self.differs = true;
                return;
            }
            self.original.consume(k);
            data = &data[k..];
        }
    }

    fn finish(&mut self) -> bool {
        if !self.differs {
            match self.original.fill_buf() {
                Ok([]) => {}
                _ => self.differs = true,
            }
        }
        self.differs
    }
}

impl Write for Compare<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match &mut self.inner {
            Some(w) => w.write(buf)?,
            None => buf.len(),
        };
        self.check(&buf[..n]);
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

/// Streams one file (text or JSONL) to `dest` (atomically) or nowhere (`--check`), comparing
/// as it goes.
#[allow(clippy::too_many_arguments)]
fn stream_to_file(
    ctx: &Ctx,
    item: &walk::Input,
    source: Box<dyn Read + '_>,
    dest: Option<&Path>,
    like: Option<&fs::Metadata>,
    backup: Option<&str>,
    is_jsonl: bool,
    record: &mut FileRecord,
) -> Result<(), Error> {
    let label = label_of(item);
    let in_c = if item.stdin {
        Compression::None
    } else {
        Compression::from_path(&item.path)
    };
    let mut reader = CountingRead {
        inner: in_c
            .reader(source)
            .map_err(|e| Error::io(label.clone(), e))?,
        n: 0,
    };
    if !is_jsonl {
        let head = reader.fill_buf().map_err(|e| Error::io(label.clone(), e))?;
        if ctx.transform.is_binary(head) {
            record.status = Status::Skipped;
            record.warning = Some("binary file (NUL bytes)".into());
            return Ok(());
        }
    }
    if ctx.options.diff {
        record.warning = Some(format!(
            "too large for --diff (over {} bytes or compressed); checked only",
            ctx.options.whole_file_limit
        ));
    }
    let reopen = || -> Result<Box<dyn BufRead>, Error> {
        let f = File::open(&item.path).map_err(|e| Error::io(label.clone(), e))?;
        in_c.reader(f).map_err(|e| Error::io(label.clone(), e))
    };
    let temp = match dest {
        Some(d) => Some(write::AtomicFile::new(d)?),
        None => None,
    };
    let out_c = dest.map_or(Compression::None, Compression::from_path);
    let mut enc = match &temp {
        Some(t) => Some(out_c.writer(t.writer()?)),
        None => None,
    };
    let write_err =
        |e: io::Error| Error::io(dest.map_or(label.clone(), |d| d.display().to_string()), e);
    let changed;
    {
        let mut cmp = Compare {
            inner: enc.as_mut().map(|e| e as &mut dyn Write),
            // Standard input cannot be read twice: compared with nothing, it counts as changed.
            original: if is_jsonl || item.stdin {
                Box::new(io::empty())
            } else {
                reopen()?
            },
            differs: false,
            n: 0,
        };
        if is_jsonl {
            let field = ctx.options.jsonl_field.as_deref().unwrap_or("text");
            let stats = jsonl_stream(
                ctx.transform,
                &mut reader,
                &mut cmp,
                field,
                &label,
                false,
                None,
            )?;
            record.lines = Some((stats.records, stats.changed));
            record.errors.extend(stats.errors);
            changed = stats.changed > 0;
        } else {
            ctx.transform.stream(&mut reader, &mut cmp, &label)?;
            changed = cmp.finish();
        }
        cmp.flush().map_err(write_err)?;
        record.bytes_out = cmp.n;
    }
    record.bytes_in = reader.n;
    record.status = if changed {
        Status::Changed
    } else {
        Status::Unchanged
    };
    if let (Some(temp), Some(enc)) = (temp, enc) {
        let mut w = enc.finish().map_err(write_err)?;
        w.flush().map_err(write_err)?;
        drop(w);
        let in_place = matches!(ctx.options.output, Output::InPlace { .. });
        if changed || !in_place {
            if let (true, Some(md), Some(dest)) = (in_place, like, dest) {
                write::unchanged_since(dest, md)?;
            }
            temp.commit(like, backup, Some(&ctx.dirs))?;
        }
    }
    Ok(())
}

/// Processes an input whose result streams to standard output, on the emitting thread.
fn process_to_stdout(ctx: &Ctx, item: &walk::Input, out: &mut dyn Write) -> Done {
    let mut record = FileRecord::new(&item.path);
    let label = label_of(item);
    let reader: Box<dyn Read> = if item.stdin {
        Box::new(io::stdin().lock())
    } else {
        match File::open(&item.path) {
            Ok(f) => Box::new(f),
            Err(e) => return failed(record, Error::io(label, e)),
        }
    };
    let in_c = if item.stdin {
        Compression::None
    } else {
        Compression::from_path(&item.path)
    };
    let mut reader = match in_c.reader(reader) {
        Ok(r) => CountingRead { inner: r, n: 0 },
        Err(e) => return failed(record, Error::io(label, e)),
    };
    let mut counted = Counting { inner: out, n: 0 };
    if ctx.dry {
        // Standard input under --check / --diff: whole (it cannot be read twice).
        let mut input = Vec::new();
        if let Err(e) = reader.read_to_end(&mut input) {
            return failed(record, Error::io(label, e));
        }
        record.bytes_in = input.len() as u64;
        let outcome = match ctx.apply(&input, &label) {
            Ok(o) => o,
            Err(e) => return failed(record, e),
        };
        let changed = outcome.output != input;
        record.status = if changed {
            Status::Changed
        } else {
            Status::Unchanged
        };
        record.bytes_out = outcome.output.len() as u64;
        record.details = outcome.report;
        let stdout = if ctx.options.diff && changed {
            unified_diff(&label, &input, &outcome.output)
        } else {
            Vec::new()
        };
        return Done {
            record,
            stdout,
            deferred: false,
        };
    }
    let result = if let Some(field) = &ctx.options.jsonl_field {
        jsonl_stream(
            ctx.transform,
            &mut reader,
            &mut counted,
            field,
            &label,
            ctx.options.line_buffered,
            ctx.pool.as_ref(),
        )
        .map(|stats| {
            record.lines = Some((stats.records, stats.changed));
            record.errors.extend(stats.errors);
            record.status = if stats.changed > 0 {
                Status::Changed
            } else {
                Status::Unchanged
            };
        })
    } else {
        let head_binary = !item.stdin
            && match reader.fill_buf() {
                Ok(head) => ctx.transform.is_binary(head),
                Err(e) => return failed(record, Error::io(label, e)),
            };
        if head_binary {
            record.status = Status::Skipped;
            record.warning = Some("binary file (NUL bytes)".into());
            return Done {
                record,
                stdout: Vec::new(),
                deferred: false,
            };
        }
        ctx.transform.stream(&mut reader, &mut counted, &label)
    };
    record.bytes_in = reader.n;
    record.bytes_out = counted.n;
    if let Err(e) = result {
        if e.is_broken_pipe() {
            ctx.stop.store(true, Ordering::Relaxed);
        }
        return failed(record, e);
    }
    Done {
        record,
        stdout: Vec::new(),
        deferred: false,
    }
}

/// Totals of one JSONL stream.
pub struct JsonlStats {
    pub records: u64,
    pub changed: u64,
    /// `label:line: message`, at most [`MAX_LINE_ERRORS`] (then one line with the count).
    pub errors: Vec<String>,
}

/// The longest JSONL record processed (64 MiB); a longer line is an error and is copied through
/// unchanged in pieces, so that a hostile input (a compressed bomb without newlines) cannot
/// exhaust memory.
pub const MAX_JSONL_LINE: usize = 64 << 20;

/// Errors listed per file before they are only counted.
pub const MAX_LINE_ERRORS: usize = 100;

/// Reads JSONL records from `reader`, rewrites the field `field` of each with
/// [`Transform::apply_text`], writes exactly one line per input line, in order. Lines are
/// processed in parallel in batches (of at most 4 MiB / 8192 lines) taken only from what is
/// already read, so a request/response peer never waits; `line_buffered` flushes every line.
/// The batches run on `pool`, or on the current rayon pool when None.
pub fn jsonl_stream(
    transform: &dyn Transform,
    reader: &mut dyn BufRead,
    writer: &mut dyn Write,
    field: &str,
    label: &str,
    line_buffered: bool,
    pool: Option<&rayon::ThreadPool>,
) -> Result<JsonlStats, Error> {
    let mut stats = JsonlStats {
        records: 0,
        changed: 0,
        errors: Vec::new(),
    };
    let mut n_errors = 0u64;
    let write_err = |e| Error::io("<output>", e);
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut eof = false;
    while !eof {
        batch.clear();
        let mut bytes = 0;
        // The start of a line longer than MAX_JSONL_LINE, to pass through after the batch.
        let mut oversize: Option<Vec<u8>> = None;
        loop {
            let mut line = Vec::new();
            let n = reader
                .take(MAX_JSONL_LINE as u64)
                .read_until(b'\n', &mut line)
                .map_err(|e| Error::io(label, e))?;
            if n == 0 {
                eof = true;
                break;
            }
            if n == MAX_JSONL_LINE && line.last() != Some(&b'\n') {
                oversize = Some(line);
                break;
            }
            bytes += n;
            batch.push(line);
            if line_buffered || bytes >= 4 << 20 || batch.len() >= 8192 {
                break;
            }
            // Do not block for more input while complete lines are waiting to be answered.
            match reader.fill_buf() {
                Ok([]) => {
                    eof = true;
                    break;
                }
                Ok(b) if memchr::memchr(b'\n', b).is_none() && b.len() < 4096 => break,
                Ok(_) => {}
                Err(e) => return Err(Error::io(label, e)),
            }
        }
        let first = stats.records;
        let work = || -> Vec<(Option<Vec<u8>>, Option<String>)> {
            batch
                .par_iter()
                .enumerate()
                .map(|(i, line)| {
                    let lineno = first + i as u64 + 1;
                    let (body, end) = split_terminator(line);
                    let here = format!("{label}:{lineno}");
                    let mut apply = |t: &str| transform.apply_text(t, &here);
                    match jsonl::rewrite_line(body, field, &mut apply) {
                        Ok(Cow::Borrowed(_)) => (None, None),
                        Ok(Cow::Owned(mut new)) => {
                            new.extend_from_slice(end);
                            (Some(new), None)
                        }
                        Err(e) => (None, Some(format!("{here}: {}", e.0))),
                    }
                })
                .collect()
        };
        let results = match pool {
            Some(pool) => pool.install(work),
            None => work(),
        };
        for (line, (new, err)) in batch.iter().zip(results) {
            stats.records += 1;
            match new {
                Some(new) => {
                    stats.changed += 1;
                    writer.write_all(&new).map_err(write_err)?;
                }
                None => writer.write_all(line).map_err(write_err)?,
            }
            if let Some(err) = err {
                n_errors += 1;
                if stats.errors.len() < MAX_LINE_ERRORS {
                    stats.errors.push(err);
                }
            }
        }
        if let Some(head) = oversize {
            // Copied through unchanged, in pieces: one line out, memory bounded.
            stats.records += 1;
            writer.write_all(&head).map_err(write_err)?;
            loop {
                let buf = reader.fill_buf().map_err(|e| Error::io(label, e))?;
                if buf.is_empty() {
                    eof = true;
                    break;
                }
                let (k, done) = match memchr::memchr(b'\n', buf) {
                    Some(i) => (i + 1, true),
                    None => (buf.len(), false),
                };
                writer.write_all(&buf[..k]).map_err(write_err)?;
                reader.consume(k);
                if done {
                    break;
                }
            }
            n_errors += 1;
            if stats.errors.len() < MAX_LINE_ERRORS {
                stats.errors.push(format!(
                    "{label}:{}: line longer than {MAX_JSONL_LINE} bytes; passed through unchanged",
                    stats.records
                ));
            }
        }
        if line_buffered {
            writer.flush().map_err(write_err)?;
        }
    }
    if n_errors > MAX_LINE_ERRORS as u64 {
        stats.errors.push(format!(
            "{label}: {} more invalid lines",
            n_errors - MAX_LINE_ERRORS as u64
        ));
    }
    writer.flush().map_err(write_err)?;
    Ok(stats)
}

fn split_terminator(line: &[u8]) -> (&[u8], &[u8]) {
    let mut body = line.len();
    if body > 0 && line[body - 1] == b'\n' {
        body -= 1;
        if body > 0 && line[body - 1] == b'\r' {
            body -= 1;
        }
    }
    (&line[..body], &line[body..])
}

/// A unified diff (`--- a/PATH`, `+++ b/PATH`), lossy for bytes that are not UTF-8.
pub fn unified_diff(label: &str, old: &[u8], new: &[u8]) -> Vec<u8> {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{label}"), &format!("b/{label}"))
        .to_string()
        .into_bytes()
}

/// `input` as text, or the error naming `label` and the offset of the first byte that is not
/// UTF-8.
fn utf8_input<'a>(input: &'a [u8], label: &str) -> Result<&'a str, Error> {
    crate::utf8::to_str(input).map_err(|e| Error::InvalidUtf8 {
        input: label.to_string(),
        offset: e.valid_up_to as u64,
    })
}

/// `zhfix convert`'s transform: UTF-8 in, OpenCC conversion, UTF-8 out. The report part is the
/// config name and the number of lines changed.
impl Transform for crate::convert::Converter {
    fn apply(&self, input: &[u8], label: &str) -> Result<Outcome, Error> {
        let text = utf8_input(input, label)?;
        let converted = self.convert(text);
        let mut report = Map::new();
        report.insert("config".into(), Value::from(self.config().name()));
        let lines_changed = match &converted {
            Cow::Borrowed(_) => 0,
            Cow::Owned(new) => text
                .split_inclusive('\n')
                .zip(new.split_inclusive('\n'))
                .filter(|(a, b)| a != b)
                .count(),
        };
        report.insert("lines_changed".into(), Value::from(lines_changed));
        Ok(Outcome {
            output: converted.into_owned().into_bytes(),
            report,
        })
    }

    /// Without the report part, which compares the output with the input line by line.
    fn apply_unreported(&self, input: &[u8], label: &str) -> Result<Outcome, Error> {
        let text = utf8_input(input, label)?;
        Ok(Outcome {
            output: self.convert(text).into_owned().into_bytes(),
            report: Map::new(),
        })
    }

    fn apply_text(&self, text: &str, _label: &str) -> Result<String, Error> {
        Ok(self.convert(text).into_owned())
    }

    fn stream(
        &self,
        reader: &mut dyn Read,
        writer: &mut dyn Write,
        label: &str,
    ) -> Result<(), Error> {
        crate::convert::convert_stream(self, reader, writer, label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_over_the_limit_pass_through_in_pieces() {
        let converter = crate::convert::Converter::new(crate::convert::Config::S2t);
        let mut input = b"{\"text\":\"\xe6\xb1\x89\"}\n{\"text\":\"".to_vec();
        input.resize(input.len() + MAX_JSONL_LINE + 10, b'a');
        input.extend_from_slice(b"\"}\n{\"text\":\"\xe6\xb1\x89\"}");
        let mut out = Vec::new();
        let stats = jsonl_stream(
            &converter,
            &mut &input[..],
            &mut out,
            "text",
            "t",
            false,
            None,
        )
        .unwrap();
        assert_eq!(stats.records, 3);
        assert_eq!(stats.changed, 2);
        assert_eq!(stats.errors.len(), 1);
        assert!(
            stats.errors[0].starts_with("t:2: line longer than"),
            "{:?}",
            stats.errors
        );
        assert_eq!(out.len(), input.len());
        assert!(out.ends_with("{\"text\":\"漢\"}".as_bytes()));
        assert!(out.starts_with("{\"text\":\"漢\"}\n".as_bytes()));
    }

    #[test]
    fn terminators() {
        assert_eq!(split_terminator(b"ab\r\n"), (&b"ab"[..], &b"\r\n"[..]));
        assert_eq!(split_terminator(b"ab"), (&b"ab"[..], &b""[..]));
    }
}
