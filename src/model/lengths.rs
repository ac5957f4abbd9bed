//! Lengths no real text reaches, refused when an article is read: a paragraph of more than
//! [`MAX_PARAGRAPH_CHARS`] characters, and a run of more than [`MAX_RUN_CHARS`] characters
//! with no space and no CJK character (no place where a line may break).
//!
//! Typst breaks a paragraph into lines by keeping every candidate line of the whole paragraph
//! in one table (Knuth–Plass): time and memory grow with the paragraph, not the page. A 1 MB
//! line took 25 s and 2 GB to set (bench/RESULTS.md, "One long line"); the longest paragraphs of
//! real Chinese documents have a few thousand characters. A run with no break opportunity is
//! set as one piece on one line, and past 64 KB of text on a line the PDF writer panics
//! (Typst keeps a glyph's place in its text in 16 bits).

use crate::diag::{Diagnostic, SourceText};

/// The longest paragraph kanwu sets, in characters: ten times the longest paragraph of any
/// real document, and about a second of layout.
pub const MAX_PARAGRAPH_CHARS: usize = 50_000;

/// The longest run of characters with no place to break (no space, no CJK character) kanwu
/// sets: far past any word, number or address (an address or number the layout breaks itself),
/// and under 64 KB of text whatever the characters.
pub const MAX_RUN_CHARS: usize = 10_000;

/// May a line break beside `c`: a space, or a CJK character (汉字, kana, hangul and their
/// punctuation break on either side).
fn breaks(c: char) -> bool {
    c.is_whitespace()
        || matches!(c as u32,
            0x1100..=0x11FF      // Hangul Jamo
            | 0x2E80..=0x303F    // CJK radicals, punctuation
            | 0x3040..=0x31FF    // kana, bopomofo, Hangul compatibility
            | 0x3400..=0x4DBF    // CJK Extension A
            | 0x4E00..=0x9FFF    // CJK Unified Ideographs
            | 0xAC00..=0xD7AF    // Hangul syllables
            | 0xF900..=0xFAFF    // CJK compatibility ideographs
            | 0xFE30..=0xFE4F    // CJK compatibility forms
            | 0xFF00..=0xFFEF    // full-width forms
            | 0x20000..=0x3FFFF) // CJK Extensions B and on
}

/// The errors for the lines of `source` (from `body_start`, the Markdown after the front
/// matter) that hold a paragraph longer than [`MAX_PARAGRAPH_CHARS`] or a run longer than
/// [`MAX_RUN_CHARS`]; one error a line, pointing at the line's start.
pub fn check_lines(source: &SourceText, body_start: usize) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut at = body_start;
    for line in source.text[body_start..].split_inclusive('\n') {
        let start = at;
        at += line.len();
        // Most lines are short: counted only when their bytes could be too many.
        if line.len() <= MAX_RUN_CHARS {
            continue;
        }
        let chars = line.trim_end_matches(['\n', '\r']).chars().count();
        let (mut run, mut longest, mut run_at, mut longest_at) = (0, 0, 0, 0);
        for (i, c) in line.char_indices() {
            if breaks(c) {
                run = 0;
            } else {
                if run == 0 {
                    run_at = i;
                }
                run += 1;
                if run > longest {
                    (longest, longest_at) = (run, run_at);
                }
            }
        }
        if chars > MAX_PARAGRAPH_CHARS {
            errors.push(too_long(source, start, chars));
        } else if longest > MAX_RUN_CHARS {
            let from = start + longest_at;
            let to = floor_boundary(&source.text, from + 40);
            errors.push(
                Diagnostic::error(msg!(
                    "lengths-run-too-long",
                    n = longest,
                    max = MAX_RUN_CHARS
                ))
                .at(source, from..to)
                .hint(msg!("lengths-run-too-long-hint")),
            );
        }
    }
    errors
}

/// The error for a paragraph of `chars` characters starting at byte `start` of `source`,
/// pointing at its first characters.
pub fn too_long(source: &SourceText, start: usize, chars: usize) -> Diagnostic {
    let end = floor_boundary(&source.text, start + 40);
    let end = source.text[start..end]
        .find('\n')
        .map_or(end, |n| start + n);
    Diagnostic::error(msg!(
        "lengths-paragraph-too-long",
        n = chars,
        max = MAX_PARAGRAPH_CHARS
    ))
    .at(source, start..end)
    .hint(msg!("lengths-paragraph-too-long-hint"))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(body: &str) -> Vec<String> {
        let source = SourceText::new("a.md", format!("+++\n+++\n{body}"));
        check_lines(&source, 8)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_paragraph_or_a_run_past_the_limits_is_refused_and_real_text_is_not() {
        let words = "一段正常的中文，带 some English words 和数字 2021。".repeat(1000);
        assert!(errors(&format!("{words}\n")).is_empty());
        assert!(errors(&format!("{}\n", "汉".repeat(MAX_PARAGRAPH_CHARS))).is_empty());
        assert_eq!(
            errors(&format!("{}\n", "汉".repeat(MAX_PARAGRAPH_CHARS + 1))).len(),
            1
        );
        assert!(errors(&format!("{} x\n", "ж".repeat(MAX_RUN_CHARS))).is_empty());
        let run = errors(&format!("前文{}后文\n", "a".repeat(MAX_RUN_CHARS + 1)));
        assert_eq!(run.len(), 1);
        assert!(run[0].contains("10001"), "{run:?}");
    }
}
