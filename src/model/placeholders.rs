//! The placeholder text `kanwu init` and `kanwu new` write (the 刊名 and 编印单位, a title
//! per section, a body note) and the warnings for what of it is still in an issue: one of
//! the findings of `check`, the print build and the desk.

use crate::diag::{Diagnostic, display_path};

/// The 刊名 written when none is given, to be replaced (`kanwu check` warns on it).
pub const NAME_STUB: &str = "（刊名）";
/// The 编印单位 written when none is given.
pub const PUBLISHER_STUB: &str = "（编印单位）";

/// The body of an editor's-note stub, to be replaced (and found by [`placeholders`]).
pub const EDITORS_NOTE_STUB: &str = "（编者的话：在此撰写本期编者的话，替换本段。）";
/// The body of an article stub, to be replaced (and found by [`placeholders`]).
pub const ARTICLE_STUB: &str = "（在此撰写正文，替换本段。另一篇文章：复制本文件，并把文件名加到 issue.toml 本栏目的 articles 中。）";

/// The title of an article stub in the section `section`: `（行业动态标题）`.
pub fn title_stub(section: &str) -> String {
    format!("（{section}标题）")
}

/// Warnings for every stub text `kanwu new` or `kanwu init` wrote that is still in the issue: a title such as
/// `（行业动态标题）`, a body note, and the 刊名 and 编印单位 `kanwu init` wrote, at its line
/// (`kanwu check`).
pub fn placeholders(loaded: &crate::model::LoadedIssue) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let publication = &loaded.publication.source;
    for (stub, what) in [(NAME_STUB, "刊名"), (PUBLISHER_STUB, "编印单位")] {
        if let Some(at) = publication.text.find(&format!("\"{stub}\"")) {
            out.push(
                Diagnostic::warning(msg!(
                    "new-still-has-placeholder-kanwu",
                    path = display_path(&publication.path).display(),
                    what = what
                ))
                .at(publication, at..at + stub.len() + 2)
                .hint(msg!("new-write-publication-s-own", what = what)),
            );
        }
    }
    // Each source by its path as named and as resolved, looked up once per article: comparing
    // every article with every source (resolving both each time) took 23 minutes of system
    // calls for 10,000 articles.
    let mut by_path = std::collections::HashMap::new();
    for s in &loaded.sources {
        by_path.entry(s.path.clone()).or_insert(s);
        if let Ok(real) = s.path.canonicalize() {
            by_path.entry(real).or_insert(s);
        }
    }
    for section in &loaded.issue.sections {
        let title = title_stub(&section.title);
        for a in &section.articles {
            let found = by_path.get(&a.path).or_else(|| {
                let real = a.path.canonicalize().ok()?;
                by_path.get(&real)
            });
            let Some(&src) = found else {
                continue;
            };
            let stubs = [
                (title.as_str(), "title"),
                (ARTICLE_STUB, "text"),
                (EDITORS_NOTE_STUB, "note"),
            ];
            for (stub, what) in stubs {
                if let Some(at) = src.text.find(stub) {
                    out.push(
                        Diagnostic::warning(msg!(
                            "new-still-has-kanwu-new",
                            path = display_path(&src.path).display(),
                            what = what
                        ))
                        .at(src, at..at + stub.len())
                        .hint(msg!("new-replace-with-article-s", what = what)),
                    );
                }
            }
        }
    }
    out
}
