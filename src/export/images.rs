//! The phone edition: one long PNG per article at phone width and the cover as a share image,
//! set by the publication's own layout in the phone profile (see `typeset::phone`).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use typst_layout::Page;

use crate::diag::{Diagnostic, Result};
use crate::model::LoadedIssue;
use crate::project::Project;
use crate::typeset::phone::render_pngs;

/// The folder of an issue's phone images under the output folder: `2021-01.phone`.
pub fn folder_name(issue: &str) -> String {
    format!("{issue}.phone")
}

/// The share image's file name (without `.png`): page 1.
pub const COVER: &str = "01-cover";

/// The image of the article on page `n`, without `.png`: `03-ai-patents`. Numbered by page, so
/// that a phone's gallery shows them in the issue's order and the cover's contents (page
/// numbers of the phone typesetting) name them. An article cut into several images adds
/// `-1`, `-2`… (see [`render_pngs`]).
pub fn article_file(n: usize, file: &str) -> String {
    let stem = file.trim_end_matches(".md").replace(['/', '\\'], "-");
    format!("{n:02}-{stem}")
}

/// The phone images of an issue in memory, and a warning for each image whose text runs past
/// its edge.
pub struct PhoneImages {
    /// (file name, PNG).
    pub files: Vec<(String, Vec<u8>)>,
    pub warnings: Vec<Diagnostic>,
}

/// The phone images of an issue in memory: the cover and every article, or with `article`
/// that article's image alone. Nothing is written. Text cut off by an image's edge (a long run
/// with no break opportunity) is a warning naming the image and the article.
pub fn render(
    project: &Project,
    loaded: &LoadedIssue,
    article: Option<&str>,
) -> Result<PhoneImages> {
    // The whole issue is set even for one article: its labels and pages are the issue's.
    let wanted = match article {
        Some(name) => Some(
            super::select(&loaded.document, name)?.sections[0].articles[0]
                .file
                .clone(),
        ),
        None => None,
    };
    let compiled = project.typesetter().compile_phone(loaded)?;
    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    if wanted.is_none() {
        pages.push((1, COVER.to_string()));
    }
    let articles = loaded.document.sections.iter().flat_map(|s| &s.articles);
    for (k, a) in articles.enumerate() {
        if wanted.as_ref().is_none_or(|w| *w == a.file) {
            let stem = article_file(k + 2, &a.file);
            if let Some(page) = compiled.doc.pages().get(k + 1)
                && let Some((mm, run)) = text_cut_off(page)
            {
                warnings.push(
                    Diagnostic::warning(msg!(
                        "images-text-cut-off",
                        image = format!("{stem}.png"),
                        mm = format!("{mm:.1}"),
                        run = run
                    ))
                    .hint(msg!("images-text-cut-off-hint", file = a.file.clone())),
                );
            }
            pages.push((k + 2, stem));
        }
    }
    let rendered: Vec<Vec<(String, Vec<u8>)>> = pages
        .into_par_iter()
        .map(|(n, stem)| {
            let parts = render_pngs(&compiled.doc, n);
            let one = parts.len() == 1;
            parts
                .into_iter()
                .enumerate()
                .map(|(i, png)| match one {
                    true => (format!("{stem}.png"), png),
                    false => (format!("{stem}-{}.png", i + 1), png),
                })
                .collect()
        })
        .collect();
    Ok(PhoneImages {
        files: rendered.into_iter().flatten().collect(),
        warnings,
    })
}

/// How far text on a phone page reaches past its left or right edge (in mm), with the start of
/// the run that reaches furthest: a long run with no break opportunity is cut off there by the
/// image's edge. Measured from the glyphs' ink, as preflight's overflow check measures it.
fn text_cut_off(page: &Page) -> Option<(f64, String)> {
    let width = page.frame.width().to_pt();
    let mut worst: Option<(f64, String)> = None;
    let ts = typst::layout::Transform::identity();
    crate::print::typography::walk_items(&page.frame, ts, &mut |item, pos, ts| {
        let typst::layout::FrameItem::Text(text) = item else {
            return;
        };
        let bbox = text.bbox();
        let (from, to) = (bbox.min.x.to_pt(), bbox.max.x.to_pt());
        if !from.is_finite() || !to.is_finite() {
            return;
        }
        let (x, scale) = (pos.transform(ts).x.to_pt(), ts.sx.get().abs());
        let over = (x + to * scale - width).max(-(x + from * scale));
        if over > 1.0 && worst.as_ref().is_none_or(|(o, _)| over > *o) {
            worst = Some((over, text.text.chars().take(24).collect()));
        }
    });
    worst.map(|(over, run)| (typst::layout::Abs::pt(over).to_mm(), run))
}

/// After the whole issue's images were written into `dir`: removes the images of articles the
/// issue no longer has (files named as this module names them, and no others).
pub fn remove_stale(dir: &Path, written: &[(PathBuf, Vec<u8>)]) {
    for path in crate::util::sorted_entries(dir) {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let ours = name.ends_with(".png")
            && name.len() > 3
            && name.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && name.as_bytes()[2] == b'-';
        if ours && !written.iter().any(|(p, _)| *p == path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}
