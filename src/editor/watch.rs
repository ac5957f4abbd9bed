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

use crate::diag::{Diagnostic, Failure, Result, display_path};
use crate::model::{LoadedIssue, Profile};
use crate::print::preflight;
use crate::project::Project;
use crate::typeset::world::KanwuWorld;
use crate::typeset::{compile, issue_entry, pdf_identity};
use crate::util::write_atomic_unsynced;

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
    /// The issue folder itself was created, removed or renamed (its watch must be renewed).
    folder: bool,
}

/// What happened in one round, for the caller to print.
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
    /// The issue folder is gone (deleted, moved away): the last PDF stays and the watcher
    /// waits for the folder to come back.
    Gone {
        folder: &'a Path,
        kept: &'a Path,
    },
    /// The issue folder is there again (back after a while, or replaced at once by a new
    /// folder of the same name): it is watched again and rebuilt.
    Back {
        folder: &'a Path,
    },
}

/// Builds `issue_arg`, then watches the issue folder, publication.toml, the layout and the
/// fonts, rebuilding on every change until the process is stopped. `on_event` is told of every
/// build.
///
/// The folder holding the issue folder is watched too, so the issue folder may go away and
/// come back: deleted and copied back at once (as editors and sync tools do), or missing for a
/// while. A watch on a folder dies with the folder, so whenever the issue folder itself is
/// named by an event, or is not the folder last watched, it is watched afresh.
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
        .map_err(|e| Diagnostic::error(msg!("watch-cannot-watch-files", e = e)))?;
    let issues_dir = issue_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| issue_dir.clone());
    let watched = [
        (issues_dir, RecursiveMode::NonRecursive),
        (project.root.join("layout"), RecursiveMode::Recursive),
        (project.root.join("fonts"), RecursiveMode::Recursive),
    ];
    for (path, mode) in &watched {
        watcher
            .watch(path, *mode)
            .map_err(|e| cannot_watch(path, e))?;
    }
    // The issue folder as it is watched now (None while it is gone).
    let mut armed = Some(arm(&mut watcher, &issue_dir).map_err(|e| cannot_watch(&issue_dir, e))?);

    let mut world: Option<KanwuWorld> = None;
    let mut first = true;
    let mut build = true;
    loop {
        if build {
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
        }

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
            // The folder itself appeared, went or was renamed (not merely touched).
            let comes_or_goes = matches!(
                event.kind,
                K::Create(_) | K::Remove(_) | K::Modify(ModifyKind::Name(_))
            );
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
                change.folder |= comes_or_goes && *p == issue_dir;
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
        let mut rearm = change.folder;
        let mut replaced = change.folder || armed.is_none();
        let burst = Instant::now();
        loop {
            // The issue folder itself was created, removed or renamed: watch the folder now
            // there at once, so that the files being copied into it extend this burst.
            if std::mem::take(&mut rearm) && issue_dir.is_dir() {
                armed = arm(&mut watcher, &issue_dir).ok();
            }
            let wait = if writing { SETTLE } else { TAIL };
            let Ok(event) = rx.recv_timeout(wait) else {
                break;
            };
            let c = classify(event);
            fonts_changed |= c.fonts;
            rearm |= c.folder;
            replaced |= c.folder;
            if c.relevant {
                writing = !c.complete;
            }
            if burst.elapsed() > MAX_SETTLE {
                break;
            }
        }
        // Is the issue folder there, and is it the folder watched?
        match folder_id(&issue_dir) {
            None => {
                build = false;
                if armed.take().is_some() {
                    let _ = watcher.unwatch(&issue_dir);
                    on_event(Event::Gone {
                        folder: &issue_dir,
                        kept: &out,
                    });
                }
            }
            Some(id) => {
                build = true;
                // Another folder of the same name, with no event naming it (or one too late).
                if rearm || armed != Some(id) {
                    replaced = true;
                    armed = arm(&mut watcher, &issue_dir).ok();
                }
                if replaced {
                    on_event(Event::Back { folder: &issue_dir });
                }
            }
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

fn cannot_watch(path: &Path, e: notify::Error) -> Failure {
    Diagnostic::error(msg!(
        "watch-cannot-watch",
        path = display_path(path).display(),
        e = e
    ))
    .into()
}

/// Watches the issue folder (afresh: a watch on a folder that was deleted is dead) and returns
/// which folder it is.
fn arm(watcher: &mut impl Watcher, dir: &Path) -> notify::Result<FolderId> {
    let _ = watcher.unwatch(dir);
    watcher.watch(dir, RecursiveMode::Recursive)?;
    folder_id(dir).ok_or_else(|| notify::Error::path_not_found().add_path(dir.to_path_buf()))
}

/// Which folder is at a path: a folder deleted and created again is another folder.
type FolderId = (u64, u64);

#[cfg(unix)]
fn folder_id(dir: &Path) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
    Some((m.dev(), m.ino()))
}

/// Elsewhere the folder's creation time stands in for its identity.
#[cfg(not(unix))]
fn folder_id(dir: &Path) -> Option<FolderId> {
    let m = std::fs::metadata(dir).ok().filter(|m| m.is_dir())?;
    let created = m
        .created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .unwrap_or_default();
    Some((created.as_secs(), u64::from(created.subsec_nanos())))
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
