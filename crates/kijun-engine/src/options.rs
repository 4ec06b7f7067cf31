//! What a scan is given: its documents and its options (language, settings, classification,
//! rule selection, ledger, baseline, "now", external rules).

use crate::{baseline, config, exceptions, external, Classification};
use kijun_model::Lang;
use kijun_rules::{Rule, Settings, Severity};
use std::sync::Arc;

/// One input file.
#[derive(Clone, Debug)]
pub struct Document {
    /// Relative to the current directory, `/`-separated.
    pub path: String,
    pub content: String,
    /// The file could not be read as text: (byte offset, reason). It is listed in `errors` and
    /// not parsed; `content` holds what could be decoded, for positions.
    pub error: Option<(u32, kijun_model::Text)>,
}

impl Document {
    pub fn new(path: impl Into<String>, content: impl Into<String>) -> Document {
        Document {
            path: path.into(),
            content: content.into(),
            error: None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Lang,
    pub settings: Settings,
    /// The project default classification (built-in default 2/2/2).
    pub classification: Classification,
    pub terraform: kijun_terraform::Options,
    /// CloudFormation / ARM template parameter values (`--parameter Name=Value`).
    pub parameters: Vec<(String, String)>,
    /// Only these rules (empty: all).
    pub only_rules: Vec<String>,
    pub skip_rules: Vec<String>,
    /// Path patterns the caller's directory walk left out (`--exclude`, `[scan] exclude`),
    /// for the run metadata: the engine reads only the documents it is given.
    pub excluded: Vec<String>,
    /// Only rules citing these articles (article number or full `133-1-1` form).
    pub articles: Vec<String>,
    /// Drop findings below this severity.
    pub severity_threshold: Option<Severity>,
    /// `[[classification.rules]]` of kijun.toml.
    pub classification_rules: Vec<config::ClassificationRule>,
    /// The exception ledger: (path as reported, text).
    pub ledger: Option<(String, String)>,
    /// "Now", for exception expiry; the core never reads a clock.
    pub now: Option<exceptions::Date>,
    pub baseline: Option<baseline::Baseline>,
    /// Rules from outside the catalogue (WASM policy plugins, run by the CLI), called once per
    /// model after the built-in rules.
    pub extra_rules: Vec<Arc<dyn external::ExternalRules>>,
    /// The kijun.toml the caller read (recorded in every report's effective configuration).
    pub config_file: Option<config::ConfigFile>,
    /// `--isolated`: the caller ignored the scanned tree's kijun.toml files.
    pub isolated: bool,
}

/// Whether the options select a rule (`--rule`, `--skip-rule`, `--article`; never a deprecated one).
pub(crate) fn rule_selected(rule: &Rule, opts: &Options) -> bool {
    if !opts.only_rules.is_empty()
        && !opts
            .only_rules
            .iter()
            .any(|r| r == &rule.id || r == &rule.name)
    {
        return false;
    }
    if opts
        .skip_rules
        .iter()
        .any(|r| r == &rule.id || r == &rule.name)
    {
        return false;
    }
    if !opts.articles.is_empty()
        && !rule.articles.iter().any(|a| {
            opts.articles.iter().any(|w| {
                a == w || a.split('-').next() == Some(w.as_str()) || a.starts_with(&format!("{w}-"))
            })
        })
    {
        return false;
    }
    rule.status != kijun_rules::Status::Deprecated
}
