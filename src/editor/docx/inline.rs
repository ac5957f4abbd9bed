//! A run's text as Markdown inline text: emphasis, strike-through and what Word's runs carry
//! around them.

use crate::editor::import::escape_markdown;

/// Punctuation or space: what CommonMark lets no emphasis marker stand against on its inner
/// side when a letter or 汉字 is on the outer one (`**重要提示：**请` prints its asterisks).
pub(super) fn is_punct_or_space(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_punctuation()
        || matches!(c, '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{303F}' | '\u{B7}')
        || (('\u{FF01}'..='\u{FF65}').contains(&c) && !c.is_alphanumeric())
}

/// Raw run text as Markdown: escaped, and in bold/italic markers with any punctuation or space
/// at its ends put outside them, where CommonMark opens and closes emphasis next to 汉字:
/// `**重要提示**：请`.
pub(super) fn emphasis(raw: &str, bold: bool, italic: bool) -> String {
    let marker = match (bold, italic) {
        (true, true) => "***",
        (true, false) => "**",
        (false, true) => "*",
        _ => return escape_markdown(raw),
    };
    let core = raw.trim_matches(is_punct_or_space);
    if core.is_empty() {
        return escape_markdown(raw);
    }
    let start = raw.len() - raw.trim_start_matches(is_punct_or_space).len();
    let (lead, rest) = raw.split_at(start);
    let (core, trail) = rest.split_at(core.len());
    format!(
        "{}{marker}{}{marker}{}",
        escape_markdown(lead),
        escape_markdown(core),
        escape_markdown(trail)
    )
}

/// A struck-through run: `~~…~~` inside any punctuation or space at its ends, as
/// [`emphasis`] places its markers.
pub(super) fn struck(raw: &str, bold: bool, italic: bool) -> String {
    let start = raw.len() - raw.trim_start_matches(is_punct_or_space).len();
    let (lead, rest) = raw.split_at(start);
    let core = rest.trim_end_matches(is_punct_or_space);
    let trail = &rest[core.len()..];
    format!(
        "{}~~{}~~{}",
        escape_markdown(lead),
        emphasis(core, bold, italic),
        escape_markdown(trail)
    )
}

/// A typewriter face, as a run of inline code is set.
pub(super) fn is_mono(font: &str) -> bool {
    let f = font.to_ascii_lowercase();
    ["courier", "consolas", "mono", "menlo"]
        .iter()
        .any(|m| f.contains(m))
}

pub(super) fn strip_marks(s: &str) -> String {
    s.replace("***", "").replace("**", "").trim().to_string()
}
