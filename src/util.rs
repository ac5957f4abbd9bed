//! Files: atomic writes, new folders written whole, sorted walks, copies, sha256.
//!
//! The bottom layer with [`crate::diag`]: every part of kanwu that writes or hashes a file
//! comes here, so that "a failed build never leaves half a file" holds in one place.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Result, display_path};

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a file and a failure never replaces a good one. The data is on disk
/// (fsync) before the rename. A PDF that cannot be replaced (open in a viewer that locks it,
/// on Windows) is written as a numbered copy beside it instead: see [`take_diversions`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replacing(path, bytes, true)
}

/// [`write_atomic`] without the fsync: for watch mode's preview, rewritten on every save,
/// where the few milliseconds of a flush are the editor's waiting time and a crash costs
/// nothing (the next save rebuilds it). Readers still never see half a file.
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replacing(path, bytes, false)
}

fn write_replacing(path: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let tmp = write_temp(path, bytes, sync)?;
    if let Err(tempfile::PersistError { error, file }) = tmp.persist(path) {
        // A PDF a viewer locks (Windows) is written as a numbered copy beside it.
        let written =
            divert(path, file.into_temp_path()).ok_or_else(|| write_error(path, "write", error))?;
        record_diversion(path, written);
    }
    Ok(())
}

/// Why a file could not be read or written, in the reader's language: the system's own words
/// ("No such file or directory (os error 2)") only for a reason kanwu has no sentence for.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let id = match e.kind() {
        K::NotFound => "io-not-found",
        K::PermissionDenied => "io-permission-denied",
        K::AlreadyExists => "io-already-exists",
        K::NotADirectory => "io-not-a-folder",
        K::IsADirectory => "io-is-a-folder",
        K::DirectoryNotEmpty => "io-folder-not-empty",
        K::ReadOnlyFilesystem => "io-read-only",
        K::StorageFull | K::QuotaExceeded => "io-disk-full",
        K::InvalidData => "io-not-text",
        K::ResourceBusy => "io-busy",
        K::InvalidFilename => "io-bad-name",
        _ => return msg!("io-other", e = e.to_string()),
    };
    crate::i18n::tr(id, &[])
}

fn write_error(path: &Path, what: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(msg!(
        "util-cannot",
        what = what,
        path = display_path(path).display(),
        e = io_reason(&e)
    ))
}

/// `bytes` in a temporary file beside `path` (removed again when dropped unless persisted),
/// after removing that folder's stale temporary files.
fn write_temp(path: &Path, bytes: &[u8], sync: bool) -> Result<tempfile::NamedTempFile> {
    let fail = |what: &str, e: std::io::Error| write_error(path, what, e);
    let dir = parent_or_here(path);
    fs::create_dir_all(dir).map_err(|e| fail("create-folder", e))?;
    remove_stale_temps(dir);
    let mut tmp = temp_file_builder()
        .tempfile_in(dir)
        .map_err(|e| fail("write", e))?;
    tmp.write_all(bytes).map_err(|e| fail("write", e))?;
    if sync {
        tmp.as_file().sync_all().map_err(|e| fail("write", e))?;
    }
    Ok(tmp)
}

/// Writes several files as one: each to a temporary file first (fsynced), then all renamed.
/// If any write or rename fails, the files already renamed get their earlier content back
/// (kept as hard links until the end), new ones are removed, and no temporary file is left:
/// the folder holds all the new files or none of them.
pub fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    write_all_sealed(files, None)
}

