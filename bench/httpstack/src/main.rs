//! Three HTTP servers for `kanwu serve`'s one use, measured with the same std client:
//!
//! - `std`: the plain std::net server kanwu had (thread per connection, `std_http.rs` is a
//!   copy of its request parser),
//! - `axum`: axum 0.8 on a current-thread tokio runtime (`--features axum`),
//! - `tiny`: tiny_http 0.12 (`--features tiny`),
//! - `hyper`: hyper 1 on a current-thread tokio runtime, as kanwu serve now has it
//!   (`--features hyper`).
//!
//! Each serves a page picture of the sample's size by its hash and an event stream of build
//! events of the sample's size. Measured: a picture's GET (new connection each time, as kanwu
//! closes after each response) and an event's delay from publish to the client reading it.
//!
//! `cargo run --features axum,tiny,hyper -- [ROUNDS]` from bench/httpstack.

#[allow(dead_code)]
mod std_http;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

const HASH: &str = "0123456789abcdef0123456789abcdef";
/// A one-paragraph edit changes one page: ~430 KB of SVG (see RESULTS.md).
const SVG_BYTES: usize = 430 * 1024;
/// A build event of the sample: the issue view as one line of JSON.
const EVENT_BYTES: usize = 24 * 1024;

/// What every server serves, and the open event streams to publish to.
struct Hub {
    svg: Arc<[u8]>,
    /// Each stream's sender: false once its stream is gone.
    streams: Mutex<Vec<Sender>>,
}

type Sender = Box<dyn Fn(Arc<str>) -> bool + Send>;

impl Hub {
    /// A stream read on a thread of its own (std, tiny_http).
    fn subscribe(&self) -> mpsc::Receiver<Arc<str>> {
        let (tx, rx) = mpsc::channel();
        self.add(Box::new(move |e| tx.send(e).is_ok()));
        rx
    }
    fn add(&self, tx: Sender) {
        self.streams.lock().unwrap().push(tx);
    }
    fn publish(&self, event: Arc<str>) {
        self.streams.lock().unwrap().retain(|tx| tx(event.clone()));
    }
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let svg: Vec<u8> = (0..SVG_BYTES)
        .map(|i| b"<path d=\"M0 0\"/>\n"[i % 17])
        .collect();
    let mut servers: Vec<(&str, fn(Arc<Hub>) -> SocketAddr)> = vec![("std", std_server)];
    #[cfg(feature = "axum")]
    servers.push(("axum", axum_server::start));
    #[cfg(feature = "tiny")]
    servers.push(("tiny_http", tiny_server::start));
    #[cfg(feature = "hyper")]
    servers.push(("hyper", hyper_server::start));
    println!(
        "| server | GET 430 KB picture: median / p90 | throughput | event delay: median / p90 |"
    );
    println!("|---|---|---|---|");
    for (name, start) in servers {
        let hub = Arc::new(Hub {
            svg: svg.clone().into(),
            streams: Mutex::new(Vec::new()),
        });
        let addr = start(hub.clone());
        // Warm up.
        for _ in 0..10 {
            get(addr, &format!("/page/{HASH}.svg"));
        }
        let mut gets = Vec::new();
        let t = Instant::now();
        for _ in 0..rounds {
            let s = Instant::now();
            let n = get(addr, &format!("/page/{HASH}.svg"));
            assert_eq!(n, SVG_BYTES);
            gets.push(s.elapsed());
        }
        let mbps = (rounds * SVG_BYTES) as f64 / t.elapsed().as_secs_f64() / 1e6;
        let delays = events(addr, &hub, rounds);
        let (g, d) = (stats(gets), stats(delays));
        println!(
            "| {name} | {:.2} / {:.2} ms | {mbps:.0} MB/s | {:.3} / {:.3} ms |",
            g.0, g.1, d.0, d.1
        );
    }
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(v[v.len() / 2]), ms(v[v.len() * 9 / 10]))
}

/// GET `target` on a new connection; the body's length.
fn get(addr: SocketAddr, target: &str) -> usize {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        addr.port()
    )
    .unwrap();
    let mut all = Vec::with_capacity(SVG_BYTES + 1024);
    s.read_to_end(&mut all).unwrap();
    let end = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    assert!(
        all.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&all[..end])
    );
    all.len() - end - 4
}

