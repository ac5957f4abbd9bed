//! `kanwu import`: a plain-text issue (UTF-8 or GBK) → an issue folder that builds.

use std::path::Path;

use crate::common::*;

/// A scratch project folder with issues/publication.toml.
fn scratch() -> TempProject {
    TempProject::new().publication(&root().join("issues/publication.toml"))
}

fn import(source: &Path, target: &Path) -> std::process::Output {
    kanwu(
        &root(),
        &[
            "import",
            source.to_str().unwrap(),
            target.to_str().unwrap(),
            "--date",
            "2021-01-20",
            "--number",
            "1",
            "--serial",
            "25",
        ],
    )
}

#[test]
fn importing_the_seed_gives_an_issue_that_builds_with_every_sentence_in_order() {
    let dir = scratch();
    let seed = fixtures().join("seed.txt");
    let before = sha256(&seed);
    let target = dir.path().join("issues/2021-01");
    let out = import(&seed, &target);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sha256(&seed), before, "the source is never modified");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("4 sections, 5 articles"), "{stdout}");
    // The article that starts without a blank line is split off, with a notice.
    assert!(
        stderr(&out).contains("我国人工智能发展重点与机遇"),
        "{}",
        stderr(&out)
    );

    let m: toml::Table = std::fs::read_to_string(target.join("issue.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let sections = m["sections"].as_array().unwrap();
    let kinds: Vec<&str> = sections
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["editors-note", "news", "trends", "reports"]);
    assert_eq!(sections[3]["articles"].as_array().unwrap().len(), 2);
    let second = std::fs::read_to_string(target.join("reports-2.md")).unwrap();
    assert!(
        second.starts_with("+++\ntitle = \"我国人工智能发展重点与机遇\"\n+++\n"),
        "{second}"
    );
    assert!(
        second.contains("\n### （一）十三五期间我国总体发展情况\n"),
        "{second}"
    );
    let first = std::fs::read_to_string(target.join("reports-1.md")).unwrap();
    assert!(first.contains("\n## 一、美国人工智能战略分析\n"), "{first}");
    // A numbered line that is a paragraph stays a paragraph.
    assert!(
        second.contains("\n1\\.人工智能政策环境持续优化。"),
        "{second}"
    );
    let note = std::fs::read_to_string(target.join("editors-note.md")).unwrap();
    assert!(
        note.starts_with("+++\n+++\n\n许昌市科学技术情报研究所"),
        "{note}"
    );

    let pdf = dir.path().join("imported.pdf");
    let out = kanwu(
        &root(),
        &[
            "build",
            target.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "the imported issue builds:\n{}",
        stderr(&out)
    );
    let Some(text) = pdftotext(&pdf) else { return };
    assert_in_order(&body_text(&text), &seed_sentences());
}

#[test]
fn gbk_text_is_detected_converted_and_left_unchanged() {
    let dir = scratch();
    let text = "●编者的话\n\n本期关注人工智能。\n\n●行业动态\n国内新闻标题\n\n一、概况\n\n某市发布新政策，支持企业创新。\n";
    let (gbk, _, bad) = encoding_rs::GBK.encode(text);
    assert!(!bad);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the fixture is not UTF-8"
    );
    let src = dir.path().join("issue-gbk.txt");
    std::fs::write(&src, &gbk).unwrap();
    let target = dir.path().join("issues/2021-01");
    let out = import(&src, &target);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("GBK") && err.contains("unchanged"), "{err}");
    assert_eq!(
        std::fs::read(&src).unwrap(),
        gbk.to_vec(),
        "the original is never modified"
    );
    let news = std::fs::read_to_string(target.join("news-1.md")).unwrap();
    assert_eq!(
        news,
        "+++\ntitle = \"国内新闻标题\"\n+++\n\n## 一、概况\n\n某市发布新政策，支持企业创新。\n"
    );
    let note = std::fs::read_to_string(target.join("editors-note.md")).unwrap();
    assert!(note.contains("本期关注人工智能。"), "{note}");
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let dir = scratch();
    let target = dir.path().join("issues/2021-01");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "photo.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe".to_vec(),
            "not a text file",
        ),
        (
            "broken.docx",
            b"PK\x03\x04 this is not a zip".to_vec(),
            "docx",
        ),
        (
            "plain.txt",
            "只有一段文字，没有栏目。\n".as_bytes().to_vec(),
            "no line opens with ●",
        ),
    ];
    for (name, bytes, expect) in cases {
        let src = dir.path().join(name);
        std::fs::write(&src, &bytes).unwrap();
        let out = if name.ends_with(".docx") {
            // An article takes no issue values (--date, --number, --serial are refused).
            let args = ["import", src.to_str().unwrap(), target.to_str().unwrap()];
            kanwu(&root(), &args)
        } else {
            import(&src, &target)
        };
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(expect), "{name}: {err}");
        assert!(!target.exists(), "{name}: nothing written");
        assert_eq!(std::fs::read(&src).unwrap(), bytes);
    }
    // Into an existing folder: refused, the folder untouched.
    std::fs::create_dir(&target).unwrap();
    let out = import(&fixtures().join("seed.txt"), &target);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"));
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0);
}

#[test]
fn import_of_text_without_number_numbers_on_from_the_latest_issue_like_new() {
    let t = TempIssue::sample();
    let out = kanwu(
        &root(),
        &[
            "import",
            fixtures().join("seed.txt").to_str().unwrap(),
            "--root",
            t.root().to_str().unwrap(),
            "--date",
            "2021-02-20",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let m: toml::Table = std::fs::read_to_string(t.root().join("issues/2021-02/issue.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(m["issue"]["number"].as_integer(), Some(2));
    assert_eq!(m["issue"]["serial"].as_integer(), Some(26));
}

#[test]
fn utf16_text_with_bom_is_read() {
    let dir = scratch();
    let text = "●编者的话\r\n\r\n本期关注人工智能。\r\n\r\n●行业动态\r\n国内新闻标题\r\n\r\n某市发布新政策，支持企业创新。\r\n";
    for (name, bytes) in [
        (
            "UTF-16LE",
            [
                vec![0xFF, 0xFE],
                text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            ]
            .concat(),
        ),
        (
            "UTF-16BE",
            [
                vec![0xFE, 0xFF],
                text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            ]
            .concat(),
        ),
    ] {
        let src = dir.path().join(format!("{name}.txt"));
        std::fs::write(&src, &bytes).unwrap();
        let target = dir.path().join(format!("issues/{name}"));
        let out = import(&src, &target);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert!(stderr(&out).contains(name), "{}", stderr(&out));
        let news = std::fs::read_to_string(target.join("news-1.md")).unwrap();
        assert_eq!(
            news,
            "+++\ntitle = \"国内新闻标题\"\n+++\n\n某市发布新政策，支持企业创新。\n"
        );
        assert_eq!(
            std::fs::read(&src).unwrap(),
            bytes,
            "the original is unchanged"
        );
    }
}

#[test]
fn import_help_mentions_docx() {
    let out = kanwu(&root(), &["import", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains(".docx"), "{help}");
    assert!(help.contains("Examples:"), "{help}");
}
