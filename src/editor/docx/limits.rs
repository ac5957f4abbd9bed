//! What a .docx may inflate to, checked before it does: the sizes its zip declares, the bytes
//! actually read (never past the limit, whatever was declared), and the pixels its pictures
//! declare. A 2 MB file once inflated to 4.2 GB of memory and a 2 GiB picture (issue 21).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::diag::Diagnostic;

/// The most one part of a .docx may inflate to: far above any document's `document.xml` (a
/// 500-page report's is about 20 MB) or a photograph placed in it.
pub(crate) const MAX_PART_BYTES: u64 = 128 << 20;
/// The most all the parts of one .docx may inflate to together.
pub(crate) const MAX_DOCX_BYTES: u64 = 512 << 20;
/// The most pixels a picture in a .docx may declare: a 10,000 × 10,000 photograph passes; more
/// is a picture no page needs (and one the build could not open).
pub(crate) const MAX_IMAGE_PIXELS: u64 = 100_000_000;

pub(super) enum PartError {
    /// The container itself is damaged: its reader's message.
    Zip(String),
    /// A part over a limit: the error to show.
    Limit(Diagnostic),
}

/// The files of the container, each read only when its declared size is within
/// [`MAX_PART_BYTES`] and the total within [`MAX_DOCX_BYTES`], and read no further than that
/// whatever the declaration said (a forged size in the zip's headers).
pub(super) fn read_parts(
    zip: &mut zip::ZipArchive<std::fs::File>,
    shown: &Path,
) -> std::result::Result<HashMap<String, Vec<u8>>, PartError> {
    let too_big = |part: &str, size: u64, max: u64, hint: String| {
        PartError::Limit(
            Diagnostic::error(msg!(
                "docx-part-too-large",
                shown = shown.display(),
                part = part.to_string(),
                size = mib(size),
                max = mib(max)
            ))
            .hint(hint),
        )
    };
    let part_hint = || msg!("docx-part-too-large-hint");
    let total_hint = || msg!("docx-total-too-large-hint");
    // What the container declares, all parts together, before any is inflated.
    let mut declared_total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| PartError::Zip(e.to_string()))?;
        let name = entry.name().to_string();
        if entry.size() > MAX_PART_BYTES {
            return Err(too_big(&name, entry.size(), MAX_PART_BYTES, part_hint()));
        }
        declared_total = declared_total.saturating_add(entry.size());
        if declared_total > MAX_DOCX_BYTES {
            return Err(too_big(&name, declared_total, MAX_DOCX_BYTES, total_hint()));
        }
    }
    let mut files = HashMap::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| PartError::Zip(e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_string();
        let declared = entry.size();
        if declared > MAX_PART_BYTES {
            return Err(too_big(&name, declared, MAX_PART_BYTES, part_hint()));
        }
        if total + declared > MAX_DOCX_BYTES {
            return Err(too_big(
                &name,
                total + declared,
                MAX_DOCX_BYTES,
                total_hint(),
            ));
        }
        let room = MAX_PART_BYTES.min(MAX_DOCX_BYTES - total);
        let mut bytes = Vec::with_capacity(declared as usize);
        entry
            .take(room + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| PartError::Zip(e.to_string()))?;
        let actual = bytes.len() as u64;
        if actual > room {
            let (size, max, hint) = if room == MAX_PART_BYTES {
                (actual, MAX_PART_BYTES, part_hint())
            } else {
                (total + actual, MAX_DOCX_BYTES, total_hint())
            };
            return Err(too_big(&name, size, max, hint));
        }
        total += actual;
        files.insert(name, bytes);
    }
    Ok(files)
}

/// A size in MiB, as the messages give it ("more than 128 MiB").
fn mib(bytes: u64) -> String {
    format!("{}", bytes.div_ceil(1 << 20))
}

/// The pixels a picture declares in its header (read without decoding it), when its format is
/// one kanwu knows.
pub(super) fn declared_pixels(bytes: &[u8]) -> Option<(u32, u32)> {
    image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}
