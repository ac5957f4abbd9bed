//! The second layout, `bulletin` (the red-head 简报 of GB/T 9704-2012), on the sample: its line
//! grid measured in the typeset pages, its PDFs pinned, a third layout made from it by a copy,
//! and supplements (增刊) numbered apart from the regular issues.

use std::path::Path;

use kanwu::model::Profile;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};

use crate::common::*;

const MM: f64 = 72.0 / 25.4;

/// One line of 3号 text on a page: its baseline, where its text starts and ends, its glyphs and
/// its characters.
#[derive(Debug, Default)]
struct Line {
    y: f64,
    x0: f64,
    x1: f64,
    glyphs: usize,
    text: String,
}

fn walk(frame: &Frame, ts: Transform, f: &mut impl FnMut(&FrameItem, Point)) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let ts = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                walk(&group.frame, ts, f);
            }
            other => f(other, pos.transform(ts)),
        }
    }
}

/// The lines of body-size (3号, 16 pt) text of a page, top to bottom, whatever their font.
fn body_lines(frame: &Frame) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    walk(frame, Transform::identity(), &mut |item, p| {
        let FrameItem::Text(t) = item else { return };
        if (t.size - Abs::pt(16.0)).to_pt().abs() > 0.01 {
            return;
        }
        let (x0, x1) = (p.x.to_pt(), (p.x + t.width()).to_pt());
        let y = p.y.to_pt();
        match lines.iter_mut().find(|l| (l.y - y).abs() < 0.5) {
            Some(l) => {
                l.x0 = l.x0.min(x0);
                l.x1 = l.x1.max(x1);
                l.glyphs += t.glyphs.len();
                l.text.push_str(&t.text);
            }
            None => lines.push(Line {
                y,
                x0,
                x1,
                glyphs: t.glyphs.len(),
                text: t.text.to_string(),
            }),
        }
    });
    lines.sort_by(|a, b| a.y.total_cmp(&b.y));
    lines
}

/// 汉字 and full-width punctuation only (no Latin letters, digits or proportional quotes).
fn full_width_only(s: &str) -> bool {
    s.chars()
        .all(|c| ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff01}'..='\u{ff5e}').contains(&c))
}

#[test]
fn the_bulletin_sets_the_sample_on_a_grid_of_22_lines_of_28_characters() {
    // The 版心 156 × 225 mm: 22 lines at a pitch of 225/22 mm.
    grid("a4", 22, 28, 156.0, 225.0);
}

#[test]
fn on_16k_the_bulletin_scales_its_grid_to_19_lines_of_24_characters() {
    // The 版心 scaled with the paper: 156 × 184/210 by 225 × 260/297 mm; the body stays 3号.
    grid("16k", 19, 24, 156.0 * 184.0 / 210.0, 225.0 * 260.0 / 297.0);
}

