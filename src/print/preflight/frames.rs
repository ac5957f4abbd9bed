//! Preflight on the laid-out frames: image resolution and overflow.

use std::collections::HashSet;

use typst::layout::{Abs, FrameItem};
use typst::visualize::ImageKind;

use super::{Finding, Input, Level, Source, locate_text};
use crate::diag::{Diagnostic, display_path};
use crate::print::placed;
use crate::typeset::layout::TextBlock;

/// The resolution of every raster image where the layout placed it, reported at the line of
/// the article that placed it: the frames name the image's file and the article it was set
/// for, so the same picture in two articles (under one name or two) is reported at each.
pub(super) fn images(input: &Input, findings: &mut Vec<Finding>) {
    // The placements already matched to a placed image.
    let mut used = vec![false; input.placements.len()];
    let mut seen = HashSet::new();
    placed::walk(input.doc, input.document, &mut |p| {
        let FrameItem::Image(image, size, _) = p.item else {
            return;
        };
        let Some(vpath) = p.image else { return };
        // The article's next placement of this file, else the next anywhere (a layout that
        // places an image before its article's label).
        let next = |same_article: bool| {
            (0..input.placements.len()).find(|&i| {
                let pl = &input.placements[i];
                !used[i] && pl.vpath == vpath && (!same_article || Some(pl.article) == p.article)
            })
        };
        let Some(i) = next(true).or_else(|| next(false)) else {
            return;
        };
        used[i] = true;
        let placement = &input.placements[i];
        let ImageKind::Raster(raster) = image.kind() else {
            return;
        };
        // The placed width in inches, after any scaling of the groups around it.
        let scale = (p.ts.sx.get().abs()).max(1e-9);
        let inches = size.x.to_inches() * scale;
        if inches <= 0.0 {
            return;
        }
        let ppi = raster.width() as f64 / inches;
        if !seen.insert((i, p.page)) {
            return;
        }
        let name = vpath.trim_start_matches("/issue/");
        let (level, note) = if ppi < 150.0 {
            (
                if input.print() {
                    Level::Error
                } else {
                    Level::Warning
                },
                msg!("frames-note-blurred"),
            )
        } else if ppi < 300.0 {
            (Level::Warning, msg!("frames-note-300"))
        } else {
            return;
        };
        let message = msg!(
            "frames-px-placed-mm-wide",
            name = name,
            raster = raster.width(),
            raster2 = raster.height(),
            inches = format!("{:.0}", inches * 25.4),
            ppi = format!("{:.0}", ppi),
            note = note
        );
        let line = placement.line;
        let src = input.articles.get(placement.article).copied().flatten();
        let file = input
            .document
            .sections
            .iter()
            .flat_map(|s| &s.articles)
            .nth(placement.article)
            .map(|a| a.file.clone())
            .unwrap_or_default();
        // Point at the article line that places it.
        let diagnostic = src.map(|src| {
            let d = match level {
                Level::Error => Diagnostic::error(msg!("frames-preflight", message = message)),
                _ => Diagnostic::warning(msg!("frames-preflight", message = message)),
            };
            d.at_line(src, line).hint(msg!(
                "frames-on-page-use-image",
                index = p.page + 1,
                inches = (inches * 300.0).ceil()
            ))
        });
        findings.push(Finding {
            level,
            check: "image",
            place: msg!(
                "preflight-place-on-page",
                place = format!("{file}:{line}"),
                page = p.page + 1
            ),
            message,
            source: Some(Source {
                article: Some(placement.article),
                file: src
                    .map(|s| display_path(&s.path).display().to_string())
                    .unwrap_or(file),
                line: Some(line),
                column: Some(1),
            }),
            page: Some(p.page + 1),
            diagnostic,
        });
    });
}

/// Where the ink of a run of text lies across the line, relative to its start: from its glyphs'
/// outlines, not their advances. A justified line that must stretch (a long Latin run pushed to
/// the next line) adds the extra space after every glyph, its last one too, so the advances
/// reach past the measure where there is no ink. `None` for a run with no outline (spaces).
fn ink_across(text: &typst::text::TextItem) -> Option<(Abs, Abs)> {
    let bbox = text.bbox();
    let finite = |a: Abs| a.to_pt().is_finite();
    (finite(bbox.min.x) && finite(bbox.max.x)).then_some((bbox.min.x, bbox.max.x))
}

