//! What the TOML reader says, in words an editor reads: serde's "invalid type: string "一",
//! expected i64" becomes "wrong type: a whole number (no quotes) goes here, not the text "一""
//! (and its Chinese), an unknown key names the keys allowed and the likely one meant, and the
//! date hint comes only where a date was written as text. Syntax errors keep the reader's own
//! words (in Chinese behind a translated lead).

/// The message and hints for a TOML reader's error text.
pub fn explain(raw: &str) -> (String, Vec<String>) {
    let raw = raw.trim();
    if let Some(rest) = raw.strip_prefix("unknown field `")
        && let Some((field, allowed)) = rest.split_once('`')
    {
        let allowed = names(allowed);
        let mut hints = Vec::new();
        if let Some(near) = nearest(field, &allowed) {
            hints.push(msg!("toml-did-you-mean", name = near));
        }
        if !allowed.is_empty() {
            hints.push(msg!("toml-allowed-here", list = quoted(&allowed)));
        }
        return (msg!("toml-unknown-field", field = field), hints);
    }
    if let Some(rest) = raw.strip_prefix("unknown variant `")
        && let Some((value, allowed)) = rest.split_once('`')
    {
        let allowed = names(allowed);
        let mut hints = Vec::new();
        if let Some(near) = nearest(value, &allowed) {
            hints.push(msg!("toml-did-you-mean", name = near));
        }
        if !allowed.is_empty() {
            hints.push(msg!("toml-values-allowed", list = quoted(&allowed)));
        }
        return (msg!("toml-unknown-value", value = value), hints);
    }
    if let Some(rest) = raw.strip_prefix("missing field `")
        && let Some(field) = rest.strip_suffix('`')
    {
        return (
            msg!("toml-missing-field", field = field),
            vec![msg!("toml-missing-field-hint", field = field)],
        );
    }
    if let Some(rest) = raw.strip_prefix("duplicate field `")
        && let Some(field) = rest.strip_suffix('`')
    {
        return (
            msg!("toml-duplicate-field", field = field),
            vec![msg!("toml-keep-one")],
        );
    }
    if raw == "duplicate key" {
        return (msg!("toml-duplicate-key"), vec![msg!("toml-keep-one")]);
    }
    for (prefix, id) in [
        ("invalid type: ", "toml-wrong-type"),
        ("invalid value: ", "toml-wrong-value"),
    ] {
        if let Some(rest) = raw.strip_prefix(prefix)
            && let Some((found, expected)) = rest.rsplit_once(", expected ")
        {
            let mut hints = Vec::new();
            if found.starts_with("string ") && is_date(expected) {
                hints.push(msg!("manifest-write-toml-date-without"));
            }
            let (found, expected) = (unexpected(found), expectation(expected));
            return (
                match id {
                    "toml-wrong-type" => {
                        msg!("toml-wrong-type", found = found, expected = expected)
                    }
                    _ => msg!("toml-wrong-value", found = found, expected = expected),
                },
                hints,
            );
        }
    }
    // The reader's own date check ("invalid date, expected day between 01 and 28").
    let hints = match raw.starts_with("invalid date") {
        true => vec![msg!("toml-no-such-day")],
        false => Vec::new(),
    };
    (msg!("toml-syntax", raw = syntax(raw)), hints)
}

