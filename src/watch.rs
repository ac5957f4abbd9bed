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
use crate::render::{self, Profile};
use crate::world::KanwuWorld;
use crate::{LoadedIssue, Project, pdf_identity};

/// What happened in one round, for the caller to print.
/// Quiet time that ends a burst of file events (see the loop in [`watch`]).
const SETTLE: Duration = Duration::from_millis(10);
/// A stream of events that never goes quiet (a tool rewriting files) still gets a build.
const MAX_SETTLE: Duration = Duration::from_millis(500);

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
    let manifest = crate::manifest::issue_manifest_path(issue_arg)?;
    let (issue_dir, name) = crate::manifest::issue_dir(&manifest)?;
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
        // (relevant, a font changed) for one event: kanwu's own output is not a change.
        let classify = |event: notify::Result<notify::Event>| {
            let Ok(event) = event else {
                return (false, false);
            };
            // Reading a file (as a rebuild does) is not a change.
            if matches!(
                event.kind,
                notify::EventKind::Access(_) | notify::EventKind::Other
            ) {
                return (false, false);
            }
            let mut seen = (false, false);
            for p in &event.paths {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                if *p == out_abs || name.starts_with(".kanwu-") {
                    continue;
                }
                seen.0 = true;
                seen.1 |= p.starts_with(&fonts_dir);
            }
            seen
        };
        let (mut relevant, mut fonts_changed) = (false, false);
        while !relevant {
            let Ok(event) = rx.recv() else { return Ok(()) };
            (relevant, fonts_changed) = classify(event);
        }
        // A save is a burst of events (truncate + write, or write a temporary file + rename),
        // all within a millisecond or two: wait until the burst has been quiet for SETTLE, so
        // a half-written file is never built, but no longer (the editor is waiting).
        let burst = Instant::now();
        while let Ok(event) = rx.recv_timeout(SETTLE) {
            fonts_changed |= classify(event).1;
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
    let world = match world {
        Some(w) => {
            project.refresh_world(w, &loaded);
            w
        }
        None => world.insert(project.world(&loaded)),
    };
    let (doc, mut warnings) = render::compile(world);
    let doc = doc?;
    let missing = project.missing_theme_fonts(&doc);
    if !missing.is_empty() {
        return Err(missing
            .into_iter()
            .map(|(role, family)| {
                Diagnostic::error(format!(
                    "the layout's `{role}` font \"{family}\" is not available"
                ))
            })
            .collect::<Vec<_>>()
            .into());
    }
    let report = project.preflight(&loaded, &doc, Profile::Screen);
    warnings.extend(report.diagnostics());
    let pdf = render::export_pdf(&doc, &pdf_identity(&loaded))?;
    render::write_atomic_unsynced(out, &pdf)?;
    Ok((doc.pages().len(), warnings))
}
