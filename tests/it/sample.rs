//! The sample issue end to end: what an editor, a printer and an archivist would check.

use std::path::Path;

use crate::common::*;

#[test]
fn sample_issue_builds_with_every_sentence_masthead_contents_and_colophon() {
    for layout in LAYOUTS {
        sample_text(layout);
    }
}

/// What an editor checks in the sample's PDF, in either layout: the masthead, express's
/// contents, every sentence in order, the 版记 and the folios.
fn sample_text(layout: &str) {
    let t = sample_in(layout, "a4");
    let pdf = t.root().join("2021-01.pdf");
    let out = t.run_on_issue("build", &["-o", pdf.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{layout}: build failed:\n{}",
        stderr(&out)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("built") && stdout.contains("pages"),
        "{stdout}"
    );
    let express = layout == "express";

    // The Rust reader: a real PDF with pages and text, whatever is installed.
    let (pages, text) = pdf_text_lopdf(&pdf);
    assert_eq!(
        pages,
        if express { 10 } else { BULLETIN_PAGES },
        "{layout}: the sample's page count"
    );
    assert!(
        squash(&text).contains("许昌竞争情报快递"),
        "lopdf text: {}",
        &text[..text.len().min(300)]
    );

    let Some(text) = pdftotext(&pdf) else { return };
    let body = body_text(&text);
    let flat = squash(&text);
    // Masthead: 刊名, 期号, 编印单位, date, marking.
    let masthead: &[&str] = if express {
        &[
            "内部资料注意保存",
            "许昌竞争情报快递",
            "2021年第1期（总第25期）",
            "许昌市科学技术情报研究所",
            "2021年1月20日",
        ]
    } else {
        &[
            "内部资料注意保存",
            "许昌竞争情报快递",
            "第1期（总第25期）",
            "许昌市科学技术情报研究所编",
            "2021年1月20日",
        ]
    };
    for s in masthead {
        assert!(flat.contains(s), "{layout}: masthead lacks {s}");
    }
    if express {
        // Contents with page numbers.
        assert!(flat.contains("本期目录"));
        let contents_end = flat
            .find("编者的话许昌市科学技术情报研究所是")
            .expect("the editor's note follows the contents");
        let contents = &flat[..contents_end];
        for title in [
            "编者的话",
            "行业动态",
            "中国人工智能专利申请量居世界第一",
            "世界主要国家【人工智能】战略简析（美俄英法德日）",
            "我国人工智能发展重点与机遇",
        ] {
            assert!(
                contents.contains(title),
                "contents lack {title}: {contents}"
            );
        }
    } else {
        // The editor's note is the 按语.
        assert!(
            flat.contains("编者按：许昌市科学技术情报研究所是"),
            "{flat}"
        );
    }
    // Every sentence of the seed, in order (the bulletin calls 编者的话 编者按).
    let mut sentences = seed_sentences();
    if !express {
        sentences.retain(|s| s != "编者的话");
    }
    assert_in_order(&body, &sentences);
    // 版记 at the end.
    let tail: String = flat
        .chars()
        .rev()
        .take(300)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let colophon: &[&str] = if express {
        &[
            "报送：市委、市人大、市政府、市政协领导",
            "发送：各县（市、区）科技局",
            "主编：",
            "责任编辑：",
            "印发",
            "共印200份",
        ]
    } else {
        &[
            "报：市委、市人大、市政府、市政协领导",
            "发：各县（市、区）科技局",
            "主编：",
            "责任编辑：",
            "2021年1月20日印发",
            "共印200份",
        ]
    };
    for s in colophon {
        assert!(tail.contains(s), "{layout}: colophon lacks {s}: {tail}");
    }
    // Page numbers "— n —": on every page (the bulletin: none on a blank page or on the 版记
    // standing alone, as GB/T 9704 asks).
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    for (i, page) in pages.iter().enumerate() {
        let folio = squash(page).contains(&format!("—{}—", i + 1));
        let last_alone = !express && i + 1 == pages.len() && squash(page).starts_with("报：");
        assert!(folio || last_alone, "{layout}: page {} has no folio", i + 1);
    }
}

/// The bulletin's page count of the sample (A4, screen).
const BULLETIN_PAGES: usize = 18;

#[test]
fn sample_pdf_embeds_subset_fonts_and_passes_qpdf() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("s.pdf");
    let built = project()
        .build(
            &root().join("issues/2021-01"),
            &kanwu::BuildOptions {
                output: Some(pdf.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    // The only warnings: the sample's own doubled punctuation (issue 10).
    let messages: Vec<&str> = built.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "preflight: doubled punctuation `。”。`",
            "preflight: doubled punctuation `””`",
            "preflight: doubled punctuation `””`",
        ],
        "{:?}",
        built.warnings
    );
    if let Some(fonts) = run_tool("pdffonts", &[pdf.to_str().unwrap()]) {
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 4, "{fonts}");
        for row in &rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type encoding emb sub uni object ID: emb and sub are the 3rd/4th from the end.
            let n = cols.len();
            assert_eq!(
                (cols[n - 5], cols[n - 4]),
                ("yes", "yes"),
                "not embedded as a subset: {row}"
            );
            assert!(
                row.contains("NotoSerifCJKsc")
                    || row.contains("NotoSansCJKsc")
                    || row.contains("LXGWWenKai")
                    || row.contains("NotoSansMonoCJKsc"),
                "unexpected font: {row}"
            );
            assert!(
                !row.contains("JP") && !row.contains("jp-"),
                "a JP face was used: {row}"
            );
        }
        for family in [
            "NotoSerifCJKsc-Regular",
            "NotoSerifCJKsc-Bold",
            "NotoSansCJKsc-Bold",
            "LXGWWenKai-Regular",
        ] {
            assert!(fonts.contains(family), "{family} not used:\n{fonts}");
        }
    }
    if let Some(tool) = tool("qpdf") {
        let out = std::process::Command::new(tool)
            .args(["--check", pdf.to_str().unwrap()])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "qpdf --check failed: {text}");
        assert!(
            text.contains("No syntax or stream encoding errors"),
            "{text}"
        );
    }
    if let Some(info) = run_tool("pdfinfo", &["-box", pdf.to_str().unwrap()]) {
        assert!(
            info.contains("595.28 x 841.89") || info.contains("595.276 x 841.89"),
            "not A4: {info}"
        );
        assert!(
            info.contains("许昌竞争情报快递 2021年第1期"),
            "title: {info}"
        );
    }
}

