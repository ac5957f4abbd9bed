//! A Word `.docx` article → one Markdown article (a draft for the editor to check).
//!
//! The container is read with `zip`, the XML with `roxmltree` (a small, maintained read-only
//! DOM already used by Typst's SVG stack, so no new XML parser enters the build). Mapped:
//! paragraphs, headings from Word's heading styles (Heading 1 / 标题 1 → `##`, …), bold and
//! italic runs, numbered and bulleted lists, tables and images (extracted into `images/`).
//! What is not mapped — text boxes, comments, charts and other embedded objects — is listed,
//! never dropped silently.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use super::import::escape_markdown;
use crate::diag::{Diagnostic, Result, display_path};
use crate::util::write_all_atomic;

mod inline;
mod limits;
mod parts;

use inline::{emphasis, is_mono, is_punct_or_space, strip_marks, struck};
use limits::{MAX_IMAGE_PIXELS, PartError, declared_pixels, read_parts};
use parts::{Parts, heading_styles, links, ordered_lists, relationships};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";

/// The converted article: its Markdown, the images to write beside it, and what was not mapped.
#[derive(Debug)]
pub struct DocxArticle {
    pub markdown: String,
    /// (path relative to the issue folder, bytes).
    pub images: Vec<(String, Vec<u8>)>,
    pub unmapped: Vec<String>,
}

/// What `kanwu import article.docx DIR` wrote.
#[derive(Debug)]
pub struct DocxImport {
    /// The article's Markdown file.
    pub markdown: PathBuf,
    /// Every file written: the Markdown, then the images.
    pub written: Vec<PathBuf>,
    pub unmapped: Vec<String>,
}

/// Converts a Word article into `dir/<stem>.md` and its pictures into `dir/images/`. Existing
/// files are never overwritten: when any target exists, nothing is written.
pub fn import_into(source: &Path, dir: &Path) -> Result<DocxImport> {
    let stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "article".into());
    let article = convert(source, &stem)?;
    let md = dir.join(format!("{stem}.md"));
    let mut files = vec![(md.clone(), article.markdown.into_bytes())];
    files.extend(
        article
            .images
            .into_iter()
            .map(|(rel, bytes)| (dir.join(rel), bytes)),
    );
    if let Some((existing, _)) = files
        .iter()
        .find(|(p, _)| std::fs::symlink_metadata(p).is_ok())
    {
        return Err(Diagnostic::error(msg!(
            "docx-already-exists-kanwu-import",
            existing = display_path(existing).display()
        ))
        .hint(msg!("docx-move-away-or-import"))
        .into());
    }
    // The pictures go into the issue's own images/ folder, never through a link to another.
    let images = dir.join("images");
    if files.len() > 1
        && std::fs::symlink_metadata(&images).is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(Diagnostic::error(msg!(
            "docx-images-is-a-link",
            shown = display_path(&images).display()
        ))
        .hint(msg!("docx-images-is-a-link-hint"))
        .into());
    }
    // All or nothing: a picture that cannot be written takes the article back with it.
    write_all_atomic(&files)?;
    Ok(DocxImport {
        markdown: md,
        written: files.into_iter().map(|(p, _)| p).collect(),
        unmapped: article.unmapped,
    })
}

