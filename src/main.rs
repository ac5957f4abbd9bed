//! The kanwu command line: parse arguments, call the library, print diagnostics, set the exit
//! code (0 ok, 1 build failed, 2 usage). No logic a library test could not reach.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use kanwu::diag::{self, Diagnostic};
use kanwu::{BuildOptions, Project};

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            issues,
            output,
            emit_typst,
            project,
        } => {
            if issues.len() > 1 && (output.is_some() || emit_typst.is_some()) {
                eprintln!("error: -o/--output and --emit-typst take a single ISSUE");
                return ExitCode::from(2);
            }
            build(&project, &issues, output, emit_typst)
        }
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
    output: Option<PathBuf>,
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
        match project.build(
            issue,
            &BuildOptions {
                output: output.clone(),
            },
        ) {
            Ok(built) => {
                print(&built.warnings);
                println!(
                    "built {} ({} pages, {} KB) in {:.2} s",
                    diag::display_path(&built.pdf).display(),
                    built.pages,
                    built.bytes.div_ceil(1024),
                    start.elapsed().as_secs_f64()
                );
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
