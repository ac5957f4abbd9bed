//! The editor's commands: `new`, `import`, `stats`, `watch`, `preview`.

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
        Some(d) => Date::parse(d).map(Some).ok_or_else(|| {
            Exit::Usage(format!(
                "--date {d} is not a date; write YYYY-MM-DD, e.g. 2021-02-20"
            ))
        }),
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
        "created {} — {}年第{}期{}, dated {} (after {})",
        shown.display(),
        n.year,
        n.number,
        n.serial
            .map(|s| format!("（总第{s}期）"))
            .unwrap_or_default(),
        n.date,
        display_path(&n.from).display()
    );
    outln!("next:");
    outln!(
        "  1. write the articles (each stub holds a note to replace): {}",
        n.stubs.join(", ")
    );
    outln!(
        "  2. add or remove articles and sections in {}",
        shown.join("issue.toml").display()
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
            return Err(Exit::Usage(
                "--date, --number and --serial are for a text issue; a .docx article goes into an existing issue folder: `kanwu import article.docx issues/2021-03`".into(),
            ));
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
        eprintln!("notice: {n}");
    }
    for n in &imported.notices {
        eprintln!("notice: {n}");
    }
    let shown = display_path(&target);
    outln!(
        "imported {} sections, {} articles into {}",
        imported.sections,
        imported.articles,
        shown.display()
    );
    for (name, _) in &imported.files {
        outln!("  {}", shown.join(name).display());
    }
    outln!(
        "next: check the titles and headings, then `kanwu build {}`",
        shown.display()
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
                "notice: no issue folder named: importing into the latest issue, {}",
                display_path(&latest.dir).display()
            );
            latest.dir
        }
    };
    let done = docx::import_into(source, &dir)?;
    for path in &done.written {
        outln!("wrote {}", display_path(path).display());
    }
    if !done.unmapped.is_empty() {
        outln!("not imported (check these by hand):");
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
        "next: check {}, then add \"{name}\" to a section of issue.toml",
        display_path(&done.markdown).display()
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
                    "{} {} ({pages} pages) in {} ms",
                    if first { "built" } else { "rebuilt" },
                    display_path(&pdf).display(),
                    elapsed.as_millis()
                )
            }
            Event::Warnings(w) => print(&w),
            Event::Failed { diagnostics, kept } => {
                print(&diagnostics);
                outln!(
                    "failed: kept the last good {}; watching",
                    display_path(kept).display()
                );
            }
            Event::Gone { folder, kept } => println!(
                "the issue folder {} is gone: kept the last good {}; waiting for it to come back",
                display_path(folder).display(),
                display_path(kept).display()
            ),
            Event::Back { folder } => println!(
                "the issue folder {} is back: watching it again",
                display_path(folder).display()
            ),
        }
        if built && !announced {
            announced = true;
            outln!("watching {watching} for changes; 按 Ctrl-C 停止 (Ctrl-C stops)");
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
        outln!("wrote {}", display_path(path).display());
    }
    Ok(())
}
