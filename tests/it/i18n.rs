//! Chinese and English messages (issue 11, "Chinese first"): the language chosen by `--lang`,
//! else `KANWU_LANG`, else the locale; the catalogue complete in both languages and used
//! from the code by id.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use crate::common::*;

/// Runs kanwu from `cwd` with none of the language variables but `env`.
fn run_with(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = kanwu_command();
    for var in ["KANWU_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(var);
    }
    c.envs(env.iter().copied())
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("kanwu runs")
}

#[test]
fn lang_zh_cn_prints_the_error_in_chinese() {
    let out = run_with(
        &root(),
        &["build", "issues/nope"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "错误: 找不到期刊文件夹 issues/nope\n = 提示：请指定一个期刊文件夹（内有 issue.toml）或其中的 issue.toml，例如 `kanwu build issues/2021-01`\n\n\
         错误: 生成失败：issues/nope；未写出 PDF\n\n"
    );
}

#[test]
fn lang_c_prints_the_error_in_english() {
    let out = run_with(&root(), &["build", "issues/nope"], &[("LANG", "C")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: no issue at issues/nope\n = hint: name an issue folder (holding issue.toml) or its issue.toml, e.g. `kanwu build issues/2021-01`\n\n\
         error: build failed: issues/nope; no PDF was written for it\n\n"
    );
}

#[test]
fn lang_flag_beats_kanwu_lang_which_beats_the_locale() {
    let args = ["build", "issues/nope"];
    let zh = "找不到期刊文件夹";
    let en = "no issue at";
    /// Flags after the command, the environment, the message expected.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 6] = [
        (
            &["--lang", "en"],
            &[("KANWU_LANG", "zh"), ("LANG", "zh_CN.UTF-8")],
            en,
        ),
        (&["--lang=zh"], &[("KANWU_LANG", "en"), ("LANG", "C")], zh),
        (&[], &[("KANWU_LANG", "zh"), ("LANG", "C")], zh),
        (&[], &[("KANWU_LANG", "en"), ("LC_ALL", "zh_CN.UTF-8")], en),
        // LC_ALL before LANG.
        (
            &[],
            &[("LC_ALL", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")],
            zh,
        ),
        // Nothing says Chinese: English.
        (&[], &[], en),
    ];
    for (flags, env, want) in cases {
        let mut all: Vec<&str> = args.to_vec();
        all.extend_from_slice(flags);
        let err = stderr(&run_with(&root(), &all, env));
        assert!(err.contains(want), "{flags:?} {env:?}: {err}");
    }
}

#[test]
fn a_missing_article_is_named_with_its_line_in_both_languages() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let manifest = std::fs::read_to_string(t.path("issue.toml"))
        .unwrap()
        .replace("[\"ai-patents.md\"]", "[\"ai-patents.md\", \"nope.md\"]");
    t.write("issue.toml", manifest);
    let args = ["build", "issues/2021-01", "-o", "x.pdf"];
    let zh = stderr(&run_with(t.root(), &args, &[("KANWU_LANG", "zh")]));
    let en = stderr(&run_with(t.root(), &args, &[("KANWU_LANG", "en")]));
    for (err, head, hint) in [
        (
            &zh,
            "错误: 文章文件 `nope.md` 不存在",
            "= 提示：请创建 issues/2021-01/nope.md，或改正文件名",
        ),
        (
            &en,
            "error: article file `nope.md` does not exist",
            "= hint: create issues/2021-01/nope.md or correct the name",
        ),
    ] {
        assert!(err.starts_with(head), "{err}");
        assert!(err.contains("┌─ issues/2021-01/issue.toml:16:"), "{err}");
        assert!(err.contains(hint), "{err}");
    }
    assert!(!t.root().join("x.pdf").exists());
}

/// The ids of a catalogue (`id = …` lines).
fn catalogue_ids(file: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("locales").join(file)).unwrap();
    text.lines()
        .filter(|l| !l.starts_with(['#', ' ']) && !l.trim().is_empty())
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.to_string()))
        .collect()
}

/// Rust files of src/, with their text up to their unit tests.
fn sources() -> Vec<(String, String)> {
    kanwu::util::walk_files(&root().join("src"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let text = match text.find("#[cfg(test)]\nmod ") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            (p.strip_prefix(root()).unwrap().display().to_string(), text)
        })
        .collect()
}

