//! `release.toml`: what an issue was built from and what it gave (`kanwu release`), and its
//! check (`kanwu verify`), which rebuilds in memory and names every difference by kind.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result, Severity, display_path};
use crate::model::{LoadedIssue, Profile};
use crate::print::Rendered;
use crate::project::Project;
use crate::util::{sha256_bytes, sha256_file, write_atomic};

mod booklet;
mod editions;
mod record;
pub use editions::RecordedEdition;
pub use record::{
    RELEASE_FILE, RELEASE_FORMAT, Recorded, RecordedOutput, Release, parse_release, read_release,
};

fn hash(kind: &str, path: String, file: &Path) -> Result<Recorded> {
    let sha256 = sha256_file(file).map_err(|e| {
        Diagnostic::error(msg!(
            "release-cannot-read",
            file = display_path(file).display(),
            e = e
        ))
    })?;
    Ok(Recorded {
        kind: kind.to_string(),
        path,
        sha256,
    })
}

/// The fonts of the project, hashed (every file read: done once per process). Fonts under
/// `fonts/` are named `fonts/<file>`; others by their path.
pub fn font_inputs(project: &Project) -> Result<Vec<Recorded>> {
    let mut files: Vec<&PathBuf> = project.fonts.faces().iter().map(|f| &f.path).collect();
    files.sort();
    files.dedup();
    // fonts/ may hold links (a scan reports their targets): name each file as found in fonts/.
    let in_fonts: HashMap<PathBuf, String> =
        crate::util::sorted_entries(&project.root.join("fonts"))
            .into_iter()
            .filter_map(|p| {
                let name = format!("fonts/{}", p.file_name()?.to_string_lossy());
                Some((p.canonicalize().ok()?, name))
            })
            .collect();
    let mut named: Vec<(String, &PathBuf)> = files
        .into_iter()
        .map(|file| {
            let real = file.canonicalize().unwrap_or_else(|_| file.clone());
            let name = in_fonts
                .get(&real)
                .cloned()
                .unwrap_or_else(|| file.display().to_string());
            (name, file)
        })
        .collect();
    named.sort();
    // One plain thread per file: hashing is I/O and SHA work, no Typst (see for_each_issue).
    std::thread::scope(|scope| {
        let jobs: Vec<_> = named
            .iter()
            .map(|(name, file)| scope.spawn(move || hash("font", name.clone(), file)))
            .collect();
        jobs.into_iter()
            .map(|j| j.join().expect("hashing does not panic"))
            .collect()
    })
}

/// Every input of an issue's build: its sources, the layout files the builds opened
/// (`layout_files`, wherever they lie under `layout/`), the fonts.
fn issue_inputs(
    project: &Project,
    loaded: &LoadedIssue,
    layout_files: &BTreeSet<PathBuf>,
    fonts: &[Recorded],
) -> Result<Vec<Recorded>> {
    let mut out = Vec::new();
    for s in loaded.source_files() {
        out.push(hash(s.kind, s.name, &s.file)?);
    }
    let layout_dir = project.typesetter().layout_dir();
    for f in layout_files {
        let rel = f.strip_prefix(&layout_dir).unwrap_or(f);
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        out.push(hash("layout", format!("layout/{}", rel.join("/")), f)?);
    }
    out.extend(fonts.iter().cloned());
    Ok(out)
}

