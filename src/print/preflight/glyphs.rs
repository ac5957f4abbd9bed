//! Characters no font has: Typst draws them as nothing (and PDF/A refuses them), so each is
//! reported at the file and line that holds it.

use std::collections::BTreeMap;

use super::{Finding, Input, Level};
use crate::diag::Diagnostic;
use crate::model::Profile;
use crate::model::document::{Block, Document, Inline};

pub(super) fn glyphs(input: &Input, findings: &mut Vec<Finding>) {
    let mut used: BTreeMap<char, ()> = BTreeMap::new();
    let mut add = |s: &str| {
        for c in s.chars() {
            if !c.is_whitespace() && !c.is_control() {
                used.insert(c, ());
            }
        }
    };
    document_strings(input.document, &mut add);
    let faces = input.fonts.faces();
    for &c in used.keys() {
        if faces.iter().any(|f| f.info.coverage.contains(c as u32)) {
            continue;
        }
        // On paper it prints as nothing; in PDF/A it cannot be exported at all.
        let level = match input.profile {
            Profile::Print | Profile::Archive => Level::Error,
            Profile::Screen | Profile::Phone => Level::Warning,
        };
        let message = msg!(
            "glyphs-u-no-font-tried",
            code = format!("{:04X}", c as u32),
            c = c,
            faces = faces.len()
        );
        let hint = msg!("glyphs-replace-character-or-add");
        let mut located = false;
        for src in input.sources {
            if let Some(pos) = src.text.find(c) {
                let (line, _) = src.line_col(pos);
                let d = match level {
                    Level::Error => Diagnostic::error(msg!("glyphs-preflight", message = message)),
                    _ => Diagnostic::warning(msg!("glyphs-preflight", message = message)),
                };
                findings.push(Finding {
                    level,
                    check: "glyph",
                    place: format!("{}:{line}", src.path.display()),
                    message: message.clone(),
                    source: None,
                    page: None,
                    diagnostic: Some(d.at(src, pos..pos + c.len_utf8()).hint(hint.clone())),
                });
                located = true;
            }
        }
        if !located {
            findings.push(Finding {
                level,
                check: "glyph",
                place: "layout".into(),
                message,
                source: None,
                page: None,
                diagnostic: None,
            });
        }
    }
}

/// Every string of the document that ends up on the page.
pub(super) fn document_strings(doc: &Document, f: &mut impl FnMut(&str)) {
    let p = &doc.publication;
    f(&p.name);
    f(&p.publisher);
    p.marking.as_deref().map(&mut *f);
    let c = &doc.colophon;
    for s in c
        .editor_in_chief
        .iter()
        .chain(&c.address)
        .chain(&c.phone)
        .chain(&c.email)
    {
        f(s);
    }
    for s in c.editors.iter().chain(&c.send_to).chain(&c.distribute_to) {
        f(s);
    }
    for s in &doc.sections {
        f(&s.title);
        for a in &s.articles {
            for t in a
                .title
                .iter()
                .chain(&a.subtitle)
                .chain(&a.source)
                .chain(&a.author)
            {
                f(t);
            }
            blocks_strings(&a.blocks, f);
        }
    }
}

fn blocks_strings(blocks: &[Block], f: &mut impl FnMut(&str)) {
    for b in blocks {
        match b {
            Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => {
                inline_strings(inlines, f)
            }
            Block::List { items, .. } => items.iter().for_each(|i| blocks_strings(i, f)),
            Block::Quote { blocks } => blocks_strings(blocks, f),
            Block::Code { text, .. } => f(text),
            Block::Table { header, rows, .. } => {
                header.iter().for_each(|c| inline_strings(c, f));
                rows.iter().flatten().for_each(|c| inline_strings(c, f));
            }
            Block::Image { caption, .. } => inline_strings(caption, f),
            Block::Rule => {}
        }
    }
}

fn inline_strings(inlines: &[Inline], f: &mut impl FnMut(&str)) {
    for i in inlines {
        match i {
            Inline::Text { v } | Inline::Code { v } => f(v),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => inline_strings(c, f),
            Inline::Footnote { c } => blocks_strings(c, f),
            Inline::Linebreak => {}
        }
    }
}
