//! The kanwu command line: parse the arguments and hand them to `cli`, which dispatches to the
//! library, prints what came back and chooses the exit code.

mod cli;

use clap::{CommandFactory, FromArgMatches};

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    cli::lang::choose_language(&args);
    let matches = cli::lang::localize(cli::Cli::command()).get_matches_from(args);
    match cli::Cli::from_arg_matches(&matches) {
        Ok(parsed) => cli::run(parsed),
        Err(e) => e.exit(),
    }
}
