//! The kanwu command line: parse arguments, call the library, print diagnostics, set the exit
//! code (0 ok, 1 build failed, 2 usage). No logic a library test could not reach.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use kanwu::archive::{self, BatchItem};
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

#[derive(clap::ValueEnum, Clone, Copy)]
enum ProfileArg {
    /// E-mail and intranet: RGB, links, bookmarks (out/<issue>.pdf).
    Screen,
    /// The printer: bleed, crop marks, CMYK, padded page count, print ticket
    /// (out/<issue>.print.pdf and out/<issue>.print.toml).
    Print,
    /// PDF/A-3b with the issue's sources attached (out/<issue>.archive.pdf).
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

#[derive(Subcommand)]
enum Command {
    /// Build issues to PDF (default output: out/<issue folder>.pdf).
    Build {
        /// Issue folders (or their issue.toml).
        #[arg(required_unless_present = "all", value_name = "ISSUE")]
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
    /// Write the sources attached to an archive PDF back out: publication.toml into DIR, the
    /// issue's files into DIR/<issue>/.
    Extract {
        #[arg(value_name = "PDF")]
        pdf: PathBuf,
        #[arg(value_name = "DIR")]
        dir: PathBuf,
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
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
    /// Render pages of an issue to PNG (default: every page at 96 ppi into out/<issue>/).
    Preview {
        #[arg(value_name = "ISSUE")]
        issue: PathBuf,
        /// Pages: 3, 1-3 or 2- (to the end).
        #[arg(long, value_name = "RANGE", value_parser = parse_pages)]
        pages: Option<kanwu::editor::PageRange>,
        /// Pixels per inch.
        #[arg(long, default_value_t = 96.0)]
        ppi: f64,
        /// Folder for the PNGs (default out/<issue>/).
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Count an issue: 汉字, characters, paragraphs, images and the page each article starts on.
    Stats {
        #[arg(value_name = "ISSUE")]
        issue: PathBuf,
        /// table (for people) or json (for tools).
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        project: ProjectArgs,
    },
    /// Import a plain-text issue (UTF-8 or GBK; sections opened by ●) as a new issue folder of
    /// Markdown articles. The source file is never modified.
    Import {
        #[arg(value_name = "SOURCE")]
        source: PathBuf,
        /// The new issue folder (default: issues/YYYY-NN under the root); never overwritten.
        #[arg(value_name = "ISSUE_DIR")]
        output: Option<PathBuf>,
        /// The issue's date (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// 第N期 (default: 1).
        #[arg(long, default_value_t = 1)]
        number: u32,
        /// 总第N期 (optional).
        #[arg(long)]
        serial: Option<u32>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
            all,
            profile,
            output,
            emit_typst,
            booklet,
            project,
        } => {
            if (issues.len() > 1 || all.is_some()) && (output.is_some() || emit_typst.is_some()) {
                eprintln!("error: -o/--output and --emit-typst take a single ISSUE");
                return ExitCode::from(2);
            }
            if booklet && !matches!(profile, ProfileArg::Print) {
                eprintln!("error: --booklet goes with --profile print");
                return ExitCode::from(2);
            }
            let options = BuildOptions {
                output,
                profile: profile.into(),
                booklet,
            };
            match all {
                Some(dir) => build_all(&project, dir, options.profile),
                None => build(&project, &issues, options, emit_typst),
            }
        }
        Command::Check {
            issue,
            profile,
            format,
            project,
        } => check(&project, &issue, profile.into(), format),
        Command::Extract { pdf, dir } => extract(&pdf, &dir),
        Command::Release { issue, project } => release(&project, &issue),
        Command::Verify {
            issues,
            all,
            project,
        } => verify(&project, &issues, all),
        Command::Catalog { dir, project } => catalog(&project, dir),
        Command::New {
            dir,
            from,
            date,
            root,
        } => {
            let Ok(date) = date_arg(date.as_deref()) else {
                return ExitCode::from(2);
            };
            new_issue(&root, dir, from, date)
        }
        Command::Import {
            source,
            output,
            date,
            number,
            serial,
            root,
        } => {
            let Ok(date) = date_arg(date.as_deref()) else {
                return ExitCode::from(2);
            };
            let date = date.unwrap_or_else(kanwu::editor::today);
            import(&root, &source, output, date, number, serial)
        }
        Command::Stats {
            issue,
            format,
            project,
        } => stats(&project, &issue, format),
        Command::Watch {
            issue,
            output,
            project,
        } => watch(&project, &issue, output),
        Command::Preview {
            issue,
            pages,
            ppi,
            output,
            project,
        } => preview(&project, &issue, pages, ppi, output),
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
    all_or_failed(&failed, "build failed", "; no PDF was written for it")
}

fn check(
    args: &ProjectArgs,
    issue: &std::path::Path,
    profile: Profile,
    format: Format,
) -> Result<(), Vec<Diagnostic>> {
    let project = open(args)?;
    let loaded = project.load(issue).map_err(|f| f.0)?;
    let t = project.typeset_checked(loaded, profile).map_err(|f| f.0)?;
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

/// The `--date` of `new` and `import`: none, or a valid date; a wrong one is a usage error,
/// reported here (the caller exits with 2).
fn date_arg(date: Option<&str>) -> Result<Option<kanwu::manifest::Date>, ()> {
    match date.map(|d| (d, kanwu::editor::parse_date(d))) {
        Some((d, None)) => {
            eprintln!("error: --date {d} is not a date; write YYYY-MM-DD, e.g. 2021-02-20");
            Err(())
        }
        Some((_, date)) => Ok(date),
        None => Ok(None),
    }
}

/// The folder of issues: the one named, or `issues/` under the root.
fn issues_dir(args: &ProjectArgs, dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| args.root.join("issues"))
}

fn build_all(
    args: &ProjectArgs,
    dir: Option<PathBuf>,
    profile: Profile,
) -> Result<(), Vec<Diagnostic>> {
    let dir = issues_dir(args, dir);
    let issues = archive::find_issues(&dir).map_err(|f| f.0)?;
    let start = Instant::now();
    let project = open(args)?;
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(issues.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {msg}")
                .expect("a valid template"),
        );
        Some(bar)
    } else {
        None
    };
    let count = std::sync::atomic::AtomicUsize::new(0);
    let total = issues.len();
    let done = |item: &BatchItem| {
        let n = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let what = if item.result.is_ok() {
            "built"
        } else {
            "FAILED"
        };
        match &bar {
            Some(bar) => {
                bar.set_message(format!("{} {what}", item.name));
                bar.inc(1);
            }
            None => eprintln!(
                "[{n}/{total}] {} {what} in {:.2} s",
                item.name,
                item.elapsed.as_secs_f64()
            ),
        }
    };
    let items = archive::build_all(&project, &issues, profile, &done);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut failed = Vec::new();
    println!(
        "{:<16} {:>6} {:>9} {:>8} {:>9}",
        "issue", "pages", "size", "time", "warnings"
    );
    for item in &items {
        match &item.result {
            Ok(b) => {
                print(&b.warnings);
                println!(
                    "{:<16} {:>6} {:>6} KB {:>6.2} s {:>9}",
                    item.name,
                    b.pages,
                    b.bytes.div_ceil(1024),
                    item.elapsed.as_secs_f64(),
                    b.warnings.len()
                );
            }
            Err(_) => println!(
                "{:<16} {:>6} {:>9} {:>6.2} s {:>9}",
                item.name,
                "-",
                "FAILED",
                item.elapsed.as_secs_f64(),
                "-"
            ),
        }
    }
    println!(
        "{} of {} issues built to {} in {:.2} s",
        items.iter().filter(|i| i.result.is_ok()).count(),
        items.len(),
        diag::display_path(&project.root.join("out")).display(),
        start.elapsed().as_secs_f64()
    );
    for item in &items {
        if let Err(f) = &item.result {
            print(&f.0);
            failed.push(item.name.clone());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(vec![Diagnostic::error(format!(
            "{} of {} issues failed: {}; no PDF was written for them",
            failed.len(),
            items.len(),
            failed.join(", ")
        ))])
    }
}

fn extract(pdf: &std::path::Path, dir: &std::path::Path) -> Result<(), Vec<Diagnostic>> {
    let files = archive::extract(pdf, dir).map_err(|f| f.0)?;
    for f in &files {
        println!("{}", diag::display_path(f).display());
    }
    println!("extracted {} files into {}", files.len(), dir.display());
    Ok(())
}

fn release(args: &ProjectArgs, issue: &std::path::Path) -> Result<(), Vec<Diagnostic>> {
    let project = open(args)?;
    let (path, record) = archive::release(&project, issue).map_err(|f| f.0)?;
    for o in &record.outputs {
        println!("{:<8} {}  {}", o.profile, &o.sha256[..16], o.file);
    }
    println!(
        "wrote {} ({} inputs, {} outputs)",
        diag::display_path(&path).display(),
        record.inputs.len(),
        record.outputs.len()
    );
    Ok(())
}

fn verify(
    args: &ProjectArgs,
    issues: &[PathBuf],
    all: Option<Option<PathBuf>>,
) -> Result<(), Vec<Diagnostic>> {
    let issues = match all {
        Some(dir) => archive::find_issues(&issues_dir(args, dir)).map_err(|f| f.0)?,
        None => issues.to_vec(),
    };
    let project = open(args)?;
    let fonts = archive::font_inputs(&project).map_err(|f| f.0)?;
    let mut failed = Vec::new();
    for issue in &issues {
        match archive::verify(&project, issue, &fonts) {
            Ok(v) => {
                print(&v.warnings);
                println!(
                    "ok       {} ({} inputs; {} as recorded)",
                    v.issue,
                    v.inputs,
                    v.outputs.join(", ")
                )
            }
            Err(f) => {
                print(&f.0);
                failed.push(issue.display().to_string());
            }
        }
    }
    all_or_failed(&failed, "verify failed", "")
}

/// The end of a loop over issues: Ok, or one error naming every issue that failed (their own
/// diagnostics were printed as they came).
fn all_or_failed(failed: &[String], what: &str, tail: &str) -> Result<(), Vec<Diagnostic>> {
    if failed.is_empty() {
        return Ok(());
    }
    Err(vec![Diagnostic::error(format!(
        "{what}: {}{tail}",
        failed.join(", ")
    ))])
}

fn catalog(args: &ProjectArgs, dir: Option<PathBuf>) -> Result<(), Vec<Diagnostic>> {
    let dir = issues_dir(args, dir);
    let project = open(args)?;
    let out = archive::catalog(&project, &dir).map_err(|f| f.0)?;
    let json = project.root.join("out/catalog.json");
    let pdf = project.root.join("out/catalog.pdf");
    kanwu::render::write_atomic(&json, &out.json).map_err(|f| f.0)?;
    kanwu::render::write_atomic(&pdf, &out.pdf).map_err(|f| f.0)?;
    println!(
        "wrote {} ({} issues) and {} ({} pages)",
        diag::display_path(&json).display(),
        out.catalog.issues.len(),
        diag::display_path(&pdf).display(),
        out.pages
    );
    Ok(())
}

fn watch(
    args: &ProjectArgs,
    issue: &std::path::Path,
    output: Option<PathBuf>,
) -> Result<(), Vec<Diagnostic>> {
    use kanwu::watch::Event;
    let mut on_event = |event: Event| {
        match event {
            Event::Built {
                pdf,
                pages,
                elapsed,
                first,
            } => println!(
                "{} {} ({pages} pages) in {} ms",
                if first { "built" } else { "rebuilt" },
                diag::display_path(pdf).display(),
                elapsed.as_millis()
            ),
            Event::Warnings(w) => print(&w),
            Event::Failed { diagnostics, kept } => {
                print(&diagnostics);
                println!(
                    "failed: kept the last good {}; watching",
                    diag::display_path(kept).display()
                );
            }
        }
        let _ = std::io::stdout().flush();
    };
    kanwu::watch::watch(&args.root, &args.font_paths, issue, output, &mut on_event).map_err(|f| f.0)
}

/// A Word article → `<stem>.md` (and its images under images/) in the issue folder given
/// (default: the current folder). Existing files are never overwritten.
fn import_docx(source: &std::path::Path, output: Option<PathBuf>) -> Result<(), Vec<Diagnostic>> {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".into());
    let article = kanwu::docx::convert(source, &stem).map_err(|f| f.0)?;
    let dir = output.unwrap_or_else(|| PathBuf::from("."));
    let md = dir.join(format!("{stem}.md"));
    let mut files = vec![(md.clone(), article.markdown.into_bytes())];
    files.extend(
        article
            .images
            .into_iter()
            .map(|(rel, bytes)| (dir.join(rel), bytes)),
    );
    if let Some((existing, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err(vec![
            Diagnostic::error(format!(
                "{} already exists; kanwu import never overwrites a file",
                diag::display_path(existing).display()
            ))
            .hint("move it away, or import into another folder"),
        ]);
    }
    for (path, bytes) in &files {
        kanwu::render::write_atomic(path, bytes).map_err(|f| f.0)?;
        println!("wrote {}", diag::display_path(path).display());
    }
    if !article.unmapped.is_empty() {
        println!("not imported (check these by hand):");
        for u in &article.unmapped {
            println!("  - {u}");
        }
    }
    println!(
        "next: check {}, then add \"{stem}.md\" to a section of issue.toml",
        diag::display_path(&md).display()
    );
    Ok(())
}

fn parse_pages(s: &str) -> Result<kanwu::editor::PageRange, String> {
    kanwu::editor::PageRange::parse(s)
        .ok_or_else(|| format!("`{s}` is not a page range: write 3, 1-3 or 2-"))
}

fn preview(
    args: &ProjectArgs,
    issue: &std::path::Path,
    pages: Option<kanwu::editor::PageRange>,
    ppi: f64,
    output: Option<PathBuf>,
) -> Result<(), Vec<Diagnostic>> {
    let project = open(args)?;
    let written = kanwu::editor::preview(&project, issue, pages, ppi, output).map_err(|f| f.0)?;
    for path in &written {
        println!("wrote {}", diag::display_path(path).display());
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

fn new_issue(
    root: &std::path::Path,
    dir: Option<PathBuf>,
    from: Option<PathBuf>,
    date: Option<kanwu::manifest::Date>,
) -> Result<(), Vec<Diagnostic>> {
    let n = kanwu::editor::new_issue(&root.join("issues"), dir.as_deref(), from.as_deref(), date)
        .map_err(|f| f.0)?;
    let shown = diag::display_path(&n.dir);
    println!(
        "created {} — {}年第{}期{}, dated {}-{:02}-{:02} (after {})",
        shown.display(),
        n.year,
        n.number,
        n.serial
            .map(|s| format!("（总第{s}期）"))
            .unwrap_or_default(),
        n.date.year,
        n.date.month,
        n.date.day,
        diag::display_path(&n.from).display()
    );
    println!("next:");
    println!(
        "  1. write the articles (each stub holds a note to replace): {}",
        n.stubs.join(", ")
    );
    println!(
        "  2. add or remove articles and sections in {}",
        shown.join("issue.toml").display()
    );
    println!("  3. kanwu build {}", shown.display());
    Ok(())
}

fn stats(
    args: &ProjectArgs,
    issue: &std::path::Path,
    format: Format,
) -> Result<(), Vec<Diagnostic>> {
    let project = open(args)?;
    let loaded = project.load(issue).map_err(|f| f.0)?;
    let (doc, _) = project.typeset(&loaded).map_err(|f| f.0)?;
    let stats = kanwu::editor::stats(&loaded, &doc);
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&stats).expect("the stats serialise")
        ),
        Format::Table => print!("{}", stats.table()),
    }
    Ok(())
}

fn import(
    root: &std::path::Path,
    source: &std::path::Path,
    output: Option<PathBuf>,
    date: kanwu::manifest::Date,
    number: u32,
    serial: Option<u32>,
) -> Result<(), Vec<Diagnostic>> {
    let is_docx = source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    if is_docx {
        return import_docx(source, output);
    }
    let (text, notice) = kanwu::import::read_text_any(source).map_err(|f| f.0)?;
    if let Some(n) = notice {
        eprintln!("notice: {n}");
    }
    let info = kanwu::import::IssueInfo {
        year: date.year,
        number,
        serial,
        date,
    };
    let imported = kanwu::import::import_text(&text, source, &info).map_err(|f| f.0)?;
    let target = output.unwrap_or_else(|| {
        root.join("issues")
            .join(format!("{}-{:02}", date.year, number))
    });
    let files: Vec<(String, Vec<u8>)> = imported
        .files
        .iter()
        .map(|(n, t)| (n.clone(), t.clone().into_bytes()))
        .collect();
    kanwu::import::write_new_folder(&target, &files).map_err(|f| f.0)?;
    for n in &imported.notices {
        eprintln!("notice: {n}");
    }
    let shown = diag::display_path(&target);
    println!(
        "imported {} sections, {} articles into {}",
        imported.sections,
        imported.articles,
        shown.display()
    );
    for (name, _) in &imported.files {
        println!("  {}", shown.join(name).display());
    }
    println!(
        "next: check the titles and headings, then `kanwu build {}`",
        shown.display()
    );
    Ok(())
}
