//! `kanwu fonts`: the fonts kanwu uses and the roles the layout gives them; `--verify`, `--lock`.

use kanwu::diag::display_path;
use kanwu::msg;
use kanwu::typeset::fonts;

use super::{FormatArgs, Outcome, ProjectArgs, open};

pub fn fonts(args: &ProjectArgs, verify: bool, lock: bool, format: FormatArgs) -> Outcome {
    if lock {
        let lock = fonts::write_lock(&args.root)?;
        outln!(
            "{}",
            msg!("cli-fonts-wrote-fonts-fonts-lock", fonts = lock.fonts.len())
        );
        return Ok(());
    }
    if verify {
        for line in fonts::verify(&args.root)? {
            outln!("{line}");
        }
        outln!("{}", msg!("cli-fonts-all-locked-fonts-match"));
        return Ok(());
    }
    let project = open(args)?;
    let layout = kanwu::model::publication::project_layout(&project.root);
    let roles = project.typesetter().theme_roles(&layout)?;
    if format.json() {
        super::args::print_json(&fonts_json(&project, &layout, &roles));
        return Ok(());
    }
    outln!(
        "{}",
        msg!(
            "cli-fonts-layout-theme-typ-names",
            layout = layout,
            roles = roles
                .iter()
                .map(|(r, f)| format!("{r} = {f}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    let mut current = None;
    for face in project.fonts.faces() {
        let file = display_path(&face.path);
        if current.as_ref() != Some(&file) {
            outln!("{}", file.display());
            current = Some(file);
        }
        let used: Vec<&str> = roles
            .iter()
            .filter(|(_, f)| f.eq_ignore_ascii_case(&face.info.family))
            .map(|(r, _)| r.as_str())
            .collect();
        let line = format!(
            "  {} {:<18}{}",
            super::pad(&face.info.family, 28),
            variant_name(face.info.variant),
            if used.is_empty() {
                String::new()
            } else {
                format!("  ← {}", used.join(", "))
            }
        );
        outln!("{}", line.trim_end());
    }
    // A role whose family no font has: an error, as the build says it (exit 1).
    let missing: Vec<kanwu::Diagnostic> = roles
        .iter()
        .filter(|(_, family)| !project.fonts.has_family(family))
        .map(|(role, family)| {
            kanwu::Diagnostic::error(msg!(
                "cli-fonts-missing-role-names-which",
                role = role,
                family = family
            ))
            .in_file(format!("layout/{layout}/theme.typ"))
            .hint(msg!("layout-vendor-fonts-and-lock"))
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(super::Exit::Failed(missing))
    }
}

/// `fonts --format json`: `{"layout", "roles": [{"role", "family", "found"}], "fonts": [{"file",
/// "index", "family", "weight", "style", "roles"}]}` (weight 100–900, style normal, italic or
/// oblique; `roles`: the roles the layout gives the face's family).
fn fonts_json(
    project: &kanwu::Project,
    layout: &str,
    roles: &[(String, String)],
) -> serde_json::Value {
    let role_list: Vec<serde_json::Value> = roles
        .iter()
        .map(|(role, family)| {
            serde_json::json!({
                "role": role,
                "family": family,
                "found": project.fonts.has_family(family),
            })
        })
        .collect();
    let faces: Vec<serde_json::Value> = project
        .fonts
        .faces()
        .iter()
        .map(|face| {
            let used: Vec<&str> = roles
                .iter()
                .filter(|(_, f)| f.eq_ignore_ascii_case(&face.info.family))
                .map(|(r, _)| r.as_str())
                .collect();
            let style = match face.info.variant.style {
                typst::text::FontStyle::Normal => "normal",
                typst::text::FontStyle::Italic => "italic",
                typst::text::FontStyle::Oblique => "oblique",
            };
            serde_json::json!({
                "file": display_path(&face.path).display().to_string(),
                "index": face.index,
                "family": face.info.family,
                "weight": face.info.variant.weight.to_number(),
                "style": style,
                "roles": used,
            })
        })
        .collect();
    serde_json::json!({ "layout": layout, "roles": role_list, "fonts": faces })
}

/// A face's weight and style as a type designer names them: `Regular 400`, `Bold 700`,
/// `Light Italic 300`.
fn variant_name(v: typst::text::FontVariant) -> String {
    let weight = v.weight.to_number();
    let name = match weight {
        0..=149 => "Thin",
        150..=249 => "ExtraLight",
        250..=349 => "Light",
        350..=449 => "Regular",
        450..=549 => "Medium",
        550..=649 => "SemiBold",
        650..=749 => "Bold",
        750..=849 => "ExtraBold",
        _ => "Black",
    };
    let style = match v.style {
        typst::text::FontStyle::Normal => "",
        typst::text::FontStyle::Italic => " Italic",
        typst::text::FontStyle::Oblique => " Oblique",
    };
    format!("{name}{style} {weight}")
}