/// Publishes `rounds` events 2 ms apart; the delay of each to the client's reading it.
fn events(addr: SocketAddr, hub: &Hub, rounds: usize) -> Vec<Duration> {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        addr.port()
    )
    .unwrap();
    let published: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let (tx, rx) = mpsc::channel();
    let p = published.clone();
    std::thread::spawn(move || {
        let mut r = BufReader::new(s);
        let mut line = String::new();
        while r.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(data) = line.strip_prefix("data: {\"seq\":") {
                let seq: usize = data[..data.find(',').unwrap()].parse().unwrap();
                let at = Instant::now();
                let _ = tx.send(at - p.lock().unwrap()[seq]);
            }
            line.clear();
        }
    });
    // Wait until the stream is subscribed.
    while hub.streams.lock().unwrap().is_empty() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let pad = "x".repeat(EVENT_BYTES);
    let mut delays = Vec::new();
    for seq in 0..rounds {
        published.lock().unwrap().push(Instant::now());
        hub.publish(format!("event: build\ndata: {{\"seq\":{seq},\"pad\":\"{pad}\"}}\n\n").into());
        delays.push(rx.recv_timeout(Duration::from_secs(10)).expect("the event"));
        std::thread::sleep(Duration::from_millis(2));
    }
    delays
}

// ------------------------------------------------------------------ (a) std, as kanwu had it

fn std_server(hub: Arc<Hub>) -> SocketAddr {
    use std_http::Route;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let hub = hub.clone();
            std::thread::spawn(move || {
                stream
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                let r = std_http::read_head(&mut stream).and_then(|h| std_http::parse(&h));
                let r = match r {
                    Ok(r) => r,
                    Err(e) => return std_http::refuse(&mut stream, &e),
                };
                match r.route {
                    Route::Svg(_) => std_http::respond(
                        &mut stream,
                        200,
                        "image/svg+xml",
                        "max-age=31536000, immutable",
                        &hub.svg,
                        false,
                    ),
                    Route::Events => {
                        std_http::event_stream_head(&mut stream)?;
                        let rx = hub.subscribe();
                        while let Ok(e) = rx.recv() {
                            stream.write_all(e.as_bytes())?;
                            stream.flush()?;
                        }
                        Ok(())
                    }
                    _ => std_http::refuse(&mut stream, &std_http::Refusal(404, "not found")),
                }
            });
        }
    });
    addr
}

// ------------------------------------------------------------------ (b) axum + tokio

#[cfg(feature = "axum")]
mod axum_server {
    use super::*;
    use axum::Router;
    use axum::extract::{Path, State};
    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::sse::{Event, KeepAlive, Sse};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;

    fn local(headers: &HeaderMap) -> bool {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(crate::std_http::host_allowed)
    }

    async fn svg(
        State(hub): State<Arc<Hub>>,
        headers: HeaderMap,
        Path(_name): Path<String>,
    ) -> Response {
        if !local(&headers) {
            return StatusCode::FORBIDDEN.into_response();
        }
        (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "max-age=31536000, immutable"),
            ],
            axum::body::Bytes::from_owner(SharedBytes(hub.svg.clone())),
        )
            .into_response()
    }

    struct SharedBytes(Arc<[u8]>);
    impl AsRef<[u8]> for SharedBytes {
        fn as_ref(&self) -> &[u8] {
            &self.0
        }
    }

    async fn events(State(hub): State<Arc<Hub>>, headers: HeaderMap) -> Response {
        if !local(&headers) {
            return StatusCode::FORBIDDEN.into_response();
        }
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Arc<str>>();
        hub.add(Box::new(move |e| tx.send(e).is_ok()));
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            let e = rx.recv().await?;
            let data = e
                .strip_prefix("event: build\ndata: ")
                .unwrap()
                .trim_end()
                .to_string();
            Some((
                Ok::<_, std::convert::Infallible>(Event::default().event("build").data(data)),
                rx,
            ))
        });
        Sse::new(stream)
            .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
            .into_response()
    }

    pub fn start(hub: Arc<Hub>) -> SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let app = Router::new()
                    .route("/page/{name}", get(svg))
                    .route("/events", get(events))
                    .with_state(hub);
                axum::serve(listener, app).await.unwrap();
            });
        });
        addr
    }
}

