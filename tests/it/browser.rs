//! A page in headless Chromium (Debian's), driven over the DevTools protocol: evaluate
//! JavaScript, dispatch input (keys, text, an input method's composition, mouse, drags) and
//! take screenshots, as a person at the browser would. Used by the serve and desk tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;
use crate::serve::{WAIT, get};

/// The smallest WebSocket client the Chrome DevTools protocol needs: text frames, masked out,
/// read whole (fragments joined, control frames skipped).
pub struct WebSocket {
    s: TcpStream,
}

impl WebSocket {
    fn connect(port: u16, path: &str) -> WebSocket {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: a2Fud3Ugc2VydmUgdGVzdA==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8];
        while !head.ends_with(b"\r\n\r\n") {
            s.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&head);
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        WebSocket { s }
    }

    fn send(&mut self, text: &str) {
        let data = text.as_bytes();
        let mut frame = vec![0x81u8];
        match data.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n < 65536 => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        let mask = [0x6b, 0x61, 0x6e, 0x77];
        frame.extend_from_slice(&mask);
        frame.extend(data.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.s.write_all(&frame).unwrap();
    }

    fn recv(&mut self) -> String {
        let mut message = Vec::new();
        loop {
            let mut h = [0u8; 2];
            self.s.read_exact(&mut h).unwrap();
            let (fin, opcode) = (h[0] & 0x80 != 0, h[0] & 0x0f);
            let len = match h[1] & 0x7f {
                126 => {
                    let mut b = [0u8; 2];
                    self.s.read_exact(&mut b).unwrap();
                    u16::from_be_bytes(b) as usize
                }
                127 => {
                    let mut b = [0u8; 8];
                    self.s.read_exact(&mut b).unwrap();
                    u64::from_be_bytes(b) as usize
                }
                n => n as usize,
            };
            let mut payload = vec![0u8; len];
            self.s.read_exact(&mut payload).unwrap();
            if opcode >= 8 {
                continue; // ping, pong, close: not a message
            }
            message.extend_from_slice(&payload);
            if fin {
                return String::from_utf8(message).unwrap();
            }
        }
    }
}

/// A child process killed when dropped, also when a test fails half-way through starting it.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A page in headless chromium, evaluated in over the DevTools protocol.
pub struct Browser {
    _child: Reaped,
    ws: WebSocket,
    id: u64,
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn open(browser: &str, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(browser)
            .args(HEADLESS)
            .args(["--window-size=1200,900", "--remote-debugging-port=0"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut child = Reaped(child);
        // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/…" on stderr.
        let stderr = child.0.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + WAIT;
        let port: u16 = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx.recv_timeout(left).expect("chromium's DevTools address");
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        // The page's own socket, from the target list.
        let page = loop {
            let list: Value = serde_json::from_slice(&get(port, "/json/list").2).unwrap();
            let page = list
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["type"] == "page")
                .cloned();
            if let Some(p) = page {
                break p;
            }
            assert!(Instant::now() < deadline, "no page in chromium");
            std::thread::sleep(Duration::from_millis(100));
        };
        let ws_url = page["webSocketDebuggerUrl"].as_str().unwrap();
        let path = format!("/{}", ws_url.splitn(4, '/').nth(3).unwrap());
        Browser {
            _child: child,
            ws: WebSocket::connect(port, &path),
            id: 0,
            events: Vec::new(),
            _profile: profile,
        }
    }

    /// Calls a DevTools method; its result. Events that arrive meanwhile are kept for
    /// [`Browser::wait_event`].
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.id += 1;
        let id = self.id;
        let call = serde_json::json!({ "id": id, "method": method, "params": params });
        self.ws.send(&call.to_string());
        loop {
            let reply: Value = serde_json::from_str(&self.ws.recv()).unwrap();
            if reply["id"] == id {
                assert!(reply["error"].is_null(), "{method}: {}", reply["error"]);
                return reply["result"].clone();
            }
            if reply["method"].is_string() {
                self.events.push(reply);
            }
        }
    }

