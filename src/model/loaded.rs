//! An issue read whole: its publication, its manifest, its articles parsed into the
//! [`Document`] the layout will see, the images they place, and the texts for messages.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::article::{self, ImageRef};
use super::document::{ArticleData, Document, SectionData};
use super::manifest::{self, Issue};
use super::publication::{self, Publication};
use super::title;
use crate::diag::{Diagnostic, Result, SourceText, display_path};

/// An issue read and validated, ready to typeset.
#[derive(Clone)]
pub struct LoadedIssue {
    pub publication: Publication,
    pub issue: Issue,
    pub document: Document,
    /// Images the articles place, once each, by virtual path.
    pub images: Vec<ImageRef>,
    /// The files an editor wrote (publication.toml, issue.toml, articles), for messages.
    pub sources: Vec<SourceText>,
    /// The publication.toml read (canonical).
    pub publication_file: PathBuf,
}

/// One source file of an issue, as it is attached to its archive PDF and recorded in its
/// release: `name` is its path relative to the folder holding the issue folders
/// (`publication.toml`, `2021-01/issue.toml`, `2021-01/images/x.png`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub kind: &'static str,
    pub name: String,
    /// Where the layout reads it inside the sandbox.
    pub vpath: String,
    pub file: PathBuf,
}

/// The publication.toml an issue is read with: the one in the folder of issues it was named
/// from, which it must not leave (a link to a file elsewhere is refused).
fn load_publication(manifest: &Path) -> Result<(Publication, PathBuf)> {
    let issues = manifest::issues_folder(manifest)?;
    let path = issues.join("publication.toml");
    if fs::symlink_metadata(&path).is_err() {
        return Err(Diagnostic::error(msg!(
            "loaded-no-publication-toml-next",
            path = display_path(&path).display()
        ))
        .hint(msg!("loaded-publication-toml-paper-lives"))
        .into());
    }
    let real = manifest::resolve_within(&path, &issues, manifest::PUBLICATION_RULE)?;
    Ok((publication::load_publication(&real)?, real))
}

/// Article texts that stand in for their files: the desk's unsaved edits, by the article's
/// canonical path. The text is read as if it were the file's.
pub type Overlay = HashMap<PathBuf, Arc<str>>;

/// Reads an issue (its folder or its `issue.toml`), its publication and its articles.
/// All errors found are returned together, so an editor fixes them in one pass.
pub fn load(issue_arg: &Path) -> Result<LoadedIssue> {
    load_with(issue_arg, &Overlay::new())
}

/// [`load`], with the articles in `overlay` read from there instead of their files.
pub fn load_with(issue_arg: &Path, overlay: &Overlay) -> Result<LoadedIssue> {
    let manifest = manifest::issue_manifest_path(issue_arg)?;
    let issue_res = manifest::load_issue(&manifest);
    let pub_res = load_publication(&manifest);
    let (issue, (publication, publication_file)) = match (issue_res, pub_res) {
        (Ok(i), Ok(p)) => (i, p),
        (i, p) => {
            let mut all = Vec::new();
            all.extend(i.err().into_iter().flat_map(|e| e.0));
            all.extend(p.err().into_iter().flat_map(|e| e.0));
            return Err(all.into());
        }
    };

    let mut errors = Vec::new();
    let mut sections = Vec::new();
    let mut images = Vec::new();
    let mut sources = vec![publication.source.clone(), issue.source.clone()];
    // Dropped once the articles are read: the dictionary is freed before Typst runs.
    let mut segmenter = title::Segmenter::default();
    for section in &issue.sections {
        let mut articles = Vec::new();
        for a in &section.articles {
            let titled = section.kind != "editors-note";
            let read = match overlay.get(&a.path) {
                Some(text) => {
                    let source = SourceText::new(display_path(&a.path), text.clone());
                    article::parse(source, &issue.dir, titled)
                }
                None => article::load(&a.path, &issue.dir, titled),
            };
            match read {
                Ok(art) => {
                    sources.push(art.source.clone());
                    images.extend(art.images.iter().cloned());
                    articles.push(ArticleData {
                        file: a.rel.clone(),
                        title_breaks: art.meta.title.as_deref().and_then(|t| segmenter.breaks(t)),
                        title: art.meta.title,
                        subtitle: art.meta.subtitle,
                        source: art.meta.source,
                        author: art.meta.author,
                        blocks: art.blocks,
                    });
                }
                Err(e) => errors.extend(e.0),
            }
        }
        sections.push(SectionData {
            kind: section.kind.clone(),
            title: section.title.clone(),
            articles,
        });
    }
    drop(segmenter);
    if !errors.is_empty() {
        return Err(errors.into());
    }
    images.sort_by(|a, b| a.vpath.cmp(&b.vpath));
    images.dedup_by(|a, b| a.vpath == b.vpath);
    let document = Document::new(&publication, &issue, sections);
    Ok(LoadedIssue {
        publication,
        issue,
        document,
        images,
        sources,
        publication_file,
    })
}

impl LoadedIssue {
    /// The issue's sources: publication.toml, issue.toml, the articles in order, the images.
    pub fn source_files(&self) -> Vec<SourceFile> {
        let issue = &self.issue;
        let in_issue = |kind, file: &Path| {
            let r = file
                .strip_prefix(&issue.dir)
                .unwrap_or(file)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            SourceFile {
                kind,
                name: format!("{}/{r}", issue.name),
                vpath: format!("{ISSUE_MOUNT}/{r}"),
                file: file.to_path_buf(),
            }
        };
        let mut out = vec![
            SourceFile {
                kind: "publication",
                name: "publication.toml".into(),
                vpath: PUBLICATION_VPATH.into(),
                file: self.publication_file.clone(),
            },
            in_issue("manifest", &issue.dir.join("issue.toml")),
        ];
        let articles = issue.sections.iter().flat_map(|s| &s.articles);
        out.extend(articles.map(|a| in_issue("article", &a.path)));
        // The image files as the editor gave them (a converted TIFF is attached as the TIFF).
        out.extend(self.images.iter().map(|i| in_issue("image", &i.file)));
        out
    }
}

/// Where the issue folder appears inside the sandbox (`/issue/images/x.png`).
pub const ISSUE_MOUNT: &str = "/issue";
/// Archive profile only: the publication.toml the issue was read with, as the layout sees it.
pub const PUBLICATION_VPATH: &str = "/publication.toml";

/// The issue folders directly under `dir` (every folder holding an `issue.toml`), sorted.
pub fn find_issues(dir: &Path) -> Result<Vec<PathBuf>> {
    if let Err(e) = fs::metadata(dir).and_then(|m| {
        m.is_dir()
            .then_some(())
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotADirectory))
    }) {
        return Err(Diagnostic::error(msg!(
            "loaded-cannot-read-folder-issues",
            dir = display_path(dir).display(),
            e = crate::util::io_reason(&e)
        ))
        .hint(msg!("loaded-name-folder-that-holds"))
        .into());
    }
    let mut issues = crate::util::sorted_entries(dir);
    issues.retain(|p| p.join("issue.toml").is_file());
    if issues.is_empty() {
        return Err(Diagnostic::error(msg!(
            "loaded-no-issues-no-folder",
            dir = display_path(dir).display()
        ))
        .into());
    }
    Ok(issues)
}

/// A folder's own name (`2021-01`), for tables and messages.
pub fn folder_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
