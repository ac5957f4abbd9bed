//! The same issue as a LaTeX document for xelatex + ctex: the comparison a LaTeX shop would make.
//!
//! It is written from kanwu's own document model, so the text is identical to what kanwu sets:
//! the same masthead lines, contents, sections, article titles, headings, paragraphs, lists,
//! tables, images, footnotes and colophon, in the same vendored fonts (Noto Serif/Sans CJK SC by
//! their collection index, LXGW WenKai), on the same paper. It needs two xelatex runs, as every
//! LaTeX document with a table of contents does.

use std::fmt::Write as _;
use std::path::Path;

use kanwu::model::document::{Block, Document, Inline};

/// Escapes text for LaTeX: every special character prints as itself.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '$' | '&' | '#' | '_' | '%' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

fn inlines(out: &mut String, items: &[Inline]) {
    for i in items {
        match i {
            Inline::Text { v } => out.push_str(&esc(v)),
            Inline::Code { v } => {
                let _ = write!(out, "\\texttt{{{}}}", esc(v));
            }
            Inline::Strong { c } => {
                out.push_str("\\textbf{");
                inlines(out, c);
                out.push('}');
            }
            Inline::Emph { c } => {
                out.push_str("{\\kaishu ");
                inlines(out, c);
                out.push('}');
            }
            Inline::Strike { c } => inlines(out, c),
            Inline::Link { c, .. } => inlines(out, c),
            Inline::Footnote { c } => {
                out.push_str("\\footnote{");
                for b in c {
                    if let Block::Paragraph { inlines: p, .. } = b {
                        inlines(out, p);
                    }
                }
                out.push('}');
            }
            Inline::Linebreak => out.push_str("\\\\\n"),
        }
    }
}

