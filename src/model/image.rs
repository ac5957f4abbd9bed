//! The images an article places: checked as the layout will need them (fully decodable), and
//! converted to PNG in memory where Typst cannot read the format.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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

/// What a file looked like when it was checked: its size and modification time.
type Stamp = (u64, Option<std::time::SystemTime>);

/// Images already checked, by path: an article that places one picture many times, and every
/// rebuild of `watch` and `serve`, decode it once while the file stays the same.
static CHECKED: Mutex<Option<HashMap<PathBuf, (Stamp, CheckedImage)>>> = Mutex::new(None);

/// Opens an image the way the layout will need it (see [`decode`]), once per file version.
pub(crate) fn check_image(path: &Path) -> std::result::Result<CheckedImage, String> {
    let stamp = std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()));
    let cache = || CHECKED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(stamp) = stamp
        && let Some((_, found)) = cache()
            .as_ref()
            .and_then(|c| c.get(path))
            .filter(|(s, _)| *s == stamp)
    {
        return Ok(found.clone());
    }
    let found = decode(path)?;
    if let Some(stamp) = stamp {
        cache()
            .get_or_insert_with(HashMap::new)
            .insert(path.to_path_buf(), (stamp, found.clone()));
    }
    Ok(found)
}

/// Opens an image the way the layout will need it: fully decodable; formats Typst cannot read
/// (TIFF, BMP, …) are converted to PNG in memory rather than refused. JPEGs (CMYK ones too)
/// are kept as they are.
fn decode(path: &Path) -> std::result::Result<CheckedImage, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "svg" {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        return if text.contains("<svg") {
            Ok((0, 0, None))
        } else {
            Err(msg!("image-not-svg-file"))
        };
    }
    let reader = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let format = reader
        .format()
        .ok_or(msg!("image-not-image-file-unknown"))?;
    use image::ImageFormat as F;
    let img = reader
        .decode()
        .map_err(|e| msg!("image-file-damaged", e = e))?;
    let converted = if matches!(format, F::Png | F::Jpeg | F::Gif | F::WebP) {
        None
    } else {
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), F::Png)
            .map_err(|e| {
                msg!(
                    "image-cannot-convert-this-image",
                    format = format!("{:?}", format),
                    e = e
                )
            })?;
        Some((png, format!("{format:?}").to_uppercase()))
    };
    Ok((img.width(), img.height(), converted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_is_decoded_once_per_version_of_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bmp");
        image::RgbImage::new(3, 2).save(&path).unwrap();
        let first = check_image(&path).unwrap();
        assert_eq!((first.0, first.1), (3, 2));
        assert_eq!(first.2.as_ref().map(|c| c.1.as_str()), Some("BMP"));
        // The same file again: the cached result, byte for byte.
        let again = check_image(&path).unwrap();
        assert_eq!(
            again.2.as_ref().map(|c| &c.0),
            first.2.as_ref().map(|c| &c.0)
        );
        // Another version of the file (another size on disk): decoded again.
        image::RgbImage::new(5, 4).save(&path).unwrap();
        let changed = check_image(&path).unwrap();
        assert_eq!((changed.0, changed.1), (5, 4));
        // A damaged file is an error each time, never a cached success.
        std::fs::write(&path, b"BM not really").unwrap();
        assert!(check_image(&path).is_err());
    }
}
