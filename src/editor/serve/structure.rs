//! The issue's structure and the two manifests' forms, edited from the desk: `issue.toml` and
//! `publication.toml` changed in place (`model::edits`: comments, order and keys the desk does
//! not know survive), every change checked by the same model code as the command line before
//! it is written, and refused with that code's message (in the reader's language) when it
//! would not build. Articles are named by the desk's numbers, sections by their place.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};

use super::desk::{Answer, Desk, Refused, write_failed};
use super::history::Why;
use crate::diag::{Diagnostic, SourceText, display_path};
use crate::editor::new::{ARTICLE_STUB, EDITORS_NOTE_STUB, title_stub};
use crate::model::KNOWN_KINDS;
use crate::model::edits::{Kind, Toml};
use crate::model::manifest::parse_issue;
use crate::model::publication::parse_publication;

/// A change to the issue's structure, as the browser asks for it. Articles are named by the
/// desk's numbers, sections by their place in the issue.
#[derive(Debug, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Action {
    /// Moves an article to `index` in `section` (the same section or another).
    MoveArticle {
        article: usize,
        section: usize,
        index: usize,
    },
    MoveSection {
        section: usize,
        index: usize,
    },
    /// A new section with one new article (a section cannot be empty).
    AddSection {
        kind: String,
        #[serde(default)]
        title: String,
    },
    RenameSection {
        section: usize,
        title: String,
    },
    /// Removes a section from the issue; its articles' files stay (not in the issue).
    RemoveSection {
        section: usize,
    },
    /// A new article file at the end of `section`.
    NewArticle {
        section: usize,
        title: String,
    },
    /// Takes an article out of the issue; its file stays, listed as not in the issue.
    RemoveArticle {
        article: usize,
    },
    /// Puts a file that is not in the issue back, at the end of `section`.
    PutBack {
        article: usize,
        section: usize,
    },
}

fn bad(message: String) -> Refused {
    Refused::new(422, message)
}

/// A refusal of `model::edits`, in the reader's language.
fn refused(id: &str) -> Refused {
    bad(crate::i18n::tr(id, &[]))
}

fn read_toml(path: &Path) -> Result<(String, Toml), Refused> {
    let text = fs::read_to_string(path).map_err(|e| {
        Refused::new(
            409,
            msg!(
                "desk-cannot-read-article",
                file = display_path(path).display().to_string(),
                e = e.to_string()
            ),
        )
    })?;
    let toml = Toml::parse(&text).map_err(|e| bad(msg!("desk-manifest-does-not-parse", e = e)))?;
    Ok((text, toml))
}

/// The message of a diagnostic with its hints, for the browser.
fn said(d: &Diagnostic) -> String {
    let mut s = d.message.clone();
    for h in &d.hints {
        s.push('\n');
        s.push_str(h);
    }
    s
}

/// The errors a text of a manifest would have that its current text has not: the ones an
/// edit brings (errors that were there already are not the edit's).
fn new_errors(now: Vec<Diagnostic>, after: Vec<Diagnostic>) -> Vec<Diagnostic> {
    after
        .into_iter()
        .filter(|d| d.is_error() && !now.iter().any(|n| n.message == d.message))
        .collect()
}

fn check_issue(desk: &Desk, now: &str, candidate: &str) -> Result<(), Refused> {
    let shown = display_path(&desk.manifest);
    let errors = |text: &str| {
        parse_issue(&desk.manifest, SourceText::new(&shown, text.to_string()))
            .err()
            .map_or_else(Vec::new, |f| f.0)
    };
    match new_errors(errors(now), errors(candidate)).first() {
        Some(d) => Err(bad(said(d))),
        None => Ok(()),
    }
}

