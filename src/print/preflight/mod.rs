//! Preflight: what will go wrong on paper, found before it does.
//!
//! - missing glyphs: characters no font has (Typst draws them as nothing), with file and line;
//! - the text: control characters (they print as nothing) and the manifest's doubts (a date
//!   outside the issue's year), with file and line;
//! - images: effective resolution where the layout placed them, measured on the laid-out pages;
//! - overflow: text or images running out of the text block;
//! - the page and sheet count the printer will get.

mod glyphs;
mod text;

use std::collections::HashMap;

use serde::Serialize;
use typst::foundations::Bytes;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;
use unicode_width::UnicodeWidthStr;

use crate::diag::{Diagnostic, SourceText};
use crate::model::article::ImageRef;
use crate::model::document::{Block, Document};
use crate::model::{LoadedIssue, Profile};
use crate::typeset::fonts::Fonts;
use crate::typeset::layout::{self, TextBlock};

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
    /// glyph | text | manifest | image | overflow | pages
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
                        Level::Error => Diagnostic::error(format!("preflight: {}", f.message)),
                        _ => Diagnostic::warning(format!("preflight: {}", f.message)),
                    };
                    d.hint(f.place.clone())
                })
            })
            .collect()
    }

    /// The terminal table.
    pub fn table(&self) -> String {
        let mut out = format!(
            "preflight {} ({}): {} pages{}, {} sheet{} ({})\n",
            self.issue,
            self.profile.name(),
            self.pages,
            if self.blank_pages > 0 {
                format!(" ({} blank)", self.blank_pages)
            } else {
                String::new()
            },
            self.sheets,
            if self.sheets == 1 { "" } else { "s" },
            self.binding
        );
        if self.findings.is_empty() {
            out.push_str("  no problems found\n");
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
            "  {:<8} {:<9} {}  {}\n",
            "level",
            "check",
            pad("where", w_place),
            "what"
        ));
        for f in &self.findings {
            let level = match f.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Info => "info",
            };
            out.push_str(&format!(
                "  {:<8} {:<9} {}  {}\n",
                level,
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
            message: format!("{format} image converted to PNG (the file itself is untouched)"),
            diagnostic: None,
        });
    }
    glyphs::glyphs(input, &mut findings);
    text::control_characters(input, &mut findings);
    images(input, &mut findings);
    overflow(input, &mut findings);
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
            message: format!("{pages} pages is not a multiple of {}", input.pad_to),
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
fn locate_text<'a>(
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

// ------------------------------------------------------------------ frames

/// Calls `f` for every leaf item with its transform to page coordinates.
fn walk(frame: &Frame, ts: Transform, f: &mut impl FnMut(&FrameItem, Point, Transform)) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                walk(&group.frame, inner, f);
            }
            other => f(other, *pos, ts),
        }
    }
}

fn images(input: &Input, findings: &mut Vec<Finding>) {
    // Raster images by their bytes: the same file placed twice is reported at each place.
    let by_bytes: HashMap<&[u8], (&String, &String, usize)> = input
        .images
        .iter()
        .map(|(vpath, (bytes, file, line))| (bytes.as_slice(), (vpath, file, *line)))
        .collect();
    let mut seen = std::collections::HashSet::new();
    for (index, page) in input.doc.pages().iter().enumerate() {
        walk(&page.frame, Transform::identity(), &mut |item, _pos, ts| {
            let FrameItem::Image(image, size, _) = item else {
                return;
            };
            let ImageKind::Raster(raster) = image.kind() else {
                return;
            };
            // The placed width in inches, after any scaling of the groups around it.
            let scale = (ts.sx.get().abs()).max(1e-9);
            let inches = size.x.to_inches() * scale;
            if inches <= 0.0 {
                return;
            }
            let ppi = raster.width() as f64 / inches;
            let Some((vpath, file, line)) = by_bytes.get(raster.data().as_slice()) else {
                return;
            };
            if !seen.insert((vpath.to_string(), index)) {
                return;
            }
            let name = vpath.trim_start_matches("/issue/");
            let place = format!("{file}:{line} (page {})", index + 1);
            let (level, note) = if ppi < 150.0 {
                (
                    if input.print() {
                        Level::Error
                    } else {
                        Level::Warning
                    },
                    "below 150 ppi it prints visibly blurred",
                )
            } else if ppi < 300.0 {
                (Level::Warning, "print wants 300 ppi")
            } else {
                return;
            };
            let message = format!(
                "{name} ({}×{} px) is placed {:.0} mm wide: {:.0} ppi; {note}",
                raster.width(),
                raster.height(),
                inches * 25.4,
                ppi
            );
            // Point at the article line that places it.
            let diagnostic = input
                .sources
                .iter()
                .find(|s| s.path.ends_with(file.as_str()))
                .map(|src| {
                    let d = match level {
                        Level::Error => Diagnostic::error(format!("preflight: {message}")),
                        _ => Diagnostic::warning(format!("preflight: {message}")),
                    };
                    d.at_line(src, *line).hint(format!(
                        "on page {}; use an image of at least {} px width for this size",
                        index + 1,
                        (inches * 300.0).ceil()
                    ))
                });
            findings.push(Finding {
                level,
                check: "image",
                place,
                message,
                diagnostic,
            });
        });
    }
}

