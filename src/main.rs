//! The kanwu command line: parse the arguments and hand them to `cli`, which dispatches to the
//! library, prints what came back and chooses the exit code.

mod cli;

use clap::{CommandFactory, FromArgMatches};

fn main() -> std::process::ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    cli::lang::choose_language(&args);
    // clap's own errors in the chosen language (exit 2), not always in English.
    let matches = match cli::lang::localize(cli::Cli::command()).try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => cli::parse_error::exit(e),
    };
    match cli::Cli::from_arg_matches(&matches) {
        Ok(parsed) => cli::run(parsed),
        Err(e) => cli::parse_error::exit(e),
    }
}
