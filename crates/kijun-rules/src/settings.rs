//! What the organisation decided (allowed regions, ports, retention): the embedded data files,
//! overridden by the project configuration.

use kijun_model::Text;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cloud {
    Aws,
    Azure,
    Gcp,
    Oci,
}

impl Cloud {
    pub fn key(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Azure => "azure",
            Cloud::Gcp => "gcp",
            Cloud::Oci => "oci",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    /// Allowed region codes per cloud, lower case.
    pub allowed_regions: BTreeMap<Cloud, Vec<String>>,
    /// Known region code → (name, country ja, country en), for messages.
    known: BTreeMap<(Cloud, String), (String, Text)>,
    /// Region keys some tools accept for a region code (OCI's `NRT` for `ap-tokyo-1`), lower
    /// case → region code.
    region_keys: BTreeMap<(Cloud, String), String>,
    pub gcp_allowed_dual_regions: Vec<String>,
    /// Remote-administration ports (N1): SSH, RDP, WinRM, VNC, Telnet, alternative SSH.
    pub admin_ports: Vec<(u32, u32)>,
    /// Ports that may be open to the internet on resources meant to be public (N2).
    pub public_ports: Vec<u32>,
    /// Source ranges the organisation declares as its own administration networks.
    pub admin_cidrs: Vec<String>,
    /// IPv6 is intended (第117条); when false, IPv6 settings are findings (第118条).
    pub ipv6_intended: bool,
    /// Minimum log retention (第132条第2項), days.
    pub min_retention_days: f64,
    /// Tags every taggable resource must carry to be reconciled with the information-system
    /// ledger (第69条第2項); empty = the organisation has no such convention (C4 inactive).
    pub required_tags: Vec<String>,
    /// Provider sources approved for use (`hashicorp/aws`…); empty = the shipped register.
    pub approved_providers: Vec<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::from_data(crate::DATA_FILES)
    }
}

fn strings(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str())
                .map(|s| s.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

impl Settings {
    pub fn from_data(files: &[(&str, &str)]) -> Settings {
        let mut s = Settings {
            allowed_regions: BTreeMap::new(),
            known: BTreeMap::new(),
            region_keys: BTreeMap::new(),
            gcp_allowed_dual_regions: Vec::new(),
            admin_ports: vec![
                (22, 22),
                (23, 23),
                (2222, 2222),
                (3389, 3389),
                (5900, 5900),
                (5985, 5986),
            ],
            public_ports: vec![80, 443],
            admin_cidrs: Vec::new(),
            ipv6_intended: false,
            min_retention_days: 365.0,
            required_tags: Vec::new(),
            approved_providers: Vec::new(),
        };
        let Some((_, text)) = files.iter().find(|(n, _)| *n == "regions.toml") else {
            return s;
        };
        let Ok(doc) = toml::from_str::<toml::Table>(text) else {
            return s;
        };
        let countries = doc.get("country").and_then(|c| c.as_table());
        for cloud in [Cloud::Aws, Cloud::Azure, Cloud::Gcp, Cloud::Oci] {
            let Some(t) = doc.get(cloud.key()).and_then(|x| x.as_table()) else {
                continue;
            };
            s.allowed_regions.insert(cloud, strings(t.get("allowed")));
            if let Some(known) = t.get("known").and_then(|k| k.as_table()) {
                for (code, v) in known {
                    let name = v
                        .get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string();
                    let cc = v.get("country").and_then(|n| n.as_str()).unwrap_or("");
                    let country = countries
                        .and_then(|c| c.get(cc))
                        .map(|c| {
                            Text::new(
                                c.get("ja").and_then(|x| x.as_str()).unwrap_or(cc),
                                c.get("en").and_then(|x| x.as_str()).unwrap_or(cc),
                            )
                        })
                        .unwrap_or_else(|| Text::new(cc, cc));
                    s.known.insert((cloud, normalise(code)), (name, country));
                }
            }
            if let Some(keys) = t.get("keys").and_then(|k| k.as_table()) {
                for (key, code) in keys {
                    if let Some(code) = code.as_str() {
                        s.region_keys
                            .insert((cloud, normalise(key)), normalise(code));
                    }
                }
            }
            if cloud == Cloud::Gcp {
                s.gcp_allowed_dual_regions = strings(t.get("allowed_dual_regions"));
            }
        }
        s
    }

    /// Whether a region/location code is allowed. Azure display names ("Japan East") and GCP
    /// zones ("asia-northeast1-a") count as their region.
    pub fn region_allowed(&self, cloud: Cloud, code: &str) -> bool {
        let code = self.region_code(cloud, code);
        let allowed = self
            .allowed_regions
            .get(&cloud)
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        if allowed.iter().any(|a| normalise(a) == code) {
            return true;
        }
        if cloud == Cloud::Gcp {
            if let Some(region) = gcp_zone_region(&code) {
                return allowed.iter().any(|a| normalise(a) == region);
            }
            return self
                .gcp_allowed_dual_regions
                .iter()
                .any(|d| normalise(d) == code);
        }
        false
    }

    /// "us-east-1 (United States)" / "us-east-1（米国）".
    pub fn describe_region(&self, cloud: Cloud, code: &str) -> Text {
        let mut key = self.region_code(cloud, code);
        if cloud == Cloud::Gcp {
            if let Some(r) = gcp_zone_region(&key) {
                key = r;
            }
        }
        match self.known.get(&(cloud, key)) {
            Some((_, country)) => Text::new(
                format!("{code}（{}）", country.ja),
                format!("{code} ({})", country.en),
            ),
            None => Text::new(code.to_string(), code.to_string()),
        }
    }

    /// The region code a value names: itself (normalised), or the region its key stands for.
    fn region_code(&self, cloud: Cloud, code: &str) -> String {
        let code = normalise(code);
        self.region_keys
            .get(&(cloud, code.clone()))
            .cloned()
            .unwrap_or(code)
    }

    pub fn allowed_list(&self, cloud: Cloud) -> String {
        self.allowed_regions
            .get(&cloud)
            .map(|v| v.join(", "))
            .unwrap_or_default()
    }
}

/// Azure compares locations without case or spaces ("Japan East" == "japaneast").
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// `asia-northeast1-a` → `asia-northeast1`.
fn gcp_zone_region(code: &str) -> Option<String> {
    let (region, zone) = code.rsplit_once('-')?;
    if zone.len() == 1
        && zone.chars().all(|c| c.is_ascii_lowercase())
        && region.chars().last().is_some_and(|c| c.is_ascii_digit())
    {
        Some(region.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japan_is_allowed_by_default() {
        let s = Settings::default();
        assert!(s.region_allowed(Cloud::Aws, "ap-northeast-1"));
        assert!(!s.region_allowed(Cloud::Aws, "us-east-1"));
        assert!(s.region_allowed(Cloud::Azure, "Japan East"));
        assert!(s.region_allowed(Cloud::Gcp, "asia-northeast1-b"));
        assert!(s.region_allowed(Cloud::Gcp, "ASIA1"));
        assert!(!s.region_allowed(Cloud::Gcp, "ASIA"));
        assert_eq!(
            s.describe_region(Cloud::Aws, "us-east-1").en,
            "us-east-1 (United States)"
        );
    }
}
