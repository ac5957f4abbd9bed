//! Article text that looks like Typst (or Markdown-embedded markup) prints as itself: it reaches
//! the layout as data and can never run as code.

use crate::common::*;

#[test]
fn typst_and_markup_lookalikes_print_literally() {
    let t = TempIssue::copy(
        &fixtures().join("hostile"),
        "2021-02",
        &fixtures().join("publication.toml"),
    );
    let out = t.build();
    assert!(out.status.success(), "{}", stderr(&out));

    // The document handed to Typst holds the text as strings.
    let loaded = project().load(&t.issue).unwrap();
    let json = serde_json::to_string(&loaded.document).unwrap();
    assert!(json.contains(r#"#panic(\"x\")"#), "{json}");

    let expected = [
        "标题#let t = 1",
        "#panic(\"x\")",
        "$x^2$",
        "]#eval(\"1\")[",
        "<label>",
        "@ref",
        "\\",
        "`",
        "#import \"@preview/cetz:0.3.0\"",
        "来源#set text(red)",
        "#let y = 2",
        "#{ panic(\"code\") }",
        "[#sys.inputs]",
        "$ a + b $",
        "//注释",
        "/* 注释 */",
        "#emph[x]",
        "<tag>",
        "表头#h(1cm)",
        "#text(red)[红]",
        "@cite",
    ];
    let (_, lo) = pdf_text_lopdf(&t.out());
    let lo = squash(&lo);
    let text = pdftotext(&t.out()).map(|s| squash(&s));
    for e in expected {
        let e = squash(e);
        if let Some(text) = &text {
            assert!(text.contains(&e), "pdftotext lacks {e}:\n{text}");
        }
        assert!(
            lo.contains(&e) || text.is_some(),
            "lopdf text lacks {e}:\n{lo}"
        );
    }
    if let Some(text) = &text {
        // The code did not run: no "code" panic, and the article's own text is all there.
        assert!(text.contains("正文二："), "{text}");
        assert!(text.contains("末尾。"), "{text}");
    }
}
