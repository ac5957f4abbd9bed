//! `kanwu serve`: the desk (编辑台). The issue in a browser, its articles, structure and
//! forms edited there, the pages following the text as it is typed.
//!
//! One World is kept across rebuilds, as `watch` does, so Typst's caches keep what did not
//! change, and they are evicted by age after each build so that a desk rebuilding on every
//! keystroke keeps its memory flat. The text being typed is an overlay over the article's
//! file ([`desk::Desk`]): the pages are built from it before it is saved. After each build
//! only the pages whose frame hash changed are rendered (SVG) and announced again over
//! Server-Sent Events; the browser swaps them in place. A failed build is announced with its
//! diagnostics and the last good pages stay served.
//!
//! The server is hyper on a one-thread tokio runtime ([`server`]) with a fixed list of routes
//! ([`http`]): no file is ever served or written by a path from a request. Files on disk stay
//! the truth: the desk writes the same TOML and Markdown an editor would type, and a file
//! changed by another program is loaded (or, under unsaved text, shown beside it).

mod desk;
mod history;
mod http;
pub mod pages;
mod routes;
mod server;
mod structure;
mod ui;
pub mod view;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::diag::{Diagnostic, Result, display_path};
use crate::editor::watch::{Change, Folder, IssueWatcher};
use crate::model::Profile;
use crate::print::preflight;
use crate::project::Project;
use crate::typeset::issue_entry;
use crate::typeset::world::KanwuWorld;
use desk::{Answer, Desk, Refused, Target};
use server::Shared;

/// How long after a build without another save its findings are looked for.
const FINDINGS_AFTER: Duration = Duration::from_millis(150);

/// Typst's memo caches unused for this many builds are evicted after each build (as
/// typst-cli's watch does): without it a desk grew by ~1.7 MB a keystroke on the sample.
const EVICT_AFTER: usize = 10;

/// What wakes the builder.
pub enum Wake {
    /// A file of the issue, the layout or the fonts changed on disk.
    Files(Change),
    /// The desk changed an article's unsaved text or wrote a file.
    Edited,
    /// The file watcher is gone.
    Gone,
}

pub struct Options {
    pub root: PathBuf,
    pub font_paths: Vec<PathBuf>,
    /// The issue folder or its issue.toml; `None`: the latest issue under `issues/`.
    pub issue: Option<PathBuf>,
    /// Where to listen (127.0.0.1:3000 unless asked otherwise; port 0 takes a free one).
    pub addr: SocketAddr,
    /// `--allow-open`: the viewer may open an article file with the default application.
    pub allow_open: bool,
    /// `--read-only`: the pages and findings only, nothing edited.
    pub read_only: bool,
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
    let desk = (!opts.read_only).then(|| Desk::new(&project.root, &issue_dir, &manifest));
    let shared = Arc::new(Shared::new(opts.allow_open, desk));
    let (tx, rx) = mpsc::channel();
    *shared.wake.lock().expect("not poisoned") = Some(tx.clone());
    std::thread::Builder::new()
        .name("kanwu-watch".into())
        .spawn(move || {
            while let Some(change) = watcher.wait() {
                if tx.send(Wake::Files(change)).is_err() {
                    return;
                }
            }
            let _ = tx.send(Wake::Gone);
        })
        .map_err(|e| Diagnostic::error(msg!("serve-cannot-start-server", e = e)))?;

