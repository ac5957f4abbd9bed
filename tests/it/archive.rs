//! The archive: batch builds (`build --all`), the archive profile (PDF/A-3b with its sources)
//! and `extract`, `release` / `verify`, and the catalogue — over the back issues in
//! tests/fixtures/archive/issues (2021-02: no editor's note; 2021-03: a long report;
//! 2021-04: a table and an image).

use std::path::{Path, PathBuf};

use crate::common::*;

const ISSUES: [&str; 3] = ["2021-02", "2021-03", "2021-04"];

fn archive_issues() -> PathBuf {
    fixtures().join("archive/issues")
}

/// A project root of our own (so that out/ is ours): layout/ linked from the repository, fonts/
/// holding links to the vendored fonts and a copy of the lock, issues/ a copy of the back issues.
fn temp_root() -> TempProject {
    TempProject::new()
        .link_layout()
        .own_fonts()
        .issues(&archive_issues())
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn build_all_gives_the_same_bytes_as_single_builds_and_a_summary_of_each_issue() {
    let t = temp_root();
    let out = t.run(&["build", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(
        summary.contains("issue") && summary.contains("pages"),
        "{summary}"
    );
    for issue in ISSUES {
        let row = summary
            .lines()
            .find(|l| l.starts_with(issue))
            .unwrap_or_else(|| panic!("no summary row for {issue}:\n{summary}"));
        assert!(row.contains("KB"), "{row}");
        let single = t.path().join(format!("{issue}.single.pdf"));
        let o = t.run(&[
            "build",
            &format!("issues/{issue}"),
            "-o",
            single.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            sha256(&single),
            sha256(&t.path().join(format!("out/{issue}.pdf"))),
            "{issue}: --all and a single build differ"
        );
    }
    assert!(summary.contains("3 of 3 issues built"), "{summary}");
    // Not a terminal: plain progress lines, one per issue.
    let err = stderr(&out);
    assert_eq!(err.matches(" built in ").count(), 3, "{err}");
}

#[test]
fn build_all_on_a_folder_with_a_broken_issue_builds_the_others_and_fails_naming_it() {
    let t = temp_root();
    let broken = t.path().join("issues/2021-05");
    copy_dir(&t.path().join("issues/2021-04"), &broken);
    std::fs::remove_file(broken.join("russia.md")).unwrap();
    let dir = t.path().join("issues");
    let out = t.run(&["build", "--all", dir.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`russia.md` does not exist"), "{err}");
    assert!(err.contains("1 of 4 issues failed: 2021-05"), "{err}");
    assert!(stdout(&out).contains("FAILED"), "{}", stdout(&out));
    for issue in ISSUES {
        assert!(
            t.path().join(format!("out/{issue}.pdf")).is_file(),
            "{issue}"
        );
    }
    assert!(!t.path().join("out/2021-05.pdf").exists());
}

/// The XMP metadata packet of a PDF (the catalog's /Metadata stream).
fn xmp(pdf: &Path) -> String {
    let doc = lopdf::Document::load(pdf).unwrap();
    let meta = doc
        .catalog()
        .unwrap()
        .get_deref(b"Metadata", &doc)
        .unwrap()
        .as_stream()
        .unwrap();
    let bytes = meta
        .decompressed_content()
        .unwrap_or_else(|_| meta.content.clone());
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn archive_pdf_is_pdfa_3b_carries_its_sources_and_extracting_them_rebuilds_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("a.pdf");
    let issue = archive_issues().join("2021-04");
    let out = kanwu(
        &root(),
        &[
            "build",
            issue.to_str().unwrap(),
            "--profile",
            "archive",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let meta = xmp(&pdf);
    assert!(meta.contains("<pdfaid:part>3</pdfaid:part>"), "{meta}");
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{meta}"
    );
    let expected = [
        "2021-04/data.md",
        "2021-04/images/chart.png",
        "2021-04/issue.toml",
        "2021-04/russia.md",
        "publication.toml",
    ];
    let mut names: Vec<String> = kanwu::archive::attachments(&pdf)
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    names.sort();
    assert_eq!(names, expected);
    if let Some(list) = run_tool("pdfdetach", &["-list", pdf.to_str().unwrap()]) {
        assert!(list.contains("5 embedded files"), "{list}");
        for name in expected {
            assert!(
                list.contains(name),
                "pdfdetach does not list {name}:\n{list}"
            );
        }
    }
    if let Some(check) = run_tool("qpdf", &["--check", pdf.to_str().unwrap()]) {
        assert!(
            check.contains("No syntax or stream encoding errors"),
            "{check}"
        );
    }
    // The same pages as the screen PDF.
    let screen = tmp.path().join("s.pdf");
    let out = kanwu(
        &root(),
        &[
            "build",
            issue.to_str().unwrap(),
            "-o",
            screen.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(pdf_text_lopdf(&pdf).0, pdf_text_lopdf(&screen).0);

    // Extract, then build the extracted folder: the same bytes.
    let dir = tmp.path().join("extracted");
    let out = kanwu(
        &root(),
        &["extract", pdf.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for name in expected {
        let original = archive_issues().join(name);
        assert_eq!(
            std::fs::read(dir.join(name)).unwrap(),
            std::fs::read(&original).unwrap(),
            "{name} extracted differs"
        );
    }
    let again = tmp.path().join("again.pdf");
    let out = kanwu(
        &root(),
        &[
            "build",
            dir.join("2021-04").to_str().unwrap(),
            "--profile",
            "archive",
            "-o",
            again.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sha256(&pdf),
        sha256(&again),
        "the rebuilt archive PDF differs"
    );

    // A PDF without attachments: said so, exit 1.
    let out = kanwu(
        &root(),
        &[
            "extract",
            screen.to_str().unwrap(),
            tmp.path().join("none").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("has no attached files"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("--profile archive"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verify_passes_untouched_then_names_the_edited_article_and_the_changed_font() {
    let t = temp_root();
    let out = t.run(&["release", "issues/2021-02"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let record = std::fs::read_to_string(t.path().join("issues/2021-02/release.toml")).unwrap();
    for s in [
        "format = 1",
        "path = \"2021-02/delta.md\"",
        "path = \"layout/express/issue.typ\"",
        "path = \"fonts/LXGWWenKai-Regular.ttf\"",
        "profile = \"screen\"",
        "profile = \"archive\"",
    ] {
        assert!(record.contains(s), "release.toml lacks {s}:\n{record}");
    }
    assert!(t.path().join("out/2021-02.archive.pdf").is_file());

    let out = t.run(&["verify", "issues/2021-02"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ok       2021-02"),
        "{}",
        stdout(&out)
    );

    // One article edited: named.
    let article = t.path().join("issues/2021-02/delta.md");
    let original = std::fs::read(&article).unwrap();
    let mut edited = original.clone();
    edited.extend("\n又及：补充一句。\n".as_bytes());
    std::fs::write(&article, &edited).unwrap();
    let out = t.run(&["verify", "issues/2021-02"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("article 2021-02/delta.md changed since the release"),
        "{err}"
    );
    assert!(!err.contains("patents.md"), "{err}");
    assert!(
        err.contains("the screen PDF (2021-02.pdf) differs"),
        "{err}"
    );
    std::fs::write(&article, &original).unwrap();
    for issue in ["issues/2021-03", "issues/2021-04"] {
        let out = t.run(&["release", issue]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = t.run(&["verify", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).matches("ok ").count(), 3, "{}", stdout(&out));

    // A font file with the same size and other bytes: named.
    let font = t.path().join("fonts/LXGWWenKai-Regular.ttf");
    let mut bytes = std::fs::read(&font).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::remove_file(&font).unwrap();
    std::fs::write(&font, &bytes).unwrap();
    let out = t.run(&["verify", "issues/2021-02"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("font fonts/LXGWWenKai-Regular.ttf changed since the release"),
        "{err}"
    );
    assert!(!err.contains("article"), "{err}");

    // The font restored and the layout a copy of its own: verify passes; a layout file
    // edited is named.
    std::fs::remove_file(&font).unwrap();
    // A hard link: a symbolic one leads outside fonts/, which the font loader refuses.
    std::fs::hard_link(root().join("fonts/LXGWWenKai-Regular.ttf"), &font)
        .or_else(|_| std::fs::copy(root().join("fonts/LXGWWenKai-Regular.ttf"), &font).map(drop))
        .unwrap();
    let layout = t.path().join("layout");
    if layout.is_symlink() {
        std::fs::remove_file(&layout).unwrap();
    } else {
        std::fs::remove_dir_all(&layout).unwrap();
    }
    copy_dir(&root().join("layout"), &t.path().join("layout"));
    let out = t.run(&["verify", "issues/2021-02"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let theme = t.path().join("layout/express/theme.typ");
    let mut text = std::fs::read_to_string(&theme).unwrap();
    text.push_str("// a designer's note\n");
    std::fs::write(&theme, text).unwrap();
    let out = t.run(&["verify", "issues/2021-02"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("layout file layout/express/theme.typ changed since the release"),
        "{err}"
    );
}

#[test]
fn a_malformed_or_newer_release_toml_is_an_error_naming_its_line() {
    let t = TempIssue::copy(
        &archive_issues().join("2021-03"),
        "2021-03",
        &archive_issues().join("publication.toml"),
    );
    let verify = || kanwu(&root(), &["verify", t.issue.to_str().unwrap()]);

    let out = verify();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("kanwu release"), "{}", stderr(&out));

    t.write(
        "release.toml",
        "# from the future\nformat = 2\nkanwu = \"9.1.0\"\nissue = \"2021-03\"\n",
    );
    let out = verify();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "release.toml is in format 2, written by kanwu 9.1.0; kanwu 0.1.0 reads format 1"
        ),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("┌─") && l.contains("release.toml:2:")),
        "{err}"
    );

    t.write(
        "release.toml",
        "format = 1\nkanwu = \"0.1.0\"\nissue = \"2021-03\"\n\n[[input]]\nkind = \"article\"\npath = 7\n",
    );
    let out = verify();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("release.toml is malformed"), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("┌─") && l.contains("release.toml:7:")),
        "{err}"
    );
}

#[test]
fn catalog_lists_every_issue_with_the_start_pages_of_the_built_pdfs() {
    let t = temp_root();
    let out = t.run(&["catalog"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.path().join("out/catalog.json")).unwrap()).unwrap();
    let issues = json["issues"].as_array().unwrap();
    let names: Vec<&str> = issues.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, ISSUES);
    // 2021-02 has no editor's note; 2021-04 a section titled 数据观察.
    let kinds = |i: usize| -> Vec<String> {
        issues[i]["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds(0), ["行业动态", "行业趋势"]);
    assert_eq!(kinds(2), ["数据观察", "行业报告"]);

    let out = t.run(&["build", "--all"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut titles = Vec::new();
    for issue in issues {
        let name = issue["name"].as_str().unwrap();
        let pdf = t.path().join("out").join(issue["pdf"].as_str().unwrap());
        assert_eq!(issue["sha256"].as_str().unwrap(), sha256(&pdf), "{name}");
        assert_eq!(
            issue["pages"].as_u64().unwrap() as usize,
            pdf_text_lopdf(&pdf).0,
            "{name}"
        );
        assert_eq!(issue["year"], 2021);
        let Some(text) = pdftotext(&pdf) else {
            continue;
        };
        let pages: Vec<String> = text.split('\u{c}').map(squash).collect();
        for section in issue["sections"].as_array().unwrap() {
            for a in section["articles"].as_array().unwrap() {
                let Some(title) = a["title"].as_str() else {
                    continue;
                };
                let title = squash(title);
                // Page 1 lists every title in the contents; the article itself starts on the
                // last page that shows its title.
                let last = pages.iter().rposition(|p| p.contains(&title)).unwrap();
                assert_eq!(
                    a["page"].as_u64().unwrap() as usize,
                    last + 1,
                    "{name}: {title}"
                );
                titles.push(title);
            }
        }
    }
    assert!(titles.len() >= 7, "{titles:?}");
    if let Some(text) = pdftotext(&t.path().join("out/catalog.pdf")) {
        let flat = squash(&text);
        assert!(flat.contains("2021年度总目录"), "{flat}");
        assert!(flat.contains("2021年第4期（总第28期）"), "{flat}");
        for title in &titles {
            assert!(flat.contains(title.as_str()), "catalogue lacks {title}");
        }
    }
}

/// Issue 22, item 10: one release records everything present in out/ (the booklet and the
/// editions), verify checks it, and names what was made after the release.
#[test]
fn one_release_records_the_booklet_and_the_editions_and_verify_names_later_ones() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let p = &t.project;
    let run = |args: &[&str]| {
        let out = p.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["build", "issues/2021-01", "--profile", "print", "--booklet"]);
    run(&["export", "issues/2021-01", "--to", "html"]);
    let said = run(&["release", "issues/2021-01"]);
    let record = std::fs::read_to_string(p.join("issues/2021-01/release.toml")).unwrap();
    assert!(record.contains("profile = \"booklet\""), "{record}");
    assert!(
        record.contains("file = \"2021-01.booklet.pdf\""),
        "{record}"
    );
    assert!(record.contains("file = \"2021-01.html\""), "{record}");
    // The count is of every file listed.
    let listed = said.lines().filter(|l| l.contains("2021-01")).count() - 1;
    assert!(said.contains(&format!("{listed} outputs")), "{said}");
    run(&["verify", "issues/2021-01"]);
    // A Word edition made after the release is named.
    run(&["export", "issues/2021-01", "--to", "docx"]);
    let out = p.run(&["verify", "issues/2021-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("out/2021-01.docx is not in the record (made after the release)"),
        "{}",
        stderr(&out)
    );
    // Released again, it is recorded and verify passes.
    run(&["release", "issues/2021-01"]);
    run(&["verify", "issues/2021-01"]);
}
