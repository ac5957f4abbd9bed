//! Balanced article titles (issue 10): a title that runs to two lines breaks at a word boundary
//! into lines of even length, read from the typeset frames.

use std::collections::BTreeMap;

use kanwu::model::Profile;
use typst::layout::{Frame, FrameItem, Transform};

use crate::common::*;

/// Lines of text at least `min_pt` large, page by page, top to bottom, as (page, text).
fn big_lines(frames: &[&Frame], min_pt: f64) -> Vec<(usize, String)> {
    fn walk(frame: &Frame, ts: Transform, min_pt: f64, out: &mut Vec<(i64, f64, String)>) {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => {
                    let inner = ts
                        .pre_concat(Transform::translate(pos.x, pos.y))
                        .pre_concat(g.transform);
                    walk(&g.frame, inner, min_pt, out);
                }
                FrameItem::Text(t) if t.size.to_pt() >= min_pt => {
                    let p = pos.transform(ts);
                    out.push((
                        (p.y.to_pt() * 10.0).round() as i64,
                        p.x.to_pt(),
                        t.text.to_string(),
                    ));
                }
                _ => {}
            }
        }
    }
    let mut lines = Vec::new();
    for (page, frame) in frames.iter().enumerate() {
        let mut items = Vec::new();
        walk(frame, Transform::identity(), min_pt, &mut items);
        let mut rows: BTreeMap<i64, Vec<(f64, String)>> = BTreeMap::new();
        for (y, x, t) in items {
            rows.entry(y).or_default().push((x, t));
        }
        for (_, mut row) in rows {
            row.sort_by(|a, b| a.0.total_cmp(&b.0));
            let text: String = row.into_iter().map(|(_, t)| t).collect();
            lines.push((page + 1, text.split_whitespace().collect()));
        }
    }
    lines
}

/// A 40-character title whose midpoint (after 20) falls inside 人工智能 (characters 18–21), and
/// the character counts after each of its words.
fn forty_character_title() -> (String, Vec<usize>) {
    let words = [
        "许昌市",
        "加快",
        "推进",
        "制造业",
        "数字化",
        "转型",
        "升级",
        "人工智能",
        "产业",
        "集群",
        "发展",
        "若干",
        "政策",
        "措施",
        "与",
        "实施",
        "路径",
        "研究",
    ];
    let title: String = words.concat();
    let n = title.chars().count();
    assert_eq!(n, 40);
    let mut boundaries = Vec::new();
    let mut k = 0;
    for w in &words {
        k += w.chars().count();
        boundaries.push(k);
    }
    assert!(
        !boundaries.contains(&(n / 2)),
        "the midpoint falls inside a word"
    );
    (title, boundaries)
}

#[test]
fn a_forty_character_title_breaks_evenly_between_words() {
    let (title, boundaries) = forty_character_title();
    let t = TempIssue::sample();
    t.write(
        "ai-patents.md",
        format!("+++\ntitle = \"{title}\"\n+++\n\n正文第一段，说明标题如何分行。\n"),
    );
    let loaded = project().load(&t.issue).expect("the issue loads");
    let typeset = project()
        .typeset(loaded, Profile::Screen)
        .expect("the issue typesets");
    let frames: Vec<&Frame> = typeset.doc.pages().iter().map(|p| &p.frame).collect();
    // Article titles are 小二 (18 pt); the body is 12 pt.
    let lines = big_lines(&frames, 17.0);
    let at = lines
        .windows(2)
        .position(|w| w[0].0 == w[1].0 && format!("{}{}", w[0].1, w[1].1) == title)
        .unwrap_or_else(|| panic!("the title on two lines of one page: {lines:#?}"));
    let (first, second) = (&lines[at].1, &lines[at + 1].1);
    let (a, b) = (first.chars().count(), second.chars().count());
    eprintln!("{first} / {second}: {a} + {b}");
    assert!(
        boundaries.contains(&a),
        "broken inside a word: {first} / {second}"
    );
    assert!(
        a.abs_diff(b) <= 3,
        "uneven lines: {first} ({a}) / {second} ({b})"
    );
}

/// The bulletin (GB/T 9704 7.3.1: "回行时，要做到词意完整，排列对称，长短适宜……使用梯形或菱形"):
/// on A4 its 2号 line holds 20 characters, so the 40-character title cannot break evenly in two
/// without cutting 人工智能; it is set on three lines, each break at a word boundary, as a 梯形
/// (each line longer than the one above) or a 菱形 (the middle line longest), no line of one or
/// two characters.
#[test]
fn a_long_bulletin_title_is_a_trapezoid_or_diamond_broken_between_words() {
    let (title, boundaries) = forty_character_title();
    let t = sample_in("bulletin", "a4");
    t.write(
        "ai-patents.md",
        format!("+++\ntitle = \"{title}\"\n+++\n\n正文第一段，说明标题如何分行。\n"),
    );
    let project = kanwu::Project::open(t.root(), &[]).expect("the project opens");
    let loaded = project.load(&t.issue).expect("the issue loads");
    let typeset = project
        .typeset(loaded, Profile::Screen)
        .expect("the issue typesets");
    let frames: Vec<&Frame> = typeset.doc.pages().iter().map(|p| &p.frame).collect();
    // Titles are 2号 (22 pt); the body 3号 (16 pt), the 刊名 60 pt.
    let lines: Vec<_> = big_lines(&frames, 20.0)
        .into_iter()
        .filter(|(_, l)| title.contains(l.as_str()))
        .collect();
    let lens: Vec<usize> = lines.iter().map(|(_, l)| l.chars().count()).collect();
    let joined: String = lines.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(joined, title, "the title's lines: {lines:#?}");
    eprintln!("{lines:?}: {lens:?}");
    assert_eq!(lens.len(), 3, "{lines:?}");
    let mut at = 0;
    for n in &lens[..lens.len() - 1] {
        at += n;
        assert!(boundaries.contains(&at), "broken inside a word: {lines:?}");
    }
    assert!(
        lens.iter().all(|&n| n >= 3),
        "a line of 1–2 characters: {lines:?}"
    );
    let trapezoid = lens.windows(2).all(|w| w[0] < w[1]);
    let diamond = lens[1] > lens[0] && lens[1] > lens[2];
    assert!(trapezoid || diamond, "neither 梯形 nor 菱形: {lens:?}");
}
