//! Watching an issue's inputs, for `watch` and `serve` alike: the issue folder, the folder
//! holding it, the layout and the fonts. A save's burst of events is let settle into one
//! change; the issue folder may go away and come back (deleted and copied back at once, as
//! editors and sync tools do, or missing for a while).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::diag::{Diagnostic, Failure, Result, display_path};

/// Quiet time after which a write whose close never came is taken as done.
const SETTLE: Duration = Duration::from_millis(10);
/// After a complete write, how long to wait for the rest of the burst (a rename's partner, a
/// second file saved at once).
const TAIL: Duration = Duration::from_millis(1);
/// A stream of events that never goes quiet (a tool rewriting files) still gets a build.
const MAX_SETTLE: Duration = Duration::from_millis(500);
/// While the issue folder is missing, how often to look for it again (a folder put back
/// whole may come without an event that names it).
const MISSING_POLL: Duration = Duration::from_millis(500);

/// What a settled change means for the issue folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// There, and the folder watched: build.
    There,
    /// There again (back after a while, or replaced at once by a new folder of the same
    /// name): watched afresh; build.
    Back,
    /// Gone just now: the last output stays until it is back.
    Gone,
    /// Still gone (something else changed meanwhile): nothing to build.
    Missing,
}

/// One settled change.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    /// A font file changed: the fonts are to be loaded again.
    pub fonts: bool,
    pub folder: Folder,
}

/// What one file event says.
#[derive(Default, Clone, Copy)]
struct Seen {
    /// A file of the issue, the layout or the fonts changed.
    relevant: bool,
    /// The change is finished: the file was closed after writing, renamed or removed.
    complete: bool,
    fonts: bool,
    /// The issue folder itself was created, removed or renamed (its watch must be renewed).
    folder: bool,
}

pub struct IssueWatcher {
    watcher: RecommendedWatcher,
    rx: mpsc::Receiver<notify::Result<notify::Event>>,
    issue_dir: PathBuf,
    fonts_dir: PathBuf,
    /// A file the caller writes itself (watch's PDF): not a change.
    ignore: Option<PathBuf>,
    /// The issue folder as it is watched now (None while it is gone).
    armed: Option<FolderId>,
}

impl IssueWatcher {
    /// Watches `issue_dir` (and the folder holding it), `root/layout` and `root/fonts`.
    pub fn new(root: &Path, issue_dir: &Path, ignore: Option<PathBuf>) -> Result<IssueWatcher> {
        let (tx, rx) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx)
            .map_err(|e| Diagnostic::error(msg!("watch-cannot-watch-files", e = e)))?;
        let issues_dir = issue_dir.parent().unwrap_or(issue_dir);
        for (path, mode) in [
            (issues_dir, RecursiveMode::NonRecursive),
            (&root.join("layout"), RecursiveMode::Recursive),
            (&root.join("fonts"), RecursiveMode::Recursive),
        ] {
            watcher
                .watch(path, mode)
                .map_err(|e| cannot_watch(path, e))?;
        }
        let armed = Some(arm(&mut watcher, issue_dir).map_err(|e| cannot_watch(issue_dir, e))?);
        Ok(IssueWatcher {
            watcher,
            rx,
            issue_dir: issue_dir.to_path_buf(),
            fonts_dir: root.join("fonts"),
            ignore,
            armed,
        })
    }

    /// Waits for the next change and lets its burst settle; None when the watcher is gone.
    ///
    /// A save is a burst of events: truncate, write, close; or write a temporary file and
    /// rename it. The change is taken as soon as the file is complete (closed after writing,
    /// renamed in) and the burst has nothing more queued; a write whose close never comes
    /// (another platform, an odd tool) is taken as done after SETTLE of quiet. A half-written
    /// file is never built, and the editor does not wait for a fixed delay.
    pub fn wait(&mut self) -> Option<Change> {
        self.wait_until(None).map(|c| c.expect("no deadline"))
    }

    /// [`IssueWatcher::wait`], for at most `within`: Some(None) when nothing changed by then.
    pub fn wait_at_most(&mut self, within: Duration) -> Option<Option<Change>> {
        self.wait_until(Some(Instant::now() + within))
    }

    fn wait_until(&mut self, deadline: Option<Instant>) -> Option<Option<Change>> {
        let mut seen = Seen::default();
        while !seen.relevant {
            if let Some(deadline) = deadline {
                let left = deadline.saturating_duration_since(Instant::now());
                match self.rx.recv_timeout(left.min(MISSING_POLL)) {
                    Ok(event) => seen = self.classify(event),
                    Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                    Err(mpsc::RecvTimeoutError::Timeout) if left <= MISSING_POLL => {
                        return Some(None);
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                }
            } else if self.armed.is_some() {
                seen = self.classify(self.rx.recv().ok()?);
            } else {
                match self.rx.recv_timeout(MISSING_POLL) {
                    Ok(event) => seen = self.classify(event),
                    Err(mpsc::RecvTimeoutError::Disconnected) => return None,
                    // Looked for again below.
                    Err(mpsc::RecvTimeoutError::Timeout) if self.issue_dir.is_dir() => break,
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                }
            }
        }
        let mut fonts = seen.fonts;
        let mut writing = seen.relevant && !seen.complete;
        let mut rearm = seen.folder;
        let mut replaced = seen.folder || self.armed.is_none();
        let burst = Instant::now();
        loop {
            // The issue folder itself was created, removed or renamed: watch the folder now
            // there at once, so that the files being copied into it extend this burst.
            if std::mem::take(&mut rearm) && self.issue_dir.is_dir() {
                self.armed = arm(&mut self.watcher, &self.issue_dir).ok();
            }
            let wait = if writing { SETTLE } else { TAIL };
            let Ok(event) = self.rx.recv_timeout(wait) else {
                break;
            };
            let s = self.classify(event);
            fonts |= s.fonts;
            rearm |= s.folder;
            replaced |= s.folder;
            if s.relevant {
                writing = !s.complete;
            }
            if burst.elapsed() > MAX_SETTLE {
                break;
            }
        }
        // Is the issue folder there, and is it the folder watched?
        let folder = match folder_id(&self.issue_dir) {
            None => match self.armed.take() {
                Some(_) => {
                    let _ = self.watcher.unwatch(&self.issue_dir);
                    Folder::Gone
                }
                None => Folder::Missing,
            },
            Some(id) => {
                // Another folder of the same name, with no event naming it (or one too late).
                if rearm || self.armed != Some(id) {
                    replaced = true;
                    self.armed = arm(&mut self.watcher, &self.issue_dir).ok();
                }
                if replaced {
                    Folder::Back
                } else {
                    Folder::There
                }
            }
        };
        Some(Some(Change { fonts, folder }))
    }

    /// What one event says: the caller's own output and kanwu's temporary files are not a
    /// change, nor is reading a file (as a build does).
    fn classify(&self, event: notify::Result<notify::Event>) -> Seen {
        let mut seen = Seen::default();
        let Ok(event) = event else { return seen };
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
            K::Access(_) | K::Other => return seen,
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
            if self.ignore.as_ref() == Some(p) || name.starts_with(".kanwu-") {
                continue;
            }
            seen.relevant = true;
            seen.complete = complete;
            seen.fonts |= p.starts_with(&self.fonts_dir);
            seen.folder |= comes_or_goes && *p == self.issue_dir;
        }
        seen
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
