//! The printer's PDF, the booklet, the print ticket and preflight.

use std::path::Path;
use std::process::Command;

use crate::common::*;

const MM: f64 = 72.0 / 25.4;

fn build_print(issue: &Path, out: &Path, booklet: bool) -> std::process::Output {
    let mut args = vec![
        "build",
        issue.to_str().unwrap(),
        "--profile",
        "print",
        "-o",
        out.to_str().unwrap(),
    ];
    if booklet {
        args.push("--booklet");
    }
    kanwu(&root(), &args)
}

/// (MediaBox, BleedBox, TrimBox) of every page, as pdfinfo -box prints them.
fn boxes(pdf: &Path) -> Option<Vec<[[f64; 4]; 3]>> {
    let text = run_tool(
        "pdfinfo",
        &["-box", "-f", "1", "-l", "999", pdf.to_str().unwrap()],
    )?;
    let mut pages: Vec<[[f64; 4]; 3]> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("Page") else {
            continue;
        };
        let mut parts = rest.split_whitespace();
        let page: usize = parts.next()?.parse().ok()?;
        let kind = parts.next()?;
        let nums: Vec<f64> = parts.map(|p| p.parse().unwrap()).collect();
        let slot = match kind {
            "MediaBox:" => 0,
            "BleedBox:" => 1,
            "TrimBox:" => 2,
            _ => continue,
        };
        if pages.len() < page {
            pages.resize(page, [[0.0; 4]; 3]);
        }
        pages[page - 1][slot] = [nums[0], nums[1], nums[2], nums[3]];
    }
    Some(pages)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.05
}

#[test]
fn print_pdf_has_trim_bleed_and_media_boxes_and_a_page_count_for_saddle_stitch() {
    // Per layout: the print PDF's sheets of four pages (saddle stitch) and its blank pages;
    // the bulletin's, as recorded: 20 pages (its 3号 body holds less on a page), 1 blank.
    for (layout, sheets, blanks) in [("express", 3, 1), ("bulletin", 5, 1)] {
        print_boxes_and_ticket(layout, sheets, blanks);
    }
}

fn print_boxes_and_ticket(layout: &str, sheets: i64, blanks: i64) {
    let t = sample_in(layout, "a4");
    let pdf = t.root().join("2021-01.print.pdf");
    let out = t.run_on_issue(
        "build",
        &["--profile", "print", "-o", pdf.to_str().unwrap()],
    );
    assert!(out.status.success(), "{layout}: {}", stderr(&out));
    let (pages, _) = pdf_text_lopdf(&pdf);
    eprintln!("{layout}: {pages} pages in print");
    assert_eq!(
        pages as i64,
        sheets * 4,
        "{layout}: the print PDF's page count"
    );

    // The ticket beside it.
    let ticket: toml::Table =
        toml::from_str(&std::fs::read_to_string(pdf.with_extension("toml")).unwrap()).unwrap();
    assert_eq!(ticket["pages"].as_integer(), Some(pages as i64));
    assert_eq!(ticket["sheets"].as_integer(), Some(pages as i64 / 4));
    assert_eq!(ticket["sha256"].as_str(), Some(sha256(&pdf).as_str()));
    assert_eq!(ticket["copies"].as_integer(), Some(200));
    assert_eq!(ticket["bleed_mm"].as_float(), Some(3.0));
    assert!(
        ticket["binding"]
            .as_str()
            .unwrap()
            .contains("saddle stitch")
    );

    assert_eq!(ticket["blank_pages"].as_integer(), Some(blanks), "{layout}");
    assert_boxes(&pdf, pages, 210.0, 297.0);
    assert_pdfinfo_quiet(&pdf, &format!("{layout}: the print PDF"));
}

/// `pdfinfo` reads the PDF without a complaint on stderr (poppler 22.12 used to say "Syntax
/// Error: Suspects object is wrong type (boolean)" of every PDF Typst writes).
fn assert_pdfinfo_quiet(pdf: &Path, what: &str) {
    let Some(pdfinfo) = tool("pdfinfo") else {
        return;
    };
    let out = Command::new(pdfinfo).arg(pdf).output().unwrap();
    assert!(
        out.status.success(),
        "{what}: pdfinfo failed: {}",
        stderr(&out)
    );
    assert_eq!(stderr(&out), "", "{what}: pdfinfo complains");
}