/// [`write_all_atomic`] where one file, the seal (`files[seal]`: the print ticket), vouches
/// for the others (names their sha256). Once every temporary file is on disk, the earlier seal
/// is removed first and the new one renamed in last, so at no instant does a seal stand beside
/// files it does not describe, even if the process is killed between two renames: a kill
/// leaves the old set, the new set, or new files without a seal (a build that did not finish;
/// the next build writes it).
pub fn write_all_sealed(files: &[(PathBuf, Vec<u8>)], seal: Option<usize>) -> Result<()> {
    let mut temps = Vec::new();
    for (path, bytes) in files {
        // On an error the temporary files made so far are dropped, which removes them.
        temps.push(write_temp(path, bytes, true)?.into_temp_path());
    }
    let mut backups = Vec::new();
    for (path, _) in files {
        if path.is_dir() {
            return Err(write_error(
                path,
                "write",
                std::io::Error::other(msg!("util-folder-in-the-way")),
            )
            .into());
        }
        let backup = match fs::symlink_metadata(path) {
            Ok(_) => Some(
                temp_file_builder()
                    .make_in(parent_or_here(path), |p| {
                        fs::hard_link(path, p).or_else(|_| fs::copy(path, p).map(drop))
                    })
                    .map_err(|e| write_error(path, "keep", e))?
                    .into_temp_path(),
            ),
            Err(_) => None,
        };
        backups.push(backup);
    }
    let mut done: Vec<(&Path, Option<tempfile::TempPath>)> = Vec::new();
    let mut steps: Vec<_> = temps.into_iter().zip(files).zip(backups).collect();
    let mut sealed = None;
    if let Some(i) = seal.filter(|&i| i < steps.len()) {
        let ((tmp, (path, _)), backup) = steps.remove(i);
        if let Err(e) = fs::remove_file(path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            return Err(write_error(path, "replace", e).into());
        }
        // Put back last if a later rename fails.
        done.push((path, backup));
        sealed = Some((tmp, path));
    }
    let sealing = sealed.is_some();
    for ((tmp, (path, _)), backup) in steps {
        if let Err(e) = persist(tmp, path) {
            let tempfile::PathPersistError { error, path: tmp } = e;
            // A PDF a viewer locks (Windows) is written as a numbered copy beside it — unless a
            // seal names it: the print ticket would vouch for a file that is not the one beside
            // it, so the whole set stays as it was and the editor is asked to close the viewer.
            if sealing {
                roll_back(done);
                return Err(write_error(path, "write", error)
                    .hint(msg!("util-close-it-and-build-again"))
                    .into());
            }
            if let Some(written) = divert(path, tmp) {
                record_diversion(path, written);
                done.push((path, backup));
                continue;
            }
            roll_back(done);
            return Err(write_error(path, "write", error).into());
        }
        done.push((path, backup));
    }
    if let Some((tmp, path)) = sealed
        && let Err(e) = persist(tmp, path)
    {
        roll_back(done);
        return Err(write_error(path, "write", e.error).into());
    }
    Ok(())
}

/// Renames a temporary file into place. Tests make it fail for a chosen path, as Windows does
/// for a PDF a viewer holds open (Linux has no such lock).
fn persist(
    tmp: tempfile::TempPath,
    path: &Path,
) -> std::result::Result<(), tempfile::PathPersistError> {
    #[cfg(test)]
    if tests::REFUSED.with(|r| r.borrow().iter().any(|p| p == path)) {
        return Err(tempfile::PathPersistError {
            error: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            path: tmp,
        });
    }
    tmp.persist(path)
}

/// Gives the files renamed so far their earlier content back (or removes them when new), the
/// last renamed first, so a seal removed first is put back last.
fn roll_back(done: Vec<(&Path, Option<tempfile::TempPath>)>) {
    for (earlier, backup) in done.into_iter().rev() {
        let _ = match backup {
            Some(b) => b.persist(earlier).map_err(|e| e.error),
            None => fs::remove_file(earlier),
        };
    }
}

/// How old a `.kanwu-*.tmp` file must be before a later write removes it: older than any
/// write in progress (a concurrent build's temporary file is never touched).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// kanwu's temporary files are named `.kanwu-XXXXXX.tmp`.
const TEMP_PREFIX: &str = ".kanwu-";
const TEMP_SUFFIX: &str = ".tmp";

/// Whether a file name is one of kanwu's temporary files (`.kanwu-XXXXXX.tmp`).
pub fn is_temp_name(name: &str) -> bool {
    name.len() > TEMP_PREFIX.len() + TEMP_SUFFIX.len()
        && name.starts_with(TEMP_PREFIX)
        && name.ends_with(TEMP_SUFFIX)
}

