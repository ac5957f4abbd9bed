//! Bad input: every case in tests/fixtures/bad/<case>/ is an issue folder (with its own
//! publication.toml when the case is about that file) and an `expected.txt`:
//!   error: <text the message must contain>
//!   at: <file>:<line>:   (the position the message must name)
//! Each must fail with exit code 1, say what is expected, and write no PDF. Adding a case is
//! adding a folder.

use std::path::Path;

use crate::common::*;

fn check_failure(t: &TempIssue, expected: &[(String, String)], case: &str) {
    // A good PDF already at the output path must survive the failed build untouched.
    std::fs::write(t.out(), b"%PDF-1.7 a good earlier build").unwrap();
    let out = t.build();
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{case}: exit code {:?}\n{err}",
        out.status.code()
    );
    for (kind, text) in expected {
        match kind.as_str() {
            "error" => assert!(
                err.contains(text.as_str()),
                "{case}: message lacks `{text}`:\n{err}"
            ),
            "at" => {
                // codespan prints `┌─ path/to/file:line:col`; the path ends with the file name.
                let found = err
                    .lines()
                    .any(|l| l.contains("┌─") && l.contains(&format!("/{text}")));
                assert!(found, "{case}: no location `{text}` in:\n{err}");
            }
            other => panic!("{case}: unknown expectation `{other}`"),
        }
    }
    assert_eq!(
        std::fs::read(t.out()).unwrap(),
        b"%PDF-1.7 a good earlier build",
        "{case}: the earlier PDF was replaced"
    );
    let stray: Vec<_> = std::fs::read_dir(t.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || (n.ends_with(".pdf") && n != "out.pdf"))
        .collect();
    assert!(stray.is_empty(), "{case}: left {stray:?}");
}

fn expectations(path: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (k, v) = l
                .split_once(": ")
                .unwrap_or_else(|| panic!("bad expectation line `{l}` in {}", path.display()));
            (k.trim().to_string(), v.to_string())
        })
        .collect()
}

#[test]
fn every_bad_fixture_fails_with_its_message_and_line_and_writes_nothing() {
    let bad = fixtures().join("bad");
    let mut cases: Vec<_> = std::fs::read_dir(&bad)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let publication = if case.join("publication.toml").is_file() {
            case.join("publication.toml")
        } else {
            fixtures().join("publication.toml")
        };
        let t = TempIssue::copy(case, &name, &publication);
        let _ = std::fs::remove_file(t.path("expected.txt"));
        let _ = std::fs::remove_file(t.path("publication.toml"));
        check_failure(&t, &expectations(&case.join("expected.txt")), &name);
    }
}

fn one_article_issue(body: &[u8]) -> TempIssue {
    let t = TempIssue::copy(
        &fixtures().join("bad/unknown-paper"),
        "x",
        &fixtures().join("publication.toml"),
    );
    let _ = std::fs::remove_file(t.path("expected.txt"));
    let _ = std::fs::remove_file(t.path("publication.toml"));
    t.write("a.md", body);
    t
}

#[test]
fn gbk_article_is_refused_naming_the_file_and_encoding() {
    // "+++\ntitle = \"中文\"\n+++\n中文。\n" saved as GBK, as Chinese Windows editors do.
    let mut gbk = b"+++\ntitle = \"".to_vec();
    gbk.extend([0xD6, 0xD0, 0xCE, 0xC4]);
    gbk.extend(b"\"\n+++\n");
    gbk.extend([0xD6, 0xD0, 0xCE, 0xC4, 0xA1, 0xA3, b'\n']);
    let t = one_article_issue(&gbk);
    let out = t.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a.md is not UTF-8 text (first bad byte on line 2)"),
        "{err}"
    );
    assert!(err.contains("GBK"), "{err}");
    assert!(!t.out().exists());
}

#[test]
#[cfg(unix)]
fn symlink_pointing_out_of_the_issue_is_refused() {
    let t = one_article_issue(b"+++\ntitle = \"x\"\n+++\ntext\n");
    let outside = t.root().join("secret.md");
    std::fs::write(&outside, "+++\ntitle = \"secret\"\n+++\nsecret\n").unwrap();
    std::os::unix::fs::symlink(&outside, t.path("link.md")).unwrap();
    let manifest = std::fs::read_to_string(t.path("issue.toml"))
        .unwrap()
        .replace("[\"a.md\"]", "[\"a.md\", \"link.md\"]");
    t.write("issue.toml", manifest);
    let out = t.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "article path `link.md` leaves the issue folder (it is a symlink pointing out of it)"
        ),
        "{err}"
    );
    assert!(
        err.lines()
            .any(|l| l.contains("┌─") && l.contains("issue.toml:10:")),
        "{err}"
    );
    assert!(!t.out().exists());
}

