//! The phone profile: the issue set by the same layout at phone width, the cover on page 1 and
//! each article on a page of its own as tall as the article, rasterised to PNG.

use typst::layout::{Abs, Frame, FrameItem, Point, Size};
use typst_layout::{Page, PagedDocument};

use super::{Compiled, Typesetter, layout};
use crate::diag::Result;
use crate::model::document::OutputData;
use crate::model::{LoadedIssue, Profile};

/// The page width the phone profile asks of the layout (`doc.output.page_width_mm`).
pub const PHONE_WIDTH_MM: f64 = 90.0;
/// The width of a phone image in pixels: a phone screen's, so it is shown 1:1.
pub const PHONE_WIDTH_PX: u32 = 1080;
/// The tallest phone image made (about 1.4 m of page at 90 mm width): a longer article is
/// cut into several images between its lines. Beyond that an image takes hundreds of MB to
/// draw, and phones and messengers shrink or refuse it.
pub const MAX_HEIGHT_PX: u32 = 16_000;

/// What the document says to the layout in the phone profile.
pub fn phone_output() -> OutputData {
    OutputData {
        profile: Profile::Phone,
        page_width_mm: Some(PHONE_WIDTH_MM),
        ..OutputData::screen()
    }
}

impl Typesetter {
    /// Typesets an issue in the phone profile and checks that the layout honoured it (see
    /// [`layout::check_phone`]): page 1 the cover, then one page per article.
    pub fn compile_phone(&self, loaded: &LoadedIssue) -> Result<Compiled> {
        let mut loaded = loaded.clone();
        loaded.document.output = phone_output();
        let c = self.compile(&loaded, Profile::Phone)?;
        layout::check_phone(&c.doc, &loaded.document, &loaded.publication.layout)?;
        Ok(c)
    }
}

/// The pixels per point that make a page [`PHONE_WIDTH_PX`] wide.
pub fn pixel_per_pt(page: &Page) -> f64 {
    PHONE_WIDTH_PX as f64 / page.frame.width().to_pt().max(1.0)
}

/// Renders page `n` (1-based) of a phone typesetting to PNG, `PHONE_WIDTH_PX` wide: one image,
/// or for a page taller than [`MAX_HEIGHT_PX`] several, cut between lines of text (never
/// through a line or an image when there is a gap to cut at).
pub fn render_pngs(doc: &PagedDocument, n: usize) -> Vec<Vec<u8>> {
    let page = &doc.pages()[n - 1];
    let ppp = pixel_per_pt(page);
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(ppp),
        render_bleed: false,
    };
    let height = page.frame.height().to_pt();
    let mut edges = vec![0.0];
    edges.extend(cuts(&page.frame, MAX_HEIGHT_PX as f64 / ppp));
    edges.push(height);
    edges
        .windows(2)
        .map(|w| {
            let mut part = page.clone();
            if edges.len() > 2 {
                let mut frame = Frame::hard(Size::new(page.frame.width(), Abs::pt(w[1] - w[0])));
                frame.push_frame(Point::with_y(Abs::pt(-w[0])), page.frame.clone());
                part.frame = frame;
            }
            let mut pixmap = typst_render::render(&part, &options);
            let (width, height) = (pixmap.width(), pixmap.height());
            encode(width, height, pixmap.data_mut())
        })
        .collect()
}

