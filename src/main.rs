//! The `zhfix` command: flag parsing and glue; the work happens in the library.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