    /// The next event `method` (one that came already, or the next to come).
    pub fn wait_event(&mut self, method: &str) -> Value {
        if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
            return self.events.remove(i)["params"].clone();
        }
        loop {
            let e: Value = serde_json::from_str(&self.ws.recv()).unwrap();
            if e["method"] == method {
                return e["params"].clone();
            }
            if e["method"].is_string() {
                self.events.push(e);
            }
        }
    }

    /// The value of a JavaScript expression in the page (a promise is awaited).
    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(
            r["exceptionDetails"].is_null(),
            "{expression}: {}",
            r["exceptionDetails"]
        );
        r["result"]["value"].clone()
    }

    /// Text typed as a keyboard would (one `Input.insertText`: what a paste or a finished
    /// word of an input method gives).
    pub fn insert_text(&mut self, text: &str) {
        self.call("Input.insertText", serde_json::json!({ "text": text }));
    }

    /// A key pressed and released, with modifiers (2 = Ctrl).
    pub fn key(&mut self, key: &str, code: &str, modifiers: u32) {
        let vk = match key {
            "s" => 83,
            "Enter" => 13,
            _ => 0,
        };
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                serde_json::json!({
                    "type": kind, "key": key, "code": code, "modifiers": modifiers,
                    "windowsVirtualKeyCode": vk,
                }),
            );
        }
    }

    /// A click at a point of the page (CSS pixels).
    pub fn click_at(&mut self, x: f64, y: f64) {
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                serde_json::json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            );
        }
    }

    /// The centre of the first element `selector` finds, scrolled into view.
    pub fn centre(&mut self, selector: &str) -> (f64, f64) {
        let sel = serde_json::to_string(selector).unwrap();
        let r = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }})()"
        ));
        assert!(!r.is_null(), "nothing matches {selector}");
        (r[0].as_f64().unwrap(), r[1].as_f64().unwrap())
    }

    /// Clicks the first element `selector` finds, with the mouse.
    pub fn click(&mut self, selector: &str) {
        let (x, y) = self.centre(selector);
        self.click_at(x, y);
    }

    /// Drags with the mouse from one element to another, as a person does: the browser's own
    /// drag and drop (intercepted, then dispatched), with its DataTransfer.
    pub fn drag(&mut self, from: &str, to: &str) {
        let (x0, y0) = self.centre(from);
        self.call(
            "Input.setInterceptDrags",
            serde_json::json!({ "enabled": true }),
        );
        let mouse = |b: &mut Browser, kind: &str, x: f64, y: f64| {
            b.call(
                "Input.dispatchMouseEvent",
                serde_json::json!({ "type": kind, "x": x, "y": y, "button": "left", "buttons": 1, "clickCount": 1 }),
            );
        };
        mouse(self, "mousePressed", x0, y0);
        mouse(self, "mouseMoved", x0 + 5.0, y0 + 5.0);
        mouse(self, "mouseMoved", x0 + 20.0, y0 + 20.0);
        let data = self.wait_event("Input.dragIntercepted")["data"].clone();
        let (x1, y1) = self.centre(to);
        for kind in ["dragEnter", "dragOver", "drop"] {
            self.call(
                "Input.dispatchDragEvent",
                serde_json::json!({ "type": kind, "x": x1, "y": y1, "data": data }),
            );
        }
        mouse(self, "mouseReleased", x1, y1);
        self.call(
            "Input.setInterceptDrags",
            serde_json::json!({ "enabled": false }),
        );
    }

    /// A PNG of the page as it is on the screen, written to `path`.
    pub fn screenshot(&mut self, path: &std::path::Path) {
        let r = self.call(
            "Page.captureScreenshot",
            serde_json::json!({ "format": "png" }),
        );
        let b64 = r["data"].as_str().unwrap();
        std::fs::write(path, base64_decode(b64)).unwrap();
    }

    /// The window's size in CSS pixels (the screenshots' width).
    pub fn resize(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        );
    }

    /// Waits (at most 60 s) until `expression` is true in the page.
    #[track_caller]
    pub fn wait_until(&mut self, expression: &str) {
        let deadline = Instant::now() + WAIT;
        while self.eval(expression) != Value::Bool(true) {
            assert!(
                Instant::now() < deadline,
                "never true in the browser: {expression}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|&c| value(c) as u32).collect();
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (x << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if chunk.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if chunk.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}
