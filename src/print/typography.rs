//! The typographic check: how well the body text is set, read from the typeset frames.
//!
//! Every glyph of the body (the most common text size) is placed on its line with its pen
//! position, its advance as laid out and its natural advance from the font. From these:
//!
//! - **squeezed marks**: on a full (justified) line, a run of CJK marks whose width is at least
//!   0.5 pt (visibly: 1.5 pt) under its normal width. The normal width leaves out what the rules
//!   take anyway: half a mark between two marks in a row, half a closing mark at a line end and
//!   half an opening mark at a line start;
//! - the narrowest pair of two marks in a row inside a line (normal: 1.5 em);
//! - **孤字**: a paragraph's last line holding one character (plus its marks);
//! - **避头尾**: a closing mark starting a line, an opening mark ending one;
//! - **quotes** “”‘’ narrower than full width (a face with proportional quotes);
//! - the **gap between 汉字 and Latin letters or digits**, in em of the body size;
//! - the space above and below each `##` heading, baseline to baseline.

use std::collections::HashMap;

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// Marks that may not start a line (closing marks, stops, pauses).
pub const CLOSING: &[char] = &[
    '，', '。', '、', '；', '：', '？', '！', '）', '》', '”', '’', '〉', '」', '』', '】', '〕',
    '〗', '］', '｝', '．',
];
/// Marks that may not end a line (opening brackets and quotes).
pub const OPENING: &[char] = &[
    '（', '《', '“', '‘', '〈', '「', '『', '【', '〔', '〖', '［', '｛',
];
/// The quotes whose width is checked.
const QUOTES: &[char] = &['“', '”', '‘', '’'];

/// A squeeze under this is not counted (pt).
pub const SQUEEZED_PT: f64 = 0.5;
/// A squeeze from this on is visible (pt).
pub const VISIBLE_PT: f64 = 1.5;
/// Lines ending within this of the right edge are full (pt).
const EDGE_PT: f64 = 0.5;

/// One glyph of a body line, in points from the page's top-left corner.
#[derive(Debug, Clone)]
struct Glyph {
    c: char,
    /// Pen position.
    x: f64,
    /// Offset of the ink box from the pen (justification on the left, CJK–Latin spacing).
    offset: f64,
    advance: f64,
    natural: f64,
    size: f64,
    family: String,
    bold: bool,
}

/// A line of body text as typeset.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based.
    pub page: usize,
    /// Baseline, pt from the page top.
    pub y: f64,
    pub x0: f64,
    pub x1: f64,
    pub text: String,
    /// Justified to the full measure.
    pub full: bool,
    /// The largest squeeze of a run of marks on the line, pt (0 when none or not full).
    pub squeeze: f64,
    glyphs: Vec<Glyph>,
}

/// A line named in a finding: page and text.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub page: usize,
    pub text: String,
    /// The end of the line before (to find the place in the source).
    pub before: String,
}

/// Space above and below a heading, baseline to baseline (none at a page's edge), pt.
pub type Space = (Option<f64>, Option<f64>);

/// The figures of one typeset document.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// The body size, pt (the most common text size).
    pub body_size: f64,
    pub lines: usize,
    pub full_lines: usize,
    pub squeezed: usize,
    pub squeezed_visibly: usize,
    /// The narrowest pair of marks in a row (two, not three) inside a line, in em, with its text.
    pub narrowest_pair: Option<(f64, String)>,
    /// Every gap between a 汉字 and a Latin letter or digit, in em.
    pub cjk_latin_gaps: Vec<f64>,
    pub runts: Vec<Place>,
    /// 避头尾: lines starting with a closing mark or ending with an opening one.
    pub kinsoku: Vec<Place>,
    pub quotes: usize,
    /// Quotes narrower than 0.9 em, by font family.
    pub narrow_quotes: Vec<(String, Place)>,
    /// The most space added to each 汉字 of a full line (its tracking), in em, with its text.
    pub loosest: Option<(f64, String)>,
    /// For each `##` heading (bold, larger than the body): baseline to baseline from the body line above and
    /// to the body line below on its page, pt.
    pub heading_space: Vec<Space>,
}

