//! The editor's month: starting the next issue (`kanwu new`) and counting an issue
//! (`kanwu stats`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{Diagnostic, Result, display_path};
use crate::document::{Block, Inline, plain_text};
use crate::manifest::{self, Date, Issue, KNOWN_KINDS};
use crate::{LoadedIssue, label_page};

// ---------------------------------------------------------------- kanwu new

/// What `kanwu new` made.
#[derive(Debug)]
pub struct NewIssue {
    pub dir: PathBuf,
    pub year: i32,
    pub number: u32,
    pub serial: Option<u32>,
    pub date: Date,
    /// The previous issue it continues.
    pub from: PathBuf,
    /// The article stubs written, relative to the new folder.
    pub stubs: Vec<String>,
}

/// Today's date (UTC) from the system clock.
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

/// Days since 1970-01-01 → a date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    Date {
        year: (if m <= 2 { y + 1 } else { y }) as i32,
        month: m,
        day: d,
    }
}

/// Parses `YYYY-MM-DD` (a real calendar date).
pub fn parse_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (day <= days).then_some(Date { year, month, day })
}

/// The latest issue (highest year, then number) among the folders of `issues_dir`.
pub fn latest_issue(issues_dir: &Path) -> Result<Issue> {
    let folders = crate::archive::find_issues(issues_dir)?;
    let mut best: Option<Issue> = None;
    let mut errors = Vec::new();
    for f in folders {
        match manifest::load_issue(&f.join("issue.toml")) {
            Ok(i) => {
                if best
                    .as_ref()
                    .is_none_or(|b| (i.year, i.number) > (b.year, b.number))
                {
                    best = Some(i);
                }
            }
            Err(e) => errors.extend(e.0),
        }
    }
    match best {
        Some(b) => Ok(b),
        None => Err(errors.into()),
    }
}

/// A file name for a section's stub: its kind when that is a plain word, else `section-N`.
fn stub_name(kind: &str, index: usize) -> String {
    if !kind.is_empty()
        && kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        format!("{kind}.md")
    } else {
        format!("section-{}.md", index + 1)
    }
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Creates the issue after `from` (or after the latest issue beside `target`): number + 1 —
/// 第1期 again when the new date falls in another year —, serial + 1, the same sections with
/// one article stub each. `target` defaults to `<issues>/YYYY-NN`. Never overwrites: the
/// folder is written under a temporary name and renamed into place.
pub fn new_issue(
    issues_dir: &Path,
    target: Option<&Path>,
    from: Option<&Path>,
    date: Option<Date>,
) -> Result<NewIssue> {
    let prev = match from {
        Some(f) => manifest::load_issue(&manifest::issue_manifest_path(f)?)?,
        None => {
            let dir = match target {
                Some(t) => t
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
                    .to_path_buf(),
                None => issues_dir.to_path_buf(),
            };
            latest_issue(&dir)?
        }
    };
    let date = date.unwrap_or_else(today);
    let (year, number) = if date.year != prev.year {
        (date.year, 1)
    } else {
        (prev.year, prev.number + 1)
    };
    if (date.year, date.month, date.day) < (prev.date.year, prev.date.month, prev.date.day) {
        return Err(Diagnostic::error(format!(
            "the new issue's date {}-{:02}-{:02} is before the previous issue's ({}-{:02}-{:02}, {})",
            date.year,
            date.month,
            date.day,
            prev.date.year,
            prev.date.month,
            prev.date.day,
            display_path(&prev.dir).display()
        ))
        .hint("give the new issue's date with --date YYYY-MM-DD")
        .into());
    }
    let serial = prev.serial.map(|s| s + 1);
    let target = match target {
        Some(t) => t.to_path_buf(),
        None => prev
            .dir
            .parent()
            .unwrap_or(issues_dir)
            .join(format!("{year}-{number:02}")),
    };
    if target.exists() {
        return Err(Diagnostic::error(format!(
            "{} already exists; kanwu new never overwrites a folder",
            display_path(&target).display()
        ))
        .hint("name another folder: `kanwu new issues/NAME`, or remove that folder first")
        .into());
    }

    let mut toml = format!(
        "schema = 1\n\n[issue]\nyear = {year}\nnumber = {number}\n{}date = {}-{:02}-{:02}\n{}",
        serial
            .map(|s| format!("serial = {s}\n"))
            .unwrap_or_default(),
        date.year,
        date.month,
        date.day,
        prev.copies
            .map(|c| format!("copies = {c}\n"))
            .unwrap_or_default(),
    );
    let mut stubs = Vec::new();
    let mut files = Vec::new();
    for (i, s) in prev.sections.iter().enumerate() {
        let name = stub_name(&s.kind, i);
        toml.push_str(&format!("\n[[sections]]\nkind = {}\n", toml_str(&s.kind)));
        let known = KNOWN_KINDS.iter().find(|(k, _)| *k == s.kind).map(|k| k.1);
        if known != Some(s.title.as_str()) {
            toml.push_str(&format!("title = {}\n", toml_str(&s.title)));
        }
        toml.push_str(&format!("articles = [{}]\n", toml_str(&name)));
        let text = if s.kind == "editors-note" {
            "+++\n+++\n\n（编者的话：在此撰写本期编者的话，替换本段。）\n".to_string()
        } else {
            format!(
                "+++\ntitle = \"（{}标题）\"\nsource = \"\"\n+++\n\n（在此撰写正文，替换本段。另一篇文章：复制本文件，并把文件名加到 issue.toml 本栏目的 articles 中。）\n",
                s.title
            )
        };
        files.push((name.clone(), text));
        stubs.push(name);
    }
    files.push(("issue.toml".to_string(), toml));

    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|(n, t)| (n, t.into_bytes()))
        .collect();
    crate::import::write_new_folder(&target, &files)?;
    Ok(NewIssue {
        dir: target,
        year,
        number,
        serial,
        date,
        from: prev.dir.clone(),
        stubs,
    })
}

