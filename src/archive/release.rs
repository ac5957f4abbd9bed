//! `release.toml`: what an issue was built from and what it gave (`kanwu release`), and its
//! check (`kanwu verify`), which rebuilds in memory and names every difference by kind.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{Diagnostic, Result, Severity, SourceText, display_path};
use crate::model::{LoadedIssue, Profile};
use crate::print::Rendered;
use crate::project::Project;
use crate::util::{sha256_bytes, sha256_file, write_atomic};

/// The format of `release.toml` this kanwu reads and writes.
pub const RELEASE_FORMAT: i64 = 1;
pub const RELEASE_FILE: &str = "release.toml";

/// `release.toml`: what an issue was built from and what it gave.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub format: i64,
    pub kanwu: String,
    pub issue: String,
    #[serde(rename = "input", default)]
    pub inputs: Vec<Recorded>,
    #[serde(rename = "output", default)]
    pub outputs: Vec<RecordedOutput>,
}

/// An input: `kind` is publication, manifest, article, image, layout or font.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    pub kind: String,
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordedOutput {
    pub profile: String,
    pub file: String,
    pub pages: usize,
    pub sha256: String,
}

fn hash(kind: &str, path: String, file: &Path) -> Result<Recorded> {
    let sha256 = sha256_file(file).map_err(|e| {
        Diagnostic::error(format!("cannot read {}: {e}", display_path(file).display()))
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
/// and outputs' sha256 in `<issue>/release.toml`. Fonts must match fonts/fonts.lock. Nothing
/// is written unless every profile builds.
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
    let record = Release {
        format: RELEASE_FORMAT,
        kanwu: env!("CARGO_PKG_VERSION").into(),
        issue: loaded.issue.name.clone(),
        inputs,
        outputs,
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

#[derive(Deserialize)]
struct ReleaseHead {
    format: Option<Spanned<toml::Value>>,
    kanwu: Option<toml::Value>,
}

/// Reads a `release.toml`: a malformed file, or one from a newer kanwu, is an error naming
/// its line.
pub fn read_release(path: &Path) -> Result<Release> {
    let src = crate::model::manifest::read_text(path)?;
    parse_release(&src)
}

/// Parses the text of a `release.toml` (see [`read_release`]).
pub fn parse_release(src: &SourceText) -> Result<Release> {
    let at = |e: toml::de::Error| {
        let d = Diagnostic::error(format!("release.toml is malformed: {}", e.message().trim()))
            .hint("write it again with `kanwu release ISSUE`");
        match e.span() {
            Some(s) => d.at(src, s),
            None => d.in_file(&src.path),
        }
    };
    let head: ReleaseHead = toml::from_str(&src.text).map_err(at)?;
    let Some(format) = head.format else {
        return Err(Diagnostic::error("release.toml has no `format`")
            .at(src, 0..0)
            .hint("write it again with `kanwu release ISSUE`")
            .into());
    };
    let span = format.span();
    match format.into_inner() {
        toml::Value::Integer(RELEASE_FORMAT) => {}
        toml::Value::Integer(n) if n > RELEASE_FORMAT => {
            let by = head
                .kanwu
                .and_then(|v| v.as_str().map(|s| format!("kanwu {s}")))
                .unwrap_or_else(|| "a newer kanwu".into());
            return Err(Diagnostic::error(format!(
                "release.toml is in format {n}, written by {by}; kanwu {} reads format {RELEASE_FORMAT}",
                env!("CARGO_PKG_VERSION")
            ))
            .at(src, span)
            .hint(format!("verify it with {by} or newer"))
            .into());
        }
        _ => {
            return Err(Diagnostic::error(format!(
                "release.toml: `format` must be {RELEASE_FORMAT}"
            ))
            .at(src, span)
            .hint("write it again with `kanwu release ISSUE`")
            .into());
        }
    }
    toml::from_str(&src.text).map_err(|e| at(e).into())
}

/// What `verify` found on a matching issue.
#[derive(Debug)]
pub struct Verified {
    pub issue: String,
    pub inputs: usize,
    pub outputs: Vec<String>,
    /// Inputs new since the release that did not change the PDFs.
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
    /// A rebuilt PDF that differs from the recorded one.
    OutputDiffers {
        profile: String,
        file: String,
        recorded: String,
        rebuilt: String,
    },
    /// A recorded output of a profile this kanwu does not know.
    UnknownProfile(String),
}

impl Change {
    /// Did an input the release recorded change or go away?
    pub fn is_input_change(&self) -> bool {
        matches!(self, Change::Changed { .. } | Change::Gone { .. })
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

/// An input's kind as a message names it.
fn what(kind: &str) -> &str {
    match kind {
        "layout" => "layout file",
        "publication" | "manifest" => "file",
        other => other,
    }
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// A change as a message (an error; `Added` a warning), pointing at the file where known.
fn diagnostic(
    change: &Change,
    name: &str,
    real_file: impl Fn(&str) -> Option<PathBuf>,
) -> Diagnostic {
    match change {
        Change::Changed {
            kind,
            path,
            was,
            is,
        } => {
            let d = Diagnostic::error(format!(
                "{name}: {} {path} changed since the release (sha256 {} → {})",
                what(kind),
                short(was),
                short(is)
            ));
            match real_file(path) {
                Some(f) => d.in_file(display_path(&f)),
                None => d,
            }
        }
        Change::Gone { kind, path } => Diagnostic::error(format!(
            "{name}: {} {path} was an input of the release and is no longer used",
            what(kind)
        )),
        Change::Added { kind, path } => Diagnostic::warning(format!(
            "{name}: {} {path} is new since the release",
            what(kind)
        )),
        Change::OutputDiffers {
            profile,
            file,
            recorded,
            rebuilt,
        } => Diagnostic::error(format!(
            "{name}: the {profile} PDF ({file}) differs from the release: sha256 {} recorded, {} rebuilt",
            short(recorded),
            short(rebuilt)
        )),
        Change::UnknownProfile(p) => Diagnostic::error(format!(
            "{name}: release.toml records an unknown profile `{p}`"
        )),
    }
}

/// `kanwu verify`: rebuilds the issue in memory and compares inputs and outputs with its
/// `release.toml`. A mismatch names each input that changed since the record.
pub fn verify(project: &Project, issue_arg: &Path, fonts: &[Recorded]) -> Result<Verified> {
    let loaded = project.load(issue_arg)?;
    let path = loaded.issue.dir.join(RELEASE_FILE);
    let shown = display_path(&path);
    if !path.is_file() {
        return Err(Diagnostic::error(format!(
            "{}: no release record ({} does not exist)",
            loaded.issue.name,
            shown.display()
        ))
        .hint(format!(
            "record the release first: `kanwu release {}`",
            display_path(&loaded.issue.dir).display()
        ))
        .into());
    }
    let record = read_release(&path)?;
    let name = &loaded.issue.name;

    // Rebuild first: the layout files an input list names are those the builds open.
    let mut rebuilt: Vec<(&RecordedOutput, Option<Rendered>)> = Vec::new();
    let mut layout_files = BTreeSet::new();
    for out in &record.outputs {
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
    for (out, r) in &rebuilt {
        let Some(r) = r else {
            changes.push(Change::UnknownProfile(out.profile.clone()));
            continue;
        };
        let sha = sha256_bytes(&r.pdf);
        if sha == out.sha256 {
            outputs.push(out.file.clone());
        } else {
            changes.push(Change::OutputDiffers {
                profile: out.profile.clone(),
                file: out.file.clone(),
                recorded: out.sha256.clone(),
                rebuilt: sha,
            });
        }
    }

    let real_file = |p: &str| -> Option<PathBuf> {
        let issues_dir = loaded.issue.dir.parent()?;
        if p.starts_with("fonts/") || p.starts_with("layout/") {
            Some(project.root.join(p))
        } else {
            Some(issues_dir.join(p))
        }
    };
    // A file that is new fails the check only when something else differs too.
    let (added, errors): (Vec<&Change>, Vec<&Change>) = changes
        .iter()
        .partition(|c| matches!(c, Change::Added { .. }));
    if errors.is_empty() {
        return Ok(Verified {
            issue: name.clone(),
            inputs: now.len(),
            outputs,
            warnings: added
                .iter()
                .map(|c| diagnostic(c, name, real_file))
                .collect(),
        });
    }
    let mut diags: Vec<Diagnostic> = errors
        .iter()
        .map(|c| diagnostic(c, name, real_file))
        .collect();
    diags.extend(added.iter().map(|c| {
        let mut d = diagnostic(c, name, real_file);
        d.severity = Severity::Error;
        d
    }));
    let mut head = Diagnostic::error(format!(
        "{name} does not match its release record {}",
        shown.display()
    ))
    .in_file(&shown);
    if record.kanwu != env!("CARGO_PKG_VERSION") {
        head = head.hint(format!(
            "the release was made with kanwu {}; this is kanwu {}",
            record.kanwu,
            env!("CARGO_PKG_VERSION")
        ));
    } else if !changes.iter().any(Change::is_input_change) {
        head = head.hint("no recorded input changed, yet the PDF differs: the build is not reproducible; please report it");
    } else {
        head = head.hint(format!(
            "restore the changed files, or record the new state on purpose with `kanwu release {}`",
            display_path(&loaded.issue.dir).display()
        ));
    }
    diags.insert(0, head);
    Err(diags.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: &str, path: &str, sha: &str) -> Recorded {
        Recorded {
            kind: kind.into(),
            path: path.into(),
            sha256: sha.into(),
        }
    }

    #[test]
    fn compare_names_each_kind_of_change() {
        let was = [
            rec("article", "2021-01/a.md", "aa"),
            rec("layout", "layout/express/issue.typ", "bb"),
            rec("font", "fonts/x.ttc", "cc"),
        ];
        let now = [
            rec("article", "2021-01/a.md", "a2"),
            rec("font", "fonts/x.ttc", "cc"),
            rec("layout", "layout/_lib/common.typ", "dd"),
        ];
        let changes = compare_inputs(&was, &now);
        assert_eq!(
            changes,
            vec![
                Change::Changed {
                    kind: "article".into(),
                    path: "2021-01/a.md".into(),
                    was: "aa".into(),
                    is: "a2".into()
                },
                Change::Gone {
                    kind: "layout".into(),
                    path: "layout/express/issue.typ".into()
                },
                Change::Added {
                    kind: "layout".into(),
                    path: "layout/_lib/common.typ".into()
                },
            ]
        );
        assert!(changes[0].is_input_change() && changes[1].is_input_change());
        assert!(!changes[2].is_input_change());
        assert!(compare_inputs(&was, &was).is_empty());
    }

    #[test]
    fn a_release_record_in_a_newer_format_is_refused_at_its_line() {
        let src = SourceText::new("release.toml", "# x\nformat = 9\nkanwu = \"9.0.0\"\n");
        let err = parse_release(&src).unwrap_err();
        assert_eq!(err.0[0].line(), Some(2), "{err}");
        assert!(
            err.0[0]
                .message
                .contains("format 9, written by kanwu 9.0.0"),
            "{err}"
        );
        let src = SourceText::new("release.toml", "kanwu = \"0.1.0\"\n");
        assert!(
            parse_release(&src).unwrap_err().0[0]
                .message
                .contains("no `format`")
        );
        let src = SourceText::new(
            "release.toml",
            "format = 1\nkanwu = \"0.1.0\"\nissue = \"2021-01\"\n[[input]]\nkind = \"font\"\npath = \"fonts/a\"\nsha256 = \"00\"\n",
        );
        let r = parse_release(&src).unwrap();
        assert_eq!(r.inputs, vec![rec("font", "fonts/a", "00")]);
        let src = SourceText::new("release.toml", "format = 1\nkanwu = \"0.1.0\"\nissue = 3\n");
        assert_eq!(parse_release(&src).unwrap_err().0[0].line(), Some(3));
    }
}
