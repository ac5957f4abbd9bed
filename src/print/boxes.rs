//! The print PDF's page boxes: Typst writes MediaBox and TrimBox; the BleedBox is added here.

use crate::diag::{Diagnostic, Result};

/// Room outside the bleed for crop marks and the slug line, in mm.
pub const SLUG_MM: f64 = 12.0;

const MM: f64 = 72.0 / 25.4;

/// Typst writes MediaBox (trim + bleed + slug) and TrimBox; a RIP also wants the BleedBox,
/// which Typst does not write. Adds it to every page: the TrimBox grown by the bleed. A page
/// without a TrimBox is a print page the layout `layout` set without its bleed: an error
/// saying so.
pub fn add_bleed_box(pdf: &[u8], bleed_mm: f64, layout: &str) -> Result<Vec<u8>> {
    let fail = |e: lopdf::Error| Diagnostic::error(msg!("boxes-cannot-add-bleedbox-print", e = e));
    let mut doc = lopdf::Document::load_mem(pdf).map_err(fail)?;
    let pages: Vec<(u32, lopdf::ObjectId)> = doc.get_pages().into_iter().collect();
    for (number, id) in pages {
        let dict = doc.get_dictionary_mut(id).map_err(fail)?;
        let Ok(trim) = dict.get(b"TrimBox") else {
            return Err(Diagnostic::error(msg!(
                "boxes-print-page-without-bleed",
                layout = layout,
                page = number
            ))
            .in_file(format!("layout/{layout}/issue.typ"))
            .hint(msg!("boxes-set-the-bleed"))
            .into());
        };
        let trim: Vec<f64> = trim
            .as_array()
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
        .map_err(|e| Diagnostic::error(msg!("boxes-cannot-write-print-pdf", e = e)))?;
    Ok(out)
}
