//! kanwu's benchmark, run by `bench/run` (which is `cargo bench --bench kanwu -- run`).
//!
//! Every figure is a whole process, as an editor or a script would run it: kanwu's release
//! binary against typst-cli 0.15.1 on kanwu's own `--emit-typst` project (same fonts, same
//! layout, same text) and against xelatex + ctex on the same text in the same fonts. Each pair
//! runs alternately, after a warm-up, and the median of the runs is reported.
//!
//! `gen` writes the synthetic archive alone (for profiling or a look at it).

mod editions;
mod measure;
mod scale;
mod soak;
mod synth;
mod tex;

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;

use measure::{Sample, Summary, mib, ms};

#[derive(Parser)]
#[command(name = "bench/run", about = "kanwu against typst-cli and xelatex+ctex")]
enum Cli {
    /// Measure everything, print the table and write bench/RESULTS.md.
    Run(RunArgs),
    /// Write the scale inputs (10,000 one-line articles; one 5 MB article) and time `build`
    /// and `check` on them; prints the table for RESULTS.md's "Scale" section.
    Scale {
        /// Runs of each job.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// The kanwu binary to time (default: the one this bench was built with).
        #[arg(long)]
        kanwu: Option<PathBuf>,
        /// Write the inputs only.
        #[arg(long)]
        gen_only: bool,
    },
    /// Time `kanwu export` of the sample to each edition (html, docx, images) beside `build`;
    /// prints the table for RESULTS.md's "Editions" section.
    Editions {
        /// Measured runs of each job (after one warm-up).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// The kanwu binary to time (default: the one this bench was built with).
        #[arg(long)]
        kanwu: Option<PathBuf>,
    },
    /// Memory of the desk (`serve`) and of `watch` over many rebuilds (RSS sampled every 50),
    /// on the sample and on an issue of about 85 pages; prints the table for RESULTS.md's
    /// "Soak" section. Linux (reads /proc).
    Soak {
        /// Rebuilds of the sample.
        #[arg(long, default_value_t = 1000)]
        rounds: usize,
        /// Rebuilds of the 85-page issue.
        #[arg(long, default_value_t = 100)]
        big_rounds: usize,
        /// The kanwu binary (default: the one this bench was built with).
        #[arg(long)]
        kanwu: Option<PathBuf>,
    },
    /// Write an issue as the ctexart `.tex` of tex.rs and typeset it with xelatex (twice, for
    /// the contents): `sample.tex` and `sample.pdf` in `--out`, for bench/typo.py to measure.
    Tex {
        #[arg(long, default_value = "issues/2021-01")]
        issue: PathBuf,
        /// Folder to write (replaced).
        #[arg(long, default_value = "target/bench/tex")]
        out: PathBuf,
    },
    /// Write the synthetic archive only.
    Gen {
        /// Folder to write (replaced).
        #[arg(long, default_value = "target/bench/archive/issues")]
        out: PathBuf,
        #[arg(long, default_value_t = 24)]
        issues: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Measured runs of each job (after one warm-up run each).
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Measured runs of the 24-issue batch jobs.
    #[arg(long, default_value_t = 5)]
    batch_runs: usize,
    /// Issues in the synthetic archive.
    #[arg(long, default_value_t = 24)]
    issues: usize,
    /// Seed of the synthetic archive.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Edits timed in watch mode.
    #[arg(long, default_value_t = 20)]
    edits: usize,
    /// The typst-cli 0.15.1 binary.
    #[arg(long, default_value = "typst")]
    typst: PathBuf,
    /// Where to write the results (nothing is written when empty).
    #[arg(long, default_value = "bench/RESULTS.md")]
    results: PathBuf,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn kanwu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kanwu"));
    // The bench's own font cache: warm after the first build, like any editor's machine.
    c.current_dir(root())
        .env("KANWU_CACHE_DIR", root().join("target/bench/font-cache"));
    c
}

fn main() {
    // `cargo bench` adds `--bench` to a harness-less bench's arguments.
    let args = std::env::args().filter(|a| a != "--bench");
    let result = match Cli::parse_from(args) {
        Cli::Gen { out, issues, seed } => {
            let out = root().join(out);
            let _ = fs::remove_dir_all(&out);
            synth::generate(
                &root().join("issues/2021-01"),
                &out,
                &synth::Plan {
                    issues,
                    seed,
                    first_year: 2022,
                },
            )
            .map(|names| println!("wrote {} issues into {}", names.len(), out.display()))
            .map_err(|e| e.to_string())
        }
        Cli::Run(args) => run(&args),
        Cli::Tex { issue, out } => tex_command(&root().join(issue), &root().join(out)),
        Cli::Scale {
            runs,
            kanwu,
            gen_only,
        } => scale_command(runs, kanwu, gen_only),
        Cli::Editions { runs, kanwu } => editions_command(runs, kanwu),
        Cli::Soak {
            rounds,
            big_rounds,
            kanwu,
        } => {
            let project = root().join("target/bench/soak");
            scratch_project(&project).and_then(|()| {
                let kanwu = kanwu.unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_kanwu")));
                let sample = root().join("issues/2021-01");
                println!(
                    "{}",
                    soak::measure(&kanwu, &project, &sample, rounds, big_rounds)?
                );
                Ok(())
            })
        }
    };
    if let Err(e) = result {
        eprintln!("bench: {e}");
        std::process::exit(1);
    }
}

fn scale_command(runs: usize, kanwu: Option<PathBuf>, gen_only: bool) -> Result<(), String> {
    let project = root().join("target/bench/scale");
    scratch_project(&project)?;
    step("writing the scale inputs");
    let inputs =
        scale::generate(&root().join("issues/2021-01"), &project, 1).map_err(|e| e.to_string())?;
    for i in &inputs {
        println!("wrote {} ({})", i.issue.display(), i.layout);
    }
    if gen_only {
        return Ok(());
    }
    let kanwu = kanwu.unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_kanwu")));
    println!("{}", scale::measure(&kanwu, &project, &inputs, runs)?);
    Ok(())
}

fn editions_command(runs: usize, kanwu: Option<PathBuf>) -> Result<(), String> {
    let project = root().join("target/bench/editions");
    scratch_project(&project)?;
    let issues = project.join("issues");
    fs::copy(
        root().join("issues/publication.toml"),
        issues.join("publication.toml"),
    )
    .map_err(|e| e.to_string())?;
    kanwu::util::copy_dir(&root().join("issues/2021-01"), &issues.join("2021-01"))
        .map_err(|e| e.to_string())?;
    let kanwu = kanwu.unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_kanwu")));
    println!("{}", editions::measure(&kanwu, &project, runs)?);
    step("encoding the phone images four ways");
    println!("{}", editions::encodings(&root())?);
    Ok(())
}

fn tex_command(issue: &Path, out: &Path) -> Result<(), String> {
    let root = root();
    let project = kanwu::Project::open(&root, &[]).map_err(|e| format!("{e:?}"))?;
    let loaded = project.load(issue).map_err(|e| format!("{e:?}"))?;
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).map_err(|e| e.to_string())?;
    fs::write(
        out.join("sample.tex"),
        tex::document(&loaded.document, issue, &root.join("fonts")),
    )
    .map_err(|e| e.to_string())?;
    for _ in 0..2 {
        measure::run(Command::new("xelatex").current_dir(out).args([
            "-interaction=nonstopmode",
            "-halt-on-error",
            "sample.tex",
        ]))
        .map_err(|e| format!("xelatex: {e} (see {})", out.join("sample.log").display()))?;
    }
    println!("wrote {}", out.join("sample.pdf").display());
    Ok(())
}

