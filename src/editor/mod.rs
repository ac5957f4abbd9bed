//! The editor's month: starting a publication and the next issue, counting it, looking at it (PNG pages, a
//! PDF rebuilt on every save) and bringing text in from plain text and Word.

pub mod docx;
pub mod import;
pub mod init;
pub mod new;
pub mod preview;
pub mod serve;
pub mod stats;
pub mod watch;

pub use new::{NewIssue, new_issue};
pub use preview::{PageRange, preview};
pub use stats::{IssueStats, stats};
