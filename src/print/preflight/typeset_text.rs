//! Preflight on the text as set: 孤字 left on the pages, doubled punctuation in the sources.

use super::{Finding, Input, Level};
use crate::diag::Diagnostic;
use crate::print::typography;

/// A paragraph's last line holding one character: named by article and line where the text
/// around it can be found in a source, else by page and article.
pub(super) fn runts(input: &Input, findings: &mut Vec<Finding>) {
    // Runts come in page order, as the text does: each is looked for first after the last one
    // found (in that source), then everywhere, so an issue of thousands of them (one 5 MB
    // article) is not searched from the start each time.
    let mut last: Option<(usize, usize)> = None;
    for runt in typography::measure(input.doc).runts {
        let message = msg!(
            "preflight-typeset-paragraph-ends-on-page",
            page = runt.page,
            text = runt.text
        );
        let hint = msg!("preflight-typeset-shorten-or-lengthen-paragraph");
        // The end of the line before and the runt's text, as one run in the source.
        let tail: String = {
            let before: Vec<char> = runt.before.chars().collect();
            before[before.len().saturating_sub(6)..].iter().collect()
        };
        let found = [format!("{tail}{}", runt.text), tail.clone()]
            .into_iter()
            .filter(|p| p.chars().count() >= 3)
            .find_map(|probe| {
                let after_last = last.and_then(|(i, from)| {
                    let pos = from + input.sources[i].text.get(from..)?.find(&probe)?;
                    Some((i, pos))
                });
                let (i, pos) = after_last.or_else(|| {
                    input
                        .sources
                        .iter()
                        .enumerate()
                        .find_map(|(i, src)| Some((i, src.text.find(&probe)?)))
                })?;
                last = Some((i, pos));
                let src = &input.sources[i];
                Some((src, pos + tail.len()..pos + probe.len().max(tail.len())))
            });
        let (place, diagnostic) = match found {
            Some((src, range)) => {
                let line = src.line_col(range.start).0;
                (
                    msg!(
                        "preflight-place-on-page",
                        place = format!("{}:{line}", src.path.display()),
                        page = runt.page
                    ),
                    Some(
                        Diagnostic::warning(msg!("preflight-typeset-preflight", message = message))
                            .at(src, range)
                            .hint(hint),
                    ),
                )
            }
            None => {
                let article = input
                    .article_pages
                    .iter()
                    .rev()
                    .find(|(p, _)| *p <= runt.page)
                    .map(|(_, f)| f.clone())
                    .unwrap_or_else(|| msg!("preflight-masthead-or-contents"));
                (
                    msg!(
                        "preflight-page-article",
                        page = runt.page,
                        article = article
                    ),
                    None,
                )
            }
        };
        findings.push(Finding {
            level: Level::Warning,
            check: "runt",
            place,
            message,
            source: None,
            page: Some(runt.page),
            diagnostic,
        });
    }
}

/// What to do about a doubled run: a quote written twice, or two stops (one inside the
/// closing quote, one after it).
fn doubled_hint(run: &str) -> String {
    if run.contains("””") || run.contains("’’") {
        msg!("preflight-typeset-closing-quote-twice")
    } else if run.contains("““") {
        msg!("preflight-typeset-opening-quote-twice")
    } else {
        msg!("preflight-typeset-keep-one-mark-full")
    }
}

/// Doubled punctuation in the articles (“。”。”, “””), with file and line.
pub(super) fn doubled_punctuation(input: &Input, findings: &mut Vec<Finding>) {
    for src in input.sources {
        if src.path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        for (pos, run) in typography::doubled_punctuation(&src.text) {
            let line = src.line_col(pos).0;
            let message = msg!("preflight-typeset-doubled-punctuation", run = run);
            findings.push(Finding {
                level: Level::Warning,
                check: "punctuation",
                place: format!("{}:{line}", src.path.display()),
                message: message.clone(),
                source: None,
                page: None,
                diagnostic: Some(
                    Diagnostic::warning(msg!("preflight-typeset-preflight", message = message))
                        .at(src, pos..pos + run.len())
                        .hint(doubled_hint(&run)),
                ),
            });
        }
    }
}
