//! The booklet and the editions in a release: the imposed booklet `build --profile print
//! --booklet` wrote to `out/` is made again from the print PDF and recorded as an output
//! (`profile = "booklet"`); `verify` makes it again and compares it, and names every booklet
//! or edition in `out/` that the record lacks (made after the release), so one release
//! records everything present.

use super::{Change, RecordedOutput, Release};
use crate::diag::Result;
use crate::model::LoadedIssue;
use crate::print::Rendered;
use crate::project::Project;
use crate::typeset::pdf_identity;
use crate::util::{sha256_bytes, sha256_file};

/// How a booklet is recorded among the outputs.
pub const BOOKLET: &str = "booklet";

/// The booklet's name under `out/`, as `build --booklet` writes it.
pub fn file_name(issue: &str) -> String {
    format!("{issue}.booklet.pdf")
}

/// Is there a booklet of this issue in `out/`?
pub fn present(project: &Project, issue: &str) -> bool {
    project.root.join("out").join(file_name(issue)).is_file()
}

/// The booklet imposed from the print PDF.
pub fn make(project: &Project, loaded: &LoadedIssue, print: &Rendered) -> Result<Vec<u8>> {
    let (bytes, _) = crate::print::impose::impose(
        &project.fonts,
        &print.pdf,
        print.doc.pages().len(),
        &loaded.publication.paper,
        loaded.publication.print.bleed_mm,
        &pdf_identity(loaded),
    )?;
    Ok(bytes)
}

/// The booklet as a recorded output.
pub fn record(issue: &str, bytes: &[u8]) -> RecordedOutput {
    RecordedOutput {
        profile: BOOKLET.into(),
        file: file_name(issue),
        pages: 0,
        sha256: sha256_bytes(bytes),
    }
}

/// `verify` of the recorded booklets: each made again from the print PDF (`print`, when the
/// issue's print PDF was rebuilt already), compared with the record and with `out/`.
pub fn verify(
    project: &Project,
    loaded: &LoadedIssue,
    recorded: &[&RecordedOutput],
    print: Option<&Rendered>,
    as_recorded: &mut Vec<String>,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    if recorded.is_empty() {
        return Ok(changes);
    }
    let fresh;
    let print = match print {
        Some(p) => p,
        None => {
            fresh = project.render(loaded, crate::model::Profile::Print)?;
            &fresh
        }
    };
    for r in recorded {
        changes.extend(verify_one(project, loaded, r, print, as_recorded)?);
    }
    Ok(changes)
}

fn verify_one(
    project: &Project,
    loaded: &LoadedIssue,
    recorded: &RecordedOutput,
    print: &Rendered,
    as_recorded: &mut Vec<String>,
) -> Result<Vec<Change>> {
    let now = sha256_bytes(&make(project, loaded, print)?);
    let differs = |found: String, published: bool| Change::OutputDiffers {
        profile: BOOKLET.into(),
        file: recorded.file.clone(),
        recorded: recorded.sha256.clone(),
        found,
        published,
    };
    let mut changes = Vec::new();
    if now == recorded.sha256 {
        as_recorded.push(recorded.file.clone());
    } else {
        changes.push(differs(now, false));
    }
    if let Ok(disk) = sha256_file(&project.root.join("out").join(&recorded.file))
        && disk != recorded.sha256
    {
        changes.push(differs(disk, true));
    }
    Ok(changes)
}

/// What is in `out/` for this issue that the record does not list: a booklet or an edition
/// made after the release.
pub fn unrecorded(project: &Project, loaded: &LoadedIssue, record: &Release) -> Vec<Change> {
    let issue = &loaded.issue.name;
    let mut out = Vec::new();
    if present(project, issue) && !record.outputs.iter().any(|o| o.profile == BOOKLET) {
        out.push(Change::Unrecorded {
            file: file_name(issue),
        });
    }
    for format in super::editions::exported_formats(project, issue) {
        if !record.editions.iter().any(|e| e.format == format.name()) {
            let file = match format {
                crate::export::Format::Images => crate::export::images::folder_name(issue),
                f => crate::export::file_name(issue, None, f),
            };
            out.push(Change::Unrecorded { file });
        }
    }
    out
}
