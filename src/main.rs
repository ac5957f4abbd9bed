//! The kanwu command line: parse the arguments and hand them to `cli`, which dispatches to the
//! library, prints what came back and chooses the exit code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse())
}
