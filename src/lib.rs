//! kanwu (刊物): Chinese internal periodicals from a TOML manifest and Markdown articles, typeset
//! with Typst into print-ready PDF.
//!
//! The layers, each using only those below it (see DESIGN.md):
//! `editor`, `archive` → [`project`] → [`print`] → [`typeset`] → [`model`] → [`diag`], [`util`].
//!
//! The public API: [`Project::open`] once per process (it loads the fonts), then
//! [`Project::load`] an issue and [`Project::build`] it to a PDF. Nothing here prints;
//! diagnostics come back as values and the command line renders them.

// First, so that `msg!` is in scope in every module below.
#[macro_use]
pub mod i18n;

pub mod archive;
pub mod diag;
pub mod editor;
pub mod export;
pub mod model;
pub mod print;
pub mod project;
pub mod typeset;
pub mod util;

pub use diag::{Diagnostic, Failure, Result, Severity};
pub use model::{Document, LoadedIssue, Profile};
pub use project::{BuildOptions, Built, Project};
