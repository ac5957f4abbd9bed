//! Preflight: what will go wrong on paper, found before it does.
//!
//! - missing glyphs: characters no font has (Typst draws them as nothing), with file and line;
//! - the text: control characters (they print as nothing) and the manifest's doubts (a date
//!   outside the issue's year), with file and line;
//! - images: effective resolution where the layout placed them, measured on the laid-out pages;
//! - overflow: text or images running out of the text block;
//! - 孤字 left on the typeset pages, and doubled punctuation in the articles (warnings);
//! - the page and sheet count the printer will get.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use typst_layout::PagedDocument;
use unicode_width::UnicodeWidthStr;

use crate::diag::{Diagnostic, SourceText, display_path};
use crate::model::document::{Block, Document};
use crate::model::{LoadedIssue, Profile};
use crate::typeset::fonts::Fonts;
use crate::typeset::layout::{self, TextBlock};

mod frames;
mod glyphs;
mod text;
mod typeset_text;

use frames::{images, overflow};
use glyphs::glyphs;
use typeset_text::{doubled_punctuation, runts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

/// Where a finding comes from, carried from what produced it: the article (its index in
/// document order, as the desk numbers the article files) or the manifest, the file as the user
/// sees it, line and column (1-based). The same for `check`, the print build and the desk.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Source {
    pub article: Option<usize>,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub level: Level,
    /// glyph | text | manifest | placeholder | image | overflow | runt | punctuation | pages
    pub check: &'static str,
    /// `file:line` or `page N`, in the reader's language (the table's column).
    pub place: String,
    pub message: String,
    /// The file, line and column, from the element that produced the finding; none for what
    /// belongs to no file (the page count, a glyph only the layout sets).
    pub source: Option<Source>,
    /// The page (1-based) of the typeset issue it was found on, for what is found on the pages
    /// (an image, overflow, a 孤字).
    pub page: Option<usize>,
    #[serde(skip)]
    pub diagnostic: Option<Diagnostic>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub issue: String,
    pub profile: Profile,
    pub pages: usize,
    pub blank_pages: u32,
    /// Sheets of paper the binding needs (4 pages a sheet for saddle stitch).
    pub sheets: usize,
    pub binding: &'static str,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .count()
    }

    /// The findings as diagnostics (errors and warnings), for the build's output.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.findings
            .iter()
            .filter(|f| f.level != Level::Info)
            .map(|f| {
                f.diagnostic.clone().unwrap_or_else(|| {
                    let d = match f.level {
                        Level::Error => {
                            Diagnostic::error(msg!("preflight-preflight", message = f.message))
                        }
                        _ => Diagnostic::warning(msg!("preflight-preflight", message = f.message)),
                    };
                    d.hint(f.place.clone())
                })
            })
            .collect()
    }

    /// The binding in the reader's language (the report and the JSON keep its English key).
    pub fn binding_label(&self) -> String {
        match self.binding {
            "saddle stitch: 4 pages a sheet" => msg!("preflight-binding-saddle"),
            "printed both sides, side stitched" => msg!("preflight-binding-both-sides"),
            _ => msg!("preflight-binding-one-side"),
        }
    }

    /// The terminal table; `other_warnings` are the warnings printed before it (Typst's), so
    /// that it never says there is nothing when there was.
    pub fn table(&self, other_warnings: usize) -> String {
        let binding = self.binding_label();
        let mut out = msg!(
            "preflight-table-head",
            issue = self.issue,
            profile = msg!("profile-label", profile = self.profile.name()),
            pages = self.pages,
            blank = self.blank_pages,
            sheets = self.sheets,
            binding = binding
        );
        out.push('\n');
        if self.findings.is_empty() {
            let none = match other_warnings {
                0 => msg!("preflight-no-problems"),
                n => msg!("preflight-no-findings-but-warnings", n = n),
            };
            out.push_str(&format!("  {none}\n"));
            return out;
        }
        let w_place = self
            .findings
            .iter()
            .map(|f| f.place.width())
            .max()
            .unwrap_or(5)
            .max(5);
        let checks: Vec<String> = self.findings.iter().map(|f| check_name(f.check)).collect();
        let w_check = checks.iter().map(|c| c.width()).max().unwrap_or(0).max(9);
        out.push_str(&format!(
            "  {} {} {}  {}\n",
            pad(&msg!("preflight-col-level"), 8),
            pad(&msg!("preflight-col-check"), w_check),
            pad(&msg!("preflight-col-where"), w_place),
            msg!("preflight-col-what")
        ));
        for (f, check) in self.findings.iter().zip(&checks) {
            let level = match f.level {
                Level::Error => msg!("preflight-level-error"),
                Level::Warning => msg!("preflight-level-warning"),
                Level::Info => msg!("preflight-level-info"),
            };
            out.push_str(&format!(
                "  {} {} {}  {}\n",
                pad(&level, 8),
                pad(check, w_check),
                pad(&f.place, w_place),
                f.message
            ));
        }
        out
    }
}

