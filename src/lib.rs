//! kanwu (刊物): Chinese internal periodicals from a TOML manifest and Markdown articles, typeset
//! with Typst into print-ready PDF.
//!
//! The public API: [`Project::open`] once per process (it loads the fonts), then
//! [`Project::load`] an issue into its [`Document`] and [`Project::build`] it to a PDF. Nothing
//! here prints; diagnostics come back as values and `main` renders them.

pub mod archive;
pub mod article;
pub mod diag;
pub mod document;
pub mod fonts;
pub mod manifest;
pub mod render;
pub mod world;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::{Bytes, Datetime, Value};
use typst::introspection::Introspector;
use typst_layout::PagedDocument;

pub use crate::diag::{Diagnostic, Failure, Result, Severity};
pub use crate::document::Document;
use crate::document::{ArticleData, DOCUMENT_VERSION, IssueData, PublicationData, SectionData};
use crate::fonts::Fonts;
use crate::manifest::{Issue, Publication};
use crate::render::PdfIdentity;
pub use crate::render::Profile;
use crate::world::KanwuWorld;

/// The virtual paths the layout sees.
pub const MAIN_VPATH: &str = "/main.typ";
pub const DOCUMENT_VPATH: &str = "/document.json";
/// Archive profile only: the list of files to attach (name, virtual path, MIME type).
pub const ATTACHMENTS_VPATH: &str = "/attachments.json";
/// Archive profile only: the publication.toml the issue was read with.
pub const PUBLICATION_VPATH: &str = "/publication.toml";

/// A project root (holding `layout/` and `fonts/`) with its fonts loaded once.
pub struct Project {
    pub root: PathBuf,
    pub fonts: Arc<Fonts>,
}

/// An issue read and validated, ready to typeset.
pub struct LoadedIssue {
    pub publication: Publication,
    pub issue: Issue,
    pub document: Document,
    /// Images the articles place: (virtual path, real file).
    pub images: Vec<(String, PathBuf)>,
    /// The publication.toml read (canonical).
    pub publication_file: PathBuf,
}

/// One source file of an issue, as it is attached to its archive PDF and recorded in its
/// release: `name` is its path relative to the folder holding the issue folders
/// (`publication.toml`, `2021-01/issue.toml`, `2021-01/images/x.png`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub kind: &'static str,
    pub name: String,
    /// Where the layout reads it inside the sandbox.
    pub vpath: String,
    pub file: PathBuf,
}

/// A PDF made in memory.
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub doc: PagedDocument,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write the PDF; default `out/<issue folder name>.pdf` under the root
    /// (`out/<issue>.archive.pdf` for the archive profile).
    pub output: Option<PathBuf>,
    pub profile: Profile,
}

#[derive(Debug)]
pub struct Built {
    pub pdf: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: Vec<Diagnostic>,
}

impl Project {
    pub fn open(root: &Path, font_paths: &[PathBuf]) -> Result<Project> {
        let root = root.canonicalize().map_err(|e| {
            Diagnostic::error(format!(
                "cannot open the project root {}: {e}",
                root.display()
            ))
        })?;
        let fonts = Fonts::load(&root, font_paths)?;
        Ok(Project {
            root,
            fonts: Arc::new(fonts),
        })
    }

