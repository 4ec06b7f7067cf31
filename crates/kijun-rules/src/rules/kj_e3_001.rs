//! KJ-E3-001 `elb-tls-policy-below-1-2`: an HTTPS or TLS listener of an Application or Network
//! Load Balancer whose security policy accepts TLS versions below the minimum of the CRYPTREC TLS
//! guideline level kijun applies (推奨セキュリティ型: TLS 1.2).
//!
//! The policy table is `policies/data/cryptrec.toml` (`[[tls_policy]]` with platform `aws-elb`),
//! read once. why: 第133条第2項 asks for protocols chosen on the basis of the CRYPTREC list, and
//! 第134条第1項第2号 for following protocol weaknesses; TLS 1.0 and 1.1 are outside the
//! recommended level of the CRYPTREC TLS guideline.

use crate::{util, Ctx, Hit, DATA_FILES};
use kijun_model::Resource;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Terraform, CloudFormation, the CLI and the API apply this policy when `ssl_policy` is unset.
const DEFAULT_POLICY: &str = "ELBSecurityPolicy-2016-08";

struct Table {
    /// Lower-case policy name → minimum TLS version ("1.0", "1.2", …).
    min_tls: HashMap<String, String>,
    /// Protocol versions from oldest to newest.
    order: Vec<String>,
    /// The lowest acceptable version.
    required: String,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            min_tls: HashMap::new(),
            order: ["SSLv3", "1.0", "1.1", "1.2", "1.3"]
                .map(String::from)
                .to_vec(),
            required: "1.2".to_string(),
        };
        let Some((_, text)) = DATA_FILES.iter().find(|(n, _)| *n == "cryptrec.toml") else {
            return t;
        };
        let Ok(doc) = toml::from_str::<toml::Table>(text) else {
            return t;
        };
        if let Some(order) = doc
            .get("tls_verdict")
            .and_then(|v| v.get("protocol_order"))
            .and_then(|v| v.as_array())
        {
            t.order = order
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
        }
        if let Some(g) = doc.get("tls_guideline") {
            let level = g.get("kijun_default_level").and_then(|v| v.as_str());
            let required = g
                .get("level")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .find(|l| l.get("id").and_then(|v| v.as_str()) == level)
                .and_then(|l| l.get("min_tls"))
                .and_then(|v| v.as_str());
            if let Some(req) = required {
                t.required = req.to_string();
            }
        }
        for p in doc
            .get("tls_policy")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            if p.get("platform").and_then(|v| v.as_str()) != Some("aws-elb") {
                continue;
            }
            let (Some(name), Some(min)) = (
                p.get("name").and_then(|v| v.as_str()),
                p.get("min_tls").and_then(|v| v.as_str()),
            ) else {
                continue;
            };
            t.min_tls.insert(name.to_ascii_lowercase(), min.to_string());
            for alias in p
                .get("aliases")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
            {
                if let Some(a) = alias.as_str() {
                    t.min_tls.insert(a.to_ascii_lowercase(), min.to_string());
                }
            }
        }
        t
    })
}

/// The minimum TLS version of a policy when it is below the required one.
fn weak(policy: &str) -> Option<Result<String, ()>> {
    let t = table();
    let Some(min) = t.min_tls.get(&policy.trim().to_ascii_lowercase()) else {
        return Some(Err(()));
    };
    let rank = |v: &str| t.order.iter().position(|x| x == v);
    match (rank(min), rank(&t.required)) {
        (Some(a), Some(b)) if a < b => Some(Ok(min.clone())),
        _ => None,
    }
}

fn tls_text(v: &str) -> String {
    if v.starts_with("SSL") {
        v.to_string()
    } else {
        format!("TLS {v}")
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // The same settings in CloudFormation (`AWS::ElasticLoadBalancingV2::Listener`).
    let (protocol_attr, policy_attr) = if r.kind.starts_with("AWS::") {
        ("Protocol", "SslPolicy")
    } else {
        ("protocol", "ssl_policy")
    };
    // HTTPS (ALB) and TLS (NLB) listeners negotiate TLS; an unset protocol is HTTP or TCP.
    let protocol = util::set(r, protocol_attr);
    let pending = match protocol {
        Some(p) if p.is_unknown() => Some(p),
        Some(p) => {
            let tls = p
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("tls"));
            if !tls {
                return;
            }
            None
        }
        None => return,
    };
    let required = tls_text(&table().required);
    match util::set(r, policy_attr) {
        None => {
            if let Some(p) = pending {
                out.push(Hit::unknown(p, protocol_attr));
                return;
            }
            let min = table()
                .min_tls
                .get(&DEFAULT_POLICY.to_ascii_lowercase())
                .map(|v| tls_text(v))
                .unwrap_or_else(|| "TLS 1.0".to_string());
            out.push(Hit::missing(
                r,
                util::t(
                    format!("`{policy_attr}` が設定されていないため、AWS の既定のセキュリティポリシー {DEFAULT_POLICY} が適用され、{min} 以上を受け入れます（必要な最低バージョンは {required}）"),
                    format!("`{policy_attr}` is not set, so AWS applies {DEFAULT_POLICY}, which accepts {min} and later ({required} is the minimum required)"),
                ),
            ));
        }
        Some(n) if n.is_unknown() => out.push(Hit::unknown(n, policy_attr)),
        Some(n) => {
            let Some(name) = n.as_str() else {
                return;
            };
            match weak(name) {
                None => {}
                Some(Err(())) => out.push(Hit {
                    at: n.at,
                    detail: util::t(
                        format!("`{policy_attr}` \"{name}\" は kijun のセキュリティポリシー表（policies/data/cryptrec.toml）にないため、最低 TLS バージョンを判定できません"),
                        format!("`{policy_attr}` \"{name}\" is not in kijun's table of security policies (policies/data/cryptrec.toml), so its minimum TLS version cannot be judged"),
                    ),
                    from: n.from.clone(),
                    not_evaluated: true,
                    min_level: None,
                }),
                Some(Ok(min)) => {
                    if let Some(p) = pending {
                        out.push(Hit::unknown(p, protocol_attr));
                        return;
                    }
                    let is = util::is(policy_attr, n);
                    let min = tls_text(&min);
                    out.push(Hit::value(
                        n,
                        util::t(
                            format!("{}。このポリシーは {min} 以上を受け入れます（必要な最低バージョンは {required}）", is.ja),
                            format!("{}, which accepts {min} and later ({required} is the minimum required)", is.en),
                        ),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_reads_the_data_file() {
        assert_eq!(
            weak("ELBSecurityPolicy-2016-08"),
            Some(Ok("1.0".to_string()))
        );
        assert_eq!(
            weak("elbsecuritypolicy-tls-1-1-2017-01"),
            Some(Ok("1.1".to_string()))
        );
        assert_eq!(weak("ELBSecurityPolicy-TLS13-1-2-2021-06"), None);
        assert_eq!(weak("ELBSecurityPolicy-Made-Up"), Some(Err(())));
        assert_eq!(table().required, "1.2");
    }
}