/// The TOML reader's syntax errors and the things it expected, by their English words: each
/// said in the reader's language (a message it does not know keeps its words).
const SYNTAX: &[(&str, &str)] = &[
    (
        "`_` may only go between digits",
        "toml-syntax-may-only-go-between-digits",
    ),
    (
        "cannot recurse further; max recursion depth met",
        "toml-syntax-cannot-recurse-further-max-recursion-depth-met",
    ),
    (
        "carriage return must be followed by newline",
        "toml-syntax-carriage-return-must-be-followed-by-newline",
    ),
    ("extra `=`", "toml-syntax-extra"),
    (
        "extra assignment between key-value pairs",
        "toml-syntax-extra-assignment-between-key-value-pairs",
    ),
    ("extra comma in array", "toml-syntax-extra-comma-in-array"),
    (
        "extra comma in inline table",
        "toml-syntax-extra-comma-in-inline-table",
    ),
    (
        "integers with a radix cannot be signed",
        "toml-syntax-integers-with-a-radix-cannot-be-signed",
    ),
    (
        "invalid comment character",
        "toml-syntax-invalid-comment-character",
    ),
    (
        "invalid inline table element",
        "toml-syntax-invalid-inline-table-element",
    ),
    (
        "invalid key-value pair",
        "toml-syntax-invalid-key-value-pair",
    ),
    ("invalid unquoted key", "toml-syntax-invalid-unquoted-key"),
    ("invalid value", "toml-syntax-invalid-value"),
    ("key with no value", "toml-syntax-key-with-no-value"),
    (
        "keys cannot be multi-line basic strings",
        "toml-syntax-keys-cannot-be-multi-line-basic-strings",
    ),
    (
        "keys cannot be multi-line literal strings",
        "toml-syntax-keys-cannot-be-multi-line-literal-strings",
    ),
    ("missing array opening", "toml-syntax-missing-array-opening"),
    (
        "missing assignment between key-value pairs",
        "toml-syntax-missing-assignment-between-key-value-pairs",
    ),
    (
        "missing comma between array elements",
        "toml-syntax-missing-comma-between-array-elements",
    ),
    (
        "missing comma between key-value pairs",
        "toml-syntax-missing-comma-between-key-value-pairs",
    ),
    ("missing comment start", "toml-syntax-missing-comment-start"),
    ("missing escaped value", "toml-syntax-missing-escaped-value"),
    (
        "missing inline table opening",
        "toml-syntax-missing-inline-table-opening",
    ),
    (
        "missing key for inline table element",
        "toml-syntax-missing-key-for-inline-table-element",
    ),
    ("missing opening quote", "toml-syntax-missing-opening-quote"),
    ("missing table open", "toml-syntax-missing-table-open"),
    ("missing value", "toml-syntax-missing-value"),
    ("missing value for key", "toml-syntax-missing-value-for-key"),
    (
        "radix must be lowercase",
        "toml-syntax-radix-must-be-lowercase",
    ),
    (
        "redundant integer number prefix",
        "toml-syntax-redundant-integer-number-prefix",
    ),
    (
        "redundant numeric sign",
        "toml-syntax-redundant-numeric-sign",
    ),
    (
        "string values must be quoted",
        "toml-syntax-string-values-must-be-quoted",
    ),
    (
        "too few unicode value digits",
        "toml-syntax-too-few-unicode-value-digits",
    ),
    ("unclosed array", "toml-syntax-unclosed-array"),
    ("unclosed array table", "toml-syntax-unclosed-array-table"),
    ("unclosed inline table", "toml-syntax-unclosed-inline-table"),
    ("unclosed table", "toml-syntax-unclosed-table"),
    ("unexpected `=` in array", "toml-syntax-unexpected-in-array"),
    ("unexpected content", "toml-syntax-unexpected-content"),
    (
        "unexpected content between comment and newline",
        "toml-syntax-unexpected-content-between-comment-and-newline",
    ),
    (
        "unexpected key or value",
        "toml-syntax-unexpected-key-or-value",
    ),
    (
        "unexpected leading zero",
        "toml-syntax-unexpected-leading-zero",
    ),
    ("unexpected sign", "toml-syntax-unexpected-sign"),
    (
        "unquoted keys cannot be empty",
        "toml-syntax-unquoted-keys-cannot-be-empty",
    ),
    ("basic string", "toml-expected-basic-string"),
    ("characters", "toml-expected-characters"),
    ("digits", "toml-expected-digits"),
    ("key", "toml-expected-key"),
    ("letters", "toml-expected-letters"),
    ("literal string", "toml-expected-literal-string"),
    (
        "multi-line basic string",
        "toml-expected-multi-line-basic-string",
    ),
    (
        "non-double-quote visible characters",
        "toml-expected-non-double-quote-visible-characters",
    ),
    (
        "non-single-quote characters",
        "toml-expected-non-single-quote-characters",
    ),
    (
        "non-single-quote visible characters",
        "toml-expected-non-single-quote-visible-characters",
    ),
    ("numbers", "toml-expected-numbers"),
    ("printable characters", "toml-expected-printable-characters"),
    (
        "unicode hexadecimal value",
        "toml-expected-unicode-hexadecimal-value",
    ),
    ("value", "toml-expected-value"),
    ("nothing", "toml-expected-nothing"),
    ("etc", "toml-expected-etc"),
];

/// A syntax error ("missing comma between array elements, expected `,`") in the reader's
/// language: the description, then what was expected (literals as written, in backquotes).
fn syntax(raw: &str) -> String {
    let said = |english: &str| {
        SYNTAX
            .iter()
            .find(|(e, _)| *e == english)
            .map(|(_, id)| crate::i18n::tr(id, &[]))
    };
    let (description, expected) = match raw.split_once(", expected ") {
        Some((d, e)) => (d, Some(e)),
        None => (raw, None),
    };
    let Some(mut out) = said(description) else {
        return raw.to_string();
    };
    if let Some(expected) = expected {
        let list: Vec<String> = expected
            .split(", ")
            .map(|e| said(e).unwrap_or_else(|| e.to_string()))
            .collect();
        out.push_str(&msg!(
            "toml-syntax-expected",
            list = list.join(&msg!("toml-or"))
        ));
    }
    out
}