    /// Reads an issue (its folder or its `issue.toml`), its publication and its articles.
    /// All errors found are returned together, so an editor fixes them in one pass.
    pub fn load(&self, issue_arg: &Path) -> Result<LoadedIssue> {
        let manifest = manifest::issue_manifest_path(issue_arg)?;
        let issue_res = manifest::load_issue(&manifest);
        let pub_path = manifest
            .canonicalize()
            .ok()
            .and_then(|m| m.parent()?.parent().map(|p| p.join("publication.toml")))
            .unwrap_or_else(|| PathBuf::from("publication.toml"));
        let pub_res = if pub_path.is_file() {
            manifest::load_publication(&pub_path)
        } else {
            Err(Diagnostic::error(format!(
                "no publication.toml next to the issue folder (looked for {})",
                diag::display_path(&pub_path).display()
            ))
            .hint("publication.toml (刊名, 编印单位, paper, 版记) lives in the folder that holds the issue folders, e.g. issues/publication.toml")
            .into())
        };
        let publication_file = pub_path.canonicalize().unwrap_or_else(|_| pub_path.clone());
        let (issue, publication) = match (issue_res, pub_res) {
            (Ok(i), Ok(p)) => (i, p),
            (i, p) => {
                let mut all = Vec::new();
                if let Err(e) = i {
                    all.extend(e.0);
                }
                if let Err(e) = p {
                    all.extend(e.0);
                }
                return Err(all.into());
            }
        };
        let layout_main = self
            .root
            .join("layout")
            .join(&publication.layout)
            .join("issue.typ");
        if !layout_main.is_file() {
            return Err(Diagnostic::error(format!(
                "layout `{}` not found: {} does not exist",
                publication.layout,
                diag::display_path(&layout_main).display()
            ))
            .at(&publication.source, publication.source.text.find("layout").map_or(0..0, |i| i..i + 6))
            .hint("name a folder under layout/ (the default is \"express\"), or pass --root to the project that has it")
            .into());
        }

        let mut errors = Vec::new();
        let mut sections = Vec::new();
        let mut images = Vec::new();
        for section in &issue.sections {
            let mut articles = Vec::new();
            for a in &section.articles {
                match article::load(&a.path, &issue.dir, section.kind != "editors-note") {
                    Ok(art) => {
                        images.extend(art.images.iter().map(|i| (i.vpath.clone(), i.file.clone())));
                        articles.push(ArticleData {
                            file: a.rel.clone(),
                            title: art.meta.title,
                            subtitle: art.meta.subtitle,
                            source: art.meta.source,
                            author: art.meta.author,
                            blocks: art.blocks,
                        });
                    }
                    Err(e) => errors.extend(e.0),
                }
            }
            sections.push(SectionData {
                kind: section.kind.clone(),
                title: section.title.clone(),
                articles,
            });
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        images.sort();
        images.dedup();
        let document = Document {
            version: DOCUMENT_VERSION,
            generator: format!("kanwu {}", env!("CARGO_PKG_VERSION")),
            publication: PublicationData {
                name: publication.name.clone(),
                publisher: publication.publisher.clone(),
                marking: publication.marking.clone(),
                paper: publication.paper.clone(),
            },
            colophon: publication.colophon.clone(),
            issue: IssueData {
                year: issue.year,
                number: issue.number,
                serial: issue.serial,
                date: issue.date,
                copies: issue.copies,
            },
            sections,
        };
        Ok(LoadedIssue {
            publication,
            issue,
            document,
            images,
            publication_file,
        })
    }

    /// The issue's sources: publication.toml, issue.toml, the articles in order, the images.
    pub fn sources(loaded: &LoadedIssue) -> Vec<SourceFile> {
        let issue = &loaded.issue;
        let mut out = vec![
            SourceFile {
                kind: "publication",
                name: "publication.toml".into(),
                vpath: PUBLICATION_VPATH.into(),
                file: loaded.publication_file.clone(),
            },
            SourceFile {
                kind: "manifest",
                name: format!("{}/issue.toml", issue.name),
                vpath: "/issue/issue.toml".into(),
                file: issue.dir.join("issue.toml"),
            },
        ];
        let rel = |p: &Path| {
            p.strip_prefix(&issue.dir)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        };
        for a in issue.sections.iter().flat_map(|s| &s.articles) {
            let r = rel(&a.path);
            out.push(SourceFile {
                kind: "article",
                name: format!("{}/{r}", issue.name),
                vpath: format!("/issue/{r}"),
                file: a.path.clone(),
            });
        }
        for (vpath, file) in &loaded.images {
            let r = vpath.trim_start_matches("/issue/");
            out.push(SourceFile {
                kind: "image",
                name: format!("{}/{r}", issue.name),
                vpath: vpath.clone(),
                file: file.clone(),
            });
        }
        out
    }

    /// The generated main file: fixed code naming the layout; all content is in the JSON.
    fn main_typ(layout: &str) -> String {
        format!(
            "// Generated by kanwu. The issue's content is data in document.json; the look is in layout/{layout}/.\n\
             #import \"/layout/{layout}/issue.typ\": issue\n\
             #issue(json(\"{DOCUMENT_VPATH}\"))\n"
        )
    }

    /// The archive profile's main file: the issue, then its sources attached (their names and
    /// paths are data in attachments.json, never markup).
    fn main_typ_archive(layout: &str) -> String {
        format!(
            "{}#for a in json(\"{ATTACHMENTS_VPATH}\") {{\n  \
             pdf.attach(a.name, read(a.path, encoding: none), relationship: \"source\", mime-type: a.mime, description: a.description)\n\
             }}\n",
            Self::main_typ(layout)
        )
    }

    fn attachments_json(loaded: &LoadedIssue) -> Vec<u8> {
        let list: Vec<serde_json::Value> = Self::sources(loaded)
            .into_iter()
            .map(|s| {
                serde_json::json!({
                    "name": s.name,
                    "path": s.vpath,
                    "mime": mime_type(&s.name),
                    "description": format!("kanwu source: {}", s.kind),
                })
            })
            .collect();
        serde_json::to_vec_pretty(&list).expect("the list serialises")
    }

    fn document_json(doc: &Document) -> Vec<u8> {
        serde_json::to_vec_pretty(doc).expect("the document serialises")
    }

    /// The sandboxed world for an issue (screen profile).
    pub fn world(&self, loaded: &LoadedIssue) -> KanwuWorld {
        self.profile_world(loaded, Profile::Screen)
    }

    /// The sandboxed world for an issue in a profile. The archive profile also serves
    /// `/attachments.json` and `/publication.toml` (its bytes as read now).
    pub fn profile_world(&self, loaded: &LoadedIssue, profile: Profile) -> KanwuWorld {
        let layout = &loaded.publication.layout;
        let mut virtual_files = HashMap::new();
        let main = match profile {
            Profile::Screen => Self::main_typ(layout),
            Profile::Archive => {
                virtual_files.insert(
                    ATTACHMENTS_VPATH.to_string(),
                    Bytes::new(Self::attachments_json(loaded)),
                );
                // Unreadable here means it vanished since load; the attach then fails loudly.
                if let Ok(bytes) = fs::read(&loaded.publication_file) {
                    virtual_files.insert(PUBLICATION_VPATH.to_string(), Bytes::new(bytes));
                }
                Self::main_typ_archive(layout)
            }
        };
        virtual_files.insert(MAIN_VPATH.to_string(), Bytes::from_string(main));
        virtual_files.insert(
            DOCUMENT_VPATH.to_string(),
            Bytes::new(Self::document_json(&loaded.document)),
        );
        let mounts = vec![
            ("/layout".to_string(), self.root.join("layout")),
            ("/issue".to_string(), loaded.issue.dir.clone()),
        ];
        KanwuWorld::new(
            self.fonts.clone(),
            MAIN_VPATH,
            virtual_files,
            mounts,
            issue_datetime(&loaded.issue),
        )
    }

    /// Typesets an issue: compile, check the fonts the theme names, export, write atomically.
    pub fn build(&self, issue_arg: &Path, options: &BuildOptions) -> Result<Built> {
        let loaded = self.load(issue_arg)?;
        let rendered = self.render(&loaded, options.profile)?;
        let out = options
            .output
            .clone()
            .unwrap_or_else(|| self.output_path(&loaded.issue.name, options.profile));
        render::write_atomic(&out, &rendered.pdf)?;
        Ok(Built {
            pdf: out,
            pages: rendered.doc.pages().len(),
            bytes: rendered.pdf.len(),
            warnings: rendered.warnings,
        })
    }

    /// The default output of an issue in a profile: `out/2021-01.pdf`, `out/2021-01.archive.pdf`.
    pub fn output_path(&self, issue_name: &str, profile: Profile) -> PathBuf {
        self.root.join("out").join(profile.file_name(issue_name))
    }

    /// Typesets and exports a loaded issue in memory.
    pub fn render(&self, loaded: &LoadedIssue, profile: Profile) -> Result<Rendered> {
        let (doc, warnings) = self.typeset_profile(loaded, profile)?;
        let pdf = render::export_profile(&doc, &pdf_identity(loaded), profile)?;
        Ok(Rendered { pdf, doc, warnings })
    }

    /// Compiles a loaded issue; fails when the layout names a font that is not available
    /// (Typst would silently fall back to another face).
    pub fn typeset(&self, loaded: &LoadedIssue) -> Result<(PagedDocument, Vec<Diagnostic>)> {
        self.typeset_profile(loaded, Profile::Screen)
    }

    fn typeset_profile(
        &self,
        loaded: &LoadedIssue,
        profile: Profile,
    ) -> Result<(PagedDocument, Vec<Diagnostic>)> {
        let world = self.profile_world(loaded, profile);
        let (doc, mut warnings) = render::compile(&world);
        let doc = doc.map_err(|mut e| {
            e.0.extend(warnings.clone());
            e
        })?;
        let missing = self.missing_theme_fonts(&doc);
        if !missing.is_empty() {
            let mut errs: Vec<Diagnostic> = missing
                .into_iter()
                .map(|(role, family)| {
                    Diagnostic::error(format!("the layout's `{role}` font \"{family}\" is not available"))
                        .hint("vendor it in fonts/ (and lock it), pass its folder with --font-path, or name another font in the layout's theme.typ")
                })
                .collect();
            errs.append(&mut warnings);
            return Err(errs.into());
        }
        Ok((doc, warnings))
    }

    /// Fonts named in the theme (published by the layout as `metadata(..) <kanwu-fonts>`) that
    /// no loaded face provides: (role, family).
    pub fn missing_theme_fonts(&self, doc: &PagedDocument) -> Vec<(String, String)> {
        theme_fonts(doc)
            .into_iter()
            .filter(|(_, family)| !self.fonts.has_family(family))
            .collect()
    }

    /// The font roles a layout's `theme.typ` declares (its `fonts` dictionary): (role, family).
    pub fn theme_roles(&self, layout: &str) -> Result<Vec<(String, String)>> {
        let main = format!(
            "#import \"/layout/{layout}/theme.typ\": fonts\n#metadata(fonts) <kanwu-fonts>\n"
        );
        let mut virtual_files = HashMap::new();
        virtual_files.insert(MAIN_VPATH.to_string(), Bytes::from_string(main));
        let mounts = vec![("/layout".to_string(), self.root.join("layout"))];
        let today = Datetime::from_ymd(2000, 1, 1).expect("valid");
        let world = KanwuWorld::new(self.fonts.clone(), MAIN_VPATH, virtual_files, mounts, today);
        let (doc, _) = render::compile(&world);
        Ok(theme_fonts(&doc?))
    }

    /// Writes a self-contained Typst project (main.typ, document.json, the layout, the images)
    /// that `typst compile --font-path fonts DIR/main.typ` renders to the same pages.
    pub fn emit_typst(&self, loaded: &LoadedIssue, dir: &Path) -> Result<()> {
        let fail = |e: std::io::Error, what: &Path| {
            Diagnostic::error(format!(
                "cannot write {}: {e}",
                diag::display_path(what).display()
            ))
        };
        fs::create_dir_all(dir).map_err(|e| fail(e, dir))?;
        let layout = &loaded.publication.layout;
        fs::write(dir.join("main.typ"), Self::main_typ(layout)).map_err(|e| fail(e, dir))?;
        fs::write(
            dir.join("document.json"),
            Self::document_json(&loaded.document),
        )
        .map_err(|e| fail(e, dir))?;
        let src = self.root.join("layout").join(layout);
        copy_dir(&src, &dir.join("layout").join(layout)).map_err(|e| fail(e, &src))?;
        for (vpath, file) in &loaded.images {
            let target = dir.join(vpath.trim_start_matches('/'));
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| fail(e, parent))?;
            }
            fs::copy(file, &target).map_err(|e| fail(e, &target))?;
        }
        Ok(())
    }
}