/// Every page has the trim (`w_mm` × `h_mm`) as its TrimBox, the 3 mm bleed as its BleedBox
/// and the slug area around it in the MediaBox.
fn assert_boxes(pdf: &Path, pages: usize, w_mm: f64, h_mm: f64) {
    let Some(boxes) = boxes(pdf) else { return };
    assert_eq!(boxes.len(), pages);
    let (w, h, bleed, slug) = (w_mm * MM, h_mm * MM, 3.0 * MM, 12.0 * MM);
    for (i, [media, bleed_box, trim]) in boxes.iter().enumerate() {
        let p = i + 1;
        assert!(
            close(trim[2] - trim[0], w) && close(trim[3] - trim[1], h),
            "page {p}: TrimBox {trim:?} is not {w_mm} × {h_mm} mm"
        );
        assert!(
            close(media[2] - media[0], w + 2.0 * (bleed + slug)),
            "page {p}: MediaBox {media:?}"
        );
        assert!(
            close(media[3] - media[1], h + 2.0 * (bleed + slug)),
            "page {p}: MediaBox {media:?}"
        );
        assert!(
            close(bleed_box[0], trim[0] - bleed) && close(bleed_box[3], trim[3] + bleed),
            "page {p}: BleedBox {bleed_box:?}"
        );
    }
}

#[test]
fn both_layouts_print_on_a4_and_16k_with_boxes_ticket_and_booklet() {
    for layout in LAYOUTS {
        for (paper, w, h) in [("a4", 210.0, 297.0), ("16k", 184.0, 260.0)] {
            print_on(layout, paper, w, h);
        }
    }
}

/// B5 (176 × 250 mm), the smallest paper a publication names: both layouts print (express
/// used to be refused: on its narrower B5 measure Typst hung the full stop of “iFLYTEKA.I.” into
/// the margin at a line's end, 3.1 pt past the text block; the layouts now set `overhang: false`).
#[test]
fn both_layouts_print_on_b5_with_boxes_ticket_and_booklet() {
    for layout in LAYOUTS {
        print_on(layout, "b5", 176.0, 250.0);
    }
}

