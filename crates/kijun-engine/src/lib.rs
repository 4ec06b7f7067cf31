//! The pure pipeline: documents in, findings out. Parse every format into the resource model,
//! run the catalogue, apply classification, and render the JSON contract. No I/O and no clock:
//! files arrive as text, modules through a [`Loader`], and "now" is an input.

pub mod baseline;
pub mod classification;
pub mod config;
mod detection;
pub mod exceptions;
pub mod external;
mod findings;
pub mod fuzz;
pub mod glob;
pub mod json;
pub mod listing;
pub mod report;
pub mod run;
pub mod sha256;

mod levels;
mod options;
mod pipeline;

pub use detection::{detect, is_candidate, Format};
pub(crate) use findings::finding_texts_owned;
pub use findings::{
    provenance_text, related_text, ExceptionRecord, Finding, FindingStatus, LedgerStatus,
    NotEvaluatedOut, Outcome, Related, Shared,
};
pub use kijun_terraform::{Limits, Loader, NoLoader};
pub use levels::{ClassSource, Classification};
pub(crate) use options::rule_selected;
pub use options::{Document, Options};
pub use pipeline::{check, finish, run_rules, sort_errors, terraform_files, Partial};
