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
            let mut meta: ArticleMeta = toml::from_str(toml_text).map_err(|e| {
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
            // `source = ""` (the stub `new` writes) is no source: nothing is printed for it,
            // not a bare 来源：. The same for the other lines of the byline.
            for field in [&mut meta.subtitle, &mut meta.source, &mut meta.author] {
                if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
                    *field = None;
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_source_author_or_subtitle_is_none() {
        let src = SourceText::new(
            "a.md",
            "+++\ntitle = \"标题\"\nsource = \"\"\nauthor = \"  \"\nsubtitle = \"副\"\n+++\n正文\n",
        );
        let (meta, _) = front_matter(&src).unwrap();
        assert_eq!(meta.source, None);
        assert_eq!(meta.author, None);
        assert_eq!(meta.subtitle.as_deref(), Some("副"));
    }
}
