//! The rule catalogue: every rule's metadata, declared once, in `policies/rules/<id>.toml`.

/// Version of the catalogue and its data files (a date: the day they were last revised).
pub const CATALOGUE_VERSION: &str = "2026-12-06";
/// The rulebook edition the citations refer to.
pub const RULEBOOK: &str = "情報セキュリティ細則 (令和8.3.27制定, 令和8年4月1日施行)";

use kijun_model::{Platform, Text};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    Confidentiality,
    Integrity,
    Availability,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Preview,
    Stable,
    Deprecated,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Preview => "preview",
            Status::Stable => "stable",
            Status::Deprecated => "deprecated",
        }
    }
}

/// Which classification switches the rule on, and how severe a finding is at each level.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applies {
    pub axis: Axis,
    /// The lowest level at which the rule applies (1 = always).
    pub min: u8,
    /// Severity per level, keys "1".."3"; levels without an entry take the nearest lower one.
    pub severity: BTreeMap<String, Severity>,
}

impl Applies {
    pub fn severity_at(&self, level: u8) -> Option<Severity> {
        (1..=level)
            .rev()
            .find_map(|l| self.severity.get(&l.to_string()).copied())
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Docs {
    pub what: Text,
    pub why: Text,
    #[serde(default)]
    pub limitations: Text,
}

/// A check simple enough to declare: one attribute compared with expected values.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declarative {
    pub kinds: Vec<String>,
    /// Dotted path; nested blocks fan out (`root_block_device.encrypted`).
    pub attribute: String,
    #[serde(default)]
    pub equals: Option<toml::Value>,
    #[serde(default)]
    pub one_of: Option<Vec<toml::Value>>,
    #[serde(default)]
    pub none_of: Option<Vec<toml::Value>>,
    #[serde(default)]
    pub min: Option<f64>,
    /// The provider's documented default when the attribute is unset; without one, an unset
    /// attribute fails as "not set".
    #[serde(default)]
    pub default: Option<toml::Value>,
    /// String comparisons ignore case (Azure and ARM values are case-insensitive).
    #[serde(default)]
    pub ignore_case: bool,
    /// Only applies at this level of the rule's axis or above (e.g. customer-managed keys at 3).
    #[serde(default)]
    pub min_level: Option<u8>,
    /// The attribute only has to be set (to anything, even a value known after apply, such as
    /// a reference to a key resource).
    #[serde(default)]
    pub present: bool,
    /// For a nested path (`block.attr`): when the block itself is absent, judge the default
    /// (true) or pass because there is nothing to judge (false, the default).
    #[serde(default)]
    pub absent_block_uses_default: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub control: String,
    pub status: Status,
    pub platforms: Vec<String>,
    pub kinds: Vec<String>,
    /// `article-paragraph[-item]`, e.g. "133-1-1".
    pub articles: Vec<String>,
    pub applies: Applies,
    pub title: Text,
    pub message: Text,
    pub remediation: Text,
    pub docs: Docs,
    #[serde(default)]
    pub check: Vec<Declarative>,
}

impl Rule {
    pub fn platforms(&self) -> Vec<Platform> {
        self.platforms
            .iter()
            .filter_map(|p| Platform::parse(p))
            .collect()
    }

    /// Kinds match exactly, or by prefix when the catalogue entry ends with `*` (`aws_*`).
    pub fn applies_to_kind(&self, kind: &str) -> bool {
        self.kinds.iter().any(|k| match k.strip_suffix('*') {
            Some(prefix) => kind.starts_with(prefix),
            None => k == kind,
        })
    }

    /// "細則 第133条第1項第1号" / "Article 133(1)(1)".
    pub fn citation(article: &str, lang: kijun_model::Lang) -> String {
        let parts: Vec<&str> = article.split('-').collect();
        match lang {
            kijun_model::Lang::Ja => {
                let mut s = String::from("細則 ");
                if let Some(a) = parts.first() {
                    s.push_str(&format!("第{a}条"));
                }
                if let Some(p) = parts.get(1) {
                    s.push_str(&format!("第{p}項"));
                }
                if let Some(i) = parts.get(2) {
                    s.push_str(&format!("第{i}号"));
                }
                s
            }
            kijun_model::Lang::En => {
                let mut s = String::from("Rulebook Art. ");
                if let Some(a) = parts.first() {
                    s.push_str(a);
                }
                for p in parts.iter().skip(1) {
                    s.push_str(&format!("({p})"));
                }
                s
            }
        }
    }
}

/// Parse errors of the embedded catalogue are build defects; the catalogue test reports them.
pub fn parse_rule(name: &str, text: &str) -> Result<Rule, String> {
    toml::from_str::<Rule>(text).map_err(|e| format!("{name}: {e}"))
}

/// The build-time JSON form of a rule file (see build.rs).
pub fn parse_rule_json(name: &str, json: &str) -> Result<Rule, String> {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(json) {
        if let Some(e) = v.get("__error").and_then(|e| e.as_str()) {
            return Err(format!("{name}: {e}"));
        }
    }
    serde_json::from_str::<Rule>(json).map_err(|e| format!("{name}: {e}"))
}
