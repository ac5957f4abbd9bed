//! The server: hyper's HTTP/1.1 on a one-thread tokio runtime. hyper reads the requests
//! (with a size limit and a timeout for their heads) and writes the responses; [`http::check`]
//! decides what each may ask for. What it serves is the last good build held in memory
//! ([`Shared`]); it reads no file and changes none.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::sync::mpsc;

use super::http::{self, Refusal, Route};

/// The viewer, embedded in the binary: no CDN, no framework, no file read at run time.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");

/// The page, in kanwu's language (made once: the language is set for the whole run).
fn index_html() -> &'static str {
    static PAGE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PAGE.get_or_init(|| super::ui::index_html(INDEX_HTML))
}

/// More open connections than this (a runaway client) are refused with 503.
const MAX_CONNECTIONS: usize = 64;
/// A comment line keeps an idle event stream open and finds closed ones.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// A client that sends its request head no faster than this is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// hyper's read buffer, and so the longest request head (a longer one is answered 431).
const MAX_HEAD: usize = 16 * 1024;

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
    streams: Mutex<Vec<mpsc::UnboundedSender<Bytes>>>,
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
        let event = Bytes::from(http::event("build", &view.to_string()));
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
        let event = Bytes::from(http::event("failed", &failed.to_string()));
        let mut s = self.snapshot.lock().expect("not poisoned");
        s.failed = Some(failed);
        self.broadcast(event);
    }

    /// Preflight's findings of the last good build (`version`), which follow its pages: into
    /// the view, and a `findings` event to every open stream.
    pub fn publish_findings(&self, version: u64, findings: Value) {
        let mut s = self.snapshot.lock().expect("not poisoned");
        let Some(Value::Object(view)) = &mut s.view else {
            return;
        };
        let data = serde_json::json!({ "version": version, "findings": findings });
        view.insert("findings".into(), findings);
        self.broadcast(Bytes::from(http::event("findings", &data.to_string())));
    }

    /// The SVG cache of the last good build, to reuse unchanged pages.
    pub fn svgs(&self) -> HashMap<String, Arc<[u8]>> {
        self.snapshot.lock().expect("not poisoned").svgs.clone()
    }

    fn broadcast(&self, event: Bytes) {
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

/// Starts serving on `listener` on a thread of its own, until the process ends.
pub fn start(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    listener.set_nonblocking(true)?;
    let listener = {
        let _inside = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    std::thread::Builder::new()
        .name("kanwu-serve".into())
        .spawn(move || runtime.block_on(accept(listener, shared)))?;
    Ok(())
}

/// Accepts connections, each served as a task of its own; sends the keep-alive comments.
async fn accept(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let pinger = shared.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(KEEP_ALIVE);
        loop {
            every.tick().await;
            pinger.broadcast(Bytes::from_static(b": keep-alive\n\n"));
        }
    });
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file handles, say: wait a little rather than spin.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if shared.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.try_write(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            continue;
        }
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(|request| {
                let response = handle(&request, &shared);
                async move { Ok::<_, Infallible>(response) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(READ_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            shared.open.fetch_sub(1, Ordering::SeqCst);
        });
    }
}

/// A response body: all of it at once, or an event stream.
pub enum Body {
    Full(Option<Bytes>),
    Events(mpsc::UnboundedReceiver<Bytes>),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(body) => Poll::Ready(body.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(rx) => rx.poll_recv(cx).map(|e| e.map(|e| Ok(Frame::data(e)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

/// A whole response. (hyper leaves the body out when answering a HEAD.)
fn respond(status: u16, content_type: &str, cache: &'static str, body: Bytes) -> Response<Body> {
    let mut r = Response::new(Body::Full(Some(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = r.headers_mut();
    if let Ok(ct) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, ct);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    for (name, value) in http::SAFE_HEADERS {
        h.insert(name, HeaderValue::from_static(value));
    }
    r
}

fn refuse(r: &Refusal) -> Response<Body> {
    let reason = StatusCode::from_u16(r.0)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    respond(
        r.0,
        "text/plain; charset=utf-8",
        "no-store",
        Bytes::from(http::refusal_text(r, reason)),
    )
}

fn handle(request: &Request<Incoming>, shared: &Shared) -> Response<Body> {
    let headers = request.headers();
    // Exactly one Host: with two, which one a proxy or a browser went by is anyone's guess.
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().ok(),
        _ => None,
    };
    let ours = headers
        .get(http::OPEN_HEADER)
        .is_some_and(|v| v.as_bytes() == b"1");
    let target = request.uri().to_string();
    let request = match http::check(request.method().as_str(), &target, host, ours) {
        Ok(r) => r,
        Err(refusal) => return refuse(&refusal),
    };
    let text = |ct: &str| format!("{ct}; charset=utf-8");
    let embedded = |ct: &str, body: &'static str| {
        respond(
            200,
            &text(ct),
            "no-cache",
            Bytes::from_static(body.as_bytes()),
        )
    };
    match request.route {
        Route::Index => embedded("text/html", index_html()),
        Route::Script => embedded("text/javascript", APP_JS),
        Route::Style => embedded("text/css", APP_CSS),
        Route::Favicon => respond(204, "image/x-icon", "max-age=86400", Bytes::new()),
        Route::Issue => respond(
            200,
            &text("application/json"),
            "no-store",
            Bytes::from(shared.issue_json()),
        ),
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
                Some(svg) => respond(
                    200,
                    "image/svg+xml",
                    "max-age=31536000, immutable",
                    Bytes::from_owner(svg),
                ),
                None => refuse(&Refusal(404, "no such page (any more)")),
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
                Some(layer) => respond(
                    200,
                    &text("application/json"),
                    "max-age=31536000, immutable",
                    Bytes::from_owner(layer),
                ),
                None => refuse(&Refusal(404, "no such text layer (any more)")),
            }
        }
        Route::Events => events(shared, request.head_only),
        Route::Open(n) => {
            if !shared.allow_open {
                return refuse(&Refusal(
                    403,
                    "opening files is off: start serve with --allow-open",
                ));
            }
            let file = shared
                .snapshot
                .lock()
                .expect("not poisoned")
                .files
                .get(n)
                .cloned();
            let Some(file) = file.filter(|f| !f.as_os_str().is_empty()) else {
                return refuse(&Refusal(404, "no such article"));
            };
            match open_file(&file) {
                Ok(()) => respond(204, "text/plain", "no-store", Bytes::new()),
                Err(_) => refuse(&Refusal(500, "cannot start the opener")),
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
fn events(shared: &Shared, head_only: bool) -> Response<Body> {
    let (tx, rx) = mpsc::unbounded_channel();
    if !head_only {
        // Under the snapshot's lock: a build published after this is sent on the channel.
        let s = shared.snapshot.lock().expect("not poisoned");
        if let Some(view) = &s.view {
            let _ = tx.send(Bytes::from(http::event("build", &view.to_string())));
        }
        if let Some(failed) = &s.failed {
            let _ = tx.send(Bytes::from(http::event("failed", &failed.to_string())));
        }
        shared.streams.lock().expect("not poisoned").push(tx);
    }
    let mut r = respond(
        200,
        "text/event-stream; charset=utf-8",
        "no-store",
        Bytes::new(),
    );
    *r.body_mut() = Body::Events(rx);
    r
}
