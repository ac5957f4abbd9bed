//! Tests of util.rs: atomic and sealed writes, diversions, stale temporary files, walks.

use super::*;

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    sorted_entries(dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn sha256_of_bytes_and_of_the_same_file_agree() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x");
    fs::write(&f, b"abc").unwrap();
    let known = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assert_eq!(sha256_bytes(b"abc"), known);
    assert_eq!(sha256_file(&f).unwrap(), known);
}

#[test]
fn walk_is_sorted_and_depth_first() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["b.txt", "a/z.txt", "a/c/d.txt", "0.txt"] {
        let p = dir.path().join(f);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, f).unwrap();
    }
    let got: Vec<String> = walk_files(dir.path())
        .iter()
        .map(|p| {
            p.strip_prefix(dir.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(got, ["0.txt", "a/c/d.txt", "a/z.txt", "b.txt"]);
}

#[test]
fn a_new_folder_never_replaces_an_existing_one_and_an_atomic_write_leaves_no_temp() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    write_new_folder(&target, &[("a/b.md".into(), b"x".to_vec())]).unwrap();
    assert_eq!(fs::read(target.join("a/b.md")).unwrap(), b"x");
    let again = write_new_folder(&target, &[]).unwrap_err();
    assert!(again.to_string().contains("already exists"), "{again}");
    write_atomic(&dir.path().join("f.pdf"), b"pdf").unwrap();
    let names = names(dir.path());
    assert_eq!(names, ["f.pdf", "new"]);
}

#[test]
fn a_seal_is_renamed_last_and_put_back_when_the_write_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, ticket, booklet) = (
        dir.path().join("p.pdf"),
        dir.path().join("p.toml"),
        dir.path().join("b.pdf"),
    );
    fs::write(&pdf, b"old").unwrap();
    fs::write(&ticket, b"sha old").unwrap();
    fs::create_dir(&booklet).unwrap();
    let files = [
        (pdf.clone(), b"new".to_vec()),
        (ticket.clone(), b"sha new".to_vec()),
        (booklet.clone(), b"x".to_vec()),
    ];
    write_all_sealed(&files, Some(1)).unwrap_err();
    assert_eq!(fs::read(&pdf).unwrap(), b"old");
    assert_eq!(fs::read(&ticket).unwrap(), b"sha old");
    fs::remove_dir(&booklet).unwrap();
    write_all_sealed(&files, Some(1)).unwrap();
    assert_eq!(fs::read(&ticket).unwrap(), b"sha new");
    assert_eq!(sorted_entries(dir.path()), [booklet, pdf, ticket]);
}

#[test]
fn several_files_are_written_all_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.pdf"), dir.path().join("b.pdf"));
    fs::write(&a, b"old").unwrap();
    fs::create_dir(&b).unwrap();
    let err =
        write_all_atomic(&[(a.clone(), b"new".to_vec()), (b.clone(), b"x".to_vec())]).unwrap_err();
    assert!(err.to_string().contains("b.pdf"), "{err}");
    assert_eq!(fs::read(&a).unwrap(), b"old");
    assert_eq!(sorted_entries(dir.path()), [a.clone(), b.clone()]);
    fs::remove_dir(&b).unwrap();
    write_all_atomic(&[(a.clone(), b"new".to_vec()), (b.clone(), b"x".to_vec())]).unwrap();
    assert_eq!(fs::read(&a).unwrap(), b"new");
    assert_eq!(sorted_entries(dir.path()), [a, b]);
}

#[test]
fn only_stale_temporary_files_of_kanwu_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for name in [
        ".kanwu-old1.tmp",
        ".kanwu-new1.tmp",
        ".other-old.tmp",
        "kanwu-old.tmp",
    ] {
        let f = fs::File::create(dir.path().join(name)).unwrap();
        if name.contains("old") {
            f.set_modified(old).unwrap();
        }
    }
    write_atomic(&dir.path().join("x.pdf"), b"x").unwrap();
    let names = names(dir.path());
    assert_eq!(
        names,
        [
            ".kanwu-new1.tmp",
            ".other-old.tmp",
            "kanwu-old.tmp",
            "x.pdf"
        ]
    );
}

