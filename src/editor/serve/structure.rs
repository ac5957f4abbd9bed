//! The issue's structure and the two manifests' forms, edited from the desk: `issue.toml` and
//! `publication.toml` changed in place with toml_edit (comments, order and keys the desk does
//! not know survive), every change checked by the same model code as the command line before
//! it is written, and refused with that code's message (in the reader's language) when it
//! would not build.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};
use toml_edit::{Array, DocumentMut, Item, Table, Value as TomlValue};

use super::desk::{Answer, Desk, Refused, write_failed};
use super::history::Why;
use crate::diag::{Diagnostic, SourceText, display_path};
use crate::editor::new::{ARTICLE_STUB, EDITORS_NOTE_STUB, title_stub};
use crate::model::KNOWN_KINDS;
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

fn read_doc(path: &Path) -> Result<(String, DocumentMut), Refused> {
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
    let doc = text.parse::<DocumentMut>().map_err(|e| {
        bad(msg!(
            "desk-manifest-does-not-parse",
            e = e.message().to_string()
        ))
    })?;
    Ok((text, doc))
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

fn sections_mut(doc: &mut DocumentMut) -> Result<&mut toml_edit::ArrayOfTables, Refused> {
    doc.get_mut("sections")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(|| bad(msg!("desk-no-such-section")))
}

fn articles_mut(table: &mut Table) -> &mut Array {
    if !table.get("articles").is_some_and(Item::is_array) {
        table["articles"] = toml_edit::value(Array::new());
    }
    table["articles"].as_array_mut().expect("made an array")
}

/// Where each listed article is: (section, index in its list, the file it names).
fn listed(desk: &Desk, doc: &DocumentMut) -> Vec<(usize, usize, PathBuf)> {
    let mut out = Vec::new();
    let Some(sections) = doc.get("sections").and_then(Item::as_array_of_tables) else {
        return out;
    };
    for (s, t) in sections.iter().enumerate() {
        let Some(list) = t.get("articles").and_then(Item::as_array) else {
            continue;
        };
        for (i, v) in list.iter().enumerate() {
            if let Some(rel) = v.as_str()
                && let Ok(p) = desk.issue_dir.join(rel).canonicalize()
            {
                out.push((s, i, p));
            }
        }
    }
    out
}

/// Removes the value at `i`, giving the next one the removed one's place (its leading space
/// or line break), so a one-line list stays `["a.md", "b.md"]` and a list of lines stays so.
fn remove_at(list: &mut Array, i: usize) -> Option<TomlValue> {
    if i >= list.len() {
        return None;
    }
    let prefix = list.get(i).and_then(|v| v.decor().prefix().cloned());
    let removed = list.remove(i);
    if let (Some(next), Some(prefix)) = (list.get_mut(i), prefix) {
        next.decor_mut().set_prefix(prefix);
    }
    Some(removed)
}

/// Inserts `rel` at `i`, spaced like its neighbours.
fn insert_at(list: &mut Array, i: usize, rel: &str) {
    let i = i.min(list.len());
    let mut value = TomlValue::from(rel);
    let like = if i < list.len() { i } else { i.wrapping_sub(1) };
    if let Some(n) = list.get(like) {
        let decor = n.decor().clone();
        if i < list.len() {
            // Before the first: take its place; it moves along with a separator's spacing.
            if let Some(after) = list.get(i + 1).or(list.get(i.wrapping_sub(1))) {
                let sep = after.decor().prefix().cloned();
                if let Some(sep) = sep
                    && let Some(old) = list.get_mut(i)
                {
                    old.decor_mut().set_prefix(sep);
                }
            } else if let Some(old) = list.get_mut(i) {
                old.decor_mut().set_prefix(" ");
            }
        }
        *value.decor_mut() = decor;
    }
    list.insert_formatted(i, value);
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
        TomlValue::from(title.as_str())
    )
}

fn section_title(t: &Table) -> (String, String) {
    let kind = t
        .get("kind")
        .and_then(Item::as_str)
        .unwrap_or("")
        .to_string();
    let title = t
        .get("title")
        .and_then(Item::as_str)
        .map(str::to_string)
        .or_else(|| {
            KNOWN_KINDS
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, t)| t.to_string())
        })
        .unwrap_or_default();
    (kind, title)
}

