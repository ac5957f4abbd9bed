//! The one writer of `issue.toml` (used by `kanwu new` and `kanwu import`), with `toml_edit`:
//! every value is quoted and escaped by a TOML library, never pasted into a template.

use super::date::Date;
use super::manifest::{KNOWN_KINDS, SCHEMA};

/// A section as written: `title` only where the kind has no title of its own or another one
/// is wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionEntry {
    pub kind: String,
    pub title: String,
    pub articles: Vec<String>,
}

/// What a new `issue.toml` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEntry {
    pub year: i32,
    pub number: u32,
    pub serial: Option<u32>,
    pub date: Date,
    pub copies: Option<u32>,
    pub sections: Vec<SectionEntry>,
}

/// `issue.toml` in schema 1: `schema`, then `[issue]`, then one `[[sections]]` each, a blank
/// line before every table as an editor would write it.
pub fn write(entry: &IssueEntry) -> String {
    use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};
    let mut doc = DocumentMut::new();
    doc["schema"] = value(SCHEMA);
    let mut issue = Table::new();
    issue["year"] = value(i64::from(entry.year));
    issue["number"] = value(i64::from(entry.number));
    if let Some(s) = entry.serial {
        issue["serial"] = value(i64::from(s));
    }
    issue["date"] = value(toml_edit::Datetime {
        date: Some(toml_edit::Date {
            year: entry.date.year as u16,
            month: entry.date.month,
            day: entry.date.day,
        }),
        time: None,
        offset: None,
    });
    if let Some(c) = entry.copies {
        issue["copies"] = value(i64::from(c));
    }
    issue.decor_mut().set_prefix("\n");
    doc["issue"] = Item::Table(issue);
    let mut sections = ArrayOfTables::new();
    for s in &entry.sections {
        let mut t = Table::new();
        t["kind"] = value(s.kind.as_str());
        let own_title = KNOWN_KINDS.iter().find(|(k, _)| *k == s.kind).map(|k| k.1);
        if own_title != Some(s.title.as_str()) {
            t["title"] = value(s.title.as_str());
        }
        t["articles"] = value(
            s.articles
                .iter()
                .map(String::as_str)
                .collect::<toml_edit::Array>(),
        );
        t.decor_mut().set_prefix("\n");
        sections.push(t);
    }
    if !sections.is_empty() {
        doc["sections"] = Item::ArrayOfTables(sections);
    }
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_issue_toml_reads_back_with_every_value_escaped() {
        let entry = IssueEntry {
            year: 2021,
            number: 2,
            serial: Some(26),
            date: Date::parse("2021-02-20").unwrap(),
            copies: None,
            sections: vec![
                SectionEntry {
                    kind: "news".into(),
                    title: "行业动态".into(),
                    articles: vec!["news.md".into()],
                },
                SectionEntry {
                    kind: "专题".into(),
                    title: "专题 \"引号\" \\ 与反斜杠".into(),
                    articles: vec!["a.md".into(), "b c.md".into()],
                },
            ],
        };
        let text = write(&entry);
        assert!(
            text.starts_with("schema = 1\n\n[issue]\nyear = 2021\nnumber = 2\nserial = 26\ndate = 2021-02-20\n\n[[sections]]\nkind = \"news\"\narticles = [\"news.md\"]\n"),
            "{text}"
        );
        let t: toml::Table = text.parse().unwrap();
        let s = t["sections"].as_array().unwrap();
        assert_eq!(s.len(), 2);
        assert!(
            s[0].get("title").is_none(),
            "a known kind keeps its own title"
        );
        assert_eq!(s[1]["title"].as_str(), Some("专题 \"引号\" \\ 与反斜杠"));
        assert_eq!(s[1]["articles"][1].as_str(), Some("b c.md"));
        assert!(t["issue"].get("copies").is_none());
    }
}