/// The sample in `layout` on `paper` (`w` × `h` mm) built for print with a booklet: a page
/// count for saddle stitch, the ticket, the boxes of every page, a booklet sheet two pages wide.
fn print_on(layout: &str, paper: &str, w: f64, h: f64) {
    let t = sample_in(layout, paper);
    let pdf = t.root().join("2021-01.print.pdf");
    let out = t.run_on_issue(
        "build",
        &[
            "--profile",
            "print",
            "--booklet",
            "-o",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{layout} {paper}: {}", stderr(&out));
    let (pages, _) = pdf_text_lopdf(&pdf);
    let (screen, _) = {
        let out = t.run_on_issue("build", &["-o", "s.pdf"]);
        assert!(out.status.success(), "{layout} {paper}: {}", stderr(&out));
        pdf_text_lopdf(&t.root().join("s.pdf"))
    };
    let ticket: toml::Table =
        toml::from_str(&std::fs::read_to_string(pdf.with_extension("toml")).unwrap()).unwrap();
    let blank = ticket["blank_pages"].as_integer().unwrap();
    eprintln!("{layout} on {paper}: {screen} pages on screen, {pages} in print ({blank} blank)");
    assert_eq!(pages % 4, 0, "{layout} {paper}: {pages} pages");
    assert_eq!(ticket["pages"].as_integer(), Some(pages as i64));
    assert_eq!(ticket["trim_mm"].as_array().unwrap()[0].as_float(), Some(w));
    // The print PDF adds blank pages (and may move the 版记 to a page of its own).
    assert!(
        blank as usize + 1 >= pages - screen,
        "{layout} {paper}: {blank} blank pages for {screen} → {pages}"
    );
    assert_boxes(&pdf, pages, w, h);
    assert_pdfinfo_quiet(&pdf, &format!("{layout} {paper}: the print PDF"));
    assert_pdfinfo_quiet(
        &t.root().join("s.pdf"),
        &format!("{layout} {paper}: the screen PDF"),
    );
    let (sides, _) = pdf_text_lopdf(&t.root().join("2021-01.booklet.pdf"));
    assert_eq!(sides * 2, pages, "{layout} {paper}: booklet");
    if let Some(info) = run_tool(
        "pdfinfo",
        &[t.root().join("2021-01.booklet.pdf").to_str().unwrap()],
    ) {
        let size: Vec<f64> = info
            .lines()
            .find_map(|l| l.strip_prefix("Page size:"))
            .expect("a page size")
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        assert!(
            close(size[0], 2.0 * w * MM) && close(size[1], h * MM),
            "{layout} {paper}: the booklet's sheet is not two pages wide: {info}"
        );
    }
}

#[test]
fn print_pdf_uses_no_rgb_and_sets_text_in_black_only() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("p.pdf");
    let out = build_print(&root().join("issues/2021-01"), &pdf, false);
    assert!(out.status.success(), "{}", stderr(&out));
    let Some(qpdf) = tool("qpdf") else { return };
    let check = Command::new(qpdf)
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let qdf = tmp.path().join("q.pdf");
    let st = Command::new(qpdf)
        .args([
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            qdf.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let bytes = std::fs::read(&qdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let mut cmyk = std::collections::BTreeSet::new();
    for line in text.lines() {
        let ops: Vec<&str> = line.split_whitespace().collect();
        for (i, op) in ops.iter().enumerate() {
            assert!(*op != "rg" && *op != "RG", "an RGB colour operator: {line}");
            if (*op == "k" || *op == "K") && i >= 4 {
                cmyk.insert(ops[i - 4..i].join(" "));
            }
        }
    }
    assert!(cmyk.contains("0 0 0 1"), "no 100% K: {cmyk:?}");
    for c in &cmyk {
        let v: Vec<f64> = c.split(' ').map(|x| x.parse().unwrap()).collect();
        let k_only = v[0] == 0.0 && v[1] == 0.0 && v[2] == 0.0;
        let red = v == [0.0, 1.0, 1.0, 0.0];
        assert!(
            k_only || red,
            "a colour that is neither K nor the masthead red (rich black?): {c}"
        );
    }
    // Crop marks in the registration colour: a Separation named All.
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("/Separation /All /DeviceCMYK"),
        "no registration colour"
    );
}

#[test]
fn a_named_spot_colour_is_written_as_a_separation() {
    let t = TempIssue::sample();
    let publication = t.project.join("issues/publication.toml");
    let text = std::fs::read_to_string(&publication).unwrap();
    std::fs::write(
        &publication,
        text.replace(
            "[colophon]",
            "[print]\nbleed = \"3mm\"\nspot = \"PANTONE 485 C\"\n\n[colophon]",
        ),
    )
    .unwrap();
    let pdf = t.root().join("p.pdf");
    let out = build_print(&t.issue, &pdf, false);
    assert!(out.status.success(), "{}", stderr(&out));
    let Some(qpdf) = tool("qpdf") else { return };
    let qdf = t.root().join("q.pdf");
    Command::new(qpdf)
        .args([
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            qdf.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    let text = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("/Separation /PANTONE#20485#20C /DeviceCMYK"),
        "spot colour missing"
    );
    let ticket = std::fs::read_to_string(pdf.with_extension("toml")).unwrap();
    assert!(ticket.contains("spot: PANTONE 485 C"), "{ticket}");
}

#[test]
fn booklet_sheets_are_a3_landscape_in_saddle_stitch_order_with_fonts_embedded() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("2021-01.print.pdf");
    let out = build_print(&root().join("issues/2021-01"), &pdf, true);
    assert!(out.status.success(), "{}", stderr(&out));
    let booklet = tmp.path().join("2021-01.booklet.pdf");
    assert!(
        booklet.is_file(),
        "no booklet: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let (pages, _) = pdf_text_lopdf(&pdf);
    let (sides, _) = pdf_text_lopdf(&booklet);
    assert_eq!(sides * 2, pages);
    let expected = kanwu::print::impose::booklet_order(pages);
    let Some(info) = run_tool("pdfinfo", &[booklet.to_str().unwrap()]) else {
        return;
    };
    assert!(info.contains("1190.55 x 841.89 pts (A3)"), "{info}");
    // The folio "— n —" of each half sheet, read from the left and right halves.
    for (side, (left, right)) in expected.iter().enumerate() {
        for (x, want) in [(0, left), (595, right)] {
            let n = (side + 1).to_string();
            let text = run_tool(
                "pdftotext",
                &[
                    "-f",
                    &n,
                    "-l",
                    &n,
                    "-x",
                    &x.to_string(),
                    "-y",
                    "0",
                    "-W",
                    "595",
                    "-H",
                    "842",
                    booklet.to_str().unwrap(),
                    "-",
                ],
            )
            .unwrap();
            let flat = squash(&text);
            let blank = flat.is_empty();
            assert!(
                blank || flat.contains(&format!("—{want}—")),
                "sheet side {} ({}): expected page {want}, got {flat}",
                side + 1,
                if x == 0 { "left" } else { "right" }
            );
        }
    }
    if let Some(fonts) = run_tool("pdffonts", &[booklet.to_str().unwrap()]) {
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 4, "{fonts}");
        assert!(rows.iter().all(|r| r.contains(" yes yes ")), "{fonts}");
    }
}

fn issue_with(body: &str) -> TempIssue {
    let t = TempIssue::copy(
        &fixtures().join("bad/unknown-paper"),
        "2021-09",
        &fixtures().join("publication.toml"),
    );
    let _ = std::fs::remove_file(t.path("expected.txt"));
    let _ = std::fs::remove_file(t.path("publication.toml"));
    t.write("a.md", format!("+++\ntitle = \"预检\"\n+++\n{body}"));
    t
}

fn check_json(t: &TempIssue, profile: &str) -> (i32, serde_json::Value) {
    let out = kanwu(
        &root(),
        &[
            "check",
            t.issue.to_str().unwrap(),
            "--profile",
            profile,
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code().unwrap(), v)
}

#[test]
fn preflight_finds_a_character_no_font_has_with_its_file_and_line() {
    let t = issue_with("第一段。\n\n第二段有一个象形文字𓀀在这里。\n");
    let (code, report) = check_json(&t, "print");
    assert_eq!(code, 1, "{report}");
    let f = &report["findings"][0];
    assert_eq!(f["level"], "error");
    assert_eq!(f["check"], "glyph");
    assert!(f["place"].as_str().unwrap().ends_with("a.md:6"), "{f}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("U+13000 '𓀀' is in no font"),
        "{f}"
    );
    // On screen it is a warning and the build goes on; in print it stops the build.
    let (code, _) = check_json(&t, "screen");
    assert_eq!(code, 0);
    let out = t.build();
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("warning: preflight: U+13000"),
        "{}",
        stderr(&out)
    );
    let pdf = t.root().join("p.pdf");
    let out = build_print(&t.issue, &pdf, false);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("a.md:6:"), "{}", stderr(&out));
    assert!(
        !pdf.exists() && !pdf.with_extension("toml").exists(),
        "a failed print build wrote files"
    );
}

fn write_image(path: &Path, w: u32, h: u32, format: image::ImageFormat) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    img.save_with_format(path, format).unwrap();
}

#[test]
fn preflight_measures_image_resolution_where_it_is_placed() {
    // 600 px across the 158 mm text block: about 96 ppi.
    let t = issue_with("正文。\n\n![图1 小图](images/small.png)\n");
    write_image(
        &t.path("images/small.png"),
        600,
        300,
        image::ImageFormat::Png,
    );
    let (code, report) = check_json(&t, "print");
    assert_eq!(code, 1, "{report}");
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "image")
        .expect("an image finding");
    assert_eq!(f["level"], "error");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("images/small.png (600×300 px) is placed 158 mm wide: 96 ppi"),
        "{msg}"
    );
    assert!(
        f["place"].as_str().unwrap().contains("a.md:6 (page 1)"),
        "{f}"
    );
    // 2000 px: 321 ppi, no finding.
    write_image(
        &t.path("images/small.png"),
        2000,
        1000,
        image::ImageFormat::Png,
    );
    let (code, report) = check_json(&t, "print");
    assert_eq!(code, 0, "{report}");
    assert!(
        report["findings"].as_array().unwrap().is_empty(),
        "{report}"
    );
}

