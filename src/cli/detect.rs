//! `zhfix detect`: encoding, script and problems of each input; changes nothing.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{json, Map, Value};
use zhfix::detect::{self, Detection, EncodingDetector, Problems, ScriptReport};
use zhfix::Error;

use super::report;

#[derive(clap::Args)]
pub struct DetectArgs {
    /// One JSON object per input per line instead of a table.
    #[arg(long)]
    json: bool,
    /// Examine whole inputs instead of their first 64 KiB.
    #[arg(long)]
    full: bool,
    /// Inputs processed in parallel (default: all cores).
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    jobs: Option<usize>,
    /// Files or directories (walked recursively); none or `-` reads standard input.
    paths: Vec<PathBuf>,
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
    let work = |input: &PathBuf| inspect(input, args.full);
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

fn inspect(path: &Path, full: bool) -> Result<Finding, Error> {
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
    let limit = if full {
        usize::MAX
    } else {
        detect::DEFAULT_LIMIT
    };
    let mut detector = EncodingDetector::with_limit(limit);
    let mut head = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        let room = limit.saturating_sub(head.len()).min(n);
        head.extend_from_slice(&buf[..room]);
        // A full detector is fed once more so that it knows the input goes on.
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

fn header() -> String {
    format!(
        "{:<32} {:<12} {:>5} {:<11} {:<6} {:<3} {:<5} {:>8} {:<5} {:>5} {:>6}",
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
        "MARKUP"
    )
}

fn to_row(f: &Finding) -> String {
    format!(
        "{:<32} {:<12} {:>5.2} {:<11} {:<6} {:<3} {:<5} {:>8} {:<5} {:>5} {:>6}",
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
    )
}
