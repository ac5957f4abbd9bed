//! The archive: batch builds of many issues, the sources inside archive PDFs (`extract`), the
//! reproducibility record (`release.toml`) and its check (`verify`), and the catalogue.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use toml::Spanned;
use typst::foundations::{Bytes, Label};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, Result, SourceText, display_path};
use crate::fonts::{hex, sha256_file};
use crate::render::{self, PdfIdentity, Profile};
use crate::world::KanwuWorld;
use crate::{BuildOptions, Built, LoadedIssue, MAIN_VPATH, Project};

// ---------------------------------------------------------------- finding issues

/// The issue folders directly under `dir` (every folder holding an `issue.toml`), sorted.
pub fn find_issues(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = fs::read_dir(dir).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read the folder of issues {}: {e}",
            display_path(dir).display()
        ))
        .hint("name the folder that holds the issue folders, e.g. `--all issues`")
    })?;
    let mut issues: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("issue.toml").is_file())
        .collect();
    issues.sort();
    if issues.is_empty() {
        return Err(Diagnostic::error(format!(
            "no issues in {}: no folder there holds an issue.toml",
            display_path(dir).display()
        ))
        .into());
    }
    Ok(issues)
}

fn folder_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

// ---------------------------------------------------------------- batch builds

/// One issue of a batch build.
#[derive(Debug)]
pub struct BatchItem {
    pub issue: PathBuf,
    /// The issue folder's name (`2021-01`).
    pub name: String,
    pub result: Result<Built>,
    pub elapsed: Duration,
}

/// Memo entries unused for this many finished issues are dropped (see [`for_each_issue`]).
const EVICT_AFTER: usize = 2;

/// Builds every issue, as many at a time as there are cores, with the project's shared fonts.
/// A failing issue does not stop the others; `done` is called as each one finishes (for a
/// progress bar). Results come back in the order of `issues`.
pub fn build_all(
    project: &Project,
    issues: &[PathBuf],
    profile: Profile,
    done: &(dyn Fn(&BatchItem) + Sync),
) -> Vec<BatchItem> {
    let options = BuildOptions {
        output: None,
        profile,
        booklet: false,
    };
    for_each_issue(issues, |issue| {
        let start = Instant::now();
        let result = project.build(issue, &options);
        let item = BatchItem {
            issue: issue.clone(),
            name: folder_name(issue),
            result,
            elapsed: start.elapsed(),
        };
        done(&item);
        item
    })
}

