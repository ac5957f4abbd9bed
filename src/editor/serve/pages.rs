//! The pages as the browser gets them: each page's picture (SVG, from typst-svg) keyed by its
//! frame hash, and its text layer — every run of text with its place on the page and, where
//! it can be found, the article file and line it was set from.
//!
//! The source of a line is found without the layout's help: each line of text on a page is
//! looked up in the blocks of the articles that page holds (every block carries its `line`),
//! so any layout gets it and the PDF's bytes stay as they are.

use std::sync::Arc;

use serde::Serialize;
use typst::layout::{Frame, FrameItem, Transform};
use typst_layout::{Page, PagedDocument};

use crate::diag::SourceText;
use crate::model::document::{Block, Document, Inline, plain_text};
use crate::print::typography::walk_items;
use crate::typeset::layout;

/// One page ready to send: its picture and text layer, each named by a hash of what it shows.
#[derive(Clone)]
pub struct PageAssets {
    /// Hash of the page's frame: the picture changes exactly when this does.
    pub svg_hash: String,
    pub svg: Arc<[u8]>,
    /// Hash of the text layer (the text and the lines it came from).
    pub text_hash: String,
    pub text: Arc<[u8]>,
    /// Size in points.
    pub width: f64,
    pub height: f64,
    /// The text layer's runs, with their sources.
    pub runs: Vec<Run>,
    /// What the text layer's sources were looked up in (see [`SourceMap::signature`]).
    pub lines: u128,
}

/// A run of text on a page: top-left corner, width and size in points, the text, and the
/// article (index into the list of article files) and line it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub size: f64,
    pub text: String,
    pub article: Option<usize>,
    pub line: Option<usize>,
    #[serde(skip)]
    baseline: f64,
}

/// What names a page's picture: a hash of everything on it (its frame, fill and number).
pub fn page_hash(page: &Page) -> String {
    format!("{:032x}", typst::utils::hash128(page))
}

/// The SVG of a page: the same page gives the same bytes, so it is rendered once per hash.
/// (Measured on the sample against PNG from typst-render at 192 ppi: about the same bytes,
/// 25 ms a page against 163, and sharp at any zoom.)
pub fn render_svg(page: &Page) -> Arc<[u8]> {
    let options = typst_svg::SvgOptions {
        render_bleed: false,
        pretty: false,
    };
    Arc::from(typst_svg::svg(page, &options).into_bytes())
}

/// Renders what changed: a page whose frame hash is among the last build's reuses its
/// picture, and its text layer too when the source lines it may come from are the same (a
/// keystroke that adds no line lays out one page anew, not all of them).
pub fn assets(
    doc: &PagedDocument,
    document: &Document,
    sources: &[SourceText],
    last: &[PageAssets],
) -> Vec<PageAssets> {
    let map = SourceMap::new(doc, document, sources);
    let mut out = Vec::new();
    for (index, page) in doc.pages().iter().enumerate() {
        let svg_hash = page_hash(page);
        let lines = map.signature(index + 1);
        let before = last.iter().find(|p| p.svg_hash == svg_hash);
        if let Some(p) = before.filter(|p| p.lines == lines) {
            out.push(p.clone());
            continue;
        }
        let svg = match before {
            Some(p) => p.svg.clone(),
            None => render_svg(page),
        };
        let mut runs = runs(&page.frame);
        map.locate(index + 1, &mut runs);
        let text = text_layer_json(&runs);
        out.push(PageAssets {
            text_hash: format!("{:032x}", typst::utils::hash128(&text)),
            text: Arc::from(text.into_bytes()),
            svg_hash,
            svg,
            width: round(page.frame.width().to_pt()),
            height: round(page.frame.height().to_pt()),
            runs,
            lines,
        });
    }
    out
}

