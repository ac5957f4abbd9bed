use super::*;

/// `id -> the set of $arguments` of a catalogue (a message is its `id =` line and the
/// indented lines after it).
pub fn messages(
    ftl: &str,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in ftl.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if line.starts_with(' ') {
            let id = current
                .clone()
                .expect("a continuation line after a message");
            out.entry(id).or_default().extend(args(line));
            continue;
        }
        let (id, value) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("not `id = text`: {line}"));
        assert!(
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "id {id:?}: lower-case, digits and dashes only"
        );
        assert!(
            out.insert(id.to_string(), args(value)).is_none(),
            "{id} twice"
        );
        current = Some(id.to_string());
    }
    out
}

fn args(text: &str) -> std::collections::BTreeSet<String> {
    text.match_indices('$')
        .map(|(i, _)| {
            text[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect()
        })
        .collect()
}

#[test]
fn both_catalogues_have_the_same_ids_and_arguments() {
    let zh = messages(ZH_FTL);
    let en = messages(EN_FTL);
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    assert!(only_zh.is_empty(), "only in zh-CN.ftl: {only_zh:?}");
    assert!(only_en.is_empty(), "only in en.ftl: {only_en:?}");
    let differ: Vec<_> = zh
        .iter()
        .filter(|(id, a)| en[*id] != **a)
        .map(|(id, a)| format!("{id}: zh {a:?}, en {:?}", en[id]))
        .collect();
    assert!(
        differ.is_empty(),
        "arguments differ:\n{}",
        differ.join("\n")
    );
}

#[test]
fn both_catalogues_parse_and_every_message_formats() {
    for lang in [Lang::Zh, Lang::En] {
        let ftl = if lang == Lang::Zh { ZH_FTL } else { EN_FTL };
        for (id, args) in messages(ftl) {
            let values: Vec<(&str, FluentValue<'static>)> = args
                .iter()
                .map(|a| (a.as_str(), FluentValue::from("X")))
                .collect();
            let text = tr_in(lang, &id, &values);
            assert!(!text.is_empty() && text != id, "{id} in {lang:?}: {text:?}");
            assert!(!text.contains('\u{2068}'), "{id}: isolation marks");
        }
    }
}

#[test]
fn arguments_are_put_in_and_numbers_choose_plurals() {
    assert_eq!(
        tr_in(Lang::Zh, "diag-hint", &[("text", "改正".into())]),
        "提示：改正"
    );
    assert_eq!(
        tr_in(Lang::En, "diag-hint", &[("text", "fix it".into())]),
        "hint: fix it"
    );
    assert_eq!(msg!("diag-in-file", path = "a.md"), "in a.md");
}

#[test]
fn the_locale_decides_when_nothing_else_does() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    };
    assert_eq!(from_locale(env(&[("LANG", "zh_CN.UTF-8")]), None), Lang::Zh);
    assert_eq!(from_locale(env(&[("LANG", "C")]), None), Lang::En);
    assert_eq!(from_locale(env(&[]), None), Lang::En);
    // LC_ALL before LC_MESSAGES before LANG; an empty one says nothing.
    let set = &[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")];
    assert_eq!(from_locale(env(set), None), Lang::En);
    let set = &[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW"), ("LANG", "en_GB")];
    assert_eq!(from_locale(env(set), None), Lang::Zh);
    // Windows: the interface language when no variable is set.
    assert_eq!(from_locale(env(&[]), Some("zh-CN".into())), Lang::Zh);
    assert_eq!(from_locale(env(&[]), Some("de-DE".into())), Lang::En);
    assert_eq!(Lang::parse("fr_FR"), None);
}
