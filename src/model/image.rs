//! The images an article places: checked as the layout will need them (fully decodable), and
//! converted to PNG in memory where Typst cannot read the format.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct ImageRef {
    pub file: PathBuf,
    /// Where the layout finds it: `/issue/…` for the file itself, `/converted/….png` for a
    /// format Typst cannot read (TIFF, BMP…), converted in memory.
    pub vpath: String,
    /// PNG bytes of a converted image, and the format it came in.
    pub converted: Option<(Vec<u8>, String)>,
}

impl ImageRef {
    /// The bytes the layout reads: the converted PNG, or the file as it is.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        match &self.converted {
            Some((png, _)) => Some(png.clone()),
            None => std::fs::read(&self.file).ok(),
        }
    }
}

pub(crate) type CheckedImage = (u32, u32, Option<(Vec<u8>, String)>);

/// Opens an image the way the layout will need it: fully decodable; formats Typst cannot read
/// (TIFF, BMP, …) are converted to PNG in memory rather than refused. JPEGs (CMYK ones too)
/// are kept as they are.
pub(crate) fn check_image(path: &Path) -> std::result::Result<CheckedImage, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "svg" {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        return if text.contains("<svg") {
            Ok((0, 0, None))
        } else {
            Err("not an SVG file".into())
        };
    }
    let reader = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = reader
        .format()
        .ok_or("not an image file (unknown format)")?;
    use image::ImageFormat as F;
    let img = reader
        .decode()
        .map_err(|e| format!("the file is damaged ({e})"))?;
    let converted = if matches!(format, F::Png | F::Jpeg | F::Gif | F::WebP) {
        None
    } else {
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), F::Png)
            .map_err(|e| format!("cannot convert this {format:?} image to PNG ({e})"))?;
        Some((png, format!("{format:?}").to_uppercase()))
    };
    Ok((img.width(), img.height(), converted))
}
