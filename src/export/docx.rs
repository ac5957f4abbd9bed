//! The Word edition: WordprocessingML written by hand into a zip (the `zip` crate kanwu already
//! has; see the report on `docx-rs` in README's export section). In the periodical's order: the
//! cover block (刊名, 期号, 编印单位, date) and contents, each section (标题 1), each article
//! (标题 2, or Word's Title when one article is exported alone), its byline, headings as Word
//! heading styles, paragraphs indented two characters, emphasis, lists, tables, images with
//! captions, footnotes as Word footnotes, and the 版记.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write};

use super::docx_parts::{self as parts, KAI, NS, para, run};
use super::{HeadingNumbers, Images, byline, escape, issue_line, safe_url};
use crate::diag::{Diagnostic, Result};
use crate::model::document::{ArticleData, Block, Document, Inline, plain_text};

/// Twips per millimetre; EMU per twip.
const TWIPS_MM: f64 = 56.692_913;
const EMU_TWIP: u64 = 635;
/// The text block's margins, as in layout/express/theme.typ (mm): top, bottom, left, right.
const MARGINS: [f64; 4] = [30.0, 27.0, 27.0, 25.0];

/// The .docx of an issue (or of its one article, `single`).
pub fn render(doc: &Document, images: &Images, single: bool) -> Result<Vec<u8>> {
    let twips = |mm: f64| (mm * TWIPS_MM).round() as u64;
    let paper = &doc.publication.paper;
    let text_width = twips(paper.width_mm) - twips(MARGINS[2]) - twips(MARGINS[3]);
    let mut w = Writer {
        images,
        text_width,
        body: String::with_capacity(64 * 1024),
        notes: String::new(),
        note_id: 0,
        rels: String::new(),
        rel_id: 0,
        media: Vec::new(),
        media_by_path: HashMap::new(),
        nums: String::new(),
        num_id: 0,
        drawing_id: 0,
    };
    if !single {
        w.body.push_str(&parts::cover(doc, w.text_width));
    }
    for s in &doc.sections {
        let body_style = if s.kind == "editors-note" {
            "EditorsNote"
        } else {
            "Normal"
        };
        if !single {
            let mut out = String::new();
            let _ = write!(
                out,
                r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>{}{}</w:p>"#,
                run("●", r#"<w:color w:val="D7000F"/>"#),
                run(&format!(" {}", s.title), "")
            );
            w.body.push_str(&out);
        }
        for a in &s.articles {
            w.article(a, if single { None } else { Some(&s.title) }, body_style);
        }
    }
    if !single {
        w.body.push_str(&parts::colophon(doc, w.text_width));
    }
    let sect = format!(
        r#"<w:sectPr><w:footnotePr><w:numFmt w:val="decimal"/></w:footnotePr><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>"#,
        twips(paper.width_mm),
        twips(paper.height_mm),
        twips(MARGINS[0]),
        twips(MARGINS[3]),
        twips(MARGINS[1]),
        twips(MARGINS[2]),
    );
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{}{sect}</w:body></w:document>"#,
        w.body
    );
    let title = match (
        single,
        doc.sections.first().and_then(|s| s.articles.first()),
    ) {
        (true, Some(a)) => a.title.clone().unwrap_or_default(),
        _ => format!("{} {}", doc.publication.name, issue_line(&doc.issue)),
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), parts::content_types().into()),
        ("_rels/.rels".into(), parts::package_rels().into()),
        (
            "docProps/core.xml".into(),
            parts::core(&escape(&title), &escape(&doc.publication.publisher)).into(),
        ),
        ("word/document.xml".into(), document.into()),
        ("word/styles.xml".into(), parts::styles().into()),
        ("word/settings.xml".into(), parts::settings().into()),
        (
            "word/numbering.xml".into(),
            parts::numbering(&w.nums).into(),
        ),
        (
            "word/footnotes.xml".into(),
            parts::footnotes(&w.notes).into(),
        ),
        (
            "word/_rels/document.xml.rels".into(),
            parts::document_rels(&w.rels).into(),
        ),
    ];
    files.extend(w.media);
    zip(files).map_err(|e| Diagnostic::error(msg!("export-docx-cannot-write-docx", e = e)).into())
}

/// The files into a zip, in order, with fixed timestamps: the same bytes every time.
fn zip(files: Vec<(String, Vec<u8>)>) -> zip::result::ZipResult<Vec<u8>> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in files {
        z.start_file(name, options)?;
        z.write_all(&bytes)?;
    }
    Ok(z.finish()?.into_inner())
}

