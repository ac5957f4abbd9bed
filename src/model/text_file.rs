//! The text files an editor writes (articles, manifests), read: UTF-8 or UTF-16 with its
//! byte-order mark, at most [`MAX_TEXT_BYTES`], ordinary files only; old Mac line ends made
//! Unix ones.

use std::fs;
use std::path::Path;

use super::manifest::{MAX_ARTICLES, MAX_TEXT_BYTES};
use crate::diag::{Diagnostic, Result, SourceText, display_path};

/// Reads a text file that an editor wrote: UTF-8, or UTF-16 with its byte-order mark; a clear
/// error otherwise (naming UTF-16 without a mark, or GBK, as what it probably is).
pub fn read_text(path: &Path) -> Result<SourceText> {
    let shown = display_path(path);
    if let Ok(m) = fs::metadata(path)
        && m.len() > MAX_TEXT_BYTES
    {
        return Err(Diagnostic::error(msg!(
            "manifest-mb-kanwu-reads-text",
            shown = shown.display(),
            size = format!("{:.1}", m.len() as f64 / 1e6),
            max = MAX_TEXT_BYTES / 1_000_000
        ))
        .in_file(&shown)
        .hint(msg!(
            "manifest-split-article-into-several",
            max = MAX_ARTICLES
        ))
        .into());
    }
    if let Ok(m) = fs::metadata(path)
        && !m.is_file()
        && !m.is_dir()
    {
        // A FIFO, a socket or a device: reading it would block or never end.
        return Err(
            Diagnostic::error(msg!("paths-not-a-regular-file", shown = shown.display()))
                .in_file(&shown)
                .hint(msg!("paths-not-a-regular-file-hint"))
                .into(),
        );
    }
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::error(msg!(
            "manifest-cannot-read",
            shown = shown.display(),
            e = crate::util::io_reason(&e)
        ))
        .in_file(&shown)
    })?;
    // UTF-16 with its byte-order mark (what Notepad saves as "Unicode"): read as such, as
    // `kanwu import` reads it. Lines stay where they are, so errors point at the same lines.
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(encoding_rs::UTF_16LE),
        Some([0xFE, 0xFF]) => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    if let Some(encoding) = utf16 {
        return match encoding.decode_without_bom_handling_and_without_replacement(&bytes[2..]) {
            Some(text) => Ok(SourceText::new(shown, lone_cr_to_lf(text.into_owned()))),
            None => Err(Diagnostic::error(msg!(
                "manifest-not-utf-16-text",
                shown = shown.display(),
                name = encoding.name()
            ))
            .in_file(&shown)
            .hint(msg!("manifest-save-as-utf-8"))
            .into()),
        };
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(shown, lone_cr_to_lf(text))),
        Err(e) if looks_like_utf16(e.as_bytes()) => Err(Diagnostic::error(msg!(
            "manifest-not-utf-16-text",
            shown = shown.display(),
            name = "UTF-16"
        ))
        .in_file(&shown)
        .hint(msg!("manifest-save-as-utf-8"))
        .into()),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(&e.into_bytes()[..offset]).into_owned();
            let (line, _) = SourceText::new(&shown, text).line_col(offset);
            Err(Diagnostic::error(msg!(
                "manifest-not-utf-8-text",
                shown = shown.display(),
                line = line
            ))
            .in_file(&shown)
            .hint(msg!("manifest-was-probably-saved-as"))
            .into())
        }
    }
}

/// UTF-16 without a byte-order mark: a NUL in every other byte, for most of the first bytes
/// (text in GBK or UTF-8 has none).
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512) & !1];
    let nuls = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    head.len() >= 4 && nuls(0).max(nuls(1)) * 4 >= head.len()
}

/// Line ends as old Mac editors wrote them (a CR alone) become LF; CRLF stays. Byte for byte,
/// so every offset still points at the same place of the file on disk.
fn lone_cr_to_lf(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    String::from_utf8(bytes).expect("ASCII replaced by ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_are_line_ends_and_crlf_stays() {
        assert_eq!(lone_cr_to_lf("a\rb\r\nc\r".into()), "a\nb\r\nc\n");
        assert_eq!(lone_cr_to_lf("一\r二".into()), "一\n二");
    }

    #[test]
    fn utf16_without_a_mark_is_told_from_gbk_and_utf8() {
        let utf16: Vec<u8> = "稿件 text"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(looks_like_utf16(&utf16));
        assert!(!looks_like_utf16("稿件 text".as_bytes()));
        let (gbk, _, _) = encoding_rs::GBK.encode("稿件正文");
        assert!(!looks_like_utf16(&gbk));
    }
}