/// Where an article file is listed: (section, place in its list).
fn listed_at(desk: &Desk, toml: &Toml, path: &Path) -> Option<(usize, usize)> {
    toml.sections().iter().enumerate().find_map(|(s, sec)| {
        sec.articles
            .iter()
            .position(|rel| {
                desk.issue_dir
                    .join(rel)
                    .canonicalize()
                    .is_ok_and(|p| p == path)
            })
            .map(|i| (s, i))
    })
}

/// A file name for a new article, from its title: the title's characters that a file name
/// may hold on Windows and Linux alike, at most 30, `.md`; a number added when it is taken.
fn file_name_for(dir: &Path, title: &str) -> String {
    let stem: String = title
        .chars()
        .filter(|c| !c.is_control() && !"/\\:*?\"<>|#%".contains(*c))
        .map(|c| if c.is_whitespace() { '-' } else { c })
        .take(30)
        .collect();
    let stem = stem.trim_matches(['.', '-', ' ']);
    let stem = if stem.is_empty() { "article" } else { stem };
    let mut name = format!("{stem}.md");
    let mut n = 2;
    while dir.join(&name).exists() {
        name = format!("{stem}-{n}.md");
        n += 1;
    }
    name
}

/// The text of a new article: its title (a stub title when none is given, as `kanwu new`
/// writes) and the stub body that `check` points at until it is replaced.
fn new_article_text(kind: &str, section_title: &str, title: &str) -> String {
    if kind == "editors-note" {
        return format!("+++\n+++\n\n{EDITORS_NOTE_STUB}\n");
    }
    let title = if title.trim().is_empty() {
        title_stub(section_title)
    } else {
        title.trim().to_string()
    };
    format!(
        "+++\ntitle = {}\n+++\n\n{ARTICLE_STUB}\n",
        toml::Value::String(title)
    )
}

/// Applies a change to the issue's structure; writes issue.toml (and a new article's file)
/// when the result is a valid issue, else refuses with the model's message.
pub fn apply(desk: &mut Desk, action: Action) -> Answer {
    let manifest = desk.manifest.clone();
    let (now, mut toml) = read_toml(&manifest)?;
    let find = |desk: &Desk, toml: &Toml, id: usize| -> Result<(usize, usize), Refused> {
        let path = desk.path_of(id)?;
        listed_at(desk, toml, path).ok_or_else(|| bad(msg!("desk-article-not-in-issue")))
    };
    let sections = toml.sections();
    let section = |s: usize| {
        sections
            .get(s)
            .ok_or_else(|| bad(msg!("desk-no-such-section")))
    };
    let mut new_file: Option<(PathBuf, String)> = None;
    match action {
        Action::MoveArticle {
            article,
            section,
            index,
        } => {
            let (from, i) = find(desk, &toml, article)?;
            toml.move_article(from, i, section, index)
                .map_err(refused)?;
        }
        Action::MoveSection { section, index } => {
            toml.move_section(section, index).map_err(refused)?;
        }
        Action::AddSection { kind, title } => {
            let kind = kind.trim();
            let known = KNOWN_KINDS.iter().find(|(k, _)| *k == kind);
            let title = title.trim();
            if known.is_none() && title.is_empty() {
                return Err(bad(msg!("desk-section-needs-title")));
            }
            let kind = if kind.is_empty() { "section" } else { kind };
            let shown = if title.is_empty() {
                known.map(|(_, t)| t.to_string()).unwrap_or_default()
            } else {
                title.to_string()
            };
            let name = file_name_for(&desk.issue_dir, &shown);
            toml.add_section(kind, (!title.is_empty()).then_some(title), &name);
            new_file = Some((
                desk.issue_dir.join(&name),
                new_article_text(kind, &shown, ""),
            ));
        }
        Action::RenameSection { section: s, title } => {
            let kind = &section(s)?.kind;
            let title = title.trim();
            if title.is_empty() && !KNOWN_KINDS.iter().any(|(k, _)| k == kind) {
                return Err(bad(msg!("desk-section-needs-title")));
            }
            toml.rename_section(s, (!title.is_empty()).then_some(title))
                .map_err(refused)?;
        }
        Action::RemoveSection { section } => {
            toml.remove_section(section).map_err(refused)?;
        }
        Action::NewArticle { section: s, title } => {
            let sec = section(s)?;
            let shown_title = sec.shown_title();
            let shown = if title.trim().is_empty() {
                title_stub(&shown_title)
            } else {
                title.trim().to_string()
            };
            let name = file_name_for(&desk.issue_dir, shown.trim_matches(['（', '）']));
            new_file = Some((
                desk.issue_dir.join(&name),
                new_article_text(&sec.kind, &shown_title, &title),
            ));
            toml.insert_article(s, usize::MAX, &name).map_err(refused)?;
        }
        Action::RemoveArticle { article } => {
            let (s, i) = find(desk, &toml, article)?;
            toml.remove_article(s, i).map_err(refused)?;
        }
        Action::PutBack { article, section } => {
            let path = desk.path_of(article)?.to_path_buf();
            if listed_at(desk, &toml, &path).is_some() {
                return Err(bad(msg!("desk-article-already-in-issue")));
            }
            let rel = desk.rel_of(&path);
            toml.insert_article(section, usize::MAX, &rel)
                .map_err(refused)?;
        }
    }
    let candidate = toml.to_string();
    // A new article's file is there before the manifest that names it is checked and
    // written; if either fails it is removed again.
    if let Some((path, text)) = &new_file {
        crate::util::write_atomic(path, text.as_bytes()).map_err(|f| write_failed(&f))?;
    }
    let written = check_issue(desk, &now, &candidate).and_then(|()| {
        desk.history
            .write(
                &format!("{}/issue.toml", desk.issue_name),
                &manifest,
                candidate.as_bytes(),
                Why::Saved,
            )
            .map_err(|f| write_failed(&f))
    });
    if let Err(e) = written {
        if let Some((path, _)) = &new_file {
            let _ = fs::remove_file(path);
        }
        return Err(e);
    }
    let new_id = new_file.map(|(p, _)| {
        let p = p.canonicalize().unwrap_or(p);
        desk.id_of(&p)
    });
    Ok(json!({ "changed": true, "article": new_id }))
}

