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
pub mod docx;
pub mod editor;
pub mod fonts;
pub mod import;
pub mod manifest;
pub mod preflight;
pub mod print;
pub mod render;
pub mod watch;
pub mod world;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::Digest;
use typst::foundations::{Bytes, Datetime, Value};
use typst::introspection::Introspector;
use typst_layout::PagedDocument;

pub use crate::diag::{Diagnostic, Failure, Result, Severity};
pub use crate::document::Document;
use crate::document::{
    ArticleData, Block, DOCUMENT_VERSION, IssueData, OutputData, PublicationData, SectionData,
};
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
#[derive(Clone)]
pub struct LoadedIssue {
    pub publication: Publication,
    pub issue: Issue,
    pub document: Document,
    /// Images the articles place, once each, by virtual path.
    pub images: Vec<article::ImageRef>,
    /// The files an editor wrote (publication.toml, issue.toml, articles), for messages.
    pub sources: Vec<diag::SourceText>,
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
    pub preflight: preflight::Report,
    /// The document as typeset (for print: with the padding it needed).
    pub document: Document,
}

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Where to write the PDF; default `out/<issue>.pdf`, `out/<issue>.print.pdf`,
    /// `out/<issue>.archive.pdf` by profile.
    pub output: Option<PathBuf>,
    pub profile: Profile,
    /// Print profile: also impose the pages as a saddle-stitched booklet.
    pub booklet: bool,
}

#[derive(Debug)]
pub struct Built {
    pub pdf: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: Vec<Diagnostic>,
    pub preflight: preflight::Report,
    /// Files written besides the PDF (print ticket, booklet).
    pub extra: Vec<PathBuf>,
}

