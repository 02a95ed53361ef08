//! `zhfix convert`: OpenCC-exact conversion, streaming, with user dictionaries.

use std::io::Write;
use std::path::PathBuf;

use zhfix::convert::{convert_stream, Config, Converter, UserDict};
use zhfix::Error;

use super::report;

#[derive(clap::Args)]
pub struct ConvertArgs {
    /// OpenCC config: s2t t2s s2tw tw2s s2twp tw2sp s2hk hk2s s2hkp hk2sp t2tw tw2t t2hk hk2t t2jp jp2t (a .json suffix is accepted).
    #[arg(short, long, required_unless_present = "list")]
    config: Option<String>,
    /// User dictionary in OpenCC text format (from<TAB>to[ to2...]), taking priority over the built-in phrases; repeatable.
    #[arg(long = "dict", value_name = "FILE")]
    dicts: Vec<PathBuf>,
    /// List the configs, one line each.
    #[arg(long)]
    list: bool,
    /// Inputs; none or `-` reads standard input.
    paths: Vec<PathBuf>,
}

pub fn run(args: ConvertArgs) -> i32 {
    if args.list {
        for config in Config::ALL {
            println!("{:<6} {}", config.name(), config.title());
        }
        return 0;
    }
    let name = args.config.expect("clap requires --config");
    let mut converter = match name.parse::<Config>() {
        Ok(config) => Converter::new(config),
        Err(e) => return report(&e),
    };
    for path in &args.dicts {
        match UserDict::from_file(path) {
            Ok(dict) => converter = converter.with_user_dict(dict),
            Err(e) => return report(&e),
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut status = 0;
    let inputs: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    for path in inputs {
        let label = path.display().to_string();
        let result = if label == "-" {
            convert_stream(&converter, std::io::stdin().lock(), &mut out, "-")
        } else {
            std::fs::File::open(&path)
                .map_err(|e| Error::Io {
                    path: label.clone(),
                    source: e,
                })
                .and_then(|f| convert_stream(&converter, f, &mut out, &label))
        };
        if let Err(e) = result {
            if e.is_broken_pipe() {
                return 0;
            }
            status = report(&e);
        }
    }
    if let Err(e) = out.flush() {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("zhfix: <output>: {e}");
            return 2;
        }
    }
    status
}
