//! Decompression bounded before it allocates (issue 21, items 2 and 3): a .docx whose parts or
//! pictures inflate past kanwu's limits, and an archive PDF whose attachment does, are refused
//! with an error naming the file and the limit, and nothing is written.

use std::io::{Read, Write};
use std::path::Path;

use crate::common::*;

const MIB: usize = 1 << 20;

/// `n` MiB of zeros deflated (a raw deflate stream, as in a zip), written a MiB at a time.
fn deflated_zeros(n: usize) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("z", zip::write::SimpleFileOptions::default())
        .unwrap();
    let chunk = vec![0u8; MIB];
    for _ in 0..n {
        zip.write_all(&chunk).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut raw = Vec::new();
    archive
        .by_index_raw(0)
        .unwrap()
        .read_to_end(&mut raw)
        .unwrap();
    raw
}

/// A .docx of the parts given, each deflated.
fn write_docx(path: &Path, parts: &[(&str, &[u8])], big: Option<(&str, usize)>) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    if let Some((name, mib)) = big {
        zip.start_file(name, opts).unwrap();
        let chunk = vec![b' '; MIB];
        for _ in 0..mib {
            zip.write_all(&chunk).unwrap();
        }
    }
    zip.finish().unwrap();
}

const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body><w:p><w:r><w:t>正文。</w:t></w:r></w:p><w:p><w:r><w:drawing><a:blip r:embed="rIdImg"/></w:drawing></w:r></w:p></w:body></w:document>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;

/// Imports `docx` into a fresh `issue/` and checks the refusal: exit 1, `message` in stderr,
/// and no file written.
fn import_refused(tmp: &Path, docx: &Path, message: &[&str]) {
    let dir = tmp.join("issue");
    std::fs::create_dir_all(&dir).unwrap();
    let out = kanwu(
        &root(),
        &["import", docx.to_str().unwrap(), dir.to_str().unwrap()],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for m in message {
        assert!(err.contains(m), "lacks `{m}`:\n{err}");
    }
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert!(left.is_empty(), "written: {left:?}");
}

/// A CRC-32 (PNG's), for a hand-made PNG header.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG that declares `w` × `h` pixels, with no pixels in it: what a bomb shows.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    // The start of its data, and its end: a decoder reads the header up to the first data.
    for chunk in [b"IDAT\x78\x9c".as_slice(), b"IEND"] {
        png.extend((chunk.len() as u32 - 4).to_be_bytes());
        png.extend(chunk);
        png.extend(crc32(chunk).to_be_bytes());
    }
    png
}

#[test]
fn a_docx_part_declared_over_the_limit_is_refused_before_it_is_inflated() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = tmp.path().join("大.docx");
    // 129 MiB of spaces in document.xml (about 130 KB deflated).
    write_docx(&docx, &[], Some(("word/document.xml", 129)));
    import_refused(
        tmp.path(),
        &docx,
        &[
            "大.docx: word/document.xml inflates to more than 128 MiB",
            "nothing was imported",
        ],
    );
}

#[test]
fn a_docx_part_whose_declared_size_lies_is_cut_at_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = tmp.path().join("假.docx");
    write_docx(&docx, &[], Some(("word/document.xml", 129)));
    assert_eq!(forge_sizes(&docx, 1000), 1);
    import_refused(
        tmp.path(),
        &docx,
        &["假.docx: word/document.xml inflates to more than 128 MiB"],
    );
}

#[test]
fn a_docx_picture_that_declares_a_billion_pixels_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = tmp.path().join("图.docx");
    let png = png_header(40_000, 30_000);
    write_docx(
        &docx,
        &[
            ("word/document.xml", DOC.as_bytes()),
            ("word/_rels/document.xml.rels", RELS.as_bytes()),
            ("word/media/image1.png", &png),
        ],
        None,
    );
    import_refused(
        tmp.path(),
        &docx,
        &[
            "图.docx: the picture images/图-1.png declares 40000 × 30000 pixels, more than 100 million",
        ],
    );
}

