//! `kijun.toml`, the project configuration: classification (別表1), allowed regions, network
//! and logging parameters, approved services, the exception ledger's location. Parsed from
//! text (the CLI finds and reads the file); unknown keys and wrong types are errors with the
//! position in the file.

use crate::levels::{ClassSource, Classification};
use kijun_model::{text, Text};
use kijun_rules::Settings;
use serde::Deserialize;

/// A configuration error with its 1-based line and column in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub line: u32,
    pub column: u32,
    pub message: Text,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub classification: ClassificationConfig,
    #[serde(default)]
    pub regions: RegionsConfig,
    #[serde(default)]
    pub network: NetworkConfig,
    #[serde(default)]
    pub logging: LoggingConfig,
    #[serde(default)]
    pub cloud: CloudConfig,
    #[serde(default)]
    pub ledger: LedgerConfig,
    #[serde(default)]
    pub exceptions: ExceptionsConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub plugins: PluginsConfig,
    #[serde(default)]
    pub assume: AssumeConfig,
    #[serde(default)]
    pub scan: ScanConfig,
}

/// `[scan]`: what the directory walk leaves out. `exclude` holds .gitignore-style patterns
/// relative to each scanned directory (README, "Leaving paths out"); every report lists them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// `[assume]`: the deployment context the code leaves open (a provider without a region takes
/// `AWS_REGION` at apply time; an ARM template follows its resource group's location). Used
/// only where the configuration sets no value, and marked as an assumption in every finding
/// that relies on it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssumeConfig {
    pub aws_region: Option<String>,
    pub azure_resource_group_location: Option<String>,
    pub google_region: Option<String>,
    pub oci_region: Option<String>,
}

/// Checks one assumption: a known key and a region-like value (letters, digits, `-`, `_`, spaces).
pub fn check_assumption(key: &str, value: &str) -> Result<(), Text> {
    if !kijun_terraform::ASSUME_KEYS.contains(&key) {
        let known = kijun_terraform::ASSUME_KEYS.join(", ");
        return Err(text!(
            "前提 `{key}` は不明です（使えるもの: {known}）",
            "unknown assumption {key}; known: {known}"
        ));
    }
    if value.trim().is_empty() {
        return Err(text!(
            "前提 `{key}` の値が空です（値を渡す環境変数は設定されていますか）",
            "assumption {key} has an empty value (is the environment variable it comes from set?)"
        ));
    }
    if value.len() > 64
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '))
    {
        return Err(text!(
            "前提 `{key}` の値 {value:?} はリージョン名でもロケーション名でもありません",
            "assumption {key} = {value:?} is not a region or location name"
        ));
    }
    Ok(())
}

