//! Preflight on the laid-out frames: image resolution and overflow.

use std::collections::HashMap;

use typst::layout::{Abs, FrameItem, Transform};
use typst::visualize::ImageKind;

use super::{Finding, Input, Level, locate_text};
use crate::diag::Diagnostic;
use crate::print::typography::walk_items as walk;

pub(super) fn images(input: &Input, findings: &mut Vec<Finding>) {
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
            // Point at the article line that places it.
            let diagnostic = input
                .sources
                .iter()
                .find(|s| s.path.ends_with(file.as_str()))
                .map(|src| {
                    let d = match level {
                        Level::Error => {
                            Diagnostic::error(msg!("frames-preflight", message = message))
                        }
                        _ => Diagnostic::warning(msg!("frames-preflight", message = message)),
                    };
                    d.at_line(src, *line).hint(msg!(
                        "frames-on-page-use-image",
                        index = index + 1,
                        inches = (inches * 300.0).ceil()
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

/// Where the ink of a run of text lies across the line, relative to its start: from its glyphs'
/// outlines, not their advances. A justified line that must stretch (a long Latin run pushed to
/// the next line) adds the extra space after every glyph, its last one too, so the advances
/// reach past the measure where there is no ink. `None` for a run with no outline (spaces).
fn ink_across(text: &typst::text::TextItem) -> Option<(Abs, Abs)> {
    let bbox = text.bbox();
    let finite = |a: Abs| a.to_pt().is_finite();
    (finite(bbox.min.x) && finite(bbox.max.x)).then_some((bbox.min.x, bbox.max.x))
}

pub(super) fn overflow(input: &Input, findings: &mut Vec<Finding>) {
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
            let p = pos.transform(ts);
            let scale = ts.sx.get().abs();
            let across = |from: Abs, to: Abs| {
                let (x0, x1) = (
                    p.x.to_pt() + from.to_pt() * scale,
                    p.x.to_pt() + to.to_pt() * scale,
                );
                (x0, x1, (x1 - right).max(left - x0))
            };
            let (x0, x1, h, what, snippet) = match item {
                FrameItem::Text(text) => {
                    // The advances first; the outlines (slower) only where those reach out.
                    let (mut x0, mut x1, over) = across(Abs::zero(), text.width());
                    if over > tolerance {
                        let Some((from, to)) = ink_across(text) else {
                            return;
                        };
                        (x0, x1, _) = across(from, to);
                    }
                    (x0, x1, text.size, "text", text.text.to_string())
                }
                FrameItem::Image(_, size, _) => {
                    let (x0, x1, _) = across(Abs::zero(), size.x);
                    (x0, x1, size.y, "an image", String::new())
                }
                _ => return,
            };
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
                .unwrap_or_else(|| msg!("preflight-masthead-or-contents"));
            findings.push(Finding {
                level: if input.print() {
                    Level::Error
                } else {
                    Level::Warning
                },
                check: "overflow",
                place: match locate_text(input, &snippet) {
                    Some((src, range)) => {
                        let name = src
                            .path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        format!("{name}:{} (page {number})", src.line_col(range.start).0)
                    }
                    None => format!("page {number}, {article}"),
                },
                message: msg!(
                    "frames-runs-mm-outside-text",
                    what = what,
                    over = format!("{:.1}", Abs::pt(over).to_mm()),
                    bleed = if over > (tb.inside.min(tb.outside)) {
                        "yes"
                    } else {
                        "no"
                    }
                ),
                diagnostic: locate_text(input, &snippet).map(|(src, range)| {
                    Diagnostic::warning(msg!("frames-preflight-text-runs-outside"))
                        .at(src, range)
                        .hint(msg!("frames-on-page-word-too", number = number))
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
