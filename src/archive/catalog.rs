//! The 年度总目录: every issue's sections and articles with the pages they start on, as JSON
//! for tools and as a PDF set by the layout's `catalog.typ`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use typst::foundations::Bytes;
use typst_layout::PagedDocument;

use super::for_each_issue;
use crate::diag::{Diagnostic, Result};
use crate::model::loaded::folder_name;
use crate::model::publication::{Paper, load_publication};
use crate::model::{Date, IssueKind, LoadedIssue, Profile, find_issues};
use crate::project::Project;
use crate::typeset::compile::{self, PdfIdentity};
use crate::typeset::layout::{self, CATALOG_VPATH, Entry};
use crate::util::{sha256_bytes, write_atomic};

/// `out/catalog.json`: every issue, its sections and articles with their start pages.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub version: u32,
    pub publication: String,
    pub publisher: String,
    pub paper: Paper,
    pub issues: Vec<CatalogIssue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogIssue {
    pub name: String,
    pub year: i32,
    pub number: u32,
    /// "regular", or "supplement" (增刊, numbered apart; the layout lists them under their own
    /// heading).
    pub kind: IssueKind,
    pub serial: Option<u32>,
    pub date: String,
    pub pages: usize,
    /// The screen PDF's file name and sha256 (the bytes `kanwu build` writes).
    pub pdf: String,
    pub sha256: String,
    pub sections: Vec<CatalogSection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogSection {
    pub kind: String,
    pub title: String,
    pub page: usize,
    pub articles: Vec<CatalogArticle>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogArticle {
    pub title: Option<String>,
    pub source: Option<String>,
    pub file: String,
    pub page: usize,
}

fn catalog_issue(loaded: &LoadedIssue, doc: &PagedDocument, pdf: &[u8]) -> Result<CatalogIssue> {
    let name = &loaded.issue.name;
    let missing = |what: &str| {
        Diagnostic::error(msg!(
            "catalog-layout-placed-no-label",
            name = name,
            what = what
        ))
        .hint(msg!("catalog-see-layout-readme-md"))
    };
    let mut sections = Vec::new();
    for (si, s) in loaded.document.sections.iter().enumerate() {
        let sl = layout::section_label(si);
        let page = layout::label_page(doc, &sl).ok_or_else(|| missing(&sl))?;
        let mut articles = Vec::new();
        for (ai, a) in s.articles.iter().enumerate() {
            let page = if a.title.is_some() {
                let al = layout::article_label(si, ai);
                layout::label_page(doc, &al).ok_or_else(|| missing(&al))?
            } else {
                page
            };
            articles.push(CatalogArticle {
                title: a.title.clone(),
                source: a.source.clone(),
                file: a.file.clone(),
                page,
            });
        }
        sections.push(CatalogSection {
            kind: s.kind.clone(),
            title: s.title.clone(),
            page,
            articles,
        });
    }
    let i = &loaded.issue;
    Ok(CatalogIssue {
        name: name.clone(),
        year: i.year,
        number: i.number,
        kind: i.kind,
        serial: i.serial,
        date: i.date.to_string(),
        pages: doc.pages().len(),
        pdf: Profile::Screen.file_name(name),
        sha256: sha256_bytes(pdf),
        sections,
    })
}

/// The catalogue's two outputs, written to `out/catalog.json` and `out/catalog.pdf`.
pub struct CatalogOutput {
    pub catalog: Catalog,
    pub json: PathBuf,
    pub pdf: PathBuf,
    pub pages: usize,
    /// The issues that failed to build, left out of the catalogue: their names, and their
    /// errors (each followed by one naming the issue).
    pub failed: Vec<String>,
    pub errors: Vec<Diagnostic>,
}

/// Builds every issue under `issues_dir` in memory (in parallel), reads the start pages from
/// the compiled documents, sets the 年度总目录 with the publication's layout
/// (`layout/<layout>/catalog.typ`) and writes both files. An issue that fails to build is left
/// out (named in [`CatalogOutput::failed`] with its errors): one bad issue does not keep the
/// others' catalogue from being written. Fails, writing nothing, when every issue fails.
pub fn catalog(project: &Project, issues_dir: &Path) -> Result<CatalogOutput> {
    let issues = find_issues(issues_dir)?;
    let results: Vec<Result<(CatalogIssue, String, Date)>> = for_each_issue(&issues, |issue| {
        let loaded = project.load(issue)?;
        let r = project.render(&loaded, Profile::Screen)?;
        let entry = catalog_issue(&loaded, &r.doc, &r.pdf)?;
        Ok((entry, loaded.publication.layout.clone(), loaded.issue.date))
    });
    let mut errors = Vec::new();
    let mut failed = Vec::new();
    let mut entries = Vec::new();
    for (issue, r) in issues.iter().zip(results) {
        match r {
            Ok(e) => entries.push(e),
            Err(f) => {
                errors.extend(f.0);
                errors.push(Diagnostic::error(msg!(
                    "catalog-failed-build-so-catalogue",
                    issue = folder_name(issue)
                )));
                failed.push(folder_name(issue));
            }
        }
    }
    if entries.is_empty() {
        return Err(errors.into());
    }
    // By year, then by date: supplements (增刊) fall among the regular issues where they
    // appeared.
    entries.sort_by_key(|(e, _, d)| (e.year, *d, e.kind, e.number, e.name.clone()));
    let publication = load_publication(&issues_dir.join("publication.toml"))?;
    let layout = entries
        .first()
        .map(|(_, l, _)| l.clone())
        .unwrap_or_else(|| publication.layout.clone());
    let last = entries
        .last()
        .map(|(_, _, d)| *d)
        .expect("some issue built");
    let catalog = Catalog {
        version: 1,
        publication: publication.name.clone(),
        publisher: publication.publisher.clone(),
        paper: publication.paper.clone(),
        issues: entries.into_iter().map(|(e, _, _)| e).collect(),
    };
    let json = serde_json::to_vec_pretty(&catalog).expect("the catalogue serialises");

    let mut files = HashMap::new();
    files.insert(CATALOG_VPATH.to_string(), Bytes::new(json.clone()));
    let entry = Entry::Catalog { layout: &layout };
    let ts = project.typesetter();
    let world = ts.layout_world(entry, files, last);
    let doc = ts.compile_world(&world, entry, None)?.doc;
    let id = PdfIdentity::new(format!("kanwu/{}/catalog", publication.name), last);
    let pdf = compile::export_pdf(&doc, &id)?;
    let out = project.root.join("out");
    let (json_path, pdf_path) = (out.join("catalog.json"), out.join("catalog.pdf"));
    write_atomic(&json_path, &json)?;
    write_atomic(&pdf_path, &pdf)?;
    Ok(CatalogOutput {
        catalog,
        json: json_path,
        pdf: pdf_path,
        pages: doc.pages().len(),
        failed,
        errors,
    })
}
