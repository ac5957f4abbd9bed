//! Fonts: the vendored `fonts/` folder checked against `fonts/fonts.lock`, plus folders the
//! user names with `--font-path`. Never system fonts: output must not depend on the machine.
//!
//! Fonts are scanned once per process and shared by every build in it. Two things make that
//! cheap (measured with callgrind on the sample issue, they were half of a build's work):
//!
//! - **The scan is cached.** Typst's `FontInfo` of a face (its family, style and the coverage
//!   of a 65 000-glyph CJK cmap) costs ~25 ms per file to compute; it is kept in the user's cache
//!   folder (`$KANWU_CACHE_DIR`, `$XDG_CACHE_HOME/kanwu` or `~/.cache/kanwu`), keyed by each
//!   file's path, size, mtime and inode, like fontconfig's cache. A missing, stale or unreadable
//!   cache only means a rescan: the info, and so the output, is the same either way.
//! - **Font files are memory-mapped, not read.** A face's file is mapped on first use and shared
//!   by the faces of a collection. Typst hashes a font's whole data once (its caches are keyed
//!   by it); right after that the pages are handed back to the page cache, so resident memory
//!   holds only what the build reads (cmap, metrics, the glyphs set), not four 20 MB files.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use memmap2::Mmap;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontSource, FontStore};

use crate::diag::{Diagnostic, Result, display_path};
use crate::util::sha256_file;

#[cfg(test)]
use super::font_files::font_files_under;
use super::font_files::{file_name, font_files, resolved_font_files};

pub const LOCK_FILE: &str = "fonts.lock";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    pub file: String,
    pub size: u64,
    pub sha256: String,
    pub origin: String,
    #[serde(default)]
    pub license: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontLock {
    pub version: u32,
    #[serde(rename = "font", default)]
    pub fonts: Vec<LockEntry>,
}

/// One face known to the build.
#[derive(Debug, Clone)]
pub struct Face {
    pub path: PathBuf,
    pub index: u32,
    pub info: FontInfo,
}

/// The fonts of a process: scanned once, shared by every build.
pub struct Fonts {
    store: FontStore,
    faces: Vec<Face>,
}

