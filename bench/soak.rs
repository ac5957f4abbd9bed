//! `bench/run soak`: memory of long-running `kanwu serve` (the desk) and `kanwu watch` over
//! many rebuilds, RSS sampled from /proc (Linux). The desk is edited through its own API, as
//! its page does on every keystroke (each edit waited for until its build is announced);
//! watch is fed file saves (each waited for until it prints the rebuild). Inputs: the sample
//! (10 pages) and an issue of about 85 pages made from the sample's sentences.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::synth::{Corpus, Rng};

const WAIT: Duration = Duration::from_secs(120);

/// A child process killed when dropped.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn rss_mb(pid: u32) -> f64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Writes `issues/big` beside the sample: 18 articles of about 5,000 characters (about 85
/// express pages).
pub fn big_issue(sample: &Path, issues: &Path) -> std::io::Result<PathBuf> {
    let corpus = Corpus::from_issue(sample)?;
    let mut rng = Rng::new(7);
    let dir = issues.join("big");
    fs::create_dir_all(&dir)?;
    let mut toml = String::from(
        "schema = 1\n\n[issue]\nyear = 2021\nnumber = 9\ndate = 2021-09-20\n\n[[sections]]\nkind = \"reports\"\narticles = [",
    );
    for i in 0..18 {
        let name = format!("a{i:02}.md");
        let mut text = format!("+++\ntitle = \"{}\"\n+++\n\n", rng.pick(&corpus.titles));
        for p in corpus.paragraphs(&mut rng, 5_000) {
            text.push_str(&p);
            text.push_str("\n\n");
        }
        fs::write(dir.join(&name), text)?;
        let _ = write!(toml, "{}\"{name}\"", if i > 0 { ", " } else { "" });
    }
    toml.push_str("]\n");
    fs::write(dir.join("issue.toml"), toml)?;
    Ok(dir)
}

/// Reads a child's stdout lines on a thread.
fn lines(child: &mut Child) -> mpsc::Receiver<String> {
    let out = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

fn http(port: u16, request: &str) -> Result<String, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(WAIT)).map_err(|e| e.to_string())?;
    s.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut all = Vec::new();
    s.read_to_end(&mut all).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&all).into_owned();
    Ok(text.split_once("\r\n\r\n").map_or("", |x| x.1).to_string())
}

fn get(port: u16, target: &str) -> Result<String, String> {
    http(
        port,
        &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

/// One soak of the desk: `edits` edits of the first article of `issue`, RSS sampled.
fn desk(
    kanwu: &Path,
    project: &Path,
    issue: &Path,
    edits: usize,
) -> Result<Vec<(usize, f64)>, String> {
    let mut child = Reaped(
        Command::new(kanwu)
            .args([
                "serve",
                &issue.display().to_string(),
                "--port",
                "0",
                "--lang",
                "en",
                "--root",
            ])
            .arg(project)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?,
    );
    let out = lines(&mut child.0);
    let port: u16 = loop {
        let line = out
            .recv_timeout(WAIT)
            .map_err(|_| "serve said nothing".to_string())?;
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            break rest
                .split('/')
                .next()
                .unwrap_or("")
                .parse()
                .map_err(|_| line.clone())?;
        }
    };
    let page = get(port, "/")?;
    let at = page.find("\"token\":\"").ok_or("no secret in the page")? + 9;
    let token = page[at..at + 32].to_string();
    let view: serde_json::Value =
        serde_json::from_str(&get(port, "/api/issue")?).map_err(|e| e.to_string())?;
    let id = view["desk"]["ids"][0].as_u64().ok_or("no article")?;
    let article: serde_json::Value =
        serde_json::from_str(&get(port, &format!("/api/article/{id}"))?)
            .map_err(|e| e.to_string())?;
    let body = article["body"].as_str().unwrap_or("").to_string();
    let base = article["base"].as_str().unwrap_or("").to_string();
    // The builds, as a browser's event stream gets them: the revs each was built from.
    let mut events = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        events,
        "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let (tx, built) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(events).lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data: ")
                && tx.send(data.to_string()).is_err()
            {
                return;
            }
        }
    });
    let mut samples = vec![(0, rss_mb(child.0.id()))];
    for i in 1..=edits {
        // A paragraph's first characters replaced by this edit's number: every build new.
        let edited = format!("第{i}次修改。{body}");
        let request = serde_json::json!({
            "op": "edit", "window": "00112233445566778899aabb", "article": id,
            "base": base, "body": edited, "token": token,
        })
        .to_string();
        let answer = http(
            port,
            &format!(
                "POST /api/desk HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{request}",
                request.len()
            ),
        )?;
        let rev = serde_json::from_str::<serde_json::Value>(&answer)
            .ok()
            .and_then(|v| v["rev"].as_str().map(str::to_string))
            .ok_or_else(|| format!("edit {i}: {answer}"))?;
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let data = built
                .recv_timeout(left)
                .map_err(|_| format!("edit {i} was never built"))?;
            if data.contains(&rev) {
                break;
            }
        }
        if i % 50 == 0 || i == edits {
            samples.push((i, rss_mb(child.0.id())));
        }
    }
    Ok(samples)
}