/// Removes the temporary files a killed kanwu left in `dir` (plain files named like
/// [`is_temp_name`], last changed over a minute ago). Best effort: a failure is not an error.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let stale = entry.file_name().to_str().is_some_and(is_temp_name)
            && entry.metadata().is_ok_and(|m| {
                m.is_file()
                    && m.modified()
                        .is_ok_and(|t| t.elapsed().is_ok_and(|a| a > STALE_AFTER))
            });
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A PDF that could not be replaced though the folder is writable: on Windows, the old one is
/// open in a viewer that locks it. The new one is written as a numbered copy beside it,
/// `2021-01 (2).pdf` (the first free number), and the diversion recorded for the command
/// line to report ([`take_diversions`]). None when that fails too, or for any other file:
/// then the original error stands.
fn divert(path: &Path, tmp: tempfile::TempPath) -> Option<PathBuf> {
    let is_pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !is_pdf || !path.exists() {
        return None;
    }
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let ext = path.extension()?.to_string_lossy().into_owned();
    let mut tmp = tmp;
    for n in 2..100 {
        let copy = path.with_file_name(format!("{stem} ({n}).{ext}"));
        if copy.exists() {
            continue;
        }
        match tmp.persist_noclobber(&copy) {
            Ok(()) => return Some(copy),
            Err(e) => tmp = e.path,
        }
    }
    None
}

/// A PDF written beside the one asked for, because that one could not be replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diversion {
    pub wanted: PathBuf,
    pub written: PathBuf,
}

static DIVERSIONS: std::sync::Mutex<Vec<Diversion>> = std::sync::Mutex::new(Vec::new());

fn record_diversion(wanted: &Path, written: PathBuf) {
    let mut all = DIVERSIONS.lock().unwrap_or_else(|e| e.into_inner());
    all.push(Diversion {
        wanted: wanted.to_path_buf(),
        written,
    });
}

/// The PDFs written under a numbered name since the last call (see [`write_atomic`]), for the
/// command line to say so.
pub fn take_diversions() -> Vec<Diversion> {
    std::mem::take(&mut *DIVERSIONS.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Temporary files are `.kanwu-XXXX.tmp`, readable by others like any file the user writes
/// (tempfile's default is 0600 on Unix).
fn temp_file_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o644));
    }
    b
}

/// The folder a file lies in (`.` for a bare file name).
pub fn parent_or_here(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes `files` (relative names) as a new folder `target`: under a temporary name beside it,
/// then renamed, so a failure leaves nothing and an existing folder is never touched.
pub fn write_new_folder(target: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let shown = display_path(target);
    if target.exists() {
        return Err(Diagnostic::error(msg!(
            "util-already-exists-kanwu-never",
            shown = shown.display()
        ))
        .hint(msg!("util-name-new-folder-or"))
        .into());
    }
    let fail = |e: std::io::Error| {
        Diagnostic::error(msg!(
            "util-cannot-create",
            shown = shown.display(),
            e = io_reason(&e)
        ))
    };
    let parent = parent_or_here(target);
    fs::create_dir_all(parent).map_err(fail)?;
    let tmp = tempfile::Builder::new()
        .prefix(".kanwu-new-")
        .tempdir_in(parent)
        .map_err(fail)?;
    for (name, bytes) in files {
        let p = tmp.path().join(name);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).map_err(fail)?;
        }
        fs::write(p, bytes).map_err(fail)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).map_err(fail)?;
    }
    let tmp_path = tmp.keep();
    if let Err(e) = fs::rename(&tmp_path, target) {
        let _ = fs::remove_dir_all(&tmp_path);
        return Err(fail(e).into());
    }
    Ok(())
}

/// The entries of a folder, sorted by path (an unreadable folder has none).
pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}

/// Every file under `dir`, depth first, sorted by path. A folder reached again through a link
/// (a link to an ancestor) is walked once, so a loop of links cannot recurse forever.
pub fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    walk(dir, &mut seen, &mut out);
    out
}

fn walk(dir: &Path, seen: &mut std::collections::HashSet<PathBuf>, out: &mut Vec<PathBuf>) {
    if !seen.insert(dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())) {
        return;
    }
    for p in sorted_entries(dir) {
        if p.is_dir() {
            walk(&p, seen, out);
        } else {
            out.push(p);
        }
    }
}

/// Copies a folder and everything in it (the benchmark's and the tests' scratch copies).
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sha256 of some bytes, in hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The sha256 of a file, in hex, read in pieces.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
mod tests;
