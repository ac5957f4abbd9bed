//! `kanwu import`: a plain-text issue (as editors paste it from their word processor) → an
//! issue folder of Markdown articles and an issue.toml.
//!
//! The text's shape (that of the seed): a section opens with `●` and its title on a line of its
//! own; the first line after it is the article's title (except in 编者的话, which has none);
//! paragraphs are lines, blank lines between them optional; a numbered line that stands alone
//! (一、 （一） 1. （1）, short, no full stop) is a heading; a short line without punctuation
//! inside a section opens the next article. Text in GBK/GB18030 is converted (with a notice);
//! the file read is never modified.

use std::path::Path;

use crate::diag::{Diagnostic, Result, display_path};
use crate::model::Date;
use crate::model::issue_toml::{self, IssueEntry, SectionEntry};
use crate::model::manifest::KNOWN_KINDS;

/// An imported issue, in memory: its files (name → text) and what the editor should know.
#[derive(Debug)]
pub struct Imported {
    /// `issue.toml` and the articles, in the order the manifest names them.
    pub files: Vec<(String, String)>,
    pub notices: Vec<String>,
    pub sections: usize,
    pub articles: usize,
}

/// The issue values the text does not carry.
#[derive(Debug, Clone)]
pub struct IssueInfo {
    pub year: i32,
    pub number: u32,
    pub serial: Option<u32>,
    pub date: Date,
}

/// Reads a text file as UTF-16 when it opens with a byte-order mark, else as UTF-8, else as
/// GB18030 (a superset of GBK and GB2312), saying when it converted.
pub fn read_text_any(path: &Path) -> Result<(String, Option<String>)> {
    let shown = display_path(path);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(msg!(
            "import-cannot-read",
            shown = shown.display(),
            e = crate::util::io_reason(&e)
        ))
    })?;
    let not_text = || {
        Diagnostic::error(msg!(
            "import-not-text-file-neither",
            shown = shown.display()
        ))
        .hint(msg!("import-import-takes-plain-text"))
    };
    // UTF-16 with its byte-order mark: what Notepad saves as "Unicode".
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some((encoding_rs::UTF_16LE, "UTF-16LE")),
        Some([0xFE, 0xFF]) => Some((encoding_rs::UTF_16BE, "UTF-16BE")),
        _ => None,
    };
    if let Some((encoding, name)) = utf16 {
        return match encoding.decode_without_bom_handling_and_without_replacement(&bytes[2..]) {
            Some(s) => Ok((
                s.into_owned(),
                Some(msg!(
                    "import-notepad-s-unicode-read",
                    shown = shown.display(),
                    name = name
                )),
            )),
            None => Err(not_text().into()),
        };
    }
    if bytes.contains(&0) {
        return Err(not_text().into());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) if !s.chars().any(|c| c.is_control() && !c.is_whitespace()) => Ok((
            s.into_owned(),
            Some(msg!("import-not-utf-8-read", shown = shown.display())),
        )),
        _ => Err(not_text().into()),
    }
}

/// The kind of a heading line that stands alone: 2 for 一、, 3 for （一）, 4 for 1., 5 for （1）.
pub(crate) fn heading_level(line: &str) -> Option<u8> {
    let n = line.chars().count();
    if n > 40 || line.contains('。') || line.ends_with(['；', '！', '？', '：', ';', ':']) {
        return None;
    }
    const CN: &str = "一二三四五六七八九十百零";
    let mut chars = line.chars();
    let first = chars.next()?;
    let rest: String = chars.collect();
    let body_after = |s: &str| !s.trim().is_empty();
    if CN.contains(first) {
        // 一、 十二、
        let num_end = line.find(|c: char| !CN.contains(c))?;
        let tail = &line[num_end..];
        return (tail.starts_with('、') && body_after(&tail['、'.len_utf8()..])).then_some(2);
    }
    if first == '（' || first == '(' {
        let close = rest.find(['）', ')'])?;
        let inner = &rest[..close];
        let tail = &rest[close..];
        let tail = &tail[tail.chars().next()?.len_utf8()..];
        if inner.is_empty() || !body_after(tail) {
            return None;
        }
        if inner.chars().all(|c| CN.contains(c)) {
            return Some(3);
        }
        if inner.chars().all(|c| c.is_ascii_digit()) {
            return Some(5);
        }
        return None;
    }
    if first.is_ascii_digit() {
        let num_end = line.find(|c: char| !c.is_ascii_digit())?;
        let tail = &line[num_end..];
        let sep = tail.chars().next()?;
        if matches!(sep, '.' | '．' | '、') && body_after(&tail[sep.len_utf8()..]) {
            return Some(4);
        }
    }
    None
}

