//! KJ-E3-004 `cloudfront-tls-below-1-2`: a CloudFront distribution whose viewers may connect
//! with TLS below 1.2 (the default `*.cloudfront.net` certificate, or a `minimum_protocol_version`
//! below TLSv1.2), or that talks to a custom origin with SSLv3, TLS 1.0 or TLS 1.1.
//!
//! This file also holds the reader of the cloud TLS-policy table of `policies/data/cryptrec.toml`
//! (`[[tls_policy]]`, `[cipher_class]`, `[tls_verdict]`), shared by KJ-E3-004 to KJ-E3-007 and
//! KJ-E4-001 to KJ-E4-003. (KJ-E3-001 predates it and keeps its own reader for `aws-elb`.)
//!
//! why: 第133条第2項 asks for protocols chosen on the basis of the CRYPTREC list and 第134条第1項第2号
//! for following protocol weaknesses; the recommended level of the CRYPTREC TLS guideline
//! (推奨セキュリティ型) accepts TLS 1.2 and later only.

use super::cryptrec;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One named TLS policy of a cloud: its minimum protocol version and the weak ciphers it enables.
#[derive(Debug)]
pub struct TlsPolicy {
    pub name: String,
    /// "SSLv3", "1.0", "1.1", "1.2", "1.3".
    pub min_tls: String,
    pub weak_ciphers: Vec<String>,
    /// Whether the table's entry was confirmed against a primary source.
    pub verified: bool,
}

struct Tables {
    /// (platform, lower-case name or alias) → policy.
    policies: HashMap<(String, String), TlsPolicy>,
    order: Vec<String>,
    required: String,
    classes: HashMap<String, String>,
    patterns: Vec<(String, String)>,
    suffixes: Vec<(String, String)>,
    fail_classes: Vec<String>,
}

fn strs(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|x| x.as_array())
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Tables {
            policies: HashMap::new(),
            order: ["SSLv3", "1.0", "1.1", "1.2", "1.3"]
                .map(String::from)
                .to_vec(),
            required: "1.2".to_string(),
            classes: HashMap::new(),
            patterns: Vec::new(),
            suffixes: Vec::new(),
            fail_classes: ["3des", "rc4", "des", "null", "export", "anon", "md5"]
                .map(String::from)
                .to_vec(),
        };
        let Some(doc) = cryptrec::data() else {
            return t;
        };
        if let Some(v) = doc.get("tls_verdict") {
            let order = strs(v.get("protocol_order"));
            if !order.is_empty() {
                t.order = order;
            }
            let fail = strs(v.get("fail_cipher_classes"));
            if !fail.is_empty() {
                t.fail_classes = fail;
            }
        }
        if let Some(g) = doc.get("tls_guideline") {
            let level = g.get("kijun_default_level").and_then(|v| v.as_str());
            if let Some(req) = g
                .get("level")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .find(|l| l.get("id").and_then(|v| v.as_str()) == level)
                .and_then(|l| l.get("min_tls"))
                .and_then(|v| v.as_str())
            {
                t.required = req.to_string();
            }
        }
        if let Some(c) = doc.get("cipher_class").and_then(|v| v.as_table()) {
            for (k, v) in c {
                if let Some(class) = v.as_str() {
                    t.classes.insert(k.to_ascii_lowercase(), class.to_string());
                }
            }
        }
        if let Some(p) = doc.get("cipher_class_patterns") {
            for pair in p
                .get("patterns")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                let items = strs(Some(pair));
                if let [pat, class] = items.as_slice() {
                    t.patterns.push((pat.to_ascii_lowercase(), class.clone()));
                }
            }
            if let Some(s) = p.get("suffix_rules").and_then(|v| v.as_table()) {
                for (k, v) in s {
                    if let Some(class) = v.as_str() {
                        t.suffixes.push((k.to_ascii_lowercase(), class.to_string()));
                    }
                }
            }
        }
        for p in doc
            .get("tls_policy")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let (Some(platform), Some(name), Some(min)) = (
                p.get("platform").and_then(|v| v.as_str()),
                p.get("name").and_then(|v| v.as_str()),
                p.get("min_tls").and_then(|v| v.as_str()),
            ) else {
                continue;
            };
            let mut names = vec![name.to_string()];
            names.extend(strs(p.get("aliases")));
            for n in names {
                t.policies.insert(
                    (platform.to_string(), n.to_ascii_lowercase()),
                    TlsPolicy {
                        name: name.to_string(),
                        min_tls: min.to_string(),
                        weak_ciphers: strs(p.get("weak_ciphers")),
                        verified: p.get("verified").and_then(|v| v.as_bool()) != Some(false),
                    },
                );
            }
        }
        t
    })
}

