//! KJ-N10-002 `azure-nsg-rule-without-description`: a network security group rule (inline
//! `security_rule` or `azurerm_network_security_rule`) without a description.

use crate::util::described;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    // ARM: the rules inline in `properties.securityRules`, or a child resource
    // `Microsoft.Network/networkSecurityGroups/securityRules`; the text is in `properties`.
    if r.kind == "Microsoft.Network/networkSecurityGroups" {
        let Some(rules) = util::set(r, "properties").and_then(|p| p.child("securityRules")) else {
            return;
        };
        if rules.is_unknown() {
            out.push(Hit::unknown(rules, "properties.securityRules"));
            return;
        }
        for b in rules.items() {
            if b.is_unknown() {
                out.push(Hit::unknown(b, "properties.securityRules"));
                continue;
            }
            described(
                r,
                Some(b),
                b.child("properties").and_then(|p| p.child("description")),
                "properties.securityRules.properties.description",
                out,
            );
        }
        return;
    }
    if r.kind == "Microsoft.Network/networkSecurityGroups/securityRules" {
        let props = util::set(r, "properties");
        described(
            r,
            props,
            props.and_then(|p| p.child("description")),
            "properties.description",
            out,
        );
        return;
    }
    if r.kind == "azurerm_network_security_group" {
        let Some(rules) = util::set(r, "security_rule") else {
            return;
        };
        if rules.is_unknown() {
            out.push(Hit::unknown(rules, "security_rule"));
            return;
        }
        for b in rules.items() {
            if b.is_unknown() {
                out.push(Hit::unknown(b, "security_rule"));
                continue;
            }
            described(
                r,
                Some(b),
                b.child("description"),
                "security_rule.description",
                out,
            );
        }
        return;
    }
    described(r, None, r.get("description"), "description", out);
}
