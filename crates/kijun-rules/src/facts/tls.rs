//! TLS policies: the cloud TLS-policy table of `policies/data/cryptrec.toml` (`[[tls_policy]]`,
//! `[cipher_class]`, `[tls_verdict]`, the guideline level kijun applies) read into one shape:
//! a named policy's minimum protocol version and weak ciphers, and the class of a cipher suite.
//! Used by the E3 (protocol version) and E4 (cipher suite) rules of every cloud.

use crate::facts::platform::{ByPlatform, Spelling};
use crate::{util, Hit};
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
        let Some(doc) = crate::data::data().cryptrec.as_ref().map(|c| &c.tls) else {
            return t;
        };
        if let Some(v) = &doc.tls_verdict {
            if !v.protocol_order.is_empty() {
                t.order = v.protocol_order.clone();
            }
            if !v.fail_cipher_classes.is_empty() {
                t.fail_classes = v.fail_cipher_classes.clone();
            }
        }
        if let Some(g) = &doc.tls_guideline {
            if let Some(req) = g
                .level
                .iter()
                .find(|l| l.id == g.kijun_default_level)
                .and_then(|l| l.min_tls.as_ref())
            {
                t.required = req.clone();
            }
        }
        for (k, class) in &doc.cipher_class {
            t.classes.insert(k.to_ascii_lowercase(), class.clone());
        }
        if let Some(p) = &doc.cipher_class_patterns {
            for pair in &p.patterns {
                if let [pat, class] = pair.as_slice() {
                    t.patterns.push((pat.to_ascii_lowercase(), class.clone()));
                }
            }
            for (k, class) in &p.suffix_rules {
                t.suffixes.push((k.to_ascii_lowercase(), class.clone()));
            }
        }
        for p in &doc.tls_policy {
            let names = std::iter::once(&p.name).chain(&p.aliases);
            for n in names {
                t.policies.insert(
                    (p.platform.clone(), n.to_ascii_lowercase()),
                    TlsPolicy {
                        name: p.name.clone(),
                        min_tls: p.min_tls.clone(),
                        weak_ciphers: p.weak_ciphers.clone(),
                        verified: p.verified != Some(false),
                    },
                );
            }
        }
        t
    })
}

/// Protocol versions from oldest to newest ("SSLv3", "1.0" … "1.3").
pub fn order() -> &'static [String] {
    &tables().order
}

/// Protocol version ("1.2") of an Application Gateway `min_protocol_version` ("TLSv1_2"),
/// compared without case.
pub fn appgw_min_version(v: &str) -> Option<String> {
    let t = &crate::data::data().cryptrec.as_ref()?.tls;
    t.azure_appgw_min_protocol_version
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(v.trim()))
        .map(|(_, x)| x.clone())
}

/// How an Application Gateway spells its TLS settings: Terraform's `azurerm_application_gateway`
/// has blocks at the top (`ssl_policy`, `ssl_profile`, `http_listener`); ARM's
/// `Microsoft.Network/applicationGateways` has them under `properties`, and each profile and
/// listener keeps its own settings under its `properties`.
#[derive(Clone, Copy, Debug)]
pub struct AppGwNames {
    /// The object holding the gateway's settings; `None` for the resource itself.
    pub props: Option<&'static str>,
    /// The object holding a profile's or listener's settings; `None` for the element itself.
    pub element_props: Option<&'static str>,
    pub policy: &'static str,
    pub profiles: &'static str,
    pub listeners: &'static str,
    pub protocol: &'static str,
    pub policy_type: &'static str,
    pub policy_name: &'static str,
    pub min_protocol_version: &'static str,
    pub disabled_protocols: &'static str,
    pub cipher_suites: &'static str,
}

pub const APPGW: ByPlatform<AppGwNames> = ByPlatform::azure(
    AppGwNames {
        props: None,
        element_props: None,
        policy: "ssl_policy",
        profiles: "ssl_profile",
        listeners: "http_listener",
        protocol: "protocol",
        policy_type: "policy_type",
        policy_name: "policy_name",
        min_protocol_version: "min_protocol_version",
        disabled_protocols: "disabled_protocols",
        cipher_suites: "cipher_suites",
    },
    AppGwNames {
        props: Some("properties"),
        element_props: Some("properties"),
        policy: "sslPolicy",
        profiles: "sslProfiles",
        listeners: "httpListeners",
        protocol: "protocol",
        policy_type: "policyType",
        policy_name: "policyName",
        min_protocol_version: "minProtocolVersion",
        disabled_protocols: "disabledSslProtocols",
        cipher_suites: "cipherSuites",
    },
);

impl AppGwNames {
    /// A gateway setting (`ssl_policy` / `properties.sslPolicy`) and the path findings quote.
    /// `Err` carries an unknown `properties` object.
    pub fn setting<'a>(
        &self,
        r: &'a Resource,
        key: &str,
    ) -> (Result<Option<&'a Node>, &'a Node>, String) {
        crate::facts::platform::setting_in(r, self.props, key)
    }

    /// A setting of one profile or listener (`protocol` / `properties.protocol`).
    pub fn of_element<'a>(&self, element: &'a Node, key: &str) -> Option<&'a Node> {
        match self.element_props {
            None => element.child(key),
            Some(p) => element.child(p).and_then(|n| n.child(key)),
        }
        .filter(|n| !n.is_null())
    }
}

