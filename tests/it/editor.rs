//! The editor's month: `kanwu new` and `kanwu stats`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

/// Every file under `dir` with its content: to check that a failed command changed nothing.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.insert(
                    p.strip_prefix(base).unwrap().display().to_string() + "/",
                    vec![],
                );
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

fn manifest(dir: &Path) -> toml::Table {
    std::fs::read_to_string(dir.join("issue.toml"))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn new_after_the_sample_is_2021_02_number_2_serial_26_and_it_builds() {
    let t = TempIssue::sample();
    let issues = t.root().join("issues");
    // No ISSUE_DIR: the default folder under --root's issues/.
    let out = kanwu(
        &root(),
        &[
            "new",
            "--root",
            t.root().to_str().unwrap(),
            "--date",
            "2021-02-20",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let new = issues.join("2021-02");
    assert!(
        stdout.contains("2021-02") && stdout.contains("next:"),
        "{stdout}"
    );
    let m = manifest(&new);
    let issue = m["issue"].as_table().unwrap();
    assert_eq!(issue["year"].as_integer(), Some(2021));
    assert_eq!(issue["number"].as_integer(), Some(2));
    assert_eq!(issue["serial"].as_integer(), Some(26));
    assert_eq!(issue["date"].to_string(), "2021-02-20");
    assert_eq!(issue["copies"].as_integer(), Some(200));
    let kinds: Vec<&str> = m["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["editors-note", "news", "trends", "reports"]);
    for s in m["sections"].as_array().unwrap() {
        let articles = s["articles"].as_array().unwrap();
        assert_eq!(articles.len(), 1, "one stub per section");
        assert!(new.join(articles[0].as_str().unwrap()).is_file());
    }
    // The previous issue is untouched.
    assert_eq!(snapshot(&t.issue), snapshot(&root().join("issues/2021-01")));

    let pdf = t.root().join("2021-02.pdf");
    let out = kanwu(
        &root(),
        &["build", new.to_str().unwrap(), "-o", pdf.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "the new issue builds:\n{}",
        stderr(&out)
    );
    if let Some(text) = pdftotext(&pdf) {
        let flat = squash(&text);
        assert!(flat.contains("2021年第2期（总第26期）"), "{flat}");
        assert!(flat.contains("2021年2月20日"), "{flat}");
    }
}

#[test]
fn new_after_a_december_issue_is_number_1_of_the_next_year() {
    let t = TempIssue::sample();
    let m = std::fs::read_to_string(t.path("issue.toml"))
        .unwrap()
        .replace("number = 1\n", "number = 12\n")
        .replace("date = 2021-01-20", "date = 2021-12-20");
    t.write("issue.toml", m);
    let target = t.root().join("issues/next");
    let out = kanwu(
        &root(),
        &["new", target.to_str().unwrap(), "--date", "2022-01-18"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let m = manifest(&target);
    let issue = m["issue"].as_table().unwrap();
    assert_eq!(issue["year"].as_integer(), Some(2022));
    assert_eq!(issue["number"].as_integer(), Some(1));
    assert_eq!(issue["serial"].as_integer(), Some(26));

    // And the default name follows the new year: 2022-01.
    let out = kanwu(
        &root(),
        &[
            "new",
            "--root",
            t.root().to_str().unwrap(),
            "--from",
            t.issue.to_str().unwrap(),
            "--date",
            "2022-01-18",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(t.root().join("issues/2022-01/issue.toml").is_file());
}

#[test]
fn new_into_an_existing_folder_is_an_error_and_changes_nothing() {
    let t = TempIssue::sample();
    let issues = t.root().join("issues");
    std::fs::create_dir(issues.join("2021-02")).unwrap();
    std::fs::write(issues.join("2021-02/notes.txt"), "mine").unwrap();
    let before = snapshot(&issues);
    for args in [
        vec![
            "new",
            "--root",
            t.root().to_str().unwrap(),
            "--date",
            "2021-02-20",
        ],
        vec!["new", t.issue.to_str().unwrap(), "--date", "2021-02-20"],
    ] {
        let out = kanwu(&root(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(snapshot(&issues), before, "nothing changed");
    }
    // A date that is not a date is a usage error.
    let out = kanwu(
        &root(),
        &[
            "new",
            "--root",
            t.root().to_str().unwrap(),
            "--date",
            "2021-02-30",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(snapshot(&issues), before);
}

/// tests/fixtures/stats, counted by hand (body text only; title and source are not counted):
///
/// count.md:
///   「一二三四五。」          汉字 5, chars 6,  paragraph 1
///   「## 标题」               汉字 2, chars 2,  heading 1
///   「ABC 六七，八九十。」    汉字 5, chars 10 (A B C 六 七 ， 八 九 十 。), paragraph 1
///   「- 甲乙」「- 丙」        汉字 3, chars 3,  paragraphs 2 (one per list item)
///   「![图一](…)」            汉字 2, chars 2,  image 1 (the caption counts)
///   total                     汉字 17, chars 23, paragraphs 4, headings 1, images 1
/// note.md: 「你好。」          汉字 2, chars 3,  paragraph 1
/// issue                       汉字 19, chars 26, paragraphs 5, headings 1, images 1
#[test]
fn stats_match_a_hand_count() {
    let t = TempIssue::copy(
        &fixtures().join("stats"),
        "2021-09",
        &fixtures().join("publication.toml"),
    );
    let png = t.path("images/one.png");
    std::fs::create_dir_all(png.parent().unwrap()).unwrap();
    image::RgbImage::from_pixel(1200, 600, image::Rgb([30, 90, 160]))
        .save(&png)
        .unwrap();

    let out = kanwu(
        &root(),
        &["stats", t.issue.to_str().unwrap(), "--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let counts = |c: &serde_json::Value| {
        ["hanzi", "chars", "paragraphs", "headings", "images"].map(|k| c[k].as_u64().unwrap())
    };
    let note = &v["sections"][0]["articles"][0];
    let count = &v["sections"][1]["articles"][0];
    assert_eq!(count["file"], "count.md");
    assert_eq!(counts(count), [17, 23, 4, 1, 1]);
    assert_eq!(counts(note), [2, 3, 1, 0, 0]);
    assert_eq!(counts(&v["sections"][1]["total"]), [17, 23, 4, 1, 1]);
    assert_eq!(counts(&v["total"]), [19, 26, 5, 1, 1]);
    // The issue has 2 pages; the editor's note starts on the masthead page, and the short
    // article follows it there.
    assert_eq!(v["pages"], 2, "{v}");
    assert_eq!(note["page"], 1);
    assert_eq!(count["page"], 1, "{v}");

    // The table for people names the article and the totals.
    let out = kanwu(&root(), &["stats", t.issue.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("统计测试 (count.md)"), "{table}");
    let line = table.lines().find(|l| l.contains("count.md")).unwrap();
    let nums: Vec<&str> = line.split_whitespace().take(6).collect();
    assert_eq!(nums, ["1", "17", "23", "4", "1", "1"], "{table}");
    assert!(table.contains("issue 2021-09 total"), "{table}");
}

#[test]
fn preview_writes_png_pages_of_the_right_size() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("png");
    let out = kanwu(
        &root(),
        &[
            "preview",
            "issues/2021-01",
            "--pages",
            "2-3",
            "--ppi",
            "96",
            "-o",
            dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["page-2.png", "page-3.png"]);
    // A4 at 96 ppi: 210 mm × 297 mm → 794 × 1123 px, read from the PNG header.
    let img = image::open(dir.join("page-2.png")).unwrap();
    assert_eq!((img.width(), img.height()), (794, 1123));
    // Not blank: the page has dark text on it.
    let dark = img.to_luma8().pixels().filter(|p| p.0[0] < 100).count();
    assert!(dark > 5000, "{dark} dark pixels");
    // A page past the end is an error naming the count.
    let out = kanwu(
        &root(),
        &[
            "preview",
            "issues/2021-01",
            "--pages",
            "40",
            "-o",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("page 40 does not exist: the issue has 10 pages"),
        "{}",
        stderr(&out)
    );
    let out = kanwu(&root(), &["preview", "issues/2021-01", "--pages", "3-1"]);
    assert_eq!(out.status.code(), Some(2));

    // The bulletin: the same page size on A4, text on page 2, its own page count (18).
    let t = sample_in("bulletin", "a4");
    let out = t.run_on_issue("preview", &["--pages", "2", "--ppi", "96", "-o", "png"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let img = image::open(t.root().join("png/page-2.png")).unwrap();
    assert_eq!((img.width(), img.height()), (794, 1123));
    let dark = img.to_luma8().pixels().filter(|p| p.0[0] < 100).count();
    assert!(dark > 5000, "bulletin: {dark} dark pixels");
    let out = t.run_on_issue("preview", &["--pages", "40", "-o", "png"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("page 40 does not exist: the issue has 18 pages"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------- rough edges a new user hits (issue 11)

/// Runs kanwu with its standard output a pipe whose reader has gone (`kanwu fonts | head`
/// once head has its lines): the reader is closed before kanwu has written anything.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = kanwu_command()
        .current_dir(root())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kanwu runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("kanwu ends")
}

#[test]
fn broken_pipe_ends_quietly_with_exit_0() {
    for args in [
        &["fonts"][..],
        &["stats", "issues/2021-01", "--format", "json"],
    ] {
        let out = with_closed_stdout(args);
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.contains("Broken pipe"), "{args:?}: {err}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
    }
}

#[test]
fn booklet_with_all_writes_a_booklet_for_every_issue() {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    let second = t.project.add_issue(&t.issue, "2021-02");
    let toml = std::fs::read_to_string(second.join("issue.toml")).unwrap();
    std::fs::write(
        second.join("issue.toml"),
        toml.replace("number = 1", "number = 2"),
    )
    .unwrap();
    let out = t
        .project
        .run(&["build", "--all", "--profile", "print", "--booklet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for issue in ["2021-01", "2021-02"] {
        for file in [
            format!("{issue}.print.pdf"),
            format!("{issue}.print.toml"),
            format!("{issue}.booklet.pdf"),
        ] {
            assert!(t.project.join(&format!("out/{file}")).is_file(), "{file}");
        }
        let ticket =
            std::fs::read_to_string(t.project.join(&format!("out/{issue}.print.toml"))).unwrap();
        assert!(
            ticket.contains(&format!("booklet = \"{issue}.booklet.pdf\"")),
            "{ticket}"
        );
    }
}

#[test]
fn fonts_are_shown_as_regular_400() {
    let out = kanwu(&root(), &["fonts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("FontWeight"), "{stdout}");
    let wenkai = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("LXGW WenKai"))
        .expect("LXGW WenKai listed");
    assert!(wenkai.contains("Regular 400"), "{wenkai}");
    assert!(stdout.contains("Bold 700"), "{stdout}");
}

#[test]
fn build_all_table_aligns_chinese_folder_names_by_display_width() {
    let t = TempProject::new().with_sample();
    t.project
        .add_issue(&root().join("issues/2021-01"), "二〇二一年第二期");
    let out = kanwu(
        &root(),
        &["build", "--all", t.root().join("issues").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    use unicode_width::UnicodeWidthStr;
    // Where the pages column ends, in terminal columns, on the header and on each row.
    let ends: Vec<usize> = stdout
        .lines()
        .take(3)
        .map(|l| {
            let name = l.split_whitespace().next().unwrap();
            let rest = &l[name.len()..];
            let pages = rest.split_whitespace().next().unwrap();
            let end = name.len() + rest.find(pages).unwrap() + pages.len();
            l[..end].width()
        })
        .collect();
    assert_eq!(ends.len(), 3, "{stdout}");
    assert!(ends.iter().all(|e| *e == ends[0]), "{ends:?}\n{stdout}");
}

#[test]
fn watch_prints_what_it_watches_and_how_to_stop() {
    use std::io::BufRead;
    let t = TempIssue::sample();
    let out_pdf = t.root().join("watch.pdf");
    let mut child = kanwu_command()
        .current_dir(root())
        .args([
            "watch",
            t.issue.to_str().unwrap(),
            "-o",
            out_pdf.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kanwu watch runs");
    // Lines as they come, on a thread: a kanwu that never says it is watching must fail the
    // test, not hang it.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let mut seen = Vec::new();
    let found = loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => {
                let done = l.contains("按 Ctrl-C 停止");
                seen.push(l);
                if done {
                    break true;
                }
            }
            Err(_) => break false,
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(found, "{seen:?}");
    let line = seen.last().unwrap();
    assert!(
        line.starts_with("watching ")
            && line.contains("publication.toml")
            && line.contains("layout"),
        "{line}"
    );
}

#[test]
fn check_warns_on_the_placeholder_text_new_wrote() {
    let t = TempIssue::sample();
    let out = kanwu(
        &root(),
        &[
            "new",
            "--root",
            t.root().to_str().unwrap(),
            "--date",
            "2021-02-20",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let new = t.root().join("issues/2021-02");
    let out = kanwu(
        &root(),
        &["check", new.to_str().unwrap(), "--profile", "screen"],
    );
    let err = stderr(&out);
    assert!(
        err.contains("news.md still has the placeholder title written when the issue was made"),
        "{err}"
    );
    assert!(err.contains("（行业动态标题）"), "{err}");
    assert!(
        err.contains("editors-note.md still has the placeholder editor's note"),
        "{err}"
    );
    // The editor's note has no title: it is not told to change one (issue 22).
    assert!(
        err.contains("replace it with this issue's editor's note (the note has no title)"),
        "{err}"
    );
    assert_eq!(
        err.matches("replace it with the article's own title")
            .count(),
        err.matches("placeholder title").count(),
        "{err}"
    );
    // The placeholders are in check's table too, and it does not then say there is nothing.
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("placeholder"), "{table}");
    assert!(!table.contains("no problems"), "{table}");
    // Replaced, the warnings go.
    std::fs::write(
        new.join("news.md"),
        "+++\ntitle = \"真正的标题\"\n+++\n\n正文。\n",
    )
    .unwrap();
    let out = kanwu(
        &root(),
        &["check", new.to_str().unwrap(), "--profile", "screen"],
    );
    assert!(
        !stderr(&out).contains("news.md still has"),
        "{}",
        stderr(&out)
    );
}
