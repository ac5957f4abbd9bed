//! The manifests: `publication.toml` (what stays the same) and `issue.toml` (one issue).
//!
//! Parsing keeps spans so that every wrong value is reported at its file, line and column.
//! Schema 1 is the only schema so far. [`check_schema`] refuses a newer one (naming the kanwu
//! version needed) and [`upgrade`] is the one place where an older one is brought up to date,
//! before the file is deserialised.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::date::Date;
pub use super::paths::{
    PUBLICATION_RULE, check_issue_sandbox, issue_dir, issue_manifest_path, issues_folder,
    resolve_inside, resolve_within,
};
pub use super::text_file::read_text;
use crate::diag::{Diagnostic, Result, SourceText};

/// The largest text file an editor may give (an article, a manifest): far above any real
/// article (a 5 MB article is valid), far below what would exhaust memory.
pub const MAX_TEXT_BYTES: u64 = 32_000_000;
/// The most articles one issue may list (an issue of 10,000 short articles is valid).
pub const MAX_ARTICLES: usize = 20_000;

/// The schema this version of kanwu reads and writes.
pub const SCHEMA: i64 = 1;

/// Section kinds with a title of their own; any other kind must carry a `title`.
pub const KNOWN_KINDS: [(&str, &str); 4] = [
    ("editors-note", "编者的话"),
    ("news", "行业动态"),
    ("trends", "行业趋势"),
    ("reports", "行业报告"),
];

// ---------------------------------------------------------------- the typed model

/// `kind` in `[issue]`: a regular issue, or a supplement (增刊) whose `number` counts the
/// supplements of its year apart from the regular issues.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssueKind {
    #[default]
    Regular,
    Supplement,
}

impl IssueKind {
    /// 2021年第1期（总第25期）; a supplement: 2021年增刊第1期.
    pub fn label(self, year: i32, number: u32, serial: Option<u32>) -> String {
        let kind = match self {
            IssueKind::Regular => "",
            IssueKind::Supplement => "增刊",
        };
        let serial = serial.map(|s| format!("（总第{s}期）")).unwrap_or_default();
        format!("{year}年{kind}第{number}期{serial}")
    }
}

/// `issue.toml`: one issue, validated.
#[derive(Debug, Clone)]
pub struct Issue {
    /// The issue folder (canonical).
    pub dir: PathBuf,
    /// The folder's name, which names the output (`2021-01`).
    pub name: String,
    pub year: i32,
    pub number: u32,
    pub kind: IssueKind,
    pub serial: Option<u32>,
    pub date: Date,
    pub copies: Option<u32>,
    /// Pages this issue should fill, overriding publication.toml's `page_budget`.
    pub page_budget: Option<u32>,
    pub sections: Vec<Section>,
    pub source: SourceText,
    /// What looks wrong but may be meant (a date outside the issue's year): reported, not refused.
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub kind: String,
    pub title: String,
    pub articles: Vec<ArticleRef>,
}

/// An article named in the manifest, already checked to exist inside the issue folder.
#[derive(Debug, Clone)]
pub struct ArticleRef {
    /// As written in the manifest.
    pub rel: String,
    pub path: PathBuf,
    /// Where the manifest names it.
    pub span: Range<usize>,
}

// ---------------------------------------------------------------- the files as written