#[test]
fn every_message_id_used_is_in_the_catalogue_and_every_id_is_used() {
    let ids = catalogue_ids("en.ftl");
    assert_eq!(ids, catalogue_ids("zh-CN.ftl"), "the two catalogues' ids");
    let mut used = BTreeSet::new();
    let mut literals = BTreeSet::new();
    for (file, text) in sources() {
        // The catalogue's own module names ids only in its documentation.
        if file.ends_with("i18n.rs") {
            continue;
        }
        for call in ["msg!(", "tr("] {
            for (i, _) in text.match_indices(call) {
                // `tr(`, not `push_str(`.
                if text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = text[i + call.len()..].trim_start();
                if let Some(rest) = rest.strip_prefix('"') {
                    used.insert(rest[..rest.find('"').unwrap()].to_string());
                }
            }
        }
        // Every id quoted anywhere: ids named through a constant count as used.
        for id in &ids {
            if text.contains(&format!("\"{id}\"")) {
                literals.insert(id.clone());
            }
        }
    }
    let missing: Vec<_> = used.difference(&ids).collect();
    assert!(
        missing.is_empty(),
        "used but not in the catalogue: {missing:?}"
    );
    // The help's ids are made from the commands' and arguments' names (cli/lang.rs); the
    // help test below checks them.
    let unused: Vec<_> = ids
        .iter()
        .filter(|id| !literals.contains(*id) && !id.starts_with("help-"))
        .collect();
    assert!(
        unused.is_empty(),
        "in the catalogue but never used: {unused:?}"
    );
}

/// What is practical to check: no `Diagnostic::error`/`warning` (outside unit tests) is made
/// from a string literal or a `format!` of one: its text comes from the catalogue.
#[test]
fn no_diagnostic_is_made_from_an_english_literal() {
    let mut found = Vec::new();
    for (file, text) in sources() {
        if file.ends_with("i18n.rs") {
            continue;
        }
        for call in ["Diagnostic::error(", "Diagnostic::warning(", ".hint("] {
            for (i, _) in text.match_indices(call) {
                let arg = text[i + call.len()..].trim_start();
                let literal = arg.starts_with('"') || arg.starts_with("format!(\"");
                let english = arg.split('"').nth(1).is_some_and(|s| {
                    s.split(' ')
                        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_alphabetic()))
                        .count()
                        >= 2
                });
                if literal && english {
                    let line = text[..i].matches('\n').count() + 1;
                    found.push(format!("{file}:{line}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "English literals in diagnostics: {found:?}"
    );
}

const COMMANDS: [&str; 16] = [
    "build",
    "check",
    "extract",
    "release",
    "verify",
    "catalog",
    "init",
    "new",
    "watch",
    "serve",
    "preview",
    "stats",
    "import",
    "export",
    "fonts",
    "completions",
];

#[test]
fn every_command_has_help_in_both_languages_ending_with_examples() {
    for command in COMMANDS {
        let zh = run_with(&root(), &["--lang", "zh", command, "--help"], &[]);
        let zh = String::from_utf8_lossy(&zh.stdout).into_owned();
        assert!(zh.contains("用法："), "{command}: {zh}");
        assert!(zh.contains("选项"), "{command}: {zh}");
        assert!(zh.contains("示例：\n  kanwu "), "{command}: {zh}");
        assert!(!zh.contains("(default"), "{command}: English left: {zh}");
        let en = run_with(&root(), &["--lang", "en", command, "--help"], &[]);
        let en = String::from_utf8_lossy(&en.stdout).into_owned();
        assert!(en.contains("Usage:"), "{command}: {en}");
        assert!(en.contains("Examples:\n  kanwu "), "{command}: {en}");
    }
    let top = run_with(&root(), &["--help"], &[("KANWU_LANG", "zh")]);
    let top = String::from_utf8_lossy(&top.stdout).into_owned();
    assert!(
        top.contains("命令") && top.contains("中文内部资料"),
        "{top}"
    );
}

/// Issue 11: `catalog` refuses the stub text `new` wrote, naming the article and its line,
/// and writes nothing.
#[test]
fn catalog_refuses_the_placeholder_text_new_wrote() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let out = t.project.run(&["new", "--date", "2021-02-20"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = t.project.run(&["catalog"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "error: issues/2021-02/news.md still has the placeholder title written when the issue was made"
        ),
        "{err}"
    );
    assert!(err.contains("┌─ issues/2021-02/news.md:2:"), "{err}");
    assert!(err.contains("no catalogue written: "), "{err}");
    assert!(!t.root().join("out/catalog.pdf").exists());
    assert!(!t.root().join("out/catalog.json").exists());
}

/// Issue 11: one set of flags — preview writes into `--out-dir` (`-o` kept as an alias),
/// and `new` takes `--font-path` like the others; `completions` prints a script.
#[test]
fn shared_flags_out_dir_font_path_and_completions() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    for flag in ["--out-dir", "-o"] {
        let out = t.project.run(&[
            "preview",
            "issues/2021-01",
            "--pages",
            "1",
            "--ppi",
            "20",
            flag,
            "png",
        ]);
        assert!(out.status.success(), "{flag}: {}", stderr(&out));
        assert!(t.root().join("png/page-1.png").is_file(), "{flag}");
        std::fs::remove_dir_all(t.root().join("png")).unwrap();
    }
    let out = t
        .project
        .run(&["new", "--date", "2021-02-20", "--font-path", "fonts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = t.project.run(&["completions", "bash"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("complete -F _kanwu"));
}
