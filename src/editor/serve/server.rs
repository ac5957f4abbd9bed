//! The server: one thread accepts, one short thread per request, one thread per open event
//! stream. What it serves is the last good build held in memory ([`Shared`]); it reads no
//! file and changes none.

use std::collections::HashMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use serde_json::Value;

use super::http::{self, Refusal, Route};

/// The viewer, embedded in the binary: no CDN, no framework, no file read at run time.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// More open connections than this (a runaway client) are refused with 503.
const MAX_CONNECTIONS: usize = 64;
/// A comment line keeps an idle event stream open and finds closed ones.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// A client that sends its request head no faster than this is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The last good build and the current failure, as the browser gets them.
#[derive(Default)]
pub struct Snapshot {
    /// The issue view of the last good build (`build` events), with `version` and `changed`.
    pub view: Option<Value>,
    /// The current failure (`failed` events), until a build succeeds.
    pub failed: Option<Value>,
    /// Page pictures and text layers of the last good build, by hash.
    pub svgs: HashMap<String, Arc<[u8]>>,
    pub texts: HashMap<String, Arc<[u8]>>,
    /// The article files of the last good build, by the index the view names them with.
    pub files: Vec<PathBuf>,
}

#[derive(Default)]
pub struct Shared {
    /// `--allow-open`: the viewer may ask to open an article file (else 403).
    pub allow_open: bool,
    snapshot: Mutex<Snapshot>,
    streams: Mutex<Vec<mpsc::Sender<Arc<str>>>>,
    open: AtomicUsize,
}

impl Shared {
    pub fn new(allow_open: bool) -> Shared {
        Shared {
            allow_open,
            ..Shared::default()
        }
    }

    /// A good build: its pages replace the last ones; every open stream gets a `build` event.
    pub fn publish_build(
        &self,
        view: Value,
        svgs: HashMap<String, Arc<[u8]>>,
        texts: HashMap<String, Arc<[u8]>>,
        files: Vec<PathBuf>,
    ) {
        let event: Arc<str> = http::event("build", &view.to_string()).into();
        // Under the snapshot's lock, so a stream opening now gets this build exactly once.
        let mut s = self.snapshot.lock().expect("not poisoned");
        s.view = Some(view);
        s.failed = None;
        s.svgs = svgs;
        s.texts = texts;
        s.files = files;
        self.broadcast(event);
    }

    /// A failed build: the pages stay; every open stream gets a `failed` event.
    pub fn publish_failure(&self, failed: Value) {
        let event: Arc<str> = http::event("failed", &failed.to_string()).into();
        let mut s = self.snapshot.lock().expect("not poisoned");
        s.failed = Some(failed);
        self.broadcast(event);
    }

    /// The SVG cache of the last good build, to reuse unchanged pages.
    pub fn svgs(&self) -> HashMap<String, Arc<[u8]>> {
        self.snapshot.lock().expect("not poisoned").svgs.clone()
    }

    fn broadcast(&self, event: Arc<str>) {
        let mut streams = self.streams.lock().expect("not poisoned");
        streams.retain(|tx| tx.send(event.clone()).is_ok());
    }

    /// `/api/issue`: the view with the current failure (null when the build is good).
    fn issue_json(&self) -> String {
        let s = self.snapshot.lock().expect("not poisoned");
        let mut view = s.view.clone().unwrap_or_else(|| serde_json::json!({}));
        if let Value::Object(map) = &mut view {
            map.insert("failed".into(), s.failed.clone().unwrap_or(Value::Null));
        }
        view.to_string()
    }
}

