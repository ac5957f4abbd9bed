//! The printer's outputs: boxes on the print PDF, the print ticket, and booklet imposition.

use std::collections::HashMap;

use serde::Serialize;
use typst::foundations::Bytes;

use crate::diag::{Diagnostic, Result};
use crate::fonts::Fonts;
use crate::manifest::{Paper, PrintSettings};
use crate::preflight::Report;
use crate::world::KanwuWorld;

/// Room outside the bleed for crop marks and the slug line, in mm.
pub const SLUG_MM: f64 = 12.0;

const MM: f64 = 72.0 / 25.4;

/// Typst writes MediaBox (trim + bleed + slug) and TrimBox; a RIP also wants the BleedBox,
/// which Typst does not write. Adds it to every page: the TrimBox grown by the bleed.
pub fn add_bleed_box(pdf: &[u8], bleed_mm: f64) -> Result<Vec<u8>> {
    let fail = |e: lopdf::Error| {
        Diagnostic::error(format!("cannot add the BleedBox to the print PDF: {e}"))
    };
    let mut doc = lopdf::Document::load_mem(pdf).map_err(fail)?;
    let pages: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
    for id in pages {
        let dict = doc.get_dictionary_mut(id).map_err(fail)?;
        let trim: Vec<f64> = dict
            .get(b"TrimBox")
            .and_then(|o| o.as_array())
            .map_err(fail)?
            .iter()
            .map(|v| {
                v.as_float()
                    .map(f64::from)
                    .or_else(|_| v.as_i64().map(|i| i as f64))
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(fail)?;
        let b = bleed_mm * MM;
        let bleed_box = [trim[0] - b, trim[1] - b, trim[2] + b, trim[3] + b];
        dict.set(
            b"BleedBox".to_vec(),
            lopdf::Object::Array(
                bleed_box
                    .iter()
                    .map(|v| lopdf::Object::Real(*v as f32))
                    .collect(),
            ),
        );
    }
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| Diagnostic::error(format!("cannot write the print PDF: {e}")))?;
    Ok(out)
}

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
            "# Print ticket written by kanwu beside the print PDF: what the job is, to quote and check it.\n{}",
            toml::to_string(self).expect("the ticket serialises")
        )
    }
}

pub fn colours(settings: &PrintSettings, images: usize) -> Vec<String> {
    let mut out = vec!["process CMYK: text 100% K only, greys as K tints".to_string()];
    match &settings.spot {
        Some(spot) => out.push(format!(
            "spot: {spot} (masthead red, rules, section markers)"
        )),
        None => out.push("masthead red as process CMYK 0/100/100/0".into()),
    }
    out.push("crop marks and slug in registration (All)".into());
    if images > 0 {
        out.push(format!("{images} RGB image(s), converted by the RIP"));
    }
    out
}

pub fn ticket(
    report: &Report,
    publication: &crate::manifest::Publication,
    file: &str,
    sha256: String,
    document: &crate::document::Document,
    images: usize,
    booklet: Option<String>,
) -> Ticket {
    let (paper, settings) = (&publication.paper, &publication.print);
    let i = &document.issue;
    let outer = 2.0 * (settings.bleed_mm + SLUG_MM);
    Ticket {
        publication: document.publication.name.clone(),
        issue: match i.serial {
            Some(s) => format!("{}年第{}期（总第{}期）", i.year, i.number, s),
            None => format!("{}年第{}期", i.year, i.number),
        },
        date: format!("{}-{:02}-{:02}", i.date.year, i.date.month, i.date.day),
        file: file.to_string(),
        sha256,
        paper: paper.name.clone(),
        trim_mm: [paper.width_mm, paper.height_mm],
        bleed_mm: settings.bleed_mm,
        media_mm: [paper.width_mm + outer, paper.height_mm + outer],
        pages: report.pages,
        blank_pages: report.blank_pages,
        sheets: report.sheets,
        binding: report.binding.to_string(),
        colours: colours(settings, images),
        copies: i.copies,
        booklet,
        generator: document.generator.clone(),
    }
}

/// Saddle-stitch order: each sheet's front then back, left page then right.
/// For 8 pages: (8, 1), (2, 7), (6, 3), (4, 5).
pub fn booklet_order(pages: usize) -> Vec<(usize, usize)> {
    assert!(
        pages.is_multiple_of(4),
        "a booklet has a multiple of 4 pages"
    );
    let mut out = Vec::new();
    for s in 0..pages / 4 {
        out.push((pages - 2 * s, 1 + 2 * s));
        out.push((2 + 2 * s, pages - 1 - 2 * s));
    }
    out
}

/// The imposition pass: fixed Typst code; the numbers come in as JSON.
const BOOKLET_TYP: &str = r#"// Generated by kanwu: saddle-stitch imposition of the print PDF.
#let job = json("/booklet.json")
#let (w, h, o) = (job.trim_w_mm * 1mm, job.trim_h_mm * 1mm, job.outer_mm * 1mm)
#set page(width: 2 * w, height: h, margin: 0pt)
#let half(n) = box(width: w, height: h, clip: true,
  move(dx: -o, dy: -o, image("/print.pdf", page: n, width: w + 2 * o, height: h + 2 * o)))
#for (k, side) in job.sides.enumerate() {
  if k > 0 { pagebreak() }
  place(top + left, half(side.at(0)))
  place(top + left, dx: w, half(side.at(1)))
}
"#;

/// Places the pages of the print PDF two by two on sheets twice the page size, trimmed.
pub fn impose(
    fonts: &std::sync::Arc<Fonts>,
    print_pdf: &[u8],
    pages: usize,
    paper: &Paper,
    bleed_mm: f64,
    id: &crate::render::PdfIdentity,
) -> Result<(Vec<u8>, usize)> {
    let date = id.date;
    if !pages.is_multiple_of(4) {
        return Err(Diagnostic::error(format!(
            "a saddle-stitched booklet needs a multiple of 4 pages, the print PDF has {pages}"
        ))
        .hint("set pad_to = 4 under [print] in publication.toml")
        .into());
    }
    let sides: Vec<[usize; 2]> = booklet_order(pages)
        .into_iter()
        .map(|(l, r)| [l, r])
        .collect();
    let job = serde_json::json!({
        "trim_w_mm": paper.width_mm,
        "trim_h_mm": paper.height_mm,
        "outer_mm": bleed_mm + SLUG_MM,
        "sides": sides,
    });
    let mut files = HashMap::new();
    files.insert("/main.typ".to_string(), Bytes::from_string(BOOKLET_TYP));
    files.insert(
        "/booklet.json".to_string(),
        Bytes::new(serde_json::to_vec(&job).expect("json")),
    );
    files.insert("/print.pdf".to_string(), Bytes::new(print_pdf.to_vec()));
    let world = KanwuWorld::new(fonts.clone(), "/main.typ", files, Vec::new(), date);
    let (doc, _) = crate::render::compile(&world);
    let doc = doc?;
    let sheets = doc.pages().len();
    let id = crate::render::PdfIdentity {
        ident: format!("{}/booklet", id.ident),
        date,
    };
    let bytes = crate::render::export_pdf(&doc, &id)?;
    Ok((bytes, sheets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booklet_order_for_eight_and_twelve_pages() {
        assert_eq!(booklet_order(8), vec![(8, 1), (2, 7), (6, 3), (4, 5)]);
        assert_eq!(
            booklet_order(12),
            vec![(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
        );
    }
}