fn blocks(out: &mut String, items: &[Block], issue_dir: &Path) {
    for b in items {
        match b {
            Block::Paragraph { inlines: p, .. } => {
                inlines(out, p);
                out.push_str("\n\n");
            }
            Block::Heading {
                level, inlines: h, ..
            } => {
                let cmd = match level {
                    2 => "subsubsection*",
                    3 => "paragraph*",
                    _ => "subparagraph*",
                };
                let _ = write!(out, "\\{cmd}{{");
                inlines(out, h);
                out.push_str("}\n\n");
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let env = if *ordered { "enumerate" } else { "itemize" };
                let _ = writeln!(out, "\\begin{{{env}}}");
                if *ordered && *start > 1 {
                    let _ = writeln!(out, "\\setcounter{{enumi}}{{{}}}", start - 1);
                }
                for item in items {
                    out.push_str("\\item ");
                    blocks(out, item, issue_dir);
                }
                let _ = writeln!(out, "\\end{{{env}}}");
            }
            Block::Quote { blocks: q } => {
                out.push_str("\\begin{quote}\\kaishu\n");
                blocks(out, q, issue_dir);
                out.push_str("\\end{quote}\n");
            }
            Block::Code { text, .. } => {
                let _ = writeln!(
                    out,
                    "\\begin{{quote}}\\ttfamily\\small\n{}\\end{{quote}}",
                    esc(text).replace('\n', "\\\\\n")
                );
            }
            Block::Table {
                align,
                header,
                rows,
                ..
            } => {
                let spec: String = align
                    .iter()
                    .map(|a| match *a {
                        "right" => 'r',
                        "center" => 'c',
                        _ => 'l',
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "\\begin{{center}}\\sffamily\\small\\begin{{tabular}}{{{spec}}}\\toprule"
                );
                let row = |out: &mut String, cells: &[Vec<Inline>]| {
                    for (i, c) in cells.iter().enumerate() {
                        if i > 0 {
                            out.push_str(" & ");
                        }
                        inlines(out, c);
                    }
                    out.push_str(" \\\\\n");
                };
                row(out, header);
                out.push_str("\\midrule\n");
                for r in rows {
                    row(out, r);
                }
                out.push_str("\\bottomrule\\end{tabular}\\end{center}\n\n");
            }
            Block::Image { path, caption, .. } => {
                let file = issue_dir.join(path.trim_start_matches("/issue/"));
                let _ = write!(
                    out,
                    "\\begin{{center}}\\includegraphics[width=0.9\\linewidth]{{{}}}\\\\[0.5em]{{\\kaishu\\small ",
                    file.display()
                );
                inlines(out, caption);
                out.push_str("}\\end{center}\n\n");
            }
            Block::Rule => out.push_str("\\noindent\\rule{\\linewidth}{0.4pt}\n\n"),
        }
    }
}

/// The `.tex` of an issue. `fonts` is the project's vendored font folder.
pub fn document(doc: &Document, issue_dir: &Path, fonts: &Path) -> String {
    let mut out = String::new();
    let f = format!("{}/", fonts.display());
    let _ = write!(
        out,
        r#"\documentclass[zihao=-4,fontset=none,a4paper]{{ctexart}}
\usepackage[top=2.5cm,bottom=2.5cm,left=2.6cm,right=2.6cm]{{geometry}}
\usepackage{{xcolor,graphicx,booktabs,fancyhdr}}
\setCJKmainfont{{NotoSerifCJK-Regular.ttc}}[Path={f},FontIndex=2,BoldFont=NotoSerifCJK-Bold.ttc,BoldFeatures={{FontIndex=2}}]
\setCJKsansfont{{NotoSansCJK-Bold.ttc}}[Path={f},FontIndex=2]
\setCJKfamilyfont{{kai}}{{LXGWWenKai-Regular.ttf}}[Path={f}]
\newcommand\kaishu{{\CJKfamily{{kai}}}}
\setmainfont{{NotoSerifCJK-Regular.ttc}}[Path={f},FontIndex=2,BoldFont=NotoSerifCJK-Bold.ttc,BoldFeatures={{FontIndex=2}}]
\setsansfont{{NotoSansCJK-Bold.ttc}}[Path={f},FontIndex=2]
% A space the editor typed between 汉字 ("第一 是美国的8.2倍") is kept, as kanwu keeps it;
% xeCJK drops it by default.
\xeCJKsetup{{CJKspace=true}}
% Sections are numbered by their ● only; article titles are not numbered (no "2.1"), and stay
% in the contents.
\setcounter{{secnumdepth}}{{1}}
\definecolor{{kanwured}}{{RGB}}{{215,0,15}}
\ctexset{{
  section={{format=\Large\sffamily\color{{kanwured}}\raggedright,name={{● ,}},number={{}}}},
  subsection={{format=\Large\bfseries\centering}},
  contentsname={{本期目录}}
}}
\pagestyle{{fancy}}\fancyhf{{}}\renewcommand\headrulewidth{{0pt}}
\fancyfoot[C]{{— \thepage{{}} —}}
\begin{{document}}
\thispagestyle{{empty}}
\begin{{center}}
{{\fontsize{{52pt}}{{60pt}}\selectfont\bfseries\color{{kanwured}}{name}}}\\[1em]
{{\zihao{{3}}{year}年第{number}期{serial}}}
\end{{center}}
\noindent{{\zihao{{4}}{publisher}\hfill{date}}}\\[-0.6em]
{{\color{{kanwured}}\rule{{\linewidth}}{{1.5pt}}}}
\hfill{{\zihao{{4}}\sffamily {marking}}}
\tableofcontents
"#,
        name = esc(&doc.publication.name),
        year = doc.issue.year,
        number = doc.issue.number,
        serial = doc
            .issue
            .serial
            .map(|s| format!("（总第{s}期）"))
            .unwrap_or_default(),
        publisher = esc(&doc.publication.publisher),
        date = format_args!(
            "{}年{}月{}日",
            doc.issue.date.year, doc.issue.date.month, doc.issue.date.day
        ),
        marking = esc(doc.publication.marking.as_deref().unwrap_or("内部资料")),
    );
    for section in &doc.sections {
        let _ = writeln!(out, "\\section{{{}}}", esc(&section.title));
        for article in &section.articles {
            if let Some(title) = &article.title {
                let _ = writeln!(out, "\\subsection{{{}}}", esc(title));
            } else {
                out.push_str("\\kaishu\n");
            }
            let byline: Vec<String> = [("来源", &article.source), ("作者", &article.author)]
                .iter()
                .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}：{}", esc(v))))
                .collect();
            if !byline.is_empty() {
                let _ = writeln!(
                    out,
                    "\\begin{{center}}\\small {}\\end{{center}}",
                    byline.join("\\quad ")
                );
            }
            blocks(&mut out, &article.blocks, issue_dir);
            if article.title.is_none() {
                out.push_str("\\normalfont\n");
            }
        }
    }
    let c = &doc.colophon;
    out.push_str("\n\\vfill\\noindent{\\color{kanwured}\\rule{\\linewidth}{1pt}}\\\\\n\\small\n");
    let line = |out: &mut String, k: &str, v: &str| {
        if !v.is_empty() {
            let _ = writeln!(out, "\\noindent {k}：{}\\\\", esc(v));
        }
    };
    line(&mut out, "主编", c.editor_in_chief.as_deref().unwrap_or(""));
    line(&mut out, "编辑", &c.editors.join("、"));
    line(&mut out, "报送", &c.send_to.join("；"));
    line(&mut out, "发送", &c.distribute_to.join("；"));
    line(&mut out, "地址", c.address.as_deref().unwrap_or(""));
    line(&mut out, "电话", c.phone.as_deref().unwrap_or(""));
    line(&mut out, "邮箱", c.email.as_deref().unwrap_or(""));
    if let Some(copies) = doc.issue.copies {
        let _ = writeln!(out, "\\noindent 印数：{copies}份");
    }
    out.push_str("\\end{document}\n");
    out
}
