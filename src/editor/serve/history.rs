//! Every version the desk replaces, kept under `.kanwu/history/` in the project: before the
//! desk writes a file (a save, a form, a change to the structure, a restore), the
//! text it replaces is kept as a version named by its time. The desk lists a file's versions
//! and restores any of them; a restore is itself a write, so what it replaced is kept too.
//!
//! A file's versions live in a folder named after the file's place among the issues
//! (`.kanwu/history/2021-01/ai-patents.md/`, `.kanwu/history/publication.toml/`); a version is
//! `<unix milliseconds>-<why>.<ext>`. The browser names a version by that name, which is
//! looked up among the folder's own entries: no path from a request reaches the disk.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::diag::Result;
use crate::util::write_atomic;

/// Versions kept per file; the oldest beyond this are removed (an editor saving every few
/// seconds for a month stays within a few megabytes per article).
const KEEP: usize = 500;

/// Why a version was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Replaced by a save from the desk (an article, a form, the structure).
    Saved,
    /// Replaced by a restore.
    Restored,
    /// The desk's unsaved text, set aside when the editor took the text on disk instead, or
    /// when the desk stopped while the file had changed under it.
    Unsaved,
}

impl Why {
    fn as_str(self) -> &'static str {
        match self {
            Why::Saved => "saved",
            Why::Restored => "restored",
            Why::Unsaved => "unsaved",
        }
    }
}

/// One kept version, as the browser lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Version {
    /// Its name in the file's folder, by which the browser asks for it.
    pub name: String,
    /// When it was kept (Unix milliseconds; the browser shows local time).
    pub time: u64,
    pub why: String,
    pub bytes: u64,
}

pub struct History {
    dir: PathBuf,
}

impl History {
    /// The history of the project at `root` (`root/.kanwu/history`).
    pub fn new(root: &Path) -> History {
        History {
            dir: root.join(".kanwu").join("history"),
        }
    }

    /// The folder of a file's versions; `key` is the file's place among the issues, with `/`
    /// (`2021-01/ai-patents.md`), made by the desk, never taken from a request.
    fn folder(&self, key: &str) -> PathBuf {
        key.split('/')
            .filter(|p| !p.is_empty() && *p != "." && *p != "..")
            .fold(self.dir.clone(), |d, p| d.join(p))
    }

    /// Keeps `bytes` as a version of `key`, now.
    pub fn keep(&self, key: &str, bytes: &[u8], why: Why) -> Result<()> {
        let folder = self.folder(key);
        let ext = Path::new(key)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("txt");
        let mut ms = now_ms();
        // Two versions in the same millisecond get the next free one.
        let path = loop {
            let p = folder.join(format!("{ms:013}-{}.{ext}", why.as_str()));
            if !p.exists() {
                break p;
            }
            ms += 1;
        };
        write_atomic(&path, bytes)?;
        let versions = self.list(key);
        for old in versions.iter().skip(KEEP) {
            let _ = fs::remove_file(folder.join(&old.name));
        }
        Ok(())
    }

    /// Writes `new` to `path` (atomically), keeping what it replaces as a version of `key`
    /// when that differs. Returns whether the file changed.
    pub fn write(&self, key: &str, path: &Path, new: &[u8], why: Why) -> Result<bool> {
        match fs::read(path) {
            Ok(old) if old == new => return Ok(false),
            Ok(old) => self.keep(key, &old, why)?,
            Err(_) => {}
        }
        write_atomic(path, new)?;
        Ok(true)
    }

    /// A file's versions, newest first.
    pub fn list(&self, key: &str) -> Vec<Version> {
        let mut out: Vec<Version> = crate::util::sorted_entries(&self.folder(key))
            .into_iter()
            .filter_map(|e| {
                let name = e.file_name()?.to_str()?.to_string();
                let (time, why) = parse_name(&name)?;
                let meta = fs::symlink_metadata(&e).ok().filter(|m| m.is_file())?;
                Some(Version {
                    time,
                    why: why.to_string(),
                    bytes: meta.len(),
                    name,
                })
            })
            .collect();
        out.sort_by(|a, b| b.name.cmp(&a.name));
        out
    }

    /// The bytes of the version named `name` of `key`, when it is one of its versions.
    pub fn read(&self, key: &str, name: &str) -> Option<Vec<u8>> {
        let listed = self.list(key).into_iter().find(|v| v.name == name)?;
        fs::read(self.folder(key).join(listed.name)).ok()
    }
}

/// `1733441234567-saved.md` → (1733441234567, "saved").
fn parse_name(name: &str) -> Option<(u64, &str)> {
    let (ms, rest) = name.split_once('-')?;
    let (why, _ext) = rest.split_once('.')?;
    if ms.len() != 13 || !ms.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !["saved", "restored", "unsaved"].contains(&why) {
        return None;
    }
    Some((ms.parse().ok()?, why))
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_keeps_what_it_replaces_and_versions_are_listed_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let h = History::new(dir.path());
        let file = dir.path().join("a.md");
        assert!(h.write("2021-01/a.md", &file, b"one", Why::Saved).unwrap());
        assert!(
            h.list("2021-01/a.md").is_empty(),
            "a new file replaces nothing"
        );
        assert!(h.write("2021-01/a.md", &file, b"two", Why::Saved).unwrap());
        assert!(!h.write("2021-01/a.md", &file, b"two", Why::Saved).unwrap());
        h.write("2021-01/a.md", &file, b"three", Why::Restored)
            .unwrap();
        let list = h.list("2021-01/a.md");
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].why, "restored");
        assert_eq!(h.read("2021-01/a.md", &list[0].name).unwrap(), b"two");
        assert_eq!(h.read("2021-01/a.md", &list[1].name).unwrap(), b"one");
        assert_eq!(fs::read(&file).unwrap(), b"three");
        // Only a listed name is read: no path reaches the disk.
        assert!(h.read("2021-01/a.md", "../../a.md").is_none());
        assert!(h.read("2021-01/a.md", "nope").is_none());
        assert!(
            dir.path()
                .join(".kanwu/history/2021-01/a.md")
                .join(&list[1].name)
                .is_file()
        );
    }
}