/// A check's name in the reader's language (the JSON keeps the code).
fn check_name(check: &str) -> String {
    match check {
        "glyph" => msg!("preflight-check-glyph"),
        "text" => msg!("preflight-check-text"),
        "manifest" => msg!("preflight-check-manifest"),
        "placeholder" => msg!("preflight-check-placeholder"),
        "image" => msg!("preflight-check-image"),
        "overflow" => msg!("preflight-check-overflow"),
        "runt" => msg!("preflight-check-runt"),
        "punctuation" => msg!("preflight-check-punctuation"),
        "pages" => msg!("preflight-check-pages"),
        other => other.to_string(),
    }
}

/// `s` padded to `w` terminal columns (汉字 take two).
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

/// What preflight needs to know about the build.
pub struct Input<'a> {
    pub issue: &'a str,
    /// The profile the findings are judged for: print refuses what a screen PDF only warns of
    /// (a 77 ppi photo, a glyph no font has, text running out of the block).
    pub profile: Profile,
    pub document: &'a Document,
    pub doc: &'a PagedDocument,
    pub fonts: &'a Fonts,
    /// Every file an editor wrote (publication.toml, issue.toml, the articles), to point at lines.
    pub sources: &'a [SourceText],
    /// Each article's source, by article index (document order).
    pub articles: Vec<Option<&'a SourceText>>,
    /// The images the articles place, in document order.
    pub placements: Vec<Placement>,
    /// The text block of each page, in points from the trim's top-left corner.
    pub text_block: Option<TextBlock>,
    /// Pages on which each article starts: (page, article file).
    pub article_pages: Vec<(usize, String)>,
    /// Images converted for Typst: (file as named in the article, original format).
    pub converted: Vec<(String, String)>,
}

/// An image an article places: its path in the sandbox, the article (index) and line.
#[derive(Debug, Clone)]
pub struct Placement {
    pub vpath: String,
    pub article: usize,
    pub line: usize,
}

/// Every finding of a typeset issue, judged for `judged` (the print build and `check
/// --profile print` pass [`Profile::Print`]; so does the desk, which shows what print will
/// refuse as an error): missing glyphs, control characters, the manifest's doubts, the
/// placeholder text `init` and `new` wrote, image resolution where the layout placed each
/// image, text and images running out of the text block, 孤字 and doubled punctuation. Each
/// finding carries its [`Source`] from the element that produced it. `doc` is the issue as
/// typeset in any profile (the desk's screen pages give the same findings).
pub fn findings(
    fonts: &Fonts,
    loaded: &LoadedIssue,
    doc: &PagedDocument,
    judged: Profile,
) -> Vec<Finding> {
    let input = input(fonts, loaded, doc, judged);
    let mut findings = checks(&input);
    findings.extend(loaded.issue.warnings.iter().map(text::from_model));
    findings.extend(
        crate::model::placeholders::placeholders(loaded)
            .into_iter()
            .map(|d| text::from_diagnostic(d, "placeholder")),
    );
    for f in &mut findings {
        if f.source.is_none() {
            f.source = f
                .diagnostic
                .as_ref()
                .and_then(|d| source_of(d, &input.articles));
        }
    }
    findings
}

/// Preflight of a typeset issue for `check` and the build: [`findings`] judged for
/// `profile`, and for an issue typeset for print the page and sheet count of its binding.
pub fn inspect(
    fonts: &Fonts,
    loaded: &LoadedIssue,
    doc: &PagedDocument,
    profile: Profile,
) -> Report {
    let mut findings = findings(fonts, loaded, doc, profile);
    let pad_to = if loaded.document.output.profile == Profile::Print {
        loaded.publication.print.pad_to
    } else {
        1
    };
    let pages = doc.pages().len();
    let (sheets, binding) = match pad_to {
        4 => (pages.div_ceil(4), "saddle stitch: 4 pages a sheet"),
        2 => (pages.div_ceil(2), "printed both sides, side stitched"),
        _ => (pages, "printed one side"),
    };
    if pad_to > 1 && !pages.is_multiple_of(pad_to as usize) {
        findings.push(Finding {
            level: Level::Error,
            check: "pages",
            place: msg!("preflight-whole-issue"),
            message: msg!(
                "preflight-pages-not-multiple",
                pages = pages,
                pad_to = pad_to
            ),
            source: None,
            page: None,
            diagnostic: None,
        });
    }
    Report {
        issue: loaded.issue.name.clone(),
        profile,
        pages,
        // The blank pages the layout says it inserted (its blank-page label), whatever their
        // reason: padding, or a 版记 that must fall on an even page.
        blank_pages: layout::blank_pages(doc),
        sheets,
        binding,
        findings,
    }
}

