//! Inline text after parsing: adjacent text merged, soft line breaks resolved the Chinese way
//! (no space next to a CJK character), footnote markers replaced by their notes; and the
//! character classes the rest of kanwu asks about (CJK, 汉字, a heading's own number).

use std::collections::HashMap;

use pulldown_cmark::Event;

use super::document::{Block, Inline};
use crate::diag::{Diagnostic, SourceText};

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

/// How deep lists, quotes, emphasis (and notes inside notes) may nest: deeper is an error at
/// parse time, so nothing downstream (the layout, the JSON reader) meets unbounded nesting.
pub(crate) const MAX_DEPTH: usize = 12;
/// The error for nesting deeper than [`MAX_DEPTH`] (from the catalogue).
pub(crate) fn too_deep() -> String {
    msg!("text-too-deep", max = MAX_DEPTH)
}
/// How many notes one note may carry inside it, counting repeats (a note used twice in a note
/// used twice… multiplies).
const MAX_NOTE_COPIES: usize = 1000;
const MARK: &str = "\u{0}fn:";

/// The marker a footnote reference leaves in the text until the notes are resolved; `depth`
/// is the nesting (lists, quotes, emphasis) around it.
pub(crate) fn footnote_marker(depth: usize, label: &str) -> Inline {
    Inline::Text {
        v: format!("{MARK}{depth}:{label}"),
    }
}

fn parse_marker(v: &str) -> Option<(usize, &str)> {
    let (depth, label) = v.strip_prefix(MARK)?.split_once(':')?;
    Some((depth.parse().ok()?, label))
}

/// A footnote definition: its line, the deepest nesting inside it, its content.
#[derive(Debug)]
pub(crate) struct Note {
    pub line: usize,
    pub depth: usize,
    pub blocks: Vec<Block>,
}

/// Why the notes cannot be set: a cycle (labels and lines, in order), or a note whose notes
/// nest too deep or repeat too often.
#[derive(Debug, PartialEq)]
pub(crate) enum NoteError {
    Cycle(Vec<(String, usize)>),
    TooDeep(String, usize),
    TooMany(String, usize),
}

/// The error for an article's notes, at the line of the (first) note involved.
pub(crate) fn note_error(e: NoteError, source: &SourceText) -> Diagnostic {
    let (message, line, others, hint) = match e {
        NoteError::Cycle(mut cycle) => {
            let (first, line) = cycle.remove(0);
            let message = match cycle.as_slice() {
                [] => msg!("text-footnote-refers-itself", first = first),
                [(second, _)] => {
                    msg!(
                        "text-notes-refer-to-each-other",
                        first = first,
                        second = second
                    )
                }
                more => {
                    let names: Vec<String> = more.iter().map(|(l, _)| format!("[^{l}]")).collect();
                    msg!("text-notes-circle", first = first, names = names.join(", "))
                }
            };
            let hint = msg!("text-footnote-may-hold-another");
            (message, line, cycle, hint)
        }
        NoteError::TooDeep(label, line) => (
            msg!("text-note-too-deep", label = label, too_deep = too_deep()),
            line,
            vec![],
            msg!("text-note-too-deep-hint"),
        ),
        NoteError::TooMany(label, line) => {
            let message = msg!("text-note-too-many", label = label, max = MAX_NOTE_COPIES);
            (message, line, vec![], msg!("text-note-too-many-hint"))
        }
    };
    let mut d = Diagnostic::error(message).at_line(source, line).hint(hint);
    for (label, line) in others {
        d = d.related(
            source,
            source.line_range(line),
            msg!("text-defined-here", label = label),
        );
    }
    d
}

/// Skips the events of a construct whose start was just read, up to its end, without recursing.
pub(crate) fn skip_nested<'a, R>(events: &mut impl Iterator<Item = (Event<'a>, R)>) {
    let mut open = 0usize;
    for (ev, _) in events {
        match ev {
            Event::Start(_) => open += 1,
            Event::End(_) if open == 0 => break,
            Event::End(_) => open -= 1,
            _ => {}
        }
    }
}