/// Reads `path` (a .docx) and converts it. `stem` names the images (`images/<stem>-1.png`).
pub fn convert(path: &Path, stem: &str) -> Result<DocxArticle> {
    let shown = display_path(path);
    let corrupt = |why: String| {
        Diagnostic::error(msg!(
            "docx-not-readable-docx",
            shown = shown.display(),
            why = why
        ))
        .hint(msg!("docx-open-word-or-wps"))
    };
    let file = std::fs::File::open(path).map_err(|e| corrupt(e.to_string()))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| corrupt(e.to_string()))?;
    let files = read_parts(&mut zip, &shown).map_err(|e| match e {
        PartError::Zip(why) => corrupt(why),
        PartError::Limit(d) => d,
    })?;
    let parts = Parts { files };
    let body_xml = parts
        .text("word/document.xml")
        .ok_or_else(|| corrupt(msg!("docx-no-document-xml")))?;
    let doc = Document::parse(&body_xml).map_err(|e| corrupt(format!("word/document.xml: {e}")))?;
    let styles = heading_styles(&parts);
    let numbering = ordered_lists(&parts);
    let rels = relationships(&parts);

    let mut conv = Converter {
        parts: &parts,
        styles,
        numbering,
        rels,
        links: links(&parts),
        stem,
        out: Vec::new(),
        images: Vec::new(),
        unmapped: Vec::new(),
        title: None,
        notes: Vec::new(),
        raw: String::new(),
        all_bold: false,
        code: false,
    };
    if parts.files.contains_key("word/comments.xml") {
        conv.unmapped.push(msg!("docx-comments-not-imported-read"));
    }
    let body = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or_else(|| corrupt(msg!("docx-no-body")))?;
    for node in body.children().filter(Node::is_element) {
        conv.block(node);
    }
    conv.notes_at_the_end();
    for (rel, bytes) in &conv.images {
        if let Some((w, h)) = declared_pixels(bytes)
            && u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS
        {
            return Err(Diagnostic::error(msg!(
                "docx-picture-too-large",
                shown = shown.display(),
                part = rel.clone(),
                w = w,
                h = h,
                max = MAX_IMAGE_PIXELS / 1_000_000
            ))
            .hint(msg!("docx-picture-too-large-hint"))
            .into());
        }
    }
    // No Title style: a short first paragraph, not a sentence, is the title.
    if conv.title.is_none()
        && let Some((LineKind::Block, first)) = conv.out.first()
        && !first.starts_with(['#', '!', '|', '['])
    {
        let plain = strip_marks(first);
        if (1..=40).contains(&plain.chars().count()) && !plain.ends_with(['。', '；', '：', '.'])
        {
            conv.title = Some(plain.replace('\\', ""));
            conv.out.remove(0);
        }
    }
    let title = conv.title.clone().unwrap_or_else(|| stem.to_string());
    let mut markdown = format!("+++\ntitle = {}\n+++\n", toml::Value::String(title));
    // Items of one list stay together; a new list (or a bullet list after a numbered one)
    // gets a blank line before it.
    let mut prev: Option<&str> = None;
    for (kind, text) in &conv.out {
        let marker = (*kind == LineKind::ListItem).then(|| {
            if text.trim_start().starts_with('-') {
                "-"
            } else {
                "1."
            }
        });
        if marker.is_none() || marker != prev {
            markdown.push('\n');
        }
        markdown.push_str(text);
        markdown.push('\n');
        prev = marker;
    }
    Ok(DocxArticle {
        markdown,
        images: conv.images,
        unmapped: conv.unmapped,
    })
}

/// A piece of a paragraph: text of one look, or ready Markdown (a link, a note's mark).
struct Span {
    text: String,
    bold: bool,
    italic: bool,
    markdown: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Block,
    ListItem,
}

struct Converter<'a> {
    parts: &'a Parts,
    /// Style id → heading level (1 = Word's Heading 1).
    styles: HashMap<String, u8>,
    /// numId → ordered?
    numbering: HashMap<String, bool>,
    /// Relationship id → target inside word/.
    rels: HashMap<String, String>,
    /// Relationship id → address of a link out of the document.
    links: HashMap<String, String>,
    stem: &'a str,
    out: Vec<(LineKind, String)>,
    images: Vec<(String, Vec<u8>)>,
    unmapped: Vec<String>,
    title: Option<String>,
    /// The footnotes and endnotes referred to, in order: (label, the part, the note's id).
    notes: Vec<(String, &'static str, String)>,
    /// The last paragraph's text as written (no Markdown), and whether all of it was bold.
    raw: String,
    all_bold: bool,
    /// The paragraph being read is a code block (style Code, HTML Preformatted): its line
    /// breaks are kept and its text is taken as written.
    code: bool,
}