/// The policy `name` of `platform` ("aws-cloudfront", "azure-appgw" …), compared without case.
pub fn policy(platform: &str, name: &str) -> Option<&'static TlsPolicy> {
    tables()
        .policies
        .get(&(platform.to_string(), name.trim().to_ascii_lowercase()))
}

/// The lowest protocol version the configured CRYPTREC guideline level accepts ("1.2").
pub fn required() -> &'static str {
    &tables().required
}

/// Whether protocol version `v` ("1.0", "SSLv3") is below the required minimum.
pub fn below_required(v: &str) -> bool {
    let t = tables();
    let rank = |x: &str| t.order.iter().position(|o| o == x);
    matches!((rank(v), rank(&t.required)), (Some(a), Some(b)) if a < b)
}

/// "TLS 1.0", "SSLv3".
pub fn tls_text(v: &str) -> String {
    if v.starts_with("SSL") {
        v.to_string()
    } else {
        format!("TLS {v}")
    }
}

/// The class of a cipher-suite name ("3des", "rc4", "cbc_sha1" …) per `[cipher_class]`, the
/// ordered patterns and then the suffix rules.
pub fn cipher_class(name: &str) -> Option<String> {
    let t = tables();
    let n = name.trim().to_ascii_lowercase();
    if let Some(c) = t.classes.get(&n) {
        return Some(c.clone());
    }
    if let Some((_, c)) = t.patterns.iter().find(|(p, _)| n.contains(p.as_str())) {
        return Some(c.clone());
    }
    t.suffixes
        .iter()
        .find(|(s, _)| n.ends_with(s.as_str()))
        .map(|(_, c)| c.clone())
}

/// Whether a cipher class is one the recommended level forbids (3DES, RC4, NULL …).
pub fn is_fail_class(class: &str) -> bool {
    tables().fail_classes.iter().any(|c| c == class)
}

/// The ciphers of `ciphers` whose class the recommended level forbids, with that class.
pub fn failing<'a>(ciphers: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    ciphers
        .into_iter()
        .filter_map(|c| {
            let class = cipher_class(c)?;
            is_fail_class(&class).then(|| (c.to_string(), class))
        })
        .collect()
}

/// A value missing from kijun's table: not evaluated, never passed.
pub fn not_in_table(n: &Node, attr: &str) -> Hit {
    let name = n.display();
    Hit {
        not_evaluated: true,
        ..Hit::value(
            n,
            util::t(
                format!("`{attr}` の値 {name} は kijun の TLS ポリシー表（policies/data/cryptrec.toml）にないため、最低 TLS バージョンを判定できません"),
                format!("`{attr}` is {name}, which kijun's table of TLS policies (policies/data/cryptrec.toml) does not list, so its minimum TLS version cannot be judged"),
            ),
        )
    }
}

/// "`attr` is "X", which accepts TLS 1.0 and later (TLS 1.2 is the minimum required)".
pub fn accepts_text(base: Text, min: &str) -> Text {
    let min = tls_text(min);
    let req = tls_text(required());
    util::t(
        format!(
            "{}。このポリシーは {min} 以上を受け入れます（必要な最低バージョンは {req}）",
            base.ja
        ),
        format!(
            "{}, which accepts {min} and later ({req} is the minimum required)",
            base.en
        ),
    )
}

// ------------------------------------------------------------------------------------------------
// KJ-E3-004 itself
// ------------------------------------------------------------------------------------------------

/// Documented default of `viewer_certificate.minimum_protocol_version`.
const DEFAULT_VIEWER_POLICY: &str = "TLSv1";

/// Protocols of `origin_ssl_protocols` below TLS 1.2.
const WEAK_ORIGIN_PROTOCOLS: [&str; 3] = ["SSLv3", "TLSv1", "TLSv1.1"];

