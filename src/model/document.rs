//! The JSON model handed to the layout: the only thing `layout/` sees.
//!
//! Every string an editor wrote reaches Typst as a string value inside this document, never as
//! markup, so `#`, `$`, `<`, `[`… print as themselves and no article can run code.

use serde::Serialize;

use super::date::Date;
use super::manifest::{Issue, IssueKind};
use super::profile::Profile;
use super::publication::{Colophon, Paper, Publication};

/// Bump when the shape below changes in a way a layout must know about.
pub const DOCUMENT_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub version: u32,
    pub generator: String,
    pub publication: PublicationData,
    pub colophon: Colophon,
    pub issue: IssueData,
    pub sections: Vec<SectionData>,
    pub output: OutputData,
}

/// How this typesetting is meant to come out: the profile and what it needs of the layout.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputData {
    /// "screen", "print", "archive" or "phone".
    pub profile: Profile,
    /// The phone profile's page width, mm (none otherwise: the paper's).
    pub page_width_mm: Option<f64>,
    /// Bleed around the trim, mm (0 on screen).
    pub bleed_mm: f64,
    /// Room outside the bleed for crop marks and the slug line, mm (0 on screen).
    pub slug_mm: f64,
    /// Spot ink for the red, when the publication names one (print only).
    pub spot: Option<String>,
    /// The page count must be a multiple of this (the binding's `[print] pad_to`: 1, 2 or 4;
    /// 1 on screen): the layout adds the blank pages itself, in one typesetting.
    pub pad_to: u32,
}

impl OutputData {
    pub fn screen() -> Self {
        OutputData {
            profile: Profile::Screen,
            page_width_mm: None,
            bleed_mm: 0.0,
            slug_mm: 0.0,
            spot: None,
            pad_to: 1,
        }
    }
}

impl Document {
    /// The document of an issue: the publication's and the issue's data and the sections,
    /// set for the screen profile.
    pub fn new(publication: &Publication, issue: &Issue, sections: Vec<SectionData>) -> Document {
        Document {
            version: DOCUMENT_VERSION,
            generator: format!("kanwu {}", env!("CARGO_PKG_VERSION")),
            publication: PublicationData {
                name: publication.name.clone(),
                publisher: publication.publisher.clone(),
                marking: publication.marking.clone(),
                classification: publication.classification.clone(),
                permit: publication.permit.clone(),
                printer: publication.printer.clone(),
                paper: publication.paper.clone(),
            },
            colophon: publication.colophon.clone(),
            issue: IssueData {
                year: issue.year,
                number: issue.number,
                kind: issue.kind,
                serial: issue.serial,
                date: issue.date,
                copies: issue.copies,
            },
            sections,
            output: OutputData::screen(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicationData {
    pub name: String,
    pub publisher: String,
    pub marking: Option<String>,
    /// 密级.
    pub classification: Option<String>,
    /// 准印证号.
    pub permit: Option<String>,
    /// 印刷单位.
    pub printer: Option<String>,
    pub paper: Paper,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueData {
    pub year: i32,
    pub number: u32,
    /// A regular issue, or a supplement (增刊) numbered apart.
    pub kind: IssueKind,
    pub serial: Option<u32>,
    pub date: Date,
    pub copies: Option<u32>,
}

impl IssueData {
    /// 2021年第1期（总第25期）, or 2021年增刊第1期.
    pub fn label(&self) -> String {
        self.kind.label(self.year, self.number, self.serial)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionData {
    pub kind: String,
    pub title: String,
    pub articles: Vec<ArticleData>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleData {
    /// The file as named in the manifest (for messages and the catalogue).
    pub file: String,
    pub title: Option<String>,
    /// Where a long title may break: char offsets of its word boundaries (see `title.rs`);
    /// none for a title short enough to stand on one line, or no title.
    pub title_breaks: Option<Vec<usize>>,
    pub subtitle: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub blocks: Vec<Block>,
}

/// A block of an article. `line` is the 1-based line in the article file it starts on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    Paragraph {
        line: usize,
        inlines: Vec<Inline>,
    },
    Heading {
        line: usize,
        /// 2–5: `##` … `#####`.
        level: u8,
        /// The text already begins with its own number (一、 （一） 1. （1）), so the layout
        /// must not add one.
        numbered: bool,
        inlines: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    Code {
        line: usize,
        text: String,
    },
    Table {
        line: usize,
        /// Per column: "left", "center", "right" or "auto".
        align: Vec<&'static str>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
    Image {
        line: usize,
        /// Path inside the Typst sandbox (`/issue/images/x.png`).
        path: String,
        width_px: u32,
        height_px: u32,
        caption: Vec<Inline>,
    },
    Rule,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "kebab-case")]
pub enum Inline {
    Text { v: String },
    Strong { c: Vec<Inline> },
    Emph { c: Vec<Inline> },
    Strike { c: Vec<Inline> },
    Code { v: String },
    Link { url: String, c: Vec<Inline> },
    Footnote { c: Vec<Block> },
    Linebreak,
}

impl Inline {
    pub fn text(v: impl Into<String>) -> Self {
        Inline::Text { v: v.into() }
    }
}

/// The plain text of some inlines (for titles in messages, stats and tests).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { v } | Inline::Code { v } => out.push_str(v),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Link { c, .. } => out.push_str(&plain_text(c)),
            Inline::Footnote { .. } => {}
            Inline::Linebreak => out.push('\n'),
        }
    }
    out
}
