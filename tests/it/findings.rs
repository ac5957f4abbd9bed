//! Issue 22: every finding names the article, line and column that produced it, and one
//! function gives the same findings to `check`, the print build and the desk.

use std::path::Path;

use crate::common::*;

pub(crate) fn write_png(path: &Path, w: u32, h: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    img.save_with_format(path, image::ImageFormat::Png).unwrap();
}

/// A fixture of `tests/fixtures/findings/` in a project of its own (layout copied, to edit).
pub(crate) fn fixture(case: &str) -> TempIssue {
    TempProject::new()
        .copy_layout()
        .link_fonts()
        .publication(&fixtures().join("publication.toml"))
        .with_issue(&fixtures().join("findings").join(case), "2021-09")
}

pub(crate) fn check_json(t: &TempIssue, profile: &str) -> serde_json::Value {
    let out = t.run_on_issue("check", &["--profile", profile, "--format", "json"]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)))
}

fn of_check<'a>(report: &'a serde_json::Value, check: &str) -> Vec<&'a serde_json::Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] == check)
        .collect()
}

/// Item 1: the same picture under two names in two articles: each finding names the article
/// that placed it, every run.
#[test]
fn the_same_picture_in_two_articles_is_reported_at_each_article() {
    let t = fixture("same-picture");
    // The same bytes under two names.
    write_png(&t.path("images/a.png"), 600, 300);
    std::fs::copy(t.path("images/a.png"), t.path("images/b.png")).unwrap();
    for _ in 0..2 {
        let report = check_json(&t, "print");
        let images = of_check(&report, "image");
        let mut places: Vec<String> = images
            .iter()
            .map(|f| {
                assert_eq!(f["level"], "error", "{f}");
                let s = &f["source"];
                let file = s["file"].as_str().unwrap();
                let name = Path::new(file).file_name().unwrap().to_str().unwrap();
                format!("{name}:{} #{}", s["line"], s["article"])
            })
            .collect();
        places.sort();
        assert_eq!(places, ["news.md:7 #0", "trends.md:7 #1"], "{report}");
    }
}

/// Item 2: text running out of the text block is blamed on the article whose text it is
/// (here the same address stands in the editor's note first, where it breaks), in one
/// column and in two.
#[test]
fn overflow_names_the_article_whose_text_runs_out_in_one_column_and_two() {
    let t = fixture("overflow");
    let one = check_json(&t, "print");
    let issue_typ = t.root().join("layout/express/issue.typ");
    let text = std::fs::read_to_string(&issue_typ).unwrap();
    let sections = "for (si, s) in doc.sections.enumerate() { section(doc, si, s, colors) }";
    assert!(text.contains(sections));
    std::fs::write(
        &issue_typ,
        text.replace(sections, &format!("columns(2, {{ {sections} }})")),
    )
    .unwrap();
    let two = check_json(&t, "print");
    for report in [one, two] {
        let over = of_check(&report, "overflow");
        assert!(!over.is_empty(), "{report}");
        for f in over {
            assert!(
                f["place"].as_str().unwrap().starts_with("ai-patents.md:8"),
                "{f}"
            );
            let s = &f["source"];
            assert!(
                s["file"].as_str().unwrap().ends_with("ai-patents.md"),
                "{f}"
            );
            assert_eq!(s["article"], 1, "{f}");
            assert_eq!(s["line"], 8, "{f}");
            assert_eq!(s["column"], 1, "{f}");
        }
    }
}

/// Item 2: what runs below the foot of the text block is found too (a layout that sets a
/// picture at full width, however tall).
#[test]
fn overflow_below_the_foot_of_the_text_block_is_found() {
    let t = fixture("overflow");
    std::fs::write(
        t.path("issue.toml"),
        std::fs::read_to_string(t.path("issue.toml"))
            .unwrap()
            .replace("[\"ai-patents.md\"]", "[\"tall.md\"]"),
    )
    .unwrap();
    write_png(&t.path("images/tall.png"), 400, 4000);
    let content = t.root().join("layout/express/content.typ");
    let text = std::fs::read_to_string(&content).unwrap();
    let capped = "if size.width * ratio > max-h { image(x.path, height: max-h) } else { image(x.path, width: size.width) }";
    assert!(text.contains(capped));
    std::fs::write(
        &content,
        text.replace(capped, "image(x.path, width: size.width)"),
    )
    .unwrap();
    let report = check_json(&t, "print");
    let over = of_check(&report, "overflow");
    let below: Vec<_> = over
        .iter()
        .filter(|f| {
            f["message"]
                .as_str()
                .unwrap()
                .contains("below the foot of the text block")
        })
        .collect();
    assert!(!below.is_empty(), "{report}");
    assert_eq!(below[0]["level"], "error");
    assert_eq!(below[0]["source"]["article"], 1, "{}", below[0]);
    assert_eq!(below[0]["source"]["line"], 7, "{}", below[0]);
    assert!(
        below[0]["place"].as_str().unwrap().starts_with("tall.md:7"),
        "{}",
        below[0]
    );
}

