//! The command line's shared flags and its own errors (issue 11): `--root` on `extract`,
//! `--format json` on `fonts`, `verify` and `build --all` (parsed as a script would), and
//! clap's parse errors in Chinese and English with exit 2.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::*;

fn archive_issues() -> PathBuf {
    fixtures().join("archive/issues")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stdout as JSON (the whole of it: nothing else is printed there).
fn json(out: &Output) -> Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(out), stderr(out)))
}

/// One back issue, `issues/2021-02`, in a project of its own.
fn one_issue() -> TempProject {
    let t = TempProject::new()
        .link_layout()
        .own_fonts()
        .publication(&archive_issues().join("publication.toml"));
    t.add_issue(&archive_issues().join("2021-02"), "2021-02");
    t
}

/// Runs kanwu from `cwd` in `lang` (`KANWU_LANG`), the locale variables removed.
fn run_in(lang: &str, cwd: &Path, args: &[&str]) -> Output {
    let mut c = kanwu_command();
    for var in ["LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        c.env_remove(var);
    }
    c.env("KANWU_LANG", lang)
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("kanwu runs")
}

#[test]
fn extract_writes_into_issues_under_root_by_default() {
    let t = one_issue();
    let pdf = t.join("a.pdf");
    let out = t.run(&[
        "build",
        "issues/2021-02",
        "--profile",
        "archive",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let restored = TempProject::new();
    // Run from elsewhere: --root says where the project is.
    let out = kanwu(
        t.path(),
        &[
            "extract",
            pdf.to_str().unwrap(),
            "--root",
            restored.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for name in ["publication.toml", "2021-02/issue.toml", "2021-02/delta.md"] {
        assert_eq!(
            std::fs::read(restored.join("issues").join(name)).unwrap(),
            std::fs::read(archive_issues().join(name)).unwrap(),
            "{name}"
        );
    }
    // A DIR given still wins.
    let dir = restored.join("elsewhere");
    let out = kanwu(
        t.path(),
        &["extract", pdf.to_str().unwrap(), dir.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("2021-02/issue.toml").is_file());
}

#[test]
fn fonts_format_json_lists_the_roles_and_every_face() {
    let out = kanwu(&root(), &["fonts", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert!(v["layout"].is_string(), "{v}");
    let roles = v["roles"].as_array().unwrap();
    assert!(!roles.is_empty(), "{v}");
    for r in roles {
        assert!(r["role"].is_string() && r["family"].is_string(), "{r}");
        assert_eq!(r["found"], true, "{r}");
    }
    let fonts = v["fonts"].as_array().unwrap();
    assert!(!fonts.is_empty(), "{v}");
    for f in fonts {
        assert!(f["file"].as_str().unwrap().starts_with("fonts/"), "{f}");
        assert!(f["family"].is_string(), "{f}");
        assert!((100..=900).contains(&f["weight"].as_u64().unwrap()), "{f}");
        assert!(["normal", "italic", "oblique"].contains(&f["style"].as_str().unwrap()));
    }
    // Every role is given to a face of its family.
    for r in roles {
        let role = r["role"].as_str().unwrap();
        assert!(
            fonts
                .iter()
                .any(|f| f["roles"].as_array().unwrap().iter().any(|x| x == role)),
            "no face has role {role}: {v}"
        );
    }
}

#[test]
fn verify_format_json_says_ok_then_names_the_change() {
    let t = one_issue();
    let out = t.run(&["release", "issues/2021-02"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = t.run(&["verify", "--all", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["ok"], true, "{v}");
    let issue = &v["issues"][0];
    assert_eq!(issue["issue"], "2021-02", "{v}");
    assert_eq!(issue["ok"], true, "{v}");
    assert!(issue["inputs"].as_u64().unwrap() > 0, "{v}");
    assert!(issue["outputs"].as_array().unwrap().len() >= 2, "{v}");
    assert_eq!(issue["changes"], serde_json::json!([]), "{v}");

    let article = t.join("issues/2021-02/delta.md");
    let mut text = std::fs::read_to_string(&article).unwrap();
    text.push_str("\n又及：补充一句。\n");
    std::fs::write(&article, text).unwrap();
    let out = t.run(&["verify", "issues/2021-02", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(v["issues"][0]["issue"], "2021-02", "{v}");
    assert_eq!(v["issues"][0]["ok"], false, "{v}");
    let changes = v["issues"][0]["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c
            .as_str()
            .unwrap()
            .contains("article 2021-02/delta.md changed since the release")),
        "{v}"
    );
}

#[test]
fn build_all_format_json_has_one_entry_per_issue() {
    let t = one_issue();
    t.write("issues/2021-03/issue.toml", "number = \"three\"\n");
    let out = t.run(&["build", "--all", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["built"], 1, "{v}");
    assert_eq!(v["failed"], 1, "{v}");
    let issues = v["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 2, "{v}");
    let good = issues.iter().find(|i| i["issue"] == "2021-02").unwrap();
    assert_eq!(good["ok"], true, "{v}");
    assert!(good["pages"].as_u64().unwrap() > 0, "{v}");
    assert!(good["bytes"].as_u64().unwrap() > 1000, "{v}");
    assert_eq!(good["warnings"], 0, "{v}");
    assert!(
        t.path().join(good["pdf"].as_str().unwrap()).is_file(),
        "{v}"
    );
    let bad = issues.iter().find(|i| i["issue"] == "2021-03").unwrap();
    assert_eq!(bad["ok"], false, "{v}");
    assert!(bad.get("pdf").is_none(), "{v}");
    // Without --all there is no table to print as JSON: a usage error.
    let out = t.run(&["build", "issues/2021-02", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--format json goes with --all"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_argument_is_said_in_chinese_and_in_english_with_exit_2() {
    let zh = run_in(
        "zh",
        &root(),
        &["build", "issues/2021-01", "--prfile", "print"],
    );
    assert_eq!(zh.status.code(), Some(2));
    assert_eq!(
        stderr(&zh),
        "错误：无法识别的参数 '--prfile'\n  提示：您是否想用 '--profile'？\n\n\
         用法： kanwu build --profile <PROFILE> <ISSUE>...\n\n更多信息请运行 '--help'。\n"
    );
    let en = run_in(
        "en",
        &root(),
        &["build", "issues/2021-01", "--prfile", "print"],
    );
    assert_eq!(en.status.code(), Some(2));
    let err = stderr(&en);
    assert!(
        err.starts_with("error: unexpected argument '--prfile' found"),
        "{err}"
    );
    assert!(err.contains("'--profile'"), "{err}");
    assert!(err.contains("For more information, try '--help'."), "{err}");
}

#[test]
fn clap_errors_in_chinese_name_the_argument_the_value_and_the_choices() {
    // (arguments, what the Chinese error says)
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &["check", "issues/2021-01", "--format", "xml"],
            &[
                "错误：参数 '--format <FORMAT>' 的值 'xml' 无效",
                "[可选值：table、json]",
            ],
        ),
        (
            &["build", "issues/2021-01", "--profile"],
            &["错误：参数 '--profile <PROFILE>' 需要一个值，但没有给出"],
        ),
        (&["biuld"], &["错误：没有 'biuld' 这个命令", "'build'"]),
        (
            &["export", "issues/2021-01"],
            &["错误：缺少必需的参数：--to <TO>"],
        ),
        (
            &["serve", "--port", "abc"],
            &["错误：参数 '--port <PORT>' 的值 'abc' 无效："],
        ),
    ];
    for (args, want) in cases {
        let out = run_in("zh", &root(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        for w in want {
            assert!(err.contains(w), "{args:?}: {err}");
        }
        assert!(
            err.ends_with("更多信息请运行 '--help'。\n"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("error:"), "{args:?}: English left: {err}");
    }
    // Help is not an error: exit 0, and its defaults and choices are in Chinese.
    let out = run_in("zh", &root(), &["stats", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    assert!(
        help.contains("[默认：table] [可选值：table、json]"),
        "{help}"
    );
    assert!(!help.contains("[default"), "{help}");
}

/// Issue 22, item 6: `build` without an issue builds the latest, as serve, new and import do.
#[test]
fn build_without_an_issue_builds_the_latest() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let out = t.project.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no issue folder named: building the latest issue"),
        "{}",
        stderr(&out)
    );
    assert!(t.project.join("out/2021-01.pdf").is_file());
}

/// Issue 22, item 6: the phone images are listed each with its size, the time once.
#[test]
fn export_of_several_files_says_the_time_once() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let out = t
        .project
        .run(&["export", "issues/2021-01", "--to", "images"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    let wrote: Vec<&str> = said.lines().filter(|l| l.starts_with("wrote ")).collect();
    assert!(wrote.len() > 2, "{said}");
    assert!(wrote.iter().all(|l| !l.contains(" ms")), "{said}");
    assert_eq!(said.matches(" ms").count(), 1, "{said}");
    assert!(
        said.contains(&format!("{} files in ", wrote.len())),
        "{said}"
    );
}

/// Issue 22, items 5 and 6: outside a project, Chinese first says what is wrong (no stray
/// space), then why, in Chinese; export's help names the phone images.
#[test]
fn outside_a_project_the_reason_comes_first_and_in_chinese() {
    let empty = TempProject::new();
    let out = run_in("zh", empty.path(), &["check", "issues/2021-01"]);
    let err = stderr(&out);
    assert!(err.starts_with("错误: 当前文件夹不是 kanwu 项目"), "{err}");
    assert!(!err.contains("os error"), "{err}");
    for lang in ["zh", "en"] {
        let out = run_in(lang, &root(), &["export", "--help"]);
        assert!(stdout(&out).contains("images"), "{lang}: {}", stdout(&out));
    }
}