impl Converter<'_> {
    fn block(&mut self, node: Node) {
        match node.tag_name().name() {
            "p" => self.paragraph(node),
            "tbl" => self.table(node),
            "sdt" => {
                // A content control: its content is ordinary blocks.
                if let Some(content) = node.children().find(|n| n.has_tag_name((W, "sdtContent"))) {
                    for child in content.children().filter(Node::is_element) {
                        self.block(child);
                    }
                }
            }
            "sectPr" | "bookmarkStart" | "bookmarkEnd" => {}
            other => self
                .unmapped
                .push(msg!("docx-word-element-w-was", other = other)),
        }
    }

    fn paragraph(&mut self, p: Node) {
        let props = p.children().find(|n| n.has_tag_name((W, "pPr")));
        let style = props
            .and_then(|pr| pr.children().find(|n| n.has_tag_name((W, "pStyle"))))
            .and_then(|s| s.attribute((W, "val")))
            .unwrap_or("");
        self.code = ["Code", "HTMLPreformatted"]
            .iter()
            .any(|c| style.eq_ignore_ascii_case(c));
        let text = self.runs(p);
        if self.code {
            // A fence longer than any run of backticks in the code.
            let ticks = self
                .raw
                .split(|c| c != '`')
                .map(str::len)
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(ticks.max(2) + 1);
            let code = self.raw.trim_end();
            self.out
                .push((LineKind::Block, format!("{fence}\n{code}\n{fence}")));
            return;
        }
        if style.eq_ignore_ascii_case("Title") && self.title.is_none() {
            self.title = Some(strip_marks(&text));
            return;
        }
        if text.trim().is_empty() {
            return;
        }
        if let Some(level) = self.styles.get(style).copied() {
            // Heading 1 → ## (the article's own title is in the front matter), down to #####.
            let hashes = "#".repeat((level as usize + 1).clamp(2, 5));
            self.out
                .push((LineKind::Block, format!("{hashes} {}", strip_marks(&text))));
            return;
        }
        let num = props.and_then(|pr| pr.children().find(|n| n.has_tag_name((W, "numPr"))));
        // A bold line numbered as Chinese headings are (一、 （一） 1. （1）) is a heading.
        let raw = self.raw.trim();
        if num.is_none()
            && self.all_bold
            && let Some(level) = super::import::heading_level(raw)
        {
            let heading = format!("{} {}", "#".repeat(level as usize), escape_markdown(raw));
            self.out.push((LineKind::Block, heading));
            return;
        }
        if let Some(num) = num {
            let id = num
                .children()
                .find(|n| n.has_tag_name((W, "numId")))
                .and_then(|n| n.attribute((W, "val")))
                .unwrap_or("");
            let level: usize = num
                .children()
                .find(|n| n.has_tag_name((W, "ilvl")))
                .and_then(|n| n.attribute((W, "val")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let marker = if self.numbering.get(id).copied().unwrap_or(false) {
                "1."
            } else {
                "-"
            };
            self.out.push((
                LineKind::ListItem,
                format!("{}{marker} {}", "   ".repeat(level), text.trim()),
            ));
            return;
        }
        if style.eq_ignore_ascii_case("Quote") || style.eq_ignore_ascii_case("IntenseQuote") {
            self.out
                .push((LineKind::Block, format!("> {}", text.trim())));
            return;
        }
        self.out.push((LineKind::Block, text.trim().to_string()));
    }

    /// The runs of a paragraph as Markdown inline text; images become their own blocks.
    fn runs(&mut self, p: Node) -> String {
        // Word splits text into runs at will; runs of the same look are joined before the
        // emphasis markers go on. A span is (text, bold, italic), or ready Markdown (a link, a
        // note's mark) when `markdown`.
        let mut spans: Vec<Span> = Vec::new();
        let push = |spans: &mut Vec<Span>, text: String, b: bool, i: bool| match spans.last_mut() {
            Some(last) if !last.markdown && (last.bold, last.italic) == (b, i) => {
                last.text.push_str(&text)
            }
            _ => spans.push(Span {
                text,
                bold: b,
                italic: i,
                markdown: false,
            }),
        };
        let markdown = |text: String| Span {
            text,
            bold: false,
            italic: false,
            markdown: true,
        };
        for node in p.descendants().filter(Node::is_element) {
            let inside = |tag: &str| node.ancestors().skip(1).any(|a| a.has_tag_name((W, tag)));
            match node.tag_name().name() {
                "hyperlink" if node.tag_name().namespace() == Some(W) => {
                    let text: String = node
                        .descendants()
                        .filter(|n| n.has_tag_name((W, "t")))
                        .filter_map(|n| n.text())
                        .collect();
                    let url = node.attribute((R, "id")).and_then(|id| self.links.get(id));
                    match url {
                        Some(url) if !text.trim().is_empty() => spans.push(markdown(format!(
                            "[{}](<{}>)",
                            escape_markdown(&text),
                            url.replace(['<', '>', ' '], "")
                        ))),
                        _ => push(&mut spans, text, false, false),
                    }
                }
                "r" if node.tag_name().namespace() == Some(W) => {
                    // A run inside a text box is reported with the box, not taken as body
                    // text; one inside a link is the link's text.
                    if inside("txbxContent") || inside("hyperlink") {
                        continue;
                    }
                    let props = node.children().find(|n| n.has_tag_name((W, "rPr")));
                    let on = |tag: &str| {
                        props
                            .and_then(|pr| pr.children().find(|n| n.has_tag_name((W, tag))))
                            .is_some_and(|n| {
                                !matches!(n.attribute((W, "val")), Some("0" | "false"))
                            })
                    };
                    let (b, i) = (on("b"), on("i"));
                    // Struck through, or in a typewriter face (kanwu's own export of `code`):
                    // ready Markdown of their own.
                    let strike = on("strike") || on("dstrike");
                    let mono = props
                        .and_then(|pr| pr.children().find(|n| n.has_tag_name((W, "rFonts"))))
                        .and_then(|f| f.attribute((W, "ascii")))
                        .is_some_and(is_mono);
                    let mut run = String::new();
                    for c in node.children() {
                        let note = match c.tag_name().name() {
                            "footnoteReference" => Some(("word/footnotes.xml", "")),
                            "endnoteReference" => Some(("word/endnotes.xml", "e")),
                            _ => None,
                        };
                        if c.has_tag_name((W, "t")) {
                            run.push_str(c.text().unwrap_or(""));
                        } else if c.has_tag_name((W, "br")) && self.code {
                            run.push('\n');
                        } else if c.has_tag_name((W, "tab")) || c.has_tag_name((W, "br")) {
                            run.push(' ');
                        } else if let (Some((part, prefix)), Some(id)) =
                            (note, c.attribute((W, "id")))
                        {
                            push(&mut spans, std::mem::take(&mut run), b, i);
                            let label = format!("{prefix}{}", self.notes.len() + 1);
                            spans.push(markdown(format!("[^{label}]")));
                            self.notes.push((label, part, id.to_string()));
                        }
                    }
                    if run.is_empty() {
                        continue;
                    }
                    if mono && !self.code && !run.contains('`') {
                        spans.push(markdown(format!("`{run}`")));
                    } else if strike
                        && !self.code
                        && !run.trim_matches(is_punct_or_space).is_empty()
                    {
                        spans.push(markdown(struck(&run, b, i)));
                    } else {
                        push(&mut spans, run, b, i);
                    }
                }
                "txbxContent" => {
                    let inner: String = node
                        .descendants()
                        .filter(|n| n.has_tag_name((W, "t")))
                        .filter_map(|n| n.text())
                        .collect();
                    self.unmapped.push(msg!(
                        "docx-text-box-was-not",
                        inner = inner.chars().take(40).collect::<String>()
                    ));
                }
                "blip" if node.tag_name().namespace() == Some(A) => {
                    if let Some(id) = node.attribute((R, "embed")) {
                        self.image(id);
                    }
                }
                "chart" => self.unmapped.push(
                    "an embedded chart (图表) was not imported; paste it as a picture".into(),
                ),
                "OLEObject" | "object" => self.unmapped.push(msg!("docx-embedded-object-ole-was")),
                _ => {}
            }
        }
        spans.retain(|s| !s.text.is_empty());
        self.raw = spans
            .iter()
            .filter(|s| !s.markdown)
            .map(|s| s.text.as_str())
            .collect();
        self.all_bold =
            !spans.is_empty() && spans.iter().all(|s| s.bold || s.text.trim().is_empty());
        spans
            .iter()
            .map(|s| match s.markdown {
                true => s.text.clone(),
                false => emphasis(&s.text, s.bold, s.italic),
            })
            .collect()
    }

    /// The footnotes and endnotes referred to, as Markdown footnotes after the text.
    fn notes_at_the_end(&mut self) {
        let notes = std::mem::take(&mut self.notes);
        for (label, part, id) in notes {
            let xml = self.parts.text(part).unwrap_or_default();
            let Ok(doc) = Document::parse(&xml) else {
                self.unmapped
                    .push(msg!("docx-note-unreadable", label = label, part = part));
                continue;
            };
            let note = doc.descendants().find(|n| {
                matches!(n.tag_name().name(), "footnote" | "endnote")
                    && n.attribute((W, "id")) == Some(&id)
            });
            let text: Vec<String> = note
                .into_iter()
                .flat_map(|n| n.children().filter(|c| c.has_tag_name((W, "p"))))
                .map(|p| self.runs(p).trim().to_string())
                .filter(|t| !t.is_empty())
                .collect();
            self.out
                .push((LineKind::Block, format!("[^{label}]: {}", text.join(" "))));
        }
    }

    fn image(&mut self, rel: &str) {
        let Some(target) = self.rels.get(rel) else {
            return;
        };
        let name = format!(
            "word/{}",
            target.trim_start_matches('/').trim_start_matches("word/")
        );
        let Some(bytes) = self.parts.files.get(&name) else {
            self.unmapped
                .push(msg!("docx-linked-picture-not-inside", target = target));
            return;
        };
        let ext = Path::new(target)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_else(|| "png".into());
        if matches!(ext.as_str(), "emf" | "wmf" | "emz" | "wmz") {
            self.unmapped.push(msg!(
                "docx-picture-windows-format-was",
                ext = ext.to_uppercase(),
                target = target
            ));
            return;
        }
        let n = self.images.len() + 1;
        let path = format!("images/{}-{n}.{ext}", self.stem);
        self.images.push((path.clone(), bytes.clone()));
        self.out
            .push((LineKind::Block, format!("![图{n}]({path})")));
    }

    fn table(&mut self, tbl: Node) {
        let rows: Vec<Vec<String>> = tbl
            .children()
            .filter(|n| n.has_tag_name((W, "tr")))
            .map(|tr| {
                tr.children()
                    .filter(|n| n.has_tag_name((W, "tc")))
                    .map(|tc| {
                        let parts: Vec<String> = tc
                            .children()
                            .filter(|n| n.has_tag_name((W, "p")))
                            .map(|p| self.runs(p).trim().to_string())
                            .filter(|s| !s.is_empty())
                            .collect();
                        parts.join(" ").replace('|', "\\|")
                    })
                    .collect()
            })
            .collect();
        let Some(width) = rows.iter().map(Vec::len).max().filter(|w| *w > 0) else {
            return;
        };
        let line = |cells: &[String]| {
            let mut s = String::from("|");
            for i in 0..width {
                s.push_str(&format!(
                    " {} |",
                    cells.get(i).map(String::as_str).unwrap_or("")
                ));
            }
            s
        };
        let mut md = vec![line(&rows[0]), format!("|{}", "---|".repeat(width))];
        md.extend(rows[1..].iter().map(|r| line(r)));
        self.out.push((LineKind::Block, md.join("\n")));
    }
}