    let mut builder = Builder {
        issue_dir: issue_dir.clone(),
        project,
        manifest,
        world: None,
        version: 0,
        last: Vec::new(),
        assets: Vec::new(),
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
        // Preflight's findings of the last build, once nothing has come for a moment: the
        // browser fetches the new page meanwhile, and a keystroke straight after skips them.
        let first = if builder.pending.is_some() {
            match rx.recv_timeout(FINDINGS_AFTER) {
                Ok(w) => w,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    builder.findings(&shared);
                    match rx.recv() {
                        Ok(w) => w,
                        Err(_) => return Ok(()),
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match rx.recv() {
                Ok(w) => w,
                Err(_) => return Ok(()),
            }
        };
        // Everything that came meanwhile is one build.
        builder.pending = None;
        fonts_changed = false;
        let mut folder = None;
        for wake in std::iter::once(first).chain(rx.try_iter()) {
            match wake {
                Wake::Files(change) => {
                    fonts_changed |= change.fonts;
                    folder = Some(change.folder);
                }
                Wake::Edited => {}
                Wake::Gone => return Ok(()),
            }
        }
        present = folder.is_none_or(|f| matches!(f, Folder::There | Folder::Back));
        if folder == Some(Folder::Gone) {
            let d = Diagnostic::error(msg!(
                "serve-issue-folder-missing-last",
                issue_dir = display_path(&issue_dir).display()
            ));
            builder.fail(&shared, vec![d], on_event);
        }
    }
}

/// A desk request (`POST /api/desk`, already checked for its Origin, size and secret): what
/// it asks, done, and the builder woken when a text or a file changed.
fn desk_api(shared: &Arc<Shared>, body: &serde_json::Value) -> Answer {
    let Some(desk) = &shared.desk else {
        return Err(Refused::new(403, msg!("desk-read-only")));
    };
    let str_of = |k: &str| body[k].as_str().unwrap_or("");
    let id = || {
        body["article"]
            .as_u64()
            .map(|n| n as usize)
            .ok_or_else(|| Refused::new(404, msg!("desk-no-such-article")))
    };
    let window = str_of("window");
    if !http::window_id(window) {
        return Err(Refused::new(400, msg!("desk-no-window")));
    }
    let op = str_of("op");
    if op == "bye" {
        server::window_gone(shared, window, true);
        return Ok(serde_json::json!({ "bye": true }));
    }
    let mut d = desk.lock().unwrap_or_else(|p| p.into_inner());
    if op == "claim" || op == "release" {
        let id = id()?;
        let a = if op == "claim" {
            d.claim(id, window)
        } else {
            d.release(id, window)
        };
        // Every window learns who holds what (a read-only one may take a freed article).
        let locks = d.locks();
        drop(d);
        shared.send("locks", &serde_json::json!({ "locks": locks }));
        return a;
    }
    let (answer, changed) = match op {
        "edit" => {
            let fields: Option<Vec<(String, String)>> = body["fields"].as_object().map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            });
            let a = d.edit(
                id()?,
                window,
                str_of("base"),
                body["body"].as_str(),
                fields.as_deref(),
            );
            (a, true)
        }
        "save" => (d.save(id()?, window), true),
        "resolve" => {
            let keep_mine = str_of("keep") == "mine";
            (d.resolve(id()?, window, keep_mine, str_of("theirs")), true)
        }
        "restore" => {
            let target = Target::parse(str_of("target"))
                .ok_or_else(|| Refused::new(404, msg!("desk-no-such-version")))?;
            (d.restore(&target, str_of("name"), window), true)
        }
        "structure" => match serde_json::from_value::<structure::Action>(body["change"].clone()) {
            Ok(action) => (structure::apply(&mut d, action), true),
            Err(e) => (
                Err(Refused::new(
                    400,
                    msg!("desk-bad-request", e = e.to_string()),
                )),
                false,
            ),
        },
        "field" => (
            structure::set_field(&mut d, str_of("file"), str_of("field"), str_of("value")),
            true,
        ),
        _ => (
            Err(Refused::new(
                400,
                msg!("desk-bad-request", e = op.to_string()),
            )),
            false,
        ),
    };
    drop(d);
    if changed && answer.is_ok() {
        shared.wake(Wake::Edited);
    }
    answer
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
    /// The last good build's pages, whose pictures and text layers are reused.
    assets: Vec<pages::PageAssets>,
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
        let overlay = shared
            .desk
            .as_ref()
            .map(|d| d.lock().unwrap_or_else(|p| p.into_inner()).overlay())
            .unwrap_or_default();
        let built = self.typeset_with(shared, &overlay, start, on_event);
        // Typst's caches of what this build did not use for a while go (see EVICT_AFTER).
        typst::comemo::evict(EVICT_AFTER);
        built
    }

    fn typeset_with(
        &mut self,
        shared: &Shared,
        overlay: &crate::model::Overlay,
        start: Instant,
        on_event: &mut dyn FnMut(Event),
    ) -> Result<()> {
        let loaded = self.project.load_with(&self.manifest, overlay)?;
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
            || preflight::findings(&self.project.fonts, &loaded, &c.doc, Profile::Print);
        let first = self.last.is_empty().then(preflight);
        let assets = pages::assets(&c.doc, &loaded.document, &loaded.sources, &self.assets);
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
        let inputs = |findings| view::Inputs {
            loaded: &loaded,
            doc: &c.doc,
            pages: &assets,
            findings,
            warnings: &c.warnings,
            budget: loaded.issue.page_budget.or(loaded.publication.page_budget),
        };
        let mut view = view::issue_view(&inputs(first.as_deref()));
        self.version += 1;
        if let Value::Object(map) = &mut view {
            map.insert("version".into(), json!(self.version));
            map.insert("changed".into(), json!(changed));
            map.insert("text_changed".into(), json!(text_changed));
            map.insert("allow_open".into(), json!(shared.allow_open));
            if let Some(desk) = &shared.desk {
                let mut desk = desk.lock().unwrap_or_else(|p| p.into_inner());
                map.insert("desk".into(), desk_view(&mut desk, &loaded));
            }
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
        let rendered = c
            .doc
            .pages()
            .iter()
            .zip(&assets)
            .map(|(page, a)| (a.svg_hash.clone(), page.clone()))
            .collect();
        self.last = now;
        self.assets = assets.clone();
        shared.publish_build(with_elapsed(view, start), svgs, rendered, texts, files);
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

    /// Preflight's findings of the last good build, to the view and the browsers, found on
    /// a thread of their own: a keystroke that comes meanwhile is built at once, not after
    /// them (they are dropped when a newer build has been published by then).
    fn findings(&mut self, shared: &Arc<Shared>) {
        let Some(p) = self.pending.take() else { return };
        let fonts = self.project.fonts.clone();
        let shared = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("kanwu-findings".into())
            .spawn(move || findings_of(&fonts, p, &shared));
        if spawned.is_err() {
            // No thread to be had: the findings wait for the next pause.
        }
    }

    /// The article files as paths inside the issue folder; a name that leads out of it (a
    /// link, say) is left empty, so it is never opened.
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

/// What the desk adds to the view: its number for each article (in the order of the view's
/// `files`), the rev of the text each was built from, the articles with unsaved text and
/// those whose file changed under it, which window holds which, and the issue folder's
/// Markdown files that are not in the issue.
fn desk_view(desk: &mut Desk, loaded: &crate::model::LoadedIssue) -> Value {
    let mut ids = Vec::new();
    let mut revs = Vec::new();
    let mut listed = std::collections::HashSet::new();
    for s in &loaded.issue.sections {
        for a in &s.articles {
            ids.push(desk.id_of(&a.path));
            listed.insert(a.path.clone());
        }
    }
    // The texts the build read: after publication.toml and issue.toml, the articles in order.
    for src in loaded.sources.iter().skip(2) {
        revs.push(desk::rev(&src.text));
    }
    let mut loose = Vec::new();
    for f in crate::util::sorted_entries(&desk.issue_dir) {
        let is_md = f.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"));
        let Ok(real) = f.canonicalize() else { continue };
        if !is_md || !real.is_file() || listed.contains(&real) || !real.starts_with(&desk.issue_dir)
        {
            continue;
        }
        let title = std::fs::read_to_string(&real)
            .ok()
            .map(|t| crate::model::article_edit::parts(&crate::model::article_edit::to_lf(&t).0))
            .and_then(|p| {
                p.fields
                    .into_iter()
                    .find(|(k, _)| k == "title")
                    .map(|(_, v)| v)
            })
            .unwrap_or_default();
        loose.push(json!({ "id": desk.id_of(&real), "file": desk.rel_of(&real), "title": title }));
    }
    let (drafts, conflicts) = desk.draft_state();
    json!({
        "ids": ids,
        "revs": revs,
        "drafts": drafts,
        "conflicts": conflicts,
        "loose": loose,
        "locks": desk.locks(),
        "sections": loaded.issue.sections.iter().map(|s| json!({
            "kind": s.kind,
            "title": s.title,
        })).collect::<Vec<_>>(),
    })
}

/// Preflight's findings of a build, published unless a newer build went out meanwhile.
fn findings_of(fonts: &crate::typeset::fonts::Fonts, p: Pending, shared: &Shared) {
    // Judged for print, as `check --profile print` and the print build judge them.
    let findings = preflight::findings(fonts, &p.loaded, &p.compiled.doc, Profile::Print);
    let full = view::issue_view(&view::Inputs {
        loaded: &p.loaded,
        doc: &p.compiled.doc,
        pages: &p.assets,
        findings: Some(&findings),
        warnings: &p.compiled.warnings,
        budget: p
            .loaded
            .issue
            .page_budget
            .or(p.loaded.publication.page_budget),
    });
    shared.publish_findings(p.version, full["findings"].clone());
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