impl Figures {
    pub fn squeezed_share(&self) -> f64 {
        share(self.squeezed, self.full_lines)
    }

    pub fn visibly_share(&self) -> f64 {
        share(self.squeezed_visibly, self.full_lines)
    }

    /// The median CJK–Latin gap in em.
    pub fn median_gap(&self) -> Option<f64> {
        let mut g = self.cjk_latin_gaps.clone();
        if g.is_empty() {
            return None;
        }
        g.sort_by(f64::total_cmp);
        Some(g[g.len() / 2])
    }

    /// The figures as a few lines of text.
    pub fn summary(&self) -> String {
        let pct = |x: f64| format!("{:.0} %", x * 100.0);
        let mut s = format!(
            "body {:.1} pt: {} lines, {} full; squeezed {} ({}), visibly {} ({})\n",
            self.body_size,
            self.lines,
            self.full_lines,
            self.squeezed,
            pct(self.squeezed_share()),
            self.squeezed_visibly,
            pct(self.visibly_share())
        );
        match &self.narrowest_pair {
            Some((em, text)) => s.push_str(&format!(
                "narrowest pair of marks: {em:.3} em ({:.1} pt) in {text}\n",
                em * self.body_size
            )),
            None => s.push_str("narrowest pair of marks: none\n"),
        }
        if let Some((em, text)) = &self.loosest {
            s.push_str(&format!("loosest full line: {em:.3} em a 汉字 in {text}\n"));
        }
        match self.median_gap() {
            Some(g) => {
                let min = self.cjk_latin_gaps.iter().copied().fold(f64::MAX, f64::min);
                let max = self.cjk_latin_gaps.iter().copied().fold(f64::MIN, f64::max);
                s.push_str(&format!(
                    "CJK–Latin gap: median {g:.3} em (min {min:.3}, max {max:.3}, {} gaps)\n",
                    self.cjk_latin_gaps.len()
                ))
            }
            None => s.push_str("CJK–Latin gap: none\n"),
        }
        s.push_str(&format!(
            "孤字: {}; 避头尾: {}; quotes {} ({} narrow)\n",
            self.runts.len(),
            self.kinsoku.len(),
            self.quotes,
            self.narrow_quotes.len()
        ));
        for p in &self.runts {
            s.push_str(&format!("  孤字 p. {}: {}\n", p.page, p.text));
        }
        for p in &self.kinsoku {
            s.push_str(&format!("  避头尾 p. {}: {}\n", p.page, p.text));
        }
        let spaces = |pick: fn(&Space) -> Option<f64>| {
            let v: Vec<f64> = self.heading_space.iter().filter_map(pick).collect();
            match (
                v.iter().copied().reduce(f64::min),
                v.iter().copied().reduce(f64::max),
            ) {
                (Some(a), Some(b)) => format!("{a:.1}–{b:.1} pt"),
                _ => "–".into(),
            }
        };
        s.push_str(&format!(
            "headings: {}, baseline to baseline from the line above {}, to the line below {}\n",
            self.heading_space.len(),
            spaces(|h| h.0),
            spaces(|h| h.1)
        ));
        for (before, after) in &self.heading_space {
            let pt = |v: &Option<f64>| v.map_or("–".into(), |v| format!("{v:.1}"));
            s.push_str(&format!(
                "  ## heading: {} pt above, {} pt below\n",
                pt(before),
                pt(after)
            ));
        }
        let mut families: Vec<&str> = self.narrow_quotes.iter().map(|(f, _)| f.as_str()).collect();
        families.dedup();
        for f in families {
            s.push_str(&format!("  narrow quotes in {f}\n"));
        }
        s
    }
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { n as f64 / of as f64 }
}

fn is_mark(c: char) -> bool {
    // Every mark is in U+2018–U+201D, U+3001–U+3017 or U+FF01–U+FF5D: most characters are
    // answered without a search.
    matches!(c as u32, 0x2018..=0x201D | 0x3001..=0x3017 | 0xFF01..=0xFF5D)
        && (CLOSING.contains(&c) || OPENING.contains(&c))
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '#' | '$' | '%' | '&')
}

