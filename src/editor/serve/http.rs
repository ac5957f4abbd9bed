//! What a request may ask for, decided from its method, target and headers: a fixed set of
//! routes (no URL ever names a file on disk), a Host check against DNS rebinding, and only GET
//! and HEAD (bar the viewer's own open request). Reading requests off the wire is hyper's
//! (see [`super::server`]); this is what kanwu decides about them.

use std::net::IpAddr;

/// What a request may ask for. Nothing else is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Index,
    Script,
    Style,
    /// The desk's own script, and the editor component it uses (CodeMirror).
    DeskScript,
    Editor,
    /// The issue view as JSON (the same as the last `build` event, with any failure).
    Issue,
    /// Server-Sent Events: `build`, `findings` (preflight's, after the pages) and `failed`;
    /// `/events/<window>` from the desk's page, which names its window (see [`window_id`]).
    Events(Option<String>),
    /// `POST /api/desk`: every change the desk makes (see `desk_api`). Guarded by
    /// [`check_write`] and the page's secret.
    Desk,
    /// An article's text for the editor, by the desk's number for it.
    Article(usize),
    /// Both texts of an article whose file changed under its unsaved text.
    Conflict(usize),
    /// The issue's and the publication's forms.
    Fields,
    /// A file's kept versions (`issue`, `publication`, `a<n>`), and one of them.
    History(String),
    Version(String, String),
    /// A page's picture by its frame hash.
    Svg(String),
    /// A page as a PNG of the given width in pixels (`/raster/<hash>/<width>.png`): drawn
    /// quicker by the browser than the SVG, shown first after a keystroke.
    Raster(String, u32),
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

