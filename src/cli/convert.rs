//! `zhfix convert`: OpenCC-exact conversion, streaming, with user dictionaries; every batch
//! feature (walks, --in-place, --jsonl, ...) through the shared [`IoArgs`].

use std::path::PathBuf;

use zhfix::convert::{Config, Converter, UserDict};

use super::io::IoArgs;
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
    #[command(flatten)]
    io: IoArgs,
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
    let summary = zhfix::batch::run(&args.io.options(), &args.io.paths, &converter);
    summary.exit_code()
}