thread_local! {
    /// Paths whose rename into place fails in this thread, as a locked file's does on
    /// Windows (see `persist`).
    pub static REFUSED: std::cell::RefCell<Vec<PathBuf>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A print PDF open in a viewer (Windows) is not diverted to `2021-01 (2).pdf`: its ticket
/// names `2021-01.pdf` and its sha256. The build fails, saying to close the viewer, and
/// the PDF, ticket and booklet beside it stay the earlier set, with no temporary file left.
#[test]
fn a_locked_print_pdf_fails_the_sealed_set_instead_of_diverting_it() {
    let dir = tempfile::tempdir().unwrap();
    let (pdf, ticket, booklet) = (
        dir.path().join("2021-01.pdf"),
        dir.path().join("2021-01.toml"),
        dir.path().join("2021-01.booklet.pdf"),
    );
    let set = |n: &str| {
        vec![
            (pdf.clone(), format!("pdf {n}").into_bytes()),
            (ticket.clone(), format!("ticket {n}").into_bytes()),
            (booklet.clone(), format!("booklet {n}").into_bytes()),
        ]
    };
    write_all_sealed(&set("1"), Some(1)).unwrap();
    REFUSED.with(|r| r.borrow_mut().push(pdf.clone()));
    let err = write_all_sealed(&set("2"), Some(1)).unwrap_err();
    REFUSED.with(|r| r.borrow_mut().clear());
    let text = crate::diag::render_to_string(&err.0);
    assert!(text.contains("cannot write"), "{text}");
    assert!(text.contains("close it"), "{text}");
    for (path, n) in [
        (&pdf, "pdf 1"),
        (&ticket, "ticket 1"),
        (&booklet, "booklet 1"),
    ] {
        assert_eq!(fs::read_to_string(path).unwrap(), n);
    }
    let names = names(dir.path());
    assert_eq!(
        names,
        ["2021-01.booklet.pdf", "2021-01.pdf", "2021-01.toml"]
    );
    assert!(
        take_diversions().iter().all(|d| d.wanted != pdf),
        "nothing diverted"
    );
    // The same set without a seal (a screen PDF with its emitted project) is diverted.
    REFUSED.with(|r| r.borrow_mut().push(pdf.clone()));
    write_all_atomic(&set("3")).unwrap();
    REFUSED.with(|r| r.borrow_mut().clear());
    assert_eq!(
        fs::read_to_string(dir.path().join("2021-01 (2).pdf")).unwrap(),
        "pdf 3"
    );
    assert_eq!(fs::read_to_string(&pdf).unwrap(), "pdf 1");
}

/// Windows refuses to replace a PDF a viewer holds open; here the same failed rename is
/// made by a folder where the PDF should be.
#[test]
fn a_pdf_that_cannot_be_replaced_is_written_as_a_numbered_copy_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("2021-01.pdf");
    fs::create_dir(&locked).unwrap();
    fs::write(dir.path().join("2021-01 (2).pdf"), b"older copy").unwrap();
    write_atomic(&locked, b"new pdf").unwrap();
    let copy = dir.path().join("2021-01 (3).pdf");
    assert_eq!(fs::read(&copy).unwrap(), b"new pdf");
    assert_eq!(
        fs::read(dir.path().join("2021-01 (2).pdf")).unwrap(),
        b"older copy"
    );
    let mine: Vec<Diversion> = take_diversions()
        .into_iter()
        .filter(|d| d.wanted == locked)
        .collect();
    assert_eq!(
        mine,
        [Diversion {
            wanted: locked.clone(),
            written: copy
        }]
    );
    // Any other file keeps the error, and leaves no temporary file behind.
    let toml = dir.path().join("x.toml");
    fs::create_dir(&toml).unwrap();
    let err = write_atomic(&toml, b"x").unwrap_err();
    assert!(err.to_string().contains("cannot write"), "{err}");
    let left = names(dir.path());
    assert_eq!(
        left,
        [
            "2021-01 (2).pdf",
            "2021-01 (3).pdf",
            "2021-01.pdf",
            "x.toml"
        ]
    );
}
