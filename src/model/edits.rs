//! In-place edits of the TOML an editor wrote (the desk's): `issue.toml`'s sections and
//! fields, `publication.toml`'s fields, with toml_edit, so that comments, order, spacing and
//! keys kanwu does not know survive. An edit changes the text only; whether the result is a
//! valid issue is for the model's parsers (`manifest::parse_issue`,
//! `publication::parse_publication`) to say before anything is written.
//!
//! `issue_toml.rs` writes a new issue.toml; this changes one in place. Errors are message
//! ids of the catalogue (`desk-…`), for the caller to say in the reader's language.

use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::KNOWN_KINDS;

/// An edit that cannot be made: the catalogue's id of its message.
pub type Refusal = &'static str;

/// A manifest (issue.toml or publication.toml) being edited.
pub struct Toml {
    doc: DocumentMut,
}

impl std::fmt::Display for Toml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.doc.fmt(f)
    }
}

/// A section as issue.toml writes it: its kind, its title as written (None: the kind's own),
/// and the article files it lists.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionEntry {
    pub kind: String,
    pub title: Option<String>,
    pub articles: Vec<String>,
}

impl SectionEntry {
    /// The title shown: as written, else the known kind's.
    pub fn shown_title(&self) -> String {
        self.title.clone().unwrap_or_else(|| {
            KNOWN_KINDS
                .iter()
                .find(|(k, _)| *k == self.kind)
                .map(|(_, t)| t.to_string())
                .unwrap_or_default()
        })
    }
}

/// How a form's field is written in the file.
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

impl Toml {
    /// Parses a manifest's text; toml_edit's words when it does not parse.
    pub fn parse(text: &str) -> Result<Toml, String> {
        text.parse::<DocumentMut>()
            .map(|doc| Toml { doc })
            .map_err(|e| e.message().to_string())
    }

    fn sections_mut(&mut self) -> Result<&mut ArrayOfTables, Refusal> {
        self.doc
            .get_mut("sections")
            .and_then(Item::as_array_of_tables_mut)
            .ok_or("desk-no-such-section")
    }

    fn section_mut(&mut self, s: usize) -> Result<&mut Table, Refusal> {
        self.sections_mut()?
            .get_mut(s)
            .ok_or("desk-no-such-section")
    }