/// A folder laid out like a kanwu project (layout/ and fonts/ are links to this one's) with
/// its own issues/ and out/, so benchmark PDFs never land in the real out/.
fn scratch_project(dir: &Path) -> Result<(), String> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("issues")).map_err(|e| e.to_string())?;
    for name in ["layout", "fonts"] {
        #[cfg(unix)]
        std::os::unix::fs::symlink(root().join(name), dir.join(name))
            .map_err(|e| format!("cannot link {name}: {e}"))?;
        #[cfg(not(unix))]
        kanwu::util::copy_dir(&root().join(name), &dir.join(name))
            .map_err(|e| format!("cannot copy {name}: {e}"))?;
    }
    Ok(())
}

fn step(what: &str) {
    eprintln!("· {what}");
}

struct Row {
    job: String,
    kanwu: Option<Summary>,
    other_name: String,
    other: Option<Summary>,
    /// How the target reads, and whether it is met.
    target: String,
    met: Option<bool>,
    note: String,
}

fn run(args: &RunArgs) -> Result<(), String> {
    let root = root();
    let work = root.join("target/bench");
    fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let typst_version = measure::version(&args.typst, "--version");
    match &typst_version {
        Some(v) if v.contains("0.15.1") => {}
        Some(v) => return Err(format!("{} is {v}, not typst 0.15.1", args.typst.display())),
        None => {
            return Err(format!(
                "typst-cli not found at `{}`: cargo install typst-cli --version 0.15.1 --locked (bench/run does this)",
                args.typst.display()
            ));
        }
    }
    let xelatex = PathBuf::from("xelatex");
    let tex_version = measure::version(&xelatex, "--version").filter(|_| {
        Command::new("kpsewhich")
            .arg("ctexart.cls")
            .output()
            .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
    });
    let fonts = root.join("fonts");

    // ---- inputs
    step("the sample issue: kanwu's PDF, its --emit-typst project and its .tex");
    let sample = root.join("issues/2021-01");
    let out = work.join("out");
    fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let emit = work.join("typst/sample");
    let _ = fs::remove_dir_all(&emit);
    let kanwu_pdf = out.join("kanwu.pdf");
    measure::run(kanwu().args([
        "build".as_ref(),
        sample.as_os_str(),
        "-o".as_ref(),
        kanwu_pdf.as_os_str(),
        "--emit-typst".as_ref(),
        emit.as_os_str(),
    ]))?;
    let project = kanwu::Project::open(&root, &[]).map_err(|e| format!("{e:?}"))?;
    let loaded = project.load(&sample).map_err(|e| format!("{e:?}"))?;
    let pages = lopdf::Document::load(&kanwu_pdf)
        .map(|d| d.get_pages().len())
        .unwrap_or(0);

    let typst_pdf = out.join("typst.pdf");
    let typst_one = |main: &Path, pdf: &Path| {
        let mut c = Command::new(&args.typst);
        c.arg("compile")
            .arg("--font-path")
            .arg(&fonts)
            .arg("--ignore-system-fonts")
            .arg("--ignore-embedded-fonts")
            .arg(main)
            .arg(pdf);
        c
    };
    let kanwu_one = || {
        let mut c = kanwu();
        c.arg("build").arg(&sample).arg("-o").arg(&kanwu_pdf);
        c
    };

    let tex_dir = work.join("tex");
    let _ = fs::remove_dir_all(&tex_dir);
    fs::create_dir_all(&tex_dir).map_err(|e| e.to_string())?;
    fs::write(
        tex_dir.join("sample.tex"),
        tex::document(&loaded.document, &sample, &fonts),
    )
    .map_err(|e| e.to_string())?;
    let xelatex_twice = || {
        (0..2)
            .map(|_| {
                let mut c = Command::new(&xelatex);
                c.current_dir(&tex_dir).args([
                    "-interaction=nonstopmode",
                    "-halt-on-error",
                    "sample.tex",
                ]);
                c
            })
            .collect::<Vec<_>>()
    };

    // ---- the archive
    step(&format!(
        "the synthetic archive: {} issues, seed {}",
        args.issues, args.seed
    ));
    let batch = work.join("archive");
    scratch_project(&batch)?;
    let names = synth::generate(
        &sample,
        &batch.join("issues"),
        &synth::Plan {
            issues: args.issues,
            seed: args.seed,
            first_year: 2022,
        },
    )
    .map_err(|e| e.to_string())?;
    step("kanwu --emit-typst of every archive issue, for typst-cli");
    let mut typst_batch = Vec::new();
    let mut batch_pages = 0;
    for name in &names {
        let dir = work.join("typst").join(name);
        let _ = fs::remove_dir_all(&dir);
        let pdf = batch.join("out").join(format!("{name}.pdf"));
        measure::run(kanwu().args([
            "build".as_ref(),
            "--root".as_ref(),
            batch.as_os_str(),
            batch.join("issues").join(name).as_os_str(),
            "--emit-typst".as_ref(),
            dir.as_os_str(),
        ]))?;
        batch_pages += lopdf::Document::load(&pdf)
            .map(|d| d.get_pages().len())
            .unwrap_or(0);
        typst_batch.push((dir.join("main.typ"), out.join(format!("typst-{name}.pdf"))));
    }
    let kanwu_all = || {
        let mut c = kanwu();
        c.arg("build")
            .arg("--root")
            .arg(&batch)
            .arg("--all")
            .arg(batch.join("issues"));
        c
    };

    // ---- measurements
    let progress = |what: &'static str| move |round: usize| eprint!("\r· {what}: run {round}   ");
    let mut rows = Vec::new();

    step("one issue: kanwu build vs typst compile");
    let (k1, t1) = measure::pair(
        args.runs,
        || measure::run(&mut kanwu_one()),
        || measure::run(&mut typst_one(&emit.join("main.typ"), &typst_pdf)),
        &progress("one issue"),
    )?;
    eprintln!();
    let ratio = k1.wall.as_secs_f64() / t1.wall.as_secs_f64();
    rows.push(Row {
        job: format!("one issue (sample, {pages} pages)"),
        kanwu: Some(k1),
        other_name: "typst compile".into(),
        other: Some(t1),
        target: format!("kanwu ≤ 1.0× typst: {ratio:.2}×"),
        met: Some(ratio <= 1.0),
        note: String::new(),
    });

    step("one issue, first build on a machine (empty font cache) vs typst compile");
    let cold_cache = work.join("cold-cache");
    let (kc, tc) = measure::pair(
        args.runs,
        || {
            let _ = fs::remove_dir_all(&cold_cache);
            measure::run(kanwu_one().env("KANWU_CACHE_DIR", &cold_cache))
        },
        || measure::run(&mut typst_one(&emit.join("main.typ"), &typst_pdf)),
        &progress("cold font cache"),
    )?;
    eprintln!();
    let ratio = kc.wall.as_secs_f64() / tc.wall.as_secs_f64();
    rows.push(Row {
        job: "one issue, empty font cache".into(),
        kanwu: Some(kc),
        other_name: "typst compile".into(),
        other: Some(tc),
        target: format!("(first build on a machine) {ratio:.2}×"),
        met: None,
        note: String::new(),
    });

    let tex_pdf = tex_dir.join("sample.pdf");
    if tex_version.is_some() {
        step("one issue: kanwu build vs xelatex + ctex (two runs, for the contents)");
        measure::run_all(&mut xelatex_twice())
            .map_err(|e| format!("the .tex does not compile: {e}"))?;
        let (k2, x2) = measure::pair(
            args.runs,
            || measure::run(&mut kanwu_one()),
            || measure::run_all(&mut xelatex_twice()),
            &progress("xelatex"),
        )?;
        eprintln!();
        let ratio = x2.wall.as_secs_f64() / k2.wall.as_secs_f64();
        rows.push(Row {
            job: format!("one issue (sample, {pages} pages)"),
            kanwu: Some(k2),
            other_name: "xelatex ×2 + ctex".into(),
            other: Some(x2),
            target: format!("kanwu ≥ 10× faster: {ratio:.1}×"),
            met: Some(ratio >= 10.0),
            note: String::new(),
        });
    } else {
        eprintln!(
            "NOTICE: xelatex + ctex not installed: the xelatex row is skipped.\n        Install with: apt-get install texlive-xetex texlive-lang-chinese texlive-fonts-recommended"
        );
        rows.push(Row {
            job: format!("one issue (sample, {pages} pages)"),
            kanwu: None,
            other_name: "xelatex ×2 + ctex".into(),
            other: None,
            target: "skipped: xelatex + ctex not installed".into(),
            met: None,
            note: "apt-get install texlive-xetex texlive-lang-chinese texlive-fonts-recommended"
                .into(),
        });
    }

    step(&format!(
        "{} issues: kanwu build --all vs {} typst compile runs",
        names.len(),
        names.len()
    ));
    let (kb, tb) = measure::pair(
        args.batch_runs,
        || measure::run(&mut kanwu_all()),
        || {
            let mut cmds: Vec<Command> = typst_batch
                .iter()
                .map(|(main, pdf)| typst_one(main, pdf))
                .collect();
            measure::run_all(&mut cmds)
        },
        &progress("batch"),
    )?;
    eprintln!();
    let ratio = tb.wall.as_secs_f64() / kb.wall.as_secs_f64();
    rows.push(Row {
        job: format!("{} issues ({batch_pages} pages)", names.len()),
        kanwu: Some(kb),
        other_name: format!("{} × typst compile", names.len()),
        other: Some(tb),
        target: format!("kanwu ≥ 3× faster: {ratio:.1}×"),
        met: Some(ratio >= 3.0),
        note: String::new(),
    });

    step(&format!("watch: {} one-paragraph edits", args.edits));
    let (watch, rebuild) = watch_latency(&work.join("watch"), args.edits)?;
    eprintln!();

    // ---- report
    let size = |p: &Path| fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let sizes = (
        size(&kanwu_pdf),
        size(&typst_pdf),
        tex_version.as_ref().map(|_| size(&tex_pdf)),
    );
    let machine = machine();
    let versions = vec![
        ("kanwu", kanwu_version()),
        (
            "rustc",
            measure::version(Path::new("rustc"), "--version").unwrap_or_default(),
        ),
        ("typst-cli", typst_version.unwrap_or_default()),
        (
            "xelatex",
            tex_version
                .clone()
                .unwrap_or_else(|| "not installed".into()),
        ),
    ];
    let report = report(
        args,
        &machine,
        &versions,
        &rows,
        (&watch, &rebuild),
        sizes,
        k1.rss,
        kb.rss,
    );
    println!("{report}");
    if !args.results.as_os_str().is_empty() {
        let path = root.join(&args.results);
        // "Scale" and every section after it ("Editions", "Typography", …) are written by
        // their own commands (and by hand): kept as they are.
        let mut report = report;
        if let Ok(old) = fs::read_to_string(&path)
            && let Some(at) = old.find("\n## Scale")
        {
            report.push_str(&old[at..]);
        }
        fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Watch mode: `kanwu watch` on a copy of the sample; each edit rewrites one paragraph of one
/// article in place and the clock runs from just before the write until the new PDF is on disk
/// (its inode or mtime changes: kanwu renames a finished file into place).
fn watch_latency(dir: &Path, edits: usize) -> Result<(Summary, Summary), String> {
    scratch_project(dir)?;
    let issue = dir.join("issues/2021-01");
    kanwu::util::copy_dir(&root().join("issues/2021-01"), &issue).map_err(|e| e.to_string())?;
    fs::copy(
        root().join("issues/publication.toml"),
        dir.join("issues/publication.toml"),
    )
    .map_err(|e| e.to_string())?;
    let pdf = dir.join("out/watch.pdf");
    let mut child = kanwu()
        .arg("watch")
        .arg("--root")
        .arg(dir)
        .arg(&issue)
        .arg("-o")
        .arg(&pdf)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start kanwu watch: {e}"))?;
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().expect("piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Waits for kanwu's "built …/rebuilt … in N ms" line; returns N (its own rebuild time).
    let wait_built = |what: &str| -> Result<Duration, String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) if line.starts_with("built") || line.starts_with("rebuilt") => {
                    let ms = line
                        .rsplit(" in ")
                        .next()
                        .and_then(|t| t.trim_end_matches(" ms").parse::<u64>().ok())
                        .unwrap_or(0);
                    return Ok(Duration::from_millis(ms));
                }
                Ok(line) if line.starts_with("failed") => {
                    return Err(format!("kanwu watch failed after {what}: {line}"));
                }
                Ok(_) => {}
                Err(_) => return Err(format!("kanwu watch printed no build after {what}")),
            }
        }
    };
    let result = (|| {
        wait_built("starting")?;
        let article = issue.join("yangtze-delta-ai.md");
        let original = fs::read_to_string(&article).map_err(|e| e.to_string())?;
        #[cfg(unix)]
        let stamp = |p: &Path| {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(p)
                .map(|m| (m.ino(), m.mtime(), m.mtime_nsec()))
                .ok()
        };
        // Elsewhere no inode: the modification time alone tells a new PDF.
        #[cfg(not(unix))]
        let stamp = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
        let (mut samples, mut rebuilds) = (Vec::new(), Vec::new());
        for i in 0..edits {
            // Rewrite the first body paragraph (the 5th line), as an editor correcting it would.
            let edited: Vec<String> = original
                .lines()
                .enumerate()
                .map(|(n, l)| {
                    if n == 4 {
                        format!("{l}第{}次修订：本段补充了一句说明。", i + 1)
                    } else {
                        l.to_string()
                    }
                })
                .collect();
            let before = stamp(&pdf);
            std::thread::sleep(Duration::from_millis(300));
            let start = Instant::now();
            fs::write(&article, edited.join("\n") + "\n").map_err(|e| e.to_string())?;
            loop {
                if stamp(&pdf) != before {
                    break;
                }
                if start.elapsed() > Duration::from_secs(30) {
                    return Err(format!("edit {}: no new PDF after 30 s", i + 1));
                }
                std::thread::sleep(Duration::from_micros(500));
            }
            let wall = start.elapsed();
            eprint!("\r· watch: edit {}   ", i + 1);
            let inside = wait_built("an edit")?;
            samples.push(Sample {
                wall,
                ..Sample::default()
            });
            rebuilds.push(Sample {
                wall: inside,
                ..Sample::default()
            });
        }
        Ok((measure::summarize(&samples), measure::summarize(&rebuilds)))
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(str::trim)
        .unwrap_or("unknown CPU");
    format!(
        "{cores} cores ({model}), {:.1} GiB memory, {} {}",
        mem_kib as f64 / 1024.0 / 1024.0,
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn kanwu_version() -> String {
    let rev = Command::new("git")
        .current_dir(root())
        .args(["describe", "--always", "--dirty"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{} ({rev}, release build)", env!("CARGO_PKG_VERSION"))
}

#[allow(clippy::too_many_arguments)]
fn report(
    args: &RunArgs,
    machine: &str,
    versions: &[(&str, String)],
    rows: &[Row],
    (watch, rebuild): (&Summary, &Summary),
    sizes: (u64, u64, Option<u64>),
    one_rss: u64,
    batch_rss: u64,
) -> String {
    let cell = |s: &Option<Summary>| match s {
        Some(s) => format!("{:.0} ms · {:.0} MiB", ms(s.wall), mib(s.rss)),
        None => "—".into(),
    };
    let mark = |m: Option<bool>| match m {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "—",
    };
    let mut r = String::new();
    let _ = writeln!(r, "# kanwu benchmark results\n");
    let _ = writeln!(
        r,
        "Produced by `bench/run` (`cargo bench --bench kanwu -- run`), which also wrote this file.\n"
    );
    let _ = writeln!(r, "- Machine: {machine}");
    for (k, v) in versions {
        let _ = writeln!(r, "- {k}: {v}");
    }
    let _ = writeln!(
        r,
        "- Runs: median of {} (batch: {}) after one warm-up of each, the two jobs of a row alternating; watch: median of {} edits\n",
        args.runs, args.batch_runs, args.edits
    );
    let _ = writeln!(
        r,
        "| job | kanwu (wall · peak RSS) | against | their wall · peak RSS | target | |"
    );
    let _ = writeln!(r, "|---|---|---|---|---|---|");
    for row in rows {
        let _ = writeln!(
            r,
            "| {} | {} | {} | {} | {}{} | {} |",
            row.job,
            cell(&row.kanwu),
            row.other_name,
            cell(&row.other),
            row.target,
            if row.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", row.note)
            },
            mark(row.met)
        );
    }
    let _ = writeln!(
        r,
        "| watch: save → new PDF | {:.0} ms (min {:.0}, max {:.0}; kanwu's rebuild {:.0} ms) | | | ≤ 50 ms | {} |",
        ms(watch.wall),
        ms(watch.min),
        ms(watch.max),
        ms(rebuild.wall),
        mark(Some(watch.wall <= Duration::from_millis(50)))
    );
    let _ = writeln!(
        r,
        "| peak RSS, one issue | {:.0} MiB | | | ≤ 100 MiB | {} |",
        mib(one_rss),
        mark(Some(mib(one_rss) <= 100.0))
    );
    let _ = writeln!(
        r,
        "| peak RSS, {} issues | {:.0} MiB | | | ≤ 400 MiB | {} |",
        args.issues,
        mib(batch_rss),
        mark(Some(mib(batch_rss) <= 400.0))
    );
    let kb = |b: u64| format!("{} KB", b.div_ceil(1024));
    let _ = writeln!(
        r,
        "| sample PDF size | {} | typst compile · xelatex | {} · {} | | |",
        kb(sizes.0),
        kb(sizes.1),
        sizes.2.map(kb).unwrap_or_else(|| "—".into())
    );
    r.push_str(METHOD);
    r
}

const METHOD: &str = r#"
## How the figures are obtained

- **Whole processes.** Each job is started as a process and timed from spawn to exit; peak RSS is
  the kernel's `ru_maxrss` for that process (`wait4`). A job of several processes (24 typst runs,
  two xelatex runs) adds their wall times and reports the largest peak.
- **Same input for all.** typst-cli compiles the plain Typst project that `kanwu build
  --emit-typst` writes for the same issue (the same layout, document JSON and images), with
  `--font-path fonts --ignore-system-fonts --ignore-embedded-fonts`, so both set the same text in
  the same fonts and no others. The `.tex` is written from kanwu's document model by
  `bench/tex.rs`: the same text, in the same vendored fonts, in ctexart; xelatex runs twice
  because its contents page needs a second pass.
- **Fair order.** The two jobs of a row alternate, and which goes first swaps every round, after
  one warm-up run of each.
- **The archive.** `bench/synth.rs` writes 24 issues (2022-01 … 2023-12) from the sample's own
  sentences with a fixed seed: 6–24 pages each, some with GFM tables and 1900 × 1050 px PNG
  charts. `kanwu build --all` builds them in one process; typst-cli runs once per issue, one
  after another, as a script would.
- **Watch.** `kanwu watch` on a copy of the sample; each edit rewrites one paragraph of one
  article in place, 300 ms after the previous build, and the time runs from just before the
  write until the new PDF has been renamed into place.
"#;
