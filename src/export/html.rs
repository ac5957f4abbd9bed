//! The web edition: one self-contained HTML page per issue (styles inline, images as `data:`
//! URIs, no external requests), readable on a phone and printable from the browser.
//!
//! The page is written as well-formed XHTML-compatible HTML (every element closed, void
//! elements self-closed, no named entities) so an XML parser reads it as well as a browser.
//! Every string from the model goes through [`escape`]; nothing an editor wrote is markup.

use std::fmt::Write;

use super::{
    HeadingNumbers, Images, base64, byline, colophon_rows, date_cn, escape, issue_line, safe_url,
};
use crate::model::document::{ArticleData, Block, Document, Inline, plain_text};

const CSS: &str = r#"
:root { --red: #d7000f; --muted: #5a5a5a; --rule: #222; --shade: #f2f2f2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 46em; padding: 1.2em 1.2em 3em; color: #111; background: #fff;
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "宋体", serif;
  font-size: 17px; line-height: 1.8; }
.sans, h2, h3, h4, h5, h6, th, .contents-title { font-family: "Noto Sans CJK SC", "Source Han Sans SC",
  "PingFang SC", "Microsoft YaHei", "黑体", sans-serif; }
.kai, em, blockquote, figcaption, .byline, .subtitle, .editors-note .body { font-family: "LXGW WenKai",
  "Kaiti SC", "STKaiti", "KaiTi", "楷体", serif; font-style: normal; }
