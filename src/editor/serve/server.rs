//! The server: hyper's HTTP/1.1 on a one-thread tokio runtime. hyper reads the requests
//! (with a size limit and a timeout for their heads) and writes the responses; [`http::check`]
//! decides what each may ask for. The pages it serves are the last good build held in memory
//! ([`Shared`]). The desk's requests ([`desk_api`]) change files, each guarded: the desk's
//! own Origin, the secret its page carries, a size limit, and articles named by the desk's
//! numbers, never by a path.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Bytes, Frame, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::desk::Desk;
use super::http::{self, Refusal};
use super::{Wake, routes};

/// The viewer, embedded in the binary: no CDN, no framework, no file read at run time.
pub(super) const INDEX_HTML: &str = include_str!("assets/index.html");
pub(super) const APP_JS: &str = include_str!("assets/app.js");
pub(super) const APP_CSS: &str = include_str!("assets/app.css");
pub(super) const DESK_JS: &str = include_str!("assets/desk.js");
/// CodeMirror 6, bundled by web/codemirror/build.sh from pinned packages.
pub(super) const CODEMIRROR_JS: &str = include_str!("assets/codemirror.js");

/// Open connections at most: one more closes the oldest that is not a desk window's event
/// stream (a runaway client, idle sockets, forgotten tabs never lock anyone out).
const MAX_CONNECTIONS: usize = 256;
/// Event streams of pages that are not the desk's own windows (no secret: another tab, a
/// script), kept open at once: one more closes the oldest.
pub(super) const MAX_STREAMS: usize = 24;
/// The desk's own windows' streams (they carry the page's secret), kept open at once.
pub(super) const MAX_WINDOWS: usize = 32;
/// A comment line keeps an idle event stream open and finds closed ones.
const KEEP_ALIVE: Duration = Duration::from_secs(5);
/// A client that sends its request head (or its body) no faster than this is dropped.
pub(super) const READ_TIMEOUT: Duration = Duration::from_secs(5);
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
    /// The pages themselves, by the same hash, for a PNG at the size the browser shows them.
    pub pages: HashMap<String, typst_layout::Page>,
    pub texts: HashMap<String, Arc<[u8]>>,
    /// The article files of the last good build, by the index the view names them with.
    pub files: Vec<PathBuf>,
}

/// An open event stream: its channel, and whether a desk window (with the secret) holds it.
pub(super) struct Stream {
    pub(super) tx: mpsc::UnboundedSender<Bytes>,
    pub(super) window: bool,
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
    pub(super) snapshot: Mutex<Snapshot>,
    pub(super) streams: Mutex<VecDeque<Stream>>,
    pub(super) next_stream: AtomicU64,
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

    pub(super) fn index_html(&self) -> &str {
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
        pages: HashMap<String, typst_layout::Page>,
        texts: HashMap<String, Arc<[u8]>>,
        files: Vec<PathBuf>,
    ) {
        let event = Bytes::from(http::event("build", &view.to_string()));
        // Under the snapshot's lock, so a stream opening now gets this build exactly once.
        let mut s = self.snapshot.lock().expect("not poisoned");
        s.view = Some(view);
        s.failed = None;
        s.svgs = svgs;
        s.pages = pages;
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
        // Found for a build that a newer one has replaced meanwhile: not this view's.
        if view.get("version").and_then(Value::as_u64) != Some(version) {
            return;
        }
        let data = serde_json::json!({ "version": version, "findings": findings });
        view.insert("findings".into(), findings);
        self.broadcast(Bytes::from(http::event("findings", &data.to_string())));
    }

    fn broadcast(&self, event: Bytes) {
        let mut streams = self.streams.lock().expect("not poisoned");
        streams.retain(|s| s.tx.send(event.clone()).is_ok());
    }

    /// `/api/issue`: the view with the current failure (null when the build is good).
    pub(super) fn issue_json(&self) -> String {
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

/// Waits for Ctrl-C, SIGTERM or SIGHUP, then stops the desk ([`stop`]) with the shell's exit
/// code for that signal (130, 143, 129).
#[cfg(unix)]
fn stop_signals(
    shared: Arc<Shared>,
) -> std::io::Result<impl std::future::Future<Output = ()> + use<>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt())?;
    // SIGTERM (a shutdown, `kill`) and SIGHUP (the terminal it runs in closed): the same.
    for (kind, code) in [(SignalKind::terminate(), 143), (SignalKind::hangup(), 129)] {
        let mut sig = signal(kind)?;
        let other = shared.clone();
        tokio::spawn(async move {
            if sig.recv().await.is_some() {
                stop(&other, code);
            }
        });
    }
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
                    async move { Ok::<_, Infallible>(routes::handle(request, &shared, &window).await) }
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
    pub(super) shared: Arc<Shared>,
    pub(super) window: String,
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
pub(super) fn respond(
    status: u16,
    content_type: &str,
    cache: &'static str,
    body: Bytes,
) -> Response<Body> {
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

pub(super) fn refuse(r: &Refusal) -> Response<Body> {
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
