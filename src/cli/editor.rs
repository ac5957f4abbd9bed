//! The editor's commands: `new`, `import`, `stats`, `watch`, `preview`.

use kanwu::msg;
use std::io::Write;
use std::path::{Path, PathBuf};

use kanwu::diag::display_path;
use kanwu::editor::{self, PageRange, docx, import, watch};
use kanwu::model::Date;

use super::{Exit, Format, Outcome, ProjectArgs, open, print, say_diversions};

/// The `--date` of `new` and `import`: none, or a valid date; a wrong one is a usage error.
pub(super) fn date_arg(date: Option<&str>) -> Result<Option<Date>, Exit> {
    match date {
        None => Ok(None),
        Some(d) => Date::parse(d)
            .map(Some)
            .ok_or_else(|| Exit::Usage(msg!("cli-editor-date-not-date-write", d = d))),
    }
}

pub fn new_issue(
    root: &Path,
    dir: Option<PathBuf>,
    from: Option<PathBuf>,
    date: Option<&str>,
) -> Outcome {
    let date = date_arg(date)?;
    let n = editor::new_issue(&root.join("issues"), dir.as_deref(), from.as_deref(), date)?;
    let shown = display_path(&n.dir);
    outln!(
        "{}",
        msg!(
            "cli-editor-created-dated-after",
            shown = shown.display(),
            year = n.year,
            number = n.number,
            s = n
                .serial
                .map(|s| format!("（总第{s}期）"))
                .unwrap_or_default(),
            date = n.date,
            from = display_path(&n.from).display()
        )
    );
    outln!("{}", msg!("cli-editor-next"));
    let stubs = n.stubs.join(", ");
    outln!("  1. {}", msg!("cli-editor-step-articles", stubs = stubs));
    let manifest = shown.join("issue.toml");
    outln!(
        "  2. {}",
        msg!("cli-editor-step-sections", manifest = manifest.display())
    );
    outln!("  3. kanwu build {}", shown.display());
    Ok(())
}

pub fn import(
    root: &Path,
    source: &Path,
    output: Option<PathBuf>,
    date: Option<&str>,
    number: Option<u32>,
    serial: Option<u32>,
) -> Outcome {
    let is_docx = source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    if is_docx {
        if date.is_some() || number.is_some() || serial.is_some() {
            return Err(Exit::Usage(msg!("cli-editor-date-number-and-serial")));
        }
        return import_docx(root, source, output);
    }
    let date = date_arg(date)?.unwrap_or_else(Date::today);
    let next = editor::new::next_after_latest(&root.join("issues"), date);
    let info = import::IssueInfo {
        year: date.year,
        number: number.unwrap_or(next.number),
        serial: serial.or(next.serial),
        date,
    };
    let number = info.number;
    let target = output.unwrap_or_else(|| {
        root.join("issues")
            .join(format!("{}-{:02}", date.year, number))
    });
    let (imported, notice) = import::import_into(source, &target, &info)?;
    if let Some(n) = notice {
        eprintln!("{}", msg!("cli-editor-notice", n = n));
    }
    for n in &imported.notices {
        eprintln!("{}", msg!("cli-editor-notice", n = n));
    }
    let shown = display_path(&target);
    outln!(
        "{}",
        msg!(
            "cli-editor-imported-sections-articles-into",
            sections = imported.sections,
            articles = imported.articles,
            shown = shown.display()
        )
    );
    for (name, _) in &imported.files {
        outln!("  {}", shown.join(name).display());
    }
    outln!(
        "{}",
        msg!("cli-editor-next-check-titles-and", shown = shown.display())
    );
    Ok(())
}

