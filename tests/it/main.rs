//! kanwu's integration tests, in one test binary.
//!
//! Each module was once its own `tests/*.rs` crate; with Typst linked into every one of them,
//! eleven test binaries of ~750 MB each filled the CI machine's disk (the linker died with a bus
//! error). One binary links once.

mod common;

/// The benchmark's archive generator, tested here because `cargo test` does not run benches.
#[path = "../../bench/synth.rs"]
mod synth;

mod archive;
mod bad_input;
mod bench_archive;
mod bombs;
mod browser;
mod bulletin;
mod chinese;
mod cli;
mod contract;
mod desk;
mod docx;
mod edges;
mod editor;
mod export;
mod findings;
mod fuzz;
mod hardening;
mod hostile;
mod house;
mod i18n;
mod import;
mod init;
mod layout;
mod limits;
mod phone;
mod print;
mod sample;
mod serve;
mod titles;
mod typography;
mod watch;
