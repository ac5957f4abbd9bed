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
        if !text.contains("<svg") {
            return Err(msg!("image-not-svg-file"));
        }
        return match svg_unsafe(&text) {
            Some(why) => Err(why),
            None => Ok((0, 0, None)),
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

/// What makes an SVG unfit for every edition alike: a script, an event handler, embedded HTML,
/// or a reference to anything outside the file (the web page would run or fetch it; the PDF
/// build refuses the link). `None` when it is self-contained: references inside the file
/// (`#id`) and embedded pictures (`data:image/…`) only.
fn svg_unsafe(text: &str) -> Option<String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = match roxmltree::Document::parse_with_options(text, options) {
        Ok(doc) => doc,
        Err(e) => return Some(msg!("image-svg-unreadable", e = e)),
    };
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        if tag.eq_ignore_ascii_case("script") || tag == "foreignObject" {
            return Some(msg!("image-svg-script", tag = tag));
        }
        for a in node.attributes() {
            let (name, value) = (a.name(), a.value().trim());
            if name.len() > 2 && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on")) {
                return Some(msg!("image-svg-script", tag = format!("{tag} {name}")));
            }
            let outside = |v: &str| {
                let lower = v.to_ascii_lowercase();
                !(lower.is_empty() || lower.starts_with('#') || lower.starts_with("data:image/"))
            };
            let link = name == "href" && outside(value);
            let in_style = (name == "style" || name.ends_with("fill") || name == "filter")
                && value.to_ascii_lowercase().contains("url(")
                && value
                    .to_ascii_lowercase()
                    .split("url(")
                    .skip(1)
                    .any(|u| outside(u.trim_start_matches(['\'', '"', ' '])));
            if link || in_style {
                return Some(msg!("image-svg-link", value = value.to_string()));
            }
        }
        if tag == "style"
            && node.text().is_some_and(|t| {
                let t = t.to_ascii_lowercase();
                t.contains("@import") || t.contains("url(http") || t.contains("url(//")
            })
        {
            return Some(msg!("image-svg-link", value = "<style>"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_svg_with_a_script_a_handler_or_an_outside_link_is_refused() {
        let svg = |inner: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{inner}</svg>"#
            )
        };
        for ok in [
            r##"<rect width="5" height="5" fill="url(#g)"/>"##,
            r##"<use href="#a"/><image href="data:image/png;base64,AAAA"/>"##,
        ] {
            assert_eq!(svg_unsafe(&svg(ok)), None, "{ok}");
        }
        for bad in [
            "<script>alert(1)</script>",
            r#"<rect onclick="alert(1)"/>"#,
            r#"<a xlink:href="http://example.com/"><rect/></a>"#,
            r#"<image href="https://example.com/x.png"/>"#,
            r#"<image href="../../secret.png"/>"#,
            r#"<rect style="fill: url('http://example.com/p')"/>"#,
            "<foreignObject><div/></foreignObject>",
        ] {
            assert!(svg_unsafe(&svg(bad)).is_some(), "{bad}");
        }
    }

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
