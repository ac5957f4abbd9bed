//! The desk's state: which articles it knows (each by a number of the desk's own, never a
//! path from the browser), the unsaved texts (drafts) the pages are built from, which window
//! edits which article, and the writes — every one atomic, every one keeping what it replaces
//! ([`History`]), none over a file that changed under it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::history::{History, Why};
use crate::model::Overlay;
use crate::model::article_edit::{self as article, Parts};
use crate::util::sha256_bytes;

/// A window that has neither typed nor asked for anything for this long has gone quiet: an
/// article it holds may be taken by another window.
const QUIET: Duration = Duration::from_secs(120);

/// What the browser asked that cannot be done: an HTTP status and a message in the reader's
/// language.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub status: u16,
    pub message: String,
    /// More for the browser (a conflict's texts, the field a form error belongs to).
    pub detail: Value,
}

impl Refused {
    pub fn new(status: u16, message: String) -> Refused {
        Refused {
            status,
            message,
            detail: Value::Null,
        }
    }
}

pub type Answer = std::result::Result<Value, Refused>;

/// An article's unsaved text.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The text (`\n` line ends).
    pub text: String,
    /// sha256 of the file's bytes the draft was begun from: a save over other bytes is a
    /// conflict, never an overwrite.
    pub base: String,
}

struct Lock {
    window: String,
    last: Instant,
}

#[derive(Default)]
struct Window {
    /// Open event streams of this window (a reload opens the next before the last closes).
    streams: usize,
    last: Option<Instant>,
}

pub struct Desk {
    /// The project root, the issue folder (canonical), its name, its manifest and the
    /// publication.toml beside it.
    pub root: PathBuf,
    pub issue_dir: PathBuf,
    pub issue_name: String,
    pub manifest: PathBuf,
    pub publication: PathBuf,
    pub history: History,
    /// The articles the desk has seen, by its own number for them.
    ids: Vec<PathBuf>,
    drafts: HashMap<usize, Draft>,
    /// Files that used `\r\n`, written back so.
    crlf: HashMap<usize, bool>,
    locks: HashMap<usize, Lock>,
    /// The desk's own last write of each article: (sha256 replaced, sha256 written). An edit
    /// begun from the text the desk replaced itself (typed while the save's answer was on
    /// its way) is not a conflict.
    written: HashMap<usize, (String, String)>,
    windows: HashMap<String, Window>,
    /// A window has been open since the desk started (so closing the last one stops it).
    pub had_window: bool,
}

/// The file's text for the desk (`\n` line ends) and the sha256 of its bytes.
pub fn read(path: &Path) -> Result<(String, bool, String), std::io::Error> {
    let bytes = fs::read(path)?;
    let hash = sha256_bytes(&bytes);
    let text = String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let (text, crlf) = article::to_lf(text);
    Ok((text, crlf, hash))
}

fn hash_of(path: &Path) -> Option<String> {
    fs::read(path).ok().map(|b| sha256_bytes(&b))
}

impl Desk {
    pub fn new(root: &Path, issue_dir: &Path, manifest: &Path) -> Desk {
        let issue_name = issue_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let publication = issue_dir
            .parent()
            .unwrap_or(issue_dir)
            .join("publication.toml");
        Desk {
            root: root.to_path_buf(),
            issue_dir: issue_dir.to_path_buf(),
            issue_name,
            manifest: manifest.to_path_buf(),
            publication,
            history: History::new(root),
            ids: Vec::new(),
            drafts: HashMap::new(),
            crlf: HashMap::new(),
            locks: HashMap::new(),
            written: HashMap::new(),
            windows: HashMap::new(),
            had_window: false,
        }
    }

    /// The desk's number for an article file (canonical path), given on first sight.
    pub fn id_of(&mut self, path: &Path) -> usize {
        match self.ids.iter().position(|p| p == path) {
            Some(i) => i,
            None => {
                self.ids.push(path.to_path_buf());
                self.ids.len() - 1
            }
        }
    }

    /// The article a number names, when the desk gave it.
    pub fn path_of(&self, id: usize) -> Result<&Path, Refused> {
        self.ids
            .get(id)
            .map(PathBuf::as_path)
            .ok_or_else(|| Refused::new(404, msg!("desk-no-such-article")))
    }

