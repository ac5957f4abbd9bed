//! The print ticket: what a printer needs to quote and check the job, beside the print PDF.

use serde::Serialize;

use super::boxes::SLUG_MM;
use super::preflight::Report;
use crate::model::Document;
use crate::model::publication::{PrintSettings, Publication};

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
    publication: &Publication,
    file: &str,
    sha256: String,
    document: &Document,
    images: usize,
    booklet: Option<String>,
) -> Ticket {
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
        binding: report.binding.to_string(),
        colours: colours(settings, images),
        copies: i.copies,
        booklet,
        generator: document.generator.clone(),
    }
}
