//! `kanwu new`: the next issue, continued from the latest one (or another named issue).

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result, display_path};
use crate::model::Date;
use crate::model::issue_toml::{self, IssueEntry, SectionEntry};
use crate::model::manifest::{self, Issue, IssueKind};

/// What `kanwu new` made.
#[derive(Debug)]
pub struct NewIssue {
    pub dir: PathBuf,
    pub year: i32,
    pub number: u32,
    pub serial: Option<u32>,
    pub date: Date,
    /// The previous issue it continues.
    pub from: PathBuf,
    /// The article stubs written, relative to the new folder.
    pub stubs: Vec<String>,
}

pub use crate::model::placeholders::{ARTICLE_STUB, EDITORS_NOTE_STUB, placeholders, title_stub};

/// The number and serial an issue dated `date` takes after `prev`: number + 1 — 第1期 again
/// when the date falls in another year —, serial + 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Next {
    pub number: u32,
    pub serial: Option<u32>,
}

fn next_after(prev: &Issue, date: Date) -> Next {
    Next {
        number: if date.year != prev.year {
            1
        } else {
            prev.number + 1
        },
        serial: prev.serial.map(|s| s + 1),
    }
}

/// What an issue dated `date` takes after the latest issue under `issues_dir`; 第1期 with no
/// serial when there is none (`kanwu import` numbers on like `kanwu new`).
pub fn next_after_latest(issues_dir: &Path, date: Date) -> Next {
    match latest_issue(issues_dir) {
        Ok(prev) => next_after(&prev, date),
        Err(_) => Next {
            number: 1,
            serial: None,
        },
    }
}

/// The latest regular issue (highest year, then number) among the folders of `issues_dir`:
/// supplements (增刊) are numbered apart, so a new issue never continues one — unless there
/// are only supplements, then the latest of them.
pub fn latest_issue(issues_dir: &Path) -> Result<Issue> {
    let folders = crate::model::find_issues(issues_dir)?;
    let mut best: Option<Issue> = None;
    let mut errors = Vec::new();
    for f in folders {
        match manifest::load_issue(&f.join("issue.toml")) {
            Ok(i) => {
                let rank = |i: &Issue| (i.kind == IssueKind::Regular, i.year, i.number);
                if best.as_ref().is_none_or(|b| rank(&i) > rank(b)) {
                    best = Some(i);
                }
            }
            Err(e) => errors.extend(e.0),
        }
    }
    match best {
        Some(b) => Ok(b),
        None => Err(errors.into()),
    }
}

/// A file name for a section's stub: its kind when that is a plain word, else `section-N`.
fn stub_name(kind: &str, index: usize) -> String {
    if !kind.is_empty()
        && kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        format!("{kind}.md")
    } else {
        format!("section-{}.md", index + 1)
    }
}

/// Creates the issue after `from` (or after the latest regular issue beside `target`): number + 1 —
/// 第1期 again when the new date falls in another year —, serial + 1, the same sections with
/// one article stub each. `target` defaults to `<issues>/YYYY-NN`. Never overwrites: the
/// folder is written under a temporary name and renamed into place.
pub fn new_issue(
    issues_dir: &Path,
    target: Option<&Path>,
    from: Option<&Path>,
    date: Option<Date>,
) -> Result<NewIssue> {
    let prev = match from {
        Some(f) => manifest::load_issue(&manifest::issue_manifest_path(f)?)?,
        None => {
            let dir = match target {
                Some(t) => t
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf(),
                None => issues_dir.to_path_buf(),
            };
            latest_issue(&dir)?
        }
    };
    let date = date.unwrap_or_else(Date::today);
    // The number and serial continue the latest regular issue; a supplement (增刊) given with
    // --from lends its sections only.
    let regular = match prev.kind {
        IssueKind::Regular => None,
        IssueKind::Supplement => latest_issue(prev.dir.parent().unwrap_or(issues_dir))
            .ok()
            .filter(|i| i.kind == IssueKind::Regular),
    };
    let numbering = match prev.kind {
        IssueKind::Regular => Some(&prev),
        IssueKind::Supplement => regular.as_ref(),
    };
    let (year, number, serial) = match numbering {
        Some(n) if n.year == date.year => (n.year, n.number + 1, n.serial.map(|s| s + 1)),
        Some(n) => (date.year, 1, n.serial.map(|s| s + 1)),
        None => (date.year, 1, None),
    };
    if date < prev.date {
        return Err(Diagnostic::error(msg!(
            "new-new-issue-s-date",
            date = date,
            date2 = prev.date,
            dir = display_path(&prev.dir).display()
        ))
        .hint(msg!("new-give-new-issue-s"))
        .into());
    }
    let target = match target {
        Some(t) => t.to_path_buf(),
        None => prev
            .dir
            .parent()
            .unwrap_or(issues_dir)
            .join(format!("{year}-{number:02}")),
    };
    if target.exists() {
        return Err(Diagnostic::error(msg!(
            "new-already-exists-kanwu-new",
            target = display_path(&target).display()
        ))
        .hint(msg!("new-name-another-folder-kanwu"))
        .into());
    }

    let mut stubs = Vec::new();
    let mut files = Vec::new();
    let mut sections = Vec::new();
    for (i, s) in prev.sections.iter().enumerate() {
        let name = stub_name(&s.kind, i);
        sections.push(SectionEntry {
            kind: s.kind.clone(),
            title: s.title.clone(),
            articles: vec![name.clone()],
        });
        let text = if s.kind == "editors-note" {
            format!("+++\n+++\n\n{EDITORS_NOTE_STUB}\n")
        } else {
            format!(
                "+++\ntitle = {}\nsource = \"\"\n+++\n\n{ARTICLE_STUB}\n",
                toml::Value::String(title_stub(&s.title))
            )
        };
        files.push((name.clone(), text));
        stubs.push(name);
    }
    let toml = issue_toml::write(&IssueEntry {
        year,
        number,
        serial,
        date,
        copies: prev.copies,
        sections,
    });
    files.push(("issue.toml".to_string(), toml));

    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    crate::util::write_new_folder(&target, &files)?;
    Ok(NewIssue {
        dir: target,
        year,
        number,
        serial,
        date,
        from: prev.dir.clone(),
        stubs,
    })
}
