//! Side-by-side conversion throughput: zhfix against zhconv, ferrous-opencc and opencc-fmmseg,
//! in one process, single-threaded, on the same inputs.
//!
//! Run with `cargo bench --bench convert`. Environment knobs:
//! - `ZHFIX_BENCH_MB` (default 10): size each input is repeated to, in MB (10^6 bytes);
//! - `ZHFIX_BENCH_RUNS` (default 5): timed runs per converter and input, interleaved; the median is reported;
//! - `ZHFIX_BENCH_ONLY_ZHFIX=1`: measure zhfix alone (for quick profiling loops);
//! - `ZHFIX_BENCH_BEST=1`: report the fastest run instead of the median (steadier for A/B
//!   comparisons of two builds on a loaded machine; the documented tables use the median).
//!
//! Inputs: the shared corpora (`../shared/corpora/*-cn.txt` for s2t and s2twp, `*-tw.txt` for
//! t2s) repeated to the target size, skipped cleanly when `../shared` is absent; and a Han-dense
//! text: the bundled seed converted with zhfix itself to Simplified (input of s2t, s2twp) and to
//! Traditional (input of t2s), repeated. MB/s counts input bytes per second of the converting
//! thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`; wall time where that clock is missing), so that
//! other jobs on a shared machine do not count against whichever converter they interrupt.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use zhfix::convert::{Config, Converter};

#[derive(Clone, Copy, PartialEq)]
enum Job {
    S2t,
    T2s,
    S2twp,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::S2t => "s2t",
            Job::T2s => "t2s",
            Job::S2twp => "s2twp",
        }
    }
}

/// One converter under test: a name and a function converting with one job's config.
struct Contender {
    name: &'static str,
    convert: Box<dyn Fn(&str) -> usize>,
}

fn zhfix(job: Job) -> Contender {
    let config = match job {
        Job::S2t => Config::S2t,
        Job::T2s => Config::T2s,
        Job::S2twp => Config::S2twp,
    };
    let converter = Converter::new(config);
    let cell = std::cell::RefCell::new(String::new());
    Contender {
        name: "zhfix",
        convert: Box::new(move |text| {
            let mut out = cell.borrow_mut();
            out.clear();
            converter.convert_into(text, &mut out);
            out.len()
        }),
    }
}

fn zhconv(job: Job) -> Contender {
    // zhconv converts towards a target variant; these are its closest equivalents.
    let target = match job {
        Job::S2t => zhconv::Variant::ZhHant,
        Job::T2s => zhconv::Variant::ZhHans,
        Job::S2twp => zhconv::Variant::ZhTW,
    };
    let converter = zhconv::get_builtin_converter(target);
    Contender {
        name: "zhconv",
        convert: Box::new(move |text| converter.convert(text).len()),
    }
}

fn ferrous(job: Job) -> Contender {
    use ferrous_opencc::config::BuiltinConfig;
    let config = match job {
        Job::S2t => BuiltinConfig::S2t,
        Job::T2s => BuiltinConfig::T2s,
        Job::S2twp => BuiltinConfig::S2twp,
    };
    let cc = ferrous_opencc::OpenCC::from_config(config).expect("ferrous-opencc config");
    Contender {
        name: "ferrous",
        convert: Box::new(move |text| cc.convert(text).len()),
    }
}

fn fmmseg(job: Job) -> Contender {
    let mut cc = opencc_fmmseg::OpenCC::new();
    cc.set_parallel(false);
    let name = job.name();
    Contender {
        name: "fmmseg",
        convert: Box::new(move |text| cc.convert(text, name, false).len()),
    }
}

/// `parts` concatenated and repeated, cut at the last line end before `size` bytes.
fn repeat_to(parts: &[String], size: usize) -> String {
    let unit: String = parts.concat();
    let mut text = String::with_capacity(size + unit.len());
    while text.len() < size && !unit.is_empty() {
        text.push_str(&unit);
    }
    if text.len() > size {
        let cut = text[..size].rfind('\n').map_or(size, |i| i + 1);
        let cut = (0..=cut)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text.truncate(cut);
    }
    text
}

/// The shared corpora: `$ZHFIX_SHARED/corpora` if set, else `../shared/corpora` next to the
/// checkout (CI), else `../../shared/corpora` (a worktree one level deeper).
fn corpora(root: &Path, suffix: &str) -> Option<Vec<String>> {
    let candidates = [
        std::env::var_os("ZHFIX_SHARED").map(PathBuf::from),
        Some(root.join("../shared")),
        Some(root.join("../../shared")),
    ];
    let dir = candidates
        .into_iter()
        .flatten()
        .map(|d| d.join("corpora"))
        .find(|d| d.is_dir())?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(suffix))
        })
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    (!texts.is_empty()).then_some(texts)
}

