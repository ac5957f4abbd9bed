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

use serde::Serialize;
use typst::foundations::Bytes;
use typst_layout::PagedDocument;
use unicode_width::UnicodeWidthStr;

use crate::diag::{Diagnostic, SourceText};
use crate::model::article::ImageRef;
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

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub level: Level,
    /// glyph | text | manifest | image | overflow | runt | punctuation | pages
    pub check: &'static str,
    /// `file:line` or `page N`.
    pub place: String,
    pub message: String,
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

    /// The terminal table.
    pub fn table(&self) -> String {
        // The binding as the report (JSON, ticket) names it, in the reader's language here.
        let binding = match self.binding {
            "saddle stitch: 4 pages a sheet" => msg!("preflight-binding-saddle"),
            "printed both sides, side stitched" => msg!("preflight-binding-both-sides"),
            _ => msg!("preflight-binding-one-side"),
        };
        let mut out = msg!(
            "preflight-table-head",
            issue = self.issue,
            profile = self.profile.name(),
            pages = self.pages,
            blank = self.blank_pages,
            sheets = self.sheets,
            binding = binding
        );
        out.push('\n');
        if self.findings.is_empty() {
            out.push_str(&format!("  {}\n", msg!("preflight-no-problems")));
            return out;
        }
        let w_place = self
            .findings
            .iter()
            .map(|f| f.place.width())
            .max()
            .unwrap_or(5)
            .max(5);
        out.push_str(&format!(
            "  {} {} {}  {}\n",
            pad(&msg!("preflight-col-level"), 8),
            pad(&msg!("preflight-col-check"), 9),
            pad(&msg!("preflight-col-where"), w_place),
            msg!("preflight-col-what")
        ));
        for f in &self.findings {
            let level = match f.level {
                Level::Error => msg!("preflight-level-error"),
                Level::Warning => msg!("preflight-level-warning"),
                Level::Info => msg!("preflight-level-info"),
            };
            out.push_str(&format!(
                "  {} {:<9} {}  {}\n",
                pad(&level, 8),
                f.check,
                pad(&f.place, w_place),
                f.message
            ));
        }
        out
    }
}

/// `s` padded to `w` terminal columns (汉字 take two).
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

/// What preflight needs to know about the build.
pub struct Input<'a> {
    pub issue: &'a str,
    pub profile: Profile,
    pub document: &'a Document,
    pub doc: &'a PagedDocument,
    pub fonts: &'a Fonts,
    /// Every file an editor wrote (publication.toml, issue.toml, the articles), to point at lines.
    pub sources: &'a [SourceText],
    /// Images by their path in the sandbox: (bytes as read, article file, line).
    pub images: &'a HashMap<String, (Bytes, String, usize)>,
    /// The text block of each page, in points from the trim's top-left corner.
    pub text_block: Option<TextBlock>,
    /// Pages on which each article starts: (page, article file).
    pub article_pages: Vec<(usize, String)>,
    pub pad_to: u32,
    /// Images converted for Typst: (file as named in the article, original format).
    pub converted: Vec<(String, String)>,
}

/// Preflight of a typeset issue: gathers what the checks need from the issue and from what
/// the layout placed, then runs them.
pub fn inspect(
    fonts: &Fonts,
    loaded: &LoadedIssue,
    doc: &PagedDocument,
    profile: Profile,
) -> Report {
    let mut images = HashMap::new();
    for s in &loaded.document.sections {
        for a in &s.articles {
            collect_images(&a.blocks, &a.file, &loaded.images, &mut images);
        }
    }
    let input = Input {
        issue: &loaded.issue.name,
        profile,
        document: &loaded.document,
        doc,
        fonts,
        sources: &loaded.sources,
        images: &images,
        text_block: layout::text_block(doc),
        article_pages: layout::article_pages(doc, &loaded.document),
        pad_to: if profile == Profile::Print {
            loaded.publication.print.pad_to
        } else {
            1
        },
        converted: loaded
            .images
            .iter()
            .filter_map(|i| {
                let (_, format) = i.converted.as_ref()?;
                let rel = i.file.strip_prefix(&loaded.issue.dir).unwrap_or(&i.file);
                Some((rel.display().to_string(), format.clone()))
            })
            .collect(),
    };
    let mut report = run(&input);
    report
        .findings
        .extend(loaded.issue.warnings.iter().map(text::from_model));
    report
}

/// The images the articles place by virtual path: (bytes the layout reads, article, line).
fn collect_images(
    blocks: &[Block],
    file: &str,
    files: &[ImageRef],
    out: &mut HashMap<String, (Bytes, String, usize)>,
) {
    for b in blocks {
        match b {
            Block::Image { line, path, .. } => {
                if let Some(image) = files.iter().find(|i| &i.vpath == path)
                    && let Some(bytes) = image.bytes().map(Bytes::new)
                {
                    out.insert(path.clone(), (bytes, file.to_string(), *line));
                }
            }
            Block::List { items, .. } => items
                .iter()
                .for_each(|i| collect_images(i, file, files, out)),
            Block::Quote { blocks } => collect_images(blocks, file, files, out),
            _ => {}
        }
    }
}

impl Input<'_> {
    fn print(&self) -> bool {
        self.profile == Profile::Print
    }
}

pub fn run(input: &Input) -> Report {
    let mut findings = Vec::new();
    for (file, format) in &input.converted {
        findings.push(Finding {
            level: Level::Info,
            check: "image",
            place: file.clone(),
            message: msg!("preflight-image-converted-png-file", format = format),
            diagnostic: None,
        });
    }
    glyphs(input, &mut findings);
    text::control_characters(input, &mut findings);
    images(input, &mut findings);
    overflow(input, &mut findings);
    runts(input, &mut findings);
    doubled_punctuation(input, &mut findings);
    let pages = input.doc.pages().len();
    let (sheets, binding) = match input.pad_to {
        4 => (pages.div_ceil(4), "saddle stitch: 4 pages a sheet"),
        2 => (pages.div_ceil(2), "printed both sides, side stitched"),
        _ => (pages, "printed one side"),
    };
    if input.print() && !pages.is_multiple_of(input.pad_to.max(1) as usize) {
        findings.push(Finding {
            level: Level::Error,
            check: "pages",
            place: "whole issue".into(),
            message: msg!(
                "preflight-pages-not-multiple",
                pages = pages,
                pad_to = input.pad_to
            ),
            diagnostic: None,
        });
    }
    Report {
        issue: input.issue.to_string(),
        profile: input.profile,
        pages,
        // The blank pages the layout says it inserted (its blank-page label), whatever their
        // reason: padding, or a 版记 that must fall on an even page.
        blank_pages: layout::blank_pages(input.doc),
        sheets,
        binding,
        findings,
    }
}

/// Where a run of laid-out text comes from: the first source holding its first characters.
pub(super) fn locate_text<'a>(
    input: &'a Input,
    text: &str,
) -> Option<(&'a SourceText, std::ops::Range<usize>)> {
    let probe: String = text.trim().chars().take(12).collect();
    if probe.chars().count() < 4 {
        return None;
    }
    input.sources.iter().find_map(|src| {
        let pos = src.text.find(&probe)?;
        Some((src, pos..pos + probe.len()))
    })
}
