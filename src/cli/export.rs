//! `kanwu export`: the web, Word and phone editions of issues, from the document model.

use kanwu::msg;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kanwu::diag::display_path;
use kanwu::export::{self, ExportOptions, Format};

use super::{Exit, Outcome, ProjectArgs, all_or_failed, issues_dir, open, print};

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum ExportFormat {
    /// One self-contained web page per issue (styles and images inside it).
    Html,
    /// A Word file: the whole issue, or one article with --article.
    Docx,
    /// PNGs for phones, 1080 px wide, in <out-dir>/<issue>.phone/: the cover and one per article.
    Images,
}

impl From<ExportFormat> for Format {
    fn from(f: ExportFormat) -> Format {
        match f {
            ExportFormat::Html => Format::Html,
            ExportFormat::Docx => Format::Docx,
            ExportFormat::Images => Format::Images,
        }
    }
}

pub fn export(
    args: &ProjectArgs,
    issues: Vec<PathBuf>,
    all: Option<Option<PathBuf>>,
    to: ExportFormat,
    article: Option<String>,
    output: Option<PathBuf>,
    out_dir: Option<PathBuf>,
) -> Outcome {
    let issues = match all {
        Some(dir) => kanwu::model::find_issues(&issues_dir(&args.root, dir))?,
        None => issues,
    };
    if issues.len() > 1 && output.is_some() {
        return Err(Exit::Usage(msg!("cli-export-o-names-one-file")));
    }
    if issues.len() > 1 && article.is_some() {
        return Err(Exit::Usage(msg!("cli-export-article-names-article-one")));
    }
    if matches!(to, ExportFormat::Images) && output.is_some() && article.is_none() {
        return Err(Exit::Usage(msg!("cli-export-o-names-one-image")));
    }
    let project = open(args)?;
    let out_dir = out_dir.unwrap_or_else(|| project.root.join("out"));
    let mut failed = Vec::new();
    for issue in &issues {
        let started = Instant::now();
        let done = project.load(issue).and_then(|loaded| {
            export::export(
                &project,
                &loaded,
                &ExportOptions {
                    format: to.into(),
                    article: article.clone(),
                    output: output.clone(),
                    out_dir: out_dir.clone(),
                },
            )
        });
        match done {
            Ok((written, warnings)) => {
                print(&warnings);
                let ms = started.elapsed().as_millis();
                // One file: its line says the time; several (the phone images): each its size,
                // then the time they took together, once.
                if let [e] = written.as_slice() {
                    println!(
                        "{}",
                        msg!(
                            "cli-export-wrote-ms",
                            path = display_path(&e.path).display(),
                            bytes = size(e.bytes),
                            started = ms
                        )
                    );
                } else {
                    for e in &written {
                        println!(
                            "{}",
                            msg!(
                                "cli-export-wrote",
                                path = display_path(&e.path).display(),
                                bytes = size(e.bytes)
                            )
                        );
                    }
                    println!(
                        "{}",
                        msg!("cli-export-files-ms", files = written.len(), started = ms)
                    );
                }
            }
            Err(f) => {
                print(&f.0);
                failed.push(shown(issue));
            }
        }
    }
    all_or_failed(&failed, &msg!("cli-export-failed"), "")
}

fn shown(p: &Path) -> String {
    display_path(p).display().to_string()
}

fn size(bytes: usize) -> String {
    if bytes < 10 * 1024 {
        msg!("cli-export-bytes", bytes = bytes)
    } else {
        msg!("cli-export-kb", kb = bytes.div_ceil(1024))
    }
}