/// Typesets the sample with the bulletin on `paper` and measures its pages: no page has more
/// than `n_lines` body lines, full pages have them at an even pitch, and at least 90 % of the
/// justified full lines of 汉字 have `n_chars` glyphs.
fn grid(paper: &str, n_lines: usize, n_chars: usize, block_w_mm: f64, block_h_mm: f64) {
    let t = sample_in("bulletin", paper);
    let proj = kanwu::Project::open(t.root(), &[]).unwrap();
    let loaded = proj.load(&t.issue).unwrap();
    let r = proj.render(&loaded, Profile::Screen).unwrap();
    let pages = r.doc.pages();
    let (width, pitch) = (block_w_mm * MM, block_h_mm * MM / n_lines as f64);
    let mut full_pages = 0;
    let (mut full_lines, mut of_n) = (0, 0);
    for (i, page) in pages.iter().enumerate() {
        let lines = body_lines(&page.frame);
        assert!(
            lines.len() <= n_lines,
            "page {}: {} lines",
            i + 1,
            lines.len()
        );
        if lines.len() == n_lines {
            full_pages += 1;
            for w in lines.windows(2) {
                let d = w[1].y - w[0].y;
                assert!(
                    (d - pitch).abs() < 0.3,
                    "page {}: baselines {:.2} and {:.2} are {d:.2} pt apart, not {pitch:.2}",
                    i + 1,
                    w[0].y,
                    w[1].y
                );
            }
            let (first, last) = (&lines[0], &lines[n_lines - 1]);
            eprintln!(
                "bulletin {paper} page {}: {n_lines} baselines from {:.1} to {:.1} mm below the top edge, text from {:.1} to {:.1} mm",
                i + 1,
                first.y / MM,
                last.y / MM,
                lines.iter().map(|l| l.x0).fold(f64::MAX, f64::min) / MM,
                lines.iter().map(|l| l.x1).fold(0.0, f64::max) / MM,
            );
        }
        for l in &lines {
            // A justified full line: the whole measure, no indent, 汉字 and full-width marks only.
            if (l.x1 - l.x0 - width).abs() < 2.0 && full_width_only(&l.text) {
                full_lines += 1;
                if l.glyphs == n_chars {
                    of_n += 1;
                } else {
                    eprintln!(
                        "page {}: a full line of {} glyphs: {}",
                        i + 1,
                        l.glyphs,
                        l.text
                    );
                }
            }
        }
    }
    eprintln!(
        "bulletin {paper}: {} pages, {full_pages} full pages of {n_lines} lines, {of_n} of {full_lines} full lines have {n_chars} glyphs",
        pages.len()
    );
    assert!(
        full_pages >= 2,
        "no page of the sample holds {n_lines} body lines"
    );
    assert!(full_lines >= 100, "only {full_lines} full lines found");
    assert!(
        of_n * 10 >= full_lines * 9,
        "{of_n} of {full_lines} full lines have {n_chars} glyphs"
    );
}

/// The bulletin's PDFs of the sample in every profile. These change on purpose when the
/// layout, the fonts or kanwu's version string change: rebuild a project whose
/// publication.toml says `layout = "bulletin"` (as `the_bulletin_pdfs_keep_their_bytes` does)
/// and take the new hashes, saying in the commit why the bytes changed.
const BULLETIN_SHA256: [(&str, &str); 4] = [
    (
        "screen.pdf",
        "5764944d67f9f9f77e06531285650d7dce606e2500d2149c3557cac0e4d3baa4",
    ),
    (
        "p.print.pdf",
        "a3261167f2fe38cfbbb9287e2a4275722082fce457ce5dc307c4605b1d8c49c0",
    ),
    (
        "2021-01.booklet.pdf",
        "dfc6d5473b1abd20e1921b4b4b19b4f373b5330f60bf787fbbdd817bb80c3747",
    ),
    (
        "a.archive.pdf",
        "775d2f903ecd631546bb790311d84b04e8d8a0b73e86928f48fe66f524dfeb32",
    ),
];

