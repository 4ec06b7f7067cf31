//! KJ-N10-002 `azure-nsg-rule-without-description`: a network security group rule (inline
//! `security_rule` or `azurerm_network_security_rule`) without a description.

use crate::util::described;
use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
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
