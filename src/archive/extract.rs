//! `kanwu extract`: the sources attached to an archive PDF, written back out.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::diag::{Diagnostic, Result, display_path};

/// The most one attached file may inflate to: far above any article, manifest or picture an
/// issue holds (kanwu reads articles of at most 32 MB).
pub const MAX_ATTACHMENT_BYTES: usize = 256 << 20;
/// The most all the files attached to one PDF may inflate to together.
pub const MAX_EXTRACT_BYTES: usize = 512 << 20;

/// One file attached to a PDF.
pub struct Attachment {
    pub name: String,
    pub data: Vec<u8>,
}

/// The files attached to a PDF (its EmbeddedFiles name tree), in the tree's order.
pub fn attachments(pdf: &Path) -> Result<Vec<Attachment>> {
    let shown = display_path(pdf);
    let doc = lopdf::Document::load(pdf).map_err(|e| {
        Diagnostic::error(msg!(
            "extract-cannot-read-as-pdf",
            shown = shown.display(),
            e = e
        ))
    })?;
    let mut out = Vec::new();
    let tree = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"Names", &doc).ok())
        .and_then(|n| n.as_dict().ok())
        .and_then(|n| n.get_deref(b"EmbeddedFiles", &doc).ok())
        .and_then(|t| t.as_dict().ok());
    if let Some(tree) = tree {
        collect_name_tree(&doc, tree, &mut out, 0).map_err(|e| {
            Diagnostic::error(msg!(
                "extract-attached-file-cannot-be",
                shown = shown.display(),
                e = e
            ))
            .hint(msg!("extract-this-pdf-was-not"))
        })?;
    }
    Ok(out)
}

fn collect_name_tree(
    doc: &lopdf::Document,
    node: &lopdf::Dictionary,
    out: &mut Vec<Attachment>,
    depth: usize,
) -> std::result::Result<(), String> {
    if depth > 32 {
        return Err(msg!("extract-name-tree-too-deep"));
    }
    if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(|k| k.as_array()) {
        for kid in kids {
            let (_, kid) = doc.dereference(kid).map_err(|e| e.to_string())?;
            let kid = kid.as_dict().map_err(|e| e.to_string())?;
            collect_name_tree(doc, kid, out, depth + 1)?;
        }
    }
    if let Ok(names) = node.get_deref(b"Names", doc).and_then(|n| n.as_array()) {
        for pair in names.chunks(2) {
            let [key, spec] = pair else { continue };
            let key = lopdf::decode_text_string(key).unwrap_or_default();
            let (_, spec) = doc.dereference(spec).map_err(|e| e.to_string())?;
            let spec = spec.as_dict().map_err(|e| e.to_string())?;
            let name = [b"UF".as_slice(), b"F"]
                .iter()
                .find_map(|k| {
                    spec.get_deref(k, doc)
                        .ok()
                        .and_then(|o| lopdf::decode_text_string(o).ok())
                })
                .unwrap_or(key);
            let stream = spec
                .get_deref(b"EF", doc)
                .and_then(|ef| ef.as_dict())
                .and_then(|ef| ef.get_deref(b"F", doc))
                .and_then(|s| s.as_stream())
                .map_err(|e| format!("{name}: {e}"))?;
            // Bounded before it is inflated: per file, and what is left of the total.
            let total: usize = out.iter().map(|a| a.data.len()).sum();
            let room = MAX_ATTACHMENT_BYTES.min(MAX_EXTRACT_BYTES.saturating_sub(total));
            let over = |max: usize| {
                let key = if max == MAX_ATTACHMENT_BYTES {
                    "one"
                } else {
                    "all"
                };
                msg!(
                    "extract-attachment-too-large",
                    name = name.clone(),
                    max = max >> 20,
                    which = key
                )
            };
            let data = match stream.decompressed_content_with_limit(room) {
                Ok(data) => data,
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) => return Err(over(room)),
                Err(e) => return Err(format!("{name}: {e}")),
            };
            if data.len() > room {
                return Err(over(room));
            }
            out.push(Attachment { name, data });
        }
    }
    Ok(())
}

