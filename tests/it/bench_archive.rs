//! The benchmark's synthetic archive (bench/synth.rs): the same seed gives the same files, the
//! text is the sample's own sentences, and every issue builds, at a realistic size.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use crate::synth;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn generate(dir: &Path, issues: usize, seed: u64) -> Vec<String> {
    synth::generate(
        &root().join("issues/2021-01"),
        dir,
        &synth::Plan {
            issues,
            seed,
            first_year: 2022,
        },
    )
    .unwrap()
}

#[test]
fn the_same_seed_gives_the_same_archive_of_real_sentences_and_every_issue_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a/issues"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let names = generate(&a, 4, 7);
    assert_eq!(names, ["2022-01", "2022-02", "2022-03", "2022-04"]);
    generate(&b, 4, 7);
    generate(&c, 4, 8);
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert!(fa.len() > 4 * 5, "{} files", fa.len());
    assert!(fa == fb, "the same seed must give the same bytes");
    assert!(fa != fc, "another seed must give another archive");
    assert!(
        fa.keys().any(|k| k.ends_with(".png")),
        "some issue has an image"
    );
    assert!(
        fa.values()
            .any(|v| String::from_utf8_lossy(v).contains("| --: |")),
        "some issue has a table"
    );

    // Every sentence of running text is one of the sample's.
    let sample: String = std::fs::read_dir(root().join("issues/2021-01"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let sample = squash(&sample);
    let mut checked = 0;
    for (name, bytes) in &fa {
        if !name.ends_with(".md") {
            continue;
        }
        let text = String::from_utf8(bytes.clone()).unwrap();
        for para in text.split("\n\n").map(str::trim) {
            if para.is_empty() || para.starts_with(['+', '#', '|', '!', '*']) {
                continue;
            }
            for sentence in para.split_inclusive(['。', '！', '？']) {
                let s = squash(sentence);
                if s.chars().count() < 8 || s.starts_with(['”', '）']) {
                    continue;
                }
                assert!(sample.contains(&s), "{name}: not the sample's: {sentence}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} sentences checked");

    // A project of its own around the archive; kanwu builds every issue.
    let project = tmp.path().join("a");
    for name in ["layout", "fonts"] {
        symlink(&root().join(name), &project.join(name));
    }
    let out = kanwu(&project, &["build", "--all", "issues"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for name in &names {
        let pdf = project.join("out").join(format!("{name}.pdf"));
        let (pages, _) = pdf_text_lopdf(&pdf);
        eprintln!("{name}: {pages} pages");
        assert!((5..=28).contains(&pages), "{name}: {pages} pages");
    }
}
