//! The fixed parts of the Word edition: content types, relationships, settings, the styles
//! (with the font roles named as an office expects them: 宋体, 黑体, 楷体, 仿宋), the cover
//! block and the 版记, and the helpers that write a run and a paragraph.

/// The layout's font roles (layout/express/theme.typ) as an office names them, so a Word user
/// without the Noto fonts sees their own: body `serif` → 宋体, headings `sans` → 黑体, the
/// editor's note, quotes, captions and emphasis `kai` → 楷体, the 版记 and byline 仿宋.
pub const SONG: &str = "宋体";
pub const HEI: &str = "黑体";
pub const KAI: &str = "楷体";
pub const FANGSONG: &str = "仿宋";
const LATIN: &str = "Times New Roman";

pub const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture""#;

use std::fmt::Write as _;

use super::{colophon_rows, date_cn, escape, issue_line};
use crate::model::document::Document;

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

pub fn content_types() -> String {
    format!(
        r#"{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Default Extension="gif" ContentType="image/gif"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#
    )
}

pub fn package_rels() -> String {
    format!(
        r#"{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#
    )
}

/// Title and author (escaped by the caller); no timestamps, so the bytes stay the same.
pub fn core(title: &str, creator: &str) -> String {
    format!(
        r#"{XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator><dc:language>zh-CN</dc:language></cp:coreProperties>"#
    )
}

/// The document's relationships: styles, settings, numbering, footnotes, then `extra`
/// (images and links, already written as `<Relationship …/>`).
pub fn document_rels(extra: &str) -> String {
    let t = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    format!(
        r#"{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="{t}/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="{t}/settings" Target="settings.xml"/><Relationship Id="rIdNumbering" Type="{t}/numbering" Target="numbering.xml"/><Relationship Id="rIdFootnotes" Type="{t}/footnotes" Target="footnotes.xml"/>{extra}</Relationships>"#
    )
}

