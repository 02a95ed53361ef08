//! Command-line definitions (clap) and the glue that hands inputs to the library.
//! One file per subcommand; this one only dispatches.

mod convert;
mod detect;
mod fix;
pub mod io;

use clap::{Parser, Subcommand};
use zhfix::Error;

#[derive(Parser)]
#[command(
    name = "zhfix",
    version,
    about = "Make damaged Chinese text clean and consistent"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The main job: detect the encoding, decode, repair mojibake; optionally convert the script and normalize punctuation.
    Fix(fix::FixArgs),
    /// OpenCC-compatible conversion: UTF-8 in, UTF-8 out, byte-identical to OpenCC 1.4.2.
    Convert(convert::ConvertArgs),
    /// Report encoding, script and problems of each input; changes nothing.
    Detect(detect::DetectArgs),
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Fix(args) => fix::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Detect(args) => detect::run(args),
    }
}

/// Prints an error the way every subcommand does; returns exit code 2 (0 for a closed pipe).
pub(crate) fn report(err: &Error) -> i32 {
    if err.is_broken_pipe() {
        return 0;
    }
    eprintln!("zhfix: {err}");
    2
}
