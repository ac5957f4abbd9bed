//! Just enough HTTP/1.1 for a page on the editor's own machine: a request head read with a
//! limit and a timeout, a fixed set of routes (no URL ever names a file on disk), a Host check
//! against DNS rebinding, and responses that close the connection.

use std::io::{self, Read, Write};
use std::net::IpAddr;

/// The longest request head accepted.
const MAX_HEAD: usize = 8 * 1024;

/// What a request may ask for. Nothing else is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Index,
    Script,
    Style,
    /// The issue view as JSON (the same as the last `build` event, with any failure).
    Issue,
    /// Server-Sent Events: `build` and `failed`.
    Events,
    /// A page's picture by its frame hash.
    Svg(String),
    /// A page's text layer by its hash.
    Text(String),
    Favicon,
    /// `POST /api/open/<n>` (only with `--allow-open`): open the n-th article file of the
    /// served issue with the system's default application.
    Open(usize),
}

/// A refusal: status code and a short reason (sent as plain text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub u16, pub &'static str);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub head_only: bool,
    pub route: Route,
}

/// Reads a request head (up to the blank line) from `stream`.
pub fn read_head(stream: &mut impl Read) -> Result<String, Refusal> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let n = stream
            .read(&mut chunk)
            .map_err(|_| Refusal(408, "request timeout"))?;
        if n == 0 {
            return Err(Refusal(400, "incomplete request"));
        }
        buf.extend_from_slice(&chunk[..n]);
        let end = buf.windows(4).position(|w| w == b"\r\n\r\n");
        if end.unwrap_or(buf.len()) > MAX_HEAD {
            return Err(Refusal(431, "request head too large"));
        }
        if let Some(end) = end {
            buf.truncate(end);
            break;
        }
    }
    String::from_utf8(buf).map_err(|_| Refusal(400, "request head is not UTF-8"))
}

/// Parses a request head into what it asks for, refusing anything but a GET or HEAD of a
/// known route from a local Host.
pub fn parse(head: &str) -> Result<Request, Refusal> {
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split(' ');
    let (method, target, version) = (parts.next(), parts.next(), parts.next());
    let (Some(method), Some(target), Some(version), None) = (method, target, version, parts.next())
    else {
        return Err(Refusal(400, "malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Refusal(505, "HTTP/1.x only"));
    }
    let host = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim());
    if !host.is_some_and(host_allowed) {
        return Err(Refusal(403, "the Host must be localhost or an IP address"));
    }
    let route = route(target)?;
    if let Route::Open(_) = route {
        // A POST with a header of our own: a page of another site can send neither without
        // a CORS preflight, which is never answered.
        let ours = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .any(|(name, v)| name.trim().eq_ignore_ascii_case(OPEN_HEADER) && v.trim() == "1");
        return if method != "POST" {
            Err(Refusal(405, "opening a file takes a POST"))
        } else if !ours {
            Err(Refusal(
                403,
                "opening a file is asked for by the viewer only",
            ))
        } else {
            Ok(Request {
                head_only: false,
                route,
            })
        };
    }
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return Err(Refusal(
                405,
                "only GET and HEAD; nothing here changes a file",
            ));
        }
    };
    Ok(Request { head_only, route })
}

/// The header the viewer sends with an open request (`X-Kanwu-Open: 1`).
pub const OPEN_HEADER: &str = "x-kanwu-open";

/// The route of a request target: origin-form only, no `..`, no escapes, a known name.
pub fn route(target: &str) -> Result<Route, Refusal> {
    let path = target.split_once('?').map_or(target, |(p, _)| p);
    if !path.starts_with('/') {
        return Err(Refusal(400, "absolute request targets are refused"));
    }
    if path.contains("..") || path.contains('%') || path.contains('\\') || path.contains("//") {
        return Err(Refusal(
            400,
            "no paths: only the pages and the viewer are served",
        ));
    }
    let hash = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    Ok(match path {
        "/" => Route::Index,
        "/app.js" => Route::Script,
        "/app.css" => Route::Style,
        "/api/issue" => Route::Issue,
        "/events" => Route::Events,
        "/favicon.ico" => Route::Favicon,
        _ => {
            if let Some(n) = path.strip_prefix("/api/open/")
                && !n.is_empty()
                && n.len() <= 6
                && n.bytes().all(|b| b.is_ascii_digit())
            {
                Route::Open(n.parse().unwrap_or(usize::MAX))
            } else if let Some(h) = path
                .strip_prefix("/page/")
                .and_then(|p| p.strip_suffix(".svg"))
                && hash(h)
            {
                Route::Svg(h.to_string())
            } else if let Some(h) = path
                .strip_prefix("/text/")
                .and_then(|p| p.strip_suffix(".json"))
                && hash(h)
            {
                Route::Text(h.to_string())
            } else {
                return Err(Refusal(404, "not found"));
            }
        }
    })
}

