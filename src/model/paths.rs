//! Where an issue's files are, and the sandbox rule for them: an issue is named by its folder
//! or its `issue.toml`; every file an editor names resolves (links followed) inside the folder
//! it was named from.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Result, display_path};

/// Finds the manifest of an issue given its folder or its `issue.toml`.
pub fn issue_manifest_path(arg: &Path) -> Result<PathBuf> {
    let path = if arg.is_dir() {
        arg.join("issue.toml")
    } else {
        arg.to_path_buf()
    };
    if !path.is_file() {
        let shown = display_path(&path);
        return Err(Diagnostic::error(format!("no issue at {}", shown.display()))
            .hint("name an issue folder (holding issue.toml) or its issue.toml, e.g. `kanwu build issues/2021-01`")
            .into());
    }
    Ok(path)
}

/// The issue folder holding a manifest (canonical) and its name (`2021-01`).
pub fn issue_dir(manifest: &Path) -> Result<(PathBuf, String)> {
    let dir = manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .canonicalize()
        .map_err(|e| Diagnostic::error(format!("cannot open the issue folder: {e}")))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((dir, name))
}

/// The folder of issues an issue was named from: the folder that holds the issue folder as
/// the user named it (`issues` for `issues/2021-01/issue.toml`), resolved. The editorial files
/// of the issue (publication.toml, issue.toml, articles, images) must all lie inside it.
pub fn issues_folder(manifest: &Path) -> Result<PathBuf> {
    let named = crate::util::parent_or_here(manifest);
    let resolved = match named.components().next_back() {
        Some(Component::Normal(_)) => crate::util::parent_or_here(named).canonicalize(),
        // `.` or `..`: the folder it stands for, then its parent.
        _ => named
            .canonicalize()
            .map(|d| d.parent().map(Path::to_path_buf).unwrap_or(d)),
    };
    resolved.map_err(|e| {
        Diagnostic::error(format!(
            "cannot open the folder holding the issue folder {}: {e}",
            display_path(named).display()
        ))
        .into()
    })
}

/// The sandbox rule for an issue's own files, as messages state it.
pub const ISSUE_FILES_RULE: &str = "an issue's issue.toml, articles and images must lie inside its issue folder, and the issue folder inside the folder of issues";
/// The sandbox rule for publication.toml, as messages state it.
pub const PUBLICATION_RULE: &str =
    "publication.toml must lie inside the folder that holds the issue folders";

/// Resolves `path` (links followed) and checks that it lies inside `inside` (resolved): the
/// one sandbox rule for the editorial files of an issue, checked by the step that reads them.
/// The error names the file, where it leads, and `rule`.
pub fn resolve_within(
    path: &Path,
    inside: &Path,
    rule: &str,
) -> std::result::Result<PathBuf, Diagnostic> {
    let shown = display_path(path);
    let real = path.canonicalize().map_err(|e| {
        Diagnostic::error(format!("cannot open {}: {e}", shown.display())).in_file(&shown)
    })?;
    if real.starts_with(inside) {
        return Ok(real);
    }
    Err(Diagnostic::error(format!(
        "{} leads to {}, outside {}: {rule}",
        shown.display(),
        display_path(&real).display(),
        display_path(inside).display()
    ))
    .hint("copy the file (or folder) there instead of linking to it; kanwu reads nothing from outside the folder of issues"))
}

/// Checks where an issue's `issue.toml` and its folder lead before anything is read: the
/// issue folder inside the folder of issues, `issue.toml` inside the issue folder.
pub fn check_issue_sandbox(manifest: &Path) -> Result<()> {
    let issues = issues_folder(manifest)?;
    let named = crate::util::parent_or_here(manifest);
    let dir = resolve_within(named, &issues, ISSUE_FILES_RULE)?;
    resolve_within(manifest, &dir, ISSUE_FILES_RULE)?;
    Ok(())
}

/// Resolves a path an editor wrote (relative to `dir`) and makes sure it stays inside `dir`:
/// no absolute paths, no `..`, and no symlink pointing out. `what` names the thing in messages.
pub fn resolve_inside(
    dir: &Path,
    rel: &str,
    what: &str,
) -> std::result::Result<PathBuf, Diagnostic> {
    let leaves = |why: &str| {
        Diagnostic::error(format!("{what} path `{rel}` leaves the issue folder ({why})"))
            .hint(format!("keep every {what} inside the issue folder and name it relative to it, e.g. `images/figure1.png`"))
    };
    if rel.trim().is_empty() {
        return Err(Diagnostic::error(format!("empty {what} path")));
    }
    let p = Path::new(rel);
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') || p.has_root() {
        return Err(leaves("it is an absolute path"));
    }
    for c in p.components() {
        match c {
            Component::ParentDir => return Err(leaves("it goes up with `..`")),
            Component::Prefix(_) | Component::RootDir => {
                return Err(leaves("it is an absolute path"));
            }
            _ => {}
        }
    }
    let joined = dir.join(p);
    let meta = fs::symlink_metadata(&joined);
    if meta.is_err() {
        return Err(
            Diagnostic::error(format!("{what} file `{rel}` does not exist")).hint(format!(
                "create {} or correct the name",
                display_path(&joined).display()
            )),
        );
    }
    let real = joined
        .canonicalize()
        .map_err(|e| Diagnostic::error(format!("cannot open {what} `{rel}`: {e}")))?;
    if !real.starts_with(dir) {
        return Err(leaves("it is a symlink pointing out of it"));
    }
    if !real.is_file() {
        return Err(Diagnostic::error(format!("{what} `{rel}` is not a file")));
    }
    Ok(real)
}