/// Inline formatting in force.
#[derive(Clone, Copy, Default)]
struct Fmt {
    bold: bool,
    italic: bool,
    strike: bool,
    link: bool,
}

impl Fmt {
    fn rpr(self) -> String {
        let mut s = String::new();
        if self.link {
            s.push_str(r#"<w:rStyle w:val="Hyperlink"/>"#);
        }
        if self.italic {
            // Emphasis is set in 楷体, as in the layout (and marked italic, so Word and
            // `kanwu import` see it as emphasis).
            let _ = write!(s, r#"<w:rFonts w:eastAsia="{KAI}"/>"#);
        }
        if self.bold {
            s.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            s.push_str("<w:i/><w:iCs/>");
        }
        if self.strike {
            s.push_str("<w:strike/>");
        }
        s
    }
}

/// Where a block is being written.
#[derive(Clone, Copy)]
struct Ctx<'s> {
    /// The paragraph style of body text here (Normal, EditorsNote, Quote, FootnoteText…).
    style: &'s str,
    /// Inside a list: its num id and level.
    list: Option<(u32, u32)>,
    /// The Word heading level of Markdown's `##` minus 2 (0: `##` → Heading1).
    heading_base: u8,
    /// Inside a footnote: notes in notes are written out in parentheses.
    in_note: bool,
}

struct Writer<'a> {
    images: &'a Images<'a>,
    text_width: u64,
    body: String,
    notes: String,
    note_id: u32,
    rels: String,
    rel_id: u32,
    /// (zip path, bytes) of each image, once.
    media: Vec<(String, Vec<u8>)>,
    /// Sandbox path → its image's relationship id.
    media_by_path: HashMap<String, String>,
    nums: String,
    num_id: u32,
    drawing_id: u32,
}

