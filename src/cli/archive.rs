//! `kanwu extract`, `release`, `verify` and `catalog`.

use std::path::{Path, PathBuf};

use kanwu::archive;
use kanwu::diag::display_path;

use super::{Outcome, ProjectArgs, all_or_failed, issues_dir, open, print};

pub fn extract(pdf: &Path, dir: &Path, force: bool) -> Outcome {
    let files = archive::extract(pdf, dir, force)?;
    for f in &files {
        outln!("{}", display_path(f).display());
    }
    outln!("extracted {} files into {}", files.len(), dir.display());
    Ok(())
}

pub fn release(args: &ProjectArgs, issue: &Path) -> Outcome {
    let project = open(args)?;
    let (path, record) = archive::release(&project, issue)?;
    for o in &record.outputs {
        outln!("{:<8} {}  {}", o.profile, &o.sha256[..16], o.file);
    }
    for e in &record.editions {
        outln!("{:<8} {}  {}", e.format, &e.sha256[..16], e.file);
    }
    outln!(
        "wrote {} ({} inputs, {} outputs)",
        display_path(&path).display(),
        record.inputs.len(),
        record.outputs.len()
    );
    Ok(())
}

pub fn verify(args: &ProjectArgs, issues: &[PathBuf], all: Option<Option<PathBuf>>) -> Outcome {
    let issues = match all {
        Some(dir) => kanwu::model::find_issues(&issues_dir(&args.root, dir))?,
        None => issues.to_vec(),
    };
    let project = open(args)?;
    let fonts = archive::font_inputs(&project)?;
    let mut failed = Vec::new();
    for issue in &issues {
        match archive::verify(&project, issue, &fonts) {
            Ok(v) => {
                print(&v.warnings);
                outln!(
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

pub fn catalog(args: &ProjectArgs, dir: Option<PathBuf>) -> Outcome {
    let dir = issues_dir(&args.root, dir);
    let project = open(args)?;
    let out = archive::catalog(&project, &dir)?;
    outln!(
        "wrote {} ({} issues) and {} ({} pages)",
        display_path(&out.json).display(),
        out.catalog.issues.len(),
        display_path(&out.pdf).display(),
        out.pages
    );
    Ok(())
}
