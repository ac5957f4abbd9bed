//! `kanwu stats`: per article 汉字, characters, paragraphs, images and the page it starts on.

use serde::Serialize;

use crate::model::LoadedIssue;
use crate::model::document::{Block, Inline, plain_text};
use crate::model::text::is_hanzi;
use crate::print::placed;
use crate::typeset::layout;

/// Counts of some text: body text only (titles, sources and footnotes are not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// 汉字: CJK unified ideographs (punctuation, digits and Latin letters excluded).
    pub hanzi: usize,
    /// Every character that is not white space (汉字, punctuation, digits, letters).
    pub chars: usize,
    pub paragraphs: usize,
    pub headings: usize,
    pub images: usize,
}

impl Counts {
    fn add(&mut self, o: &Counts) {
        self.hanzi += o.hanzi;
        self.chars += o.chars;
        self.paragraphs += o.paragraphs;
        self.headings += o.headings;
        self.images += o.images;
    }

    fn text(&mut self, s: &str) {
        for c in s.chars().filter(|c| !c.is_whitespace()) {
            self.chars += 1;
            if is_hanzi(c) {
                self.hanzi += 1;
            }
        }
    }

    fn inlines(&mut self, i: &[Inline]) {
        self.text(&plain_text(i));
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Paragraph { inlines, .. } => {
                    self.paragraphs += 1;
                    self.inlines(inlines);
                }
                Block::Heading { inlines, .. } => {
                    self.headings += 1;
                    self.inlines(inlines);
                }
                Block::List { items, .. } => items.iter().for_each(|i| self.blocks(i)),
                Block::Quote { blocks } => self.blocks(blocks),
                Block::Code { text, .. } => {
                    self.paragraphs += 1;
                    self.text(text);
                }
                Block::Table { header, rows, .. } => {
                    header.iter().for_each(|c| self.inlines(c));
                    rows.iter().flatten().for_each(|c| self.inlines(c));
                }
                Block::Image { caption, .. } => {
                    self.images += 1;
                    self.inlines(caption);
                }
                Block::Rule => {}
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleStats {
    pub file: String,
    pub title: Option<String>,
    /// The page the article starts on (1-based), from the typeset issue.
    pub page: Option<usize>,
    /// How many pages its body stands on (from its first page to its last, as the frames
    /// place it: an article whose successor starts at the top of a page ends the page before).
    pub pages: Option<usize>,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionStats {
    pub kind: String,
    pub title: String,
    pub page: Option<usize>,
    pub articles: Vec<ArticleStats>,
    pub total: Counts,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueStats {
    pub issue: String,
    pub pages: usize,
    pub sections: Vec<SectionStats>,
    pub total: Counts,
}

/// Counts an issue; pages come from `doc`, the issue typeset.
pub fn stats(loaded: &LoadedIssue, doc: &typst_layout::PagedDocument) -> IssueStats {
    let mut total = Counts::default();
    let mut sections = Vec::new();
    let spans = placed::article_page_spans(doc, &loaded.document, layout::text_block(doc));
    let mut index = 0;
    for (si, s) in loaded.document.sections.iter().enumerate() {
        let section_page = layout::label_page(doc, &layout::section_label(si));
        let mut st = Counts::default();
        let mut articles = Vec::new();
        for (ai, a) in s.articles.iter().enumerate() {
            let mut c = Counts::default();
            c.blocks(&a.blocks);
            st.add(&c);
            let page = match a.title {
                Some(_) => layout::label_page(doc, &layout::article_label(si, ai)),
                None => section_page,
            };
            articles.push(ArticleStats {
                file: a.file.clone(),
                title: a.title.clone(),
                page,
                pages: spans[index].map(|(first, last)| last - first + 1),
                counts: c,
            });
            index += 1;
        }
        total.add(&st);
        sections.push(SectionStats {
            kind: s.kind.clone(),
            title: s.title.clone(),
            page: section_page,
            articles,
            total: st,
        });
    }
    IssueStats {
        issue: loaded.issue.name.clone(),
        pages: doc.pages().len(),
        sections,
        total,
    }
}

impl IssueStats {
    /// A table for people: one line per article, a subtotal per section, the issue's total.
    pub fn table(&self) -> String {
        // Right-aligned by terminal columns (a 汉字 takes two).
        let r = |id: &str, w: usize| {
            let s = crate::i18n::tr(id, &[]);
            let fill = w.saturating_sub(unicode_width::UnicodeWidthStr::width(s.as_str()));
            format!("{}{s}", " ".repeat(fill))
        };
        let mut out = format!(
            "{}  {} {} {} {} {}  {}\n",
            r("stats-col-page", 4),
            r("stats-col-hanzi", 7),
            r("stats-col-chars", 7),
            r("stats-col-paras", 5),
            r("stats-col-headings", 4),
            r("stats-col-images", 4),
            msg!("stats-col-article")
        );
        let line = |out: &mut String, page: Option<usize>, c: &Counts, what: &str| {
            out.push_str(&format!(
                "{:>4}  {:>7} {:>7} {:>5} {:>4} {:>4}  {}\n",
                page.map(|p| p.to_string()).unwrap_or_else(|| "-".into()),
                c.hanzi,
                c.chars,
                c.paragraphs,
                c.headings,
                c.images,
                what
            ));
        };
        for s in &self.sections {
            out.push_str(&format!("● {}\n", s.title));
            for a in &s.articles {
                let name = match &a.title {
                    Some(t) => format!("{} ({})", t, a.file),
                    None => a.file.clone(),
                };
                line(&mut out, a.page, &a.counts, &name);
            }
            if s.articles.len() > 1 {
                line(
                    &mut out,
                    s.page,
                    &s.total,
                    &msg!("stats-section-total", section = s.title),
                );
            }
        }
        line(
            &mut out,
            None,
            &self.total,
            &msg!("stats-issue-total", issue = self.issue, pages = self.pages),
        );
        out.push_str(&format!("{}\n", msg!("stats-footnote")));
        out
    }
}