/// CPU time of this thread: on a machine shared with other jobs, wall time would count the
/// time the thread waits for a core. Falls back to wall time where the clock is missing.
struct Clock(Instant, Option<Duration>);

impl Clock {
    fn start() -> Clock {
        Clock(Instant::now(), common::thread_cpu())
    }

    fn elapsed(&self) -> Duration {
        match (self.1, common::thread_cpu()) {
            (Some(a), Some(b)) => b - a,
            _ => self.0.elapsed(),
        }
    }
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    if std::env::var_os("ZHFIX_BENCH_BEST").is_some() {
        return times[0];
    }
    times[times.len() / 2]
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments filter jobs by name (e.g. `s2twp`).
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let size = env_usize("ZHFIX_BENCH_MB", 10) * 1_000_000;
    let runs = env_usize("ZHFIX_BENCH_RUNS", 5).max(1);
    let only_zhfix = std::env::var_os("ZHFIX_BENCH_ONLY_ZHFIX").is_some();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let seed = std::fs::read_to_string(root.join("seeds/000_f3976092b292c533.txt")).expect("seed");
    let han_hans = Converter::new(Config::T2s).convert(&seed).into_owned();
    let han_hant = Converter::new(Config::S2t).convert(&seed).into_owned();
    let mut inputs: Vec<(&str, Job, String)> = Vec::new();
    match (corpora(&root, "-cn.txt"), corpora(&root, "-tw.txt")) {
        (Some(cn), Some(tw)) => {
            let cn = repeat_to(&cn, size);
            let tw = repeat_to(&tw, size);
            inputs.push(("corpus", Job::S2t, cn.clone()));
            inputs.push(("corpus", Job::T2s, tw));
            inputs.push(("corpus", Job::S2twp, cn));
        }
        _ => eprintln!("../shared/corpora not found: skipping the corpus inputs"),
    }
    let hans = repeat_to(std::slice::from_ref(&han_hans), size);
    let hant = repeat_to(std::slice::from_ref(&han_hant), size);
    inputs.push(("han-dense", Job::S2t, hans.clone()));
    inputs.push(("han-dense", Job::T2s, hant));
    inputs.push(("han-dense", Job::S2twp, hans));
    inputs.retain(|(_, job, _)| filters.is_empty() || filters.iter().any(|f| f == job.name()));

    println!(
        "single-threaded, input repeated to {:.1} MB, median of {runs} runs, MB/s of input per thread CPU second",
        size as f64 / 1e6
    );
    println!(
        "{:<6} {:<10} {:>8} {:>8} {:>8} {:>8}   {:>8} {:>8} {:>8}",
        "config", "input", "zhfix", "zhconv", "ferrous", "fmmseg", "x zhconv", "x ferr", "x fmmseg"
    );
    for (label, job, text) in &inputs {
        let mut contenders = vec![zhfix(*job)];
        if !only_zhfix {
            contenders.extend([zhconv(*job), ferrous(*job), fmmseg(*job)]);
        }
        // One warm-up run each loads lazy tables and faults pages in; the timed runs then
        // alternate between converters, so that load from other processes hits all alike.
        for contender in &contenders {
            black_box((contender.convert)(black_box(text)));
        }
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); contenders.len()];
        for _ in 0..runs {
            for (contender, times) in contenders.iter().zip(&mut times) {
                let start = Clock::start();
                black_box((contender.convert)(black_box(text)));
                times.push(start.elapsed());
            }
        }
        let speeds: Vec<(&str, f64)> = contenders
            .iter()
            .zip(times)
            .map(|(c, t)| (c.name, text.len() as f64 / 1e6 / median(t).as_secs_f64()))
            .collect();
        let zhfix_speed = speeds[0].1;
        let mut line = format!("{:<6} {:<10}", job.name(), label);
        for name in ["zhfix", "zhconv", "ferrous", "fmmseg"] {
            match speeds.iter().find(|s| s.0 == name) {
                Some(&(_, v)) => line += &format!(" {v:>8.1}"),
                None => line += &format!(" {:>8}", "-"),
            }
        }
        line += "  ";
        for name in ["zhconv", "ferrous", "fmmseg"] {
            match speeds.iter().find(|s| s.0 == name) {
                Some(&(_, v)) => line += &format!(" {:>7.2}x", zhfix_speed / v),
                None => line += &format!(" {:>8}", "-"),
            }
        }
        println!("{line}");
    }
}