// ---------------------------------------------------------------------- the forms

/// The fields of issue.toml's form: (key in `[issue]`, kind).
pub const ISSUE_FIELDS: [(&str, Kind); 5] = [
    ("date", Kind::Date),
    ("year", Kind::Int { optional: false }),
    ("number", Kind::Int { optional: false }),
    ("serial", Kind::Int { optional: true }),
    ("copies", Kind::Int { optional: true }),
];

/// The fields of publication.toml's form: (table, key, kind).
pub const PUBLICATION_FIELDS: [(&str, &str, Kind); 17] = [
    ("publication", "name", Kind::Text),
    ("publication", "publisher", Kind::Text),
    ("publication", "marking", Kind::Text),
    ("publication", "classification", Kind::Text),
    ("publication", "permit", Kind::Text),
    ("publication", "printer", Kind::Text),
    ("publication", "layout", Kind::Text),
    ("publication", "paper", Kind::Text),
    ("colophon", "editor_in_chief", Kind::Text),
    ("colophon", "editors", Kind::List),
    ("colophon", "address", Kind::Text),
    ("colophon", "phone", Kind::Text),
    ("colophon", "email", Kind::Text),
    ("colophon", "send_to", Kind::List),
    ("colophon", "copy_to", Kind::List),
    ("colophon", "distribute_to", Kind::List),
    ("publication", "page_budget", Kind::Int { optional: true }),
];

