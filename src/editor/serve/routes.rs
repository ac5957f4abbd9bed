//! What each request gets: the page and its files, the pages of the last good build, the
//! event streams, and the desk's requests ([`super::desk_api`]) once their Origin, size and
//! secret are checked. Which requests may be made at all is decided in [`http::check`].

use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hyper::body::{Body as _, Bytes, Incoming};
use hyper::header;
use hyper::{Request, Response};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::desk::{Desk, Refused};
use super::desk_api;
use super::http::{self, Refusal, Route};
use super::server::{
    APP_CSS, APP_JS, Body, CODEMIRROR_JS, DESK_JS, MAX_STREAMS, MAX_WINDOWS, READ_TIMEOUT, Shared,
    Stream, WindowGuard, refuse, respond,
};

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

pub(super) async fn handle(
    request: Request<Incoming>,
    shared: &Arc<Shared>,
    window: &AtomicBool,
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
    if let Route::Raster(hash, width) = &checked.route {
        return raster(shared, hash, *width).await;
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
            let key = d.history_key(&t)?;
            Ok(json!({ "versions": d.history.list(&key) }))
        }),
        Route::Version(t, name) => desk(&|d| {
            let key = d.history_key(&t)?;
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
        // Answered in `handle`: it waits for the opener, or for the drawing.
        Route::Open(_) => refuse(&Refusal(405, "opening a file takes a POST")),
        Route::Raster(..) => refuse(&Refusal(404, "not found")),
    }
}

/// A page of the last good build as a PNG `width` pixels wide, drawn off the server's thread
/// (typst-render): after a keystroke the browser shows it first, since it decodes a PNG much
/// quicker than the page's SVG, which replaces it once decoded (sharp at any zoom).
async fn raster(shared: &Shared, hash: &str, width: u32) -> Response<Body> {
    let page = shared
        .snapshot
        .lock()
        .expect("not poisoned")
        .pages
        .get(hash)
        .cloned();
    let Some(page) = page else {
        return refuse(&Refusal(404, "no such page (any more)"));
    };
    let png = tokio::task::spawn_blocking(move || {
        let scale = width as f64 / page.frame.width().to_pt().max(1.0);
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(scale),
            render_bleed: false,
        };
        typst_render::render(&page, &options).encode_png().ok()
    })
    .await;
    match png {
        Ok(Some(png)) => respond(
            200,
            "image/png",
            "max-age=31536000, immutable",
            Bytes::from(png),
        ),
        _ => refuse(&Refusal(500, "the page could not be drawn")),
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
