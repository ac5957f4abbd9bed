//! `kanwu serve`: the issue in a browser, updated on every save.

use kanwu::msg;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use kanwu::editor::serve::{self, Event};

use super::{Outcome, ProjectArgs, print};

/// Where the desk listens.
pub struct Listen {
    pub port: u16,
    pub bind: Option<IpAddr>,
}

pub fn serve(
    args: &ProjectArgs,
    issue: Option<PathBuf>,
    Listen { port, bind }: Listen,
    open: bool,
    allow_open: bool,
    read_only: bool,
) -> Outcome {
    let ip = bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if !ip.is_loopback() {
        eprintln!(
            "{}",
            msg!(
                "cli-serve-warning-listening-on-anyone",
                ip = ip,
                port = port
            )
        );
    }
    let options = serve::Options {
        root: args.root.clone(),
        font_paths: args.font_paths.clone(),
        issue,
        addr: SocketAddr::new(ip, port),
        allow_open,
        read_only,
    };
    // A terminal that went away (a closed pipe) must not stop the server: write errors are
    // ignored.
    let mut on_event = |event: Event| {
        let mut out = std::io::stdout().lock();
        match event {
            Event::Listening { url } => {
                let _ = writeln!(out, "{}", msg!("cli-serve-serving", url = url));
                if open {
                    open_browser(url);
                }
            }
            Event::Built {
                pages,
                changed,
                elapsed,
            } => {
                let sent = if changed.is_empty() {
                    msg!("cli-serve-none")
                } else {
                    changed
                        .iter()
                        .map(|p| p.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let ms = elapsed.as_millis();
                let line = msg!("cli-serve-built", pages = pages, ms = ms, sent = sent);
                let _ = writeln!(out, "{line}");
            }
            Event::Failed { diagnostics } => {
                print(diagnostics);
                let _ = writeln!(out, "{}", msg!("cli-serve-failed"));
            }
        }
        let _ = out.flush();
    };
    Ok(serve::serve(&options, &mut on_event)?)
}

/// Opens `url` in the system's default browser; says so when that is not possible.
fn open_browser(url: &str) {
    #[cfg(target_os = "windows")]
    let spawned = std::process::Command::new("cmd")
        .args(["/C", "start", "", url])
        .spawn();
    #[cfg(target_os = "macos")]
    let spawned = std::process::Command::new("open").arg(url).spawn();
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let spawned = std::process::Command::new("xdg-open").arg(url).spawn();
    if let Err(e) = spawned {
        eprintln!(
            "{}",
            msg!("cli-serve-notice-cannot-open-browser", e = e, url = url)
        );
    }
}