/// `kanwu release`: builds every profile, writes the PDFs to `out/`, and records the inputs'
/// and outputs' sha256 in `<issue>/release.toml`; the editions exported to `out/` (web, Word,
/// phone images) are made again, written and recorded too. Fonts must match fonts/fonts.lock.
/// Nothing is written unless every profile and edition builds.
pub fn release(project: &Project, issue_arg: &Path) -> Result<(PathBuf, Release)> {
    let loaded = project.load(issue_arg)?;
    crate::typeset::fonts::verify(&project.root)?;
    let fonts = font_inputs(project)?;
    let mut rendered = Vec::new();
    let mut layout_files = BTreeSet::new();
    for profile in Profile::ALL {
        let r = project.render(&loaded, profile)?;
        layout_files.extend(r.layout_files.iter().cloned());
        rendered.push((profile, r));
    }
    let formats = editions::exported_formats(project, &loaded.issue.name);
    let made = editions::render(project, &loaded, &formats)?;
    let inputs = issue_inputs(project, &loaded, &layout_files, &fonts)?;
    let mut outputs = Vec::new();
    for (profile, r) in &rendered {
        let file = profile.file_name(&loaded.issue.name);
        write_atomic(&project.output_path(&loaded.issue.name, *profile), &r.pdf)?;
        outputs.push(RecordedOutput {
            profile: profile.name().into(),
            file,
            pages: r.doc.pages().len(),
            sha256: sha256_bytes(&r.pdf),
        });
    }
    let out_dir = project.root.join("out");
    let mut files: Vec<(PathBuf, Vec<u8>)> = made
        .iter()
        .map(|e| (out_dir.join(&e.file), e.bytes.clone()))
        .collect();
    // The booklet `build --booklet` left in out/: made again from this print PDF, recorded.
    if booklet::present(project, &loaded.issue.name)
        && let Some((_, print)) = rendered.iter().find(|(p, _)| *p == Profile::Print)
    {
        let bytes = booklet::make(project, &loaded, print)?;
        outputs.push(booklet::record(&loaded.issue.name, &bytes));
        files.push((out_dir.join(booklet::file_name(&loaded.issue.name)), bytes));
    }
    crate::util::write_all_atomic(&files)?;
    if formats.contains(&crate::export::Format::Images) {
        let folder = crate::export::images::folder_name(&loaded.issue.name);
        crate::export::images::remove_stale(&out_dir.join(folder), &files);
    }
    let record = Release {
        format: RELEASE_FORMAT,
        kanwu: env!("CARGO_PKG_VERSION").into(),
        issue: loaded.issue.name.clone(),
        inputs,
        outputs,
        editions: made
            .iter()
            .map(|e| RecordedEdition {
                format: e.format.name().into(),
                file: e.file.clone(),
                sha256: sha256_bytes(&e.bytes),
            })
            .collect(),
    };
    let text = format!(
        "# Written by `kanwu release`: the sha256 of every input of this issue and of each PDF\n\
         # built from them. `kanwu verify` rebuilds the issue and compares. Do not edit.\n{}",
        toml::to_string(&record).expect("the record serialises")
    );
    let path = loaded.issue.dir.join(RELEASE_FILE);
    write_atomic(&path, text.as_bytes())?;
    Ok((path, record))
}

/// The published PDF of a recorded output, `out/<file>`, when it is on disk and its bytes are
/// not the recorded ones (a file name that is not a plain name is a damaged record).
fn published(project: &Project, out: &RecordedOutput) -> Option<Change> {
    let plain = !out.file.is_empty() && !out.file.contains(['/', '\\']) && out.file != "..";
    if !plain {
        return Some(Change::Damaged {
            path: format!("the {} PDF", out.profile),
            why: msg!("release-names-file-which-not", file = out.file),
        });
    }
    let path = project.root.join("out").join(&out.file);
    if let Some(why) = not_published(&path) {
        let file = out.file.clone();
        return Some(Change::Unpublished { file, why });
    }
    let on_disk = sha256_file(&path).ok()?;
    (is_sha256(&out.sha256) && on_disk != out.sha256).then(|| Change::OutputDiffers {
        profile: out.profile.clone(),
        file: out.file.clone(),
        recorded: out.sha256.clone(),
        found: on_disk,
        published: true,
    })
}

/// Why a recorded output is not published as recorded in `out/`: it is gone, or a symbolic
/// link stands in its place (what it points at is no file of the release).
pub(crate) fn not_published(path: &Path) -> Option<String> {
    match std::fs::symlink_metadata(path) {
        Err(_) => Some(msg!("release-published-missing")),
        Ok(m) if m.file_type().is_symlink() => Some(msg!("release-published-link")),
        Ok(_) => None,
    }
}

/// What `verify` found on a matching issue.
#[derive(Debug)]
pub struct Verified {
    pub issue: String,
    pub inputs: usize,
    pub outputs: Vec<String>,
    /// Fonts new to the project since the release (every PDF as recorded).
    pub warnings: Vec<Diagnostic>,
}

/// One difference between a release record and the issue now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A recorded input whose content changed.
    Changed {
        kind: String,
        path: String,
        was: String,
        is: String,
    },
    /// A recorded input the build no longer reads.
    Gone { kind: String, path: String },
    /// An input the build reads that the record does not list.
    Added { kind: String, path: String },
    /// A rebuilt PDF, or with `published` the one on disk (`out/<file>`), whose sha256
    /// (`found`) is not the recorded one.
    OutputDiffers {
        profile: String,
        file: String,
        recorded: String,
        found: String,
        published: bool,
    },
    /// A recorded output that is not in `out/` as released (gone, or a link), or a file in an
    /// edition's folder there that the release did not make: `why` says which.
    Unpublished { file: String, why: String },
    /// The record itself is wrong about `path`: `why` says how.
    Damaged { path: String, why: String },
    /// A recorded output of a profile this kanwu does not know.
    UnknownProfile(String),
    /// A booklet or an edition in `out/` that the record does not list (made after it).
    Unrecorded { file: String },
}

impl Change {
    /// Did an input the release recorded change, go away, or come new?
    pub fn is_input_change(&self) -> bool {
        matches!(
            self,
            Change::Changed { .. } | Change::Gone { .. } | Change::Added { .. }
        )
    }