#[test]
fn a_tiff_is_converted_and_printed() {
    let t = issue_with("正文。\n\n![图1 扫描件](images/scan.tiff)\n");
    write_image(
        &t.path("images/scan.tiff"),
        2400,
        1200,
        image::ImageFormat::Tiff,
    );
    let before = sha256(&t.path("images/scan.tiff"));
    let (code, report) = check_json(&t, "print");
    assert_eq!(code, 0, "{report}");
    let f = &report["findings"][0];
    assert_eq!(f["level"], "info");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("TIFF image converted to PNG"),
        "{f}"
    );
    let out = t.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        sha256(&t.path("images/scan.tiff")),
        before,
        "the original was modified"
    );
    if let Some(list) = run_tool("pdfimages", &["-list", t.out().to_str().unwrap()]) {
        assert!(list.contains("2400  1200"), "{list}");
    }
}

#[test]
fn check_prints_a_table_with_pages_and_sheets() {
    let out = kanwu(&root(), &["check", "issues/2021-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("preflight 2021-01 (print): 12 pages (1 blank), 3 sheets (saddle stitch"),
        "{s}"
    );
    // The sample's own doubled punctuation, named by file and line (issue 10).
    assert!(
        s.contains("issues/2021-01/ai-strategies.md:11  doubled punctuation `。”。`"),
        "{s}"
    );
    assert_eq!(s.matches("warning").count(), 3, "{s}");
}

#[test]
fn preflight_finds_text_running_out_of_the_text_block() {
    // In running text a long run gets break opportunities (issue 10); a code block keeps its
    // lines as written.
    let long = "A".repeat(120);
    let t = issue_with(&format!("第一段。\n\n```\n{long}\n```\n"));
    let (code, report) = check_json(&t, "print");
    assert_eq!(code, 1, "{report}");
    let f = &report["findings"][0];
    assert_eq!(f["check"], "overflow");
    assert_eq!(f["place"], "a.md:7 (page 1)");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("outside the text block, into the bleed"),
        "{f}"
    );
    // On screen the same is a warning, and the build goes on.
    let out = t.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: preflight: text runs outside the text block"),
        "{}",
        stderr(&out)
    );
}

