//! The editor's text itself: control characters (a NUL or a form feed pasted from a database
//! or an old word processor) print as nothing, and the model's own doubts (a date outside the
//! issue's year) are reported with the other findings.

use super::glyphs::document_strings;
use super::{Finding, Input, Level};
use crate::diag::{Diagnostic, SourceText, display_path};

/// Lines reported per file; more are summed up in the last one.
const MAX_PER_FILE: usize = 10;

/// A control character other than tab and the line ends.
fn stray(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Every line of every source holding a control character, as a warning; then those that only
/// the document holds (written as a TOML escape such as `\u0000`), at the escape.
pub(super) fn control_characters(input: &Input, findings: &mut Vec<Finding>) {
    for src in input.sources {
        let mut last_line = 0;
        let mut lines = 0;
        for (pos, c) in src.text.char_indices().filter(|(_, c)| stray(*c)) {
            let (line, _) = src.line_col(pos);
            if line == last_line {
                continue;
            }
            last_line = line;
            lines += 1;
            if lines <= MAX_PER_FILE {
                findings.push(finding(src, pos..pos + c.len_utf8(), c));
            }
        }
        if lines > MAX_PER_FILE
            && let Some(f) = findings.last_mut()
        {
            let more = msg!("preflight-text-more-lines", n = lines - MAX_PER_FILE);
            f.message.push_str(&format!(" {more}"));
        }
    }
    let mut escaped = std::collections::BTreeSet::new();
    document_strings(input.document, &mut |s: &str| {
        escaped.extend(s.chars().filter(|c| stray(*c)));
    });
    for c in escaped {
        if input.sources.iter().any(|s| s.text.contains(c)) {
            continue;
        }
        let escapes = [
            format!("\\u{:04X}", c as u32),
            format!("\\u{:04x}", c as u32),
            format!("\\U{:08X}", c as u32),
            format!("\\U{:08x}", c as u32),
        ];
        let found = input.sources.iter().find_map(|src| {
            escapes
                .iter()
                .find_map(|e| Some((src, src.text.find(e.as_str())?, e.len())))
        });
        if let Some((src, pos, len)) = found {
            findings.push(finding(src, pos..pos + len, c));
        }
    }
}

fn finding(src: &SourceText, range: std::ops::Range<usize>, c: char) -> Finding {
    let (line, _) = src.line_col(range.start);
    let message = msg!(
        "preflight-text-u-control-character-text",
        code = format!("{:04X}", c as u32)
    );
    let diagnostic = Diagnostic::warning(msg!("preflight-text-preflight", message = message))
        .at(src, range)
        .hint(msg!("preflight-text-usually-comes-with-text"));
    Finding {
        level: Level::Warning,
        check: "text",
        place: format!("{}:{line}", src.path.display()),
        message,
        source: None,
        page: None,
        diagnostic: Some(diagnostic),
    }
}

/// A warning of the model (about issue.toml) as a finding.
pub(super) fn from_model(d: &Diagnostic) -> Finding {
    from_diagnostic(d.clone(), "manifest")
}

/// A warning found on the sources (the model's doubts, the placeholder text) as a finding of
/// the check `check`, at the file and line it points to.
pub(super) fn from_diagnostic(d: Diagnostic, check: &'static str) -> Finding {
    let place = match (&d.location, d.line()) {
        (Some(l), Some(line)) => format!("{}:{line}", display_path(&l.path).display()),
        (Some(l), None) => display_path(&l.path).display().to_string(),
        (None, _) => "issue.toml".into(),
    };
    Finding {
        level: Level::Warning,
        check,
        place,
        message: d.message.clone(),
        source: None,
        page: None,
        diagnostic: Some(d),
    }
}
