//! A fuzz target that runs in CI: seeded mutations of real issues (the sample, the features
//! fixture, the hostile fixture) fed to the manifest parser, the article parser and the
//! document builder, as `kanwu::model::load` runs them, then to serde_json as the layout gets
//! the document. Whatever the input, kanwu must answer with a value (an issue or diagnostics):
//! no panic, no abort, and a document.json that serde_json reads back within its recursion
//! limit (the one Typst's `json()` has).
//!
//! A stack overflow aborts the whole process, which no `catch_unwind` can catch, so the cases
//! run in a child process (this test binary, running only `fuzz_child`): an abort fails
//! `fuzzed_issues_never_panic_or_abort` naming the case that did it, instead of killing the
//! test run. Inside the child, the cases run on a thread with a normal 2 MiB stack (not the
//! main thread's 8 MiB), so a recursion deep enough to matter in a worker thread shows here.
//!
//! The mutations are a hand-rolled deterministic loop with a fixed seed (a run is the same
//! every time, and a failing case number reproduces): inserting tokens Markdown, TOML and the
//! front matter give meaning to, repeating them hundreds of times (nesting), deleting,
//! duplicating, swapping lines, truncating, and flipping bytes. proptest was not added: its
//! dependencies would cost CI compile time for what this loop does.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::*;
use crate::synth::Rng;

/// Cases per run: bounded so that the debug test build takes well under a minute.
const CASES: u64 = 1200;
/// A wall-clock cap besides, for a slow machine: the cases run so far still count.
const BUDGET: Duration = Duration::from_secs(30);
const SEED: u64 = 0x6b61_6e77_752d_3135;
/// Set in the child: where it writes the case it is about to run.
const CASE_FILE_VAR: &str = "KANWU_FUZZ_CASE_FILE";

#[test]
fn fuzzed_issues_never_panic_or_abort() {
    let dir = tempfile::tempdir().unwrap();
    let case_file = dir.path().join("case.txt");
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "fuzz::fuzz_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CASE_FILE_VAR, &case_file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // libtest prints the child's line after `test fuzz::fuzz_child ... `.
    let ran = stdout
        .lines()
        .find_map(|l| l.find("fuzz: ").map(|at| &l[at..]));
    assert!(
        out.status.success() && ran.is_some(),
        "the fuzz child failed ({}); the case it was running:\n{}\n--- stderr (end) ---\n{}",
        out.status,
        std::fs::read_to_string(&case_file).unwrap_or_else(|_| "(none recorded)".into()),
        tail(&stderr, 3000),
    );
    println!("{}", ran.unwrap());
}

#[test]
#[ignore = "run by fuzzed_issues_never_panic_or_abort in a child process, to survive an abort"]
fn fuzz_child() {
    let report = std::thread::Builder::new()
        .name("fuzz".into())
        .stack_size(2 << 20)
        .spawn(run_cases)
        .unwrap()
        .join()
        .expect("the fuzz thread panicked outside a case");
    println!("{report}");
}

/// One issue as files: publication.toml beside the folder, the rest inside it.
#[derive(Clone)]
struct Base {
    name: &'static str,
    publication: String,
    /// (name in the issue folder, text): issue.toml first.
    files: Vec<(String, String)>,
}

fn bases() -> Vec<Base> {
    let read = |p: PathBuf| std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
    let folder = |name: &'static str, dir: PathBuf, publication: PathBuf| {
        let mut files = vec![("issue.toml".to_string(), read(dir.join("issue.toml")))];
        for path in kanwu::util::sorted_entries(&dir) {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            if file.ends_with(".md") {
                files.push((file, read(path)));
            }
        }
        Base {
            name,
            publication: read(publication),
            files,
        }
    };
    vec![
        folder(
            "sample",
            root().join("issues/2021-01"),
            root().join("issues/publication.toml"),
        ),
        folder(
            "features",
            fixtures().join("features"),
            fixtures().join("publication.toml"),
        ),
        folder(
            "hostile",
            fixtures().join("hostile"),
            fixtures().join("publication.toml"),
        ),
    ]
}

