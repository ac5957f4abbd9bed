//! Word import: the test suite writes a .docx (heading styles, bold, italic, lists, a table,
//! a picture, a text box and a comment) and compares the Markdown with a snapshot kept in
//! tests/fixtures/docx/expected.md (`SNAPSHOTS=overwrite cargo test --test docx` rewrites it).

use std::io::Write;
use std::path::Path;

use crate::common::*;

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

fn p(style: Option<&str>, runs: &str) -> String {
    let ppr = style
        .map(|s| format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#))
        .unwrap_or_default();
    format!("<w:p>{ppr}{runs}</w:p>")
}

fn r(text: &str, bold: bool, italic: bool) -> String {
    let mut rpr = String::new();
    if bold {
        rpr.push_str("<w:b/>");
    }
    if italic {
        rpr.push_str("<w:i/>");
    }
    format!(r#"<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn li(num: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{}</w:p>"#,
        r(text, false, false)
    )
}

fn cell(text: &str) -> String {
    format!("<w:tc>{}</w:tc>", p(None, &r(text, false, false)))
}

fn write_docx(path: &Path) {
    let body = [
        p(Some("Title"), &r("区域人工智能产业观察", false, false)),
        p(Some("Heading1"), &r("一、总体情况", false, false)),
        p(None, &(r("人工智能产业", false, false) + &r("发展迅猛", true, false) + &r("，", false, false) + &r("创新能力", false, true) + &r("不断提升。", false, false))),
        p(Some("Heading2"), &r("（一）重点企业", false, false)),
        li(1, "智能语音"),
        li(1, "计算机视觉"),
        li(2, "第一步"),
        li(2, "第二步"),
        format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            cell("地区"),
            cell("企业数"),
            cell("许昌"),
            cell("12")
        ),
        r#"<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rIdImg1"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#.to_string(),
        r#"<w:p><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent></w:pict></w:r></w:p>"#.to_string(),
        p(None, &r("价格 5*3 与 #标签 照录。", false, false)),
        "<w:sectPr/>".to_string(),
    ]
    .join("");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:styles {W}><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="标题 2"/></w:style></w:styles>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#
    );
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdImg1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;
    let comments = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:comments {W}><w:comment w:id="0"><w:p><w:r><w:t>请核实</w:t></w:r></w:p></w:comment></w:comments>"#
    );
    let mut png = Vec::new();
    image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 40]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();

    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("[Content_Types].xml", br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.to_vec()),
        ("word/document.xml", document.into_bytes()),
        ("word/styles.xml", styles.into_bytes()),
        ("word/numbering.xml", numbering.into_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes().to_vec()),
        ("word/comments.xml", comments.into_bytes()),
        ("word/media/image1.png", png),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_docx_article_imports_to_the_expected_markdown_with_its_image_and_a_list_of_what_was_left() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = tmp.path().join("观察.docx");
    write_docx(&docx);
    let dir = tmp.path().join("issue");
    let out = kanwu(
        &root(),
        &["import", docx.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let md = std::fs::read_to_string(dir.join("观察.md")).unwrap();
    let snapshot = fixtures().join("docx/expected.md");
    if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
        std::fs::write(&snapshot, &md).unwrap();
    }
    assert_eq!(
        md,
        std::fs::read_to_string(&snapshot).unwrap(),
        "the Markdown differs from {}",
        snapshot.display()
    );
    let img = image::open(dir.join("images/观察-1.png")).unwrap();
    assert_eq!((img.width(), img.height()), (40, 20));
    assert!(
        stdout.contains("not imported (check these by hand):"),
        "{stdout}"
    );
    assert!(stdout.contains("comments (批注)"), "{stdout}");
    assert!(
        stdout.contains("a text box (文本框) was not imported: 「文本框里的说明」"),
        "{stdout}"
    );
    // The draft builds as an article of an issue.
    std::fs::copy(
        fixtures().join("publication.toml"),
        tmp.path().join("publication.toml"),
    )
    .unwrap();
    std::fs::write(dir.join("issue.toml"), "schema = 1\n[issue]\nyear = 2021\nnumber = 5\ndate = 2021-05-20\n[[sections]]\nkind = \"reports\"\narticles = [\"观察.md\"]\n").unwrap();
    let pdf = tmp.path().join("x.pdf");
    let built = kanwu(
        &root(),
        &["build", dir.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    assert!(built.status.success(), "{}", stderr(&built));
    let text = squash(&pdf_text_lopdf(&pdf).1);
    assert!(
        text.contains("区域人工智能产业观察")
            && text.contains("人工智能产业发展迅猛，创新能力不断提升。"),
        "{text}"
    );
    // Importing again would overwrite: refused, nothing changed.
    let out = kanwu(
        &root(),
        &["import", docx.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("never overwrites"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(dir.join("观察.md")).unwrap(), md);
}

#[test]
fn import_docx_with_no_folder_goes_into_the_latest_issue_not_the_current_folder() {
    let t = TempIssue::sample();
    let docx = t.root().join("观察.docx");
    write_docx(&docx);
    let out = kanwu(t.root(), &["import", "观察.docx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(t.path("观察.md").is_file(), "written into issues/2021-01");
    assert!(
        !t.root().join("观察.md").exists(),
        "not into the current folder"
    );
    assert!(
        stderr(&out).contains("the latest issue"),
        "{}",
        stderr(&out)
    );
    // The issue's own values belong to a text issue, not to an article.
    let out = kanwu(t.root(), &["import", "观察.docx", "--number", "3"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// A .docx of the parts given (and an empty content-types list).
fn write_parts(path: &Path, parts: &[(&str, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#)
        .unwrap();
    for (name, bytes) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// What a Word document as an office writes it has: no Title style, bold next to Chinese
/// punctuation, a bold numbered line for a heading, a link, a footnote, an EMF picture.
#[test]
fn word_import_keeps_emphasis_by_chinese_punctuation_footnotes_links_and_numbered_headings() {
    let tmp = tempfile::tempdir().unwrap();
    let body = [
        p(None, &r("关于做好年度统计报送工作的通知", false, false)),
        p(None, &(r("重要", true, false) + &r("提示：", true, false) + &r("请各单位按时报送。", false, false))),
        p(None, &(r("一、总体", true, false) + &r("情况", true, false))),
        p(None, &(r("详见", false, false)
            + r#"<w:hyperlink r:id="rIdL"><w:r><w:t>统计局网站</w:t></w:r></w:hyperlink>"#
            + &r("。", false, false))),
        p(None, &(r("数据来源于年鉴", false, false)
            + r#"<w:r><w:footnoteReference w:id="2"/></w:r>"#
            + &r("。", false, false))),
        r#"<w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill><a:blip r:embed="rIdEmf"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#.to_string(),
    ]
    .join("");
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
    );
    let footnotes = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 《统计年鉴2025》，第12页。</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://tjj.example.cn/a?b=1" TargetMode="External"/><Relationship Id="rIdEmf" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image2.emf"/></Relationships>"#;
    let docx = tmp.path().join("通知.docx");
    write_parts(
        &docx,
        &[
            ("word/document.xml", document.into_bytes()),
            ("word/footnotes.xml", footnotes.into_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes().to_vec()),
            ("word/media/image2.emf", b"\x01\x00\x00\x00EMF".to_vec()),
        ],
    );
    let dir = tmp.path().join("issue");
    let out = kanwu(
        &root(),
        &["import", docx.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(dir.join("通知.md")).unwrap();
    assert_eq!(
        md,
        "+++\ntitle = \"关于做好年度统计报送工作的通知\"\n+++\n\n\
         **重要提示**：请各单位按时报送。\n\n\
         ## 一、总体情况\n\n\
         详见[统计局网站](<https://tjj.example.cn/a?b=1>)。\n\n\
         数据来源于年鉴[^1]。\n\n\
         [^1]: 《统计年鉴2025》，第12页。\n"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("a picture in Windows EMF format (media/image2.emf) was not imported"),
        "{stdout}"
    );
    assert!(!dir.join("images").exists(), "the EMF is not written out");

    // It builds, and the emphasis is emphasis: no asterisks in the PDF.
    std::fs::copy(
        fixtures().join("publication.toml"),
        tmp.path().join("publication.toml"),
    )
    .unwrap();
    std::fs::write(dir.join("issue.toml"), "schema = 1\n[issue]\nyear = 2021\nnumber = 5\ndate = 2021-05-20\n[[sections]]\nkind = \"reports\"\narticles = [\"通知.md\"]\n").unwrap();
    let pdf = tmp.path().join("x.pdf");
    let built = kanwu(
        &root(),
        &["build", dir.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    assert!(built.status.success(), "{}", stderr(&built));
    let text = squash(&pdf_text_lopdf(&pdf).1);
    assert!(text.contains("重要提示：请各单位按时报送。"), "{text}");
    assert!(!text.contains('*'), "{text}");
    assert!(text.contains("《统计年鉴2025》，第12页。"), "{text}");
}
