//! `zhfix detect`: encoding, script and problems of each input; changes nothing.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{json, Map, Value};
use zhfix::detect::{
    self, Analyzer, Decoder, Detection, Encoding, EncodingDetector, Evidence, Problems,
    ScriptReport,
};
use zhfix::Error;

use super::report;

#[derive(clap::Args)]
pub struct DetectArgs {
    /// One JSON object per input per line instead of a table.
    #[arg(long)]
    json: bool,
    /// Examine whole inputs instead of their first 64 KiB (streamed: memory stays bounded).
    #[arg(long)]
    full: bool,
    /// Inputs processed in parallel (default: all cores).
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    jobs: Option<usize>,
    /// Files or directories (walked recursively); none or `-` reads standard input.
    paths: Vec<PathBuf>,
    /// With --full: bytes of standard input kept in memory before a temporary file (for tests).
    #[arg(long, hide = true, default_value_t = 1 << 20)]
    spool_memory: usize,
}

/// Everything `detect` reports about one input.
struct Finding {
    label: String,
    detection: Detection,
    script: ScriptReport,
    problems: Problems,
}

pub fn run(args: DetectArgs) -> i32 {
    let mut status = 0;
    let mut inputs = Vec::new();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    for path in paths {
        if let Err(e) = collect(&path, &mut inputs) {
            status = report(&e);
        }
    }
    let work = |input: &PathBuf| inspect(input, args.full.then_some(args.spool_memory));
    let results: Vec<Result<Finding, Error>> = match args.jobs {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| inputs.par_iter().map(work).collect()),
            Err(_) => inputs.iter().map(work).collect(),
        },
        None => inputs.par_iter().map(work).collect(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut rows = Vec::new();
    for result in results {
        match result {
            Ok(finding) if args.json => rows.push(to_json(&finding).to_string()),
            Ok(finding) => rows.push(to_row(&finding)),
            Err(e) => status = report(&e),
        }
    }
    let written = if args.json || rows.is_empty() {
        rows.iter().try_for_each(|r| writeln!(out, "{r}"))
    } else {
        writeln!(out, "{}", header())
            .and_then(|()| rows.iter().try_for_each(|r| writeln!(out, "{r}")))
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => report(&Error::Io {
            path: "<output>".into(),
            source: e,
        }),
        _ => status,
    }
}

/// Expands directories (recursively, sorted, so output order never depends on the file system).
fn collect(path: &Path, inputs: &mut Vec<PathBuf>) -> Result<(), Error> {
    if path.as_os_str() == "-" || !path.is_dir() {
        inputs.push(path.to_path_buf());
        return Ok(());
    }
    let label = path.display().to_string();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| Error::Io {
            path: label.clone(),
            source: e,
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        collect(&entry, inputs)?;
    }
    Ok(())
}

/// `full`: examine everything, keeping this many bytes of standard input in memory.
fn inspect(path: &Path, full: Option<usize>) -> Result<Finding, Error> {
    let label = path.display().to_string();
    let io = |e| Error::Io {
        path: label.clone(),
        source: e,
    };
    let mut reader: Box<dyn Read> = if label == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).map_err(io)?)
    };
    if let Some(spool_memory) = full {
        return inspect_all(path, reader, label, spool_memory);
    }
    let mut detector = EncodingDetector::new();
    let mut head = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        let room = detect::DEFAULT_LIMIT.saturating_sub(head.len()).min(n);
        head.extend_from_slice(&buf[..room]);
        // Fed once more past the limit, so that the detector knows the input goes on.
        if !detector.feed(&buf[..n]) && room < n {
            break;
        }
    }
    let detection = detector.finish();
    let mut text = String::new();
    detection
        .encoding
        .new_decoder()
        .decode_to_string(&head, &mut text, !detection.truncated);
    let (script, problems) = detect::analyze(&text);
    Ok(Finding {
        label,
        detection,
        script,
        problems,
    })
}

/// Read size of `--full`; memory stays a few times this whatever the input's length.
const CHUNK: usize = 1 << 16;