fn overflow(input: &Input, findings: &mut Vec<Finding>) {
    let Some(tb) = input.text_block else { return };
    let tolerance = 1.0;
    for (index, page) in input.doc.pages().iter().enumerate() {
        let number = index + 1;
        let width = page.frame.width().to_pt();
        let height = page.frame.height().to_pt();
        // Odd pages are right-hand pages: the inside margin is on the left.
        let (left, right) = if number % 2 == 1 {
            (tb.inside, width - tb.outside)
        } else {
            (tb.outside, width - tb.inside)
        };
        let (top, bottom) = (tb.top, height - tb.bottom);
        let mut worst: Option<(f64, &'static str, String)> = None;
        walk(&page.frame, Transform::identity(), &mut |item, pos, ts| {
            let (w, h, what, snippet) = match item {
                FrameItem::Text(text) => (text.width(), text.size, "text", text.text.to_string()),
                FrameItem::Image(_, size, _) => (size.x, size.y, "an image", String::new()),
                _ => return,
            };
            let p = pos.transform(ts);
            let x0 = p.x.to_pt();
            let x1 = x0 + w.to_pt() * ts.sx.get().abs();
            let yc = p.y.to_pt()
                - if matches!(item, FrameItem::Text(_)) {
                    h.to_pt() / 2.0
                } else {
                    -h.to_pt() / 2.0
                };
            // Only the body: running heads, folios and the page background live in the margins.
            if yc < top || yc > bottom {
                return;
            }
            let over = (x1 - right).max(left - x0);
            if over > tolerance && worst.as_ref().is_none_or(|(o, _, _)| over > *o) {
                worst = Some((over, what, snippet));
            }
        });
        if let Some((over, what, snippet)) = worst {
            let article = input
                .article_pages
                .iter()
                .rev()
                .find(|(p, _)| *p <= number)
                .map(|(_, f)| f.clone())
                .unwrap_or_else(|| "the masthead or contents".into());
            findings.push(Finding {
                level: if input.print() {
                    Level::Error
                } else {
                    Level::Warning
                },
                check: "overflow",
                place: match locate_text(input, &snippet) {
                    Some((src, range)) => {
                        let name = src.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                        format!("{name}:{} (page {number})", src.line_col(range.start).0)
                    }
                    None => format!("page {number}, {article}"),
                },
                message: format!(
                    "{what} runs {:.1} mm outside the text block{}",
                    Abs::pt(over).to_mm(),
                    if over > (tb.inside.min(tb.outside)) {
                        ", into the bleed"
                    } else {
                        ""
                    }
                ),
                diagnostic: locate_text(input, &snippet).map(|(src, range)| {
                    Diagnostic::warning("preflight: text runs outside the text block")
                        .at(src, range)
                        .hint(format!("on page {number}: a word too long to break (a URL, a long number); give it break opportunities or shorten it"))
                }),
            });
            if input.print()
                && let Some(f) = findings.last_mut()
                && let Some(d) = &mut f.diagnostic
            {
                d.severity = crate::diag::Severity::Error;
            }
        }
    }
}