    /// The article's place in the history: its path inside the folder of issues.
    pub fn key_of(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.issue_dir).unwrap_or(path);
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        format!("{}/{}", self.issue_name, rel.join("/"))
    }

    /// A file's path inside the issue folder, with `/`, as issue.toml names it.
    pub fn rel_of(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.issue_dir).unwrap_or(path);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The unsaved texts, for the build.
    pub fn overlay(&self) -> Overlay {
        self.drafts
            .iter()
            .filter_map(|(id, d)| Some((self.ids.get(*id)?.clone(), Arc::from(d.text.as_str()))))
            .collect()
    }

    /// Articles with unsaved text, and those among them whose file changed under them.
    pub fn draft_state(&self) -> (Vec<usize>, Vec<usize>) {
        let mut drafts: Vec<usize> = self.drafts.keys().copied().collect();
        drafts.sort_unstable();
        let conflicts = drafts
            .iter()
            .copied()
            .filter(|id| {
                let d = &self.drafts[id];
                self.ids
                    .get(*id)
                    .is_some_and(|p| hash_of(p).is_none_or(|h| h != d.base))
            })
            .collect();
        (drafts, conflicts)
    }

    // ------------------------------------------------------------------ windows and locks

    pub fn window_opened(&mut self, window: &str) {
        let w = self.windows.entry(window.to_string()).or_default();
        w.streams += 1;
        w.last = Some(Instant::now());
        self.had_window = true;
    }

    /// A window's stream closed (or it said goodbye): when it has none left, the articles it
    /// held are free. Returns whether any window is left.
    pub fn window_closed(&mut self, window: &str, all: bool) -> bool {
        if let Some(w) = self.windows.get_mut(window) {
            w.streams = if all { 0 } else { w.streams.saturating_sub(1) };
            if w.streams == 0 {
                self.windows.remove(window);
                self.locks.retain(|_, l| l.window != window);
            }
        }
        !self.windows.is_empty()
    }

    pub fn windows_open(&self) -> usize {
        self.windows.len()
    }

    fn touch(&mut self, window: &str) {
        if let Some(w) = self.windows.get_mut(window) {
            w.last = Some(Instant::now());
        }
    }

    /// Takes an article for `window`: free, held by it already, or held by a window that is
    /// gone or quiet. Else refused: the browser shows the article read-only.
    pub fn claim(&mut self, id: usize, window: &str) -> Answer {
        self.path_of(id)?;
        self.touch(window);
        if let Some(l) = self.locks.get(&id)
            && l.window != window
            && self.windows.contains_key(&l.window)
            && l.last.elapsed() < QUIET
        {
            return Err(Refused::new(423, msg!("desk-edited-in-another-window")));
        }
        self.locks.insert(
            id,
            Lock {
                window: window.to_string(),
                last: Instant::now(),
            },
        );
        Ok(json!({ "claimed": id }))
    }

    pub fn release(&mut self, id: usize, window: &str) -> Answer {
        if self.locks.get(&id).is_some_and(|l| l.window == window) {
            self.locks.remove(&id);
        }
        Ok(json!({ "released": id }))
    }

    /// Which window holds which article (for the browsers to know when one is free).
    pub fn locks(&self) -> Value {
        let map: serde_json::Map<String, Value> = self
            .locks
            .iter()
            .map(|(id, l)| (id.to_string(), Value::String(l.window.clone())))
            .collect();
        Value::Object(map)
    }

    // ------------------------------------------------------------------ articles

    /// An article as the editor opens it: form fields, body, the line the body starts on,
    /// the sha256 of the file it was read from, and whether the text is an unsaved draft.
    pub fn article(&mut self, id: usize) -> Answer {
        let path = self.path_of(id)?.to_path_buf();
        let (disk, crlf, hash) = read(&path).map_err(|e| self.unreadable(&path, e))?;
        self.crlf.insert(id, crlf);
        let (text, base, draft) = match self.drafts.get(&id) {
            Some(d) => (d.text.clone(), d.base.clone(), true),
            None => (disk, hash.clone(), false),
        };
        let parts = article::parts(&text);
        Ok(json!({
            "id": id,
            "file": self.rel_of(&path),
            "base": base,
            "disk": hash,
            "draft": draft,
            "rev": rev(&text),
            "fields": fields_json(&parts),
            "body": parts.body,
            "body_line": parts.body_line,
            "front_error": parts.front_error,
            "history": self.key_of(&path),
        }))
    }

    fn unreadable(&self, path: &Path, e: std::io::Error) -> Refused {
        Refused::new(
            409,
            msg!(
                "desk-cannot-read-article",
                file = self.rel_of(path),
                e = e.to_string()
            ),
        )
    }

    fn held_by(&self, id: usize, window: &str) -> Result<(), Refused> {
        match self.locks.get(&id) {
            Some(l) if l.window != window => {
                Err(Refused::new(423, msg!("desk-edited-in-another-window")))
            }
            _ => Ok(()),
        }
    }

    /// The editor typed: the article's text becomes `body` and `fields` on top of what it
    /// was (`base`: the file's sha256 the browser began from). The pages are built from it;
    /// the file is written by [`Desk::save`].
    pub fn edit(
        &mut self,
        id: usize,
        window: &str,
        base: &str,
        body: Option<&str>,
        fields: Option<&[(String, String)]>,
    ) -> Answer {
        let path = self.path_of(id)?.to_path_buf();
        self.held_by(id, window)?;
        self.claim(id, window)?;
        let (disk, crlf, hash) = read(&path).map_err(|e| self.unreadable(&path, e))?;
        self.crlf.entry(id).or_insert(crlf);
        let current = self.drafts.get(&id).map_or(&disk, |d| &d.text);
        let text = article::compose(current, fields, body).map_err(|e| {
            Refused::new(
                422,
                msg!("desk-front-matter-does-not-parse", e = e.to_string()),
            )
        })?;
        let base = match self.written.get(&id) {
            Some((replaced, wrote)) if replaced == base && *wrote == hash => wrote.as_str(),
            _ => base,
        };
        let draft_base = self
            .drafts
            .get(&id)
            .map_or_else(|| base.to_string(), |d| d.base.clone());
        if text == disk && draft_base == hash {
            self.drafts.remove(&id);
        } else {
            self.drafts.insert(
                id,
                Draft {
                    text: text.clone(),
                    base: draft_base,
                },
            );
        }
        let parts = article::parts(&text);
        Ok(json!({
            "rev": rev(&text),
            "draft": self.drafts.contains_key(&id),
            "body_line": parts.body_line,
        }))
    }

    /// Writes the article's draft, when the file is still what the draft began from; else a
    /// conflict (409) with both texts, and nothing written.
    pub fn save(&mut self, id: usize, window: &str) -> Answer {
        let path = self.path_of(id)?.to_path_buf();
        self.held_by(id, window)?;
        let Some(draft) = self.drafts.get(&id).cloned() else {
            let hash = hash_of(&path).unwrap_or_default();
            return Ok(json!({ "saved": false, "base": hash }));
        };
        let disk = read(&path).map_err(|e| self.unreadable(&path, e))?;
        if disk.2 != draft.base {
            return Err(self.conflict(id, &draft, &disk.0, &disk.2));
        }
        let base = self.write_draft(id, &path, &draft.text, Why::Saved)?;
        self.drafts.remove(&id);
        Ok(json!({ "saved": true, "base": base }))
    }

    fn conflict(&self, id: usize, draft: &Draft, theirs: &str, theirs_hash: &str) -> Refused {
        let mut r = Refused::new(409, msg!("desk-changed-on-disk"));
        r.detail = json!({
            "conflict": {
                "id": id,
                "mine": article::parts(&draft.text),
                "theirs": article::parts(theirs),
                "theirs_hash": theirs_hash,
            }
        });
        r
    }

    /// Both texts of a conflict, for the browser's view of it.
    pub fn conflict_texts(&self, id: usize) -> Answer {
        let path = self.path_of(id)?;
        let Some(draft) = self.drafts.get(&id) else {
            return Ok(json!({ "conflict": null }));
        };
        let disk = read(path).map_err(|e| self.unreadable(path, e))?;
        if disk.2 == draft.base {
            return Ok(json!({ "conflict": null }));
        }
        Ok(self.conflict(id, draft, &disk.0, &disk.2).detail)
    }

    fn write_draft(
        &mut self,
        id: usize,
        path: &Path,
        text: &str,
        why: Why,
    ) -> Result<String, Refused> {
        let crlf = self.crlf.get(&id).copied().unwrap_or(false);
        let bytes = article::from_lf(text, crlf).into_bytes();
        let replaced = hash_of(path).unwrap_or_default();
        self.history
            .write(&self.key_of(path), path, &bytes, why)
            .map_err(|f| write_failed(&f))?;
        let wrote = sha256_bytes(&bytes);
        self.written.insert(id, (replaced, wrote.clone()));
        Ok(wrote)
    }

    /// The editor chose in a conflict: `mine` writes the draft over the file (whose text is
    /// kept in the history), `theirs` drops the draft (kept in the history as unsaved).
    /// `theirs_hash` is the file the editor saw: if it changed again, the choice is asked anew.
    pub fn resolve(
        &mut self,
        id: usize,
        window: &str,
        keep_mine: bool,
        theirs_hash: &str,
    ) -> Answer {
        let path = self.path_of(id)?.to_path_buf();
        self.held_by(id, window)?;
        let Some(draft) = self.drafts.get(&id).cloned() else {
            return Ok(json!({ "resolved": false }));
        };
        let disk = read(&path).map_err(|e| self.unreadable(&path, e))?;
        if disk.2 != theirs_hash {
            return Err(self.conflict(id, &draft, &disk.0, &disk.2));
        }
        let base = if keep_mine {
            self.write_draft(id, &path, &draft.text, Why::Saved)?
        } else {
            let crlf = self.crlf.get(&id).copied().unwrap_or(false);
            let mine = article::from_lf(&draft.text, crlf);
            self.history
                .keep(&self.key_of(&path), mine.as_bytes(), Why::Unsaved)
                .map_err(|f| write_failed(&f))?;
            disk.2
        };
        self.drafts.remove(&id);
        Ok(json!({ "resolved": true, "base": base }))
    }

    /// Restores a kept version of a file the desk may write (an article, the issue, the
    /// publication): written like any save, so what it replaces is kept too. An article's
    /// draft is dropped (kept in the history as unsaved).
    pub fn restore(&mut self, target: &Target, name: &str, window: &str) -> Answer {
        let (path, key, id) = self.target(target)?;
        if let Some(id) = id {
            self.held_by(id, window)?;
        }
        let bytes = self
            .history
            .read(&key, name)
            .ok_or_else(|| Refused::new(404, msg!("desk-no-such-version")))?;
        if let Some(id) = id
            && let Some(d) = self.drafts.remove(&id)
        {
            self.history
                .keep(&key, d.text.as_bytes(), Why::Unsaved)
                .map_err(|f| write_failed(&f))?;
        }
        self.history
            .write(&key, &path, &bytes, Why::Restored)
            .map_err(|f| write_failed(&f))?;
        Ok(json!({ "restored": name }))
    }

    /// The history key of a target as a request names it (`issue`, `publication`, `a<n>`).
    pub fn history_key(&self, target: &str) -> Result<String, Refused> {
        let t =
            Target::parse(target).ok_or_else(|| Refused::new(404, msg!("desk-no-such-version")))?;
        Ok(self.target(&t)?.1)
    }

    /// The file a history target names, its history key and its article number.
    pub fn target(&self, target: &Target) -> Result<(PathBuf, String, Option<usize>), Refused> {
        Ok(match target {
            Target::Issue => (
                self.manifest.clone(),
                format!("{}/issue.toml", self.issue_name),
                None,
            ),
            Target::Publication => (self.publication.clone(), "publication.toml".into(), None),
            Target::Article(id) => {
                let path = self.path_of(*id)?.to_path_buf();
                let key = self.key_of(&path);
                (path, key, Some(*id))
            }
        })
    }

    /// On the way out (Ctrl-C, SIGTERM, the last window closed): every draft written where
    /// its file is still what it began from; where it is not, the draft is kept in the
    /// history instead, and the file left as it is. Returns what was done, for the terminal.
    pub fn save_all(&mut self) -> Vec<(String, bool)> {
        let mut done = Vec::new();
        let mut ids: Vec<usize> = self.drafts.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            let Some(path) = self.ids.get(id).cloned() else {
                continue;
            };
            let draft = self.drafts[&id].clone();
            let same = hash_of(&path).is_some_and(|h| h == draft.base);
            let written = same && self.write_draft(id, &path, &draft.text, Why::Saved).is_ok();
            if written {
                self.drafts.remove(&id);
            } else {
                let _ = self
                    .history
                    .keep(&self.key_of(&path), draft.text.as_bytes(), Why::Unsaved);
            }
            let ok = written;
            done.push((self.rel_of(&path), ok));
        }
        done
    }
}

/// What a history request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Issue,
    Publication,
    Article(usize),
}

impl Target {
    /// `issue`, `publication` or `a<number>`.
    pub fn parse(s: &str) -> Option<Target> {
        match s {
            "issue" => Some(Target::Issue),
            "publication" => Some(Target::Publication),
            _ => {
                let n = s.strip_prefix('a')?;
                (!n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| Target::Article(n.parse().unwrap_or(usize::MAX)))
            }
        }
    }
}

/// A short name of a text, for the browser to know when the text it shows is not the one
/// the pages were built from.
pub fn rev(text: &str) -> String {
    format!("{:016x}", typst::utils::hash128(&text) as u64)
}

fn fields_json(p: &Parts) -> Value {
    Value::Object(
        p.fields
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

pub fn write_failed(f: &crate::diag::Failure) -> Refused {
    let message = f.0.first().map_or_else(String::new, |d| d.message.clone());
    Refused::new(500, msg!("desk-cannot-write", e = message))
}
