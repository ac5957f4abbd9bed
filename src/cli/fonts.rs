//! `kanwu fonts`: the fonts kanwu uses and the roles the layout gives them; `--verify`, `--lock`.

use kanwu::diag::display_path;
use kanwu::typeset::fonts;

use super::{Outcome, ProjectArgs, open};

pub fn fonts(args: &ProjectArgs, verify: bool, lock: bool) -> Outcome {
    if lock {
        let lock = fonts::write_lock(&args.root)?;
        println!("wrote fonts/fonts.lock ({} files)", lock.fonts.len());
        return Ok(());
    }
    if verify {
        for line in fonts::verify(&args.root)? {
            println!("{line}");
        }
        println!("all locked fonts match fonts/fonts.lock");
        return Ok(());
    }
    let project = open(args)?;
    let layout = kanwu::model::publication::project_layout(&project.root);
    let roles = project.typesetter().theme_roles(&layout)?;
    println!(
        "layout/{layout}/theme.typ names: {}",
        roles
            .iter()
            .map(|(r, f)| format!("{r} = {f}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut current = None;
    for face in project.fonts.faces() {
        let file = display_path(&face.path);
        if current.as_ref() != Some(&file) {
            println!("{}", file.display());
            current = Some(file);
        }
        let used: Vec<&str> = roles
            .iter()
            .filter(|(_, f)| f.eq_ignore_ascii_case(&face.info.family))
            .map(|(r, _)| r.as_str())
            .collect();
        let v = face.info.variant;
        println!(
            "  {:<28} {:?} {:?}{}",
            face.info.family,
            v.weight,
            v.style,
            if used.is_empty() {
                String::new()
            } else {
                format!("  ← {}", used.join(", "))
            }
        );
    }
    for (role, family) in &roles {
        if !project.fonts.has_family(family) {
            println!("missing: role `{role}` names \"{family}\", which no font provides");
        }
    }
    Ok(())
}
