//! `kanwu serve`: the issue in a browser, kept current as the editor saves.
//!
//! One World is kept across rebuilds, as `watch` does, so Typst's caches keep what did not
//! change. After each build only the pages whose frame hash changed are rendered (SVG) and
//! announced again over Server-Sent Events; the browser swaps them in place. A failed build
//! is announced with its diagnostics and the last good pages stay served.
//!
//! The server is plain `std::net` (a handful of fixed routes, one thread per request, see
//! [`http`]): no file is ever served by a path from the URL, and nothing changes a file.

mod http;
pub mod pages;
mod server;
pub mod view;

use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use serde_json::{Value, json};

use crate::diag::{Diagnostic, Result, display_path};
use crate::model::Profile;
use crate::print::preflight;
use crate::project::Project;
use crate::typeset::issue_entry;
use crate::typeset::world::KanwuWorld;
use server::Shared;

/// Quiet time after which a write whose close never came is taken as done.
const SETTLE: Duration = Duration::from_millis(10);
/// After a complete write, how long to wait for the rest of the burst.
const TAIL: Duration = Duration::from_millis(1);
/// A stream of events that never goes quiet still gets a build.
const MAX_SETTLE: Duration = Duration::from_millis(500);
/// While the issue folder is missing, how often to look for it again.
const MISSING_POLL: Duration = Duration::from_millis(500);

pub struct Options {
    pub root: PathBuf,
    pub font_paths: Vec<PathBuf>,
    /// The issue folder or its issue.toml; `None`: the latest issue under `issues/`.
    pub issue: Option<PathBuf>,
    /// Where to listen (127.0.0.1:3000 unless asked otherwise; port 0 takes a free one).
    pub addr: SocketAddr,
    /// `--allow-open`: the viewer may open an article file with the default application.
    pub allow_open: bool,
}

/// What happened, for the caller to print.
pub enum Event<'a> {
    /// The first build is done and the pages are served at `url`.
    Listening {
        url: &'a str,
    },
    Built {
        pages: usize,
        /// Pages (1-based) whose picture changed and was sent again.
        changed: &'a [usize],
        elapsed: Duration,
    },
    Failed {
        diagnostics: &'a [Diagnostic],
    },
}

/// Serves `opts.issue` until the process is stopped.
pub fn serve(opts: &Options, on_event: &mut dyn FnMut(Event)) -> Result<()> {
    let project = Project::open(&opts.root, &opts.font_paths)?;
    let issue_arg = match &opts.issue {
        Some(i) => i.clone(),
        None => crate::editor::new::latest_issue(&project.root.join("issues"))?.dir,
    };
    let manifest = crate::model::manifest::issue_manifest_path(&issue_arg)?;
    let (issue_dir, _) = crate::model::manifest::issue_dir(&manifest)?;
    let listener = TcpListener::bind(opts.addr).map_err(|e| {
        Diagnostic::error(msg!("serve-cannot-listen-on", addr = opts.addr, e = e))
            .hint(msg!("serve-another-program-may-use"))
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Diagnostic::error(msg!("serve-cannot-listen-on", addr = opts.addr, e = e)))?;

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Diagnostic::error(msg!("serve-cannot-watch-files", e = e)))?;
    let issues_dir = issue_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| issue_dir.clone());
    let fonts_dir = project.root.join("fonts");
    for (path, mode) in [
        (&issues_dir, RecursiveMode::NonRecursive),
        (&project.root.join("layout"), RecursiveMode::Recursive),
        (&fonts_dir, RecursiveMode::Recursive),
    ] {
        watcher.watch(path, mode).map_err(|e| {
            Diagnostic::error(msg!(
                "serve-cannot-watch",
                path = display_path(path).display(),
                e = e
            ))
        })?;
    }

    let shared = Arc::new(Shared::new(opts.allow_open));
    let mut builder = Builder {
        issue_dir: issue_dir.clone(),
        project,
        manifest,
        world: None,
        version: 0,
        last: Vec::new(),
    };
    let mut listening = Some(listener);
    let mut fonts_changed = false;
    let mut was_missing = false;
    loop {
        // The issue folder may have been replaced: watch whatever is there now.
        let _ = watcher.unwatch(&issue_dir);
        let present =
            issue_dir.is_dir() && watcher.watch(&issue_dir, RecursiveMode::Recursive).is_ok();
        if fonts_changed {
            match Project::open(&opts.root, &opts.font_paths) {
                Ok(p) => {
                    builder.project = p;
                    builder.world = None;
                }
                Err(f) => builder.fail(&shared, f.0, on_event),
            }
        }
        if !present {
            if !was_missing {
                let d = Diagnostic::error(msg!(
                    "serve-issue-folder-missing-last",
                    issue_dir = display_path(&issue_dir).display()
                ));
                builder.fail(&shared, vec![d], on_event);
            }
        } else {
            builder.build(&shared, on_event);
        }
        was_missing = !present;
        if let Some(listener) = listening.take() {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("kanwu-serve".into())
                .spawn(move || server::run(listener, shared))
                .map_err(|e| Diagnostic::error(msg!("serve-cannot-start-server", e = e)))?;
            on_event(Event::Listening { url: &url(local) });
        }
        match wait_for_change(&rx, &fonts_dir, present) {
            Some(fonts) => fonts_changed = fonts,
            None => return Ok(()),
        }
    }
}

