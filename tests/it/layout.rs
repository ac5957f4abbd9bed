//! The layout: every Markdown construct sets, bookmarks exist, and the sandbox holds: Typst
//! errors point at the layout file, packages and paths outside are refused, today() is the
//! issue's date, a font the theme names but nobody has is an error.

use std::path::Path;

use crate::common::*;

/// A chart-like PNG written by the test itself (1200×600 px).
fn write_png(path: &Path, w: u32, h: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 160])
    });
    img.save(path).unwrap();
}

pub fn features_issue() -> TempIssue {
    let t = TempIssue::copy(
        &fixtures().join("features"),
        "2021-03",
        &root().join("issues/publication.toml"),
    );
    write_png(&t.path("images/chart.png"), 1200, 600);
    t
}

#[test]
fn every_markdown_construct_is_set() {
    let t = features_issue();
    let out = t.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, lo) = pdf_text_lopdf(&t.out());
    let Some(text) = pdftotext(&t.out()) else {
        assert!(squash(&lo).contains("每一种版式元素"));
        return;
    };
    let flat = squash(&text);
    for s in [
        "专题研究",
        "每一种版式元素",
        "——表格、图片、列表、引文与脚注",
        "来源：测试研究所作者：张三",
        "第一段正文，含加粗、强调、删除线、inlinecode、链接文字和一个脚注1。这一行与上一行属于同一段落。",
        // Headings without a number get one: 一、 （一） 1. （1）, counted per level.
        "一、没有编号的二级标题",
        "（一）没有编号的三级标题",
        "1.没有编号的四级标题",
        "（1）没有编号的五级标题",
        "二、第二个二级标题",
        "（一）第二个三级标题",
        // A heading with its own number keeps it and gets no second one.
        "三、已有编号的标题",
        "无序列表第一项",
        "1.有序列表第一项",
        "2.有序列表第二项",
        "引文段落：这是一段引用的文字",
        "地区专利申请量（件）占比广东省7273718.7%北京市5090613.1%",
        "图1测试图片（宽1200像素）",
        "代码块codeblock",
        "最后一段。",
        "1脚注内容：来源于测试。",
    ] {
        assert!(flat.contains(s), "missing `{s}` in:\n{flat}");
    }
    assert!(
        !flat.contains("二、三、已有编号"),
        "a numbered heading was numbered again"
    );
    // The image is in the PDF as an image.
    if let Some(list) = run_tool("pdfimages", &["-list", t.out().to_str().unwrap()]) {
        assert!(list.contains("1200   600"), "{list}");
    }
}

#[test]
fn bookmarks_list_sections_and_articles() {
    for layout in LAYOUTS {
        let t = sample_in(layout, "a4");
        let pdf = t.root().join("s.pdf");
        let out = t.run_on_issue("build", &["-o", "s.pdf"]);
        assert!(out.status.success(), "{layout}: {}", stderr(&out));
        bookmarks(&pdf, layout);
    }
}

fn bookmarks(pdf: &Path, layout: &str) {
    let doc = lopdf::Document::load(pdf).unwrap();
    let toc = doc.get_toc().expect("the PDF has an outline");
    let items: Vec<(usize, String)> = toc.toc.iter().map(|t| (t.level, t.title.clone())).collect();
    let expected = [
        (1, "编者的话"),
        (1, "行业动态"),
        (2, "中国人工智能专利申请量居世界第一 是美国的8.2倍"),
        (1, "行业趋势"),
        (2, "构筑中国人工智能产业创新的“长三角”力量"),
        (1, "行业报告"),
        (2, "世界主要国家【人工智能】战略简析（美俄英法德日）"),
        (2, "我国人工智能发展重点与机遇"),
    ];
    let expected: Vec<(usize, String)> =
        expected.iter().map(|(l, s)| (*l, s.to_string())).collect();
    assert_eq!(items, expected, "{layout}");
}

/// A project root with a copy of the layout (to break on purpose) and the real fonts.
fn root_with_layout(edit: impl Fn(&str) -> String, file: &str) -> TempProject {
    let proj = TempProject::new().copy_layout().link_fonts();
    let path = proj.join("layout/express").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, edit(&text)).unwrap();
    proj
}

fn build_in(proj: &Path) -> std::process::Output {
    let sample = root().join("issues/2021-01");
    kanwu(
        proj,
        &[
            "build",
            sample.to_str().unwrap(),
            "-o",
            proj.join("x.pdf").to_str().unwrap(),
        ],
    )
}

fn append_to_issue(code: &'static str) -> impl Fn(&str) -> String {
    // The layout's entry function `issue` ends the file: add the code before its last brace.
    move |t: &str| {
        let body = t
            .trim_end()
            .strip_suffix('}')
            .expect("issue.typ ends with }");
        format!("{body}\n{code}\n}}\n")
    }
}

