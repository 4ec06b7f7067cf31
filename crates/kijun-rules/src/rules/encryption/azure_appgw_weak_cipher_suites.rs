//! KJ-E4-003 `azure-appgw-weak-cipher-suites`: an Azure Application Gateway with HTTPS listeners
//! whose TLS policy enables cipher suites the recommended level of the CRYPTREC TLS guideline
//! excludes: a predefined policy that includes them (AppGwSslPolicy20150501 enables 3DES) or a
//! custom policy listing them in `cipher_suites`.
//!
//! Without `ssl_policy` the default depends on the azurerm provider's API version (see KJ-E3-007),
//! so an unset policy is not evaluated.

use crate::facts::tls;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

fn judge(p: &Node, path: &str, out: &mut Vec<Hit>) {
    if p.is_unknown() {
        out.push(Hit::unknown(p, path));
        return;
    }
    let child = |k: &str| p.child(k).filter(|n| !n.is_null());
    let ty = match child("policy_type") {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, &format!("{path}.policy_type")));
            return;
        }
        Some(t) => t.as_str().map(str::to_ascii_lowercase),
        None => None,
    };
    match ty.as_deref() {
        Some("predefined") => {
            let attr = format!("{path}.policy_name");
            let Some(n) = child("policy_name") else {
                return;
            };
            if n.is_unknown() {
                out.push(Hit::unknown(n, &attr));
                return;
            }
            let Some(name) = n.as_str() else {
                return;
            };
            match tls::policy("azure-appgw", name) {
                None => out.push(tls::not_in_table(n, &attr)),
                Some(pol) => {
                    let bad = tls::failing(pol.weak_ciphers.iter().map(String::as_str));
                    if !bad.is_empty() {
                        let list: Vec<String> = bad.iter().map(|(c, _)| c.clone()).collect();
                        let is = util::is(&attr, n);
                        out.push(Hit::value(
                            n,
                            util::t(
                                format!("{}。このポリシーは CRYPTREC の推奨セキュリティ型で使用しない暗号スイート（{}）を有効にします", is.ja, list.join(", ")),
                                format!("{}, which enables cipher suites excluded at the CRYPTREC recommended level ({})", is.en, list.join(", ")),
                            ),
                        ));
                    }
                }
            }
        }
        Some("custom") | Some("customv2") => {
            let attr = format!("{path}.cipher_suites");
            let Some(c) = child("cipher_suites") else {
                return;
            };
            if c.is_unknown() {
                out.push(Hit::unknown(c, &attr));
                return;
            }
            let (list, unknown) = c.strings();
            if unknown {
                out.push(Hit::unknown(c, &attr));
            }
            for (name, node) in list {
                if let Some((_, class)) = tls::failing([name]).first() {
                    out.push(Hit::value(
                        node,
                        util::t(
                            format!("`{attr}` に CRYPTREC の推奨セキュリティ型で使用しない暗号スイート {name}（{class}）が含まれています"),
                            format!("`{attr}` enables {name} ({class}), excluded at the CRYPTREC recommended level"),
                        ),
                    ));
                }
            }
        }
        Some(_) => {}
        None => out.push(Hit::not_evaluated(Hit::value(
            p,
            util::t(
                format!("`{path}.policy_type` が設定されていないため既定の TLS ポリシーが使われます。既定のポリシーは azurerm プロバイダが使う API バージョンによって異なり（3.x では 3DES を含む AppGwSslPolicy20150501）、判定できません"),
                format!("`{path}.policy_type` is not set, so the default TLS policy applies; it depends on the azurerm provider's API version (AppGwSslPolicy20150501, which includes 3DES, in 3.x) and cannot be judged"),
            ),
        ))),
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if crate::facts::cryptrec::data().is_none() {
        out.push(crate::facts::cryptrec::no_data(r));
        return;
    }
    let https = tls::appgw_terminates_tls(r);
    if https == Some(false) {
        return;
    }
    match util::set(r, "ssl_policy") {
        Some(p) if p.is_unknown() => out.push(Hit::unknown(p, "ssl_policy")),
        Some(p) => {
            for b in p.items() {
                judge(b, "ssl_policy", out);
            }
        }
        None => out.push(Hit::not_evaluated(Hit::missing(
            r,
            util::t(
                "`ssl_policy` が設定されていないため既定の TLS ポリシーが使われます。既定のポリシーは azurerm プロバイダが使う API バージョンによって異なり（3.x では 3DES を含む AppGwSslPolicy20150501）、判定できません",
                "`ssl_policy` is not set, so the default TLS policy applies; it depends on the azurerm provider's API version (AppGwSslPolicy20150501, which includes 3DES, in 3.x) and cannot be judged",
            ),
        ))),
    }
    if let Some(profiles) = util::set(r, "ssl_profile") {
        for prof in profiles.items() {
            if let Some(p) = prof.child("ssl_policy").filter(|n| !n.is_null()) {
                for b in p.items() {
                    judge(b, "ssl_profile.ssl_policy", out);
                }
            }
        }
    }
}