/// The address to open in a browser.
fn url(addr: SocketAddr) -> String {
    let ip = addr.ip();
    let host = if ip.is_unspecified() || ip.is_loopback() {
        "127.0.0.1".to_string()
    } else if ip.is_ipv6() {
        format!("[{ip}]")
    } else {
        ip.to_string()
    };
    format!("http://{host}:{}/", addr.port())
}

/// What one file event means: (relevant, complete, a font).
fn classify(event: notify::Result<notify::Event>, fonts_dir: &Path) -> (bool, bool, bool) {
    let Ok(event) = event else {
        return (false, false, false);
    };
    use notify::EventKind as K;
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    let complete = match event.kind {
        K::Access(AccessKind::Close(AccessMode::Write))
        | K::Modify(ModifyKind::Name(_))
        | K::Remove(_) => true,
        K::Create(_) | K::Modify(_) | K::Any => false,
        // Reading a file (as a build does) is not a change.
        K::Access(_) | K::Other => return (false, false, false),
    };
    let relevant = event.paths.iter().any(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        !name.starts_with(".kanwu-")
    });
    let fonts = event.paths.iter().any(|p| p.starts_with(fonts_dir));
    (relevant, complete, fonts)
}

/// Waits for a change and lets its burst of events settle (an editor's save is several).
/// Returns whether fonts changed, or None when the watcher is gone.
fn wait_for_change(
    rx: &mpsc::Receiver<notify::Result<notify::Event>>,
    fonts_dir: &Path,
    issue_present: bool,
) -> Option<bool> {
    let (mut fonts, mut writing);
    loop {
        let event = if issue_present {
            rx.recv().ok()?
        } else {
            // A folder put back whole may come without an event we see: look again.
            match rx.recv_timeout(MISSING_POLL) {
                Ok(e) => e,
                Err(mpsc::RecvTimeoutError::Timeout) => return Some(false),
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        };
        let (relevant, complete, f) = classify(event, fonts_dir);
        if relevant {
            fonts = f;
            writing = !complete;
            break;
        }
    }
    let burst = Instant::now();
    loop {
        let wait = if writing { SETTLE } else { TAIL };
        let Ok(event) = rx.recv_timeout(wait) else {
            break;
        };
        let (relevant, complete, f) = classify(event, fonts_dir);
        fonts |= f;
        if relevant {
            writing = !complete;
        }
        if burst.elapsed() > MAX_SETTLE {
            break;
        }
    }
    Some(fonts)
}

/// Builds in one kept World and publishes what changed.
struct Builder {
    issue_dir: PathBuf,
    project: Project,
    manifest: PathBuf,
    world: Option<KanwuWorld>,
    version: u64,
    /// (picture hash, text layer hash) of each page of the last good build.
    last: Vec<(String, String)>,
}

impl Builder {
    fn fail(
        &mut self,
        shared: &Shared,
        diagnostics: Vec<Diagnostic>,
        on_event: &mut dyn FnMut(Event),
    ) {
        self.version += 1;
        shared.publish_failure(json!({
            "version": self.version,
            "diagnostics": view::diagnostics(&diagnostics),
        }));
        on_event(Event::Failed {
            diagnostics: &diagnostics,
        });
    }

    fn build(&mut self, shared: &Shared, on_event: &mut dyn FnMut(Event)) {
        let start = Instant::now();
        match self.typeset(shared) {
            Ok((view, svgs, texts, changed, files)) => {
                let pages = self.last.len();
                shared.publish_build(with_elapsed(view, start), svgs, texts, files);
                on_event(Event::Built {
                    pages,
                    changed: &changed,
                    elapsed: start.elapsed(),
                });
            }
            Err(f) => self.fail(shared, f.0, on_event),
        }
    }

    #[allow(clippy::type_complexity)]
    fn typeset(
        &mut self,
        shared: &Shared,
    ) -> Result<(
        Value,
        HashMap<String, Arc<[u8]>>,
        HashMap<String, Arc<[u8]>>,
        Vec<usize>,
        Vec<PathBuf>,
    )> {
        let loaded = self.project.load(&self.manifest)?;
        let ts = self.project.typesetter();
        let world = match &mut self.world {
            Some(w) => {
                ts.refresh_world(w, &loaded);
                w
            }
            None => self.world.insert(ts.world(&loaded, Profile::Screen)),
        };
        let c = ts.compile_world(world, issue_entry(&loaded, Profile::Screen), Some(&loaded))?;
        let report = preflight::inspect(&self.project.fonts, &loaded, &c.doc, Profile::Screen);
        let assets = pages::assets(&c.doc, &loaded.document, &loaded.sources, &shared.svgs());
        let now: Vec<(String, String)> = assets
            .iter()
            .map(|p| (p.svg_hash.clone(), p.text_hash.clone()))
            .collect();
        let changed: Vec<usize> = (0..now.len())
            .filter(|&i| self.last.get(i).map(|h| &h.0) != Some(&now[i].0))
            .map(|i| i + 1)
            .collect();
        let text_changed: Vec<usize> = (0..now.len())
            .filter(|&i| self.last.get(i).map(|h| &h.1) != Some(&now[i].1))
            .map(|i| i + 1)
            .collect();
        let mut view = view::issue_view(&view::Inputs {
            loaded: &loaded,
            doc: &c.doc,
            pages: &assets,
            report: &report,
            warnings: &c.warnings,
            budget: loaded.issue.page_budget.or(loaded.publication.page_budget),
        });
        self.version += 1;
        if let Value::Object(map) = &mut view {
            map.insert("version".into(), json!(self.version));
            map.insert("changed".into(), json!(changed));
            map.insert("text_changed".into(), json!(text_changed));
            map.insert("allow_open".into(), json!(shared.allow_open));
        }
        let files = self.article_paths(&view::article_files(&loaded));
        let svgs = assets
            .iter()
            .map(|p| (p.svg_hash.clone(), p.svg.clone()))
            .collect();
        let texts = assets
            .iter()
            .map(|p| (p.text_hash.clone(), p.text.clone()))
            .collect();
        self.last = now;
        Ok((view, svgs, texts, changed, files))
    }

    /// The article files as paths inside the issue folder; a name that leads out of it (a
    /// link, say) is left empty, so it is never opened.
    fn article_paths(&self, files: &[String]) -> Vec<PathBuf> {
        let dir = self.issue_dir.canonicalize().ok();
        files
            .iter()
            .map(|f| {
                let path = self.issue_dir.join(f).canonicalize().ok();
                match (path, &dir) {
                    (Some(p), Some(d)) if p.starts_with(d) && p.is_file() => p,
                    _ => PathBuf::new(),
                }
            })
            .collect()
    }
}

fn with_elapsed(mut view: Value, start: Instant) -> Value {
    if let Value::Object(map) = &mut view {
        map.insert(
            "elapsed_ms".into(),
            json!(start.elapsed().as_millis() as u64),
        );
    }
    view
}
