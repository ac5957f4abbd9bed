//! `kanwu watch`: an edit rebuilds the PDF; a broken manifest keeps the last good PDF and the
//! watcher alive; a fix rebuilds again. Every wait is bounded.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanwu"))
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

#[test]
fn watch_on_a_folder_that_vanishes_stops_with_an_error() {
    let t = TempIssue::sample();
    let pdf = t.root().join("w.pdf");
    let mut w = spawn_watch(&t.issue, &pdf);
    w.wait_for("built");
    std::fs::remove_dir_all(&t.issue).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = w.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the watcher did not stop");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(1));
    let mut err = String::new();
    std::io::Read::read_to_string(w.child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(err.contains("has vanished; stopped watching"), "{err}");
    assert!(pdf.exists(), "the last PDF was removed");
}
