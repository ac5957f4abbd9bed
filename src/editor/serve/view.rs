//! What the browser shows beside the pages, as JSON: the page list (each page named by the
//! hashes of its picture and text layer), the contents with pages, the 汉字 counts against
//! the page budget, preflight's findings and a failed build's diagnostics — each with its
//! file, line and the line's text. Every string an editor wrote travels as a JSON string.

use serde::Serialize;
use serde_json::{Value, json};
use typst_layout::PagedDocument;

use super::pages::{PageAssets, page_of_line};
use crate::diag::{Diagnostic, Severity, display_path};
use crate::editor::stats;
use crate::model::LoadedIssue;
use crate::print::preflight::{Finding, Level};

/// A place in a file an editor wrote: the path as the user sees it, line, column and the
/// line's text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Place {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub text: Option<String>,
}

/// Where a diagnostic points, when it points at a file.
pub fn place(d: &Diagnostic) -> Option<Place> {
    let loc = d.location.as_ref()?;
    let file = display_path(&loc.path).display().to_string();
    let (line, column, text) = match (&loc.source, &loc.range) {
        (Some(src), Some(range)) => {
            let (line, column) = src.line_col(range.start);
            let text = around(&src.text[src.line_range(line)], column);
            (Some(line), Some(column), Some(text))
        }
        _ => (None, None, None),
    };
    Some(Place {
        file,
        line,
        column,
        text,
    })
}

/// How much of a long line is shown, in display columns (a 汉字 takes two): the line is cut
/// to this around the column, with … where it was cut.
const SHOWN: usize = 80;

/// The part of `line` around its 1-based character `column`: the whole line when it is at
/// most [`SHOWN`] columns wide, else about half of that either side of the column (more on
/// one side when the other ends sooner), by display width, with … marking each cut.
pub fn around(line: &str, column: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let line = line.trim_end_matches(['\r', '\n']);
    let chars: Vec<char> = line.chars().collect();
    let width = |c: &char| c.width().unwrap_or(0);
    let total: usize = chars.iter().map(width).sum();
    if total <= SHOWN {
        return line.to_string();
    }
    let at = column.saturating_sub(1).min(chars.len());
    let after: usize = chars[at..].iter().map(width).sum();
    // The left side gets half, and what the right side cannot use.
    let left_budget = SHOWN / 2 + (SHOWN / 2).saturating_sub(after);
    let (mut start, mut used) = (at, 0);
    while start > 0 && used + width(&chars[start - 1]) <= left_budget {
        start -= 1;
        used += width(&chars[start]);
    }
    let right_budget = SHOWN - used;
    let (mut end, mut used) = (at, 0);
    while end < chars.len() && used + width(&chars[end]) <= right_budget {
        used += width(&chars[end]);
        end += 1;
    }
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    shown
}

/// A failed build's diagnostics, for the banner over the last good pages.
pub fn diagnostics(diags: &[Diagnostic]) -> Value {
    let list: Vec<Value> = diags
        .iter()
        .map(|d| {
            json!({
                "severity": match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                "message": d.message,
                "place": place(d),
                "hints": d.hints,
            })
        })
        .collect();
    Value::Array(list)
}

/// The issue as the sidebar shows it, and the page list.
pub struct Inputs<'a> {
    pub loaded: &'a LoadedIssue,
    pub doc: &'a PagedDocument,
    pub pages: &'a [PageAssets],
    /// Preflight's findings; None leaves `findings` out of the view (they follow in a
    /// `findings` event, see `Builder::typeset`).
    pub findings: Option<&'a [Finding]>,
    pub warnings: &'a [Diagnostic],
    /// The page budget (publication.toml, overridden by issue.toml), when one is set.
    pub budget: Option<u32>,
}

/// The article files in document order: the text layers name an article by its index here.
pub fn article_files(loaded: &LoadedIssue) -> Vec<String> {
    let sections = &loaded.document.sections;
    sections
        .iter()
        .flat_map(|s| s.articles.iter().map(|a| a.file.clone()))
        .collect()
}

