//! The `release.toml` format: what an issue was built from and what it gave, and its reading
//! (a malformed record, or one from a newer kanwu, is an error naming its line).

use serde::{Deserialize, Serialize};
use std::path::Path;
use toml::Spanned;

use crate::diag::{Diagnostic, Result, SourceText};

/// The format of `release.toml` this kanwu reads and writes.
pub const RELEASE_FORMAT: i64 = 1;
pub const RELEASE_FILE: &str = "release.toml";

/// `release.toml`: what an issue was built from and what it gave.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub format: i64,
    pub kanwu: String,
    pub issue: String,
    #[serde(rename = "input", default)]
    pub inputs: Vec<Recorded>,
    #[serde(rename = "output", default)]
    pub outputs: Vec<RecordedOutput>,
    /// The web, Word and phone editions exported when the issue was released.
    #[serde(rename = "edition", default, skip_serializing_if = "Vec::is_empty")]
    pub editions: Vec<super::editions::RecordedEdition>,
}

/// An input: `kind` is publication, manifest, article, image, layout or font.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Recorded {
    pub kind: String,
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RecordedOutput {
    pub profile: String,
    pub file: String,
    pub pages: usize,
    pub sha256: String,
}

#[derive(Deserialize)]
struct ReleaseHead {
    format: Option<Spanned<toml::Value>>,
    kanwu: Option<toml::Value>,
}

/// Reads a `release.toml`: a malformed file, or one from a newer kanwu, is an error naming
/// its line.
pub fn read_release(path: &Path) -> Result<Release> {
    let src = crate::model::manifest::read_text(path)?;
    parse_release(&src)
}

/// Parses the text of a `release.toml` (see [`read_release`]).
pub fn parse_release(src: &SourceText) -> Result<Release> {
    let at = |e: toml::de::Error| {
        let d = Diagnostic::error(msg!(
            "release-record-release-toml-malformed",
            e = e.message().trim()
        ))
        .hint(msg!("release-record-write-again-with-kanwu"));
        match e.span() {
            Some(s) => d.at(src, s),
            None => d.in_file(&src.path),
        }
    };
    let head: ReleaseHead = toml::from_str(&src.text).map_err(at)?;
    let Some(format) = head.format else {
        return Err(
            Diagnostic::error(msg!("release-record-release-toml-has-no"))
                .at(src, 0..0)
                .hint(msg!("release-record-write-again-with-kanwu"))
                .into(),
        );
    };
    let span = format.span();
    match format.into_inner() {
        toml::Value::Integer(RELEASE_FORMAT) => {}
        toml::Value::Integer(n) if n > RELEASE_FORMAT => {
            let by = head
                .kanwu
                .and_then(|v| v.as_str().map(|s| format!("kanwu {s}")))
                .unwrap_or_else(|| msg!("release-record-a-newer-kanwu"));
            return Err(Diagnostic::error(msg!(
                "release-record-release-toml-format-written",
                n = n,
                by = by,
                a1 = env!("CARGO_PKG_VERSION"),
                RELEASE_FORMAT = RELEASE_FORMAT
            ))
            .at(src, span)
            .hint(msg!("release-record-verify-with-or-newer", by = by))
            .into());
        }
        _ => {
            return Err(Diagnostic::error(msg!(
                "release-record-release-toml-format-must",
                RELEASE_FORMAT = RELEASE_FORMAT
            ))
            .at(src, span)
            .hint(msg!("release-record-write-again-with-kanwu"))
            .into());
        }
    }
    toml::from_str(&src.text).map_err(|e| at(e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: &str, path: &str, sha: &str) -> Recorded {
        Recorded {
            kind: kind.into(),
            path: path.into(),
            sha256: sha.into(),
        }
    }

    #[test]
    fn a_release_record_in_a_newer_format_is_refused_at_its_line() {
        let src = SourceText::new("release.toml", "# x\nformat = 9\nkanwu = \"9.0.0\"\n");
        let err = parse_release(&src).unwrap_err();
        assert_eq!(err.0[0].line(), Some(2), "{err}");
        assert!(
            err.0[0]
                .message
                .contains("format 9, written by kanwu 9.0.0"),
            "{err}"
        );
        let src = SourceText::new("release.toml", "kanwu = \"0.1.0\"\n");
        assert!(
            parse_release(&src).unwrap_err().0[0]
                .message
                .contains("no `format`")
        );
        let src = SourceText::new(
            "release.toml",
            "format = 1\nkanwu = \"0.1.0\"\nissue = \"2021-01\"\n[[input]]\nkind = \"font\"\npath = \"fonts/a\"\nsha256 = \"00\"\n",
        );
        let r = parse_release(&src).unwrap();
        assert_eq!(r.inputs, vec![rec("font", "fonts/a", "00")]);
        let src = SourceText::new("release.toml", "format = 1\nkanwu = \"0.1.0\"\nissue = 3\n");
        assert_eq!(parse_release(&src).unwrap_err().0[0].line(), Some(3));
    }
}