#[test]
fn a_docx_whose_parts_declare_more_than_the_total_is_refused_before_any_is_inflated() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = tmp.path().join("多.docx");
    // Five pictures that each declare 120 MiB: each under the part limit, together over 512.
    let png = png_header(10, 10);
    let parts: Vec<(String, &[u8])> = (1..=5)
        .map(|n| (format!("word/media/image{n}.png"), png.as_slice()))
        .collect();
    let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    write_docx(&docx, &parts, None);
    assert_eq!(forge_sizes(&docx, 120 * MIB as u32), 5);
    import_refused(
        tmp.path(),
        &docx,
        &["多.docx: word/media/image5.png inflates to more than 512 MiB"],
    );
}

/// Rewrites the uncompressed size every entry of a zip declares (local header and central
/// directory) to `size`; returns how many entries there were.
fn forge_sizes(path: &Path, size: u32) -> usize {
    let mut bytes = std::fs::read(path).unwrap();
    let mut patched = 0;
    for i in 0..bytes.len() - 4 {
        let at = match &bytes[i..i + 4] {
            b"PK\x03\x04" => i + 22,
            b"PK\x01\x02" => i + 24,
            _ => continue,
        };
        bytes[at..at + 4].copy_from_slice(&size.to_le_bytes());
        patched += 1;
    }
    std::fs::write(path, bytes).unwrap();
    patched / 2
}

/// A PDF with the files given attached (EmbeddedFiles), each stream already encoded with
/// `filter` when given.
fn pdf_with_attachments(path: &Path, files: &[(&str, Vec<u8>, Option<&str>)]) {
    use lopdf::{Dictionary, Object, Stream, dictionary};
    let mut doc = lopdf::Document::with_version("1.7");
    let mut names = Vec::new();
    for (name, data, filter) in files {
        let mut dict = dictionary! { "Type" => "EmbeddedFile" };
        if let Some(f) = filter {
            dict.set("Filter", Object::Name(f.as_bytes().to_vec()));
        }
        let stream = doc.add_object(Stream::new(dict, data.clone()));
        let spec = doc.add_object(dictionary! {
            "Type" => "Filespec",
            "F" => Object::string_literal(*name),
            "UF" => Object::string_literal(*name),
            "EF" => dictionary! { "F" => stream },
        });
        names.push(Object::string_literal(*name));
        names.push(Object::Reference(spec));
    }
    let pages = doc.add_object(dictionary! { "Type" => "Pages", "Kids" => vec![], "Count" => 0 });
    let tree: Dictionary = dictionary! { "Names" => names };
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages,
        "Names" => dictionary! { "EmbeddedFiles" => tree },
    });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap();
}

/// A zlib stream (FlateDecode) of `n` MiB of zeros.
fn zlib_zeros(n: usize) -> Vec<u8> {
    let mut z = vec![0x78, 0x9c];
    z.extend(deflated_zeros(n));
    // Adler-32 of n MiB of zeros: a stays 1, b adds 1 per byte.
    let b = ((n * MIB) % 65521) as u32;
    z.extend(((b << 16) | 1).to_be_bytes());
    z
}

#[test]
fn extract_refuses_an_attachment_that_inflates_past_the_limit_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("炸弹.pdf");
    pdf_with_attachments(
        &pdf,
        &[
            ("publication.toml", b"name = \"x\"\n".to_vec(), None),
            ("2021-01/x.md", zlib_zeros(300), Some("FlateDecode")),
        ],
    );
    assert!(std::fs::metadata(&pdf).unwrap().len() < 1_000_000);
    let dir = tmp.path().join("out");
    let out = kanwu(
        &root(),
        &["extract", pdf.to_str().unwrap(), dir.to_str().unwrap()],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("炸弹.pdf: an attached file cannot be read: `2021-01/x.md` inflates to more than 256 MiB"),
        "{err}"
    );
    assert!(!dir.exists(), "extract created {}", dir.display());

    // A small one inflates as before.
    let ok = tmp.path().join("ok.pdf");
    pdf_with_attachments(&ok, &[("2021-01/x.md", zlib_zeros(1), Some("FlateDecode"))]);
    let out = kanwu(
        &root(),
        &["extract", ok.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::metadata(dir.join("2021-01/x.md")).unwrap().len(),
        MIB as u64
    );
}