impl Writer<'_> {
    /// An article; `section` is given when the whole issue is written (the title is then a
    /// 标题 2 under its section), None when it is alone (the title is Word's Title).
    fn article(&mut self, a: &ArticleData, section: Option<&str>, body_style: &str) {
        let title_style = if section.is_some() {
            "Heading2"
        } else {
            "Title"
        };
        let title = a.title.as_deref().or(section.is_none().then_some(""));
        if let Some(t) = title.filter(|t| !t.is_empty()) {
            self.body.push_str(&para(title_style, "", t, ""));
        }
        if let (Some(_), Some(s)) = (&a.title, &a.subtitle) {
            self.body
                .push_str(&para("Subtitle", "", &format!("——{s}"), ""));
        }
        if let Some(b) = byline(a) {
            self.body.push_str(&para("Byline", "", &b, ""));
        }
        let ctx = Ctx {
            style: body_style,
            list: None,
            heading_base: if section.is_some() { 2 } else { 0 },
            in_note: false,
        };
        let mut numbers = HeadingNumbers::default();
        let mut out = String::new();
        for b in &a.blocks {
            self.block(b, ctx, Some(&mut numbers), &mut out);
        }
        self.body.push_str(&out);
    }

    fn block(
        &mut self,
        b: &Block,
        ctx: Ctx,
        numbers: Option<&mut HeadingNumbers>,
        out: &mut String,
    ) {
        let list_ppr = |ctx: Ctx| match ctx.list {
            Some((_, lvl)) => format!(
                r#"<w:ind w:left="{}" w:firstLineChars="0" w:firstLine="0"/>"#,
                840 + 420 * lvl
            ),
            None => String::new(),
        };
        match b {
            Block::Paragraph { inlines, .. } => {
                let style = if ctx.list.is_some() {
                    "ListParagraph"
                } else {
                    ctx.style
                };
                let _ = write!(
                    out,
                    r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{}</w:pPr>{}</w:p>"#,
                    list_ppr(ctx),
                    self.runs(inlines, Fmt::default(), ctx)
                );
            }
            Block::Heading {
                level,
                numbered,
                inlines,
                ..
            } => {
                let word = (level - 1 + ctx.heading_base).min(6);
                let number = numbers
                    .map(|n| n.next(*level, *numbered))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    r#"<w:p><w:pPr><w:pStyle w:val="Heading{word}"/></w:pPr>{}{}</w:p>"#,
                    run(&number, ""),
                    self.runs(inlines, Fmt::default(), ctx)
                );
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                self.num_id += 1;
                let num = self.num_id;
                let lvl = ctx.list.map_or(0, |(_, l)| (l + 1).min(8));
                let _ = write!(
                    self.nums,
                    r#"<w:num w:numId="{num}"><w:abstractNumId w:val="{}"/><w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{}"/></w:lvlOverride></w:num>"#,
                    u8::from(*ordered),
                    start.max(&1)
                );
                for item in items {
                    let inner = Ctx {
                        list: Some((num, lvl)),
                        ..ctx
                    };
                    for (i, b) in item.iter().enumerate() {
                        match b {
                            Block::Paragraph { inlines, .. } if i == 0 => {
                                let _ = write!(
                                    out,
                                    r#"<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{}</w:p>"#,
                                    self.runs(inlines, Fmt::default(), inner)
                                );
                            }
                            other => self.block(other, inner, None, out),
                        }
                    }
                }
            }
            Block::Quote { blocks } => {
                let inner = Ctx {
                    style: if ctx.in_note { ctx.style } else { "Quote" },
                    ..ctx
                };
                for b in blocks {
                    self.block(b, inner, None, out);
                }
            }
            Block::Code { text, .. } => {
                out.push_str(&para("Code", &list_ppr(ctx), text.trim_end(), ""));
            }
            Block::Table {
                align,
                header,
                rows,
                ..
            } => self.table(align, header, rows, ctx, out),
            Block::Image {
                path,
                width_px,
                height_px,
                caption,
                ..
            } => {
                let alt = plain_text(caption);
                match self.image(path, *width_px, *height_px, &alt) {
                    Some(drawing) => {
                        let _ = write!(
                            out,
                            r#"<w:p><w:pPr><w:pStyle w:val="Figure"/></w:pPr><w:r>{drawing}</w:r></w:p>"#
                        );
                    }
                    None => out.push_str(&para("Figure", "", &format!("[{alt}]"), "")),
                }
                if !caption.is_empty() {
                    let _ = write!(
                        out,
                        r#"<w:p><w:pPr><w:pStyle w:val="Caption"/></w:pPr>{}</w:p>"#,
                        self.runs(caption, Fmt::default(), ctx)
                    );
                }
            }
            Block::Rule => out.push_str(
                r#"<w:p><w:pPr><w:pStyle w:val="TableText"/><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr></w:pPr></w:p>"#,
            ),
        }
    }

    fn table(
        &mut self,
        align: &[&str],
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        ctx: Ctx,
        out: &mut String,
    ) {
        let cols = header
            .len()
            .max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if cols == 0 {
            return;
        }
        let col = self.text_width / cols as u64;
        let border = r#"w:val="single" w:sz="4" w:space="0" w:color="auto""#;
        let _ = write!(
            out,
            r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:jc w:val="center"/><w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/><w:insideH {border}/><w:insideV {border}/></w:tblBorders><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>"#
        );
        for _ in 0..cols {
            let _ = write!(out, r#"<w:gridCol w:w="{col}"/>"#);
        }
        out.push_str("</w:tblGrid>");
        let jc = |i: usize| match align.get(i).copied() {
            Some(a @ ("left" | "center" | "right")) => format!(r#"<w:jc w:val="{a}"/>"#),
            _ => String::new(),
        };
        let inner = Ctx {
            style: "TableText",
            list: None,
            ..ctx
        };
        let all = std::iter::once((true, header)).chain(rows.iter().map(|r| (false, r.as_slice())));
        for (head, row) in all {
            out.push_str("<w:tr>");
            if head {
                out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
            }
            for i in 0..cols {
                let shade = if head {
                    r#"<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>"#
                } else {
                    ""
                };
                // The header row is bold through its paragraph style, not its runs (so a
                // re-import does not take it for emphasis).
                let cell = row
                    .get(i)
                    .map(|c| self.runs(c, Fmt::default(), inner))
                    .unwrap_or_default();
                let style = if head { "TableHeader" } else { "TableText" };
                let _ = write!(
                    out,
                    r#"<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/>{shade}</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/>{}</w:pPr>{cell}</w:p></w:tc>"#,
                    jc(i)
                );
            }
            out.push_str("</w:tr>");
        }
        out.push_str("</w:tbl>");
        // Word needs a paragraph between a table and what follows it.
        out.push_str(r#"<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p>"#);
    }

    /// An inline picture for the image at `path`, fitted to the text width; None when it
    /// cannot be placed in Word (an SVG, an unreadable file).
    fn image(&mut self, path: &str, width_px: u32, height_px: u32, alt: &str) -> Option<String> {
        let rid = match self.media_by_path.get(path) {
            Some(rid) => rid.clone(),
            None => {
                let (mime, bytes) = (self.images)(path)?;
                let (ext, bytes) = match mime {
                    "image/png" => ("png", bytes),
                    "image/jpeg" => ("jpeg", bytes),
                    "image/gif" => ("gif", bytes),
                    // WebP: Word's older versions cannot show it; PNG everywhere can.
                    "image/webp" => ("png", to_png(&bytes)?),
                    _ => return None,
                };
                let n = self.media.len() + 1;
                let rid = format!("rIdImg{n}");
                let _ = write!(
                    self.rels,
                    r#"<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image{n}.{ext}"/>"#
                );
                self.media
                    .push((format!("word/media/image{n}.{ext}"), bytes));
                self.media_by_path.insert(path.to_string(), rid.clone());
                rid
            }
        };
        if width_px == 0 || height_px == 0 {
            return None;
        }
        // 96 px per inch; no wider than the text block.
        let max = self.text_width * EMU_TWIP;
        let mut cx = u64::from(width_px) * 9525;
        let mut cy = u64::from(height_px) * 9525;
        if cx > max {
            cy = cy * max / cx;
            cx = max;
        }
        self.drawing_id += 1;
        let id = self.drawing_id;
        let alt = escape(alt);
        Some(format!(
            r#"<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{id}" name="图片 {id}" descr="{alt}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{id}" name="图片 {id}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>"#
        ))
    }

    /// Runs for some inlines.
    fn runs(&mut self, inlines: &[Inline], fmt: Fmt, ctx: Ctx) -> String {
        let mut out = String::new();
        for i in inlines {
            match i {
                Inline::Text { v } => out.push_str(&run(v, &fmt.rpr())),
                Inline::Strong { c } => out.push_str(&self.runs(c, Fmt { bold: true, ..fmt }, ctx)),
                Inline::Emph { c } => out.push_str(&self.runs(
                    c,
                    Fmt {
                        italic: true,
                        ..fmt
                    },
                    ctx,
                )),
                Inline::Strike { c } => out.push_str(&self.runs(
                    c,
                    Fmt {
                        strike: true,
                        ..fmt
                    },
                    ctx,
                )),
                Inline::Code { v } => out.push_str(&run(
                    v,
                    &format!(
                        r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>{}"#,
                        fmt.rpr()
                    ),
                )),
                Inline::Link { url, c } if safe_url(url) => {
                    self.rel_id += 1;
                    let rid = format!("rIdLink{}", self.rel_id);
                    let _ = write!(
                        self.rels,
                        r#"<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="{}" TargetMode="External"/>"#,
                        escape(url.trim())
                    );
                    let _ = write!(
                        out,
                        r#"<w:hyperlink r:id="{rid}">{}</w:hyperlink>"#,
                        self.runs(c, Fmt { link: true, ..fmt }, ctx)
                    );
                }
                Inline::Link { c, .. } => out.push_str(&self.runs(c, fmt, ctx)),
                Inline::Footnote { c } if ctx.in_note => {
                    // Word has no notes inside notes: the inner note's text in parentheses.
                    let text: Vec<String> = c
                        .iter()
                        .filter_map(|b| match b {
                            Block::Paragraph { inlines, .. } => Some(plain_text(inlines)),
                            _ => None,
                        })
                        .collect();
                    out.push_str(&run(&format!("（{}）", text.join(" ")), &fmt.rpr()));
                }
                Inline::Footnote { c } => {
                    self.note_id += 1;
                    let id = self.note_id;
                    let note_ctx = Ctx {
                        style: "FootnoteText",
                        list: None,
                        heading_base: ctx.heading_base,
                        in_note: true,
                    };
                    let mut note = String::new();
                    for b in c {
                        self.block(b, note_ctx, None, &mut note);
                    }
                    let mark = r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>"#;
                    let note = match note.find("</w:pPr>") {
                        Some(at) if note.starts_with("<w:p>") => {
                            let at = at + "</w:pPr>".len();
                            format!("{}{mark}{}", &note[..at], &note[at..])
                        }
                        _ => format!(
                            r#"<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{mark}</w:p>{note}"#
                        ),
                    };
                    let _ = write!(self.notes, r#"<w:footnote w:id="{id}">{note}</w:footnote>"#);
                    let _ = write!(
                        out,
                        r#"<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{id}"/></w:r>"#
                    );
                }
                Inline::Linebreak => out.push_str("<w:r><w:br/></w:r>"),
            }
        }
        out
    }
}

fn to_png(bytes: &[u8]) -> Option<Vec<u8>> {
    let img = image::load_from_memory(bytes).ok()?;
    let mut png = Vec::new();
    img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(png)
}
