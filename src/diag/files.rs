//! codespan's view of the files a diagnostic points into.

use std::ops::Range;

use super::{SourceText, floor_char_boundary};

/// The files a diagnostic shows, for codespan: their lines looked up in each [`SourceText`]'s
/// own index, made once per file, where codespan's `SimpleFiles` indexed the whole text again
/// for every diagnostic (221 warnings on a 5 MB article: a gigabyte scanned).
///
/// A line wider than [`SHOWN`] characters (a 700-character paragraph) is shown as the part of
/// it around the label, as the desk shows it: its window is what `line_range` gives, while the
/// column printed is still counted from the line's start.
#[derive(Default)]
pub(super) struct Files<'s> {
    sources: Vec<&'s SourceText>,
    /// (file, 0-based line) → the part of the line shown.
    windows: std::collections::HashMap<(usize, usize), Range<usize>>,
}

/// How many characters of a long line the terminal shows around a label.
const SHOWN: usize = 80;

impl<'s> Files<'s> {
    pub(super) fn add(&mut self, src: &'s SourceText) -> usize {
        self.sources.push(src);
        self.sources.len() - 1
    }

    /// The label `range` of file `id`, cut to the window shown when its line is long.
    pub(super) fn window(&mut self, id: usize, range: Range<usize>) -> Range<usize> {
        let src = self.sources[id];
        let li = src.line_index(range.start);
        let Some(start) = src.line_start(li) else {
            return range;
        };
        let line = src.line_range(li + 1);
        let text = &src.text[start..line.end];
        if text.chars().count() <= SHOWN {
            return range;
        }
        // Half the window before the label's start, the rest after, on char boundaries.
        let at = range.start.clamp(start, line.end);
        let before: Vec<usize> = src.text[start..at]
            .char_indices()
            .map(|(i, _)| start + i)
            .collect();
        let from = before
            .len()
            .checked_sub(SHOWN / 2)
            .map_or(start, |k| before[k]);
        let to = src.text[from..line.end]
            .char_indices()
            .nth(SHOWN)
            .map_or(line.end, |(i, _)| from + i);
        self.windows.insert((id, li), from..to);
        let end = range.end.min(to).max(at);
        at..end
    }

    fn get(
        &self,
        id: usize,
    ) -> std::result::Result<&'s SourceText, codespan_reporting::files::Error> {
        self.sources
            .get(id)
            .copied()
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Files<'_> {
    type FileId = usize;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> std::result::Result<String, codespan_reporting::files::Error> {
        Ok(self.get(id)?.path.display().to_string())
    }

    fn source(
        &'a self,
        id: usize,
    ) -> std::result::Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.get(id)?.text)
    }

    fn line_index(
        &'a self,
        id: usize,
        byte_index: usize,
    ) -> std::result::Result<usize, codespan_reporting::files::Error> {
        Ok(self.get(id)?.line_index(byte_index))
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> std::result::Result<Range<usize>, codespan_reporting::files::Error> {
        let src = self.get(id)?;
        let start = |i: usize| {
            src.line_start(i)
                .ok_or(codespan_reporting::files::Error::LineTooLarge {
                    given: i,
                    max: src.line_starts().len() - 1,
                })
        };
        if let Some(w) = self.windows.get(&(id, line_index)) {
            return Ok(w.clone());
        }
        Ok(start(line_index)?..start(line_index + 1)?)
    }

    /// Counted from the line's start, also when only a window of it is shown.
    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> std::result::Result<usize, codespan_reporting::files::Error> {
        let src = self.get(id)?;
        let start = src.line_start(line_index).unwrap_or(0);
        let end = byte_index.clamp(start, src.text.len());
        Ok(src.text[start..floor_char_boundary(&src.text, end)]
            .chars()
            .count()
            + 1)
    }
}
