//! The house rules of issue "The house", checked on every test run: the layers of `src/` import
//! downwards only, no room grows past 600 lines, names both sides must agree on are spelled
//! once, and the refactoring that made them moved code without changing one output byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{kanwu, root, sha256, stderr};

/// The layers of `src/`, lowest first. A file may use its own folder and lower layers only
/// (`use crate::x` and inline `crate::x::` paths alike); `editor` and `archive` share a layer
/// and must not use each other. `cli/` is the binary's and reaches the library as `kanwu::`.
const LAYERS: [(&str, u32); 11] = [
    ("i18n", 0),
    ("diag", 1),
    ("util", 2),
    ("model", 3),
    ("typeset", 4),
    ("print", 5),
    ("project", 6),
    ("editor", 7),
    ("export", 7),
    // A release records the editions `export` makes.
    ("archive", 8),
    ("cli", 9),
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    kanwu::util::walk_files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect()
}

/// `src/model/date.rs` → `model`; `src/project.rs` → `project`.
fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a file names through `crate::` (in `use` and in inline paths,
/// including `use crate::{a, b}` groups).
fn crate_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        } else {
            out.push(
                rest.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out.retain(|n| !n.is_empty());
    out
}

#[test]
fn the_layers_of_src_import_downwards_only() {
    let src = root().join("src");
    let rank: BTreeMap<&str, u32> = LAYERS.into_iter().collect();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for file in rust_files(&src) {
        let from = top_module(&src, &file);
        if from == "lib" || from == "main" {
            continue;
        }
        let from_rank = *rank
            .get(from.as_str())
            .unwrap_or_else(|| panic!("{from} (in {}) is in no layer", file.display()));
        let text = std::fs::read_to_string(&file).unwrap();
        for to in crate_refs(&text) {
            checked += 1;
            if to == from {
                continue;
            }
            match rank.get(to.as_str()) {
                Some(r) if *r < from_rank => {}
                _ => wrong.push(format!("{} uses crate::{to}", file.display())),
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} references found: is the scan right?"
    );
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_room_is_over_600_lines_main_only_dispatches_and_project_is_a_facade() {
    let src = root().join("src");
    let lines = |p: &Path| std::fs::read_to_string(p).unwrap().lines().count();
    let big: Vec<String> = rust_files(&src)
        .into_iter()
        .filter(|p| lines(p) > 600)
        .map(|p| format!("{} ({} lines)", p.display(), lines(&p)))
        .collect();
    assert!(big.is_empty(), "{big:?}");
    assert!(lines(&src.join("main.rs")) <= 80);
    assert!(lines(&src.join("project.rs")) <= 300);
}

/// Every line of `src/` (outside `allowed`) that contains `needle`.
fn occurrences(needle: &str, allowed: &[&str]) -> Vec<String> {
    let src = root().join("src");
    let mut out = Vec::new();
    for file in rust_files(&src) {
        let rel = file
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if allowed.contains(&rel.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.contains(needle) {
                out.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    out
}

#[test]
fn names_two_parts_must_agree_on_are_written_once() {
    let contract = ["src/typeset/layout.rs"];
    for needle in [
        "kanwu-section-",
        "kanwu-article-",
        "kanwu-fonts",
        "kanwu-margins",
        "kanwu-blank-page",
        "fn label_page",
        "#import \\\"",
        "font \\\"{family}\\\" is not available",
    ] {
        let found = occurrences(needle, &contract);
        assert!(
            found.is_empty(),
            "{needle} outside the layout contract: {found:?}"
        );
    }
    // One function writes a date; one parses one; one knows the calendar.
    let date = ["src/model/date.rs"];
    for needle in ["{:02}-{:02}", "fn parse_date", "leap", "civil_from_days"] {
        let found = occurrences(needle, &date);
        assert!(
            found.is_empty(),
            "{needle} outside model/date.rs: {found:?}"
        );
    }
    // One writer of issue.toml, one sorted walk, one atomic write.
    // (a template writer spells `[[sections]]\nkind = {}`; a hint may show the table.)
    assert!(occurrences("[[sections]]\\nkind = {", &["src/model/issue_toml.rs"]).is_empty());
    // toml_edit: the new issue.toml, and the desk's edits in place of manifests and of an
    // article's front matter.
    assert!(
        occurrences(
            "toml_edit::",
            &[
                "src/model/issue_toml.rs",
                "src/model/edits.rs",
                "src/model/article_edit.rs"
            ]
        )
        .is_empty()
    );
    for needle in ["read_dir(", "tempfile_in(", "fn sha256_file", "fn hex("] {
        let found = occurrences(needle, &["src/util.rs"]);
        assert!(found.is_empty(), "{needle} outside util.rs: {found:?}");
    }
}

/// The sample's PDFs in every profile, as the refactoring found them (built from d3ada3e).
///
/// These change on purpose when the layout, the fonts or kanwu's version string (printed into
/// the PDF's creator and the print slug) change. Then rebuild and take the new hashes:
/// `kanwu build issues/2021-01 -o /tmp/s/screen.pdf`, `… --profile print --booklet -o
/// /tmp/s/p.print.pdf`, `… --profile archive -o /tmp/s/a.pdf`, `sha256sum /tmp/s/*.pdf`, and
/// say in the commit why the bytes changed.
const SAMPLE_SHA256: [(&str, &str); 4] = [
    (
        "screen.pdf",
        "6493e6ea82960336335a1a1eaeca45add05b0d3110638140d94af989b5a152ea",
    ),
    (
        "p.print.pdf",
        "9d24bc95152b2c333e15d3e6883700d20d90ca3240ea91c95d192d56e410d15f",
    ),
    (
        "2021-01.booklet.pdf",
        "3c1bdb1c8cb6deecfb8ac5d90a41c98b7c9beee171cbd40e9101cbb1e2416d07",
    ),
    (
        "a.archive.pdf",
        "5a2b9f1c3160d3f4384c906d1c547c3fb876ca4ecea65b78acba9d6c2b641d14",
    ),
];

#[test]
fn the_sample_pdfs_keep_their_bytes_in_every_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let at = |name: &str| tmp.path().join(name).to_str().unwrap().to_string();
    for args in [
        vec!["build", "issues/2021-01", "-o", &at("screen.pdf")],
        vec![
            "build",
            "issues/2021-01",
            "--profile",
            "print",
            "--booklet",
            "-o",
            &at("p.print.pdf"),
        ],
        vec![
            "build",
            "issues/2021-01",
            "--profile",
            "archive",
            "-o",
            &at("a.archive.pdf"),
        ],
    ] {
        let out = kanwu(&root(), &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    for (name, want) in SAMPLE_SHA256 {
        assert_eq!(sha256(&tmp.path().join(name)), want, "{name} changed");
    }
}