/// Where to cut a frame into parts at most `max` pt tall: y positions between the text lines
/// and images, each part at least half of `max` (else cut where the limit falls).
fn cuts(frame: &Frame, max: f64) -> Vec<f64> {
    let mut blocked = Vec::new();
    extents(frame, 0.0, &mut blocked);
    blocked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (a, b) in blocked {
        match merged.last_mut() {
            Some(last) if a < last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let height = frame.height().to_pt();
    let mut out = Vec::new();
    let mut start = 0.0;
    while height - start > max {
        let limit = start + max;
        let mut cut = merged
            .iter()
            .find(|(a, b)| *a < limit && limit < *b)
            .map_or(limit, |(a, _)| *a);
        if cut <= start + max / 2.0 {
            cut = limit;
        }
        out.push(cut);
        start = cut;
    }
    out
}

/// The vertical extents (pt, from the top) of the text lines and images in a frame.
fn extents(frame: &Frame, dy: f64, out: &mut Vec<(f64, f64)>) {
    for (pos, item) in frame.items() {
        let y = dy + pos.y.to_pt();
        match item {
            FrameItem::Group(g) => extents(&g.frame, y + g.transform.ty.to_pt(), out),
            FrameItem::Text(t) => {
                let size = t.size.to_pt();
                out.push((y - size, y + size * 0.3));
            }
            FrameItem::Image(_, size, _) => out.push((y, y + size.y.to_pt())),
            _ => {}
        }
    }
}

/// PNG of premultiplied RGBA pixels (laid on white in place, so opaque), as small as it comes
/// losslessly where it can: grey when every pixel is grey, else an exact palette when there
/// are at most 256 colours, else a palette of 256 colours chosen by NeuQuant (text and rules
/// stay exact enough; a photo in an article may band a little). The same pixels give the same
/// bytes.
pub fn encode(width: u32, height: u32, rgba: &mut [u8]) -> Vec<u8> {
    for p in rgba.chunks_exact_mut(4) {
        // Premultiplied: each channel is at most alpha, so this stays within 255.
        let white = 255 - p[3];
        if white > 0 {
            p[0] += white;
            p[1] += white;
            p[2] += white;
            p[3] = 255;
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_compression(png::Compression::High);
    encoder.set_filter(png::Filter::Adaptive);
    if rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]) {
        encoder.set_color(png::ColorType::Grayscale);
        let grey: Vec<u8> = rgba.chunks_exact(4).map(|p| p[0]).collect();
        write(encoder, &grey);
    } else {
        let (palette, indices) = match exact_palette(rgba) {
            Some(exact) => exact,
            None => quantised(rgba),
        };
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(palette);
        write(encoder, &indices);
    }
    out
}

fn write<W: std::io::Write>(encoder: png::Encoder<'_, W>, data: &[u8]) {
    // Writing into memory cannot fail: the sizes are the encoder's own.
    let mut writer = encoder.write_header().expect("a valid PNG header");
    writer
        .write_image_data(data)
        .expect("image data of the declared size");
}

/// The palette (sorted, so the bytes never depend on hashing) and indices, when the image
/// has at most 256 colours. A page is mostly runs of one colour: each pixel is first compared
/// with the one before it.
fn exact_palette(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let key = |p: &[u8]| (p[0] as u32) << 16 | (p[1] as u32) << 8 | p[2] as u32;
    let mut colours = std::collections::HashSet::new();
    let mut last = u32::MAX;
    for p in rgba.chunks_exact(4) {
        let k = key(p);
        if k != last {
            last = k;
            if colours.insert(k) && colours.len() > 256 {
                return None;
            }
        }
    }
    let mut colours: Vec<u32> = colours.into_iter().collect();
    colours.sort_unstable();
    let index: std::collections::HashMap<u32, u8> = colours
        .iter()
        .enumerate()
        .map(|(i, c)| (*c, i as u8))
        .collect();
    let palette = colours
        .iter()
        .flat_map(|c| [(c >> 16) as u8, (c >> 8) as u8, *c as u8])
        .collect();
    Some((palette, indices(rgba, |p| index[&key(p)])))
}

/// Each pixel's palette index, looked up only where the colour changes.
fn indices(rgba: &[u8], lookup: impl Fn(&[u8]) -> u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgba.len() / 4);
    let mut last: Option<(&[u8], u8)> = None;
    for p in rgba.chunks_exact(4) {
        let i = match last {
            Some((q, i)) if q == p => i,
            _ => lookup(p),
        };
        last = Some((p, i));
        out.push(i);
    }
    out
}

/// 256 colours chosen by NeuQuant (deterministic: it samples the pixels in a fixed order).
fn quantised(rgba: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let nq = color_quant::NeuQuant::new(10, 256, rgba);
    let palette = nq.color_map_rgb();
    (palette, indices(rgba, |p| nq.index_of(p) as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    #[test]
    fn grey_pages_are_grey_and_coloured_ones_get_a_palette() {
        // 2 × 1: white and a premultiplied half-transparent black (on white: grey 128).
        let grey = encode(2, 1, &mut [255, 255, 255, 255, 0, 0, 0, 127]);
        let (info, pixels) = decode(&grey);
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        assert_eq!(pixels, [255, 128]);
        let red = encode(2, 1, &mut [255, 255, 255, 255, 200, 0, 0, 255]);
        let (info, _) = decode(&red);
        assert_eq!(info.color_type, png::ColorType::Indexed);
        assert_eq!(red, encode(2, 1, &mut [255, 255, 255, 255, 200, 0, 0, 255]));
        // More than 256 colours: quantised, still the same bytes twice.
        let many: Vec<u8> = (0..600u32)
            .flat_map(|i| [(i % 256) as u8, (i / 3 % 256) as u8, 7, 255])
            .collect();
        let once = encode(600, 1, &mut many.clone());
        assert_eq!(once, encode(600, 1, &mut many.clone()));
        assert_eq!(decode(&once).0.width, 600);
    }
}