/// One soak of watch: `saves` saves of the first article of `issue`, RSS sampled.
fn watch(
    kanwu: &Path,
    project: &Path,
    issue: &Path,
    saves: usize,
) -> Result<Vec<(usize, f64)>, String> {
    let pdf = project.join("out/soak.pdf");
    let mut child = Reaped(
        Command::new(kanwu)
            .args(["watch", &issue.display().to_string(), "--lang", "en", "-o"])
            .arg(&pdf)
            .arg("--root")
            .arg(project)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?,
    );
    let out = lines(&mut child.0);
    let wait_build = |what: &str| -> Result<(), String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = out
                .recv_timeout(left)
                .map_err(|_| format!("{what}: no rebuild"))?;
            if line.starts_with("built ") || line.starts_with("rebuilt ") {
                return Ok(());
            }
        }
    };
    wait_build("the first build")?;
    let file = fs::read_dir(issue)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .min()
        .ok_or("no article")?;
    let original = fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let split = original.rfind("+++").map_or(0, |i| i + 4);
    let mut samples = vec![(0, rss_mb(child.0.id()))];
    for i in 1..=saves {
        let edited = format!("{}第{i}次修改。{}", &original[..split], &original[split..]);
        fs::write(&file, edited).map_err(|e| e.to_string())?;
        wait_build(&format!("save {i}"))?;
        if i % 50 == 0 || i == saves {
            samples.push((i, rss_mb(child.0.id())));
        }
    }
    fs::write(&file, original).map_err(|e| e.to_string())?;
    Ok(samples)
}

fn row(table: &mut String, what: &str, samples: &[(usize, f64)]) {
    let first = samples.get(1).map_or(0.0, |s| s.1);
    let last = samples.last().map_or(0.0, |s| s.1);
    let max = samples.iter().map(|s| s.1).fold(0.0, f64::max);
    let series: Vec<String> = samples
        .iter()
        .map(|(n, mb)| format!("{n}: {mb:.0}"))
        .collect();
    let _ = writeln!(
        table,
        "| {what} | {:.1} | {first:.1} | {last:.1} | {:+.1} | {max:.1} | {} |",
        samples[0].1,
        last - first,
        series.join(", ")
    );
}

/// Runs the soaks and returns the table for RESULTS.md.
pub fn measure(
    kanwu: &Path,
    project: &Path,
    sample: &Path,
    rounds: usize,
    big_rounds: usize,
) -> Result<String, String> {
    let issues = project.join("issues");
    fs::copy(
        sample.parent().unwrap().join("publication.toml"),
        issues.join("publication.toml"),
    )
    .map_err(|e| e.to_string())?;
    kanwu::util::copy_dir(sample, &issues.join("2021-01")).map_err(|e| e.to_string())?;
    let big = big_issue(sample, &issues).map_err(|e| e.to_string())?;
    let small = issues.join("2021-01");
    let mut table = String::from(
        "| process, issue, rebuilds | RSS at start (MB) | after 50 | at the end | end − after 50 | highest | every 50 |\n|---|---|---|---|---|---|---|\n",
    );
    for (what, issue, n) in [("sample", &small, rounds), ("85 pages", &big, big_rounds)] {
        eprintln!("· desk, {what}, {n} edits");
        row(
            &mut table,
            &format!("desk (serve), {what}, {n} edits"),
            &desk(kanwu, project, issue, n)?,
        );
        eprintln!("· watch, {what}, {n} saves");
        row(
            &mut table,
            &format!("watch, {what}, {n} saves"),
            &watch(kanwu, project, issue, n)?,
        );
    }
    Ok(table)
}
