//! Other editions of an issue — a web page (`html`), a Word file (`docx`) and images for
//! phones (`images`) — made from the same document model the layout receives, never from the
//! PDF. The web page and the Word file are written here; the images are set by the layout in
//! its phone profile ([`images`]).
//!
//! Every string an editor wrote passes through [`escape`] (one function for HTML and for
//! Word's XML), so no article text becomes markup. Each edition is made in memory, the same
//! bytes every time, and written atomically.

mod base64;
pub mod docx;
mod docx_parts;
pub mod html;
pub mod images;

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result};
use crate::model::LoadedIssue;
use crate::model::document::{ArticleData, Document, IssueData};
use crate::project::Project;
use crate::util::{write_all_atomic, write_atomic};

/// An edition's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Docx,
    /// PNGs for phones: the cover and one per article, in a folder (`2021-01.phone/`).
    Images,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Html, Format::Docx, Format::Images];

    /// The format's name, as `--to` and `release.toml` spell it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Images => "images",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Images => "png",
        }
    }
}

/// What to export of an issue and where.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub format: Format,
    /// One article only, by its file name as listed in issue.toml (`ai-patents.md`) or its stem.
    pub article: Option<String>,
    /// The file to write; default `<out_dir>/<issue>[-<article>].<ext>` (images:
    /// `<out_dir>/<issue>.phone/<nn>-<article>.png`).
    pub output: Option<PathBuf>,
    pub out_dir: PathBuf,
}

/// An edition written.
#[derive(Debug)]
pub struct Exported {
    pub path: PathBuf,
    pub bytes: usize,
}

/// Renders a one-file edition (html, docx) in memory: the whole issue, or one article
/// (`article`). The images are several files, made by [`images::render`].
pub fn render(loaded: &LoadedIssue, format: Format, article: Option<&str>) -> Result<Vec<u8>> {
    let doc = match article {
        Some(name) => select(&loaded.document, name)?,
        None => loaded.document.clone(),
    };
    let images = |vpath: &str| image_bytes(loaded, vpath);
    Ok(match format {
        Format::Html => html::render(&doc, &images, article.is_some()).into_bytes(),
        Format::Docx => docx::render(&doc, &images, article.is_some())?,
        Format::Images => {
            return Err(Diagnostic::error(msg!("export-phone-images-set-by-layout")).into());
        }
    })
}

/// Renders an edition and writes it atomically: nothing is written when rendering fails, and
/// the images of an issue are written all or none. Returns the files written and the warnings
/// about them (text a phone image cuts off).
pub fn export(
    project: &Project,
    loaded: &LoadedIssue,
    options: &ExportOptions,
) -> Result<(Vec<Exported>, Vec<Diagnostic>)> {
    if options.format == Format::Images {
        return export_images(project, loaded, options);
    }
    let bytes = render(loaded, options.format, options.article.as_deref())?;
    let path = options.output.clone().unwrap_or_else(|| {
        options.out_dir.join(file_name(
            &loaded.issue.name,
            options.article.as_deref(),
            options.format,
        ))
    });
    write_atomic(&path, &bytes)?;
    let written = Exported {
        path,
        bytes: bytes.len(),
    };
    Ok((vec![written], Vec::new()))
}

fn export_images(
    project: &Project,
    loaded: &LoadedIssue,
    options: &ExportOptions,
) -> Result<(Vec<Exported>, Vec<Diagnostic>)> {
    let images::PhoneImages {
        files: images,
        warnings,
    } = images::render(project, loaded, options.article.as_deref())?;
    let dir = options
        .out_dir
        .join(images::folder_name(&loaded.issue.name));
    let files: Vec<(PathBuf, Vec<u8>)> = match (&options.output, images.as_slice()) {
        (Some(o), [(_, png)]) => vec![(o.clone(), png.clone())],
        _ => images
            .into_iter()
            .map(|(name, png)| (dir.join(name), png))
            .collect(),
    };
    write_all_atomic(&files)?;
    if options.article.is_none() {
        images::remove_stale(&dir, &files);
    }
    let written = files
        .into_iter()
        .map(|(path, png)| Exported {
            path,
            bytes: png.len(),
        })
        .collect();
    Ok((written, warnings))
}

/// `2021-01.html`, `2021-01-ai-patents.docx` (one-file editions).
pub fn file_name(issue: &str, article: Option<&str>, format: Format) -> String {
    let stem = match article {
        Some(a) => format!("{issue}-{}", a.trim_end_matches(".md")),
        None => issue.to_string(),
    };
    format!("{stem}.{}", format.extension())
}

/// The document with only the article named (by file name or stem) in its section.
fn select(doc: &Document, name: &str) -> Result<Document> {
    let wanted = |a: &ArticleData| a.file == name || a.file.trim_end_matches(".md") == name;
    for s in &doc.sections {
        if let Some(a) = s.articles.iter().find(|a| wanted(a)) {
            let mut one = doc.clone();
            let mut section = s.clone();
            section.articles = vec![a.clone()];
            one.sections = vec![section];
            return Ok(one);
        }
    }
    let names: Vec<&str> = doc
        .sections
        .iter()
        .flat_map(|s| s.articles.iter().map(|a| a.file.as_str()))
        .collect();
    Err(
        Diagnostic::error(msg!("export-issue-has-no-article", name = name))
            .hint(msg!("export-name-one", names = names.join(", ")))
            .into(),
    )
}