/// "expected one of `a`, `b`" or "expected `a`" → [a, b]; "there are no fields" → [].
fn names(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The allowed name a misspelt one most likely meant (a small edit away), if any.
fn nearest<'a>(written: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (strsim::damerau_levenshtein(written, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.chars().count() / 3))
        .min()
        .map(|(_, a)| a)
}

fn is_date(expected: &str) -> bool {
    let e = expected.to_ascii_lowercase();
    e.contains("date") || e.contains("datetime")
}

/// serde's `Unexpected` ("string \"一\"", "integer `5`", "boolean `true`", "sequence") in words.
fn unexpected(found: &str) -> String {
    let value = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = found.strip_prefix("string ") {
        return msg!("toml-found-text", value = s);
    }
    if let Some(s) = found.strip_prefix("integer ") {
        return msg!("toml-found-number", value = value(s));
    }
    if let Some(s) = found.strip_prefix("floating point ") {
        return msg!("toml-found-number", value = value(s));
    }
    if let Some(s) = found.strip_prefix("boolean ") {
        return msg!("toml-found-boolean", value = value(s));
    }
    match found {
        "sequence" => msg!("toml-found-list"),
        "map" => msg!("toml-found-table"),
        other => other.to_string(),
    }
}

/// What serde expected ("i64", "a string", "a boolean", "a sequence") in words.
fn expectation(expected: &str) -> String {
    let e = expected.trim();
    let integer = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
    ];
    if integer.contains(&e) || e == "an integer" {
        msg!("toml-want-integer")
    } else if matches!(e, "f32" | "f64" | "a number") {
        msg!("toml-want-number")
    } else if matches!(e, "a string" | "string" | "a str" | "a borrowed string") {
        msg!("toml-want-text")
    } else if matches!(e, "a boolean" | "bool") {
        msg!("toml-want-boolean")
    } else if e.starts_with("a sequence") || e.starts_with("an array") || e == "a list" {
        msg!("toml-want-list")
    } else if is_date(e) {
        msg!("toml-want-date")
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_key_names_the_likely_one_and_no_date_hint() {
        let (m, hints) = explain(
            "unknown field `numbr`, expected one of `year`, `number`, `kind`, `serial`, `date`",
        );
        assert_eq!(m, "unknown key `numbr`");
        assert_eq!(hints[0], "did you mean `number`?");
        assert!(hints[1].contains("`year`, `number`, `kind`, `serial`, `date`"));
        assert!(!hints.iter().any(|h| h.contains("without quotes")));
        // Nothing near: no guess.
        let (_, hints) = explain("unknown field `zzzzzz`, expected `year`");
        assert_eq!(hints.len(), 1);
    }

    #[test]
    fn a_wrong_type_says_what_goes_there() {
        let (m, hints) = explain("invalid type: string \"一\", expected i64");
        assert_eq!(
            m,
            "wrong type: a whole number (written without quotes) goes here, not the text \"一\""
        );
        assert!(hints.is_empty());
        let (_, hints) = explain("invalid type: string \"2021-01-20\", expected a TOML date");
        assert_eq!(hints.len(), 1, "a date written as text gets the date hint");
        let (m, _) = explain("invalid type: integer `5`, expected a string");
        assert!(m.contains("text in quotes"), "{m}");
    }

    #[test]
    fn other_errors_keep_their_words() {
        assert_eq!(
            explain("missing field `articles`").0,
            "missing key `articles`"
        );
        assert_eq!(explain("duplicate key").0, "the same key is written twice");
        assert_eq!(
            explain("unclosed table, expected `]`").0,
            "unclosed table, expected `]`"
        );
        assert_eq!(
            explain("missing comma between array elements, expected `,`").0,
            "missing comma between array elements, expected `,`"
        );
    }

    #[test]
    fn every_syntax_error_is_said_in_chinese_without_english() {
        use crate::i18n::{Lang, tr_in};
        for (english, id) in SYNTAX {
            assert_eq!(tr_in(Lang::En, id, &[]), *english);
            let zh = tr_in(Lang::Zh, id, &[]);
            // Outside `code`, no run of three Latin letters.
            let prose: String = zh.split('`').step_by(2).collect();
            let mut run = 0;
            for c in prose.chars() {
                run = if c.is_ascii_alphabetic() { run + 1 } else { 0 };
                assert!(run < 3, "{id}: {zh}");
            }
        }
    }
}