/// Replaces footnote markers by the footnotes' content (definitions may come after their use).
/// Notes inside notes are resolved innermost first, in an explicit order: nothing recurses
/// along references, and a note that refers (through others) to itself is an error.
pub(crate) fn resolve_footnotes(
    blocks: &mut [Block],
    mut notes: HashMap<String, Note>,
) -> Result<(), NoteError> {
    let mut labels: Vec<String> = notes.keys().cloned().collect();
    labels.sort_by_key(|l| (notes[l].line, l.clone()));
    let mut refs: HashMap<String, Vec<(usize, String)>> = HashMap::new();
    for l in &labels {
        let mut found = Vec::new();
        markers(&mut notes.get_mut(l).expect("a label").blocks, &mut found);
        found.retain(|(_, c)| notes.contains_key(c));
        refs.insert(l.clone(), found);
    }
    // Depth-first, with a stack of our own: post-order, or the cycle met.
    let mut state: HashMap<&str, u8> = HashMap::new(); // 1 on the path, 2 done
    let mut order: Vec<&str> = Vec::new();
    for root in &labels {
        if state.contains_key(root.as_str()) {
            continue;
        }
        let mut stack: Vec<(&str, usize)> = vec![(root, 0)];
        state.insert(root, 1);
        while let Some((label, next)) = stack.last_mut() {
            let Some((_, child)) = refs[*label].get(*next) else {
                state.insert(label, 2);
                order.push(label);
                stack.pop();
                continue;
            };
            *next += 1;
            match state.get(child.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|(l, _)| *l == child).unwrap();
                    let cycle = stack[from..]
                        .iter()
                        .map(|(l, _)| (l.to_string(), notes[*l].line));
                    return Err(NoteError::Cycle(cycle.collect()));
                }
                Some(_) => {}
                None => {
                    state.insert(child, 1);
                    stack.push((child, 0));
                }
            }
        }
    }
    // Innermost first: each note's notes are resolved before it.
    let mut done: HashMap<String, Resolved> = HashMap::new();
    for label in order {
        let mut depth = notes[label].depth;
        let mut copies = 1usize;
        for (at, child) in &refs[label] {
            depth = depth.max(at + 1 + done[child].0);
            copies = copies.saturating_add(done[child].1);
        }
        let line = notes[label].line;
        if depth > MAX_DEPTH {
            return Err(NoteError::TooDeep(label.to_string(), line));
        }
        if copies > MAX_NOTE_COPIES {
            return Err(NoteError::TooMany(label.to_string(), line));
        }
        let mut c = notes.remove(label).expect("a defined note").blocks;
        replace_markers(&mut c, &done);
        done.insert(label.to_string(), (depth, copies, line, c));
    }
    let mut found = Vec::new();
    markers(blocks, &mut found);
    for (at, label) in found {
        if let Some((depth, _, line, _)) = done.get(&label)
            && at + 1 + depth > MAX_DEPTH
        {
            return Err(NoteError::TooDeep(label, *line));
        }
    }
    replace_markers(blocks, &done);
    Ok(())
}

/// A resolved note: its depth, the notes it carries (itself included), its line, its content.
type Resolved = (usize, usize, usize, Vec<Block>);

