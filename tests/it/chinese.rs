//! Issue 22, item 5: under `--lang zh` everything kanwu says is Chinese. Over the whole
//! `tests/fixtures/bad` corpus, `check` of the sample, `release`, `verify`, the print ticket and
//! every `--help`, no run of three or more Latin letters is left outside file names and paths,
//! `code` in backquotes or "quotes", options and their values, command names, keys and values
//! the user wrote, hashes and the word kanwu. Acronyms (PDF, CMYK, a metavariable such as DIR)
//! and the names of two formats (Markdown, Word) are names, not English.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::*;

/// kanwu in Chinese (whatever the machine's locale).
fn zh(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kanwu"))
        .env_remove("KANWU_LANG")
        .current_dir(cwd)
        .arg("--lang")
        .arg("zh")
        .args(args)
        .output()
        .expect("kanwu runs")
}

fn both(out: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every word (run of Latin letters) the user wrote in the files under `dir`: keys, values,
/// names, text.
fn user_words(dir: &Path, words: &mut BTreeSet<String>) {
    for entry in walk(dir) {
        if let Ok(text) = std::fs::read_to_string(&entry) {
            words.extend(letter_runs(&text));
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn letter_runs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphabetic() {
            run.push(c);
        } else {
            if run.len() >= 3 {
                out.push(std::mem::take(&mut run));
            }
            run.clear();
        }
    }
    out
}

/// The runs of three or more Latin letters in `text` that are none of: `code`, a path or file
/// name (holding `/`, `\` or a `.`), an option (`--x`, `-x`), a `<placeholder>`, a hash or
/// version (letters with digits), the user's own words, kanwu.
fn foreign(text: &str, user: &BTreeSet<String>) -> Vec<String> {
    let prose: String = text
        .lines()
        // codespan's source lines (`12 │ …`) quote the user's file.
        .filter(|l| {
            !l.trim_start()
                .split_once('│')
                .is_some_and(|(n, _)| n.trim().chars().all(|c| c.is_ascii_digit()))
        })
        .map(|l| l.split('`').step_by(2).collect::<String>())
        .map(|l| l.split('"').step_by(2).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = Vec::new();
    for token in
        prose.split(|c: char| !(c.is_ascii_graphic()) || "，。：；（）、“”《》「」".contains(c))
    {
        let token = token.trim_matches(|c: char| "()[]{},;:!?'\"".contains(c));
        if token.is_empty()
            || token.contains(['/', '\\', '.', '<', '>', '@', '=', '_'])
            || token.starts_with('-')
            || (token.chars().any(|c| c.is_ascii_digit())
                && token.chars().any(|c| c.is_ascii_alphabetic()))
        {
            continue;
        }
        for run in letter_runs(token) {
            let acronym = run.chars().all(|c| c.is_ascii_uppercase());
            if run == "kanwu" || acronym || NAMES.contains(&run.as_str()) || user.contains(&run) {
                continue;
            }
            out.push(token.to_string());
        }
    }
    out
}

/// Format names and units kept as they are.
const NAMES: [&str; 3] = ["Markdown", "Word", "ppi"];

/// What a user types on the command line: commands and the values of options.
const TYPED: [&str; 21] = [
    "help",
    "screen",
    "print",
    "archive",
    "phone",
    "html",
    "docx",
    "images",
    "table",
    "json",
    "zh",
    "en",
    "bash",
    "zsh",
    "fish",
    "powershell",
    "elvish",
    "all",
    "none",
    "true",
    "false",
];

fn assert_chinese(what: &str, text: &str, user: &BTreeSet<String>, found: &mut Vec<String>) {
    for word in foreign(text, user) {
        found.push(format!("{what}: `{word}` in:\n{text}"));
    }
}

#[test]
fn everything_kanwu_says_in_chinese_is_chinese() {
    let mut found = Vec::new();
    // The bad corpus, each case built as bad_input builds it.
    for entry in std::fs::read_dir(fixtures().join("bad")).unwrap() {
        let case = entry.unwrap().path();
        let mut user = BTreeSet::new();
        user_words(&case, &mut user);
        user_words(&fixtures().join("publication.toml"), &mut user);
        let publication = case.join("publication.toml");
        let publication = if publication.is_file() {
            publication
        } else {
            fixtures().join("publication.toml")
        };
        let t = TempIssue::copy(&case, "2021-09", &publication);
        let out = zh(
            &root(),
            &[
                "build",
                t.issue.to_str().unwrap(),
                "-o",
                t.out().to_str().unwrap(),
            ],
        );
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert_chinese(&name, &both(&out), &user, &mut found);
    }
    // check, release, verify and the ticket of the sample.
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let mut user = BTreeSet::new();
    user_words(&t.root().join("issues"), &mut user);
    let issue = t.issue.to_str().unwrap();
    for args in [
        vec!["check", issue],
        vec!["check", issue, "--profile", "screen"],
        vec!["release", issue],
        vec!["verify", issue],
        vec!["build", issue, "--profile", "print"],
        vec!["stats", issue],
    ] {
        let out = zh(t.root(), &args);
        assert_chinese(&args.join(" "), &both(&out), &user, &mut found);
    }
    let ticket = std::fs::read_to_string(t.root().join("out/2021-01.print.toml")).unwrap();
    let values: String = ticket
        .lines()
        .map(|l| l.split_once(" = ").map_or(l, |(_, v)| v))
        .collect::<Vec<_>>()
        .join("\n");
    assert_chinese("the ticket", &values, &user, &mut found);
    // Outside a project.
    let empty = TempProject::new();
    let out = zh(empty.path(), &["check", "issues/2021-01"]);
    assert_chinese("outside a project", &both(&out), &user, &mut found);
    // Every --help.
    let mut typed: BTreeSet<String> = TYPED.iter().map(|s| s.to_string()).collect();
    let out = zh(&root(), &["--help"]);
    let commands: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let w = l.split_whitespace().next()?;
            (l.starts_with("  ") && w.chars().all(|c| c.is_ascii_lowercase()))
                .then(|| w.to_string())
        })
        .collect();
    assert!(commands.len() > 10, "{commands:?}");
    typed.extend(commands.iter().cloned());
    assert_chinese("kanwu --help", &both(&out), &typed, &mut found);
    for c in &commands {
        let out = zh(&root(), &[c, "--help"]);
        assert_chinese(
            &format!("kanwu {c} --help"),
            &both(&out),
            &typed,
            &mut found,
        );
    }
    assert!(
        found.is_empty(),
        "{} English words:\n{}",
        found.len(),
        found.join("\n\n")
    );
}
