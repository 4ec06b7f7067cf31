//! `policies/data/cryptrec.toml` (read once, in [`crate::data`]) and the verdict logic of its header: "ok",
//! "warn" (112-bit security, or outside the e-Government list but not known to be broken;
//! acceptable until `[strength].allowed_until`) and "fail". Shared by the E3–E6 rules.

use crate::{util, Hit, CATALOGUE_VERSION};
use kijun_model::{format_number, Node, Resource, Text, Value};

/// The whole of `cryptrec.toml` (parsed once, in [`crate::data`]); `None` when it cannot be read.
pub fn data() -> Option<&'static toml::Table> {
    crate::data::data().cryptrec.as_ref().map(|c| &c.raw)
}

/// How an Azure VPN connection spells its IPsec settings: Terraform's
/// `azurerm_virtual_network_gateway_connection` at the top (`type`, `connection_protocol`,
/// `ipsec_policy` blocks), ARM's `Microsoft.Network/connections` under `properties`
/// (`connectionType`, `connectionProtocol`, `ipsecPolicies[]`). The six policy settings are
/// `(column of [ipsec.azure], the platform's name)`: the values are the same on both.
#[derive(Clone, Copy, Debug)]
pub struct IpsecConnectionNames {
    pub props: Option<&'static str>,
    pub connection_type: &'static str,
    pub protocol: &'static str,
    pub policies: &'static str,
    pub fields: [(&'static str, &'static str); 6],
}

pub const AZURE_IPSEC_CONNECTION: crate::facts::platform::ByPlatform<IpsecConnectionNames> =
    crate::facts::platform::ByPlatform::azure(
        IpsecConnectionNames {
            props: None,
            connection_type: "type",
            protocol: "connection_protocol",
            policies: "ipsec_policy",
            fields: [
                ("dh_group", "dh_group"),
                ("ike_encryption", "ike_encryption"),
                ("ike_integrity", "ike_integrity"),
                ("ipsec_encryption", "ipsec_encryption"),
                ("ipsec_integrity", "ipsec_integrity"),
                ("pfs_group", "pfs_group"),
            ],
        },
        IpsecConnectionNames {
            props: Some("properties"),
            connection_type: "connectionType",
            protocol: "connectionProtocol",
            policies: "ipsecPolicies",
            fields: [
                ("dh_group", "dhGroup"),
                ("ike_encryption", "ikeEncryption"),
                ("ike_integrity", "ikeIntegrity"),
                ("ipsec_encryption", "ipsecEncryption"),
                ("ipsec_integrity", "ipsecIntegrity"),
                ("pfs_group", "pfsGroup"),
            ],
        },
    );

impl IpsecConnectionNames {
    /// A connection setting and the path findings quote (`properties.ipsecPolicies`); `Err`
    /// carries an unknown `properties` object.
    pub fn setting<'a>(
        &self,
        r: &'a Resource,
        key: &str,
    ) -> (Result<Option<&'a Node>, &'a Node>, String) {
        crate::facts::platform::setting_in(r, self.props, key)
    }
}

/// A nested table, e.g. `["ipsec", "aws"]`.
pub fn table(path: &[&str]) -> Option<&'static toml::Table> {
    let mut t = data()?;
    for key in path {
        t = t.get(*key)?.as_table()?;
    }
    Some(t)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    Warn,
    Fail,
}