    fn is_rebuilt_differs(&self) -> bool {
        matches!(
            self,
            Change::OutputDiffers {
                published: false,
                ..
            }
        )
    }

    /// Only a font added to the project since the release, with every PDF as recorded, is a
    /// warning: fonts/ serves every issue, and a font this issue does not use cannot change it.
    /// Any other input the record misses is an error: the record does not vouch for it.
    fn is_warning(&self) -> bool {
        matches!(self, Change::Added { kind, .. } if kind == "font")
    }
}

/// A sha256 as kanwu records it: 64 lower-case hex digits, not all zero.
fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && s.bytes().any(|b| b != b'0')
}

fn not_a_sha(path: &str, sha: &str) -> Change {
    Change::Damaged {
        path: path.to_string(),
        why: msg!("release-records-sha256-which-not", sha = sha),
    }
}

/// The differences between recorded and current inputs, in the record's path order, then the
/// added ones.
pub fn compare_inputs(recorded: &[Recorded], current: &[Recorded]) -> Vec<Change> {
    let was: BTreeMap<&str, &Recorded> = recorded.iter().map(|r| (r.path.as_str(), r)).collect();
    let now: BTreeMap<&str, &Recorded> = current.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut out = Vec::new();
    for (p, w) in &was {
        match now.get(p) {
            Some(n) if n.sha256 == w.sha256 => {}
            Some(_) if !is_sha256(&w.sha256) => out.push(not_a_sha(p, &w.sha256)),
            Some(n) => out.push(Change::Changed {
                kind: n.kind.clone(),
                path: p.to_string(),
                was: w.sha256.clone(),
                is: n.sha256.clone(),
            }),
            None => out.push(Change::Gone {
                kind: w.kind.clone(),
                path: p.to_string(),
            }),
        }
    }
    for (p, n) in &now {
        if !was.contains_key(p) {
            out.push(Change::Added {
                kind: n.kind.clone(),
                path: p.to_string(),
            });
        }
    }
    out
}

