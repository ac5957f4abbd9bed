//! The server: hyper's HTTP/1.1 on a one-thread tokio runtime. hyper reads the requests
//! (with a size limit and a timeout for their heads) and writes the responses; [`http::check`]
//! decides what each may ask for. The pages it serves are the last good build held in memory
//! ([`Shared`]). The desk's requests ([`desk_api`]) change files, each guarded: the desk's
//! own Origin, the secret its page carries, a size limit, and articles named by the desk's
//! numbers, never by a path.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body as _, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::desk::{Desk, Refused, Target};
use super::http::{self, Refusal, Route};
use super::{Wake, desk_api};

/// The viewer, embedded in the binary: no CDN, no framework, no file read at run time.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const APP_CSS: &str = include_str!("assets/app.css");
const DESK_JS: &str = include_str!("assets/desk.js");
/// CodeMirror 6, bundled by web/codemirror/build.sh from pinned packages.
const CODEMIRROR_JS: &str = include_str!("assets/codemirror.js");

/// Open connections at most: one more closes the oldest that is not a desk window's event
/// stream (a runaway client, idle sockets, forgotten tabs never lock anyone out).
const MAX_CONNECTIONS: usize = 256;
/// Event streams of pages that are not the desk's own windows (no secret: another tab, a
/// script), kept open at once: one more closes the oldest.
const MAX_STREAMS: usize = 24;
/// The desk's own windows' streams (they carry the page's secret), kept open at once.
const MAX_WINDOWS: usize = 32;
/// A comment line keeps an idle event stream open and finds closed ones.
const KEEP_ALIVE: Duration = Duration::from_secs(5);
/// A client that sends its request head (or its body) no faster than this is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// After the last window of the desk closed, how long to wait for one to come back (a
/// reload) before the desk saves and stops.
const LAST_WINDOW_GRACE: Duration = Duration::from_secs(3);
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

/// An open event stream: its channel, and whether a desk window (with the secret) holds it.
struct Stream {
    tx: mpsc::UnboundedSender<Bytes>,
    window: bool,
}

/// An open connection: how to close it, and whether it carries a desk window's stream.
struct Conn {
    id: u64,
    abort: tokio::task::AbortHandle,
    window: Arc<std::sync::atomic::AtomicBool>,
}

#[derive(Default)]
pub struct Shared {
    /// `--allow-open`: the viewer may ask to open an article file (else 403).
    pub allow_open: bool,
    snapshot: Mutex<Snapshot>,
    streams: Mutex<VecDeque<Stream>>,
    next_stream: AtomicU64,
    /// Open connections, oldest first.
    conns: Mutex<VecDeque<Conn>>,
    /// The desk (None: `--read-only`, the viewer alone).
    pub desk: Option<Mutex<Desk>>,
    /// The secret the desk's page carries in every request that changes something.
    pub token: String,
    /// The port the desk listens on (a change must come from a page of this port).
    pub port: AtomicUsize,
    /// Tells the builder that an article's unsaved text or a file changed.
    pub wake: Mutex<Option<std::sync::mpsc::Sender<Wake>>>,
    /// The page, in kanwu's language with the desk's settings (made once).
    page: std::sync::OnceLock<String>,
}

impl Shared {
    pub fn new(allow_open: bool, desk: Option<Desk>) -> Shared {
        Shared {
            allow_open,
            desk: desk.map(Mutex::new),
            token: secret(),
            ..Shared::default()
        }
    }

    fn index_html(&self) -> &str {
        self.page.get_or_init(|| {
            let settings = json!({
                "token": if self.desk.is_some() { self.token.as_str() } else { "" },
                "desk": self.desk.is_some(),
            });
            super::ui::index_html(INDEX_HTML, &settings)
        })
    }

    /// Wakes the builder: an article's unsaved text or one of the issue's files changed.
    pub fn wake(&self, w: Wake) {
        if let Some(tx) = self.wake.lock().expect("not poisoned").as_ref() {
            let _ = tx.send(w);
        }
    }

    /// Sends an event to every open stream.
    pub fn send(&self, name: &str, data: &Value) {
        self.broadcast(Bytes::from(http::event(name, &data.to_string())));
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
        streams.retain(|s| s.tx.send(event.clone()).is_ok());
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

/// 32 hexadecimal digits from the system's random source (a clock and the process id where
/// it fails: the secret must only be unguessable by another site's page).
fn secret() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes = (typst::utils::hash128(&(t, std::process::id()))).to_le_bytes();
    }
    crate::util::hex(&bytes)
}

