//! `kanwu export`: the web and Word editions, made from the document model. The web page is
//! parsed (it is written XML-compatible, so roxmltree reads it) and loaded in Chromium; the
//! Word file is read back, converted to PDF by LibreOffice, and re-imported with `kanwu import`.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use kanwu::export::{self, Format};

use crate::common::*;

const HOSTILE: [&str; 8] = [
    "#let x = 1",
    "<script>alert(1)</script>",
    "#include <stdio.h>",
    "]#eval(\"1\")[",
    "$x$",
    "<img src=x onerror=alert(2)>",
    "表头<script>alert(5)</script>",
    "]#eval(..)[",
];

fn sample_html() -> String {
    let loaded = project().load(&root().join("issues/2021-01")).unwrap();
    String::from_utf8(export::render(&loaded, Format::Html, None).unwrap()).unwrap()
}

/// The text of an element and its descendants, without the page's style sheet.
fn text_of(node: roxmltree::Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter(|n| !n.ancestors().any(|a| a.has_tag_name("style")))
        .filter_map(|n| n.text())
        .collect()
}

fn hostile_issue() -> TempIssue {
    TempIssue::copy(
        &fixtures().join("export/hostile"),
        "2021-04",
        &fixtures().join("publication.toml"),
    )
}

#[test]
fn the_web_edition_holds_the_whole_issue_in_order_and_requests_nothing() {
    let html = sample_html();
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the page is well-formed");
    let root_el = doc.root_element();
    assert_eq!(root_el.attribute("lang"), Some("zh-CN"));
    let body = root_el.children().find(|n| n.has_tag_name("body")).unwrap();
    assert_in_order(&squash(&text_of(body)), &seed_sentences());
    // Masthead, contents with working anchors, 版记.
    let text = squash(&text_of(body));
    for s in [
        "许昌竞争情报快递",
        "2021年第1期（总第25期）",
        "本期目录",
        "2021年1月20日印发（共印200份）",
    ] {
        assert!(text.contains(s), "{s}");
    }
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let links: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(links.len() >= 8, "{links:?}");
    for l in &links {
        let target = l.strip_prefix('#').expect("only anchors inside the page");
        assert!(ids.contains(&target), "no id {target}");
    }
    // No external requests: no script, no link element, no src that is not data.
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(!n.has_tag_name("script") && !n.has_tag_name("link"));
        if let Some(src) = n.attribute("src") {
            assert!(src.starts_with("data:"), "{src}");
        }
    }
    assert!(html.contains("line-height: 1.8") && html.contains("text-indent: 2em"));
    assert!(html.contains("@media print") && html.contains("width=device-width"));
    // The same bytes twice.
    assert_eq!(html, sample_html());
}

#[test]
fn hostile_text_is_text_in_the_web_edition() {
    let t = hostile_issue();
    let loaded = project().load(&t.issue).unwrap();
    let html = String::from_utf8(export::render(&loaded, Format::Html, None).unwrap()).unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the page is well-formed");
    let elements: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    for bad in ["script", "img", "b", "iframe"] {
        assert!(
            !elements.contains(&bad),
            "a <{bad}> element came from the article"
        );
    }
    let text = text_of(doc.root_element());
    for s in HOSTILE {
        assert!(text.contains(s), "{s} not in the text:\n{text}");
    }
    assert!(text.contains("来源<b>粗</b>\"引号\"&amp;"), "{text}");
    assert!(text.contains("注<script>alert(6)</script>。"), "{text}");
    // Only web links survive as links; a javascript: link is its text alone.
    let hrefs: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("href"))
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert_eq!(hrefs, ["https://example.com/?a=1&b=2"]);
}

