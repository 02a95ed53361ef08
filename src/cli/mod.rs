//! Command-line definitions (clap) and the glue that hands inputs to the library.
//! One file per subcommand; this one only dispatches.

mod convert;

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
    /// OpenCC-compatible conversion: UTF-8 in, UTF-8 out, byte-identical to OpenCC 1.4.2.
    Convert(convert::ConvertArgs),
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Convert(args) => convert::run(args),
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