/// A short line with no punctuation at all: a title (of the next article, when it comes
/// inside a section).
fn looks_like_title(line: &str) -> bool {
    let n = line.chars().count();
    (2..=30).contains(&n)
        && heading_level(line).is_none()
        && !line.chars().any(|c| "。，、；：！？,;:!?.“”\"".contains(c))
}

/// Escapes a line of plain text so Markdown reads it back as the same text.
pub fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if "\\`*_[]<>#|~!$&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    // At the start of a line: list markers, block quotes, setext underlines, ordered lists.
    let first = out.chars().next();
    if matches!(first, Some('+' | '-' | '=')) {
        out.insert(0, '\\');
    } else if first.is_some_and(|c| c.is_ascii_digit()) {
        let end = out.find(|c: char| !c.is_ascii_digit()).unwrap_or(out.len());
        if out[end..].starts_with(['.', ')']) {
            out.insert(end, '\\');
        }
    }
    out
}

fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

struct Article {
    title: Option<String>,
    lines: Vec<String>,
}

struct Section {
    kind: String,
    title: String,
    articles: Vec<Article>,
}

/// `kanwu import issue.txt DIR`: reads `source` (UTF-8 or GBK), converts it and writes the
/// new issue folder `target` whole (never over an existing folder). Returns what was imported
/// and, when the text was converted from GBK, a notice saying so.
pub fn import_into(
    source: &Path,
    target: &Path,
    info: &IssueInfo,
) -> Result<(Imported, Option<String>)> {
    let (text, notice) = read_text_any(source)?;
    let imported = import_text(&text, source, info)?;
    let files: Vec<(String, Vec<u8>)> = imported
        .files
        .iter()
        .map(|(n, t)| (n.clone(), t.clone().into_bytes()))
        .collect();
    crate::util::write_new_folder(target, &files)?;
    Ok((imported, notice))
}

