//! The parts of a .docx besides the body: the files of the container, heading styles, list
//! numbering, relationships (pictures inside the file, links out of it).

use std::collections::HashMap;

use roxmltree::Document;

use super::W;

/// The files of the container, by name.
pub(super) struct Parts {
    pub files: HashMap<String, Vec<u8>>,
}

impl Parts {
    pub fn text(&self, name: &str) -> Option<String> {
        self.files
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }
}

/// Paragraph styles that are headings: by Word's built-in `outlineLvl`, or by name
/// (Heading 1 / heading 1 / 标题 1).
pub(super) fn heading_styles(parts: &Parts) -> HashMap<String, u8> {
    let mut out = HashMap::new();
    let Some(xml) = parts.text("word/styles.xml") else {
        for l in 1..=4u8 {
            out.insert(format!("Heading{l}"), l);
        }
        return out;
    };
    let Ok(doc) = Document::parse(&xml) else {
        return out;
    };
    for style in doc.descendants().filter(|n| n.has_tag_name((W, "style"))) {
        let Some(id) = style.attribute((W, "styleId")) else {
            continue;
        };
        let name = style
            .children()
            .find(|n| n.has_tag_name((W, "name")))
            .and_then(|n| n.attribute((W, "val")))
            .unwrap_or("")
            .to_lowercase();
        let level = name
            .strip_prefix("heading ")
            .or_else(|| name.strip_prefix("标题 "))
            .and_then(|n| n.trim().parse::<u8>().ok());
        if let Some(level) = level {
            out.insert(id.to_string(), level);
        }
    }
    out
}

/// numId → whether its first level is numbered (decimal, 一二三 …) rather than bulleted.
pub(super) fn ordered_lists(parts: &Parts) -> HashMap<String, bool> {
    let mut out = HashMap::new();
    let Some(xml) = parts.text("word/numbering.xml") else {
        return out;
    };
    let Ok(doc) = Document::parse(&xml) else {
        return out;
    };
    let mut abstract_ordered = HashMap::new();
    for abs in doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "abstractNum")))
    {
        let Some(id) = abs.attribute((W, "abstractNumId")) else {
            continue;
        };
        let fmt = abs
            .descendants()
            .find(|n| n.has_tag_name((W, "numFmt")))
            .and_then(|n| n.attribute((W, "val")))
            .unwrap_or("bullet");
        abstract_ordered.insert(id.to_string(), fmt != "bullet" && fmt != "none");
    }
    for num in doc.descendants().filter(|n| n.has_tag_name((W, "num"))) {
        let (Some(id), Some(abs)) = (
            num.attribute((W, "numId")),
            num.children()
                .find(|n| n.has_tag_name((W, "abstractNumId")))
                .and_then(|n| n.attribute((W, "val"))),
        ) else {
            continue;
        };
        out.insert(
            id.to_string(),
            abstract_ordered.get(abs).copied().unwrap_or(false),
        );
    }
    out
}

/// Relationship id → target of the parts inside the package (pictures: `r:embed`).
pub(super) fn relationships(parts: &Parts) -> HashMap<String, String> {
    targets(parts, false)
}

/// Relationship id → the address of a link out of the document (`w:hyperlink r:id`).
pub(super) fn links(parts: &Parts) -> HashMap<String, String> {
    targets(parts, true)
}

/// The relationships of the document part whose target is outside the package (`external`)
/// or inside it.
fn targets(parts: &Parts, external: bool) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Some(xml) = parts.text("word/_rels/document.xml.rels") else {
        return out;
    };
    let Ok(doc) = Document::parse(&xml) else {
        return out;
    };
    for rel in doc
        .descendants()
        .filter(|n| n.tag_name().name() == "Relationship")
    {
        let is_external = rel.attribute("TargetMode") == Some("External");
        if let (Some(id), Some(target), true) = (
            rel.attribute("Id"),
            rel.attribute("Target"),
            is_external == external,
        ) {
            out.insert(id.to_string(), target.to_string());
        }
    }
    out
}