#[derive(Deserialize)]
struct SchemaOnly {
    schema: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueFile {
    #[allow(dead_code)]
    schema: toml::Value,
    issue: IssueTable,
    #[serde(default)]
    sections: Vec<Spanned<SectionTable>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueTable {
    year: Spanned<i64>,
    number: Spanned<i64>,
    kind: Option<Spanned<String>>,
    serial: Option<Spanned<i64>>,
    date: Spanned<toml::Value>,
    copies: Option<Spanned<i64>>,
    page_budget: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionTable {
    kind: Spanned<String>,
    title: Option<Spanned<String>>,
    #[serde(default)]
    articles: Vec<Spanned<String>>,
}

// ---------------------------------------------------------------- loading

fn toml_error(src: &SourceText, err: toml::de::Error) -> Diagnostic {
    let (message, hints) = super::toml_message::explain(err.message());
    let mut d = Diagnostic::error(message);
    for h in hints {
        d = d.hint(h);
    }
    match err.span() {
        Some(span) => d.at(src, span),
        None => d.in_file(&src.path),
    }
}

/// Upgrades a manifest (either file) written for an older `schema` to [`SCHEMA`]: the one place
/// where that happens. Each future schema adds one step (`1 => upgrade(2, v1_to_v2(table))`),
/// so every old issue keeps building. Called before deserialising.
pub fn upgrade(schema: i64, table: toml::Table) -> std::result::Result<toml::Table, String> {
    match schema {
        SCHEMA => Ok(table),
        n => Err(msg!(
            "manifest-there-no-manifest-schema",
            n = n,
            a1 = env!("CARGO_PKG_VERSION"),
            SCHEMA = SCHEMA
        )),
    }
}

/// Deserialises a manifest after [`check_schema`]: a current one straight from its text (so that
/// errors keep their line and column), an older one through [`upgrade`].
pub(crate) fn parse_manifest<T: serde::de::DeserializeOwned>(src: &SourceText) -> Result<T> {
    let (schema, span) = check_schema(src)?;
    if schema == SCHEMA {
        return toml::from_str(&src.text).map_err(|e| toml_error(src, e).into());
    }
    let table: toml::Table = toml::from_str(&src.text).map_err(|e| toml_error(src, e))?;
    let upgraded =
        upgrade(schema, table).map_err(|m| Diagnostic::error(m).at(src, span.clone()))?;
    let text = toml::to_string(&upgraded).expect("a table serialises");
    toml::from_str(&text).map_err(|e| {
        Diagnostic::error(msg!(
            "manifest-manifest-as-upgraded-from",
            e = e.message().trim(),
            schema = schema
        ))
        .at(src, span)
        .into()
    })
}

/// Checks `schema` before anything else, so that a manifest from a newer kanwu gets a message
/// about versions rather than about unknown fields. Returns the schema and where it is written.
fn check_schema(src: &SourceText) -> Result<(i64, Range<usize>)> {
    let head: SchemaOnly = toml::from_str(&src.text).map_err(|e| toml_error(src, e))?;
    let Some(schema) = head.schema else {
        return Err(Diagnostic::error(msg!("manifest-missing-schema"))
            .at(src, 0..0)
            .hint(msg!("manifest-start-file-with-schema", schema = SCHEMA))
            .into());
    };
    let span = schema.span();
    match schema.into_inner() {
        toml::Value::Integer(n) if (1..=SCHEMA).contains(&n) => Ok((n, span)),
        toml::Value::Integer(n) if n > SCHEMA => Err(Diagnostic::error(msg!(
            "manifest-this-file-written-for",
            n = n,
            version = env!("CARGO_PKG_VERSION"),
            schema = SCHEMA
        ))
        .at(src, span)
        .hint(msg!("manifest-build-with-newer-kanwu"))
        .into()),
        _ => Err(
            Diagnostic::error(msg!("manifest-schema-must-be-schema", schema = SCHEMA))
                .at(src, span)
                .hint(msg!("manifest-write-schema-schema", schema = SCHEMA))
                .into(),
        ),
    }
}

/// Loads and validates `issue.toml`: every article exists, once, inside the issue folder.
pub fn load_issue(manifest: &Path) -> Result<Issue> {
    check_issue_sandbox(manifest)?;
    parse_issue(manifest, read_text(manifest)?)
}

/// Validates the text of `manifest` as [`load_issue`] does, the articles it names looked up
/// beside it: the desk checks an edit this way before it writes it.
pub fn parse_issue(manifest: &Path, src: SourceText) -> Result<Issue> {
    let file: IssueFile = parse_manifest(&src)?;
    let (dir, name) = issue_dir(manifest)?;
    let mut errors = Vec::new();
    let t = &file.issue;

    let int = |v: &Spanned<i64>, what: &str, range: Range<i64>, errors: &mut Vec<Diagnostic>| {
        let n = *v.get_ref();
        if !range.contains(&n) {
            errors.push(
                Diagnostic::error(msg!("manifest-out-range", what = what, n = n))
                    .at(&src, v.span())
                    .hint(msg!(
                        "manifest-number-from",
                        what = what,
                        start = range.start,
                        end = range.end - 1
                    )),
            );
        }
        n
    };
    let year = int(&t.year, "year", 1900..3000, &mut errors) as i32;
    let number = int(&t.number, "number", 1..1000, &mut errors) as u32;
    let kind = match &t.kind {
        None => IssueKind::Regular,
        Some(k) => match k.get_ref().trim() {
            "regular" => IssueKind::Regular,
            "supplement" => IssueKind::Supplement,
            other => {
                errors.push(
                    Diagnostic::error(msg!("manifest-issue-kind-not-known", other = other))
                        .at(&src, k.span())
                        .hint(msg!("manifest-write-kind-supplement-for")),
                );
                IssueKind::Regular
            }
        },
    };
    let serial = t
        .serial
        .as_ref()
        .map(|s| int(s, "serial", 1..100_000, &mut errors) as u32);
    let copies = t
        .copies
        .as_ref()
        .map(|c| int(c, "copies", 1..10_000_000, &mut errors) as u32);
    let page_budget = t
        .page_budget
        .as_ref()
        .map(|b| int(b, "page_budget", 1..1000, &mut errors) as u32);
    let date = match date_value(&t.date) {
        Ok(d) => d,
        Err(d) => {
            errors.push(d.at(&src, t.date.span()));
            Date {
                year,
                month: 1,
                day: 1,
            }
        }
    };

    let mut warnings = Vec::new();
    if errors.is_empty() && date.year != year {
        warnings.push(
            Diagnostic::warning(msg!("manifest-issue-s-date-not", date = date, year = year))
                .at(&src, t.date.span())
                .hint(msg!(
                    "manifest-correct-date-or-year",
                    year = year,
                    date = date
                )),
        );
    }
    let mut seen: HashMap<PathBuf, Range<usize>> = HashMap::new();
    let mut sections = Vec::new();
    for section in &file.sections {
        let s = section.get_ref();
        let kind = s.kind.get_ref().trim().to_string();
        let known = KNOWN_KINDS
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| *t);
        let title = match (&s.title, known) {
            (Some(t), _) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
            (_, Some(t)) => t.to_string(),
            (_, None) => {
                errors.push(
                    Diagnostic::error(msg!("manifest-section-kind-not-known", kind = kind))
                        .at(&src, s.kind.span())
                        .hint(msg!(
                            "manifest-give-title-title-or",
                            kinds = KNOWN_KINDS
                                .iter()
                                .map(|(k, _)| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                );
                String::new()
            }
        };
        if s.articles.is_empty() {
            errors.push(
                // Named as the reader knows it: by its title (行业趋势), the key after it.
                Diagnostic::error(msg!(
                    "manifest-section-lists-no-articles",
                    title = if title.is_empty() {
                        kind.clone()
                    } else {
                        title.clone()
                    },
                    kind = kind
                ))
                .at(&src, section.span())
                .hint(msg!("manifest-add-articles-file-md")),
            );
        }
        let mut articles = Vec::new();
        for a in &s.articles {
            match resolve_inside(&dir, a.get_ref(), "article") {
                Ok(path) => {
                    if let Some(first) = seen.get(&path) {
                        errors.push(
                            Diagnostic::error(msg!(
                                "manifest-article-listed-twice",
                                a = a.get_ref()
                            ))
                            .at(&src, a.span())
                            .related(&src, first.clone(), msg!("manifest-first-listed-here"))
                            .hint(msg!("manifest-article-appears-once-per")),
                        );
                        continue;
                    }
                    seen.insert(path.clone(), a.span());
                    articles.push(ArticleRef {
                        rel: a.get_ref().clone(),
                        path,
                        span: a.span(),
                    });
                }
                Err(d) => errors.push(d.at(&src, a.span())),
            }
        }
        sections.push(Section {
            kind,
            title,
            articles,
        });
    }
    let count: usize = sections.iter().map(|s| s.articles.len()).sum();
    if count > MAX_ARTICLES {
        errors.push(
            Diagnostic::error(msg!(
                "manifest-issue-lists-articles-kanwu",
                count = count,
                max = MAX_ARTICLES
            ))
            .in_file(&src.path)
            .hint(msg!("manifest-split-into-several-issues")),
        );
    }
    if file.sections.is_empty() {
        errors.push(
            Diagnostic::error(msg!("manifest-issue-empty-has-no"))
                .at(&src, src.text.len()..src.text.len())
                .hint(msg!(
                    "manifest-add-a-section",
                    example = "`[[sections]]`\n`kind = \"news\"`\n`articles = [\"article.md\"]`"
                )),
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(Issue {
        dir,
        name,
        year,
        number,
        kind,
        serial,
        date,
        copies,
        page_budget,
        sections,
        source: src,
        warnings,
    })
}

fn date_value(value: &Spanned<toml::Value>) -> std::result::Result<Date, Diagnostic> {
    let hint = msg!("manifest-write-toml-date-without-2");
    match value.get_ref() {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let d = dt.date.expect("a datetime without time has a date");
            Date::new(i32::from(d.year), d.month, d.day).ok_or_else(|| {
                Diagnostic::error(msg!("manifest-not-day-calendar", d = d)).hint(hint)
            })
        }
        toml::Value::Datetime(_) => {
            Err(Diagnostic::error(msg!("manifest-date-must-be-date")).hint(hint))
        }
        toml::Value::String(s) => {
            Err(Diagnostic::error(msg!("manifest-date-text-not-date", s = s)).hint(hint))
        }
        other => Err(Diagnostic::error(msg!(
            "manifest-date-must-be-date-2",
            other = other.type_str()
        ))
        .hint(hint)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upgrade_is_the_identity_for_the_current_schema_and_refuses_unknown_ones() {
        let table: toml::Table =
            toml::from_str("schema = 1\n[issue]\nyear = 2021\nnumber = 1\n").unwrap();
        assert_eq!(upgrade(SCHEMA, table.clone()).unwrap(), table);
        let err = upgrade(0, table).unwrap_err();
        assert!(err.contains("no manifest schema 0"), "{err}");
    }

    #[test]
    fn current_manifests_are_parsed_through_parse_manifest_with_spans() {
        let src = SourceText::new("issue.toml", "schema = 1\n[issue]\nyear = \"x\"\n");
        let Err(err) = parse_manifest::<IssueFile>(&src) else {
            panic!("a year that is text must fail");
        };
        assert_eq!(err.0[0].line(), Some(3), "{err}");
    }

    #[test]
    fn a_supplement_is_labelled_apart_from_the_regular_issues() {
        assert_eq!(
            IssueKind::Regular.label(2021, 1, Some(25)),
            "2021年第1期（总第25期）"
        );
        assert_eq!(
            IssueKind::Supplement.label(2021, 1, None),
            "2021年增刊第1期"
        );
        let src = SourceText::new(
            "issue.toml",
            "schema = 1\n[issue]\nyear = 2021\nnumber = 1\nkind = \"supplement\"\ndate = 2021-01-28\n",
        );
        let file: IssueFile = parse_manifest(&src).unwrap();
        assert_eq!(file.issue.kind.unwrap().into_inner(), "supplement");
    }

    #[test]
    fn newer_schema_names_the_version() {
        let src = SourceText::new("issue.toml", "schema = 2\n");
        let err = check_schema(&src).unwrap_err();
        assert!(err.0[0].message.contains("schema 2"), "{err}");
        assert!(
            err.0[0].message.contains(env!("CARGO_PKG_VERSION")),
            "{err}"
        );
    }
}
