use super::*;

fn rec(kind: &str, path: &str, sha: &str) -> Recorded {
    Recorded {
        kind: kind.into(),
        path: path.into(),
        sha256: sha.into(),
    }
}

#[test]
fn compare_names_each_kind_of_change_and_a_recorded_sha256_that_is_none() {
    let sha = |c: &str| c.repeat(64);
    let was = [
        rec("article", "2021-01/a.md", &sha("a")),
        rec("layout", "layout/express/issue.typ", &sha("b")),
        rec("font", "fonts/x.ttc", &sha("c")),
        rec("publication", "publication.toml", &sha("0")),
    ];
    let now = [
        rec("article", "2021-01/a.md", &sha("d")),
        rec("font", "fonts/x.ttc", &sha("c")),
        rec("layout", "layout/_lib/common.typ", &sha("e")),
        rec("font", "fonts/y.ttf", &sha("f")),
        rec("publication", "publication.toml", &sha("1")),
    ];
    let changes = compare_inputs(&was, &now);
    let said: Vec<String> = changes
        .iter()
        .map(|c| diagnostic(c, "i", |p: &str| PathBuf::from(p)).message)
        .collect();
    assert_eq!(
        said,
        [
            "i: article 2021-01/a.md changed since the release (sha256 aaaaaaaaaaaa → dddddddddddd)",
            "i: layout file layout/express/issue.typ was an input of the release and is no longer used",
            "i: release.toml is damaged: its entry for publication.toml records sha256 `0000000000000000000000000000000000000000000000000000000000000000`, which is not a sha256",
            "i: font fonts/y.ttf is new since the release",
            "i: layout file layout/_lib/common.typ is read by the build but not recorded in the release",
        ]
    );
    assert!(!diagnostic(&changes[3], "i", |p: &str| PathBuf::from(p)).is_error());
    assert!(compare_inputs(&was, &was).is_empty());
}
