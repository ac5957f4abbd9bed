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
    if let Ok(meta) = fs::metadata(&path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        // A FIFO, a socket or a device: reading it would block or never end.
        let shown = display_path(&path);
        return Err(
            Diagnostic::error(msg!("paths-not-a-regular-file", shown = shown.display()))
                .hint(msg!("paths-not-a-regular-file-hint"))
                .into(),
        );
    }
    if !path.is_file() {
        let shown = display_path(&path);
        return Err(
            Diagnostic::error(msg!("paths-no-issue-at", shown = shown.display()))
                .hint(msg!("paths-name-issue-folder-holding"))
                .into(),
        );
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
        .map_err(|e| {
            Diagnostic::error(msg!(
                "paths-cannot-open-issue-folder",
                e = crate::util::io_reason(&e)
            ))
        })?;
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
        Diagnostic::error(msg!(
            "paths-cannot-open-folder-holding",
            named = display_path(named).display(),
            e = crate::util::io_reason(&e)
        ))
        .into()
    })
}

/// The sandbox rule for an issue's own files, as messages state it (a message id).
pub const ISSUE_FILES_RULE: &str = "paths-rule-issue-files";
/// The sandbox rule for publication.toml, as messages state it (a message id).
pub const PUBLICATION_RULE: &str = "paths-rule-publication";

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
        Diagnostic::error(msg!(
            "paths-cannot-open",
            shown = shown.display(),
            e = crate::util::io_reason(&e)
        ))
        .in_file(&shown)
    })?;
    if real.starts_with(inside) {
        return Ok(real);
    }
    Err(Diagnostic::error(msg!(
        "paths-leads-outside",
        shown = shown.display(),
        real = display_path(&real).display(),
        inside = display_path(inside).display(),
        rule = crate::i18n::tr(rule, &[])
    ))
    .hint(msg!("paths-copy-file-or-folder")))
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
        Diagnostic::error(msg!(
            "paths-path-leaves-issue-folder",
            what = what,
            rel = rel,
            why = why
        ))
        .hint(msg!("paths-keep-every-inside-issue", what = what))
    };
    if rel.trim().is_empty() {
        return Err(Diagnostic::error(msg!("paths-empty-path", what = what)));
    }
    let p = Path::new(rel);
    if p.is_absolute() || rel.starts_with('/') || rel.starts_with('\\') || p.has_root() {
        return Err(leaves(&msg!("paths-why-absolute")));
    }
    for c in p.components() {
        match c {
            Component::ParentDir => return Err(leaves(&msg!("paths-why-goes-up"))),
            Component::Prefix(_) | Component::RootDir => {
                return Err(leaves(&msg!("paths-why-absolute")));
            }
            _ => {}
        }
    }
    let joined = dir.join(p);
    let meta = fs::symlink_metadata(&joined);
    if meta.is_err() {
        return Err(
            Diagnostic::error(msg!("paths-file-does-not-exist", what = what, rel = rel)).hint(
                msg!(
                    "paths-create-or-correct-name",
                    joined = display_path(&joined).display()
                ),
            ),
        );
    }
    let real = joined.canonicalize().map_err(|e| {
        Diagnostic::error(msg!(
            "paths-cannot-open-2",
            what = what,
            rel = rel,
            e = crate::util::io_reason(&e)
        ))
    })?;
    if !real.starts_with(dir) {
        return Err(leaves(&msg!("paths-why-symlink-out")));
    }
    if !real.is_file() {
        return Err(Diagnostic::error(msg!(
            "paths-not-file",
            what = what,
            rel = rel
        )));
    }
    Ok(real)
}

/// `url` with its `%XX` escapes decoded, when it has any and they decode to UTF-8 text.
pub(crate) fn percent_decoded(url: &str) -> Option<String> {
    if !url.contains('%') {
        return None;
    }
    let bytes = url.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .ok()
        .filter(|d| d != url && !d.contains('\0'))
}
