//! `kanwu serve`: the pages and their text over HTTP, only the changed pages announced after
//! a save, a broken article shown with its file and line, paths and foreign hosts refused, and
//! what a browser (Debian's chromium, headless) shows. Every wait is bounded; the server is
//! killed when a test ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::browser::{Browser, Reaped};
use crate::common::*;

pub(crate) const WAIT: Duration = Duration::from_secs(60);

/// A `kanwu serve` child on a free loopback port, killed when dropped.
pub(crate) struct Serving {
    pub child: Child,
    pub port: u16,
    /// What the server wrote to stderr, once it has ended.
    pub errors: Option<std::thread::JoinHandle<String>>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `kanwu serve ISSUE --port 0` (any free port) and waits for the address it prints.
pub(crate) fn serve(issue: &Path) -> Serving {
    serve_with(issue, &[], &[])
}

/// `serve` with more arguments and environment variables.
pub(crate) fn serve_with(issue: &Path, args: &[&str], envs: &[(&str, &Path)]) -> Serving {
    let mut cmd = kanwu_command();
    cmd.current_dir(root())
        .args(["serve", issue.to_str().unwrap(), "--port", "0"])
        .args(args)
        .envs(envs.iter().copied());
    serve_command(cmd)
}

/// Starts a prepared `kanwu serve … --port 0` command and waits for the address it prints.
pub(crate) fn serve_command(mut cmd: Command) -> Serving {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    // Read to the end, so the server never writes to a closed pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + WAIT;
    let mut serving = Serving {
        child,
        port: 0,
        errors: Some(errors),
    };
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = rx.recv_timeout(left) else {
            let _ = serving.child.kill();
            let _ = serving.child.wait();
            let errors = serving.errors.take().unwrap().join().unwrap();
            panic!("kanwu serve did not say where it listens within 60 s:\n{errors}");
        };
        // "serving http://127.0.0.1:…/" (or "正在提供 http://…" in Chinese).
        if let Some((_, url)) = line.split_once("http://127.0.0.1:") {
            serving.port = url.split('/').next().unwrap().parse().unwrap();
            return serving;
        }
    }
}

/// One request with a tiny client: (status, head, body). `request` is the whole head. The
/// body is read to its Content-Length, or to the end.
pub(crate) fn exchange(port: u16, request: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut all = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let end = loop {
        if let Some(end) = all.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0, "the connection closed before a response head");
        all.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&all[..end]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let length = head.lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    });
    let mut body = all.split_off(end + 4);
    match length {
        Some(n) => {
            while body.len() < n {
                let got = s.read(&mut chunk).unwrap();
                assert!(got > 0, "the body ended early");
                body.extend_from_slice(&chunk[..got]);
            }
        }
        None => {
            s.read_to_end(&mut body).unwrap();
        }
    }
    (status, head, body)
}

pub(crate) fn get(port: u16, target: &str) -> (u16, String, Vec<u8>) {
    exchange(
        port,
        &format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

pub(crate) fn get_json(port: u16, target: &str) -> Value {
    let (status, _, body) = get(port, target);
    assert_eq!(status, 200, "GET {target}");
    serde_json::from_slice(&body).unwrap()
}

/// The runs of a page's text layer: (text, article index, line).
pub(crate) fn text_layer(port: u16, page: &Value) -> Vec<(String, Option<u64>, Option<u64>)> {
    let layer = get_json(
        port,
        &format!("/text/{}.json", page["text"].as_str().unwrap()),
    );
    layer["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r[4].as_str().unwrap().to_string(),
                r[5].as_u64(),
                r[6].as_u64(),
            )
        })
        .collect()
}

pub(crate) fn page_text(port: u16, page: &Value) -> String {
    squash(
        &text_layer(port, page)
            .into_iter()
            .map(|r| r.0)
            .collect::<String>(),
    )
}

/// The event stream, read on a thread: (event name, data).
pub(crate) fn events(port: u16) -> mpsc::Receiver<(String, Value)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(s, "GET /events HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(data) = line.strip_prefix("data: ") {
                let value = serde_json::from_str(data).unwrap();
                if tx.send((name.clone(), value)).is_err() {
                    break;
                }
            }
        }
    });
    rx
}

#[track_caller]
pub(crate) fn next_event(rx: &mpsc::Receiver<(String, Value)>, name: &str) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((n, v)) if n == name => return v,
            Ok(_) => {}
            Err(_) => panic!("no `{name}` event within 60 s"),
        }
    }
}

