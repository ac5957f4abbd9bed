//! The phone edition (`kanwu export --to images`): the layout's phone profile read from the
//! frames (the cover, then one page per article, 90 mm wide), the PNGs (1080 px wide, the same
//! bytes twice, written all or none), a layout that ignores the profile, and the editions in a
//! release.

use std::path::Path;

use kanwu::typeset::phone::{MAX_HEIGHT_PX, PHONE_WIDTH_PX, render_pngs};
use typst::layout::{Frame, FrameItem};

use crate::common::*;

/// The text a page's frame draws, in order.
fn frame_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => frame_text(&g.frame, out),
            FrameItem::Text(t) => out.push_str(&t.text),
            _ => {}
        }
    }
}

fn page_text(doc: &typst_layout::PagedDocument, n: usize) -> String {
    let mut s = String::new();
    frame_text(&doc.pages()[n - 1].frame, &mut s);
    s
}

/// The sample in `layout`, typeset in the phone profile.
fn sample_phone(layout: &str) -> typst_layout::PagedDocument {
    let mut loaded = project().load(&root().join("issues/2021-01")).unwrap();
    loaded.publication.layout = layout.to_string();
    project().typesetter().compile_phone(&loaded).unwrap().doc
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let reader = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    let info = reader.info();
    (info.width, info.height)
}

#[test]
fn each_layout_sets_the_cover_then_one_page_per_article_at_phone_width() {
    let loaded = project().load(&root().join("issues/2021-01")).unwrap();
    let articles: Vec<_> = loaded
        .document
        .sections
        .iter()
        .flat_map(|s| &s.articles)
        .collect();
    for layout in LAYOUTS {
        let doc = sample_phone(layout);
        assert_eq!(doc.pages().len(), 1 + articles.len(), "{layout}");
        for (n, page) in doc.pages().iter().enumerate() {
            let w = page.frame.width().to_mm();
            assert!((w - 90.0).abs() < 0.5, "{layout}: page {} is {w} mm", n + 1);
        }
        // The cover carries the masthead; each article page its title and its first words,
        // and the strip with the 刊名.
        let cover = squash(&page_text(&doc, 1));
        assert!(
            cover.contains("2021") && cover.contains("第1期"),
            "{layout}: {cover}"
        );
        for (k, a) in articles.iter().enumerate() {
            let text = squash(&page_text(&doc, k + 2));
            assert!(
                text.contains(&squash(&loaded.document.publication.name)),
                "{layout}"
            );
            if let Some(title) = &a.title {
                assert!(
                    text.contains(&squash(title)),
                    "{layout}: {title} not on page {}",
                    k + 2
                );
            }
            let first = articles[k].file.as_str();
            for (j, other) in articles.iter().enumerate() {
                if j != k
                    && let Some(t) = &other.title
                {
                    assert!(
                        !text.contains(&squash(t)),
                        "{layout}: {t} on {first}'s page"
                    );
                }
            }
        }
    }
}

#[test]
fn phone_images_are_1080_px_wide_and_the_same_bytes_twice() {
    let doc = sample_phone("express");
    let a = render_pngs(&doc, 3);
    let b = render_pngs(&doc, 3);
    assert_eq!(a, b, "the same page gives the same bytes");
    let [a] = &a[..] else { panic!("one image") };
    let (w, h) = png_size(a);
    assert_eq!(w, PHONE_WIDTH_PX);
    let want =
        doc.pages()[2].frame.height().to_pt() * 1080.0 / doc.pages()[2].frame.width().to_pt();
    assert!((h as f64 - want).abs() <= 1.0, "{h} px for {want}");
}

#[test]
fn an_article_taller_than_a_phone_image_is_cut_into_several() {
    let doc = sample_phone("express");
    // ai-priorities.md, about 20,000 px at phone width.
    let page = &doc.pages()[5];
    let want = page.frame.height().to_pt() * 1080.0 / page.frame.width().to_pt();
    assert!(want > MAX_HEIGHT_PX as f64, "{want}");
    let parts = render_pngs(&doc, 6);
    assert_eq!(parts.len(), 2);
    let sizes: Vec<(u32, u32)> = parts.iter().map(|p| png_size(p)).collect();
    assert!(
        sizes
            .iter()
            .all(|&(w, h)| w == PHONE_WIDTH_PX && h <= MAX_HEIGHT_PX),
        "{sizes:?}"
    );
    let total: u32 = sizes.iter().map(|s| s.1).sum();
    assert!((total as f64 - want).abs() <= 2.0, "{total} px for {want}");
}