/// Converts a plain-text issue. `source` names the file in messages.
pub fn import_text(text: &str, source: &Path, info: &IssueInfo) -> Result<Imported> {
    let shown = display_path(source);
    let mut sections: Vec<Section> = Vec::new();
    let mut notices = Vec::new();
    if !text.lines().any(|l| {
        l.trim()
            .trim_start_matches('\u{feff}')
            .trim()
            .starts_with('●')
    }) {
        return Err(
            Diagnostic::error(msg!("import-has-no-sections-no", shown = shown.display()))
                .hint(msg!("import-section-opens-with-and"))
                .into(),
        );
    }
    // Waiting for the article title (the first line after a section marker).
    let mut want_title = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim().trim_start_matches('\u{feff}').trim();
        if line.is_empty() {
            continue;
        }
        if let Some(title) = line.strip_prefix('●') {
            let title = title.trim().to_string();
            if title.is_empty() {
                return Err(Diagnostic::error(msg!(
                    "import-section-marker-without-title",
                    shown = shown.display(),
                    i = i + 1
                ))
                .hint(msg!("import-write-section-s-title"))
                .into());
            }
            let kind = match KNOWN_KINDS.iter().find(|(_, t)| *t == title) {
                Some((k, _)) => k.to_string(),
                None => format!("section{}", sections.len() + 1),
            };
            want_title = kind != "editors-note";
            sections.push(Section {
                kind,
                title,
                articles: if want_title {
                    Vec::new()
                } else {
                    vec![Article {
                        title: None,
                        lines: Vec::new(),
                    }]
                },
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(Diagnostic::error(msg!(
                "import-text-before-first-section",
                shown = shown.display(),
                i = i + 1
            ))
            .hint(msg!("import-section-opens-with-and-2"))
            .into());
        };
        if want_title {
            section.articles.push(Article {
                title: Some(line.to_string()),
                lines: Vec::new(),
            });
            want_title = false;
            continue;
        }
        let article = section
            .articles
            .last_mut()
            .expect("a section has an article");
        if section.kind != "editors-note" && !article.lines.is_empty() && looks_like_title(line) {
            notices.push(msg!(
                "import-taken-as-title-new",
                shown = shown.display(),
                i = i + 1,
                line = line,
                title = section.title
            ));
            section.articles.push(Article {
                title: Some(line.to_string()),
                lines: Vec::new(),
            });
            continue;
        }
        let md = match heading_level(line) {
            Some(level) => format!("{} {}", "#".repeat(level as usize), escape_markdown(line)),
            None => escape_markdown(line),
        };
        article.lines.push(md);
    }
    if sections.is_empty() {
        return Err(
            Diagnostic::error(msg!("import-has-no-sections-no", shown = shown.display()))
                .hint(msg!("import-section-opens-with-and"))
                .into(),
        );
    }

    let mut files = Vec::new();
    let mut count = 0;
    let mut entries = Vec::new();
    for (si, s) in sections.iter().enumerate() {
        let mut names = Vec::new();
        for (ai, a) in s.articles.iter().enumerate() {
            if a.lines.is_empty() && a.title.is_none() {
                continue;
            }
            let name = if s.kind == "editors-note" {
                "editors-note.md".to_string()
            } else if KNOWN_KINDS.iter().any(|(k, _)| *k == s.kind) {
                format!("{}-{}.md", s.kind, ai + 1)
            } else {
                format!("section{}-{}.md", si + 1, ai + 1)
            };
            let mut md = String::from("+++\n");
            if let Some(t) = &a.title {
                md.push_str(&format!("title = {}\n", toml_str(t)));
            }
            md.push_str("+++\n");
            for l in &a.lines {
                md.push('\n');
                md.push_str(l);
                md.push('\n');
            }
            if a.lines.is_empty() {
                notices.push(msg!(
                    "import-article-has-no-text",
                    name = name,
                    title = a.title.as_deref().unwrap_or("")
                ));
            }
            files.push((name.clone(), md));
            names.push(name);
            count += 1;
        }
        if names.is_empty() {
            return Err(Diagnostic::error(msg!(
                "import-section-has-no-text",
                shown = shown.display(),
                title = s.title
            ))
            .into());
        }
        entries.push(SectionEntry {
            kind: s.kind.clone(),
            title: s.title.clone(),
            articles: names,
        });
    }
    let toml = issue_toml::write(&IssueEntry {
        year: info.year,
        number: info.number,
        serial: info.serial,
        date: info.date,
        copies: None,
        sections: entries,
    });
    files.insert(0, ("issue.toml".to_string(), toml));
    Ok(Imported {
        files,
        notices,
        sections: sections.len(),
        articles: count,
    })
}

#[cfg(test)]
mod tests {
    use super::{heading_level, looks_like_title};

    #[test]
    fn numbered_lines_are_headings_of_their_level() {
        for (line, level) in [
            ("一、总体情况", 2),
            ("十二、小结", 2),
            ("（一）十三五期间我国总体发展情况", 3),
            ("(二)半角括号", 3),
            ("1.人工智能政策环境持续优化", 4),
            ("12. 半角点后有空格", 4),
            ("3．全角点", 4),
            ("4、顿号", 4),
            ("（1）第一小点", 5),
            ("(10)半角括号", 5),
        ] {
            assert_eq!(heading_level(line), Some(level), "{line}");
        }
    }

    #[test]
    fn sentences_long_lines_and_bare_numbers_are_not_headings() {
        let long = format!("一、{}", "长".repeat(39));
        assert_eq!(long.chars().count(), 41);
        for line in [
            // A full stop, or a closing ；！？： makes it a sentence.
            "1.人工智能政策环境持续优化。",
            "一、总体情况如下：",
            "（一）要点；",
            long.as_str(),
            // A number with nothing after it, or not followed by its separator.
            "一、",
            "（一）",
            "1.",
            "2021年工作回顾",
            "一是加强领导",
            // Inside the brackets neither 一二三 nor 123.
            "（甲）其他",
            "（）空",
            "（1a）混合",
            // Not numbered at all.
            "总体情况",
            "",
        ] {
            assert_eq!(heading_level(line), None, "{line:?}");
        }
        // 40 characters is still short enough.
        let forty = format!("一、{}", "长".repeat(38));
        assert_eq!(heading_level(&forty), Some(2));
    }

    #[test]
    fn a_title_is_a_short_line_without_punctuation_that_is_not_a_heading() {
        for line in ["我国人工智能发展重点与机遇", "国内新闻标题", "AI"] {
            assert!(looks_like_title(line), "{line}");
        }
        let thirty = "题".repeat(30);
        assert!(looks_like_title(&thirty));
        let thirty_one = "题".repeat(31);
        for line in [
            "题",
            thirty_one.as_str(),
            "一、总体情况",
            "（一）总体情况",
            "某市发布新政策，支持企业创新",
            "本期关注人工智能。",
            "标题：副题",
            "“引号”标题",
            "Version 1.0",
        ] {
            assert!(!looks_like_title(line), "{line}");
        }
    }
}
