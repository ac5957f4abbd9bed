//! The argument groups several commands share: the project (`--root`, `--font-path`), the
//! report's format (`--format table|json`) and the output profile.

use std::path::PathBuf;

use kanwu::Profile;

#[derive(clap::Args, Clone)]
pub struct ProjectArgs {
    /// Project root, holding layout/ and fonts/ (default: the current directory).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Another folder of fonts to use besides fonts/ (repeatable). System fonts are never used.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum ProfileArg {
    /// E-mail and intranet: RGB, links, bookmarks (out/<issue>.pdf).
    Screen,
    /// The printer: bleed, crop marks, CMYK, padded page count, print ticket
    /// (out/<issue>.print.pdf and out/<issue>.print.toml).
    Print,
    /// PDF/A-3b with the sources attached (out/<issue>.archive.pdf).
    Archive,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Screen => Profile::Screen,
            ProfileArg::Print => Profile::Print,
            ProfileArg::Archive => Profile::Archive,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq)]
pub enum Format {
    /// For people: aligned columns, in the chosen language.
    Table,
    /// For tools: one JSON document on stdout, field names in English and stable.
    Json,
}

/// `--format table|json`, shared by every command that prints a report a script may read.
#[derive(clap::Args, Clone, Copy)]
pub struct FormatArgs {
    /// table (for people) or json (for tools).
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

impl FormatArgs {
    pub fn json(self) -> bool {
        self.format == Format::Json
    }
}

/// Prints `value` as pretty JSON on stdout (the `--format json` of every command).
pub fn print_json(value: &impl serde::Serialize) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).expect("a report serialises")
    );
}