fn svg_hashes(view: &Value) -> Vec<String> {
    view["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["svg"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn serve_shows_every_page_with_its_text_and_where_each_line_comes_from() {
    let t = TempIssue::sample();
    // A page budget in issue.toml, and a character no font has on line 5 of an article.
    let manifest = std::fs::read_to_string(t.path("issue.toml")).unwrap();
    t.write(
        "issue.toml",
        manifest.replace("copies = 200", "copies = 200\npage_budget = 8"),
    );
    let article = std::fs::read_to_string(t.path("yangtze-delta-ai.md")).unwrap();
    let mut lines: Vec<String> = article.lines().map(String::from).collect();
    let body = lines.iter().rposition(|l| l == "+++").unwrap();
    let n = body
        + lines[body..]
            .iter()
            .position(|l| l.chars().count() > 20)
            .unwrap();
    lines[n].insert(0, '\u{E000}');
    t.write("yangtze-delta-ai.md", lines.join("\n") + "\n");
    let s = serve(&t.issue);
    let (status, head, body) = get(s.port, "/");
    assert_eq!(status, 200);
    assert!(head.contains("text/html"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("<script src=\"/app.js\""));

    let view = get_json(s.port, "/api/issue");
    assert!(view["failed"].is_null(), "{}", view["failed"]);
    let pages = view["pages"].as_array().unwrap();
    assert!(pages.len() >= 4, "{} pages", pages.len());
    // The contents lists every article of issue.toml, in order, with its page.
    let files: Vec<&str> = view["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "editors-note.md",
            "ai-patents.md",
            "yangtze-delta-ai.md",
            "ai-strategies.md",
            "ai-priorities.md"
        ]
    );
    for sec in view["contents"].as_array().unwrap() {
        for a in sec["articles"].as_array().unwrap() {
            assert!(a["page"].as_u64().is_some(), "{a}");
            assert!(a["hanzi"].as_u64().unwrap() > 50, "{a}");
        }
    }

    let total = pages.len() as i64;
    assert_eq!(view["budget"]["pages"], 8);
    assert_eq!(view["budget"]["over"], total - 8);
    // The finding names the file, the line and its text, and the page that line is on.
    let f = view["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "glyph")
        .expect("a glyph finding");
    assert!(
        f["place"]["file"]
            .as_str()
            .unwrap()
            .ends_with("yangtze-delta-ai.md"),
        "{f}"
    );
    assert_eq!(f["place"]["line"].as_u64(), Some(n as u64 + 1), "{f}");
    // A long line is cut around the column, by display width (a 汉字 takes two columns).
    let shown = f["place"]["text"].as_str().unwrap();
    let kept = shown.trim_end_matches('…');
    assert!(shown.ends_with('…') && lines[n].starts_with(kept), "{f}");
    let width = unicode_width::UnicodeWidthStr::width(kept);
    assert!((79..=80).contains(&width), "{width} columns: {f}");
    let on_page = f["page"].as_u64().expect("the finding's page") as usize;
    let start: String = lines[n].chars().skip(1).take(8).collect();
    assert!(
        page_text(s.port, &pages[on_page - 1]).contains(&squash(&start)),
        "{f}"
    );

    let mut all = String::new();
    for p in pages {
        let (status, head, svg) = get(s.port, &format!("/page/{}.svg", p["svg"].as_str().unwrap()));
        assert_eq!(status, 200);
        assert!(head.contains("image/svg+xml"), "{head}");
        assert!(svg.starts_with(b"<svg"), "page {} is not an SVG", p["n"]);
        all.push_str(&page_text(s.port, p));
    }
    assert!(
        all.contains("随着科技飞速发展，人工智能在语音识别"),
        "the sentence is not in the text layers"
    );

    // The line of the paragraph that says it, as the article file has it.
    let article = std::fs::read_to_string(t.path("ai-patents.md")).unwrap();
    let line = article
        .lines()
        .position(|l| l.starts_with("随着科技飞速发展"))
        .unwrap() as u64
        + 1;
    let run = pages
        .iter()
        .flat_map(|p| text_layer(s.port, p))
        .find(|r| r.0.contains("随着科技飞速发展"))
        .unwrap();
    assert_eq!((run.1, run.2), (Some(1), Some(line)), "{run:?}");
}

#[test]
fn serve_announces_only_the_changed_pages_and_a_broken_article_at_its_line() {
    let t = TempIssue::sample();
    let s = serve(&t.issue);
    let rx = events(s.port);
    let first = next_event(&rx, "build");
    let before = svg_hashes(&first);

    // The same number of characters: the paragraph keeps its lines, one page changes.
    let file = t.path("ai-patents.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let saved = Instant::now();
    std::fs::write(
        &file,
        original.replace("随着科技飞速发展", "随着技术飞速发展"),
    )
    .unwrap();
    let built = next_event(&rx, "build");
    eprintln!("save → build event: {} ms", saved.elapsed().as_millis());
    let after = svg_hashes(&built);
    assert_eq!(before.len(), after.len());
    let differ: Vec<u64> = (0..after.len())
        .filter(|&i| before[i] != after[i])
        .map(|i| i as u64 + 1)
        .collect();
    let changed: Vec<u64> = built["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_u64().unwrap())
        .collect();
    assert_eq!(changed, differ);
    assert_eq!(changed.len(), 1, "one paragraph changed pages {changed:?}");
    let page = &built["pages"][changed[0] as usize - 1];
    assert!(page_text(s.port, page).contains("随着技术飞速发展"));
    // Preflight's findings follow the pages (the first build's came with them), and the view
    // carries them from then on.
    assert!(built.get("findings").is_none(), "{built}");
    assert!(first["findings"].as_array().is_some_and(|f| !f.is_empty()));
    let findings = next_event(&rx, "findings");
    assert_eq!(findings["version"], built["version"]);
    assert_eq!(findings["findings"], first["findings"]);
    assert_eq!(
        get_json(s.port, "/api/issue")["findings"],
        first["findings"]
    );

    // A raw HTML block cannot be set: a `failed` event names the file and line; the last
    // good pages stay served.
    let broken = format!("{original}\n<div>坏</div>\n");
    let line = broken.lines().position(|l| l == "<div>坏</div>").unwrap() as u64 + 1;
    std::fs::write(&file, &broken).unwrap();
    let failed = next_event(&rx, "failed");
    let d = &failed["diagnostics"][0];
    assert!(
        d["place"]["file"]
            .as_str()
            .unwrap()
            .ends_with("ai-patents.md"),
        "{d}"
    );
    assert_eq!(d["place"]["line"].as_u64(), Some(line), "{d}");
    assert_eq!(d["place"]["text"].as_str(), Some("<div>坏</div>"));
    let view = get_json(s.port, "/api/issue");
    assert_eq!(svg_hashes(&view), after, "the last good pages are gone");
    assert!(!view["failed"].is_null());

    // Fixed: a build again, and the failure is gone.
    std::fs::write(&file, &original).unwrap();
    let rebuilt = next_event(&rx, "build");
    assert_eq!(svg_hashes(&rebuilt), before);
    assert!(get_json(s.port, "/api/issue")["failed"].is_null());

    // The issue folder gone for a while (moved away, as a sync tool may do): said so, the
    // pages stay; back again: built again.
    let away = t.root().join("away");
    std::fs::rename(&t.issue, &away).unwrap();
    let failed = next_event(&rx, "failed");
    let message = failed["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("is missing"), "{message}");
    assert_eq!(svg_hashes(&get_json(s.port, "/api/issue")), before);
    std::fs::rename(&away, &t.issue).unwrap();
    next_event(&rx, "build");
    assert!(get_json(s.port, "/api/issue")["failed"].is_null());
}

#[test]
fn serve_refuses_paths_escapes_and_foreign_hosts() {
    let t = TempIssue::sample();
    let s = serve(&t.issue);
    let p = s.port;
    let local = format!("Host: 127.0.0.1:{p}\r\nConnection: close\r\n\r\n");
    for (request, expected) in [
        (format!("GET /../../etc/passwd HTTP/1.1\r\n{local}"), 400),
        (
            format!("GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n{local}"),
            400,
        ),
        (format!("GET /etc/passwd HTTP/1.1\r\n{local}"), 404),
        (
            format!("GET http://127.0.0.1:{p}/etc/passwd HTTP/1.1\r\n{local}"),
            400,
        ),
        (
            format!("GET /page/../../../etc/passwd HTTP/1.1\r\n{local}"),
            400,
        ),
        (
            "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n".to_string(),
            403,
        ),
        (
            format!("GET /api/issue HTTP/1.1\r\nHost: evil.example:{p}\r\n\r\n"),
            403,
        ),
        (format!("POST /api/issue HTTP/1.1\r\n{local}"), 405),
    ] {
        let (status, _, body) = exchange(p, &request);
        assert_eq!(status, expected, "{request:?}");
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("root:") && !body.contains("随着"), "{body}");
    }
    // Still serving after all that.
    assert_eq!(get(p, "/api/issue").0, 200);

    // A second server on the same port: a clear error, exit 1.
    let out = kanwu(
        &root(),
        &["serve", t.issue.to_str().unwrap(), "--port", &p.to_string()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{p}")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

/// What a request of raw bytes gets: the status of the response, or None when the server
/// closed the connection without one. Waits at most `wait`.
fn raw(port: u16, request: &[u8], wait: Duration) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(wait)).unwrap();
    // The server may answer and close before all of a long request is written.
    let _ = s.write_all(request);
    let mut all = Vec::new();
    let mut chunk = [0u8; 4096];
    while !all.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => all.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&all);
    head.strip_prefix("HTTP/1.1 ")
        .and_then(|h| h.get(..3))
        .and_then(|c| c.parse().ok())
}

/// Requests no browser sends: heads too large or malformed, escapes in every spelling, bytes
/// that are not HTTP, and clients that never finish their head. Each is refused or dropped,
/// nothing is served from disk, and the server goes on serving.
#[test]
fn serve_refuses_hostile_requests_and_goes_on_serving() {
    let t = TempIssue::sample();
    let s = serve(&t.issue);
    let p = s.port;
    let host = format!("Host: 127.0.0.1:{p}\r\n");
    // Two slow clients, started first: one sends half a head and stops, one sends a byte a
    // second. Both are cut off (hyper's header_read_timeout, 10 s) while others are served.
    let slow = |trickle: bool| {
        let host = host.clone();
        std::thread::spawn(move || {
            let mut c = TcpStream::connect(("127.0.0.1", p)).unwrap();
            c.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
            let head = format!("GET / HTTP/1.1\r\n{host}X-Slow: ");
            let start = Instant::now();
            if trickle {
                c.write_all(head.as_bytes()).unwrap();
                while c.write_all(b"a").is_ok() && start.elapsed() < Duration::from_secs(40) {
                    std::thread::sleep(Duration::from_secs(1));
                    // Still open? A closed connection reads 0 (or a 408).
                    c.set_nonblocking(true).unwrap();
                    let mut b = [0u8; 64];
                    let closed = c.read(&mut b).is_ok();
                    c.set_nonblocking(false).unwrap();
                    if closed {
                        break;
                    }
                }
            } else {
                c.write_all(head.as_bytes()).unwrap();
                let mut rest = Vec::new();
                let _ = c.read_to_end(&mut rest);
                assert!(!String::from_utf8_lossy(&rest).contains("<html"));
            }
            start.elapsed()
        })
    };
    let (stalled, trickling) = (slow(false), slow(true));

    let huge_header = format!(
        "GET / HTTP/1.1\r\n{host}X-Big: {}\r\n\r\n",
        "a".repeat(100_000)
    );
    let many_headers = format!(
        "GET / HTTP/1.1\r\n{host}{}\r\n",
        (0..500)
            .map(|i| format!("X-{i}: a\r\n"))
            .collect::<String>()
    );
    let huge_target = format!("GET /{} HTTP/1.1\r\n{host}\r\n", "a".repeat(100_000));
    let mut junk = vec![0u8, 1, 2, 0xff, 0xfe, b'\r', b'\n'];
    junk.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    junk.extend_from_slice(b"\r\n\r\n");
    let refused: Vec<(Vec<u8>, &[u16])> = vec![
        (huge_header.into_bytes(), &[431]),
        (many_headers.into_bytes(), &[431]),
        (huge_target.into_bytes(), &[414, 431, 400]),
        (b"GARBAGE\r\n\r\n".to_vec(), &[400]),
        (b"GET\r\n\r\n".to_vec(), &[400]),
        (b"GET / HTTP/9.9\r\nHost: localhost\r\n\r\n".to_vec(), &[400, 505]),
        (b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n".to_vec(), &[403]),
        (b"GET / HTTP/1.1\r\nHost: local\x01host\r\n\r\n".to_vec(), &[400, 403]),
        (b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nHost: localhost\r\n\r\n0\r\n\r\n".to_vec(), &[200, 400]),
        (junk, &[400]),
    ];
    for (request, expected) in &refused {
        let status = raw(p, request, Duration::from_secs(30));
        assert!(
            status.is_none_or(|s| expected.contains(&s)),
            "{:?}: {status:?}",
            String::from_utf8_lossy(&request[..request.len().min(80)])
        );
    }
    for target in [
        "/page/%2e%2e%2f%2e%2e%2fetc%2fpasswd.svg",
        "/page/..%2F..%2Fetc%2Fpasswd",
        "/%2fetc%2fpasswd",
        "/./app.js",
        "/app.js/..",
        "/.%2e/.%2e/etc/passwd",
        "/%00",
        "/page/0123456789abcdef0123456789abcdef.svg/../../../etc/passwd",
        "/text/0123456789abcdef0123456789abcdef.json%00.txt",
        "/..;/etc/passwd",
        "/page/..\\..\\etc\\passwd",
        "/%c0%ae%c0%ae/etc/passwd",
    ] {
        let request = format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        let status = raw(p, request.as_bytes(), Duration::from_secs(30));
        assert!(
            status.is_none_or(|s| s == 400 || s == 404),
            "{target}: {status:?}"
        );
        let (_, _, body) = exchange_or_empty(p, &request);
        assert!(!String::from_utf8_lossy(&body).contains("root:"));
    }
    // Still serving, while the slow clients wait to be cut off.
    assert_eq!(get(p, "/api/issue").0, 200);
    for slow in [stalled, trickling] {
        let took = slow.join().unwrap();
        assert!(
            took < Duration::from_secs(40),
            "a slow client was never cut off"
        );
    }
    assert_eq!(get(p, "/").0, 200);
}

/// `exchange`, or nothing when the server closes without answering.
fn exchange_or_empty(port: u16, request: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(request.as_bytes());
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    (0, String::new(), all)
}

/// Debian's chromium, or None with a notice (a failure under KANWU_REQUIRE_TOOLS=1).
pub(crate) fn chromium() -> Option<&'static str> {
    for name in ["chromium", "chromium-browser"] {
        if Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(name);
        }
    }
    if std::env::var("KANWU_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!(
            "chromium is required (KANWU_REQUIRE_TOOLS=1) but not installed: apt-get install chromium"
        );
    }
    eprintln!(
        "notice: chromium not installed; skipping the browser test (apt-get install chromium)"
    );
    None
}

/// Runs headless chromium with `args` and the URL, killed after 60 s; its stdout.
fn headless(browser: &str, profile: &Path, args: &[&str], url: &str) -> String {
    let mut child = Command::new(browser)
        .args(HEADLESS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.wait();
    reader.join().unwrap()
}

/// The viewer's DOM after it has drawn the current build, in a headless browser. A still view
/// (`?live=0`): the event stream would keep a headless browser waiting for ever.
fn still_dom(browser: &str, port: u16) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{port}/?live=0");
    headless(
        browser,
        profile.path(),
        &["--dump-dom", "--virtual-time-budget=10000"],
        &url,
    )
}

#[test]
fn serve_in_a_browser_shows_the_pages_text_and_contents() {
    let Some(browser) = chromium() else { return };
    let t = TempIssue::sample();
    let s = serve(&t.issue);
    let dom = still_dom(browser, s.port);
    assert!(
        dom.contains("class=\"text-layer\""),
        "no text layer in:\n{dom}"
    );
    assert!(
        squash(&dom).contains("随着科技飞速发展"),
        "the sentence is not in the page's DOM"
    );
    assert!(
        dom.contains("中国人工智能专利申请量居世界第一"),
        "the contents lack a title"
    );
    assert!(dom.contains("id=\"page-1\""));
}

/// The viewer speaks kanwu's language: its buttons, headings and status from the catalogue
/// (the page's `lang` too), in Chinese with `--lang zh`, in English otherwise.
#[test]
fn serve_viewer_speaks_chinese_or_english() {
    let Some(browser) = chromium() else { return };
    let t = TempIssue::sample();
    for (lang, html_lang, words, not) in [
        (
            "zh",
            "lang=\"zh-CN\"",
            &[
                "目录",
                "印前检查",
                "跨页",
                "裁切与出血",
                "共 10 页",
                "警告 · 标点",
                "静态视图",
            ][..],
            "Contents",
        ),
        (
            "en",
            "lang=\"en\"",
            &[
                "Contents",
                "Preflight",
                "Spreads",
                "Trim &amp; bleed",
                "10 pages",
                "warning · punctuation",
                "still view",
            ][..],
            "目录",
        ),
    ] {
        let s = serve_with(&t.issue, &["--lang", lang], &[]);
        let dom = still_dom(browser, s.port);
        assert!(
            dom.contains(html_lang),
            "{lang}: no {html_lang} in the page"
        );
        for w in words {
            assert!(
                dom.contains(w),
                "{lang}: `{w}` is not in the viewer:\n{dom}"
            );
        }
        assert!(
            !dom.contains(&format!(">{not}<")),
            "{lang}: `{not}` is in the viewer"
        );
    }
}

/// Save → `build` event, median of 20 one-paragraph edits, and the bytes the browser then
/// fetches (the changed pages' pictures and text layers): `cargo test --test it
/// serve_measure_latency -- --ignored --nocapture`.
#[test]
#[ignore]
fn serve_measure_latency() {
    let t = TempIssue::sample();
    let s = serve(&t.issue);
    let rx = events(s.port);
    next_event(&rx, "build");
    let file = t.path("ai-patents.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let (mut times, mut bytes) = (Vec::new(), Vec::new());
    for i in 0..20 {
        let edited = if i % 2 == 0 {
            original.replace("随着科技飞速发展", "随着技术飞速发展")
        } else {
            original.clone()
        };
        let saved = Instant::now();
        std::fs::write(&file, edited).unwrap();
        let built = next_event(&rx, "build");
        times.push(saved.elapsed().as_millis());
        let mut sent = 0;
        for n in built["changed"].as_array().unwrap() {
            let page = &built["pages"][n.as_u64().unwrap() as usize - 1];
            sent += get(
                s.port,
                &format!("/page/{}.svg", page["svg"].as_str().unwrap()),
            )
            .2
            .len();
            sent += get(
                s.port,
                &format!("/text/{}.json", page["text"].as_str().unwrap()),
            )
            .2
            .len();
        }
        bytes.push(sent);
    }
    times.sort();
    eprintln!(
        "save → build event: median {} ms (min {}, max {}); bytes fetched per edit: {} KB",
        times[10],
        times[0],
        times[19],
        bytes[0] / 1024
    );
}

/// `--allow-open`: the viewer's button asks `POST /api/open/<article>`, and the server runs
/// the opener (here KANWU_OPEN_WITH, a script noting its argument) on that article's file.
/// Without the flag, the same request is refused and nothing is run.
#[cfg(unix)]
#[test]
fn serve_opens_an_article_file_only_with_allow_open() {
    use std::os::unix::fs::PermissionsExt;
    let t = TempIssue::sample();
    let opened = t.root().join("opened.txt");
    let opener = t.root().join("opener.sh");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let post = |port: u16, target: &str, ours: bool| {
        let header = if ours { "X-Kanwu-Open: 1\r\n" } else { "" };
        exchange(
            port,
            &format!(
                "POST {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{header}Content-Length: 0\r\nConnection: close\r\n\r\n"
            ),
        )
        .0
    };

    // Without --allow-open: no button (allow_open false), and the request is refused.
    {
        let s = serve_with(&t.issue, &[], &[("KANWU_OPEN_WITH", &opener)]);
        let view = get_json(s.port, "/api/issue");
        assert_eq!(view["allow_open"], false);
        assert_eq!(post(s.port, "/api/open/0", true), 403);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(!opened.exists(), "nothing is opened without --allow-open");

    let s = serve_with(&t.issue, &["--allow-open"], &[("KANWU_OPEN_WITH", &opener)]);
    let view = get_json(s.port, "/api/issue");
    assert_eq!(view["allow_open"], true);
    let files: Vec<&str> = view["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(files.len() > 1);
    // Only the viewer's POST with its header; no other method, no index past the articles.
    assert_eq!(get(s.port, "/api/open/1").0, 405);
    assert_eq!(post(s.port, "/api/open/1", false), 403);
    assert_eq!(
        post(s.port, &format!("/api/open/{}", files.len()), true),
        404
    );
    assert_eq!(post(s.port, "/api/open/..%2f..%2fetc%2fpasswd", true), 400);
    assert_eq!(post(s.port, "/api/open/1", true), 204);
    let deadline = Instant::now() + WAIT;
    let named = loop {
        let text = std::fs::read_to_string(&opened).unwrap_or_default();
        if !text.is_empty() || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let expected = t.path(files[1]).canonicalize().unwrap();
    assert_eq!(
        named.trim_end(),
        expected.to_str().unwrap(),
        "the opener got article 1"
    );
    drop(s);

    // An opener that fails (xdg-open with no application for .md files exits 3) is said,
    // not answered "done".
    let s = serve_with(
        &t.issue,
        &["--allow-open", "--lang", "zh"],
        &[("KANWU_OPEN_WITH", Path::new("false"))],
    );
    let mut stream = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    write!(
        stream,
        "POST /api/open/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kanwu-Open: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
    assert!(answer.contains("系统没能打开这个文件"), "{answer}");
}

/// The trim/bleed overlay is drawn from the served view: the paper size (the trim) and the
/// publication's [print] bleed.
#[test]
fn serve_view_carries_the_trim_and_bleed() {
    let t = TempIssue::sample();
    t.project.set_publication("paper", "16k");
    let publication = t.root().join("issues/publication.toml");
    let mut text = std::fs::read_to_string(&publication).unwrap();
    text.push_str("\n[print]\nbleed = \"5mm\"\n");
    std::fs::write(&publication, text).unwrap();
    let s = serve(&t.issue);
    let view = get_json(s.port, "/api/issue");
    let print = &view["print"];
    assert_eq!(print["trim"]["paper"], "16k", "{print}");
    assert_eq!(print["trim"]["width_mm"], 184.0, "{print}");
    assert_eq!(print["trim"]["height_mm"], 260.0, "{print}");
    assert_eq!(print["bleed_mm"], 5.0, "{print}");
    // A screen page is the trim: 184 mm wide.
    let w = view["pages"][0]["w"].as_f64().unwrap();
    assert!((w - 184.0 * 72.0 / 25.4).abs() < 0.5, "page width {w} pt");
    // The viewer has the toggle.
    let html = String::from_utf8(get(s.port, "/").2).unwrap();
    assert!(html.contains("id=\"trim\""), "{html}");
}

/// Ctrl-C: the process ends at once (serve writes no file, so there is nothing to finish),
/// with an open event stream, and says nothing on stderr — no panic.
#[cfg(unix)]
#[test]
fn serve_stops_on_ctrl_c_without_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    let t = TempIssue::sample();
    let mut s = serve(&t.issue);
    let rx = events(s.port);
    next_event(&rx, "build");
    let pid = s.child.id() as libc::pid_t;
    // SAFETY: kill() on our own child's pid, which is not yet reaped.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "serve did not stop within 10 s of SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(
        status.signal() == Some(libc::SIGINT) || status.code() == Some(130),
        "{status:?}"
    );
    let errors = s.errors.take().unwrap().join().unwrap();
    assert!(!errors.contains("panicked"), "{errors}");
    assert_eq!(errors.trim(), "", "stderr after Ctrl-C");
}

/// The choice of picture, measured on the sample: `cargo test --test it serve_measure --
/// --ignored --nocapture`. (SVG: typst-svg; PNG: typst-render at 2× the screen's 96 ppi.)
#[test]
#[ignore]
fn serve_measure_svg_against_png() {
    let p = project();
    let loaded = p.load(&root().join("issues/2021-01")).unwrap();
    let doc = p
        .typesetter()
        .compile(&loaded, kanwu::Profile::Screen)
        .unwrap()
        .doc;
    let (mut svg_bytes, mut png_bytes) = (0, 0);
    let t = Instant::now();
    for page in doc.pages() {
        svg_bytes += kanwu::editor::serve::pages::render_svg(page).len();
    }
    let svg_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(2.0 * 96.0 / 72.0),
        render_bleed: false,
    };
    for page in doc.pages() {
        png_bytes += typst_render::render(page, &options)
            .encode_png()
            .unwrap()
            .len();
    }
    let png_ms = t.elapsed().as_millis();
    let t = Instant::now();
    let mut text = 0;
    for page in doc.pages() {
        text += kanwu::editor::serve::pages::text_layer_json(&kanwu::editor::serve::pages::runs(
            &page.frame,
        ))
        .len();
    }
    let text_ms = t.elapsed().as_millis();
    eprintln!(
        "{} pages: SVG {} KB in {svg_ms} ms; PNG@192ppi {} KB in {png_ms} ms; text layers {} KB in {text_ms} ms",
        doc.pages().len(),
        svg_bytes / 1024,
        png_bytes / 1024,
        text / 1024
    );
}

#[test]
fn serve_in_a_live_browser_swaps_the_edited_page_in_place_and_shows_errors_until_fixed() {
    let Some(browser) = chromium() else { return };
    let t = TempIssue::sample();
    let s = serve(&t.issue);
    let mut b = Browser::open(browser, &format!("http://127.0.0.1:{}/", s.port));
    let has = |text: &str| {
        format!(
            "[...document.querySelectorAll('.text-layer span')].some(s => s.textContent.includes('{text}'))"
        )
    };
    b.wait_until(&has("随着科技飞速发展"));
    // Every page shows, and the contents list every article with its page.
    let pages = get_json(s.port, "/api/issue")["pages"]
        .as_array()
        .unwrap()
        .len();
    b.wait_until(&format!(
        "[...document.querySelectorAll('.page img')].filter(i => i.complete && i.naturalWidth > 0).length === {pages}"
    ));
    assert_eq!(
        b.eval("document.querySelectorAll('#structure li.art .pg').length"),
        5
    );

    // Scrolled down, with a marker: an edit must keep both (no reload, no jump).
    b.eval("document.getElementById('main').scrollTop = 1200; window.marker = 42; 0");
    let scroll = b.eval("document.getElementById('main').scrollTop");
    assert!(scroll.as_f64().unwrap() > 0.0, "{scroll}");
    let file = t.path("ai-patents.md");
    let original = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        original.replace("随着科技飞速发展", "随着技术飞速发展"),
    )
    .unwrap();
    b.wait_until(&has("随着技术飞速发展"));
    assert_eq!(b.eval("window.marker"), 42, "the page was reloaded");
    assert_eq!(b.eval("document.getElementById('main').scrollTop"), scroll);
    assert!(b.eval("kanwu.updates").as_u64().unwrap() >= 2);

    // A broken manifest: the error with its line over the pages; fixed: gone.
    let manifest = t.path("issue.toml");
    let good = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, good.replace("number = 1", "number = \"一\"")).unwrap();
    let line = good.lines().position(|l| l == "number = 1").unwrap() + 1;
    b.wait_until("!document.getElementById('failure').hidden");
    let shown = b.eval("document.getElementById('diagnostics').textContent");
    let shown = shown.as_str().unwrap();
    assert!(shown.contains(&format!("issue.toml:{line}:")), "{shown}");
    assert!(shown.contains("number = \"一\""), "{shown}");
    assert_eq!(b.eval("document.querySelectorAll('.page').length"), pages);
    std::fs::write(&manifest, &good).unwrap();
    b.wait_until("document.getElementById('failure').hidden");
    assert_eq!(b.eval("window.marker"), 42);
}

/// Milliseconds since the Unix epoch, as the browser's `performance.timeOrigin + now()` counts.
fn epoch_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
        * 1e3
}

/// The `i`-th one-paragraph edit of ai-patents.md: one character of its first paragraph made
/// another, a different one each time, so that no page picture is ever one the browser has
/// seen (and cached) before; the paragraph keeps its length, so only its page changes.
fn edit(original: &str, i: usize) -> String {
    let c = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
        .chars()
        .cycle()
        .nth(i)
        .unwrap();
    let edited = original.replacen("随着科技飞速发展", &format!("随着{c}技飞速发展"), 1);
    assert_ne!(edited, original);
    edited
}

fn median_p90(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[(v.len() * 9).div_ceil(10) - 1])
}

/// Save → the changed page swapped in the browser, measured in the browser (bench/RESULTS.md,
/// "serve: save to page"): 20 one-paragraph edits of the sample; a MutationObserver stamps
/// the moment the page's picture (and its text layer) are replaced, against the time of the
/// write; Resource Timing gives the bytes fetched. `cargo test --test it
/// serve_measure_save_to_page -- --ignored --nocapture`.
#[test]
#[ignore]
fn serve_measure_save_to_page() {
    let Some(browser) = chromium() else { return };
    let t = TempIssue::sample();
    let s = serve(&t.issue);
    let mut b = Browser::open(browser, &format!("http://127.0.0.1:{}/", s.port));
    let pages = get_json(s.port, "/api/issue")["pages"]
        .as_array()
        .unwrap()
        .len();
    b.wait_until(&format!(
        "[...document.querySelectorAll('.page img')].filter(i => i.complete && i.naturalWidth > 0).length === {pages}"
    ));
    b.eval(
        "window.swaps = []; new MutationObserver((ms) => { const t = performance.timeOrigin + performance.now(); \
         for (const m of ms) { if (m.type === 'attributes' && m.target.tagName === 'IMG') swaps.push(['img', t, m.target.src]); \
         else if (m.type === 'childList' && m.target.classList.contains('text-layer')) swaps.push(['text', t, '']); } })\
         .observe(document.getElementById('pages'), { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] }); \
         const apply = window.applyBuild; window.applyBuild = (v) => { swaps.push(['event', performance.timeOrigin + performance.now(), '']); apply(v); }; 0",
    );
    let file = t.path("ai-patents.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let (mut img, mut text, mut bytes, mut built, mut event) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..20 {
        let edited = edit(&original, i);
        b.eval("swaps.length = 0; performance.clearResourceTimings(); 0");
        let written = epoch_ms();
        std::fs::write(&file, edited).unwrap();
        b.wait_until(
            "swaps.some(s => s[0] === 'img') && swaps.some(s => s[0] === 'text') && \
             performance.getEntriesByType('resource').filter(r => r.name.includes('/text/')).length > 0",
        );
        std::thread::sleep(Duration::from_millis(300));
        let mut at = |kind: &str| {
            b.eval(&format!(
                "Math.min(...swaps.filter(s => s[0] === '{kind}').map(s => s[1]))"
            ))
            .as_f64()
            .unwrap()
                - written
        };
        img.push(at("img"));
        event.push(at("event"));
        text.push(at("text"));
        let fetched = b.eval(
            "performance.getEntriesByType('resource').filter(r => /\\/(page|text)\\//.test(r.name))\
             .map(r => r.decodedBodySize).reduce((a, b) => a + b, 0)",
        );
        bytes.push(fetched.as_f64().unwrap());
        built.push(b.eval("kanwu.view.elapsed_ms").as_f64().unwrap());
    }
    let (im, ip) = median_p90(img);
    let (tm, tp) = median_p90(text);
    let (bm, _) = median_p90(bytes);
    let (km, kp) = median_p90(built);
    let (em, ep) = median_p90(event);
    let event = get(s.port, "/api/issue").2.len();
    eprintln!(
        "save → picture swapped: median {im:.0} ms, p90 {ip:.0} ms; text layer: median {tm:.0} ms, p90 {tp:.0} ms; \
         build event in the page: median {em:.0} ms, p90 {ep:.0} ms; \
         kanwu's build with the changed pages' SVG: median {km:.0} ms, p90 {kp:.0} ms; \
         fetched per edit {:.0} KB (pictures and text layers), plus the build event ({:.0} KB)",
        bm / 1024.0,
        event as f64 / 1024.0
    );
}

/// The comparison: `kanwu watch` writing the PDF, then a viewer rendering the changed page
/// again (pdftoppm of that page at 96 ppi, the work a reloading viewer does at the least).
/// `cargo test --test it watch_measure_save_to_pdf_page -- --ignored --nocapture`.
#[test]
#[ignore]
fn watch_measure_save_to_pdf_page() {
    if tool("pdftoppm").is_none() || tool("pdftotext").is_none() {
        return;
    }
    let t = TempIssue::sample();
    let pdf = t.root().join("watched.pdf");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kanwu"))
        .current_dir(root())
        .args([
            "watch",
            t.issue.to_str().unwrap(),
            "-o",
            pdf.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let _reaped = Reaped(child);
    rx.recv_timeout(WAIT).unwrap();
    // The page the edited paragraph is on.
    let page = (1..=20)
        .find(|n| {
            let o = Command::new("pdftotext")
                .args(["-f", &n.to_string(), "-l", &n.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            squash(&String::from_utf8_lossy(&o.stdout)).contains("随着科技飞速发展")
        })
        .unwrap();
    let file = t.path("ai-patents.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let (mut written, mut shown) = (Vec::new(), Vec::new());
    let png = t.root().join("view");
    for i in 0..20 {
        let edited = edit(&original, i);
        let before = std::fs::metadata(&pdf).unwrap().modified().unwrap();
        let start = Instant::now();
        std::fs::write(&file, edited).unwrap();
        // The PDF renamed into place: its modification time changes.
        while std::fs::metadata(&pdf)
            .and_then(|m| m.modified())
            .is_ok_and(|m| m == before)
        {
            assert!(start.elapsed() < WAIT, "watch never wrote the PDF");
            std::thread::sleep(Duration::from_millis(1));
        }
        written.push(start.elapsed().as_secs_f64() * 1e3);
        let p = page.to_string();
        let ok = Command::new("pdftoppm")
            .args(["-r", "96", "-png", "-f", &p, "-l", &p])
            .arg(&pdf)
            .arg(&png)
            .status()
            .unwrap()
            .success();
        assert!(ok);
        shown.push(start.elapsed().as_secs_f64() * 1e3);
        while rx.try_recv().is_ok() {}
        std::thread::sleep(Duration::from_millis(300));
    }
    let (wm, wp) = median_p90(written);
    let (sm, sp) = median_p90(shown);
    eprintln!(
        "save → PDF written: median {wm:.0} ms, p90 {wp:.0} ms; → page {page} rendered by pdftoppm: \
         median {sm:.0} ms, p90 {sp:.0} ms; the viewer rereads the whole PDF: {} KB",
        std::fs::metadata(&pdf).unwrap().len() / 1024
    );
}
