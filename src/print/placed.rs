//! What the typeset frames say about where each article's elements stand.
//!
//! Every labelled element leaves a start tag in the frames where it is placed, and the
//! frames are walked in the order the layout set them (a page's first column before its
//! second). The labels of the contract ([`super::layout::article_label`], and a section's
//! label for its untitled first article) therefore tell, for each item of a page, which
//! article it was set for: the one whose label came last before it. An image names the file
//! it was loaded from in its own start tag. Nothing here is guessed from page numbers or from
//! what an image holds.

use std::collections::HashMap;

use typst::foundations::Content;
use typst::introspection::Tag;
use typst::layout::{FrameItem, Point, Transform};
use typst::loading::LoadSource;
use typst::visualize::ImageElem;
use typst_layout::PagedDocument;

use crate::model::Document;
use crate::print::typography::walk_items;
use crate::typeset::layout::{TextBlock, article_label, section_label};

/// An item as the walk gives it: page (0-based), the article it was set for (index in
/// document order, as [`article_files`] lists them), the image file it was loaded from (its
/// path in the sandbox, for an image), the item, its position and transform.
pub struct Placed<'a> {
    pub page: usize,
    pub article: Option<usize>,
    pub image: Option<&'a str>,
    pub item: &'a FrameItem,
    pub pos: Point,
    pub ts: Transform,
}

/// The article files in document order: an article's index everywhere is its place here.
pub fn article_files(document: &Document) -> Vec<&str> {
    document
        .sections
        .iter()
        .flat_map(|s| s.articles.iter().map(|a| a.file.as_str()))
        .collect()
}

/// The labels that start an article, by name: each titled article's own, and a section's for
/// its untitled first article (the editor's note, whose section title stands in). A section's
/// label before a titled article starts no article: what follows it, up to that article's
/// label, is the section's heading.
fn starts(document: &Document) -> HashMap<String, Option<usize>> {
    let mut out = HashMap::new();
    let mut index = 0;
    for (si, s) in document.sections.iter().enumerate() {
        let untitled_first = s.articles.first().is_some_and(|a| a.title.is_none());
        out.insert(section_label(si), untitled_first.then_some(index));
        for (ai, a) in s.articles.iter().enumerate() {
            if a.title.is_some() {
                out.insert(article_label(si, ai), Some(index));
            }
            index += 1;
        }
    }
    out
}

/// The path an image element was loaded from, in the sandbox.
fn image_path(content: &Content) -> Option<String> {
    let image = content.to_packed::<ImageElem>()?;
    match &image.source.derived.source.v {
        LoadSource::Path(id) => Some(id.vpath().get_with_slash().to_string()),
        LoadSource::Bytes => None,
    }
}

/// Calls `f` for every item of every page except tags, in the order the layout set them,
/// with the article each was set for.
pub fn walk(doc: &PagedDocument, document: &Document, f: &mut impl FnMut(Placed)) {
    let starts = starts(document);
    let mut article = None;
    let mut image: Option<String> = None;
    for (page, p) in doc.pages().iter().enumerate() {
        walk_items(
            &p.frame,
            Transform::identity(),
            &mut |item, pos, ts| match item {
                FrameItem::Tag(Tag::Start(content, _)) => {
                    if let Some(label) = content.label()
                        && let Some(a) = starts.get(label.resolve().as_str())
                    {
                        article = *a;
                    }
                    if let Some(path) = image_path(content) {
                        image = Some(path);
                    }
                }
                FrameItem::Tag(Tag::End(..)) => {}
                FrameItem::Image(..) => {
                    f(Placed {
                        page,
                        article,
                        image: image.as_deref(),
                        item,
                        pos,
                        ts,
                    });
                    image = None;
                }
                _ => f(Placed {
                    page,
                    article,
                    image: None,
                    item,
                    pos,
                    ts,
                }),
            },
        );
    }
}

/// The pages (1-based, first and last) on which each article's body stands, by article index:
/// text and images between the top and bottom of the text block (every item when the layout
/// publishes none). An article ends on the page
/// before the next one starts when that one starts at the top of a page, on the same page
/// otherwise: only the frames tell.
pub fn article_page_spans(
    doc: &PagedDocument,
    document: &Document,
    text_block: Option<TextBlock>,
) -> Vec<Option<(usize, usize)>> {
    let mut spans: Vec<Option<(usize, usize)>> = vec![None; article_files(document).len()];
    walk(doc, document, &mut |p| {
        let Some(a) = p.article else { return };
        if !matches!(p.item, FrameItem::Text(_) | FrameItem::Image(..)) {
            return;
        }
        let y = p.pos.transform(p.ts).y.to_pt();
        let height = doc.pages()[p.page].frame.height().to_pt();
        if let Some(tb) = text_block
            && (y < tb.top || y > height - tb.bottom)
        {
            return;
        }
        let page = p.page + 1;
        let span = spans[a].get_or_insert((page, page));
        span.0 = span.0.min(page);
        span.1 = span.1.max(page);
    });
    spans
}