/// Whether an Application Gateway terminates TLS at all: `Some(false)` when every listener is
/// plain HTTP, `None` when that cannot be known.
pub fn appgw_terminates_tls(r: &Resource) -> Option<bool> {
    let names = APPGW.of(r);
    let listeners = names.setting(r, names.listeners).0.ok()??;
    if listeners.is_unknown() {
        return None;
    }
    let mut unknown = false;
    for l in listeners.items() {
        match names.of_element(l, names.protocol) {
            Some(p) if p.is_unknown() => unknown = true,
            Some(p) if p.as_str().is_some_and(|s| s.eq_ignore_ascii_case("https")) => {
                return Some(true)
            }
            _ => {}
        }
    }
    if unknown {
        None
    } else {
        Some(false)
    }
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

/// The protocol of an Elastic Load Balancing v2 listener (`aws_lb_listener`,
/// `AWS::ElasticLoadBalancingV2::Listener`): HTTPS and TLS listeners negotiate TLS.
pub const LISTENER_PROTOCOL: Spelling = Spelling::aws("protocol", "Protocol");

/// The named security policy of an ELB v2 listener.
pub const LISTENER_SSL_POLICY: Spelling = Spelling::aws("ssl_policy", "SslPolicy");

/// The security policy AWS applies to an HTTPS/TLS listener whose `ssl_policy` / `SslPolicy` is
/// unset (`policies/data/defaults.toml`, `[aws_elb].default_ssl_policy`); its protocols and
/// ciphers are in the TLS policy table like any named policy.
pub fn elb_default_policy() -> &'static str {
    crate::data::data()
        .defaults
        .as_ref()
        .map(|d| d.aws_elb.default_ssl_policy.as_str())
        .unwrap_or("ELBSecurityPolicy-2016-08")
}

/// The security policy of an API Gateway custom domain name (`aws_api_gateway_domain_name`,
/// `AWS::ApiGateway::DomainName`).
pub const APIGW_SECURITY_POLICY: Spelling = Spelling::aws("security_policy", "SecurityPolicy");

/// The endpoint options of an OpenSearch / Elasticsearch domain (`aws_opensearch_domain`,
/// `AWS::OpenSearchService::Domain` …) and, inside them, the TLS policy of its HTTPS endpoint.
pub const OPENSEARCH_ENDPOINT_OPTIONS: Spelling =
    Spelling::aws("domain_endpoint_options", "DomainEndpointOptions");
pub const OPENSEARCH_TLS_POLICY: Spelling =
    Spelling::aws("tls_security_policy", "TLSSecurityPolicy");

/// Where a CloudFront distribution keeps its viewer certificate and origins: Terraform's
/// `aws_cloudfront_distribution` has them at the top; CloudFormation's
/// `AWS::CloudFront::Distribution` under `DistributionConfig`, with the same settings in
/// PascalCase (`OriginSSLProtocols` keeps its acronym).
#[derive(Clone, Copy, Debug)]
pub struct CloudFrontNames {
    /// The object that holds the settings below; `None` for the resource itself.
    pub config: Option<&'static str>,
    pub viewer_certificate: &'static str,
    pub default_certificate: &'static str,
    pub minimum_protocol_version: &'static str,
    pub origins: &'static str,
    pub custom_origin: &'static str,
    pub origin_protocols: &'static str,
}

pub const CLOUDFRONT: ByPlatform<CloudFrontNames> = ByPlatform::aws(
    CloudFrontNames {
        config: None,
        viewer_certificate: "viewer_certificate",
        default_certificate: "cloudfront_default_certificate",
        minimum_protocol_version: "minimum_protocol_version",
        origins: "origin",
        custom_origin: "custom_origin_config",
        origin_protocols: "origin_ssl_protocols",
    },
    CloudFrontNames {
        config: Some("DistributionConfig"),
        viewer_certificate: "ViewerCertificate",
        default_certificate: "CloudFrontDefaultCertificate",
        minimum_protocol_version: "MinimumProtocolVersion",
        origins: "Origins",
        custom_origin: "CustomOriginConfig",
        origin_protocols: "OriginSSLProtocols",
    },
);

/// A listener's default actions (a redirect to HTTPS) and the load balancer it belongs to.
#[derive(Clone, Copy, Debug)]
pub struct ListenerNames {
    pub protocol: &'static str,
    pub actions: &'static str,
    pub action_type: &'static str,
    pub redirect: &'static str,
    pub redirect_protocol: &'static str,
    pub lb_arn: &'static str,
    pub lb_kinds: &'static [&'static str],
    pub lb_type: &'static str,
}

pub const LISTENER: ByPlatform<ListenerNames> = ByPlatform::aws(
    ListenerNames {
        protocol: "protocol",
        actions: "default_action",
        action_type: "type",
        redirect: "redirect",
        redirect_protocol: "protocol",
        lb_arn: "load_balancer_arn",
        lb_kinds: &["aws_lb", "aws_alb"],
        lb_type: "load_balancer_type",
    },
    ListenerNames {
        protocol: "Protocol",
        actions: "DefaultActions",
        action_type: "Type",
        redirect: "RedirectConfig",
        redirect_protocol: "Protocol",
        lb_arn: "LoadBalancerArn",
        lb_kinds: &["AWS::ElasticLoadBalancingV2::LoadBalancer"],
        lb_type: "Type",
    },
);

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

    /// An ELB listener without a policy is judged as AWS's default, which the table lists:
    /// TLS 1.0 and later, its weak suites CBC with HMAC-SHA1 only (none the recommended level
    /// forbids).
    #[test]
    fn the_elb_default_policy_is_in_the_table() {
        assert_eq!(elb_default_policy(), "ELBSecurityPolicy-2016-08");
        let p = policy("aws-elb", elb_default_policy());
        assert_eq!(p.map(|p| p.min_tls.as_str()), Some("1.0"));
        let weak = p.map(|p| failing(p.weak_ciphers.iter().map(String::as_str)));
        assert_eq!(weak, Some(Vec::new()));
    }
}