/// A Word article → `<stem>.md` (and its images under images/) in the issue folder given
/// (default: the latest issue under the root's issues/).
fn import_docx(root: &Path, source: &Path, output: Option<PathBuf>) -> Outcome {
    let dir = match output {
        Some(dir) => dir,
        None => {
            let latest = editor::new::latest_issue(&root.join("issues"))?;
            eprintln!(
                "{}",
                msg!(
                    "cli-editor-notice-no-issue-folder",
                    dir = display_path(&latest.dir).display()
                )
            );
            latest.dir
        }
    };
    let done = docx::import_into(source, &dir)?;
    for path in &done.written {
        outln!(
            "{}",
            msg!("cli-editor-wrote", path = display_path(path).display())
        );
    }
    if !done.unmapped.is_empty() {
        outln!("{}", msg!("cli-editor-not-imported-check-these"));
        for u in &done.unmapped {
            outln!("  - {u}");
        }
    }
    let name = done
        .markdown
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    outln!(
        "{}",
        msg!(
            "cli-editor-next-check-then-add",
            markdown = display_path(&done.markdown).display(),
            name = name
        )
    );
    Ok(())
}

pub fn stats(args: &ProjectArgs, issue: &Path, format: Format) -> Outcome {
    let project = open(args)?;
    let loaded = project.load(issue)?;
    let doc = project
        .typesetter()
        .compile(&loaded, kanwu::Profile::Screen)?
        .doc;
    let stats = editor::stats(&loaded, &doc);
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&stats).expect("the stats serialise")
        ),
        Format::Table => out!("{}", stats.table()),
    }
    Ok(())
}

/// What `kanwu watch` watches (as editor::watch sets it up): the issue folder, the
/// publication.toml beside it, the root's layout/ and fonts/.
fn watched(root: &Path, issue: &Path) -> String {
    let dir = if issue.is_file() {
        kanwu::util::parent_or_here(issue)
    } else {
        issue
    };
    let publication = kanwu::util::parent_or_here(dir).join("publication.toml");
    [
        dir.to_path_buf(),
        publication,
        root.join("layout"),
        root.join("fonts"),
    ]
    .iter()
    .map(|p| display_path(p).display().to_string())
    .collect::<Vec<_>>()
    .join(", ")
}

pub fn watch(args: &ProjectArgs, issue: &Path, output: Option<PathBuf>) -> Outcome {
    use watch::Event;
    let watching = watched(&args.root, issue);
    let mut announced = false;
    let mut on_event = |event: Event| {
        let built = matches!(event, Event::Built { .. } | Event::Failed { .. });
        match event {
            Event::Built {
                pdf,
                pages,
                elapsed,
                first,
            } => {
                let pdf = say_diversions(Some(pdf)).unwrap_or_else(|| pdf.to_path_buf());
                outln!(
                    "{}",
                    msg!(
                        "cli-editor-pages-ms",
                        rebuilt = if first { "built" } else { "rebuilt" },
                        pdf = display_path(&pdf).display(),
                        pages = pages,
                        elapsed = elapsed.as_millis()
                    )
                )
            }
            Event::Warnings(w) => print(&w),
            Event::Failed { diagnostics, kept } => {
                print(&diagnostics);
                outln!(
                    "{}",
                    msg!(
                        "cli-editor-failed-kept-last-good",
                        kept = display_path(kept).display()
                    )
                );
            }
            Event::Gone { folder, kept } => println!(
                "{}",
                msg!(
                    "cli-editor-issue-folder-gone-kept",
                    folder = display_path(folder).display(),
                    kept = display_path(kept).display()
                )
            ),
            Event::Back { folder } => println!(
                "{}",
                msg!(
                    "cli-editor-issue-folder-back-watching",
                    folder = display_path(folder).display()
                )
            ),
        }
        if built && !announced {
            announced = true;
            outln!(
                "{}",
                msg!("cli-editor-watching-for-changes-ctrl", watching = watching)
            );
        }
        let _ = std::io::stdout().flush();
    };
    Ok(watch::watch(
        &args.root,
        &args.font_paths,
        issue,
        output,
        &mut on_event,
    )?)
}

pub fn preview(
    args: &ProjectArgs,
    issue: &Path,
    pages: Option<PageRange>,
    ppi: f64,
    output: Option<PathBuf>,
) -> Outcome {
    let project = open(args)?;
    let written = editor::preview(&project, issue, pages, ppi, output)?;
    for path in &written {
        outln!(
            "{}",
            msg!("cli-editor-wrote", path = display_path(path).display())
        );
    }
    Ok(())
}
