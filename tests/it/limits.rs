//! Limits instead of crashes: footnotes that refer to themselves and nesting deeper than the
//! layout can take are errors naming the article and line (exit 1), never a stack overflow
//! (exit 134); one such issue among good ones stops only itself.

use std::process::Output;

use crate::common::*;

const TOO_DEEP: &str =
    "nesting deeper than 12 levels (lists, quotes, emphasis) cannot be set; flatten it";

/// The sample issue with `x.md` (front matter, then `body` from line 4) in its news section.
fn issue_with(body: &str) -> TempIssue {
    let t = TempIssue::sample();
    t.write("x.md", format!("+++\ntitle = \"坏稿\"\n+++\n{body}"));
    let toml = std::fs::read_to_string(t.path("issue.toml")).unwrap();
    let toml = toml.replace(
        "articles = [\"ai-patents.md\"]",
        "articles = [\"ai-patents.md\", \"x.md\"]",
    );
    t.write("issue.toml", toml);
    t
}

/// Does stderr point (codespan's `┌─ path:line:col`) at `x.md` line `line`?
fn points_at(err: &str, line: usize) -> bool {
    err.lines()
        .any(|l| l.contains("┌─") && l.contains(&format!("/x.md:{line}:")))
}

fn assert_fails(out: &Output, what: &str, message: &str, lines: &[usize]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{what}: {err}");
    assert!(err.contains(message), "{what}: lacks `{message}`:\n{err}");
    for &line in lines {
        assert!(points_at(&err, line), "{what}: no x.md:{line} in:\n{err}");
    }
}

/// `build`, `check` and `stats` each fail with `message` at `lines` of x.md.
fn every_command_fails(body: &str, message: &str, lines: &[usize]) {
    let t = issue_with(body);
    let issue = t.issue.to_str().unwrap();
    let out = t.build();
    assert_fails(&out, "build", message, lines);
    assert!(!t.out().exists(), "build wrote a PDF");
    for command in ["check", "stats"] {
        let out = kanwu(&root(), &[command, issue]);
        assert_fails(&out, command, message, lines);
    }
}

#[test]
fn a_footnote_that_refers_to_itself_is_an_error_at_its_line() {
    every_command_fails(
        "正文[^1]。\n\n[^1]: 注一[^1]\n",
        "footnote [^1] refers to itself",
        &[6],
    );
}

#[test]
fn two_footnotes_that_refer_to_each_other_are_an_error_naming_both() {
    every_command_fails(
        "正文[^a]。\n\n[^a]: 注一[^b]\n\n[^b]: 注二[^a]\n",
        "footnotes [^a] and [^b] refer to each other",
        &[6, 8],
    );
}

#[test]
fn a_footnote_inside_a_footnote_still_builds() {
    let t = issue_with("正文[^a]。\n\n[^a]: 注一[^b]\n\n[^b]: 注二。\n");
    let out = t.build();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn ten_thousand_quote_marks_are_an_error_not_an_overflow() {
    every_command_fails(&format!("{} 深\n", ">".repeat(10_000)), TOO_DEEP, &[4]);
}

#[test]
fn a_list_nested_fifty_deep_is_an_error_at_the_thirteenth_level() {
    let list: String = (0..50)
        .map(|i| format!("{}- 第{i}层\n", "  ".repeat(i)))
        .collect();
    every_command_fails(&list, TOO_DEEP, &[16]);
}

#[test]
fn two_hundred_and_fifty_nested_emphases_are_an_error() {
    let body = format!("{}强调{}\n", "*".repeat(250), "*".repeat(250));
    every_command_fails(&body, TOO_DEEP, &[4]);
}

#[test]
fn twelve_levels_still_build() {
    let list: String = (0..12)
        .map(|i| format!("{}- 第{i}层\n", "  ".repeat(i)))
        .collect();
    let t = issue_with(&list);
    let out = t.build();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A project with the sample as 2021-01, 2021-03 and, poisoned with a footnote cycle, 2021-02.
fn poisoned_folder() -> TempProject {
    let t = TempProject::new()
        .link_layout()
        .own_fonts()
        .publication(&root().join("issues/publication.toml"));
    for (n, name) in [(1, "2021-01"), (2, "2021-02"), (3, "2021-03")] {
        let dir = t.add_issue(&root().join("issues/2021-01"), name);
        let toml = std::fs::read_to_string(dir.join("issue.toml")).unwrap();
        let toml = toml
            .replace("number = 1", &format!("number = {n}"))
            .replace("serial = 25", &format!("serial = {}", 24 + n))
            .replace("date = 2021-01-20", &format!("date = 2021-0{n}-20"));
        std::fs::write(dir.join("issue.toml"), toml).unwrap();
    }
    t.write(
        "issues/2021-02/ai-patents.md",
        "+++\ntitle = \"坏稿\"\n+++\n正文[^a]。\n\n[^a]: 注一[^b]\n\n[^b]: 注二[^a]\n",
    );
    t
}

#[test]
fn a_poisoned_issue_among_good_ones_stops_only_itself() {
    let t = poisoned_folder();
    let dir = t.join("issues");
    let dir = dir.to_str().unwrap();
    let message = "footnotes [^a] and [^b] refer to each other";

    let out = t.run(&["build", "--all", dir]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(message), "{err}");
    assert!(err.contains("1 of 3 issues failed: 2021-02"), "{err}");
    for good in ["2021-01", "2021-03"] {
        assert!(t.join(&format!("out/{good}.pdf")).is_file(), "{good}");
    }
    assert!(!t.join("out/2021-02.pdf").exists());

    let out = t.run(&["catalog", dir]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(message) && err.contains("2021-02"), "{err}");

    // No releases: every issue fails with its own error, and the process does not abort.
    let out = t.run(&["verify", "--all", dir]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for issue in ["2021-01", "2021-02", "2021-03"] {
        assert!(err.contains(issue), "{issue}: {err}");
    }
}