/// What the checks need, gathered from the issue and from what the layout placed.
fn input<'a>(
    fonts: &'a Fonts,
    loaded: &'a LoadedIssue,
    doc: &'a PagedDocument,
    profile: Profile,
) -> Input<'a> {
    let mut placements = Vec::new();
    let mut articles = Vec::new();
    let mut by_path = SourcesByPath::new(&loaded.sources);
    for s in &loaded.document.sections {
        for a in &s.articles {
            collect_images(&a.blocks, articles.len(), &mut placements);
            articles.push(by_path.get(&loaded.issue.dir.join(&a.file)));
        }
    }
    Input {
        issue: &loaded.issue.name,
        profile,
        document: &loaded.document,
        doc,
        fonts,
        sources: &loaded.sources,
        articles,
        placements,
        text_block: layout::text_block(doc),
        article_pages: layout::article_pages(doc, &loaded.document),
        converted: loaded
            .images
            .iter()
            .filter_map(|i| {
                let (_, format) = i.converted.as_ref()?;
                let rel = i.file.strip_prefix(&loaded.issue.dir).unwrap_or(&i.file);
                Some((rel.display().to_string(), format.clone()))
            })
            .collect(),
    }
}

/// The sources by their path as named, and (made once, when a path is not found as named) by
/// their real path: one lookup per article, not a comparison with every source (10,000
/// articles).
struct SourcesByPath<'a> {
    sources: &'a [SourceText],
    named: HashMap<&'a Path, &'a SourceText>,
    real: Option<HashMap<PathBuf, &'a SourceText>>,
}

impl<'a> SourcesByPath<'a> {
    fn new(sources: &'a [SourceText]) -> Self {
        let mut named = HashMap::new();
        for s in sources {
            named.entry(s.path.as_path()).or_insert(s);
        }
        SourcesByPath {
            sources,
            named,
            real: None,
        }
    }

    fn get(&mut self, path: &Path) -> Option<&'a SourceText> {
        if let Some(s) = self.named.get(path) {
            return Some(s);
        }
        let sources = self.sources;
        let real = self.real.get_or_insert_with(|| {
            sources
                .iter()
                .filter_map(|s| Some((s.path.canonicalize().ok()?, s)))
                .collect()
        });
        real.get(&path.canonicalize().ok()?).copied()
    }
}

/// Where a diagnostic points, as a finding's source: the article whose file it is.
fn source_of(d: &Diagnostic, articles: &[Option<&SourceText>]) -> Option<Source> {
    let loc = d.location.as_ref()?;
    let (line, column) = match (&loc.source, &loc.range) {
        (Some(src), Some(range)) => {
            let (l, c) = src.line_col(range.start);
            (Some(l), Some(c))
        }
        _ => (None, None),
    };
    Some(Source {
        article: articles
            .iter()
            .position(|a| a.is_some_and(|a| a.path == loc.path)),
        file: display_path(&loc.path).display().to_string(),
        line,
        column,
    })
}

/// The images an article places, in order.
fn collect_images(blocks: &[Block], article: usize, out: &mut Vec<Placement>) {
    for b in blocks {
        match b {
            Block::Image { line, path, .. } => out.push(Placement {
                vpath: path.clone(),
                article,
                line: *line,
            }),
            Block::List { items, .. } => items.iter().for_each(|i| collect_images(i, article, out)),
            Block::Quote { blocks } => collect_images(blocks, article, out),
            _ => {}
        }
    }
}

impl Input<'_> {
    fn print(&self) -> bool {
        self.profile == Profile::Print
    }
}

/// The checks on the typeset issue and its sources.
fn checks(input: &Input) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (file, format) in &input.converted {
        findings.push(Finding {
            level: Level::Info,
            check: "image",
            place: file.clone(),
            message: msg!("preflight-image-converted-png-file", format = format),
            source: None,
            page: None,
            diagnostic: None,
        });
    }
    glyphs(input, &mut findings);
    text::control_characters(input, &mut findings);
    images(input, &mut findings);
    overflow(input, &mut findings);
    runts(input, &mut findings);
    doubled_punctuation(input, &mut findings);
    findings
}

/// Where a run of laid-out text comes from in the source of the article it was set for (in
/// every source when the frames name no article: the masthead, the contents).
pub(super) fn locate_text<'a>(
    input: &'a Input,
    article: Option<usize>,
    text: &str,
) -> Option<(&'a SourceText, std::ops::Range<usize>)> {
    let probe: String = text.trim().chars().take(12).collect();
    if probe.chars().count() < 4 {
        return None;
    }
    let find = |src: &'a SourceText| {
        let pos = src.text.find(&probe)?;
        Some((src, pos..pos + probe.len()))
    };
    match article.and_then(|a| input.articles.get(a).copied().flatten()) {
        Some(src) => find(src),
        None => input.sources.iter().find_map(find),
    }
}
