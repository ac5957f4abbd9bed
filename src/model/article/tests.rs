//! The Markdown of an article to blocks: front matter, blocks, footnotes, errors at their line.

use super::*;

fn parse_str(text: &str) -> Result<Article> {
    let dir = std::env::temp_dir().canonicalize().unwrap();
    parse(SourceText::new("a.md", text), &dir, false)
}

#[test]
fn front_matter_and_blocks() {
    let a = parse_str("+++\ntitle = \"标题\"\nsource = \"来源\"\n+++\n第一段\n接着。\n\n## 一、小标题\n\n- 甲\n- 乙\n").unwrap();
    assert_eq!(a.meta.title.as_deref(), Some("标题"));
    assert_eq!(a.meta.source.as_deref(), Some("来源"));
    assert_eq!(
        a.blocks[0],
        Block::Paragraph {
            line: 5,
            inlines: vec![Inline::text("第一段接着。")]
        }
    );
    assert!(matches!(
        &a.blocks[1],
        Block::Heading {
            level: 2,
            numbered: true,
            line: 8,
            ..
        }
    ));
    assert!(matches!(&a.blocks[2], Block::List { ordered: false, items, .. } if items.len() == 2));
}

#[test]
fn soft_break_between_latin_words_is_a_space() {
    let a = parse_str("Hello\nworld 和\n中文").unwrap();
    assert_eq!(
        a.blocks[0],
        Block::Paragraph {
            line: 1,
            inlines: vec![Inline::text("Hello world 和中文")]
        }
    );
}

#[test]
fn markup_lookalikes_stay_text() {
    let a = parse_str("价格 $x^2$ 与 <tag> 以及 #let x\n").unwrap();
    let Block::Paragraph { inlines, .. } = &a.blocks[0] else {
        panic!()
    };
    assert_eq!(
        crate::model::document::plain_text(inlines),
        "价格 $x^2$ 与 <tag> 以及 #let x"
    );
}

#[test]
fn html_block_is_an_error_with_its_line() {
    let err = parse_str("+++\n+++\n正文\n\n<div>\nx\n</div>\n").unwrap_err();
    assert_eq!(err.0[0].line(), Some(5), "{err}");
    assert!(err.0[0].message.contains("raw HTML"), "{err}");
}

#[test]
fn footnotes_are_resolved() {
    let a = parse_str("正文[^1]。\n\n[^1]: 注释内容。\n").unwrap();
    let Block::Paragraph { inlines, .. } = &a.blocks[0] else {
        panic!()
    };
    assert!(
        matches!(&inlines[1], Inline::Footnote { c } if c.len() == 1),
        "{inlines:?}"
    );
    assert_eq!(a.blocks.len(), 1);
}

#[test]
fn missing_title_is_an_error_on_line_one() {
    let dir = std::env::temp_dir().canonicalize().unwrap();
    let err = parse(
        SourceText::new("a.md", "+++\nsource = \"x\"\n+++\n正文\n"),
        &dir,
        true,
    )
    .unwrap_err();
    assert_eq!(err.0[0].line(), Some(1));
    assert!(err.0[0].message.contains("no title"));
}
