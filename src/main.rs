//! The kanwu command line: parse arguments, call the library, print diagnostics, set the exit
//! code (0 ok, 1 build failed, 2 usage). No logic a library test could not reach.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use kanwu::diag::{self, Diagnostic};
use kanwu::{BuildOptions, Profile, Project};

#[derive(Parser)]
#[command(
    name = "kanwu",
    version,
    about = "Typesets Chinese internal periodicals (内部资料) from TOML + Markdown into print-ready PDF"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct ProjectArgs {
    /// Project root, holding layout/ and fonts/ (default: the current directory).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Another folder of fonts to use besides fonts/ (repeatable). System fonts are never used.
    #[arg(long = "font-path", value_name = "DIR")]
    font_paths: Vec<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build issues to PDF (default output: out/<issue folder>.pdf).
    Build {
        /// Issue folders (or their issue.toml).
        #[arg(required = true, value_name = "ISSUE")]
        issues: Vec<PathBuf>,
        /// Output file (only with a single issue).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Also write a self-contained Typst project to DIR (main.typ, document.json, layout,
        /// images) that `typst compile --font-path fonts DIR/main.typ` renders the same.
        #[arg(long, value_name = "DIR")]
        emit_typst: Option<PathBuf>,
        /// screen (RGB, for e-mail and intranet) or print (bleed, crop marks, CMYK, padded
        /// page count, print ticket): out/<issue>.print.pdf and out/<issue>.print.toml.
        #[arg(long, value_enum, default_value = "screen")]
        profile: ProfileArg,
        /// With --profile print: also impose a saddle-stitched booklet, out/<issue>.booklet.pdf.
        #[arg(long)]
        booklet: bool,
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
        /// table (for people) or json (for tools).
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        project: ProjectArgs,
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
        project: ProjectArgs,
    },
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum ProfileArg {
    Screen,
    Print,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Screen => Profile::Screen,
            ProfileArg::Print => Profile::Print,
        }
    }
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq)]
enum Format {
    Table,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            issues,
            output,
            emit_typst,
            profile,
            booklet,
            project,
        } => {
            if issues.len() > 1 && (output.is_some() || emit_typst.is_some()) {
                eprintln!("error: -o/--output and --emit-typst take a single ISSUE");
                return ExitCode::from(2);
            }
            if booklet && matches!(profile, ProfileArg::Screen) {
                eprintln!("error: --booklet goes with --profile print");
                return ExitCode::from(2);
            }
            let options = BuildOptions {
                output,
                profile: profile.into(),
                booklet,
            };
            build(&project, &issues, options, emit_typst)
        }
        Command::Check {
            issue,
            profile,
            format,
            project,
        } => check(&project, &issue, profile.into(), format),
        Command::Fonts {
            verify,
            lock,
            project,
        } => fonts(&project, verify, lock),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => {
            print(&diags);
            ExitCode::from(1)
        }
    }
}

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

fn open(args: &ProjectArgs) -> Result<Project, Vec<Diagnostic>> {
    Project::open(&args.root, &args.font_paths).map_err(|f| f.0)
}

fn build(
    args: &ProjectArgs,
    issues: &[PathBuf],
    options: BuildOptions,
    emit_typst: Option<PathBuf>,
) -> Result<(), Vec<Diagnostic>> {
    let project = open(args)?;
    let mut failed = Vec::new();
    for issue in issues {
        let start = Instant::now();
        if let Some(dir) = &emit_typst {
            let loaded = project.load(issue).map_err(|f| f.0)?;
            project.emit_typst(&loaded, dir).map_err(|f| f.0)?;
            eprintln!("wrote Typst project {}", dir.display());
        }
        match project.build(issue, &options) {
            Ok(built) => {
                print(&built.warnings);
                println!(
                    "built {} ({} pages, {} KB) in {:.2} s",
                    diag::display_path(&built.pdf).display(),
                    built.pages,
                    built.bytes.div_ceil(1024),
                    start.elapsed().as_secs_f64()
                );
                if options.profile == Profile::Print {
                    print!("{}", built.preflight.table());
                }
                for extra in &built.extra {
                    println!("wrote {}", diag::display_path(extra).display());
                }
            }
            Err(f) => {
                print(&f.0);
                failed.push(issue.display().to_string());
            }
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(vec![Diagnostic::error(format!(
            "build failed: {}; no PDF was written for it",
            failed.join(", ")
        ))])
    }
}

fn check(
    args: &ProjectArgs,
    issue: &std::path::Path,
    profile: Profile,
    format: Format,
) -> Result<(), Vec<Diagnostic>> {
    let project = open(args)?;
    let t = project.typeset_checked(issue, profile).map_err(|f| f.0)?;
    let report = &t.preflight;
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(report).expect("the report serialises")
        ),
        Format::Table => {
            print(
                &t.warnings
                    .iter()
                    .filter(|d| !d.message.starts_with("preflight:"))
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            print!("{}", report.table());
        }
    }
    if report.errors() > 0 {
        let mut diags = report.diagnostics();
        diags.push(Diagnostic::error(format!(
            "preflight found {} error(s)",
            report.errors()
        )));
        return Err(if format == Format::Table {
            diags
        } else {
            Vec::new()
        });
    }
    Ok(())
}

fn fonts(args: &ProjectArgs, verify: bool, lock: bool) -> Result<(), Vec<Diagnostic>> {
    if lock {
        let lock = kanwu::fonts::write_lock(&args.root).map_err(|f| f.0)?;
        println!("wrote fonts/fonts.lock ({} files)", lock.fonts.len());
        return Ok(());
    }
    if verify {
        for line in kanwu::fonts::verify(&args.root).map_err(|f| f.0)? {
            println!("{line}");
        }
        println!("all locked fonts match fonts/fonts.lock");
        return Ok(());
    }
    let project = open(args)?;
    // The layout of the project's publication, when there is one; else the default.
    let layout = kanwu::manifest::load_publication(&project.root.join("issues/publication.toml"))
        .map(|p| p.layout)
        .unwrap_or_else(|_| "express".to_string());
    let roles = project.theme_roles(&layout).map_err(|f| f.0)?;
    println!(
        "layout/{layout}/theme.typ names: {}",
        roles
            .iter()
            .map(|(r, f)| format!("{r} = {f}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut current = None;
    for face in project.fonts.faces() {
        let file = diag::display_path(&face.path);
        if current.as_ref() != Some(&file) {
            println!("{}", file.display());
            current = Some(file);
        }
        let used: Vec<&str> = roles
            .iter()
            .filter(|(_, f)| f.eq_ignore_ascii_case(&face.info.family))
            .map(|(r, _)| r.as_str())
            .collect();
        let v = face.info.variant;
        println!(
            "  {:<28} {:?} {:?}{}",
            face.info.family,
            v.weight,
            v.style,
            if used.is_empty() {
                String::new()
            } else {
                format!("  ← {}", used.join(", "))
            }
        );
    }
    for (role, family) in &roles {
        if !project.fonts.has_family(family) {
            println!("missing: role `{role}` names \"{family}\", which no font provides");
        }
    }
    Ok(())
}
