//! The façade: a project root opened once per process (its fonts loaded), then issues loaded,
//! typeset, built to files or emitted as a Typst project. It delegates: the model reads,
//! `typeset` compiles, `print` makes the PDF bytes; this is where files get written.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Result, display_path};
use crate::model::{self, LoadedIssue, Profile};
use crate::print::{self, Rendered, Typeset, preflight};
use crate::typeset::fonts::Fonts;
use crate::typeset::{Typesetter, document_json, layout};
use crate::util::{write_all_atomic, write_all_sealed};

/// A project root (holding `layout/` and `fonts/`) with its fonts loaded once.
pub struct Project {
    pub root: PathBuf,
    pub fonts: Arc<Fonts>,
    typesetter: Typesetter,
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

/// What a build wrote.
#[derive(Debug)]
pub struct Built {
    pub pdf: PathBuf,
    pub pages: usize,
    pub bytes: usize,
    /// Typst's and preflight's warnings.
    pub warnings: Vec<Diagnostic>,
    pub preflight: preflight::Report,
    /// Files written besides the PDF (print ticket, booklet).
    pub extra: Vec<PathBuf>,
}

impl Project {
    pub fn open(root: &Path, font_paths: &[PathBuf]) -> Result<Project> {
        let root = root.canonicalize().map_err(|e| {
            Diagnostic::error(msg!(
                "project-cannot-open-project-root",
                root = root.display(),
                e = crate::util::io_reason(&e)
            ))
        })?;
        let fonts = Arc::new(Fonts::load(&root, font_paths)?);
        Ok(Project {
            typesetter: Typesetter::new(root.clone(), fonts.clone()),
            root,
            fonts,
        })
    }

    pub fn typesetter(&self) -> &Typesetter {
        &self.typesetter
    }

    /// Reads an issue (its folder or its `issue.toml`), its publication and its articles, and
    /// checks that its layout exists. All errors found come back together.
    pub fn load(&self, issue_arg: &Path) -> Result<LoadedIssue> {
        self.load_with(issue_arg, &model::Overlay::new())
    }

    /// [`Project::load`] with some articles' texts taken from `overlay` (the desk's unsaved
    /// edits) instead of their files.
    pub fn load_with(&self, issue_arg: &Path, overlay: &model::Overlay) -> Result<LoadedIssue> {
        let loaded = model::load_with(issue_arg, overlay)?;
        self.typesetter.check_layout(&loaded.publication)?;
        Ok(loaded)
    }

    /// Typesets an issue in a profile and runs preflight; preflight's findings never fail it
    /// (`kanwu check`, `kanwu stats`).
    pub fn typeset(&self, loaded: LoadedIssue, profile: Profile) -> Result<Typeset> {
        print::typeset(&self.typesetter, loaded, profile)
    }

    /// The PDF of an issue in a profile, in memory; fails on preflight errors.
    pub fn render(&self, loaded: &LoadedIssue, profile: Profile) -> Result<Rendered> {
        print::render(&self.typesetter, loaded, profile)
    }

    /// The default output of an issue in a profile: `out/2021-01.pdf`, `out/2021-01.archive.pdf`.
    pub fn output_path(&self, issue_name: &str, profile: Profile) -> PathBuf {
        self.root.join("out").join(profile.file_name(issue_name))
    }

    /// Typesets an issue and writes its PDF atomically (and, for print, the ticket and the
    /// booklet). Everything is made in memory first: a failed build writes nothing.
    pub fn build(&self, issue_arg: &Path, options: &BuildOptions) -> Result<Built> {
        self.build_and_emit(issue_arg, options, None)
    }

