//! KJ-E4-001 `elb-weak-cipher-suites`: an Elastic Load Balancing security policy that enables
//! cipher suites the recommended level of the CRYPTREC TLS guideline excludes (3DES, RC4, NULL,
//! export, anonymous, MD5): an ALB/NLB listener's `ssl_policy`, or a Classic Load Balancer SSL
//! negotiation policy (`aws_load_balancer_policy`, `aws_lb_ssl_negotiation_policy`) through its
//! reference policy or individually enabled ciphers; in CloudFormation an
//! `AWS::ElasticLoadBalancingV2::Listener`'s `SslPolicy`, unset meaning AWS's default policy.
//!
//! CBC suites with HMAC-SHA1 are allowed at the recommended level and are not reported here.

use crate::facts::tls;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

fn cipher_text(attr: &str, v: &Node, bad: &[(String, String)]) -> Text {
    let list: Vec<String> = bad.iter().map(|(c, _)| c.clone()).collect();
    let is = util::is(attr, v);
    util::t(
        format!(
            "{}。このポリシーは CRYPTREC の推奨セキュリティ型で使用しない暗号スイート（{}）を有効にします",
            is.ja,
            list.join(", ")
        ),
        format!(
            "{}, which enables cipher suites excluded at the CRYPTREC recommended level ({})",
            is.en,
            list.join(", ")
        ),
    )
}

fn listener(r: &Resource, out: &mut Vec<Hit>) {
    // Terraform's `protocol`/`ssl_policy`, CloudFormation's `Protocol`/`SslPolicy`.
    let (protocol_attr, policy_attr) =
        (tls::LISTENER_PROTOCOL.of(r), tls::LISTENER_SSL_POLICY.of(r));
    let pending = match util::set(r, protocol_attr) {
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
        // An unset protocol is HTTP (ALB) or TCP (NLB): no TLS.
        None => return,
    };
    let Some(n) = util::set(r, policy_attr) else {
        // Unset: AWS applies its default policy (ELBSecurityPolicy-2016-08, whose weak suites
        // are CBC-SHA1 only, accepted at the recommended level). It is judged like a named one,
        // so a default that enabled 3DES or RC4 would be reported.
        let default = tls::elb_default_policy();
        let Some(p) = tls::policy("aws-elb", default) else {
            out.push(Hit::not_evaluated(Hit::missing(
                r,
                util::t(
                    format!("`{policy_attr}` が設定されていないため既定のポリシー {default} が適用されますが、kijun の TLS ポリシー表（policies/data/cryptrec.toml）にないため判定できません"),
                    format!("`{policy_attr}` is not set, so the default policy {default} applies, which kijun's table of TLS policies (policies/data/cryptrec.toml) does not list"),
                ),
            )));
            return;
        };
        let bad = tls::failing(p.weak_ciphers.iter().map(String::as_str));
        if bad.is_empty() {
            return;
        }
        if let Some(p) = pending {
            out.push(Hit::unknown(p, protocol_attr));
            return;
        }
        let list: Vec<String> = bad.iter().map(|(c, _)| c.clone()).collect();
        out.push(Hit::missing(
            r,
            util::t(
                format!("`{policy_attr}` が設定されていないため既定のポリシー {default} が適用されます。このポリシーは CRYPTREC の推奨セキュリティ型で使用しない暗号スイート（{}）を有効にします", list.join(", ")),
                format!("`{policy_attr}` is not set, so the default policy {default} applies, which enables cipher suites excluded at the CRYPTREC recommended level ({})", list.join(", ")),
            ),
        ));
        return;
    };
    if n.is_unknown() {
        out.push(Hit::unknown(n, policy_attr));
        return;
    }
    let Some(name) = n.as_str() else {
        return;
    };
    let Some(p) = tls::policy("aws-elb", name) else {
        out.push(tls::not_in_table(n, policy_attr));
        return;
    };
    let bad = tls::failing(p.weak_ciphers.iter().map(String::as_str));
    if bad.is_empty() {
        return;
    }
    if let Some(p) = pending {
        out.push(Hit::unknown(p, protocol_attr));
        return;
    }
    out.push(Hit::value(n, cipher_text(policy_attr, n, &bad)));
}

/// Classic Load Balancer policy attributes: `Reference-Security-Policy = <name>` or
/// `<cipher> = true`.
fn classic(r: &Resource, block: &str, out: &mut Vec<Hit>) {
    let Some(attrs) = util::set(r, block) else {
        return;
    };
    if attrs.is_unknown() {
        out.push(Hit::unknown(attrs, block));
        return;
    }
    for a in attrs.items() {
        let name = a.child("name").filter(|n| !n.is_null());
        let value = a.child("value").filter(|n| !n.is_null());
        let (Some(name), Some(value)) = (name, value) else {
            continue;
        };
        if name.is_unknown() {
            out.push(Hit::unknown(name, &format!("{block}.name")));
            continue;
        }
        let Some(key) = name.as_str() else {
            continue;
        };
        if key.eq_ignore_ascii_case("Reference-Security-Policy") {
            let attr = format!("{block}.value");
            if value.is_unknown() {
                out.push(Hit::unknown(value, &attr));
                continue;
            }
            let Some(pname) = value.as_str() else {
                continue;
            };
            match tls::policy("aws-elb-classic", pname) {
                None => out.push(tls::not_in_table(value, &attr)),
                Some(p) => {
                    let bad = tls::failing(p.weak_ciphers.iter().map(String::as_str));
                    if !bad.is_empty() {
                        out.push(Hit::value(value, cipher_text(&attr, value, &bad)));
                    }
                }
            }
            continue;
        }
        let Some(class) = tls::cipher_class(key) else {
            continue;
        };
        if !tls::is_fail_class(&class) {
            continue;
        }
        if value.is_unknown() {
            out.push(Hit::unknown(value, &format!("{block}.value")));
            continue;
        }
        if value.as_bool() == Some(true) {
            out.push(Hit::value(
                value,
                util::t(
                    format!("暗号スイート {key} が有効（value = true）になっています。CRYPTREC の推奨セキュリティ型では使用しません"),
                    format!("cipher suite {key} is enabled (value = true); it is excluded at the CRYPTREC recommended level"),
                ),
            ));
        }
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if crate::facts::cryptrec::data().is_none() {
        out.push(crate::facts::cryptrec::no_data(r));
        return;
    }
    match r.kind.as_str() {
        "aws_lb_listener" | "aws_alb_listener" | "AWS::ElasticLoadBalancingV2::Listener" => {
            listener(r, out)
        }
        "aws_load_balancer_policy" => {
            // Only SSL negotiation policies carry ciphers.
            match util::set(r, "policy_type_name") {
                Some(t) if t.is_unknown() => out.push(Hit::unknown(t, "policy_type_name")),
                Some(t)
                    if t.as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case("SSLNegotiationPolicyType")) =>
                {
                    classic(r, "policy_attribute", out)
                }
                _ => {}
            }
        }
        "aws_lb_ssl_negotiation_policy" => classic(r, "attribute", out),
        _ => {}
    }
}
