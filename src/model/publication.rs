//! `publication.toml`: what stays the same from issue to issue (刊名, 编印单位, layout, paper,
//! 版记, print settings), parsed with spans like `issue.toml` (see [`super::manifest`]).

use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::manifest::{parse_manifest, read_text};
use crate::diag::{Diagnostic, Result, SourceText};

/// The layout a publication gets when it names none.
pub const DEFAULT_LAYOUT: &str = "express";

/// `publication.toml`: the periodical itself.
#[derive(Debug, Clone)]
pub struct Publication {
    pub name: String,
    pub publisher: String,
    pub marking: Option<String>,
    /// 密级 (e.g. 秘密★1年), printed where GB/T 9704 places it.
    pub classification: Option<String>,
    /// 准印证号 (e.g. 豫内资准字…), which an internal publication must print.
    pub permit: Option<String>,
    /// 印刷单位.
    pub printer: Option<String>,
    pub layout: String,
    pub paper: Paper,
    pub colophon: Colophon,
    pub print: PrintSettings,
    /// Pages an issue should fill (`kanwu serve` shows the count against it); issue.toml may
    /// set its own.
    pub page_budget: Option<u32>,
    pub source: SourceText,
}

/// `[print]`: what the printer's PDF needs beyond the screen one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintSettings {
    /// Bleed around the trim on every side, in mm (0 to 10).
    pub bleed_mm: f64,
    /// A named spot colour for the masthead red (`PANTONE 485 C`); process CMYK when absent.
    pub spot: Option<String>,
    /// The page count is padded with blank pages to a multiple of this (1, 2 or 4).
    pub pad_to: u32,
}

