//! `kanwu watch`: build, then rebuild whenever an input changes.
//!
//! One World is kept across rebuilds: a change replaces the virtual document.json and clears
//! the World's file cache, and Typst's memoisation (comemo) reuses every part of the layout
//! that did not change. A failed rebuild prints its errors and leaves the last good PDF in
//! place, so a PDF viewer that reloads on change keeps showing pages.

mod watcher;

use std::path::{Path, PathBuf};
use std::time::Instant;

pub use watcher::{Change, Folder, IssueWatcher};

use crate::diag::{Diagnostic, Result};
use crate::model::{LoadedIssue, Profile};
use crate::print::preflight;
use crate::project::Project;
use crate::typeset::world::KanwuWorld;
use crate::typeset::{compile, issue_entry, pdf_identity};
use crate::util::write_atomic_unsynced;

/// What happened in one round, for the caller to print.
pub enum Event<'a> {
    Built {
        pdf: &'a Path,
        pages: usize,
        elapsed: std::time::Duration,
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
    // Every save loads the issue again: the word segmenter of the titles stays loaded.
    crate::model::title::keep_loaded();
    let manifest = crate::model::manifest::issue_manifest_path(issue_arg)?;
    let (issue_dir, name) = crate::model::manifest::issue_dir(&manifest)?;
    let out = output.unwrap_or_else(|| project.output_path(&name, Profile::Screen));
    let out_abs = std::env::current_dir()
        .map(|d| d.join(&out))
        .unwrap_or(out.clone());

    let mut watcher = IssueWatcher::new(&project.root, &issue_dir, Some(out_abs))?;

    let mut world: Option<KanwuWorld> = None;
    let mut first = true;
    let mut build = true;
    loop {
        if build {
            let start = Instant::now();
            let result = rebuild(&project, &manifest, &mut world, &out);
            // Typst's caches of what the last builds did not use go (as typst-cli's watch
            // does): without it every save kept its layout in memory (~1.7 MB on the sample).
            typst::comemo::evict(10);
            match result {
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

        let Some(change) = watcher.wait() else {
            return Ok(());
        };
        build = matches!(change.folder, Folder::There | Folder::Back);
        match change.folder {
            Folder::Gone => on_event(Event::Gone {
                folder: &issue_dir,
                kept: &out,
            }),
            Folder::Back => on_event(Event::Back { folder: &issue_dir }),
            Folder::There | Folder::Missing => {}
        }
        if change.fonts {
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