code, pre { font-family: "Noto Sans Mono CJK SC", "Sarasa Mono SC", monospace; font-size: 0.92em; }
.masthead { text-align: center; border-bottom: 3px solid var(--red); padding-bottom: 0.6em; margin-bottom: 1.2em; }
.masthead p { text-indent: 0; text-align: center; margin: 0; }
.masthead .marking { text-align: left; }
.masthead h1 { color: var(--red); font-size: 2.4em; letter-spacing: 0.08em; margin: 0.3em 0 0.2em; line-height: 1.3; }
.masthead .pub-line { display: flex; justify-content: space-between; flex-wrap: wrap; gap: 0 1em; margin: 0.4em 0 0; }
nav.contents { margin: 0 0 2em; }
.contents-title { text-align: center; font-size: 1.15em; font-weight: bold; margin: 0 0 0.4em; }
nav ol { list-style: none; margin: 0; padding: 0; }
nav ol ol { padding-left: 2em; }
nav a { color: inherit; text-decoration: none; }
nav a:hover, nav a:focus { text-decoration: underline; }
nav .section-entry { font-weight: bold; }
.dot { color: var(--red); margin-right: 0.3em; }
h2.section-title { font-size: 1.2em; margin: 2em 0 0.8em; }
h3.article-title { text-align: center; font-size: 1.35em; line-height: 1.5; margin: 1.2em 0 0.4em; }
.subtitle, .byline { text-align: center; margin: 0 0 0.4em; text-indent: 0; }
.byline { color: var(--muted); font-size: 0.9em; }
h4, h5, h6 { font-size: 1em; margin: 0.8em 0 0.2em; }
h4 { font-size: 1.05em; }
p { margin: 0 0 0.2em; text-indent: 2em; text-align: justify; }
li p, td p, blockquote p, figcaption, .footnotes p { text-indent: 0; }
ul, ol { margin: 0.2em 0 0.4em; padding-left: 2em; }
blockquote { margin: 0.4em 2em; }
pre { background: var(--shade); padding: 0.6em 0.8em; overflow-x: auto; white-space: pre-wrap; line-height: 1.5; }
.table-wrap { overflow-x: auto; margin: 0.6em 0; }
table { border-collapse: collapse; margin: 0 auto; font-size: 0.9em; line-height: 1.5; }
th, td { border: 1px solid var(--rule); padding: 0.25em 0.6em; }
th { background: var(--shade); }
figure { margin: 0.8em 0; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; }
hr { border: 0; border-top: 1px solid var(--rule); margin: 1em 0; }
a { color: #0645ad; }
sup a { text-decoration: none; }
.footnotes { border-top: 1px solid #999; margin-top: 1em; padding-top: 0.3em; font-size: 0.85em; line-height: 1.6; }
.footnotes ol { padding-left: 1.6em; }
.footnotes .back { margin-left: 0.3em; }
article { margin-bottom: 1.6em; }
footer.colophon { margin-top: 3em; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); padding: 0.4em 0; font-size: 0.9em; line-height: 1.7; }
footer.colophon p { text-indent: 0; margin: 0; padding-left: 3em; text-indent: -3em; }
footer.colophon .last { display: flex; justify-content: space-between; flex-wrap: wrap; padding-left: 0; text-indent: 0; }
@media (max-width: 600px) {
  body { font-size: 16px; padding: 0.8em 1em 2em; }
  .masthead h1 { font-size: 1.8em; letter-spacing: 0.02em; }
  blockquote { margin: 0.4em 1em; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 12pt; }
  a { color: inherit; text-decoration: none; }
  .footnotes .back { display: none; }
  h2, h3, h4, h5, h6 { break-after: avoid; }
  section.section { break-before: page; }
  nav.contents + main section.section:first-child { break-before: auto; }
}
"#;

/// The page of an issue (or of its one article, `single`). `images` gives each image's bytes.
pub fn render(doc: &Document, images: &Images, single: bool) -> String {
    let mut w = Html {
        out: String::with_capacity(64 * 1024),
        images,
    };
    let title = match (
        single,
        doc.sections.first().and_then(|s| s.articles.first()),
    ) {
        (true, Some(a)) => a
            .title
            .clone()
            .unwrap_or_else(|| doc.sections[0].title.clone()),
        _ => format!("{} {}", doc.publication.name, issue_line(&doc.issue)),
    };
    w.out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    w.out
        .push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    let _ = writeln!(
        w.out,
        "<meta name=\"generator\" content=\"{}\"/>\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>",
        escape(&doc.generator),
        escape(&title)
    );
    w.masthead(doc);
    if !single {
        w.contents(doc);
    }
    w.out.push_str("<main>\n");
    for (si, s) in doc.sections.iter().enumerate() {
        let _ = writeln!(
            w.out,
            "<section class=\"section {}\" id=\"s{}\">\n<h2 class=\"section-title\"><span class=\"dot\">●</span>{}</h2>",
            if s.kind == "editors-note" {
                "editors-note"
            } else {
                ""
            },
            si + 1,
            escape(&s.title)
        );
        for (ai, a) in s.articles.iter().enumerate() {
            w.article(a, si + 1, ai + 1);
        }
        w.out.push_str("</section>\n");
    }
    w.out.push_str("</main>\n");
    if !single {
        w.colophon(doc);
    }
    w.out.push_str("</body>\n</html>\n");
    w.out
}

struct Html<'a> {
    out: String,
    images: &'a Images<'a>,
}

/// An article's footnotes while it is written: their content, numbered in order of use.
struct Notes {
    id: String,
    list: Vec<Vec<Block>>,
}

