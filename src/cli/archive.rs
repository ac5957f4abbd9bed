//! `kanwu extract`, `release`, `verify` and `catalog`.

use kanwu::msg;
use std::path::{Path, PathBuf};

use kanwu::archive;
use kanwu::diag::{Diagnostic, display_path};

use super::{Exit, FormatArgs, Outcome, ProjectArgs, all_or_failed, issues_dir, open, print};

pub fn extract(pdf: &Path, dir: &Path, force: bool) -> Outcome {
    let files = archive::extract(pdf, dir, force)?;
    for f in &files {
        outln!("{}", display_path(f).display());
    }
    outln!(
        "{}",
        msg!(
            "cli-archive-extracted-files-into",
            files = files.len(),
            dir = dir.display()
        )
    );
    Ok(())
}

pub fn release(args: &ProjectArgs, issue: &Path) -> Outcome {
    let project = open(args)?;
    let (path, record) = archive::release(&project, issue)?;
    let labels: Vec<String> = record
        .outputs
        .iter()
        .map(|o| msg!("profile-label", profile = o.profile.as_str()))
        .chain(
            record
                .editions
                .iter()
                .map(|e| msg!("edition-label", format = e.format.as_str())),
        )
        .collect();
    let width = labels
        .iter()
        .map(|l| super::display_width(l))
        .max()
        .unwrap_or(8);
    let files = record
        .outputs
        .iter()
        .map(|o| (&o.sha256, &o.file))
        .chain(record.editions.iter().map(|e| (&e.sha256, &e.file)));
    for (label, (sha, file)) in labels.iter().zip(files) {
        outln!("{}  {}  {}", super::pad(label, width), &sha[..16], file);
    }
    outln!(
        "{}",
        msg!(
            "cli-archive-wrote-inputs-outputs",
            path = display_path(&path).display(),
            inputs = record.inputs.len(),
            // Every file listed above: the PDFs and the editions.
            outputs = record.outputs.len() + record.editions.len()
        )
    );
    Ok(())
}

/// `verify`; with `--format json`: `{"ok", "issues": [{"issue", "path", "ok", "inputs",
/// "outputs", "changes"}]}` (`changes`: what differs from release.toml, one message each; the
/// messages themselves also go to stderr).
pub fn verify(
    args: &ProjectArgs,
    issues: &[PathBuf],
    all: Option<Option<PathBuf>>,
    format: FormatArgs,
) -> Outcome {
    let issues = match all {
        Some(dir) => kanwu::model::find_issues(&issues_dir(&args.root, dir))?,
        None => issues.to_vec(),
    };
    let project = open(args)?;
    let fonts = archive::font_inputs(&project)?;
    let mut failed = Vec::new();
    let mut report = Vec::new();
    for issue in &issues {
        let path = display_path(issue).display().to_string();
        match archive::verify(&project, issue, &fonts) {
            Ok(v) => {
                print(&v.warnings);
                if !format.json() {
                    outln!(
                        "{}",
                        msg!(
                            "cli-archive-ok-inputs-as-recorded",
                            issue = v.issue,
                            inputs = v.inputs,
                            outputs = v.outputs.join(", ")
                        )
                    );
                }
                report.push(serde_json::json!({
                    "issue": v.issue, "path": path, "ok": true, "inputs": v.inputs,
                    "outputs": v.outputs, "changes": [],
                }));
            }
            Err(f) => {
                print(&f.0);
                let folder = if issue.ends_with("issue.toml") {
                    issue.parent().unwrap_or(issue)
                } else {
                    issue
                };
                let name = folder.file_name().map(|n| n.to_string_lossy().into_owned());
                let changes: Vec<&str> = f.0.iter().map(|d| d.message.as_str()).collect();
                report.push(serde_json::json!({
                    "issue": name, "path": path, "ok": false, "changes": changes,
                }));
                failed.push(issue.display().to_string());
            }
        }
    }
    if format.json() {
        super::args::print_json(&serde_json::json!({
            "ok": failed.is_empty(),
            "issues": report,
        }));
    }
    all_or_failed(&failed, &msg!("cli-verify-failed"), "")
}

pub fn catalog(args: &ProjectArgs, dir: Option<PathBuf>) -> Outcome {
    let dir = issues_dir(&args.root, dir);
    let project = open(args)?;
    refuse_placeholders(&project, &dir)?;
    let out = archive::catalog(&project, &dir)?;
    outln!(
        "{}",
        msg!(
            "cli-archive-wrote-issues-and-pages",
            json = display_path(&out.json).display(),
            issues = out.catalog.issues.len(),
            pdf = display_path(&out.pdf).display(),
            pages = out.pages
        )
    );
    if out.failed.is_empty() {
        return Ok(());
    }
    let mut errors = out.errors;
    errors.push(Diagnostic::error(msg!(
        "cli-catalog-without",
        n = out.failed.len(),
        failed = out.failed.join(", ")
    )));
    Err(Exit::Failed(errors))
}

/// The stub text `new` and `init` wrote (`kanwu check` warns of it) must not reach the 年度总目录:
/// each place is an error naming its file and line, and nothing is written.
fn refuse_placeholders(project: &kanwu::Project, dir: &Path) -> Outcome {
    let mut found = Vec::new();
    for issue in kanwu::model::find_issues(dir)? {
        // An issue that does not load is reported by the catalogue's own build.
        if let Ok(loaded) = project.load(&issue) {
            found.extend(kanwu::editor::new::placeholders(&loaded));
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    for d in &mut found {
        d.severity = kanwu::Severity::Error;
    }
    found.push(kanwu::Diagnostic::error(msg!(
        "cli-catalog-placeholders",
        n = found.len()
    )));
    Err(Exit::Failed(found))
}