/// A typeset issue, not yet exported.
pub struct Typeset {
    pub loaded: LoadedIssue,
    pub doc: PagedDocument,
    pub warnings: Vec<Diagnostic>,
    pub preflight: preflight::Report,
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
        let mut sources = vec![publication.source.clone(), issue.source.clone()];
        for section in &issue.sections {
            let mut articles = Vec::new();
            for a in &section.articles {
                match article::load(&a.path, &issue.dir, section.kind != "editors-note") {
                    Ok(art) => {
                        sources.push(art.source.clone());
                        images.extend(art.images.iter().cloned());
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
        images.sort_by(|a, b| a.vpath.cmp(&b.vpath));
        images.dedup_by(|a, b| a.vpath == b.vpath);
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
            output: OutputData::screen(),
        };
        Ok(LoadedIssue {
            publication,
            issue,
            document,
            images,
            sources,
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
        let in_issue = |kind, file: &Path| {
            let r = rel(file);
            SourceFile {
                kind,
                name: format!("{}/{r}", issue.name),
                vpath: format!("/issue/{r}"),
                file: file.to_path_buf(),
            }
        };
        let articles = issue.sections.iter().flat_map(|s| &s.articles);
        out.extend(articles.map(|a| in_issue("article", &a.path)));
        // The image files as the editor gave them (a converted TIFF is attached as the TIFF).
        out.extend(loaded.images.iter().map(|i| in_issue("image", &i.file)));
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
        let mounts = vec![
            ("/layout".to_string(), self.root.join("layout")),
            ("/issue".to_string(), loaded.issue.dir.clone()),
        ];
        KanwuWorld::new(
            self.fonts.clone(),
            MAIN_VPATH,
            self.virtual_files(loaded, profile),
            mounts,
            issue_datetime(&loaded.issue),
        )
    }

    /// Watch mode: the same World (so Typst's caches keep what did not change) with this
    /// load's document, converted images and date; the World's cached files are dropped.
    pub fn refresh_world(&self, world: &mut KanwuWorld, loaded: &LoadedIssue) {
        world.replace_virtual_files(
            self.virtual_files(loaded, Profile::Screen),
            issue_datetime(&loaded.issue),
        );
    }

    /// The files that exist only in memory: main.typ, document.json, converted images and,
    /// for the archive profile, what it attaches.
    fn virtual_files(&self, loaded: &LoadedIssue, profile: Profile) -> HashMap<String, Bytes> {
        let layout = &loaded.publication.layout;
        let mut virtual_files = HashMap::new();
        let main = match profile {
            Profile::Screen | Profile::Print => Self::main_typ(layout),
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
        for image in &loaded.images {
            if let Some((png, _)) = &image.converted {
                virtual_files.insert(image.vpath.clone(), Bytes::new(png.clone()));
            }
        }
        virtual_files
    }

    /// Typesets an issue for a profile and runs preflight; nothing is written. Fails on a
    /// compile error or a preflight error (for print: a missing glyph, an image under 150 ppi,
    /// overflow into the bleed).
    pub fn typeset_profile(&self, loaded: LoadedIssue, profile: Profile) -> Result<Typeset> {
        let t = self.typeset_checked(loaded, profile)?;
        if t.preflight.errors() > 0 {
            let mut diags = t.preflight.diagnostics();
            diags.extend(t.warnings);
            return Err(diags.into());
        }
        Ok(t)
    }

    /// Like [`Project::typeset_profile`], but preflight findings never fail it: the report
    /// comes back whole (`kanwu check`).
    pub fn typeset_checked(&self, mut loaded: LoadedIssue, profile: Profile) -> Result<Typeset> {
        let settings = loaded.publication.print.clone();
        if profile == Profile::Print {
            loaded.document.output = OutputData {
                profile: "print",
                bleed_mm: settings.bleed_mm,
                slug_mm: print::SLUG_MM,
                spot: settings.spot.clone(),
                pad_pages: 0,
            };
        }
        let (mut doc, mut warnings) = self.compile_profile(&loaded, profile)?;
        if profile == Profile::Print {
            // Pad to the binding's multiple: the layout puts blank pages before the 版记 page.
            // Moving the 版记 can change the count by one, so measure again.
            let multiple = settings.pad_to as usize;
            for _ in 0..4 {
                let rem = doc.pages().len() % multiple;
                if rem == 0 {
                    break;
                }
                loaded.document.output.pad_pages += (multiple - rem) as u32;
                (doc, warnings) = self.compile_profile(&loaded, profile)?;
            }
        }
        let report = self.preflight(&loaded, &doc, profile);
        if report.errors() == 0 {
            warnings.extend(report.diagnostics());
        }
        Ok(Typeset {
            loaded,
            doc,
            warnings,
            preflight: report,
        })
    }

    /// Preflight of a typeset issue (see [`preflight`]).
    pub fn preflight(
        &self,
        loaded: &LoadedIssue,
        doc: &PagedDocument,
        profile: Profile,
    ) -> preflight::Report {
        let mut images = HashMap::new();
        for s in &loaded.document.sections {
            for a in &s.articles {
                collect_images(&a.blocks, &a.file, &loaded.images, &mut images);
            }
        }
        let mut article_pages = Vec::new();
        for (si, s) in loaded.document.sections.iter().enumerate() {
            for (ai, a) in s.articles.iter().enumerate() {
                let name = if a.title.is_some() {
                    format!("kanwu-article-{si}-{ai}")
                } else {
                    format!("kanwu-section-{si}")
                };
                if let Some(page) = label_page(doc, &name) {
                    article_pages.push((page, a.file.clone()));
                }
            }
        }
        article_pages.sort();
        let input = preflight::Input {
            issue: &loaded.issue.name,
            print: profile == Profile::Print,
            document: &loaded.document,
            doc,
            fonts: &self.fonts,
            sources: &loaded.sources,
            images: &images,
            text_block: text_block(doc),
            article_pages,
            pad_to: if profile == Profile::Print {
                loaded.publication.print.pad_to
            } else {
                1
            },
            converted: loaded
                .images
                .iter()
                .filter_map(|i| {
                    let (_, format) = i.converted.as_ref()?;
                    let rel = i.file.strip_prefix(&loaded.issue.dir).unwrap_or(&i.file);
                    Some((rel.display().to_string(), format.clone()))
                })
                .collect(),
        };
        preflight::run(&input)
    }

    /// Typesets an issue and writes its PDF atomically (and, for print, the ticket and the
    /// booklet). A failed build writes nothing.
    pub fn build(&self, issue_arg: &Path, options: &BuildOptions) -> Result<Built> {
        let loaded = self.load(issue_arg)?;
        let r = self.render(&loaded, options.profile)?;
        let out = options
            .output
            .clone()
            .unwrap_or_else(|| self.output_path(&loaded.issue.name, options.profile));
        let mut extra = Vec::new();
        if options.profile == Profile::Print {
            // Everything is made in memory first: a failure leaves no file behind.
            let booklet = if options.booklet {
                let (bytes, _) = print::impose(
                    &self.fonts,
                    &r.pdf,
                    r.doc.pages().len(),
                    &loaded.publication.paper,
                    loaded.publication.print.bleed_mm,
                    &pdf_identity(&loaded),
                )?;
                let name = format!("{}.booklet.pdf", loaded.issue.name);
                let path = match &options.output {
                    Some(o) => o.with_file_name(name),
                    None => self.root.join("out").join(name),
                };
                Some((path, bytes))
            } else {
                None
            };
            let file_name = out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ticket = print::ticket(
                &r.preflight,
                &loaded.publication,
                &file_name,
                fonts::hex(&sha2::Sha256::digest(&r.pdf)),
                &r.document,
                loaded.images.len(),
                booklet
                    .as_ref()
                    .and_then(|(p, _)| p.file_name())
                    .map(|n| n.to_string_lossy().into_owned()),
            );
            render::write_atomic(&out, &r.pdf)?;
            let ticket_path = out.with_extension("toml");
            render::write_atomic(&ticket_path, ticket.to_toml().as_bytes())?;
            extra.push(ticket_path);
            if let Some((path, bytes)) = booklet {
                render::write_atomic(&path, &bytes)?;
                extra.push(path);
            }
        } else {
            render::write_atomic(&out, &r.pdf)?;
        }
        Ok(Built {
            pdf: out,
            pages: r.doc.pages().len(),
            bytes: r.pdf.len(),
            warnings: r.warnings,
            preflight: r.preflight,
            extra,
        })
    }

    /// The default output of an issue in a profile: `out/2021-01.pdf`, `out/2021-01.archive.pdf`.
    pub fn output_path(&self, issue_name: &str, profile: Profile) -> PathBuf {
        self.root.join("out").join(profile.file_name(issue_name))
    }

    /// Typesets, preflights and exports a loaded issue in memory (for print: padded, with
    /// its BleedBox). Fails on preflight errors.
    pub fn render(&self, loaded: &LoadedIssue, profile: Profile) -> Result<Rendered> {
        let t = self.typeset_profile(loaded.clone(), profile)?;
        let mut pdf = render::export_profile(&t.doc, &pdf_identity(&t.loaded), profile)?;
        if profile == Profile::Print {
            pdf = print::add_bleed_box(&pdf, t.loaded.publication.print.bleed_mm)?;
        }
        Ok(Rendered {
            pdf,
            doc: t.doc,
            warnings: t.warnings,
            preflight: t.preflight,
            document: t.loaded.document,
        })
    }

    /// Compiles a loaded issue (screen profile); fails when the layout names a font that is
    /// not available (Typst would silently fall back to another face).
    pub fn typeset(&self, loaded: &LoadedIssue) -> Result<(PagedDocument, Vec<Diagnostic>)> {
        self.compile_profile(loaded, Profile::Screen)
    }

    fn compile_profile(
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
        for image in &loaded.images {
            let target = dir.join(image.vpath.trim_start_matches('/'));
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|e| fail(e, parent))?;
            }
            match &image.converted {
                Some((png, _)) => fs::write(&target, png).map_err(|e| fail(e, &target))?,
                None => fs::copy(&image.file, &target)
                    .map(|_| ())
                    .map_err(|e| fail(e, &target))?,
            }
        }
        Ok(())
    }
}

fn collect_images(
    blocks: &[Block],
    file: &str,
    files: &[article::ImageRef],
    out: &mut HashMap<String, (Bytes, String, usize)>,
) {
    for b in blocks {
        match b {
            Block::Image { line, path, .. } => {
                if let Some(image) = files.iter().find(|i| &i.vpath == path)
                    && let Some(bytes) = image_bytes(image)
                {
                    out.insert(path.clone(), (bytes, file.to_string(), *line));
                }
            }
            Block::List { items, .. } => items
                .iter()
                .for_each(|i| collect_images(i, file, files, out)),
            Block::Quote { blocks } => collect_images(blocks, file, files, out),
            _ => {}
        }
    }
}

fn image_bytes(image: &article::ImageRef) -> Option<Bytes> {
    match &image.converted {
        Some((png, _)) => Some(Bytes::new(png.clone())),
        None => fs::read(&image.file).ok().map(Bytes::new),
    }
}

fn query_label<'a>(doc: &'a PagedDocument, name: &str) -> Option<&'a typst::foundations::Content> {
    let label = typst::foundations::Label::new(typst::utils::PicoStr::intern(name))?;
    doc.introspector().query_label(label).ok()
}

/// The page (1-based) on which a labelled element stands.
pub fn label_page(doc: &PagedDocument, name: &str) -> Option<usize> {
    let content = query_label(doc, name)?;
    let loc = content.location()?;
    doc.introspector().page(loc).map(|p| p.get())
}

/// The text block the layout publishes as `metadata(margins) <kanwu-margins>`.
fn text_block(doc: &PagedDocument) -> Option<preflight::TextBlock> {
    let content = query_label(doc, "kanwu-margins")?;
    let Ok(Value::Dict(d)) = content.get_by_name("value") else {
        return None;
    };
    let get = |k: &str| match d.get(k).ok()? {
        Value::Length(l) => Some(l.abs.to_pt()),
        _ => None,
    };
    Some(preflight::TextBlock {
        top: get("top")?,
        bottom: get("bottom")?,
        inside: get("inside")?,
        outside: get("outside")?,
    })
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

/// Copies a folder and everything in it (the layout into an `--emit-typst` project; also the
/// benchmark's and the tests' scratch copies).
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
