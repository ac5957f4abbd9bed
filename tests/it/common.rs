//! Helpers shared by the integration tests: the project, the CLI, temporary issues, and the
//! external PDF tools (required when KANWU_REQUIRE_TOOLS=1, skipped with a notice elsewhere).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use kanwu::Project;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// One project (fonts scanned once) for every test of a test binary.
pub fn project() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| Project::open(&root(), &[]).expect("the project opens"))
}

/// The kanwu binary as the tests run it: in English (`KANWU_LANG=en`), whatever the
/// machine's locale, so that the tests' English assertions hold anywhere. A test of the
/// language choice removes or sets the variable itself.
pub fn kanwu_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kanwu"));
    c.env("KANWU_LANG", "en");
    c
}

/// Runs the kanwu binary from `cwd` (in English: see [`kanwu_command`]).
pub fn kanwu(cwd: &Path, args: &[&str]) -> Output {
    kanwu_command()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("kanwu runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Headless Chromium as the browser tests run it: no sandbox (root), no GPU, and none of its
/// background connections (this machine's network is closed).
pub const HEADLESS: [&str; 6] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
];

/// A path to an external tool, or None (with a printed notice) when it is not installed and
/// not required.
pub fn tool(name: &str) -> Option<&'static str> {
    let found = Command::new(name).arg("-v").output().is_ok()
        || Command::new(name).arg("--version").output().is_ok();
    if found {
        return Some(Box::leak(name.to_string().into_boxed_str()));
    }
    // The Debian package that brings each tool (.ci/run installs them all).
    let package = match name {
        "qpdf" => "qpdf",
        "chromium" => "chromium",
        "soffice" => "libreoffice-writer-nogui",
        _ => "poppler-utils",
    };
    if std::env::var("KANWU_REQUIRE_TOOLS").is_ok_and(|v| v == "1") {
        panic!(
            "{name} is required (KANWU_REQUIRE_TOOLS=1) but not installed: apt-get install {package}"
        );
    }
    eprintln!(
        "notice: {name} not installed; skipping the checks that use it (apt-get install {package})"
    );
    None
}

pub fn run_tool(name: &str, args: &[&str]) -> Option<String> {
    let tool = tool(name)?;
    let out = Command::new(tool).args(args).output().expect("tool runs");
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The text of a PDF as pdftotext sees it (None when poppler is not installed).
pub fn pdftotext(pdf: &Path) -> Option<String> {
    run_tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
}

/// The text of a PDF read with a Rust PDF reader (always available).
pub fn pdf_text_lopdf(pdf: &Path) -> (usize, String) {
    let doc = lopdf::Document::load(pdf).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap_or_default();
    (pages.len(), text)
}

/// Removes all white space: CJK text broken over lines and pages compares as one string.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn sha256(path: &Path) -> String {
    kanwu::util::sha256_file(path).expect("readable")
}

/// A project root of a test's own, in a temporary folder (removed when dropped): kanwu run in
/// it writes `out/` there, and what it holds is what the test puts in it — the repository's
/// layout and fonts (linked or copied), `issues/publication.toml`, issue folders, any file.
pub struct TempProject {
    dir: tempfile::TempDir,
}

impl Default for TempProject {
    fn default() -> Self {
        Self::new()
    }
}

