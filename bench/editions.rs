//! The export time of each edition of the sample (`cargo bench --bench kanwu -- editions`):
//! `kanwu export --to html|docx|images` as whole processes, beside `kanwu build` for scale,
//! with the size of what each writes. Prints the table of RESULTS.md's "Editions" section.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::measure::{self, Summary, mib, ms};

/// Times each job `runs` times (after one warm-up) in `project` (a scratch project holding the
/// sample as `issues/2021-01`); returns the Markdown table.
pub fn measure(kanwu: &Path, project: &Path, runs: usize) -> Result<String, String> {
    let out = project.join("out");
    let jobs: [(&str, &[&str], &str); 4] = [
        (
            "screen PDF (`build`)",
            &["build", "issues/2021-01"],
            "2021-01.pdf",
        ),
        (
            "web page (`--to html`)",
            &["export", "issues/2021-01", "--to", "html"],
            "2021-01.html",
        ),
        (
            "Word (`--to docx`)",
            &["export", "issues/2021-01", "--to", "docx"],
            "2021-01.docx",
        ),
        (
            "phone images (`--to images`)",
            &["export", "issues/2021-01", "--to", "images"],
            "2021-01.phone",
        ),
    ];
    let mut table = String::from(
        "| edition | wall (median, min–max) | peak RSS | written |\n|---|---|---|---|\n",
    );
    for (what, args, written) in jobs {
        let mut samples = Vec::new();
        for k in 0..=runs {
            let mut c = Command::new(kanwu);
            c.current_dir(project).args(args);
            eprintln!("· {what}");
            let s = measure::run(&mut c)?;
            if k > 0 {
                samples.push(s);
            }
        }
        let s: Summary = measure::summarize(&samples);
        let row = format!(
            "| {what} | {:.0} ms ({:.0}–{:.0}) | {:.0} MiB | {} |",
            ms(s.wall),
            ms(s.min),
            ms(s.max),
            mib(s.rss),
            size(&out.join(written))
        );
        eprintln!("{row}");
        let _ = writeln!(table, "{row}");
    }
    Ok(table)
}

/// A file's size, or a folder's: the sum of its files and how many there are.
fn size(path: &Path) -> String {
    let kb = |b: u64| format!("{:.0} KB", b as f64 / 1024.0);
    if path.is_dir() {
        let sizes: Vec<u64> = fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.metadata().ok().map(|m| m.len()))
            .collect();
        format!("{} in {} PNGs", kb(sizes.iter().sum()), sizes.len())
    } else {
        fs::metadata(path).map_or("?".into(), |m| kb(m.len()))
    }
}

/// The phone images of the sample encoded four ways, in this process: the sizes that chose
/// kanwu's encoding (`typeset::phone::encode`). Returns the Markdown table.
pub fn encodings(root: &Path) -> Result<String, String> {
    let fail = |e: kanwu::diag::Failure| e.to_string();
    let project = kanwu::project::Project::open(root, &[]).map_err(fail)?;
    let loaded = project.load(&root.join("issues/2021-01")).map_err(fail)?;
    let doc = project
        .typesetter()
        .compile_phone(&loaded)
        .map_err(fail)?
        .doc;
    let mut table = String::from(
        "| page | pixels | RGBA PNG (tiny-skia) | kanwu's PNG (grey / palette) | JPEG q85 | JPEG q70 |\n|---|---|---|---|---|---|\n",
    );
    let mut totals = [0usize; 4];
    for (n, page) in doc.pages().iter().enumerate() {
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(kanwu::typeset::phone::pixel_per_pt(page)),
            render_bleed: false,
        };
        let pixmap = typst_render::render(page, &options);
        let (w, h) = (pixmap.width(), pixmap.height());
        let rgba = pixmap.encode_png().map_err(|e| e.to_string())?.len();
        let ours = kanwu::typeset::phone::encode(w, h, &mut pixmap.data().to_vec()).len();
        let rgb: Vec<u8> = pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        let jpeg = |q: u8| {
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q)
                .encode(&rgb, w, h, image::ExtendedColorType::Rgb8)
                .map(|_| out.len())
                .map_err(|e| e.to_string())
        };
        let sizes = [rgba, ours, jpeg(85)?, jpeg(70)?];
        for (t, s) in totals.iter_mut().zip(sizes) {
            *t += s;
        }
        let kb = |b: usize| format!("{:.0} KB", b as f64 / 1024.0);
        let _ = writeln!(
            table,
            "| {} | {w} × {h} | {} | {} | {} | {} |",
            n + 1,
            kb(sizes[0]),
            kb(sizes[1]),
            kb(sizes[2]),
            kb(sizes[3])
        );
    }
    let kb = |b: usize| format!("**{:.0} KB**", b as f64 / 1024.0);
    let _ = writeln!(
        table,
        "| all | | {} | {} | {} | {} |",
        kb(totals[0]),
        kb(totals[1]),
        kb(totals[2]),
        kb(totals[3])
    );
    Ok(table)
}
