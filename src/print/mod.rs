//! From a loaded issue to finished PDF bytes in a profile: typeset (for print: padded to the
//! binding), preflight, export; and the printer's extras (page boxes, ticket, booklet).

pub mod boxes;
pub mod impose;
pub mod placed;
pub mod preflight;
pub mod ticket;
pub mod typography;

use std::path::PathBuf;

use typst_layout::PagedDocument;

use crate::diag::{Diagnostic, Failure, Result, SourceText};
use crate::model::document::OutputData;
use crate::model::{Document, LoadedIssue, Profile};
use crate::typeset::{Typesetter, compile, pdf_identity};
pub use boxes::SLUG_MM;
use preflight::Report;

/// A typeset issue, not yet exported.
pub struct Typeset {
    /// The issue as typeset (for print: its document carries the print settings).
    pub loaded: LoadedIssue,
    pub doc: PagedDocument,
    /// Typst's warnings (preflight's findings are in `preflight`).
    pub warnings: Vec<Diagnostic>,
    pub preflight: Report,
    /// The files under `layout/` the build opened.
    pub layout_files: Vec<PathBuf>,
}

impl Typeset {
    /// Typst's warnings, then preflight's errors and warnings.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.warnings.clone();
        all.extend(self.preflight.diagnostics());
        all
    }
}

/// A PDF made in memory.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub doc: PagedDocument,
    /// Typst's warnings and preflight's warnings.
    pub warnings: Vec<Diagnostic>,
    pub preflight: Report,
    /// The document as typeset (for print: with the print settings).
    pub document: Document,
    pub layout_files: Vec<PathBuf>,
}

/// Typesets an issue for a profile and runs preflight; nothing is written and preflight's
/// findings never fail it (`kanwu check` reports them whole). For print, the document asks
/// the layout for bleed and crop marks and a page count that is a multiple of the binding's
/// `pad_to` (the layout puts blank pages before the 版记 page; preflight fails a wrong count).
pub fn typeset(ts: &Typesetter, mut loaded: LoadedIssue, profile: Profile) -> Result<Typeset> {
    let settings = loaded.publication.print.clone();
    if profile == Profile::Print {
        loaded.document.output = OutputData {
            profile: Profile::Print,
            page_width_mm: None,
            bleed_mm: settings.bleed_mm,
            slug_mm: SLUG_MM,
            spot: settings.spot.clone(),
            pad_to: settings.pad_to,
        };
    }
    // The layout pads to the binding's multiple itself, within Typst's passes: one compile.
    let c = ts.compile(&loaded, profile)?;
    let report = preflight::inspect(&ts.fonts, &loaded, &c.doc, profile);
    Ok(Typeset {
        loaded,
        doc: c.doc,
        warnings: c.warnings,
        preflight: report,
        layout_files: c.layout_files,
    })
}

/// Typesets, preflights and exports a loaded issue in memory (for print: padded, with its
/// BleedBox). Fails on a compile error or a preflight error (for print: a missing glyph, an
/// image under 150 ppi, overflow into the bleed).
pub fn render(ts: &Typesetter, loaded: &LoadedIssue, profile: Profile) -> Result<Rendered> {
    let t = typeset(ts, loaded.clone(), profile)?;
    if t.preflight.errors() > 0 {
        let mut diags = t.preflight.diagnostics();
        diags.extend(t.warnings);
        return Err(diags.into());
    }
    let mut pdf = compile::export_profile(&t.doc, &pdf_identity(&t.loaded), profile)
        .map_err(|f| locate_export_errors(f, &t.loaded.sources))
        .map_err(|f| name_the_layout(f, &t.loaded.publication.layout, profile))?;
    if profile == Profile::Print {
        pdf = boxes::add_bleed_box(
            &pdf,
            t.loaded.publication.print.bleed_mm,
            &t.loaded.publication.layout,
        )?;
    }
    Ok(Rendered {
        warnings: t.diagnostics(),
        pdf,
        doc: t.doc,
        preflight: t.preflight,
        document: t.loaded.document,
        layout_files: t.layout_files,
    })
}

/// PDF/A's refusal of a CMYK colour ("the PDF is missing a CMYK profile", which names no file)
/// said as what it is: the layout's theme gives this profile a CMYK colour.
fn name_the_layout(f: Failure, layout: &str, profile: Profile) -> Failure {
    let named = f.0.into_iter().map(|d| {
        if !d.message.contains("missing a CMYK profile") {
            return d;
        }
        Diagnostic::error(msg!(
            "print-layout-cmyk-in-pdfa",
            layout = layout,
            profile = msg!("profile-label", profile = profile.name())
        ))
        .in_file(format!("layout/{layout}/theme.typ"))
        .hint(msg!("print-layout-cmyk-only-in-print", layout = layout))
    });
    Failure(named.collect())
}

/// Points the exporter's complaints about a text (PDF/A: "the text `\"😀\"` could not be
/// displayed with font …") at the first file and line holding that text. Preflight reports a
/// character no font has before the export; this catches what a layout's own font choice
/// leaves undrawable. (Typst gives the text only in its message, so the message is read.)
fn locate_export_errors(f: Failure, sources: &[SourceText]) -> Failure {
    let located = f.0.into_iter().map(|d| {
        if d.location.is_some() {
            return d;
        }
        let text = d
            .message
            .split_once("the text `\"")
            .and_then(|(_, rest)| rest.split_once("\"` could not be displayed"))
            .map(|(text, _)| text.to_string())
            .filter(|t| !t.is_empty() && !t.contains('\\'));
        let Some(text) = text else { return d };
        match sources
            .iter()
            .find_map(|src| Some((src, src.text.find(text.as_str())?)))
        {
            Some((src, pos)) => d
                .at(src, pos..pos + text.len())
                .hint(msg!("print-replace-character-or-add")),
            None => d,
        }
    });
    Failure(located.collect())
}

/// The print PDF's companions, made in memory: the ticket (naming `pdf_name` and, when
/// imposed, `booklet_name`) and the imposed booklet.
pub fn extras(
    ts: &Typesetter,
    loaded: &LoadedIssue,
    r: &Rendered,
    pdf_name: &str,
    booklet_name: Option<String>,
) -> Result<(ticket::Ticket, Option<Vec<u8>>)> {
    let booklet = match &booklet_name {
        Some(_) => Some(
            impose::impose(
                &ts.fonts,
                &r.pdf,
                r.doc.pages().len(),
                &loaded.publication.paper,
                loaded.publication.print.bleed_mm,
                &pdf_identity(loaded),
            )?
            .0,
        ),
        None => None,
    };
    let ticket = ticket::ticket(
        r,
        &loaded.publication,
        pdf_name,
        crate::util::sha256_bytes(&r.pdf),
        loaded.images.len(),
        booklet_name,
    );
    Ok((ticket, booklet))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_error_about_a_text_points_at_the_line_holding_it() {
        let src = SourceText::new("emoji.md", "+++\ntitle = \"t\"\n+++\n第一行\n笑😀了\n");
        let f = Failure(vec![Diagnostic::error(
            "PDF export failed: PDF/A-3b error: the text `\"😀\"` could not be displayed with font \"x\"",
        )]);
        let d = &locate_export_errors(f, std::slice::from_ref(&src)).0[0];
        assert_eq!(d.position().as_deref(), Some("emoji.md:5:2"));
    }
}
