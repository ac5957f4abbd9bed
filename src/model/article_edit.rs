//! An article as the desk edits it: its front matter as form fields, edited in place with
//! toml_edit (keys the form does not know, comments and order kept), and its body as text.
//!
//! The desk works on text with `\n` line ends (as the browser's editor gives it); a file
//! written with `\r\n` is written back with `\r\n`.

use serde::Serialize;
use toml_edit::{DocumentMut, Item, Value};

/// The fields the form shows, in its order.
pub const FIELDS: [&str; 4] = ["title", "subtitle", "source", "author"];

/// An article's text split for the desk.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Parts {
    /// The form's values (`""` for a field not set).
    pub fields: Vec<(String, String)>,
    /// The body: everything after the front matter.
    pub body: String,
    /// The line of the file (1-based) the body starts on: the editor numbers its lines from
    /// there, so a line on a page and a line in the editor are the same number.
    pub body_line: usize,
    /// The front matter does not parse (the form cannot show it): the error, in toml_edit's
    /// words; the build says where.
    pub front_error: Option<String>,
}

/// Where the front matter's TOML is and where the body starts: (toml range, body start).
fn split(text: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "+++" {
        return None;
    }
    let mut pos = first_end;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "+++" {
            return Some((first_end..pos, end));
        }
        pos = end;
    }
    None
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Splits an article's text into the form's fields and the body.
pub fn parts(text: &str) -> Parts {
    let Some((front, body_start)) = split(text) else {
        return Parts {
            fields: FIELDS
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect(),
            body: text.to_string(),
            body_line: 1,
            front_error: None,
        };
    };
    let (fields, front_error) = match text[front].parse::<DocumentMut>() {
        Ok(doc) => (
            FIELDS
                .iter()
                .map(|f| {
                    let v = doc.get(f).and_then(Item::as_str).unwrap_or("");
                    (f.to_string(), v.to_string())
                })
                .collect(),
            None,
        ),
        Err(e) => (
            FIELDS
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect(),
            Some(e.message().to_string()),
        ),
    };
    Parts {
        fields,
        body: text[body_start..].to_string(),
        body_line: line_of(text, body_start),
        front_error,
    }
}

/// The article's text with the body replaced and the given fields set (an empty value
/// removes the key). Keys the form does not know, comments and order stay as written.
/// Fails (with toml_edit's words) when the front matter does not parse.
pub fn compose(
    text: &str,
    fields: Option<&[(String, String)]>,
    body: Option<&str>,
) -> Result<String, String> {
    let (front_text, body_now) = match split(text) {
        Some((front, start)) => (Some(&text[front]), &text[start..]),
        None => (None, text),
    };
    let body = body.unwrap_or(body_now);
    let Some(fields) = fields.filter(|f| !f.is_empty()) else {
        return Ok(match split(text) {
            Some((_, start)) => format!("{}{body}", &text[..start]),
            None => body.to_string(),
        });
    };
    let mut doc = front_text
        .unwrap_or("")
        .parse::<DocumentMut>()
        .map_err(|e| e.message().to_string())?;
    for (key, value) in fields {
        if !FIELDS.contains(&key.as_str()) {
            continue;
        }
        let value = value.trim();
        if value.is_empty() {
            doc.remove(key);
            continue;
        }
        match doc.get_mut(key).and_then(Item::as_value_mut) {
            Some(v) => {
                let decor = v.decor().clone();
                *v = Value::from(value);
                *v.decor_mut() = decor;
            }
            None => doc[key.as_str()] = toml_edit::value(value),
        }
    }
    let mut front = doc.to_string();
    if !front.is_empty() && !front.ends_with('\n') {
        front.push('\n');
    }
    if front.trim().is_empty() && front_text.is_none() {
        return Ok(body.to_string());
    }
    Ok(format!("+++\n{front}+++\n{body}"))
}

/// `\r\n` → `\n` (the desk's form); whether the file used `\r\n`.
pub fn to_lf(text: &str) -> (String, bool) {
    if text.contains("\r\n") {
        (text.replace("\r\n", "\n"), true)
    } else {
        (text.to_string(), false)
    }
}

/// The desk's text as the file is written: `\r\n` again where the file had it.
pub fn from_lf(text: &str, crlf: bool) -> String {
    if crlf {
        text.replace('\n', "\r\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "+++\n# 来源待核\ntitle = \"旧标题\" # 编辑部拟\nlayout_note = \"keep\"\nsource = \"某报\"\n+++\n正文第一段。\n\n第二段。\n";

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_form_sees_the_fields_and_the_body_starts_on_its_file_line() {
        let p = parts(TEXT);
        assert_eq!(p.fields[0], ("title".into(), "旧标题".into()));
        assert_eq!(p.fields[2], ("source".into(), "某报".into()));
        assert_eq!(p.fields[1].1, "");
        assert_eq!(p.body, "正文第一段。\n\n第二段。\n");
        assert_eq!(p.body_line, 7);
        let none = parts("只有正文。\n");
        assert_eq!(none.body_line, 1);
        assert_eq!(none.body, "只有正文。\n");
    }

    #[test]
    fn a_field_changes_in_place_and_comments_and_unknown_keys_stay() {
        let out = compose(
            TEXT,
            Some(&f(&[
                ("title", "新标题"),
                ("source", ""),
                ("author", "张三"),
            ])),
            None,
        )
        .unwrap();
        assert_eq!(
            out,
            "+++\n# 来源待核\ntitle = \"新标题\" # 编辑部拟\nlayout_note = \"keep\"\nauthor = \"张三\"\n+++\n正文第一段。\n\n第二段。\n"
        );
        // The body alone: the front matter byte for byte.
        let out = compose(TEXT, None, Some("新正文。\n")).unwrap();
        assert_eq!(
            out,
            TEXT.replace("正文第一段。\n\n第二段。\n", "新正文。\n")
        );
        // No front matter yet: one is made for the first field.
        let out = compose("正文。\n", Some(&f(&[("title", "题")])), None).unwrap();
        assert_eq!(out, "+++\ntitle = \"题\"\n+++\n正文。\n");
        // A title with quotes and backslashes is written as TOML, not pasted.
        let out = compose("正文。\n", Some(&f(&[("title", "\"引\\号\"")])), None).unwrap();
        let p = parts(&out);
        assert_eq!(p.fields[0].1, "\"引\\号\"");
    }

    #[test]
    fn a_front_matter_that_does_not_parse_is_not_rewritten() {
        let broken = "+++\ntitle = \"未闭合\n+++\n正文。\n";
        assert!(parts(broken).front_error.is_some());
        assert!(compose(broken, Some(&f(&[("title", "x")])), None).is_err());
        // The body can still be edited.
        assert_eq!(
            compose(broken, None, Some("新。\n")).unwrap(),
            "+++\ntitle = \"未闭合\n+++\n新。\n"
        );
    }

    #[test]
    fn line_ends_round_trip() {
        let (lf, crlf) = to_lf("a\r\nb\r\n");
        assert_eq!((lf.as_str(), crlf), ("a\nb\n", true));
        assert_eq!(from_lf(&lf, crlf), "a\r\nb\r\n");
    }
}
