//! `kanwu init`: a new publication from nothing — `layout/` and `fonts/` copied from kanwu's own
//! installation, `issues/publication.toml` and a first issue that builds.
//!
//! kanwu's installation is the folder that holds `layout/` and `fonts/` (with `fonts.lock`) for
//! the executable: the unpacked Windows package has them beside `kanwu.exe`; a source tree has
//! them three or fewer folders above `target/<profile>/kanwu`; the Linux packages (dist/deb.sh)
//! install them under `/usr/share/kanwu`. [`find_installation`] looks there, then in the source
//! tree kanwu was built from, unless `--from DIR` names one.

use std::fs;
use std::path::{Path, PathBuf};

use super::new::{ARTICLE_STUB, EDITORS_NOTE_STUB, title_stub};
use crate::diag::{Diagnostic, Result, display_path};
use crate::model::Date;
use crate::model::issue_toml::{self, IssueEntry, SectionEntry};
use crate::model::manifest::KNOWN_KINDS;
use crate::model::publication::DEFAULT_LAYOUT;

pub use crate::model::placeholders::{NAME_STUB, PUBLISHER_STUB};

/// What the new publication is called and how its first issue is numbered; every field
/// optional.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// 刊名.
    pub name: Option<String>,
    /// 编印单位.
    pub publisher: Option<String>,
    /// Printed on the masthead (default 内部资料 注意保存).
    pub marking: Option<String>,
    /// A folder under layout/ (default express).
    pub layout: Option<String>,
    /// a4 | b5 | 16k | "210x285mm" (default a4).
    pub paper: Option<String>,
    /// The first issue's date (default today).
    pub date: Option<Date>,
    /// 第N期 of the first issue (default 1).
    pub number: Option<u32>,
    /// 总第N期 of the first issue (optional).
    pub serial: Option<u32>,
}

/// What `kanwu init` wrote.
#[derive(Debug)]
pub struct Initialized {
    /// The installation `layout/` and `fonts/` were copied from.
    pub from: PathBuf,
    pub publication: PathBuf,
    /// The first issue's folder.
    pub issue: PathBuf,
    /// Its article stubs, relative to the issue folder.
    pub stubs: Vec<String>,
    /// publication.toml still holds NAME_STUB or PUBLISHER_STUB.
    pub placeholders: bool,
}

/// Whether `dir` holds what a project copies: `layout/` and `fonts/fonts.lock`.
fn is_installation(dir: &Path) -> bool {
    dir.join("layout").is_dir() && dir.join("fonts").join("fonts.lock").is_file()
}

/// The folders [`find_installation`] looks in, in order.
pub fn installation_candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(exe) = std::env::current_exe() {
        let exe = exe.canonicalize().unwrap_or(exe);
        // The executable's folder, then up to three above it (target/release/kanwu,
        // target/x86_64-pc-windows-gnu/release/kanwu.exe).
        out.extend(exe.ancestors().skip(1).take(4).map(Path::to_path_buf));
    }
    out.extend(system_installations());
    out.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    out
}

/// Where a system package puts the installation: `/usr/share/kanwu` for the .deb packages
/// (`/usr/bin/kanwu` has nothing beside it or above it).
#[cfg(target_os = "linux")]
fn system_installations() -> Vec<PathBuf> {
    vec![PathBuf::from("/usr/share/kanwu")]
}

/// Elsewhere the package keeps the installation beside the executable (Windows) or there is
/// no package: no system folder.
#[cfg(not(target_os = "linux"))]
fn system_installations() -> Vec<PathBuf> {
    Vec::new()
}

