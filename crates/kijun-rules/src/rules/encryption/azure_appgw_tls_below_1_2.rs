//! KJ-E3-007 `azure-appgw-tls-below-1-2`: an Azure Application Gateway with HTTPS listeners whose
//! TLS policy (`ssl_policy`, or the `ssl_policy` of an `ssl_profile`) accepts TLS below 1.2.
//!
//! Predefined policy names are looked up in the `azure-appgw` part of `[[tls_policy]]`; custom
//! policies are judged by `min_protocol_version`. Without `ssl_policy` Azure applies a default that
//! depends on the API version the azurerm provider uses (AppGwSslPolicy20150501, TLS 1.0, before
//! API 2023-02-01, i.e. azurerm 3.x; AppGwSslPolicy20220101, TLS 1.2, from azurerm 4.0), so an
//! unset policy is reported as not evaluated. An ARM template
//! (`Microsoft.Network/applicationGateways`) has the same settings under `properties`
//! (`sslPolicy`, `sslProfiles[].properties.sslPolicy`); its default depends on the resource's
//! `apiVersion` the same way (before 2023-02-01: AppGwSslPolicy20150501), which kijun's model does
//! not keep, so there too an unset policy is not evaluated. The names come from `tls::APPGW`.

use crate::facts::cryptrec;
use crate::facts::tls::{self, AppGwNames};
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

fn default_text(attr: &str) -> Text {
    util::t(
        format!("`{attr}` が設定されていません。既定の TLS ポリシーは使われる API バージョンによって異なり（2023-02-01 より前、azurerm 3.x では TLS 1.0 を許可する AppGwSslPolicy20150501、それ以降と azurerm 4.0 以降では AppGwSslPolicy20220101）、判定できません。TLS 1.2 以上のポリシーを明示してください"),
        format!("`{attr}` is not set; the default TLS policy depends on the API version used (AppGwSslPolicy20150501, which allows TLS 1.0, before 2023-02-01 and in azurerm 3.x; AppGwSslPolicy20220101 after that and from azurerm 4.0), so it cannot be judged. Set a TLS 1.2+ policy explicitly"),
    )
}

fn judge_policy(names: &AppGwNames, p: &Node, path: &str, out: &mut Vec<Hit>) {
    if p.is_unknown() {
        out.push(Hit::unknown(p, path));
        return;
    }
    let child = |k: &str| p.child(k).filter(|n| !n.is_null());
    let ty = match child(names.policy_type) {
        Some(t) if t.is_unknown() => {
            out.push(Hit::unknown(t, &format!("{path}.{}", names.policy_type)));
            return;
        }
        Some(t) => t.as_str().map(str::to_ascii_lowercase),
        None => None,
    };
    match ty.as_deref() {
        Some("predefined") => {
            let attr = format!("{path}.{}", names.policy_name);
            match child(names.policy_name) {
                Some(n) if n.is_unknown() => out.push(Hit::unknown(n, &attr)),
                Some(n) => {
                    let Some(name) = n.as_str() else {
                        return;
                    };
                    match tls::policy("azure-appgw", name) {
                        None => out.push(tls::not_in_table(n, &attr)),
                        Some(pol) if tls::below_required(&pol.min_tls) => out.push(Hit::value(
                            n,
                            tls::accepts_text(util::is(&attr, n), &pol.min_tls),
                        )),
                        Some(_) => {}
                    }
                }
                None => out.push(Hit::value(p, util::missing(&attr))),
            }
        }
        Some("custom") | Some("customv2") => {
            let attr = format!("{path}.{}", names.min_protocol_version);
            match child(names.min_protocol_version) {
                Some(n) if n.is_unknown() => out.push(Hit::unknown(n, &attr)),
                Some(n) => {
                    let Some(v) = n.as_str() else {
                        return;
                    };
                    match tls::appgw_min_version(v) {
                        None => out.push(tls::not_in_table(n, &attr)),
                        Some(min) if tls::below_required(&min) => {
                            out.push(Hit::value(n, tls::accepts_text(util::is(&attr, n), &min)))
                        }
                        Some(_) => {}
                    }
                }
                None => out.push(Hit::not_evaluated(Hit::value(
                    p,
                    util::t(
                        format!("`{attr}` が設定されていないため、カスタムポリシーの最低 TLS バージョンを判定できません"),
                        format!("`{attr}` is not set, so the custom policy's minimum TLS version cannot be judged"),
                    ),
                ))),
            }
        }
        Some(_) => {}
        None => {
            // Only `disabled_protocols`: the rest of the default policy applies.
            let attr = format!("{path}.{}", names.disabled_protocols);
            match child(names.disabled_protocols) {
                Some(d) if d.is_unknown() => out.push(Hit::unknown(d, &attr)),
                Some(d) => {
                    let (list, unknown) = d.strings();
                    if unknown {
                        out.push(Hit::unknown(d, &attr));
                        return;
                    }
                    let off = |v: &str| list.iter().any(|(s, _)| s.eq_ignore_ascii_case(v));
                    if !(off("TLSv1_0") && off("TLSv1_1")) {
                        out.push(Hit::not_evaluated(Hit::value(
                            d,
                            default_text(&format!("{path}.{}", names.policy_type)),
                        )));
                    }
                }
                None => out.push(Hit::not_evaluated(Hit::value(
                    p,
                    default_text(&format!("{path}.{}", names.policy_type)),
                ))),
            }
        }
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    if cryptrec::data().is_none() {
        out.push(cryptrec::no_data(r));
        return;
    }
    if tls::appgw_terminates_tls(r) == Some(false) {
        return;
    }
    let names = tls::APPGW.of(r);
    let (policy, path) = names.setting(r, names.policy);
    match policy {
        Err(props) => {
            out.push(Hit::unknown(props, names.props.unwrap_or_default()));
            return;
        }
        Ok(Some(p)) if p.is_unknown() => out.push(Hit::unknown(p, &path)),
        Ok(Some(p)) => match p.items().into_iter().next() {
            Some(b) => judge_policy(&names, b, &path, out),
            None => out.push(Hit::not_evaluated(Hit::missing(r, default_text(&path)))),
        },
        Ok(None) => out.push(Hit::not_evaluated(Hit::missing(r, default_text(&path)))),
    }
    let (profiles, profiles_path) = names.setting(r, names.profiles);
    if let Ok(Some(profiles)) = profiles {
        if profiles.is_unknown() {
            out.push(Hit::unknown(profiles, &profiles_path));
            return;
        }
        let path = match names.element_props {
            None => format!("{profiles_path}.{}", names.policy),
            Some(e) => format!("{profiles_path}.{e}.{}", names.policy),
        };
        for prof in profiles.items() {
            if let Some(p) = names.of_element(prof, names.policy) {
                for b in p.items() {
                    judge_policy(&names, b, &path, out);
                }
            }
        }
    }
}
