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
    // The desk.
    ("state-saved", "serve-ui-state-saved", &[]),
    ("state-unsaved", "serve-ui-state-unsaved", &[]),
    ("state-saving", "serve-ui-state-saving", &[]),
    ("state-conflict", "serve-ui-state-conflict", &[]),
    ("state-read-only", "serve-ui-state-read-only", &[]),
    ("front-error", "serve-ui-front-error", &["e"]),
    ("tool-emphasis-short", "serve-ui-tool-emphasis-short", &[]),
    ("tool-list-short", "serve-ui-tool-list-short", &[]),
    ("tool-numbered-short", "serve-ui-tool-numbered-short", &[]),
    ("tool-quote-short", "serve-ui-tool-quote-short", &[]),
    ("tool-footnote-short", "serve-ui-tool-footnote-short", &[]),
    ("tool-table-short", "serve-ui-tool-table-short", &[]),
    ("tool-image-short", "serve-ui-tool-image-short", &[]),
    ("tool-link-short", "serve-ui-tool-link-short", &[]),
    ("tool-bold", "serve-ui-tool-bold", &[]),
    ("tool-emphasis", "serve-ui-tool-emphasis", &[]),
    ("tool-h2", "serve-ui-tool-h2", &[]),
    ("tool-h3", "serve-ui-tool-h3", &[]),
    ("tool-h4", "serve-ui-tool-h4", &[]),
    ("tool-list", "serve-ui-tool-list", &[]),
    ("tool-numbered", "serve-ui-tool-numbered", &[]),
    ("tool-quote", "serve-ui-tool-quote", &[]),
    ("tool-footnote", "serve-ui-tool-footnote", &[]),
    ("tool-table", "serve-ui-tool-table", &[]),
    ("tool-image", "serve-ui-tool-image", &[]),
    ("tool-link", "serve-ui-tool-link", &[]),
    ("table-item", "serve-ui-table-item", &[]),
    ("table-value", "serve-ui-table-value", &[]),
    ("image-caption", "serve-ui-image-caption", &[]),
    ("find", "serve-ui-find", &[]),
    ("find-title", "serve-ui-find-title", &[]),
    ("undo", "serve-ui-undo", &[]),
    ("redo", "serve-ui-redo", &[]),
    ("link-text", "serve-ui-link-text", &[]),
    ("conflict-title", "serve-ui-conflict-title", &[]),
    ("conflict-explain", "serve-ui-conflict-explain", &["file"]),
    ("conflict-mine", "serve-ui-conflict-mine", &[]),
    ("conflict-theirs", "serve-ui-conflict-theirs", &[]),
    ("keep-mine", "serve-ui-keep-mine", &[]),
    ("take-theirs", "serve-ui-take-theirs", &[]),
    ("history", "serve-ui-history", &[]),
    ("history-title", "serve-ui-history-title", &[]),
    ("restore", "serve-ui-restore", &[]),
    ("restored", "serve-ui-restored", &[]),
    ("why-saved", "serve-ui-why-saved", &[]),
    ("why-restored", "serve-ui-why-restored", &[]),
    ("why-unsaved", "serve-ui-why-unsaved", &[]),
    ("no-versions", "serve-ui-no-versions", &[]),
    ("close", "serve-ui-close", &[]),
    ("move-up", "serve-ui-move-up", &[]),
    ("move-down", "serve-ui-move-down", &[]),
    ("rename-section", "serve-ui-rename-section", &[]),
    ("new-article", "serve-ui-new-article", &[]),
    ("new-article-title", "serve-ui-new-article-title", &[]),
    ("remove-section", "serve-ui-remove-section", &[]),
    ("remove-article", "serve-ui-remove-article", &[]),
    (
        "confirm-remove-section",
        "serve-ui-confirm-remove-section",
        &["title"],
    ),
    (
        "confirm-remove-article",
        "serve-ui-confirm-remove-article",
        &["title"],
    ),
    ("other-kind", "serve-ui-other-kind", &[]),
    ("section-title", "serve-ui-section-title", &[]),
    ("add-section", "serve-ui-add-section", &[]),
    ("not-in-issue", "serve-ui-not-in-issue", &[]),
    ("put-back", "serve-ui-put-back", &[]),
    ("tab-issue", "serve-ui-tab-issue", &[]),
    ("tab-checks", "serve-ui-tab-checks", &[]),
    ("tab-forms", "serve-ui-tab-forms", &[]),
    ("locked", "serve-ui-locked", &[]),
    ("field-title", "serve-ui-field-title", &[]),
    ("field-subtitle", "serve-ui-field-subtitle", &[]),
    ("field-source", "serve-ui-field-source", &[]),
    ("field-author", "serve-ui-field-author", &[]),
    ("issue-fields", "serve-ui-issue-fields", &[]),
    ("publication-fields", "serve-ui-publication-fields", &[]),
    ("colophon-fields", "serve-ui-colophon-fields", &[]),
    ("field-date", "serve-ui-field-date", &[]),
    ("field-year", "serve-ui-field-year", &[]),
    ("field-number", "serve-ui-field-number", &[]),
    ("field-serial", "serve-ui-field-serial", &[]),
    ("field-copies", "serve-ui-field-copies", &[]),
    ("field-name", "serve-ui-field-name", &[]),
    ("field-publisher", "serve-ui-field-publisher", &[]),
    ("field-marking", "serve-ui-field-marking", &[]),
    ("field-classification", "serve-ui-field-classification", &[]),
    ("field-permit", "serve-ui-field-permit", &[]),
    ("field-printer", "serve-ui-field-printer", &[]),
    ("field-layout", "serve-ui-field-layout", &[]),
    ("field-paper", "serve-ui-field-paper", &[]),
    ("field-page-budget", "serve-ui-field-page-budget", &[]),
    (
        "field-editor-in-chief",
        "serve-ui-field-editor-in-chief",
        &[],
    ),
    ("field-editors", "serve-ui-field-editors", &[]),
    ("field-address", "serve-ui-field-address", &[]),
    ("field-phone", "serve-ui-field-phone", &[]),
    ("field-email", "serve-ui-field-email", &[]),
    ("field-send-to", "serve-ui-field-send-to", &[]),
    ("field-copy-to", "serve-ui-field-copy-to", &[]),
    ("field-distribute-to", "serve-ui-field-distribute-to", &[]),
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

/// The page itself: `lang` set, the words and the desk's settings (its secret, whether it
/// edits) placed as JSON data where `<!--ui-->` stands. `<` is escaped in the data so no
/// text can close the script element.
pub fn index_html(template: &str, settings: &Value) -> String {
    let code = match lang() {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let data = words().to_string().replace('<', "\\u003c");
    let settings = settings.to_string().replace('<', "\\u003c");
    template
        .replacen(
            "<html lang=\"zh-CN\">",
            &format!("<html lang=\"{code}\">"),
            1,
        )
        .replacen(
            "<!--ui-->",
            &format!(
                "<script id=\"ui\" type=\"application/json\">{data}</script>\n\
                 <script id=\"settings\" type=\"application/json\">{settings}</script>"
            ),
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
        let settings = serde_json::json!({ "token": "</script><script>" });
        let html = index_html("<html lang=\"zh-CN\"><!--ui--></html>", &settings);
        assert!(html.starts_with("<html lang=\""));
        assert_eq!(html.matches("</script>").count(), 2);
    }
}
