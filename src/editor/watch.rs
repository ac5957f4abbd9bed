//! `kanwu watch`: build, then rebuild whenever an input changes.
//!
//! One World is kept across rebuilds: a change replaces the virtual document.json and clears
//! the World's file cache, and Typst's memoisation (comemo) reuses every part of the layout
//! that did not change. A failed rebuild prints its errors and leaves the last good PDF in
//! place, so a PDF viewer that reloads on change keeps showing pages.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::diag::{Diagnostic, Result, display_path};
use crate::model::{LoadedIssue, Profile};
use crate::print::preflight;
use crate::project::Project;
use crate::typeset::world::KanwuWorld;
use crate::typeset::{compile, issue_entry, pdf_identity};
use crate::util::write_atomic_unsynced;

/// What happened in one round, for the caller to print.
/// Quiet time after which a write whose close never came is taken as done (see [`watch`]).
const SETTLE: Duration = Duration::from_millis(10);
/// After a complete write, how long to wait for the rest of the burst (a rename's partner, a
/// second file saved at once).
const TAIL: Duration = Duration::from_millis(1);
/// A stream of events that never goes quiet (a tool rewriting files) still gets a build.
const MAX_SETTLE: Duration = Duration::from_millis(500);

/// What a file event means for the watcher.
#[derive(Default, Clone, Copy)]
struct Change {
    /// A file of the issue, the layout or the fonts changed.
    relevant: bool,
    /// The change is finished: the file was closed after writing, renamed or removed.
    complete: bool,
    /// A font file changed (the fonts are loaded again).
    fonts: bool,
}

pub enum Event<'a> {
    Built {
        pdf: &'a Path,
        pages: usize,
        elapsed: Duration,
        first: bool,
    },
    Failed {
        diagnostics: Vec<Diagnostic>,
        kept: &'a Path,
    },
    Warnings(Vec<Diagnostic>),
}