#[test]
fn the_hostile_article_appears_literally_on_its_phone_page() {
    let t = TempProject::new()
        .link_layout()
        .link_fonts()
        .with_issue(&fixtures().join("export/hostile"), "2021-04");
    std::fs::copy(
        fixtures().join("publication.toml"),
        t.project.join("issues/publication.toml"),
    )
    .unwrap();
    let p = kanwu::project::Project::open(t.project.path(), &[]).unwrap();
    let loaded = p.load(&t.issue).unwrap();
    for layout in LAYOUTS {
        let mut loaded = loaded.clone();
        loaded.publication.layout = layout.into();
        let doc = p.typesetter().compile_phone(&loaded).unwrap().doc;
        let text = squash(&page_text(&doc, 2));
        for s in [
            "#let x = 1",
            "<script>alert(1)</script>",
            "#include <stdio.h>",
            "]#eval(\"1\")[",
            "$x$",
            "]#eval(..)[",
        ] {
            assert!(text.contains(&squash(s)), "{layout}: {s} not in {text}");
        }
    }
}

fn pngs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    kanwu::util::sorted_entries(dir)
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The sample with its three short articles (the long ones cost seconds each to draw).
fn short_sample() -> TempIssue {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let toml = std::fs::read_to_string(t.issue.join("issue.toml")).unwrap();
    let short = toml
        .replace(
            "[[sections]]\nkind = \"trends\"\narticles = [\"yangtze-delta-ai.md\"]\n",
            "",
        )
        .replace(
            "articles = [\"ai-strategies.md\", \"ai-priorities.md\"]",
            "articles = [\"yangtze-delta-ai.md\"]",
        );
    assert_ne!(toml, short);
    std::fs::write(t.issue.join("issue.toml"), short).unwrap();
    t
}

#[test]
fn the_cli_writes_the_cover_and_each_article_the_same_twice_and_one_alone() {
    let t = short_sample();
    let out = t
        .project
        .run(&["export", "issues/2021-01", "--to", "images"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = t.project.join("out/2021-01.phone");
    let first = pngs(&dir);
    let names: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "01-cover.png",
            "02-editors-note.png",
            "03-ai-patents.png",
            "04-yangtze-delta-ai.png",
        ]
    );
    for (name, png) in &first {
        assert_eq!(png_size(png).0, PHONE_WIDTH_PX, "{name}");
    }
    // An image of an article the issue no longer has goes; other files stay.
    t.project.write("out/2021-01.phone/09-gone.png", "x");
    t.project.write("out/2021-01.phone/notes.txt", "mine");
    let out = t.project.run(&["export", "--all", "--to", "images"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut again = pngs(&dir);
    again.retain(|(n, _)| n != "notes.txt");
    assert_eq!(first, again, "the same bytes the second time");
    let out = t.project.run(&[
        "export",
        "issues/2021-01",
        "--to",
        "images",
        "--article",
        "ai-patents",
        "-o",
        "one.png",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(t.project.join("one.png")).unwrap(),
        first[2].1
    );
}

#[test]
fn a_layout_that_ignores_the_phone_profile_is_told_so_and_nothing_is_written() {
    let t = TempProject::new().copy_layout().link_fonts().with_sample();
    let issue_typ = t.project.join("layout/express/issue.typ");
    let text = std::fs::read_to_string(&issue_typ).unwrap();
    let ignored = text.replace("  set page(..phone-page(out, colors)) if phone\n", "");
    assert_ne!(text, ignored);
    std::fs::write(&issue_typ, ignored).unwrap();
    let out = t
        .project
        .run(&["export", "issues/2021-01", "--to", "images"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the layout `express` does not honour the phone profile: page 1 is 210.0 mm wide where the phone profile wants 90 mm"),
        "{err}"
    );
    assert!(!t.project.join("out/2021-01.phone").exists());
}

#[test]
fn a_release_records_the_exported_editions_and_verify_checks_them() {
    let t = short_sample();
    for to in ["html", "images"] {
        let out = t.project.run(&["export", "issues/2021-01", "--to", to]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = t.project.run(&["release", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let record = std::fs::read_to_string(t.project.join("issues/2021-01/release.toml")).unwrap();
    let cover = sha256(&t.project.join("out/2021-01.phone/01-cover.png"));
    let html = sha256(&t.project.join("out/2021-01.html"));
    for s in [
        format!("[[edition]]\nformat = \"html\"\nfile = \"2021-01.html\"\nsha256 = \"{html}\""),
        format!(
            "[[edition]]\nformat = \"images\"\nfile = \"2021-01.phone/01-cover.png\"\nsha256 = \"{cover}\""
        ),
    ] {
        assert!(record.contains(&s), "release.toml lacks {s}:\n{record}");
    }
    assert!(
        !record.contains("format = \"docx\""),
        "not exported, not released"
    );
    let out = t.project.run(&["verify", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    t.project.write("out/2021-01.phone/01-cover.png", "changed");
    let out = t.project.run(&["verify", "issues/2021-01"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the published out/2021-01.phone/01-cover.png is not the released edition"),
        "{err}"
    );
}
