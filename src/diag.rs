//! Errors and warnings as values, and the one place they are rendered.
//!
//! Every part of kanwu returns [`Diagnostic`]s; only [`render`] prints them, in the
//! rustc/typst style (file:line:col, the line itself, a hint) via codespan-reporting.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, termcolor::WriteColor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A file's text, kept with a diagnostic so the snippet can be shown later.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// The path as the user would type it (relative to the working directory when possible).
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte offset of each line's start, made at the first lookup: a 5 MB article asks for the
    /// line of each of its 20,000 paragraphs, and counting newlines from the start each time
    /// cost a second (issue 15).
    line_starts: Arc<OnceLock<Vec<usize>>>,
}

impl SourceText {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
            line_starts: Arc::default(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 0-based index of the line holding a byte offset (a newline belongs to the line it ends).
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where the 0-based line `i` starts: the text's length for the line after the
    /// last, none past that.
    fn line_start(&self, i: usize) -> Option<usize> {
        let starts = self.line_starts();
        match i.cmp(&starts.len()) {
            std::cmp::Ordering::Less => Some(starts[i]),
            std::cmp::Ordering::Equal => Some(self.text.len()),
            std::cmp::Ordering::Greater => None,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_index(offset);
        let col = self.text[self.line_starts()[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// Byte range of a 1-based line (without its newline).
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = line.checked_sub(1).and_then(|i| self.line_start(i));
        match (start, self.line_start(line)) {
            (Some(start), Some(end)) if start < self.text.len() || line == 1 => {
                start..start + self.text[start..end].trim_end_matches(['\n', '\r']).len()
            }
            _ => self.text.len()..self.text.len(),
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where a diagnostic points: a file, and optionally a byte range in it.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Option<SourceText>,
    pub path: PathBuf,
    pub range: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Box<Location>>,
    /// Secondary places ("first listed here"), each with a short note.
    pub related: Vec<(Location, String)>,
    pub hints: Vec<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            related: Vec::new(),
            hints: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    /// Points at a file as a whole (no line).
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        self.location = Some(Box::new(Location {
            source: None,
            path: path.as_ref().to_path_buf(),
            range: None,
        }));
        self
    }

    /// Points at a byte range of a file whose text we have.
    pub fn at(mut self, source: &SourceText, range: Range<usize>) -> Self {
        self.location = Some(Box::new(Location {
            source: Some(source.clone()),
            path: source.path.clone(),
            range: Some(range),
        }));
        self
    }

    /// Points at a whole 1-based line of a file whose text we have.
    pub fn at_line(self, source: &SourceText, line: usize) -> Self {
        let range = source.line_range(line);
        self.at(source, range)
    }

    pub fn related(
        mut self,
        source: &SourceText,
        range: Range<usize>,
        note: impl Into<String>,
    ) -> Self {
        self.related.push((
            Location {
                source: Some(source.clone()),
                path: source.path.clone(),
                range: Some(range),
            },
            note.into(),
        ));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or just `path`) of the primary location.
    pub fn position(&self) -> Option<String> {
        let loc = self.location.as_ref()?;
        let path = loc.path.display();
        Some(match (&loc.source, &loc.range) {
            (Some(src), Some(range)) => {
                let (line, col) = src.line_col(range.start);
                format!("{path}:{line}:{col}")
            }
            _ => path.to_string(),
        })
    }

    /// The 1-based line of the primary location, when known.
    pub fn line(&self) -> Option<usize> {
        let loc = self.location.as_ref()?;
        Some(loc.source.as_ref()?.line_col(loc.range.as_ref()?.start).0)
    }
}

impl fmt::Display for Diagnostic {
    /// A one-line form, for logs and tests: `error: path:line:col: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.position() {
            Some(pos) => write!(f, "{kind}: {pos}: {}", self.message)?,
            None => write!(f, "{kind}: {}", self.message)?,
        }
        for hint in &self.hints {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// A failed operation: one or more diagnostics, at least one of them an error.
#[derive(Debug, Clone)]
pub struct Failure(pub Vec<Diagnostic>);

impl Failure {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(d: Vec<Diagnostic>) -> Self {
        Failure(d)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

pub type Result<T> = std::result::Result<T, Failure>;

mod files;
use files::Files;

/// Renders diagnostics the way rustc and typst do. The only printer of diagnostics.
pub fn render(diagnostics: &[Diagnostic], out: &mut dyn WriteColor) -> std::io::Result<()> {
    let config = term::Config {
        tab_width: 4,
        ..Default::default()
    };
    for diag in diagnostics {
        let mut files = Files::default();
        let mut cs = match diag.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(&diag.message);
        let mut notes = Vec::new();
        let mut labels = Vec::new();
        let places = diag.location.iter().map(|loc| (&**loc, "", true)).chain(
            diag.related
                .iter()
                .map(|(loc, note)| (loc, note.as_str(), false)),
        );
        let places: Vec<_> = places
            .map(|(loc, note, primary)| {
                let short = match (&loc.source, &loc.range) {
                    (Some(src), Some(range)) => shortened(src, range),
                    _ => None,
                };
                (loc, note, primary, short)
            })
            .collect();
        for (loc, note, primary, short) in &places {
            let (note, primary) = (*note, *primary);
            match (short.as_ref().or(loc.source.as_ref()), &loc.range) {
                (Some(src), Some(range)) => {
                    let id = files.add(src);
                    let range = files.window(id, clamp(range.clone(), &src.text));
                    let label = if primary {
                        Label::primary(id, range)
                    } else {
                        Label::secondary(id, range)
                    };
                    labels.push(label.with_message(note));
                }
                _ if note.is_empty() => {
                    notes.push(msg!("diag-in-file", path = loc.path.display()));
                }
                _ => notes.push(format!("{note}: {}", loc.path.display())),
            }
        }
        notes.extend(
            diag.hints
                .iter()
                .map(|h| msg!("diag-hint", text = h.as_str())),
        );
        cs = cs.with_labels(labels).with_notes(notes);
        let mut out = Translated {
            inner: &mut *out,
            header: true,
        };
        term::emit_to_write_style(&mut out, &config, &files, &cs).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// Writes codespan's header word (`error`, `warning`: its first text of a diagnostic) in the
/// language of the messages; everything else passes through.
struct Translated<'a> {
    inner: &'a mut dyn WriteColor,
    header: bool,
}

impl std::io::Write for Translated<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.header && !buf.is_empty() {
            self.header = false;
            let word = match buf {
                b"error" => Some(msg!("diag-error")),
                b"warning" => Some(msg!("diag-warning")),
                _ => None,
            };
            if let Some(word) = word {
                self.inner.write_all(word.as_bytes())?;
                return Ok(buf.len());
            }
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl WriteColor for Translated<'_> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &term::termcolor::ColorSpec) -> std::io::Result<()> {
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> std::io::Result<()> {
        self.inner.reset()
    }
}

/// The longest line shown whole under a diagnostic, in bytes.
const LONG_LINE: usize = 1000;

/// `src` with the line where `range` starts cut after the range (and at least 200 bytes)
/// when that line is longer than [`LONG_LINE`]: an error about a line of a megabyte shows its
/// start, not the megabyte. Offsets before the cut and line numbers stay as they were.
fn shortened(src: &SourceText, range: &Range<usize>) -> Option<SourceText> {
    let (line, _) = src.line_col(range.start);
    let whole = src.line_range(line);
    if whole.len() <= LONG_LINE {
        return None;
    }
    let keep = range.end.max(whole.start + 200);
    if keep >= whole.end {
        return None;
    }
    let keep = floor_char_boundary(&src.text, keep);
    let text = format!("{} …{}", &src.text[..keep], &src.text[whole.end..]);
    Some(SourceText::new(src.path.clone(), text))
}

fn clamp(range: Range<usize>, text: &str) -> Range<usize> {
    let start = floor_char_boundary(text, range.start.min(text.len()));
    let end = floor_char_boundary(text, range.end.min(text.len())).max(start);
    start..end
}

/// Renders to a plain string (no colour): for tests and logs.
pub fn render_to_string(diagnostics: &[Diagnostic]) -> String {
    let mut buf = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    render(diagnostics, &mut buf).expect("writing to memory");
    String::from_utf8_lossy(&buf.into_inner()).into_owned()
}

/// The path as the user should see it: relative to the working directory when inside it.
pub fn display_path(path: &Path) -> PathBuf {
    let path = without_verbatim_prefix(path);
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(without_verbatim_prefix(&cwd))
    {
        return rel.to_path_buf();
    }
    path
}

/// Windows: `canonicalize` gives `\\?\C:\…` (and `\\?\UNC\server\share\…`), which
/// an editor never typed and the working directory never has: shown as `C:\…`.
#[cfg(windows)]
fn without_verbatim_prefix(path: &Path) -> PathBuf {
    let s = path.as_os_str().to_string_lossy();
    if let Some(unc) = s.strip_prefix(r"\\?\UNC\") {
        return PathBuf::from(format!(r"\\{unc}"));
    }
    match s.strip_prefix(r"\\?\") {
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => PathBuf::from(rest),
        _ => path.to_path_buf(),
    }
}

/// Elsewhere paths have no such prefix.
#[cfg(not(windows))]
fn without_verbatim_prefix(path: &Path) -> PathBuf {
    path.to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 22: a finding in a 700-character paragraph shows the part of the line around it,
    /// as the desk does, with the column counted from the line's start.
    #[test]
    fn a_long_line_is_cut_around_the_label_in_the_terminal() {
        let para: String = (0..700)
            .map(|i| char::from_u32(0x4e00 + i).unwrap())
            .collect();
        let src = SourceText::new("long.md", format!("# 标题\n{para}\n末行\n"));
        let at = src
            .text
            .find(char::from_u32(0x4e00 + 400).unwrap())
            .unwrap();
        let d = Diagnostic::warning("here").at(&src, at..at + 3);
        let out = render_to_string(&[d]);
        assert!(out.contains("long.md:2:401"), "{out}");
        let widest = out.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest < 120, "{widest}: {out}");
        assert!(out.contains(char::from_u32(0x4e00 + 400).unwrap()), "{out}");
        // A short line is shown whole.
        let short = SourceText::new("s.md", "短的一行\n");
        let out = render_to_string(&[Diagnostic::warning("x").at(&short, 3..6)]);
        assert!(out.contains("短的一行"), "{out}");
        assert!(out.contains("s.md:1:2"), "{out}");
    }

    /// The line index gives what counting newlines from the start gave, at every offset and
    /// for every line, on texts with and without a last newline, empty lines, CRLF and
    /// characters of several bytes.
    #[test]
    fn line_lookups_agree_with_counting_from_the_start() {
        fn counted(text: &str, offset: usize) -> (usize, usize) {
            let before = &text[..floor_char_boundary(text, offset.min(text.len()))];
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (
                before.matches('\n').count() + 1,
                before[line_start..].chars().count() + 1,
            )
        }
        fn range(text: &str, line: usize) -> Range<usize> {
            let mut start = 0;
            for (i, l) in text.split_inclusive('\n').enumerate() {
                if i + 1 == line {
                    return start..start + l.trim_end_matches(['\n', '\r']).len();
                }
                start += l.len();
            }
            text.len()..text.len()
        }
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "\n\n一",
            "一二\r\n三四\r\n\r\nx",
            "标题\n\n正文。\n",
        ] {
            let src = SourceText::new("a.md", text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    src.line_col(offset),
                    counted(text, offset),
                    "{text:?} @ {offset}"
                );
            }
            for line in 0..=text.lines().count() + 2 {
                assert_eq!(
                    src.line_range(line),
                    range(text, line),
                    "{text:?} line {line}"
                );
            }
        }
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = SourceText::new("a.toml", "一二\n三四五x");
        let off = "一二\n三四".len();
        assert_eq!(src.line_col(off), (2, 3));
        assert_eq!(src.line_range(2), "一二\n".len().."一二\n三四五x".len());
    }

    #[test]
    fn rendering_names_file_line_and_hint() {
        let src = SourceText::new("issues/x/issue.toml", "schema = 1\nnumber = \"x\"\n");
        let d = Diagnostic::error("number must be an integer")
            .at(&src, 20..23)
            .hint("write number = 1");
        let text = render_to_string(std::slice::from_ref(&d));
        assert!(text.contains("error: number must be an integer"), "{text}");
        assert!(text.contains("issues/x/issue.toml:2:10"), "{text}");
        assert!(text.contains("hint: write number = 1"), "{text}");
        assert_eq!(d.position().unwrap(), "issues/x/issue.toml:2:10");
    }
}