/// Builds `issue_arg`, then watches the issue folder, publication.toml, the layout and the
/// fonts, rebuilding on every change until the issue folder disappears (an error) or the
/// process is stopped. `on_event` is told of every build.
pub fn watch(
    root: &Path,
    font_paths: &[PathBuf],
    issue_arg: &Path,
    output: Option<PathBuf>,
    on_event: &mut dyn FnMut(Event),
) -> Result<()> {
    let mut project = Project::open(root, font_paths)?;
    let manifest = crate::model::manifest::issue_manifest_path(issue_arg)?;
    let (issue_dir, name) = crate::model::manifest::issue_dir(&manifest)?;
    let out = output.unwrap_or_else(|| project.output_path(&name, Profile::Screen));
    let out_abs = std::env::current_dir()
        .map(|d| d.join(&out))
        .unwrap_or(out.clone());

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)
        .map_err(|e| Diagnostic::error(format!("cannot watch files: {e}")))?;
    let issues_dir = issue_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| issue_dir.clone());
    let watched = [
        (issue_dir.clone(), RecursiveMode::Recursive),
        (issues_dir, RecursiveMode::NonRecursive),
        (project.root.join("layout"), RecursiveMode::Recursive),
        (project.root.join("fonts"), RecursiveMode::Recursive),
    ];
    for (path, mode) in &watched {
        watcher.watch(path, *mode).map_err(|e| {
            Diagnostic::error(format!(
                "cannot watch {}: {e}",
                display_path(path).display()
            ))
        })?;
    }

    let mut world: Option<KanwuWorld> = None;
    let mut first = true;
    loop {
        let start = Instant::now();
        match rebuild(&project, &manifest, &mut world, &out) {
            Ok((pages, warnings)) => {
                if !warnings.is_empty() {
                    on_event(Event::Warnings(warnings));
                }
                on_event(Event::Built {
                    pdf: &out,
                    pages,
                    elapsed: start.elapsed(),
                    first,
                });
            }
            Err(f) => on_event(Event::Failed {
                diagnostics: f.0,
                kept: &out,
            }),
        }
        first = false;

        // Wait for a change, then let a burst of events (an editor's save) settle.
        let fonts_dir = project.root.join("fonts");
        // What one event says: kanwu's own output and temporary files are not a change.
        let classify = |event: notify::Result<notify::Event>| {
            let mut change = Change::default();
            let Ok(event) = event else { return change };
            use notify::EventKind as K;
            use notify::event::{AccessKind, AccessMode, ModifyKind};
            let complete = match event.kind {
                // A file closed after writing, renamed into place or removed: that file is
                // complete, build now.
                K::Access(AccessKind::Close(AccessMode::Write))
                | K::Modify(ModifyKind::Name(_))
                | K::Remove(_) => true,
                // Being written (or created, to be written): wait for its close.
                K::Create(_) | K::Modify(_) | K::Any => false,
                // Reading a file (as a rebuild does) is not a change.
                K::Access(_) | K::Other => return change,
            };
            for p in &event.paths {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                if *p == out_abs || name.starts_with(".kanwu-") {
                    continue;
                }
                change.relevant = true;
                change.complete = complete;
                change.fonts |= p.starts_with(&fonts_dir);
            }
            change
        };
        let mut change = Change::default();
        while !change.relevant {
            let Ok(event) = rx.recv() else { return Ok(()) };
            change = classify(event);
        }
        // A save is a burst of events: truncate, write, close; or write a temporary file and
        // rename it. Build as soon as the file is complete (closed after writing, renamed in)
        // and the burst has nothing more queued; a write whose close never comes (another
        // platform, an odd tool) is taken as done after SETTLE of quiet. A half-written file
        // is never built, and the editor does not wait for a fixed delay.
        let mut fonts_changed = change.fonts;
        let mut writing = !change.complete;
        let burst = Instant::now();
        loop {
            let wait = if writing { SETTLE } else { TAIL };
            let Ok(event) = rx.recv_timeout(wait) else {
                break;
            };
            let c = classify(event);
            fonts_changed |= c.fonts;
            if c.relevant {
                writing = !c.complete;
            }
            if burst.elapsed() > MAX_SETTLE {
                break;
            }
        }
        if !issue_dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "the issue folder {} has vanished; stopped watching",
                display_path(&issue_dir).display()
            ))
            .hint(format!(
                "the last PDF is still at {}",
                display_path(&out).display()
            ))
            .into());
        }
        if fonts_changed {
            // Fonts are checked against their lock and scanned again; the World starts over.
            match Project::open(root, font_paths) {
                Ok(p) => project = p,
                Err(f) => {
                    on_event(Event::Failed {
                        diagnostics: f.0,
                        kept: &out,
                    });
                    continue;
                }
            }
            world = None;
        }
    }
}

/// Loads the issue again (the manifest may name new articles) and compiles it in the kept
/// World; writes the PDF only when everything succeeded.
fn rebuild(
    project: &Project,
    manifest: &Path,
    world: &mut Option<KanwuWorld>,
    out: &Path,
) -> Result<(usize, Vec<Diagnostic>)> {
    let loaded: LoadedIssue = project.load(manifest)?;
    let ts = project.typesetter();
    let world = match world {
        Some(w) => {
            ts.refresh_world(w, &loaded);
            w
        }
        None => world.insert(ts.world(&loaded, Profile::Screen)),
    };
    let c = ts.compile_world(world, issue_entry(&loaded, Profile::Screen), Some(&loaded))?;
    let mut warnings = c.warnings;
    let report = preflight::inspect(&project.fonts, &loaded, &c.doc, Profile::Screen);
    warnings.extend(report.diagnostics());
    let pdf = compile::export_pdf(&c.doc, &pdf_identity(&loaded))?;
    write_atomic_unsynced(out, &pdf)?;
    Ok((c.doc.pages().len(), warnings))
}
