//! `kanwu preview`: PNG pages of the screen typesetting, with typst-render.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Result};

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
    project: &crate::project::Project,
    issue_arg: &Path,
    pages: Option<PageRange>,
    ppi: f64,
    dir: Option<PathBuf>,
) -> Result<Vec<PathBuf>> {
    if !(10.0..=1200.0).contains(&ppi) {
        return Err(Diagnostic::error(msg!("preview-ppi-out-range", ppi = ppi))
            .hint(msg!("preview-use-10-1200-96"))
            .into());
    }
    let loaded = project.load(issue_arg)?;
    let doc = project
        .typesetter()
        .compile(&loaded, crate::model::Profile::Screen)?
        .doc;
    let total = doc.pages().len();
    let range = pages.unwrap_or(PageRange {
        first: 1,
        last: None,
    });
    let last = range.last.unwrap_or(total).min(total);
    if range.first > total {
        return Err(Diagnostic::error(msg!(
            "preview-page-does-not-exist",
            first = range.first,
            total = total
        ))
        .into());
    }
    let dir = dir.unwrap_or_else(|| project.root.join("out").join(&loaded.issue.name));
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(ppi / 72.0),
        render_bleed: false,
    };
    let mut files = Vec::new();
    for n in range.first..=last {
        let pixmap = typst_render::render(&doc.pages()[n - 1], &options);
        let png = pixmap
            .encode_png()
            .map_err(|e| Diagnostic::error(msg!("preview-cannot-encode-page-as", n = n, e = e)))?;
        files.push((dir.join(format!("page-{n}.png")), png));
    }
    // All pages or none: a full disk at page 5 leaves no new pages 1 to 4 beside old ones.
    crate::util::write_all_atomic(&files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

#[cfg(test)]
mod tests {
    use super::PageRange;

    fn range(first: usize, last: Option<usize>) -> Option<PageRange> {
        Some(PageRange { first, last })
    }

    #[test]
    fn a_page_a_range_and_an_open_range_parse() {
        assert_eq!(PageRange::parse("3"), range(3, Some(3)));
        assert_eq!(PageRange::parse("1-3"), range(1, Some(3)));
        assert_eq!(PageRange::parse("2-"), range(2, None));
        assert_eq!(PageRange::parse(" 2 - 5 "), range(2, Some(5)));
        assert_eq!(PageRange::parse("4-4"), range(4, Some(4)));
    }

    #[test]
    fn page_zero_a_backward_range_and_non_numbers_are_refused() {
        for s in ["0", "0-3", "3-1", "a", "1-b", "-2", "-", "", "  ", "1-2-3"] {
            assert_eq!(PageRange::parse(s), None, "{s:?}");
        }
    }
}