/// Decides a request from its method, target, Host header and whether it carries the
/// viewer's own open header: anything but a GET or HEAD of a known route from a local Host
/// is refused.
pub fn check(
    method: &str,
    target: &str,
    host: Option<&str>,
    ours: bool,
) -> Result<Request, Refusal> {
    if !host.is_some_and(host_allowed) {
        return Err(Refusal(403, "the Host must be localhost or an IP address"));
    }
    let route = route(target)?;
    if route == Route::Desk {
        return if method == "POST" {
            Ok(Request {
                head_only: false,
                route,
            })
        } else {
            Err(Refusal(405, "changes take a POST"))
        };
    }
    if let Route::Open(_) = route {
        // A POST with a header of our own: a page of another site can send neither without
        // a CORS preflight, which is never answered.
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
        "/desk.js" => Route::DeskScript,
        "/codemirror.js" => Route::Editor,
        "/api/issue" => Route::Issue,
        "/events" => Route::Events(None),
        "/api/desk" => Route::Desk,
        "/api/fields" => Route::Fields,
        "/favicon.ico" => Route::Favicon,
        _ => {
            if let Some(n) = path.strip_prefix("/api/open/")
                && !n.is_empty()
                && n.len() <= 6
                && n.bytes().all(|b| b.is_ascii_digit())
            {
                Route::Open(n.parse().unwrap_or(usize::MAX))
            } else if let Some((h, w)) = path
                .strip_prefix("/raster/")
                .and_then(|p| p.strip_suffix(".png"))
                .and_then(|p| p.split_once('/'))
                && hash(h)
                && let Some(w) = number(w).filter(|w| (64..=4096).contains(w))
            {
                Route::Raster(h.to_string(), w as u32)
            } else if let Some(w) = path.strip_prefix("/events/")
                && window_id(w)
            {
                Route::Events(Some(w.to_string()))
            } else if let Some(n) = path.strip_prefix("/api/article/").and_then(number) {
                Route::Article(n)
            } else if let Some(n) = path.strip_prefix("/api/conflict/").and_then(number) {
                Route::Conflict(n)
            } else if let Some(t) = path.strip_prefix("/api/history/")
                && target_name(t)
            {
                Route::History(t.to_string())
            } else if let Some((t, v)) = path
                .strip_prefix("/api/version/")
                .and_then(|r| r.split_once('/'))
                && target_name(t)
                && version_name(v)
            {
                Route::Version(t.to_string(), v.to_string())
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

fn number(s: &str) -> Option<usize> {
    (!s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A window's name as the desk's page makes it: 16 to 32 hexadecimal digits.
pub fn window_id(s: &str) -> bool {
    (16..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `issue`, `publication` or `a<n>`: what a history request may name.
fn target_name(s: &str) -> bool {
    s == "issue" || s == "publication" || s.strip_prefix('a').and_then(number).is_some()
}

/// A version's name as the history writes it: `<13 digits>-<why>.<ext>`.
fn version_name(s: &str) -> bool {
    s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !s.starts_with('.')
}

/// The longest body a desk request may have: an article's whole text with room to spare
/// (a longer one is refused with 413 before it is read).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// The header that carries the page's secret with every desk request.
pub const TOKEN_HEADER: &str = "x-kanwu-token";

/// Whether a request may change anything: its Origin is the desk's own (the scheme, the Host
/// it was sent to, which must be a local one on the desk's port) and its declared body fits.
/// The page's secret is checked as well (see `server`): a page of another site can send a
/// POST here, but it cannot read the secret out of the desk's page, and its Origin is its own.
pub fn check_write(
    origin: Option<&str>,
    host: &str,
    port: u16,
    length: Option<u64>,
) -> Result<(), Refusal> {
    let host_port = host
        .rsplit_once(':')
        .filter(|(_, p)| !p.contains(']'))
        .and_then(|(_, p)| p.parse::<u16>().ok())
        .unwrap_or(80);
    if host_port != port {
        return Err(Refusal(403, "the Host is not this desk's"));
    }
    if origin != Some(format!("http://{host}").as_str()) {
        return Err(Refusal(403, "a change must come from the desk's own page"));
    }
    if length.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(Refusal(413, "the request is larger than the desk takes"));
    }
    Ok(())
}

/// Compares two secrets in a time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
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
/// Inline styles are allowed: the editor component (CodeMirror) writes its own style rules
/// and style attributes at run time; a style cannot run code, and every text from the issue
/// is placed with `textContent`, so none can add one.
pub const SAFE_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    (
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
    ),
];

/// A refusal's body: `403 Forbidden: the Host must be …`.
pub fn refusal_text(r: &Refusal, reason: &str) -> String {
    format!("{} {reason}: {}\n", r.0, r.1)
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
        check("GET", target, Some(host), false)
    }

    #[test]
    fn known_routes_from_a_local_host_are_served() {
        let ok = |t: &str, h: &str| get(t, h).map(|r| r.route);
        assert_eq!(ok("/", "localhost:3000"), Ok(Route::Index));
        assert_eq!(ok("/?zoom=2", "127.0.0.1:3000"), Ok(Route::Index));
        assert_eq!(ok("/api/issue", "[::1]:8080"), Ok(Route::Issue));
        assert_eq!(ok("/events", "LOCALHOST"), Ok(Route::Events(None)));
        assert_eq!(
            ok("/events/0123456789abcdef", "localhost"),
            Ok(Route::Events(Some("0123456789abcdef".into())))
        );
        assert_eq!(ok("/api/article/3", "localhost"), Ok(Route::Article(3)));
        assert_eq!(
            ok(
                "/raster/0123456789abcdef0123456789abcdef/800.png",
                "localhost"
            ),
            Ok(Route::Raster(
                "0123456789abcdef0123456789abcdef".into(),
                800
            ))
        );
        assert!(
            get(
                "/raster/0123456789abcdef0123456789abcdef/99999.png",
                "localhost"
            )
            .is_err()
        );
        assert_eq!(
            ok("/api/history/a3", "localhost"),
            Ok(Route::History("a3".into()))
        );
        assert_eq!(
            ok("/api/version/issue/1733441234567-saved.toml", "localhost"),
            Ok(Route::Version(
                "issue".into(),
                "1733441234567-saved.toml".into()
            ))
        );
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
    fn a_change_needs_the_desks_own_origin_and_a_body_that_fits() {
        let host = "127.0.0.1:3000";
        assert_eq!(
            check_write(Some("http://127.0.0.1:3000"), host, 3000, Some(10)),
            Ok(())
        );
        for (origin, host, len) in [
            (None, host, Some(10)),
            (Some("http://evil.example"), host, Some(10)),
            (Some("http://127.0.0.1:8080"), host, Some(10)),
            (Some("http://localhost:3000"), host, Some(10)),
            (Some("http://127.0.0.1:8080"), "127.0.0.1:8080", Some(10)),
            (Some("null"), host, None),
        ] {
            assert!(
                matches!(check_write(origin, host, 3000, len), Err(Refusal(403, _))),
                "{origin:?} {host}"
            );
        }
        assert!(matches!(
            check_write(
                Some("http://127.0.0.1:3000"),
                host,
                3000,
                Some(MAX_BODY as u64 + 1)
            ),
            Err(Refusal(413, _))
        ));
        assert!(matches!(
            check("GET", "/api/desk", Some(host), false),
            Err(Refusal(405, _))
        ));
        for t in [
            "/api/version/a1/../../x",
            "/api/history/x",
            "/api/article/-1",
            "/events/xyz",
        ] {
            assert!(get(t, host).is_err(), "{t}");
        }
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("a", "ab"));
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
            check("GET", "/", None, false),
            Err(Refusal(403, _))
        ));
        assert!(matches!(
            check("POST", "/api/issue", Some("localhost"), false),
            Err(Refusal(405, _))
        ));
        assert!(matches!(
            check("PUT", "/", Some("localhost"), true),
            Err(Refusal(405, _))
        ));
        assert!(matches!(
            check("GET", "*", Some("localhost"), false),
            Err(Refusal(400, _))
        ));
        // Opening a file: a POST with the viewer's header, nothing else.
        assert_eq!(
            check("POST", "/api/open/2", Some("localhost"), true).map(|r| r.route),
            Ok(Route::Open(2))
        );
        assert!(matches!(
            check("POST", "/api/open/2", Some("localhost"), false),
            Err(Refusal(403, _))
        ));
        assert!(matches!(
            check("GET", "/api/open/2", Some("localhost"), true),
            Err(Refusal(405, _))
        ));
    }
}