#[test]
fn a_typst_error_in_the_layout_points_at_the_layout_file_and_line() {
    let proj = root_with_layout(append_to_issue("  undefined-thing(1)"), "issue.typ");
    let out = build_in(proj.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: unknown variable: undefined-thing"),
        "{err}"
    );
    let line = std::fs::read_to_string(proj.path().join("layout/express/issue.typ"))
        .unwrap()
        .lines()
        .position(|l| l.contains("undefined-thing"))
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!("layout/express/issue.typ:{line}:3")),
        "{err}"
    );
    assert!(!proj.path().join("x.pdf").exists());
}

#[test]
fn packages_and_files_outside_the_sandbox_are_refused() {
    let proj = root_with_layout(
        |t| format!("#import \"@preview/cetz:0.3.0\": canvas\n{t}"),
        "issue.typ",
    );
    let err = stderr(&build_in(proj.path()));
    assert!(
        err.contains("kanwu does not download packages; copy the package's files under layout/"),
        "{err}"
    );

    let proj = root_with_layout(append_to_issue("  read(\"/etc/passwd\")"), "issue.typ");
    let err = stderr(&build_in(proj.path()));
    assert!(
        err.contains("`/etc/passwd` is outside kanwu's sandbox"),
        "{err}"
    );

    let proj = root_with_layout(
        append_to_issue("  read(\"../../../../../../etc/passwd\")"),
        "issue.typ",
    );
    let out = build_in(proj.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error: path `\"../../../../../../etc/passwd\"` would escape the project root"
        ),
        "{err}"
    );
    assert!(!err.contains("root:x:0"), "{err}");
    assert!(!proj.path().join("x.pdf").exists());
}

#[test]
fn today_is_the_issue_date_and_warnings_do_not_fail_the_build() {
    let proj = root_with_layout(
        append_to_issue(
            "  [今天是#datetime.today().display()]\n  text(font: \"No Such Font\", [x])",
        ),
        "issue.typ",
    );
    let out = build_in(proj.path());
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: unknown font family: no such font"),
        "{err}"
    );
    if let Some(text) = pdftotext(&proj.path().join("x.pdf")) {
        assert!(squash(&text).contains("今天是2021-01-20"), "{text}");
    }
}

#[test]
fn a_theme_font_nobody_provides_is_an_error_not_a_silent_fallback() {
    let proj = root_with_layout(
        |t| t.replace("kai: \"LXGW WenKai\"", "kai: \"楷体_GB2312\""),
        "theme.typ",
    );
    let out = build_in(proj.path());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the layout's `kai` font \"楷体_GB2312\" is not available"),
        "{err}"
    );
    assert!(err.contains("--font-path"), "{err}");
}

#[test]
fn kanwu_fonts_lists_faces_and_roles() {
    let out = kanwu(&root(), &["fonts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("serif = Noto Serif CJK SC"), "{s}");
    assert!(s.contains("kai = LXGW WenKai"), "{s}");
    assert!(s.contains("mono = Noto Sans Mono CJK SC"), "{s}");
    assert!(s.contains("fonts/LXGWWenKai-Regular.ttf"), "{s}");
    assert!(
        s.lines()
            .any(|l| l.contains("Noto Serif CJK SC") && l.contains("← serif")),
        "{s}"
    );
    assert!(!s.contains("missing:"), "{s}");
}

/// `KANWU_TYPST_TIMINGS=FILE` (bench/README.md) writes Typst's timing scopes of the compile as
/// a Chrome trace: the introspection passes and the layout's function calls by file and line,
/// which is how a layout author finds what costs per article.
#[test]
fn typst_timings_name_the_passes_and_the_layout_lines() {
    let t = sample_in("express", "a4");
    let trace = t.root().join("timings.json");
    let out = kanwu_command()
        .current_dir(t.root())
        .env("KANWU_TYPST_TIMINGS", &trace)
        .args(["build", t.issue.to_str().unwrap(), "-o", "x.pdf"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&trace).unwrap()).unwrap();
    let named = |name: &'static str| events.iter().filter(move |e| e["name"] == name);
    assert!(named("iter (1)").any(|e| e["ph"] == "B"), "no first pass");
    assert_eq!(
        named("iter (1)").count(),
        2,
        "one begin and one end of the first pass"
    );
    let issue_lines: Vec<u64> = named("func call")
        .filter(|e| e["args"]["file"] == "/layout/express/issue.typ")
        .filter_map(|e| e["args"]["line"].as_u64())
        .collect();
    assert!(
        issue_lines.iter().any(|&l| l > 1),
        "calls of the layout's functions with their lines: {:?}",
        &issue_lines[..issue_lines.len().min(5)]
    );
    // Without the variable, nothing is written.
    std::fs::remove_file(&trace).unwrap();
    let out = kanwu(
        t.root(),
        &["build", t.issue.to_str().unwrap(), "-o", "y.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!trace.exists());
}