pub fn issue_view(i: &Inputs) -> Value {
    let loaded = i.loaded;
    let files = article_files(loaded);
    let st = stats::stats(loaded, i.doc);
    let total_pages = i.doc.pages().len();
    // An article runs from its first page to the next article's first page.
    let starts: Vec<Option<usize>> = st
        .sections
        .iter()
        .flat_map(|s| s.articles.iter().map(|a| a.page))
        .collect();
    let mut index = 0;
    let mut contents = Vec::new();
    for s in &st.sections {
        let mut articles = Vec::new();
        for a in &s.articles {
            // From its first page to its last, as the frames place its text (stats).
            let pages = a.pages;
            articles.push(json!({
                "index": index,
                "file": a.file,
                "title": a.title,
                "page": a.page,
                "pages": pages,
                "hanzi": a.counts.hanzi,
                "chars": a.counts.chars,
                "paragraphs": a.counts.paragraphs,
                "images": a.counts.images,
            }));
            index += 1;
        }
        contents.push(json!({
            "kind": s.kind,
            "title": s.title,
            "page": s.page,
            "hanzi": s.total.hanzi,
            "articles": articles,
        }));
    }
    let pad_to = loaded.publication.print.pad_to.max(1) as usize;
    let print_pages = total_pages.div_ceil(pad_to) * pad_to;
    // Each finding where the element that produced it says it comes from (the one
    // function `check` and the print build use); the page, when it was found on one, else
    // the page its line is set on.
    let mut findings: Vec<Value> = i
        .findings
        .unwrap_or_default()
        .iter()
        .map(|f| {
            let place = f.diagnostic.as_ref().and_then(place);
            let article = f.source.as_ref().and_then(|s| s.article);
            let line = f.source.as_ref().and_then(|s| s.line);
            let page = f.page.or_else(|| {
                let article = article?;
                line.and_then(|l| page_of_line(i.pages, article, l))
                    .or(starts.get(article).copied().flatten())
            });
            json!({
                "level": match f.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    Level::Info => "info",
                },
                "check": f.check,
                "message": f.message,
                "where": f.place,
                "article": article,
                "place": place,
                "page": page,
            })
        })
        .collect();
    // Typst's own warnings (a layout's), where they point.
    findings.extend(i.warnings.iter().map(|w| {
        json!({
            "level": "warning",
            "check": "typst",
            "message": w.message,
            "where": w.position(),
            "article": Value::Null,
            "place": place(w),
            "page": Value::Null,
        })
    }));
    let pages: Vec<Value> = i
        .pages
        .iter()
        .enumerate()
        .map(|(n, p)| {
            json!({
                "n": n + 1,
                "svg": p.svg_hash,
                "text": p.text_hash,
                "w": p.width,
                "h": p.height,
            })
        })
        .collect();
    let mut view = json!({
        "issue": loaded.issue.name,
        "title": format!(
            "{} {}年第{}期",
            loaded.publication.name, loaded.issue.year, loaded.issue.number
        ),
        "pages": pages,
        "files": files,
        "contents": contents,
        "total": {
            "pages": total_pages,
            "hanzi": st.total.hanzi,
            "chars": st.total.chars,
        },
        "budget": i.budget.map(|b| json!({
            "pages": b,
            "over": total_pages as i64 - b as i64,
        })),
        "print": {
            "pad_to": pad_to,
            "pages": print_pages,
            "blank": print_pages - total_pages,
            // The printer's sheet: the trim (the paper size, which a screen page is) and the
            // bleed around it, for the viewer's trim/bleed overlay.
            "trim": {
                "paper": loaded.publication.paper.name,
                "width_mm": loaded.publication.paper.width_mm,
                "height_mm": loaded.publication.paper.height_mm,
            },
            "bleed_mm": loaded.publication.print.bleed_mm,
        },
    });
    if i.findings.is_some()
        && let Value::Object(map) = &mut view
    {
        map.insert("findings".into(), Value::Array(findings));
    }
    view
}

#[cfg(test)]
mod tests {
    use super::around;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn a_long_line_is_cut_around_its_column_by_display_width() {
        // A short line is shown whole.
        assert_eq!(around("number = \"一\"\n", 10), "number = \"一\"");
        // 300 汉字 (600 columns), the column at the 150th: 40 columns (20 汉字) either side.
        let line: String = (0..300)
            .map(|i| char::from_u32(0x4e00 + i).unwrap())
            .collect();
        let shown = around(&line, 150);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        let inner = shown.trim_matches('…');
        assert_eq!(inner.width(), 80);
        assert_eq!(inner.chars().nth(20), char::from_u32(0x4e00 + 149));
        // Near the start: nothing cut before, the rest of the room after.
        let shown = around(&line, 3);
        assert!(!shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.trim_end_matches('…').width(), 80);
        // Near the end, in Latin: the room goes before.
        let latin = "x".repeat(200) + "END";
        let shown = around(&latin, 201);
        assert!(shown.starts_with('…') && shown.ends_with("END"), "{shown}");
        assert_eq!(shown.trim_start_matches('…').width(), 80);
    }
}