impl TempProject {
    /// An empty folder.
    pub fn new() -> TempProject {
        TempProject {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` under the project root.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    /// Writes `rel` (under the project root), creating its folders.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// `layout/` a link to the repository's.
    pub fn link_layout(self) -> Self {
        symlink(&root().join("layout"), &self.join("layout"));
        self
    }

    /// `layout/` a copy of the repository's, to edit.
    pub fn copy_layout(self) -> Self {
        copy_dir(&root().join("layout"), &self.join("layout"));
        self
    }

    /// `fonts/` a link to the repository's.
    pub fn link_fonts(self) -> Self {
        symlink(&root().join("fonts"), &self.join("fonts"));
        self
    }

    /// `fonts/` a folder of its own, to change: `fonts.lock` copied, every other file of the
    /// repository's `fonts/` a hard link to it (a symbolic link would lead outside `fonts/`,
    /// which the font loader refuses), or a copy across file systems.
    pub fn own_fonts(self) -> Self {
        let fonts = self.join("fonts");
        std::fs::create_dir(&fonts).unwrap();
        for entry in std::fs::read_dir(root().join("fonts")).unwrap() {
            let entry = entry.unwrap();
            let to = fonts.join(entry.file_name());
            if entry.file_name() == "fonts.lock" {
                std::fs::copy(entry.path(), to).unwrap();
            } else if std::fs::hard_link(entry.path(), &to).is_err() {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        self
    }

    /// `issues/publication.toml` a copy of `from`.
    pub fn publication(self, from: &Path) -> Self {
        std::fs::create_dir_all(self.join("issues")).unwrap();
        std::fs::copy(from, self.join("issues/publication.toml")).expect("copy publication.toml");
        self
    }

    /// `issues/` a copy of the folder `from` (publication.toml and issue folders).
    pub fn issues(self, from: &Path) -> Self {
        copy_dir(from, &self.join("issues"));
        self
    }

    /// Copies the issue folder `src` to `issues/<name>`; returns its path.
    pub fn add_issue(&self, src: &Path, name: &str) -> PathBuf {
        let issue = self.join("issues").join(name);
        copy_dir(src, &issue);
        issue
    }

    /// This project with the issue folder `src` copied to `issues/<name>`.
    pub fn with_issue(self, src: &Path, name: &str) -> TempIssue {
        let issue = self.add_issue(src, name);
        TempIssue {
            project: self,
            issue,
        }
    }

    /// This project with the sample issue and its publication.toml: `issues/2021-01`.
    pub fn with_sample(self) -> TempIssue {
        self.publication(&root().join("issues/publication.toml"))
            .with_issue(&root().join("issues/2021-01"), "2021-01")
    }

    /// Runs kanwu with the project root as the working directory.
    pub fn run(&self, args: &[&str]) -> Output {
        kanwu(self.path(), args)
    }

    /// Sets `key = "value"` under `[publication]` in `issues/publication.toml`, replacing the
    /// line that sets it or adding one.
    pub fn set_publication(&self, key: &str, value: &str) {
        let path = self.join("issues/publication.toml");
        let text = std::fs::read_to_string(&path).expect("issues/publication.toml");
        let line = format!("{key} = {}", toml::Value::from(value));
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let table = lines
            .iter()
            .position(|l| l.trim() == "[publication]")
            .expect("a [publication] table");
        let end = lines[table + 1..]
            .iter()
            .position(|l| l.trim_start().starts_with('['))
            .map_or(lines.len(), |i| table + 1 + i);
        match (table + 1..end).find(|&i| lines[i].split('=').next().unwrap().trim() == key) {
            Some(i) => lines[i] = line,
            None => lines.insert(table + 1, line),
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    }
}

/// The layouts in `layout/`: the tests that build the sample run for each.
pub const LAYOUTS: [&str; 2] = ["express", "bulletin"];

/// The sample issue (`issues/2021-01`) in a project of its own, layout and fonts linked from
/// the repository, its publication.toml naming `layout` and `paper`.
pub fn sample_in(layout: &str, paper: &str) -> TempIssue {
    let t = TempProject::new().link_layout().link_fonts().with_sample();
    t.project.set_publication("layout", layout);
    t.project.set_publication("paper", paper);
    t
}

/// A link to `target` (a copy where there are no symbolic links).
pub fn symlink(target: &Path, link: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link)
        .unwrap_or_else(|e| panic!("link {} → {}: {e}", link.display(), target.display()));
    #[cfg(not(unix))]
    if target.is_dir() {
        copy_dir(target, link);
    } else {
        std::fs::copy(target, link).unwrap();
    }
}

/// A temporary project holding one issue, `issues/<name>`, with a publication.toml beside it
/// (and, unless added, no layout or fonts: it is built with the repository as the root).
pub struct TempIssue {
    pub project: TempProject,
    pub issue: PathBuf,
}

impl TempIssue {
    /// Copies `src` (an issue folder) to `<tmp>/issues/<name>` with `publication` beside it.
    pub fn copy(src: &Path, name: &str, publication: &Path) -> TempIssue {
        TempProject::new()
            .publication(publication)
            .with_issue(src, name)
    }

    /// The sample issue, copied.
    pub fn sample() -> TempIssue {
        TempProject::new().with_sample()
    }

    /// The temporary project's root.
    pub fn root(&self) -> &Path {
        self.project.path()
    }

    /// `rel` in the issue folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.issue.join(rel)
    }

    /// Writes `rel` in the issue folder, creating its folders.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("out.pdf")
    }

    /// Runs kanwu in the temporary project's root with `args`, the issue folder first.
    pub fn run_on_issue(&self, command: &str, args: &[&str]) -> Output {
        let mut all = vec![command, self.issue.to_str().unwrap()];
        all.extend_from_slice(args);
        self.project.run(&all)
    }

    /// Builds with the CLI, root = the repository; output to `out()`.
    pub fn build(&self) -> Output {
        kanwu(
            &root(),
            &[
                "build",
                self.issue.to_str().unwrap(),
                "-o",
                self.out().to_str().unwrap(),
            ],
        )
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    kanwu::util::copy_dir(from, to).unwrap();
}

// ------------------------------------------------------------ the seed's text in a PDF

/// The seed's sentences, in order, as they must appear in the PDF (white space ignored).
pub fn seed_sentences() -> Vec<String> {
    let seed = std::fs::read_to_string(fixtures().join("seed.txt")).unwrap();
    let mut out = Vec::new();
    for line in seed.lines() {
        let line = squash(line).replace('●', "");
        for piece in line.split_inclusive(['。', '！', '？', '；']) {
            if !piece.is_empty() {
                out.push(piece.to_string());
            }
        }
    }
    out
}

/// pdftotext's text with the running heads and folios taken out, squashed.
pub fn body_text(text: &str) -> String {
    let mut all = String::new();
    for (i, page) in text.split('\u{c}').enumerate() {
        let mut p = squash(page);
        let folio = format!("—{}—", i + 1);
        if let Some(pos) = p.rfind(&folio) {
            p.replace_range(pos..pos + folio.len(), "");
        }
        for head in [
            "许昌竞争情报快递2021年第1期（总第25期）",
            "2021年第1期（总第25期）许昌竞争情报快递",
        ] {
            if i > 0 && p.starts_with(head) {
                p.replace_range(..head.len(), "");
            }
        }
        all.push_str(&p);
    }
    all
}

pub fn assert_in_order(haystack: &str, needles: &[String]) {
    let mut pos = 0;
    for n in needles {
        match haystack[pos..].find(n.as_str()) {
            Some(i) => pos += i + n.len(),
            None => {
                let anywhere = haystack.contains(n.as_str());
                panic!(
                    "sentence not found {}: {n}",
                    if anywhere { "in order" } else { "at all" }
                );
            }
        }
    }
}