impl Fonts {
    /// Scans `root/fonts` (after checking it against its lock: every locked file present with
    /// its recorded size, and no unlocked font file) and each extra folder, in a fixed order.
    pub fn load(root: &Path, extra: &[PathBuf]) -> Result<Fonts> {
        let dir = root.join("fonts");
        let lock = read_lock(&dir)?;
        let mut errors = check_sizes(&dir, &lock);
        for file in font_files(&dir) {
            let name = file_name(&file);
            if !lock.fonts.iter().any(|f| f.file == name) {
                errors.push(
                    Diagnostic::error(msg!(
                        "fonts-font-file-not-fonts",
                        file = display_path(&file).display()
                    ))
                    .hint(msg!("fonts-build-uses-only-locked")),
                );
            }
        }
        let mut dirs = vec![(dir, "fonts/".to_string())];
        for d in extra {
            if !d.is_dir() {
                errors.push(
                    Diagnostic::error(msg!("fonts-font-folder-does-not", d = d.display()))
                        .hint(msg!("fonts-check-font-path-argument")),
                );
            }
            dirs.push((d.clone(), d.display().to_string()));
        }
        // Sorted: directory order differs between machines; the font book's order must not.
        let mut found = Vec::new();
        for (d, shown) in &dirs {
            let (files, outside) = resolved_font_files(d, shown);
            found.extend(files);
            errors.extend(outside);
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut cache = FontCache::read(FontCache::file());
        let mut faces: Vec<Face> = Vec::new();
        let mut store = FontStore::new();
        for (path, real) in found {
            // Mapped as resolved: the file checked is the file read.
            let file = Arc::new(FontFile {
                path: real,
                data: OnceLock::new(),
            });
            for (index, info) in cache.faces(&path) {
                store.push((
                    MappedFace {
                        file: file.clone(),
                        index,
                    },
                    info.clone(),
                ));
                faces.push(Face {
                    path: path.clone(),
                    index,
                    info,
                });
            }
        }
        cache.write(FontCache::file());
        Ok(Fonts { store, faces })
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        self.store.book()
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        self.store.font(index)
    }

    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    /// Does any face belong to this family (case-insensitive, as Typst matches)?
    pub fn has_family(&self, family: &str) -> bool {
        self.book().contains_family(&family.to_lowercase())
    }
}

/// A font file, mapped on first use and shared by the faces in it.
struct FontFile {
    path: PathBuf,
    data: OnceLock<Option<(Bytes, Arc<Mmap>)>>,
}

/// The mapping as Typst's `Bytes`.
struct MappedBytes(Arc<Mmap>);

impl AsRef<[u8]> for MappedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn map(path: &Path) -> Option<Mmap> {
    let file = fs::File::open(path).ok()?;
    // SAFETY: the mapping is read-only. Were the file truncated under a running build, reading
    // the lost pages would fault, as in every program that maps fonts (fontdb, fontconfig);
    // kanwu's fonts are locked files nobody rewrites in place.
    unsafe { Mmap::map(&file) }.ok()
}

impl FontFile {
    fn data(&self) -> Option<&(Bytes, Arc<Mmap>)> {
        self.data
            .get_or_init(|| {
                let map = Arc::new(map(&self.path)?);
                Some((Bytes::new(MappedBytes(map.clone())), map))
            })
            .as_ref()
    }
}

/// One face of a [`FontFile`], as typst-kit's font store loads it.
struct MappedFace {
    file: Arc<FontFile>,
    index: u32,
}

impl FontSource for MappedFace {
    fn load(&self) -> Option<Font> {
        let (bytes, map) = self.file.data()?;
        let font = Font::new(bytes.clone(), self.index)?;
        // Typst hashes the font's whole data the first time it sees the font; do it now, then
        // give the pages the hash read back to the page cache. The hash is kept in `bytes`.
        typst::utils::hash128(&font);
        // SAFETY: MADV_DONTNEED on a read-only file mapping only drops resident pages; the
        // next read maps them again from the page cache, with the same contents.
        #[cfg(unix)]
        let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        #[cfg(not(unix))]
        let _ = map;
        Some(font)
    }
}

/// Number of faces in a font file: a collection's count, or 1.
fn face_count(data: &[u8]) -> u32 {
    if data.len() >= 12 && &data[..4] == b"ttcf" {
        u32::from_be_bytes([data[8], data[9], data[10], data[11]])
    } else {
        1
    }
}

/// The cached `FontInfo` of font files (see the module's comment).
#[derive(Default, Serialize, Deserialize)]
struct FontCache {
    /// The Typst version that computed the infos; another version's cache is ignored.
    typst: String,
    files: BTreeMap<String, CachedFile>,
    #[serde(skip)]
    changed: bool,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
struct FileStamp {
    size: u64,
    mtime_ns: i64,
    inode: u64,
}

#[derive(Clone, Serialize, Deserialize)]
struct CachedFile {
    stamp: FileStamp,
    faces: Vec<(u32, FontInfo)>,
}

fn typst_version() -> String {
    let v = typst::utils::version();
    format!("{}.{}.{}", v.major(), v.minor(), v.patch())
}

#[cfg(unix)]
fn stamp(path: &Path) -> Option<FileStamp> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::metadata(path).ok()?;
    Some(FileStamp {
        size: m.len(),
        mtime_ns: m
            .mtime()
            .saturating_mul(1_000_000_000)
            .saturating_add(m.mtime_nsec()),
        inode: m.ino(),
    })
}

/// Elsewhere (Windows) there is no inode: size and modification time key the entry.
#[cfg(not(unix))]
fn stamp(path: &Path) -> Option<FileStamp> {
    let m = fs::metadata(path).ok()?;
    let mtime = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(FileStamp {
        size: m.len(),
        mtime_ns: i64::try_from(mtime.as_nanos()).unwrap_or(i64::MAX),
        inode: 0,
    })
}

impl FontCache {
    fn file() -> Option<PathBuf> {
        let env = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let dir = env("KANWU_CACHE_DIR")
            .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("kanwu")))
            .or_else(|| env("HOME").map(|d| d.join(".cache/kanwu")));
        // Windows sets no HOME: its per-user cache is under %LOCALAPPDATA%.
        #[cfg(windows)]
        let dir = dir.or_else(|| env("LOCALAPPDATA").map(|d| d.join("kanwu")));
        Some(dir?.join("fonts.json"))
    }

    fn read(file: Option<PathBuf>) -> FontCache {
        let typst = typst_version();
        let cached = file
            .and_then(|f| fs::read(f).ok())
            .and_then(|b| serde_json::from_slice::<FontCache>(&b).ok())
            .filter(|c| c.typst == typst);
        cached.unwrap_or(FontCache {
            typst,
            ..FontCache::default()
        })
    }

    /// The faces of a font file with their info: from the cache when the file is unchanged,
    /// else scanned (and cached). A file that is not a font gives none, as in Typst's scan.
    fn faces(&mut self, path: &Path) -> Vec<(u32, FontInfo)> {
        let key = path
            .canonicalize()
            .unwrap_or_else(|_| path.to_path_buf())
            .to_string_lossy()
            .into_owned();
        let Some(stamp) = stamp(path) else {
            return Vec::new();
        };
        if let Some(c) = self.files.get(&key).filter(|c| c.stamp == stamp) {
            return c.faces.clone();
        }
        let faces: Vec<(u32, FontInfo)> = map(path)
            .map(|data| {
                (0..face_count(&data))
                    .filter_map(|i| FontInfo::new(&data, i).map(|info| (i, info)))
                    .collect()
            })
            .unwrap_or_default();
        self.files.insert(
            key,
            CachedFile {
                stamp,
                faces: faces.clone(),
            },
        );
        self.changed = true;
        faces
    }

    /// Saves the cache when it changed; a cache that cannot be written is no error (the next
    /// build scans again).
    /// Entries of files that no longer exist (a deleted `--font-path` folder, a test's
    /// temporary copy) are dropped, so the cache does not grow for ever.
    fn write(&mut self, file: Option<PathBuf>) {
        let Some(file) = file.filter(|_| self.changed) else {
            return;
        };
        self.files.retain(|path, _| Path::new(path).exists());
        if let (Some(dir), Ok(json)) = (file.parent(), serde_json::to_vec(self)) {
            let _ = fs::create_dir_all(dir);
            let _ = crate::util::write_atomic(&file, &json);
        }
    }
}