/// Issue 22, item 9: the ticket lists the colours the pages use, read from them: a blue
/// layout's ticket names its blue and promises no red.
#[test]
fn the_ticket_lists_the_colours_the_layout_used() {
    let spec: toml::Table =
        toml::from_str(&std::fs::read_to_string(fixtures().join("ticket/blue.toml")).unwrap())
            .unwrap();
    let t = TempProject::new().copy_layout().link_fonts().with_sample();
    let theme = t.project.join("layout/express/theme.typ");
    let text = std::fs::read_to_string(&theme).unwrap();
    let (from, to) = (
        spec["replace"].as_str().unwrap(),
        spec["with"].as_str().unwrap(),
    );
    assert!(text.contains(from), "theme.typ moved");
    let out = t
        .project
        .run(&["build", "issues/2021-01", "--profile", "print"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let red = std::fs::read_to_string(t.project.join("out/2021-01.print.toml")).unwrap();
    assert!(red.contains("process CMYK 0/100/100/0"), "{red}");
    std::fs::write(&theme, text.replace(from, to)).unwrap();
    let out = t
        .project
        .run(&["build", "issues/2021-01", "--profile", "print"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let blue = std::fs::read_to_string(t.project.join("out/2021-01.print.toml")).unwrap();
    assert!(blue.contains("process CMYK 100/60/0/0"), "{blue}");
    assert!(!blue.contains("0/100/100/0"), "{blue}");
    assert!(!blue.to_lowercase().contains("red"), "{blue}");
}