/// Calls `f` on every inline list of `blocks` (nesting is bounded by [`MAX_DEPTH`]).
fn each_inlines(blocks: &mut [Block], f: &mut dyn FnMut(&mut Vec<Inline>)) {
    for block in blocks.iter_mut() {
        match block {
            Block::Paragraph { inlines, .. } | Block::Heading { inlines, .. } => f(inlines),
            Block::List { items, .. } => items.iter_mut().for_each(|b| each_inlines(b, f)),
            Block::Quote { blocks } => each_inlines(blocks, f),
            Block::Table { header, rows, .. } => {
                header.iter_mut().for_each(&mut *f);
                rows.iter_mut().flatten().for_each(&mut *f);
            }
            Block::Image { caption, .. } => f(caption),
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

/// The footnote markers in `blocks`: depth and label, in order.
fn markers(blocks: &mut [Block], found: &mut Vec<(usize, String)>) {
    fn walk(inlines: &[Inline], found: &mut Vec<(usize, String)>) {
        for inline in inlines {
            match inline {
                Inline::Text { v } => {
                    if let Some((d, l)) = parse_marker(v) {
                        found.push((d, l.to_string()));
                    }
                }
                Inline::Strong { c }
                | Inline::Emph { c }
                | Inline::Strike { c }
                | Inline::Link { c, .. } => walk(c, found),
                _ => {}
            }
        }
    }
    each_inlines(blocks, &mut |inlines| walk(inlines, found));
}

fn replace_markers(blocks: &mut [Block], done: &HashMap<String, Resolved>) {
    each_inlines(blocks, &mut |inlines| fix_inlines(inlines, done));
}

fn fix_inlines(inlines: &mut Vec<Inline>, done: &HashMap<String, Resolved>) {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in std::mem::take(inlines) {
        match inline {
            Inline::Text { v } if v.starts_with(MARK) => {
                let label = parse_marker(&v).map_or("", |(_, l)| l);
                match done.get(label) {
                    Some((_, _, _, c)) => out.push(Inline::Footnote { c: c.clone() }),
                    None => out.push(Inline::text(format!("[^{label}]"))),
                }
            }
            Inline::Strong { mut c } => {
                fix_inlines(&mut c, done);
                out.push(Inline::Strong { c });
            }
            Inline::Emph { mut c } => {
                fix_inlines(&mut c, done);
                out.push(Inline::Emph { c });
            }
            Inline::Strike { mut c } => {
                fix_inlines(&mut c, done);
                out.push(Inline::Strike { c });
            }
            Inline::Link { url, mut c } => {
                fix_inlines(&mut c, done);
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
    fn numbering_is_detected() {
        for yes in [
            "一、美国",
            "（一）十三五",
            "(二) x",
            "1.人工智能",
            "12、十二",
            "（1）小",
            "(3) x",
        ] {
            assert!(carries_number(yes), "{yes}");
        }
        for no in ["美国", "1.5倍增长", "2021年", "（注）说明", "一带一路"] {
            assert!(!carries_number(no), "{no}");
        }
    }

    fn parse(text: &str) -> crate::diag::Result<crate::model::article::Article> {
        let dir = std::env::temp_dir().canonicalize().unwrap();
        crate::model::article::parse(SourceText::new("a.md", text), &dir, false)
    }

    fn first_error(text: &str) -> (String, Option<usize>) {
        let err = parse(text).unwrap_err();
        (err.0[0].message.clone(), err.0[0].line())
    }

    #[test]
    fn footnote_cycles_are_errors_at_the_notes_line() {
        let own = first_error("正文[^1]。\n\n[^1]: 注一[^1]\n");
        assert_eq!(own, ("footnote [^1] refers to itself".into(), Some(3)));
        let two = first_error("正文[^a]。\n\n[^a]: 甲[^b]\n\n[^b]: 乙[^a]\n");
        assert_eq!(
            two,
            (
                "footnotes [^a] and [^b] refer to each other".into(),
                Some(3)
            )
        );
        let three = first_error("x[^c]\n\n[^a]: 甲[^b]\n\n[^b]: 乙[^c]\n\n[^c]: 丙[^a]\n");
        assert!(three.0.contains("[^a], [^b], [^c]"), "{three:?}");
        assert_eq!(three.1, Some(3));
        // Never referred to from the text: still a cycle.
        assert!(parse("x\n\n[^z]: *[^z]*\n").is_err());
    }

    #[test]
    fn a_note_inside_a_note_is_resolved_innermost_first() {
        let a = parse("正文[^a]。\n\n[^a]: 甲[^b]\n\n[^b]: 乙[^c]\n\n[^c]: 丙\n").unwrap();
        let Block::Paragraph { inlines, .. } = &a.blocks[0] else {
            panic!()
        };
        let Inline::Footnote { c } = &inlines[1] else {
            panic!("{inlines:?}")
        };
        let Block::Paragraph { inlines, .. } = &c[0] else {
            panic!()
        };
        assert!(
            matches!(&inlines[1], Inline::Footnote { c } if c.len() == 1),
            "{inlines:?}"
        );
    }

    #[test]
    fn notes_repeated_inside_notes_are_bounded() {
        let mut text = String::from("x[^n0]\n");
        for i in 0..12 {
            text.push_str(&format!(
                "\n[^n{i}]: {}\n",
                format!("[^n{}]", i + 1).repeat(4)
            ));
        }
        text.push_str("\n[^n12]: 末\n");
        let (message, line) = first_error(&text);
        assert!(message.contains("more than 1000 notes"), "{message}");
        assert!(line.is_some());
    }

    #[test]
    fn nesting_is_limited_to_twelve_levels() {
        let quotes = |n: usize| format!("{} x\n", ">".repeat(n));
        assert!(parse(&quotes(MAX_DEPTH)).is_ok());
        assert_eq!(first_error(&quotes(13)), (too_deep(), Some(1)));
        // Far deeper than any stack allows when recursed: refused, once, at once.
        let err = parse(&quotes(10_000)).unwrap_err();
        assert_eq!(err.0.len(), 1);
        let list = |n: usize| {
            (0..n)
                .map(|i| format!("{}- x\n", "  ".repeat(i)))
                .collect::<String>()
        };
        assert!(parse(&list(MAX_DEPTH)).is_ok());
        assert_eq!(first_error(&list(50)), (too_deep(), Some(13)));
        let emph = |n: usize| format!("{}x{}\n", "*".repeat(n), "*".repeat(n));
        assert!(parse(&emph(MAX_DEPTH)).is_ok());
        assert_eq!(first_error(&emph(250)).0, too_deep());
        // Quotes, lists and emphasis count together.
        let mixed = format!("{}{}x\n", "> ".repeat(6), "- ".repeat(7));
        assert_eq!(first_error(&mixed).0, too_deep());
    }

    #[test]
    fn notes_inside_notes_count_towards_the_depth() {
        // Each note is a reference inside 5 quotes: [^n1] ends 12 deep, [^n0] 18.
        let mut text = String::from("x[^n0]\n");
        for i in 0..3 {
            text.push_str(&format!("\n[^n{i}]: {}[^n{}]\n", "> ".repeat(5), i + 1));
        }
        text.push_str("\n[^n3]: 末\n");
        let (message, line) = first_error(&text);
        assert_eq!(
            message,
            format!(
                "footnote [^n0]: {} (notes inside notes count too)",
                too_deep()
            )
        );
        assert_eq!(line, Some(3));
        // Without the outermost step it fits: [^n1] is 12 deep and unused, [^n0] plain.
        assert!(parse(&text.replace("[^n0]: > > > > > [^n1]", "[^n0]: 甲")).is_ok());
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