/// Calls `f` for every leaf item of a frame (groups entered) with its position in the frame
/// that holds it and the transform from that frame to the page: the one frame walk of this
/// measure, preflight and serve's text layer.
pub fn walk_items(frame: &Frame, ts: Transform, f: &mut impl FnMut(&FrameItem, Point, Transform)) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let inner = ts
                    .pre_concat(Transform::translate(pos.x, pos.y))
                    .pre_concat(group.transform);
                walk_items(&group.frame, inner, f);
            }
            other => f(other, *pos, ts),
        }
    }
}

/// Calls `f` for every text item with its position in page coordinates.
fn walk_text(frame: &Frame, f: &mut impl FnMut(&typst::text::TextItem, Point)) {
    walk_items(frame, Transform::identity(), &mut |item, pos, ts| {
        if let FrameItem::Text(text) = item {
            f(text, pos.transform(ts));
        }
    });
}

/// The body lines of a typeset document, in reading order.
/// Also the `##` headings: (page, baseline).
pub fn lines(doc: &PagedDocument) -> (f64, Vec<Line>, Vec<(usize, f64)>) {
    // The body size: the size most glyphs have.
    let mut sizes: HashMap<i64, usize> = HashMap::new();
    for page in doc.pages() {
        walk_text(&page.frame, &mut |t, _| {
            *sizes
                .entry((t.size.to_pt() * 10.0).round() as i64)
                .or_default() += t.glyphs.len();
        });
    }
    let Some(body) = sizes
        .iter()
        .max_by_key(|(s, n)| (**n, **s))
        .map(|(s, _)| *s as f64 / 10.0)
    else {
        return (0.0, Vec::new(), Vec::new());
    };

    let mut out = Vec::new();
    let mut headings = Vec::new();
    for (index, page) in doc.pages().iter().enumerate() {
        // Glyphs by baseline (0.1 pt).
        let mut rows: HashMap<i64, Vec<Glyph>> = HashMap::new();
        walk_text(&page.frame, &mut |t, pos| {
            let size = t.size.to_pt();
            // The body, what runs in it (inline code is a little smaller) and the headings of
            // an article; not footnote markers, titles, tables or footnotes.
            if size > body * 1.2 + 0.01 || size < body * 0.85 {
                return;
            }
            let family = t.font.font().info().family.clone();
            let bold = t.font.font().info().variant.weight.to_number() >= 600;
            let mut x = pos.x.to_pt();
            for g in &t.glyphs {
                // Typst keeps a glyph's text range in 16 bits: in a run longer than 64 KB (a
                // line with no break opportunity) it points anywhere, even inside a character.
                let c = t
                    .text
                    .get(g.range())
                    .and_then(|s| s.chars().next())
                    .unwrap_or(' ');
                let advance = g.x_advance.at(t.size).to_pt();
                let natural = t
                    .font
                    .x_advance(g.id)
                    .map_or(advance, |e| e.at(t.size).to_pt());
                rows.entry((pos.y.to_pt() * 10.0).round() as i64)
                    .or_default()
                    .push(Glyph {
                        c,
                        x,
                        offset: g.x_offset.at(t.size).to_pt(),
                        advance,
                        natural,
                        size,
                        family: family.clone(),
                        bold,
                    });
                x += advance;
            }
        });
        let mut keys: Vec<i64> = rows.keys().copied().collect();
        keys.sort();
        for k in keys {
            let mut glyphs = rows.remove(&k).unwrap_or_default();
            glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
            // Trimmed spaces at a line end have no advance.
            while glyphs.last().is_some_and(|g| g.c.is_whitespace()) {
                glyphs.pop();
            }
            // Headings (bold) are not body lines; a line of larger text only if a heading.
            let bold = glyphs.iter().filter(|g| g.bold).count();
            if glyphs.is_empty() {
                continue;
            }
            if bold * 2 > glyphs.len() {
                // `##` headings: bold and larger than the body.
                if glyphs.iter().any(|g| g.size > body + 0.01) {
                    headings.push((index + 1, k as f64 / 10.0));
                }
                continue;
            }
            if glyphs.iter().any(|g| g.size > body + 0.01) {
                continue;
            }
            let first = &glyphs[0];
            let last = &glyphs[glyphs.len() - 1];
            out.push(Line {
                page: index + 1,
                y: k as f64 / 10.0,
                x0: first.x,
                x1: last.x + last.advance,
                text: glyphs.iter().map(|g| g.c).collect(),
                full: false,
                squeeze: 0.0,
                glyphs,
            });
        }
    }

    // The right edge on odd and even pages: where most lines end.
    let mut ends: [HashMap<i64, usize>; 2] = Default::default();
    for l in &out {
        *ends[l.page % 2]
            .entry((l.x1 * 10.0).round() as i64)
            .or_default() += 1;
    }
    let edge: Vec<Option<f64>> = ends
        .iter()
        .map(|m| {
            m.iter()
                .max_by_key(|(x, n)| (**n, **x))
                .map(|(x, _)| *x as f64 / 10.0)
        })
        .collect();
    for l in &mut out {
        l.full = edge[l.page % 2].is_some_and(|e| (l.x1 - e).abs() < EDGE_PT);
        if l.full {
            l.squeeze = runs(&l.glyphs)
                .iter()
                .map(|r| r.squeeze)
                .fold(0.0, f64::max);
        }
    }
    (body, out, headings)
}