/// Applies a change to the issue's structure; writes issue.toml (and a new article's file)
/// when the result is a valid issue, else refuses with the model's message.
pub fn apply(desk: &mut Desk, action: Action) -> Answer {
    let manifest = desk.manifest.clone();
    let (now, mut doc) = read_doc(&manifest)?;
    let where_listed = listed(desk, &doc);
    let find = |desk: &Desk, id: usize| -> Result<(usize, usize), Refused> {
        let path = desk.path_of(id)?;
        where_listed
            .iter()
            .find(|(_, _, p)| p == path)
            .map(|(s, i, _)| (*s, *i))
            .ok_or_else(|| bad(msg!("desk-article-not-in-issue")))
    };
    let mut new_file: Option<(PathBuf, String)> = None;
    match action {
        Action::MoveArticle {
            article,
            section,
            index,
        } => {
            let (from, i) = find(desk, article)?;
            let sections = sections_mut(&mut doc)?;
            if section >= sections.len() {
                return Err(bad(msg!("desk-no-such-section")));
            }
            let value = remove_at(articles_mut(sections.get_mut(from).expect("listed")), i)
                .ok_or_else(|| bad(msg!("desk-article-not-in-issue")))?;
            let rel = value.as_str().unwrap_or_default().to_string();
            let to = articles_mut(sections.get_mut(section).expect("checked"));
            insert_at(to, index, &rel);
        }
        Action::MoveSection { section, index } => {
            let sections = sections_mut(&mut doc)?;
            if section >= sections.len() {
                return Err(bad(msg!("desk-no-such-section")));
            }
            // Tables are written in the order of their positions: give them out anew.
            let mut positions: Vec<Option<usize>> = sections.iter().map(Table::position).collect();
            positions.sort();
            let mut tables: Vec<Table> = sections.iter().cloned().collect();
            let moved = tables.remove(section);
            tables.insert(index.min(tables.len()), moved);
            sections.clear();
            for (mut t, pos) in tables.into_iter().zip(positions) {
                if let Some(p) = pos {
                    t.set_position(p);
                }
                sections.push(t);
            }
        }
        Action::AddSection { kind, title } => {
            let kind = kind.trim().to_string();
            let known = KNOWN_KINDS.iter().find(|(k, _)| *k == kind);
            let title = title.trim().to_string();
            if known.is_none() && title.is_empty() {
                return Err(bad(msg!("desk-section-needs-title")));
            }
            let kind = if kind.is_empty() {
                "section".to_string()
            } else {
                kind
            };
            let shown = if title.is_empty() {
                known.map(|(_, t)| t.to_string()).unwrap_or_default()
            } else {
                title.clone()
            };
            let name = file_name_for(&desk.issue_dir, &shown);
            let mut t = Table::new();
            t["kind"] = toml_edit::value(kind.as_str());
            if !title.is_empty() {
                t["title"] = toml_edit::value(title.as_str());
            }
            let mut list = Array::new();
            list.push(name.as_str());
            t["articles"] = toml_edit::value(list);
            if doc.get("sections").is_none() {
                doc["sections"] = Item::ArrayOfTables(toml_edit::ArrayOfTables::new());
            }
            sections_mut(&mut doc)?.push(t);
            new_file = Some((
                desk.issue_dir.join(&name),
                new_article_text(&kind, &shown, ""),
            ));
        }
        Action::RenameSection { section, title } => {
            let sections = sections_mut(&mut doc)?;
            let t = sections
                .get_mut(section)
                .ok_or_else(|| bad(msg!("desk-no-such-section")))?;
            let title = title.trim();
            let (kind, _) = section_title(t);
            if title.is_empty() {
                if !KNOWN_KINDS.iter().any(|(k, _)| *k == kind) {
                    return Err(bad(msg!("desk-section-needs-title")));
                }
                t.remove("title");
            } else {
                match t.get_mut("title").and_then(Item::as_value_mut) {
                    Some(v) => {
                        let decor = v.decor().clone();
                        *v = TomlValue::from(title);
                        *v.decor_mut() = decor;
                    }
                    None => {
                        // After `kind`, where an editor writes it.
                        t.insert("title", toml_edit::value(title));
                        let order: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                        let rank = |k: &str| match k {
                            "kind" => 0,
                            "title" => 1,
                            _ => 2 + order.iter().position(|x| x == k).unwrap_or(0),
                        };
                        t.sort_values_by(|a, _, b, _| rank(a.get()).cmp(&rank(b.get())));
                    }
                }
            }
        }
        Action::RemoveSection { section } => {
            let sections = sections_mut(&mut doc)?;
            if section >= sections.len() {
                return Err(bad(msg!("desk-no-such-section")));
            }
            sections.remove(section);
        }
        Action::NewArticle { section, title } => {
            let sections = sections_mut(&mut doc)?;
            let t = sections
                .get_mut(section)
                .ok_or_else(|| bad(msg!("desk-no-such-section")))?;
            let (kind, stitle) = section_title(t);
            let shown = if title.trim().is_empty() {
                title_stub(&stitle)
            } else {
                title.trim().to_string()
            };
            let name = file_name_for(&desk.issue_dir, shown.trim_matches(['（', '）']));
            let list = articles_mut(t);
            let len = list.len();
            insert_at(list, len, &name);
            new_file = Some((
                desk.issue_dir.join(&name),
                new_article_text(&kind, &stitle, &title),
            ));
        }
        Action::RemoveArticle { article } => {
            let (s, i) = find(desk, article)?;
            let sections = sections_mut(&mut doc)?;
            remove_at(articles_mut(sections.get_mut(s).expect("listed")), i);
        }
        Action::PutBack { article, section } => {
            let path = desk.path_of(article)?.to_path_buf();
            if where_listed.iter().any(|(_, _, p)| *p == path) {
                return Err(bad(msg!("desk-article-already-in-issue")));
            }
            let rel = desk.rel_of(&path);
            let sections = sections_mut(&mut doc)?;
            let t = sections
                .get_mut(section)
                .ok_or_else(|| bad(msg!("desk-no-such-section")))?;
            let list = articles_mut(t);
            let len = list.len();
            insert_at(list, len, &rel);
        }
    }
    let candidate = doc.to_string();
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// One value per line in the form, an array of strings in the file.
    List,
    Int {
        optional: bool,
    },
    Date,
}

