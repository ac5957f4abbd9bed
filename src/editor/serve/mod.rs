//! `kanwu serve`: the issue in a browser, kept current as the editor saves.
//!
//! One World is kept across rebuilds, as `watch` does, so Typst's caches keep what did not
//! change. After each build only the pages whose frame hash changed are rendered (SVG) and
//! announced again over Server-Sent Events; the browser swaps them in place. A failed build
//! is announced with its diagnostics and the last good pages stay served.
//!
//! The server is hyper on a one-thread tokio runtime ([`server`]) with a handful of fixed
//! routes ([`http`]): no file is ever served by a path from the URL, and nothing changes a file.

mod http;
pub mod pages;
mod server;
mod ui;
pub mod view;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::diag::{Diagnostic, Result, display_path};
use crate::editor::watch::{Folder, IssueWatcher};
use crate::model::Profile;
use crate::print::preflight;
use crate::project::Project;
use crate::typeset::issue_entry;
use crate::typeset::world::KanwuWorld;
use server::Shared;

/// How long after a build without another save its findings are looked for.
const FINDINGS_AFTER: Duration = Duration::from_millis(150);

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
    // Every save loads the issue again: the word segmenter of the titles stays loaded.
    crate::model::title::keep_loaded();
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

    let mut watcher = IssueWatcher::new(&project.root, &issue_dir, None)?;

    let shared = Arc::new(Shared::new(opts.allow_open));
    let mut builder = Builder {
        issue_dir: issue_dir.clone(),
        project,
        manifest,
        world: None,
        version: 0,
        last: Vec::new(),
        pending: None,
    };
    let mut listening = Some(listener);
    let mut fonts_changed = false;
    let mut present = true;
    loop {
        if fonts_changed {
            match Project::open(&opts.root, &opts.font_paths) {
                Ok(p) => {
                    builder.project = p;
                    builder.world = None;
                }
                Err(f) => builder.fail(&shared, f.0, on_event),
            }
        }
        if present {
            builder.build(&shared, on_event);
        }
        if let Some(listener) = listening.take() {
            server::start(listener, shared.clone())
                .map_err(|e| Diagnostic::error(msg!("serve-cannot-start-server", e = e)))?;
            on_event(Event::Listening { url: &url(local) });
        }
        // Preflight's findings of the last build, once no save has come for a moment: the
        // browser fetches the new page meanwhile, and a save straight after skips them.
        let change = if builder.pending.is_some() {
            match watcher.wait_at_most(FINDINGS_AFTER) {
                None => return Ok(()),
                Some(Some(change)) => change,
                Some(None) => {
                    builder.findings(&shared);
                    match watcher.wait() {
                        Some(change) => change,
                        None => return Ok(()),
                    }
                }
            }
        } else {
            match watcher.wait() {
                Some(change) => change,
                None => return Ok(()),
            }
        };
        builder.pending = None;
        fonts_changed = change.fonts;
        present = matches!(change.folder, Folder::There | Folder::Back);
        if change.folder == Folder::Gone {
            let d = Diagnostic::error(msg!(
                "serve-issue-folder-missing-last",
                issue_dir = display_path(&issue_dir).display()
            ));
            builder.fail(&shared, vec![d], on_event);
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

/// Builds in one kept World and publishes what changed.
struct Builder {
    issue_dir: PathBuf,
    project: Project,
    manifest: PathBuf,
    world: Option<KanwuWorld>,
    version: u64,
    /// (picture hash, text layer hash) of each page of the last good build.
    last: Vec<(String, String)>,
    /// The last good build, while its findings are still to be found (see [`Builder::typeset`]).
    pending: Option<Pending>,
}

/// What preflight needs of a build whose pages went out first.
struct Pending {
    loaded: crate::model::LoadedIssue,
    compiled: crate::typeset::Compiled,
    assets: Vec<pages::PageAssets>,
    version: u64,
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
        if let Err(f) = self.typeset(shared, on_event) {
            self.fail(shared, f.0, on_event);
        }
    }

    /// Builds and publishes the pages. The first build's view carries preflight's findings;
    /// after that they are left [`Builder::pending`], found when no save follows at once
    /// ([`Builder::findings`]): preflight takes as long as an incremental compile, and the
    /// edited page should not wait for it, nor the browser share the CPU with it.
    fn typeset(&mut self, shared: &Shared, on_event: &mut dyn FnMut(Event)) -> Result<()> {
        let start = Instant::now();
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
        let preflight =
            || preflight::inspect(&self.project.fonts, &loaded, &c.doc, Profile::Screen);
        let first = self.last.is_empty().then(preflight);
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
        let inputs = |report| view::Inputs {
            loaded: &loaded,
            doc: &c.doc,
            pages: &assets,
            report,
            warnings: &c.warnings,
            budget: loaded.issue.page_budget.or(loaded.publication.page_budget),
        };
        let mut view = view::issue_view(&inputs(first.as_ref()));
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
        shared.publish_build(with_elapsed(view, start), svgs, texts, files);
        on_event(Event::Built {
            pages: self.last.len(),
            changed: &changed,
            elapsed: start.elapsed(),
        });
        if first.is_none() {
            self.pending = Some(Pending {
                loaded,
                compiled: c,
                assets,
                version: self.version,
            });
        }
        Ok(())
    }

    /// Preflight's findings of the last good build, to the view and the browsers.
    fn findings(&mut self, shared: &Shared) {
        let Some(p) = self.pending.take() else { return };
        let report = preflight::inspect(
            &self.project.fonts,
            &p.loaded,
            &p.compiled.doc,
            Profile::Screen,
        );
        let full = view::issue_view(&view::Inputs {
            loaded: &p.loaded,
            doc: &p.compiled.doc,
            pages: &p.assets,
            report: Some(&report),
            warnings: &p.compiled.warnings,
            budget: p
                .loaded
                .issue
                .page_budget
                .or(p.loaded.publication.page_budget),
        });
        shared.publish_findings(p.version, full["findings"].clone());
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