/// Uniform in `0..n` (0 when `n` is 0), from the benchmark's seeded generator.
fn below(rng: &mut Rng, n: usize) -> usize {
    if n == 0 { 0 } else { rng.range(0, n - 1) }
}

/// Pieces with a meaning to Markdown, TOML, the front matter, kanwu or the layout.
const TOKENS: &[&str] = &[
    "[^1]",
    "[^1]: 注一[^1]\n",
    "\n[^2]: 注二[^1]\n",
    "\n\n[^1]: 注\n",
    "> ",
    "- ",
    "1. ",
    "* ",
    "*",
    "**",
    "_",
    "~~",
    "`",
    "```\n",
    "\n```rust\n",
    "|",
    "\n| a | b |\n|---|---|\n| c |\n",
    "![图](images/chart.png)",
    "![](../x.png)",
    "![图](/etc/passwd)",
    "<div>",
    "</div>",
    "\n# 一级",
    "\n## 二级",
    "\n###### 六级",
    "+++\n",
    "\n+++\n",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\0",
    "\u{7}",
    "\u{c}",
    "😀",
    "\u{FEFF}",
    "\u{202E}",
    "\"",
    "'",
    "=",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "\\u0000",
    "[[sections]]\n",
    "kind = \"news\"\n",
    "kind = \"专题\"\n",
    "articles = [\"ai-patents.md\"]\n",
    "articles = [\"../x.md\"]\n",
    "title = \"\"\n",
    "date = 2021-13-45\n",
    "date = \"2021-01-20\"\n",
    "year = -1\n",
    "number = 99999999999\n",
    "schema = 2\n",
    "schema = 0\n",
    "[issue]\n",
    "[print]\n",
    "pad_to = 3\n",
    "bleed_mm = -1\n",
    "paper = \"letter\"\n",
    "#panic(\"x\")",
    "#let x = 1",
    "$x^2$",
    "<label>",
    "@ref",
    "]#eval(\"1\")[",
    "https://example.com/",
    "<https://x.y>",
    "[链接](http://x)",
    "---\n",
    "***\n",
    "  \n",
    "    缩进代码\n",
    "- [ ] 任务\n",
    "- [x] 完成\n",
    "——",
    "……",
    "。",
    "「",
    "」",
];

/// One mutation of `text`, at char boundaries where it inserts text.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>) {
    let boundary = |text: &Vec<u8>, mut at: usize| {
        at = at.min(text.len());
        while at > 0 && at < text.len() && (text[at] & 0xC0) == 0x80 {
            at -= 1;
        }
        at
    };
    let at = boundary(text, below(rng, text.len() + 1));
    match below(rng, 10) {
        0..=2 => {
            let token = rng.pick(TOKENS).as_bytes();
            text.splice(at..at, token.iter().copied());
        }
        3 => {
            // Nesting and repetition: a token hundreds or thousands of times.
            let token = rng.pick(TOKENS).as_bytes();
            let mut times = [3, 13, 50, 200, 1000, 5000][below(rng, 6)];
            // Every image placed is decoded again (model/image.rs): 5,000 of them take 15 s in
            // the debug build, a scale question rather than a crash; bounded here.
            if token.starts_with(b"![") {
                times = times.min(50);
            }
            let run: Vec<u8> = token
                .iter()
                .copied()
                .cycle()
                .take(token.len() * times)
                .collect();
            text.splice(at..at, run);
        }
        4 => {
            let end = boundary(text, at + below(rng, 64));
            text.drain(at..end);
        }
        5 => {
            let end = boundary(text, at + below(rng, 400));
            let copy = text[at..end].to_vec();
            text.splice(at..at, copy);
        }
        6 => {
            // Swap two lines.
            let s = String::from_utf8_lossy(text).into_owned();
            let mut lines: Vec<&str> = s.split('\n').collect();
            if lines.len() > 1 {
                let (a, b) = (below(rng, lines.len()), below(rng, lines.len()));
                lines.swap(a, b);
            }
            *text = lines.join("\n").into_bytes();
        }
        7 => text.truncate(at),
        8 => {
            // A byte flipped: sometimes no longer UTF-8, which must be a message too.
            if !text.is_empty() {
                let i = below(rng, text.len());
                text[i] ^= 1 << below(rng, 8);
            }
        }
        _ => {
            // A line's indentation changed (lists and code blocks depend on it).
            let spaces = b"    ".repeat(below(rng, 4));
            let line_start = text[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            text.splice(line_start..line_start, spaces);
        }
    }
}

fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

fn write_issue(dir: &Path, publication: &[u8], files: &[(String, Vec<u8>)]) {
    let issue = dir.join("issues/x");
    let _ = std::fs::remove_dir_all(&issue);
    std::fs::create_dir_all(issue.join("images")).unwrap();
    std::fs::copy(
        fixtures().join("archive/issues/2021-04/images/chart.png"),
        issue.join("images/chart.png"),
    )
    .unwrap();
    std::fs::write(dir.join("issues/publication.toml"), publication).unwrap();
    for (name, text) in files {
        std::fs::write(issue.join(name), text).unwrap();
    }
}

/// Runs the cases; returns a summary line. Panics (after all cases) if any case panicked.
fn run_cases() -> String {
    let dir = tempfile::tempdir().unwrap();
    let case_file = std::env::var_os(CASE_FILE_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().join("case.txt"));
    let bases = bases();
    let mut rng = Rng::new(SEED);
    let (mut loaded, mut refused, mut panicked) = (0, 0, Vec::new());
    let start = Instant::now();
    let mut cases = 0;
    let mut slowest = (Duration::ZERO, String::new());
    while cases < CASES && start.elapsed() < BUDGET {
        cases += 1;
        let base = rng.pick(&bases).clone();
        let mut publication = base.publication.clone().into_bytes();
        let mut files: Vec<(String, Vec<u8>)> = base
            .files
            .iter()
            .map(|(n, t)| (n.clone(), t.clone().into_bytes()))
            .collect();
        // Mostly an article, sometimes a manifest; one to six mutations.
        let target = match below(&mut rng, 10) {
            0 => None,
            1 | 2 => Some(0),
            _ => Some(1 + below(&mut rng, files.len() - 1)),
        };
        let mutations = 1 + below(&mut rng, 6);
        let what = match target {
            None => "publication.toml".to_string(),
            Some(i) => files[i].0.clone(),
        };
        let text = match target {
            None => &mut publication,
            Some(i) => &mut files[i].1,
        };
        for _ in 0..mutations {
            mutate(&mut rng, text);
        }
        let text = String::from_utf8_lossy(text).into_owned();
        std::fs::write(
            &case_file,
            format!(
                "case {cases} (seed {SEED:#x}): {} with {what} mutated {mutations} times:\n{}",
                base.name,
                tail(&text, 2000)
            ),
        )
        .unwrap();
        write_issue(dir.path(), &publication, &files);
        let issue = dir.path().join("issues/x");
        let case_start = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| match kanwu::model::load(&issue) {
            Ok(l) => {
                let json = kanwu::typeset::document_json(&l);
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&json) {
                    panic!("document.json does not read back: {e}");
                }
                true
            }
            Err(f) => {
                assert!(f.errors().next().is_some(), "a failure without an error");
                false
            }
        }));
        let took = case_start.elapsed();
        if took > slowest.0 {
            slowest = (took, format!("case {cases}: {} / {what}", base.name));
        }
        match result {
            Ok(true) => loaded += 1,
            Ok(false) => refused += 1,
            Err(_) => panicked.push(format!("case {cases}: {} / {what}", base.name)),
        }
    }
    assert!(
        panicked.is_empty(),
        "{} of {cases} fuzzed cases panicked: {panicked:#?}",
        panicked.len()
    );
    format!(
        "fuzz: {cases} cases in {:.1} s: {loaded} loaded, {refused} refused with diagnostics, no panic; slowest {} ms ({})",
        start.elapsed().as_secs_f64(),
        slowest.0.as_millis(),
        slowest.1
    )
}