fn shown_value(item: Option<&Item>, kind: Kind) -> String {
    let Some(v) = item.and_then(Item::as_value) else {
        return String::new();
    };
    match (kind, v) {
        (Kind::List, TomlValue::Array(a)) => a
            .iter()
            .filter_map(TomlValue::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        (_, TomlValue::String(s)) => s.value().clone(),
        (_, TomlValue::Integer(i)) => i.value().to_string(),
        (_, TomlValue::Datetime(d)) => d.value().to_string(),
        (_, other) => other.to_string().trim().to_string(),
    }
}

/// The forms' current values, and the layouts and papers to choose from.
pub fn fields(desk: &Desk) -> Answer {
    let (_, issue) = read_doc(&desk.manifest)?;
    let (_, publication) = read_doc(&desk.publication)?;
    let mut i = serde_json::Map::new();
    for (key, kind) in ISSUE_FIELDS {
        i.insert(
            key.into(),
            Value::String(shown_value(
                issue.get("issue").and_then(|t| t.get(key)),
                kind,
            )),
        );
    }
    let mut p = serde_json::Map::new();
    for (table, key, kind) in PUBLICATION_FIELDS {
        p.insert(
            format!("{table}.{key}"),
            Value::String(shown_value(
                publication.get(table).and_then(|t| t.get(key)),
                kind,
            )),
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

/// The value as TOML, or the reason it cannot be one (in the reader's language).
fn toml_value(kind: Kind, value: &str) -> Result<Option<TomlValue>, String> {
    let v = value.trim();
    Ok(match kind {
        Kind::Text if v.is_empty() => None,
        Kind::Text => Some(TomlValue::from(v)),
        Kind::List => {
            let items: Vec<&str> = v.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            if items.is_empty() {
                None
            } else {
                Some(TomlValue::Array(items.into_iter().collect()))
            }
        }
        Kind::Int { optional } if v.is_empty() => {
            if optional {
                None
            } else {
                return Err(msg!("desk-field-needs-a-number"));
            }
        }
        Kind::Int { .. } => match v.parse::<i64>() {
            Ok(n) => Some(TomlValue::from(n)),
            Err(_) => return Err(msg!("desk-field-needs-a-number")),
        },
        Kind::Date => {
            let ok = v.len() == 10
                && v.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            let parsed = ok.then(|| v.parse::<toml_edit::Datetime>().ok()).flatten();
            match parsed {
                Some(d) => Some(TomlValue::from(d)),
                None => return Err(msg!("desk-field-needs-a-date", value = v.to_string())),
            }
        }
    })
}

fn set(table: &mut Table, key: &str, value: Option<TomlValue>) {
    match value {
        None => {
            table.remove(key);
        }
        Some(new) => match table.get_mut(key).and_then(Item::as_value_mut) {
            Some(v) => {
                let decor = v.decor().clone();
                *v = new;
                *v.decor_mut() = decor;
            }
            None => table[key] = Item::Value(new),
        },
    }
}

fn field_error(field: &str, message: String) -> Refused {
    let mut r = bad(message);
    r.detail = json!({ "field": field });
    r
}

/// Sets one field of a form (`file`: `issue` or `publication`), checked by the model; the
/// error, if any, belongs to that field.
pub fn set_field(desk: &mut Desk, file: &str, field: &str, value: &str) -> Answer {
    match file {
        "issue" => {
            let kind = ISSUE_FIELDS
                .iter()
                .find(|(k, _)| *k == field)
                .map(|(_, k)| *k)
                .ok_or_else(|| bad(msg!("desk-no-such-field")))?;
            let (now, mut doc) = read_doc(&desk.manifest)?;
            let new = toml_value(kind, value).map_err(|m| field_error(field, m))?;
            let table = doc
                .get_mut("issue")
                .and_then(Item::as_table_mut)
                .ok_or_else(|| bad(msg!("desk-no-such-field")))?;
            set(table, field, new);
            let candidate = doc.to_string();
            check_issue(desk, &now, &candidate).map_err(|r| field_error(field, r.message))?;
            let key = format!("{}/issue.toml", desk.issue_name);
            desk.history
                .write(&key, &desk.manifest, candidate.as_bytes(), Why::Saved)
                .map_err(|f| write_failed(&f))?;
        }
        "publication" => {
            let (table_name, key, kind) = PUBLICATION_FIELDS
                .iter()
                .find(|(t, k, _)| format!("{t}.{k}") == field)
                .copied()
                .ok_or_else(|| bad(msg!("desk-no-such-field")))?;
            let (now, mut doc) = read_doc(&desk.publication)?;
            let new = toml_value(kind, value).map_err(|m| field_error(field, m))?;
            if doc.get(table_name).is_none() {
                if new.is_none() {
                    return Ok(json!({ "changed": false }));
                }
                doc[table_name] = Item::Table(Table::new());
            }
            let table = doc[table_name]
                .as_table_mut()
                .ok_or_else(|| bad(msg!("desk-no-such-field")))?;
            set(table, key, new);
            let candidate = doc.to_string();
            let shown = display_path(&desk.publication);
            let errors = |text: &str| {
                parse_publication(SourceText::new(&shown, text.to_string()))
                    .err()
                    .map_or_else(Vec::new, |f| f.0)
            };
            if let Some(d) = new_errors(errors(&now), errors(&candidate)).first() {
                return Err(field_error(field, said(d)));
            }
            if key == "layout"
                && let Some(l) = value.trim().split('/').next()
                && !l.is_empty()
                && !desk.root.join("layout").join(l).join("issue.typ").is_file()
            {
                return Err(field_error(
                    field,
                    msg!("desk-no-such-layout", layout = l.to_string()),
                ));
            }
            desk.history
                .write(
                    "publication.toml",
                    &desk.publication,
                    candidate.as_bytes(),
                    Why::Saved,
                )
                .map_err(|f| write_failed(&f))?;
        }
        _ => return Err(bad(msg!("desk-no-such-field"))),
    }
    Ok(json!({ "changed": true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_entry_keeps_the_lists_spacing() {
        let mut doc: DocumentMut =
            "a = [\"x.md\", \"y.md\"] # 注\nb = [\n  \"p.md\",\n  \"q.md\",\n]\n"
                .parse()
                .unwrap();
        let a = doc["a"].as_array_mut().unwrap();
        let v = remove_at(a, 0).unwrap();
        assert_eq!(v.as_str(), Some("x.md"));
        let b = doc["b"].as_array_mut().unwrap();
        insert_at(b, 1, "x.md");
        assert_eq!(
            doc.to_string(),
            "a = [\"y.md\"] # 注\nb = [\n  \"p.md\",\n  \"x.md\",\n  \"q.md\",\n]\n"
        );
        let a = doc["a"].as_array_mut().unwrap();
        insert_at(a, 0, "z.md");
        let b = doc["b"].as_array_mut().unwrap();
        let len = b.len();
        insert_at(b, len, "r.md");
        assert_eq!(
            doc.to_string(),
            "a = [\"z.md\", \"y.md\"] # 注\nb = [\n  \"p.md\",\n  \"x.md\",\n  \"q.md\",\n  \"r.md\",\n]\n"
        );
    }

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

    #[test]
    fn form_values_become_toml_or_say_why_not() {
        assert!(
            toml_value(Kind::Int { optional: true }, "")
                .unwrap()
                .is_none()
        );
        assert!(toml_value(Kind::Int { optional: false }, "三").is_err());
        assert!(toml_value(Kind::Date, "2021-1-20").is_err());
        assert_eq!(
            toml_value(Kind::Date, "2021-01-20")
                .unwrap()
                .unwrap()
                .to_string()
                .trim(),
            "2021-01-20"
        );
        let list = toml_value(Kind::List, "市委\n\n 市政府 \n")
            .unwrap()
            .unwrap();
        assert_eq!(list.to_string().trim(), "[\"市委\", \"市政府\"]");
    }
}