/// A Host a page on this machine is reached by: `localhost` or an IP address, with or
/// without a port. A name (`evil.example` resolving to 127.0.0.1) is refused: that is how
/// DNS rebinding would let another site read the pages.
pub fn host_allowed(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || port.strip_prefix(':').is_some_and(is_port) => {
                return ip.parse::<std::net::Ipv6Addr>().is_ok();
            }
            _ => return false,
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        }
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok()
}

fn is_port(s: &str) -> bool {
    s.parse::<u16>().is_ok()
}

/// Headers every response carries: no sniffing, no framing by other sites, no inline code.
const SAFE_HEADERS: &str = "X-Content-Type-Options: nosniff\r\n\
     X-Frame-Options: DENY\r\n\
     Referrer-Policy: no-referrer\r\n\
     Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'\r\n";

pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        500 => "Internal Server Error",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

/// Writes a whole response and closes the exchange (`Connection: close`).
pub fn respond(
    out: &mut impl Write,
    status: u16,
    content_type: &str,
    cache: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: {cache}\r\n{SAFE_HEADERS}Connection: close\r\n\r\n",
        reason(status),
        body.len()
    );
    out.write_all(head.as_bytes())?;
    if !head_only {
        out.write_all(body)?;
    }
    out.flush()
}

pub fn refuse(out: &mut impl Write, r: &Refusal) -> io::Result<()> {
    let body = format!("{} {}: {}\n", r.0, reason(r.0), r.1);
    respond(
        out,
        r.0,
        "text/plain; charset=utf-8",
        "no-store",
        body.as_bytes(),
        false,
    )
}

/// The head of an event stream; events follow as `event: NAME\ndata: JSON\n\n`.
pub fn event_stream_head(out: &mut impl Write) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
         Cache-Control: no-store\r\n{SAFE_HEADERS}Connection: keep-alive\r\n\r\n"
    );
    out.write_all(head.as_bytes())?;
    out.flush()
}

/// One Server-Sent Event. `data` is compact JSON: one line.
pub fn event(name: &str, data: &str) -> String {
    debug_assert!(!data.contains('\n'));
    format!("event: {name}\ndata: {data}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(target: &str, host: &str) -> Result<Request, Refusal> {
        parse(&format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: */*"
        ))
    }

    #[test]
    fn known_routes_from_a_local_host_are_served() {
        let ok = |t: &str, h: &str| get(t, h).map(|r| r.route);
        assert_eq!(ok("/", "localhost:3000"), Ok(Route::Index));
        assert_eq!(ok("/?zoom=2", "127.0.0.1:3000"), Ok(Route::Index));
        assert_eq!(ok("/api/issue", "[::1]:8080"), Ok(Route::Issue));
        assert_eq!(ok("/events", "LOCALHOST"), Ok(Route::Events));
        let h = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            ok(&format!("/page/{h}.svg"), "127.0.0.1"),
            Ok(Route::Svg(h.into()))
        );
        assert_eq!(
            ok(&format!("/text/{h}.json"), "192.168.1.5:3000"),
            Ok(Route::Text(h.into()))
        );
    }

    #[test]
    fn paths_escapes_absolute_targets_and_foreign_hosts_are_refused() {
        for target in [
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/page/..%2f..%2fetc%2fpasswd.svg",
            "http://127.0.0.1:3000/etc/passwd",
            "/etc/passwd",
            "//etc/passwd",
            "/page/../../etc/passwd",
            "/page/xyz.svg",
            "\\..\\windows",
        ] {
            let r = get(target, "localhost");
            assert!(matches!(r, Err(Refusal(400 | 404, _))), "{target}: {r:?}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.1:x",
            "[::1",
        ] {
            assert_eq!(
                get("/", host).map(|_| ()),
                Err(Refusal(403, "the Host must be localhost or an IP address")),
                "{host}"
            );
        }
        assert!(matches!(
            parse("GET / HTTP/1.1\r\nAccept: */*"),
            Err(Refusal(403, _))
        ));
        assert!(matches!(
            parse("POST /api/issue HTTP/1.1\r\nHost: localhost"),
            Err(Refusal(405, _))
        ));
        assert!(matches!(
            parse("GET /\r\nHost: localhost"),
            Err(Refusal(400, _))
        ));
    }

    #[test]
    fn a_head_is_read_to_its_blank_line_and_no_further_than_the_limit() {
        let mut r: &[u8] = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\nbody";
        assert_eq!(
            read_head(&mut r).unwrap(),
            "GET / HTTP/1.1\r\nHost: localhost"
        );
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(read_head(&mut long.as_bytes()).unwrap_err().0, 431);
        assert_eq!(
            read_head(&mut &b"GET / HTTP/1.1\r\n"[..]).unwrap_err().0,
            400
        );
    }
}