/// What runs out of the text block: the furthest across (past the inside or outside margin)
/// and the furthest down (past the foot of the block) on each page, each at the line of the
/// article whose text or image it is (the frames say which article each item was set for).
pub(super) fn overflow(input: &Input, findings: &mut Vec<Finding>) {
    let Some(tb) = input.text_block else { return };
    let tolerance = 1.0;
    // Per page: the worst across and the worst down.
    let pages = input.doc.pages().len();
    let mut worst: Vec<[Option<Over>; 2]> = vec![[None, None]; pages];
    placed::walk(input.doc, input.document, &mut |pl| {
        let page = &input.doc.pages()[pl.page].frame;
        let number = pl.page + 1;
        let (width, height) = (page.width().to_pt(), page.height().to_pt());
        // Odd pages are right-hand pages: the inside margin is on the left.
        let (left, right) = if number % 2 == 1 {
            (tb.inside, width - tb.outside)
        } else {
            (tb.outside, width - tb.inside)
        };
        let (top, bottom) = (tb.top, height - tb.bottom);
        let p = pl.pos.transform(pl.ts);
        let scale = pl.ts.sx.get().abs();
        let across = |from: Abs, to: Abs| {
            let (x0, x1) = (
                p.x.to_pt() + from.to_pt() * scale,
                p.x.to_pt() + to.to_pt() * scale,
            );
            (x0, x1, (x1 - right).max(left - x0))
        };
        // Across, and the item's top and bottom edges.
        let (x0, x1, y0, y1, kind, snippet) = match pl.item {
            FrameItem::Text(text) => {
                // The advances first; the outlines (slower) only where those reach out.
                let (mut x0, mut x1, over) = across(Abs::zero(), text.width());
                if over > tolerance {
                    let Some((from, to)) = ink_across(text) else {
                        return;
                    };
                    (x0, x1, _) = across(from, to);
                }
                // From the baseline: the ascent above it, the descent below.
                let size = text.size.to_pt() * scale;
                let base = p.y.to_pt();
                (
                    x0,
                    x1,
                    base - 0.8 * size,
                    base + 0.2 * size,
                    What::Text,
                    text.text.to_string(),
                )
            }
            FrameItem::Image(_, size, _) => {
                let (x0, x1, _) = across(Abs::zero(), size.x);
                let y0 = p.y.to_pt();
                // The line that places it, in the article it was set for.
                let line = input
                    .placements
                    .iter()
                    .find(|m| Some(m.vpath.as_str()) == pl.image && Some(m.article) == pl.article)
                    .map(|m| m.line);
                let what = What::Image(line);
                (x0, x1, y0, y0 + size.y.to_pt() * scale, what, String::new())
            }
            _ => return,
        };
        let yc = (y0 + y1) / 2.0;
        // Only the body: running heads, folios and the page background live in the margins;
        // an item that starts in the body and reaches below its foot ran out of it.
        if yc < top || y0 > bottom {
            return;
        }
        let article = pl.article;
        let candidates = [
            (0, (x1 - right).max(left - x0), Direction::Across),
            (1, y1 - bottom, Direction::Down),
        ];
        for (slot, over, direction) in candidates {
            let w = &mut worst[pl.page][slot];
            if over > tolerance && w.as_ref().is_none_or(|o| over > o.over) {
                *w = Some(Over {
                    over,
                    what: kind,
                    direction,
                    article,
                    snippet: snippet.clone(),
                });
            }
        }
    });
    for (index, page) in worst.into_iter().enumerate() {
        for o in page.into_iter().flatten() {
            findings.push(overflow_finding(input, index + 1, o, &tb));
        }
    }
}

#[derive(Clone, Copy)]
enum What {
    Text,
    /// An image, and the line of its article that places it.
    Image(Option<usize>),
}

#[derive(Clone, Copy)]
enum Direction {
    Across,
    Down,
}

/// The worst overflow of a page in one direction.
#[derive(Clone)]
struct Over {
    over: f64,
    what: What,
    direction: Direction,
    article: Option<usize>,
    snippet: String,
}

fn overflow_finding(input: &Input, number: usize, o: Over, tb: &TextBlock) -> Finding {
    let level = if input.print() {
        Level::Error
    } else {
        Level::Warning
    };
    // The catalogue's selector: 文字 or 图片.
    let what = match o.what {
        What::Text => "text",
        What::Image(_) => "image",
    };
    let over = format!("{:.1}", Abs::pt(o.over).to_mm());
    let message = match o.direction {
        Direction::Across => msg!(
            "frames-runs-mm-outside-text",
            what = what,
            over = over,
            bleed = if o.over > (tb.inside.min(tb.outside)) {
                "yes"
            } else {
                "no"
            }
        ),
        Direction::Down => msg!("frames-runs-mm-below-text", what = what, over = over),
    };
    let article_src = o
        .article
        .and_then(|a| input.articles.get(a).copied().flatten());
    let located = match (o.what, article_src) {
        (What::Image(Some(line)), Some(src)) => Some((src, src.line_range(line))),
        _ => locate_text(input, o.article, &o.snippet),
    };
    let file = o.article.and_then(|a| {
        input
            .document
            .sections
            .iter()
            .flat_map(|s| &s.articles)
            .nth(a)
            .map(|a| a.file.clone())
    });
    let place = match (&located, &file) {
        (Some((src, range)), _) => {
            let name = display_path(&src.path).display().to_string();
            let name = match &file {
                Some(f) => f.clone(),
                None => name,
            };
            msg!(
                "preflight-place-on-page",
                place = format!("{name}:{}", src.line_col(range.start).0),
                page = number
            )
        }
        (None, Some(f)) => msg!("preflight-page-article", page = number, article = f.clone()),
        (None, None) => msg!(
            "preflight-page-article",
            page = number,
            article = msg!("preflight-masthead-or-contents")
        ),
    };
    let source = match (&located, o.article) {
        (Some((src, range)), article) => {
            let (line, column) = src.line_col(range.start);
            Some(Source {
                article,
                file: display_path(&src.path).display().to_string(),
                line: Some(line),
                column: Some(column),
            })
        }
        (None, Some(a)) => input.articles.get(a).copied().flatten().map(|src| Source {
            article: Some(a),
            file: display_path(&src.path).display().to_string(),
            line: None,
            column: None,
        }),
        (None, None) => None,
    };
    let diagnostic = located.map(|(src, range)| {
        let head = match o.direction {
            Direction::Across => msg!("frames-preflight-text-runs-outside"),
            Direction::Down => msg!("frames-preflight-runs-below"),
        };
        let mut d = Diagnostic::warning(head)
            .at(src, range)
            .hint(msg!("frames-on-page-word-too", number = number));
        if input.print() {
            d.severity = crate::diag::Severity::Error;
        }
        d
    });
    Finding {
        level,
        check: "overflow",
        place,
        message,
        source,
        page: Some(number),
        diagnostic,
    }
}
