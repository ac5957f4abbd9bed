//! The layout contract (layout/README.md): a second layout that shares files from
//! `layout/_lib/` builds, releases and verifies, and its emitted Typst project compiles; a
//! layout that breaks the contract fails with an error naming the point it broke.

use std::path::PathBuf;

use crate::common::{
    TempProject, fixtures, kanwu, pdf_text_lopdf, pdftotext, project, root, squash, stderr,
};

/// A project of its own: a copy of `layout/` (so layouts can be added), the fonts linked, and
/// the sample issue whose publication names `layout`.
struct LayoutProject {
    dir: tempfile::TempDir,
}

impl LayoutProject {
    fn new(layout: &str) -> LayoutProject {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        kanwu::util::copy_dir(&root().join("layout"), &p.join("layout")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root().join("fonts"), p.join("fonts")).unwrap();
        #[cfg(not(unix))]
        kanwu::util::copy_dir(&root().join("fonts"), &p.join("fonts")).unwrap();
        kanwu::util::copy_dir(&root().join("issues/2021-01"), &p.join("issues/2021-01")).unwrap();
        let publication = std::fs::read_to_string(root().join("issues/publication.toml"))
            .unwrap()
            .replace("layout = \"express\"", &format!("layout = \"{layout}\""));
        assert!(publication.contains(&format!("layout = \"{layout}\"")));
        std::fs::write(p.join("issues/publication.toml"), publication).unwrap();
        LayoutProject { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// A new layout folder `name`: express copied, with `edit` applied to its issue.typ.
    fn add_layout(&self, name: &str, edit: impl Fn(String) -> String) {
        let to = self.path(&format!("layout/{name}"));
        kanwu::util::copy_dir(&self.path("layout/express"), &to).unwrap();
        let issue = to.join("issue.typ");
        let text = std::fs::read_to_string(&issue).unwrap();
        let edited = edit(text.clone());
        assert_ne!(edited, text, "the edit changed nothing");
        std::fs::write(issue, edited).unwrap();
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        kanwu(self.dir.path(), args)
    }
}

/// `layout/second/` is express with its folio taken from `layout/_lib/folio.typ`.
fn second_layout() -> LayoutProject {
    let t = LayoutProject::new("second");
    std::fs::create_dir_all(t.path("layout/_lib")).unwrap();
    std::fs::write(
        t.path("layout/_lib/folio.typ"),
        "// Shared by several layouts: the folio text of GB/T 9704.\n#let folio-text(n) = \"— \" + str(n) + \" —\"\n",
    )
    .unwrap();
    t.add_layout("second", |s| {
        s.replace("\"— \" + str(n) + \" —\")", "folio-text(n))")
            .replacen(
                "#import \"theme.typ\"",
                "#import \"/layout/_lib/folio.typ\": folio-text\n#import \"theme.typ\"",
                1,
            )
    });
    t
}

#[test]
fn a_second_layout_sharing_layout_lib_builds_releases_verifies_and_emits_a_project_that_compiles() {
    let t = second_layout();
    let out = t.run(&["build", "issues/2021-01", "-o", "second.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (pages, text) = pdf_text_lopdf(&t.path("second.pdf"));
    assert_eq!(pages, 10);
    assert!(squash(&text).contains("—2—"), "the shared folio is printed");

    // release records the shared file and the second layout's files it opened — and nothing
    // of express, nor second's catalogue, which an issue build does not open.
    let out = t.run(&["release", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let record = std::fs::read_to_string(t.path("issues/2021-01/release.toml")).unwrap();
    for recorded in [
        "path = \"layout/_lib/folio.typ\"",
        "path = \"layout/second/issue.typ\"",
        "path = \"layout/second/content.typ\"",
        "path = \"layout/second/theme.typ\"",
    ] {
        assert!(record.contains(recorded), "{recorded} missing:\n{record}");
    }
    assert!(!record.contains("layout/express/"), "{record}");
    assert!(!record.contains("layout/second/catalog.typ"), "{record}");
    let out = t.run(&["verify", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Editing another layout does not touch this release; editing the shared file does.
    let express = t.path("layout/express/issue.typ");
    let mut e = std::fs::read_to_string(&express).unwrap();
    e.push_str("\n// edited\n");
    std::fs::write(&express, e).unwrap();
    let out = t.run(&["verify", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(
        t.path("layout/_lib/folio.typ"),
        "#let folio-text(n) = \"- \" + str(n) + \" -\"\n",
    )
    .unwrap();
    let out = t.run(&["verify", "issues/2021-01"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("2021-01: layout file layout/_lib/folio.typ changed since the release"),
        "{}",
        stderr(&out)
    );
    std::fs::write(
        t.path("layout/_lib/folio.typ"),
        "// Shared by several layouts: the folio text of GB/T 9704.\n#let folio-text(n) = \"— \" + str(n) + \" —\"\n",
    )
    .unwrap();

    // --emit-typst copies what the build opened, _lib included, and the project compiles alone.
    let out = t.run(&[
        "build",
        "issues/2021-01",
        "-o",
        "again.pdf",
        "--emit-typst",
        "emitted",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let emitted = t.path("emitted");
    assert!(emitted.join("layout/_lib/folio.typ").is_file());
    assert!(emitted.join("layout/second/issue.typ").is_file());
    assert!(!emitted.join("layout/express").exists());
    let world = kanwu::typeset::world::plain_project(
        project().fonts.clone(),
        &emitted,
        typst::foundations::Datetime::from_ymd(2021, 1, 20).unwrap(),
    );
    let (doc, _) = kanwu::typeset::compile::compile(&world);
    let doc = doc.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.pages().len(), 10);
    if let Some(text) = pdftotext(&t.path("again.pdf")) {
        assert!(text.contains("— 10 —"), "{text}");
    }
}

fn contract_error(layout: &str, edit: impl Fn(String) -> String) -> String {
    let t = LayoutProject::new(layout);
    t.add_layout(layout, edit);
    let out = t.run(&["build", "issues/2021-01", "-o", "x.pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!t.path("x.pdf").exists(), "a failed build writes nothing");
    stderr(&out)
}

#[test]
fn a_layout_without_an_issue_function_is_told_so() {
    let err = contract_error("nofn", |s| {
        s.replace("#let issue(doc) =", "#let issue-x(doc) =")
    });
    assert!(
        err.contains("error: the layout `nofn` breaks kanwu's layout contract: layout/nofn/issue.typ must define `issue(doc)`"),
        "{err}"
    );
}

#[test]
fn a_layout_that_places_no_article_labels_is_told_which() {
    let err = contract_error("nolabels", |s| {
        s.replace("label(\"kanwu-article-\" +", "label(\"other-article-\" +")
    });
    // The sample's first titled article is the first of section 1 (section 0 is 编者的话).
    assert!(
        err.contains("error: the layout `nolabels` breaks kanwu's layout contract: it does not place the label <kanwu-article-1-0>"),
        "{err}"
    );
    assert!(err.contains("layout/nolabels/issue.typ"), "{err}");
}

#[test]
fn a_layout_that_publishes_no_text_block_is_told_so() {
    let err = contract_error("nomargins", |s| {
        s.replace("<kanwu-margins>", "<other-margins>")
    });
    assert!(
        err.contains("it does not place `#metadata(margins) <kanwu-margins>`"),
        "{err}"
    );
}

/// Issue 22, item 8: each case of tests/fixtures/layout-breaks/ breaks express in one way, and
/// the build fails naming the true cause.
#[test]
fn each_layout_break_is_reported_by_its_true_cause() {
    let cases = fixtures().join("layout-breaks");
    let mut n = 0;
    for entry in std::fs::read_dir(&cases).unwrap() {
        let case = entry.unwrap().path();
        if !case.is_dir() {
            continue;
        }
        n += 1;
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let spec: toml::Table =
            toml::from_str(&std::fs::read_to_string(case.join("break.toml")).unwrap()).unwrap();
        let s = |k: &str| spec[k].as_str().unwrap().to_string();
        let list = |k: &str| -> Vec<String> {
            spec[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        let t = TempProject::new().copy_layout().link_fonts().with_sample();
        let file = t.project.join(&format!("layout/express/{}", s("file")));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(&s("replace")), "{name}: the layout moved");
        std::fs::write(&file, text.replace(&s("replace"), &s("with"))).unwrap();
        let args = list("args");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = t.project.run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        for want in list("expect") {
            assert!(err.contains(&want), "{name}: no `{want}` in:\n{err}");
        }
        for wrong in list("refuse") {
            assert!(!err.contains(&wrong), "{name}: `{wrong}` in:\n{err}");
        }
    }
    assert!(n >= 4);
}

/// Issue 22, item 8: the README's colour snippets compile in Typst 0.15 (`color.spot(…)` is a
/// colorant; the colour is its `.tint(100%)`), and it lists the families kanwu ships.
#[test]
fn the_readme_snippets_are_colours_and_it_lists_the_bundled_fonts() {
    let readme = std::fs::read_to_string(root().join("layout/README.md")).unwrap();
    let snippets: Vec<&str> = readme
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("color.spot(") && !s.contains('…'))
        .collect();
    assert!(snippets.len() >= 2, "{snippets:?}");
    for s in &snippets {
        assert!(s.ends_with(".tint(100%)"), "{s}");
    }
    // Compiled as the layout would use them, with kanwu's own Typst.
    let t = TempProject::new().copy_layout().link_fonts().with_sample();
    let theme = t.project.join("layout/express/theme.typ");
    let mut text = std::fs::read_to_string(&theme).unwrap();
    for (i, s) in snippets.iter().enumerate() {
        let s = s.replace("spot,", "\"PANTONE 485 C\",");
        text.push_str(&format!("\n#let readme-{i} = text(fill: {s})[x]\n"));
    }
    std::fs::write(&theme, text).unwrap();
    let out = t.project.run(&["build", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for family in [
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "LXGW WenKai",
        "FandolFang R",
    ] {
        assert!(readme.contains(&format!("| `{family}` |")), "{family}");
    }
    assert!(!readme.contains("`theme.typ` (section 5)"));
}