pub fn read_lock(dir: &Path) -> Result<FontLock> {
    let path = dir.join(LOCK_FILE);
    let shown = display_path(&path);
    let text = fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(msg!(
            "fonts-cannot-read",
            shown = shown.display(),
            e = crate::util::io_reason(&e)
        ))
        .hint(msg!("fonts-run-kanwu-from-project"))
    })?;
    toml::from_str(&text).map_err(|e| {
        let src = crate::diag::SourceText::new(&shown, text.as_str());
        let d = Diagnostic::error(msg!("fonts-fonts-lock-malformed", e = e.message().trim()));
        match e.span() {
            Some(s) => d.at(&src, s),
            None => d.in_file(&shown),
        }
        .into()
    })
}

fn fonts_dir(root: &Path) -> PathBuf {
    root.canonicalize()
        .unwrap_or_else(|_| root.to_path_buf())
        .join("fonts")
}

/// The cheap check run on every build: each locked file exists and has its recorded size.
fn check_sizes(dir: &Path, lock: &FontLock) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for entry in &lock.fonts {
        let path = dir.join(&entry.file);
        let shown = display_path(&path);
        match fs::metadata(&path) {
            Err(_) => errors.push(
                Diagnostic::error(msg!("fonts-locked-font-missing", shown = shown.display()))
                    .hint(msg!("fonts-restore-from-see-fonts", origin = entry.origin)),
            ),
            Ok(m) if m.len() != entry.size => errors.push(
                Diagnostic::error(msg!(
                    "fonts-locked-font-has-changed",
                    shown = shown.display(),
                    m = m.len(),
                    size = entry.size
                ))
                .hint(msg!("fonts-restore-file-from-or", origin = entry.origin)),
            ),
            Ok(_) => {}
        }
    }
    errors
}

/// The full check (`kanwu fonts --verify`): sizes and sha256 of every locked file.
/// Returns one line per file; an error when any differs.
pub fn verify(root: &Path) -> Result<Vec<String>> {
    let dir = fonts_dir(root);
    let lock = read_lock(&dir)?;
    let mut errors = check_sizes(&dir, &lock);
    let mut lines = Vec::new();
    for entry in &lock.fonts {
        let path = dir.join(&entry.file);
        let Ok(sum) = sha256_file(&path) else {
            continue;
        };
        if sum == entry.sha256 {
            lines.push(format!("ok       {}  {}", entry.file, &sum[..16]));
        } else {
            errors.push(
                Diagnostic::error(msg!(
                    "fonts-locked-font-has-changed-2",
                    path = display_path(&path).display(),
                    sum = sum,
                    sha256 = entry.sha256
                ))
                .hint(msg!("fonts-restore-file-from", origin = entry.origin)),
            );
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors.into())
    }
}

