//! Articles: Markdown with TOML front matter (`+++`) → [`Article`] of [`Block`]s.
//!
//! Nothing here produces Typst text: the blocks are data. What cannot be set (a raw HTML
//! block, a level-1 heading, an image that is not a file of the issue) is an error naming
//! the article and line, never a silent drop.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::document::{Block, Inline};
pub use super::front_matter::ArticleMeta;
use super::front_matter::front_matter;
pub use super::image::ImageRef;
use super::image::check_image;
use super::lengths;
use super::manifest::{read_text, resolve_inside};
use super::paths::percent_decoded;
use super::text::{MAX_DEPTH, Note, carries_number, footnote_marker, normalize, too_deep};
use super::text::{note_error, resolve_footnotes, skip_nested};
use crate::diag::{Diagnostic, Failure, Result, SourceText};

#[derive(Debug, Clone)]
pub struct Article {
    pub meta: ArticleMeta,
    pub blocks: Vec<Block>,
    /// Images the article places: real file and path inside the sandbox.
    pub images: Vec<ImageRef>,
    pub source: SourceText,
}

/// Loads an article file. `issue_dir` is the (canonical) issue folder that images must stay in;
/// `title_required` is false only in the editor's note, whose section title stands in.
pub fn load(path: &Path, issue_dir: &Path, title_required: bool) -> Result<Article> {
    let source = read_text(path)?;
    parse(source, issue_dir, title_required)
}

/// Parses an article's text (see [`load`]).
pub fn parse(source: SourceText, issue_dir: &Path, title_required: bool) -> Result<Article> {
    let text = source.text.clone();
    let (meta, body_start) = front_matter(&source)?;
    if title_required && meta.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(Diagnostic::error(msg!("article-article-has-no-title"))
            .at(&source, 0..text.find('\n').unwrap_or(text.len()))
            .hint(msg!("article-add-title-front-matter"))
            .into());
    }
    let too_long = lengths::check_lines(&source, body_start);
    if !too_long.is_empty() {
        return Err(Failure(too_long));
    }
    let mut conv = Converter {
        source: &source,
        body_start,
        issue_dir,
        errors: Vec::new(),
        footnotes: HashMap::new(),
        depth: 0,
        max_depth: 0,
        too_deep: false,
        images: Vec::new(),
        figures: Vec::new(),
    };
    let body = &text[body_start..];
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut events = Parser::new_ext(body, options).into_offset_iter().peekable();
    let mut blocks = conv.blocks(&mut events, None);
    let notes = std::mem::take(&mut conv.footnotes);
    if conv.errors.is_empty()
        && let Err(e) = resolve_footnotes(&mut blocks, notes)
    {
        conv.errors.push(note_error(e, &source));
    }
    if !conv.errors.is_empty() {
        return Err(Failure(conv.errors));
    }
    Ok(Article {
        meta,
        blocks,
        images: conv.images,
        source,
    })
}

type Events<'a> =
    std::iter::Peekable<pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>>;

struct Converter<'s> {
    source: &'s SourceText,
    body_start: usize,
    issue_dir: &'s Path,
    errors: Vec<Diagnostic>,
    footnotes: HashMap<String, Note>,
    /// Nesting (quotes, lists, emphasis…) around the event read; the deepest in this note.
    depth: usize,
    max_depth: usize,
    too_deep: bool,
    images: Vec<ImageRef>,
    /// Images met inside inline content, by index; placed by `paragraph`.
    figures: Vec<Option<Block>>,
}

const IMAGE_MARK: &str = "\u{0}img:";