/// `--full` in bounded memory. The encoding needs the whole input before anything can be
/// decoded for sure, so the input may be read more than once. The first reading detects the
/// encoding without chardetng's statistics (most of the cost) and meanwhile decodes and
/// analyzes the text as UTF-8: for UTF-8 input, the usual case, that is all. A verdict that
/// rests on statistics is made again with them in a second reading; any encoding but UTF-8
/// is decoded and analyzed in a last one. Standard input is kept for the readings after the
/// first (in memory up to `spool_memory` bytes, 1 MiB by default, then in an anonymous
/// temporary file).
fn inspect_all(
    path: &Path,
    mut reader: Box<dyn Read>,
    label: String,
    spool_memory: usize,
) -> Result<Finding, Error> {
    let io = |e| Error::Io {
        path: label.clone(),
        source: e,
    };
    let mut detector = EncodingDetector::with_limit(usize::MAX).without_statistics();
    let mut as_utf8 = Some(Decoding::new(Encoding::UTF_8));
    let mut spool = (label == "-").then(|| Spool::new(spool_memory));
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_some(&mut reader, &mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        detector.feed(&buf[..n]);
        // Invalid UTF-8 means another verdict (or a UTF-8 BOM, decoded again below).
        if as_utf8.as_mut().is_some_and(|d| d.feed(&buf[..n])) {
            as_utf8 = None;
        }
        if let Some(spool) = &mut spool {
            spool.write(&buf[..n]).map_err(io)?;
        }
    }
    let mut detection = detector.finish();
    let again = || -> std::io::Result<Box<dyn Read>> {
        match &spool {
            Some(spool) => spool.reader(),
            None => Ok(Box::new(std::fs::File::open(path)?)),
        }
    };
    if detection.evidence == Evidence::Statistics {
        let mut detector = EncodingDetector::with_limit(usize::MAX);
        let mut reader = again().map_err(io)?;
        loop {
            let n = read_some(&mut reader, &mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            detector.feed(&buf[..n]);
        }
        detection = detector.finish();
    }
    let (script, problems) = match as_utf8 {
        Some(decoding) if detection.encoding == Encoding::UTF_8 => decoding.finish(),
        _ => {
            let mut reader = again().map_err(io)?;
            let mut decoding = Decoding::new(detection.encoding);
            loop {
                let n = read_some(&mut reader, &mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                decoding.feed(&buf[..n]);
            }
            decoding.finish()
        }
    };
    Ok(Finding {
        label,
        detection,
        script,
        problems,
    })
}

/// Reads what is there, retrying interrupted reads.
fn read_some(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// Decodes chunks of bytes and analyzes the text as it comes.
struct Decoding {
    decoder: Decoder,
    analyzer: Analyzer,
    text: String,
}

impl Decoding {
    fn new(encoding: Encoding) -> Decoding {
        Decoding {
            decoder: encoding.new_decoder(),
            analyzer: Analyzer::new(),
            text: String::new(),
        }
    }

    /// Returns true if the bytes had errors.
    fn feed(&mut self, bytes: &[u8]) -> bool {
        let errors = self.decoder.decode_to_string(bytes, &mut self.text, false);
        self.analyzer.feed(&self.text);
        self.text.clear();
        errors
    }

    fn finish(mut self) -> (ScriptReport, Problems) {
        self.decoder.decode_to_string(&[], &mut self.text, true);
        self.analyzer.feed(&self.text);
        self.analyzer.finish()
    }
}

/// Standard input kept for a second reading: in memory while small, then in an anonymous
/// temporary file.
struct Spool {
    memory: Vec<u8>,
    limit: usize,
    file: Option<std::fs::File>,
}

impl Spool {
    fn new(limit: usize) -> Spool {
        Spool {
            memory: Vec::new(),
            limit,
            file: None,
        }
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if self.file.is_none() && self.memory.len() + bytes.len() > self.limit {
            let mut file = tempfile::tempfile()?;
            file.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => {
                self.memory.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// The bytes kept, from the start (as often as needed).
    fn reader(&self) -> std::io::Result<Box<dyn Read + '_>> {
        match &self.file {
            Some(file) => {
                let mut file = file.try_clone()?;
                file.seek(std::io::SeekFrom::Start(0))?;
                Ok(Box::new(file))
            }
            None => Ok(Box::new(self.memory.as_slice())),
        }
    }
}

fn round(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}

fn to_json(f: &Finding) -> Value {
    let mut o = Map::new();
    o.insert("path".into(), json!(f.label));
    o.insert("encoding".into(), json!(f.detection.encoding.name()));
    o.insert("confidence".into(), json!(round(f.detection.confidence)));
    o.insert("script".into(), json!(f.script.script.name()));
    o.insert("bom".into(), json!(f.detection.bom || f.problems.bom));
    o.insert("line_endings".into(), json!(f.problems.line_endings.name()));
    let spans: Vec<Value> = f
        .problems
        .mojibake
        .iter()
        .map(|m| json!({"kind": m.kind.name(), "start": m.range.start, "end": m.range.end}))
        .collect();
    o.insert("mojibake".into(), Value::Array(spans));
    o.insert("lossy".into(), json!(f.problems.lossy()));
    o.insert("annotations".into(), json!(f.problems.annotations));
    o.insert("markup".into(), json!(f.problems.markup));
    o.insert("region".into(), json!(f.script.region.map(|r| r.code())));
    let r = &f.script;
    o.insert(
        "region_evidence".into(),
        json!({
            "tw_variants": r.taiwan,
            "tw_phrases": r.taiwan_phrases,
            "hk_variants": r.hong_kong,
            "hk_phrases": r.hong_kong_phrases,
            "tw_hk_phrases": r.shared_phrases,
            "cn_phrases": r.mainland_phrases,
            "japanese": r.japanese,
        }),
    );
    o.insert(
        "shares".into(),
        json!({
            "simplified": round(f.script.simplified_share()),
            "traditional": round(f.script.traditional_share()),
            "common": round(f.script.common_share()),
        }),
    );
    o.insert("examined".into(), json!(f.detection.examined));
    o.insert("truncated".into(), json!(f.detection.truncated));
    Value::Object(o)
}

/// The region evidence in a table cell: variant forms + terms per region, only what was found.
fn evidence(r: &ScriptReport) -> String {
    let parts = [
        ("tw", r.taiwan, r.taiwan_phrases),
        ("hk", r.hong_kong, r.hong_kong_phrases),
    ]
    .into_iter()
    .filter(|&(_, forms, terms)| forms + terms > 0)
    .map(|(name, forms, terms)| format!("{name} {forms}+{terms}"))
    .chain(
        [
            ("tw/hk", r.shared_phrases),
            ("cn", r.mainland_phrases),
            ("jp", r.japanese),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(name, n)| format!("{name} {n}")),
    )
    .collect::<Vec<_>>();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

fn header() -> String {
    format!(
        "{:<32} {:<12} {:>5} {:<11} {:<6} {:<3} {:<5} {:>8} {:<5} {:>5} {:>6} {}",
        "PATH",
        "ENCODING",
        "CONF",
        "SCRIPT",
        "REGION",
        "BOM",
        "EOL",
        "MOJIBAKE",
        "LOSSY",
        "ANNOT",
        "MARKUP",
        "REGION EVIDENCE"
    )
}

fn to_row(f: &Finding) -> String {
    format!(
        "{:<32} {:<12} {:>5.2} {:<11} {:<6} {:<3} {:<5} {:>8} {:<5} {:>5} {:>6} {}",
        f.label,
        f.detection.encoding.name(),
        f.detection.confidence,
        f.script.script.name(),
        f.script.region.map_or("-", |r| r.code()),
        if f.detection.bom || f.problems.bom {
            "yes"
        } else {
            "no"
        },
        f.problems.line_endings.name(),
        f.problems.mojibake.len(),
        if f.problems.lossy() { "yes" } else { "no" },
        f.problems.annotations,
        f.problems.markup,
        evidence(&f.script),
    )
}