fn round(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The text layer as JSON: `{"runs": [[x, y, w, size, text, article|null, line|null], …]}`.
/// Text reaches the browser as JSON strings, to be placed with `textContent`.
pub fn text_layer_json(runs: &[Run]) -> String {
    let rows: Vec<serde_json::Value> = runs
        .iter()
        .map(|r| {
            serde_json::json!([
                round(r.x),
                round(r.y),
                round(r.w),
                round(r.size),
                r.text,
                r.article,
                r.line
            ])
        })
        .collect();
    serde_json::json!({ "runs": rows }).to_string()
}

/// Every run of text on a page, in the order the layout placed them.
pub fn runs(frame: &Frame) -> Vec<Run> {
    let mut out = Vec::new();
    walk_items(frame, Transform::identity(), &mut |item, pos, ts| {
        let FrameItem::Text(text) = item else { return };
        if text.text.trim().is_empty() {
            return;
        }
        let p = pos.transform(ts);
        let scale = ts.sy.get().abs().max(1e-6);
        let size = text.size.to_pt() * scale;
        let ascent = text.font.metrics().ascender.get() * size;
        out.push(Run {
            x: p.x.to_pt(),
            y: p.y.to_pt() - ascent,
            w: text.width().to_pt() * ts.sx.get().abs(),
            size,
            text: text.text.to_string(),
            article: None,
            line: None,
            baseline: p.y.to_pt(),
        });
    });
    out
}

/// A block of an article as text to look for: its article, its line, its text without spaces.
struct SourceBlock {
    article: usize,
    line: usize,
    text: String,
}

/// Where each article's text is: its blocks, and the pages it spans.
pub struct SourceMap {
    blocks: Vec<SourceBlock>,
    /// Per article (in document order): first and last page it may be on.
    spans: Vec<Option<(usize, usize)>>,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl SourceMap {
    pub fn new(doc: &PagedDocument, document: &Document, sources: &[SourceText]) -> SourceMap {
        let mut blocks = Vec::new();
        let mut starts = Vec::new();
        let mut index = 0;
        for (si, s) in document.sections.iter().enumerate() {
            for (ai, a) in s.articles.iter().enumerate() {
                let label = layout::article_start_label(si, ai, a.title.is_some());
                starts.push(layout::label_page(doc, &label));
                // Front-matter values are found on their own line of the file.
                if let Some(src) = sources.iter().find(|s| s.path.ends_with(&a.file)) {
                    for value in [&a.title, &a.subtitle, &a.source, &a.author]
                        .into_iter()
                        .flatten()
                    {
                        if let Some(pos) = src.text.find(value.as_str()) {
                            blocks.push(SourceBlock {
                                article: index,
                                line: src.line_col(pos).0,
                                text: squash(value),
                            });
                        }
                    }
                }
                collect(&a.blocks, index, &mut blocks);
                index += 1;
            }
        }
        let last = doc.pages().len();
        let spans = (0..starts.len())
            .map(|i| {
                let start = starts[i]?;
                let end = starts[i + 1..].iter().flatten().next().copied();
                Some((start, end.unwrap_or(last).max(start)))
            })
            .collect();
        SourceMap { blocks, spans }
    }

    /// A hash of the blocks a page's runs may be found in (their articles, lines and text):
    /// the same frame with the same signature gets the same text layer.
    pub fn signature(&self, page: usize) -> u128 {
        let on_page: Vec<(usize, usize, &str)> = self
            .blocks
            .iter()
            .filter(|b| {
                self.spans
                    .get(b.article)
                    .copied()
                    .flatten()
                    .is_none_or(|(first, last)| (first..=last).contains(&page))
            })
            .map(|b| (b.article, b.line, b.text.as_str()))
            .collect();
        typst::utils::hash128(&on_page)
    }

    /// Sets the article and line of the runs of page `page` (1-based), line by line.
    pub fn locate(&self, page: usize, runs: &mut [Run]) {
        let candidates: Vec<usize> = (0..self.blocks.len())
            .filter(|&b| {
                self.spans
                    .get(self.blocks[b].article)
                    .copied()
                    .flatten()
                    .is_none_or(|(first, last)| (first..=last).contains(&page))
            })
            .collect();
        let mut cursor = 0;
        let mut start = 0;
        while start < runs.len() {
            // A line: the runs that follow on the same baseline.
            let mut end = start + 1;
            while end < runs.len()
                && (runs[end].baseline - runs[start].baseline).abs() < runs[start].size * 0.5
                && runs[end].x >= runs[end - 1].x
            {
                end += 1;
            }
            let line: String = runs[start..end].iter().map(|r| squash(&r.text)).collect();
            let mut found = self.find(&candidates, &line, cursor);
            // A number the layout put in front of a heading, a footnote mark: try the longest run.
            if found.is_none() {
                let longest = runs[start..end]
                    .iter()
                    .map(|r| squash(&r.text))
                    .max_by_key(|t| t.chars().count())
                    .unwrap_or_default();
                if longest.chars().count() >= 4 {
                    found = self.find(&candidates, &longest, cursor);
                }
            }
            if let Some(b) = found {
                cursor = b;
                for r in &mut runs[start..end] {
                    r.article = Some(self.blocks[b].article);
                    r.line = Some(self.blocks[b].line);
                }
            }
            start = end;
        }
    }

    /// The block holding `needle`: the first at or after `cursor`, else the last before it.
    fn find(&self, candidates: &[usize], needle: &str, cursor: usize) -> Option<usize> {
        let needle = needle.trim_end_matches(['-', '‐']);
        if needle.chars().count() < 2 {
            return None;
        }
        let hits = candidates
            .iter()
            .copied()
            .filter(|&b| self.blocks[b].text.contains(needle));
        let mut before = None;
        for b in hits {
            if b >= cursor {
                return Some(b);
            }
            before = Some(b);
        }
        before
    }
}

/// The blocks of an article in reading order; a footnote's blocks follow their paragraph.
fn collect(blocks: &[Block], article: usize, out: &mut Vec<SourceBlock>) {
    let push = |line: usize, text: String, out: &mut Vec<SourceBlock>| {
        out.push(SourceBlock {
            article,
            line,
            text: squash(&text),
        })
    };
    for b in blocks {
        match b {
            Block::Paragraph { line, inlines } | Block::Heading { line, inlines, .. } => {
                push(*line, plain_text(inlines), out);
                footnotes(inlines, article, out);
            }
            Block::Code { line, text } => push(*line, text.clone(), out),
            Block::Table {
                line, header, rows, ..
            } => {
                let cells = header.iter().chain(rows.iter().flatten());
                push(*line, cells.map(|c| plain_text(c)).collect(), out);
            }
            Block::Image { line, caption, .. } => push(*line, plain_text(caption), out),
            Block::List { items, .. } => items.iter().for_each(|i| collect(i, article, out)),
            Block::Quote { blocks } => collect(blocks, article, out),
            Block::Rule => {}
        }
    }
}

fn footnotes(inlines: &[Inline], article: usize, out: &mut Vec<SourceBlock>) {
    for i in inlines {
        match i {
            Inline::Footnote { c } => collect(c, article, out),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => footnotes(c, article, out),
            _ => {}
        }
    }
}

/// The first page (1-based) showing a line of an article, from the pages' text layers.
pub fn page_of_line(pages: &[PageAssets], article: usize, line: usize) -> Option<usize> {
    pages
        .iter()
        .position(|p| {
            p.runs
                .iter()
                .any(|r| r.article == Some(article) && r.line == Some(line))
        })
        .map(|i| i + 1)
}