impl Verdict {
    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "ok" => Some(Verdict::Ok),
            "warn" => Some(Verdict::Warn),
            "fail" => Some(Verdict::Fail),
            _ => None,
        }
    }

    /// Whether the verdict is a finding as of the catalogue's date (tests and callers without
    /// a scan date; rules use [`Verdict::reported_on`] with the scan date).
    pub fn reported(self) -> bool {
        self.reported_on(CATALOGUE_VERSION)
    }

    /// Whether the verdict is a finding on `today` (`YYYY-MM-DD`, the scan date `--now`).
    /// why: CRYPTREC accepts 112-bit security until the end of 2030 (data file
    /// `[strength].allowed_until`), so "warn" becomes a finding only after that date. The date
    /// compared is the scan date the caller gives, never the clock: the same input and date
    /// give the same report, and the pure crates read no clock (it does not exist on wasm32).
    pub fn reported_on(self, today: &str) -> bool {
        match self {
            Verdict::Ok => false,
            Verdict::Fail => true,
            // ISO dates compare correctly as strings.
            Verdict::Warn => today > allowed_until().as_str(),
        }
    }

    /// Why the value is not acceptable; `bits` is its security strength when known.
    pub fn reason(self, bits: Option<i64>) -> Text {
        let min = minimum_bits();
        match (self, bits) {
            (Verdict::Warn, Some(b)) if b >= min => {
                let until = allowed_until();
                Text::new(
                    format!(
                        "安全性 {b} ビット相当で、CRYPTREC が認める期限（{until}）を過ぎています"
                    ),
                    format!("{b}-bit security, accepted by CRYPTREC only until {until}"),
                )
            }
            (Verdict::Warn, _) => {
                let until = allowed_until();
                Text::new(
                    format!("電子政府推奨暗号リスト外の値で、認められる期限（{until}）を過ぎています"),
                    format!("outside the e-Government Recommended Ciphers List, accepted only until {until}"),
                )
            }
            (_, Some(b)) if b < min => Text::new(
                format!(
                    "安全性は約 {b} ビットで、CRYPTREC が求める {min} ビット以上を満たしません"
                ),
                format!("about {b}-bit security, below the {min} bits CRYPTREC requires"),
            ),
            _ => Text::new(
                "CRYPTREC 暗号リストに基づく基準では使用できない値です",
                "not acceptable under the CRYPTREC Ciphers List",
            ),
        }
    }
}

/// "2030-12-31": until when 112-bit security is accepted.
pub fn allowed_until() -> String {
    table(&["strength"])
        .and_then(|t| t.get("allowed_until"))
        .map(|v| match v {
            toml::Value::Datetime(d) => d.to_string(),
            other => other.as_str().unwrap_or_default().to_string(),
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "2030-12-31".to_string())
}

pub fn minimum_bits() -> i64 {
    table(&["strength"])
        .and_then(|t| t.get("minimum_bits"))
        .and_then(|v| v.as_integer())
        .unwrap_or(112)
}

/// The string stored under `table[field][key]`, matching the key without regard to case
/// (the table spells values as the provider documents them; Azure compares without case).
pub fn string_of(t: &toml::Table, field: &str, key: &str) -> Option<String> {
    let m = t.get(field)?.as_table()?;
    let v = m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })?;
    v.as_str().map(str::to_string)
}

pub fn verdict_of(t: &toml::Table, field: &str, key: &str) -> Option<Verdict> {
    string_of(t, field, key).and_then(|s| Verdict::parse(&s))
}

/// A `{ fail_below, warn_below }` size rule.
pub fn by_size(t: &toml::Table, field: &str, size: f64) -> Option<Verdict> {
    let m = t.get(field)?.as_table()?;
    let fail = m.get("fail_below")?.as_integer()? as f64;
    let warn = m.get("warn_below")?.as_integer()? as f64;
    Some(if size < fail {
        Verdict::Fail
    } else if size < warn {
        Verdict::Warn
    } else {
        Verdict::Ok
    })
}

