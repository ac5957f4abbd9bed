//! The synthetic archive: N issues built from the sample issue's own sentences.
//!
//! Deterministic: the same seed gives the same files, byte for byte (a SplitMix64 generator,
//! PNGs encoded by `image` with fixed settings, no clock, no hash-map order). Each issue aims at a
//! page count drawn from 6–24 and fills it with the four sections of the sample, long reports
//! with numbered headings, GFM tables of figures and bar-chart images at print resolution.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// SplitMix64: tiny, well mixed, and stable forever (unlike a crate's default generator).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.range(1, 100) <= percent
    }
}

/// The text the archive is made of, taken from the sample issue's Markdown.
pub struct Corpus {
    pub sentences: Vec<String>,
    pub headings: Vec<String>,
    pub titles: Vec<String>,
}

impl Corpus {
    pub fn from_issue(dir: &Path) -> std::io::Result<Corpus> {
        let mut files: Vec<_> = fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        files.sort();
        let mut corpus = Corpus {
            sentences: Vec::new(),
            headings: Vec::new(),
            titles: Vec::new(),
        };
        for file in files {
            let text = fs::read_to_string(&file)?;
            let mut body = text.as_str();
            if let Some(rest) = body.strip_prefix("+++") {
                let end = rest.find("+++").unwrap_or(0);
                for line in rest[..end].lines() {
                    if let Some(t) = line.strip_prefix("title = ") {
                        corpus.titles.push(t.trim_matches('"').to_string());
                    }
                }
                body = &rest[end + 3..];
            }
            for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if line.starts_with('#') {
                    let h = strip_number(line.trim_start_matches('#').trim());
                    if !h.is_empty() {
                        corpus.headings.push(h.to_string());
                    }
                    continue;
                }
                corpus.sentences.extend(sentences(strip_number(line)));
            }
        }
        Ok(corpus)
    }

    /// About `chars` characters of running text, in sentences, as paragraphs of 2–5 sentences.
    pub fn paragraphs(&self, rng: &mut Rng, chars: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut total = 0;
        while total < chars {
            let mut p = String::new();
            for _ in 0..rng.range(2, 5) {
                p.push_str(rng.pick(&self.sentences).as_str());
            }
            total += p.chars().count();
            out.push(p);
        }
        out
    }
}

/// Splits after 。！？ (and a closing quote or bracket that follows one).
fn sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        cur.push(c);
        if matches!(c, '。' | '！' | '？') {
            while let Some(&q) = chars.peek() {
                if matches!(q, '”' | '’' | '）' | '」') {
                    cur.push(q);
                    chars.next();
                } else {
                    break;
                }
            }
            if cur.chars().count() >= 8 {
                out.push(std::mem::take(&mut cur));
            } else {
                cur.clear();
            }
        }
    }
    out
}

