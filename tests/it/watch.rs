//! `kanwu watch`: an edit rebuilds the PDF; a broken manifest keeps the last good PDF and the
//! watcher alive; a fix rebuilds again. Every wait is bounded.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::*;

struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Watching {
    /// The next stdout line that contains `what`, within 60 s.
    fn wait_for(&mut self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(what) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line with `{what}` from kanwu watch within 60 s"),
            }
        }
    }
}

impl Watching {
    /// No rebuild happens without a change (a rebuild reading files must not trigger another).
    fn assert_quiet(&mut self, for_: Duration) {
        if let Ok(line) = self.lines.recv_timeout(for_) {
            panic!("kanwu watch rebuilt with nothing changed: {line}");
        }
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `kanwu watch ISSUE -o PDF` with its stdout read line by line on a thread.
fn spawn_watch(issue: &std::path::Path, pdf: &std::path::Path) -> Watching {
    let mut child = kanwu_command()
        .current_dir(root())
        .args([
            "watch",
            issue.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Watching { child, lines }
}

fn pdf_text(pdf: &std::path::Path) -> String {
    squash(&pdf_text_lopdf(pdf).1)
}

#[test]
fn watch_rebuilds_on_edit_keeps_the_last_pdf_on_error_and_recovers() {
    let t = TempIssue::sample();
    let pdf = t.out();
    let mut w = spawn_watch(&t.issue, &pdf);
    w.wait_for("built");
    assert!(pdf_text(&pdf).contains("随着科技飞速发展"));

    // Edit one paragraph: the PDF changes and holds the new text.
    let article = t.path("ai-patents.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replace("随着科技飞速发展", "随着科技飞速发展（编辑修改）"),
    )
    .unwrap();
    let line = w.wait_for("rebuilt");
    assert!(line.contains(" ms"), "{line}");
    assert!(
        pdf_text(&pdf).contains("随着科技飞速发展（编辑修改）"),
        "the edit is not in the PDF"
    );
    w.assert_quiet(Duration::from_millis(1500));

    // Break the manifest: the last good PDF stays, the watcher lives on.
    let good = sha256(&pdf);
    let manifest = t.path("issue.toml");
    let original = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, original.replace("number = 1", "number = \"一\"")).unwrap();
    w.wait_for("failed: kept the last good");
    assert_eq!(sha256(&pdf), good, "a failed rebuild touched the PDF");
    assert!(w.child.try_wait().unwrap().is_none(), "the watcher died");

    // Fix it, and add an article to the manifest: picked up without a restart.
    t.write(
        "late.md",
        "+++\ntitle = \"临时增加的文章\"\n+++\n新增的正文。\n",
    );
    let fixed = original.replace(
        "articles = [\"ai-patents.md\"]",
        "articles = [\"ai-patents.md\", \"late.md\"]",
    );
    std::fs::write(&manifest, fixed).unwrap();
    w.wait_for("rebuilt");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("临时增加的文章") && text.contains("新增的正文。"),
        "the added article is missing"
    );
}

/// Puts a marker into the sample's first article; `wait_for("rebuilt")` then shows whether
/// the watcher saw the edit, and the PDF whether it was built.
fn edit_and_see(w: &mut Watching, t: &TempIssue, pdf: &std::path::Path, marker: &str) {
    let article = t.path("ai-patents.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        &article,
        text.replacen("随着科技飞速发展", &format!("随着科技飞速发展{marker}"), 1),
    )
    .unwrap();
    // A rebuild may first see a half-copied folder and fail; the one after it must hold the edit.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        w.wait_for("rebuilt");
        if pdf_text(pdf).contains(marker) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the edit {marker} never reached the PDF"
        );
    }
}

#[test]
fn watch_survives_the_issue_folder_deleted_and_copied_back_at_once() {
    let t = TempIssue::sample();
    let pdf = t.root().join("w.pdf");
    let saved = t.root().join("saved-copy");
    copy_dir(&t.issue, &saved);
    let mut w = spawn_watch(&t.issue, &pdf);
    w.wait_for("built");
    // As editors and sync tools do: `rm -rf` and copy, with no pause between. Twice, since a
    // watcher that missed the first replacement sees nothing after it.
    for round in ["（第一次替换）", "（第二次替换）"] {
        std::fs::remove_dir_all(&t.issue).unwrap();
        copy_dir(&saved, &t.issue);
        w.wait_for("is back: watching it again");
        edit_and_see(&mut w, &t, &pdf, round);
    }
    assert!(w.child.try_wait().unwrap().is_none(), "the watcher died");
}

#[test]
fn watch_waits_for_a_missing_issue_folder_and_resumes_when_it_returns() {
    let t = TempIssue::sample();
    let pdf = t.root().join("w.pdf");
    let away = t.root().join("away");
    let mut w = spawn_watch(&t.issue, &pdf);
    w.wait_for("built");
    let good = sha256(&pdf);
    std::fs::rename(&t.issue, &away).unwrap();
    let line = w.wait_for("is gone");
    assert!(
        line.contains("kept the last good") && line.contains("waiting for it to come back"),
        "{line}"
    );
    // Missing for a while: the watcher neither exits nor touches the PDF.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(w.child.try_wait().unwrap().is_none(), "the watcher exited");
    assert_eq!(sha256(&pdf), good, "the last PDF was touched");
    std::fs::rename(&away, &t.issue).unwrap();
    w.wait_for("is back: watching it again");
    w.wait_for("rebuilt");
    // Watched again: an edit inside the returned folder is seen.
    edit_and_see(&mut w, &t, &pdf, "（回来之后的修改）");
    // Gone and back once more, this time deleted and copied back after a pause.
    copy_dir(&t.issue, &away);
    std::fs::remove_dir_all(&t.issue).unwrap();
    w.wait_for("is gone");
    std::thread::sleep(Duration::from_millis(300));
    copy_dir(&away, &t.issue);
    w.wait_for("is back: watching it again");
    edit_and_see(&mut w, &t, &pdf, "（再次回来）");
}
