//! Hardening (issue 15): one sandbox rule for every file an issue brings, nothing half-written
//! by a failed build or extract, stale temporary files cleaned up, and `verify` checking what
//! was published. Each test is a door or a failure found when the issue was filed.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

/// A project of its own (layout and fonts linked) holding the sample issue `issues/2021-01`.
fn sample_project() -> TempIssue {
    TempProject::new().link_layout().link_fonts().with_sample()
}

#[cfg(unix)]
fn link(target: &Path, link: &Path) {
    let _ = fs::remove_file(link);
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// The names in a folder (empty when it does not exist).
fn names(dir: &Path) -> Vec<String> {
    kanwu::util::sorted_entries(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn temps_in(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".kanwu-"))
        .collect()
}

// ---------------------------------------------------------------- the sandbox

/// Door 1: `issues/publication.toml` a link to a file elsewhere. It was read, its 刊名 printed
/// and the archive PDF attached it.
#[cfg(unix)]
#[test]
fn a_linked_publication_toml_is_refused_by_the_loader_for_every_profile() {
    let t = sample_project();
    let elsewhere = tempfile::tempdir().unwrap();
    let outside = elsewhere.path().join("publication.toml");
    let text = fs::read_to_string(root().join("issues/publication.toml")).unwrap();
    fs::write(&outside, text.replace("许昌竞争情报快递", "外来刊名")).unwrap();
    link(&outside, &t.root().join("issues/publication.toml"));
    for profile in ["screen", "archive"] {
        let out = t
            .project
            .run(&["build", "issues/2021-01", "--profile", profile]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("publication.toml leads to")
                && err.contains(
                    "publication.toml must lie inside the folder that holds the issue folders"
                ),
            "{err}"
        );
        assert!(!err.contains("a layout may read"), "{err}");
    }
    assert!(names(&t.root().join("out")).is_empty());
}

/// Door 2: `issue.toml` a link to an issue elsewhere (with a publication.toml beside it, which
/// was read too). The archive build blamed the layout.
#[cfg(unix)]
#[test]
fn a_linked_issue_toml_or_issue_folder_leading_out_is_refused_naming_it() {
    let t = sample_project();
    let elsewhere = tempfile::tempdir().unwrap();
    copy_dir(&root().join("issues"), elsewhere.path());
    link(
        &elsewhere.path().join("2021-01/issue.toml"),
        &t.path("issue.toml"),
    );
    for profile in ["screen", "archive"] {
        let out = t
            .project
            .run(&["build", "issues/2021-01", "--profile", profile]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("issue.toml leads to")
                && err.contains(
                    "an issue's issue.toml, articles and images must lie inside its issue folder"
                ),
            "{err}"
        );
        assert!(!err.contains("a layout may read"), "{err}");
    }
    // The whole issue folder a link to one elsewhere.
    link(
        &elsewhere.path().join("2021-01"),
        &t.root().join("issues/2021-02"),
    );
    let out = t.project.run(&["build", "issues/2021-02"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("issues/2021-02 leads to"), "{err}");
    assert!(names(&t.root().join("out")).is_empty());
}

/// Door 3: a layout file that is a link, even one into the issue folder: the build refuses to
/// read it, `--emit-typst` copies nothing and `release` records nothing.
#[cfg(unix)]
#[test]
fn a_link_in_layout_is_read_by_nobody_and_nothing_is_emitted_or_recorded() {
    let t = TempProject::new().copy_layout().link_fonts().with_sample();
    let theme = t.root().join("layout/express/theme.typ");
    let copy = t.path("theme.typ");
    fs::copy(&theme, &copy).unwrap();
    link(&copy, &theme);
    let emitted = t.root().join("emitted");
    let out = t.project.run(&[
        "build",
        "issues/2021-01",
        "--emit-typst",
        emitted.to_str().unwrap(),
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("theme.typ is a link to") && err.contains("outside"),
        "{err}"
    );
    assert!(!emitted.exists());
    let out = t.project.run(&["release", "issues/2021-01"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!t.path("release.toml").exists());
    assert!(names(&t.root().join("out")).is_empty());
}

/// Door 4: a font file that is a link leading out of the folder it is found through, in
/// `fonts/` (a locked file replaced by a link to the same file elsewhere) or in a `--font-path`
/// folder. The folders themselves may be links (`link_fonts`, and the --font-path below).
#[cfg(unix)]
#[test]
fn a_font_file_linked_from_outside_its_font_folder_is_refused_by_the_loader() {
    let t = TempProject::new().link_layout().own_fonts().with_sample();
    let kai = "LXGWWenKai-Regular.ttf";
    link(
        &root().join("fonts").join(kai),
        &t.root().join("fonts").join(kai),
    );
    let out = t.project.run(&["build", "issues/2021-01"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("font file fonts/{kai} leads to"))
            && err.contains("outside fonts/: a build uses only fonts that lie inside the font folder they are found through"),
        "{err}"
    );
    assert!(names(&t.root().join("out")).is_empty());

    // A --font-path folder that is itself a link is fine; a font in it linking out is not.
    let t = sample_project();
    let elsewhere = tempfile::tempdir().unwrap();
    let (real, linked) = (elsewhere.path().join("real"), t.root().join("extra"));
    fs::create_dir(&real).unwrap();
    link(&real, &linked);
    let ok = t
        .project
        .run(&["build", "issues/2021-01", "--font-path", "extra"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    link(&root().join("fonts").join(kai), &real.join("Kai.ttf"));
    let out = t
        .project
        .run(&["build", "issues/2021-01", "--font-path", "extra"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("font file extra/Kai.ttf leads to") && err.contains("outside extra:"),
        "{err}"
    );
}

// ---------------------------------------------------------------- nothing half-written

/// `--emit-typst DIR` was written before the build, even when the build then failed.
#[test]
fn emit_typst_is_written_only_by_a_build_that_succeeds() {
    let t = sample_project();
    t.write(
        "ai-patents.md",
        "+++\ntitle = \"题\"\n+++\n第二段有一个象形文字𓀀在这里。\n",
    );
    let emitted = t.root().join("emitted");
    let args = [
        "build",
        "issues/2021-01",
        "--emit-typst",
        emitted.to_str().unwrap(),
    ];
    let out = t
        .project
        .run(&[&args[..], &["--profile", "print"][..]].concat());
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("is in no font"), "{err}");
    assert!(!emitted.exists(), "{:?}", names(&emitted));
    assert!(names(&t.root().join("out")).is_empty());
    // The screen build succeeds (the glyph is a warning there): PDF and project together.
    let out = t.project.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(emitted.join("main.typ").is_file() && emitted.join("document.json").is_file());
    assert!(t.root().join("out/2021-01.pdf").is_file());
}

/// A print build whose last write fails (the booklet's name taken by a folder) leaves the PDF
/// and ticket of the build before untouched, and no temporary file; the ticket of every build
/// names the sha256 of the PDF beside it.
#[test]
fn a_print_build_whose_last_write_fails_leaves_the_earlier_files_as_they_were() {
    let t = sample_project();
    let out_dir = t.root().join("out");
    let (pdf, ticket) = (
        out_dir.join("2021-01.print.pdf"),
        out_dir.join("2021-01.print.toml"),
    );
    let booklet = out_dir.join("2021-01.booklet.pdf");
    let build = || {
        t.project
            .run(&["build", "issues/2021-01", "--profile", "print", "--booklet"])
    };
    let ticket_matches = || {
        let text = fs::read_to_string(&ticket).unwrap();
        assert!(
            text.contains(&format!("sha256 = \"{}\"", sha256(&pdf))),
            "{text}"
        );
    };
    let out = build();
    assert!(out.status.success(), "{}", stderr(&out));
    ticket_matches();
    let before: Vec<(PathBuf, String)> = [&pdf, &ticket]
        .iter()
        .map(|p| (p.to_path_buf(), sha256(p)))
        .collect();

    // A changed article, and the booklet's name taken by a folder.
    let article = t.path("ai-patents.md");
    let text = fs::read_to_string(&article).unwrap();
    fs::write(&article, text.replacen("。", "。新增一句。", 1)).unwrap();
    fs::remove_file(&booklet).unwrap();
    fs::create_dir(&booklet).unwrap();
    let out = build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("2021-01.booklet.pdf"), "{err}");
    for (p, sha) in &before {
        assert_eq!(&sha256(p), sha, "{} was replaced", p.display());
    }
    assert_eq!(temps_in(&out_dir), Vec::<String>::new());
    ticket_matches();

    fs::remove_dir(&booklet).unwrap();
    let out = build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(sha256(&pdf), before[0].1);
    ticket_matches();
    assert_eq!(temps_in(&out_dir), Vec::<String>::new());
}

/// A killed build's `.kanwu-*.tmp` stayed in `out/` for ever; the next build removes those
/// over a minute old, and leaves a fresh one (a build running beside it) and other files alone.
#[test]
fn stale_temporary_files_are_removed_by_the_next_build() {
    let t = sample_project();
    let out_dir = t.root().join("out");
    fs::create_dir_all(&out_dir).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    for name in [".kanwu-Ab12Cd.tmp", ".kanwu-Fresh1.tmp", "notes.tmp"] {
        let f = fs::File::create(out_dir.join(name)).unwrap();
        if name != ".kanwu-Fresh1.tmp" {
            f.set_modified(old).unwrap();
        }
    }
    let out = t.project.run(&["build", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        names(&out_dir),
        [".kanwu-Fresh1.tmp", "2021-01.pdf", "notes.tmp"]
    );
}

// ---------------------------------------------------------------- extract

/// The archive PDF of the sample, built in a project of its own.
fn archive_pdf(t: &TempIssue) -> PathBuf {
    let out = t
        .project
        .run(&["build", "issues/2021-01", "--profile", "archive"]);
    assert!(out.status.success(), "{}", stderr(&out));
    t.root().join("out/2021-01.archive.pdf")
}

/// The archive PDF with the attachment named `from` renamed `to`.
fn rename_attachment(pdf: &Path, from: &str, to: &str, into: &Path) {
    let mut doc = lopdf::Document::load(pdf).unwrap();
    let mut renamed = 0;
    for obj in doc.objects.values_mut() {
        let lopdf::Object::Dictionary(d) = obj else {
            continue;
        };
        let named = |k: &[u8]| {
            d.get(k)
                .ok()
                .and_then(|o| lopdf::decode_text_string(o).ok())
                .is_some_and(|n| n == from)
        };
        if named(b"UF") || named(b"F") {
            d.set("UF", lopdf::Object::string_literal(to));
            d.set("F", lopdf::Object::string_literal(to));
            renamed += 1;
        }
    }
    assert_eq!(renamed, 1, "no attachment {from}");
    doc.save(into).unwrap();
}

#[test]
fn extract_checks_every_name_and_target_before_writing_the_first_file() {
    let t = sample_project();
    let pdf = archive_pdf(&t);
    let run = |pdf: &Path, dir: &Path, force: bool| {
        let mut args = vec!["extract", pdf.to_str().unwrap(), dir.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        t.project.run(&args)
    };

    // A name that escapes, late in the list: nothing at all is written.
    let crafted = t.root().join("crafted.pdf");
    rename_attachment(
        &pdf,
        "2021-01/yangtze-delta-ai.md",
        "../../../pwn.md",
        &crafted,
    );
    let dir = t.root().join("x/y/z");
    let out = run(&crafted, &dir, false);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("attached file `../../../pwn.md` would be written outside"),
        "{err}"
    );
    assert!(err.contains("nothing was extracted"), "{err}");
    assert!(!dir.exists() && !t.root().join("pwn.md").exists());

    // Into a fresh folder: every file; again: refused, naming an existing file; --force: done.
    let dir = t.root().join("extracted");
    let out = run(&pdf, &dir, false);
    assert!(out.status.success(), "{}", stderr(&out));
    let note = dir.join("2021-01/editors-note.md");
    fs::write(&note, "edited").unwrap();
    let out = run(&pdf, &dir, false);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("editors-note.md already exists"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(fs::read_to_string(&note).unwrap(), "edited");
    let out = run(&pdf, &dir, true);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        fs::read(&note).unwrap(),
        fs::read(root().join("issues/2021-01/editors-note.md")).unwrap()
    );
    assert_eq!(temps_in(&dir.join("2021-01")), Vec::<String>::new());

    // A link in the target folder is never written through, even with --force.
    #[cfg(unix)]
    {
        let elsewhere = tempfile::tempdir().unwrap();
        let dir = t.root().join("linked");
        fs::create_dir(&dir).unwrap();
        link(elsewhere.path(), &dir.join("2021-01"));
        let out = run(&pdf, &dir, true);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(err.matches("is a symbolic link").count(), 1, "{err}");
        assert!(names(elsewhere.path()).is_empty());
        assert_eq!(names(&dir), ["2021-01"]);
    }
}

// ---------------------------------------------------------------- verify

#[test]
fn verify_checks_the_published_pdfs_a_missing_input_and_names_a_damaged_record() {
    let t = sample_project();
    let out = t.project.run(&["release", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let record = t.path("release.toml");
    let released = fs::read_to_string(&record).unwrap();
    let verify = || {
        let out = t.project.run(&["verify", "issues/2021-01"]);
        (out.status.code(), stderr(&out))
    };
    assert_eq!(verify().0, Some(0));

    // A published PDF edited after the release.
    let pdf = t.root().join("out/2021-01.pdf");
    let good = fs::read(&pdf).unwrap();
    let mut bad = good.clone();
    bad.extend_from_slice(b"\n% edited\n");
    fs::write(&pdf, &bad).unwrap();
    let (code, err) = verify();
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("2021-01: the published out/2021-01.pdf is not the released PDF"),
        "{err}"
    );
    assert!(!err.contains("changed since the release"), "{err}");
    fs::write(&pdf, &good).unwrap();

    // An [[input]] entry deleted from the record.
    let entry = "[[input]]\nkind = \"article\"\npath = \"2021-01/ai-patents.md\"\n";
    let at = released
        .find(entry)
        .expect("the record lists ai-patents.md");
    let end = at + released[at..].find("\n\n").unwrap_or(released.len() - at);
    let mut text = released.clone();
    text.replace_range(at..end, "");
    fs::write(&record, text).unwrap();
    let (code, err) = verify();
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains(
            "article 2021-01/ai-patents.md is read by the build but not recorded in the release"
        ),
        "{err}"
    );

    // The publication's sha256 zeroed, then replaced by another valid one: the record is
    // named as damaged, not publication.toml as changed.
    let sha = sha256(&t.root().join("issues/publication.toml"));
    for (fake, why) in [
        ("0".repeat(64), "which is not a sha256"),
        ("a".repeat(64), "the file is as released"),
    ] {
        fs::write(&record, released.replace(&sha, &fake)).unwrap();
        let (code, err) = verify();
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.contains("release.toml is damaged: its entry for publication.toml")
                && err.contains(why),
            "{err}"
        );
        assert!(!err.contains("publication.toml changed"), "{err}");
    }
    fs::write(&record, &released).unwrap();
    assert_eq!(verify().0, Some(0));
}
