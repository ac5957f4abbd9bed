//! Inline text after parsing: adjacent text merged, soft line breaks resolved the Chinese way
//! (no space next to a CJK character), footnote markers replaced by their notes; and the
//! character classes the rest of kanwu asks about (CJK, 汉字, a heading's own number).

use std::collections::HashMap;

use super::document::{Block, Inline};

/// Merges adjacent text and resolves soft line breaks: none next to a CJK character (a Chinese
/// paragraph wrapped in the editor's file must not get spaces), a space otherwise.
pub(crate) fn normalize(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in inlines {
        let inline = match inline {
            Inline::Strong { c } => Inline::Strong { c: normalize(c) },
            Inline::Emph { c } => Inline::Emph { c: normalize(c) },
            Inline::Strike { c } => Inline::Strike { c: normalize(c) },
            Inline::Link { url, c } => Inline::Link {
                url,
                c: normalize(c),
            },
            other => other,
        };
        if let (Some(Inline::Text { v: prev }), Inline::Text { v }) = (out.last_mut(), &inline)
            && !v.starts_with('\u{0}')
            && !prev.ends_with('\u{0}')
            && !prev.starts_with('\u{0}')
        {
            prev.push_str(v);
            continue;
        }
        out.push(inline);
    }
    for i in 0..out.len() {
        if let Inline::Text { v } = &out[i]
            && v.contains('\n')
        {
            let before = out[..i].iter().rev().find_map(last_char);
            let after = out[i + 1..].iter().find_map(first_char);
            let fixed = resolve_soft_breaks(v, before, after);
            out[i] = Inline::Text { v: fixed };
        }
    }
    out
}

fn last_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { v } | Inline::Code { v } => v.chars().last(),
        Inline::Strong { c }
        | Inline::Emph { c }
        | Inline::Strike { c }
        | Inline::Link { c, .. } => c.iter().rev().find_map(last_char),
        _ => None,
    }
}

fn first_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { v } | Inline::Code { v } => v.chars().next(),
        Inline::Strong { c }
        | Inline::Emph { c }
        | Inline::Strike { c }
        | Inline::Link { c, .. } => c.iter().find_map(first_char),
        _ => None,
    }
}

fn resolve_soft_breaks(text: &str, before: Option<char>, after: Option<char>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c != '\n' {
            out.push(c);
            continue;
        }
        let prev = if i > 0 { Some(chars[i - 1]) } else { before };
        let next = chars.get(i + 1).copied().or(after);
        let cjk = |c: Option<char>| c.is_some_and(is_cjk);
        if !(cjk(prev) || cjk(next)) {
            out.push(' ');
        }
    }
    out
}

/// Han characters and CJK punctuation: no space is wanted next to them at a line join.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Does a heading's text begin with its own number: 一、 （一） (一) 1. 1、 （1） (1) ?
pub fn carries_number(text: &str) -> bool {
    let t = text.trim_start();
    let is_cn = |c: char| "一二三四五六七八九十百零〇".contains(c);
    let mut chars = t.chars().peekable();
    match chars.peek().copied() {
        Some(c) if is_cn(c) => {
            let rest: String = chars.skip_while(|&c| is_cn(c)).collect();
            rest.starts_with('、')
        }
        Some('（') | Some('(') => {
            chars.next();
            let inner: String = chars
                .clone()
                .take_while(|&c| c != '）' && c != ')')
                .collect();
            let closed = chars
                .nth(inner.chars().count())
                .is_some_and(|c| c == '）' || c == ')');
            closed
                && !inner.is_empty()
                && (inner.chars().all(is_cn) || inner.chars().all(|c| c.is_ascii_digit()))
        }
        Some(c) if c.is_ascii_digit() => {
            let mut rest = chars.skip_while(|c| c.is_ascii_digit());
            matches!(rest.next(), Some('.' | '．' | '、'))
                && !rest.next().is_some_and(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// Replaces footnote markers by the footnotes' text (definitions may come after their use).
pub(crate) fn resolve_footnotes(blocks: &mut [Block], notes: &HashMap<String, Vec<Block>>) {
    for block in blocks.iter_mut() {
        match block {
            Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => {
                fix_inlines(inlines, notes)
            }
            Block::List { items, .. } => items.iter_mut().for_each(|b| resolve_footnotes(b, notes)),
            Block::Quote { blocks } => resolve_footnotes(blocks, notes),
            Block::Table { header, rows, .. } => {
                header.iter_mut().for_each(|c| fix_inlines(c, notes));
                rows.iter_mut()
                    .flatten()
                    .for_each(|c| fix_inlines(c, notes));
            }
            Block::Image { caption, .. } => fix_inlines(caption, notes),
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

fn fix_inlines(inlines: &mut Vec<Inline>, notes: &HashMap<String, Vec<Block>>) {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in std::mem::take(inlines) {
        match inline {
            Inline::Text { v } if v.starts_with("\u{0}fn:") => {
                let label = &v["\u{0}fn:".len()..];
                match notes.get(label) {
                    Some(c) => {
                        let mut c = c.clone();
                        resolve_footnotes(&mut c, notes);
                        out.push(Inline::Footnote { c });
                    }
                    None => out.push(Inline::text(format!("[^{label}]"))),
                }
            }
            Inline::Strong { mut c } => {
                fix_inlines(&mut c, notes);
                out.push(Inline::Strong { c });
            }
            Inline::Emph { mut c } => {
                fix_inlines(&mut c, notes);
                out.push(Inline::Emph { c });
            }
            Inline::Strike { mut c } => {
                fix_inlines(&mut c, notes);
                out.push(Inline::Strike { c });
            }
            Inline::Link { url, mut c } => {
                fix_inlines(&mut c, notes);
                out.push(Inline::Link { url, c });
            }
            other => out.push(other),
        }
    }
    *inlines = normalize(out);
}

/// 汉字: a CJK unified ideograph (the basic block and its extensions, and compatibility
/// ideographs); punctuation, digits and Latin letters are not.
pub fn is_hanzi(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x30000..=0x323AF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_numbers_are_recognised_in_every_style() {
        for numbered in [
            "一、总体情况",
            "十二、展望",
            "（一）军用领域",
            "(三) 民用",
            "（12）细则",
            "1. 概述",
            "2、范围",
            "3．方法",
            "  四、前面有空格",
        ] {
            assert!(carries_number(numbered), "{numbered}");
        }
        for plain in [
            "总体情况",
            "2021年回顾",
            "1.5倍的增长",
            "（一",
            "（）空括号",
            "(a) 字母",
            "一是加强",
            "",
        ] {
            assert!(!carries_number(plain), "{plain}");
        }
    }

    #[test]
    fn soft_breaks_vanish_next_to_cjk_and_become_spaces_between_latin() {
        assert_eq!(resolve_soft_breaks("中\n文", None, None), "中文");
        assert_eq!(resolve_soft_breaks("AI\n技术", None, None), "AI技术");
        assert_eq!(
            resolve_soft_breaks("open\nsource", None, None),
            "open source"
        );
        assert_eq!(resolve_soft_breaks("\nx", Some('中'), None), "x");
    }

    #[test]
    fn hanzi_are_ideographs_only() {
        assert!(is_hanzi('汉') && is_hanzi('𠀀'));
        assert!(!is_hanzi('，') && !is_hanzi('A') && !is_hanzi('1') && !is_hanzi('ア'));
        assert!(is_cjk('，') && is_cjk('ア') && !is_cjk('A'));
    }
}