impl Default for PrintSettings {
    fn default() -> Self {
        PrintSettings {
            bleed_mm: 3.0,
            spot: None,
            pad_to: 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paper {
    /// The name as written (`a4`, `16k`, `210x285mm`).
    pub name: String,
    pub width_mm: f64,
    pub height_mm: f64,
}

/// 版记: who the issue goes to and who made it. Every field optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Colophon {
    pub editor_in_chief: Option<String>,
    #[serde(default)]
    pub editors: Vec<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// 报: superiors.
    #[serde(default)]
    pub send_to: Vec<String>,
    /// 送: peers (抄送).
    #[serde(default)]
    pub copy_to: Vec<String>,
    /// 发: those below.
    #[serde(default)]
    pub distribute_to: Vec<String>,
}

// ---------------------------------------------------------------- the file as written

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicationFile {
    #[allow(dead_code)]
    schema: toml::Value,
    publication: PublicationTable,
    #[serde(default)]
    colophon: Colophon,
    print: Option<PrintTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrintTable {
    bleed: Option<Spanned<String>>,
    spot: Option<Spanned<String>>,
    pad_to: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicationTable {
    name: Spanned<String>,
    publisher: Spanned<String>,
    marking: Option<String>,
    classification: Option<String>,
    permit: Option<String>,
    printer: Option<String>,
    layout: Option<Spanned<String>>,
    paper: Option<Spanned<String>>,
    page_budget: Option<Spanned<i64>>,
}

// ---------------------------------------------------------------- loading

/// Loads and validates `publication.toml`.
pub fn load_publication(path: &Path) -> Result<Publication> {
    parse_publication(read_text(path)?)
}

/// Validates a publication.toml's text as [`load_publication`] does (the desk's forms).
pub fn parse_publication(src: SourceText) -> Result<Publication> {
    let file: PublicationFile = parse_manifest(&src)?;
    let p = file.publication;
    let mut errors = Vec::new();
    for (field, value) in [("name", &p.name), ("publisher", &p.publisher)] {
        if value.get_ref().trim().is_empty() {
            errors.push(
                Diagnostic::error(msg!("publication-publication-empty", field = field))
                    .at(&src, value.span()),
            );
        }
    }
    let layout = match &p.layout {
        Some(l) if !is_plain_name(l.get_ref()) => {
            errors.push(
                Diagnostic::error(msg!("publication-layout-not-folder-name", l = l.get_ref()))
                    .at(&src, l.span())
                    .hint(msg!("publication-name-folder-under-layout")),
            );
            String::new()
        }
        Some(l) => l.get_ref().clone(),
        None => DEFAULT_LAYOUT.to_string(),
    };
    let paper = match &p.paper {
        None => Paper::parse("a4").expect("a4 is known"),
        Some(s) => match Paper::parse(s.get_ref()) {
            Some(paper) => paper,
            None => {
                errors.push(
                    Diagnostic::error(msg!("publication-unknown-paper", s = s.get_ref()))
                        .at(&src, s.span())
                        .hint(msg!("publication-use-a4-b5-16k")),
                );
                Paper::parse("a4").expect("a4 is known")
            }
        },
    };
    let print = match &file.print {
        None => PrintSettings::default(),
        Some(t) => print_settings(t, &src, &mut errors),
    };
    let page_budget = p.page_budget.as_ref().and_then(|b| match *b.get_ref() {
        n @ 1..=999 => Some(n as u32),
        n => {
            errors.push(
                Diagnostic::error(msg!("publication-page-budget-not-page", n = n))
                    .at(&src, b.span())
                    .hint(msg!("publication-pages-issue-should-fill")),
            );
            None
        }
    });
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(Publication {
        name: p.name.into_inner(),
        publisher: p.publisher.into_inner(),
        marking: non_blank(p.marking),
        classification: non_blank(p.classification),
        permit: non_blank(p.permit),
        printer: non_blank(p.printer),
        layout,
        paper,
        colophon: file.colophon,
        print,
        page_budget,
        source: src,
    })
}

fn print_settings(t: &PrintTable, src: &SourceText, errors: &mut Vec<Diagnostic>) -> PrintSettings {
    let mut out = PrintSettings::default();
    if let Some(b) = &t.bleed {
        match parse_length_mm(b.get_ref()) {
            Some(mm) if (0.0..=10.0).contains(&mm) => out.bleed_mm = mm,
            Some(mm) => errors.push(
                Diagnostic::error(msg!("publication-bleed-mm-more-than", mm = mm))
                    .at(src, b.span())
                    .hint(msg!("publication-printers-ask-for-3")),
            ),
            None => errors.push(
                Diagnostic::error(msg!("publication-bleed-not-length", b = b.get_ref()))
                    .at(src, b.span())
                    .hint(msg!("publication-write-length-with-its")),
            ),
        }
    }
    if let Some(s) = &t.spot {
        if s.get_ref().trim().is_empty() {
            errors.push(
                Diagnostic::error(msg!("publication-spot-colour-has-no"))
                    .at(src, s.span())
                    .hint(msg!("publication-name-ink-as-printer")),
            );
        } else {
            out.spot = Some(s.get_ref().trim().to_string());
        }
    }
    if let Some(p) = &t.pad_to {
        match *p.get_ref() {
            n @ (1 | 2 | 4) => out.pad_to = n as u32,
            n => errors.push(
                Diagnostic::error(msg!("publication-pad-pages-can-be", n = n))
                    .at(src, p.span())
                    .hint(msg!("publication-saddle-stitched-booklets-need")),
            ),
        }
    }
    out
}

/// "3mm", "0.3cm", "8.5pt", "0.125in" → millimetres.
pub fn parse_length_mm(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = s.split_at(split);
    let n: f64 = num.trim().parse().ok()?;
    let mm = match unit.trim() {
        "mm" => n,
        "cm" => n * 10.0,
        "pt" => n * 25.4 / 72.0,
        "in" => n * 25.4,
        _ => return None,
    };
    (mm.is_finite() && mm >= 0.0).then_some(mm)
}

/// An optional text field: none when absent or blank.
fn non_blank(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Paper {
    /// a4, b5 (ISO), 16k (GB 184×260 mm), or `WxHmm`.
    pub fn parse(s: &str) -> Option<Paper> {
        let name = s.trim().to_ascii_lowercase();
        let (w, h) = match name.as_str() {
            "a4" => (210.0, 297.0),
            "a5" => (148.0, 210.0),
            "b5" => (176.0, 250.0),
            "16k" => (184.0, 260.0),
            "big16k" | "大16k" => (210.0, 285.0),
            other => {
                let dims = other.strip_suffix("mm")?;
                let (w, h) = dims.split_once(['x', '×', '*'])?;
                let (w, h): (f64, f64) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
                if !(50.0..=1000.0).contains(&w) || !(50.0..=1000.0).contains(&h) {
                    return None;
                }
                (w, h)
            }
        };
        Some(Paper {
            name: s.to_string(),
            width_mm: w,
            height_mm: h,
        })
    }
}

/// The layout of a project's publication (`issues/publication.toml` under `root`), or the
/// default `express` when there is none to read (`kanwu fonts` outside an issue).
pub fn project_layout(root: &Path) -> String {
    load_publication(&root.join("issues").join("publication.toml"))
        .map(|p| p.layout)
        .unwrap_or_else(|_| DEFAULT_LAYOUT.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_names_and_sizes() {
        assert_eq!(Paper::parse("a4").unwrap().width_mm, 210.0);
        assert_eq!(Paper::parse("16k").unwrap().height_mm, 260.0);
        let custom = Paper::parse("210x285mm").unwrap();
        assert_eq!((custom.width_mm, custom.height_mm), (210.0, 285.0));
        assert!(Paper::parse("letter").is_none());
        assert!(Paper::parse("10x10mm").is_none());
    }
}