/// An image the layout would read, by its path in the sandbox: its MIME type and bytes.
pub(crate) fn image_bytes(loaded: &LoadedIssue, vpath: &str) -> Option<(&'static str, Vec<u8>)> {
    let image = loaded.images.iter().find(|i| i.vpath == vpath)?;
    let bytes = image.bytes()?;
    let ext = Path::new(vpath)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        _ => return None,
    };
    Some((mime, bytes))
}

/// Looks up an image's MIME type and bytes by its sandbox path.
pub(crate) type Images<'a> = dyn Fn(&str) -> Option<(&'static str, Vec<u8>)> + 'a;

/// The one escaping function: text and attribute values for HTML and for XML alike. Characters
/// XML does not allow (controls other than tab and line feed) are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A link target an edition may carry: web and mail addresses only (no `javascript:`).
pub(crate) fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// 一 二 … 九十九, as the layout numbers headings.
pub(crate) fn cn_number(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let ones = match n % 10 {
        0 => "",
        d => D[d as usize],
    };
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{ones}"),
        20..=99 => format!("{}十{ones}", D[(n / 10) as usize]),
        _ => n.to_string(),
    }
}

/// The numbers the layout gives an article's headings (一、 （一） 1. （1）), counted per
/// level; a heading that carries its own number counts but gets none.
#[derive(Default)]
pub(crate) struct HeadingNumbers {
    counts: [u32; 4],
}

impl HeadingNumbers {
    pub fn next(&mut self, level: u8, numbered: bool) -> String {
        let i = (level.clamp(2, 5) - 2) as usize;
        self.counts[i] += 1;
        for c in &mut self.counts[i + 1..] {
            *c = 0;
        }
        if numbered {
            return String::new();
        }
        let n = self.counts[i];
        match level {
            2 => format!("{}、", cn_number(n)),
            3 => format!("（{}）", cn_number(n)),
            4 => format!("{n}."),
            _ => format!("（{n}）"),
        }
    }
}

/// 2021年第1期（总第25期）
pub(crate) fn issue_line(i: &IssueData) -> String {
    let serial = i
        .serial
        .map(|s| format!("（总第{s}期）"))
        .unwrap_or_default();
    format!("{}年第{}期{serial}", i.year, i.number)
}

/// 2021年1月20日
pub(crate) fn date_cn(i: &IssueData) -> String {
    format!("{}年{}月{}日", i.date.year, i.date.month, i.date.day)
}

/// The 版记's lines, as the layout sets them (the last is 编印单位 and the 印发 line).
pub(crate) fn colophon_rows(doc: &Document) -> (Vec<String>, (String, String)) {
    let c = &doc.colophon;
    let mut rows = Vec::new();
    if !c.send_to.is_empty() {
        rows.push(format!("报送：{}。", c.send_to.join("，")));
    }
    if !c.distribute_to.is_empty() {
        rows.push(format!("发送：{}。", c.distribute_to.join("，")));
    }
    let mut people = Vec::new();
    if let Some(e) = &c.editor_in_chief {
        people.push(format!("主编：{e}"));
    }
    if !c.editors.is_empty() {
        people.push(format!("责任编辑：{}", c.editors.join("　")));
    }
    if !people.is_empty() {
        rows.push(people.join("　　"));
    }
    if let Some(a) = &c.address {
        rows.push(format!("地址：{a}"));
    }
    let mut contact = Vec::new();
    if let Some(p) = &c.phone {
        contact.push(format!("电话：{p}"));
    }
    if let Some(e) = &c.email {
        contact.push(format!("邮箱：{e}"));
    }
    if !contact.is_empty() {
        rows.push(contact.join("　　"));
    }
    let copies = doc
        .issue
        .copies
        .map(|n| format!("（共印{n}份）"))
        .unwrap_or_default();
    let last = (
        doc.publication.publisher.clone(),
        format!("{}印发{copies}", date_cn(&doc.issue)),
    );
    (rows, last)
}

/// 来源：… 　　作者：…
pub(crate) fn byline(a: &ArticleData) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(s) = &a.source {
        parts.push(format!("来源：{s}"));
    }
    if let Some(s) = &a.author {
        parts.push(format!("作者：{s}"));
    }
    (!parts.is_empty()).then(|| parts.join("　　"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape("<script>alert('1')</script> & \"x\""),
            "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; &quot;x&quot;"
        );
        assert_eq!(escape("a\u{0}b\u{7}c\nd"), "abc\nd");
    }

    #[test]
    fn headings_are_numbered_as_the_layout_does() {
        let mut n = HeadingNumbers::default();
        assert_eq!(n.next(2, false), "一、");
        assert_eq!(n.next(3, false), "（一）");
        assert_eq!(n.next(4, false), "1.");
        assert_eq!(n.next(5, false), "（1）");
        assert_eq!(n.next(2, false), "二、");
        assert_eq!(n.next(3, false), "（一）");
        assert_eq!(n.next(2, true), "");
        assert_eq!(n.next(2, false), "四、");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(21), "二十一");
    }

    #[test]
    fn only_web_and_mail_links_are_kept() {
        assert!(safe_url("https://example.com") && safe_url("mailto:a@b"));
        assert!(!safe_url("javascript:alert(1)") && !safe_url("data:text/html,x"));
    }
}