/// Starts serving on `listener` on a thread of its own, until the process ends. Ctrl-C and
/// SIGTERM save the desk's unsaved texts and end the process (also when it was started with
/// SIGINT ignored: the handlers are installed, not inherited).
pub fn start(listener: std::net::TcpListener, shared: Arc<Shared>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    listener.set_nonblocking(true)?;
    shared.port.store(
        listener.local_addr().map_or(0, |a| a.port() as usize),
        Ordering::SeqCst,
    );
    let listener = {
        let _inside = runtime.enter();
        let stops = stop_signals(shared.clone())?;
        tokio::spawn(stops);
        tokio::net::TcpListener::from_std(listener)?
    };
    std::thread::Builder::new()
        .name("kanwu-serve".into())
        .spawn(move || runtime.block_on(accept(listener, shared)))?;
    Ok(())
}

/// Waits for Ctrl-C or SIGTERM, then stops the desk ([`stop`]) with the shell's exit code
/// for that signal (130, 143).
#[cfg(unix)]
fn stop_signals(
    shared: Arc<Shared>,
) -> std::io::Result<impl std::future::Future<Output = ()> + use<>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt())?;
    let mut term = signal(SignalKind::terminate())?;
    let other = shared.clone();
    tokio::spawn(async move {
        if term.recv().await.is_some() {
            stop(&other, 143);
        }
    });
    Ok(async move {
        if int.recv().await.is_some() {
            stop(&shared, 130);
        }
    })
}

#[cfg(not(unix))]
fn stop_signals(
    shared: Arc<Shared>,
) -> std::io::Result<impl std::future::Future<Output = ()> + use<>> {
    Ok(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stop(&shared, 130);
        }
    })
}