pub fn settings() -> String {
    format!(
        r#"{XML}<w:settings {NS}><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

/// The footnotes part: Word's two separators, then `notes` (each a `<w:footnote>`).
pub fn footnotes(notes: &str) -> String {
    format!(
        r#"{XML}<w:footnotes {NS}><w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>{notes}</w:footnotes>"#
    )
}

/// Lists: abstract 0 bullets, 1 decimal numbers, nine levels each; `nums` the `<w:num>`s.
pub fn numbering(nums: &str) -> String {
    let mut abs = String::new();
    for (id, fmt) in [(0, "bullet"), (1, "decimal")] {
        abs.push_str(&format!(
            r#"<w:abstractNum w:abstractNumId="{id}"><w:multiLevelType w:val="hybridMultilevel"/>"#
        ));
        for l in 0..9 {
            let (text, font) = if fmt == "bullet" {
                (
                    ["•", "◦", "▪"][l % 3].to_string(),
                    r#"<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr>"#,
                )
            } else {
                (format!("%{}.", l + 1), "")
            };
            abs.push_str(&format!(
                r#"<w:lvl w:ilvl="{l}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{}" w:hanging="420"/></w:pPr>{font}</w:lvl>"#,
                840 + 420 * l
            ));
        }
        abs.push_str("</w:abstractNum>");
    }
    format!(r#"{XML}<w:numbering {NS}>{abs}{nums}</w:numbering>"#)
}

fn fonts(east: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:eastAsia="{east}" w:cs="{LATIN}" w:hint="eastAsia"/>"#
    )
}

/// A paragraph style. `ppr`/`rpr` are the inner properties.
fn pstyle(id: &str, name: &str, based: &str, ppr: &str, rpr: &str) -> String {
    let based = if based.is_empty() {
        String::new()
    } else {
        format!(r#"<w:basedOn w:val="{based}"/>"#)
    };
    format!(
        r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>{based}<w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
    )
}

/// Sizes in half-points: 小四 24, 四号 28, 三号 32, 小二 36, 小初 72, 五号 21, 小五 18.
pub fn styles() -> String {
    let mut s = format!(
        r#"{XML}<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>{}<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="360" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts(SONG)
    );
    // Body text: 宋体 小四, first line indented two characters.
    s.push_str(&pstyle(
        "Normal",
        "Normal",
        "",
        r#"<w:ind w:firstLineChars="200" w:firstLine="480"/>"#,
        "",
    ));
    let no_indent = r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#;
    let centre = format!(r#"{no_indent}<w:jc w:val="center"/>"#);
    let heading = |level: u8, size: u32, jc: &str| {
        pstyle(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            "Normal",
            &format!(
                r#"<w:keepNext/><w:spacing w:before="{}" w:after="120"/>{no_indent}{jc}<w:outlineLvl w:val="{}"/>"#,
                if level <= 2 { 360 } else { 120 },
                level - 1
            ),
            &format!(
                r#"{}<w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#,
                fonts(HEI)
            ),
        )
    };
    s.push_str(&pstyle(
        "Title",
        "Title",
        "Normal",
        &format!(r#"<w:keepNext/><w:spacing w:before="360" w:after="120"/>{centre}<w:outlineLvl w:val="0"/>"#),
        &format!(r#"{}<w:b/><w:bCs/><w:sz w:val="36"/><w:szCs w:val="36"/>"#, fonts(HEI)),
    ));
    s.push_str(&heading(1, 32, ""));
    s.push_str(&heading(2, 36, r#"<w:jc w:val="center"/>"#));
    for (level, size) in [(3, 28), (4, 24), (5, 24), (6, 24)] {
        s.push_str(&heading(level, size, ""));
    }
    s.push_str(&pstyle(
        "Subtitle",
        "Subtitle",
        "Normal",
        &centre,
        &format!(r#"{}<w:sz w:val="28"/>"#, fonts(KAI)),
    ));
    s.push_str(&pstyle(
        "Byline",
        "Byline",
        "Normal",
        &format!(r#"<w:spacing w:after="120"/>{centre}"#),
        &format!(
            r#"{}<w:color w:val="5A5A5A"/><w:sz w:val="21"/>"#,
            fonts(FANGSONG)
        ),
    ));
    s.push_str(&pstyle(
        "EditorsNote",
        "Editor's Note",
        "Normal",
        "",
        &fonts(KAI),
    ));
    s.push_str(&pstyle(
        "Quote",
        "Quote",
        "Normal",
        r#"<w:ind w:left="840" w:right="840"/>"#,
        &fonts(KAI),
    ));
    s.push_str(&pstyle(
        "ListParagraph",
        "List Paragraph",
        "Normal",
        r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#,
        "",
    ));
    s.push_str(&pstyle(
        "Code",
        "Code",
        "Normal",
        &format!(r#"{no_indent}<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:spacing w:line="240" w:lineRule="auto"/>"#),
        r#"<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:eastAsia="黑体"/><w:sz w:val="21"/>"#,
    ));
    s.push_str(&pstyle(
        "TableText",
        "Table Text",
        "Normal",
        no_indent,
        r#"<w:sz w:val="21"/>"#,
    ));
    s.push_str(&pstyle(
        "TableHeader",
        "Table Header",
        "TableText",
        &centre,
        &format!(r#"{}<w:b/><w:bCs/>"#, fonts(HEI)),
    ));
    s.push_str(&pstyle(
        "Caption",
        "caption",
        "Normal",
        &format!(r#"<w:spacing w:after="120"/>{centre}"#),
        &format!(r#"{}<w:sz w:val="21"/>"#, fonts(KAI)),
    ));
    s.push_str(&pstyle("Figure", "Figure", "Normal", &centre, ""));
    s.push_str(&pstyle(
        "FootnoteText",
        "footnote text",
        "Normal",
        &format!(r#"{no_indent}<w:spacing w:line="240" w:lineRule="auto"/>"#),
        r#"<w:sz w:val="18"/><w:szCs w:val="18"/>"#,
    ));
    s.push_str(&pstyle(
        "Masthead",
        "Masthead",
        "Normal",
        &format!(r#"<w:spacing w:before="240" w:after="240"/>{centre}"#),
        &format!(r#"{}<w:b/><w:color w:val="D7000F"/><w:spacing w:val="20"/><w:sz w:val="72"/><w:szCs w:val="72"/>"#, fonts(SONG)),
    ));
    s.push_str(&pstyle(
        "Cover",
        "Cover Line",
        "Normal",
        &centre,
        &format!(r#"{}<w:sz w:val="32"/>"#, fonts(FANGSONG)),
    ));
    s.push_str(&pstyle(
        "Colophon",
        "Colophon",
        "Normal",
        r#"<w:ind w:left="840" w:hanging="840" w:firstLineChars="0"/>"#,
        &format!(r#"{}<w:sz w:val="24"/>"#, fonts(FANGSONG)),
    ));
    s.push_str(r#"<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>"#);
    s.push_str(r#"<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>"#);
    s.push_str("</w:styles>");
    s
}

/// One run of plain text with run properties `rpr` (escaped here; line feeds become breaks).
pub fn run(text: &str, rpr: &str) -> String {
    let rpr = if rpr.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{rpr}</w:rPr>")
    };
    let mut out = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            let _ = write!(out, "<w:r>{rpr}<w:br/></w:r>");
        }
        if !line.is_empty() {
            let _ = write!(
                out,
                r#"<w:r>{rpr}<w:t xml:space="preserve">{}</w:t></w:r>"#,
                escape(line)
            );
        }
    }
    out
}

/// A paragraph of one plain run.
pub fn para(style: &str, ppr: &str, text: &str, rpr: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{}</w:p>"#,
        run(text, rpr)
    )
}

/// The cover block: 内部资料, 刊名, 期号, 编印单位 and date over a red rule, 本期目录.
pub fn cover(doc: &Document, text_width: u64) -> String {
    let p = &doc.publication;
    let mut b = String::new();
    if let Some(m) = &p.marking {
        b.push_str(&para(
            "Cover",
            r#"<w:jc w:val="left"/>"#,
            m,
            r#"<w:rFonts w:eastAsia="黑体"/><w:sz w:val="28"/>"#,
        ));
    }
    b.push_str(&para("Masthead", "", &p.name, ""));
    b.push_str(&para("Cover", "", &issue_line(&doc.issue), ""));
    let tab = text_width;
    let _ = write!(
        b,
        r#"<w:p><w:pPr><w:pStyle w:val="Cover"/><w:pBdr><w:bottom w:val="single" w:sz="18" w:space="4" w:color="D7000F"/></w:pBdr><w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs><w:spacing w:before="120" w:after="360"/><w:jc w:val="left"/></w:pPr>{}<w:r><w:tab/></w:r>{}</w:p>"#,
        run(&p.publisher, ""),
        run(&date_cn(&doc.issue), "")
    );
    b.push_str(&para(
        "Cover",
        r#"<w:spacing w:after="120"/>"#,
        "本期目录",
        r#"<w:rFonts w:eastAsia="黑体"/><w:b/>"#,
    ));
    let entry = r#"<w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>"#;
    for s in &doc.sections {
        let _ = write!(
            b,
            r#"<w:p><w:pPr><w:pStyle w:val="TableText"/>{entry}</w:pPr>{}{}</w:p>"#,
            run("●", r#"<w:color w:val="D7000F"/>"#),
            run(
                &format!(" {}", s.title),
                r#"<w:rFonts w:eastAsia="黑体"/><w:b/>"#
            )
        );
        for t in s.articles.iter().filter_map(|a| a.title.as_ref()) {
            b.push_str(&para(
                "TableText",
                r#"<w:ind w:left="480" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>"#,
                t,
                "",
            ));
        }
    }
    b
}

/// The 版记: rules above and below, as the layout sets it.
pub fn colophon(doc: &Document, text_width: u64) -> String {
    let (rows, (publisher, issued)) = colophon_rows(doc);
    let rule = |side: &str| {
        format!(
            r#"<w:pBdr><w:{side} w:val="single" w:sz="8" w:space="4" w:color="auto"/></w:pBdr>"#
        )
    };
    let mut b = String::new();
    for (i, r) in rows.iter().enumerate() {
        let ppr = if i == 0 {
            format!(r#"<w:spacing w:before="720"/>{}"#, rule("top"))
        } else {
            String::new()
        };
        b.push_str(&para("Colophon", &ppr, r, ""));
    }
    let tab = text_width;
    let _ = write!(
        b,
        r#"<w:p><w:pPr><w:pStyle w:val="Colophon"/>{}<w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs><w:ind w:left="0" w:hanging="0" w:firstLineChars="0"/></w:pPr>{}<w:r><w:tab/></w:r>{}</w:p>"#,
        rule("bottom"),
        run(&publisher, ""),
        run(&issued, "")
    );
    b
}