    /// [`Project::build`], and with `emit` also the Typst project of [`Project::emit_typst`]
    /// into that folder: every file of the build is made in memory, then all are written
    /// together (each to a temporary file, then all renamed), so a build that fails at any
    /// step, the last write included, leaves every earlier file as it was.
    pub fn build_and_emit(
        &self,
        issue_arg: &Path,
        options: &BuildOptions,
        emit: Option<&Path>,
    ) -> Result<Built> {
        let loaded = self.load(issue_arg)?;
        let r = self.render(&loaded, options.profile)?;
        let out = options
            .output
            .clone()
            .unwrap_or_else(|| self.output_path(&loaded.issue.name, options.profile));
        let mut files = vec![(out.clone(), r.pdf.clone())];
        if options.profile == Profile::Print {
            let booklet = options.booklet.then(|| {
                let name = format!("{}.booklet.pdf", loaded.issue.name);
                match &options.output {
                    Some(o) => o.with_file_name(name),
                    None => self.root.join("out").join(name),
                }
            });
            let file_name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
            let (ticket, imposed) = print::extras(
                &self.typesetter,
                &loaded,
                &r,
                &file_name(&out).unwrap_or_default(),
                booklet.as_deref().and_then(file_name),
            )?;
            files.push((out.with_extension("toml"), ticket.to_toml().into_bytes()));
            if let (Some(path), Some(bytes)) = (booklet, imposed) {
                files.push((path, bytes));
            }
        }
        let extra = files.iter().skip(1).map(|(p, _)| p.clone()).collect();
        if let Some(dir) = emit {
            let layout_files = match options.profile {
                Profile::Screen => r.layout_files.clone(),
                _ => {
                    self.typesetter
                        .compile(&loaded, Profile::Screen)?
                        .layout_files
                }
            };
            files.extend(self.typst_project(&loaded, &layout_files, dir)?);
        }
        // The ticket names the PDF's and booklet's sha256: removed first, renamed in last.
        let seal = (options.profile == Profile::Print).then_some(1);
        write_all_sealed(&files, seal)?;
        Ok(Built {
            pdf: out,
            pages: r.doc.pages().len(),
            bytes: r.pdf.len(),
            warnings: r.warnings,
            preflight: r.preflight,
            extra,
        })
    }

    /// Writes a self-contained Typst project (main.typ, document.json, the layout files the
    /// build opened, the images) that `typst compile --font-path fonts DIR/main.typ` renders
    /// to the same pages. All files or none are written.
    pub fn emit_typst(&self, loaded: &LoadedIssue, dir: &Path) -> Result<()> {
        let compiled = self.typesetter.compile(loaded, Profile::Screen)?;
        write_all_atomic(&self.typst_project(loaded, &compiled.layout_files, dir)?)
    }

    /// The files of [`Project::emit_typst`], in memory: only files the build opened
    /// (`layout_files`, which the sandbox read inside `layout/`) and the issue's images.
    fn typst_project(
        &self,
        loaded: &LoadedIssue,
        layout_files: &[PathBuf],
        dir: &Path,
    ) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        let fail = |e: std::io::Error, what: &Path| {
            Diagnostic::error(msg!(
                "project-cannot-read",
                what = display_path(what).display(),
                e = crate::util::io_reason(&e)
            ))
        };
        let entry = layout::Entry::Issue {
            layout: &loaded.publication.layout,
            attach: false,
        };
        let mut files = vec![
            (dir.join("main.typ"), layout::main_typ(entry).into_bytes()),
            (dir.join("document.json"), document_json(loaded)),
        ];
        let layout_dir = self.typesetter.layout_dir();
        for f in layout_files {
            let rel = f.strip_prefix(&layout_dir).unwrap_or(f);
            let bytes = fs::read(f).map_err(|e| fail(e, f))?;
            files.push((dir.join("layout").join(rel), bytes));
        }
        for image in &loaded.images {
            let target = dir.join(image.vpath.trim_start_matches('/'));
            let bytes = match &image.converted {
                Some((png, _)) => png.clone(),
                None => fs::read(&image.file).map_err(|e| fail(e, &image.file))?,
            };
            files.push((target, bytes));
        }
        Ok(files)
    }
}
