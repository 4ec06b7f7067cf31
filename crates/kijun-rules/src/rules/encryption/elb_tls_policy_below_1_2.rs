//! KJ-E3-001 `elb-tls-policy-below-1-2`: an HTTPS or TLS listener of an Application or Network
//! Load Balancer whose security policy accepts TLS versions below the minimum of the CRYPTREC TLS
//! guideline level kijun applies (推奨セキュリティ型: TLS 1.2).
//!
//! The policy table is `policies/data/cryptrec.toml` (`[[tls_policy]]` with platform `aws-elb`),
//! read once. why: 第133条第2項 asks for protocols chosen on the basis of the CRYPTREC list, and
//! 第134条第1項第2号 for following protocol weaknesses; TLS 1.0 and 1.1 are outside the
//! recommended level of the CRYPTREC TLS guideline.

use crate::facts::tls::{self, tls_text};
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

/// Terraform, CloudFormation, the CLI and the API apply this policy when `ssl_policy` is unset
/// (`policies/data/defaults.toml`, `[aws_elb].default_ssl_policy`).
fn default_policy(ctx: &Ctx) -> &'static str {
    ctx.data
        .defaults
        .as_ref()
        .map(|d| d.aws_elb.default_ssl_policy.as_str())
        .unwrap_or("ELBSecurityPolicy-2016-08")
}

/// The minimum TLS version of a policy when it is below the required one.
fn weak(policy: &str) -> Option<Result<String, ()>> {
    let Some(p) = tls::policy("aws-elb", policy) else {
        return Some(Err(()));
    };
    tls::below_required(&p.min_tls).then(|| Ok(p.min_tls.clone()))
}

pub fn check(ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // The same settings in CloudFormation (`AWS::ElasticLoadBalancingV2::Listener`).
    let (protocol_attr, policy_attr) =
        (tls::LISTENER_PROTOCOL.of(r), tls::LISTENER_SSL_POLICY.of(r));
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
    let required = tls_text(tls::required());
    match util::set(r, policy_attr) {
        None => {
            if let Some(p) = pending {
                out.push(Hit::unknown(p, protocol_attr));
                return;
            }
            let default = default_policy(ctx);
            let min = tls::policy("aws-elb", default)
                .map(|p| tls_text(&p.min_tls))
                .unwrap_or_else(|| "TLS 1.0".to_string());
            out.push(Hit::missing(
                r,
                util::t(
                    format!("`{policy_attr}` が設定されていないため、AWS の既定のセキュリティポリシー {default} が適用され、{min} 以上を受け入れます（必要な最低バージョンは {required}）"),
                    format!("`{policy_attr}` is not set, so AWS applies {default}, which accepts {min} and later ({required} is the minimum required)"),
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
        assert_eq!(tls::required(), "1.2");
    }
}