/// An input's kind as a message names it (publication, manifest, article, image, layout,
/// font).
fn what(kind: &str) -> String {
    msg!("release-kind", kind = kind)
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// A change as a message (an error; a font `Added` a warning), pointing at the file where known.
fn diagnostic(change: &Change, name: &str, real_file: impl Fn(&str) -> PathBuf) -> Diagnostic {
    use Change::*;
    let message = match change {
        Changed {
            kind,
            path,
            was,
            is,
        } => {
            let (was, is) = (short(was), short(is));
            msg!(
                "release-changed-since-release-sha256",
                kind = what(kind),
                path = path,
                was = was,
                is = is
            )
        }
        Gone { kind, path } => {
            msg!(
                "release-was-input-release-and",
                kind = what(kind),
                path = path
            )
        }
        Added { kind, path } if change.is_warning() => {
            msg!("release-new-since-release", kind = what(kind), path = path)
        }
        Added { kind, path } => {
            msg!("release-read-by-build-but", kind = what(kind), path = path)
        }
        Damaged { path, why } => msg!("release-release-toml-damaged-its", path = path, why = why),
        Unpublished { file, why } => msg!("release-published-file", file = file, why = why),
        OutputDiffers {
            profile,
            file,
            recorded,
            found,
            published,
        } => {
            let (recorded, found) = (short(recorded), short(found));
            let made = match Profile::parse(profile) {
                Some(_) => "pdf",
                None if profile == booklet::BOOKLET => "pdf",
                None => "edition",
            };
            match published {
                true => msg!(
                    "release-published-out-not-released",
                    made = made,
                    file = file,
                    recorded = recorded,
                    found = found
                ),
                false => msg!(
                    "release-pdf-differs-from-release",
                    made = made,
                    profile = match made {
                        "pdf" => msg!("profile-label", profile = profile.as_str()),
                        _ => msg!("edition-label", format = profile.as_str()),
                    },
                    file = file,
                    recorded = recorded,
                    found = found
                ),
            }
        }
        UnknownProfile(p) => msg!("release-release-toml-records-unknown", p = p),
        Unrecorded { file } => msg!("release-not-recorded-release-again", file = file),
    };
    let d = match change.is_warning() {
        true => Diagnostic::warning(msg!("release-msg", name = name, message = message)),
        false => Diagnostic::error(msg!("release-msg", name = name, message = message)),
    };
    match change {
        Changed { path, .. } => d.in_file(display_path(&real_file(path))),
        _ => d,
    }
}

/// `kanwu verify`: rebuilds the issue in memory and compares inputs and outputs with its
/// `release.toml`. A mismatch names each input that changed since the record.
pub fn verify(project: &Project, issue_arg: &Path, fonts: &[Recorded]) -> Result<Verified> {
    let loaded = project.load(issue_arg)?;
    let path = loaded.issue.dir.join(RELEASE_FILE);
    let shown = display_path(&path);
    if !path.is_file() {
        return Err(Diagnostic::error(msg!(
            "release-no-release-record-does",
            name = loaded.issue.name,
            shown = shown.display()
        ))
        .hint(msg!(
            "release-record-release-first-kanwu",
            dir = display_path(&loaded.issue.dir).display()
        ))
        .into());
    }
    let record = read_release(&path)?;
    let name = &loaded.issue.name;

    // Rebuild first: the layout files an input list names are those the builds open.
    let mut rebuilt: Vec<(&RecordedOutput, Option<Rendered>)> = Vec::new();
    let mut layout_files = BTreeSet::new();
    let mut booklets = Vec::new();
    for out in &record.outputs {
        if out.profile == booklet::BOOKLET {
            booklets.push(out);
            continue;
        }
        let r = match Profile::parse(&out.profile) {
            Some(profile) => Some(project.render(&loaded, profile)?),
            None => None,
        };
        if let Some(r) = &r {
            layout_files.extend(r.layout_files.iter().cloned());
        }
        rebuilt.push((out, r));
    }
    let now = issue_inputs(project, &loaded, &layout_files, fonts)?;
    let mut changes = compare_inputs(&record.inputs, &now);
    let mut outputs = Vec::new();
    let mut archive_as_recorded = false;
    for (out, r) in &rebuilt {
        let Some(r) = r else {
            changes.push(Change::UnknownProfile(out.profile.clone()));
            continue;
        };
        let sha = sha256_bytes(&r.pdf);
        if !is_sha256(&out.sha256) {
            changes.push(not_a_sha(&format!("the {} PDF", out.profile), &out.sha256));
        } else if sha != out.sha256 {
            changes.push(Change::OutputDiffers {
                profile: out.profile.clone(),
                file: out.file.clone(),
                recorded: out.sha256.clone(),
                found: sha,
                published: false,
            });
        } else {
            archive_as_recorded |= out.profile == Profile::Archive.name();
            outputs.push(out.file.clone());
        }
        changes.extend(published(project, out));
    }
    let print = rebuilt
        .iter()
        .find(|(o, _)| o.profile == Profile::Print.name())
        .and_then(|(_, r)| r.as_ref());
    changes.extend(booklet::verify(
        project,
        &loaded,
        &booklets,
        print,
        &mut outputs,
    )?);
    changes.extend(editions::verify(
        project,
        &loaded,
        &record.editions,
        &mut outputs,
    )?);
    changes.extend(booklet::unrecorded(project, &loaded, &record));
    // The archive PDF carries the issue's sources: rebuilt to its recorded bytes, it proves
    // them as released, so a source whose recorded sha256 differs is a record altered.
    if archive_as_recorded {
        for c in &mut changes {
            if let Change::Changed { kind, path, .. } = c
                && ["publication", "manifest", "article", "image"].contains(&kind.as_str())
            {
                let why = msg!("release-records-another-sha256-yet");
                let path = path.clone();
                *c = Change::Damaged { path, why };
            }
        }
    }

    let real_file = |p: &str| match p.starts_with("fonts/") || p.starts_with("layout/") {
        true => project.root.join(p),
        false => loaded.issue.dir.parent().unwrap_or(Path::new(".")).join(p),
    };
    if changes.iter().all(Change::is_warning) {
        return Ok(Verified {
            issue: name.clone(),
            inputs: now.len(),
            outputs,
            warnings: changes
                .iter()
                .map(|c| diagnostic(c, name, real_file))
                .collect(),
        });
    }
    let mut diags: Vec<Diagnostic> = changes
        .iter()
        .map(|c| {
            let mut d = diagnostic(c, name, real_file);
            d.severity = Severity::Error;
            d
        })
        .collect();
    let mut head = Diagnostic::error(msg!(
        "release-does-not-match-its",
        name = name,
        shown = shown.display()
    ))
    .in_file(&shown);
    if record.kanwu != env!("CARGO_PKG_VERSION") {
        head = head.hint(msg!(
            "release-release-was-made-with",
            kanwu = record.kanwu,
            version = env!("CARGO_PKG_VERSION")
        ));
    } else if changes.iter().all(Change::is_rebuilt_differs) {
        head = head.hint(msg!("release-no-recorded-input-changed"));
    } else if !changes.iter().any(Change::is_input_change) {
        head = head.hint(msg!(
            "release-sources-are-as-released",
            dir = display_path(&loaded.issue.dir).display()
        ));
    } else {
        head = head.hint(msg!(
            "release-restore-changed-files-or",
            dir = display_path(&loaded.issue.dir).display()
        ));
    }
    diags.insert(0, head);
    Err(diags.into())
}

#[cfg(test)]
mod tests;