fn viewer(r: &Resource, out: &mut Vec<Hit>) {
    let Some(vc) = util::set(r, "viewer_certificate") else {
        return;
    };
    if vc.is_unknown() {
        out.push(Hit::unknown(vc, "viewer_certificate"));
        return;
    }
    let Some(block) = vc.items().into_iter().next() else {
        return;
    };
    let child = |k: &str| block.child(k).filter(|n| !n.is_null());
    if let Some(d) = child("cloudfront_default_certificate") {
        if d.is_unknown() {
            out.push(Hit::unknown(
                d,
                "viewer_certificate.cloudfront_default_certificate",
            ));
            return;
        }
        if d.as_bool() == Some(true) {
            // why: CloudFront ignores minimum_protocol_version for the default certificate and
            // accepts TLSv1 (TLS 1.0) and later (provider documentation, viewer_certificate).
            out.push(Hit::value(
                d,
                util::t(
                    format!("`viewer_certificate.cloudfront_default_certificate` が true です。既定の *.cloudfront.net 証明書では CloudFront が TLSv1（TLS 1.0 以上）を強制し、最低バージョンを {} 以上にできません", tls_text(required())),
                    format!("`viewer_certificate.cloudfront_default_certificate` is true; with the default *.cloudfront.net certificate CloudFront forces TLSv1 (TLS 1.0 and later) and the minimum cannot be raised to {}", tls_text(required())),
                ),
            ));
            return;
        }
    }
    let attr = "viewer_certificate.minimum_protocol_version";
    match child("minimum_protocol_version") {
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
        Some(n) => {
            let Some(name) = n.as_str() else {
                return;
            };
            match policy("aws-cloudfront", name) {
                None => out.push(not_in_table(n, attr)),
                Some(p) if below_required(&p.min_tls) => {
                    out.push(Hit::value(n, accepts_text(util::is(attr, n), &p.min_tls)))
                }
                Some(_) => {}
            }
        }
        None => {
            let min = policy("aws-cloudfront", DEFAULT_VIEWER_POLICY)
                .map(|p| p.min_tls.clone())
                .unwrap_or_else(|| "1.0".to_string());
            if below_required(&min) {
                out.push(Hit::value(
                    block,
                    accepts_text(util::unset(attr, DEFAULT_VIEWER_POLICY), &min),
                ));
            }
        }
    }
}

fn origins(r: &Resource, out: &mut Vec<Hit>) {
    let Some(origins) = util::set(r, "origin") else {
        return;
    };
    if origins.is_unknown() {
        out.push(Hit::unknown(origins, "origin"));
        return;
    }
    let attr = "origin.custom_origin_config.origin_ssl_protocols";
    for o in origins.items() {
        for c in o
            .child("custom_origin_config")
            .map(|n| n.items())
            .unwrap_or_default()
        {
            if c.is_unknown() {
                out.push(Hit::unknown(c, "origin.custom_origin_config"));
                continue;
            }
            let Some(p) = c.child("origin_ssl_protocols").filter(|n| !n.is_null()) else {
                continue;
            };
            let (list, unknown) = p.strings();
            if unknown {
                out.push(Hit::unknown(p, attr));
            }
            for (s, node) in list {
                if WEAK_ORIGIN_PROTOCOLS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(s.trim()))
                {
                    out.push(Hit::value(
                        node,
                        util::t(
                            format!(
                                "`{attr}` にオリジンとの通信で {s} を使用する設定が含まれています"
                            ),
                            format!("`{attr}` lets CloudFront talk to the origin with {s}"),
                        ),
                    ));
                }
            }
        }
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if cryptrec::data().is_none() {
        out.push(cryptrec::no_data(r));
        return;
    }
    viewer(r, out);
    origins(r, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read() {
        assert_eq!(required(), "1.2");
        let p = policy("aws-cloudfront", "tlsv1.2_2021").map(|p| p.min_tls.as_str());
        assert_eq!(p, Some("1.2"));
        assert!(below_required("1.0"));
        assert!(below_required("SSLv3"));
        assert!(!below_required("1.3"));
        assert_eq!(cipher_class("DES-CBC3-SHA").as_deref(), Some("3des"));
        assert_eq!(
            cipher_class("TLS_RSA_WITH_3DES_EDE_CBC_SHA").as_deref(),
            Some("3des")
        );
        assert_eq!(
            cipher_class("ECDHE-RSA-AES128-SHA").as_deref(),
            Some("cbc_sha1")
        );
        assert_eq!(cipher_class("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), None);
        assert_eq!(
            failing(["RC4-MD5", "AES128-SHA"]),
            vec![("RC4-MD5".to_string(), "rc4".to_string())]
        );
        assert!(policy("azure-appgw", "AppGwSslPolicy20150501").is_some());
    }
}
