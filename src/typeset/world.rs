//! The Typst `World` of a build: a sandbox.
//!
//! It serves virtual files (the generated `/main.typ` and `/document.json`) and a few mounted
//! folders (`/layout` → the project's `layout/`, `/issue` → the issue folder); every other path,
//! and every package import, is refused with a message saying what to do. Fonts come from the
//! shared [`Fonts`]; `today()` is the date.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::Fonts;

pub struct KanwuWorld {
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: FileId,
    /// Files that exist only in memory, by virtual path (`/main.typ`).
    virtual_files: HashMap<String, Bytes>,
    /// Virtual folder (`/layout`, or `/` for a plain Typst project) → real folder (canonical).
    mounts: Vec<(String, PathBuf)>,
    today: Datetime,
    sources: Mutex<HashMap<FileId, Source>>,
    files: Mutex<HashMap<FileId, Bytes>>,
}

pub fn file_id(vpath: &str) -> FileId {
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(vpath).expect("a valid virtual path"),
    )
    .intern()
}

impl KanwuWorld {
    /// `main` is the virtual path of the main file; it must be a virtual file or lie in a mount.
    pub fn new(
        fonts: Arc<Fonts>,
        main: &str,
        virtual_files: HashMap<String, Bytes>,
        mounts: Vec<(String, PathBuf)>,
        today: Datetime,
    ) -> Self {
        let mounts = mounts
            .into_iter()
            .map(|(v, real)| {
                (
                    v.trim_end_matches('/').to_string(),
                    real.canonicalize().unwrap_or(real),
                )
            })
            .collect();
        Self {
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main: file_id(main),
            virtual_files,
            mounts,
            today,
            sources: Mutex::new(HashMap::new()),
            files: Mutex::new(HashMap::new()),
        }
    }

    /// Replaces the virtual files and the date (watch mode: a new document.json) and forgets
    /// cached files, so the next compile sees every change while Typst's own caches keep what
    /// did not change.
    pub fn replace_virtual_files(&mut self, files: HashMap<String, Bytes>, today: Datetime) {
        self.virtual_files = files;
        self.today = today;
        self.reset();
    }

    pub fn reset(&mut self) {
        self.sources.get_mut().expect("not poisoned").clear();
        self.files.get_mut().expect("not poisoned").clear();
    }

    /// The real file behind a virtual path, if it is in a mount (for messages).
    pub fn real_path(&self, id: FileId) -> Option<PathBuf> {
        self.mounted(id).map(|(path, _)| path)
    }

    /// The real file behind a virtual path and the (resolved) folder of the mount it is in.
    fn mounted(&self, id: FileId) -> Option<(PathBuf, &Path)> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return None;
        }
        let vpath = id.vpath().get_with_slash();
        for (mount, real) in &self.mounts {
            let rest = if mount.is_empty() {
                Some(vpath)
            } else {
                vpath
                    .strip_prefix(mount.as_str())
                    .filter(|r| r.is_empty() || r.starts_with('/'))
            };
            if let Some(rest) = rest {
                return Some((real.join(rest.trim_start_matches('/')), real));
            }
        }
        None
    }

    /// The real files under `mount` that this World has read since it was made or last reset,
    /// sorted: exactly what a build used of a folder (release records and `--emit-typst`
    /// copies these, wherever they lie under `layout/`).
    pub fn opened_files(&self, mount: &str) -> Vec<PathBuf> {
        let Some((_, root)) = self.mounts.iter().find(|(m, _)| m == mount) else {
            return Vec::new();
        };
        let mut out: Vec<PathBuf> = self
            .files
            .lock()
            .expect("not poisoned")
            .keys()
            .filter_map(|id| self.real_path(*id))
            .filter(|p| p.starts_with(root))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The real folder behind a mount (`/layout`).
    pub fn mount_root(&self, mount: &str) -> Option<&Path> {
        self.mounts
            .iter()
            .find(|(m, _)| m == mount)
            .map(|(_, r)| r.as_path())
    }

    fn read(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Other(Some(
                msg!("world-package-not-available-kanwu", spec = spec).into(),
            )));
        }
        let vpath = id.vpath().get_with_slash();
        if let Some(bytes) = self.virtual_files.get(vpath) {
            return Ok(bytes.clone());
        }
        let Some((path, root)) = self.mounted(id) else {
            return Err(self.outside(vpath));
        };
        // A file is read only inside the resolved folder of the mount it was named through:
        // a link in `layout/` that leads elsewhere (even into the issue) is refused.
        let real = path
            .canonicalize()
            .map_err(|e| FileError::from_io(e, &path))?;
        if !real.starts_with(root) {
            return Err(FileError::Other(Some(
                msg!(
                    "world-link-outside-build-reads",
                    path = crate::diag::display_path(&path).display(),
                    real = crate::diag::display_path(&real).display(),
                    root = crate::diag::display_path(root).display()
                )
                .into(),
            )));
        }
        if real.is_dir() {
            return Err(FileError::IsDirectory);
        }
        fs::read(&real)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }

    fn outside(&self, vpath: &str) -> FileError {
        let allowed: Vec<String> = self
            .mounts
            .iter()
            .map(|(m, _)| format!("{m}/…"))
            .chain(self.virtual_files.keys().cloned())
            .collect();
        FileError::Other(Some(
            msg!(
                "world-outside-kanwu-s-sandbox",
                vpath = vpath,
                allowed = allowed.join(", ")
            )
            .into(),
        ))
    }
}

impl World for KanwuWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(s) = self.sources.lock().expect("not poisoned").get(&id) {
            return Ok(s.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let source = Source::new(id, text.to_string());
        self.sources
            .lock()
            .expect("not poisoned")
            .insert(id, source.clone());
        Ok(source)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.files.lock().expect("not poisoned").get(&id) {
            return Ok(b.clone());
        }
        let bytes = self.read(id)?;
        self.files
            .lock()
            .expect("not poisoned")
            .insert(id, bytes.clone());
        Ok(bytes)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// The world a plain `typst compile --root DIR DIR/main.typ` would see: everything under `dir`.
pub fn plain_project(fonts: Arc<Fonts>, dir: &Path, today: Datetime) -> KanwuWorld {
    KanwuWorld::new(
        fonts,
        "/main.typ",
        HashMap::new(),
        vec![(String::new(), dir.to_path_buf())],
        today,
    )
}