    /// The sections as written.
    pub fn sections(&self) -> Vec<SectionEntry> {
        let Some(sections) = self.doc.get("sections").and_then(Item::as_array_of_tables) else {
            return Vec::new();
        };
        sections
            .iter()
            .map(|t| SectionEntry {
                kind: t
                    .get("kind")
                    .and_then(Item::as_str)
                    .unwrap_or("")
                    .to_string(),
                title: t.get("title").and_then(Item::as_str).map(str::to_string),
                articles: t
                    .get("articles")
                    .and_then(Item::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// Moves the `i`-th article of section `from` to `index` in section `to`.
    pub fn move_article(
        &mut self,
        from: usize,
        i: usize,
        to: usize,
        index: usize,
    ) -> Result<(), Refusal> {
        let count = self.sections_mut()?.len();
        if from >= count || to >= count {
            return Err("desk-no-such-section");
        }
        let value = remove_at(articles_mut(self.section_mut(from)?), i)
            .ok_or("desk-article-not-in-issue")?;
        let rel = value.as_str().unwrap_or_default().to_string();
        insert_at(articles_mut(self.section_mut(to)?), index, &rel);
        Ok(())
    }

    /// Moves section `s` to `index`.
    pub fn move_section(&mut self, s: usize, index: usize) -> Result<(), Refusal> {
        let sections = self.sections_mut()?;
        if s >= sections.len() {
            return Err("desk-no-such-section");
        }
        // Tables are written in the order of their positions: they are given out anew.
        let mut positions: Vec<Option<usize>> = sections.iter().map(Table::position).collect();
        positions.sort();
        let mut tables: Vec<Table> = sections.iter().cloned().collect();
        let moved = tables.remove(s);
        tables.insert(index.min(tables.len()), moved);
        sections.clear();
        for (mut t, pos) in tables.into_iter().zip(positions) {
            if let Some(p) = pos {
                t.set_position(p);
            }
            sections.push(t);
        }
        Ok(())
    }

    /// A new section at the end, listing `first` (a section is never empty).
    pub fn add_section(&mut self, kind: &str, title: Option<&str>, first: &str) {
        let mut t = Table::new();
        t["kind"] = toml_edit::value(kind);
        if let Some(title) = title {
            t["title"] = toml_edit::value(title);
        }
        let mut list = Array::new();
        list.push(first);
        t["articles"] = toml_edit::value(list);
        if self.doc.get("sections").is_none() {
            self.doc["sections"] = Item::ArrayOfTables(ArrayOfTables::new());
        }
        if let Ok(sections) = self.sections_mut() {
            sections.push(t);
        }
    }

    /// Sets a section's title (None: the known kind's own, `title` removed).
    pub fn rename_section(&mut self, s: usize, title: Option<&str>) -> Result<(), Refusal> {
        let t = self.section_mut(s)?;
        match title {
            None => {
                t.remove("title");
            }
            Some(title) => match t.get_mut("title").and_then(Item::as_value_mut) {
                Some(v) => replace(v, Value::from(title)),
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
            },
        }
        Ok(())
    }

    pub fn remove_section(&mut self, s: usize) -> Result<(), Refusal> {
        let sections = self.sections_mut()?;
        if s >= sections.len() {
            return Err("desk-no-such-section");
        }
        sections.remove(s);
        Ok(())
    }

    /// Lists `rel` at `index` of section `s` (past the end: last).
    pub fn insert_article(&mut self, s: usize, index: usize, rel: &str) -> Result<(), Refusal> {
        insert_at(articles_mut(self.section_mut(s)?), index, rel);
        Ok(())
    }

    /// Takes the `i`-th article out of section `s`.
    pub fn remove_article(&mut self, s: usize, i: usize) -> Result<(), Refusal> {
        remove_at(articles_mut(self.section_mut(s)?), i).ok_or("desk-article-not-in-issue")?;
        Ok(())
    }

    /// A field as the form shows it (`""` when not set; a list one item a line).
    pub fn field(&self, table: &str, key: &str, kind: Kind) -> String {
        let Some(v) = self
            .doc
            .get(table)
            .and_then(|t| t.get(key))
            .and_then(Item::as_value)
        else {
            return String::new();
        };
        match (kind, v) {
            (Kind::List, Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
            (_, Value::String(s)) => s.value().clone(),
            (_, Value::Integer(i)) => i.value().to_string(),
            (_, Value::Datetime(d)) => d.value().to_string(),
            (_, other) => other.to_string().trim().to_string(),
        }
    }

    /// Sets a field from the form's text (an empty optional field is removed); the value
    /// keeps the place, spacing and comment of the one it replaces. Refused (with a message
    /// id) when the text is not a value of that kind.
    pub fn set_field(
        &mut self,
        table: &str,
        key: &str,
        kind: Kind,
        text: &str,
    ) -> Result<(), Refusal> {
        let new = value_of(kind, text)?;
        if self.doc.get(table).is_none() {
            if new.is_none() {
                return Ok(());
            }
            self.doc[table] = Item::Table(Table::new());
        }
        let t = self.doc[table].as_table_mut().ok_or("desk-no-such-field")?;
        match new {
            None => {
                t.remove(key);
            }
            Some(new) => match t.get_mut(key).and_then(Item::as_value_mut) {
                Some(v) => replace(v, new),
                None => t[key] = Item::Value(new),
            },
        }
        Ok(())
    }
}

/// Replaces a value, keeping its decor (spacing, comment).
fn replace(v: &mut Value, new: Value) {
    let decor = v.decor().clone();
    *v = new;
    *v.decor_mut() = decor;
}

/// A form's text as a TOML value of `kind` (None: not set).
fn value_of(kind: Kind, text: &str) -> Result<Option<Value>, Refusal> {
    let v = text.trim();
    Ok(match kind {
        Kind::Text if v.is_empty() => None,
        Kind::Text => Some(Value::from(v)),
        Kind::List => {
            let items: Vec<&str> = v.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            (!items.is_empty()).then(|| Value::Array(items.into_iter().collect()))
        }
        Kind::Int { optional: true } if v.is_empty() => None,
        Kind::Int { .. } => Some(Value::from(
            v.parse::<i64>().map_err(|_| "desk-field-needs-a-number")?,
        )),
        Kind::Date => {
            let shaped = v.len() == 10
                && v.bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            let date = shaped
                .then(|| v.parse::<toml_edit::Datetime>().ok())
                .flatten()
                .ok_or("desk-field-needs-a-date")?;
            Some(Value::from(date))
        }
    })
}

fn articles_mut(table: &mut Table) -> &mut Array {
    if !table.get("articles").is_some_and(Item::is_array) {
        table["articles"] = toml_edit::value(Array::new());
    }
    table["articles"].as_array_mut().expect("made an array")
}

/// Removes the value at `i`, giving the next one the removed one's place (its leading space
/// or line break), so a one-line list stays `["a.md", "b.md"]` and a list of lines stays so.
fn remove_at(list: &mut Array, i: usize) -> Option<Value> {
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

/// Inserts `rel` at `i`, spaced like its neighbours: in a list of lines, on a line of its
/// own; in a one-line list, after a space (the first entry, right after `[`, has none).
fn insert_at(list: &mut Array, i: usize, rel: &str) {
    let i = i.min(list.len());
    let prefix_of = |list: &Array, at: usize| {
        list.get(at).and_then(|v| {
            v.decor()
                .prefix()
                .and_then(|p| p.as_str())
                .map(str::to_string)
        })
    };
    let first = prefix_of(list, 0).unwrap_or_default();
    // How an entry after the first is spaced here.
    let later = (1..list.len())
        .find_map(|at| prefix_of(list, at))
        .unwrap_or_else(|| {
            if first.contains('\n') {
                first.clone()
            } else {
                " ".into()
            }
        });
    let mut value = Value::from(rel);
    if i == 0 {
        value.decor_mut().set_prefix(first);
        if let Some(old) = list.get_mut(0) {
            old.decor_mut().set_prefix(later);
        }
    } else {
        value.decor_mut().set_prefix(later);
    }
    list.insert_formatted(i, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE: &str = "schema = 1\n\n[issue]\nyear = 2021\nnumber = 1 # 第一期\ncopies = 200\n\n[[sections]]\nkind = \"news\"\narticles = [\"x.md\", \"y.md\"] # 注\n\n# 报告\n[[sections]]\nkind = \"reports\"\narticles = [\n  \"p.md\",\n  \"q.md\",\n]\n";

    #[test]
    fn a_moved_article_keeps_each_lists_spacing_and_every_comment() {
        let mut t = Toml::parse(ISSUE).unwrap();
        t.move_article(0, 0, 1, 1).unwrap();
        let out = t.to_string();
        assert!(out.contains("articles = [\"y.md\"] # 注\n"), "{out}");
        assert!(
            out.contains("articles = [\n  \"p.md\",\n  \"x.md\",\n  \"q.md\",\n]"),
            "{out}"
        );
        assert!(out.contains("number = 1 # 第一期") && out.contains("# 报告\n[[sections]]"));
        t.insert_article(0, 0, "z.md").unwrap();
        t.insert_article(1, 99, "r.md").unwrap();
        let out = t.to_string();
        assert!(
            out.contains("articles = [\"z.md\", \"y.md\"] # 注\n"),
            "{out}"
        );
        assert!(out.contains("  \"q.md\",\n  \"r.md\",\n]"), "{out}");
        assert_eq!(t.sections()[1].articles, ["p.md", "x.md", "q.md", "r.md"]);
    }

    #[test]
    fn sections_are_moved_added_renamed_and_removed_in_place() {
        let mut t = Toml::parse(ISSUE).unwrap();
        t.move_section(1, 0).unwrap();
        assert_eq!(t.sections()[0].kind, "reports");
        t.rename_section(0, Some("专题报告")).unwrap();
        assert!(
            t.to_string()
                .contains("kind = \"reports\"\ntitle = \"专题报告\"\narticles"),
            "{t}"
        );
        t.rename_section(0, None).unwrap();
        assert_eq!(t.sections()[0].shown_title(), "行业报告");
        t.add_section("column", Some("专栏"), "专栏.md");
        assert_eq!(t.sections()[2].articles, ["专栏.md"]);
        t.remove_section(1).unwrap();
        assert_eq!(t.sections().len(), 2);
        assert_eq!(t.move_section(5, 0), Err("desk-no-such-section"));
    }

    #[test]
    fn a_field_changes_in_place_or_says_why_not() {
        let mut t = Toml::parse(ISSUE).unwrap();
        t.set_field("issue", "number", Kind::Int { optional: false }, "2")
            .unwrap();
        assert!(t.to_string().contains("number = 2 # 第一期"), "{t}");
        assert_eq!(
            t.set_field("issue", "copies", Kind::Int { optional: true }, "三"),
            Err("desk-field-needs-a-number")
        );
        assert_eq!(
            t.set_field("issue", "date", Kind::Date, "2021-1-20"),
            Err("desk-field-needs-a-date")
        );
        t.set_field("issue", "date", Kind::Date, "2021-01-20")
            .unwrap();
        assert_eq!(t.field("issue", "date", Kind::Date), "2021-01-20");
        t.set_field("issue", "copies", Kind::Int { optional: true }, "")
            .unwrap();
        assert!(!t.to_string().contains("copies"));
        t.set_field("colophon", "send_to", Kind::List, "市委\n\n 市政府 \n")
            .unwrap();
        assert!(
            t.to_string()
                .contains("[colophon]\nsend_to = [\"市委\", \"市政府\"]"),
            "{t}"
        );
        assert_eq!(t.field("colophon", "send_to", Kind::List), "市委\n市政府");
        // An empty optional field of a table that is not there adds nothing.
        t.set_field("print", "bleed", Kind::Text, "").unwrap();
        assert!(!t.to_string().contains("[print]"));
    }
}
