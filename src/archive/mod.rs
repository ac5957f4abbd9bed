//! The archive: batch builds of many issues, the sources inside archive PDFs (`extract`), the
//! reproducibility record (`release.toml`) and its check (`verify`), and the catalogue.

pub mod catalog;
pub mod extract;
pub mod release;

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::diag::Result;
use crate::project::{BuildOptions, Built, Project};
pub use catalog::catalog;
pub use extract::{attachments, extract};
pub use release::{font_inputs, release, verify};

/// One issue of a batch build.
#[derive(Debug)]
pub struct BatchItem {
    pub issue: PathBuf,
    /// The issue folder's name (`2021-01`).
    pub name: String,
    pub result: Result<Built>,
    pub elapsed: Duration,
}

/// Memo entries unused for this many finished issues are dropped (see [`for_each_issue`]).
const EVICT_AFTER: usize = 2;

/// Builds every issue, as many at a time as there are cores, with the project's shared fonts.
/// A failing issue does not stop the others; `done` is called as each one finishes (for a
/// progress bar). Results come back in the order of `issues`.
pub fn build_all(
    project: &Project,
    issues: &[PathBuf],
    options: &BuildOptions,
    done: &(dyn Fn(&BatchItem) + Sync),
) -> Vec<BatchItem> {
    // Each issue goes to its default file (out/<issue>…); only the profile and the booklet
    // are taken from `options`.
    let options = BuildOptions {
        output: None,
        ..options.clone()
    };
    for_each_issue(issues, |issue| {
        let start = Instant::now();
        let result = project.build(issue, &options);
        let item = BatchItem {
            issue: issue.clone(),
            name: crate::model::loaded::folder_name(issue),
            result,
            elapsed: start.elapsed(),
        };
        done(&item);
        item
    })
}

/// Runs `f` on every issue, as many at a time as there are cores; results in input order.
///
/// The issues run on plain threads, not on rayon's pool: Typst lays out pages on that pool,
/// and a rayon worker waiting for its pages steals whole other issues and runs them nested
/// inside its own, keeping every suspended issue in memory (24 issues peaked at 611 MiB).
/// After each issue, Typst's memo caches drop what only finished issues used.
pub fn for_each_issue<T: Send>(issues: &[PathBuf], f: impl Fn(&PathBuf) -> T + Sync) -> Vec<T> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(issues.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new(issues.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(issue) = issues.get(i) else { break };
                    let out = f(issue);
                    typst::comemo::evict(EVICT_AFTER);
                    results.lock().expect("not poisoned")[i] = Some(out);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("not poisoned")
        .into_iter()
        .map(|r| r.expect("every issue ran"))
        .collect()
}
