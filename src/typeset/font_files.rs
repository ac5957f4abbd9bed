//! Which font files a build may use: those in `fonts/` (the vendored folder, covered by its
//! lock) and in each `--font-path` folder, found the way Typst's own scan finds them, and each
//! of them inside the folder it was found through once links are followed (the folders
//! themselves may be links). The same sandbox rule as for the files and the layout's:
//! a link in `fonts/` to a font elsewhere on the machine is refused, naming the file.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, display_path};

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Font files in `dir` and its subfolders (as Typst's own scan finds them), sorted.
pub(super) fn font_files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = crate::util::walk_files(dir);
    files.retain(|p| is_font_file(p));
    files
}

/// Font files directly in `dir` (the vendored folder, which the lock covers), sorted.
pub(super) fn font_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = crate::util::sorted_entries(dir);
    files.retain(|p| is_font_file(p));
    files
}

fn is_font_file(p: &Path) -> bool {
    p.extension().is_some_and(|e| {
        matches!(
            e.to_string_lossy().to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}

/// The font files under `dir`, each resolved (links followed): the file the build maps. A file
/// that resolves outside the resolved `dir` is an error naming it and the rule; `shown` is how
/// the folder is named in messages (`fonts/`, or the `--font-path` as given).
pub(super) fn resolved_font_files(
    dir: &Path,
    shown: &str,
) -> (Vec<(PathBuf, PathBuf)>, Vec<Diagnostic>) {
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    let Ok(base) = dir.canonicalize() else {
        return (files, errors);
    };
    for path in font_files_under(dir) {
        match path.canonicalize() {
            Ok(real) if real.starts_with(&base) => files.push((path, real)),
            Ok(real) => errors.push(
                Diagnostic::error(msg!(
                    "fonts-file-outside-its-folder",
                    path = display_path(&path).display(),
                    real = real.display(),
                    folder = shown
                ))
                .hint(msg!("fonts-file-outside-its-folder-hint", folder = shown)),
            ),
            // A dangling link: nothing to map, as before (Typst's scan skips it too).
            Err(_) => {}
        }
    }
    (files, errors)
}