/// The installation to copy `layout/` and `fonts/` from: `from` when given (it must hold
/// them), else the first of [`installation_candidates`] that does.
pub fn find_installation(from: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = from {
        if is_installation(dir) {
            return Ok(dir.to_path_buf());
        }
        return Err(Diagnostic::error(msg!(
            "init-holds-no-kanwu-installation",
            dir = display_path(dir).display()
        ))
        .hint(msg!("init-name-folder-kanwu-was"))
        .into());
    }
    let candidates = installation_candidates();
    match candidates.iter().find(|d| is_installation(d)) {
        Some(dir) => Ok(dir.clone()),
        None => Err(Diagnostic::error(msg!(
            "init-cannot-find-kanwu-s",
            places = candidates
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint(msg!("init-pass-from-dir-folder"))
        .into()),
    }
}

/// A TOML string (quoted and escaped by the TOML library).
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `publication.toml`: the values given, else commented defaults to edit.
fn publication_toml(o: &InitOptions) -> String {
    let name = o.name.as_deref().unwrap_or(NAME_STUB);
    let publisher = o.publisher.as_deref().unwrap_or(PUBLISHER_STUB);
    let marking = o.marking.as_deref().unwrap_or("内部资料 注意保存");
    let layout = o.layout.as_deref().unwrap_or(DEFAULT_LAYOUT);
    let paper = o.paper.as_deref().unwrap_or("a4");
    format!(
        "# 刊物信息：每期不变的内容。改完后运行 kanwu build issues/<期号文件夹>。\n\
         # What stays the same from issue to issue (see kanwu's README).\n\
         schema = 1\n\
         \n\
         [publication]\n\
         name = {}            # 刊名\n\
         publisher = {}       # 编印单位\n\
         marking = {}         # 印在报头上；不需要时删去本行\n\
         layout = {}          # layout/ 下的版式文件夹：express | bulletin\n\
         paper = {}           # a4 | b5 | 16k | \"210x285mm\"\n\
         \n\
         [colophon]           # 版记，均可选：去掉 # 并填写\n\
         # editor_in_chief = \"\"                  # 主编\n\
         # editors = [\"\"]                        # 责任编辑\n\
         # address = \"\"                          # 地址\n\
         # phone = \"\"                            # 电话\n\
         # email = \"\"                            # 电子邮箱\n\
         # send_to = [\"\"]                        # 报送\n\
         # distribute_to = [\"\"]                  # 发送\n",
        toml_str(name),
        toml_str(publisher),
        toml_str(marking),
        toml_str(layout),
        toml_str(paper),
    )
}

/// The first issue: the four known sections, one stub article each (the same stubs as
/// `kanwu new` writes, so `kanwu check` points at them).
fn first_issue(o: &InitOptions) -> (Vec<(String, String)>, Vec<String>) {
    let date = o.date.unwrap_or_else(Date::today);
    let mut files = Vec::new();
    let mut stubs = Vec::new();
    let mut sections = Vec::new();
    for (kind, title) in KNOWN_KINDS {
        let name = format!("{kind}.md");
        let text = if kind == "editors-note" {
            format!("+++\n+++\n\n{EDITORS_NOTE_STUB}\n")
        } else {
            format!(
                "+++\ntitle = {}\nsource = \"\"\n+++\n\n{ARTICLE_STUB}\n",
                toml_str(&title_stub(title))
            )
        };
        files.push((name.clone(), text));
        stubs.push(name.clone());
        sections.push(SectionEntry {
            kind: kind.to_string(),
            title: title.to_string(),
            articles: vec![name],
        });
    }
    let toml = issue_toml::write(&IssueEntry {
        year: date.year,
        number: o.number.unwrap_or(1),
        serial: o.serial,
        date,
        copies: None,
        sections,
    });
    files.insert(0, ("issue.toml".to_string(), toml));
    (files, stubs)
}

/// Makes a new publication in `dir` (created when missing): `layout/` and `fonts/` copied
/// from `from`, `issues/publication.toml` and `issues/YYYY-NN/`. Refuses a folder that
/// already holds layout/, fonts/ or issues/; everything is made under a temporary folder
/// inside `dir` first and moved into place, so a failure leaves nothing behind.
pub fn init(dir: &Path, from: &Path, options: &InitOptions) -> Result<Initialized> {
    let shown = display_path(dir);
    let fail = |what: &Path, e: std::io::Error| {
        Diagnostic::error(msg!(
            "init-cannot-write",
            what = display_path(what).display(),
            e = crate::util::io_reason(&e)
        ))
    };
    for part in ["layout", "fonts", "issues"] {
        if dir.join(part).exists() {
            return Err(Diagnostic::error(msg!(
                "init-already-holds-kanwu-project",
                shown = shown.display(),
                part = part
            ))
            .hint(msg!("init-kanwu-init-never-overwrites"))
            .into());
        }
    }
    let same = |a: &Path, b: &Path| a.canonicalize().ok() == b.canonicalize().ok();
    if same(dir, from) {
        return Err(Diagnostic::error(msg!("init-kanwu-init-cannot-copy")).into());
    }
    fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".kanwu-init-")
        .tempdir_in(dir)
        .map_err(|e| fail(dir, e))?;
    let t = tmp.path();
    crate::util::copy_dir(&from.join("layout"), &t.join("layout"))
        .map_err(|e| fail(&dir.join("layout"), e))?;
    copy_fonts(&from.join("fonts"), &t.join("fonts")).map_err(|e| fail(&dir.join("fonts"), e))?;

    let date = options.date.unwrap_or_else(Date::today);
    let options = InitOptions {
        date: Some(date),
        ..options.clone()
    };
    let issue_name = format!("{}-{:02}", date.year, options.number.unwrap_or(1));
    let (files, stubs) = first_issue(&options);
    let issues = t.join("issues");
    let issue_dir = issues.join(&issue_name);
    fs::create_dir_all(&issue_dir).map_err(|e| fail(&issue_dir, e))?;
    let publication = publication_toml(&options);
    fs::write(issues.join("publication.toml"), &publication)
        .map_err(|e| fail(&dir.join("issues/publication.toml"), e))?;
    for (name, text) in &files {
        fs::write(issue_dir.join(name), text).map_err(|e| fail(&issue_dir.join(name), e))?;
    }

    // Into place; a failure takes back what was moved.
    let mut moved: Vec<PathBuf> = Vec::new();
    for part in ["layout", "fonts", "issues"] {
        let target = dir.join(part);
        if let Err(e) = fs::rename(t.join(part), &target) {
            for m in &moved {
                let _ = fs::remove_dir_all(m);
            }
            return Err(fail(&target, e).into());
        }
        moved.push(target);
    }
    Ok(Initialized {
        from: from.to_path_buf(),
        publication: dir.join("issues").join("publication.toml"),
        issue: dir.join("issues").join(issue_name),
        stubs,
        placeholders: options.name.is_none() || options.publisher.is_none(),
    })
}

/// fonts/: the font files, their licences and fonts.lock (no hidden files).
fn copy_fonts(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for path in crate::util::sorted_entries(from) {
        let Some(name) = path.file_name() else {
            continue;
        };
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            crate::util::copy_dir(&path, &to.join(name))?;
        } else {
            fs::copy(&path, to.join(name))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_installation_comes_after_the_executables_folders_and_before_the_source_tree() {
        let candidates = installation_candidates();
        let system = Path::new("/usr/share/kanwu");
        let source = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(candidates.last().map(PathBuf::as_path), Some(source));
        let at = candidates.iter().position(|d| d == system);
        if cfg!(target_os = "linux") {
            // Right before the source tree, after the executable's folder and those above it.
            assert_eq!(at, Some(candidates.len() - 2), "{candidates:?}");
            let exe = std::env::current_exe().unwrap();
            let exe = exe.canonicalize().unwrap_or(exe);
            assert_eq!(candidates.first().map(PathBuf::as_path), exe.parent());
        } else {
            assert_eq!(at, None, "{candidates:?}");
        }
    }

    #[test]
    fn publication_toml_takes_the_values_given_and_quotes_them() {
        let o = InitOptions {
            name: Some("某市\"科技\"快报".into()),
            publisher: Some("某市科技局".into()),
            ..Default::default()
        };
        let text = publication_toml(&o);
        let t: toml::Table = text.parse().expect("valid TOML");
        assert_eq!(t["publication"]["name"].as_str(), Some("某市\"科技\"快报"));
        assert_eq!(t["publication"]["layout"].as_str(), Some("express"));
        let defaults: toml::Table = publication_toml(&InitOptions::default()).parse().unwrap();
        assert_eq!(defaults["publication"]["name"].as_str(), Some(NAME_STUB));
    }
}
