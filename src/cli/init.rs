//! `kanwu init [DIR]`: a new publication from nothing.

use kanwu::msg;
use std::path::PathBuf;

use kanwu::diag::display_path;
use kanwu::editor::init::{self, InitOptions};

use super::{Exit, Outcome};

#[derive(clap::Args)]
pub struct InitArgs {
    /// The folder of the new publication (default: the current folder); created if missing.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// 刊名, the periodical's name (default: a placeholder to edit in publication.toml).
    #[arg(long)]
    pub name: Option<String>,
    /// 编印单位, who publishes it (default: a placeholder to edit).
    #[arg(long)]
    pub publisher: Option<String>,
    /// The marking on the masthead (default: 内部资料 注意保存).
    #[arg(long)]
    pub marking: Option<String>,
    /// The layout, a folder under layout/ (default: express).
    #[arg(long)]
    pub layout: Option<String>,
    /// a4 | b5 | 16k | 210x285mm (default: a4).
    #[arg(long)]
    pub paper: Option<String>,
    /// The first issue's date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// 第N期 of the first issue (default: 1).
    #[arg(long)]
    pub number: Option<u32>,
    /// 总第N期 of the first issue (optional).
    #[arg(long)]
    pub serial: Option<u32>,
    /// Copy layout/ and fonts/ from DIR (default: kanwu's own installation; see above).
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
}

pub fn init(args: &InitArgs) -> Outcome {
    let date = super::editor::date_arg(args.date.as_deref())?;
    if args.number == Some(0) {
        return Err(Exit::Usage(msg!("cli-init-number-counts-from-1")));
    }
    let from = init::find_installation(args.from.as_deref())?;
    if let Some(layout) = &args.layout
        && !from.join("layout").join(layout).is_dir()
    {
        return Err(Exit::Usage(msg!(
            "cli-init-layout-there-no-layout",
            layout = layout,
            from = display_path(&from).display()
        )));
    }
    let options = InitOptions {
        name: args.name.clone(),
        publisher: args.publisher.clone(),
        marking: args.marking.clone(),
        layout: args.layout.clone(),
        paper: args.paper.clone(),
        date,
        number: args.number,
        serial: args.serial,
    };
    let done = init::init(&args.dir, &from, &options)?;
    let at = |p: &std::path::Path| display_path(p).display().to_string();
    outln!(
        "{}",
        msg!(
            "cli-init-started-publication-layout-and",
            dir = at(&args.dir),
            from = at(&done.from)
        )
    );
    outln!("  {}", at(&done.publication));
    outln!(
        "  {}  {}",
        at(&done.issue),
        msg!("cli-init-the-first-issue")
    );
    outln!("{}", msg!("cli-init-next"));
    let mut step = 1;
    if done.placeholders {
        outln!(
            "  {step}. {}",
            msg!(
                "cli-init-step-publication",
                publication = at(&done.publication)
            )
        );
        step += 1;
    }
    outln!(
        "  {step}. {}",
        msg!("cli-init-step-articles", stubs = done.stubs.join(", "))
    );
    let issue_rel = done
        .issue
        .strip_prefix(&args.dir)
        .unwrap_or(&done.issue)
        .display()
        .to_string();
    let cd = if args.dir == std::path::Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", at(&args.dir))
    };
    outln!("  {}. {cd}kanwu build {issue_rel}", step + 1);
    outln!("  {}", msg!("cli-init-each-month"));
    Ok(())
}