/// A run of marks in a row on a line.
struct Run {
    squeeze: f64,
    /// Widths of each pair of marks in a row, in em, with the pair's context; inside the line only.
    pairs: Vec<(f64, String)>,
}

fn runs(glyphs: &[Glyph]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        if !is_mark(glyphs[i].c) {
            i += 1;
            continue;
        }
        let start = i;
        while i < glyphs.len() && is_mark(glyphs[i].c) {
            i += 1;
        }
        let run = &glyphs[start..i];
        let em = run[0].size;
        let natural: f64 = run.iter().map(|g| g.natural).sum();
        let actual: f64 = run.iter().map(|g| g.advance).sum();
        let mut normal = natural - 0.5 * em * (run.len() - 1) as f64;
        let at_start = start == 0;
        let at_end = i == glyphs.len();
        if at_end && CLOSING.contains(&run[run.len() - 1].c) {
            normal -= 0.5 * em;
        }
        if at_start && OPENING.contains(&run[0].c) {
            normal -= 0.5 * em;
        }
        let mut pairs = Vec::new();
        // A pair alone: three marks in a row (”）。, or a doubled 。”。) set 1 em pairs by rule.
        // Doubled punctuation (””, a source's error that preflight reports) is no pair.
        let text: String = run.iter().map(|g| g.c).collect();
        if !at_start && !at_end && run.len() == 2 && doubled_punctuation(&text).is_empty() {
            for w in run.windows(2) {
                let context: String = glyphs[start.saturating_sub(2)..(i + 2).min(glyphs.len())]
                    .iter()
                    .map(|g| g.c)
                    .collect();
                pairs.push(((w[0].advance + w[1].advance) / em, context));
            }
        }
        out.push(Run {
            squeeze: normal - actual,
            pairs,
        });
    }
    out
}