impl Html<'_> {
    fn masthead(&mut self, doc: &Document) {
        let p = &doc.publication;
        self.out.push_str("<header class=\"masthead\">\n");
        if let Some(m) = &p.marking {
            let _ = writeln!(self.out, "<p class=\"marking\">{}</p>", escape(m));
        }
        let _ = writeln!(
            self.out,
            "<h1>{}</h1>\n<p class=\"issue-line\">{}</p>\n<p class=\"pub-line\"><span>{}</span><span>{}</span></p>\n</header>",
            escape(&p.name),
            escape(&issue_line(&doc.issue)),
            escape(&p.publisher),
            escape(&date_cn(&doc.issue))
        );
    }

    fn contents(&mut self, doc: &Document) {
        self.out.push_str("<nav class=\"contents\" aria-label=\"本期目录\">\n<p class=\"contents-title\">本期目录</p>\n<ol>\n");
        for (si, s) in doc.sections.iter().enumerate() {
            let _ = write!(
                self.out,
                "<li><a class=\"section-entry\" href=\"#s{}\"><span class=\"dot\">●</span>{}</a>",
                si + 1,
                escape(&s.title)
            );
            let titled: Vec<_> = s
                .articles
                .iter()
                .enumerate()
                .filter_map(|(ai, a)| a.title.as_ref().map(|t| (ai, t)))
                .collect();
            if !titled.is_empty() {
                self.out.push_str("\n<ol>\n");
                for (ai, t) in titled {
                    let _ = writeln!(
                        self.out,
                        "<li><a href=\"#s{}-a{}\">{}</a></li>",
                        si + 1,
                        ai + 1,
                        escape(t)
                    );
                }
                self.out.push_str("</ol>\n");
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ol>\n</nav>\n");
    }

    fn article(&mut self, a: &ArticleData, si: usize, ai: usize) {
        let id = format!("s{si}-a{ai}");
        let _ = writeln!(self.out, "<article id=\"{id}\">");
        if let Some(t) = &a.title {
            let _ = writeln!(self.out, "<h3 class=\"article-title\">{}</h3>", escape(t));
            if let Some(s) = &a.subtitle {
                let _ = writeln!(self.out, "<p class=\"subtitle\">——{}</p>", escape(s));
            }
        }
        if let Some(b) = byline(a) {
            let _ = writeln!(self.out, "<p class=\"byline\">{}</p>", escape(&b));
        }
        let mut notes = Notes {
            id,
            list: Vec::new(),
        };
        self.out.push_str("<div class=\"body\">\n");
        let mut numbers = HeadingNumbers::default();
        for b in &a.blocks {
            self.block(b, &mut notes, Some(&mut numbers));
        }
        self.out.push_str("</div>\n");
        if !notes.list.is_empty() {
            self.out
                .push_str("<section class=\"footnotes\" aria-label=\"注释\">\n<ol>\n");
            // A note may hold notes of its own: they join the list as it is written.
            let mut i = 0;
            while i < notes.list.len() {
                let blocks = notes.list[i].clone();
                let n = i + 1;
                let _ = write!(self.out, "<li id=\"{}-fn{n}\">", notes.id);
                for b in &blocks {
                    self.block(b, &mut notes, None);
                }
                let _ = writeln!(
                    self.out,
                    "<p><a class=\"back\" href=\"#{}-ref{n}\" aria-label=\"返回正文\">↩</a></p></li>",
                    notes.id
                );
                i += 1;
            }
            self.out.push_str("</ol>\n</section>\n");
        }
        self.out.push_str("</article>\n");
    }

    /// A block; `numbers` is given for an article's top-level blocks, whose headings the
    /// layout numbers (not those inside quotes, lists or notes).
    fn block(&mut self, b: &Block, notes: &mut Notes, numbers: Option<&mut HeadingNumbers>) {
        match b {
            Block::Paragraph { inlines, .. } => {
                self.out.push_str("<p>");
                self.inlines(inlines, notes);
                self.out.push_str("</p>\n");
            }
            Block::Heading {
                level,
                numbered,
                inlines,
                ..
            } => {
                let h = (level + 2).min(6);
                let _ = write!(self.out, "<h{h}>");
                if let Some(n) = numbers {
                    self.out.push_str(&escape(&n.next(*level, *numbered)));
                }
                self.inlines(inlines, notes);
                let _ = writeln!(self.out, "</h{h}>");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                match (ordered, start) {
                    (true, 1) => self.out.push_str("<ol>\n"),
                    (true, s) => {
                        let _ = writeln!(self.out, "<ol start=\"{s}\">");
                    }
                    (false, _) => self.out.push_str("<ul>\n"),
                }
                for item in items {
                    self.out.push_str("<li>");
                    for b in item {
                        self.block(b, notes, None);
                    }
                    self.out.push_str("</li>\n");
                }
                self.out
                    .push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Quote { blocks } => {
                self.out.push_str("<blockquote>\n");
                for b in blocks {
                    self.block(b, notes, None);
                }
                self.out.push_str("</blockquote>\n");
            }
            Block::Code { text, .. } => {
                let _ = writeln!(self.out, "<pre><code>{}</code></pre>", escape(text));
            }
            Block::Table {
                align,
                header,
                rows,
                ..
            } => self.table(align, header, rows, notes),
            Block::Image {
                path,
                width_px,
                height_px,
                caption,
                ..
            } => {
                self.out.push_str("<figure>");
                let alt = escape(&plain_text(caption));
                match (self.images)(path) {
                    Some((mime, bytes)) => {
                        let size = if *width_px > 0 && *height_px > 0 {
                            format!(" width=\"{width_px}\" height=\"{height_px}\"")
                        } else {
                            String::new()
                        };
                        let _ = write!(
                            self.out,
                            "<img src=\"data:{mime};base64,{}\" alt=\"{alt}\"{size}/>",
                            base64::encode(&bytes)
                        );
                    }
                    None => {
                        let _ = write!(self.out, "<p>[{alt}]</p>");
                    }
                }
                if !caption.is_empty() {
                    self.out.push_str("<figcaption>");
                    self.inlines(caption, notes);
                    self.out.push_str("</figcaption>");
                }
                self.out.push_str("</figure>\n");
            }
            Block::Rule => self.out.push_str("<hr/>\n"),
        }
    }

    fn table(
        &mut self,
        align: &[&str],
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        notes: &mut Notes,
    ) {
        let style = |i: usize| match align.get(i).copied() {
            Some(a @ ("left" | "center" | "right")) => format!(" style=\"text-align:{a}\""),
            _ => String::new(),
        };
        self.out
            .push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
        for (i, cell) in header.iter().enumerate() {
            let _ = write!(self.out, "<th{}>", style(i));
            self.inlines(cell, notes);
            self.out.push_str("</th>");
        }
        self.out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let _ = write!(self.out, "<td{}>", style(i));
                self.inlines(cell, notes);
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody>\n</table></div>\n");
    }

    fn inlines(&mut self, inlines: &[Inline], notes: &mut Notes) {
        for i in inlines {
            match i {
                Inline::Text { v } => self.out.push_str(&escape(v)),
                Inline::Strong { c } => self.wrap("strong", c, notes),
                Inline::Emph { c } => self.wrap("em", c, notes),
                Inline::Strike { c } => self.wrap("s", c, notes),
                Inline::Code { v } => {
                    let _ = write!(self.out, "<code>{}</code>", escape(v));
                }
                Inline::Link { url, c } if safe_url(url) => {
                    let _ = write!(self.out, "<a href=\"{}\">", escape(url.trim()));
                    self.inlines(c, notes);
                    self.out.push_str("</a>");
                }
                Inline::Link { c, .. } => self.inlines(c, notes),
                Inline::Footnote { c } => {
                    notes.list.push(c.clone());
                    let n = notes.list.len();
                    let _ = write!(
                        self.out,
                        "<sup><a id=\"{id}-ref{n}\" href=\"#{id}-fn{n}\">{n}</a></sup>",
                        id = notes.id
                    );
                }
                Inline::Linebreak => self.out.push_str("<br/>"),
            }
        }
    }

    fn wrap(&mut self, tag: &str, c: &[Inline], notes: &mut Notes) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(c, notes);
        let _ = write!(self.out, "</{tag}>");
    }

    fn colophon(&mut self, doc: &Document) {
        let (rows, (publisher, issued)) = colophon_rows(doc);
        self.out.push_str("<footer class=\"colophon\">\n");
        for r in rows {
            let _ = writeln!(self.out, "<p>{}</p>", escape(&r));
        }
        let _ = writeln!(
            self.out,
            "<p class=\"last\"><span>{}</span><span>{}</span></p>\n</footer>",
            escape(&publisher),
            escape(&issued)
        );
    }
}