// ---------------------------------------------------------------- kanwu stats

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

/// A CJK unified ideograph (the basic block and its extensions, and compatibility ideographs).
pub fn is_hanzi(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x323AF)
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleStats {
    pub file: String,
    pub title: Option<String>,
    /// The page the article starts on (1-based), from the typeset issue.
    pub page: Option<usize>,
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
    for (si, s) in loaded.document.sections.iter().enumerate() {
        let section_page = label_page(doc, &format!("kanwu-section-{si}"));
        let mut st = Counts::default();
        let mut articles = Vec::new();
        for (ai, a) in s.articles.iter().enumerate() {
            let mut c = Counts::default();
            c.blocks(&a.blocks);
            st.add(&c);
            let page = if a.title.is_some() {
                label_page(doc, &format!("kanwu-article-{si}-{ai}"))
            } else {
                section_page
            };
            articles.push(ArticleStats {
                file: a.file.clone(),
                title: a.title.clone(),
                page,
                counts: c,
            });
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
        let mut out = format!(
            "{:>4}  {:>5} {:>7} {:>5} {:>4} {:>4}  {}\n",
            "page", "汉字", "chars", "paras", "hdgs", "imgs", "article"
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
                line(&mut out, s.page, &s.total, &format!("{} total", s.title));
            }
        }
        line(
            &mut out,
            None,
            &self.total,
            &format!("issue {} total, {} pages", self.issue, self.pages),
        );
        out.push_str("(body text only: titles and footnotes are not counted; 汉字 = CJK ideographs, chars = all non-space characters)\n");
        out
    }
}

/// Pages to preview: 1-based and inclusive; `None` ends at the last page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRange {
    pub first: usize,
    pub last: Option<usize>,
}

impl PageRange {
    /// `3`, `1-3`, `2-` (to the end).
    pub fn parse(s: &str) -> Option<PageRange> {
        let s = s.trim();
        let (a, b) = match s.split_once('-') {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (s, None),
        };
        let first: usize = a.parse().ok().filter(|n| *n >= 1)?;
        let last = match b {
            None => Some(first),
            Some("") => None,
            Some(b) => Some(b.parse().ok().filter(|n| *n >= first)?),
        };
        Some(PageRange { first, last })
    }
}

/// `kanwu preview`: renders pages of the screen typesetting to PNG with typst-render, into
/// `dir` (default `out/<issue>/`) as `page-<n>.png`. Returns the files written.
pub fn preview(
    project: &crate::Project,
    issue_arg: &Path,
    pages: Option<PageRange>,
    ppi: f64,
    dir: Option<PathBuf>,
) -> Result<Vec<PathBuf>> {
    if !(10.0..=1200.0).contains(&ppi) {
        return Err(Diagnostic::error(format!("--ppi {ppi} is out of range"))
            .hint("use 10 to 1200; 96 is a screen, 300 a print proof")
            .into());
    }
    let loaded = project.load(issue_arg)?;
    let (doc, _) = project.typeset(&loaded)?;
    let total = doc.pages().len();
    let range = pages.unwrap_or(PageRange {
        first: 1,
        last: None,
    });
    let last = range.last.unwrap_or(total).min(total);
    if range.first > total {
        return Err(Diagnostic::error(format!(
            "page {} does not exist: the issue has {total} pages",
            range.first
        ))
        .into());
    }
    let dir = dir.unwrap_or_else(|| project.root.join("out").join(&loaded.issue.name));
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(ppi / 72.0),
        render_bleed: false,
    };
    let mut written = Vec::new();
    for n in range.first..=last {
        let pixmap = typst_render::render(&doc.pages()[n - 1], &options);
        let png = pixmap
            .encode_png()
            .map_err(|e| Diagnostic::error(format!("cannot encode page {n} as PNG: {e}")))?;
        let path = dir.join(format!("page-{n}.png"));
        crate::render::write_atomic(&path, &png)?;
        written.push(path);
    }
    Ok(written)
}