/// Runs `f` on every issue, as many at a time as there are cores; results in input order.
///
/// The issues run on plain threads, not on rayon's pool: Typst lays out pages on that pool,
/// and a rayon worker waiting for its pages steals whole other issues and runs them nested
/// inside its own, keeping every suspended issue in memory (24 issues peaked at 611 MiB).
/// After each issue, Typst's memo caches drop what only finished issues used.
pub fn for_each_issue<T: Send>(issues: &[PathBuf], f: impl Fn(&PathBuf) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(issues.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new(issues.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(issue) = issues.get(i) else { break };
                    let out = f(issue);
                    typst::comemo::evict(EVICT_AFTER);
                    results.lock().expect("not poisoned")[i] = Some(out);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("not poisoned")
        .into_iter()
        .map(|r| r.expect("every issue ran"))
        .collect()
}

// ---------------------------------------------------------------- extract

/// One file attached to a PDF.
pub struct Attachment {
    pub name: String,
    pub data: Vec<u8>,
}

/// The files attached to a PDF (its EmbeddedFiles name tree), in the tree's order.
pub fn attachments(pdf: &Path) -> Result<Vec<Attachment>> {
    let shown = display_path(pdf);
    let doc = lopdf::Document::load(pdf)
        .map_err(|e| Diagnostic::error(format!("cannot read {} as a PDF: {e}", shown.display())))?;
    let mut out = Vec::new();
    let tree = doc
        .catalog()
        .ok()
        .and_then(|c| c.get_deref(b"Names", &doc).ok())
        .and_then(|n| n.as_dict().ok())
        .and_then(|n| n.get_deref(b"EmbeddedFiles", &doc).ok())
        .and_then(|t| t.as_dict().ok());
    if let Some(tree) = tree {
        collect_name_tree(&doc, tree, &mut out, 0).map_err(|e| {
            Diagnostic::error(format!(
                "{}: an attached file cannot be read: {e}",
                shown.display()
            ))
        })?;
    }
    Ok(out)
}

fn collect_name_tree(
    doc: &lopdf::Document,
    node: &lopdf::Dictionary,
    out: &mut Vec<Attachment>,
    depth: usize,
) -> std::result::Result<(), String> {
    if depth > 32 {
        return Err("the name tree is too deep".into());
    }
    if let Ok(kids) = node.get_deref(b"Kids", doc).and_then(|k| k.as_array()) {
        for kid in kids {
            let (_, kid) = doc.dereference(kid).map_err(|e| e.to_string())?;
            let kid = kid.as_dict().map_err(|e| e.to_string())?;
            collect_name_tree(doc, kid, out, depth + 1)?;
        }
    }
    if let Ok(names) = node.get_deref(b"Names", doc).and_then(|n| n.as_array()) {
        for pair in names.chunks(2) {
            let [key, spec] = pair else { continue };
            let key = lopdf::decode_text_string(key).unwrap_or_default();
            let (_, spec) = doc.dereference(spec).map_err(|e| e.to_string())?;
            let spec = spec.as_dict().map_err(|e| e.to_string())?;
            let name = [b"UF".as_slice(), b"F"]
                .iter()
                .find_map(|k| {
                    spec.get_deref(k, doc)
                        .ok()
                        .and_then(|o| lopdf::decode_text_string(o).ok())
                })
                .unwrap_or(key);
            let stream = spec
                .get_deref(b"EF", doc)
                .and_then(|ef| ef.as_dict())
                .and_then(|ef| ef.get_deref(b"F", doc))
                .and_then(|s| s.as_stream())
                .map_err(|e| format!("{name}: {e}"))?;
            let data = if stream.dict.has(b"Filter") {
                stream
                    .decompressed_content()
                    .map_err(|e| format!("{name}: {e}"))?
            } else {
                stream.content.clone()
            };
            out.push(Attachment { name, data });
        }
    }
    Ok(())
}

/// Writes the sources attached to an archive PDF back into `dir`: `publication.toml` in `dir`,
/// the issue's files under `dir/<issue>/`. Returns the files written.
pub fn extract(pdf: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let files = attachments(pdf)?;
    if files.is_empty() {
        return Err(Diagnostic::error(format!(
            "{} has no attached files",
            display_path(pdf).display()
        ))
        .hint("only an archive PDF carries its sources: build it with `kanwu build ISSUE --profile archive`")
        .into());
    }
    let mut written = Vec::new();
    for f in &files {
        // Names come from a file someone may have crafted: keep them inside `dir`.
        let rel = Path::new(&f.name);
        let safe = !f.name.is_empty()
            && rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !safe {
            return Err(Diagnostic::error(format!(
                "attached file `{}` would be written outside {}",
                f.name,
                display_path(dir).display()
            ))
            .hint("this PDF was not written by kanwu; its attachments are not extracted")
            .into());
        }
        let target = dir.join(rel);
        render::write_atomic(&target, &f.data)?;
        written.push(target);
    }
    Ok(written)
}

// ---------------------------------------------------------------- release and verify

/// The format of `release.toml` this kanwu reads and writes.
pub const RELEASE_FORMAT: i64 = 1;
pub const RELEASE_FILE: &str = "release.toml";

/// `release.toml`: what an issue was built from and what it gave.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub format: i64,
    pub kanwu: String,
    pub issue: String,
    #[serde(rename = "input", default)]
    pub inputs: Vec<Recorded>,
    #[serde(rename = "output", default)]
    pub outputs: Vec<RecordedOutput>,
}

/// An input: `kind` is publication, manifest, article, image, layout or font.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    pub kind: String,
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordedOutput {
    pub profile: String,
    pub file: String,
    pub pages: usize,
    pub sha256: String,
}

pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hash(kind: &str, path: String, file: &Path) -> Result<Recorded> {
    let sha256 = sha256_file(file).map_err(|e| {
        Diagnostic::error(format!("cannot read {}: {e}", display_path(file).display()))
    })?;
    Ok(Recorded {
        kind: kind.to_string(),
        path,
        sha256,
    })
}

/// The fonts of the project, hashed (every file read: done once per process). Fonts under
/// `fonts/` are named `fonts/<file>`; others by their path.
pub fn font_inputs(project: &Project) -> Result<Vec<Recorded>> {
    let mut files: Vec<&PathBuf> = project.fonts.faces().iter().map(|f| &f.path).collect();
    files.sort();
    files.dedup();
    // fonts/ may hold links (a scan reports their targets): name each file as found in fonts/.
    let fonts_dir = project.root.join("fonts");
    let in_fonts: HashMap<PathBuf, String> = fs::read_dir(&fonts_dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let real = e.path().canonicalize().ok()?;
            Some((real, format!("fonts/{}", e.file_name().to_string_lossy())))
        })
        .collect();
    let mut named: Vec<(String, &PathBuf)> = files
        .into_iter()
        .map(|file| {
            let real = file.canonicalize().unwrap_or_else(|_| file.clone());
            let name = in_fonts
                .get(&real)
                .cloned()
                .unwrap_or_else(|| file.display().to_string());
            (name, file)
        })
        .collect();
    named.sort();
    named
        .into_par_iter()
        .map(|(name, file)| hash("font", name, file))
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every input of an issue's build: its sources, the layout's files, the fonts.
pub fn issue_inputs(
    project: &Project,
    loaded: &LoadedIssue,
    fonts: &[Recorded],
) -> Result<Vec<Recorded>> {
    let mut out = Vec::new();
    for s in Project::sources(loaded) {
        out.push(hash(s.kind, s.name, &s.file)?);
    }
    let layout = project.root.join("layout").join(&loaded.publication.layout);
    let mut files = Vec::new();
    walk(&layout, &mut files);
    for f in files {
        let rel = f.strip_prefix(project.root.join("layout")).unwrap_or(&f);
        out.push(hash("layout", format!("layout/{}", rel.display()), &f)?);
    }
    out.extend(fonts.iter().cloned());
    Ok(out)
}

/// `kanwu release`: builds every profile, writes the PDFs to `out/`, and records the inputs'
/// and outputs' sha256 in `<issue>/release.toml`. Fonts must match fonts/fonts.lock.
pub fn release(project: &Project, issue_arg: &Path) -> Result<(PathBuf, Release)> {
    let loaded = project.load(issue_arg)?;
    crate::fonts::verify(&project.root)?;
    let fonts = font_inputs(project)?;
    let inputs = issue_inputs(project, &loaded, &fonts)?;
    let mut outputs = Vec::new();
    for profile in Profile::ALL {
        let r = project.render(&loaded, profile)?;
        let file = profile.file_name(&loaded.issue.name);
        render::write_atomic(&project.output_path(&loaded.issue.name, profile), &r.pdf)?;
        outputs.push(RecordedOutput {
            profile: profile.name().into(),
            file,
            pages: r.doc.pages().len(),
            sha256: sha256_bytes(&r.pdf),
        });
    }
    let record = Release {
        format: RELEASE_FORMAT,
        kanwu: env!("CARGO_PKG_VERSION").into(),
        issue: loaded.issue.name.clone(),
        inputs,
        outputs,
    };
    let text = format!(
        "# Written by `kanwu release`: the sha256 of every input of this issue and of each PDF\n\
         # built from them. `kanwu verify` rebuilds the issue and compares. Do not edit.\n{}",
        toml::to_string(&record).expect("the record serialises")
    );
    let path = loaded.issue.dir.join(RELEASE_FILE);
    render::write_atomic(&path, text.as_bytes())?;
    Ok((path, record))
}

#[derive(Deserialize)]
struct ReleaseHead {
    format: Option<Spanned<toml::Value>>,
    kanwu: Option<toml::Value>,
}

/// Reads a `release.toml`: a malformed file, or one from a newer kanwu, is an error naming
/// its line.
pub fn read_release(path: &Path) -> Result<Release> {
    let src = crate::manifest::read_text(path)?;
    let at = |e: toml::de::Error, src: &SourceText| {
        let d = Diagnostic::error(format!("release.toml is malformed: {}", e.message().trim()))
            .hint("write it again with `kanwu release ISSUE`");
        match e.span() {
            Some(s) => d.at(src, s),
            None => d.in_file(&src.path),
        }
    };
    let head: ReleaseHead = toml::from_str(&src.text).map_err(|e| at(e, &src))?;
    let Some(format) = head.format else {
        return Err(Diagnostic::error("release.toml has no `format`")
            .at(&src, 0..0)
            .hint("write it again with `kanwu release ISSUE`")
            .into());
    };
    let span = format.span();
    match format.into_inner() {
        toml::Value::Integer(RELEASE_FORMAT) => {}
        toml::Value::Integer(n) if n > RELEASE_FORMAT => {
            let by = head
                .kanwu
                .and_then(|v| v.as_str().map(|s| format!("kanwu {s}")))
                .unwrap_or_else(|| "a newer kanwu".into());
            return Err(Diagnostic::error(format!(
                "release.toml is in format {n}, written by {by}; kanwu {} reads format {RELEASE_FORMAT}",
                env!("CARGO_PKG_VERSION")
            ))
            .at(&src, span)
            .hint(format!("verify it with {by} or newer"))
            .into());
        }
        _ => {
            return Err(Diagnostic::error(format!(
                "release.toml: `format` must be {RELEASE_FORMAT}"
            ))
            .at(&src, span)
            .hint("write it again with `kanwu release ISSUE`")
            .into());
        }
    }
    toml::from_str(&src.text).map_err(|e| at(e, &src).into())
}

/// What `verify` found on a matching issue.
#[derive(Debug)]
pub struct Verified {
    pub issue: String,
    pub inputs: usize,
    pub outputs: Vec<String>,
    /// Inputs new since the release that did not change the PDFs.
    pub warnings: Vec<Diagnostic>,
}

/// An input's kind as a message names it.
fn what(kind: &str) -> &str {
    match kind {
        "layout" => "layout file",
        "publication" | "manifest" => "file",
        other => other,
    }
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// `kanwu verify`: rebuilds the issue in memory and compares inputs and outputs with its
/// `release.toml`. A mismatch names each input that changed since the record.
pub fn verify(project: &Project, issue_arg: &Path, fonts: &[Recorded]) -> Result<Verified> {
    let loaded = project.load(issue_arg)?;
    let path = loaded.issue.dir.join(RELEASE_FILE);
    let shown = display_path(&path);
    if !path.is_file() {
        return Err(Diagnostic::error(format!(
            "{}: no release record ({} does not exist)",
            loaded.issue.name,
            shown.display()
        ))
        .hint(format!(
            "record the release first: `kanwu release {}`",
            display_path(&loaded.issue.dir).display()
        ))
        .into());
    }
    let record = read_release(&path)?;
    let now = issue_inputs(project, &loaded, fonts)?;
    let name = &loaded.issue.name;
    let mut errors = Vec::new();

    let recorded: BTreeMap<&str, &Recorded> =
        record.inputs.iter().map(|r| (r.path.as_str(), r)).collect();
    let current: BTreeMap<&str, &Recorded> = now.iter().map(|r| (r.path.as_str(), r)).collect();
    let real_file = |p: &str| -> Option<PathBuf> {
        let issues_dir = loaded.issue.dir.parent()?;
        if p.starts_with("fonts/") || p.starts_with("layout/") {
            Some(project.root.join(p))
        } else {
            Some(issues_dir.join(p))
        }
    };
    for (p, was) in &recorded {
        match current.get(p) {
            Some(is) if is.sha256 == was.sha256 => {}
            Some(is) => {
                let mut d = Diagnostic::error(format!(
                    "{name}: {} {p} changed since the release (sha256 {} → {})",
                    what(&is.kind),
                    short(&was.sha256),
                    short(&is.sha256)
                ));
                if let Some(f) = real_file(p) {
                    d = d.in_file(display_path(&f));
                }
                errors.push(d);
            }
            None => errors.push(Diagnostic::error(format!(
                "{name}: {} {p} was an input of the release and is no longer used",
                what(&was.kind)
            ))),
        }
    }
    // A file that is new (a layout file added beside the ones used) fails the check only when
    // the PDFs differ too; otherwise it is a warning.
    let mut added = Vec::new();
    for (p, is) in &current {
        if !recorded.contains_key(p) {
            added.push(Diagnostic::warning(format!(
                "{name}: {} {p} is new since the release",
                what(&is.kind)
            )));
        }
    }
    let mut outputs = Vec::new();
    for out in &record.outputs {
        let Some(profile) = Profile::parse(&out.profile) else {
            errors.push(
                Diagnostic::error(format!(
                    "{name}: release.toml records an unknown profile `{}`",
                    out.profile
                ))
                .in_file(&shown),
            );
            continue;
        };
        let r = project.render(&loaded, profile)?;
        let sha = sha256_bytes(&r.pdf);
        if sha == out.sha256 {
            outputs.push(out.file.clone());
        } else {
            errors.push(Diagnostic::error(format!(
                "{name}: the {} PDF ({}) differs from the release: sha256 {} recorded, {} rebuilt",
                out.profile,
                out.file,
                short(&out.sha256),
                short(&sha)
            )));
        }
    }
    if errors.is_empty() {
        return Ok(Verified {
            issue: name.clone(),
            inputs: now.len(),
            outputs,
            warnings: added,
        });
    }
    errors.extend(added.into_iter().map(|mut d| {
        d.severity = crate::diag::Severity::Error;
        d
    }));
    let inputs_changed = errors
        .iter()
        .any(|d| d.message.contains(" since the release"))
        || errors.iter().any(|d| d.message.contains("no longer used"));
    let mut head = Diagnostic::error(format!(
        "{name} does not match its release record {}",
        shown.display()
    ))
    .in_file(&shown);
    if record.kanwu != env!("CARGO_PKG_VERSION") {
        head = head.hint(format!(
            "the release was made with kanwu {}; this is kanwu {}",
            record.kanwu,
            env!("CARGO_PKG_VERSION")
        ));
    } else if !inputs_changed {
        head = head.hint("no recorded input changed, yet the PDF differs: the build is not reproducible; please report it");
    } else {
        head = head.hint(format!(
            "restore the changed files, or record the new state on purpose with `kanwu release {}`",
            display_path(&loaded.issue.dir).display()
        ));
    }
    errors.insert(0, head);
    Err(errors.into())
}

// ---------------------------------------------------------------- catalogue

/// `out/catalog.json`: every issue, its sections and articles with their start pages.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub version: u32,
    pub publication: String,
    pub publisher: String,
    pub paper: crate::manifest::Paper,
    pub issues: Vec<CatalogIssue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogIssue {
    pub name: String,
    pub year: i32,
    pub number: u32,
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

/// The page (1-based) where the layout placed `label`, from the compiled document.
pub fn label_page(doc: &PagedDocument, label: &str) -> Option<usize> {
    let label = Label::new(PicoStr::intern(label))?;
    let intro = doc.introspector();
    let loc = intro.query_label(label).ok()?.location()?;
    intro.page(loc).map(|p| p.get())
}

fn catalog_issue(loaded: &LoadedIssue, doc: &PagedDocument, pdf: &[u8]) -> Result<CatalogIssue> {
    let name = &loaded.issue.name;
    let missing = |what: &str| {
        Diagnostic::error(format!(
            "{name}: the layout placed no label <{what}>, so its page is unknown"
        ))
        .hint("the layout must label each section `kanwu-section-<i>` and each titled article `kanwu-article-<i>-<j>`")
    };
    let mut sections = Vec::new();
    for (si, s) in loaded.document.sections.iter().enumerate() {
        let sl = format!("kanwu-section-{si}");
        let page = label_page(doc, &sl).ok_or_else(|| missing(&sl))?;
        let mut articles = Vec::new();
        for (ai, a) in s.articles.iter().enumerate() {
            let page = if a.title.is_some() {
                let al = format!("kanwu-article-{si}-{ai}");
                label_page(doc, &al).ok_or_else(|| missing(&al))?
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
        serial: i.serial,
        date: format!("{:04}-{:02}-{:02}", i.date.year, i.date.month, i.date.day),
        pages: doc.pages().len(),
        pdf: Profile::Screen.file_name(name),
        sha256: sha256_bytes(pdf),
        sections,
    })
}

/// The catalogue's two outputs.
pub struct CatalogOutput {
    pub catalog: Catalog,
    pub json: Vec<u8>,
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// Builds every issue under `issues_dir` in memory (in parallel), reads the start pages from
/// the compiled documents, and sets the 年度总目录 with the publication's layout
/// (`layout/<layout>/catalog.typ`). Fails, naming every issue that failed, when any does.
pub fn catalog(project: &Project, issues_dir: &Path) -> Result<CatalogOutput> {
    let issues = find_issues(issues_dir)?;
    let results: Vec<Result<(CatalogIssue, String, crate::manifest::Date)>> =
        for_each_issue(&issues, |issue| {
            let loaded = project.load(issue)?;
            let r = project.render(&loaded, Profile::Screen)?;
            let entry = catalog_issue(&loaded, &r.doc, &r.pdf)?;
            Ok((entry, loaded.publication.layout.clone(), loaded.issue.date))
        });
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    for (issue, r) in issues.iter().zip(results) {
        match r {
            Ok(e) => entries.push(e),
            Err(f) => {
                errors.extend(f.0);
                errors.push(Diagnostic::error(format!(
                    "{} failed to build, so the catalogue was not written",
                    folder_name(issue)
                )));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    entries.sort_by_key(|(e, _, _)| (e.year, e.number, e.name.clone()));
    let publication = crate::manifest::load_publication(&issues_dir.join("publication.toml"))?;
    let layout = entries
        .first()
        .map(|(_, l, _)| l.clone())
        .unwrap_or_else(|| publication.layout.clone());
    let last = entries
        .last()
        .map(|(_, _, d)| *d)
        .expect("find_issues found some");
    let catalog = Catalog {
        version: 1,
        publication: publication.name.clone(),
        publisher: publication.publisher.clone(),
        paper: publication.paper.clone(),
        issues: entries.into_iter().map(|(e, _, _)| e).collect(),
    };
    let json = serde_json::to_vec_pretty(&catalog).expect("the catalogue serialises");

    let main = format!(
        "// Generated by kanwu: the catalogue is data in catalog.json.\n\
         #import \"/layout/{layout}/catalog.typ\": catalog\n\
         #catalog(json(\"/catalog.json\"))\n"
    );
    let mut virtual_files = HashMap::new();
    virtual_files.insert(MAIN_VPATH.to_string(), Bytes::from_string(main));
    virtual_files.insert("/catalog.json".to_string(), Bytes::new(json.clone()));
    let date =
        typst::foundations::Datetime::from_ymd(last.year, last.month, last.day).expect("valid");
    let world = KanwuWorld::new(
        project.fonts.clone(),
        MAIN_VPATH,
        virtual_files,
        vec![("/layout".to_string(), project.root.join("layout"))],
        date,
    );
    let (doc, _warnings) = render::compile(&world);
    let doc = doc?;
    let missing = project.missing_theme_fonts(&doc);
    if let Some((role, family)) = missing.first() {
        return Err(Diagnostic::error(format!(
            "the layout's `{role}` font \"{family}\" is not available"
        ))
        .into());
    }
    let id = PdfIdentity {
        ident: format!("kanwu/{}/catalog", publication.name),
        date: typst::foundations::Datetime::from_ymd_hms(last.year, last.month, last.day, 0, 0, 0)
            .expect("valid"),
    };
    let pdf = render::export_pdf(&doc, &id)?;
    Ok(CatalogOutput {
        catalog,
        json,
        pages: doc.pages().len(),
        pdf,
    })
}
