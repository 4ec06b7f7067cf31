//! The data files of `policies/data/` as typed values, deserialised once and shared by every
//! rule through the facts layer (and [`crate::Ctx::data`]). `regions.toml` and
//! `cloud-services.toml` are read into [`crate::Settings`], which a `kijun.toml` can override.
//!
//! `cryptrec.toml` is parsed once; the parts with a fixed shape (strength requirement, TLS
//! guideline, TLS verdict, cipher classes, cloud TLS policies) are typed here. The per-cloud key
//! and IPsec tables stay tables, because their columns differ by service
//! ([`crate::facts::cryptrec::table`] reads them).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// `policies/data/cryptrec.toml`.
#[derive(Debug)]
pub struct Cryptrec {
    /// The whole file, for the per-service tables.
    pub raw: toml::Table,
    /// Its typed sections.
    pub tls: TlsData,
}

/// The TLS sections of `cryptrec.toml`.
#[derive(Debug, Default, Deserialize)]
pub struct TlsData {
    #[serde(default)]
    pub tls_guideline: Option<TlsGuideline>,
    #[serde(default)]
    pub tls_verdict: Option<TlsVerdict>,
    /// Cipher-suite name → class ("3des", "cbc_sha1" …).
    #[serde(default)]
    pub cipher_class: BTreeMap<String, String>,
    #[serde(default)]
    pub cipher_class_patterns: Option<CipherClassPatterns>,
    #[serde(default)]
    pub tls_policy: Vec<TlsPolicyEntry>,
    /// `min_protocol_version` spelling of Azure Application Gateway ("TLSv1_2") → version.
    #[serde(default)]
    pub azure_appgw_min_protocol_version: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TlsGuideline {
    /// The level kijun applies ("recommended").
    pub kijun_default_level: Option<String>,
    #[serde(default)]
    pub level: Vec<TlsLevel>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TlsLevel {
    pub id: Option<String>,
    pub min_tls: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct TlsVerdict {
    #[serde(default)]
    pub protocol_order: Vec<String>,
    #[serde(default)]
    pub fail_cipher_classes: Vec<String>,
    #[serde(default)]
    pub warn_cipher_classes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CipherClassPatterns {
    /// Ordered `[substring, class]` pairs.
    #[serde(default)]
    pub patterns: Vec<Vec<String>>,
    /// Name suffix → class, tried after the patterns.
    #[serde(default)]
    pub suffix_rules: BTreeMap<String, String>,
}

/// One `[[tls_policy]]` entry.
#[derive(Debug, Deserialize)]
pub struct TlsPolicyEntry {
    /// "aws-elb", "aws-cloudfront", "azure-appgw" …
    pub platform: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub min_tls: String,
    #[serde(default)]
    pub weak_ciphers: Vec<String>,
    pub verified: Option<bool>,
}

/// `policies/data/resource-roles.toml`: resource types that store and process no information
/// of their own, per cloud. The region rules (C1) skip them; a type not listed is judged.
#[derive(Debug, Default, Deserialize)]
pub struct ResourceRoles {
    #[serde(default)]
    pub configuration_only: ConfigurationOnly,
}

/// The configuration-only types of each cloud, exact type names (Terraform types as written,
/// ARM types compared case-insensitively).
#[derive(Debug, Default, Deserialize)]
pub struct ConfigurationOnly {
    #[serde(default)]
    pub aws: Vec<String>,
    #[serde(default)]
    pub azure: Vec<String>,
    #[serde(default)]
    pub gcp: Vec<String>,
    #[serde(default)]
    pub oci: Vec<String>,
}

impl ResourceRoles {
    /// Whether `kind` only configures another resource and holds no data of its own.
    pub fn configuration_only(&self, cloud: crate::settings::Cloud, kind: &str) -> bool {
        use crate::settings::Cloud;
        let list = match cloud {
            Cloud::Aws => &self.configuration_only.aws,
            Cloud::Azure => &self.configuration_only.azure,
            Cloud::Gcp => &self.configuration_only.gcp,
            Cloud::Oci => &self.configuration_only.oci,
        };
        list.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }
}

/// The data files, typed.
#[derive(Debug)]
pub struct Data {
    /// `None` when the embedded file does not parse (a build defect the unit tests catch).
    pub cryptrec: Option<Cryptrec>,
    /// `defaults.toml`; `None` when it does not parse (a build defect the unit tests catch).
    pub defaults: Option<Defaults>,
    /// `None` when the embedded file does not parse (a build defect the unit tests catch).
    pub resource_roles: Option<ResourceRoles>,
}

/// `policies/data/defaults.toml`: service defaults, and the dates on which they changed.
#[derive(Debug, Deserialize)]
pub struct Defaults {
    pub azure_storage: AzureStorageDefaults,
    pub aws_elb: AwsElbDefaults,
    pub aws_s3: AwsS3Defaults,
    pub gcp_bigquery: GcpBigQueryDefaults,
}

#[derive(Debug, Deserialize)]
pub struct AzureStorageDefaults {
    /// From this day Azure Storage refuses TLS 1.0 and 1.1 on every account.
    pub tls_1_0_1_1_retired: toml::value::Datetime,
    /// What an unset `minimumTlsVersion` meant before that day.
    pub unset_min_tls_before: String,
}

#[derive(Debug, Deserialize)]
pub struct AwsElbDefaults {
    /// The policy of an HTTPS/TLS listener without `ssl_policy`.
    pub default_ssl_policy: String,
}

#[derive(Debug, Deserialize)]
pub struct AwsS3Defaults {
    /// Since this day S3 encrypts every new object (SSE-S3) by default.
    pub default_encryption_since: toml::value::Datetime,
}

#[derive(Debug, Deserialize)]
pub struct GcpBigQueryDefaults {
    /// Where a dataset without `location` is stored.
    pub default_location: String,
    pub default_location_ja: String,
    pub default_location_en: String,
}

/// A TOML date as `YYYY-MM-DD`, comparable as a string with the scan date.
pub fn iso_date(d: &toml::value::Datetime) -> String {
    d.date.map(|d| d.to_string()).unwrap_or_default()
}

fn file(name: &str) -> Option<&'static str> {
    crate::DATA_FILES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// The data files, read on first use.
pub fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let cryptrec = file("cryptrec.toml")
            .and_then(|text| toml::from_str::<toml::Table>(text).ok())
            .and_then(|raw| {
                let tls = toml::Value::Table(raw.clone()).try_into::<TlsData>().ok()?;
                Some(Cryptrec { raw, tls })
            });
        let defaults = file("defaults.toml").and_then(|text| toml::from_str::<Defaults>(text).ok());
        let resource_roles =
            file("resource-roles.toml").and_then(|text| toml::from_str::<ResourceRoles>(text).ok());
        Data {
            cryptrec,
            defaults,
            resource_roles,
        }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // why: test code may fail loudly
    use super::*;

    #[test]
    fn every_data_file_deserialises() {
        let c = data().cryptrec.as_ref().unwrap();
        assert!(c.tls.tls_policy.len() > 50);
        assert!(c.tls.tls_policy.iter().any(|p| p.platform == "aws-elb"));
        assert_eq!(
            c.tls
                .tls_guideline
                .as_ref()
                .unwrap()
                .kijun_default_level
                .as_deref(),
            Some("recommended")
        );
        let d = data().defaults.as_ref().unwrap();
        assert_eq!(iso_date(&d.azure_storage.tls_1_0_1_1_retired), "2026-02-03");
        assert_eq!(d.aws_elb.default_ssl_policy, "ELBSecurityPolicy-2016-08");
        assert_eq!(d.gcp_bigquery.default_location, "US");
        assert_eq!(iso_date(&d.aws_s3.default_encryption_since), "2023-01-05");
    }

    /// The configuration-only list is the region rules' exemption: each type is a real type of
    /// its cloud's provider (a resource of a fixture written from the provider's documentation),
    /// listed once, and exercised by its region rule's fixture, which expects no finding on it.
    #[test]
    fn configuration_only_types_are_real_and_exercised() {
        let roles = data().resource_roles.as_ref().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let lists = [
            ("aws", &roles.configuration_only.aws, "KJ-C1-001"),
            ("azure", &roles.configuration_only.azure, "KJ-C1-002"),
            ("gcp", &roles.configuration_only.gcp, "KJ-C1-003"),
            ("oci", &roles.configuration_only.oci, "KJ-C1-004"),
        ];
        let mut seen = std::collections::BTreeSet::new();
        for (cloud, list, rule) in lists {
            assert!(!list.is_empty(), "{cloud}: empty list");
            let dir = root.join("fixtures").join(rule);
            let mut text = String::new();
            for e in std::fs::read_dir(&dir).unwrap().flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with("fail_configuration_only") && !name.ends_with(".expect") {
                    text.push_str(&std::fs::read_to_string(e.path()).unwrap());
                }
            }
            for t in list.iter() {
                assert!(seen.insert(t.to_ascii_lowercase()), "{t} is listed twice");
                let prefix_ok = match cloud {
                    "aws" => t.starts_with("aws_"),
                    "azure" => t.starts_with("azurerm_") || t.starts_with("Microsoft."),
                    "oci" => t.starts_with("oci_"),
                    _ => t.starts_with("google_"),
                };
                assert!(prefix_ok, "{t} is not a {cloud} type");
                let declared = text.contains(&format!("resource \"{t}\" "))
                    || text.contains(&format!("\"type\": \"{t}\""));
                assert!(
                    declared,
                    "{t} is not declared in fixtures/{rule}/fail_configuration_only*"
                );
                assert!(roles.configuration_only(
                    match cloud {
                        "aws" => crate::settings::Cloud::Aws,
                        "azure" => crate::settings::Cloud::Azure,
                        "oci" => crate::settings::Cloud::Oci,
                        _ => crate::settings::Cloud::Gcp,
                    },
                    t
                ));
            }
        }
        // A type that stores data is never exempt.
        for (cloud, t) in [
            (crate::settings::Cloud::Aws, "aws_s3_bucket"),
            (crate::settings::Cloud::Aws, "aws_db_instance"),
            (crate::settings::Cloud::Azure, "azurerm_storage_account"),
            (
                crate::settings::Cloud::Azure,
                "Microsoft.Storage/storageAccounts",
            ),
            (crate::settings::Cloud::Gcp, "google_sql_database_instance"),
            (crate::settings::Cloud::Oci, "oci_objectstorage_bucket"),
        ] {
            assert!(!roles.configuration_only(cloud, t), "{t}");
        }
    }
}