/// Saves what the desk holds unsaved (see `Desk::save_all`), says so, and ends the process.
pub fn stop(shared: &Shared, code: i32) -> ! {
    if let Some(desk) = &shared.desk {
        let mut desk = desk.lock().unwrap_or_else(|p| p.into_inner());
        for (file, written) in desk.save_all() {
            let line = if written {
                msg!("desk-saved-on-stop", file = file)
            } else {
                msg!("desk-kept-on-stop", file = file)
            };
            println!("{line}");
        }
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(code)
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
        let window = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let id = shared.next_stream.fetch_add(1, Ordering::SeqCst);
        // Held while the task is spawned and listed: it cannot end (and unlist itself) first.
        let mut conns = shared.conns.lock().expect("not poisoned");
        if conns.len() >= MAX_CONNECTIONS {
            match conns.iter().position(|c| !c.window.load(Ordering::SeqCst)) {
                Some(oldest) => {
                    if let Some(c) = conns.remove(oldest) {
                        c.abort.abort();
                    }
                }
                None => {
                    let _ = stream.try_write(
                        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    continue;
                }
            }
        }
        let task = {
            let shared = shared.clone();
            let window = window.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(|request| {
                    let shared = shared.clone();
                    let window = window.clone();
                    async move { Ok::<_, Infallible>(handle(request, &shared, &window).await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(READ_TIMEOUT)
                    .max_buf_size(MAX_HEAD)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                let mut conns = shared.conns.lock().expect("not poisoned");
                conns.retain(|c| c.id != id);
            })
        };
        conns.push_back(Conn {
            id,
            abort: task.abort_handle(),
            window,
        });
    }
}

/// A response body: all of it at once, or an event stream (with the window it belongs to,
/// which is let go when the stream ends).
pub enum Body {
    Full(Option<Bytes>),
    // The guard is held for its Drop: the window is let go when the stream ends.
    Events(
        mpsc::UnboundedReceiver<Bytes>,
        #[allow(dead_code)] Option<WindowGuard>,
    ),
}

/// A desk window's event stream: when it ends (the window closed, reloaded or went away),
/// the window's articles are free again, and when it was the last window the desk stops
/// after [`LAST_WINDOW_GRACE`] unless one comes back.
pub struct WindowGuard {
    shared: Arc<Shared>,
    window: String,
}

impl Drop for WindowGuard {
    fn drop(&mut self) {
        window_gone(&self.shared, &self.window, false);
    }
}

/// A window closed (its stream ended, or it said goodbye: `all`): its articles are freed and
/// the other windows told; after the last one, the desk stops unless one comes back.
pub fn window_gone(shared: &Arc<Shared>, window: &str, all: bool) {
    let Some(desk) = &shared.desk else { return };
    let (left, locks, had) = {
        let mut d = desk.lock().unwrap_or_else(|p| p.into_inner());
        let left = d.window_closed(window, all);
        (left, d.locks(), d.had_window)
    };
    shared.send("locks", &json!({ "locks": locks }));
    if left || !had {
        return;
    }
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let shared = shared.clone();
    handle.spawn(async move {
        tokio::time::sleep(LAST_WINDOW_GRACE).await;
        let none = shared
            .desk
            .as_ref()
            .is_some_and(|d| d.lock().unwrap_or_else(|p| p.into_inner()).windows_open() == 0);
        if none {
            stop(&shared, 0);
        }
    });
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
            Body::Events(rx, _) => rx.poll_recv(cx).map(|e| e.map(|e| Ok(Frame::data(e)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(..) => SizeHint::default(),
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

/// A JSON answer of the desk: 200 with the value, or the refusal's status with its message
/// (and detail) as `{"error": …}`.
fn answer(a: Result<Value, Refused>) -> Response<Body> {
    let (status, body) = match a {
        Ok(v) => (200, v),
        Err(r) => (r.status, json!({ "error": r.message, "detail": r.detail })),
    };
    respond(
        status,
        "application/json; charset=utf-8",
        "no-store",
        Bytes::from(body.to_string()),
    )
}

/// Reads a request's body, at most `max` bytes (413 past that), within [`READ_TIMEOUT`].
async fn read_body(mut body: Incoming, max: usize) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    let read = async {
        while let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        {
            let frame = frame.map_err(|_| Refusal(400, "the request's body could not be read"))?;
            if let Ok(data) = frame.into_data() {
                if out.len() + data.len() > max {
                    return Err(Refusal(413, "the request is larger than the desk takes"));
                }
                out.extend_from_slice(&data);
            }
        }
        Ok(())
    };
    match tokio::time::timeout(READ_TIMEOUT, read).await {
        Ok(r) => r.map(|()| out),
        Err(_) => Err(Refusal(408, "the request's body came too slowly")),
    }
}

async fn handle(
    request: Request<Incoming>,
    shared: &Arc<Shared>,
    window: &std::sync::atomic::AtomicBool,
) -> Response<Body> {
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
    let checked = match http::check(request.method().as_str(), &target, host, ours) {
        Ok(r) => r,
        Err(refusal) => return refuse(&refusal),
    };
    if checked.route == Route::Desk {
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let port = shared.port.load(Ordering::SeqCst) as u16;
        let token = headers
            .get(http::TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Err(r) = http::check_write(origin, host.unwrap_or(""), port, length) {
            return refuse(&r);
        }
        if shared.desk.is_none() {
            return refuse(&Refusal(403, "this desk is read-only (--read-only)"));
        }
        let body = match read_body(request.into_body(), http::MAX_BODY).await {
            Ok(b) => b,
            Err(r) => return refuse(&r),
        };
        let Ok(body) = serde_json::from_slice::<Value>(&body) else {
            return refuse(&Refusal(400, "a desk request is a JSON object"));
        };
        // The secret in a header, or in the body (a goodbye sent with sendBeacon).
        let token = token.or_else(|| body["token"].as_str().map(str::to_string));
        if !token.is_some_and(|t| http::same_secret(&t, &shared.token)) {
            return refuse(&Refusal(403, "the desk's secret is missing or wrong"));
        }
        return answer(desk_api(shared, &body));
    }
    if let Route::Open(n) = checked.route {
        return open_route(n, shared).await;
    }
    // A desk window's stream carries the page's secret (`/events/<window>?t=<secret>`).
    if let Route::Events(Some(_)) = &checked.route {
        let query = target.split_once('?').map_or("", |(_, q)| q);
        let secret = query.split('&').find_map(|kv| kv.strip_prefix("t="));
        if shared.desk.is_some() && secret.is_some_and(|t| http::same_secret(t, &shared.token)) {
            window.store(true, Ordering::SeqCst);
        } else {
            let mut c = checked.clone();
            c.route = Route::Events(None);
            return route(c, shared);
        }
    }
    route(checked, shared)
}

fn route(request: http::Request, shared: &Arc<Shared>) -> Response<Body> {
    let text = |ct: &str| format!("{ct}; charset=utf-8");
    let embedded = |ct: &str, body: &'static str| {
        respond(
            200,
            &text(ct),
            "no-cache",
            Bytes::from_static(body.as_bytes()),
        )
    };
    let desk = |f: &dyn Fn(&mut Desk) -> Result<Value, Refused>| -> Response<Body> {
        match &shared.desk {
            Some(d) => answer(f(&mut d.lock().unwrap_or_else(|p| p.into_inner()))),
            None => refuse(&Refusal(403, "this desk is read-only (--read-only)")),
        }
    };
    match request.route {
        Route::Index => respond(
            200,
            &text("text/html"),
            "no-cache",
            Bytes::from(shared.index_html().to_string()),
        ),
        Route::Script => embedded("text/javascript", APP_JS),
        Route::Style => embedded("text/css", APP_CSS),
        Route::DeskScript => embedded("text/javascript", DESK_JS),
        Route::Editor => embedded("text/javascript", CODEMIRROR_JS),
        Route::Favicon => respond(204, "image/x-icon", "max-age=86400", Bytes::new()),
        Route::Desk => refuse(&Refusal(405, "changes take a POST")),
        Route::Article(id) => desk(&|d| d.article(id)),
        Route::Conflict(id) => desk(&|d| d.conflict_texts(id)),
        Route::Fields => desk(&|d| super::structure::fields(d)),
        Route::History(t) => desk(&|d| {
            let target =
                Target::parse(&t).ok_or_else(|| Refused::new(404, msg!("desk-no-such-version")))?;
            let (_, key, _) = d.target(&target)?;
            Ok(json!({ "versions": d.history.list(&key) }))
        }),
        Route::Version(t, name) => desk(&|d| {
            let target =
                Target::parse(&t).ok_or_else(|| Refused::new(404, msg!("desk-no-such-version")))?;
            let (_, key, _) = d.target(&target)?;
            let bytes = d
                .history
                .read(&key, &name)
                .ok_or_else(|| Refused::new(404, msg!("desk-no-such-version")))?;
            Ok(json!({ "text": String::from_utf8_lossy(&bytes) }))
        }),
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
        Route::Events(window) => events(shared, request.head_only, window),
        // Answered in `handle`: it waits for the opener.
        Route::Open(_) => refuse(&Refusal(405, "opening a file takes a POST")),
    }
}

/// `POST /api/open/<n>`: the n-th article file opened with the system's default application.
/// The answer waits (at most 2 s, off the server's thread) for the opener to fail: a failed
/// opener (xdg-open without an application for .md files) is said, not answered 204.
async fn open_route(n: usize, shared: &Shared) -> Response<Body> {
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
    let opened = tokio::task::spawn_blocking(move || open_file(&file)).await;
    match opened {
        Ok(Ok(())) => respond(204, "text/plain", "no-store", Bytes::new()),
        Ok(Err(e)) => respond(
            500,
            "text/plain; charset=utf-8",
            "no-store",
            Bytes::from(msg!("desk-opener-failed", e = e.to_string())),
        ),
        Err(_) => refuse(&Refusal(500, "cannot start the opener")),
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
    // An opener that fails says so at once (xdg-open: exit 3, no application); one that is
    // still running after a moment has opened something.
    let until = std::time::Instant::now() + Duration::from_secs(2);
    while std::time::Instant::now() < until {
        match child.try_wait()? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => return Err(std::io::Error::other(status.to_string())),
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
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
/// every build and failure as it happens. A desk window's stream holds the window open.
fn events(shared: &Arc<Shared>, head_only: bool, window: Option<String>) -> Response<Body> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut guard = None;
    if !head_only {
        // Under the snapshot's lock: a build published after this is sent on the channel.
        let s = shared.snapshot.lock().expect("not poisoned");
        if let Some(view) = &s.view {
            let _ = tx.send(Bytes::from(http::event("build", &view.to_string())));
        }
        if let Some(failed) = &s.failed {
            let _ = tx.send(Bytes::from(http::event("failed", &failed.to_string())));
        }
        let mut streams = shared.streams.lock().expect("not poisoned");
        let is_window = window.is_some();
        streams.push_back(Stream {
            tx,
            window: is_window,
        });
        // The oldest stream of the same kind makes room: its body ends, its connection is
        // let go. Streams without the secret never push out a desk window's.
        let cap = if is_window { MAX_WINDOWS } else { MAX_STREAMS };
        if streams.iter().filter(|s| s.window == is_window).count() > cap
            && let Some(i) = streams.iter().position(|s| s.window == is_window)
        {
            streams.remove(i);
        }
        drop(streams);
        drop(s);
        if let (Some(w), Some(desk)) = (window, &shared.desk) {
            desk.lock()
                .unwrap_or_else(|p| p.into_inner())
                .window_opened(&w);
            guard = Some(WindowGuard {
                shared: shared.clone(),
                window: w,
            });
        }
    }
    let mut r = respond(
        200,
        "text/event-stream; charset=utf-8",
        "no-store",
        Bytes::new(),
    );
    *r.body_mut() = Body::Events(rx, guard);
    r
}