// ------------------------------------------------------------------ (c) tiny_http

#[cfg(feature = "tiny")]
mod tiny_server {
    use super::*;
    use tiny_http::{Header, Response, Server};

    pub fn start(hub: Arc<Hub>) -> SocketAddr {
        let server = Arc::new(Server::http("127.0.0.1:0").unwrap());
        let addr = server.server_addr().to_ip().unwrap();
        for _ in 0..4 {
            let (server, hub) = (server.clone(), hub.clone());
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    let host = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Host"))
                        .map(|h| h.value.as_str().to_string());
                    if !host.is_some_and(|h| crate::std_http::host_allowed(&h)) {
                        let _ = request.respond(Response::empty(403));
                        continue;
                    }
                    if request.url().starts_with("/page/") {
                        let body = hub.svg.to_vec();
                        let _ = request.respond(
                            Response::from_data(body)
                                .with_header(
                                    Header::from_bytes("Content-Type", "image/svg+xml").unwrap(),
                                )
                                // Else a body over 32 KB is sent chunked.
                                .with_chunked_threshold(usize::MAX),
                        );
                    } else if request.url() == "/events" {
                        // A streamed body of unknown length is buffered in 8 KB chunks by
                        // tiny_http: the raw writer is the way to send each event at once.
                        let rx = hub.subscribe();
                        std::thread::spawn(move || {
                            let mut w = request.into_writer();
                            let _ = w.write_all(
                                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                                  Cache-Control: no-store\r\n\r\n",
                            );
                            let _ = w.flush();
                            while let Ok(e) = rx.recv() {
                                if w.write_all(e.as_bytes()).and_then(|_| w.flush()).is_err() {
                                    break;
                                }
                            }
                        });
                    } else {
                        let _ = request.respond(Response::empty(404));
                    }
                }
            });
        }
        addr
    }
}

// ------------------------------------------------------------------ (d) hyper + tokio

#[cfg(feature = "hyper")]
mod hyper_server {
    use super::*;
    use hyper::body::{Bytes, Frame, SizeHint};
    use hyper::{Response, StatusCode};
    use hyper_util::rt::{TokioIo, TokioTimer};
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    enum Body {
        Full(Option<Bytes>),
        Events(tokio::sync::mpsc::UnboundedReceiver<Bytes>),
    }

    impl hyper::body::Body for Body {
        type Data = Bytes;
        type Error = Infallible;
        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            match self.get_mut() {
                Body::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
                Body::Events(rx) => rx.poll_recv(cx).map(|e| e.map(|e| Ok(Frame::data(e)))),
            }
        }
        fn size_hint(&self) -> SizeHint {
            match self {
                Body::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
                Body::Events(_) => SizeHint::default(),
            }
        }
    }

    pub fn start(hub: Arc<Hub>) -> SocketAddr {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                loop {
                    let (stream, _) = listener.accept().await.unwrap();
                    let hub = hub.clone();
                    tokio::spawn(async move {
                        let service = hyper::service::service_fn(|req: hyper::Request<_>| {
                            let host = req
                                .headers()
                                .get("host")
                                .and_then(|h| h.to_str().ok())
                                .is_some_and(crate::std_http::host_allowed);
                            let body = if !host {
                                None
                            } else if req.uri().path().starts_with("/page/") {
                                Some(Body::Full(Some(Bytes::from_owner(hub.svg.clone()))))
                            } else if req.uri().path() == "/events" {
                                let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
                                hub.add(Box::new(move |e: Arc<str>| {
                                    tx.send(Bytes::from(e.as_bytes().to_vec())).is_ok()
                                }));
                                Some(Body::Events(rx))
                            } else {
                                None
                            };
                            let r = match body {
                                Some(b) => Response::new(b),
                                None => {
                                    let mut r = Response::new(Body::Full(None));
                                    *r.status_mut() = StatusCode::NOT_FOUND;
                                    r
                                }
                            };
                            async move { Ok::<_, Infallible>(r) }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .timer(TokioTimer::new())
                            .header_read_timeout(Duration::from_secs(10))
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        addr
    }
}
