//! `kanwu build` (one issue, several, or `--all`) and `kanwu check`.

use kanwu::msg;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use kanwu::archive::{self, BatchItem};
use kanwu::diag::{Diagnostic, display_path};
use kanwu::{BuildOptions, Profile};

use super::{
    Exit, Format, Outcome, ProjectArgs, all_or_failed, display_width, issues_dir, open, pad, print,
    say_diversions,
};

/// `build --all [DIR]` and how to print its table.
pub struct Batch {
    pub dir: Option<PathBuf>,
    pub format: Format,
}

pub fn build_command(
    args: &ProjectArgs,
    issues: Vec<PathBuf>,
    all: Option<Batch>,
    profile: Profile,
    output: Option<PathBuf>,
    emit_typst: Option<PathBuf>,
    booklet: bool,
) -> Outcome {
    if (issues.len() > 1 || all.is_some()) && (output.is_some() || emit_typst.is_some()) {
        return Err(Exit::Usage(msg!("cli-build-o-output-and-emit")));
    }
    if booklet && profile != Profile::Print {
        return Err(Exit::Usage(msg!("cli-build-booklet-goes-with-profile")));
    }
    let options = BuildOptions {
        output,
        profile,
        booklet,
    };
    match all {
        Some(batch) => build_all(args, batch.dir, &options, batch.format),
        // No issue named: the latest, as `serve`, `new` and `import` take it.
        None if issues.is_empty() => {
            let latest = kanwu::editor::new::latest_issue(&issues_dir(&args.root, None))?;
            eprintln!(
                "{}",
                msg!(
                    "cli-build-notice-latest-issue",
                    dir = display_path(&latest.dir).display()
                )
            );
            build(args, &[latest.dir], options, emit_typst)
        }
        None => build(args, &issues, options, emit_typst),
    }
}

fn build(
    args: &ProjectArgs,
    issues: &[PathBuf],
    options: BuildOptions,
    emit_typst: Option<PathBuf>,
) -> Outcome {
    let project = open(args)?;
    let mut failed = Vec::new();
    for issue in issues {
        let start = Instant::now();
        // The Typst project is written with the PDF, only when the whole build succeeds.
        match project.build_and_emit(issue, &options, emit_typst.as_deref()) {
            Ok(built) => {
                print(&built.warnings);
                if let Some(dir) = &emit_typst {
                    eprintln!(
                        "{}",
                        msg!("cli-build-wrote-typst-project", dir = dir.display())
                    );
                }
                let pdf = say_diversions(Some(&built.pdf)).unwrap_or_else(|| built.pdf.clone());
                outln!(
                    "{}",
                    msg!(
                        "cli-build-built-pages-kb-s",
                        pdf = display_path(&pdf).display(),
                        pages = built.pages,
                        bytes = built.bytes.div_ceil(1024),
                        start = format!("{:.2}", start.elapsed().as_secs_f64())
                    )
                );
                if options.profile == Profile::Print {
                    // The warnings printed above that are not preflight's own findings.
                    let others = built
                        .warnings
                        .len()
                        .saturating_sub(built.preflight.diagnostics().len());
                    out!("{}", built.preflight.table(others));
                }
                for extra in &built.extra {
                    outln!(
                        "{}",
                        msg!("cli-build-wrote", extra = display_path(extra).display())
                    );
                }
            }
            Err(f) => {
                print(&f.0);
                failed.push(issue.display().to_string());
            }
        }
    }
    all_or_failed(
        &failed,
        &msg!("cli-build-failed"),
        &msg!("cli-build-failed-tail"),
    )
}

pub fn check(args: &ProjectArgs, issue: &Path, profile: Profile, format: Format) -> Outcome {
    let project = open(args)?;
    let loaded = project.load(issue)?;
    let t = project.typeset(loaded, profile)?;
    let report = &t.preflight;
    // The placeholder text is a finding like the others; each is shown at its line too.
    let placeholders: Vec<Diagnostic> = report
        .findings
        .iter()
        .filter(|f| f.check == "placeholder")
        .filter_map(|f| f.diagnostic.clone())
        .collect();
    print(&placeholders);
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(report).expect("the report serialises")
        ),
        Format::Table => {
            print(&t.warnings);
            out!("{}", report.table(t.warnings.len()));
        }
    }
    if report.errors() == 0 {
        return Ok(());
    }
    if format == Format::Json {
        return Err(Exit::Quiet);
    }
    let mut diags = report.diagnostics();
    diags.push(Diagnostic::error(msg!(
        "cli-build-preflight-found-error-s",
        report = report.errors()
    )));
    Err(Exit::Failed(diags))
}

