//! `kanwu extract`: the sources attached to an archive PDF, written back out.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result, display_path};

/// One file attached to a PDF.
pub struct Attachment {
    pub name: String,
    pub data: Vec<u8>,
}

/// The files attached to a PDF (its EmbeddedFiles name tree), in the tree's order.
pub fn attachments(pdf: &Path) -> Result<Vec<Attachment>> {
    let shown = display_path(pdf);
    let doc = lopdf::Document::load(pdf)
        .map_err(|e| Diagnostic::error(format!("cannot read {} as a PDF: {e}", shown.display())))?;
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
            Diagnostic::error(format!(
                "{}: an attached file cannot be read: {e}",
                shown.display()
            ))
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
        return Err("the name tree is too deep".into());
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
            let data = if stream.dict.has(b"Filter") {
                stream
                    .decompressed_content()
                    .map_err(|e| format!("{name}: {e}"))?
            } else {
                stream.content.clone()
            };
            out.push(Attachment { name, data });
        }
    }
    Ok(())
}

/// Writes the sources attached to an archive PDF back into `dir`: `publication.toml` in `dir`,
/// the files under `dir/<issue>/`. Returns the files written.
pub fn extract(pdf: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let files = attachments(pdf)?;
    if files.is_empty() {
        return Err(Diagnostic::error(format!(
            "{} has no attached files",
            display_path(pdf).display()
        ))
        .hint("only an archive PDF carries its sources: build it with `kanwu build ISSUE --profile archive`")
        .into());
    }
    let mut written = Vec::new();
    for f in &files {
        // Names come from a file someone may have crafted: keep them inside `dir`.
        let rel = Path::new(&f.name);
        let safe = !f.name.is_empty()
            && rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !safe {
            return Err(Diagnostic::error(format!(
                "attached file `{}` would be written outside {}",
                f.name,
                display_path(dir).display()
            ))
            .hint("this PDF was not written by kanwu; its attachments are not extracted")
            .into());
        }
        let target = dir.join(rel);
        crate::util::write_atomic(&target, &f.data)?;
        written.push(target);
    }
    Ok(written)
}
