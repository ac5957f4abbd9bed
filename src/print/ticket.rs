//! The print ticket: what a printer needs to quote and check the job, beside the print PDF.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use typst::layout::{FrameItem, Transform};
use typst::visualize::{Color, Paint, ProcessColor, SpotColorantName};
use typst_layout::PagedDocument;

use super::boxes::SLUG_MM;
use super::typography::walk_items;
use crate::model::publication::Publication;

/// What a printer needs to quote and check the job, written beside the print PDF.
#[derive(Debug, Serialize)]
pub struct Ticket {
    pub publication: String,
    pub issue: String,
    pub date: String,
    pub file: String,
    pub sha256: String,
    pub paper: String,
    pub trim_mm: [f64; 2],
    pub bleed_mm: f64,
    pub media_mm: [f64; 2],
    pub pages: usize,
    pub blank_pages: u32,
    pub sheets: usize,
    pub binding: String,
    pub colours: Vec<String>,
    pub copies: Option<u32>,
    pub booklet: Option<String>,
    pub generator: String,
}

impl Ticket {
    pub fn to_toml(&self) -> String {
        format!(
            "# {}\n{}",
            msg!("ticket-header"),
            toml::to_string(self).expect("the ticket serialises")
        )
    }
}

/// The inks of a typeset issue, as its pages use them: every colour of text, fill and stroke
/// the layout set (so a blue layout's ticket names its blue, and a red one's red), K-only
/// colours and greys as one line, spot inks by name; then the raster images, left to the RIP.
pub fn colours(doc: &PagedDocument, images: usize) -> Vec<String> {
    let mut process = BTreeSet::new();
    let mut spots = BTreeMap::new();
    let (mut black, mut registration, mut other) = (false, false, BTreeSet::new());
    let mut note = |paint: &Paint| {
        let Paint::Solid(color) = paint else { return };
        match color {
            Color::Process(ProcessColor::Cmyk(c)) => {
                let pct = |v: f32| (v * 100.0).round() as u32;
                let (c, m, y, k) = (pct(c.c), pct(c.m), pct(c.y), pct(c.k));
                if (c, m, y) == (0, 0, 0) {
                    black |= k > 0;
                } else {
                    process.insert(format!("{c}/{m}/{y}/{k}"));
                }
            }
            Color::Process(ProcessColor::Luma(_)) => black = true,
            Color::Process(p) => {
                other.insert(Color::Process(*p).to_hex().to_string());
            }
            Color::Spot(spot) => match &spot.colorant.name {
                Some(SpotColorantName::All) => registration = true,
                Some(SpotColorantName::Custom(name)) => {
                    let fallback = match spot.colorant.fallback {
                        ProcessColor::Cmyk(c) => {
                            let pct = |v: f32| (v * 100.0).round() as u32;
                            format!("{}/{}/{}/{}", pct(c.c), pct(c.m), pct(c.y), pct(c.k))
                        }
                        p => Color::Process(p).to_hex().to_string(),
                    };
                    spots.insert(name.to_string(), fallback);
                }
                None => {}
            },
        }
    };
    for page in doc.pages() {
        walk_items(
            &page.frame,
            Transform::identity(),
            &mut |item, _, _| match item {
                FrameItem::Text(t) => note(&t.fill),
                FrameItem::Shape(shape, _) => {
                    shape.fill.iter().for_each(&mut note);
                    shape.stroke.iter().for_each(|s| note(&s.paint));
                }
                _ => {}
            },
        );
    }
    let mut out = Vec::new();
    if black {
        out.push(msg!("ticket-colour-black"));
    }
    out.extend(
        process
            .into_iter()
            .map(|cmyk| msg!("ticket-colour-process", cmyk = cmyk)),
    );
    out.extend(
        spots
            .into_iter()
            .map(|(name, cmyk)| msg!("ticket-colour-spot", name = name, cmyk = cmyk)),
    );
    out.extend(
        other
            .into_iter()
            .map(|hex| msg!("ticket-colour-other", hex = hex)),
    );
    if registration {
        out.push(msg!("ticket-colour-registration"));
    }
    if images > 0 {
        out.push(msg!("ticket-colour-images", images = images));
    }
    out
}

/// The ticket of a rendered print PDF named `file`.
pub fn ticket(
    r: &super::Rendered,
    publication: &Publication,
    file: &str,
    sha256: String,
    images: usize,
    booklet: Option<String>,
) -> Ticket {
    let (report, document, doc) = (&r.preflight, &r.document, &r.doc);
    let (paper, settings) = (&publication.paper, &publication.print);
    let i = &document.issue;
    let outer = 2.0 * (settings.bleed_mm + SLUG_MM);
    Ticket {
        publication: document.publication.name.clone(),
        issue: i.label(),
        date: i.date.to_string(),
        file: file.to_string(),
        sha256,
        paper: paper.name.clone(),
        trim_mm: [paper.width_mm, paper.height_mm],
        bleed_mm: settings.bleed_mm,
        media_mm: [paper.width_mm + outer, paper.height_mm + outer],
        pages: report.pages,
        blank_pages: report.blank_pages,
        sheets: report.sheets,
        binding: report.binding_label(),
        colours: colours(doc, images),
        copies: i.copies,
        booklet,
        generator: document.generator.clone(),
    }
}
