//! The command line: clap types (one variant per command, shared argument groups), the
//! dispatch, printing, and exit codes (0 ok, 1 the command failed, 2 wrong usage). One file per
//! command family; no logic a test of the library could not reach.

/// `println!` for the command's output: a closed pipe (`kanwu fonts | head`) ends the process
/// quietly with exit 0 instead of panicking, as `head` expects. See [`write_out`].
macro_rules! outln {
    () => {
        $crate::cli::write_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the command's output; see [`outln!`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::write_out(format_args!($($arg)*))
    };
}

mod archive;
mod args;
mod build;
mod editor;
mod export;
mod fonts;
mod init;
pub mod lang;
pub mod parse_error;
mod serve;

use kanwu::msg;

pub use args::{Format, FormatArgs, ProfileArg, ProjectArgs};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use kanwu::Project;
use kanwu::diag::{self, Diagnostic, display_path};
use kanwu::editor::PageRange;

#[derive(Parser)]
#[command(name = "kanwu", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Language of messages and help: zh or en (default: KANWU_LANG, else the system's
    /// language; English unless that is Chinese).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<lang::LangArg>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Build issues to PDF (default output: out/<issue folder>.pdf).
    Build {
        /// Issue folders (or their issue.toml; default: the latest issue under issues/).
        #[arg(value_name = "ISSUE")]
        issues: Vec<PathBuf>,
        /// Build every issue under DIR (default: issues/ under the root) in parallel.
        #[arg(long, value_name = "DIR", conflicts_with = "issues")]
        all: Option<Option<PathBuf>>,
        /// Output profile.
        #[arg(long, value_enum, default_value = "screen")]
        profile: ProfileArg,
        /// Output file (only with a single issue).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Also write a self-contained Typst project to DIR (main.typ, document.json, layout,
        /// images) that `typst compile --font-path fonts DIR/main.typ` renders the same.
        #[arg(long, value_name = "DIR")]
        emit_typst: Option<PathBuf>,
        /// With --profile print: also impose a saddle-stitched booklet, out/<issue>.booklet.pdf.
        #[arg(long)]
        booklet: bool,
        /// With --all: the table of issues for people, or json for tools.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Preflight an issue without writing anything: missing glyphs, image resolution,
    /// overflow, page and sheet count. Exits 1 when there are errors.
    Check {
        #[arg(value_name = "ISSUE")]
        issue: PathBuf,
        #[arg(long, value_enum, default_value = "print")]
        profile: ProfileArg,
        #[command(flatten)]
        format: FormatArgs,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Write the sources attached to an archive PDF back out: publication.toml into DIR, the
    /// issue's files into DIR/<issue>/.
    Extract {
        #[arg(value_name = "PDF")]
        pdf: PathBuf,
        /// The folder to write into (default: issues/ under the root).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Overwrite files that already exist in DIR (never through a symbolic link)
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Build every profile of an issue and record the sha256 of its inputs and outputs in
    /// <issue>/release.toml.
    Release {
        #[arg(value_name = "ISSUE")]
        issue: PathBuf,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Rebuild issues in memory and compare them with their release.toml.
    Verify {
        #[arg(required_unless_present = "all", value_name = "ISSUE")]
        issues: Vec<PathBuf>,
        /// Verify every issue under DIR (default: issues/ under the root).
        #[arg(long, value_name = "DIR", conflicts_with = "issues")]
        all: Option<Option<PathBuf>>,
        #[command(flatten)]
        format: FormatArgs,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Write out/catalog.json and out/catalog.pdf (年度总目录) of every issue under DIR.
    Catalog {
        /// The folder of issues (default: issues/ under the root).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Start a new publication from nothing: layout/ and fonts/ copied from kanwu's own
    /// installation, issues/publication.toml (with --name etc., or commented defaults to edit)
    /// and a first issue that builds.
    ///
    /// layout/ and fonts/ come from --from DIR, else from the folder holding the kanwu
    /// executable (the unpacked Windows package) or one of the three above it (a source tree
    /// with target/release/kanwu), else from the source tree kanwu was built from.
    Init(init::InitArgs),
    /// Start the next issue: a new folder after the latest (or --from) issue, number and
    /// serial + 1, the same sections with one article stub each.
    New {
        /// The new issue folder (default: issues/YYYY-NN under the root).
        #[arg(value_name = "ISSUE_DIR")]
        dir: Option<PathBuf>,
        /// The issue to continue (default: the latest one beside the new folder).
        #[arg(long, value_name = "PREVIOUS")]
        from: Option<PathBuf>,
        /// The new issue's date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Build an issue, then rebuild it whenever its manifest, an article, an image,
    /// publication.toml, a layout file or a font changes. A failed rebuild keeps the last PDF.
    Watch {
        #[arg(value_name = "ISSUE")]
        issue: PathBuf,
        /// Output file (default out/<issue>.pdf).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// The desk (编辑台): edit an issue in the browser, its pages following the text as it
    /// is typed; every change saved to the files, every earlier version kept.
    Serve {
        /// The issue folder (default: the latest issue under issues/).
        #[arg(value_name = "ISSUE")]
        issue: Option<PathBuf>,
        /// The port to listen on (0: any free one).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Open the default browser at the issue.
        #[arg(long)]
        open: bool,
        /// Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0 to let other machines
        /// read the issue; warned about).
        #[arg(long, value_name = "ADDRESS")]
        bind: Option<std::net::IpAddr>,
        /// Show a button that opens an article file with the system's default application.
        #[arg(long)]
        allow_open: bool,
        /// Only show the pages and findings (the viewer): nothing can be edited.
        #[arg(long)]
        read_only: bool,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Render pages of an issue to PNG (default: every page at 96 ppi into out/<issue>/).
    Preview {
        #[arg(value_name = "ISSUE")]
        issue: PathBuf,
        /// Pages: 3, 1-3 or 2- (to the end).
        #[arg(long, value_name = "RANGE", value_parser = parse_pages)]
        pages: Option<PageRange>,
        /// Pixels per inch.
        #[arg(long, default_value_t = 96.0)]
        ppi: f64,
        /// Folder for the PNGs (default out/<issue>/). `-o DIR` still works (deprecated: -o
        /// names one file everywhere else).
        #[arg(long = "out-dir", short_alias = 'o', value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Count an issue: 汉字, characters, paragraphs, images and the page each article starts on.
    Stats {
        #[arg(value_name = "ISSUE")]
        issue: PathBuf,
        #[command(flatten)]
        format: FormatArgs,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Import a plain-text issue (.txt: UTF-8, UTF-16 or GBK; sections opened by ●) as a new
    /// issue folder of Markdown articles, or one Word article (.docx) into an issue folder.
    /// The source file is never modified.
    Import {
        /// A plain-text issue (.txt) or a Word article (.docx).
        #[arg(value_name = "SOURCE")]
        source: PathBuf,
        /// Text: the new issue folder (default: issues/YYYY-NN under the root), never
        /// overwritten. Word: the issue folder to put the article in (default: the latest
        /// issue under issues/).
        #[arg(value_name = "ISSUE_DIR")]
        output: Option<PathBuf>,
        /// Text only: the issue's date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Text only: 第N期 (default: the latest issue's + 1 in the same year, else 1).
        #[arg(long)]
        number: Option<u32>,
        /// Text only: 总第N期 (default: the latest issue's + 1, when it has one).
        #[arg(long)]
        serial: Option<u32>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Write other editions of issues from the same document: a self-contained web page
    /// (html) or a Word file (docx), default out/<issue>.<ext>.
    Export {
        /// Issue folders (or their issue.toml).
        #[arg(required_unless_present = "all", value_name = "ISSUE")]
        issues: Vec<PathBuf>,
        /// Export every issue under DIR (default: issues/ under the root).
        #[arg(long, value_name = "DIR", conflicts_with = "issues")]
        all: Option<Option<PathBuf>>,
        /// The edition.
        #[arg(long, value_enum)]
        to: export::ExportFormat,
        /// Only this article (its file name in issue.toml, e.g. ai-patents.md).
        #[arg(long, value_name = "NAME")]
        article: Option<String>,
        /// The file to write (a single issue only).
        #[arg(short, long, value_name = "FILE", conflicts_with = "out_dir")]
        output: Option<PathBuf>,
        /// The folder to write into (default: out/ under the root).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish) to stdout.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// List the fonts kanwu uses and the roles the layout gives them.
    Fonts {
        /// Check every locked font file's sha256 against fonts/fonts.lock.
        #[arg(long)]
        verify: bool,
        /// Rewrite fonts/fonts.lock from the files in fonts/ (on purpose only).
        #[arg(long, conflicts_with = "verify")]
        lock: bool,
        #[command(flatten)]
        format: FormatArgs,
        #[command(flatten)]
        project: ProjectArgs,
    },
}

/// How a command ended, when not well.
pub enum Exit {
    /// Exit 1 after printing these diagnostics.
    Failed(Vec<Diagnostic>),
    /// Exit 1 with nothing more to print (the command's report already said why).
    Quiet,
    /// Exit 2: the arguments are wrong; the message says how.
    Usage(String),
}

impl From<kanwu::Failure> for Exit {
    fn from(f: kanwu::Failure) -> Exit {
        Exit::Failed(f.0)
    }
}

type Outcome = Result<(), Exit>;

/// Runs a parsed command line and turns its outcome into the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let root = project_root(&cli.command);
    let outcome = dispatch(cli.command);
    say_diversions(None);
    let outcome = outcome.map_err(|e| outside_a_project(e, root.as_deref()));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Exit::Failed(diags)) => {
            print(&diags);
            ExitCode::from(1)
        }
        Err(Exit::Quiet) => ExitCode::from(1),
        Err(Exit::Usage(message)) => {
            eprintln!("{}", msg!("cli-error", message = message));
            ExitCode::from(2)
        }
    }
}

fn dispatch(command: Command) -> Outcome {
    match command {
        Command::Build {
            issues,
            all,
            profile,
            output,
            emit_typst,
            booklet,
            format,
            project,
        } => {
            if format == Format::Json && all.is_none() {
                return Err(Exit::Usage(msg!("cli-build-format-json-needs-all")));
            }
            let all = all.map(|dir| build::Batch { dir, format });
            build::build_command(
                &project,
                issues,
                all,
                profile.into(),
                output,
                emit_typst,
                booklet,
            )
        }
        Command::Check {
            issue,
            profile,
            format,
            project,
        } => build::check(&project, &issue, profile.into(), format.format),
        Command::Extract {
            pdf,
            dir,
            force,
            project,
        } => archive::extract(&pdf, &issues_dir(&project.root, dir), force),
        Command::Release { issue, project } => archive::release(&project, &issue),
        Command::Verify {
            issues,
            all,
            format,
            project,
        } => archive::verify(&project, &issues, all, format),
        Command::Catalog { dir, project } => archive::catalog(&project, dir),
        Command::New {
            dir,
            from,
            date,
            project,
        } => editor::new_issue(&project.root, dir, from, date.as_deref()),
        Command::Init(args) => init::init(&args),
        Command::Import {
            source,
            output,
            date,
            number,
            serial,
            project,
        } => editor::import(
            &project.root,
            &source,
            output,
            date.as_deref(),
            number,
            serial,
        ),
        Command::Stats {
            issue,
            format,
            project,
        } => editor::stats(&project, &issue, format.format),
        Command::Watch {
            issue,
            output,
            project,
        } => editor::watch(&project, &issue, output),
        Command::Serve {
            issue,
            port,
            open,
            bind,
            allow_open,
            read_only,
            project,
        } => serve::serve(
            &project,
            issue,
            serve::Listen { port, bind },
            open,
            allow_open,
            read_only,
        ),
        Command::Preview {
            issue,
            pages,
            ppi,
            output,
            project,
        } => editor::preview(&project, &issue, pages, ppi, output),
        Command::Export {
            issues,
            all,
            to,
            article,
            output,
            out_dir,
            project,
        } => export::export(&project, issues, all, to, article, output, out_dir),
        Command::Fonts {
            verify,
            lock,
            format,
            project,
        } => fonts::fonts(&project, verify, lock, format),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut cmd = lang::localize(Cli::command());
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "kanwu", &mut script);
            out!("{}", String::from_utf8_lossy(&script));
            Ok(())
        }
    }
}

/// The project root a command works in (None for those that need none).
fn project_root(command: &Command) -> Option<PathBuf> {
    match command {
        Command::Build { project, .. }
        | Command::Check { project, .. }
        | Command::Release { project, .. }
        | Command::Verify { project, .. }
        | Command::Catalog { project, .. }
        | Command::Watch { project, .. }
        | Command::Preview { project, .. }
        | Command::Stats { project, .. }
        | Command::Serve { project, .. }
        | Command::Export { project, .. }
        | Command::Fonts { project, .. }
        | Command::New { project, .. }
        | Command::Import { project, .. } => Some(project.root.clone()),
        Command::Init(_) | Command::Extract { .. } | Command::Completions { .. } => None,
    }
}

/// Whether `root` looks like a kanwu project: it holds layout/, fonts/ or issues/.
pub fn is_project(root: &Path) -> bool {
    ["layout", "fonts", "issues"]
        .iter()
        .any(|d| root.join(d).is_dir())
}

/// A command that failed outside a project says how to start one (or where a project is).
fn outside_a_project(exit: Exit, root: Option<&Path>) -> Exit {
    let Some(root) = root.filter(|r| !is_project(r)) else {
        return exit;
    };
    let message = if root == Path::new(".") {
        msg!("cli-current-folder-not-kanwu-project")
    } else {
        msg!(
            "cli-not-kanwu-project-has",
            shown = display_path(root).display().to_string()
        )
    };
    let note = Diagnostic::error(message).hint(msg!("cli-run-kanwu-init-start"));
    // What is wrong first: the reason below it (a file not found) follows from it.
    match exit {
        Exit::Failed(mut diags) => {
            diags.insert(0, note);
            Exit::Failed(diags)
        }
        Exit::Quiet => Exit::Failed(vec![note]),
        Exit::Usage(m) => Exit::Usage(m),
    }
}

/// Says which PDFs were written under a numbered name because the file asked for could not
/// be replaced (open in a viewer that locks it, on Windows); returns where `pdf` was written.
fn say_diversions(pdf: Option<&Path>) -> Option<PathBuf> {
    let mut written = None;
    for d in kanwu::util::take_diversions() {
        if pdf == Some(d.wanted.as_path()) {
            written = Some(d.written.clone());
        }
        print(&[Diagnostic::warning(msg!(
            "cli-could-not-be-replaced",
            wanted = display_path(&d.wanted).display(),
            written = display_path(&d.written).display()
        ))
        .hint(msg!("cli-close-pdf-and-build"))]);
    }
    written
}

/// Writes the command's output to stdout. A closed pipe (the reader, e.g. `head`, has all it
/// wants) ends the process at once with exit 0; another write error ends it with exit 1.
pub fn write_out(args: std::fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        // Windows also says ERROR_PIPE_NOT_CONNECTED (233) for a reader that has gone.
        let closed = e.kind() == std::io::ErrorKind::BrokenPipe
            || (cfg!(windows) && e.raw_os_error() == Some(233));
        if closed {
            std::process::exit(0);
        }
        eprintln!("{}", msg!("cli-error-cannot-write-output", e = e));
        std::process::exit(1);
    }
}

/// Prints diagnostics to stderr (in colour on a terminal).
fn print(diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let choice = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut err = StandardStream::stderr(choice);
    let _ = diag::render(diags, &mut err);
    let _ = err.flush();
}

fn open(args: &ProjectArgs) -> Result<Project, Exit> {
    Ok(Project::open(&args.root, &args.font_paths)?)
}

/// The folder of issues: the one named, or `issues/` under the root.
fn issues_dir(root: &std::path::Path, dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| root.join("issues"))
}

/// The end of a loop over issues: Ok, or one error naming every issue that failed (their own
/// diagnostics were printed as they came).
fn all_or_failed(failed: &[String], what: &str, tail: &str) -> Outcome {
    if failed.is_empty() {
        return Ok(());
    }
    Err(Exit::Failed(vec![Diagnostic::error(msg!(
        "cli-msg",
        what = what,
        failed = failed.join(", "),
        tail = tail
    ))]))
}

fn parse_pages(s: &str) -> Result<PageRange, String> {
    PageRange::parse(s).ok_or_else(|| msg!("cli-not-page-range-write", s = s))
}

/// The columns `s` takes on a terminal: a 汉字 or a full-width mark takes two.
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `width` terminal columns (`{:<16}` counts characters, which
/// misaligns Chinese names).
pub fn pad(s: &impl std::fmt::Display, width: usize) -> String {
    let s = s.to_string();
    let fill = width.saturating_sub(display_width(&s));
    format!("{s}{}", " ".repeat(fill))
}