/// The typographic figures of a typeset document.
pub fn measure(doc: &PagedDocument) -> Figures {
    let (body, lines, headings) = lines(doc);
    let mut f_headings = Vec::new();
    for (page, y) in headings {
        let on_page = || lines.iter().filter(|l| l.page == page);
        let before = on_page()
            .filter(|l| l.y < y)
            .map(|l| y - l.y)
            .reduce(f64::min);
        let after = on_page()
            .filter(|l| l.y > y)
            .map(|l| l.y - y)
            .reduce(f64::min);
        f_headings.push((before, after));
    }
    let mut f = Figures {
        body_size: body,
        lines: lines.len(),
        heading_space: f_headings,
        ..Figures::default()
    };
    for (k, l) in lines.iter().enumerate() {
        let before = if k > 0 {
            let t: Vec<char> = lines[k - 1].text.chars().collect();
            t[t.len().saturating_sub(12)..].iter().collect()
        } else {
            String::new()
        };
        let place = || Place {
            page: l.page,
            text: l.text.clone(),
            before: before.clone(),
        };
        if l.full {
            f.full_lines += 1;
            let han: Vec<&Glyph> = l.glyphs.iter().filter(|g| is_han(g.c)).collect();
            if !han.is_empty() {
                // The median 汉字's extra advance (a 汉字 before Latin also holds the ¼ em gap).
                let mut extra: Vec<f64> = han
                    .iter()
                    .map(|g| (g.advance - g.natural) / g.size)
                    .collect();
                extra.sort_by(f64::total_cmp);
                let t = extra[extra.len() / 2];
                if f.loosest.as_ref().is_none_or(|(m, _)| t > *m) {
                    f.loosest = Some((t, l.text.clone()));
                }
            }
            if l.squeeze >= SQUEEZED_PT {
                f.squeezed += 1;
            }
            if l.squeeze >= VISIBLE_PT {
                f.squeezed_visibly += 1;
            }
        }
        for r in runs(&l.glyphs) {
            for (w, text) in r.pairs {
                if f.narrowest_pair.as_ref().is_none_or(|(n, _)| w < *n) {
                    f.narrowest_pair = Some((w, text));
                }
            }
        }
        let first = l.text.chars().next().unwrap_or(' ');
        let last = l.text.chars().last().unwrap_or(' ');
        if CLOSING.contains(&first) || OPENING.contains(&last) {
            f.kinsoku.push(place());
        }
        if k > 0 && is_runt(&lines[k - 1], l) {
            f.runts.push(place());
        }
        for w in l.glyphs.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            // Neighbours in one run of text (not two cells of a grid on one baseline).
            let contiguous = (b.x - (a.x + a.advance)).abs() < 0.5;
            if contiguous && ((is_han(a.c) && is_latin(b.c)) || (is_latin(a.c) && is_han(b.c))) {
                let gap = (b.x + b.offset) - (a.x + a.offset + a.natural);
                f.cjk_latin_gaps.push(gap / body);
            }
        }
        for g in &l.glyphs {
            if QUOTES.contains(&g.c) {
                f.quotes += 1;
                if g.natural < 0.9 * g.size {
                    f.narrow_quotes.push((g.family.clone(), place()));
                }
            }
        }
    }
    f
}

/// Whether `l` is a paragraph's last line holding one character, `prev` its line before.
fn is_runt(prev: &Line, l: &Line) -> bool {
    let chars = l
        .text
        .chars()
        .filter(|c| !is_mark(*c) && !c.is_whitespace())
        .count();
    chars <= 1
        && !l.full
        && prev.full
        // not a paragraph of its own (that would start indented against the full line)
        && l.x0 <= prev.x0 + EDGE_PT
}

/// Doubled punctuation in a text: a run of marks holding two stops or pauses (“。”。”,
/// “，。”) or a closing quote twice (“””). Returns the byte offset and the run.
pub fn doubled_punctuation(text: &str) -> Vec<(usize, String)> {
    const STOPS: &[char] = &['，', '。', '、', '；', '：'];
    let mut out = Vec::new();
    let mut run_start: Option<usize> = None;
    let flush = |start: usize, end: usize, out: &mut Vec<(usize, String)>| {
        let run = &text[start..end];
        let stops = run.chars().filter(|c| STOPS.contains(c)).count();
        let twice = run.contains("””") || run.contains("““") || run.contains("’’");
        if stops >= 2 || twice {
            out.push((start, run.to_string()));
        }
    };
    for (i, c) in text.char_indices() {
        if is_mark(c) {
            run_start.get_or_insert(i);
        } else if let Some(s) = run_start.take() {
            flush(s, i, &mut out);
        }
    }
    if let Some(s) = run_start {
        flush(s, text.len(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_punctuation_is_found_and_single_marks_are_not() {
        let found = doubled_punctuation("提升竞争力。”。协同推进””，他说：“好。”（见上）。");
        let runs: Vec<&str> = found.iter().map(|(_, r)| r.as_str()).collect();
        assert_eq!(runs, ["。”。", "””，"]);
        assert!(doubled_punctuation("他说：“好。”随后？！……").is_empty());
    }
}