#[test]
fn the_bulletin_pdfs_keep_their_bytes_and_embed_its_fonts() {
    let t = sample_in("bulletin", "a4");
    for args in [
        vec!["-o", "screen.pdf"],
        vec!["--profile", "print", "--booklet", "-o", "p.print.pdf"],
        vec!["--profile", "archive", "-o", "a.archive.pdf"],
    ] {
        let out = t.run_on_issue("build", &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let at = |name: &str| t.root().join(name);
    let changed: Vec<String> = BULLETIN_SHA256
        .iter()
        .filter(|(name, want)| sha256(&at(name)) != *want)
        .map(|(name, _)| format!("{name} is now {}", sha256(&at(name))))
        .collect();
    assert!(changed.is_empty(), "{changed:#?}");
    let Some(fonts) = run_tool("pdffonts", &[at("screen.pdf").to_str().unwrap()]) else {
        return;
    };
    eprintln!("pdffonts (bulletin, A4):\n{fonts}");
    for family in [
        "FandolFang-Regular",
        "NotoSerifCJKsc-Black",
        "NotoSansCJKsc-Regular",
        "LXGWWenKai-Regular",
    ] {
        assert!(fonts.contains(family), "{family} not embedded:\n{fonts}");
    }
    for row in fonts.lines().skip(2) {
        assert!(row.contains(" yes yes "), "not a subset: {row}");
    }
}

/// Names of the fonts a PDF embeds, as pdffonts lists them (without the subset prefix).
fn embedded_fonts(pdf: &Path) -> Option<Vec<String>> {
    let out = run_tool("pdffonts", &[pdf.to_str().unwrap()])?;
    Some(
        out.lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().next())
            .map(|n| n.split_once('+').map_or(n, |(_, f)| f).to_string())
            .collect(),
    )
}

#[test]
fn a_third_layout_copied_from_the_bulletin_with_another_fang_font_builds_without_kanwu_changing() {
    // The layout folder copied under a new name; its theme's 仿宋 role points at another
    // vendored family. Nothing else changes: no file of kanwu's, no option.
    let t = TempProject::new().copy_layout().link_fonts().with_sample();
    copy_dir(
        &t.project.join("layout/bulletin"),
        &t.project.join("layout/third"),
    );
    let theme = t.project.join("layout/third/theme.typ");
    let text = std::fs::read_to_string(&theme).unwrap();
    let edited = text.replace(
        "fang: (\"FandolFang R\", \"Noto Serif CJK SC\")",
        "fang: (\"LXGW WenKai\", \"Noto Serif CJK SC\")",
    );
    assert_ne!(edited, text, "the theme's 仿宋 role was not found");
    std::fs::write(&theme, edited).unwrap();
    t.project.set_publication("layout", "third");
    let out = t.run_on_issue("build", &["-o", "third.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    t.project.set_publication("layout", "bulletin");
    let out = t.run_on_issue("build", &["-o", "bulletin.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let (pages, text) = pdf_text_lopdf(&t.project.join("third.pdf"));
    assert!(pages >= 8, "{pages} pages");
    assert!(squash(&text).contains("许昌竞争情报快递"));
    let Some(third) = embedded_fonts(&t.project.join("third.pdf")) else {
        return;
    };
    let bulletin = embedded_fonts(&t.project.join("bulletin.pdf")).unwrap();
    assert!(
        bulletin.iter().any(|f| f.starts_with("FandolFang")),
        "{bulletin:?}"
    );
    assert!(
        !third.iter().any(|f| f.starts_with("FandolFang")),
        "the third layout still embeds FandolFang: {third:?}"
    );
    assert!(
        third.iter().any(|f| f.starts_with("LXGWWenKai")),
        "{third:?}"
    );
}

const SUPPLEMENT: &str = "schema = 1

[issue]
year = 2021
number = 1
kind = \"supplement\"
date = 2021-01-28

[[sections]]
kind = \"special\"
title = \"专题资料\"
articles = [\"digest.md\"]
";

#[test]
fn a_supplement_is_numbered_apart_listed_under_its_own_heading_and_not_continued_by_new() {
    for layout in LAYOUTS {
        let t = sample_in(layout, "a4");
        let zk = t.project.join("issues/zk-2021-1");
        std::fs::create_dir_all(&zk).unwrap();
        std::fs::write(zk.join("issue.toml"), SUPPLEMENT).unwrap();
        std::fs::write(
            zk.join("digest.md"),
            "+++\ntitle = \"人工智能专利资料汇编\"\n+++\n增刊正文第一段。\n",
        )
        .unwrap();

        // Its own PDF says what it is.
        let out = t
            .project
            .run(&["build", "issues/zk-2021-1", "-o", "zk.pdf"]);
        assert!(out.status.success(), "{layout}: {}", stderr(&out));
        if let Some(text) = pdftotext(&t.project.join("zk.pdf")) {
            assert!(squash(&text).contains("增刊第1期"), "{layout}: {text}");
        }

        // `new` continues 2021年第1期, not the supplement.
        let out = t.project.run(&["new", "--date", "2021-02-20"]);
        assert!(out.status.success(), "{layout}: {}", stderr(&out));
        let made = std::fs::read_to_string(t.project.join("issues/2021-02/issue.toml")).unwrap();
        assert!(made.contains("number = 2"), "{made}");
        assert!(made.contains("serial = 26"), "{made}");
        assert!(!made.contains("supplement"), "{made}");
        std::fs::remove_dir_all(t.project.join("issues/2021-02")).unwrap();

        // The catalogue lists both, the supplement by its date and as one.
        let out = t.project.run(&["catalog"]);
        assert!(out.status.success(), "{layout}: {}", stderr(&out));
        let cat: serde_json::Value =
            serde_json::from_slice(&std::fs::read(t.project.join("out/catalog.json")).unwrap())
                .unwrap();
        let issues = cat["issues"].as_array().unwrap();
        let listed: Vec<(&str, &str, i64)> = issues
            .iter()
            .map(|i| {
                (
                    i["name"].as_str().unwrap(),
                    i["kind"].as_str().unwrap(),
                    i["number"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [("2021-01", "regular", 1), ("zk-2021-1", "supplement", 1)]
        );
        if let Some(text) = pdftotext(&t.project.join("out/catalog.pdf")) {
            let flat = squash(&text);
            // 2021年第1期 …, then the heading 增刊, then 2021年增刊第1期.
            let regular = flat.find("2021年第1期").expect("the regular issue");
            let supplement = flat.find("2021年增刊第1期").expect("the supplement");
            assert!(regular < supplement, "{layout}: {flat}");
            assert!(
                flat[regular..supplement].contains("增刊"),
                "{layout}: no heading before the supplement: {flat}"
            );
            assert!(flat.contains("人工智能专利资料汇编"), "{layout}: {flat}");
        }
    }
}

#[test]
fn both_layouts_print_the_permit_printer_classification_and_copy_to() {
    for layout in LAYOUTS {
        let t = sample_in(layout, "a4");
        t.project.set_publication("marking", "内部资料 免费交流");
        t.project.set_publication("classification", "秘密★1年");
        t.project
            .set_publication("permit", "豫内资准字（2021）第001号");
        t.project.set_publication("printer", "许昌市印刷厂");
        // [colophon] is the last table of the sample's publication.toml.
        let path = t.project.join("issues/publication.toml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("copy_to = [\"市直有关部门\"]\n");
        std::fs::write(&path, text).unwrap();
        let out = t.run_on_issue("build", &["-o", "x.pdf"]);
        assert!(out.status.success(), "{layout}: {}", stderr(&out));
        let Some(text) = pdftotext(&t.project.join("x.pdf")) else {
            return;
        };
        let flat = squash(&text);
        let copy_to = if layout == "express" {
            "抄送：市直有关部门。"
        } else {
            "送：市直有关部门。"
        };
        for s in [
            "内部资料免费交流",
            "秘密★1年",
            "准印证号：豫内资准字（2021）第001号",
            "印刷：许昌市印刷厂",
            copy_to,
        ] {
            assert!(flat.contains(s), "{layout}: {s} not printed: {flat}");
        }
    }
}

#[test]
fn the_ticket_counts_the_blank_page_the_bulletin_inserts_of_its_own_accord() {
    // On A5 the sample's text ends on an odd page and the 版记 must fall on an even one: the
    // bulletin leaves a page blank, and 36 pages need no padding (once counted as 0 blank).
    let t = sample_in("bulletin", "a5");
    let pdf = t.root().join("2021-01.print.pdf");
    let out = t.run_on_issue(
        "build",
        &["--profile", "print", "-o", pdf.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ticket: toml::Table =
        toml::from_str(&std::fs::read_to_string(pdf.with_extension("toml")).unwrap()).unwrap();
    assert_eq!(ticket["pages"].as_integer(), Some(36), "{ticket}");
    assert_eq!(ticket["blank_pages"].as_integer(), Some(1), "{ticket}");
    let out = t.run_on_issue("check", &[]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("36 pages (1 blank), 9 sheets"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    if let Some(text) = pdftotext(&pdf) {
        let pages: Vec<&str> = text.split('\u{c}').collect();
        // Page 35 holds nothing but the slug line outside the trim; the 版记 is on page 36.
        assert_eq!(
            squash(pages[34]),
            format!(
                "许昌竞争情报快递2021年第1期（总第25期）第35/36页2021-01-20kanwu{}",
                env!("CARGO_PKG_VERSION")
            )
        );
        assert!(squash(pages[35]).contains("报："), "{}", pages[35]);
    }
}