/// The forms' current values, and the layouts and papers to choose from.
pub fn fields(desk: &Desk) -> Answer {
    let (_, issue) = read_toml(&desk.manifest)?;
    let (_, publication) = read_toml(&desk.publication)?;
    let mut i = serde_json::Map::new();
    for (key, kind) in ISSUE_FIELDS {
        i.insert(key.into(), Value::String(issue.field("issue", key, kind)));
    }
    let mut p = serde_json::Map::new();
    for (table, key, kind) in PUBLICATION_FIELDS {
        p.insert(
            format!("{table}.{key}"),
            Value::String(publication.field(table, key, kind)),
        );
    }
    let layouts: Vec<String> = crate::util::sorted_entries(&desk.root.join("layout"))
        .into_iter()
        .filter(|d| d.join("issue.typ").is_file())
        .filter_map(|d| d.file_name()?.to_str().map(str::to_string))
        .collect();
    Ok(json!({
        "issue": i,
        "publication": p,
        "layouts": layouts,
        "papers": ["a4", "b5", "16k", "big16k", "a5"],
    }))
}

fn field_error(field: &str, message: String) -> Refused {
    let mut r = bad(message);
    r.detail = json!({ "field": field });
    r
}

/// Sets one field of a form (`file`: `issue` or `publication`), checked by the model; the
/// error, if any, belongs to that field.
pub fn set_field(desk: &mut Desk, file: &str, field: &str, value: &str) -> Answer {
    let no_field = || bad(msg!("desk-no-such-field"));
    let (path, key, table, name, kind) = match file {
        "issue" => {
            let kind = ISSUE_FIELDS
                .iter()
                .find(|(k, _)| *k == field)
                .map(|(_, k)| *k)
                .ok_or_else(no_field)?;
            let key = format!("{}/issue.toml", desk.issue_name);
            (desk.manifest.clone(), key, "issue", field, kind)
        }
        "publication" => {
            let (table, name, kind) = PUBLICATION_FIELDS
                .iter()
                .find(|(t, k, _)| format!("{t}.{k}") == field)
                .copied()
                .ok_or_else(no_field)?;
            (
                desk.publication.clone(),
                "publication.toml".to_string(),
                table,
                name,
                kind,
            )
        }
        _ => return Err(no_field()),
    };
    let (now, mut toml) = read_toml(&path)?;
    toml.set_field(table, name, kind, value).map_err(|id| {
        let message = if id == "desk-field-needs-a-date" {
            msg!("desk-field-needs-a-date", value = value.trim().to_string())
        } else {
            crate::i18n::tr(id, &[])
        };
        field_error(field, message)
    })?;
    let candidate = toml.to_string();
    if file == "issue" {
        check_issue(desk, &now, &candidate).map_err(|r| field_error(field, r.message))?;
    } else {
        let shown = display_path(&desk.publication);
        let errors = |text: &str| {
            parse_publication(SourceText::new(&shown, text.to_string()))
                .err()
                .map_or_else(Vec::new, |f| f.0)
        };
        if let Some(d) = new_errors(errors(&now), errors(&candidate)).first() {
            return Err(field_error(field, said(d)));
        }
        if name == "layout"
            && let Some(l) = value.trim().split('/').next()
            && !l.is_empty()
            && !desk.root.join("layout").join(l).join("issue.typ").is_file()
        {
            return Err(field_error(
                field,
                msg!("desk-no-such-layout", layout = l.to_string()),
            ));
        }
    }
    desk.history
        .write(&key, &path, candidate.as_bytes(), Why::Saved)
        .map_err(|f| write_failed(&f))?;
    Ok(json!({ "changed": true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_articles_name_comes_from_its_title() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            file_name_for(dir.path(), "电力装备: 运行/分析"),
            "电力装备-运行分析.md"
        );
        std::fs::write(dir.path().join("电力装备-运行分析.md"), "").unwrap();
        assert_eq!(
            file_name_for(dir.path(), "电力装备: 运行/分析"),
            "电力装备-运行分析-2.md"
        );
        assert_eq!(file_name_for(dir.path(), "../.."), "article.md");
    }
}
