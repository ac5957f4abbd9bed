//! The language of messages and help (`--lang`, `KANWU_LANG`, the locale).

#[derive(clap::ValueEnum, Clone, Copy)]
pub enum LangArg {
    Zh,
    En,
}

/// The language of every message, chosen once before anything is said: `--lang`, else
/// `KANWU_LANG`, else the locale. `--lang` is read ahead of clap so that clap's own help and
/// errors can be in that language too.
pub fn choose_language(args: &[std::ffi::OsString]) {
    use kanwu::i18n::{Lang, from_environment, set_lang};
    let mut given = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            given = iter.next().map(|v| v.into_owned());
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            given = Some(v.to_string());
        }
    }
    set_lang(
        given
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(from_environment),
    );
}

/// The command line's help in the chosen language, from the catalogue: `help-<command>` (its
/// about) and `help-<command>-<argument>`, else `help-arg-<argument>` for the arguments several
/// commands share; examples after every command's help (`help-<command>-examples`). In
/// Chinese, clap's headings too. (The doc comments are clap's fallback and say the same.)
pub fn localize(cmd: clap::Command) -> clap::Command {
    use kanwu::i18n::{Lang, lang, tr};
    let zh = lang() == Lang::Zh;
    let found = |id: &str| Some(tr(id, &[])).filter(|t| t != id);
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        tr("help-usage", &[])
    );
    // clap keeps headings as `&'static str`: made once per process.
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let heading = |positional: bool| {
        leak(tr(
            if positional {
                "help-heading-arguments"
            } else {
                "help-heading-options"
            },
            &[],
        ))
    };
    let mut cmd = cmd
        .about(tr("help-kanwu", &[]))
        .mut_arg("lang", |a| a.help(tr("help-arg-lang", &[])));
    // Chinese: clap's own -h and -V, and no English notes on the values of an enum (the
    // Chinese help of --profile and --to names them).
    let help_flag = || {
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help(tr("help-flag-help", &[]))
            .help_heading(heading(false))
    };
    if zh {
        cmd = cmd
            .disable_help_flag(true)
            .arg(help_flag())
            .disable_version_flag(true)
            .arg(
                clap::Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(clap::ArgAction::Version)
                    .help(tr("help-flag-version", &[]))
                    .help_heading(heading(false)),
            )
            .help_template(&template)
            .subcommand_help_heading(leak(tr("help-heading-commands", &[])))
            .mut_arg("lang", |a| {
                let help = format!("{}{}", tr("help-arg-lang", &[]), values_zh(&a, "lang", ""));
                a.help_heading(heading(false))
                    .help(help)
                    .hide_possible_values(true)
            });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |mut sub| {
            if let Some(examples) = found(&format!("help-{name}-examples")) {
                // Fluent drops the indentation of continued lines: the examples get it back.
                sub = sub.after_help(examples.replace('\n', "\n  "));
            }
            if let Some(about) = found(&format!("help-{name}")) {
                sub = sub.about(about).long_about(None);
            }
            if zh {
                sub = sub
                    .help_template(&template)
                    .disable_help_flag(true)
                    .arg(help_flag());
            }
            let args: Vec<(String, bool)> = sub
                .get_arguments()
                .map(|a| (a.get_id().to_string(), a.is_positional()))
                .collect();
            for (id, positional) in args {
                let key = id.replace('_', "-");
                let help = found(&format!("help-{name}-{key}"))
                    .or_else(|| found(&format!("help-arg-{key}")));
                sub = sub.mut_arg(id.as_str(), |mut a| {
                    let help = help.or_else(|| a.get_help().map(|h| h.to_string()));
                    if zh {
                        a = a.help_heading(heading(positional));
                        // clap's `[default: …]` and `[possible values: …]`, in Chinese.
                        let help = help.map(|h| format!("{h}{}", values_zh(&a, &key, &h)));
                        if a.get_action().takes_values() {
                            a = a.hide_default_value(true).hide_possible_values(true);
                        }
                        return match help {
                            Some(h) => a.help(h).long_help(None),
                            None => a,
                        };
                    }
                    match help {
                        Some(h) => a.help(h).long_help(None),
                        None => a,
                    }
                });
            }
            sub
        });
    }
    // clap's own `help` command, said in the reader's language: it exists once the command
    // is built, after everything above.
    cmd.build();
    cmd.mut_subcommand("help", |h| h.about(tr("help-help", &[])))
}

/// ` [默认：…] [可选值：…]` for an argument's help in Chinese (nothing when it has neither;
/// the values of --profile and --to are named by their help, a default its help names too).
fn values_zh(a: &clap::Arg, key: &str, help: &str) -> String {
    use kanwu::msg;
    let mut out = String::new();
    if !a.get_action().takes_values() {
        return out;
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !help.contains("默认") {
        out.push_str(&format!(
            " {}",
            msg!("help-default", values = defaults.join("、"))
        ));
    }
    let possible: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() && !matches!(key, "profile" | "to" | "lang") {
        out.push_str(&format!(
            " {}",
            msg!("help-possible-values", values = possible.join("、"))
        ));
    }
    out
}
