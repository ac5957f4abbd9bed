//! clap's own errors (an unknown argument or command, a missing or invalid value, a missing
//! argument…) in the chosen language: in English as clap writes them, in Chinese from the
//! catalogue, from the error's kind and context. Exit code 2 either way.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use kanwu::i18n::{Lang, lang};
use kanwu::msg;

/// Ends the process for a command line clap refused: help and version as clap prints them
/// (they are already in the chosen language), errors in the chosen language with exit 2.
pub fn exit(e: clap::Error) -> ! {
    let help = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if help || lang() == Lang::En {
        e.exit()
    }
    eprint!("{}", chinese(&e));
    std::process::exit(2)
}

/// The context value `kind` of `e` as text (a list joined by `、`).
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// clap's error `e` from the catalogue: the error, the valid values and clap's suggestion,
/// the usage line and where to read more — the same parts as clap's English.
pub fn chinese(e: &clap::Error) -> String {
    let get = |kind| context(e, kind).unwrap_or_default();
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => msg!("clap-unknown-argument", arg = arg),
        ErrorKind::InvalidSubcommand => {
            msg!(
                "clap-unknown-command",
                command = get(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::InvalidValue if value.is_empty() => msg!("clap-missing-value", arg = arg),
        ErrorKind::InvalidValue => msg!("clap-invalid-value", arg = arg, value = value),
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            msg!(
                "clap-invalid-value-because",
                arg = arg,
                value = value,
                reason = reason
            )
        }
        ErrorKind::MissingRequiredArgument => msg!("clap-missing-arguments", args = arg),
        ErrorKind::ArgumentConflict => match context(e, ContextKind::PriorArg) {
            Some(prior) if prior != arg => msg!("clap-conflict", arg = arg, other = prior),
            _ => msg!("clap-repeated", arg = arg),
        },
        ErrorKind::TooManyValues => msg!("clap-unexpected-value", arg = arg, value = value),
        ErrorKind::MissingSubcommand => msg!("clap-missing-command"),
        _ => {
            // A kind kanwu's command line does not produce: clap's own words.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or_default();
            msg!(
                "clap-other",
                detail = first.strip_prefix("error: ").unwrap_or(first)
            )
        }
    };
    let mut out = format!("{}\n", msg!("cli-error", message = message));
    if let Some(values) = context(e, ContextKind::ValidValue).filter(|v| !v.is_empty()) {
        out.push_str(&format!(
            "  {}\n",
            msg!("clap-possible-values", values = values)
        ));
    }
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|kind| context(e, kind));
    if let Some(s) = suggested {
        out.push_str(&format!("  {}\n", msg!("clap-did-you-mean", suggested = s)));
    }
    if let Some(usage) = context(e, ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        out.push_str(&format!("\n{} {usage}\n", msg!("help-usage")));
    }
    out.push_str(&format!("\n{}\n", msg!("clap-more-help")));
    out
}