/// Security strength of an RSA modulus (or a finite-field DH group) of `bits`: the entry of
/// `[strength.rsa_modulus]` for the largest listed size not above it.
pub fn rsa_security_bits(bits: f64) -> Option<i64> {
    let t = table(&["strength", "rsa_modulus"])?;
    t.iter()
        .filter_map(|(k, v)| Some((k.parse::<f64>().ok()?, v.as_integer()?)))
        .filter(|(size, _)| *size <= bits)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// Security strength of a named curve ("P224", "P-256", "secp256k1").
pub fn ecc_security_bits(curve: &str) -> Option<i64> {
    let t = table(&["strength", "ecc_curve"])?;
    let norm = |s: &str| s.replace('-', "").to_ascii_lowercase();
    let want = norm(curve);
    t.iter()
        .find(|(k, _)| norm(k) == want)
        .and_then(|(_, v)| v.as_integer())
}

/// Security strength of an IKE Diffie-Hellman group (IANA number).
pub fn dh_security_bits(group: i64) -> Option<i64> {
    table(&["strength", "dh_group"])?
        .get(&group.to_string())?
        .as_integer()
}

/// A short explanation for well-known weak primitives, shown beside the generic reason.
pub fn weak_primitive(name: &str) -> Option<Text> {
    let n = name.to_ascii_uppercase();
    let (ja, en) = match n.as_str() {
        "SHA1" | "SHA-1" => (
            "SHA-1 は運用監視暗号リストにのみ掲載されています",
            "SHA-1 is only on the Monitored Ciphers List",
        ),
        "MD5" => ("MD5 は危殆化しています", "MD5 is broken"),
        "DES" => (
            "DES は鍵長 56 ビットで危殆化しています",
            "DES has a 56-bit key and is broken",
        ),
        "DES3" | "3DES" => (
            "3DES は 64 ビットブロック暗号で、新規利用は認められません",
            "3DES is a 64-bit block cipher, not accepted for new use",
        ),
        "NONE" => ("暗号化又は保護が行われません", "no protection at all"),
        "SM2" => (
            "SM2 は CRYPTREC 暗号リストに掲載されていません",
            "SM2 is not on the CRYPTREC Ciphers List",
        ),
        _ => return None,
    };
    Some(Text::new(ja, en))
}

/// `base（reason）` / `base (reason)`.
pub fn with_reason(base: Text, reason: Text) -> Text {
    Text::new(
        format!("{}（{}）", base.ja, reason.ja),
        format!("{} ({})", base.en, reason.en),
    )
}

/// The finding for one key parameter the table graded `v` (`bits`: its security strength, for
/// the reason), or none when the verdict is not a finding on `today`. `node` is the value the
/// configuration sets; without one, `default` applies and the resource is reported.
pub fn judged(
    r: &Resource,
    attr: &str,
    node: Option<&Node>,
    default: &str,
    v: Verdict,
    bits: Option<i64>,
    today: &str,
) -> Option<Hit> {
    if !v.reported_on(today) {
        return None;
    }
    let reason = v.reason(bits);
    Some(match node {
        Some(n) => Hit::value(n, with_reason(util::is(attr, n), reason)),
        None => Hit::missing(r, with_reason(util::unset(attr, default), reason)),
    })
}

/// A value kijun's CRYPTREC table does not know: reported as not evaluated, never passed.
pub fn not_in_table(node: &Node, attr: &str) -> Hit {
    let v = node.display();
    Hit {
        not_evaluated: true,
        ..Hit::value(
            node,
            Text::new(
                format!(
                    "`{attr}` の値 {v} は CRYPTREC 判定表（cryptrec.toml）にないため判定できません"
                ),
                format!(
                    "`{attr}` is {v}, which kijun's CRYPTREC table (cryptrec.toml) does not list"
                ),
            ),
        )
    }
}

/// The data file is missing or unreadable (a build defect): nothing can be judged.
pub fn no_data(r: &Resource) -> Hit {
    Hit {
        not_evaluated: true,
        ..Hit::missing(
            r,
            util::t(
                "CRYPTREC 判定表（cryptrec.toml）を読み込めないため判定できません",
                "kijun's CRYPTREC table (cryptrec.toml) could not be read",
            ),
        )
    }
}

/// A scalar as the table spells its keys: strings as they are, numbers without ".0".
pub fn key_text(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_the_checks_read_are_present() {
        for path in [
            &["keys", "tls_private_key"][..],
            &["keys", "aws_kms"],
            &["keys", "aws_acm"],
            &["keys", "azure_key_vault"],
            &["keys", "gcp_kms"],
            &["keys", "ssh_public_key"],
            &["ipsec", "aws"],
            &["ipsec", "azure"],
            &["strength", "rsa_modulus"],
            &["strength", "ecc_curve"],
            &["strength", "dh_group"],
        ] {
            assert!(table(path).is_some(), "cryptrec.toml lacks {path:?}");
        }
        assert_eq!(allowed_until(), "2030-12-31");
        assert_eq!(minimum_bits(), 112);
    }

    #[test]
    fn strengths_and_verdicts() {
        assert_eq!(rsa_security_bits(1024.0), Some(80));
        assert_eq!(rsa_security_bits(1536.0), Some(80));
        assert_eq!(rsa_security_bits(2048.0), Some(112));
        assert_eq!(ecc_security_bits("P224"), Some(112));
        assert_eq!(dh_security_bits(2), Some(80));
        let t = table(&["keys", "tls_private_key"]).unwrap();
        assert_eq!(by_size(t, "rsa_bits", 1024.0), Some(Verdict::Fail));
        assert_eq!(by_size(t, "rsa_bits", 2048.0), Some(Verdict::Warn));
        assert_eq!(by_size(t, "rsa_bits", 4096.0), Some(Verdict::Ok));
        assert_eq!(verdict_of(t, "ecdsa_curve", "p224"), Some(Verdict::Warn));
        assert!(Verdict::Fail.reported());
        assert!(!Verdict::Ok.reported());
        // The catalogue is dated before 2030-12-31, so 112-bit values are still accepted.
        assert!(!Verdict::Warn.reported());
    }

    /// The reason printed beside a finding names a strength and a deadline only where they
    /// apply, and the broken primitives users still meet get their own explanation.
    #[test]
    fn reasons_say_why_a_value_is_refused() {
        let warn = Verdict::Warn.reason(Some(112));
        assert_eq!(
            warn.en,
            "112-bit security, accepted by CRYPTREC only until 2030-12-31"
        );
        assert!(warn.ja.contains("2030-12-31"), "{}", warn.ja);
        // A "warn" whose strength is below the minimum is never described as accepted for its
        // strength: 80-bit security is not accepted at all.
        let weak = Verdict::Warn.reason(Some(80));
        assert!(!weak.en.contains("80-bit"), "{}", weak.en);
        assert!(
            Verdict::Warn
                .reason(None)
                .en
                .starts_with("outside the e-Government Recommended Ciphers List"),
            "{}",
            Verdict::Warn.reason(None).en
        );
        assert_eq!(
            Verdict::Fail.reason(Some(80)).en,
            "about 80-bit security, below the 112 bits CRYPTREC requires"
        );
        assert_eq!(
            Verdict::Fail.reason(None).en,
            "not acceptable under the CRYPTREC Ciphers List"
        );
        for (name, says) in [
            ("DES", "56-bit key"),
            ("des", "56-bit key"),
            ("3DES", "64-bit block cipher"),
            ("DES3", "64-bit block cipher"),
            ("SHA1", "Monitored Ciphers List"),
            ("sha-1", "Monitored Ciphers List"),
            ("MD5", "broken"),
            ("None", "no protection"),
            ("SM2", "not on the CRYPTREC Ciphers List"),
        ] {
            let t = weak_primitive(name).unwrap_or_else(|| panic!("{name}: no explanation"));
            assert!(t.en.contains(says), "{name}: {}", t.en);
            assert!(!t.ja.is_empty(), "{name}: no Japanese text");
        }
        assert_eq!(weak_primitive("AES256"), None);
    }
}