#[test]
fn two_builds_give_the_same_bytes_whatever_the_clock_zone_or_directory() {
    for layout in LAYOUTS {
        same_bytes(layout);
    }
}

fn same_bytes(layout: &str) {
    let t = sample_in(layout, "a4");
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a.pdf");
    let b = tmp.path().join("b.pdf");
    let run = |tz: &str, cwd: &Path, out: &Path| {
        let o = kanwu_command()
            .current_dir(cwd)
            .env("TZ", tz)
            .args([
                "build",
                t.issue.to_str().unwrap(),
                "--root",
                t.root().to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    run("Asia/Shanghai", t.root(), &a);
    run("UTC", tmp.path(), &b);
    assert_eq!(sha256(&a), sha256(&b), "{layout}: builds differ");
    // The PDF's dates are the issue's, not the clock's.
    let bytes = std::fs::read(&a).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("D:20210120000000"),
        "{layout}: creation date is not the issue date"
    );
}

#[test]
fn default_output_is_out_issue_name_pdf_and_a_failed_build_keeps_it() {
    // A root of our own, so that out/ is ours: layout and fonts linked from the repository.
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let proj = t.root();
    let out = kanwu(proj, &["build", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = proj.join("out/2021-01.pdf");
    let good = sha256(&pdf);
    // Break an article: the build fails, the good PDF stays, no temporary file is left.
    t.write("ai-patents.md", "+++\ntitle = \"x\"\n+++\n<div>\n</div>\n");
    let out = kanwu(proj, &["build", "issues/2021-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(sha256(&pdf), good, "a failed build replaced the good PDF");
    let left: Vec<_> = std::fs::read_dir(proj.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn emitted_typst_project_compiles_to_the_same_pages_and_text() {
    for layout in LAYOUTS {
        emitted_project_compiles(layout);
    }
}

fn emitted_project_compiles(layout: &str) {
    let t = sample_in(layout, "a4");
    let dir = t.root().join("typst");
    let pdf = t.root().join("kanwu.pdf");
    let out = t.run_on_issue(
        "build",
        &[
            "-o",
            pdf.to_str().unwrap(),
            "--emit-typst",
            dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{layout}: {}", stderr(&out));
    for f in [
        "main.typ".to_string(),
        "document.json".to_string(),
        format!("layout/{layout}/issue.typ"),
        format!("layout/{layout}/theme.typ"),
    ] {
        assert!(
            dir.join(&f).is_file(),
            "{f} missing from the emitted project"
        );
    }
    // Compile it the way typst-cli does: the folder is the root, nothing else is served.
    let project = project();
    let today = typst::foundations::Datetime::from_ymd(2021, 1, 20).unwrap();
    let world = kanwu::typeset::world::plain_project(project.fonts.clone(), &dir, today);
    let (doc, warnings) = kanwu::typeset::compile::compile(&world);
    let doc = doc.unwrap_or_else(|e| panic!("{layout}: {e}"));
    assert!(warnings.is_empty(), "{layout}: {warnings:?}");
    let id = kanwu::typeset::compile::PdfIdentity {
        ident: "x".into(),
        date: today,
    };
    let bytes = kanwu::typeset::compile::export_pdf(&doc, &id).unwrap();
    let emitted = t.root().join("emitted.pdf");
    std::fs::write(&emitted, bytes).unwrap();
    let (pages_a, text_a) = pdf_text_lopdf(&pdf);
    let (pages_b, text_b) = pdf_text_lopdf(&emitted);
    assert_eq!(pages_a, pages_b, "{layout}");
    assert_eq!(squash(&text_a), squash(&text_b), "{layout}");
    if let (Some(a), Some(b)) = (pdftotext(&pdf), pdftotext(&emitted)) {
        assert_eq!(a, b, "{layout}");
    }
}
