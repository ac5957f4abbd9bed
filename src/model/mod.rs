//! The model: what an editor wrote, read and validated, and the document the layout sees.
//! No Typst here: everything below is plain data with spans for messages.

pub mod article;
pub mod article_edit;
pub mod date;
pub mod document;
pub mod edits;
pub mod front_matter;
pub mod image;
pub mod issue_toml;
pub mod lengths;
pub mod loaded;
pub mod manifest;
pub mod paths;
pub mod placeholders;
pub mod profile;
pub mod publication;
pub mod text;
pub mod text_file;
pub mod title;
pub mod toml_message;

pub use date::Date;
pub use document::Document;
pub use loaded::{LoadedIssue, Overlay, SourceFile, find_issues, load, load_with};
pub use manifest::{Issue, IssueKind, KNOWN_KINDS};
pub use profile::Profile;
pub use publication::Publication;