/// `--assume KEY=VALUE`.
pub fn parse_assume_arg(arg: &str) -> Result<(String, String), Text> {
    let Some((k, v)) = arg.split_once('=') else {
        return Err(text!(
            "--assume には KEY=VALUE を指定してください（指定値: `{arg}`）",
            "--assume needs KEY=VALUE, got {arg}"
        ));
    };
    let (k, v) = (k.trim(), v.trim());
    check_assumption(k, v).map_err(|e| e.after(text!("--assume: ", "--assume: ")))?;
    Ok((k.to_string(), v.to_string()))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationConfig {
    pub confidentiality: Option<u8>,
    pub integrity: Option<u8>,
    pub availability: Option<u8>,
    #[serde(default)]
    pub rules: Vec<ClassificationRule>,
}

/// `[[classification.rules]]`: a classification for the resources a pattern matches.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationRule {
    /// Globs on file paths (`envs/dev/**`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Globs on Terraform module paths (`module.reports`, `module.*`).
    #[serde(default)]
    pub modules: Vec<String>,
    /// Kubernetes namespaces (globs).
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Globs on resource addresses.
    #[serde(default)]
    pub resources: Vec<String>,
    pub confidentiality: Option<u8>,
    pub integrity: Option<u8>,
    pub availability: Option<u8>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionsConfig {
    /// Allowed regions for every cloud (codes of any cloud may be mixed).
    pub allowed: Option<Vec<String>>,
    pub aws: Option<Vec<String>>,
    pub azure: Option<Vec<String>>,
    pub gcp: Option<Vec<String>>,
    pub oci: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkConfig {
    /// IPv6 is intended (第117条); false makes IPv6 settings findings (第118条).
    pub ipv6: Option<bool>,
    pub admin_cidrs: Option<Vec<String>>,
    pub public_ports: Option<Vec<u32>>,
    pub admin_ports: Option<Vec<u32>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoggingConfig {
    pub min_retention_days: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudConfig {
    /// Provider sources approved for use (`hashicorp/aws`); replaces the shipped register.
    pub approved_providers: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerConfig {
    /// Tags that reconcile resources with the information-system ledger (第69条第2項).
    pub required_tags: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionsConfig {
    /// Path of the exception ledger, relative to kijun.toml.
    pub ledger: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    #[serde(default)]
    pub skip: Vec<String>,
    pub severity_threshold: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginsConfig {
    /// WASM policy plugins, relative to kijun.toml; globs allowed (`plugins/*.wasm`).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Fuel per plugin call (default 1,000,000,000).
    pub fuel: Option<u64>,
    /// Memory per plugin call, MiB (default 256).
    pub memory_mib: Option<u64>,
    /// Largest answer a plugin may return, MiB (default 16).
    pub output_mib: Option<u64>,
}

impl AssumeConfig {
    /// (key, value) of every assumption set, in key order.
    pub fn items(&self) -> Vec<(&'static str, &str)> {
        [
            ("aws_region", &self.aws_region),
            (
                "azure_resource_group_location",
                &self.azure_resource_group_location,
            ),
            ("google_region", &self.google_region),
            ("oci_region", &self.oci_region),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// 1-based (line, column) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() as u32 + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0) as u32
        + 1;
    (line, col)
}

fn level_ok(v: Option<u8>, max: u8) -> bool {
    v.is_none_or(|l| (1..=max).contains(&l))
}

/// Finds the byte offset of `needle` as a key in `text`, for errors found after parsing.
fn find_key(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or(0)
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let cfg: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError {
                line,
                column,
                message: text!(
                    "設定ファイルを読めません: 「{0}」",
                    "{0}",
                    e.message().trim()
                ),
            }
        })?;
        let c = &cfg.classification;
        let bad = |key: &str, msg: Text| {
            let (line, column) = line_col(text, find_key(text, key));
            Err(ConfigError {
                line,
                column,
                message: msg,
            })
        };
        if !level_ok(c.confidentiality, 3) {
            return bad(
                "confidentiality",
                text!(
                    "confidentiality（機密性）は 1、2、3 のいずれかです",
                    "confidentiality must be 1, 2 or 3"
                ),
            );
        }
        if !level_ok(c.integrity, 2) {
            return bad(
                "integrity",
                text!(
                    "integrity（完全性）は 1 か 2 です",
                    "integrity must be 1 or 2"
                ),
            );
        }
        if !level_ok(c.availability, 2) {
            return bad(
                "availability",
                text!(
                    "availability（可用性）は 1 か 2 です",
                    "availability must be 1 or 2"
                ),
            );
        }
        for r in &c.rules {
            if !level_ok(r.confidentiality, 3)
                || !level_ok(r.integrity, 2)
                || !level_ok(r.availability, 2)
            {
                return bad(
                    "[[classification.rules]]",
                    text!(
                        "格付の範囲: 機密性 1–3、完全性 1–2、可用性 1–2",
                        "classification levels: confidentiality 1–3, integrity 1–2, availability 1–2"
                    ),
                );
            }
            if r.paths.is_empty()
                && r.modules.is_empty()
                && r.namespaces.is_empty()
                && r.resources.is_empty()
            {
                return bad(
                    "[[classification.rules]]",
                    text!(
                        "格付の規則には paths、modules、namespaces、resources のいずれかが必要です",
                        "a classification rule needs paths, modules, namespaces or resources"
                    ),
                );
            }
        }
        for (key, value) in cfg.assume.items() {
            if let Err(e) = check_assumption(key, value) {
                return bad(key, e);
            }
        }
        if let Some(t) = &cfg.rules.severity_threshold {
            if !matches!(t.as_str(), "info" | "low" | "medium" | "high") {
                return bad(
                    "severity_threshold",
                    text!(
                        "severity_threshold は info、low、medium、high のいずれかです",
                        "severity_threshold must be info, low, medium or high"
                    ),
                );
            }
        }
        Ok(cfg)
    }

    /// Adds `[assume]` to the scan's assumptions (`source`: how the report names kijun.toml).
    pub fn apply_assume(&self, to: &mut kijun_terraform::Assumptions, source: &str) {
        for (k, v) in self.assume.items() {
            to.set(k, v, &format!("{source} [assume]"));
        }
    }

    /// The project default classification.
    pub fn classification(&self) -> Classification {
        let c = &self.classification;
        let mut out = Classification::default();
        if c.confidentiality.is_some() || c.integrity.is_some() || c.availability.is_some() {
            out.source = ClassSource::Config;
        }
        if let Some(v) = c.confidentiality {
            out.confidentiality = v;
        }
        if let Some(v) = c.integrity {
            out.integrity = v;
        }
        if let Some(v) = c.availability {
            out.availability = v;
        }
        out
    }

    /// The data files' settings with this configuration's overrides applied.
    pub fn apply(&self, s: &mut Settings) {
        use kijun_rules::Cloud;
        let lower = |v: &Vec<String>| v.iter().map(|x| x.to_ascii_lowercase()).collect::<Vec<_>>();
        if let Some(all) = &self.regions.allowed {
            for cloud in [Cloud::Aws, Cloud::Azure, Cloud::Gcp, Cloud::Oci] {
                s.allowed_regions.insert(cloud, lower(all));
            }
        }
        for (cloud, v) in [
            (Cloud::Aws, &self.regions.aws),
            (Cloud::Azure, &self.regions.azure),
            (Cloud::Gcp, &self.regions.gcp),
            (Cloud::Oci, &self.regions.oci),
        ] {
            if let Some(v) = v {
                s.allowed_regions.insert(cloud, lower(v));
            }
        }
        if let Some(v) = self.network.ipv6 {
            s.ipv6_intended = v;
        }
        if let Some(v) = &self.network.admin_cidrs {
            s.admin_cidrs = v.clone();
        }
        if let Some(v) = &self.network.public_ports {
            s.public_ports = v.clone();
        }
        if let Some(v) = &self.network.admin_ports {
            s.admin_ports = v.iter().map(|p| (*p, *p)).collect();
        }
        if let Some(v) = self.logging.min_retention_days {
            s.min_retention_days = v as f64;
        }
        if let Some(v) = &self.cloud.approved_providers {
            s.approved_providers = v.clone();
        }
        if let Some(v) = &self.ledger.required_tags {
            s.required_tags = v.clone();
        }
    }
}

/// The commented configuration `kijun init` writes.
pub const TEMPLATE: &str = r#"# kijun.toml — project configuration for kijun (基準).
# 情報セキュリティ細則に基づく検査の設定です。値を変えると、どの規定が適用されるかが変わります。

[classification]
# The project's information classification (細則 第5条・別表1). Built-in default: 2/2/2
# (要保護情報として扱う). Resources may override it with the tags/labels
# kijun-confidentiality / kijun-integrity / kijun-availability, or the Kubernetes annotations
# kijun.dev/confidentiality etc.
confidentiality = 2   # 機密性 1..3 (3 = 機密性3情報: customer-managed keys, no public endpoints)
integrity = 2         # 完全性 1..2 (2 = 要保全情報: tamper evidence, signatures)
availability = 2      # 可用性 1..2 (2 = 要安定情報: redundancy, backups)

# The most specific match wins: resources, then namespaces, then modules, then paths.
# [[classification.rules]]
# paths = ["envs/dev/**"]
# confidentiality = 1

[regions]
# Where data may be stored (細則 第64条第2項第2号). Default: Japan (ap-northeast-1/3, japaneast/west,
# asia-northeast1/2, ap-tokyo-1/ap-osaka-1).
# allowed = ["ap-northeast-1", "ap-northeast-3", "japaneast", "japanwest", "asia-northeast1", "asia-northeast2"]

[network]
ipv6 = false                # IPv6 intended? (細則 第117条・第118条)
# admin_cidrs = ["203.0.113.0/24"]   # the organisation's own administration networks
public_ports = [80, 443]    # ports that may be open to the internet on public resources

[logging]
min_retention_days = 365    # 細則 第132条第2項

[cloud]
# Approved cloud services (細則 第64条第3項・第66条第3項). Default: the shipped register, to be
# confirmed against the official ISMAP cloud service list.
# approved_providers = ["hashicorp/aws", "hashicorp/azurerm", "hashicorp/google"]

[ledger]
# Tags that reconcile resources with the information-system ledger (細則 第69条第2項).
# required_tags = ["system-id", "owner"]

[exceptions]
# The exception ledger (例外措置, 細則 第26条・第27条).
# ledger = "kijun-exceptions.toml"

[plugins]
# The organisation's own checks as sandboxed WASM plugins (wasm/PLUGINS.md).
# paths = ["plugins/*.wasm"]

[assume]
# Where the code is deployed when it does not say so itself (a provider without `region` takes
# AWS_REGION at apply time; ARM templates follow resourceGroup().location). Used only where the
# configuration leaves the value open; findings that rely on it say "assumed via kijun.toml".
# 前提とするデプロイ先。コードに書かれていない場合だけ使い、所見には「前提」と明記されます。
# aws_region = "ap-northeast-1"
# azure_resource_group_location = "japaneast"
# google_region = "asia-northeast1"
# oci_region = "ap-tokyo-1"

[scan]
# Paths left out of the scan, .gitignore-style, relative to each scanned directory. Everything is
# scanned by default; every report lists what was left out.
# スキャンから除くパス（.gitignore 形式）。既定ではすべてをスキャンし、除外したパターンは報告書に記載されます。
# exclude = ["examples/**", "test/**", "**/fixtures/**"]
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses() {
        assert!(Config::parse(TEMPLATE).is_ok());
    }

    #[test]
    fn scan_exclude_is_read() {
        let c = Config::parse("[scan]\nexclude = [\"examples/**\", \"test/\"]\n").unwrap();
        assert_eq!(c.scan.exclude, vec!["examples/**", "test/"]);
        assert!(Config::parse("[scan]\ninclude = [\"x\"]\n").is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_have_positions() {
        let e = Config::parse("[classification]\nconfidentiality = 2\ncolour = 3\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("colour"), "{:?}", e.message);
        let e = Config::parse("[network]\nipv6 = \"no\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 8));
        let e = Config::parse("[classification]\nintegrity = 3\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e =
            Config::parse("[assume]\naws_region = \"ap-northeast-1\"\nazure_location = \"x\"\n")
                .unwrap_err();
        assert_eq!(e.line, 3);
        let e = Config::parse("[assume]\naws_region = \"ap-northeast-1; rm\"\n").unwrap_err();
        assert!(e.message.contains("not a region"), "{:?}", e.message);
        assert!(parse_assume_arg("aws_region=").is_err());
        assert_eq!(
            parse_assume_arg("google_region=asia-northeast1").unwrap(),
            ("google_region".to_string(), "asia-northeast1".to_string())
        );
    }
}

/// The kijun.toml a scan used, as the caller read it.
#[derive(Clone, Debug, Default)]
pub struct ConfigFile {
    /// As reported (relative to the current directory).
    pub path: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Found in the scanned tree (else named on the command line).
    pub in_tree: bool,
}