/// Drops a leading 一、 （一） 1. （1） so generated headings can be numbered by the layout.
fn strip_number(s: &str) -> &str {
    let t = s.trim_start();
    let after = if let Some(rest) = t.strip_prefix('（') {
        rest.find('）').map(|i| &rest[i + '）'.len_utf8()..])
    } else {
        let digits = t
            .char_indices()
            .take_while(|(_, c)| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
            .last()
            .map(|(i, c)| i + c.len_utf8());
        digits.and_then(|i| {
            let rest = &t[i..];
            rest.strip_prefix('、')
                .or_else(|| rest.strip_prefix('.'))
                .or_else(|| rest.strip_prefix('．'))
        })
    };
    after.map(str::trim_start).unwrap_or(t)
}

const REGIONS: [&str; 12] = [
    "广东省",
    "北京市",
    "江苏省",
    "浙江省",
    "上海市",
    "山东省",
    "四川省",
    "湖北省",
    "河南省",
    "安徽省",
    "福建省",
    "陕西省",
];
const INDUSTRIES: [&str; 9] = [
    "智能电力装备",
    "新能源及网联汽车",
    "节能环保装备",
    "高纯硅材料",
    "再生金属及制品",
    "5G",
    "现代生物和生命健康",
    "工业机器人",
    "新一代人工智能",
];

/// Sizes of the archive.
pub struct Plan {
    pub issues: usize,
    pub seed: u64,
    pub first_year: i32,
}

/// Writes `plan.issues` issue folders and a `publication.toml` into `out` (which must not exist
/// or be empty). Returns the folder names.
pub fn generate(sample_issue: &Path, out: &Path, plan: &Plan) -> std::io::Result<Vec<String>> {
    let corpus = Corpus::from_issue(sample_issue)?;
    fs::create_dir_all(out)?;
    let publication = sample_issue
        .parent()
        .expect("an issue folder has a parent")
        .join("publication.toml");
    fs::copy(publication, out.join("publication.toml"))?;
    let mut names = Vec::new();
    for i in 0..plan.issues {
        let mut rng = Rng::new(plan.seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
        let year = plan.first_year + (i / 12) as i32;
        let month = i % 12 + 1;
        let name = format!("{year}-{month:02}");
        let dir = out.join(&name);
        fs::create_dir_all(dir.join("images"))?;
        write_issue(&corpus, &mut rng, &dir, year, month as u32, 26 + i as u32)?;
        names.push(name);
    }
    Ok(names)
}

/// Characters of body text per A4 page with the express layout, headings, tables and figures
/// included (calibrated on generated issues: 2 pages over at 24, on target at 10).
const CHARS_PER_PAGE: usize = 1250;

fn write_issue(
    corpus: &Corpus,
    rng: &mut Rng,
    dir: &Path,
    year: i32,
    month: u32,
    serial: u32,
) -> std::io::Result<()> {
    let pages = rng.range(6, 24);
    // Masthead, contents, colophon and the articles' title blocks take about three and a half.
    let total = (pages * 2 - 7) * CHARS_PER_PAGE / 2;
    let mut budget = total;
    let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
    let mut figure = 0;

    let chars = rng.range(150, 350);
    let note = corpus.paragraphs(rng, chars).join("\n\n");
    fs::write(dir.join("editors-note.md"), format!("+++\n+++\n\n{note}\n"))?;
    budget = budget.saturating_sub(300);
    sections.push(("editors-note", vec!["editors-note.md".into()]));

    let article = |rng: &mut Rng, kind: &str, n: usize, chars: usize, figure: &mut usize| {
        let file = format!("{kind}-{n}.md");
        let mut md = String::new();
        let title = rng.pick(&corpus.titles).clone();
        let _ = writeln!(md, "+++\ntitle = \"{}\"", title.replace('"', "\\\""));
        if rng.chance(50) {
            let _ = writeln!(
                md,
                "source = \"{}\"",
                rng.pick(&["新华网", "人民网", "科技日报", "中国科学报", "经济日报"])
            );
        }
        md.push_str("+++\n\n");
        let long = chars > 2500;
        let mut written = 0;
        let mut heading = 0;
        while written < chars {
            if long && (written == 0 || rng.chance(30)) {
                heading += 1;
                let _ = writeln!(md, "## {}\n", rng.pick(&corpus.headings));
                if rng.chance(40) {
                    let _ = writeln!(md, "### {}\n", rng.pick(&corpus.headings));
                }
            }
            let chunk = rng.range(300, 900).min(chars);
            for p in corpus.paragraphs(rng, chunk) {
                written += p.chars().count();
                let _ = writeln!(md, "{p}\n");
            }
            if long && heading > 0 && rng.chance(35) {
                *figure += 1;
                written += 350;
                table(&mut md, rng, *figure);
            }
            if long && heading > 0 && rng.chance(25) {
                *figure += 1;
                written += 500;
                let image = format!("fig-{figure}.png");
                chart(&dir.join("images").join(&image), rng)?;
                let industry = rng.pick(&INDUSTRIES);
                let _ = writeln!(
                    md,
                    "![图{figure} {year}年{industry}产业主要指标](images/{image})\n"
                );
            }
        }
        fs::write(dir.join(&file), md)?;
        Ok::<_, std::io::Error>((file, written))
    };

    let mut news = Vec::new();
    // News: a quarter of the issue in two to five short items.
    let count = rng.range(2, 5);
    for n in 1..=count {
        let chars = (total / 4 / count).clamp(150, 1200);
        let (file, written) = article(rng, "news", n, chars, &mut figure)?;
        budget = budget.saturating_sub(written);
        news.push(file);
    }
    sections.push(("news", news));
    let mut trends = Vec::new();
    // Trends: a fifth, in one or two pieces.
    let count = rng.range(1, 2);
    for n in 1..=count {
        let chars = (total / 5 / count).clamp(300, 2500);
        let (file, written) = article(rng, "trends", n, chars, &mut figure)?;
        budget = budget.saturating_sub(written);
        trends.push(file);
    }
    sections.push(("trends", trends));
    // The reports take what is left, in one to three long articles.
    let count = rng.range(1, 3);
    let mut reports = Vec::new();
    for n in 1..=count {
        let share = (budget / (count + 1 - n)).max(400);
        let (file, written) = article(rng, "reports", n, share, &mut figure)?;
        budget = budget.saturating_sub(written);
        reports.push(file);
    }
    sections.push(("reports", reports));

    let mut manifest = format!(
        "# Synthetic issue for kanwu's benchmark (bench/synth.rs), aiming at {pages} pages.\nschema = 1\n\n[issue]\nyear = {year}\nnumber = {month}\nserial = {serial}\ndate = {year}-{month:02}-20\ncopies = 200\n"
    );
    for (kind, files) in sections {
        let list: Vec<String> = files.iter().map(|f| format!("\"{f}\"")).collect();
        let _ = write!(
            manifest,
            "\n[[sections]]\nkind = \"{kind}\"\narticles = [{}]\n",
            list.join(", ")
        );
    }
    fs::write(dir.join("issue.toml"), manifest)
}

/// A table of figures by region: the kind a report on an industry carries.
fn table(md: &mut String, rng: &mut Rng, figure: usize) {
    let industry = rng.pick(&INDUSTRIES);
    let _ = writeln!(md, "**表{figure} 各地区{industry}产业发展情况**\n");
    md.push_str("| 地区 | 企业数（家） | 产值（亿元） | 占比 | 同比增长 |\n");
    md.push_str("| :-- | --: | --: | --: | --: |\n");
    let rows = rng.range(4, 9);
    let start = rng.range(0, REGIONS.len() - rows);
    for region in &REGIONS[start..start + rows] {
        let firms = rng.range(40, 2400);
        let output = rng.range(300, 90_000) as f64 / 10.0;
        let share = rng.range(10, 300) as f64 / 10.0;
        let growth = rng.range(0, 400) as f64 / 10.0 - 5.0;
        let _ = writeln!(
            md,
            "| {region} | {firms} | {output:.1} | {share:.1}% | {growth:.1}% |"
        );
    }
    md.push('\n');
}

/// A bar chart at print resolution: 1900 px over the 158 mm text width is 305 ppi.
fn chart(path: &Path, rng: &mut Rng) -> std::io::Result<()> {
    let (w, h) = (1900u32, 1050u32);
    let bars = rng.range(4, 9) as u32;
    let heights: Vec<u32> = (0..bars).map(|_| rng.range(150, 900) as u32).collect();
    let colours = [[192u8, 0, 0], [31, 78, 121], [112, 112, 112]];
    let colour = colours[rng.range(0, 2)];
    let slot = (w - 200) / bars;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let mut px = [255, 255, 255];
        // Axes.
        if ((100..104).contains(&x) && (50..h - 50).contains(&y))
            || ((h - 54..h - 50).contains(&y) && x >= 100)
        {
            px = [40, 40, 40];
        }
        // Grid lines every 100 px.
        if x > 104 && y < h - 54 && y % 100 == 50 {
            px = [210, 210, 210];
        }
        if x > 104 && y < h - 54 {
            let i = (x - 104) / slot;
            let within = (x - 104) % slot;
            if i < bars && within > slot / 5 && within < slot * 4 / 5 {
                let top = h - 54 - heights[i as usize];
                if y >= top {
                    px = colour;
                }
            }
        }
        image::Rgb(px)
    });
    img.save_with_format(path, image::ImageFormat::Png)
        .map_err(std::io::Error::other)
}