/// (role, family) pairs the layout declares in `#metadata(fonts) <kanwu-fonts>`; a role's value
/// may be one family or an array of them (a fallback chain).
pub fn theme_fonts(doc: &PagedDocument) -> Vec<(String, String)> {
    let Some(label) = typst::foundations::Label::new(typst::utils::PicoStr::intern("kanwu-fonts"))
    else {
        return Vec::new();
    };
    let Ok(content) = doc.introspector().query_label(label) else {
        return Vec::new();
    };
    let Ok(Value::Dict(dict)) = content.get_by_name("value") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (role, value) in dict.iter() {
        let families: Vec<String> = match value {
            Value::Str(s) => vec![s.to_string()],
            Value::Array(a) => a
                .iter()
                .filter_map(|v| v.clone().cast::<typst::foundations::Str>().ok())
                .map(|s| s.to_string())
                .collect(),
            Value::Dict(d) => d
                .get("name")
                .ok()
                .and_then(|v| v.clone().cast::<typst::foundations::Str>().ok())
                .map(|s| vec![s.to_string()])
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        out.extend(families.into_iter().map(|f| (role.to_string(), f)));
    }
    out
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
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

/// The issue's date, as Typst's `today()` and as the PDF timestamp.
pub fn issue_datetime(issue: &Issue) -> Datetime {
    Datetime::from_ymd(issue.date.year, issue.date.month, issue.date.day).expect("validated date")
}

/// A stable identifier: the same issue of the same publication always gets the same PDF ID.
pub fn pdf_identity(loaded: &LoadedIssue) -> PdfIdentity {
    let d = loaded.issue.date;
    PdfIdentity {
        ident: format!(
            "kanwu/{}/{}-{:02}",
            loaded.publication.name, loaded.issue.year, loaded.issue.number
        ),
        date: Datetime::from_ymd_hms(d.year, d.month, d.day, 0, 0, 0).expect("validated date"),
    }
}

/// The MIME type of an attached source, by its extension.
fn mime_type(name: &str) -> &'static str {
    match name
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "toml" => "application/toml",
        "md" => "text/markdown",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
