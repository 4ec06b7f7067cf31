//! KJ-N10-001 `aws-sg-rule-without-description`: a security group rule (inline `ingress` /
//! `egress`, `aws_security_group_rule`, `aws_vpc_security_group_ingress_rule` /
//! `_egress_rule`) without a description.
//!
//! This file also holds the description test shared by KJ-N10-002 and KJ-N10-003.
//!
//! why: 第112条第1項 asks for access control settings to be checked and reviewed when the
//! requirements change and periodically. A rule whose purpose is written next to it can be
//! reviewed; an undocumented address range or port cannot be told apart from a forgotten one.

use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource};

/// Reports a missing or blank description. `block` is the nested block the description belongs
/// to (the finding points at it), or `None` for a standalone resource (its header).
pub fn described(
    r: &Resource,
    block: Option<&Node>,
    desc: Option<&Node>,
    attr: &str,
    out: &mut Vec<Hit>,
) {
    let hit = |detail| match block {
        Some(b) => Hit::value(b, detail),
        None => Hit::missing(r, detail),
    };
    match desc.filter(|n| !n.is_null()) {
        Some(d) if d.is_unknown() => out.push(Hit::unknown(d, attr)),
        Some(d) if d.as_str().is_some_and(|s| !s.trim().is_empty()) => {}
        Some(d) if d.as_str().is_some() => out.push(Hit::value(
            d,
            util::t(format!("`{attr}` が空です"), format!("`{attr}` is empty")),
        )),
        Some(_) => {}
        None => out.push(hit(util::missing(attr))),
    }
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "aws_security_group" | "aws_default_security_group" => {
            for dir in ["ingress", "egress"] {
                let Some(n) = util::set(r, dir) else {
                    continue;
                };
                if n.is_unknown() {
                    out.push(Hit::unknown(n, dir));
                    continue;
                }
                let attr = format!("{dir}.description");
                for b in n.items() {
                    if b.is_unknown() {
                        out.push(Hit::unknown(b, dir));
                        continue;
                    }
                    described(r, Some(b), b.child("description"), &attr, out);
                }
            }
        }
        _ => described(r, None, r.get("description"), "description", out),
    }
}