fn build_all(
    args: &ProjectArgs,
    dir: Option<PathBuf>,
    options: &BuildOptions,
    format: Format,
) -> Outcome {
    let dir = issues_dir(&args.root, dir);
    let issues = kanwu::model::find_issues(&dir)?;
    let start = Instant::now();
    let project = open(args)?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(issues.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {msg}")
                .expect("a valid template"),
        );
        bar
    });
    let count = AtomicUsize::new(0);
    let total = issues.len();
    let done = |item: &BatchItem| {
        let n = count.fetch_add(1, Ordering::SeqCst) + 1;
        let what = if item.result.is_ok() {
            "built"
        } else {
            "FAILED"
        };
        match &bar {
            Some(bar) => {
                bar.set_message(msg!("cli-build-bar", name = item.name, what = what));
                bar.inc(1);
            }
            None => eprintln!(
                "{}",
                msg!(
                    "cli-build-s",
                    n = n,
                    total = total,
                    name = item.name,
                    what = what,
                    elapsed = format!("{:.2}", item.elapsed.as_secs_f64())
                )
            ),
        }
    };
    let items = archive::build_all(&project, &issues, options, &done);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if format == Format::Json {
        super::args::print_json(&batch_json(&items, start.elapsed().as_secs_f64()));
    } else {
        table(&items, &project, start);
    }
    let mut failed = Vec::new();
    for item in &items {
        if let Err(f) = &item.result {
            print(&f.0);
            failed.push(item.name.clone());
        }
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(Exit::Failed(vec![Diagnostic::error(msg!(
        "cli-build-issues-failed-no-pdf",
        failed = failed.len(),
        items = items.len(),
        failed2 = failed.join(", ")
    ))]))
}

/// `build --all --format json`: `{"built", "failed", "seconds", "issues": [{"issue", "path",
/// "ok", "pdf", "pages", "bytes", "seconds", "warnings"}]}` (a failed issue has `"ok": false`
/// and no pdf, pages or bytes; its errors go to stderr).
fn batch_json(items: &[BatchItem], seconds: f64) -> serde_json::Value {
    let issues: Vec<serde_json::Value> = items
        .iter()
        .map(|item| {
            let mut v = serde_json::json!({
                "issue": item.name,
                "path": display_path(&item.issue).display().to_string(),
                "ok": item.result.is_ok(),
                "seconds": item.elapsed.as_secs_f64(),
            });
            if let Ok(b) = &item.result {
                print(&b.warnings);
                v["pdf"] = display_path(&b.pdf).display().to_string().into();
                v["pages"] = b.pages.into();
                v["bytes"] = b.bytes.into();
                v["warnings"] = b.warnings.len().into();
            }
            v
        })
        .collect();
    let built = items.iter().filter(|i| i.result.is_ok()).count();
    serde_json::json!({
        "built": built,
        "failed": items.len() - built,
        "seconds": seconds,
        "issues": issues,
    })
}

/// `build --all`'s table for people, and its summary line.
fn table(items: &[BatchItem], project: &kanwu::Project, start: Instant) {
    // The issue column as wide as its widest name on a terminal (a 汉字 is two columns).
    let width = items
        .iter()
        .map(|i| display_width(&i.name))
        .max()
        .unwrap_or(0)
        .max(16);
    // Headings right-aligned by terminal columns (汉字 take two).
    let head = |id: &str, w: usize| {
        let s = msg_id(id);
        format!("{}{s}", " ".repeat(w.saturating_sub(display_width(&s))))
    };
    outln!(
        "{} {} {} {} {}",
        pad(&msg_id("cli-build-col-issue"), width),
        head("cli-build-col-pages", 6),
        head("cli-build-col-size", 9),
        head("cli-build-col-time", 8),
        head("cli-build-col-warnings", 9)
    );
    for item in items {
        match &item.result {
            Ok(b) => {
                print(&b.warnings);
                outln!(
                    "{} {:>6} {:>6} KB {:>6.2} s {:>9}",
                    pad(&item.name, width),
                    b.pages,
                    b.bytes.div_ceil(1024),
                    item.elapsed.as_secs_f64(),
                    b.warnings.len()
                );
            }
            Err(_) => outln!(
                "{} {:>6} {} {:>6.2} s {:>9}",
                pad(&item.name, width),
                "-",
                head("cli-build-failed-cell", 9),
                item.elapsed.as_secs_f64(),
                "-"
            ),
        }
    }
    outln!(
        "{}",
        msg!(
            "cli-build-issues-built-s",
            result = items.iter().filter(|i| i.result.is_ok()).count(),
            items = items.len(),
            out = display_path(&project.root.join("out")).display(),
            start = format!("{:.2}", start.elapsed().as_secs_f64())
        )
    );
}

/// A message without arguments by an id held in a variable.
fn msg_id(id: &str) -> String {
    kanwu::i18n::tr(id, &[])
}