#[test]
fn the_cli_writes_each_edition_atomically_and_the_same_twice() {
    let t = TempIssue::sample();
    let run = |args: &[&str]| {
        let out = kanwu(&root(), args);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let issue = t.issue.to_str().unwrap();
    let dir = t.root().join("editions");
    let dir_s = dir.to_str().unwrap();
    for to in ["html", "docx"] {
        let said = run(&["export", issue, "--to", to, "--out-dir", dir_s]);
        assert!(said.contains(&format!("2021-01.{to}")), "{said}");
        let first = std::fs::read(dir.join(format!("2021-01.{to}"))).unwrap();
        run(&["export", issue, "--to", to, "--out-dir", dir_s]);
        assert_eq!(
            first,
            std::fs::read(dir.join(format!("2021-01.{to}"))).unwrap()
        );
    }
    // --all: every issue of a folder.
    let all = t.root().join("all");
    let issues = t.root().join("issues");
    run(&[
        "export",
        "--all",
        issues.to_str().unwrap(),
        "--to",
        "html",
        "--out-dir",
        all.to_str().unwrap(),
    ]);
    assert!(all.join("2021-01.html").is_file());
    let one = t.root().join("one.docx");
    run(&[
        "export",
        issue,
        "--to",
        "docx",
        "--article",
        "ai-patents.md",
        "-o",
        one.to_str().unwrap(),
    ]);
    assert!(one.is_file());
    // A wrong article name: exit 1, the names it could have been, nothing written.
    let bad = t.root().join("bad.docx");
    let out = kanwu(
        &root(),
        &[
            "export",
            issue,
            "--to",
            "docx",
            "--article",
            "nope",
            "-o",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the issue has no article `nope`"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("ai-patents.md"));
    assert!(!bad.exists());
}

/// Every part of a .docx, by name.
fn unzip(path: &Path) -> std::collections::BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        out.insert(
            f.name().to_string(),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
    }
    out
}

#[test]
fn the_word_edition_has_heading_styles_office_fonts_footnotes_and_images() {
    let t = crate::layout::features_issue();
    let loaded = project().load(&t.issue).unwrap();
    let path = t.root().join("features.docx");
    std::fs::write(&path, export::render(&loaded, Format::Docx, None).unwrap()).unwrap();
    let parts = unzip(&path);
    for (name, xml) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
    let styles = &parts["word/styles.xml"];
    for font in ["宋体", "黑体", "楷体", "仿宋"] {
        assert!(styles.contains(font), "{font}");
    }
    assert!(styles.contains(r#"<w:name w:val="heading 1"/>"#));
    assert!(styles.contains(r#"w:firstLineChars="200""#));
    let doc = &parts["word/document.xml"];
    assert!(
        doc.contains(r#"<w:pStyle w:val="Heading1"/>"#),
        "sections are 标题 1"
    );
    assert!(
        doc.contains(r#"<w:pStyle w:val="Heading2"/>"#),
        "articles are 标题 2"
    );
    assert!(
        doc.contains("一、"),
        "headings numbered as the layout numbers them"
    );
    assert!(doc.contains("<w:footnoteReference w:id=\"1\"/>"));
    assert!(parts["word/footnotes.xml"].contains("脚注内容：来源于测试。"));
    assert!(parts.contains_key("word/media/image1.png"));
    assert!(doc.contains("<w:numPr>") && doc.contains("<w:tbl>"));
    assert!(doc.contains("图1 测试图片（宽1200像素）"));
}

#[test]
fn hostile_text_is_text_in_the_word_edition() {
    let t = hostile_issue();
    let loaded = project().load(&t.issue).unwrap();
    let path = t.root().join("hostile.docx");
    std::fs::write(&path, export::render(&loaded, Format::Docx, None).unwrap()).unwrap();
    let parts = unzip(&path);
    let doc = roxmltree::Document::parse(&parts["word/document.xml"]).unwrap();
    let text: String = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect();
    for s in HOSTILE {
        assert!(text.contains(s), "{s} not in:\n{text}");
    }
    assert!(!parts["word/_rels/document.xml.rels"].contains("javascript"));
}

/// LibreOffice's text of a .docx (converted to PDF, read with pdftotext), or None when either
/// is missing (with a notice; required under KANWU_REQUIRE_TOOLS=1).
fn libreoffice_text(docx: &Path) -> Option<String> {
    let soffice = tool("soffice")?;
    let dir = docx.parent().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .expect("soffice runs");
    let pdf = docx.with_extension("pdf");
    assert!(
        out.status.success() && pdf.is_file(),
        "LibreOffice could not convert {}: {}",
        docx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    pdftotext(&pdf)
}

#[test]
fn libreoffice_reads_every_sentence_of_the_sample_from_the_word_edition() {
    let t = TempIssue::sample();
    let loaded = project().load(&t.issue).unwrap();
    let path = t.root().join("2021-01.docx");
    std::fs::write(&path, export::render(&loaded, Format::Docx, None).unwrap()).unwrap();
    let Some(text) = libreoffice_text(&path) else {
        return;
    };
    // Every sentence's words, in order. Punctuation is left out of the comparison: where
    // LibreOffice lets a mark hang at a line's end, pdftotext may drop it, depending on the
    // fonts the machine has for LibreOffice's substitutes (not on the .docx, which is the
    // same bytes either way).
    let words = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    let sentences: Vec<String> = seed_sentences().iter().map(|s| words(s)).collect();
    assert_in_order(&words(&text), &sentences);
}

/// An article's blocks as JSON without their line numbers.
fn blocks_json(article: &Path) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("line");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let a = kanwu::model::article::load(article, article.parent().unwrap(), true).unwrap();
    let mut v = serde_json::to_value(&a.blocks).unwrap();
    strip(&mut v);
    v
}

#[test]
fn an_article_exported_alone_re_imports_to_the_same_blocks() {
    let t = TempIssue::sample();
    for name in ["ai-patents", "ai-priorities", "ai-strategies"] {
        let docx = t.root().join(format!("{name}.docx"));
        let out = kanwu(
            &root(),
            &[
                "export",
                t.issue.to_str().unwrap(),
                "--to",
                "docx",
                "--article",
                name,
                "-o",
                docx.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let back = t.root().join("back");
        let out = kanwu(
            &root(),
            &["import", docx.to_str().unwrap(), back.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        let md = back.join(format!("{name}.md"));
        let original = t.path(&format!("{name}.md"));
        assert_eq!(blocks_json(&md), blocks_json(&original), "{name}");
        let title = |p: &Path| {
            kanwu::model::article::load(p, p.parent().unwrap(), true)
                .unwrap()
                .meta
                .title
        };
        assert_eq!(title(&md), title(&original));
    }
}

#[test]
fn strike_code_links_footnotes_quotes_and_code_blocks_survive_a_word_round_trip() {
    let t = TempIssue::sample();
    std::fs::write(
        t.path("ai-patents.md"),
        "+++\ntitle = \"往返\"\n+++\n正文含~~删除线~~、`code`、[链接](https://example.com/a)和脚注[^n]。\n\n> 引文段落。\n\n```\nfn main() {\n    let s = \"``\";\n}\n```\n\n[^n]: 脚注内容。\n",
    )
    .unwrap();
    let docx = t.root().join("rt.docx");
    let issue = t.issue.to_str().unwrap();
    let out = kanwu(
        &root(),
        &[
            "export",
            issue,
            "--to",
            "docx",
            "--article",
            "ai-patents",
            "-o",
            docx.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let back = t.root().join("back");
    let out = kanwu(
        &root(),
        &["import", docx.to_str().unwrap(), back.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        blocks_json(&back.join("rt.md")),
        blocks_json(&t.path("ai-patents.md"))
    );
}

#[test]
fn chromium_shows_the_web_edition() {
    let Some(chromium) = tool("chromium") else {
        return;
    };
    let t = TempIssue::sample();
    let loaded = project().load(&t.issue).unwrap();
    let page = t.root().join("2021-01.html");
    std::fs::write(&page, export::render(&loaded, Format::Html, None).unwrap()).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args(HEADLESS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("中国人工智能产业年会发布的《中国人工智能发展报告2020》显示"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dom.contains(r#"<html lang="zh-CN""#));
}
