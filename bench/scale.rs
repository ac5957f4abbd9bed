//! The scale inputs of issue 15: an issue of 10,000 one-line articles (`many`) and an issue of
//! one 5 MB article (`huge`), written from the sample's sentences with a fixed seed, in the
//! express layout (`issues/`) and in the bulletin (`bulletin/`, a second folder of issues whose
//! publication.toml names it), and the jobs measured on them
//! (`cargo bench --bench kanwu -- scale`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::measure::{self, Summary, mib, ms};
use crate::synth::{Corpus, Rng};

/// Articles in `many`.
pub const MANY: usize = 10_000;
/// Bytes of the article of `huge` (at least).
pub const HUGE_BYTES: usize = 5 * 1024 * 1024;

/// One input: the issue folder and the layout its publication.toml names.
pub struct Input {
    pub issue: PathBuf,
    pub layout: &'static str,
}

/// Writes `many` and `huge` into `project/issues` (with the sample's publication.toml) and into
/// `project/bulletin` (the same, naming the bulletin layout); returns the four issue folders.
pub fn generate(sample_issue: &Path, project: &Path, seed: u64) -> std::io::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for (folder, layout) in [("issues", "express"), ("bulletin", "bulletin")] {
        let issues = project.join(folder);
        let [many, huge] = generate_in(sample_issue, &issues, seed)?;
        let publication = issues.join("publication.toml");
        let text = fs::read_to_string(&publication)?;
        let named = text.replace("layout = \"express\"", &format!("layout = \"{layout}\""));
        if !named.contains(&format!("layout = \"{layout}\"")) {
            return Err(std::io::Error::other(format!(
                "{}: no `layout = \"express\"` to change",
                publication.display()
            )));
        }
        fs::write(&publication, named)?;
        inputs.push(Input {
            issue: many,
            layout,
        });
        inputs.push(Input {
            issue: huge,
            layout,
        });
    }
    Ok(inputs)
}

/// Writes `issues/many` and `issues/huge` (with the sample's publication.toml beside them).
fn generate_in(sample_issue: &Path, issues: &Path, seed: u64) -> std::io::Result<[PathBuf; 2]> {
    let mut corpus = Corpus::from_issue(sample_issue)?;
    // Chinese only: a sentence with Latin words (iFLYTEKA.I.) can stick out of a justified line
    // somewhere in 1,500 pages, and preflight then rightly fails the print build.
    corpus
        .sentences
        .retain(|s| !s.chars().any(|c| c.is_ascii_alphabetic()));
    let mut rng = Rng::new(seed);
    fs::create_dir_all(issues)?;
    fs::copy(
        sample_issue.join("../publication.toml"),
        issues.join("publication.toml"),
    )?;
    let manifest = |articles: &[String]| {
        let mut toml = String::from(
            "schema = 1\n\n[issue]\nyear = 2024\nnumber = 1\ndate = 2024-01-15\n\n[[sections]]\nkind = \"news\"\narticles = [\n",
        );
        for a in articles {
            let _ = writeln!(toml, "  \"{a}\",");
        }
        toml.push_str("]\n");
        toml
    };

    let many = issues.join("many");
    fs::create_dir_all(&many)?;
    let mut names = Vec::with_capacity(MANY);
    for i in 1..=MANY {
        let name = format!("a{i:05}.md");
        let title = rng.pick(&corpus.titles);
        let line = rng.pick(&corpus.sentences);
        fs::write(
            many.join(&name),
            format!("+++\ntitle = \"{title}（{i}）\"\n+++\n{line}\n"),
        )?;
        names.push(name);
    }
    fs::write(many.join("issue.toml"), manifest(&names))?;

    let huge = issues.join("huge");
    fs::create_dir_all(&huge)?;
    let mut md = String::from("+++\ntitle = \"一篇五兆字节的长文\"\n+++\n");
    let mut n = 0;
    while md.len() < HUGE_BYTES {
        if n % 200 == 0 {
            let _ = writeln!(md, "\n## {}\n", rng.pick(&corpus.headings));
        }
        for p in corpus.paragraphs(&mut rng, 300) {
            md.push_str(&p);
            md.push_str("\n\n");
        }
        n += 1;
    }
    fs::write(huge.join("long.md"), md)?;
    fs::write(huge.join("issue.toml"), manifest(&["long.md".to_string()]))?;
    Ok([many, huge])
}

/// Measures `build` and `check` (screen and print) on each input with `kanwu` (the release
/// binary unless told otherwise), `runs` times each; returns the Markdown section.
pub fn measure(
    kanwu: &Path,
    project: &Path,
    inputs: &[Input],
    runs: usize,
) -> Result<String, String> {
    let jobs: [(&str, &[&str]); 4] = [
        ("build", &["build"]),
        ("build --profile print", &["build", "--profile", "print"]),
        ("check", &["check"]),
        ("check --profile print", &["check", "--profile", "print"]),
    ];
    let mut out = String::from(
        "| input | layout | job | wall (median, min–max) | CPU, user + system | peak RSS |\n|---|---|---|---|---|---|\n",
    );
    for input in inputs {
        let what = if input.issue.ends_with("many") {
            format!("{MANY} one-line articles")
        } else {
            "one 5 MB article".to_string()
        };
        let layout = input.layout;
        for (job, args) in jobs {
            let pdf = project.join("out/scale.pdf");
            let mut samples = Vec::new();
            let mut failed = None;
            for _ in 0..runs {
                let mut c = Command::new(kanwu);
                c.current_dir(project).args(args).arg(&input.issue);
                if args[0] == "build" {
                    c.arg("-o").arg(&pdf);
                }
                eprintln!("· {what}, {layout}: {job}");
                match measure::run(&mut c) {
                    Ok(s) => samples.push(s),
                    Err(e) => failed = Some(e),
                }
            }
            let row = match failed {
                // The first lines say why (a preflight error, a limit).
                Some(e) => format!(
                    "| {what} | {layout} | `{job}` | failed: {} | | |",
                    e.lines()
                        .skip(1)
                        .take(2)
                        .collect::<Vec<_>>()
                        .join(" ")
                        .replace('|', "/")
                ),
                None => {
                    let s: Summary = measure::summarize(&samples);
                    format!(
                        "| {what} | {layout} | `{job}` | {:.2} s ({:.2}–{:.2}) | {:.2} s | {:.0} MiB |",
                        ms(s.wall) / 1000.0,
                        ms(s.min) / 1000.0,
                        ms(s.max) / 1000.0,
                        ms(s.cpu) / 1000.0,
                        mib(s.rss)
                    )
                }
            };
            eprintln!("{row}");
            let _ = writeln!(out, "{row}");
        }
    }
    Ok(out)
}
