//! The viewer's own words (buttons, headings, status lines) from the message catalogue, in
//! the language kanwu speaks: written into the page as JSON data, read by app.js. The page's
//! HTML keeps English text as the fallback when scripts are off.

use fluent_bundle::FluentValue;
use serde_json::{Map, Value};

use crate::i18n::{Lang, lang, tr};

/// app.js's key, the catalogue's id, and the placeholders app.js fills (`{n}` in the text).
const UI: &[(&str, &str, &[&str])] = &[
    ("zoom-out", "serve-ui-zoom-out", &[]),
    ("zoom-in", "serve-ui-zoom-in", &[]),
    ("fit", "serve-ui-fit", &[]),
    ("fit-title", "serve-ui-fit-title", &[]),
    ("spreads", "serve-ui-spreads", &[]),
    ("trim", "serve-ui-trim", &[]),
    ("trim-title", "serve-ui-trim-title", &[]),
    (
        "trim-detail",
        "serve-ui-trim-detail",
        &["paper", "w", "h", "bleed"],
    ),
    ("connecting", "serve-ui-connecting", &[]),
    ("contents", "serve-ui-contents", &[]),
    ("preflight", "serve-ui-preflight", &[]),
    ("failed-title", "serve-ui-failed-title", &[]),
    ("page-alt", "serve-ui-page-alt", &["n"]),
    ("one-page", "serve-ui-one-page", &[]),
    ("n-pages", "serve-ui-n-pages", &["n"]),
    ("total", "serve-ui-total", &["pages", "hanzi"]),
    ("over", "serve-ui-over", &["n"]),
    ("on-budget", "serve-ui-on-budget", &[]),
    ("spare", "serve-ui-spare", &["n"]),
    ("budget", "serve-ui-budget", &["n"]),
    ("print-blank", "serve-ui-print-blank", &["pages", "blank"]),
    ("page-short", "serve-ui-page-short", &["n"]),
    ("no-problems", "serve-ui-no-problems", &[]),
    ("live", "serve-ui-live", &["ms", "v"]),
    ("not-building", "serve-ui-not-building", &[]),
    ("hint", "serve-ui-hint", &["text"]),
    ("error", "serve-ui-error", &[]),
    ("warning", "serve-ui-warning", &[]),
    ("info", "serve-ui-info", &[]),
    // Preflight's checks (src/print/preflight), by their codes.
    ("check-image", "serve-ui-check-image", &[]),
    ("check-overflow", "serve-ui-check-overflow", &[]),
    ("check-glyph", "serve-ui-check-glyph", &[]),
    ("check-pages", "serve-ui-check-pages", &[]),
    ("check-text", "serve-ui-check-text", &[]),
    ("check-manifest", "serve-ui-check-manifest", &[]),
    ("check-runt", "serve-ui-check-runt", &[]),
    ("check-punctuation", "serve-ui-check-punctuation", &[]),
    ("line", "serve-ui-line", &["file", "line"]),
    ("open", "serve-ui-open", &[]),
    ("open-title", "serve-ui-open-title", &["file"]),
    ("cannot-open", "serve-ui-cannot-open", &["why"]),
    ("unreachable", "serve-ui-unreachable", &[]),
    ("still", "serve-ui-still", &["v"]),
    ("retrying", "serve-ui-retrying", &[]),
];

/// Each placeholder's value: itself as `{name}`, for app.js to fill.
fn placeholders(names: &[&'static str]) -> Vec<(&'static str, FluentValue<'static>)> {
    names
        .iter()
        .map(|n| (*n, FluentValue::from(format!("{{{n}}}"))))
        .collect()
}

/// The viewer's words in the current language, each placeholder left as `{name}`.
pub fn words() -> Value {
    let mut map = Map::new();
    for (key, id, names) in UI {
        map.insert(
            (*key).to_string(),
            Value::String(tr(id, &placeholders(names))),
        );
    }
    Value::Object(map)
}

/// The page itself: `lang` set, the words placed as JSON data where `<!--ui-->` stands. `<`
/// is escaped in the data so no text can close the script element.
pub fn index_html(template: &str) -> String {
    let code = match lang() {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let data = words().to_string().replace('<', "\\u003c");
    template
        .replacen(
            "<html lang=\"zh-CN\">",
            &format!("<html lang=\"{code}\">"),
            1,
        )
        .replacen(
            "<!--ui-->",
            &format!("<script id=\"ui\" type=\"application/json\">{data}</script>"),
            1,
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::tr_in;

    #[test]
    fn every_word_exists_in_both_languages_with_its_placeholders() {
        for (_, id, names) in UI {
            for l in [Lang::Zh, Lang::En] {
                let text = tr_in(l, id, &placeholders(names));
                assert_ne!(&text, id, "{id} missing in {l:?}");
                for n in *names {
                    assert!(text.contains(&format!("{{{n}}}")), "{id} in {l:?}: {text}");
                }
            }
        }
    }

    #[test]
    fn the_words_cannot_close_the_script_element() {
        let html = index_html("<html lang=\"zh-CN\"><!--ui--></html>");
        assert!(html.starts_with("<html lang=\""));
        assert_eq!(html.matches("</script>").count(), 1);
    }
}
