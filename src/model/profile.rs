//! The output profiles: what a PDF is for. One enum, named the same in messages, in
//! `document.json` (`output.profile`), in preflight reports and in `release.toml`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// E-mail and intranet: links, bookmarks, RGB (`out/<issue>.pdf`).
    #[default]
    Screen,
    /// The printer: bleed, crop marks, CMYK, pages padded for the binding
    /// (`out/<issue>.print.pdf`, with its print ticket).
    Print,
    /// The archive: PDF/A-3b with the issue's sources attached (`out/<issue>.archive.pdf`).
    Archive,
    /// Not a PDF: the images for phones (`kanwu export --to images`), one long page per
    /// article at phone width and the cover. Not in [`Profile::ALL`], the PDFs of a release.
    Phone,
}

impl Profile {
    /// The PDF profiles (what `kanwu build --profile` and `kanwu release` make).
    pub const ALL: [Profile; 3] = [Profile::Screen, Profile::Print, Profile::Archive];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Screen => "screen",
            Profile::Print => "print",
            Profile::Archive => "archive",
            Profile::Phone => "phone",
        }
    }

    pub fn parse(name: &str) -> Option<Profile> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The output file name of an issue in this profile: `2021-01.pdf`, `2021-01.archive.pdf`.
    pub fn file_name(self, issue: &str) -> String {
        match self {
            Profile::Screen => format!("{issue}.pdf"),
            other => format!("{issue}.{}.pdf", other.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_file_names_follow_the_profile() {
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.name()), Some(p));
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.name())
            );
        }
        assert_eq!(Profile::parse("Print"), None);
        assert_eq!(Profile::Screen.file_name("2021-01"), "2021-01.pdf");
        assert_eq!(Profile::Print.file_name("2021-01"), "2021-01.print.pdf");
    }
}
