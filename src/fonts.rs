//! Fonts: the vendored `fonts/` folder checked against `fonts/fonts.lock`, plus folders the
//! user names with `--font-path`. Never system fonts: output must not depend on the machine.
//!
//! Fonts are scanned once per process (typst-kit's fontdb scan: metadata only, each face's file
//! read on first use) and shared by every build in it.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;
use typst_kit::fonts::{FontPath, FontStore};

use crate::diag::{Diagnostic, Result, display_path};

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
                    Diagnostic::error(format!("font file {} is not in fonts/fonts.lock", display_path(&file).display()))
                        .hint("a build uses only locked fonts; run `kanwu fonts --lock` to record it (then fill in its origin), or move it out of fonts/"),
                );
            }
        }
        let mut dirs = vec![dir];
        for d in extra {
            if !d.is_dir() {
                errors.push(
                    Diagnostic::error(format!("font folder {} does not exist", d.display()))
                        .hint("check the --font-path argument"),
                );
            }
            dirs.push(d.clone());
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let mut faces: Vec<Face> = Vec::new();
        for d in &dirs {
            let mut found: Vec<(FontPath, FontInfo)> = typst_kit::fonts::scan(d).collect();
            // Directory order differs between machines; the font book's order must not.
            found.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
            faces.extend(found.into_iter().map(|(p, info)| Face {
                path: p.path,
                index: p.index,
                info,
            }));
        }
        let mut store = FontStore::new();
        for face in &faces {
            store.push((
                FontPath {
                    path: face.path.clone(),
                    index: face.index,
                },
                face.info.clone(),
            ));
        }
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

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn font_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .map(|e| {
                    matches!(
                        e.to_string_lossy().to_ascii_lowercase().as_str(),
                        "ttf" | "otf" | "ttc" | "otc"
                    )
                })
                .unwrap_or(false)
        })
        .collect();
    files.sort();
    files
}

pub fn read_lock(dir: &Path) -> Result<FontLock> {
    let path = dir.join(LOCK_FILE);
    let shown = display_path(&path);
    let text = fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(format!("cannot read {}: {e}", shown.display()))
            .hint("run kanwu from the project root (or pass --root), where fonts/ and fonts/fonts.lock are")
    })?;
    toml::from_str(&text).map_err(|e| {
        let src = crate::diag::SourceText::new(&shown, text.as_str());
        let d = Diagnostic::error(format!("fonts.lock is malformed: {}", e.message().trim()));
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
                Diagnostic::error(format!("locked font {} is missing", shown.display())).hint(
                    format!("restore it from {} (see fonts/fonts.lock)", entry.origin),
                ),
            ),
            Ok(m) if m.len() != entry.size => errors.push(
                Diagnostic::error(format!(
                    "locked font {} has changed: {} bytes, the lock says {}",
                    shown.display(),
                    m.len(),
                    entry.size
                ))
                .hint(format!(
                    "restore the file from {}, or re-lock on purpose with `kanwu fonts --lock`",
                    entry.origin
                )),
            ),
            Ok(_) => {}
        }
    }
    errors
}

pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
                Diagnostic::error(format!(
                    "locked font {} has changed: sha256 {sum}, the lock says {}",
                    display_path(&path).display(),
                    entry.sha256
                ))
                .hint(format!("restore the file from {}", entry.origin)),
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
            .map_err(|e| Diagnostic::error(format!("cannot read {name}: {e}")))?;
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
    crate::render::write_atomic(&dir.join(LOCK_FILE), text.as_bytes())?;
    Ok(lock)
}
