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
