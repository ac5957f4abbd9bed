//! `kanwu init`: a publication from nothing, and what a command says outside a project.

use crate::common::*;

#[test]
fn init_into_a_temp_folder_gives_a_first_issue_that_builds() {
    let tmp = TempProject::new();
    let dir = tmp.join("新刊物");
    let out = kanwu(
        tmp.path(),
        &[
            "init",
            dir.to_str().unwrap(),
            "--name",
            "某市科技快报",
            "--publisher",
            "某市科学技术局",
            "--date",
            "2026-03-10",
            "--from",
            root().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // It says where layout/ and fonts/ came from, and what to do next.
    assert!(stdout.contains("copied from"), "{stdout}");
    assert!(stdout.contains("next:"), "{stdout}");
    assert!(stdout.contains("kanwu build issues/2026-01"), "{stdout}");
    for f in [
        "layout/express/issue.typ",
        "fonts/fonts.lock",
        "fonts/LICENSE-NotoCJK.txt",
        "issues/publication.toml",
        "issues/2026-01/issue.toml",
        "issues/2026-01/editors-note.md",
    ] {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    // Nothing left over from making it.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, ["fonts", "issues", "layout"]);

    // The first issue builds in the new folder, with the name given on its masthead.
    let out = kanwu(&dir, &["build", "issues/2026-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.join("out/2026-01.pdf");
    assert!(pdf_text_lopdf(&pdf).0 >= 1);
    if let Some(text) = pdftotext(&pdf) {
        let text = squash(&text);
        assert!(text.contains("某市科技快报"), "{text}");
        assert!(text.contains("2026年第1期"), "{text}");
    }

    // init never overwrites a project.
    let again = kanwu(tmp.path(), &["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already holds layout/"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn init_without_a_name_writes_placeholders_that_check_points_at() {
    let tmp = TempProject::new();
    let out = kanwu(
        tmp.path(),
        &[
            "init",
            "--from",
            root().to_str().unwrap(),
            "--date",
            "2026-01-05",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("write the 刊名 and 编印单位"), "{stdout}");
    let publication = std::fs::read_to_string(tmp.join("issues/publication.toml")).unwrap();
    assert!(publication.contains("name = \"（刊名）\""), "{publication}");
    assert!(publication.contains("# editor_in_chief"), "{publication}");
    let out = tmp.run(&["check", "issues/2026-01", "--profile", "screen"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("still has the placeholder 刊名 `kanwu init` wrote"),
        "{err}"
    );
    assert!(err.contains("issues/publication.toml:"), "{err}");
}

#[test]
fn init_from_a_folder_without_layout_and_fonts_says_what_it_needs() {
    let tmp = TempProject::new();
    let empty = tempfile::tempdir().unwrap();
    let out = kanwu(
        tmp.path(),
        &["init", "p", "--from", empty.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("needs layout/ and fonts/fonts.lock"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.join("p").exists(), "nothing written");
}

#[test]
fn every_command_outside_a_project_says_to_run_init() {
    let tmp = TempProject::new();
    for args in [
        &["build", "issues/2021-01"][..],
        &["new"],
        &["check", "issues/2021-01"],
        &["stats", "issues/2021-01"],
        &["fonts"],
        &["build", "--all"],
        &["import", "a.docx"],
    ] {
        let out = tmp.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("the current folder is not a kanwu project")
                && err.contains("run `kanwu init`")
                && err.contains("--root"),
            "{args:?}: {err}"
        );
    }
}

/// The Windows package's shape: the executable with layout/ and fonts/ beside it. init finds
/// them there with no --from.
#[test]
fn init_finds_layout_and_fonts_beside_the_executable() {
    let tmp = TempProject::new();
    let package = tmp.join("kanwu-package");
    std::fs::create_dir(&package).unwrap();
    let exe = package.join(format!("kanwu{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(env!("CARGO_BIN_EXE_kanwu"), &exe).unwrap();
    symlink(&root().join("layout"), &package.join("layout"));
    symlink(&root().join("fonts"), &package.join("fonts"));
    let out = std::process::Command::new(&exe)
        .current_dir(tmp.path())
        .args(["init", "p", "--date", "2026-01-05"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("copied from kanwu-package"), "{stdout}");
    assert!(tmp.join("p/issues/2026-01/issue.toml").is_file());
}
