//! The one catalogue of messages, in Chinese and English (Fluent: `locales/zh-CN.ftl`,
//! `locales/en.ftl`, embedded in the binary).
//!
//! The language is chosen once, at the start of the command line ([`set_lang`]): `--lang`,
//! else `KANWU_LANG`, else the locale ([`from_environment`]). A message is resolved when it is
//! made, with `msg!` (`msg!("paths-no-issue-at", shown = p.display())`), so a
//! `Diagnostic` holds finished text and its rendering does not change.
//! The library used without the command line speaks English.

use std::fmt::Display;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The catalogues, as written. Tests check that both have the same ids and arguments.
pub const ZH_FTL: &str = include_str!("../locales/zh-CN.ftl");
pub const EN_FTL: &str = include_str!("../locales/en.ftl");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh_CN.UTF-8`, `zh_TW`… are Chinese; `en…`, `C`, `POSIX` English;
    /// anything else says nothing.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "c" || s.starts_with("c.") || s == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }
}

static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language of every later message (once; later calls are ignored).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language messages are made in: English unless the command line set another.
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or(Lang::En)
}

/// The language the environment asks for: `KANWU_LANG`, else the locale — on Unix `LC_ALL`,
/// `LC_MESSAGES`, `LANG` (the first one set and not empty decides), on Windows the user's
/// interface language. English when nothing says Chinese.
pub fn from_environment() -> Lang {
    let var = |name: &str| std::env::var(name).ok();
    if let Some(lang) = var("KANWU_LANG").as_deref().and_then(Lang::parse) {
        return lang;
    }
    from_locale(var, system_locale())
}

/// The locale's language from its variables (`get`), else from the system's setting.
pub fn from_locale(get: impl Fn(&str) -> Option<String>, system: Option<String>) -> Lang {
    let posix = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| get(name))
        .find(|v| !v.is_empty());
    posix
        .or(system)
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::En)
}

/// Windows: the user's interface language (Unix has only the variables above).
#[cfg(windows)]
fn system_locale() -> Option<String> {
    sys_locale::get_locale()
}

#[cfg(not(windows))]
fn system_locale() -> Option<String> {
    None
}

fn bundle(lang: Lang) -> &'static FluentBundle<FluentResource> {
    static ZH: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    static EN: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    let (cell, text, tag) = match lang {
        Lang::Zh => (&ZH, ZH_FTL, "zh-CN"),
        Lang::En => (&EN, EN_FTL, "en"),
    };
    cell.get_or_init(|| {
        let resource = FluentResource::try_new(text.to_string())
            .unwrap_or_else(|(_, e)| panic!("locales/{tag}.ftl does not parse: {e:?}"));
        let mut bundle = FluentBundle::new_concurrent(vec![tag.parse().expect("a language tag")]);
        // No Unicode isolation marks around arguments: they would end up in the terminal.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("locales/{tag}.ftl: {e:?}"));
        bundle
    })
}

/// The message `id` in the current language with its named arguments. An id missing from the
/// catalogue (a test forbids it) gives the id itself rather than nothing.
pub fn tr(id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    tr_in(lang(), id, args)
}

/// [`tr`] in a given language.
pub fn tr_in(lang: Lang, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let bundle = bundle(lang);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        fargs.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

/// An argument of `msg!`: numbers stay numbers (so `{ $n -> [one] … }` chooses by
/// plural), everything else is its `Display` text. (Autoref specialisation: [`ViaNumber`] is
/// implemented for `Arg<number>`, [`ViaDisplay`] for `&Arg<anything Display>`.)
pub struct Arg<T>(pub T);

pub trait ViaNumber {
    fn value(&self) -> FluentValue<'static>;
}

pub trait ViaDisplay {
    fn value(&self) -> FluentValue<'static>;
}

macro_rules! numbers {
    ($($t:ty)*) => {$(
        impl ViaNumber for Arg<$t> {
            fn value(&self) -> FluentValue<'static> {
                FluentValue::from(self.0)
            }
        }
        impl ViaNumber for Arg<&$t> {
            fn value(&self) -> FluentValue<'static> {
                FluentValue::from(*self.0)
            }
        }
    )*};
}
numbers!(u8 u16 u32 u64 usize i32 i64);

impl<T: Display> ViaDisplay for &Arg<T> {
    fn value(&self) -> FluentValue<'static> {
        FluentValue::from(self.0.to_string())
    }
}

/// A message from the catalogue: `msg!("id")` or `msg!("id", name = value, …)`; values are
/// numbers or anything `Display`.
#[macro_export]
macro_rules! msg {
    ($id:literal $(,)?) => {
        $crate::i18n::tr($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        #[allow(unused_imports)]
        use $crate::i18n::{ViaDisplay as _, ViaNumber as _};
        $crate::i18n::tr($id, &[$((stringify!($name), (&$crate::i18n::Arg(&$value)).value())),+])
    }};
}

#[cfg(test)]
mod tests;