#[test]
fn all_errors_of_an_issue_are_reported_together() {
    let t = one_article_issue(b"+++\n+++\n<div>\n</div>\n");
    let manifest = std::fs::read_to_string(t.path("issue.toml"))
        .unwrap()
        .replace("[\"a.md\"]", "[\"a.md\", \"gone.md\"]");
    t.write("issue.toml", manifest);
    let out = t.build();
    let err = stderr(&out);
    assert!(err.contains("`gone.md` does not exist"), "{err}");
    let t2 = one_article_issue(b"+++\n+++\n<div>\n</div>\n\n# h\n");
    let err2 = stderr(&t2.build());
    assert!(err2.contains("article has no title"), "{err2}");
}

#[test]
fn usage_errors_exit_2() {
    let out = kanwu(&root(), &["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
    let out = kanwu(&root(), &["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = kanwu(&root(), &["build", "no/such/issue"]);
    assert_eq!(out.status.code(), Some(1));
    // The message names the path given, and the hint what an issue is.
    let err = stderr(&out);
    assert!(err.contains("error: no issue at no/such/issue\n"), "{err}");
    assert!(
        err.contains(
            "hint: name an issue folder (holding issue.toml) or its issue.toml, e.g. `kanwu build issues/2021-01`"
        ),
        "{err}"
    );
}

#[test]
fn a_changed_or_missing_font_stops_the_build_naming_the_file() {
    let project = TempProject::new().link_layout().own_fonts();
    let proj = project.path();
    // LXGW WenKai missing.
    std::fs::remove_file(proj.join("fonts/LXGWWenKai-Regular.ttf")).unwrap();
    let sample = root().join("issues/2021-01");
    let out = kanwu(
        proj,
        &[
            "build",
            sample.to_str().unwrap(),
            "-o",
            proj.join("x.pdf").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("locked font fonts/LXGWWenKai-Regular.ttf is missing"),
        "{}",
        stderr(&out)
    );
    // Present but changed (truncated copy): the size check on every build catches it.
    let wenkai = std::fs::read(root().join("fonts/LXGWWenKai-Regular.ttf")).unwrap();
    std::fs::write(
        proj.join("fonts/LXGWWenKai-Regular.ttf"),
        &wenkai[..wenkai.len() - 10],
    )
    .unwrap();
    let out = kanwu(
        proj,
        &[
            "build",
            sample.to_str().unwrap(),
            "-o",
            proj.join("x.pdf").to_str().unwrap(),
        ],
    );
    assert!(
        stderr(&out).contains("locked font fonts/LXGWWenKai-Regular.ttf has changed"),
        "{}",
        stderr(&out)
    );
    assert!(!proj.join("x.pdf").exists());
    // Same size, different bytes: only `kanwu fonts --verify` (sha256) can tell.
    let mut flipped = wenkai.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    std::fs::write(proj.join("fonts/LXGWWenKai-Regular.ttf"), &flipped).unwrap();
    let out = kanwu(proj, &["fonts", "--verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("locked font fonts/LXGWWenKai-Regular.ttf has changed: sha256"),
        "{}",
        stderr(&out)
    );
    let out = kanwu(&root(), &["fonts", "--verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Builds `t` with `args` added; (exit code, stderr).
fn build_with(t: &TempIssue, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["build", t.issue.to_str().unwrap()];
    let out = t.out();
    all.extend(["-o", out.to_str().unwrap()]);
    all.extend(args);
    let out = kanwu(&root(), &all);
    (out.status.code(), stderr(&out))
}

/// Does stderr point (codespan's `┌─ path:line:col`) at `file` line `line`?
fn points_at(err: &str, file: &str, line: usize) -> bool {
    err.lines()
        .any(|l| l.contains("┌─") && l.contains(&format!("/{file}:{line}:")))
}

#[test]
fn an_article_with_old_mac_line_ends_is_read_line_by_line() {
    // CR alone ends each line, as Mac OS 9 editors (and some exports) wrote it.
    let t = one_article_issue(
        "+++\rtitle = \"旧式换行的文章\"\r+++\r第一段正文。\r\r第二段正文。\r".as_bytes(),
    );
    let (code, err) = build_with(&t, &[]);
    assert_eq!(code, Some(0), "{err}");
    let text = squash(&pdf_text_lopdf(&t.out()).1);
    for s in ["旧式换行的文章", "第一段正文。", "第二段正文。"] {
        assert!(text.contains(s), "`{s}` missing from the PDF");
    }
}

#[test]
fn a_date_outside_the_issue_year_is_a_warning_at_its_line() {
    let t = one_article_issue(b"+++\ntitle = \"x\"\n+++\ntext\n");
    let manifest = std::fs::read_to_string(t.path("issue.toml")).unwrap();
    t.write(
        "issue.toml",
        manifest
            .replace("year = 2021", "year = 2022")
            .replace("date = 2021-01-20", "date = 1999-08-15"),
    );
    let (code, err) = build_with(&t, &[]);
    assert_eq!(code, Some(0), "a warning, not an error: {err}");
    assert!(
        err.contains("warning: the issue's date 1999-08-15 is not in its year 2022"),
        "{err}"
    );
    assert!(points_at(&err, "issue.toml", 6), "{err}");
}

#[test]
fn control_characters_in_the_text_are_warnings_at_their_lines() {
    // In the body as they are; in the title as a TOML escape (TOML refuses them raw).
    let t = one_article_issue(
        "+++\ntitle = \"标\\u0007题\"\n+++\n正文\u{0}一。\n\n正文\u{c}二。\n".as_bytes(),
    );
    let (code, err) = build_with(&t, &[]);
    assert_eq!(code, Some(0), "{err}");
    for (c, line) in [("U+0007", 2), ("U+0000", 4), ("U+000C", 6)] {
        assert!(err.contains(&format!("{c} (a control character)")), "{err}");
        assert!(points_at(&err, "a.md", line), "{c}: {err}");
    }
}

#[test]
fn a_character_no_font_has_fails_the_archive_build_at_its_line() {
    let t = one_article_issue("+++\ntitle = \"表情\"\n+++\n第一行。\n\n笑😀了。\n".as_bytes());
    let (code, err) = build_with(&t, &["--profile", "archive"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("'😀' is in no font"), "{err}");
    assert!(points_at(&err, "a.md", 6), "{err}");
    assert!(!t.out().exists(), "a PDF was written");
}

/// An unknown key used to get the hint "write a TOML date without quotes" (any TOML error
/// whose text held "date"); now it names the key it likely meant and the keys allowed, and the
/// date hint comes only for a date written as text. serde's "invalid type: string "一",
/// expected i64" is said in words, in both languages.
#[test]
fn toml_errors_say_what_goes_there_and_give_the_date_hint_only_for_dates() {
    let t = TempIssue::sample();
    let manifest = t.issue.join("issue.toml");
    let original = std::fs::read_to_string(&manifest).unwrap();
    let with = |from: &str, to: &str| {
        assert!(original.contains(from));
        std::fs::write(&manifest, original.replacen(from, to, 1)).unwrap();
    };
    with("number = 1\n", "numbr = 1\n");
    let (code, err) = build_with(&t, &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error: unknown key `numbr`"), "{err}");
    assert!(err.contains("hint: did you mean `number`?"), "{err}");
    assert!(
        !err.contains("without quotes"),
        "a date hint on an unknown key:\n{err}"
    );
    assert!(points_at(&err, "issue.toml", 5), "{err}");

    with("number = 1\n", "number = \"一\"\n");
    let (code, err) = build_with(&t, &[]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains(
            "error: wrong type: a whole number (written without quotes) goes here, not the text \"一\""
        ),
        "{err}"
    );
    let zh = kanwu(
        &root(),
        &[
            "--lang",
            "zh",
            "build",
            t.issue.to_str().unwrap(),
            "-o",
            t.out().to_str().unwrap(),
        ],
    );
    let zh = stderr(&zh);
    assert!(
        zh.contains("错误: 类型不对：这里应写整数（不加引号），而不是文字 \"一\""),
        "{zh}"
    );

    with("date = 2021-01-20\n", "date = \"2021-01-20\"\n");
    let (_, err) = build_with(&t, &[]);
    assert!(
        err.contains("hint: write a TOML date without quotes"),
        "{err}"
    );
}