/// Item 3: the one function the desk calls gives, for the screen pages it shows, the levels
/// print gives (a 96 ppi photo is an error) and the placeholder text `check` reports.
#[test]
fn the_desks_findings_are_prints_with_the_placeholders() {
    let t = fixture("same-picture");
    write_png(&t.path("images/a.png"), 600, 300);
    std::fs::copy(t.path("images/a.png"), t.path("images/b.png")).unwrap();
    let project = kanwu::Project::open(t.root(), &[]).unwrap();
    let section = project.load(&t.issue).unwrap().issue.sections[0]
        .title
        .clone();
    t.write(
        "news.md",
        format!(
            "+++\ntitle = \"{}\"\n+++\n\n新闻的第一段。\n\n![图1 同一张图](images/a.png)\n",
            kanwu::editor::new::title_stub(&section)
        ),
    );
    let loaded = project.load(&t.issue).unwrap();
    let screen = project
        .typeset(loaded.clone(), kanwu::Profile::Screen)
        .unwrap();
    let findings = kanwu::print::preflight::findings(
        &project.fonts,
        &loaded,
        &screen.doc,
        kanwu::Profile::Print,
    );
    let image = findings.iter().find(|f| f.check == "image").unwrap();
    assert_eq!(image.level, kanwu::print::preflight::Level::Error);
    assert!(image.page.is_some(), "{image:?}");
    let placeholder = findings
        .iter()
        .find(|f| f.check == "placeholder")
        .expect("the placeholder title");
    let source = placeholder.source.as_ref().unwrap();
    assert_eq!((source.article, source.line), (Some(0), Some(2)));
    // `check --profile print` reports the same findings.
    let report = check_json(&t, "print");
    let checks: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    let mut mine: Vec<&str> = findings.iter().map(|f| f.check).collect();
    let mut theirs = checks.clone();
    mine.sort();
    theirs.sort();
    assert_eq!(mine, theirs);
}

/// Item 4: the pages an article stands on come from the frames: the sample's one-page
/// editor's note stands on one page, not two.
#[test]
fn stats_count_the_pages_each_article_stands_on() {
    let out = kanwu(&root(), &["stats", "issues/2021-01", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let note = &v["sections"][0]["articles"][0];
    assert_eq!(note["file"], "editors-note.md");
    assert_eq!(note["pages"], 1, "{note}");
    let total: u64 = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["articles"].as_array().unwrap())
        .map(|a| a["pages"].as_u64().unwrap())
        .sum();
    // Articles share pages; none stands on more pages than the issue has.
    assert!(total <= v["pages"].as_u64().unwrap() + 4, "{v}");
}

/// Item 7: `source = ""` (the stub `new` writes) prints no bare 来源：.
#[test]
fn an_empty_source_prints_no_bare_label() {
    let t = fixture("empty-source");
    let pdf = t.root().join("out.pdf");
    let out = t.run_on_issue("build", &["-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = squash(&pdftotext(&pdf).unwrap_or_else(|| pdf_text_lopdf(&pdf).1));
    assert!(text.contains("本刊记者"), "{text}");
    assert!(!text.contains("来源"), "{text}");
}

/// Item 4: `check` does not say "no problems found" under warnings it printed (a layout's
/// Typst warning here: a font family no font has, set inline).
#[test]
fn check_does_not_say_no_problems_after_warnings() {
    let t = fixture("empty-source");
    let issue_typ = t.root().join("layout/express/issue.typ");
    let text = std::fs::read_to_string(&issue_typ).unwrap();
    let sections = "for (si, s) in doc.sections.enumerate() { section(doc, si, s, colors) }";
    assert!(text.contains(sections));
    std::fs::write(
        &issue_typ,
        text.replace(
            sections,
            &format!("text(font: \"No Such Family\")[x]; {sections}"),
        ),
    )
    .unwrap();
    let out = t.run_on_issue("check", &["--profile", "screen"]);
    let (said, err) = (String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(err.contains("warning"), "{err}");
    assert!(!said.contains("no problems found"), "{said}");
    assert!(said.contains("nothing more than the"), "{said}");
}