/// Accepts connections until the process ends, each on its own thread.
pub fn run(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file handles, say: wait a little rather than spin.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        if shared.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.open.fetch_sub(1, Ordering::SeqCst);
            let mut stream = stream;
            let _ = http::refuse(&mut stream, &Refusal(503, "too many connections"));
            continue;
        }
        let conn = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("kanwu-serve-conn".into())
            .spawn(move || {
                let _ = handle(stream, &conn);
                conn.open.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread to answer on: the connection is dropped with its count.
            shared.open.fetch_sub(1, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    let request = http::read_head(&mut stream).and_then(|head| http::parse(&head));
    let request = match request {
        Ok(r) => r,
        Err(refusal) => return http::refuse(&mut stream, &refusal),
    };
    let h = request.head_only;
    let text = |ct: &str| format!("{ct}; charset=utf-8");
    match request.route {
        Route::Index => http::respond(
            &mut stream,
            200,
            &text("text/html"),
            "no-cache",
            INDEX_HTML.as_bytes(),
            h,
        ),
        Route::Script => http::respond(
            &mut stream,
            200,
            &text("text/javascript"),
            "no-cache",
            APP_JS.as_bytes(),
            h,
        ),
        Route::Style => http::respond(
            &mut stream,
            200,
            &text("text/css"),
            "no-cache",
            APP_CSS.as_bytes(),
            h,
        ),
        Route::Favicon => http::respond(&mut stream, 204, "image/x-icon", "max-age=86400", b"", h),
        Route::Issue => {
            let body = shared.issue_json();
            http::respond(
                &mut stream,
                200,
                &text("application/json"),
                "no-store",
                body.as_bytes(),
                h,
            )
        }
        Route::Svg(hash) => {
            let svg = shared
                .snapshot
                .lock()
                .expect("not poisoned")
                .svgs
                .get(&hash)
                .cloned();
            match svg {
                // Named by its content: the same URL is always the same picture.
                Some(svg) => http::respond(
                    &mut stream,
                    200,
                    "image/svg+xml",
                    "max-age=31536000, immutable",
                    &svg,
                    h,
                ),
                None => http::refuse(&mut stream, &Refusal(404, "no such page (any more)")),
            }
        }
        Route::Text(hash) => {
            let layer = shared
                .snapshot
                .lock()
                .expect("not poisoned")
                .texts
                .get(&hash)
                .cloned();
            match layer {
                Some(layer) => http::respond(
                    &mut stream,
                    200,
                    &text("application/json"),
                    "max-age=31536000, immutable",
                    &layer,
                    h,
                ),
                None => http::refuse(&mut stream, &Refusal(404, "no such text layer (any more)")),
            }
        }
        Route::Events => events(stream, shared, h),
        Route::Open(n) => {
            if !shared.allow_open {
                return http::refuse(
                    &mut stream,
                    &Refusal(403, "opening files is off: start serve with --allow-open"),
                );
            }
            let file = shared
                .snapshot
                .lock()
                .expect("not poisoned")
                .files
                .get(n)
                .cloned();
            let Some(file) = file.filter(|f| !f.as_os_str().is_empty()) else {
                return http::refuse(&mut stream, &Refusal(404, "no such article"));
            };
            match open_file(&file) {
                Ok(()) => http::respond(&mut stream, 204, "text/plain", "no-store", b"", false),
                Err(_) => http::refuse(&mut stream, &Refusal(500, "cannot start the opener")),
            }
        }
    }
}

/// The program that opens a file with the system's default application; `KANWU_OPEN_WITH`
/// names another (tests use it to see which file would be opened).
fn open_file(file: &Path) -> std::io::Result<()> {
    use std::process::{Command, Stdio};
    let mut cmd = if let Some(with) = std::env::var_os("KANWU_OPEN_WITH") {
        let mut c = Command::new(with);
        c.arg(file);
        c
    } else {
        opener(file)
    };
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reap it when it ends, without holding the request.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(target_os = "windows")]
fn opener(file: &Path) -> std::process::Command {
    let mut c = std::process::Command::new("cmd");
    c.args(["/c", "start", ""]).arg(file);
    c
}

#[cfg(target_os = "macos")]
fn opener(file: &Path) -> std::process::Command {
    let mut c = std::process::Command::new("open");
    c.arg(file);
    c
}

#[cfg(not(any(target_os = "windows", target_os = "macos")))]
fn opener(file: &Path) -> std::process::Command {
    let mut c = std::process::Command::new("xdg-open");
    c.arg(file);
    c
}

/// An event stream: the current state at once (so nothing built in between is missed), then
/// every build and failure as it happens.
fn events(mut stream: TcpStream, shared: &Shared, head_only: bool) -> std::io::Result<()> {
    http::event_stream_head(&mut stream)?;
    if head_only {
        return Ok(());
    }
    let (tx, rx) = mpsc::channel::<Arc<str>>();
    let mut first = String::new();
    {
        // Under the snapshot's lock: a build published after this is sent on the channel.
        let s = shared.snapshot.lock().expect("not poisoned");
        if let Some(view) = &s.view {
            first.push_str(&http::event("build", &view.to_string()));
        }
        if let Some(failed) = &s.failed {
            first.push_str(&http::event("failed", &failed.to_string()));
        }
        shared.streams.lock().expect("not poisoned").push(tx);
    }
    stream.write_all(first.as_bytes())?;
    stream.flush()?;
    loop {
        match rx.recv_timeout(KEEP_ALIVE) {
            Ok(event) => stream.write_all(event.as_bytes())?,
            Err(mpsc::RecvTimeoutError::Timeout) => stream.write_all(b": keep-alive\n\n")?,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        stream.flush()?;
    }
}
