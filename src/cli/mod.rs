//! Command-line definitions (clap) and the glue that hands inputs to the library.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use zhfix::convert::{convert_stream, Config, Converter, UserDict};
use zhfix::Error;

#[derive(Parser)]
#[command(name = "zhfix", version, about = "Make damaged Chinese text clean and consistent")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// OpenCC-compatible conversion: UTF-8 in, UTF-8 out, byte-identical to OpenCC 1.4.2.
    Convert(ConvertArgs),
}

#[derive(clap::Args)]
struct ConvertArgs {
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

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Convert(args) => convert(args),
    }
}

fn report(err: &Error) -> i32 {
    if err.is_broken_pipe() {
        return 0;
    }
    eprintln!("zhfix: {err}");
    2
}

fn convert(args: ConvertArgs) -> i32 {
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
    let inputs: Vec<PathBuf> = if args.paths.is_empty() { vec![PathBuf::from("-")] } else { args.paths };
    for path in inputs {
        let label = path.display().to_string();
        let result = if label == "-" {
            convert_stream(&converter, std::io::stdin().lock(), &mut out, "-")
        } else {
            std::fs::File::open(&path)
                .map_err(|e| Error::Io { path: label.clone(), source: e })
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