impl Converter<'_> {
    fn line(&self, range: &Range<usize>) -> usize {
        self.source.line_col(self.body_start + range.start).0
    }

    fn error_at(&mut self, range: &Range<usize>, message: impl Into<String>, hint: String) {
        let r = self.body_start + range.start..self.body_start + range.end;
        // Point at the first line only: a block's range can span many lines.
        let line = self.source.line_col(r.start).0;
        let line_range = self.source.line_range(line);
        let r = r.start..r.end.min(line_range.end).max(r.start);
        self.errors
            .push(Diagnostic::error(message).at(self.source, r).hint(hint));
    }

    /// One level deeper (a quote, a list, emphasis…); past [`MAX_DEPTH`] an error (once) and
    /// the construct skipped whole, without recursing.
    fn deeper(&mut self, range: &Range<usize>, events: &mut Events) -> bool {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            self.max_depth = self.max_depth.max(self.depth);
            return true;
        }
        if !std::mem::replace(&mut self.too_deep, true) {
            self.error_at(range, too_deep(), msg!("article-at-most-12-lists"));
        }
        skip_nested(events);
        false
    }

    /// Block-level events until `end` (or the end of input). Inline events outside a paragraph
    /// (tight list items) are gathered into an implicit paragraph.
    fn blocks(&mut self, events: &mut Events, end: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        let mut loose_line = 0;
        while let Some((event, range)) = events.next() {
            if is_inline_event(&event) {
                if loose.is_empty() {
                    loose_line = self.line(&range);
                }
                self.inline(event, range, events, &mut loose);
                continue;
            }
            if !loose.is_empty() {
                blocks.push(self.paragraph(std::mem::take(&mut loose), loose_line));
            }
            match event {
                Event::End(tag) if Some(tag) == end => break,
                Event::Start(Tag::Paragraph) => {
                    let line = self.line(&range);
                    let inlines = self.inlines(events, TagEnd::Paragraph);
                    // A paragraph of many lines (one line too long is refused before parsing).
                    let text = &self.source.text[self.body_start..][range.clone()];
                    let chars = text.trim_end_matches(['\n', '\r']).chars().count();
                    if chars > lengths::MAX_PARAGRAPH_CHARS {
                        let start = self.body_start + range.start;
                        let error = lengths::too_long(self.source, start, chars);
                        self.errors.push(error);
                        continue;
                    }
                    blocks.push(self.paragraph(inlines, line));
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let line = self.line(&range);
                    let mut inlines = normalize(self.inlines(events, TagEnd::Heading(level)));
                    self.take_images(&mut inlines, line);
                    let level = match level {
                        HeadingLevel::H1 => {
                            self.error_at(&range, msg!("article-h1"), msg!("article-h1-hint"));
                            continue;
                        }
                        HeadingLevel::H2 => 2,
                        HeadingLevel::H3 => 3,
                        HeadingLevel::H4 => 4,
                        HeadingLevel::H5 => 5,
                        HeadingLevel::H6 => {
                            self.error_at(
                                &range,
                                msg!("article-level-6-heading-kanwu"),
                                msg!("article-use-at-most-five"),
                            );
                            continue;
                        }
                    };
                    let numbered = carries_number(&super::document::plain_text(&inlines));
                    blocks.push(Block::Heading {
                        line,
                        level,
                        numbered,
                        inlines,
                    });
                }
                Event::Start(Tag::BlockQuote(kind)) if self.deeper(&range, events) => {
                    let inner = self.blocks(events, Some(TagEnd::BlockQuote(kind)));
                    self.depth -= 1;
                    blocks.push(Block::Quote { blocks: inner });
                }
                Event::Start(Tag::List(start)) if self.deeper(&range, events) => {
                    let ordered = start.is_some();
                    let mut items = Vec::new();
                    while let Some((ev, _)) = events.next() {
                        match ev {
                            Event::Start(Tag::Item) => {
                                items.push(self.blocks(events, Some(TagEnd::Item)))
                            }
                            Event::End(TagEnd::List(_)) => break,
                            _ => {}
                        }
                    }
                    self.depth -= 1;
                    blocks.push(Block::List {
                        ordered,
                        start: start.unwrap_or(1),
                        items,
                    });
                }
                // Too deep: reported and skipped by `deeper`.
                Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {}
                Event::Start(Tag::CodeBlock(kind)) => {
                    let line =
                        self.line(&range) + usize::from(matches!(kind, CodeBlockKind::Fenced(_)));
                    let mut text = String::new();
                    for (ev, _) in events.by_ref() {
                        match ev {
                            Event::Text(t) => text.push_str(&t),
                            Event::End(TagEnd::CodeBlock) => break,
                            _ => {}
                        }
                    }
                    blocks.push(Block::Code {
                        line,
                        text: text.trim_end_matches('\n').to_string(),
                    });
                }
                Event::Start(Tag::HtmlBlock) => {
                    self.error_at(
                        &range,
                        msg!("article-block-raw-html-cannot"),
                        msg!("article-write-as-markdown-print"),
                    );
                    for (ev, _) in events.by_ref() {
                        if ev == Event::End(TagEnd::HtmlBlock) {
                            break;
                        }
                    }
                }
                Event::Html(_) => {
                    self.error_at(
                        &range,
                        msg!("article-raw-html-cannot-be"),
                        msg!("article-write-as-markdown"),
                    );
                }
                Event::Start(Tag::Table(aligns)) => {
                    let line = self.line(&range);
                    blocks.push(self.table(events, line, aligns));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let outer = (std::mem::take(&mut self.depth), self.max_depth);
                    self.max_depth = 0;
                    let blocks = self.blocks(events, Some(TagEnd::FootnoteDefinition));
                    let (line, depth) = (self.line(&range), self.max_depth);
                    (self.depth, self.max_depth) = outer;
                    let note = Note {
                        line,
                        depth,
                        blocks,
                    };
                    self.footnotes.insert(label.to_string(), note);
                }
                Event::Rule => blocks.push(Block::Rule),
                Event::Start(other) => {
                    self.error_at(
                        &range,
                        msg!("article-construct", other = format!("{other:?}")),
                        msg!("article-remove-or-write-as"),
                    );
                    let end = other.to_end();
                    for (ev, _) in events.by_ref() {
                        if ev == Event::End(end) {
                            break;
                        }
                    }
                }
                Event::DisplayMath(_) | Event::End(_) => {}
                _ => {}
            }
        }
        if !loose.is_empty() {
            blocks.push(self.paragraph(loose, loose_line));
        }
        blocks
    }

    /// A paragraph that holds one image and nothing else is a figure; an image among text is
    /// an error (print has no inline pictures).
    fn paragraph(&mut self, inlines: Vec<Inline>, line: usize) -> Block {
        let mut inlines = normalize(inlines);
        if let [Inline::Text { v }] = inlines.as_slice()
            && let Some(idx) = v.strip_prefix(IMAGE_MARK)
        {
            let idx: usize = idx.parse().expect("marker holds an index");
            // None: the image was refused, and that error is already recorded.
            return self.figures[idx].take().unwrap_or(Block::Paragraph {
                line,
                inlines: Vec::new(),
            });
        }
        self.take_images(&mut inlines, line);
        Block::Paragraph { line, inlines }
    }

    /// Images among text (print has no inline pictures): an error; their captions stay as text.
    fn take_images(&mut self, inlines: &mut Vec<Inline>, line: usize) {
        let mut found = false;
        inlines.retain(|i| {
            let is_mark = matches!(i, Inline::Text { v } if v.starts_with(IMAGE_MARK));
            found |= is_mark;
            !is_mark
        });
        if found {
            self.errors.push(
                Diagnostic::error(msg!("article-image-inside-line-text"))
                    .at_line(self.source, line)
                    .hint(msg!("article-put-image-on-line")),
            );
            *inlines = normalize(std::mem::take(inlines));
        }
    }

    fn inlines(&mut self, events: &mut Events, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        while let Some((event, range)) = events.next() {
            if event == Event::End(end) {
                break;
            }
            self.inline(event, range, events, &mut out);
        }
        out
    }

    fn inline(
        &mut self,
        event: Event,
        range: Range<usize>,
        events: &mut Events,
        out: &mut Vec<Inline>,
    ) {
        match event {
            Event::Text(t) => out.push(Inline::text(t.to_string())),
            Event::Code(t) => out.push(Inline::Code { v: t.to_string() }),
            // Looks like markup but is text in a print periodical: print it as written.
            Event::InlineHtml(t) | Event::Html(t) | Event::InlineMath(t) => {
                out.push(Inline::text(t.to_string()))
            }
            Event::SoftBreak => out.push(Inline::text("\n")),
            Event::HardBreak => out.push(Inline::Linebreak),
            Event::FootnoteReference(label) => out.push(footnote_marker(self.depth, &label)),
            Event::TaskListMarker(done) => {
                out.push(Inline::text(if done { "☑ " } else { "☐ " }))
            }
            Event::Start(Tag::Superscript) | Event::Start(Tag::Subscript) => {}
            Event::Start(
                tag @ (Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }),
            ) if self.deeper(&range, events) => {
                let c = self.inlines(events, tag.to_end());
                self.depth -= 1;
                match tag {
                    Tag::Emphasis => out.push(Inline::Emph { c }),
                    Tag::Strong => out.push(Inline::Strong { c }),
                    Tag::Strikethrough => out.push(Inline::Strike { c }),
                    Tag::Link { dest_url, .. } => out.push(Inline::Link {
                        url: dest_url.to_string(),
                        c,
                    }),
                    Tag::Image { dest_url, .. } => {
                        let line = self.line(&range);
                        let figure = self.image(&dest_url, normalize(c), line, &range);
                        out.push(Inline::text(format!("{IMAGE_MARK}{}", self.figures.len())));
                        self.figures.push(figure);
                    }
                    _ => unreachable!("matched above"),
                }
            }
            _ => {}
        }
    }

    fn image(
        &mut self,
        url: &str,
        caption: Vec<Inline>,
        line: usize,
        range: &Range<usize>,
    ) -> Option<Block> {
        if url.contains("://") {
            self.error_at(
                range,
                msg!("article-image-not-file-issue", url = url),
                msg!("article-download-into-issue-s"),
            );
            return None;
        }
        // A path written as a URL (`my%20photo.png`, as VS Code pastes it) names the file
        // with its escapes decoded; a file really named with a `%` is still found.
        let decoded =
            percent_decoded(url).and_then(|d| resolve_inside(self.issue_dir, &d, "image").ok());
        let path = match decoded.map_or_else(|| resolve_inside(self.issue_dir, url, "image"), Ok) {
            Ok(p) => p,
            Err(d) => {
                let r = self.body_start + range.start..self.body_start + range.end;
                let first = self.source.line_range(self.source.line_col(r.start).0);
                self.errors
                    .push(d.at(self.source, r.start..r.end.min(first.end)));
                return None;
            }
        };
        let (width_px, height_px, converted) = match check_image(&path) {
            Ok(found) => found,
            Err(message) => {
                self.error_at(
                    range,
                    msg!("article-image-cannot-be-used", url = url, message = message),
                    msg!("article-replace-with-png-or"),
                );
                return None;
            }
        };
        let rel = path
            .strip_prefix(self.issue_dir)
            .expect("resolve_inside keeps paths inside");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let vpath = match &converted {
            Some(_) => format!("/converted/{rel}.png"),
            None => format!("/issue/{rel}"),
        };
        self.images.push(ImageRef {
            file: path,
            vpath: vpath.clone(),
            converted,
        });
        Some(Block::Image {
            line,
            path: vpath,
            width_px,
            height_px,
            caption,
        })
    }

    fn table(&mut self, events: &mut Events, line: usize, aligns: Vec<Alignment>) -> Block {
        let align = aligns
            .iter()
            .map(|a| match a {
                Alignment::None => "auto",
                Alignment::Left => "left",
                Alignment::Center => "center",
                Alignment::Right => "right",
            })
            .collect();
        let mut header = Vec::new();
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        let mut in_head = false;
        while let Some((ev, _)) = events.next() {
            match ev {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => in_head = false,
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let mut cell = normalize(self.inlines(events, TagEnd::TableCell));
                    self.take_images(&mut cell, line);
                    if in_head {
                        header.push(cell);
                    } else if let Some(row) = rows.last_mut() {
                        row.push(cell);
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Block::Table {
            line,
            align,
            header,
            rows,
        }
    }
}

fn is_inline_event(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::Start(Tag::Emphasis)
            | Event::Start(Tag::Strong)
            | Event::Start(Tag::Strikethrough)
            | Event::Start(Tag::Link { .. })
            | Event::Start(Tag::Image { .. })
    )
}

#[cfg(test)]
mod tests;
