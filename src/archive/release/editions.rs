//! The other editions in a release: the web, Word and phone editions an editor exported to
//! `out/` under their default names are made again with the PDFs, written and recorded
//! (`[[edition]]`, one entry a file); `verify` makes them again and compares, and compares the
//! files on disk when they are there, as for the PDFs.

use serde::{Deserialize, Serialize};

use super::{Change, is_sha256, not_a_sha};
use crate::diag::Result;
use crate::export::{self, Format, images};
use crate::model::LoadedIssue;
use crate::project::Project;
use crate::util::{sha256_bytes, sha256_file};

/// An edition's file as `release.toml` records it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordedEdition {
    /// `html`, `docx` or `images`.
    pub format: String,
    /// Under `out/`, with `/` between folder and file: `2021-01.html`,
    /// `2021-01.phone/02-ai-patents.png`.
    pub file: String,
    pub sha256: String,
}

/// An edition's file made in memory: its format, its name under `out/` and its bytes.
pub struct EditionFile {
    pub format: Format,
    pub file: String,
    pub bytes: Vec<u8>,
}

/// The formats of the whole-issue editions that are in `out/` under their default names.
pub fn exported_formats(project: &Project, issue: &str) -> Vec<Format> {
    let out = project.root.join("out");
    Format::ALL
        .into_iter()
        .filter(|f| match f {
            Format::Images => out.join(images::folder_name(issue)).is_dir(),
            f => out.join(export::file_name(issue, None, *f)).is_file(),
        })
        .collect()
}

/// The whole issue's editions in `formats`, in memory.
pub fn render(
    project: &Project,
    loaded: &LoadedIssue,
    formats: &[Format],
) -> Result<Vec<EditionFile>> {
    let issue = &loaded.issue.name;
    let mut out = Vec::new();
    for &format in formats {
        match format {
            Format::Images => {
                let folder = images::folder_name(issue);
                for (name, bytes) in images::render(project, loaded, None)?.files {
                    out.push(EditionFile {
                        format,
                        file: format!("{folder}/{name}"),
                        bytes,
                    });
                }
            }
            f => out.push(EditionFile {
                format,
                file: export::file_name(issue, None, f),
                bytes: export::render(loaded, f, None)?,
            }),
        }
    }
    Ok(out)
}

/// A recorded edition's file name is a file under `out/`: plain names, at most one folder,
/// nothing that climbs out.
pub fn is_out_file(file: &str) -> bool {
    let parts: Vec<&str> = file.split('/').collect();
    parts.len() <= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && *p != "." && *p != ".." && !p.contains(['\\', ':']))
}

/// `verify`: makes the recorded editions again and compares each file's recorded sha256 with
/// the one made now and, when the file is in `out/`, with the one on disk. A file the issue
/// makes now that the record lacks (an article added) is a difference too. The files found as
/// recorded are added to `as_recorded`.
pub fn verify(
    project: &Project,
    loaded: &LoadedIssue,
    recorded: &[RecordedEdition],
    as_recorded: &mut Vec<String>,
) -> Result<Vec<Change>> {
    let mut changes = Vec::new();
    let mut formats = Vec::new();
    for e in recorded {
        match Format::parse(&e.format) {
            Some(f) if !formats.contains(&f) => formats.push(f),
            Some(_) => {}
            None if changes.contains(&Change::UnknownProfile(e.format.clone())) => {}
            None => changes.push(Change::UnknownProfile(e.format.clone())),
        }
    }
    let made = render(project, loaded, &formats)?;
    let differs = |e: &RecordedEdition, found: String, published: bool| Change::OutputDiffers {
        profile: e.format.clone(),
        file: e.file.clone(),
        recorded: e.sha256.clone(),
        found,
        published,
    };
    let out = project.root.join("out");
    for e in recorded {
        if Format::parse(&e.format).is_none() {
            continue;
        }
        let what = format!("the {} edition", e.format);
        if !is_out_file(&e.file) {
            changes.push(Change::Damaged {
                path: what,
                why: msg!("release-edition-file-not-in-out", file = e.file),
            });
            continue;
        }
        if !is_sha256(&e.sha256) {
            changes.push(not_a_sha(&what, &e.sha256));
            continue;
        }
        let now = made
            .iter()
            .find(|m| m.file == e.file)
            .map_or_else(|| "(none)".to_string(), |m| sha256_bytes(&m.bytes));
        if now == e.sha256 {
            as_recorded.push(e.file.clone());
        } else {
            changes.push(differs(e, now, false));
        }
        if let Some(why) = super::not_published(&out.join(&e.file)) {
            let file = e.file.clone();
            changes.push(Change::Unpublished { file, why });
        } else if let Ok(disk) = sha256_file(&out.join(&e.file))
            && disk != e.sha256
        {
            changes.push(differs(e, disk, true));
        }
    }
    // A file in an edition's folder (the phone images) that the release did not make.
    let folders: std::collections::BTreeSet<&str> = recorded
        .iter()
        .filter_map(|e| e.file.split_once('/').map(|(folder, _)| folder))
        .collect();
    for folder in folders {
        for path in crate::util::sorted_entries(&out.join(folder)) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let file = format!("{folder}/{name}");
            if !crate::util::is_temp_name(&name) && !recorded.iter().any(|e| e.file == file) {
                let why = msg!("release-published-not-released");
                changes.push(Change::Unpublished { file, why });
            }
        }
    }
    for m in &made {
        if !recorded.iter().any(|e| e.file == m.file) {
            let e = RecordedEdition {
                format: m.format.name().into(),
                file: m.file.clone(),
                sha256: "(none)".into(),
            };
            changes.push(differs(&e, sha256_bytes(&m.bytes), false));
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_edition_files_stay_under_out() {
        assert!(is_out_file("2021-01.html") && is_out_file("2021-01.phone/00-cover.png"));
        for bad in [
            "",
            "../x",
            "a/../../b",
            "/etc/passwd",
            "a/b/c",
            "c:\\x",
            "a\\..\\b",
        ] {
            assert!(!is_out_file(bad), "{bad}");
        }
    }
}
