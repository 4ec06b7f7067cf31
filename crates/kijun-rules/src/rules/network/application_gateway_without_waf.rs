//! KJ-N9-008 `application-gateway-without-waf`: an Azure Application Gateway with a public
//! frontend IP (internet-facing) and neither a WAF policy (`firewall_policy_id`) nor an enabled
//! legacy `waf_configuration`.
//!
//! Article 111(2) asks for monitoring of traffic from external lines; on an Application Gateway
//! that is the WAF. Detection mode monitors too, so `firewall_mode` is not judged.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // Internet-facing: some frontend IP configuration names a public IP. An unknown value (a
    // reference to an azurerm_public_ip) still names one.
    let frontends = util::set(r, "frontend_ip_configuration")
        .map(|n| n.items())
        .unwrap_or_default();
    let public = frontends
        .iter()
        .any(|f| f.child("public_ip_address_id").is_some_and(|p| !p.is_null()));
    if !public {
        return;
    }
    if let Some(p) = util::set(r, "firewall_policy_id") {
        if p.is_unknown() || p.as_str().is_some_and(|s| !s.trim().is_empty()) {
            // A reference to a policy, or a literal id: a policy is attached.
            return;
        }
    }
    if let Some(w) = util::set(r, "waf_configuration").and_then(|n| n.items().into_iter().next()) {
        match w.child("enabled").filter(|n| !n.is_null()) {
            Some(e) if e.is_unknown() => {
                out.push(Hit::unknown(e, "waf_configuration.enabled"));
                return;
            }
            Some(e) if e.as_bool() == Some(true) => return,
            Some(e) => {
                out.push(Hit::value(e, util::is("waf_configuration.enabled", e)));
                return;
            }
            None => {}
        }
    }
    let tier = util::set(r, "sku")
        .and_then(|n| n.items().into_iter().next())
        .and_then(|s| s.child("tier"))
        .filter(|t| !t.is_null());
    match tier {
        Some(t) if t.is_unknown() => out.push(Hit::unknown(t, "sku.tier")),
        Some(t) if !t.as_str().is_some_and(|s| s.starts_with("WAF")) => out.push(Hit::value(
            t,
            util::t(
                format!("{} で、WAF を使えない SKU です（WAF には `WAF_v2` が必要です）", util::is("sku.tier", t).ja),
                format!("{}: a SKU without WAF (a WAF needs `WAF_v2`)", util::is("sku.tier", t).en),
            ),
        )),
        _ => out.push(Hit::missing(
            r,
            util::t(
                "パブリック IP を持つ Application Gateway ですが、`firewall_policy_id` も有効な `waf_configuration` もありません",
                "this Application Gateway has a public IP but neither `firewall_policy_id` nor an enabled `waf_configuration`",
            ),
        )),
    }
}
