//! The editor's commands: `new`, `import`, `stats`, `watch`, `preview`.

use std::io::Write;
use std::path::{Path, PathBuf};

use kanwu::diag::display_path;
use kanwu::editor::{self, PageRange, docx, import, watch};
use kanwu::model::Date;

use super::{Exit, Format, Outcome, ProjectArgs, open, print};

/// The `--date` of `new` and `import`: none, or a valid date; a wrong one is a usage error.
fn date_arg(date: Option<&str>) -> Result<Option<Date>, Exit> {
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
    println!(
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

pub fn import(
    root: &Path,
    source: &Path,
    output: Option<PathBuf>,
    date: Option<&str>,
    number: u32,
    serial: Option<u32>,
) -> Outcome {
    let date = date_arg(date)?.unwrap_or_else(Date::today);
    let is_docx = source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    if is_docx {
        return import_docx(source, output);
    }
    let info = import::IssueInfo {
        year: date.year,
        number,
        serial,
        date,
    };
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

/// A Word article → `<stem>.md` (and its images under images/) in the issue folder given
/// (default: the current folder).
fn import_docx(source: &Path, output: Option<PathBuf>) -> Outcome {
    let dir = output.unwrap_or_else(|| PathBuf::from("."));
    let done = docx::import_into(source, &dir)?;
    for path in &done.written {
        println!("wrote {}", display_path(path).display());
    }
    if !done.unmapped.is_empty() {
        println!("not imported (check these by hand):");
        for u in &done.unmapped {
            println!("  - {u}");
        }
    }
    let name = done
        .markdown
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    println!(
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
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&stats).expect("the stats serialise")
        ),
        Format::Table => print!("{}", stats.table()),
    }
    Ok(())
}

pub fn watch(args: &ProjectArgs, issue: &Path, output: Option<PathBuf>) -> Outcome {
    use watch::Event;
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
                display_path(pdf).display(),
                elapsed.as_millis()
            ),
            Event::Warnings(w) => print(&w),
            Event::Failed { diagnostics, kept } => {
                print(&diagnostics);
                println!(
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
        println!("wrote {}", display_path(path).display());
    }
    Ok(())
}
