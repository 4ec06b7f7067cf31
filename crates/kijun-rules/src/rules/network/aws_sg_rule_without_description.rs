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