/// Rewrites `fonts/fonts.lock` from the files present, keeping known origins.
pub fn write_lock(root: &Path) -> Result<FontLock> {
    let dir = fonts_dir(root);
    let old = read_lock(&dir).ok();
    let mut fonts = Vec::new();
    for file in font_files(&dir) {
        let name = file_name(&file);
        let size = fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let sha256 = sha256_file(&file)
            .map_err(|e| Diagnostic::error(msg!("fonts-cannot-read-2", name = name, e = e)))?;
        let known = old
            .as_ref()
            .and_then(|l| l.fonts.iter().find(|f| f.file == name));
        fonts.push(LockEntry {
            file: name,
            size,
            sha256,
            origin: known.map_or_else(
                || "unknown: say where this file came from".into(),
                |k| k.origin.clone(),
            ),
            license: known.map(|k| k.license.clone()).unwrap_or_default(),
        });
    }
    let lock = FontLock { version: 1, fonts };
    let text = format!(
        "# kanwu fonts.lock: every vendored font file, its size and sha256, and where it came from.\n\
         # A build refuses to run when a file listed here is missing or has another size;\n\
         # 'kanwu fonts --verify' checks the sha256 too. Regenerate only on purpose.\n{}",
        toml::to_string(&lock).expect("lock serialises")
    );
    crate::util::write_atomic(&dir.join(LOCK_FILE), text.as_bytes())?;
    Ok(lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_fonts() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")
    }

    #[test]
    fn the_scan_finds_what_typst_kits_scan_finds() {
        let dir = project_fonts();
        let mut cache = FontCache::read(None);
        let mine: Vec<(PathBuf, u32, FontInfo)> = font_files_under(&dir)
            .into_iter()
            .flat_map(|p| {
                cache
                    .faces(&p)
                    .into_iter()
                    .map(move |(i, info)| (p.clone(), i, info))
            })
            .collect();
        let mut theirs: Vec<(PathBuf, u32, FontInfo)> = typst_kit::fonts::scan(&dir)
            .map(|(p, info)| (p.path, p.index, info))
            .collect();
        theirs.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        // Serif Regular, Bold, Black: 5 regions each; Sans Regular, Bold: 5 regions + 5 Mono
        // each; WenKai and FandolFang: 1.
        assert_eq!(mine.len(), 37);
        assert!(
            mine == theirs,
            "the faces or their infos differ from typst-kit's scan"
        );
        let sc = mine
            .iter()
            .find(|(p, i, _)| p.ends_with("NotoSerifCJK-Regular.ttc") && *i == 2)
            .unwrap();
        assert_eq!(sc.2.family, "Noto Serif CJK SC");
    }

    #[test]
    fn a_cached_scan_equals_a_fresh_one_and_a_changed_file_is_scanned_again() {
        let tmp = tempfile::tempdir().unwrap();
        let cache_file = Some(tmp.path().join("cache/fonts.json"));
        let font = tmp.path().join("kai.ttf");
        fs::copy(project_fonts().join("LXGWWenKai-Regular.ttf"), &font).unwrap();

        let mut cold = FontCache::read(cache_file.clone());
        let fresh = cold.faces(&font);
        assert_eq!(fresh.len(), 1);
        assert_eq!(fresh[0].1.family, "LXGW WenKai");
        assert!(cold.changed);
        cold.write(cache_file.clone());

        let mut warm = FontCache::read(cache_file.clone());
        assert_eq!(warm.faces(&font), fresh);
        assert!(!warm.changed, "an unchanged file must come from the cache");

        // Another file under the same name (new size, mtime, inode): scanned again.
        fs::remove_file(&font).unwrap();
        fs::copy(project_fonts().join("NotoSerifCJK-Bold.ttc"), &font).unwrap();
        let again = warm.faces(&font);
        assert!(warm.changed);
        assert_eq!(again.len(), 5);
        assert_eq!(again[2].1.family, "Noto Serif CJK SC");

        // A file that is gone leaves the cache when it is next written.
        warm.write(cache_file.clone());
        let gone = tmp.path().join("gone.ttf");
        fs::copy(&font, &gone).unwrap();
        let mut with_gone = FontCache::read(cache_file.clone());
        with_gone.faces(&gone);
        fs::remove_file(&gone).unwrap();
        with_gone.write(cache_file.clone());
        let after = FontCache::read(cache_file.clone());
        assert_eq!(after.files.len(), 1, "only kai.ttf is left");
        assert!(after.files.keys().all(|k| k.ends_with("kai.ttf")));

        // A damaged cache, or one from another Typst, is ignored rather than trusted.
        fs::write(cache_file.as_ref().unwrap(), "{ not json").unwrap();
        assert!(FontCache::read(cache_file.clone()).files.is_empty());
        let mut other = FontCache::read(None);
        other.typst = "0.1.0".into();
        other
            .files
            .insert("x".into(), warm.files.values().next().unwrap().clone());
        fs::write(
            cache_file.as_ref().unwrap(),
            serde_json::to_vec(&other).unwrap(),
        )
        .unwrap();
        assert!(FontCache::read(cache_file).files.is_empty());
    }
}
