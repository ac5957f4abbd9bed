//! An article's front matter: TOML between `+++` lines (as Zola and Hugo write it).

use serde::Deserialize;

use crate::diag::{Diagnostic, Result, SourceText};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
}

/// Splits off `+++ … +++` front matter; returns the metadata and where the body starts.
pub(crate) fn front_matter(source: &SourceText) -> Result<(ArticleMeta, usize)> {
    let text = &*source.text;
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        return Ok((ArticleMeta::default(), 0));
    }
    let mut pos = first_line_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            let toml_text = &text[first_line_end..pos];
            let meta: ArticleMeta = toml::from_str(toml_text).map_err(|e| {
                let (message, mut hints) = super::toml_message::explain(e.message());
                if hints.is_empty() {
                    hints.push(msg!("front-matter-front-matter-fields-are"));
                }
                let d = hints
                    .into_iter()
                    .fold(Diagnostic::error(message), |d, h| d.hint(h));
                match e.span() {
                    Some(s) => d.at(source, s.start + first_line_end..s.end + first_line_end),
                    None => d.in_file(&source.path),
                }
            })?;
            return Ok((meta, end));
        }
        pos = end;
    }
    Err(
        Diagnostic::error(msg!("front-matter-front-matter-not-closed"))
            .at(source, 0..3)
            .hint(msg!("front-matter-end-front-matter-with"))
            .into(),
    )
}