/// Writes the sources attached to an archive PDF back into `dir`: `publication.toml` in `dir`,
/// the files under `dir/<issue>/`. Returns the files written.
///
/// Nothing is written unless every file can be: each name must stay inside `dir`, appear once,
/// and lead through no symbolic link; an existing file is replaced only with `force`. Then all
/// are written together (temporary files, then renamed), so a failure leaves `dir` as it was.
pub fn extract(pdf: &Path, dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
    let files = attachments(pdf)?;
    if files.is_empty() {
        return Err(Diagnostic::error(msg!(
            "extract-has-no-attached-files",
            pdf = display_path(pdf).display()
        ))
        .hint(msg!("extract-only-archive-pdf-carries"))
        .into());
    }
    let shown = display_path(dir);
    let mut errors = Vec::new();
    let mut names = BTreeSet::new();
    let mut refused = 0;
    for f in &files {
        if let Err(why) = check_name(&f.name, &names) {
            refused += 1;
            errors.push(
                Diagnostic::error(msg!("extract-attached-file", name = f.name, why = why))
                    .hint(msg!("extract-this-pdf-was-not")),
            );
        }
        names.insert(f.name.as_str());
    }
    if errors.is_empty() {
        for f in &files {
            // A link or file in the way of several attachments is named once.
            if let Err(d) = check_target(dir, &f.name, force) {
                refused += 1;
                if !errors.iter().any(|e| e.message == d.message) {
                    errors.push(d);
                }
            }
        }
    }
    if !errors.is_empty() {
        errors.insert(
            0,
            Diagnostic::error(msg!(
                "extract-nothing-was-extracted-into",
                shown = shown.display(),
                refused = refused,
                files = files.len()
            )),
        );
        return Err(errors.into());
    }
    let out: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .map(|f| (dir.join(&f.name), f.data))
        .collect();
    crate::util::write_all_atomic(&out)?;
    Ok(out.into_iter().map(|(p, _)| p).collect())
}

/// Names come from a file someone may have crafted: a relative path of plain parts (no `..`,
/// no root, no drive), not given before, and not a folder of a name given before or after.
fn check_name(name: &str, earlier: &BTreeSet<&str>) -> std::result::Result<(), String> {
    let plain = |s: &str| {
        !s.is_empty()
            && !s.contains(['\\', '\0'])
            && Path::new(s)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
            && s.split('/').all(|p| !p.is_empty() && p != "." && p != "..")
    };
    if !plain(name) {
        return Err(msg!("extract-why-outside"));
    }
    if earlier.contains(name) {
        return Err(msg!("extract-why-twice"));
    }
    let inside =
        |a: &str, b: &str| a.len() > b.len() && a.starts_with(b) && a[b.len()..].starts_with('/');
    if earlier.iter().any(|e| inside(name, e) || inside(e, name)) {
        return Err(msg!("extract-why-file-and-folder"));
    }
    Ok(())
}

/// The target of one attachment can be written: no part of its path under `dir` is a symbolic
/// link or a file where a folder must be, and it does not exist (unless `force`).
fn check_target(dir: &Path, name: &str, force: bool) -> std::result::Result<(), Diagnostic> {
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = name.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            return Ok(());
        };
        let shown = display_path(&at);
        if meta.file_type().is_symlink() {
            return Err(Diagnostic::error(msg!(
                "extract-symbolic-link-kanwu-does",
                shown = shown.display()
            ))
            .hint(msg!("extract-extract-into-new-folder")));
        }
        let last = i + 1 == parts.len();
        if !last && !meta.is_dir() {
            return Err(Diagnostic::error(msg!(
                "extract-file-where-attachment-needs",
                shown = shown.display(),
                name = name
            ))
            .hint(msg!("extract-extract-into-new-folder-2")));
        }
        if last && meta.is_dir() {
            return Err(Diagnostic::error(msg!(
                "extract-folder-where-attachment-file",
                shown = shown.display(),
                name = name
            ))
            .hint(msg!("extract-extract-into-new-folder-2")));
        }
        if last && !force {
            return Err(Diagnostic::error(msg!(
                "extract-already-exists-extract-never",
                shown = shown.display()
            ))
            .hint(msg!("extract-extract-into-new-folder-3")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_names_given_once_pass() {
        let mut seen = BTreeSet::new();
        for ok in [
            "publication.toml",
            "2021-01/issue.toml",
            "2021-01/images/a b.png",
        ] {
            assert_eq!(check_name(ok, &seen), Ok(()), "{ok}");
            seen.insert(ok);
        }
        for bad in [
            "",
            "../../../pwn.md",
            "/etc/x",
            "a/../b",
            "a//b",
            "./a",
            "a/",
            "a\\..\\b",
        ] {
            assert!(check_name(bad, &seen).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_name("publication.toml", &seen),
            Err("is attached twice".to_string())
        );
        assert!(check_name("2021-01/issue.toml/x", &seen).is_err());
        assert!(check_name("2021-01/images", &seen).is_err());
    }
}
